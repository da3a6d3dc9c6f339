"""Refinery sites (model/refinery.py): opening, modules, capacity factors, earliest period and lead
time: small instances whose optimal plans are derived by hand (the
arithmetic in each docstring; the discounting conventions are in tests/test_model_hand.py)."""

from __future__ import annotations

import pytest
from model_asserts import (
    assert_decision,
    assert_objective,
    assert_plan_valid,
    assert_term,
    solve_records,
)
from pyomo.environ import value as pyo_value

import instances as I


def test_refining_locally_wins():
    """instances.refine_or_export() with open capex 30,000 and processing 25 USD/t, r = 0.

    Unit costs: M-R = 200 km × 0.05 + 2 = 12 USD/t, R-P = 100 km × 0.05 = 5 USD/t, port 4 USD/t.
    Value of one tonne of CONC standing at REF:
        exported:  90 − 5 − 4                      =  81.0 USD/t
        refined:   0.3 × (500 − 5 − 4) − 25 = 147.3 − 25 = 122.3 USD/t   (41.3 more)
    Producing is worth it either way (81 > 40 + 12). Refining 1,000 t more per module gains
    41.3 × 1,000 = 41,300/yr against 5,000 capex + 500 opex per module, and the first module also
    carries opening 30,000 + 2,000 fixed opex: 41,300 > 37,500, so refine all 2,000 t (2 modules).

    NPV (2 modules, 2,000 t refined → 600 t CU):
        revenue      600 × 500               = 300,000
        mining     2,000 × 40                = −80,000
        M-R        2,000 × 12                = −24,000
        processing 2,000 × 25                = −50,000
        R-P          600 × 5                 =  −3,000
        handling     600 × 4                 =  −2,400
        fixed opex 2,000 + 2 × 500           =  −3,000
        capex     30,000 + 2 × 5,000         = −40,000
                                       NPV   =  97,600
    (export everything: 180,000 − 80,000 − 2,000 × 17 − 2,000 × 4 = 58,000; one module only:
     58,000 + 41,300 − 37,500 = 61,800.)
    """
    s = solve_records(I.refine_or_export())
    r = s.results
    assert_objective(r, 97_600)
    assert_decision(r, "Refineries", "open", 1, site="REF", period="P1")
    assert_decision(r, "Refineries", "modules", 2, site="REF", period="P1")
    assert_decision(r, "Processing", "t_per_yr", 2000, site="REF", recipe="SMELT", period="P1", role="input")
    assert_decision(r, "Sales", "t_per_yr", 600, node="PORT", commodity="CU", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 0, node="PORT", commodity="CONC", period="P1")
    assert_decision(r, "Flows", "t_per_yr", 0, corridor="R-P", commodity="CONC", period="P1")
    assert_term(r, "revenue", 300_000)
    assert_term(r, "mining", -80_000)
    assert_term(r, "transport", -(24_000 + 3_000))
    assert_term(r, "processing", -50_000)
    assert_term(r, "port_handling", -2_400)
    assert_term(r, "refinery_fixed_opex", -3_000)
    assert_term(r, "refinery_capex", -40_000)
    assert r.summary["refineries_open"] == "REF"
    assert_plan_valid(r, s.instance)


@pytest.mark.parametrize(
    "open_capex, processing_cost",
    [
        # Opening at 80,000: refine all = 97,600 − 50,000 = 47,600; one module = 61,800 − 50,000
        # = 11,800; both below exporting (58,000).
        (80_000, 25),
        # Processing at 70 USD/t: a refined tonne is worth 147.3 − 70 = 77.3 < 81 exported,
        # so refining loses even before any fixed cost.
        (30_000, 70),
    ],
    ids=["capex-too-high", "processing-too-dear"],
)
def test_exporting_concentrate_wins(open_capex, processing_cost):
    """Export everything: NPV = 2,000 × 90 − 2,000 × 40 − 2,000 × (12 + 5) − 2,000 × 4
    = 180,000 − 80,000 − 34,000 − 8,000 = 58,000; REF stays closed with no modules."""
    s = solve_records(I.refine_or_export(open_capex=open_capex, processing_cost=processing_cost))
    r = s.results
    assert_objective(r, 58_000)
    assert_decision(r, "Refineries", "open", 0, site="REF", period="P1")
    assert_decision(r, "Refineries", "modules", 0, site="REF", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 2000, node="PORT", commodity="CONC", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 0, node="PORT", commodity="CU", period="P1")
    assert_decision(r, "Flows", "t_per_yr", 2000, corridor="R-P", commodity="CONC", period="P1")
    assert_term(r, "refinery_capex", 0)
    assert_term(r, "refinery_fixed_opex", 0)
    assert r.summary["refineries_open"] == "none"
    assert_plan_valid(r, s.instance)


