"""Sheets shared by the study workbooks (comparison, sweep, stress, frontier): tables with number
formats by column, bar charts, and Summary sheets of (item, value) rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from supplyopt.io.sheets import write_frame as _write_frame

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


def write_note(ws, text: str) -> None:
    """A sheet that holds one sentence instead of a table ('No flow differs ...'): wrapped in a
    wide first column so that it prints on one page, not cut across two."""
    from openpyxl.styles import Alignment

    from supplyopt.io.workbook.cells import guard_text
    from supplyopt.io.workbook.layout import print_on_one_page

    c = ws.cell(row=1, column=1, value=text)
    guard_text(c)
    c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 100
    print_on_one_page(ws)


def write_summary_block(ws, title: str, items: Iterable[tuple[str, Any]]) -> None:
    """A big title in A1, then the (item, value) rows as a table from row 3 (comparison, sweep)."""
    from openpyxl.styles import Font

    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=16, color=HEADER_FILL)
    df = pd.DataFrame(list(items), columns=["item", "value"])
    write_frame(ws, df, start_row=3)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = max(24, min(100, max((len(str(v)) for v in df["value"]), default=10) + 2))


def add_table_sheet(wb, title: str, df: pd.DataFrame, formats: Mapping[str, str] | None = None):
    """A sheet with the table: bold filled header, frozen, filtered, number formats by column
    (results_workbook.column_format, overridden by `formats`), text never taken for a formula."""
    ws = wb.create_sheet(title)
    _write_frame(ws, df, formats=formats)
    return ws


def add_summary_sheet(wb, title: str, items: Iterable[tuple[str, Any]]):
    """A first sheet of (item, value, meaning) rows as an Excel Table: money as #,##0, other
    numbers formatted too, labels with units from supplyopt.io.labels, text never taken for a
    formula (stress, frontier). Prints landscape, one page wide."""
    from openpyxl.styles import Alignment, Font

    from supplyopt.io.labels import LABELS, label
    from supplyopt.io.results_workbook import guard_text
    from supplyopt.io.sheets import plain_value, value_format
    from supplyopt.io.workbook.cells import MONEY, summary_format
    from supplyopt.io.workbook.layout import add_excel_table, print_on_one_page, table_name

    ws = wb.create_sheet(title, 0)
    ws.append(["item", "value", "meaning"])
    for c in ws[1]:
        c.font = Font(bold=True)
    n = 0
    for k, v in items:
        ws.append([k, None, label(k) if k in LABELS else None])
        guard_text(ws.cell(row=ws.max_row, column=1))
        cell = ws.cell(row=ws.max_row, column=2)
        cell.value = plain_value(v)
        guard_text(cell)
        if isinstance(cell.value, str) and len(cell.value) > 60:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(cell.value, float) and ("usd" in k or "npv" in k):
            cell.number_format = MONEY
        elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.number_format = summary_format(k, cell.value) or value_format(k, cell.value, None) or "General"
        n += 1
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 40
    add_excel_table(ws, table_name(title, {t.lower() for s in wb.worksheets for t in s.tables}), ["item", "value", "meaning"], n)
    print_on_one_page(ws, "1:1")
    return ws
