"""The two hand-off routes to HiGHS (solve.py): "direct" (matrix.compile_model → one passModel
call) and "persistent" (Pyomo's HiGHS interface). Both must give the same plans and duals;
the direct route's arrays are checked entry by entry on a model small enough to write by hand.
(The synthetic S instance through both routes: tests/test_generate.py.)"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
from model_asserts import EXACT, solve_records
from test_shadow_prices import planned_rail, price

import instances as I
from supplyopt.errors import SolverError
from supplyopt.model.arrays import matrix_rows
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve
from supplyopt.studies.diagnose import shadow_prices

ROUTES = ["direct", "persistent"]


def hand_model() -> pyo.ConcreteModel:
    """max 3x + y + z + 10 with z fixed at 2, x ∈ [0, 4], y ∈ {−2, …, 3} integer:

        c1: 1 ≤ x + 2y + 3 ≤ 9     → −2 ≤ x + 2y ≤ 6       (ranged, constant moved out)
        c2: x − z ≥ 0              →  x ≥ 2                  (fixed z is a constant)
        c3[a]: x + y + x ≤ 8       →  2x + y ≤ 8             (array rows; repeated x summed)
        c3[b]: (no terms)          →  dropped
        c3[c]: 5y ≤ 10

    Objective 3x + y + 12. With x = 4, 2x + y ≤ 8 gives y ≤ 0; raising y by 1 costs x ½,
    net −½: optimum x = 4, y = 0, objective 24."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.y = pyo.Var(within=pyo.Integers, bounds=(-2, 3))
    m.z = pyo.Var()
    m.z.fix(2)
    m.c1 = pyo.Constraint(expr=pyo.inequality(1, m.x + 2 * m.y + 3, 9))
    m.c2 = pyo.Constraint(expr=m.x - m.z >= 0)
    m.c3 = matrix_rows(["a", "b", "c"], [m.x, m.y], np.array([0, 0, 2, 0]), np.array([0, 1, 1, 0]), np.array([1.0, 1.0, 5.0, 1.0]), None, [8.0, 9.0, 10.0])
    m.obj = pyo.Objective(expr=3 * m.x + m.y + m.z + 10, sense=pyo.maximize)
    return m


def test_compiled_arrays_match_the_hand_written_model():
    m = hand_model()
    assert list(m.c3) == ["a", "c"] and "b" not in m.c3 and m.c3["c"].upper == 10
    f = compile_model(m)
    assert [v.name for v in f.columns] == ["x", "y", "z"]
    assert f.col_lower.tolist() == [0, -2, 2] and f.col_upper.tolist() == [4, 3, 2]
    assert f.integer.tolist() == [False, True, False]
    assert f.col_cost.tolist() == [3, 1, 0] and f.offset == 12 and f.maximise
    assert [c.name for c in f.rows] == ["c1", "c2", "c3[a]", "c3[c]"]
    assert f.row_lower.tolist() == [-2, 2, -math.inf, -math.inf]
    assert f.row_upper.tolist() == [6, math.inf, 8, 10]
    dense = np.zeros((f.num_row, f.num_col))
    for i in range(f.num_row):
        for k in range(f.a_start[i], f.a_start[i + 1]):
            dense[i, f.a_index[k]] += f.a_value[k]
    assert dense.tolist() == [[1, 2, 0], [1, 0, 0], [2, 1, 0], [0, 5, 0]]


@pytest.mark.parametrize("route", ROUTES)
def test_hand_model_solves_alike_on_both_routes(route):
    m = hand_model()
    report = solve(m, replace(EXACT, handoff=route))
    assert report.status == OPTIMAL and report.objective == pytest.approx(24)
    assert (pyo.value(m.x), pyo.value(m.y), pyo.value(m.z)) == pytest.approx((4, 0, 2))
    assert pyo.value(m.obj) == pytest.approx(24)


def test_nonlinear_model_is_a_solver_error_naming_the_row():
    m = hand_model()
    m.bad = pyo.Constraint(expr=m.x * m.y <= 3)
    with pytest.raises(SolverError, match="bad is not linear"):
        solve(m, EXACT)


def test_unknown_route_is_refused():
    with pytest.raises(ValueError, match="unknown hand-off"):
        solve(hand_model(), SolveOptions(handoff="lp-file"))


@pytest.mark.parametrize(
    "records, objective",
    [(I.refine_or_export(), 97_600), (I.facility_location(), 6_150), (I.fixed_charge_network(), 610), (I.co_products(), None)],
    ids=["refine_or_export", "facility_location", "fixed_charge_network", "co_products"],
)
def test_named_instances_agree_across_routes(records, objective):
    """Same objective (hand-derived where given) and the same plan on both routes."""
    direct = solve_records(records, replace(EXACT, handoff="direct"))
    persistent = solve_records(records, replace(EXACT, handoff="persistent"))
    assert direct.report.status == persistent.report.status == OPTIMAL
    assert direct.report.objective == pytest.approx(persistent.report.objective, rel=1e-9)
    if objective is not None:
        assert direct.report.objective == pytest.approx(objective)
    for name in ("Refineries", "Upgrades", "Sales"):
        pd.testing.assert_frame_equal(direct.results[name], persistent.results[name], check_exact=False, atol=1e-6)


@pytest.mark.parametrize("route", ROUTES)
def test_shadow_prices_agree_across_routes(route):
    """planned_rail (test_shadow_prices.py): RAIL's next 1,000 t/yr is worth 40 USD/t (probed),
    ROAD's capacity 35 USD/t (its dual), whichever route gives HiGHS the model."""
    options = replace(EXACT, handoff=route)
    s = solve_records(planned_rail(), options)
    prices = shadow_prices(s.model, options)
    assert price(prices, "corridor_capacity", "base | RAIL | P1")["npv_per_unit_usd"] == pytest.approx(40)
    assert price(prices, "corridor_capacity", "base | ROAD | P1")["npv_per_unit_usd"] == pytest.approx(35)


def test_both_routes_name_the_same_solver():
    reports = [solve(hand_model(), replace(EXACT, handoff=route)) for route in ROUTES]
    assert reports[0].solver == reports[1].solver and reports[0].solver.startswith("HiGHS 1.")
