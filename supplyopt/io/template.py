"""Input workbooks from the schema: the blank template, and instances saved as workbooks or CSV.

`write_template(path)` writes the workbook a planner fills in: a README sheet, then one sheet per
schema table (in `schema.TABLES` order) with the exact column names, a note on every header
(`Column.header_note`), frozen headers, number formats and dropdowns (enum choices, and for
reference columns the key column of the referenced sheet, so a corridor's from_node is picked
from the Nodes sheet). With `records` the rows are written under the headers; the workbook
then reads back (`supplyopt.io.read.read_input`) into the same Instance as
`supplyopt.io.memory.instance_from_records(records)`.

Cell conventions (chosen so that reading back gives the same values):
- None / NaN are left blank; +inf is left blank where blank means unlimited (the column's
  default is unlimited), elsewhere written as the text "inf" so the reader still reports it.
- Text is always stored as text, never as a formula or an error value, even when it starts
  with '=', '+', '-', '@' or looks like "#N/A".
- yes/no columns are written as "yes" / "no".
- A float that Excel's 16-digit number format would not give back exactly (machine-made data
  such as 0.1 + 0.2) is written as its exact decimal text; the reader parses it back exactly.

Every write is atomic (temporary file in the target folder, then `os.replace`) and refuses to
replace an existing file unless `overwrite=True`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import supplyopt
from supplyopt.errors import OutputError, suggest
from supplyopt.inputs.coerce import ROW_COLUMN, normalise_header
from supplyopt.schema import SETTINGS, TABLES, TABLES_BY_NAME, Column, Setting, Table

Records = Mapping[str, Sequence[Mapping[str, Any]]]

README_SHEET = "README"
LISTS_SHEET = "Lists"  # hidden sheet holding dropdown choices too long for an inline list
VALIDATION_ROWS = 2000  # dropdowns and references cover rows 2..VALIDATION_ROWS (more if the data is longer)
MONEY_TONNAGE_FORMAT = "#,##0.##"
TEXT_FORMAT = "@"
_MONEY_TONNAGE_UNITS = {"USD", "USD/yr", "USD/t", "t", "t/yr", "t/convoy", "USD/convoy"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_INLINE_LIST = 255  # Excel's limit for an inline list validation formula

_REQUIRED_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
_OPTIONAL_FILL = PatternFill("solid", start_color="9DC3E6", end_color="9DC3E6")
_EXTRA_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
_REQUIRED_FONT = Font(bold=True, color="FFFFFF")
_OPTIONAL_FONT = Font(bold=True, color="000000")
_TITLE_FONT = Font(bold=True, size=14)
_HEADING_FONT = Font(bold=True, size=12)
_BOLD = Font(bold=True)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_template(
    path: str | Path,
    records: Records | None = None,
    extra_sheets: Records | None = None,
    overwrite: bool = False,
) -> Path:
    """Write an input workbook and return its path.

    records=None gives the blank template (headers only; the Settings sheet lists every setting
    with its default). With records ({table: [{column: value}, ...]}) the rows are written under
    the headers. `extra_sheets` ({sheet: [row dicts]}, e.g. "Sources") follow the tables as plain
    tables; the reader ignores them. Raises OutputError if the file exists and overwrite is False,
    or if it cannot be written.
    """
    target = _check_target(Path(path), ".xlsx", overwrite)
    _check_table_names(records)
    extra = dict(extra_sheets or {})
    _check_extra_sheet_names(extra)

    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = README_SHEET
    _write_readme(readme)
    lists = _Lists(wb)
    row_counts = {t.name: len((records or {}).get(t.name, ())) for t in TABLES}
    for table in TABLES:
        ws = wb.create_sheet(table.name)
        if records is None:
            rows = _default_settings_rows() if table.name == "Settings" else []
        else:
            rows = list(records.get(table.name, ()))
        _write_table_sheet(ws, table, rows, row_counts, lists)
    for name, rows in extra.items():
        _write_plain_sheet(wb.create_sheet(name), list(rows))
    lists.finish()
    _atomic_save(target, lambda tmp: wb.save(tmp))
    return target


def write_instance_csv(folder: str | Path, records: Records | None = None, overwrite: bool = False) -> list[Path]:
    """Write one UTF-8 <Table>.csv (header row first) per schema table into `folder`.

    The folder is created if needed; tables without records get a header-only file, and with
    records=None the Settings file lists every setting with its default. Refuses (OutputError)
    to replace any existing <Table>.csv unless overwrite=True; each file is written atomically.
    Files carry a UTF-8 byte-order mark so that Excel shows non-ASCII names correctly.
    Note that CSV has no way to mark text as literal: a spreadsheet opening the file may treat
    text starting with '=' as a formula (the supplyopt reader never does).
    """
    if isinstance(folder, Mapping):
        raise TypeError("write_instance_csv(folder, records): the first argument is the folder (arguments swapped?)")
    out = Path(folder)
    _check_table_names(records)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder: give a folder for the CSV tables")
    targets = [out / f"{t.name}.csv" for t in TABLES]
    existing = [p.name for p in targets if p.exists()]
    if existing and not overwrite:
        raise OutputError(f"{out} already has {', '.join(existing)}; choose another folder or allow overwriting (--force)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {out}: {exc.strerror or exc}") from None
    for table, target in zip(TABLES, targets):
        if records is None:
            rows = _default_settings_rows() if table.name == "Settings" else []
        else:
            rows = list(records.get(table.name, ()))
        header, cols, keys = _layout(table, rows)
        lines = [header] + [[_csv_text(_lookup(rec, keys[i]), cols[i]) for i in range(len(header))] for rec in rows]

        def save(tmp: str, lines: list[list[str]] = lines) -> None:
            with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
                csv.writer(fh).writerows(lines)

        _atomic_save(target, save, suffix=".csv", check_exists=not overwrite)
    return targets


def records_from_instance(inst: Any) -> dict[str, list[dict[str, Any]]]:
    """{table: [row dicts]} of an Instance's tables (without `_row`), e.g. to save it as a workbook.

    `write_template(path, records_from_instance(inst))` then reads back into the same tables
    (rows renumbered from spreadsheet row 2).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        df = inst.tables.get(table.name)
        if df is None:
            continue
        cols = [c for c in table.column_names if c in df.columns]
        out[table.name] = [{c: _plain(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]
    return out


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT; False for anything else (including lists)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """Python scalar for numpy scalars; None for missing values."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _unlimited_blank(col: Column | None) -> bool:
    return col is None or (isinstance(col.default, float) and math.isinf(col.default))


def _cell_value(value: Any, col: Column | None) -> Any:
    """What to store in a cell for `value` in column `col` (None = leave blank)."""
    value = _plain(value)
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
            if value > 0 and _unlimited_blank(col):
                return None
            return "inf" if value > 0 else "-inf"
        if float(f"{value:.16g}") != value:  # openpyxl writes 16 significant digits
            return repr(value)
        return value
    return value


def _csv_text(value: Any, col: Column | None) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        if col is not None and col.type == "bool":
            return "yes" if value else "no"
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "" if value > 0 and _unlimited_blank(col) else ("inf" if value > 0 else "-inf")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
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
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


# ---------------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------------


def _layout(table: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[Column | None], list[str | None]]:
    """Header, schema column (or None) and record key for each sheet column.

    Schema columns first in schema order (record keys matched as the reader matches headers),
    then any other record keys in first-seen order so that nothing given is silently dropped.
    """
    header = list(table.column_names)
    cols: list[Column | None] = list(table.columns)
    keys: list[str | None] = [None] * len(header)
    for rec in rows:
        for key in rec:
            if key == ROW_COLUMN:
                continue
            name = normalise_header(key)
            if name in table.column_names and keys[table.column_names.index(name)] in (None, key):
                keys[table.column_names.index(name)] = key
            elif key not in keys:
                header.append(str(key))
                cols.append(None)
                keys.append(key)
    return header, cols, keys


def _lookup(rec: Mapping[str, Any], key: str | None) -> Any:
    return None if key is None else rec.get(key)


def _number_format(col: Column | None) -> str | None:
    if col is None:
        return None
    if col.type in ("str", "enum"):
        return TEXT_FORMAT
    if col.type == "float" and col.unit in _MONEY_TONNAGE_UNITS:
        return MONEY_TONNAGE_FORMAT
    return None


def _default_settings_rows() -> list[dict[str, Any]]:
    return [{"name": s.name, "value": _setting_default_value(s)} for s in SETTINGS]


def _setting_default_value(s: Setting) -> Any:
    if isinstance(s.default, bool):
        return "yes" if s.default else "no"
    return s.default


def _write_table_sheet(ws: Worksheet, table: Table, rows: list[Mapping[str, Any]], row_counts: Mapping[str, int], lists: _Lists) -> None:
    header, cols, keys = _layout(table, rows)
    for j, (name, col) in enumerate(zip(header, cols), start=1):
        cell = _set_cell(ws, 1, j, name)
        if col is None:
            cell.font, cell.fill = _OPTIONAL_FONT, _EXTRA_FILL
            continue
        cell.font = _REQUIRED_FONT if col.required else _OPTIONAL_FONT
        cell.fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        cell.comment = _comment(col.header_note)
    for i, rec in enumerate(rows, start=2):
        for j, (col, key) in enumerate(zip(cols, keys), start=1):
            cell = _set_cell(ws, i, j, _cell_value(_lookup(rec, key), col))
            fmt = _number_format(col)
            if fmt:
                cell.number_format = fmt
    last_row = max(VALIDATION_ROWS, len(rows) + 1)
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        dim = ws.column_dimensions[letter]
        dim.width = _width(header[j - 1], (_lookup(rec, keys[j - 1]) for rec in rows[:500]))
        fmt = _number_format(col)
        if fmt:
            dim.number_format = fmt  # new rows typed by the planner get the format too
        if col is not None:
            dv = _validation(col, row_counts, lists)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last_row}")
    ws.freeze_panes = "A2"


def _comment(text: str) -> Comment:
    lines = sum(max(1, math.ceil(len(part) / 40)) for part in text.split("\n"))
    c = Comment(text, "supplyopt")
    c.width = 300
    c.height = 30 + 16 * lines
    return c


def _width(header: str, values: Iterable[Any]) -> float:
    longest = len(header)
    for v in values:
        v = _plain(v)
        if v is None:
            continue
        text = f"{v:,.2f}" if isinstance(v, float) and not math.isinf(v) else str(v)
        longest = max(longest, len(text))
    return float(min(max(longest + 3, 10), 60))


def _validation(col: Column, row_counts: Mapping[str, int], lists: _Lists) -> DataValidation | None:
    """Dropdown or bound check for one schema column, or None."""
    allow_blank = not col.required
    blank_note = " or leave it blank" if allow_blank else ""
    if col.enum or col.type == "bool":
        choices = col.enum if col.enum else ("yes", "no")
        shown = ", ".join(choices)
        return DataValidation(
            type="list",
            formula1=lists.formula(choices),
            allow_blank=allow_blank,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=f"Invalid {col.name}"[:32],
            error=_limit(f"{col.name} must be one of: {shown}{blank_note}."),
        )
    if col.ref:
        ref_table, ref_col = col.ref
        target = TABLES_BY_NAME.get(ref_table)
        if target is None or ref_col not in target.column_names:
            return None
        letter = get_column_letter(target.column_names.index(ref_col) + 1)
        last = max(VALIDATION_ROWS, row_counts.get(ref_table, 0) + 1)
        return DataValidation(
            type="list",
            formula1=f"{_sheet_ref(ref_table)}!${letter}$2:${letter}${last}",
            allow_blank=allow_blank,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=f"Unknown {col.name}"[:32],
            error=_limit(f"{col.name} must be a {ref_col} listed in column {letter} of the {ref_table} sheet{blank_note}. Add it to {ref_table} first."),
        )
    if col.type in ("float", "int") and (col.min is not None or col.max is not None):
        kind = "whole" if col.type == "int" else "decimal"
        bounds = []
        if col.min is not None and col.max is not None:
            dv = DataValidation(type=kind, operator="between", formula1=f"{col.min:g}", formula2=f"{col.max:g}")
            bounds.append(f"between {col.min:g} and {col.max:g}")
        elif col.min is not None:
            dv = DataValidation(type=kind, operator="greaterThan" if col.min_exclusive else "greaterThanOrEqual", formula1=f"{col.min:g}")
            bounds.append(f"{'greater than' if col.min_exclusive else 'at least'} {col.min:g}")
        else:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{col.max:g}")
            bounds.append(f"at most {col.max:g}")
        unit = f" ({col.unit})" if col.unit else ""
        what = "a whole number" if col.type == "int" else "a number"
        dv.allow_blank = allow_blank
        dv.showErrorMessage = True
        dv.errorStyle = "warning"  # text such as "unlimited" is still accepted by the reader
        dv.errorTitle = f"Check {col.name}"[:32]
        dv.error = _limit(f"{col.name} should be {what} {bounds[0]}{unit}{blank_note}.")
        return dv
    return None


def _sheet_ref(name: str) -> str:
    """Sheet name as written in a formula: bare when plain letters (Nodes), else quoted."""
    return name if name.isascii() and name.isalpha() else "'" + name.replace("'", "''") + "'"


def _limit(text: str, n: int = 255) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _Lists:
    """Dropdown choices: inline when short, else on a hidden Lists sheet."""

    def __init__(self, wb: openpyxl.Workbook):
        self.wb = wb
        self.ws: Worksheet | None = None
        self.columns: dict[tuple[str, ...], str] = {}

    def formula(self, choices: Sequence[str]) -> str:
        inline = '"' + ",".join(choices) + '"'
        if len(inline) <= _MAX_INLINE_LIST and not any("," in c or '"' in c for c in choices):
            return inline
        key = tuple(choices)
        if key not in self.columns:
            if self.ws is None:
                self.ws = self.wb.create_sheet(LISTS_SHEET)
            j = len(self.columns) + 1
            for i, choice in enumerate(choices, start=1):
                _set_cell(self.ws, i, j, choice)
            letter = get_column_letter(j)
            self.columns[key] = f"{_sheet_ref(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
        return self.columns[key]

    def finish(self) -> None:
        if self.ws is not None:
            self.wb.move_sheet(self.ws, offset=len(self.wb.sheetnames))
            self.ws.sheet_state = "hidden"


def _write_plain_sheet(ws: Worksheet, rows: list[Mapping[str, Any]]) -> None:
    header: list[str] = []
    for rec in rows:
        header += [str(k) for k in rec if str(k) not in header]
    for j, name in enumerate(header, start=1):
        cell = _set_cell(ws, 1, j, name)
        cell.font, cell.fill = _OPTIONAL_FONT, _OPTIONAL_FILL
    for i, rec in enumerate(rows, start=2):
        by_name = {str(k): v for k, v in rec.items()}
        for j, name in enumerate(header, start=1):
            cell = _set_cell(ws, i, j, _cell_value(by_name.get(name), None))
            if isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(j)].width = _width(name, (rec.get(name) for rec in rows[:500]))
    ws.freeze_panes = "A2"


def _write_readme(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 110
    row = 1

    def line(text: str = "", font: Font | None = None) -> None:
        nonlocal row
        cell = _set_cell(ws, row, 1, text or None)
        if font is not None:
            cell.font = font
        row += 1

    line(f"supplyopt input workbook (supplyopt {supplyopt.__version__})", _TITLE_FONT)
    line("Plans Pakistan's critical-minerals export chain: mines, refinery sites, corridors, ports and markets.")
    line()
    line("How to use this workbook", _HEADING_FONT)
    for text in (
        "1. Fill the sheets: one row per item, under the header row. Keep the header names as they are.",
        "   Hover over a header to read what the column means, its unit and its default.",
        "   Dark blue headers are required columns; light blue headers are optional.",
        "   Cells with a dropdown take a value from a list, or a code listed on another sheet (e.g. a corridor's from_node must be on Nodes).",
        "2. Check it: supplyopt validate <this workbook>   lists every problem with its sheet, row and column.",
        "3. Solve it: supplyopt solve <this workbook>   writes a results workbook; this workbook is never changed.",
        "To make a scenario, copy the workbook and edit the copy.",
    ):
        line(text)
    line()
    line("Blank cells", _HEADING_FONT)
    for text in (
        "A blank optional cell takes the column's default (shown in the header note).",
        "A blank capacity or maximum means unlimited.",
        "A blank period means every period; a row naming a period overrides the blank row for that period.",
        "Rows that are entirely blank are ignored, and so are sheets not listed below (such as this README).",
    ):
        line(text)
    line()
    line("Units", _HEADING_FONT)
    for text in (
        "Money in USD; mass in tonnes (t), gold too; yearly rates in t/yr and USD/yr; distances in km.",
        "Numbers may be typed with thousands separators (1,000,000) and shares as percentages (8%) or decimals (0.08).",
        "Yes/no columns take yes or no.",
    ):
        line(text)
    line()
    line("Sheets", _HEADING_FONT)
    for j, head in enumerate(("Sheet", "Required", "Key columns", "What it holds"), start=1):
        _set_cell(ws, row, j, head).font = _BOLD
    row += 1
    for table in TABLES:
        _set_cell(ws, row, 1, table.name)
        _set_cell(ws, row, 2, "yes" if table.required else "no")
        _set_cell(ws, row, 3, ", ".join(table.key))
        _set_cell(ws, row, 4, table.doc).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    line()
    line("Settings (sheet Settings: one row per setting, columns name and value)", _HEADING_FONT)
    for j, head in enumerate(("Setting", "Default", "Unit", "Description"), start=1):
        _set_cell(ws, row, j, head).font = _BOLD
    row += 1
    for s in SETTINGS:
        _set_cell(ws, row, 1, s.name)
        _set_cell(ws, row, 2, _setting_default_text(s))
        _set_cell(ws, row, 3, s.unit or None)
        doc = s.doc + (" One of: " + ", ".join(s.enum) + "." if s.enum else "") + (" yes or no." if s.type == "bool" else "")
        _set_cell(ws, row, 4, doc).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.sheet_view.showGridLines = False


def _setting_default_text(s: Setting) -> str:
    if s.default is None:
        return "blank"
    if isinstance(s.default, bool):
        return "yes" if s.default else "no"
    return f"{s.default:g}" if isinstance(s.default, float) else str(s.default)


# ---------------------------------------------------------------------------------------------
# Checks and atomic writes
# ---------------------------------------------------------------------------------------------


def _check_target(path: Path, suffix: str, overwrite: bool) -> Path:
    if path.suffix.lower() != suffix:
        raise OutputError(f"{path}: the file name must end in {suffix}")
    if path.is_dir():
        raise OutputError(f"{path} is a folder, not a file name")
    if path.exists() and not overwrite:
        raise OutputError(f"{path} already exists; choose another name or allow overwriting (--force)")
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {path.parent} does not exist")
    return path


def _check_table_names(records: Records | None) -> None:
    unknown = [name for name in (records or {}) if name not in TABLES_BY_NAME]
    if unknown:
        hints = "".join(suggest(name, TABLES_BY_NAME) for name in unknown)
        raise OutputError(f"not input tables: {', '.join(map(str, unknown))}{hints}; pass other sheets as extra_sheets")


def _sheet_key(name: str) -> str:
    return name.strip().lower().replace(" ", "")


def _check_extra_sheet_names(extra: Mapping[str, Any]) -> None:
    reserved = {_sheet_key(t.name) for t in TABLES} | {_sheet_key(README_SHEET), _sheet_key(LISTS_SHEET)}
    seen: set[str] = set()
    for name in extra:
        key = _sheet_key(str(name))
        if key in reserved:
            raise OutputError(f"extra sheet '{name}' clashes with a sheet supplyopt writes (README, Lists or an input table)")
        if key in seen:
            raise OutputError(f"extra sheet '{name}' is given twice")
        seen.add(key)
        if not name or len(name) > 31 or any(ch in name for ch in "[]:*?/\\") or name.startswith("'") or name.endswith("'"):
            raise OutputError(f"extra sheet name '{name}' is not allowed by Excel (1-31 characters, none of [ ] : * ? / \\)")


def _atomic_save(target: Path, save: Any, suffix: str = ".xlsx", check_exists: bool = False) -> None:
    """save(tmp_path) into a temporary file next to target, then move it into place."""
    if check_exists and target.exists():
        raise OutputError(f"{target} already exists; choose another name or allow overwriting (--force)")
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}-", suffix=suffix, delete=False) as tmp:
            tmp_name = tmp.name
        save(tmp_name)
        os.replace(tmp_name, target)
        tmp_name = None
    except PermissionError as exc:
        raise OutputError(f"cannot write {target}: permission denied ({exc.strerror}); if the file is open in Excel, close it and try again") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


__all__ = ["write_template", "write_instance_csv", "records_from_instance", "VALIDATION_ROWS"]
