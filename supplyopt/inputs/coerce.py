"""Turn raw cells (as read from a workbook or CSV) into typed tables, per the schema.

Every cell problem is collected as a `Problem` naming sheet, spreadsheet row and column;
nothing here raises on bad data. Rows whose schema cells are all blank are dropped.

Headers are matched ignoring case and surrounding spaces, with inner runs of spaces read as
`_` ("Capacity T Per Yr" is `capacity_t_per_yr`). Other header columns are the planner's own
(notes, sources) and are ignored, except one that looks like a renamed schema column
("capacity" for `capacity_t_per_yr`): silently dropping that data would be worse than an error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from supplyopt.errors import Problem, suggest
from supplyopt.schema import Column, Table

ROW_COLUMN = "_row"  # spreadsheet row number of each record, kept for messages and diagnosis


@dataclass(frozen=True)
class RawTable:
    """Cells of one sheet as read: header strings and rows of Python values."""

    sheet: str
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]  # spreadsheet row number of each entry of `rows`


_TRUE = {"yes", "y", "true", "t", "1", "x"}
_FALSE = {"no", "n", "false", "f", "0"}
# "none" is deliberately not here: "capacity: none" may mean zero as easily as unlimited.
_INF_WORDS = {"inf", "infinity", "unlimited"}
_EXCEL_ERRORS = {"#div/0!", "#n/a", "#name?", "#null!", "#num!", "#ref!", "#value!", "#spill!", "#calc!", "#getting_data"}
# Finite numbers must lie in [MIN_MAGNITUDE, MAX_MAGNITUDE] (or be 0). HiGHS treats 1e20 as
# infinite and refuses matrix values above 1e15 (a 1e18 capacity gave a bogus "infeasible"), and
# silently drops matrix values of 1e-9 or less (a gold yield of 1e-9 became 0, the plan still
# "optimal"): refuse such cells instead, with a margin.
MAX_MAGNITUDE = 1e12
MIN_MAGNITUDE = 1e-8
_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?$|^[+-]?\.\d+([eE][+-]?\d+)?$")


def normalise_header(text: Any) -> str:
    return re.sub(r"\s+", "_", str(text).strip().lower()) if text is not None else ""


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


class CellError(ValueError):
    """A cell's value does not fit its column."""


def _to_float(value: Any, col: Column) -> float:
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {value!r}")
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise CellError(f"expected a number, got a date ({value})")
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:  # an int beyond float range, e.g. 10**400
            raise CellError(f"the number is too large: numbers above {MAX_MAGNITUDE:g} are beyond what the solver handles reliably") from None
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text.lower() in _EXCEL_ERRORS:
            raise CellError(f"the cell shows the Excel error {text.upper()}: fix the formula or type a number")
        if text.lower() in _INF_WORDS and _unlimited_allowed(col):
            return math.inf
        if text.endswith("%"):
            if not _NUMBER_RE.match(text[:-1]):
                raise CellError(f"expected a number, got {str(value)!r}")
            return float(text[:-1].replace(",", "")) / 100
        if not _NUMBER_RE.match(text):
            hint = " (or leave it blank / write 'unlimited' for no limit)" if _unlimited_allowed(col) else ""
            raise CellError(f"expected a number, got {str(value)!r}{hint}")
        x = float(text.replace(",", ""))
    if math.isnan(x):
        raise CellError("expected a number, got NaN")
    if math.isinf(x) and not _unlimited_allowed(col):
        raise CellError("must be a finite number")
    return x


def _unlimited_allowed(col: Column) -> bool:
    return isinstance(col.default, float) and math.isinf(col.default)


def _check_bounds(x: float, col: Column) -> None:
    if col.min is not None:
        if col.min_exclusive and not x > col.min:
            raise CellError(f"must be greater than {col.min:g}, got {x:g}")
        if x < col.min:
            raise CellError(f"must be at least {col.min:g}, got {x:g}")
    if col.max is not None and x > col.max:
        raise CellError(f"must be at most {col.max:g}, got {x:g}")