def test_module_added_in_later_period():
    """instances.capacity_growth("module"). One tonne of CONC refined and sold earns
    0.25 × (800 − 10) − 20 − 10 − 50 = 197.5 − 80 = 117.5 USD.

    P1: mine 1,000 = existing capacity 1,000 → 117,500 − 1,000 module opex = 116,500 /yr.
    P2: mine 2,000; a second module doubles the refined tonnes:
        with it:    2,000 × 117.5 − 2 × 1,000 = 233,000 /yr;  without: 116,500 /yr.
        gain: 116,500 × 210/121 − 20,000 × 10/11 ≈ 202,190 − 18,182 > 0  → buy it.
    Buying it in P1 instead costs 20,000 (not 18,181.82) plus 1,000 opex in P1 for nothing
    (the mine cannot fill it before P2), so the module comes in P2.

    NPV = 116,500 × 1 + 233,000 × 210/121 − 20,000 × 10/11
        = (14,096,500 + 48,930,000 − 2,200,000)/121 = 60,826,500/121 ≈ 502,698.35
    """
    s = solve_records(I.capacity_growth("module"))
    r = s.results
    assert_objective(r, 60_826_500 / 121)
    assert_decision(r, "Refineries", "modules_added", 0, site="REF", period="P1")
    assert_decision(r, "Refineries", "modules_added", 1, site="REF", period="P2")
    assert_decision(r, "Refineries", "modules", 1, site="REF", period="P1")
    assert_decision(r, "Refineries", "modules", 2, site="REF", period="P2")
    assert_decision(r, "Production", "t_per_yr", 1000, mine="MINE", commodity="CONC", period="P1")
    assert_decision(r, "Production", "t_per_yr", 2000, mine="MINE", commodity="CONC", period="P2")
    assert_decision(r, "Sales", "t_per_yr", 500, node="PORT", commodity="CU", period="P2")
    assert_term(r, "refinery_capex", 0, period="P1")
    assert_term(r, "refinery_capex", -20_000 * 10 / 11, period="P2")
    assert_term(r, "refinery_fixed_opex", -1_000, period="P1")
    assert_term(r, "refinery_fixed_opex", -2_000 * 210 / 121, period="P2")
    assert_plan_valid(r, s.instance)


def test_existing_site_module_with_lead_time():
    """capacity_growth("module") with lead_time_years = 1 at the existing site REF: P1 (2030) is
    before 2030 + 1, so the second module can only come in P2 (as in the unrestricted optimum),
    but its 20,000 USD is now paid one year before P2 starts, in 2030: factor 1.1^0 = 1.

    NPV = 116,500 + 233,000 × 210/121 − 20,000 = (14,096,500 + 48,930,000 − 2,420,000)/121
        = 60,606,500/121 ≈ 500,880.17
    """
    recs = I.capacity_growth("module")
    recs["Refineries"][0]["lead_time_years"] = 1
    s = solve_records(recs)
    assert s.model.data.site_periods["REF"] == ["P2"]
    assert_objective(s.results, 60_606_500 / 121)
    assert_decision(s.results, "Refineries", "modules_added", 1, site="REF", period="P2")
    assert_term(s.results, "refinery_capex", -20_000, period="P2")
    assert_plan_valid(s.results, s.instance)


def test_capacity_factor_brings_module_forward():
    """capacity_growth("module") with the refinery at half capacity in P1 (CapacityFactors 0.5):
    the existing module gives only 500 t/yr in P1.
        module in P2: P1 500 × 117.5 − 1,000 = 57,750; NPV = 57,750 + 233,000 × 210/121 − 20,000
                      × 10/11 ≈ 443,948.35
        module in P1: P1 0.5 × 2,000 = 1,000 t refined: 117,500 − 2,000 = 115,500;
                      NPV = 115,500 + 233,000 × 210/121 − 20,000
                          = (13,975,500 + 48,930,000 − 2,420,000)/121 = 60,485,500/121 ≈ 499,880.17
    so the module now comes in P1.
    """
    recs = I.capacity_growth("module")
    recs["CapacityFactors"] = [{"element_type": "refinery", "element": "REF", "period": "P1", "factor": 0.5}]
    s = solve_records(recs)
    r = s.results
    assert_objective(r, 60_485_500 / 121)
    assert_decision(r, "Refineries", "modules_added", 1, site="REF", period="P1")
    assert_decision(r, "Refineries", "input_t_per_yr", 1000, site="REF", period="P1")
    assert_term(r, "refinery_capex", -20_000, period="P1")
    assert_plan_valid(r, s.instance)


