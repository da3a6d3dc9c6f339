"""Cells of a results workbook: number formats by column name, values openpyxl can store, text
that is never taken for a formula, styled cells and fitted column widths. Shared by every sheet
writer (and `guard_text` by the secondary workbooks)."""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

MIN_WIDTH, MAX_WIDTH = 8, 50
MONEY = "#,##0"
UNIT_PRICE = "#,##0.00"
TONNES = "#,##0"
PERCENT = "0.0%"
GAP = "0.00%"
SECONDS = '0.00 "s"'
COUNT = "#,##0"
DECIMAL = "#,##0.00"  # any other float column
INTEGER = "0"  # row numbers, seeds: no thousands separator
COORDINATE = "0.0000"  # latitude, longitude (degrees)
YES_NO = '[=1]"yes";[=0]"no";0'  # 0/1 decisions (open, built): the value stays 0 or 1
YES_NO_COLUMNS = ("open", "opened_this_period", "built", "compared", "chosen")
MONOTONE_FORMATS = (MONEY, UNIT_PRICE, TONNES, PERCENT, GAP, SECONDS, COUNT, DECIMAL, INTEGER, COORDINATE)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=16, color="1F4E78")
GOOD_FONT = Font(bold=True, color="006100")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
WARN_FONT = Font(bold=True, color="9C5700")
WARN_FILL = PatternFill("solid", fgColor="FFEB9C")
NOTE_FONT = Font(italic=True, color="595959")
TOTAL_FONT = Font(bold=True)

# A text cell starting with one of these is a formula to Excel (or becomes one when edited).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ---------------------------------------------------------------- number formats


def column_format(name: Any) -> str | None:
    """Excel number format for a result column, from its name (None = General)."""
    n = str(name).lower()
    if any(k in n for k in ("utilisation", "utilization", "share", "gap", "probability")):
        return PERCENT
    if "usd_per_t" in n or "per_unit_usd" in n:  # unit prices, costs and shadow prices: keep cents
        return UNIT_PRICE
    if "usd" in n or n in ("nominal", "value_usd"):
        return MONEY
    if n == "t_per_yr" or n.endswith("_t_per_yr") or n.startswith("t_") or n.endswith("_t") or "_t_" in n:
        return TONNES
    if "exposure" in n:  # risk score × t/yr: large, read to the unit
        return MONEY
    if n in ("objective", "objective_value", "best_bound", "npv"):  # USD
        return MONEY
    return None


def table_format(name: Any, dtype: Any) -> str | None:
    """`column_format` by name, else by the column's dtype, so that every numeric column of a
    table sheet is formatted: 0/1 decisions as yes/no, coordinates to 4 decimals, row numbers and
    seeds as plain integers, other integers with thousands separators, other floats with two
    decimals. Text and bool columns stay General."""
    fmt = column_format(name)
    kind = dtype.kind if isinstance(dtype, np.dtype) else ""
    if fmt is not None or kind not in "iuf" or not kind:
        return fmt
    n = str(name).lower()
    if kind in "iu" and n in YES_NO_COLUMNS:
        return YES_NO
    if n in ("lat", "lon", "latitude", "longitude"):
        return COORDINATE
    if kind in "iu":
        return INTEGER if n in ("row", "seed", "task", "draw", "period_index") else COUNT
    return DECIMAL


