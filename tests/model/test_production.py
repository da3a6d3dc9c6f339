"""Mine production (model/production.py): bounds scaled by capacity factors, derived by hand."""

from __future__ import annotations

from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def test_capacity_factor_halves_the_mine():
    """tiny() with the mine at factor 0.5 (CapacityFactors): at most 0.5 × 1,000 = 500 t/yr.
    Per tonne of CONC: exported 100 − 10 − 10 − 5 − 50 = 25; refined 0.25 × 600 − 20 − 10
    − 0.25 × (10 + 5) − 50 = 66.25. 500 t need one module (600 t/yr): 10,000 + 1,000 capex.
    NPV = 500 × 66.25 − 11,000 = 22,125 (> exporting: 500 × 25 = 12,500); mining −25,000.
    The Production table keeps the input's bounds (max 1,000) beside the output."""
    recs = I.tiny()
    recs["CapacityFactors"] = [{"element_type": "mine", "element": "MINE", "factor": 0.5}]
    s = solve_records(recs)
    r = s.results
    assert_objective(r, 22_125)
    assert_decision(r, "Production", "t_per_yr", 500, mine="MINE", commodity="CONC")
    assert_decision(r, "Production", "max_t_per_yr", 1000, mine="MINE", commodity="CONC")
    assert_decision(r, "Refineries", "modules", 1, site="REF")
    assert_term(r, "mining", -25_000)
    assert_plan_valid(r, s.instance)
