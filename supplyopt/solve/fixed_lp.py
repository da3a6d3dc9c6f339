"""The LP with every integer variable fixed at its value: duals, reduced costs and probed
slopes for shadow prices and diagnosis (`solve_fixed_lp`)."""

from __future__ import annotations

from collections.abc import Callable

import highspy
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from supplyopt.model.tightening import without_cuts
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs_run import load_columns, objective_sense, pass_to_highs, run_highs
from supplyopt.solve.report import NO_SOLUTION, OPTIMAL, TERMINATION, SolveOptions, SolveReport
from supplyopt.solve.scale import Scaling, choose_scaling, scale_form, unscale_columns, unscale_objective, unscale_reduced_costs, unscale_row_duals


def solve_fixed_lp(
    m: pyo.ConcreteModel, options: SolveOptions = SolveOptions(), probes: Callable[[dict], list[tuple[object, float]]] | None = None
) -> tuple[SolveReport, dict, dict, dict]:
    """Fix every integer variable at its (rounded) value, solve the remaining LP and return
    (report, duals by constraint, reduced costs by variable, probed slopes). Duals are
    ∂objective/∂rhs in the objective's own sense. `probes(duals)` may name (≤ constraint, δ)
    pairs: each is re-solved with its upper bound raised by δ (HiGHS keeps the model and warm
    starts) and its slope Δobjective/δ returned. The integer variables are unfixed afterwards."""
    fixed = []
    for v in m.component_data_objects(pyo.Var, active=True):
        if v.is_integer() and not v.fixed:
            # HiGHS keeps fixed columns, so relax integrality too, or it still solves a MIP (no duals).
            fixed.append((v, v.domain, v.bounds))
            value = round(pyo.value(v, exception=False) or 0.0)
            v.domain = pyo.Reals
            v.fix(value)
    try:
        route = _fixed_lp_direct if options.handoff == "direct" else _fixed_lp_persistent
        with without_cuts(m):  # the fixed design's duals belong to the rows the cuts strengthen
            return route(m, options, probes)
    finally:
        for v, domain, bounds in fixed:
            v.unfix()
            v.domain = domain
            v.setlb(bounds[0])
            v.setub(bounds[1])


def _lp_report(ok: bool, termination: str, objective: float | None, seconds: float, sense: str) -> SolveReport:
    return SolveReport(
        status=OPTIMAL if ok else NO_SOLUTION,
        termination=termination,
        objective=objective,
        bound=objective if ok else None,
        gap=0.0 if ok else None,
        solve_seconds=seconds,
        wall_seconds=0.0,
        solver="HiGHS",
        sense=sense,
    )


def _fixed_lp_direct(m: pyo.ConcreteModel, options: SolveOptions, probes) -> tuple[SolveReport, dict, dict, dict]:
    form = compile_model(m)
    quiet = SolveOptions(seed=options.seed, handoff=options.handoff)
    sc = choose_scaling(form) if options.scale else Scaling()  # in the units of the MILP solve, unscaled exactly
    h = pass_to_highs(scale_form(form, sc), quiet, mip=False)
    run_highs(h, quiet)
    termination = TERMINATION.get(h.getModelStatus().name, "unknown")
    ok = termination == "convergenceCriteriaSatisfied"
    objective = unscale_objective(sc, h.getInfo().objective_function_value) if ok else None
    duals: dict = {}
    rcs = ComponentMap()
    slopes: dict = {}
    if ok:
        sol = h.getSolution()
        load_columns(form.columns, unscale_columns(form, sc, sol.col_value))
        rows = form.rows
        duals = dict(zip(rows, unscale_row_duals(sc, sol.row_dual).tolist()))
        rcs.update(zip(form.columns, unscale_reduced_costs(form, sc, sol.col_dual).tolist()))
        row_of = {id(con): i for i, con in enumerate(rows)}
        for con, delta in probes(duals) if probes else []:
            i = row_of[id(con)]
            lower, upper = form.row_lower[i] * sc.mass, form.row_upper[i] * sc.mass
            h.changeRowBounds(i, lower, upper + delta * sc.mass)
            h.run()  # warm-started from the previous basis
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                slopes[con] = (unscale_objective(sc, h.getInfo().objective_function_value) - objective) / delta
            h.changeRowBounds(i, lower, upper)
    sense = "maximise" if form.maximise else "minimise"
    return _lp_report(ok, termination, objective, float(h.getRunTime()), sense), duals, rcs, slopes


def _fixed_lp_persistent(m: pyo.ConcreteModel, options: SolveOptions, probes) -> tuple[SolveReport, dict, dict, dict]:
    opt = Highs()
    res = opt.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False, solver_options={"random_seed": options.seed})
    ok = res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied
    duals = res.solution_loader.get_duals() if ok else {}
    rcs = res.solution_loader.get_reduced_costs() if ok else {}
    if ok:
        res.solution_loader.load_vars()
    slopes = _probe(opt, m, res.incumbent_objective, probes(duals) if (ok and probes) else [])
    seconds = float(getattr(res.timing_info, "highs_time", 0.0) or 0.0)
    return _lp_report(ok, str(res.termination_condition.name), res.incumbent_objective, seconds, objective_sense(m)), duals, rcs, slopes


def _probe(opt: Highs, m: pyo.ConcreteModel, base: float, probes: list[tuple[object, float]]) -> dict:
    """Objective slope for each (constraint, δ): re-solve with upper + δ, then restore."""
    slopes = {}
    for con, delta in probes:
        lower, upper = con.lower, con.upper
        con.set_value((lower, con.body, upper + delta))
        try:
            r = opt.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False)
            if r.termination_condition == TerminationCondition.convergenceCriteriaSatisfied:
                slopes[con] = (r.incumbent_objective - base) / delta
        finally:
            con.set_value((lower, con.body, upper))
    return slopes