def _check_magnitude(x: float, col: Column) -> None:
    if math.isinf(x) or x == 0:
        return
    if abs(x) > MAX_MAGNITUDE:
        hint = " (leave it blank or write 'unlimited' for no limit)" if _unlimited_allowed(col) else ""
        raise CellError(f"{x:g} is too large: numbers above {MAX_MAGNITUDE:g} are beyond what the solver handles reliably{hint}")
    if abs(x) < MIN_MAGNITUDE:
        raise CellError(f"{x:g} is too small: the solver cannot tell numbers below {MIN_MAGNITUDE:g} from 0")


def coerce_cell(value: Any, col: Column) -> Any:
    """Typed value of one non-blank cell; raises CellError with a planner-readable reason."""
    if col.type == "str":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (dt.date, dt.datetime)):
            raise CellError(f"expected text, got a date ({value}); format the cell as text")
        text = str(value).strip()
        if col.enum and text not in col.enum:
            return _enum(text, col)
        return text
    if col.type == "enum":
        return _enum(str(value).strip(), col)
    if col.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(f"expected yes or no, got {str(value)!r}")
    x = _to_float(value, col)
    _check_bounds(x, col)
    _check_magnitude(x, col)
    if col.type == "int":
        if not float(x).is_integer():
            raise CellError(f"expected a whole number, got {x:g}")
        return int(x)
    return x


def _enum(text: str, col: Column) -> str:
    for choice in col.enum:
        if choice.lower() == text.lower():
            return choice
    raise CellError(f"{text!r} is not one of {', '.join(col.enum)}{suggest(text, col.enum)}")


