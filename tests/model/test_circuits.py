"""Refinery circuits and size options (model/circuits.py), derived by hand on tiny() (r = 0):
per tonne of CONC smelted 66.25 USD, exported 25; opening REF costs 10,000 and each 600 t/yr
module 1,000. SMELT runs on circuit CU, whose size options are S (500 t/yr) and L (800 t/yr)."""

from __future__ import annotations

from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def circuit_tiny(l_capex: float = 1500) -> dict:
    recs = I.tiny()
    recs["Recipes"][0]["circuit"] = "CU"
    recs["CircuitSizes"] = [
        {"site": "REF", "circuit": "CU", "size": "S", "capacity_t_per_yr": 500, "capex_usd": 1000},
        {"site": "REF", "circuit": "CU", "size": "L", "capacity_t_per_yr": 800, "capex_usd": l_capex},
    ]
    return recs


def test_the_circuit_size_limits_what_is_smelted():
    """L (800 t/yr) with two modules (1,200 ≥ 800): 800 × 66.25 + 200 × 25 − 12,000 − 1,500 =
    44,500; S with one module: 500 × 66.25 + 500 × 25 − 11,000 − 1,000 = 33,625."""
    s = solve_records(circuit_tiny())
    assert_objective(s.results, 44_500)
    assert_decision(s.results, "Circuits", "size", "L", site="REF", circuit="CU")
    assert_decision(s.results, "Circuits", "input_t_per_yr", 800, site="REF", circuit="CU")
    assert_decision(s.results, "Sales", "t_per_yr", 200, node="PORT", commodity="CONC")
    assert_term(s.results, "circuit_capex", -1_500)
    assert_plan_valid(s.results, s.instance)


def test_an_expensive_large_size_loses_to_the_small_one():
    """L at 20,000: 58,000 − 12,000 − 20,000 = 26,000 < 33,625 with S (and one module)."""
    s = solve_records(circuit_tiny(l_capex=20_000))
    assert_objective(s.results, 33_625)
    assert_decision(s.results, "Circuits", "size", "S", site="REF", circuit="CU")
    assert_decision(s.results, "Refineries", "modules", 1, site="REF")


def test_one_size_at_most_and_a_recipe_off_the_circuit_uses_only_the_modules():
    """A second recipe SMELT2 (same yield, no circuit, 40 USD/t: 46.25 per tonne) fills the modules
    the circuit leaves. L: 800 × 66.25 + 200 × 46.25 − 13,500 = 48,750. S and L together (1,300
    t/yr, all on SMELT: 66,250 − 14,500 = 51,750) are not allowed; SMELT2 alone: 34,250."""
    recs = circuit_tiny()
    recs["Recipes"].append({"recipe": "SMELT2", "input_commodity": "CONC", "cost_usd_per_t": 40})
    recs["RecipeOutputs"].append({"recipe": "SMELT2", "output_commodity": "CU", "yield": 0.25})
    s = solve_records(recs)
    assert_objective(s.results, 48_750)
    assert_decision(s.results, "Circuits", "size", "L", site="REF", circuit="CU")
    assert_decision(s.results, "Circuits", "input_t_per_yr", 800, site="REF", circuit="CU")
    assert_plan_valid(s.results, s.instance)


def test_a_circuit_without_sizes_and_sizes_without_a_recipe_are_refused():
    import pytest

    from supplyopt.errors import InputError
    from supplyopt.io.memory import instance_from_records

    recs = circuit_tiny()
    recs["Recipes"][0]["circuit"] = "CU_TYPO"
    with pytest.raises(InputError) as e:
        instance_from_records(recs)
    found = {(p.sheet, p.row, p.column) for p in e.value.problems}
    assert ("Recipes", 2, "circuit") in found and ("CircuitSizes", 2, "circuit") in found
