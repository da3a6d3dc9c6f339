"""Table sheets of input workbooks: the layout of the columns, header notes and styles, number
formats, dropdowns (enum choices and references to other sheets' keys, long lists on a hidden
Lists sheet), and plain extra sheets."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from supplyopt.inputs.coerce import ROW_COLUMN, normalise_header
from supplyopt.io.template_cells import cell_value, plain_value, set_cell
from supplyopt.schema import SETTINGS, TABLES_BY_NAME, Column, Setting, Table

README_SHEET = "README"
LISTS_SHEET = "Lists"  # hidden sheet holding dropdown choices too long for an inline list
# Dropdowns and the code lists they offer cover every row of the sheet (Excel's last row), so rows
# the planner adds below the data get them too (a fixed row count stopped them at row 2000).
VALIDATION_ROWS = 1_048_576
# Which sheet lists the codes of an element_type (Upgrades, CapacityFactors, Disruptions): the
# `element` dropdown follows the row's element_type through a defined name (INDIRECT).
ELEMENT_TABLES = {"corridor": "Corridors", "port": "Ports", "refinery": "Refineries", "mine": "Mines"}
MONEY_TONNAGE_FORMAT = "#,##0.##"
TEXT_FORMAT = "@"
_MONEY_TONNAGE_UNITS = {"USD", "USD/yr", "USD/t", "t", "t/yr", "t/convoy", "USD/convoy"}
MAX_INLINE_LIST = 255  # Excel's limit for an inline list validation formula

REQUIRED_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
OPTIONAL_FILL = PatternFill("solid", start_color="9DC3E6", end_color="9DC3E6")
EXTRA_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
REQUIRED_FONT = Font(bold=True, color="FFFFFF")
OPTIONAL_FONT = Font(bold=True, color="000000")
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
BOLD_FONT = Font(bold=True)


def sheet_layout(table: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[Column | None], list[str | None]]:
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


def lookup_value(rec: Mapping[str, Any], key: str | None) -> Any:
    """The record's value for the sheet column's record key (None when the record has none)."""
    return None if key is None else rec.get(key)


def _number_format(col: Column | None) -> str | None:
    if col is None:
        return None
    if col.type in ("str", "enum"):
        return TEXT_FORMAT
    if col.type == "float" and col.unit in _MONEY_TONNAGE_UNITS:
        return MONEY_TONNAGE_FORMAT
    return None


def default_settings_rows() -> list[dict[str, Any]]:
    """Settings rows listing every setting with its default (the blank template)."""
    return [{"name": s.name, "value": setting_default_value(s)} for s in SETTINGS]


def setting_default_value(s: Setting) -> Any:
    """A setting's default as written in a cell (yes/no for booleans)."""
    if isinstance(s.default, bool):
        return "yes" if s.default else "no"
    return s.default


def write_table_sheet(ws: Worksheet, table: Table, rows: list[Mapping[str, Any]], row_counts: Mapping[str, int], lists: ChoiceLists) -> None:
    """Write one schema table: styled headers with notes, the rows, number formats, dropdowns, frozen header."""
    header, cols, keys = sheet_layout(table, rows)
    for j, (name, col) in enumerate(zip(header, cols), start=1):
        cell = set_cell(ws, 1, j, name)
        if col is None:
            cell.font, cell.fill = OPTIONAL_FONT, EXTRA_FILL
            continue
        cell.font = REQUIRED_FONT if col.required else OPTIONAL_FONT
        cell.fill = REQUIRED_FILL if col.required else OPTIONAL_FILL
        cell.comment = _comment(col.header_note)
    for i, rec in enumerate(rows, start=2):
        for j, (col, key) in enumerate(zip(cols, keys), start=1):
            cell = set_cell(ws, i, j, cell_value(lookup_value(rec, key), col))
            fmt = _number_format(col)
            if fmt:
                cell.number_format = fmt
    last_row = VALIDATION_ROWS
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        dim = ws.column_dimensions[letter]
        dim.width = column_width(header[j - 1], (lookup_value(rec, keys[j - 1]) for rec in rows[:500]))
        fmt = _number_format(col)
        if fmt:
            dim.number_format = fmt  # new rows typed by the planner get the format too
        if col is not None:
            dv = _validation(col, row_counts, lists) or _dependent_validation(table, col, header, lists)
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


def column_width(header: str, values: Iterable[Any]) -> float:
    """A column width that fits the header and the first values."""
    longest = len(header)
    for v in values:
        v = plain_value(v)
        if v is None:
            continue
        text = f"{v:,.2f}" if isinstance(v, float) and not math.isinf(v) else str(v)
        longest = max(longest, len(text))
    return float(min(max(longest + 3, 10), 60))


def _validation(col: Column, row_counts: Mapping[str, int], lists: ChoiceLists) -> DataValidation | None:
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
        last = VALIDATION_ROWS
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