def coerce_table(raw: RawTable, table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed DataFrame with the schema's columns (plus `_row`) and the problems found."""
    problems: list[Problem] = []
    header = [normalise_header(h) for h in raw.header]
    if not any(header):
        return to_frame([], table), _headerless(raw, table)
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name in positions:
            problems.append(Problem(raw.sheet, 1, name, "column appears twice in the header row"))
            continue
        positions[name] = i
    shifted = _header_below(raw, table, positions)
    if shifted:
        return to_frame([], table), [shifted]
    unknown = [h for h in header if h and h not in table.column_names]
    suggested: set[str] = set()
    for col in table.columns:
        if col.name not in positions and col.required:
            close = [h for h in unknown if _looks_renamed(h, col.name)] or difflib.get_close_matches(col.name, unknown, n=1, cutoff=0.6)
            hint = f" (did you mean '{_shown(raw, close[0])}'? Rename that header to '{col.name}')" if close else ""
            problems.append(Problem(raw.sheet, 1, col.name, "required column is missing" + hint, cause_of=table.name))
            suggested.update(close[:1])
    problems += _renamed_optional_columns(raw, table, positions, [h for h in unknown if h not in suggested])
    records: list[dict[str, Any]] = []
    for cells, row_no in zip(raw.rows, raw.row_numbers):
        values = {c.name: (cells[positions[c.name]] if c.name in positions and positions[c.name] < len(cells) else None) for c in table.columns}
        if all(is_blank(v) for v in values.values()):
            continue
        record: dict[str, Any] = {ROW_COLUMN: row_no}
        for col in table.columns:
            v = values[col.name]
            if is_blank(v):
                if col.required and col.name in positions:
                    problems.append(Problem(raw.sheet, row_no, col.name, "value is required"))
                record[col.name] = col.default
                continue
            try:
                record[col.name] = coerce_cell(v, col)
            except CellError as exc:
                problems.append(Problem(raw.sheet, row_no, col.name, str(exc)))
                record[col.name] = col.default
        records.append(record)
    return to_frame(records, table), problems


def _header_below(raw: RawTable, table: Table, positions: dict[str, int]) -> Problem | None:
    """One problem when row 1 is not the header but a row below it is (a title row above the
    column names): the sheet cannot be read, and every other problem about it follows from that."""
    required = [c.name for c in table.columns if c.required]
    if not required or all(name in positions for name in required):
        return None
    for cells, row_no in zip(raw.rows[:10], raw.row_numbers[:10]):
        names = {str(v).strip() for v in cells if not is_blank(v)}
        if sum(name in names for name in required) > len(required) / 2:
            return Problem(
                raw.sheet,
                1,
                None,
                f"the column names are in row {row_no}, not row 1: delete the row(s) above them "
                f"(row 1 must hold the column names; this sheet cannot be read until then)",
                cause_of=table.name,
            )
    return None


def _headerless(raw: RawTable, table: Table) -> list[Problem]:
    """An empty optional sheet is the same as no sheet; otherwise row 1 must name the columns."""
    has_data = any(not is_blank(v) for cells in raw.rows for v in cells)
    if not has_data and not table.required:
        return []
    names = ", ".join(c.name for c in table.columns if c.required)
    what = "the sheet is empty" if not has_data else "the header row is blank"
    return [Problem(raw.sheet, 1, None, f"{what}: row 1 must hold the column names (required: {names})", cause_of=table.name)]


def _renamed_optional_columns(raw: RawTable, table: Table, positions: dict[str, int], unknown: list[str]) -> list[Problem]:
    """Unrecognised headers that look like an absent optional column: its data would be lost."""
    problems = []
    absent = [c.name for c in table.columns if c.name not in positions and not c.required]
    for h in unknown:
        close = [c for c in absent if _looks_renamed(h, c)]
        if close:
            problems.append(
                Problem(
                    raw.sheet,
                    1,
                    _shown(raw, h),
                    f"column not recognised, so its values would be ignored: did you mean '{close[0]}'? Rename the header (or delete the column)",
                )
            )
    return problems


def _looks_renamed(header: str, name: str) -> bool:
    """Whether a (normalised) header looks like schema column `name` renamed: shortened
    ('capacity', 'Capacity (t/yr)') or near-spelt ('capacity_t_per_year'); not an extension
    ('period_note', 'name_urdu'), which is the planner's own extra column."""
    h = re.sub(r"[(\[].*?[)\]]", "", header).strip("_")
    if not h or h.startswith(name + "_"):
        return False
    if name.startswith(h + "_"):
        return True
    return h[:3] == name[:3] and difflib.SequenceMatcher(None, h, name).ratio() >= 0.8


def _shown(raw: RawTable, normalised: str) -> str:
    """The header as the planner typed it."""
    return next(str(x).strip() for x in raw.header if normalise_header(x) == normalised)


def to_frame(records: list[dict[str, Any]], table: Table) -> pd.DataFrame:
    """DataFrame with the schema's column order and stable dtypes, even when empty.

    float columns are float64 (blank = NaN); int columns int64 when no cell is blank; every
    other column is object dtype with blank = None (never NaN: checks and the model test `is None`).
    """
    if not records:  # most optional tables are absent: building their empty frames was ~20 % of validation
        return _empty_frame(table).copy()
    return _frame(records, table)


@functools.lru_cache(maxsize=256)
def _empty_frame(table: Table) -> pd.DataFrame:
    return _frame([], table)


def _frame(records: list[dict[str, Any]], table: Table) -> pd.DataFrame:
    data: dict[str, pd.Series] = {ROW_COLUMN: pd.Series([r[ROW_COLUMN] for r in records], dtype="int64")}
    for col in table.columns:
        values = [r.get(col.name) for r in records]
        if col.type == "float":
            data[col.name] = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")
        elif col.type == "int" and all(v is not None for v in values):
            data[col.name] = pd.Series(values, dtype="int64")
        else:
            data[col.name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data, columns=[ROW_COLUMN, *table.column_names])
