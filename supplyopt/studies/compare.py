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

`write_comparison_workbook` writes Summary, KPIs, Decisions, Flows, Exports, ExportsByPort,
Flagged and charts (NPV by scenario, exports by port by scenario) atomically.
`load_results(paths)` reads results workbooks (files, or every results workbook in a folder).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from supplyopt.errors import InputError, Problem
from supplyopt.io.sheets import plain_value as _plain
from supplyopt.io.sheets import write_frame as _write_frame
from supplyopt.results import Results

OPTIMAL = "optimal"
TOLERANCE = 1e-6  # t/yr and modules closer than this are the same

# (summary key, label, unit); exports_t_per_yr is computed from the Sales table.
KPIS: tuple[tuple[str, str, str], ...] = (
    ("npv_usd", "NPV", "USD"),
    ("revenue_pv_usd", "Revenue (PV)", "USD"),
    ("operating_cost_pv_usd", "Operating costs (PV)", "USD"),
    ("fixed_cost_pv_usd", "Fixed costs (PV)", "USD"),
    ("capex_pv_usd", "Capex (PV)", "USD"),
    ("security_cost_pv_usd", "Security costs (PV)", "USD"),
    ("expected_loss_pv_usd", "Expected loss (PV)", "USD"),
    ("risk_exposure_total", "Risk exposure", "score·t/yr"),
    ("exports_t_per_yr", "Exports, all ports (mean over periods)", "t/yr"),
    ("refineries_open", "Refineries opened", ""),
    ("upgrades_built", "Upgrades built", ""),
    ("status", "Solve status", ""),
    ("gap", "MIP gap", "share"),
)


def input_schema_id() -> str:
    """Short fingerprint of the input schema (see supplyopt.schema.schema_fingerprint)."""
    from supplyopt.schema import schema_fingerprint

    return schema_fingerprint()


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
    from supplyopt.io.plan import read_plan as read_results_workbook  # the record when it is the workbook's

    loaded: list[tuple[Results, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found: list[tuple[Results, Path]] = []
            for f in sorted(p.glob("*.xlsx")):
                if f.name.startswith(("~$", ".")):
                    continue
                try:
                    found.append((read_results_workbook(f), f))
                except InputError:
                    continue  # comparison/sweep/input workbooks in the same folder
            if not found:
                raise InputError([Problem(str(p), None, None, "no supplyopt results workbooks in this folder")])
            found.sort(key=lambda rf: (rf[0].summary.get("scenario") != "base", rf[1].name))
            loaded += found
        else:
            loaded.append((read_results_workbook(p), p))
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


# ---------------------------------------------------------------------------------------------
# Workbook helpers (shared with supplyopt.studies.sweep)
# ---------------------------------------------------------------------------------------------

HEADER_FILL = "1F4E78"


def number_format(column: str) -> str | None:
    c = column.lower()
    if c.endswith("%") or "share" in c or c in ("gap",) or "utilisation" in c:
        return "0.0%"
    if "usd" in c or "npv" in c or "t_per_yr" in c or "exposure" in c or " − " in c:
        return "#,##0"
    return None


def write_frame(ws, df: pd.DataFrame, start_row: int = 1, formats: dict[str, str | None] | None = None) -> None:
    """`df` at `start_row` with the comparison's number formats (see io.sheets.write_frame)."""
    _write_frame(ws, df, start_row, formats, default_format=number_format)


def bar_chart(ws, title: str, y_title: str, data_ref: tuple[int, int, int, int], cats_ref: tuple[int, int, int], anchor: str, horizontal: bool = False):
    """A clustered bar chart of columns min_col..max_col (rows min_row..max_row, header first)."""
    from openpyxl.chart import BarChart, Reference

    min_col, min_row, max_col, max_row = data_ref
    ch = BarChart()
    ch.type = "bar" if horizontal else "col"
    ch.grouping = "clustered"
    ch.title = title
    ch.y_axis.title = y_title
    ch.y_axis.number_format = "#,##0"
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    ch.x_axis.tickLblPos = "low"  # category names below the plot, clear of negative bars
    ch.add_data(Reference(ws, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row), titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=cats_ref[0], min_row=cats_ref[1], max_row=cats_ref[2]))
    n = max_row - min_row
    ch.width, ch.height = max(16.0, min(50.0, 4 + 1.2 * n * max(1, max_col - min_col + 1) ** 0.5)), 9.0
    if max_col == min_col:
        ch.legend = None
    ws.add_chart(ch, anchor)
    # a sheet with a chart prints landscape, one page wide (table and chart together)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ch


def write_summary_sheet(ws, title: str, items: Iterable[tuple[str, Any]]) -> None:
    from openpyxl.styles import Font

    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=16, color=HEADER_FILL)
    df = pd.DataFrame(list(items), columns=["item", "value"])
    write_frame(ws, df, start_row=3)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = max(24, min(100, max((len(str(v)) for v in df["value"]), default=10) + 2))


