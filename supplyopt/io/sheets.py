"""Plain table sheets for the secondary workbooks (comparison, sweep, frontier, stress): a styled
header, number formats by column, and text that is never taken for a formula."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from supplyopt.io.workbook.cells import COUNT, DECIMAL, YES_NO, YES_NO_COLUMNS, column_format, guard_text, text
from supplyopt.io.workbook.layout import add_excel_table, print_on_one_page, table_name

HEADER_FILL = "1F4E78"


def plain_value(v: Any) -> Any:
    """A value openpyxl can store: numpy scalars unwrapped, NaN/inf/NA blank, containers as text."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (list, tuple, set, dict)):
        v = str(v)
    if isinstance(v, str):
        return text(v)  # control characters (e.g. from a scenario name) cannot be stored in xlsx
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def value_format(column: str, value: Any, fmt: str | None) -> str | None:
    """The number format of a numeric cell: its column's (`fmt`), else one by the value, so that
    no number is left General: 0/1 decisions yes/no, other whole numbers with thousands
    separators, other numbers with two decimals."""
    if fmt or isinstance(value, bool) or not isinstance(value, (int, float)):
        return fmt
    if isinstance(value, int):
        return YES_NO if str(column).lower() in YES_NO_COLUMNS and value in (0, 1) else COUNT
    return DECIMAL


def write_frame(
    ws, df: pd.DataFrame, start_row: int = 1, formats: Mapping[str, str | None] | None = None, default_format: Callable[[str], str | None] = column_format
) -> None:
    """`df` with a styled header at `start_row`: text stays text (never a formula), NaN is blank,
    every number formatted. The range is an Excel Table (its filter buttons included) when the
    header can name one; the sheet prints landscape, one page wide, and a table starting in row 1
    repeats its header on every page."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    header = []
    for j, col in enumerate(df.columns, start=1):
        c = ws.cell(row=start_row, column=j, value=text(str(col)))
        guard_text(c)  # column names carry scenario names from the input
        c.font, c.fill = bold, fill
        header.append(c.value)
    col_formats = [(formats or {}).get(col, default_format(str(col))) for col in df.columns]
    for i, rec in enumerate(df.itertuples(index=False), start=start_row + 1):
        for j, v in enumerate(rec, start=1):
            c = ws.cell(row=i, column=j, value=plain_value(v))
            guard_text(c)
            fmt = value_format(str(df.columns[j - 1]), c.value, col_formats[j - 1])
            if fmt and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = fmt
    for j, col in enumerate(df.columns, start=1):
        width = (
            max([len(str(col))] + [len(f"{v:,.0f}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)) for v in df.iloc[:200, j - 1]])
            if len(df)
            else len(str(col))
        )
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(60, max(8, width + 2)))
    print_on_one_page(ws, f"{start_row}:{start_row}" if start_row == 1 else None)
    if start_row == 1:
        ws.freeze_panes = "A2"
    if len(df.columns):
        used = {t.lower() for sheet in ws.parent.worksheets for t in sheet.tables}
        if not add_excel_table(ws, table_name(ws.title, used), header, len(df), start_row=start_row) and start_row == 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(1, len(df) + 1)}"
