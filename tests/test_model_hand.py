"""Small instances whose optimal plans are derived by hand (arithmetic in each docstring).

Conventions of the model the derivations rely on (supplyopt/model/*.py docstrings):
- annual flows in period p are discounted by DF_p = Σ_{y in p} (1+r)^-(y − base_year): the
  first year of the horizon is undiscounted;
- capex paid for period p is discounted by (1+r)^-(start_p − lead − base_year);
- fixed opex is paid every year a site is open (per module for module opex) or an upgrade built.
"""

from __future__ import annotations

import copy

import pytest
from model_asserts import (
    assert_capacities_respected,
    assert_decision,
    assert_mass_balance,
    assert_objective,
    assert_plan_valid,
    assert_term,
    solve_records,
)

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import prepare

# ---------------------------------------------------------------------------------------------
# 1. Refining locally wins
# ---------------------------------------------------------------------------------------------


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


def test_refining_wins_discounted_two_year_period():
    """Same network, r = 10 %, one period of 2 years starting in the base year.

    DF = 1 + 1/1.1 = 21/11; capex is paid at the start of the base year (factor 1).
    Annual margin of the plan before capex = 97,600 + 40,000 = 137,600 USD/yr.
        refine all:  137,600 × 21/11 − 40,000 = 2,889,600/11 − 440,000/11 = 2,449,600/11 ≈ 222,690.91
        one module:  (58,000 + 41,300 − 2,500) × 21/11 − 35,000 = 96,800 × 21/11 − 35,000 = 149,800
        export:       58,000 × 21/11 = 1,218,000/11 ≈ 110,727.27
    """
    s = solve_records(I.refine_or_export(discount_rate=0.10, length_years=2))
    d = s.model.data
    assert d.flow_factor["P1"] == pytest.approx(21 / 11, rel=1e-12)
    assert d.capex_factor("P1") == pytest.approx(1.0, rel=1e-12)
    assert_objective(s.results, 2_449_600 / 11)
    assert_decision(s.results, "Refineries", "modules", 2, site="REF", period="P1")
    assert_term(s.results, "revenue", 300_000 * 21 / 11)
    assert_term(s.results, "refinery_capex", -40_000)
    assert_plan_valid(s.results, s.instance)


# ---------------------------------------------------------------------------------------------
# 2. Exporting concentrate wins
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# 3. Capacity bought in a later period
# ---------------------------------------------------------------------------------------------


def test_growth_discount_factors():
    """r = 10 %, base 2030. P1 = 2030 (1 yr), P2 = 2031-32 (2 yr).
    DF_P1 = 1.1^0 = 1; DF_P2 = 1.1^-1 + 1.1^-2 = (1.1 + 1)/1.21 = 210/121 ≈ 1.735537.
    Capex for P1 at 1.1^0 = 1, for P2 at 1.1^-1 = 10/11."""
    d = prepare(instance_from_records(I.capacity_growth("module")))
    assert d.base_year == 2030
    assert d.flow_factor["P1"] == pytest.approx(1.0, rel=1e-12)
    assert d.flow_factor["P2"] == pytest.approx(210 / 121, rel=1e-12)
    assert d.capex_factor("P1") == pytest.approx(1.0, rel=1e-12)
    assert d.capex_factor("P2") == pytest.approx(10 / 11, rel=1e-12)


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


