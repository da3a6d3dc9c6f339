"""Typed checks of a results workbook read back: a results workbook is untrusted input (planners
e-mail them and edit them), so a cell whose type is not the one its column was written with is
an InputError naming the sheet, row and column, never a crash later in compare, map, stress or
explain (text in a number column used to reach their arithmetic)."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from typing import Any

from supplyopt.errors import Problem

MAX_PROBLEMS = 20  # per workbook: enough to see the pattern, short enough to read
# Excel's most data rows on one sheet; a meta sheet claiming more is tampered (and would make the
# reader pad millions of blank rows).
EXCEL_DATA_ROWS = 1_048_575


def is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def kind_of(dtype: str | None) -> str | None:
    """'float', 'int' or 'bool' for a numeric dtype as the meta sheet records it, else None."""
    d = str(dtype or "").lower()
    if re.fullmatch(r"float\d*|float64\[pyarrow\]|double\[pyarrow\]", d):
        return "float"
    if re.fullmatch(r"u?int\d*", d) or d in ("int64[pyarrow]",):
        return "int"
    if d in ("bool", "boolean"):
        return "bool"
    return None


def cell_problem(kind: str, v: Any) -> str | None:
    """Why `v` cannot be a cell of a column of this kind (None when it can; blank always can)."""
    if v is None:
        return None
    if kind == "float":
        return None if is_number(v) else f"expected a number, found {describe(v)}"
    if kind == "int":
        if is_number(v) and math.isfinite(float(v)) and float(v).is_integer():
            return None
        return f"expected a whole number, found {describe(v)}"
    if kind == "bool":
        return None if isinstance(v, bool) or v in (0, 1) else f"expected TRUE or FALSE, found {describe(v)}"
    return None


def describe(v: Any) -> str:
    if isinstance(v, str):
        shown = v if len(v) <= 40 else v[:39] + "…"
        return f"text {shown!r}"
    if isinstance(v, (dt.date, dt.time, dt.datetime)):
        return f"a date {v}"
    return f"{type(v).__name__} {v!r}"[:60]


def column_problems(where: str, first_row: int, column: str, dtype: str | None, values: list[Any]) -> list[Problem]:
    """Problems of one column's cells (rows numbered as in the sheet, header in row 1)."""
    kind = kind_of(dtype)
    if kind is None:
        return []
    out = []
    for i, v in enumerate(values):
        why = cell_problem(kind, v)
        if why:
            out.append(Problem(where, first_row + i, column, f"{why}: this results workbook was edited or damaged; re-solve, or restore the cell"))
            if len(out) >= MAX_PROBLEMS:
                break
    return out


def summary_problem(where: str, row: int, key: str, tag: str | None, v: Any) -> Problem | None:
    """A Summary value that does not fit the type recorded for it (a number key holding text)."""
    if v is None or tag not in ("float", "int", "bool"):
        return None
    why = cell_problem(tag, v)
    return Problem(where, row, key, f"{why}: the Summary value of '{key}' was edited") if why else None


def count_problem(where: str, what: str, value: Any) -> tuple[int, Problem | None]:
    """A row count from the meta sheet as an int, or a problem when it is not a sane count."""
    if value is None:
        return 0, None
    if is_number(value) and float(value).is_integer() and 0 <= value <= EXCEL_DATA_ROWS * 64:
        return int(value), None
    return 0, Problem(where, None, what, f"row count {describe(value)} is not a count of rows: the hidden sheet was edited")
