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
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TextIO

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.common.tee import TeeStream, capture_output
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from supplyopt.errors import InfeasibleError, SolverError
from supplyopt.solve.compile import MatrixForm, NonlinearModelError, compile_model


class _QuietInterrupt(logging.Filter):
    """Pyomo warns about HiGHS's 'interrupt' status, which supplyopt reports itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "kInterrupt" not in record.getMessage()


logging.getLogger("pyomo.contrib.solver.solvers.highs").addFilter(_QuietInterrupt())

# Statuses a planner sees (Summary sheet, terminal, exit code).
OPTIMAL = "optimal"
FEASIBLE = "feasible (not proven optimal)"
INFEASIBLE = "infeasible"
UNBOUNDED = "unbounded"
NO_SOLUTION = "no solution"
ERROR = "solver error"


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float | None = None  # seconds
    mip_gap: float = 1e-4  # relative
    threads: int | None = None
    seed: int = 0
    log: TextIO | None = None  # where HiGHS's log goes (None = silent)
    handoff: str = "direct"  # "direct" (arrays, one call) or "persistent" (Pyomo's interface)


@dataclass
class SolveReport:
    status: str
    termination: str
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float  # HiGHS's own run time
    wall_seconds: float  # the whole call, including Pyomo's hand-off and solution load
    solver: str
    sense: str
    extra: dict = field(default_factory=dict)

    @property
    def has_plan(self) -> bool:
        return self.status in (OPTIMAL, FEASIBLE)

    @property
    def interrupted(self) -> bool:
        return self.termination.startswith("interrupted")

    @property
    def proven_optimal(self) -> bool:
        return self.status == OPTIMAL

    def as_dict(self) -> dict:
        return asdict(self)


def solver_version() -> str:
    import highspy

    h = highspy.Highs()
    return f"HiGHS {h.version()}" if hasattr(h, "version") else "HiGHS"


def _relative_gap(obj: float | None, bound: float | None) -> float | None:
    if obj is None or bound is None or not math.isfinite(obj) or not math.isfinite(bound):
        return None
    return abs(obj - bound) / max(abs(obj), 1e-9) if obj != bound else 0.0


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
    solver_options = {"random_seed": options.seed, "mip_rel_gap": options.mip_gap}
    if options.time_limit is not None:
        solver_options["time_limit"] = float(options.time_limit)
    if options.threads:
        solver_options["threads"] = int(options.threads)
    tee = [options.log] if options.log is not None else False
    start = time.perf_counter()
    with _interruptible(lambda: getattr(opt, "_solver_model", None)) as interrupted:
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
    status = _planner_status(tc.name, has_solution, interrupted.is_set())
    if has_solution:
        res.solution_loader.load_vars()
    wall = time.perf_counter() - start
    obj = res.incumbent_objective if has_solution else None
    bound = res.objective_bound
    sense = _sense(m)
    extra = {k: getattr(res.extra_info, k, None) for k in ("mip_node_count", "simplex_iteration_count")}
    return SolveReport(
        status=status,
        termination="interrupted (Ctrl-C)" if interrupted.is_set() else str(tc.name),
        objective=obj,
        bound=bound,
        gap=_relative_gap(obj, bound) if has_solution else None,
        solve_seconds=float(getattr(res.timing_info, "highs_time", wall) or 0.0),
        wall_seconds=wall,
        solver=f"HiGHS {'.'.join(map(str, res.solver_version))}" if res.solver_version else "HiGHS",
        sense=sense,
        extra=extra,
    )


# HiGHS's model status → the termination names Pyomo's interface uses (so both routes report alike).
_TERMINATION = {
    "kOptimal": "convergenceCriteriaSatisfied",
    "kInfeasible": "provenInfeasible",
    "kUnboundedOrInfeasible": "infeasibleOrUnbounded",
    "kUnbounded": "unbounded",
    "kTimeLimit": "maxTimeLimit",
    "kIterationLimit": "iterationLimit",
    "kSolutionLimit": "iterationLimit",
    "kObjectiveBound": "objectiveLimit",
    "kObjectiveTarget": "objectiveLimit",
    "kLoadError": "error",
    "kModelError": "error",
    "kPresolveError": "error",
    "kSolveError": "error",
    "kPostsolveError": "error",
    "kMemoryLimit": "error",
}


def _planner_status(termination: str, has_solution: bool, interrupted: bool) -> str:
    """What a planner is told, from HiGHS's termination and whether it holds a plan."""
    if interrupted:
        return FEASIBLE if has_solution else NO_SOLUTION
    if termination == "convergenceCriteriaSatisfied" and has_solution:
        return OPTIMAL
    if termination in ("provenInfeasible", "locallyInfeasible"):
        return INFEASIBLE
    if termination == "unbounded":
        return UNBOUNDED
    if termination == "infeasibleOrUnbounded":
        return INFEASIBLE if not has_solution else UNBOUNDED
    if termination == "error":
        return ERROR
    return FEASIBLE if has_solution else NO_SOLUTION


