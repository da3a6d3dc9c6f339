"""The tightening family on the real Pakistan instance (instances/pakistan_base.xlsx): the weak
formulation's optimal plan satisfies every row and bound of the tight one (so no valid
inequality cuts it off), both formulations reach the same optimum within the MIP gap, and the
tight LP relaxation is no weaker and still above that optimum (the problem is a maximisation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from supplyopt.io.read import read_input
from supplyopt.model import build_model
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs import SolveOptions, solve
from supplyopt.solve.highs_run import pass_to_highs

PAKISTAN = Path(__file__).resolve().parents[2] / "instances" / "pakistan_base.xlsx"
GAP = 1e-4  # supplyopt's default mip_rel_gap: each run may stop at any plan within it
OPTIONS = SolveOptions(mip_gap=GAP, threads=1)


def _lp(form) -> float:
    h = pass_to_highs(form, OPTIONS, mip=False)
    h.run()
    return h.getInfo().objective_function_value


@pytest.mark.slow
def test_pakistan_weak_plan_is_feasible_for_the_tight_rows_and_optima_agree():
    inst = read_input(PAKISTAN)
    weak, tight = build_model(inst, formulation="weak"), build_model(inst)
    rw = solve(weak, OPTIONS)
    assert rw.status == "optimal"
    plan = {v.name: v.value for v in weak.component_data_objects(pyo.Var)}
    form = compile_model(tight)
    x = np.array([plan[v.name] if plan.get(v.name) is not None else 0.0 for v in form.columns])
    tol = 1e-6 * np.maximum(1.0, np.abs(x))
    assert np.all(x >= form.col_lower - tol) and np.all(x <= form.col_upper + tol), "a tightened bound cuts off the weak plan"
    ax = np.zeros(form.num_row)
    for i in range(form.num_row):
        lo, hi = form.a_start[i], form.a_start[i + 1]
        ax[i] = form.a_value[lo:hi] @ x[form.a_index[lo:hi]]
    scale = 1e-6 * np.maximum(1.0, np.abs(ax))
    assert np.all(ax >= form.row_lower - scale) and np.all(ax <= form.row_upper + scale), "a tight row cuts off the weak plan"
    rt = solve(tight, OPTIONS)
    assert rt.status == "optimal"
    assert rt.objective == pytest.approx(rw.objective, rel=GAP)
    lp_tight, lp_weak = _lp(form), _lp(compile_model(build_model(inst, formulation="weak")))
    assert max(rt.objective, rw.objective) <= lp_tight * (1 + 1e-9) <= lp_weak * (1 + 1e-9)
