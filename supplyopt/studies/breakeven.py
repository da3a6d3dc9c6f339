"""Breakeven: for each uncertain parameter, the value at which the design decision changes.

The design decision of a plan is which refinery sites open and which corridor upgrades are
built (`Decision`); module counts and timing are reported in the points but do not count as a
flip. For a parameter with range [low, high] (an Uncertainties row, or a `--parameter` row in
the Scenarios syntax) the study

1. solves the input with the parameter at `points` evenly spaced values of [low, high] and at
   its base value (scale → 1, add → 0, set → the input's cell) when that lies inside;
2. for every pair of neighbouring values whose decisions differ, bisects: the midpoint is
   solved and replaces the end whose decision it shares (a third decision replaces the upper
   end), until the bracket is narrower than `tolerance` × (high − low).

A flip between two grid points that flips back before the next one is not seen: raise
`points` to look closer. Each point is an independent solve (`run_scenario` on the changed
Instance): the Pakistan model builds in well under a second against ~10 s in HiGHS, so reusing
one built model would save little, and a rebuild is right for any change (bounds, costs, sets).
Reads and writes no files; `supplyopt.io.breakeven_workbook` writes the workbook.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from supplyopt.errors import InfeasibleError, InputError, Problem
from supplyopt.inputs.coerce import is_blank
from supplyopt.inputs.overrides import STAR, Override, parse_key
from supplyopt.inputs.scenarios import apply_overrides, uncertain_parameters
from supplyopt.schema import TABLES_BY_NAME
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.scenario_run import run_scenario

PARAMETER_OPTION = "--parameter"
PARAMETER_SYNTAX = "'[name:] table; key; column; operation; low; high'"
TABLE_COLUMNS = [
    "parameter",
    "base_value",
    "threshold",
    "decision_below",
    "decision_above",
    "npv_below_usd",
    "npv_above_usd",
    "bracket_low",
    "bracket_high",
    "low",
    "high",
    "npv_at_low_usd",
    "npv_at_base_usd",
    "npv_at_high_usd",
    "solves",
    "statement",
]


@dataclass(frozen=True)
class Decision:
    """The design of a plan: sites opened and upgrades built (or why there is no plan)."""

    sites: tuple[str, ...] = ()
    upgrades: tuple[str, ...] = ()
    failure: str = ""  # 'infeasible', 'input error', ... when there is no plan

    def describe(self) -> str:
        if self.failure:
            return self.failure
        sites = f"refinery at {', '.join(self.sites)}" if self.sites else "no refinery"
        return sites + (f"; upgrades {', '.join(self.upgrades)}" if self.upgrades else "")


@dataclass(frozen=True)
class BreakevenParameter:
    """A parameter to search: its changes (value filled in per point), range and base value."""

    name: str
    overrides: tuple[Override, ...]
    low: float
    high: float
    base: float | None
    description: str = ""


@dataclass(frozen=True)
class Point:
    parameter: str
    value: float
    decision: Decision
    status: str
    npv_usd: float | None
    modules: str = ""
    error: str = ""


@dataclass
class Flip:
    """Where the decision changes: below ≤ threshold ≤ above, the two solved ends."""

    below: Point
    above: Point

    @property
    def threshold(self) -> float:
        return 0.5 * (self.below.value + self.above.value)


@dataclass
class ParameterResult:
    parameter: BreakevenParameter
    points: list[Point]
    flips: list[Flip] = field(default_factory=list)

    def at(self, value: float | None) -> Point | None:
        return None if value is None else next((p for p in self.points if math.isclose(p.value, value, rel_tol=0, abs_tol=1e-12)), None)


@dataclass
class BreakevenResult:
    base: Point
    parameters: list[ParameterResult]
    tolerance: float

    def table(self) -> pd.DataFrame:
        """One row per flip (a parameter that never flips: one row saying so)."""
        rows = []
        for r in self.parameters:
            p = r.parameter
            low, high, base = r.at(p.low), r.at(p.high), r.at(p.base)
            common = {
                "parameter": p.name,
                "base_value": p.base,
                "low": p.low,
                "high": p.high,
                "npv_at_base_usd": None if base is None else base.npv_usd,
                "npv_at_low_usd": None if low is None else low.npv_usd,
                "npv_at_high_usd": None if high is None else high.npv_usd,
                "solves": len(r.points),
            }
            if not r.flips:
                d = low.decision.describe() if low is not None else ""
                rows.append({**common, "decision_below": d, "decision_above": d, "statement": f"never flips within {p.low:g}..{p.high:g}: {d} throughout"})
            for f in r.flips:
                rows.append(
                    {
                        **common,
                        "threshold": f.threshold,
                        "bracket_low": f.below.value,
                        "bracket_high": f.above.value,
                        "decision_below": f.below.decision.describe(),
                        "decision_above": f.above.decision.describe(),
                        "npv_below_usd": f.below.npv_usd,
                        "npv_above_usd": f.above.npv_usd,
                        "statement": threshold_statement(p, f),
                    }
                )
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def points_table(self) -> pd.DataFrame:
        rows = [
            {
                "parameter": p.parameter,
                "value": p.value,
                "status": p.status,
                "npv_usd": p.npv_usd,
                "decision": p.decision.describe(),
                "modules": p.modules,
                "error": p.error,
            }
            for r in self.parameters
            for p in sorted(r.points, key=lambda q: q.value)
        ]
        return pd.DataFrame(rows, columns=["parameter", "value", "status", "npv_usd", "decision", "modules", "error"])


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _base_value(inst, overrides: Sequence[Override]) -> float | None:
    """The parameter's value that leaves the input as it is: 1 for scale, 0 for add, the first
    matching cell for set (None when that cell is blank or not a number)."""
    op = (overrides[0].operation or "set").lower()
    if op == "scale":
        return 1.0
    if op == "add":
        return 0.0
    ov = overrides[0]
    table = TABLES_BY_NAME.get(ov.table)
    df = inst.tables.get(ov.table)
    if table is None or df is None:
        return None
    if ov.table == "Settings":
        v = inst.settings.get(str(ov.key).strip())
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    parts, _ = parse_key(table, ov.key, inst.tables)
    if parts is None or ov.column not in df.columns:
        return None
    for rec in df.to_dict("records"):
        if all(p == STAR or (None if is_blank(rec[n]) else rec[n]) == p for n, p in zip(table.key, parts)):
            v = rec[ov.column]
            return None if is_blank(v) else float(v)
    return None


def parameters_from_uncertainties(inst) -> list[BreakevenParameter]:
    """The Uncertainties sheet's parameters, each over its low..high (choice: its values' range;
    normal without bounds: mode ± 3 sd)."""
    out = []
    for p in uncertain_parameters(inst):
        if p.distribution == "choice":
            low, high = min(p.values), max(p.values)
        else:
            low = p.low if p.low is not None else p.mode - 3 * p.sd
            high = p.high if p.high is not None else p.mode + 3 * p.sd
        out.append(BreakevenParameter(p.name, p.overrides, float(low), float(high), _base_value(inst, p.overrides), p.description))
    return out


def parse_parameter_option(inst, text: str, index: int = 1) -> BreakevenParameter:
    """A `--parameter` value: '[name:] table; key; column; operation; low; high' (the Scenarios
    columns, with a range for the value). InputError naming the option when it does not parse."""

    def bad(msg: str) -> InputError:
        return InputError([Problem(PARAMETER_OPTION, index, None, f"'{text}': {msg}; write {PARAMETER_SYNTAX}")])

    name, _, rest = text.partition(":") if ":" in text.split(";")[0] else ("", "", text)
    parts = [s.strip() for s in rest.split(";")]
    if len(parts) != 6:
        raise bad(f"{len(parts)} fields, 6 needed")
    table, key, column, operation, low_text, high_text = parts
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise bad("low and high must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise bad("low must be below high")
    spec = TABLES_BY_NAME.get(table)
    kind = next((c.type for c in spec.columns if c.name == column), None) if spec is not None else None
    if kind == "int":  # bisection needs every value in between; a whole-number column has none
        raise bad(f"column '{column}' holds whole numbers, which cannot be bisected; compare its values as scenarios instead")
    name = name.strip() or f"{table}[{key}].{column} {operation}"
    ov = Override(table, key or None, column, operation or "set", low, sheet=PARAMETER_OPTION, row=index, label=name)
    apply_overrides(inst, [ov])  # InputError now, naming the option, if the change does not apply
    return BreakevenParameter(name, (ov,), low, high, _base_value(inst, (ov,)))


def parse_parameter_options(inst, texts: Sequence[str]) -> list[BreakevenParameter]:
    """`--parameter` values in order; options with the same name are one parameter whose changes
    move together (e.g. open and module capex), and must give the same low and high."""
    merged: dict[str, BreakevenParameter] = {}
    for i, text in enumerate(texts, start=1):
        p = parse_parameter_option(inst, text, i)
        first = merged.get(p.name)
        if first is None:
            merged[p.name] = p
            continue
        if (first.low, first.high) != (p.low, p.high):
            raise InputError(
                [Problem(PARAMETER_OPTION, i, None, f"'{text}': parameter '{p.name}' was given the range {first.low:g}..{first.high:g} before; repeat it")]
            )
        merged[p.name] = dataclasses.replace(first, overrides=first.overrides + p.overrides)
    return list(merged.values())


# ---------------------------------------------------------------------------------------------
# Solving one point
# ---------------------------------------------------------------------------------------------


def decision_of(results) -> tuple[Decision, str]:
    """(Decision, modules in the last period 'SITE×n, ...') of a solved plan."""
    ref = results.tables.get("Refineries")
    sites: list[str] = []
    modules = ""
    if ref is not None and len(ref):
        sites = sorted(set(ref.loc[ref["open"] == 1, "site"]))
        last = ref[(ref["period"] == ref["period"].iloc[-1]) & (ref["modules"] > 0)]
        modules = ", ".join(f"{s}×{int(m)}" for s, m in zip(last["site"], last["modules"]))
    up = results.tables.get("Upgrades")
    upgrades = sorted(str(u) for u, b in zip(up["upgrade"], up["built"]) if bool(b)) if up is not None and len(up) else []
    return Decision(tuple(sites), tuple(upgrades)), modules


def solve_point(inst, param: BreakevenParameter | None, value: float | None, options: SolveOptions) -> Point:
    """Solve the input with `param` at `value` (None: the input as it is)."""
    name = "base" if param is None else param.name
    try:
        s_inst = inst if param is None else apply_overrides(inst, [dataclasses.replace(o, value=value) for o in param.overrides])
    except InputError as exc:
        return Point(name, value, Decision(failure="input error"), "input error", None, error="; ".join(str(p) for p in exc.problems))
    return point_of(name, value, run_scenario(s_inst, None, options))


def point_of(name: str, value: float | None, done) -> Point:
    """The Point of a finished `run_scenario` (a failure is its decision)."""
    if done.error is not None:
        kind = "infeasible" if isinstance(done.error, InfeasibleError) else type(done.error).__name__
        return Point(name, value, Decision(failure=kind), kind, None, error=str(done.error))
    decision, modules = decision_of(done.results)
    summary = done.results.summary
    return Point(name, value, decision, str(summary.get("status")), summary.get("npv_usd"), modules)


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------

OnPoint = Callable[[Point], None]


def search_parameter(
    inst,
    param: BreakevenParameter,
    options: SolveOptions,
    points: int = 5,
    tolerance: float = 0.01,
    base_point: Point | None = None,
    on_point: OnPoint | None = None,
) -> ParameterResult:
    """Grid of `points` values over [low, high] (+ the base value), then bisection of every
    bracket whose ends differ in decision, to a bracket ≤ tolerance × (high − low)."""
    if points < 2:
        raise ValueError("points must be ≥ 2")
    step = (param.high - param.low) / (points - 1)
    values = {param.low + k * step for k in range(points - 1)} | {param.high}
    result = ParameterResult(param, [])

    def solve(v: float) -> Point:
        known = result.at(v)
        if known is not None:
            return known
        if base_point is not None and param.base is not None and math.isclose(v, param.base, rel_tol=0, abs_tol=1e-12):
            p = dataclasses.replace(base_point, parameter=param.name, value=v)
        else:
            p = solve_point(inst, param, v, options)
        result.points.append(p)
        if on_point:
            on_point(p)
        return p

    if param.base is not None and param.low <= param.base <= param.high:
        values.add(param.base)
    grid = [solve(v) for v in sorted(values)]
    width = tolerance * (param.high - param.low)
    # A bracket can hold more than one flip (none → one site → three sites as a price falls): a
    # midpoint that differs from both ends splits it into two brackets, each searched on.
    brackets = [(lo, hi) for lo, hi in zip(grid, grid[1:]) if lo.decision != hi.decision]
    while brackets:
        lo, hi = brackets.pop(0)
        if hi.value - lo.value <= width:
            result.flips.append(Flip(lo, hi))
            continue
        mid = solve(0.5 * (lo.value + hi.value))
        brackets[:0] = [(a, b) for a, b in ((lo, mid), (mid, hi)) if a.decision != b.decision]
    result.flips.sort(key=lambda f: f.below.value)
    return result


def breakeven(
    inst,
    params: Sequence[BreakevenParameter],
    options: SolveOptions = SolveOptions(),
    *,
    points: int = 5,
    tolerance: float = 0.01,
    on_point: OnPoint | None = None,
) -> BreakevenResult:
    """Search every parameter (see the module docstring). The base input is solved first; a base
    without a plan is raised (there is no decision to flip)."""
    if not params:
        raise InputError([Problem("Uncertainties", None, None, f"no parameters: fill the Uncertainties sheet or give {PARAMETER_OPTION} {PARAMETER_SYNTAX}")])
    if not 0 < tolerance < 1:
        raise ValueError("tolerance must lie in (0, 1)")
    done = run_scenario(inst, None, options)
    if done.error is not None:
        raise done.error
    base = point_of("base", None, done)
    if on_point:
        on_point(base)
    results = [search_parameter(inst, p, options, points, tolerance, base, on_point) for p in params]
    return BreakevenResult(base, results, tolerance)


def threshold_statement(param: BreakevenParameter, flip: Flip) -> str:
    """The flip as a planner would quote it."""
    t = flip.threshold
    return f"{flip.below.decision.describe()} while {param.name} ≤ {t:.4g}; {flip.above.decision.describe()} above it"
