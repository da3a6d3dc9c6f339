"""Sales and contracts (model/market.py): contract maximum and a soft minimum, derived by hand."""

from __future__ import annotations

from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def test_contract_maximum_sends_the_rest_out_as_concentrate():
    """tiny() with CU capped at 200 t/yr (Markets max). Per tonne of CONC (see test_production):
    refined 66.25, exported 25. 200 t CU = 800 t CONC refined, needing 2 modules (12,000 capex):
    800 × 66.25 − 12,000 = 41,000, the other 200 t exported: 5,000 → NPV 46,000. (One module,
    600 t refined: 39,750 − 11,000 + 400 × 25 = 38,750.)"""
    recs = I.tiny()
    recs["Markets"][1]["max_t_per_yr"] = 200
    s = solve_records(recs)
    r = s.results
    assert_objective(r, 46_000)
    assert_decision(r, "Sales", "t_per_yr", 200, node="PORT", commodity="CU")
    assert_decision(r, "Sales", "max_t_per_yr", 200, node="PORT", commodity="CU")
    assert_decision(r, "Sales", "t_per_yr", 200, node="PORT", commodity="CONC")
    assert_decision(r, "Sales", "revenue_usd_per_yr", 120_000, node="PORT", commodity="CU")
    assert_plan_valid(r, s.instance)


def test_soft_minimum_above_what_can_be_made_pays_the_penalty():
    """tiny() with a CU minimum of 300 t/yr at a shortfall penalty of 100 USD/t: at most 1,000 ×
    0.25 = 250 t CU can be made, so 50 t are short (contract_minimum: sell + shortfall ≥ 300).
    NPV = 54,250 (tiny's optimum) − 50 × 100 = 49,250; Shortfalls shows the 50 t."""
    recs = I.tiny()
    recs["Markets"][1].update(min_t_per_yr=300, shortfall_penalty_usd_per_t=100)
    s = solve_records(recs)
    r = s.results
    assert_objective(r, 49_250)
    assert_term(r, "contract_shortfall", -5_000)
    assert_decision(r, "Shortfalls", "shortfall_t_per_yr", 50, node="PORT", commodity="CU")
    assert_decision(r, "Shortfalls", "penalty_usd_per_t", 100, node="PORT", commodity="CU")
