"""What a solve tells: the planner's statuses, `SolveOptions`, `SolveReport`, how HiGHS's
termination maps to a status, and `require_plan` for callers that need a plan."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TextIO

import highspy

from supplyopt.errors import InfeasibleError, SolverError

# Statuses a planner sees (Summary sheet, terminal, exit code).
OPTIMAL = "optimal"
FEASIBLE = "feasible (not proven optimal)"
INFEASIBLE = "infeasible"
UNBOUNDED = "unbounded"
NO_SOLUTION = "no solution"
ERROR = "solver error"
# HiGHS said optimal or feasible, but the plan breaks a row of the unscaled model (solve/verify.py).
NOT_VERIFIED = "plan fails verification (numerical trouble)"


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: limits, threads, seed, where the log goes, and the hand-off route."""

    time_limit: float | None = None  # seconds
    mip_gap: float = 1e-4  # relative
    threads: int | None = None
    seed: int = 0
    log: TextIO | None = None  # where HiGHS's log goes (None = silent)
    handoff: str = "direct"  # "direct" (arrays, one call) or "persistent" (Pyomo's interface)
    scale: bool = True  # direct route: hand HiGHS the model in scaled units (solve/scale.py)
    # A (partial) MIP start: {str(var): value}, e.g. from solve.highs.plan_values (direct route).
    warm_start: Mapping[str, float] | None = None
    highs_options: Mapping[str, object] | None = None  # extra HiGHS options by name (benchmarks/highs_options.py)


@dataclass
class SolveReport:
    """What HiGHS concluded: the planner's status, objective, bound, gap and times."""

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
    max_residual: float | None = None  # largest row/bound violation of the plan, unscaled (solve/verify.py)
    max_relative_residual: float | None = None  # the same relative to the row's size
    verification: str | None = None  # why the plan failed verification (worst row named), else None

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
    """The HiGHS version, for run metadata."""

    h = highspy.Highs()
    return f"HiGHS {h.version()}" if hasattr(h, "version") else "HiGHS"


def relative_gap(obj: float | None, bound: float | None) -> float | None:
    """|objective - bound| / |objective| (0 when equal; None without finite numbers)."""
    if obj is None or bound is None or not math.isfinite(obj) or not math.isfinite(bound):
        return None
    return abs(obj - bound) / max(abs(obj), 1e-9) if obj != bound else 0.0


# HiGHS's model status → the termination names Pyomo's interface uses (so both routes report alike).
TERMINATION = {
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


def planner_status(termination: str, has_solution: bool, interrupted: bool) -> str:
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


def require_plan(report: SolveReport) -> None:
    """Raise when the report carries no usable plan (infeasible, unbounded, error, nothing found)."""
    if report.status == INFEASIBLE:
        raise InfeasibleError("The model is infeasible: no plan meets every contract minimum, production minimum and capacity.")
    if report.status == UNBOUNDED:
        raise SolverError("The model is unbounded: some revenue can grow without limit (a market without a maximum fed by a mine without one?).")
    if report.status == NOT_VERIFIED:
        raise SolverError(
            f"HiGHS returned a plan that is not valid: {report.verification}. The input mixes numbers too far "
            "apart for HiGHS to tell apart (see the warnings about number ranges): express tiny quantities in a larger unit."
        )
    if not report.has_plan:
        if report.termination == "maxTimeLimit":
            raise SolverError("HiGHS reached the time limit before finding any plan; try a longer --time-limit.")
        raise SolverError(
            f"HiGHS stopped ({report.termination}) without finding any plan. This usually means numerical trouble: "
            "check for very large or very small numbers (capacities, costs, yields) in the input."
        )