# ---------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------


def write_comparison_workbook(c: Comparison, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write the comparison workbook atomically; returns its path."""
    from supplyopt.io.atomic import atomic_write

    return atomic_write(Path(path), lambda tmp: _build(c, tmp), overwrite=overwrite, protect=protect)


def _format_kpis(ws, c: Comparison) -> None:
    """Number formats by row unit (money and tonnes #,##0, shares %) and % columns as %."""
    unit_format = {"USD": "#,##0", "t/yr": "#,##0", "score·t/yr": "#,##0", "share": "0.00%"}
    for i, unit in enumerate(c.kpis["unit"], start=2):
        for j, col in enumerate(c.kpis.columns, start=1):
            cell = ws.cell(row=i, column=j)
            if not _num(cell.value):
                continue
            cell.number_format = "0.0%" if str(col).endswith("%") else unit_format.get(unit, "General")


def _build(c: Comparison, out: Path) -> None:
    from openpyxl import Workbook

    tonnes = dict.fromkeys(c.names, "#,##0")  # result columns of the t/yr and modules tables
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    items: list[tuple[str, Any]] = [("base", c.names[0]), ("compared", ", ".join(c.names)), ("flagged (not compared)", len(c.flagged))]
    items += [("note", n) for n in c.notes]
    write_summary_sheet(ws, "supplyopt comparison", items)
    write_frame(ws, c.sources, start_row=len(items) + 6)

    ws = wb.create_sheet("KPIs")
    write_frame(ws, c.kpis)
    _format_kpis(ws, c)
    # chart data: NPV by result, laid out in rows below the table (a chart reads a column)
    top = len(c.kpis) + 4
    npv = c.kpis.set_index("kpi").loc["npv_usd"]
    ws.cell(row=top, column=1, value="result")
    ws.cell(row=top, column=2, value="NPV (USD)")
    ws.cell(row=top, column=3, value=f"NPV − {c.names[0]} (USD)")
    for i, n in enumerate(c.names, start=1):
        ws.cell(row=top + i, column=1, value=n).data_type = "s"
        ws.cell(row=top + i, column=2, value=_plain(npv[n])).number_format = "#,##0"
        diff = 0.0 if i == 1 else npv[f"{n} − {c.names[0]}"]
        ws.cell(row=top + i, column=3, value=_plain(diff) if _num(diff) else None).number_format = "#,##0"
    cats = (1, top + 1, top + len(c.names))
    bar_chart(ws, "NPV by scenario", "USD", (2, top, 2, top + len(c.names)), cats, f"E{top}")
    if len(c.names) > 1:  # near-equal NPVs look alike on one axis: their differences do not
        bar_chart(ws, f"NPV difference against {c.names[0]}", "USD", (3, top, 3, top + len(c.names)), cats, f"E{top + 20}")

    ws = wb.create_sheet("Decisions")
    if len(c.decisions):
        write_frame(ws, c.decisions, formats=tonnes)
    else:
        ws.cell(row=1, column=1, value="No decision differs: every result opens the same sites, installs the same modules and builds the same upgrades.")

    ws = wb.create_sheet("Flows")
    if len(c.flows):
        write_frame(ws, c.flows, formats=tonnes)
    else:
        ws.cell(row=1, column=1, value="No flow differs between the results.")

    ws = wb.create_sheet("ExportsByPort")
    write_frame(ws, c.exports_by_port, formats=tonnes)
    n = len(c.exports_by_port)
    if n:
        bar_chart(ws, "Exports by port by scenario (mean t/yr)", "t/yr", (2, 1, 1 + len(c.names), 1 + n), (1, 2, 1 + n), f"A{n + 4}")

    ws = wb.create_sheet("Exports")
    write_frame(ws, c.exports, formats=tonnes)

    ws = wb.create_sheet("Flagged")
    if len(c.flagged):
        write_frame(ws, c.flagged)
    else:
        ws.cell(row=1, column=1, value="Every result was compared.")
    wb.save(out)
