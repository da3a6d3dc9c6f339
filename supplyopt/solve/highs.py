"""The only module that talks to HiGHS (embedded highspy).

`solve(m, options)` returns a `SolveReport`: what HiGHS concluded, the objective and bound,
the gap, and the times. A report says plainly whether the plan is proven optimal, a feasible
plan cut short by a limit, or no plan at all; `require_plan` turns the last into an error.

Two hand-off routes give the same model to HiGHS (`SolveOptions.handoff`):
- "direct" (default): `matrix.compile_model` turns the model into arrays in one walk, one
  `passModel` call hands them over, and the solution is written back column by column. At
  500k columns this is several times faster than the persistent route (benchmarks/README.md).
- "persistent": Pyomo's `pyomo.contrib.solver` HiGHS interface, row by row. Kept as the
  reference the direct route is tested against (tests/test_handoff.py).

The direct route hands HiGHS the model in scaled units (solve/scale.py: mass and money as powers
of two) and unscales the plan exactly; it then checks the plan against the unscaled rows
(solve/verify.py): a plan that breaks a row beyond the stated tolerance gets the status
NOT_VERIFIED, never "optimal". `SolveOptions.warm_start` gives HiGHS a MIP start
(solve/warm_start.py; `plan_values(m)` makes one from a solved model).
"""

from __future__ import annotations

import time

import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus
from pyomo.contrib.solver.solvers.highs import Highs

from supplyopt.errors import SolverError
from supplyopt.solve.compile import NonlinearModelError, compile_model
from supplyopt.solve.fixed_lp import solve_fixed_lp
from supplyopt.solve.highs_run import MIP_DEFAULTS, interruptible, load_columns, objective_sense, pass_to_highs, run_highs
from supplyopt.solve.pyomo_internals import persistent_highs_model
from supplyopt.solve.report import (
    ERROR,
    FEASIBLE,
    INFEASIBLE,
    NO_SOLUTION,
    NOT_VERIFIED,
    OPTIMAL,
    TERMINATION,
    UNBOUNDED,
    SolveOptions,
    SolveReport,
    planner_status,
    relative_gap,
    require_plan,
    solver_version,
)
from supplyopt.solve.scale import Scaling, choose_scaling, scale_form, unscale_columns, unscale_objective
from supplyopt.solve.verify import verify_plan
from supplyopt.solve.warm_start import plan_values, set_start

__all__ = [
    "ERROR",
    "FEASIBLE",
    "HANDOFFS",
    "INFEASIBLE",
    "NO_SOLUTION",
    "NOT_VERIFIED",
    "OPTIMAL",
    "UNBOUNDED",
    "SolveOptions",
    "SolveReport",
    "plan_values",
    "require_plan",
    "solve",
    "solve_fixed_lp",
    "solver_version",
]


HANDOFFS = ("direct", "persistent")


def solve(m: pyo.ConcreteModel, options: SolveOptions = SolveOptions()) -> SolveReport:
    """Solve with HiGHS and load the plan into the model when there is one."""
    if options.handoff == "direct":
        return _solve_direct(m, options)
    if options.handoff != "persistent":
        raise ValueError(f"unknown hand-off {options.handoff!r}: use one of {', '.join(HANDOFFS)}")
    return _solve_persistent(m, options)


def _solve_persistent(m: pyo.ConcreteModel, options: SolveOptions) -> SolveReport:
    opt = Highs()
    solver_options = {"random_seed": options.seed, "mip_rel_gap": options.mip_gap, **MIP_DEFAULTS, **(options.highs_options or {})}
    if options.time_limit is not None:
        solver_options["time_limit"] = float(options.time_limit)
    if options.threads:
        solver_options["threads"] = int(options.threads)
    tee = [options.log] if options.log is not None else False
    start = time.perf_counter()
    with interruptible(lambda: persistent_highs_model(opt)) as interrupted:
        try:
            res = opt.solve(
                m,
                tee=tee,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                solver_options=solver_options,
            )
        except Exception as exc:  # HiGHS or Pyomo failing outright is a solver error, not a crash
            raise SolverError(f"HiGHS failed: {type(exc).__name__}: {exc}") from exc
    tc = res.termination_condition
    has_solution = res.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    status = planner_status(tc.name, has_solution, interrupted.is_set())
    if has_solution:
        res.solution_loader.load_vars()
    wall = time.perf_counter() - start
    obj = res.incumbent_objective if has_solution else None
    bound = res.objective_bound
    sense = objective_sense(m)
    extra = {k: getattr(res.extra_info, k, None) for k in ("mip_node_count", "simplex_iteration_count")}
    return SolveReport(
        status=status,
        termination="interrupted (Ctrl-C)" if interrupted.is_set() else str(tc.name),
        objective=obj,
        bound=bound,
        gap=relative_gap(obj, bound) if has_solution else None,
        solve_seconds=float(getattr(res.timing_info, "highs_time", wall) or 0.0),
        wall_seconds=wall,
        solver=f"HiGHS {'.'.join(map(str, res.solver_version))}" if res.solver_version else "HiGHS",
        sense=sense,
        extra=extra,
    )


def _solve_direct(m: pyo.ConcreteModel, options: SolveOptions) -> SolveReport:
    start = time.perf_counter()
    try:
        form = compile_model(m)
    except NonlinearModelError as exc:
        raise SolverError(f"supplyopt built a nonlinear model, which HiGHS cannot solve: {exc}") from exc
    scaling = choose_scaling(form) if options.scale else Scaling()
    h = pass_to_highs(scale_form(form, scaling), options)  # the scaled copy is HiGHS's now: not kept
    extra: dict = {"mass_unit_t": 1 / scaling.mass, "money_unit_usd": 1 / scaling.money}
    if options.warm_start:
        extra["warm_start_columns"] = set_start(h, form, scaling, options.warm_start)
    maximise, mip = form.maximise, bool(form.integer.any())
    interrupted = run_highs(h, options)
    info = h.getInfo()
    termination = TERMINATION.get(h.getModelStatus().name, "unknown")
    has_solution = info.primal_solution_status == 2  # 0 none, 1 infeasible, 2 feasible
    status = planner_status(termination, has_solution, interrupted.is_set())
    obj = unscale_objective(scaling, info.objective_function_value) if has_solution else None
    bound = unscale_objective(scaling, info.mip_dual_bound) if mip else (obj if status == OPTIMAL else None)
    residual: dict = {}
    if has_solution:
        x = unscale_columns(form, scaling, h.getSolution().col_value)
        check = verify_plan(form, x, scaling.mass)
        residual = {"max_residual": check.max_abs, "max_relative_residual": check.max_rel}
        if not check.ok:
            status, residual["verification"] = NOT_VERIFIED, check.message()
        else:  # integer columns are within INT_TOL of an integer: load the integer (no 5e-17 builds)
            x[form.integer] = np.round(x[form.integer])
        load_columns(form.columns, x)
    del form
    wall = time.perf_counter() - start
    extra.update(mip_node_count=info.mip_node_count, simplex_iteration_count=info.simplex_iteration_count)
    return SolveReport(
        status=status,
        termination="interrupted (Ctrl-C)" if interrupted.is_set() else termination,
        objective=obj,
        bound=bound,
        gap=relative_gap(obj, bound) if has_solution else None,
        solve_seconds=float(h.getRunTime()),
        wall_seconds=wall,
        solver=f"HiGHS {h.version()}",
        sense="maximise" if maximise else "minimise",
        extra=extra,
        **residual,
    )
