"""Cost–risk frontier: how much NPV does each step of risk reduction cost?

Epsilon-constraint on the total horizon risk exposure, probability-weighted over scenarios,

    E(x) = Σ_s π_s · exposure_total_s = Σ_s π_s Σ_p years_p · exposure_{s,p}     (risk.add_exposure)

on one built model, re-solved with a mutable budget ε:

1. the model as given (every constraint and setting of the input) → E_max = E(x*), NPV_max;
2. minimise E(x) under the same constraints → E_min;
3. maximise the model's objective subject to E(x) ≤ ε for `points` values of ε evenly spaced from
   E_max down to E_min, both ends included (`frontier_budget`, a constraint whose right-hand
   side is the mutable Param `frontier_eps`).

Each point records the exposure reached, expected NPV, the objective, the design (sites opened
with period and modules, upgrades built) and HiGHS's status; a point without a plan (time limit)
is reported as such. In objective = npv mode with cvar_weight λ > 0 the objective maximised is
(1 − λ) E[NPV] + λ CVaR; "NPV" columns are always expected NPV. In cost mode the objective is the
discounted cost (minimised).

Monotonicity: a tighter budget can never improve the optimum. With a relative MIP gap g, two
neighbouring points may still be out of order by up to g × |objective|; such pairs are noted as
"within tolerance". A larger reversal means the looser point was not solved to optimality (its
feasible region contains the tighter point's plan); it is reported, not hidden (`monotone`).

Re-solving: the Pyomo model is built once and only the budget row's bound changes between
points; each `supplyopt.solve.highs.solve` call compiles it to arrays and passes them to HiGHS in one
call (about a second per 500k columns, small beside HiGHS's own time).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.instance import Instance
from supplyopt.io.study_sheets import add_summary_sheet, add_table_sheet
from supplyopt.model import build_model
from supplyopt.solve.highs import INFEASIBLE, SolveOptions, require_plan, solve
from supplyopt.studies.design import Design
from supplyopt.studies.runner import SERIAL, RunnerOptions, choose_mode, prestart, run_tasks
from supplyopt.studies.warm import design_values, with_warm_start

__all__ = ["FrontierPoint", "FrontierResult", "frontier", "write_frontier_workbook"]

# Should HiGHS call the last budget, ε = E_min, infeasible (its own minimum-exposure plan meets
# it, so only tolerances can), it is re-solved loosened by this share of E_max (at least this
# much absolute) and the point says so; the reported budget is the nominal ε.
BUDGET_SLACK = 1e-7


@dataclass
class FrontierPoint:
    point: int  # 1 = loosest (E_max) … n = tightest (E_min)
    exposure_budget: float
    status: str
    exposure: float | None
    npv_usd: float | None
    objective: float | None
    npv_given_up_usd: float | None  # NPV_max − NPV
    npv_given_up_per_exposure: float | None  # (NPV_max − NPV) / (E_max − exposure), USD per score·t
    sites: str
    upgrades: str
    gap: float | None
    note: str = ""
    design: Design | None = field(default=None, repr=False)


@dataclass
class FrontierResult:
    points: list[FrontierPoint]
    e_max: float
    e_min: float
    npv_max: float
    objective_max: float
    sense: str  # maximise | minimise
    monotone: bool
    notes: list[str]
    mip_gap: float

    def table(self) -> pd.DataFrame:
        cols = [f.name for f in fields(FrontierPoint) if f.name != "design"]
        rows = [{k: v for k, v in asdict(p).items() if k != "design"} for p in self.points]
        return pd.DataFrame(rows, columns=cols)


def _exposure_expr(m: pyo.ConcreteModel):
    d = m.data
    return pyo.quicksum(d.probability[s] * m.exposure_total[s] for s in d.scenarios)


def _check_monotone(points: list[FrontierPoint], sense: str, gap: float) -> tuple[bool, list[str]]:
    ok, notes = True, []
    prev = None
    for p in points:
        if p.objective is None:
            continue
        if prev is not None:
            better = p.objective - prev.objective if sense == "maximise" else prev.objective - p.objective
            tol = gap * max(abs(p.objective), abs(prev.objective)) + 1e-6 * max(1.0, abs(prev.objective))
            if better > tol:
                ok = False
                msg = (
                    f"point {p.point} (budget {p.exposure_budget:,.6g}) is better than the looser point {prev.point} by {better:,.6g}: "
                    f"point {prev.point} was not solved to optimality (its budget allows point {p.point}'s plan)"
                )
                p.note = msg
                notes.append(msg)
            elif better > 1e-6 * max(1.0, abs(prev.objective)):
                p.note = f"better than point {prev.point} by {better:,.6g}, within the MIP gap tolerance"
        prev = p
    return ok, notes


def _frontier_model(inst: Instance) -> pyo.ConcreteModel:
    """The model with the exposure expression E(x) and the budget row E(x) ≤ frontier_eps (inactive)."""
    m = build_model(inst)
    m.frontier_exposure = pyo.Expression(expr=_exposure_expr(m))
    m.frontier_eps = pyo.Param(mutable=True, initialize=0.0, within=pyo.Reals)
    m.frontier_budget = pyo.Constraint(expr=m.frontier_exposure <= m.frontier_eps)
    m.frontier_budget.deactivate()
    return m


def _solve_point(m: pyo.ConcreteModel, k: int, eps: float, last: bool, e_max: float, npv_max: float, slack: float, options: SolveOptions) -> FrontierPoint:
    """Point k + 1: maximise the objective of `m` with E(x) ≤ eps (see the module docstring)."""
    m.frontier_budget.activate()
    m.frontier_eps.set_value(eps)
    report = solve(m, options)
    loosened = last and report.status == INFEASIBLE
    if loosened:  # E_min's own plan is feasible: HiGHS's tolerances cut it off
        m.frontier_eps.set_value(eps + slack)
        report = solve(m, options)
    if not report.has_plan:
        return FrontierPoint(k + 1, eps, report.status, None, None, None, None, None, "", "", None, note=f"no plan: {report.termination}")
    exposure = float(pyo.value(m.frontier_exposure))
    npv = float(pyo.value(m.npv))
    design = Design.from_model(m)
    reduced = e_max - exposure
    given_up = npv_max - npv
    return FrontierPoint(
        point=k + 1,
        exposure_budget=eps,
        status=report.status,
        exposure=exposure,
        npv_usd=npv,
        objective=report.objective,
        npv_given_up_usd=given_up,
        npv_given_up_per_exposure=given_up / reduced if reduced > slack else None,
        sites=design.describe_sites(),
        upgrades=design.describe_upgrades(),
        gap=report.gap,
        note=f"budget loosened by {slack:.3g} for the solver's feasibility tolerance" if loosened else "",
        design=design,
    )


_WORKER_MODELS: dict[str, pyo.ConcreteModel] = {}  # instance hash → frontier model, built once per worker process


def run_frontier_point(shared: tuple, item: tuple[int, float, bool]) -> FrontierPoint:
    """One point on the task runner: shared = (packed instance, e_max, npv_max, slack, options,
    warm design); the worker builds the frontier model once and re-solves it for each budget."""
    from supplyopt.studies.sweep import unpack_instance

    packed, e_max, npv_max, slack, options, warm = shared
    inst = unpack_instance(packed)
    key = inst.content_hash()
    if key not in _WORKER_MODELS:
        _WORKER_MODELS.clear()
        _WORKER_MODELS[key] = _frontier_model(inst)
    m = _WORKER_MODELS[key]
    k, eps, last = item
    return _solve_point(m, k, eps, last, e_max, npv_max, slack, with_warm_start(options, design_values(m, warm)))


def _failed_point(item: tuple[int, float, bool], exc: BaseException) -> FrontierPoint:
    k, eps, _last = item
    return FrontierPoint(k + 1, eps, "error", None, None, None, None, None, "", "", None, note=f"{type(exc).__name__}: {exc}")


def frontier(
    inst: Instance,
    points: int = 5,
    options: SolveOptions = SolveOptions(),
    on_point: Callable[[str, int, int], None] | None = None,
    runner: RunnerOptions = RunnerOptions(serial=True),
) -> FrontierResult:
    """The cost–risk frontier of `inst` with `points` budgets from E_max to E_min (see the module
    docstring). `on_point(message, i, n)` reports progress after each solve (n = points + 2).
    The two end solves and the middle point run here; the other points on the task runner
    `runner` (serial by default, re-solving the one built model; on a cluster each worker builds
    it once, and the middle point's time decides whether a cluster is worth it), each
    warm-started from the unconstrained plan's design.

    Raises ValueError when points < 2, InfeasibleError/SolverError when the unconstrained or the
    minimum-exposure solve has no plan."""
    if points < 2:
        raise ValueError("a frontier needs at least 2 points (E_max and E_min)")
    total = points + 2
    m = _frontier_model(inst)
    maximise = m.obj.sense == pyo.maximize
    sense = "maximise" if maximise else "minimise"

    t = time.perf_counter()
    report = solve(m, options)
    seconds = time.perf_counter() - t
    require_plan(report)
    e_max = float(pyo.value(m.frontier_exposure))
    npv_max = float(pyo.value(m.npv))
    obj_max = float(report.objective)
    warm = Design.from_model(m)
    warm_options = with_warm_start(options, design_values(m, warm))
    if on_point:
        on_point(f"Unconstrained: exposure {e_max:,.6g}, NPV {npv_max:,.0f}", 1, total)

    m.obj.deactivate()
    m.frontier_min_exposure = pyo.Objective(expr=m.frontier_exposure, sense=pyo.minimize)
    report = solve(m, warm_options)
    require_plan(report)
    e_min = min(float(pyo.value(m.frontier_exposure)), e_max)
    m.frontier_min_exposure.deactivate()
    m.obj.activate()
    if on_point:
        on_point(f"Minimum exposure: {e_min:,.6g}", 2, total)

    slack = BUDGET_SLACK * max(1.0, abs(e_max))
    span = e_max - e_min
    items = [(k, e_max - span * k / (points - 1) if k < points - 1 else e_min, k == points - 1) for k in range(points)]

    def progress(done: int, _n: int, point: FrontierPoint) -> None:
        if on_point:
            on_point(f"Point {point.point}/{points}: budget {point.exposure_budget:,.6g} → {point.status}", done + 2, total)

    # The interior budgets are the hard solves (Pakistan base: 6-12 s each against 2 s unconstrained),
    # so the middle one is solved here first, while a cluster boots, and its time decides whether
    # the rest is worth that cluster.
    mid = items[points // 2]
    prestart(points - 1, runner)
    t = time.perf_counter()
    out = [_solve_point(m, *mid, e_max, npv_max, slack, warm_options)]
    seconds = max(seconds, time.perf_counter() - t)
    progress(1, points, out[0])
    rest = [it for it in items if it is not mid]
    if choose_mode(len(rest), runner, seconds) == SERIAL:
        for k, eps, last in rest:  # the built model re-solved: only the budget row's bound changes
            out.append(_solve_point(m, k, eps, last, e_max, npv_max, slack, warm_options))
            progress(len(out), points, out[-1])
    else:
        from supplyopt.studies.sweep import pack_instance

        if options.threads is None:
            options = dataclasses.replace(options, threads=1)  # one HiGHS thread per worker process
        shared = (pack_instance(inst), e_max, npv_max, slack, options, warm)
        done, _info = run_tasks(
            run_frontier_point,
            shared,
            rest,
            runner,
            on_error=_failed_point,
            progress=lambda k, n, point: progress(k + 1, points, point),
            seconds_each=seconds,
        )
        out += done
    out.sort(key=lambda p: p.point)
    monotone, notes = _check_monotone(out, sense, options.mip_gap)
    return FrontierResult(out, e_max, e_min, npv_max, obj_max, sense, monotone, notes, options.mip_gap)


def write_frontier_workbook(
    result: FrontierResult,
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    protect: Iterable[str | os.PathLike] = (),
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Workbook with a Summary, the Frontier table and a native Excel chart of NPV (y) against
    exposure (x). Written atomically; refuses to overwrite without `overwrite`."""
    import openpyxl
    from openpyxl.chart import Reference, ScatterChart, Series

    from supplyopt.io.atomic import atomic_write

    table = result.table()

    def build(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        items = [
            *(meta or {}).items(),
            ("points", len(result.points)),
            ("exposure_max", result.e_max),
            ("exposure_min", result.e_min),
            ("npv_max_usd", result.npv_max),
            ("objective_sense", result.sense),
            ("monotone", "yes" if result.monotone else "NO: " + " | ".join(result.notes)),
            ("mip_gap_tolerance", result.mip_gap),
            (
                "note",
                "exposure = Σ scenarios probability × Σ periods years × Σ risk score × t/yr; "
                "NPV given up per exposure = (NPV_max − NPV) / (exposure_max − exposure).",
            ),
        ]
        add_summary_sheet(wb, "Summary", items)
        ws = add_table_sheet(wb, "Frontier", table, {"exposure_budget": "#,##0", "exposure": "#,##0", "npv_given_up_per_exposure": "#,##0.00", "gap": "0.00%"})
        cols = list(table.columns)
        n = len(table)
        if n:
            ch = ScatterChart()
            ch.title = "Cost–risk frontier: NPV against risk exposure"
            ch.style = 13
            ch.x_axis.title = "Risk exposure (score·t)"
            ch.y_axis.title = "Expected NPV (USD)"
            ch.x_axis.number_format = "#,##0"
            ch.y_axis.number_format = "#,##0"
            ch.x_axis.delete = False
            ch.y_axis.delete = False
            x = Reference(ws, min_col=cols.index("exposure") + 1, min_row=2, max_row=n + 1)
            y = Reference(ws, min_col=cols.index("npv_usd") + 1, min_row=1, max_row=n + 1)
            s = Series(y, x, title_from_data=True)
            s.marker.symbol = "circle"
            s.marker.size = 7
            s.smooth = False  # straight segments between solved points: nothing is known between them
            ch.series.append(s)
            ch.legend = None
            ch.height, ch.width = 10, 18
            ws.add_chart(ch, f"A{n + 4}")
        wb.save(tmp)

    return atomic_write(Path(path), build, overwrite=overwrite, protect=protect)
