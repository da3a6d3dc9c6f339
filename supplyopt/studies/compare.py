"""Compare several Results side by side: one comparison workbook for planners.

`compare_results([(name, Results), ...])` lays the results out against the first one (the base):

- KPIs: NPV, its parts, risk, exports and the refineries opened, one column per result, then for
  each other result the absolute difference and the % difference against the base;
- Decisions that differ: refinery sites open and modules installed by period, corridor/port
  upgrades and the period they enter service;
- Flows that differ by corridor, commodity and period (t/yr), with differences against the base;
- Exports by port (mean t/yr over the periods) and by port and commodity.

Results that cannot be compared with the base are flagged, not mixed: a solve that did not finish
(status other than optimal: time limit, no plan) or results made from a different input schema
(`input_schema` in their Summary, else the supplyopt version). They are listed on the `Flagged`
sheet with the reason and left out of every other table. `allow_unfinished=True` keeps plans
that are not proven optimal (they stay flagged).

`supplyopt.io.compare_workbook.write_comparison_workbook` writes Summary, KPIs, Decisions, Flows,
Exports, ExportsByPort, Flagged and charts (NPV by scenario, exports by port by scenario).
`load_results(paths)` reads results workbooks (files, or every results workbook in a folder).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from supplyopt.errors import InputError, Problem
from supplyopt.results import Results

OPTIMAL = "optimal"
TOLERANCE = 1e-6  # t/yr and modules closer than this are the same

from supplyopt.io.labels import RISK_EXPOSURE_UNIT  # noqa: E402  (one unit for risk exposure everywhere)

# (summary key, label, unit); exports_t_per_yr is computed from the Sales table.
KPIS: tuple[tuple[str, str, str], ...] = (
    ("npv_usd", "NPV", "USD"),
    ("revenue_pv_usd", "Revenue (PV)", "USD"),
    ("operating_cost_pv_usd", "Operating costs (PV)", "USD"),
    ("fixed_cost_pv_usd", "Fixed costs (PV)", "USD"),
    ("capex_pv_usd", "Capex (PV)", "USD"),
    ("security_cost_pv_usd", "Security costs (PV)", "USD"),
    ("expected_loss_pv_usd", "Expected loss (PV)", "USD"),
    ("risk_exposure_total", "Risk exposure, whole horizon", RISK_EXPOSURE_UNIT),
    ("exports_t_per_yr", "Exports, all ports (mean over periods)", "t/yr"),
    ("refineries_open", "Refineries opened", ""),
    ("upgrades_built", "Upgrades built", ""),
    ("status", "Solve status", ""),
    ("gap", "MIP gap", "share"),
)


@dataclass
class Comparison:
    """The comparison tables; `names[0]` is the base."""

    names: list[str]
    kpis: pd.DataFrame
    decisions: pd.DataFrame
    flows: pd.DataFrame
    exports: pd.DataFrame
    exports_by_port: pd.DataFrame
    flagged: pd.DataFrame
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def load_results(paths: Sequence[str | os.PathLike]) -> list[tuple[str, Results, str]]:
    """(name, Results, source path) for each results workbook, in the order given; a folder
    gives every results workbook in it (the base first, then by file name), skipping other files.

    The name is the scenario recorded in the Summary (the file name when missing or repeated)."""
    from supplyopt.io.plan import read_plan  # the record when it is the workbook's

    loaded: list[tuple[Results, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found: list[tuple[Results, Path]] = []
            for f in sorted(p.glob("*.xlsx")):
                if f.name.startswith(("~$", ".")):
                    continue
                try:
                    found.append((read_plan(f), f))
                except InputError:
                    continue  # comparison/sweep/input workbooks in the same folder
            if not found:
                raise InputError([Problem(str(p), None, None, "no supplyopt results workbooks in this folder")])
            found.sort(key=lambda rf: (rf[0].summary.get("scenario") != "base", rf[1].name))
            loaded += found
        else:
            loaded.append((read_plan(p), p))
    seen: set[Path] = set()
    unique = []
    for r, f in loaded:  # a file named and also found in a folder is compared once
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append((r, f))
    loaded = unique
    scenarios = [str(r.summary.get("scenario") or "") for r, _ in loaded]
    out: list[tuple[str, Results, str]] = []
    used: set[str] = set()
    for (r, p), sc in zip(loaded, scenarios):
        name = sc if sc and scenarios.count(sc) == 1 else p.stem.removesuffix("_results")
        base, i = name, 2
        while name in used:
            name, i = f"{base} ({i})", i + 1
        used.add(name)
        out.append((name, r, str(p)))
    return out


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def _schema_of(r: Results) -> tuple[str, str]:
    s = r.summary
    if s.get("input_schema"):
        return "input_schema", str(s["input_schema"])
    return "version_supplyopt", str(s.get("version_supplyopt") or "")


def _flag_reason(r: Results, base: Results | None, allow_unfinished: bool) -> tuple[str | None, bool]:
    """(reason to flag, whether to leave the result out)."""
    status = r.summary.get("status")
    if base is not None:
        kind, mine = _schema_of(r)
        kind_b, theirs = _schema_of(base)
        if kind == kind_b and mine and theirs and mine != theirs:
            return f"made from a different input schema ({kind} {mine}, base {theirs})", True
    if status != OPTIMAL:
        has_plan = bool(r.tables) and status not in (None, "", "infeasible", "unbounded", "no solution", "solver error")
        reason = f"unfinished solve: status '{status}'" if status else "unfinished solve: no status in its Summary"
        return reason, not (allow_unfinished and has_plan)
    return None, False


def compare_results(items: Sequence[tuple[str, Results]] | Sequence[tuple[str, Results, str]], *, allow_unfinished: bool = False) -> Comparison:
    """Side-by-side tables of `items` against the first (the base). Raises InputError when
    fewer than one result can be compared."""
    entries = [(it[0], it[1], it[2] if len(it) > 2 else "") for it in items]
    if not entries:
        raise InputError([Problem("compare", None, None, "no results to compare")])
    kept: list[tuple[str, Results]] = []
    flagged_rows, source_rows, notes = [], [], []
    base: Results | None = None
    for name, r, src in entries:
        reason, leave_out = _flag_reason(r, base, allow_unfinished)
        s = r.summary
        source_rows.append(
            {
                "result": name,
                "source": src,
                "scenario": s.get("scenario"),
                "status": s.get("status"),
                "compared": not leave_out,
                "input": s.get("input"),
                "instance_sha256": s.get("instance_sha256"),
                "input_schema": _schema_of(r)[1],
                "scenario_overrides": s.get("scenario_overrides"),
            }
        )
        if reason:
            flagged_rows.append({"result": name, "source": src, "reason": reason, "compared": "no" if leave_out else "yes, flagged"})
        if not leave_out:
            kept.append((name, r))
            if base is None:
                base = r
                if name != entries[0][0]:
                    notes.append(f"'{entries[0][0]}' cannot be compared, so '{name}' is the base")
    if not kept:
        raise InputError(
            [Problem("compare", None, None, "none of the results can be compared: " + "; ".join(f"{f['result']}: {f['reason']}" for f in flagged_rows))]
        )
    names = [n for n, _ in kept]
    results = [r for _, r in kept]
    return Comparison(
        names=names,
        kpis=kpi_table(names, results),
        decisions=decision_table(names, results),
        flows=flow_table(names, results),
        exports=export_table(names, results),
        exports_by_port=export_table(names, results, by_commodity=False),
        flagged=pd.DataFrame(flagged_rows, columns=["result", "source", "reason", "compared"]),
        sources=pd.DataFrame(source_rows),
        notes=notes,
    )


def _diff_columns(df: pd.DataFrame, names: list[str], percent: bool) -> pd.DataFrame:
    """Columns '<result> − <base>' (and '<result> vs <base> %') for every result after the base.
    Text values that differ show 'changed'; shares (unit 'share') get no % column value."""
    base = names[0]
    shares = df["unit"].eq("share").tolist() if "unit" in df.columns else [False] * len(df)
    for n in names[1:]:
        d: list[Any] = []
        for a, b in zip(df[n], df[base]):
            if _num(a) and _num(b):
                x = a - b
                d.append(0.0 if abs(x) <= 1e-9 * max(1.0, abs(b)) else x)
            else:
                d.append("changed" if (a is not None or b is not None) and str(a) != str(b) else None)
        df[f"{n} − {base}"] = d
        if percent:
            df[f"{n} vs {base} %"] = [x / abs(b) if _num(x) and _num(b) and b != 0 and not share else None for x, b, share in zip(d, df[base], shares)]
    return df


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _total_exports(r: Results) -> float | None:
    ports = export_series(r, by_commodity=False)
    return None if ports is None else float(ports.sum())


def _upgrades_built(r: Results) -> str:
    up = r.tables.get("Upgrades")
    if up is None or not len(up):
        return "none"
    built = up[up["built"].astype(bool)]
    return ", ".join(f"{u} ({p})" for u, p in zip(built["upgrade"], built["in_service_from"])) or "none"


def kpi_table(names: list[str], results: list[Results]) -> pd.DataFrame:
    rows = []
    for key, label, unit in KPIS:
        row: dict[str, Any] = {"kpi": key, "label": label, "unit": unit}
        for n, r in zip(names, results):
            if key == "exports_t_per_yr":
                row[n] = _total_exports(r)
            elif key == "upgrades_built":
                row[n] = _upgrades_built(r)
            else:
                row[n] = r.summary.get(key)
        rows.append(row)
    df = pd.DataFrame(rows, columns=["kpi", "label", "unit", *names])
    return _diff_columns(df, names, percent=True)


def _expected(df: pd.DataFrame, r: Results, keys: list[str], value: str) -> pd.DataFrame:
    """Rows summed over `keys`; per-disruption tables are weighted by the scenario probabilities."""
    if "scenario" in df.columns:
        outcomes = r.tables.get("ScenarioOutcomes")
        if outcomes is not None and len(outcomes):
            w = dict(zip(outcomes["scenario"], outcomes["probability"]))
            df = df.assign(**{value: df[value] * df["scenario"].map(w).fillna(0.0)})
        else:
            df = df[df["scenario"] == df["scenario"].iloc[0]] if len(df) else df
    return df.groupby(keys, sort=False, dropna=False)[value].sum().reset_index()


def decision_table(names: list[str], results: list[Results]) -> pd.DataFrame:
    """Decisions that differ between the results: one row per decision, one column per result."""
    values: dict[tuple[str, str, str], dict[str, Any]] = {}
    for n, r in zip(names, results):
        ref = r.tables.get("Refineries")
        if ref is not None:
            for rec in ref.to_dict("records"):
                values.setdefault(("refinery open", rec["site"], str(rec["period"])), {})[n] = "open" if rec["open"] else "closed"
                values.setdefault(("refinery modules", rec["site"], str(rec["period"])), {})[n] = int(rec["modules"])
        up = r.tables.get("Upgrades")
        if up is not None:
            for rec in up.to_dict("records"):
                when = rec["in_service_from"] if bool(rec["built"]) else "not built"
                values.setdefault(("upgrade in service from", rec["upgrade"], ""), {})[n] = when
    rows = []
    for (decision, item, period), by in values.items():
        vals = [by.get(n) for n in names]
        if len({repr(v) for v in vals}) > 1:
            rows.append({"decision": decision, "item": item, "period": period, **dict(zip(names, vals))})
    df = pd.DataFrame(rows, columns=["decision", "item", "period", *names])
    numeric = df["decision"] == "refinery modules"
    for n in names[1:]:
        df[f"{n} − {names[0]}"] = [a - b if m and _num(a) and _num(b) else None for a, b, m in zip(df[n], df[names[0]], numeric)]
    return df


def flow_table(names: list[str], results: list[Results]) -> pd.DataFrame:
    """Flows (t/yr) by corridor, commodity and period where the results differ."""
    keys = ["corridor", "commodity", "period"]
    merged: pd.DataFrame | None = None
    for n, r in zip(names, results):
        f = r.tables.get("Flows")
        if f is None:
            f = pd.DataFrame(columns=[*keys, "t_per_yr"])
        g = _expected(f, r, keys, "t_per_yr").rename(columns={"t_per_yr": n})
        g["period"] = g["period"].astype(str)
        merged = g if merged is None else merged.merge(g, on=keys, how="outer")
    assert merged is not None
    merged[names] = merged[names].astype(float).fillna(0.0)
    spread = merged[names].max(axis=1) - merged[names].min(axis=1)
    out = merged[spread > TOLERANCE].reset_index(drop=True)
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return _diff_columns(out, names, percent=False)


def export_series(r: Results, by_commodity: bool = True) -> pd.Series | None:
    """Mean t/yr over the periods sold at each port (and commodity); None without a Sales table."""
    sales = r.tables.get("Sales")
    if sales is None:
        return None
    ports_t = r.tables.get("PortUse")
    if ports_t is not None and len(ports_t):
        sales = sales[sales["node"].isin(set(ports_t["port"]))]
    periods = sales["period"].nunique() if len(sales) else 1
    keys = ["node", "commodity"] if by_commodity else ["node"]
    g = _expected(sales, r, [*keys, "period"], "t_per_yr").groupby(keys, sort=False)["t_per_yr"].sum() / max(periods, 1)
    return g


def export_table(names: list[str], results: list[Results], by_commodity: bool = True) -> pd.DataFrame:
    keys = ["port", "commodity"] if by_commodity else ["port"]
    merged: pd.DataFrame | None = None
    for n, r in zip(names, results):
        s = export_series(r, by_commodity)
        g = pd.DataFrame(columns=[*keys, n]) if s is None else s.rename(n).reset_index().rename(columns={"node": "port"})
        merged = g if merged is None else merged.merge(g, on=keys, how="outer")
    assert merged is not None
    merged[names] = merged[names].astype(float).fillna(0.0)
    merged = merged.sort_values(keys, kind="stable").reset_index(drop=True)
    return _diff_columns(merged, names, percent=True)