def _dependent_validation(table: Table, col: Column, header: list[str], lists: ChoiceLists) -> DataValidation | None:
    """Dropdowns whose choices depend on another cell of the row: an `element` lists the codes of
    its row's element_type (Corridors or Ports, ...), a Scenarios `column` the columns of its row's
    table. Both go through names defined on the Lists sheet, looked up with INDIRECT."""
    if col.name == "element" and "element_type" in header:
        kinds = next((c.enum for c in table.columns if c.name == "element_type"), ())
        names = [lists.element_name(k) for k in kinds if k in ELEMENT_TABLES]
        if not names:
            return None
        source = get_column_letter(header.index("element_type") + 1)
        what, where = "a code listed on the sheet of its element_type", "the element_type's sheet (" + ", ".join(ELEMENT_TABLES[k] for k in kinds) + ")"
        prefix = ELEMENT_PREFIX
    elif table.name == "Scenarios" and col.name == "column" and "table" in header:
        for name in next((c.enum for c in table.columns if c.name == "table"), ()):
            lists.columns_name(TABLES_BY_NAME[name])
        source = get_column_letter(header.index("table") + 1)
        what, where = "a column of the table named in the table column", "that table's header row"
        prefix = COLUMNS_PREFIX
    else:
        return None
    return DataValidation(
        type="list",
        formula1=f'INDIRECT("{prefix}"&${source}2)',
        allow_blank=not col.required,
        showErrorMessage=True,
        errorStyle="warning",  # the reader names a wrong one with its cell; a typed code is kept
        errorTitle=f"Check {col.name}"[:32],
        error=_limit(f"{col.name} should be {what}: see {where}."),
    )


ELEMENT_PREFIX = "codes_"
COLUMNS_PREFIX = "columns_"


def _sheet_ref(name: str) -> str:
    """Sheet name as written in a formula: bare when plain letters (Nodes), else quoted."""
    return name if name.isascii() and name.isalpha() else "'" + name.replace("'", "''") + "'"


def _limit(text: str, n: int = 255) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class ChoiceLists:
    """Dropdown choices: inline when short, else on a hidden Lists sheet."""

    def __init__(self, wb: openpyxl.Workbook):
        self.wb = wb
        self.ws: Worksheet | None = None
        self.columns: dict[tuple, str] = {}

    def formula(self, choices: Sequence[str]) -> str:
        inline = '"' + ",".join(choices) + '"'
        if len(inline) <= MAX_INLINE_LIST and not any("," in c or '"' in c for c in choices):
            return inline
        key = tuple(choices)
        if key not in self.columns:
            self.columns[key] = self.place(choices)
        return self.columns[key]

    def defined_name(self, name: str, ref: str) -> str:
        """A workbook-level defined name for `ref` (once), for INDIRECT in dependent dropdowns."""
        from openpyxl.workbook.defined_name import DefinedName

        if name not in self.wb.defined_names:
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        return name

    def element_name(self, kind: str) -> str:
        """`codes_<kind>`: every row of the key column of the sheet listing that kind's codes."""
        table = TABLES_BY_NAME[ELEMENT_TABLES[kind]]
        letter = get_column_letter(table.column_names.index(table.key[0]) + 1)
        return self.defined_name(ELEMENT_PREFIX + kind, f"{_sheet_ref(table.name)}!${letter}$2:${letter}${VALIDATION_ROWS}")

    def columns_name(self, table: Table) -> str:
        """`columns_<Table>`: the header row of the table's own sheet (its column names)."""
        last = get_column_letter(len(table.column_names))
        return self.defined_name(COLUMNS_PREFIX + table.name, f"{_sheet_ref(table.name)}!$A$1:${last}$1")

    def place(self, choices: Sequence[str]) -> str:
        """Write choices into the next column of the Lists sheet; returns its absolute range."""
        if self.ws is None:
            self.ws = self.wb.create_sheet(LISTS_SHEET)
        j = len(self.columns) + 1
        for i, choice in enumerate(choices, start=1):
            set_cell(self.ws, i, j, choice)
        letter = get_column_letter(j)
        return f"{_sheet_ref(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"

    def finish(self) -> None:
        if self.ws is not None:
            self.wb.move_sheet(self.ws, offset=len(self.wb.sheetnames))
            self.ws.sheet_state = "hidden"


def write_plain_sheet(ws: Worksheet, rows: list[Mapping[str, Any]]) -> None:
    """Write an extra sheet (not an input table) as a plain table, headers from the row keys."""
    header: list[str] = []
    for rec in rows:
        header += [str(k) for k in rec if str(k) not in header]
    for j, name in enumerate(header, start=1):
        cell = set_cell(ws, 1, j, name)
        cell.font, cell.fill = OPTIONAL_FONT, OPTIONAL_FILL
    for i, rec in enumerate(rows, start=2):
        by_name = {str(k): v for k, v in rec.items()}
        for j, name in enumerate(header, start=1):
            cell = set_cell(ws, i, j, cell_value(by_name.get(name), None))
            if isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(j)].width = column_width(name, (rec.get(name) for rec in rows[:500]))
    ws.freeze_panes = "A2"
