"""The objective (model/objective.py): discounting of annual flows and capex, and objective = cost: small instances whose optimal plans are derived by hand (the
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

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import prepare


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
