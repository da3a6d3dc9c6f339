"""The results workbook writer: sheets in order (Summary, Costs, CostSummary, the tables,
SalesSummary, Charts, Map, the hidden meta sheet), written atomically.

`rows_xml.splicable`, `summary_sheet.write_meta` and `layout.WRITE_ONLY_ROWS` are looked up when
used: tests replace them through `supplyopt.io.results_workbook`."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from supplyopt.io.atomic import atomic_write
from supplyopt.io.workbook import layout, rows_xml, summary_sheet
from supplyopt.io.workbook.cells import cell, column_width, style_header, summary_type, table_format, text
from supplyopt.io.workbook.charts import write_charts, write_map
from supplyopt.io.workbook.layout import (
    CHARTS,
    COST_SUMMARY,
    COSTS,
    MAP,
    META,
    RESERVED_SHEETS,
    SALES,
    SALES_SUMMARY,
    SUMMARY,
    WIDTH_SAMPLE_ROWS,
    Placed,
    add_excel_table,
    continuation_notes,
    frame,
    place_tables,
    print_on_one_page,
    table_name,
    written_version,
)
from supplyopt.io.workbook.reports import write_cost_summary, write_sales_summary
from supplyopt.io.workbook.rows_xml import Body, style_attr
from supplyopt.results import Results

__all__ = ["build_workbook", "write_results_workbook"]


def write_table(ws, df: pd.DataFrame, sample: pd.DataFrame | None = None, table: str | None = None) -> Body | None:
    """Header in row 1 (bold, filled, frozen), one row per record, formats by column; the
    range is the Excel Table `table` (its own filter buttons; a plain filter when the header cannot
    name a table), printed landscape one page wide with the header on every page.

    The data rows of an ordinary table are not given to openpyxl (a Cell object and an XML
    element per value made the workbook cost more than extracting the results): they come back as
    a `Body`, written straight into the saved sheet's XML by `splice`. Tables holding values that
    path does not know (dates, arbitrary objects) are written cell by cell as before.
    `sample` (default: the first rows of df) sets the column widths: the continuation sheets of a
    long table pass the first sheet's, so that every sheet of the table looks the same."""
    cols = list(df.columns)
    fmts = [table_format(c, df.iloc[:, j].dtype) for j, c in enumerate(cols)]
    sample = df.head(WIDTH_SAMPLE_ROWS) if sample is None else sample
    for j, c in enumerate(cols, 1):
        ws.column_dimensions[get_column_letter(j)].width = column_width(c, sample.iloc[:, j - 1], fmts[j - 1])
    ws.freeze_panes = "A2"
    print_on_one_page(ws, "1:1")
    if cols:
        ref = f"A1:{get_column_letter(len(cols))}{len(df) + 1}"
        if table is None or not add_excel_table(ws, table, [text(str(c)) for c in cols], len(df)):
            ws.auto_filter.ref = ref
        # openpyxl writes a sheet's <dimension> only when it can calculate it: a streamed sheet
        # cannot, a spliced one would say A1:..1; without the right one every read-only reader
        # parses the whole sheet twice.
        ws.calculate_dimension = lambda: ref
    ws.append(style_header(ws, [str(c) for c in cols]))
    if cols and len(df) and rows_xml.splicable(df):
        return Body(ws, df, [style_attr(ws, f) for f in fmts], style_attr(ws, quote=True))
    columns = [df.iloc[:, j].tolist() for j in range(len(cols))]
    for row in zip(*columns):
        ws.append([cell(ws, v, f) for v, f in zip(row, fmts)])
    return None


def write_sheets(wb, t: Placed, tables_used: set[str] | None = None) -> list[Body]:
    """Write a table on its sheet(s), in a row; each continuation sheet is laid out like the first
    (header, frozen pane, filter, formats, and the widths of the first sheet's rows). Returns the
    bodies still to splice."""
    bodies = []
    sample = t.df.head(WIDTH_SAMPLE_ROWS)
    for sheet, start, stop in t.sheets:
        part = t.df if not t.continued else t.df.iloc[start:stop]
        name = table_name(sheet, tables_used) if tables_used is not None else None
        body = write_table(wb.create_sheet(sheet), part, sample, name)
        if body is not None:
            bodies.append(body)
    return bodies


def build_workbook(results: Results, out: Path) -> int:
    """Write the workbook of `results` to `out` (not atomically: `write_results_workbook` and
    `supplyopt.io.plan.write_plan` give it a temporary name); returns its format_version."""
    tables = {str(k): frame(v) for k, v in results.tables.items()}
    write_only = max((len(df) for df, _ in tables.values()), default=0) > layout.WRITE_ONLY_ROWS
    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    used = {s.lower() for s in RESERVED_SHEETS}

    order = ([COSTS] if COSTS in tables else []) + [k for k in tables if k != COSTS]
    placed = place_tables(order, tables, used)
    version = written_version(placed)
    ws = wb.create_sheet(SUMMARY)
    summary_sheet.write_summary(ws, dict(results.summary), version, continuation_notes(placed))

    bodies: list[Body] = []
    tables_used: set[str] = set()
    for t in placed:
        bodies += write_sheets(wb, t, tables_used)
        if t.name == COSTS:
            report = wb.create_sheet(COST_SUMMARY)
            if not write_cost_summary(report, t.df):
                wb.remove(report)
        elif t.name == SALES:
            report = wb.create_sheet(SALES_SUMMARY)
            if not write_sales_summary(report, t.df):
                wb.remove(report)

    charts = wb.create_sheet(CHARTS)
    if not write_charts(charts, results.tables):
        wb.remove(charts)
    png = results.extra.get("map_png")
    if png and Path(png).exists():
        write_map(wb.create_sheet(MAP), Path(png))
    summary_types = [(str(k), summary_type(v)[0]) for k, v in results.summary.items()]
    summary_sheet.write_meta(wb.create_sheet(META), summary_types, placed, version)
    if not bodies:
        wb.save(out)
        return version
    saved = io.BytesIO()
    wb.save(saved)
    rows_xml.splice(saved.getvalue(), out, bodies)
    return version


def write_results_workbook(results: Results, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write `results` to an .xlsx workbook at `path` (atomically) and return the path.

    Raises OutputError when `path` exists and `overwrite` is False, or is one of `protect`."""
    return atomic_write(Path(path), lambda tmp: build_workbook(results, tmp), overwrite=overwrite, protect=protect)
