"""Poly-metallic processing (model/processing.py): co-products: small instances whose optimal plans are derived by hand (the
arithmetic in each docstring; the discounting conventions are in tests/test_model_hand.py)."""

from __future__ import annotations

from model_asserts import (
    assert_decision,
    assert_objective,
    assert_plan_valid,
    assert_term,
    solve_records,
)

import instances as I


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