def test_upgrade_built_in_later_period():
    """instances.capacity_growth("upgrade"): REF has 2 modules already (2,000 t/yr, 2,000 USD/yr
    opex); corridor M-R carries 1,000 t/yr unless U-MR (+1,000 t/yr, 15,000 USD, 500 USD/yr).

    P1: 1,000 t → 117,500 − 2,000 = 115,500 /yr (the upgrade would carry nothing extra).
    P2 with U-MR: 2,000 × 117.5 − 2,000 − 500 = 232,500 /yr (without: 115,500).
        gain: 117,000 × 210/121 − 15,000 × 10/11 ≈ 203,058 − 13,636 > 0 → build.
    Built for P1 instead would cost 15,000 − 13,636.36 + 500 = 1,863.64 more → P2.

    NPV = 115,500 + 232,500 × 210/121 − 15,000 × 10/11
        = (13,975,500 + 48,825,000 − 1,650,000)/121 = 61,150,500/121 ≈ 505,376.03
    """
    s = solve_records(I.capacity_growth("upgrade"))
    r = s.results
    assert_objective(r, 61_150_500 / 121)
    assert_decision(r, "Upgrades", "built", True, upgrade="U-MR")
    assert_decision(r, "Upgrades", "in_service_from", "P2", upgrade="U-MR")
    assert_decision(r, "CorridorUse", "t_per_yr", 1000, corridor="M-R", period="P1")
    assert_decision(r, "CorridorUse", "t_per_yr", 2000, corridor="M-R", period="P2")
    assert_decision(r, "CorridorUse", "capacity_t_per_yr", 2000, corridor="M-R", period="P2")
    assert_term(r, "upgrade_capex", 0, period="P1")
    assert_term(r, "upgrade_capex", -15_000 * 10 / 11, period="P2")
    assert_term(r, "upgrade_fixed_opex", -500 * 210 / 121)
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


# ---------------------------------------------------------------------------------------------
# 4. Co-products
# ---------------------------------------------------------------------------------------------


def test_co_products_both_sold():
    """instances.co_products(): 1,000 t of Cu-Au concentrate → 250 t CU + 0.02 t AU.

    Margin per tonne of concentrate refined:
        0.25 × (9,000 − 10 − 5) + 0.00002 × (60,000,000 − 10 − 5) − 400 − 10 − 300
        = 2,246.25 + 1,199.9997 − 710 = 2,736.2497 USD/t > 0, so run the one module full.
    NPV = 2,736,249.7 − capex (100,000 + 50,000) = 2,586,249.7, i.e.
        revenue 250 × 9,000 + 0.02 × 60,000,000 = 2,250,000 + 1,200,000 = 3,450,000
        mining −300,000; M-R −10,000; processing −400,000;
        R-P 250.02 × 10 = −2,500.2; handling 250.02 × 5 = −1,250.1; capex −150,000.
    """
    s = solve_records(I.co_products())
    r = s.results
    assert_objective(r, 2_586_249.7)
    assert_decision(r, "Sales", "t_per_yr", 250, node="PORT", commodity="CU", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 0.02, node="PORT", commodity="AU", period="P1", rel=1e-6, abs=1e-9)
    assert_decision(r, "Sales", "revenue_usd_per_yr", 1_200_000, node="PORT", commodity="AU", period="P1")
    assert_decision(r, "Processing", "t_per_yr", 250, site="REF", recipe="CUAU", commodity="CU", role="output")
    assert_decision(r, "Processing", "t_per_yr", 0.02, site="REF", recipe="CUAU", commodity="AU", role="output", abs=1e-9)
    assert_decision(r, "Flows", "t_per_yr", 0.02, corridor="R-P", commodity="AU", period="P1", abs=1e-9)
    assert_term(r, "revenue", 3_450_000)
    assert_term(r, "transport", -(10_000 + 2_500.2))
    assert_term(r, "port_handling", -1_250.1)
    assert_plan_valid(r, s.instance)


# ---------------------------------------------------------------------------------------------
# 5. Earliest period and lead time
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# 6. objective = cost
# ---------------------------------------------------------------------------------------------


