"""Cell values of input workbooks and CSV files: what is stored for a value in a column so that
reading it back gives the same value (the conventions are listed in `supplyopt.io.template`)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from supplyopt.errors import OutputError
from supplyopt.schema import Column

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT; False for anything else (including lists)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain_value(value: Any) -> Any:
    """Python scalar for numpy scalars; None for missing values."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value


def unlimited_blank(col: Column | None) -> bool:
    """True when a blank cell means unlimited in `col` (its default is +inf, or no schema column)."""
    return col is None or (isinstance(col.default, float) and math.isinf(col.default))


def cell_value(value: Any, col: Column | None) -> Any:
    """What to store in a cell for `value` in column `col` (None = leave blank)."""
    value = plain_value(value)
    if value is None:
        return None
    if isinstance(value, bool):
        if col is not None and col.type == "bool":
            return "yes" if value else "no"
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isinf(value):
            if value > 0 and unlimited_blank(col):
                return None
            return "inf" if value > 0 else "-inf"
        if float(f"{value:.16g}") != value:  # openpyxl writes 16 significant digits
            return repr(value)
        return value
    return value


def csv_text(value: Any, col: Column | None) -> str:
    """The CSV text for `value` in column `col` (the workbook conventions, as text)."""
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        if col is not None and col.type == "bool":
            return "yes" if value else "no"
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "" if value > 0 and unlimited_blank(col) else ("inf" if value > 0 else "-inf")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Store value; text is always literal text (never a formula or an error code)."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    try:
        cell.value = value
    except IllegalCharacterError:
        raise OutputError(f"{ws.title} cell {cell.coordinate}: the text contains a control character that Excel cannot store: {value!r}") from None
    except ValueError as exc:
        raise OutputError(f"{ws.title} cell {cell.coordinate}: cannot store {value!r} in a workbook ({exc})") from None
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell
