"""The sheets the reader works from: `Summary` (title, a warning when the plan is not proven
optimal, `item | value` rows, the format markers) and the hidden `_supplyopt` meta sheet (which
sheet holds which table, row counts, column dtypes, summary value types)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment

from supplyopt.io.labels import label
from supplyopt.io.workbook.cells import (
    GOOD_FILL,
    GOOD_FONT,
    NOTE_FONT,
    TITLE_FONT,
    TOTAL_FONT,
    WARN_FILL,
    WARN_FONT,
    cell,
    style_header,
    summary_format,
    summary_type,
    width,
)
from supplyopt.io.workbook.layout import FORMAT, FORMAT_VERSION, TITLE, Placed, add_excel_table, print_on_one_page


def not_optimal_note(summary: dict[str, Any]) -> tuple[str, str] | None:
    """(headline, explanation) when the summary's status is not 'optimal'. Only a plan that
    exists has a gap: an infeasible or unbounded model, or a solve that found no plan, is told as
    what it is (a longer time limit cannot make an infeasible model feasible)."""
    status = summary.get("status")
    if status is None or status == "optimal":
        return None
    if status == "infeasible":
        return (
            "INFEASIBLE: no plan meets every requirement",
            "HiGHS proved that no plan satisfies all the constraints, so there is no plan to report. "
            "The Diagnosis sheet lists the requirements that cannot be met and the limits that bind them; "
            "relax one of those limits (or a minimum) in the input and solve again.",
        )
    if status == "unbounded":
        return (
            "UNBOUNDED: the model has no best plan",
            "The objective can grow without limit: some revenue or flow has no capacity or cost bounding it. Check the input for a missing capacity.",
        )
    if status in ("no solution", "solver error"):
        return (
            f"NO PLAN: {status}",
            f"HiGHS stopped (status: {status}) without a plan. A longer --time-limit may let it find one; see the terminal output for the reason.",
        )
    gap = summary.get("gap")
    if isinstance(gap, numbers.Real) and not isinstance(gap, bool) and math.isfinite(gap):
        head = f"NOT PROVEN OPTIMAL: gap {gap * 100:.1f} %"
        why = f"The best possible plan may be up to {gap * 100:.1f} % better than this one."
    else:
        head, why = "NOT PROVEN OPTIMAL: gap unknown", "How far this plan is from the best possible one is unknown."
    return head, f"HiGHS stopped (status: {status}) before proving this plan is the best. {why} A longer --time-limit may close the gap."


def write_summary(ws, summary: dict[str, Any], version: int = FORMAT_VERSION, notes: Iterable[str] = ()) -> None:
    items = [(str(k), *summary_type(v)) for k, v in summary.items()]
    ws.column_dimensions["A"].width = width("item", [TITLE[:20]] + [k for k, _, _ in items], None)
    ws.column_dimensions["B"].width = min(60.0, max(24.0, width("value", [w for k, _, w in items], None)))
    ws.column_dimensions["C"].width = width("meaning", [label(k) for k, _, _ in items], None)
    ws.freeze_panes = "A5"
    if not add_excel_table(ws, "T_Summary", ["item", "value", "meaning"], len(items), start_row=4):
        ws.auto_filter.ref = f"A4:C{4 + len(items)}"
    ws.append([cell(ws, TITLE, font=TITLE_FONT)])
    note = not_optimal_note(summary)
    ws.append([cell(ws, note[0], font=WARN_FONT, fill=WARN_FILL), cell(ws, None, fill=WARN_FILL)] if note else [])
    ws.append([cell(ws, note[1], font=NOTE_FONT)] if note else [])
    # item: the key the record, --json and the reader use; meaning: what a planner reads, with its unit
    ws.append(style_header(ws, ["item", "value", "meaning"]))
    number = Alignment(horizontal="right", vertical="top")
    words = Alignment(horizontal="left", wrap_text=True, vertical="top")
    value_width = ws.column_dimensions["B"].width
    streamed = not hasattr(ws, "row_dimensions") or not hasattr(ws, "_cells")
    for key, _tag, value in items:
        if key == "status":
            good = value == "optimal"
            ws.append(
                [
                    cell(ws, key, font=TOTAL_FONT),
                    cell(ws, value, font=GOOD_FONT if good else WARN_FONT, fill=GOOD_FILL if good else WARN_FILL),
                    cell(ws, label(key), font=TOTAL_FONT),
                ]
            )
        else:
            is_text = isinstance(value, str)
            ws.append([cell(ws, key), cell(ws, value, summary_format(key, value), align=words if is_text else number), cell(ws, label(key))])
            if is_text and len(value) > value_width and not streamed:  # wrapped: room for its lines
                ws.row_dimensions[ws.max_row].height = 15 * min(20, math.ceil(len(value) / (value_width - 2)))
    ws.append([])
    ws.append([cell(ws, "format", font=NOTE_FONT), cell(ws, FORMAT, font=NOTE_FONT)])
    ws.append([cell(ws, "format_version", font=NOTE_FONT), cell(ws, version, font=NOTE_FONT)])
    notes = list(notes)
    if notes:
        ws.append([])
    for note in notes:
        ws.append([cell(ws, note, font=NOTE_FONT)])
    print_on_one_page(ws, "4:4")  # item, value and meaning on the same printed page


def write_meta(ws, summary_types: list[tuple[str, str]], tables: list[Placed], version: int = FORMAT_VERSION) -> None:
    """The hidden record the reader works from. A table continued on more sheets also gets one
    'part' row per sheet (first included) with that sheet's row count, so the reader never
    depends on MAX_SHEET_ROWS; other tables are recorded exactly as in format version 1."""
    ws.sheet_state = "hidden"
    ws.append(["kind", "name", "sheet", "column", "dtype", "rows", "blank"])
    ws.append([cell(ws, "format"), cell(ws, FORMAT), None, None, None, version])
    for key, tag in summary_types:
        ws.append([cell(ws, "summary"), cell(ws, key), None, None, cell(ws, tag)])
    for t in tables:
        name, sheet, df, index = t.name, t.sheets[0][0], t.df, t.index
        ws.append([cell(ws, "table"), cell(ws, name), cell(ws, sheet), None, None, len(df)])
        if t.continued:
            for part, start, stop in t.sheets:
                ws.append([cell(ws, "part"), cell(ws, name), cell(ws, part), None, None, stop - start])
        idx = dict(index)
        for j, c in enumerate(df.columns):
            col = df.iloc[:, j]
            role = ("index_unnamed" if idx[str(c)] else "index") if str(c) in idx else "column"
            ws.append([cell(ws, role), cell(ws, name), cell(ws, sheet), cell(ws, str(c)), cell(ws, str(col.dtype)), None, blank_means(col)])


def blank_means(col: pd.Series) -> str | None:
    """'empty' when the column's blank cells were empty strings (Excel cannot store ''), else None."""
    if col.dtype.kind not in "OSU" and str(col.dtype) not in ("str", "string"):
        return None
    try:
        empty = col.isin([""])  # vectorised: a million-row table's text columns are checked fast
    except TypeError:  # unhashable values
        empty = col.map(lambda v: isinstance(v, str) and v == "")
    return "empty" if empty.any() and not col[~empty].isna().any() else None