def test_cost_mode_meets_demand_at_least_cost():
    """instances.cost_mode_demand(): minimise discounted cost, r = 10 % (DF_P1 = 1, DF_P2 = 10/11).

    Landed cost of CONC at REF: MA 50 + 10 = 60 USD/t (800 t/yr), MB 40 + 30 = 70 USD/t.
    CU demand D needs 4D t of CONC; cheapest first (MA, then MB).
    P1: D = 300 → 1,200 t = exactly the one module: 800 MA + 400 MB
        48,000 + 28,000 + processing 1,200 × 20 = 24,000 + CU 300 × 4 = 1,200 → 101,200
    P2: D = 400 → 1,600 t > 1,200: a second module is needed (11,000, paid for P2 at 10/11
        = 10,000 PV; for P1 it would be 11,000). 800 MA + 800 MB:
        48,000 + 56,000 + 1,600 × 20 = 32,000 + 400 × 4 = 1,600 → 137,600 /yr
    Cost PV = 101,200 + 137,600 × 10/11 + 10,000 = (1,113,200 + 1,376,000 + 110,000)/11
            = 2,599,200/11 ≈ 236,290.91
    Sales exactly meet demand (revenue is not optimised): revenue PV = 300 × 5,000 + 400 ×
    5,000 × 10/11 = 36,500,000/11, so the reported NPV = 33,900,800/11 ≈ 3,081,890.91.
    """
    s = solve_records(I.cost_mode_demand())
    r = s.results
    assert s.report.sense == "minimise"
    assert_objective(r, 2_599_200 / 11)
    assert r.summary["npv_usd"] == pytest.approx(33_900_800 / 11, rel=1e-9)
    assert_decision(r, "Sales", "t_per_yr", 300, node="MKT", commodity="CU", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 400, node="MKT", commodity="CU", period="P2")
    assert_decision(r, "Production", "t_per_yr", 800, mine="MA", commodity="CONC", period="P1")
    assert_decision(r, "Production", "t_per_yr", 400, mine="MB", commodity="CONC", period="P1")
    assert_decision(r, "Production", "t_per_yr", 800, mine="MA", commodity="CONC", period="P2")
    assert_decision(r, "Production", "t_per_yr", 800, mine="MB", commodity="CONC", period="P2")
    assert_decision(r, "Refineries", "modules_added", 0, site="REF", period="P1")
    assert_decision(r, "Refineries", "modules_added", 1, site="REF", period="P2")
    assert_term(r, "refinery_capex", -10_000)
    assert_term(r, "revenue", 36_500_000 / 11)
    assert_plan_valid(r, s.instance)


# ---------------------------------------------------------------------------------------------
# Ports, contracts, mode defaults, base year, capacity factors
# ---------------------------------------------------------------------------------------------

# instances.ports_and_contracts: DF = capex factor = 1.1^-(2030 − 2029) = 1/1.1 (base_year 2029).
# Unit costs: H-M 100 × 0.1 + 1 = 11 (Modes defaults), H-A 50 × 0.1 + 1 = 6, H-B 100 × 0.02 = 2.
# Margin per tonne mined and sold: at A 100 − 11 − 6 − 3 − 60 = 20 (contract max 300 t/yr);
#                                  at B price_b − 11 − 2 − 8 − 60 = price_b − 81.
PORT_CASES = [
    # price_b 90 (B margin 9): without U-B sell 300 A + 400 B: 6,000 + 3,600 = 9,600/yr.
    # With U-B (B 1,000 t/yr) the corridor H-M (1,200 t/yr, used in its reverse direction) binds:
    # 300 A + 900 B: 6,000 + 8,100 = 14,100/yr; 14,100/1.1 − 2,200/1.1 = 11,900/1.1 > 9,600/1.1.
    # NPV = 119,000/11 ≈ 10,818.18.
    pytest.param(dict(price_b=90), 119_000 / 11, True, 300, 900, id="upgrade-port"),
    # price_b 70 (B margin −11): the mine's minimum 600 forces 300 t/yr to B at a loss:
    # 6,000 − 3,300 = 2,700/yr, no upgrade; NPV = 27,000/11 ≈ 2,454.55.
    pytest.param(dict(price_b=70), 27_000 / 11, False, 300, 300, id="mine-minimum-at-a-loss"),
    # H-M at half capacity (600 t/yr): 300 A + 300 B, the upgrade is useless:
    # 6,000 + 2,700 = 8,700/yr; NPV = 87,000/11 ≈ 7,909.09.
    pytest.param(dict(price_b=90, corridor_factor=0.5), 87_000 / 11, False, 300, 300, id="corridor-factor"),
]