# instances.lead_time: one-year periods P1..P3 = 2030..2032, r = 10 %, base 2030.
#   DF_P1 = 1, DF_P2 = 10/11, DF_P3 = 100/121.
#   While open: 1,000 t × 117.5 − 5,000 fixed opex = 112,500 USD/yr (nothing is earned before).
#   Capex 50,000 + 40,000 = 90,000, discounted by 1.1^-(start − lead − 2030).
#   Open in P1: 112,500 × (1 + 10/11 + 100/121) = 112,500 × 331/121 = 37,237,500/121
#   Open in P2: 112,500 × 210/121 = 23,625,000/121;  open in P3: 112,500 × 100/121 = 11,250,000/121
#
# Regression: a site with no open_new/add_modules variable in some period (earliest_period after
# the first period, or a lead time ruling out early periods) used to make
# refinery_module_limit[j, p] the constant `0 <= max_j * 0`, which Pyomo rejected while building
# (InvalidConstraintError, fixed in f6ef38d). The lead-time cases below cover it.
LEAD_CASES = [
    # (earliest, lead) → allowed periods, period opened, capex factor, NPV
    # No restriction: open in P1, capex at 1.1^0: 37,237,500/121 − 90,000 = 26,347,500/121.
    pytest.param(None, 0, ["P1", "P2", "P3"], "P1", 1.0, 26_347_500 / 121, id="no-restriction"),
    # Earliest P2, no lead: capex at 1.1^-1; 23,625,000/121 − 90,000 × 10/11 = 13,725,000/121.
    pytest.param("P2", 0, ["P2", "P3"], "P2", 10 / 11, 13_725_000 / 121, id="earliest-P2"),
    # Lead 1 year: P1 (2030 < 2030 + 1) is out; P2's capex is paid in 2030 (factor 1):
    # 23,625,000/121 − 90,000 = 12,735,000/121 (beats opening in P3: 1,350,000/121).
    pytest.param(None, 1, ["P2", "P3"], "P2", 1.0, 12_735_000 / 121, id="lead-1"),
    # Earliest P3 with lead 1 (the lead alone would allow P2): capex paid 2031, factor 10/11:
    # 11,250,000/121 − 90,000 × 10/11 = (11,250,000 − 9,900,000)/121 = 1,350,000/121.
    pytest.param("P3", 1, ["P3"], "P3", 10 / 11, 1_350_000 / 121, id="earliest-P3-lead-1"),
    # Lead 2 years: only P3 (2032 ≥ 2032); capex paid 2030, factor 1:
    # 11,250,000/121 − 90,000 = 360,000/121 ≈ 2,975.21 (still worth opening).
    pytest.param(None, 2, ["P3"], "P3", 1.0, 360_000 / 121, id="lead-2"),
]


@pytest.mark.parametrize("earliest, lead, allowed, opened, capex_factor, npv", LEAD_CASES)
def test_earliest_period_and_lead_time(earliest, lead, allowed, opened, capex_factor, npv):
    s = solve_records(I.lead_time(earliest_period=earliest, lead_time_years=lead))
    r = s.results
    d = s.model.data
    assert d.site_periods["REF"] == allowed
    assert d.capex_factor(opened, lead) == pytest.approx(capex_factor, rel=1e-12)
    assert_objective(r, npv)
    for p in ["P1", "P2", "P3"]:
        before = int(p[1:]) < int(opened[1:])
        assert_decision(r, "Refineries", "opened_this_period", int(p == opened), site="REF", period=p)
        assert_decision(r, "Refineries", "open", 0 if before else 1, site="REF", period=p)
        assert_decision(r, "Production", "t_per_yr", 0 if before else 1000, mine="MINE", commodity="CONC", period=p)
    assert_term(r, "refinery_capex", -90_000 * capex_factor, period=opened)
    assert_term(r, "refinery_capex", -90_000 * capex_factor)
    assert_plan_valid(r, s.instance)


def test_refinery_capacity_limit_is_factor_times_size_times_modules():
    """test_capacity_factor_brings_module_forward's plan: 2 modules of 1,000 t/yr from P1, the
    refinery at factor 0.5 in P1. Capacity f · size · modules: P1 0.5 × 1,000 × 2 = 1,000 t/yr
    (full: 1,000 t refined), P2 1 × 1,000 × 2 = 2,000 t/yr (full). The shadow prices' limit and
    the Refineries table (nameplate: modules × size, no factor) say so."""
    from supplyopt.model.refinery import capacity
    from supplyopt.studies.diagnose import shadow_prices

    recs = I.capacity_growth("module")
    recs["CapacityFactors"] = [{"element_type": "refinery", "element": "REF", "period": "P1", "factor": 0.5}]
    s = solve_records(recs)
    m = s.model
    assert pyo_value(capacity(m, m.data, ("base", "REF", "P1"))) == pytest.approx(1000)
    assert pyo_value(capacity(m, m.data, ("base", "REF", "P2"))) == pytest.approx(2000)
    prices = shadow_prices(m).set_index("element")
    cap = prices[prices["family"] == "refinery_capacity"]
    assert cap.loc["base | REF | P1", "limit"] == pytest.approx(1000) and cap.loc["base | REF | P1", "used"] == pytest.approx(1000)
    assert cap.loc["base | REF | P2", "limit"] == pytest.approx(2000) and cap.loc["base | REF | P2", "used"] == pytest.approx(2000)
    assert_decision(s.results, "Refineries", "capacity_t_per_yr", 2000, site="REF", period="P1")
    assert_decision(s.results, "Refineries", "utilisation", 0.5, site="REF", period="P1")
