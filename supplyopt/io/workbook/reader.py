"""The results workbook reader: Results (summary and every table) back from a workbook written by
`write_results_workbook`, cell by cell through openpyxl (the record beside it is faster: see
supplyopt.io.plan). Results workbooks are untrusted input: anything wrong is an InputError."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from supplyopt.errors import InputError, Problem
from supplyopt.io.read import check_workbook_file
from supplyopt.io.workbook import layout
from supplyopt.io.workbook.layout import FORMAT, META, SUMMARY
from supplyopt.io.workbook.typed import EXCEL_DATA_ROWS, column_problems, count_problem, summary_problem
from supplyopt.results import Results

__all__ = ["read_results_workbook"]

_PANDAS_MAJOR = int(pd.__version__.split(".")[0])

# ---------------------------------------------------------------- reader


def _not_ours(path: Path, why: str) -> InputError:
    return InputError([Problem(str(path), None, None, f"not a supplyopt results workbook: {why}")])


def _summary_value(v: Any, tag: str | None) -> Any:
    try:
        if tag == "none":
            return None
        if tag == "float":
            return float("nan") if v is None else float(v)
        if tag == "int":
            return None if v is None else int(v)
        if tag == "bool":
            return None if v is None else bool(v)
        if tag == "str":
            return "" if v is None else str(v)
        if tag == "json":
            return None if v is None else json.loads(v)
        if tag == "date" and isinstance(v, dt.datetime):
            return v.date()
    except (TypeError, ValueError):
        pass
    return v


def _read_summary(path: Path, ws) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """(summary items in order, marker items, each item's sheet row) from the Summary sheet."""
    rows = [tuple(r[:2]) + (None,) * (2 - len(r[:2])) for r in ws.iter_rows(min_col=1, max_col=2, values_only=True)]
    try:
        start = next(i for i, r in enumerate(rows[:20]) if r == ("item", "value")) + 1
    except StopIteration:
        raise _not_ours(path, "its Summary sheet has no 'item | value' header") from None
    summary: dict[str, Any] = {}
    where: dict[str, int] = {}
    i = start
    while i < len(rows) and rows[i][0] is not None:
        summary[str(rows[i][0])] = rows[i][1]
        where[str(rows[i][0])] = i + 1
        i += 1
    marker = {str(k): v for k, v in rows[i:] if k is not None}
    return summary, marker, where


def _read_meta(path: Path, ws):
    summary_types: dict[str, str] = {}
    tables: dict[str, dict] = {}
    problems = []
    for i, r in enumerate(ws.iter_rows(min_row=2, max_col=7, values_only=True), start=2):
        kind, name, sheet, column, dtype, nrows, blank = tuple(r) + (None,) * (7 - len(r))
        if kind in ("table", "part"):
            nrows, problem = count_problem(f"{path} sheet {META}", f"row {i}", nrows)
            if problem:
                problems.append(problem)
        if kind == "summary":
            summary_types[str(name)] = dtype
        elif kind == "table":
            tables[str(name)] = {"sheet": str(sheet), "rows": nrows, "parts": [], "columns": [], "dtypes": {}, "empty": set(), "index": []}
        elif kind == "part" and str(name) in tables:
            tables[str(name)]["parts"].append((str(sheet), nrows))
        elif kind in ("column", "index", "index_unnamed") and str(name) in tables:
            t = tables[str(name)]
            col = "" if column is None else str(column)
            t["columns"].append(col)
            t["dtypes"][col] = dtype
            if blank == "empty":
                t["empty"].add(col)
            if kind != "column":
                t["index"].append((col, kind == "index_unnamed"))
    if problems:
        raise InputError(problems)
    return summary_types, tables


def _restore(series: pd.Series, dtype: str | None) -> pd.Series:
    """The column with the dtype it was written with, when the cells allow it."""
    if not dtype or dtype == "object":
        return series
    if dtype == "str" and _PANDAS_MAJOR < 3:
        return series  # pandas 3's string dtype; pandas 2 keeps text as object
    if re.fullmatch(r"u?int\d+|bool", dtype) and series.isna().any():
        return series  # a blank cell in an integer/bool column (edited by hand?): keep what is there
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series


def _parts(info: dict) -> list[tuple[str, int]]:
    """(sheet, data rows) of each sheet of a table: its 'part' rows when it is continued on more
    sheets, else its one sheet (format version 1 records no parts)."""
    return info["parts"] or [(info["sheet"], info["rows"])]


def _sheet_rows(ws, n_expected: int) -> tuple[list[str], list[tuple]]:
    """(header, the first n_expected data rows, each as wide as the header) of one sheet. Rows
    the sheet lacks (trailing blank rows are not stored) come back blank."""
    header = None
    rows = []
    for r in ws.iter_rows(values_only=True):
        if header is None:
            header = ["" if h is None else str(h) for h in r]
            while header and header[-1] == "":
                header.pop()
            continue
        if len(rows) >= n_expected:
            break
        rows.append(r)
    header = header or []
    width = len(header)
    rows = [tuple(r[:width]) + (None,) * (width - len(r[:width])) for r in rows]
    rows += [(None,) * width] * (n_expected - len(rows))
    return header, rows


def _table_rows(path: Path, wb, info: dict) -> tuple[list[str], list[tuple]]:
    """(header, rows) of a table, its continuation sheets' rows appended in order. Each
    continuation sheet must repeat the first sheet's header: rows under another header would land
    in the wrong columns."""
    parts = _parts(info)
    header, rows = _sheet_rows(wb[parts[0][0]], parts[0][1])
    for sheet, n in parts[1:]:
        more_header, more = _sheet_rows(wb[sheet], n)
        if more_header != header:
            msg = f"header differs from sheet '{parts[0][0]}': a continuation sheet repeats the table's header"
            raise InputError([Problem(f"{path} sheet {sheet}", 1, None, msg)])
        rows += more
    return header, rows


def _typed_problems(path: Path, info: dict, header: list[str], rows: list[tuple]) -> list:
    """Cells whose type is not their column's (text in a number column, ...), by sheet and row."""
    problems = []
    offset = 0
    for sheet, n in _parts(info):
        part = rows[offset : offset + n]
        for j, c in enumerate(header):
            if c in info["dtypes"]:
                problems += column_problems(f"{path} sheet {sheet}", 2, c, info["dtypes"][c], [r[j] for r in part])
        offset += n
    return problems


def _read_table(path: Path, wb, info: dict) -> pd.DataFrame:
    header, rows = _table_rows(path, wb, info)
    problems = _typed_problems(path, info, header, rows)
    if problems:
        raise InputError(problems)
    expected = info["columns"]
    if expected and header != expected:
        missing = [c for c in expected if c not in header]
        if missing:
            raise InputError([Problem(f"{path} sheet {info['sheet']}", 1, c, "column missing from the results table") for c in missing])
    df = pd.DataFrame(rows, columns=header) if rows else pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
    if expected:
        df = df[[c for c in expected if c in header] + [c for c in header if c not in expected]]
    for j, c in enumerate(df.columns):
        col = df.iloc[:, j]
        if c in info["empty"]:
            # every blank cell of such a column held '': pandas 3 made the Nones NaN in a str column
            col = col.fillna("")
        df.isetitem(j, _restore(col, info["dtypes"].get(c)))
    if info["index"]:
        names = [c for c, _ in info["index"]]
        df = df.set_index(names)
        df.index.names = [None if unnamed else c for c, unnamed in info["index"]]
    return df


def _check_sheets(path: Path, wb, table_info: dict[str, dict]) -> None:
    """Every sheet the meta sheet names is there, and a continued table's sheets add up to its
    rows (else rows would be lost or invented without a word)."""
    missing = [s for info in table_info.values() for s, _ in _parts(info) if s not in wb.sheetnames]
    if missing:
        raise InputError([Problem(str(path), None, None, f"results sheet '{s}' is missing") for s in missing])
    bad = [name for name, info in table_info.items() if sum(n for _, n in _parts(info)) != info["rows"] or any(n > EXCEL_DATA_ROWS for _, n in _parts(info))]
    if bad:
        raise InputError([Problem(str(path), None, None, f"the '{META}' sheet's row counts of table '{name}' do not add up") for name in bad])


def read_results_workbook(path: str | os.PathLike) -> Results:
    """Results (summary and every table) from a workbook written by `write_results_workbook`.

    Raises InputError naming the file when it is missing, not a workbook, or not a supplyopt
    results workbook. The report-only sheets (CostSummary, SalesSummary) and charts are skipped; a
    table continued on more sheets ('Flows', 'Flows (2)', ...) comes back as one table."""
    p = Path(path)
    if not p.exists() or p.is_dir():
        raise InputError([Problem(str(p), None, None, "file not found" if not p.exists() else "is a folder, not a results workbook")])
    try:  # the checks every input gets: a regular file, a real zip, no zip bomb, no DTD
        check_workbook_file(p)
    except InputError as exc:
        raise InputError([Problem(str(p), pr.row, pr.column, f"not a supplyopt results workbook: {pr.message}") for pr in exc.problems]) from None
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:  # SyntaxError: XML ParseError
        raise _not_ours(p, f"cannot be opened as an .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if SUMMARY not in wb.sheetnames:
            raise _not_ours(p, "it has no Summary sheet")
        raw_summary, marker, summary_rows = _read_summary(p, wb[SUMMARY])
        if marker.get("format") != FORMAT:
            raise _not_ours(p, f"its Summary sheet lacks the 'format = {FORMAT}' marker")
        version = marker.get("format_version")
        newest = max(layout.FORMAT_VERSION, layout.SPLIT_FORMAT_VERSION)
        if not isinstance(version, int) or version > newest:
            raise _not_ours(p, f"format_version {version!r} is not one this supplyopt reads (up to {newest}); update supplyopt")
        if META not in wb.sheetnames:
            raise _not_ours(p, f"its hidden '{META}' sheet is missing (was the workbook re-saved by another program?)")
        summary_types, table_info = _read_meta(p, wb[META])
        bad = [summary_problem(f"{p} sheet {SUMMARY}", summary_rows[k], k, summary_types.get(k), v) for k, v in raw_summary.items()]
        if any(bad):
            raise InputError([b for b in bad if b is not None])
        summary = {k: _summary_value(v, summary_types.get(k)) for k, v in raw_summary.items()}
        _check_sheets(p, wb, table_info)
        tables = {name: _read_table(p, wb, info) for name, info in table_info.items()}
    # sheets are parsed lazily: a damaged or hand-crafted one fails here, inside openpyxl (a cell
    # type it cannot convert: ValueError/TypeError/KeyError/IndexError)
    except (zipfile.BadZipFile, SyntaxError, EOFError, ValueError, TypeError, KeyError, IndexError, OverflowError, zlib.error) as exc:
        raise InputError([Problem(str(p), None, None, f"the workbook is damaged ({type(exc).__name__}: {exc})")]) from exc
    finally:
        wb.close()
    return Results(tables, summary, None, {"source": str(p), "format_version": version})
