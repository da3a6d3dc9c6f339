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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from supplyopt.errors import InfeasibleError, InputError, Problem
from supplyopt.inputs.instance import Instance
from supplyopt.model import build_model, prepare
from supplyopt.model.data import BASE_SCENARIO, ModelData, expand_periods
from supplyopt.solve.highs import SolveOptions, SolveReport, solve

__all__ = ["Design", "StressCase", "StressResult", "fix_design", "stress", "stress_penalty"]

PENALTY_MULTIPLE = 10.0
UNDISRUPTED = "undisrupted"


# --------------------------------------------------------------------------------------------
# The design
# --------------------------------------------------------------------------------------------


def _int(v: Any) -> int:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return 0
    return int(round(float(v)))


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


@dataclass(frozen=True)
class Design:
    """Design decisions shared by every scenario: new sites opened (site → period), modules added
    ((site, period) → count; existing sites too) and upgrades built (upgrade → first period in
    service)."""

    opened: Mapping[str, str] = field(default_factory=dict)
    modules_added: Mapping[tuple[str, str], int] = field(default_factory=dict)
    upgrades: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: Any) -> Design:
        """From a Results object's Refineries (site, period, opened_this_period, modules_added)
        and Upgrades (upgrade, built, in_service_from) tables, in memory or read from a workbook."""
        opened: dict[str, str] = {}
        added: dict[tuple[str, str], int] = {}
        upgrades: dict[str, str] = {}
        tables = results.tables
        if "Refineries" in tables:
            for rec in tables["Refineries"].to_dict("records"):
                site, period = str(rec["site"]), str(rec["period"])
                if _int(rec.get("opened_this_period")) == 1:
                    opened[site] = period
                n = _int(rec.get("modules_added"))
                if n:
                    added[(site, period)] = n
        if "Upgrades" in tables:
            for rec in tables["Upgrades"].to_dict("records"):
                if not _blank(rec.get("in_service_from")) and bool(rec.get("built")):
                    upgrades[str(rec["upgrade"])] = str(rec["in_service_from"])
        return cls(opened, added, upgrades)

    @classmethod
    def from_model(cls, m: pyo.ConcreteModel) -> Design:
        """From the values of a solved model's open_new, add_modules and build variables."""

        def vals(var) -> dict:
            return {k: (v or 0.0) for k, v in var.extract_values().items()}

        opened = {j: p for (j, p), v in vals(m.open_new).items() if round(v) == 1}
        added = {(j, p): round(v) for (j, p), v in vals(m.add_modules).items() if round(v) > 0}
        upgrades = {u: p for (u, p), v in vals(m.build).items() if round(v) == 1}
        return cls(opened, added, upgrades)

    def describe_sites(self) -> str:
        """'REF: open P1, +2 modules P1' per site (sites with no decision left out), or 'none'."""
        sites = list(dict.fromkeys([*self.opened, *(j for j, _ in self.modules_added)]))
        parts = []
        for j in sites:
            bits = [f"open {self.opened[j]}"] if j in self.opened else []
            bits += [f"+{n} module{'s' if n != 1 else ''} {p}" for (jj, p), n in self.modules_added.items() if jj == j]
            parts.append(f"{j}: " + ", ".join(bits))
        return "; ".join(parts) or "none"

    def describe_upgrades(self) -> str:
        return ", ".join(f"{u} ({p})" for u, p in self.upgrades.items()) or "none"