@pytest.mark.parametrize("kwargs, npv, upgrade, sold_a, sold_b", PORT_CASES)
def test_ports_contracts_and_factors(kwargs, npv, upgrade, sold_a, sold_b):
    s = solve_records(I.ports_and_contracts(**kwargs))
    r = s.results
    d = s.model.data
    assert d.flow_factor["P1"] == pytest.approx(1 / 1.1, rel=1e-12)
    assert d.arc_unit_cost["H-M~r"] == pytest.approx(11, rel=1e-12)
    assert d.arc_unit_cost["H-A"] == pytest.approx(6, rel=1e-12)
    assert d.arc_unit_cost["H-B"] == pytest.approx(2, rel=1e-12)
    assert_objective(r, npv)
    assert_decision(r, "Upgrades", "built", upgrade, upgrade="U-B")
    assert_decision(r, "Sales", "t_per_yr", sold_a, node="PORT_A", commodity="CONC", period="P1")
    assert_decision(r, "Sales", "t_per_yr", sold_b, node="PORT_B", commodity="CONC", period="P1")
    assert_decision(r, "Flows", "t_per_yr", sold_a + sold_b, corridor="H-M", from_node="MINE", commodity="CONC", period="P1")
    assert_term(r, "upgrade_capex", -2200 / 1.1 if upgrade else 0.0)
    assert_plan_valid(r, s.instance)


@pytest.mark.parametrize(
    "bidirectional, npv, ga, gb",
    [
        # Both directions share 100 t/yr. A tonne of GB over H1-H2 earns 20 instead of 1 at M2
        # (+19), a tonne of GA earns 10 (+10): all capacity to GB.
        # NPV = 100 × 20 + 0 × 10 = 2,000. (Were capacity per direction: 2,000 + 1,000 = 3,000.)
        (True, 2000, 0, 100),
        # One-way H1 → H2: only GA can cross; GB sells at M2 for 1:
        # NPV = 100 × 10 + 100 × 1 = 1,100.
        (False, 1100, 100, 0),
    ],
    ids=["bidirectional", "one-way"],
)
def test_bidirectional_capacity_is_shared(bidirectional, npv, ga, gb):
    s = solve_records(I.shared_corridor(bidirectional))
    r = s.results
    assert_objective(r, npv)
    assert_decision(r, "Sales", "t_per_yr", ga, node="M2", commodity="GA", period="P1")
    assert_decision(r, "Sales", "t_per_yr", gb, node="M1", commodity="GB", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 100 - gb, node="M2", commodity="GB", period="P1")
    assert_decision(r, "Flows", "t_per_yr", gb, corridor="H1-H2", from_node="H2", commodity="GB", period="P1")
    assert_decision(r, "CorridorUse", "t_per_yr", 100, corridor="H1-H2", period="P1")
    assert_plan_valid(r, s.instance)


def test_assert_helpers_catch_violations():
    """The plan checks are not vacuous: a tampered copy of a correct plan fails them."""
    s = solve_records(I.refine_or_export())
    good = s.results
    with pytest.raises(AssertionError, match="objective"):
        assert_objective(good, 97_601)
    with pytest.raises(AssertionError):
        assert_decision(good, "Refineries", "modules", 1, site="REF", period="P1")

    leak = copy.copy(good)
    leak.tables = dict(good.tables)
    flows = good["Flows"].copy()
    flows.loc[flows["corridor"] == "R-P", "t_per_yr"] += 1.0  # 1 t/yr of CU out of nowhere
    leak.tables["Flows"] = flows
    with pytest.raises(AssertionError, match="mass balance"):
        assert_mass_balance(leak, s.instance)

    over = copy.copy(good)
    over.tables = dict(good.tables)
    ref = good["Refineries"].copy()
    ref["modules"] = 1
    ref["modules_added"] = 1
    over.tables["Refineries"] = ref
    with pytest.raises(AssertionError, match="capacity"):
        assert_capacities_respected(over, s.instance)


def test_every_named_instance_is_valid_input():
    """instances.ALL builds through the normal validation (other tests rely on it)."""
    for name, make in I.ALL.items():
        inst = instance_from_records(make())
        assert len(inst["Periods"]) >= 1, name
