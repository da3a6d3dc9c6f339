"""Stress test of a fixed design: how much NPV does the plan lose, and which contracts go unmet,
when a disruption or a single corridor closure hits it?

`stress(inst, design, options)` keeps the design (sites opened per period, modules added per
period, upgrades built: `Design`, read from a Results object's Refineries and Upgrades tables)
and re-solves the operations, one deterministic solve per case:

- `undisrupted`: the design on the input as it is (the reference NPV);
- every row of the Disruptions table (its DisruptionFactors multiply the input's capacity
  factors), whatever the Settings `disruptions` switch says;
- every corridor closed alone (capacity factor 0 in all periods).

Contract minimums are made soft in every case so that a closure shows unmet contracts instead of
an infeasible model: a market row without its own shortfall penalty gets the stress penalty
(`ModelData.default_shortfall_penalty`), by default 10 × the highest market price (in cost mode,
where prices may be zero, 10 × a bound on the cost of delivering one tonne). The penalty is a
priority device, not money: the reported NPV leaves it out (penalties the input gives its own
contracts are real money and stay in). `cvar_weight` is ignored: each case is one scenario.

A case can still be infeasible when a mine's minimum output cannot leave the mine (its only
corridor closed): it is reported with status `infeasible` and no NPV.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from supplyopt.errors import InfeasibleError
from supplyopt.inputs.instance import Instance
from supplyopt.model import build_model, prepare
from supplyopt.model.data import BASE_SCENARIO, ModelData, expand_periods
from supplyopt.solve.highs import SolveOptions, SolveReport, solve
from supplyopt.studies.design import Design, fix_design
from supplyopt.studies.runner import SERIAL, RunnerOptions, choose_mode, run_tasks
from supplyopt.studies.warm import design_values, with_warm_start

__all__ = ["Design", "StressCase", "StressResult", "fix_design", "run_stress_case", "stress", "stress_case_count", "stress_penalty"]

PENALTY_MULTIPLE = 10.0
UNDISRUPTED = "undisrupted"


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def stress_penalty(d: ModelData) -> float:
    """Shortfall penalty (USD/t) for contract rows without their own: 10 × the highest market
    price; when no price is positive (cost mode), 10 × a bound on the cost of delivering a tonne
    (highest mining cost + highest processing cost + every arc's unit cost + highest port handling)."""
    price = max((rec["price"] for rec in d.markets.values()), default=0.0)
    if price > 0:
        return PENALTY_MULTIPLE * price
    bound = (
        max((rec["cost"] for rec in d.supply.values()), default=0.0)
        + max(d.recipe_cost.values(), default=0.0)
        + sum(d.arc_unit_cost.values())
        + max((rec["handling"] for rec in d.ports.values()), default=0.0)
    )
    return PENALTY_MULTIPLE * max(bound, 1.0)


def _deterministic(d: ModelData, factors: dict[tuple[str, str, str, str], float], penalty: float) -> ModelData:
    settings = dict(d.risk_settings, cvar_weight=0.0, disruptions=False)
    return dataclasses.replace(
        d, scenarios=[BASE_SCENARIO], probability={BASE_SCENARIO: 1.0}, factors=factors, risk_settings=settings, default_shortfall_penalty=penalty
    )


def _cases(inst: Instance, d: ModelData) -> list[tuple[str, str, str, str, float | None, dict]]:
    """(case, kind, element, description, probability, factors) for every stress case."""
    base = {k: v for k, v in d.factors.items() if k[0] == BASE_SCENARIO}
    out = [(UNDISRUPTED, "baseline", "", "The design on the input as it is", None, base)]
    table = inst["DisruptionFactors"]
    for rec in inst["Disruptions"].to_dict("records"):
        name = rec["disruption"]
        f = dict(base)
        for (etype, element, p), row in expand_periods(table[table["disruption"] == name], ["element_type", "element"], d.periods).items():
            f[(BASE_SCENARIO, etype, element, p)] = base.get((BASE_SCENARIO, etype, element, p), 1.0) * row["factor"]
        elements = ", ".join(dict.fromkeys(f"{r['element_type']} {r['element']}" for r in table[table["disruption"] == name].to_dict("records")))
        out.append((name, "disruption", elements, rec["description"] or "", rec["probability"], f))
    for k in inst["Corridors"]["corridor"]:
        f = dict(base)
        for p in d.periods:
            f[(BASE_SCENARIO, "corridor", k, p)] = 0.0
        out.append((f"close {k}", "corridor closure", k, f"Corridor {k} closed in every period", None, f))
    return out


def stress_case_count(inst: Instance) -> int:
    """How many solves `stress` makes on `inst`: undisrupted, each disruption, each corridor closed."""
    return 1 + len(inst["Disruptions"]) + len(inst["Corridors"])


@dataclass
class StressCase:
    case: str
    kind: str  # baseline | disruption | corridor closure
    element: str
    description: str
    probability: float | None
    status: str
    npv_usd: float | None  # without the stress penalty
    npv_loss_usd: float | None  # undisrupted NPV − this NPV
    unmet_contracts_t: float | None  # Σ_p years_p × shortfall (t over the horizon)
    unmet_contracts_t_per_yr_peak: float | None  # largest period total (t/yr)
    objective: float | None
    gap: float | None


@dataclass
class StressResult:
    baseline: StressCase
    cases: list[StressCase]  # disruptions then corridor closures (input order)
    unmet: pd.DataFrame  # case, node, commodity, period, min_t_per_yr, shortfall_t_per_yr
    penalty_usd_per_t: float
    design: Design

    def table(self) -> pd.DataFrame:
        """The regret table: cases by NPV loss, largest first; cases with no plan on top."""
        rows = [dataclasses.asdict(c) for c in self.cases]
        df = pd.DataFrame(rows, columns=[f.name for f in dataclasses.fields(StressCase)])
        key = df["npv_loss_usd"].astype(float).fillna(math.inf)
        df = df.assign(_key=key).sort_values("_key", ascending=False, kind="stable").drop(columns="_key").reset_index(drop=True)
        total = self.baseline.npv_usd
        df.insert(
            df.columns.get_loc("npv_loss_usd") + 1,
            "npv_loss_share",
            [None if (loss is None or (isinstance(loss, float) and math.isnan(loss)) or not total) else loss / abs(total) for loss in df["npv_loss_usd"]],
        )
        return df


def _penalty_pv(m: pyo.ConcreteModel, d: ModelData) -> float:
    """PV of the stress penalty only (market rows without their own penalty)."""
    if not hasattr(m, "shortfall"):
        return 0.0
    total = 0.0
    for s, n, c, p in m.SHORTFALL:
        if d.markets[(n, c, p)]["penalty"] is None:
            total += d.flow_factor[p] * d.default_shortfall_penalty * (pyo.value(m.shortfall[s, n, c, p]) or 0.0)
    return total


def _run_case(d: ModelData, design: Design, options: SolveOptions) -> tuple[SolveReport, float | None, list[dict], Design]:
    """Solve the fixed design on `d`, started from it (its convoys too, the only integers a fixed
    design leaves). Returns the report, the NPV, the unmet contract rows and the plan's design
    with this plan's convoys."""
    m = build_model(d, formulation="weak")  # the design is fixed: the valid inequalities would only cost build time
    fix_design(m, design)
    report = solve(m, with_warm_start(options, design_values(m, design)))
    if not report.has_plan:
        return report, None, [], design
    npv = pyo.value(m.npv) + _penalty_pv(m, d)
    unmet = []
    if hasattr(m, "shortfall"):
        for s, n, c, p in m.SHORTFALL:
            v = pyo.value(m.shortfall[s, n, c, p]) or 0.0
            if v > 1e-6:
                unmet.append({"node": n, "commodity": c, "period": p, "min_t_per_yr": d.markets[(n, c, p)]["min"], "shortfall_t_per_yr": v})
    return report, npv, unmet, dataclasses.replace(design, convoys=Design.from_model(m).convoys)


def run_stress_case(shared: tuple, case: tuple[int, dict]) -> tuple[int, str, float | None, float | None, float | None, list[dict]]:
    """One case on the task runner: (index, status, objective, gap, NPV, unmet rows) of the
    design `shared` = (ModelData, design, options, penalty) under case = (index, capacity factors)."""
    d0, design, options, pen = shared
    index, factors = case
    report, npv, unmet, _ = _run_case(_deterministic(d0, factors, pen), design, options)
    return index, report.status, report.objective, report.gap, npv, unmet


def _crashed(case: tuple[int, dict], exc: BaseException) -> tuple:
    return case[0], f"error: {type(exc).__name__}: {exc}", None, None, None, []


def stress(
    inst: Instance,
    design: Design,
    options: SolveOptions = SolveOptions(),
    *,
    penalty: float | None = None,
    on_case: Callable[[StressCase, int, int], None] | None = None,
    runner: RunnerOptions = RunnerOptions(serial=True),
) -> StressResult:
    """Re-solve the fixed `design` undisrupted, under every disruption and every single-corridor
    closure (see the module docstring). `penalty` overrides the stress shortfall penalty (USD/t);
    `on_case(case, i, n)` is called after each solve (progress). The undisrupted case is solved
    first, here; the others on the task runner `runner` (serial by default; a cluster only when
    the undisrupted solve's time says the batch is worth it), each warm-started from the design.

    Raises InputError when the design does not fit the input, InfeasibleError when even the
    undisrupted case has no plan."""
    d0 = prepare(inst)
    pen = stress_penalty(d0) if penalty is None else float(penalty)
    cases = _cases(inst, d0)
    years = {p: d0.length[p] for p in d0.periods}

    def make_case(spec: tuple, outcome: tuple, ref: float | None) -> StressCase:
        name, kind, element, description, prob, _factors = spec
        _index, status, objective, gap, npv, unmet = outcome
        by_period: dict[str, float] = {}
        for row in unmet:
            by_period[row["period"]] = by_period.get(row["period"], 0.0) + row["shortfall_t_per_yr"]
        return StressCase(
            case=name,
            kind=kind,
            element=element,
            description=description,
            probability=prob,
            status=status,
            npv_usd=npv,
            npv_loss_usd=None if npv is None or ref is None else ref - npv,
            unmet_contracts_t=None if npv is None else sum(years[p] * v for p, v in by_period.items()),
            unmet_contracts_t_per_yr_peak=None if npv is None else max(by_period.values(), default=0.0),
            objective=objective,
            gap=gap,
        )

    t = time.perf_counter()
    # The cases start from the undisrupted plan's convoys as well as the design.
    report, npv, unmet, started = _run_case(_deterministic(d0, cases[0][5], pen), design, options)
    seconds = time.perf_counter() - t
    if npv is None:
        raise InfeasibleError(
            f"the design cannot operate on this input even undisrupted (HiGHS: {report.status}); "
            "is the results workbook from another input? Mine minimum outputs that cannot be shipped also cause this."
        )
    first = (0, report.status, report.objective, report.gap, npv, unmet)
    baseline = make_case(cases[0], first, npv)
    if on_case:
        on_case(baseline, 1, len(cases))
    rest = cases[1:]
    if choose_mode(len(rest), runner, seconds) != SERIAL and options.threads is None:
        options = dataclasses.replace(options, threads=1)  # one HiGHS thread per worker process

    def progress(k: int, _n: int, outcome: tuple) -> None:
        if on_case:
            on_case(make_case(cases[outcome[0]], outcome, baseline.npv_usd), k + 1, len(cases))

    items = [(i, spec[5]) for i, spec in enumerate(cases) if i > 0]
    outcomes, _info = run_tasks(run_stress_case, (d0, started, options, pen), items, runner, on_error=_crashed, seconds_each=seconds, progress=progress)
    done = [make_case(spec, outcome, baseline.npv_usd) for spec, outcome in zip(rest, outcomes)]
    unmet_rows = [{"case": spec[0], **row} for spec, outcome in zip(cases, [first, *outcomes]) for row in outcome[5]]
    assert baseline is not None
    unmet_df = pd.DataFrame(unmet_rows, columns=["case", "node", "commodity", "period", "min_t_per_yr", "shortfall_t_per_yr"])
    return StressResult(baseline, done, unmet_df, pen, design)