def fix_design(m: pyo.ConcreteModel, design: Design) -> None:
    """Fix open_new, add_modules and build to the design (0 where the design has nothing).

    Raises InputError when the design names a site, upgrade or period the model has no decision
    for (a design from another input, or an earliest period / lead time that forbids it)."""
    d: ModelData = m.data
    problems: list[Problem] = []
    for j, p in design.opened.items():
        if (j, p) not in m.open_new:
            why = "is not a new refinery site of this input" if j not in d.sites else f"cannot open in period {p} in this input"
            problems.append(Problem("Refineries", None, "site", f"design: site '{j}' {why}"))
    for (j, p), n in design.modules_added.items():
        if (j, p) not in m.add_modules:
            problems.append(Problem("Refineries", None, "modules_added", f"design: site '{j}' cannot add modules in period {p} in this input"))
        elif n > m.add_modules[j, p].ub:
            problems.append(Problem("Refineries", None, "modules_added", f"design: {n} modules at '{j}' in {p} exceed this input's max_modules"))
    for u, p in design.upgrades.items():
        if (u, p) not in m.build:
            why = "is not in this input's Upgrades" if u not in d.upgrades else f"cannot be in service from {p} in this input"
            problems.append(Problem("Upgrades", None, "upgrade", f"design: upgrade '{u}' {why}"))
    if problems:
        raise InputError(problems)
    for j, p in m.open_new:
        m.open_new[j, p].fix(1 if design.opened.get(j) == p else 0)
    for j, p in m.add_modules:
        m.add_modules[j, p].fix(design.modules_added.get((j, p), 0))
    for u, p in m.build:
        m.build[u, p].fix(1 if design.upgrades.get(u) == p else 0)


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


def _run_case(d: ModelData, design: Design, options: SolveOptions) -> tuple[SolveReport, float | None, list[dict]]:
    m = build_model(d)
    fix_design(m, design)
    report = solve(m, options)
    if not report.has_plan:
        return report, None, []
    npv = pyo.value(m.npv) + _penalty_pv(m, d)
    unmet = []
    if hasattr(m, "shortfall"):
        for s, n, c, p in m.SHORTFALL:
            v = pyo.value(m.shortfall[s, n, c, p]) or 0.0
            if v > 1e-6:
                unmet.append({"node": n, "commodity": c, "period": p, "min_t_per_yr": d.markets[(n, c, p)]["min"], "shortfall_t_per_yr": v})
    return report, npv, unmet


def stress(
    inst: Instance,
    design: Design,
    options: SolveOptions = SolveOptions(),
    *,
    penalty: float | None = None,
    on_case: Callable[[StressCase, int, int], None] | None = None,
) -> StressResult:
    """Re-solve the fixed `design` undisrupted, under every disruption and every single-corridor
    closure (see the module docstring). `penalty` overrides the stress shortfall penalty (USD/t);
    `on_case(case, i, n)` is called after each solve (progress).

    Raises InputError when the design does not fit the input, InfeasibleError when even the
    undisrupted case has no plan."""
    d0 = prepare(inst)
    pen = stress_penalty(d0) if penalty is None else float(penalty)
    cases = _cases(inst, d0)
    done: list[StressCase] = []
    unmet_rows: list[dict] = []
    baseline: StressCase | None = None
    for i, (name, kind, element, description, prob, factors) in enumerate(cases, 1):
        d = _deterministic(d0, factors, pen)
        report, npv, unmet = _run_case(d, design, options)
        if kind == "baseline" and npv is None:
            raise InfeasibleError(
                f"the design cannot operate on this input even undisrupted (HiGHS: {report.status}); "
                "is the results workbook from another input? Mine minimum outputs that cannot be shipped also cause this."
            )
        years = {p: d0.length[p] for p in d0.periods}
        by_period: dict[str, float] = {}
        for row in unmet:
            by_period[row["period"]] = by_period.get(row["period"], 0.0) + row["shortfall_t_per_yr"]
            unmet_rows.append({"case": name, **row})
        ref = baseline.npv_usd if baseline is not None else npv
        case = StressCase(
            case=name,
            kind=kind,
            element=element,
            description=description,
            probability=prob,
            status=report.status,
            npv_usd=npv,
            npv_loss_usd=None if npv is None or ref is None else ref - npv,
            unmet_contracts_t=None if npv is None else sum(years[p] * v for p, v in by_period.items()),
            unmet_contracts_t_per_yr_peak=None if npv is None else max(by_period.values(), default=0.0),
            objective=report.objective,
            gap=report.gap,
        )
        if kind == "baseline":
            baseline = case
        else:
            done.append(case)
        if on_case:
            on_case(case, i, len(cases))
    assert baseline is not None
    unmet_df = pd.DataFrame(unmet_rows, columns=["case", "node", "commodity", "period", "min_t_per_yr", "shortfall_t_per_yr"])
    return StressResult(baseline, done, unmet_df, pen, design)
