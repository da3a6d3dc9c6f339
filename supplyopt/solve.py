"""The only module that talks to HiGHS (embedded highspy, through Pyomo's HiGHS interface).

`solve(m, options)` returns a `SolveReport`: what HiGHS concluded, the objective and bound,
the gap, and the times. A report says plainly whether the plan is proven optimal, a feasible
plan cut short by a limit, or no plan at all; `require_plan` turns the last into an error.
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

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from supplyopt.errors import InfeasibleError, SolverError


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


def solve(m: pyo.ConcreteModel, options: SolveOptions = SolveOptions()) -> SolveReport:
    """Solve with HiGHS and load the plan into the model when there is one."""
    opt = Highs()
    solver_options = {"random_seed": options.seed, "mip_rel_gap": options.mip_gap}
    if options.time_limit is not None:
        solver_options["time_limit"] = float(options.time_limit)
    if options.threads:
        solver_options["threads"] = int(options.threads)
    tee = [options.log] if options.log is not None else False
    start = time.perf_counter()
    with _interruptible(opt) as interrupted:
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
    if interrupted.is_set():
        status = FEASIBLE if has_solution else NO_SOLUTION
    elif tc == TerminationCondition.convergenceCriteriaSatisfied and has_solution:
        status = OPTIMAL
    elif tc in (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible):
        status = INFEASIBLE
    elif tc == TerminationCondition.unbounded:
        status = UNBOUNDED
    elif tc == TerminationCondition.infeasibleOrUnbounded:
        status = INFEASIBLE if not has_solution else UNBOUNDED
    elif tc == TerminationCondition.error:
        status = ERROR
    elif has_solution:
        status = FEASIBLE
    else:
        status = NO_SOLUTION
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
        solver=f"HiGHS {res.solver_version}" if res.solver_version else "HiGHS",
        sense=sense,
        extra=extra,
    )


@contextlib.contextmanager
def _interruptible(opt: Highs):
    """While HiGHS runs, Ctrl-C asks it to stop (keeping its best plan) instead of raising.

    Python runs the signal handler during HiGHS's interrupt callbacks (Pyomo enables them), and
    cancelSolve makes HiGHS return with its incumbent. Outside the main thread nothing changes."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum, frame):
        flag.set()
        model = getattr(opt, "_solver_model", None)
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
        opt = Highs()
        res = opt.solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False, solver_options={"random_seed": options.seed})
        ok = res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied
        duals = res.solution_loader.get_duals() if ok else {}
        rcs = res.solution_loader.get_reduced_costs() if ok else {}
        if ok:
            res.solution_loader.load_vars()
        slopes = _probe(opt, m, res.incumbent_objective, probes(duals) if (ok and probes) else [])
        report = SolveReport(
            status=OPTIMAL if ok else NO_SOLUTION,
            termination=str(res.termination_condition.name),
            objective=res.incumbent_objective,
            bound=res.objective_bound,
            gap=0.0 if ok else None,
            solve_seconds=float(getattr(res.timing_info, "highs_time", 0.0) or 0.0),
            wall_seconds=0.0,
            solver="HiGHS",
            sense=_sense(m),
        )
    finally:
        for v, domain, bounds in fixed:
            v.unfix()
            v.domain = domain
            v.setlb(bounds[0])
            v.setub(bounds[1])
    return report, duals, rcs, slopes


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