def _pass_to_highs(form: MatrixForm, options: SolveOptions, *, mip: bool = True) -> highspy.Highs:
    """A highspy object holding the model (one passModel call) with supplyopt's options."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)  # _run turns the log on inside its capture (no stray banner)
    integrality = form.integer.astype(np.int32) if mip else np.zeros(form.num_col, dtype=np.int32)
    status = h.passModel(
        form.num_col,
        form.num_row,
        form.num_nz,
        int(highspy.MatrixFormat.kRowwise),
        -1 if form.maximise else 1,
        form.offset,
        form.col_cost,
        form.col_lower,
        form.col_upper,
        form.row_lower,
        form.row_upper,
        form.a_start,
        form.a_index,
        form.a_value,
        integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError("HiGHS refused the model (passModel failed): check for NaN or infinite numbers in the input.")
    h.setOptionValue("random_seed", int(options.seed))
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    if options.time_limit is not None:
        h.setOptionValue("time_limit", float(options.time_limit))
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    return h


@contextlib.contextmanager
def _highs_log(log: TextIO | None):
    """HiGHS writes its log from C to the process's stdout: send it to `log` (or nowhere)."""
    if log is None:
        yield
        return
    with capture_output(output=TeeStream(log), capture_fd=True):
        yield


def _run(h: highspy.Highs, options: SolveOptions) -> threading.Event:
    """h.run() with Ctrl-C turned into cancelSolve; returns the 'interrupted' flag."""
    h.HandleKeyboardInterrupt = True
    with _interruptible(lambda: h) as interrupted, _highs_log(options.log):
        h.setOptionValue("output_flag", options.log is not None)
        h.setOptionValue("log_to_console", options.log is not None)
        try:
            h.run()
        except Exception as exc:  # HiGHS failing outright is a solver error, not a crash
            raise SolverError(f"HiGHS failed: {type(exc).__name__}: {exc}") from exc
    return interrupted


def _solve_direct(m: pyo.ConcreteModel, options: SolveOptions) -> SolveReport:
    start = time.perf_counter()
    try:
        form = compile_model(m)
    except NonlinearModelError as exc:
        raise SolverError(f"supplyopt built a nonlinear model, which HiGHS cannot solve: {exc}") from exc
    h = _pass_to_highs(form, options)
    columns, maximise, mip = form.columns, form.maximise, bool(form.integer.any())
    del form  # HiGHS holds its own copy of the matrix: free ours before the search
    interrupted = _run(h, options)
    info = h.getInfo()
    termination = _TERMINATION.get(h.getModelStatus().name, "unknown")
    has_solution = info.primal_solution_status == 2  # 0 none, 1 infeasible, 2 feasible
    status = _planner_status(termination, has_solution, interrupted.is_set())
    obj = info.objective_function_value if has_solution else None
    bound = info.mip_dual_bound if mip else (obj if status == OPTIMAL else None)
    if has_solution:
        _load_columns(columns, h.getSolution().col_value)
    wall = time.perf_counter() - start
    return SolveReport(
        status=status,
        termination="interrupted (Ctrl-C)" if interrupted.is_set() else termination,
        objective=obj,
        bound=bound,
        gap=_relative_gap(obj, bound) if has_solution else None,
        solve_seconds=float(h.getRunTime()),
        wall_seconds=wall,
        solver=f"HiGHS {h.version()}",
        sense="maximise" if maximise else "minimise",
        extra={"mip_node_count": info.mip_node_count, "simplex_iteration_count": info.simplex_iteration_count},
    )


def _load_columns(columns: list, values) -> None:
    """Write HiGHS's column values back into the Pyomo variables (fixed ones keep theirs)."""
    for v, x in zip(columns, values):
        if not v.fixed:
            v.set_value(x, skip_validation=True)


@contextlib.contextmanager
def _interruptible(highs: Callable[[], object | None]):
    """While HiGHS runs, Ctrl-C asks it to stop (keeping its best plan) instead of raising.

    Python runs the signal handler while highspy waits for its solver thread
    (`HandleKeyboardInterrupt`), and cancelSolve makes HiGHS return with its incumbent.
    `highs()` gives the highspy object once it exists. Outside the main thread nothing changes."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum, frame):
        flag.set()
        model = highs()
        if model is not None:
            model.cancelSolve()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _sense(m: pyo.ConcreteModel) -> str:
    obj = next(m.component_data_objects(pyo.Objective, active=True))
    return "maximise" if obj.sense == pyo.maximize else "minimise"


def require_plan(report: SolveReport) -> None:
    """Raise when the report carries no usable plan (infeasible, unbounded, error, nothing found)."""
    if report.status == INFEASIBLE:
        raise InfeasibleError("The model is infeasible: no plan meets every contract minimum, production minimum and capacity.")
    if report.status == UNBOUNDED:
        raise SolverError("The model is unbounded: some revenue can grow without limit (a market without a maximum fed by a mine without one?).")
    if not report.has_plan:
        if report.termination == "maxTimeLimit":
            raise SolverError("HiGHS reached the time limit before finding any plan; try a longer --time-limit.")
        raise SolverError(
            f"HiGHS stopped ({report.termination}) without finding any plan. This usually means numerical trouble: "
            "check for very large or very small numbers (capacities, costs, yields) in the input."
        )


class LineLog(io.TextIOBase):
    """File-like sink that hands each complete HiGHS log line to a callback (for progress)."""

    def __init__(self, callback):
        self._buf = ""
        self._cb = callback

    def write(self, s: str) -> int:
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            self._cb(line)
        return len(s)

    def flush(self) -> None:
        pass


def timed(fn, *args, **kwargs):
    """(result, seconds) of a call, for the report's stage timings."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


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
    h = _pass_to_highs(form, quiet, mip=False)
    _run(h, quiet)
    termination = _TERMINATION.get(h.getModelStatus().name, "unknown")
    ok = termination == "convergenceCriteriaSatisfied"
    objective = h.getInfo().objective_function_value if ok else None
    duals: dict = {}
    rcs = ComponentMap()
    slopes: dict = {}
    if ok:
        sol = h.getSolution()
        _load_columns(form.columns, sol.col_value)
        rows = form.rows
        duals = dict(zip(rows, sol.row_dual))
        rcs.update(zip(form.columns, sol.col_dual))
        row_of = {id(con): i for i, con in enumerate(rows)}
        for con, delta in probes(duals) if probes else []:
            i = row_of[id(con)]
            lower, upper = form.row_lower[i], form.row_upper[i]
            h.changeRowBounds(i, lower, upper + delta)
            h.run()  # warm-started from the previous basis
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                slopes[con] = (h.getInfo().objective_function_value - objective) / delta
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
    return _lp_report(ok, str(res.termination_condition.name), res.incumbent_objective, seconds, _sense(m)), duals, rcs, slopes


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