def summary_format(key: str, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    k = key.lower()
    if "gap" in k:
        return GAP
    if k.endswith(("_seconds", "_s")) or k in ("seconds", "time_limit"):
        return SECONDS
    if "usd" in k or "exposure" in k or k in ("objective_value", "best_bound", "npv"):
        return MONEY
    if isinstance(value, numbers.Integral):
        return COUNT
    return None


# ---------------------------------------------------------------- cell values


def plain(v: Any) -> Any:
    """A value openpyxl can store, or None for a blank cell (None, NaN, inf, NA, NaT)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return plain(float(v))
    if isinstance(v, str):
        return text(v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v
    if isinstance(v, (dt.date, dt.time)):
        return v.replace(tzinfo=None) if isinstance(v, dt.time) and v.tzinfo else v
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, numbers.Real):
        return plain(float(v))
    return text(str(v))


NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # lone surrogates and non-characters


def text(s: str) -> str:
    # Control characters cannot be stored in a worksheet, nor what XML cannot hold (lxml refused
    # the whole workbook); Excel's own limit is 32,767 characters.
    return NOT_XML.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", s))[:32767]


def needs_guard(s: str) -> bool:
    """Would openpyxl or Excel take this text for a formula or an error value?"""
    return s.startswith(FORMULA_START) or s in ERROR_CODES


def guard_text(cell) -> None:
    """Make an openpyxl cell holding text keep it as text (never a formula or an error value).
    For writers that set cells directly (comparison, sweep, frontier and stress workbooks)."""
    if isinstance(cell.value, str):
        cell.value = text(cell.value)
        cell.data_type = "s"
        if needs_guard(cell.value):
            cell.quotePrefix = True


def cell(ws, value: Any, number_format: str | None = None, font: Font | None = None, fill: PatternFill | None = None, align: Alignment | None = None):
    """A value or a styled Cell for ws.append; text is always stored as text, never as a formula."""
    v = plain(value)
    guard = isinstance(v, str) and needs_guard(v)
    fmt = number_format if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    if not (guard or fmt or font or fill or align):
        return v
    c = WriteOnlyCell(ws, v)  # a Cell at A1 until appended; works in both workbook modes
    if isinstance(v, str):
        c.data_type = "s"  # openpyxl makes '=...' a formula and '#N/A' an error: neither
        if guard:
            c.quotePrefix = True  # Excel keeps it text even when the planner edits the cell
    if fmt:
        c.number_format = fmt
    if font:
        c.font = font
    if fill:
        c.fill = fill
    if align:
        c.alignment = align
    return c


def display_len(v: Any, fmt: str | None) -> int:
    v = plain(v)
    if v is None:
        return 0
    if isinstance(v, str):
        return max(len(line) for line in v.split("\n"))
    if isinstance(v, bool):
        return 5
    if isinstance(v, (int, float)):
        if fmt in (MONEY, TONNES, COUNT):
            return len(f"{v:,.0f}")
        if fmt in (UNIT_PRICE, DECIMAL):
            return len(f"{v:,.2f}")
        if fmt == INTEGER:
            return len(f"{v:.0f}")
        if fmt == COORDINATE:
            return len(f"{v:.4f}")
        if fmt == YES_NO:
            return 3
        if fmt in (PERCENT, GAP):
            return len(f"{v * 100:.2f}%")
        if fmt == SECONDS:
            return len(f"{v:.2f} s")
        return min(len(repr(v)), 12)
    return len(str(v))


def width(header: Any, values: Iterable[Any], fmt: str | None) -> float:
    longest = max([display_len(v, fmt) for v in values] or [0])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2, len(str(header)) + 4)))  # +4: filter arrow


def style_header(ws, row: list[Any]) -> list[Any]:
    return [cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL) for h in row]


def column_width(header: Any, sample: pd.Series, fmt: str | None) -> float:
    """`width` of a table column from the distinct values of its sample; for formatted numbers
    from the extremes only (the displayed length grows with |value|, '-' included), so the
    same width as measuring every value."""
    if isinstance(sample.dtype, np.dtype) and sample.dtype.kind in "iuf" and fmt in MONOTONE_FORMATS:
        x = sample.to_numpy()
        x = x[np.isfinite(x)] if x.dtype.kind == "f" else x
        values = [x.min(), x.max()] if len(x) else []
        if len(x) and x.dtype.kind == "f" and bool((np.signbit(x) & (x == 0)).any()):
            values.append(-0.0)  # prints '-0' but is not the minimum when a 0.0 is there too
        return width(header, values, fmt)
    values = sample.tolist()
    try:  # keyed by type and repr: True, 1 and 1.0 (or 0.0 and -0.0) print differently
        values = list({(v.__class__, repr(v) if v.__class__ is float else v): v for v in values}.values())
    except TypeError:  # unhashable values: measure them all
        pass
    return width(header, values, fmt)


def summary_type(v: Any) -> tuple[str, Any]:
    """(type tag, value to write) for a summary value; the reader undoes it with the tag."""
    v0 = v.item() if isinstance(v, np.generic) else v
    if v0 is None:
        return "none", None
    if isinstance(v0, bool):
        return "bool", v0
    if isinstance(v0, numbers.Integral):
        return "int", int(v0)
    if isinstance(v0, numbers.Real):
        return "float", float(v0)
    if isinstance(v0, str):
        return "str", v0
    if isinstance(v0, (dt.datetime, pd.Timestamp)):
        return "datetime", v0
    if isinstance(v0, dt.date):
        return "date", v0
    if isinstance(v0, (list, tuple, dict)):
        return "json", json.dumps(v0, default=str)
    return "str", str(v0)
