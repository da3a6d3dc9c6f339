"""The results workbook: a planner's report of one solved plan, and the machine-readable record
that `compare`, `map` and `stress` read back.

Sheets, in order:

- `Summary`: title, a warning row when the plan is not proven optimal, then an `item | value`
  table with every key of `Results.summary` in order (money with thousands separators, gaps as %,
  times in s); below it, after a blank row, the marker rows `format = supplyopt-results` and
  `format_version = 1`.
- `Costs`: the long-form cost table (one row per money term and period), as in `Results`.
- `CostSummary` (report only): present value by term (rows) and period (columns), a total
  column, the net present value row, and a bar chart of present value by term.
- one sheet per remaining table in `Results.tables` order (Refineries, Upgrades, Flows, ...;
  tables added later are written the same way), header in row 1;
  `SalesSummary` (report only) follows `Sales`: revenue by node and period, with a chart.
  A table longer than a sheet holds (`MAX_SHEET_ROWS` data rows under the header: Excel's
  1,048,576 rows) continues on the sheets right after it, `Flows (2)`, `Flows (3)`, ..., each with
  the same header, frozen pane, filter, widths and formats; the Summary then says so in a note
  below the marker rows, and the workbook is `format_version = 2` (a version-1 reader would read
  only the first sheet and pad the table with blank rows; it refuses the workbook instead).
- `_supplyopt` (hidden): which sheet holds which table (and, for a table continued on more sheets,
  each sheet with its row count), row counts, column dtypes and summary value types, so that
  `read_results_workbook` gives back equal tables (one table however many sheets it fills).

Every table sheet has a bold filled header, frozen header row, autofilter, fitted column widths
and number formats from the column name ('#,##0' for tonnes and USD, '0.0%' for utilisation,
share and gap). Text is always stored as text, never as a formula (a node named `=HYPERLINK(...)`
stays text); NaN, inf and None are blank cells. Workbooks whose largest table has more than
`WRITE_ONLY_ROWS` rows are streamed with openpyxl's write-only mode (same layout).

Speed: openpyxl makes the workbook (header rows, styles, report sheets, charts, meta) but not the
tables' data rows: those are formatted column by column straight into each sheet's XML and spliced
in after openpyxl has saved (`_splice`), the same cells openpyxl would write (numbers as '%.16g',
text as inline strings, the quote prefix as a style), ~10x cheaper per cell.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import numbers
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from supplyopt.errors import InputError, Problem
from supplyopt.io.atomic import atomic_write
from supplyopt.results import Results

__all__ = ["FORMAT", "FORMAT_VERSION", "MAX_SHEET_ROWS", "column_format", "read_results_workbook", "write_results_workbook"]

FORMAT = "supplyopt-results"
FORMAT_VERSION = 1  # written when every table fits on one sheet
# Written when a table is continued on more sheets: an older reader would read the first sheet only
# and pad the table with blank rows, so it must refuse the workbook instead.
SPLIT_FORMAT_VERSION = 2
SUMMARY = "Summary"
COSTS = "Costs"
COST_SUMMARY = "CostSummary"
SALES = "Sales"
SALES_SUMMARY = "SalesSummary"
META = "_supplyopt"
TITLE = "supplyopt results"
WRITE_ONLY_ROWS = 50_000  # above this many rows in one table, stream the workbook
# Data rows per sheet: Excel holds 1,048,576 rows, the header included; a longer table continues
# on more sheets ('Flows (2)', ...). Tests lower it to split small tables.
MAX_SHEET_ROWS = 1_048_575
WIDTH_SAMPLE_ROWS = 2_000  # rows looked at to fit a column's width
BODY_CHUNK_ROWS = 20_000  # table rows turned into XML at a time
# zlib level of the table sheets: level 1 deflates a big sheet ~3x faster than the default 6 for a
# file ~20 % larger (a million-row Flows sheet: ~0.4 GB of XML).
BODY_COMPRESSLEVEL = 1
MIN_WIDTH, MAX_WIDTH = 8, 50
_PANDAS_MAJOR = int(pd.__version__.split(".")[0])

MONEY = "#,##0"
UNIT_PRICE = "#,##0.00"
TONNES = "#,##0"
PERCENT = "0.0%"
GAP = "0.00%"
SECONDS = '0.00 "s"'
COUNT = "#,##0"
_MONOTONE_FORMATS = (MONEY, UNIT_PRICE, TONNES, PERCENT, GAP, SECONDS, COUNT)

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHARTS = "Charts"
MAP = "Map"
_RESERVED_SHEETS = (SUMMARY, COST_SUMMARY, SALES_SUMMARY, META, "History", CHARTS, MAP)


# ---------------------------------------------------------------- number formats


def column_format(name: Any) -> str | None:
    """Excel number format for a result column, from its name (None = General)."""
    n = str(name).lower()
    if any(k in n for k in ("utilisation", "utilization", "share", "gap", "probability")):
        return PERCENT
    if "usd_per_t" in n:  # unit prices and costs: keep cents
        return UNIT_PRICE
    if "usd" in n or n in ("nominal", "value_usd"):
        return MONEY
    if n == "t_per_yr" or n.endswith("_t_per_yr") or n.startswith("t_") or n.endswith("_t") or "_t_" in n:
        return TONNES
    return None


def _summary_format(key: str, value: Any) -> str | None:
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


def _plain(v: Any) -> Any:
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
        return _plain(float(v))
    if isinstance(v, str):
        return _text(v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v
    if isinstance(v, (dt.date, dt.time)):
        return v.replace(tzinfo=None) if isinstance(v, dt.time) and v.tzinfo else v
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, numbers.Real):
        return _plain(float(v))
    return _text(str(v))


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # lone surrogates and non-characters


def _text(s: str) -> str:
    # Control characters cannot be stored in a worksheet, nor what XML cannot hold (lxml refused
    # the whole workbook); Excel's own limit is 32,767 characters.
    return _NOT_XML.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", s))[:32767]


def _needs_guard(s: str) -> bool:
    """Would openpyxl or Excel take this text for a formula or an error value?"""
    return s.startswith(_FORMULA_START) or s in ERROR_CODES


def guard_text(cell) -> None:
    """Make an openpyxl cell holding text keep it as text (never a formula or an error value).
    For writers that set cells directly (comparison, sweep, frontier and stress workbooks)."""
    if isinstance(cell.value, str):
        cell.value = _text(cell.value)
        cell.data_type = "s"
        if _needs_guard(cell.value):
            cell.quotePrefix = True


def _cell(ws, value: Any, number_format: str | None = None, font: Font | None = None, fill: PatternFill | None = None, align: Alignment | None = None):
    """A value or a styled Cell for ws.append; text is always stored as text, never as a formula."""
    v = _plain(value)
    guard = isinstance(v, str) and _needs_guard(v)
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


def _display_len(v: Any, fmt: str | None) -> int:
    v = _plain(v)
    if v is None:
        return 0
    if isinstance(v, str):
        return max(len(line) for line in v.split("\n"))
    if isinstance(v, bool):
        return 5
    if isinstance(v, (int, float)):
        if fmt in (MONEY, TONNES, COUNT):
            return len(f"{v:,.0f}")
        if fmt == UNIT_PRICE:
            return len(f"{v:,.2f}")
        if fmt in (PERCENT, GAP):
            return len(f"{v * 100:.2f}%")
        if fmt == SECONDS:
            return len(f"{v:.2f} s")
        return min(len(repr(v)), 12)
    return len(str(v))


def _width(header: Any, values: Iterable[Any], fmt: str | None) -> float:
    longest = max([_display_len(v, fmt) for v in values] or [0])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2, len(str(header)) + 4)))  # +4: filter arrow


# ---------------------------------------------------------------- sheets


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused Excel sheet name for a table (31 characters, no []:*?/\\)."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in _text(str(name))).strip("'") or "Table"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in used:
        suffix = f" ({i})"
        cand, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(cand.lower())
    return cand


def _row_ranges(n: int) -> list[tuple[int, int]]:
    """(start, stop) of the data rows on each sheet of an n-row table: one sheet when it fits (an
    empty table still gets its header), else MAX_SHEET_ROWS rows a sheet, since Excel cannot open
    a sheet with more rows."""
    size = max(1, MAX_SHEET_ROWS)
    return [(start, min(start + size, n)) for start in range(0, n, size)] or [(0, 0)]


def _part_name(first: str, k: int, used: set[str]) -> str:
    """Name of the k-th sheet (k >= 2) of a table whose first sheet is `first`: 'Flows (2)', the
    first name shortened so that the whole stays within 31 characters, and unique (a table already
    called 'Flows (2)' makes it 'Flows (2) (2)'), so that the sheets of one table read as a run."""
    suffix = f" ({k})"
    return _sheet_name(first[: 31 - len(suffix)].rstrip() + suffix, used)


@dataclass
class _Placed:
    """Where a table goes: the flat frame, its index levels and (sheet, start, stop) per sheet."""

    name: str
    df: pd.DataFrame
    index: list[tuple[str, bool]]
    sheets: list[tuple[str, int, int]]

    @property
    def continued(self) -> list[str]:
        """The continuation sheets (all but the first)."""
        return [sheet for sheet, _, _ in self.sheets[1:]]


def _place_tables(order: list[str], tables: dict[str, tuple[pd.DataFrame, list]], used: set[str]) -> list[_Placed]:
    """Sheet names for every table and its continuation sheets, decided before anything is written
    because the Summary (written first) names the continuation sheets. Tables are named in
    workbook order, as before, so a workbook without long tables keeps its sheet names."""
    placed = []
    for name in order:
        df, index = tables[name]
        sheets: list[tuple[str, int, int]] = []
        for k, (start, stop) in enumerate(_row_ranges(len(df)), 1):
            sheet = _sheet_name(name, used) if k == 1 else _part_name(sheets[0][0], k, used)
            sheets.append((sheet, start, stop))
        placed.append(_Placed(name, df, index, sheets))
    return placed


def _style_header(ws, row: list[Any]) -> list[Any]:
    return [_cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL) for h in row]


def _frame(table: Any) -> tuple[pd.DataFrame, list[tuple[str, bool]]]:
    """The table as a flat DataFrame plus its index levels as (written column, was unnamed)."""
    df = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1 and df.index.name is None:
        return df, []
    names = list(df.index.names)
    flat = df.reset_index()
    written = [str(c) for c in flat.columns[: len(names)]]
    return flat, [(w, n is None) for w, n in zip(written, names)]


def _write_table(ws, df: pd.DataFrame, sample: pd.DataFrame | None = None) -> _Body | None:
    """Header in row 1 (bold, filled, frozen, filtered), one row per record, formats by column.

    The data rows of an ordinary table are not given to openpyxl (a Cell object and an XML
    element per value made the workbook cost more than extracting the results): they come back as
    a `_Body`, written straight into the saved sheet's XML by `_splice`. Tables holding values that
    path does not know (dates, arbitrary objects) are written cell by cell as before.
    `sample` (default: the first rows of df) sets the column widths: the continuation sheets of a
    long table pass the first sheet's, so that every sheet of the table looks the same."""
    cols = list(df.columns)
    fmts = [column_format(c) for c in cols]
    sample = df.head(WIDTH_SAMPLE_ROWS) if sample is None else sample
    for j, c in enumerate(cols, 1):
        ws.column_dimensions[get_column_letter(j)].width = _column_width(c, sample.iloc[:, j - 1], fmts[j - 1])
    ws.freeze_panes = "A2"
    if cols:
        ref = f"A1:{get_column_letter(len(cols))}{len(df) + 1}"
        ws.auto_filter.ref = ref
        # openpyxl writes a sheet's <dimension> only when it can calculate it: a streamed sheet
        # cannot, a spliced one would say A1:..1; without the right one every read-only reader
        # parses the whole sheet twice.
        ws.calculate_dimension = lambda: ref
    ws.append(_style_header(ws, [str(c) for c in cols]))
    if cols and len(df) and _splicable(df):
        return _Body(ws, df, [_style_attr(ws, f) for f in fmts], _style_attr(ws, quote=True))
    columns = [df.iloc[:, j].tolist() for j in range(len(cols))]
    for row in zip(*columns):
        ws.append([_cell(ws, v, f) for v, f in zip(row, fmts)])
    return None


# ---------------------------------------------------------------- table bodies as XML


@dataclass
class _Body:
    """A table's data rows (row 2 on) to splice into its sheet's XML after openpyxl has saved the
    workbook; openpyxl wrote the header row, widths, filter, frozen pane and the styles."""

    ws: Any
    df: pd.DataFrame
    styles: list[str]  # per column, the number format's style attribute (' s="3"') or ''
    quote: str  # style attribute of text carrying the quote prefix


_SIMPLE_TYPES = (str, float, int, bool, type(None), type(pd.NA), np.floating, np.integer, np.bool_, np.str_)


def _splicable(df: pd.DataFrame) -> bool:
    """True when every value is a number, bool, text or blank (what `_cells` writes); dates,
    Decimals and other objects keep openpyxl's own conversion."""
    for j in range(df.shape[1]):
        col = df.iloc[:, j]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf":
            continue
        if not all(issubclass(t, _SIMPLE_TYPES) for t in set(map(type, col.tolist()))):
            return False
    return True


def _style_attr(ws, number_format: str | None = None, quote: bool = False) -> str:
    """The ' s="n"' attribute of a cell with this number format (or quote prefix), registering
    the style in the workbook the way a styled openpyxl cell would; '' for the default style."""
    if not (number_format or quote):
        return ""
    c = WriteOnlyCell(ws, None)
    if number_format:
        c.number_format = number_format
    if quote:
        c.quotePrefix = True
    return f' s="{c.style_id}"'


def _xml_text(s: str) -> str:
    """Text (already through `_text`) as an inline-string cell's content, escaped as lxml would
    (a CR stays a CR)."""
    esc = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    space = ' xml:space="preserve"' if s != s.strip() else ""
    return f"<is><t{space}>{esc}</t></is></c>"


def _value_xml(v: Any, style: str, quote: str) -> str | None:
    """What follows '<c r="A2"' for one value (None: a blank cell, not written): numbers in
    openpyxl's '%.16g' with the column's format, text as text (quote prefix when a spreadsheet
    would take it for a formula or an error), like `_cell`."""
    v = _plain(v)
    if v is None:
        return None
    if isinstance(v, bool):
        return ' t="b"><v>1</v></c>' if v else ' t="b"><v>0</v></c>'
    if isinstance(v, (int, float)):
        return f'{style} t="n"><v>{v:.16g}</v></c>'
    if v == "":
        return None
    return f'{quote if _needs_guard(v) else ""} t="inlineStr">{_xml_text(v)}'


def _text_only(values: list) -> bool:
    """Only text and blanks (None, NaN)? Such a column can be factorised by value; a column
    with numbers cannot (True, 1 and 1.0, or 0.0 and -0.0, would share one key)."""
    types = set(map(type, values))
    if types <= {str, type(None)}:
        return True
    return types <= {str, type(None), float} and all(v != v for v in values if v.__class__ is float)


def _cells(col: pd.Series, letter: str, rows: range, style: str, quote: str) -> list[str]:
    """The <c> elements of one column over `rows` ('' where blank), one f-string per cell:
    numbers formatted in one comprehension, text converted once per distinct value."""
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iuf":
        x = col.to_numpy()
        ok = np.isfinite(x).tolist() if x.dtype.kind == "f" else [True] * len(x)
        tail = f'"{style} t="n"><v>'
        return [f'<c r="{letter}{r}{tail}{v:.16g}</v></c>' if good else "" for r, v, good in zip(rows, x.tolist(), ok)]
    values = col.tolist()
    if _text_only(values):  # ids and names: few distinct values, each converted once
        codes, uniques = pd.factorize(col)
        frags = [_value_xml(u, style, quote) for u in uniques] + [None]  # code -1 (blank) → None
        return [f'<c r="{letter}{r}"{f}' if (f := frags[c]) is not None else "" for r, c in zip(rows, codes.tolist())]
    out = []
    for r, v in zip(rows, values):
        frag = _value_xml(v, style, quote)
        out.append("" if frag is None else f'<c r="{letter}{r}"{frag}')
    return out


def _body_chunks(body: _Body) -> Iterable[bytes]:
    """The <row> elements of the table's data, BODY_CHUNK_ROWS rows at a time, as UTF-8."""
    df = body.df
    letters = [get_column_letter(j + 1) for j in range(df.shape[1])]
    for start in range(0, len(df), BODY_CHUNK_ROWS):
        part = df.iloc[start : start + BODY_CHUNK_ROWS]
        rows = range(start + 2, start + 2 + len(part))
        cols = [_cells(part.iloc[:, j], letters[j], rows, body.styles[j], body.quote) for j in range(len(letters))]
        xml = "".join([f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, zip(*cols))])
        yield xml.encode("utf-8", "replace")


def _splice(saved: bytes, out: Path, bodies: list[_Body]) -> None:
    """Copy the workbook openpyxl saved, writing each body's rows into its sheet's <sheetData>
    (after the header row), streamed so that a million-row table is never one string."""
    by_part = {b.ws.path.lstrip("/"): b for b in bodies}
    with zipfile.ZipFile(io.BytesIO(saved)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=BODY_COMPRESSLEVEL) as dst:
        for info in src.infolist():
            data = src.read(info)
            body = by_part.get(info.filename)
            if body is None:
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as f:
                f.write(head)
                for chunk in _body_chunks(body):
                    f.write(chunk)
                f.write(b"</sheetData>" + tail)


def _column_width(header: Any, sample: pd.Series, fmt: str | None) -> float:
    """`_width` of a table column from the distinct values of its sample; for formatted numbers
    from the extremes only (the displayed length grows with |value|, '-' included), so the
    same width as measuring every value."""
    if isinstance(sample.dtype, np.dtype) and sample.dtype.kind in "iuf" and fmt in _MONOTONE_FORMATS:
        x = sample.to_numpy()
        x = x[np.isfinite(x)] if x.dtype.kind == "f" else x
        values = [x.min(), x.max()] if len(x) else []
        if len(x) and x.dtype.kind == "f" and bool((np.signbit(x) & (x == 0)).any()):
            values.append(-0.0)  # prints '-0' but is not the minimum when a 0.0 is there too
        return _width(header, values, fmt)
    values = sample.tolist()
    try:  # keyed by type and repr: True, 1 and 1.0 (or 0.0 and -0.0) print differently
        values = list({(v.__class__, repr(v) if v.__class__ is float else v): v for v in values}.values())
    except TypeError:  # unhashable values: measure them all
        pass
    return _width(header, values, fmt)


def _not_optimal_note(summary: dict[str, Any]) -> tuple[str, str] | None:
    """(headline, explanation) when the summary's status is not 'optimal'."""
    status = summary.get("status")
    if status is None or status == "optimal":
        return None
    gap = summary.get("gap")
    if isinstance(gap, numbers.Real) and not isinstance(gap, bool) and math.isfinite(gap):
        head = f"NOT PROVEN OPTIMAL: gap {gap * 100:.1f} %"
        why = f"The best possible plan may be up to {gap * 100:.1f} % better than this one."
    else:
        head, why = "NOT PROVEN OPTIMAL: gap unknown", "How far this plan is from the best possible one is unknown."
    return head, f"HiGHS stopped (status: {status}) before proving this plan is the best. {why} A longer --time-limit may close the gap."


def _summary_type(v: Any) -> tuple[str, Any]:
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


def _written_version(placed: list[_Placed]) -> int:
    """The format_version this workbook needs: the split version only when a table is continued
    (older readers read split workbooks wrongly, ordinary ones rightly)."""
    return max(FORMAT_VERSION, SPLIT_FORMAT_VERSION) if any(p.continued for p in placed) else FORMAT_VERSION


def _continuation_notes(placed: list[_Placed]) -> list[str]:
    """One line per table continued on more sheets, for the planner: filtering or summing the
    first sheet alone would miss rows."""
    notes = []
    for p in placed:
        if p.continued:
            notes.append(
                f"{p.name} has {len(p.df):,} rows, more than one Excel sheet holds: sheet {p.sheets[0][0]} continues on "
                f"{', '.join(p.continued)} (same columns; together they are one table)."
            )
    return notes


def _write_summary(ws, summary: dict[str, Any], version: int = FORMAT_VERSION, notes: Iterable[str] = ()) -> None:
    items = [(str(k), *_summary_type(v)) for k, v in summary.items()]
    ws.column_dimensions["A"].width = _width("item", [TITLE[:20]] + [k for k, _, _ in items], None)
    ws.column_dimensions["B"].width = max(24.0, _width("value", [w for k, _, w in items], None))
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:B{4 + len(items)}"
    ws.append([_cell(ws, TITLE, font=TITLE_FONT)])
    note = _not_optimal_note(summary)
    ws.append([_cell(ws, note[0], font=WARN_FONT, fill=WARN_FILL), _cell(ws, None, fill=WARN_FILL)] if note else [])
    ws.append([_cell(ws, note[1], font=NOTE_FONT)] if note else [])
    ws.append(_style_header(ws, ["item", "value"]))
    for key, _tag, value in items:
        if key == "status":
            good = value == "optimal"
            ws.append([_cell(ws, key, font=TOTAL_FONT), _cell(ws, value, font=GOOD_FONT if good else WARN_FONT, fill=GOOD_FILL if good else WARN_FILL)])
        else:
            ws.append([_cell(ws, key), _cell(ws, value, _summary_format(key, value), align=Alignment(horizontal="right"))])
    ws.append([])
    ws.append([_cell(ws, "format", font=NOTE_FONT), _cell(ws, FORMAT, font=NOTE_FONT)])
    ws.append([_cell(ws, "format_version", font=NOTE_FONT), _cell(ws, version, font=NOTE_FONT)])
    notes = list(notes)
    if notes:
        ws.append([])
    for note in notes:
        ws.append([_cell(ws, note, font=NOTE_FONT)])
    if not isinstance(ws, WriteOnlyWorksheet):
        _print_on_one_page(ws)  # item and value on the same printed page


def _ordered(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if _plain(v) is not None))


def _bar_chart(title: str, horizontal: bool, y_title: str, n_categories: int, n_series: int) -> BarChart:
    """A native Excel bar chart (horizontal bars when `horizontal`), sized to its categories."""
    ch = BarChart()
    ch.type = "bar" if horizontal else "col"
    ch.grouping = "clustered"
    ch.title = title
    ch.y_axis.title = y_title
    ch.y_axis.number_format = MONEY
    ch.x_axis.delete = False  # openpyxl >= 3.1 hides axes unless told not to
    ch.y_axis.delete = False
    bars = n_categories * max(1, n_series)
    if horizontal:
        ch.width, ch.height = 22.0, max(7.5, min(40.0, 3.0 + 0.7 * bars))
        ch.x_axis.scaling.orientation = "maxMin"  # first term at the top, as in the table
        ch.y_axis.crosses = "max"  # ... with the value axis still at the bottom
        ch.x_axis.tickLblPos = "low"  # term labels left of the plot, clear of negative bars
    else:
        ch.width, ch.height = max(16.0, min(60.0, 4.0 + 0.6 * bars)), 9.0
    if n_series == 1:
        ch.legend = None
    return ch


def _print_on_one_page(ws) -> None:
    """Report sheets print landscape, one page wide (table and chart together)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_cost_summary(ws, costs: pd.DataFrame) -> bool:
    """Present value by term × period, total column, NPV row and a bar chart; False if not possible."""
    need = {"term", "period", "present_value_usd"}
    if not need <= set(costs.columns) or costs.empty:
        return False
    terms = _ordered(costs["term"])
    periods = _ordered(costs["period"])
    pv = pd.to_numeric(costs["present_value_usd"], errors="coerce").fillna(0.0)
    cell_pv: dict[tuple, float] = {}
    for t, p, v in zip(costs["term"], costs["period"], pv):
        cell_pv[(t, p)] = cell_pv.get((t, p), 0.0) + float(v)
    first = costs.drop_duplicates("term").set_index("term")
    label = first["label"].to_dict() if "label" in costs.columns else {}
    kind = first["kind"].to_dict() if "kind" in costs.columns else {}
    header = ["term", "label", "kind"] + [f"PV {p}" for p in periods] + ["Total PV (USD)"]
    rows = []
    for t in terms:
        per = [cell_pv.get((t, p), 0.0) for p in periods]
        rows.append([t, label.get(t, t), kind.get(t)] + per + [sum(per)])
    totals = [sum(r[3 + i] for r in rows) for i in range(len(periods))]
    total_row = ["total", "Net present value", None] + totals + [sum(totals)]
    for j, h in enumerate(header):
        ws.column_dimensions[get_column_letter(j + 1)].width = _width(h, [r[j] for r in rows + [total_row]], MONEY if j >= 3 else None)
    ws.freeze_panes = "A2"
    last_col = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last_col}{len(rows) + 1}"
    ws.append(_style_header(ws, header))
    for r in rows:
        ws.append([_cell(ws, v, MONEY) for v in r])
    ws.append([_cell(ws, v, MONEY, font=TOTAL_FONT) for v in total_row])
    ws.append([])
    ws.append([_cell(ws, "Present values in USD, discounted to the start of the plan; revenue is positive, costs negative.", font=NOTE_FONT)])

    chart = _bar_chart("Net present value by term (USD)", True, "present value (USD)", len(rows), 1)
    total_col = len(header)
    chart.add_data(Reference(ws, min_col=total_col, max_col=total_col, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=2, min_row=2, max_row=len(rows) + 1))
    ws.add_chart(chart, f"{get_column_letter(total_col + 2)}2")
    _print_on_one_page(ws)
    return True


def _write_sales_summary(ws, sales: pd.DataFrame) -> bool:
    """Sales revenue by node × period with a column chart; False if the table does not allow it."""
    need = {"node", "period", "revenue_usd_per_yr"}
    if not need <= set(sales.columns) or sales.empty:
        return False
    df = sales.assign(_rev=pd.to_numeric(sales["revenue_usd_per_yr"], errors="coerce").fillna(0.0))
    nodes, periods = _ordered(df["node"]), _ordered(df["period"])
    if not nodes or not periods:
        return False
    n_scen = df["scenario"].nunique() if "scenario" in df.columns else 1
    total: dict[tuple, float] = {}
    for n, p, v in zip(df["node"], df["period"], df["_rev"]):
        total[(n, p)] = total.get((n, p), 0.0) + float(v) / max(n_scen, 1)
    header = ["node"] + [str(p) for p in periods]  # no total: rates per year of periods of unequal length do not add
    rows = [[n] + [total.get((n, p), 0.0) for p in periods] for n in nodes]
    for j, h in enumerate(header):
        ws.column_dimensions[get_column_letter(j + 1)].width = _width(h, [r[j] for r in rows], MONEY if j else None)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    ws.append(_style_header(ws, header))
    for r in rows:
        ws.append([_cell(ws, v, MONEY) for v in r])
    ws.append([])
    note = "Sales revenue in USD per year by node (columns: periods), summed over commodities"
    note += f"; mean over {n_scen} scenarios (unweighted)." if n_scen > 1 else "."
    ws.append([_cell(ws, note, font=NOTE_FONT)])

    chart = _bar_chart("Sales revenue by node and period (USD/yr)", False, "revenue (USD/yr)", len(rows), len(periods))
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(periods), min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=2, max_row=len(rows) + 1))
    ws.add_chart(chart, f"A{len(rows) + 5}")  # below the note, whatever the number of periods
    _print_on_one_page(ws)
    return True


def _write_meta(ws, summary_types: list[tuple[str, str]], tables: list[_Placed], version: int = FORMAT_VERSION) -> None:
    """The hidden record the reader works from. A table continued on more sheets also gets one
    'part' row per sheet (first included) with that sheet's row count, so the reader never
    depends on MAX_SHEET_ROWS; other tables are recorded exactly as in format version 1."""
    ws.sheet_state = "hidden"
    ws.append(["kind", "name", "sheet", "column", "dtype", "rows", "blank"])
    ws.append([_cell(ws, "format"), _cell(ws, FORMAT), None, None, None, version])
    for key, tag in summary_types:
        ws.append([_cell(ws, "summary"), _cell(ws, key), None, None, _cell(ws, tag)])
    for t in tables:
        name, sheet, df, index = t.name, t.sheets[0][0], t.df, t.index
        ws.append([_cell(ws, "table"), _cell(ws, name), _cell(ws, sheet), None, None, len(df)])
        if t.continued:
            for part, start, stop in t.sheets:
                ws.append([_cell(ws, "part"), _cell(ws, name), _cell(ws, part), None, None, stop - start])
        idx = dict(index)
        for j, c in enumerate(df.columns):
            col = df.iloc[:, j]
            role = ("index_unnamed" if idx[str(c)] else "index") if str(c) in idx else "column"
            ws.append([_cell(ws, role), _cell(ws, name), _cell(ws, sheet), _cell(ws, str(c)), _cell(ws, str(col.dtype)), None, _blank_means(col)])


def _blank_means(col: pd.Series) -> str | None:
    """'empty' when the column's blank cells were empty strings (Excel cannot store ''), else None."""
    if col.dtype.kind not in "OSU" and str(col.dtype) not in ("str", "string"):
        return None
    try:
        empty = col.isin([""])  # vectorised: a million-row table's text columns are checked fast
    except TypeError:  # unhashable values
        empty = col.map(lambda v: isinstance(v, str) and v == "")
    return "empty" if empty.any() and not col[~empty].isna().any() else None


def _write_sheets(wb, t: _Placed) -> list[_Body]:
    """Write a table on its sheet(s), in a row; each continuation sheet is laid out like the first
    (header, frozen pane, filter, formats, and the widths of the first sheet's rows). Returns the
    bodies still to splice."""
    bodies = []
    sample = t.df.head(WIDTH_SAMPLE_ROWS)
    for sheet, start, stop in t.sheets:
        part = t.df if not t.continued else t.df.iloc[start:stop]
        body = _write_table(wb.create_sheet(sheet), part, sample)
        if body is not None:
            bodies.append(body)
    return bodies


def _build(results: Results, out: Path) -> None:
    tables = {str(k): _frame(v) for k, v in results.tables.items()}
    write_only = max((len(df) for df, _ in tables.values()), default=0) > WRITE_ONLY_ROWS
    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    used = {s.lower() for s in _RESERVED_SHEETS}

    order = ([COSTS] if COSTS in tables else []) + [k for k in tables if k != COSTS]
    placed = _place_tables(order, tables, used)
    version = _written_version(placed)
    ws = wb.create_sheet(SUMMARY)
    _write_summary(ws, dict(results.summary), version, _continuation_notes(placed))

    bodies = []
    for t in placed:
        bodies += _write_sheets(wb, t)
        if t.name == COSTS:
            report = wb.create_sheet(COST_SUMMARY)
            if not _write_cost_summary(report, t.df):
                wb.remove(report)
        elif t.name == SALES:
            report = wb.create_sheet(SALES_SUMMARY)
            if not _write_sales_summary(report, t.df):
                wb.remove(report)

    charts = wb.create_sheet(CHARTS)
    if not _write_charts(charts, results.tables):
        wb.remove(charts)
    png = results.extra.get("map_png")
    if png and Path(png).exists():
        _write_map(wb.create_sheet(MAP), Path(png))
    summary_types = [(str(k), _summary_type(v)[0]) for k, v in results.summary.items()]
    _write_meta(wb.create_sheet(META), summary_types, placed, version)
    if not bodies:
        wb.save(out)
        return
    saved = io.BytesIO()
    wb.save(saved)
    _splice(saved.getvalue(), out, bodies)


def _base_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The undisrupted case of a table with a scenario column (all rows otherwise)."""
    if "scenario" in df.columns and (df["scenario"] == "base").any():
        return df[df["scenario"] == "base"]
    return df


def _pivot_block(ws, start_row: int, title: str, index_name: str, index: list, columns: list, values: dict, fmt: str) -> tuple[int, int]:
    """Write a small pivot (title row, header, rows) at start_row; returns (header row, last row).
    Rows are appended (write-only sheets allow nothing else), so blank rows pad up to start_row."""
    written = getattr(ws, "_supplyopt_rows", 0)
    for _ in range(start_row - 1 - written):
        ws.append([])
    ws._supplyopt_rows = start_row + 1 + len(index)
    ws.append([_cell(ws, title, font=Font(bold=True, size=12))])
    ws.append(_style_header(ws, [index_name] + [str(c) for c in columns]))
    for i in index:
        ws.append([_cell(ws, i)] + [_cell(ws, values.get((i, c), 0.0), fmt) for c in columns])
    return start_row + 1, start_row + 1 + len(index)


def _write_charts(ws, tables: dict[str, Any]) -> bool:
    """Native Excel charts of the plan (undisrupted case): exports by port and product over time,
    refinery utilisation over time, risk exposure by corridor. Data blocks sit left of each chart."""
    row = 1
    made = False
    ws.column_dimensions["A"].width = 28
    sales = tables.get(SALES)
    if isinstance(sales, pd.DataFrame) and len(sales):
        df = _base_rows(sales)
        df = df[pd.to_numeric(df["t_per_yr"], errors="coerce").fillna(0) > 0]
        if len(df):
            periods = _ordered(df["period"])
            series = _ordered(df["node"].astype(str) + " / " + df["commodity"].astype(str))
            vals = {}
            for n, c, p, t in zip(df["node"], df["commodity"], df["period"], df["t_per_yr"]):
                vals[(p, f"{n} / {c}")] = vals.get((p, f"{n} / {c}"), 0.0) + float(t)
            head, last = _pivot_block(ws, row, "Exports by port and product (t/yr)", "period", periods, series, vals, MONEY)
            ch = _bar_chart("Exports by port and product (t/yr)", False, "t/yr", len(periods), 1)
            ch.grouping, ch.overlap, ch.legend = "stacked", 100, ch.legend or None
            from openpyxl.chart.legend import Legend

            ch.legend = Legend()
            ch.add_data(Reference(ws, min_col=2, max_col=1 + len(series), min_row=head, max_row=last), titles_from_data=True)
            ch.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
            ch.y_axis.number_format = MONEY
            ws.add_chart(ch, f"{get_column_letter(len(series) + 3)}{row}")
            row = max(last + 3, row + 20)
            made = True
    ref = tables.get("Refineries")
    if isinstance(ref, pd.DataFrame) and len(ref) and "utilisation" in ref.columns:
        used = ref[ref["open"] == 1]
        if len(used):
            periods, sites = _ordered(ref["period"]), _ordered(used["site"])
            vals = {(p, j): float(u or 0.0) if u == u else 0.0 for j, p, u in zip(ref["site"], ref["period"], ref["utilisation"])}
            head, last = _pivot_block(ws, row, "Refinery utilisation (input ÷ capacity)", "period", periods, sites, vals, "0.0%")
            ch = LineChart()
            ch.title, ch.y_axis.title = "Refinery utilisation over time", "utilisation"
            ch.y_axis.number_format = "0%"
            ch.x_axis.delete = ch.y_axis.delete = False
            ch.width, ch.height = 18.0, 8.0
            ch.add_data(Reference(ws, min_col=2, max_col=1 + len(sites), min_row=head, max_row=last), titles_from_data=True)
            ch.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
            ws.add_chart(ch, f"{get_column_letter(len(sites) + 3)}{row}")
            row = max(last + 3, row + 18)
            made = True
    risk = tables.get("RiskExposure")
    if isinstance(risk, pd.DataFrame) and len(risk):
        df = _base_rows(risk)
        df = df[(df["element_type"] == "corridor") & (pd.to_numeric(df["exposure"], errors="coerce").fillna(0) > 0)]
        if len(df):
            corridors, periods = _ordered(df["element"]), _ordered(df["period"])
            vals = {(k, p): float(e) for k, p, e in zip(df["element"], df["period"], df["exposure"])}
            head, last = _pivot_block(ws, row, "Risk exposure by corridor (risk score × t/yr)", "corridor", corridors, periods, vals, MONEY)
            ch = _bar_chart("Risk exposure by corridor and period", True, "risk score × t/yr", len(corridors), len(periods))
            from openpyxl.chart.legend import Legend

            ch.legend = Legend()
            ch.add_data(Reference(ws, min_col=2, max_col=1 + len(periods), min_row=head, max_row=last), titles_from_data=True)
            ch.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
            ws.add_chart(ch, f"{get_column_letter(len(periods) + 3)}{row}")
            made = True
    return made


def _write_map(ws, png: Path) -> None:
    """The network map picture (drawn by supplyopt.io.map from the same Results)."""
    from openpyxl.drawing.image import Image

    ws.append([_cell(ws, "Network map: flows as line widths, corridor risk as colour; the PNG is also beside this workbook.", font=NOTE_FONT)])
    img = Image(str(png))
    img.width, img.height = img.width * 0.5, img.height * 0.5
    ws.add_image(img, "A3")


def write_results_workbook(results: Results, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write `results` to an .xlsx workbook at `path` (atomically) and return the path.

    Raises OutputError when `path` exists and `overwrite` is False, or is one of `protect`."""
    return atomic_write(Path(path), lambda tmp: _build(results, tmp), overwrite=overwrite, protect=protect)


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


def _read_summary(path: Path, ws) -> tuple[dict[str, Any], dict[str, Any]]:
    """(summary items in order, marker items) from the Summary sheet."""
    rows = [tuple(r[:2]) + (None,) * (2 - len(r[:2])) for r in ws.iter_rows(min_col=1, max_col=2, values_only=True)]
    try:
        start = next(i for i, r in enumerate(rows[:20]) if r == ("item", "value")) + 1
    except StopIteration:
        raise _not_ours(path, "its Summary sheet has no 'item | value' header") from None
    summary: dict[str, Any] = {}
    i = start
    while i < len(rows) and rows[i][0] is not None:
        summary[str(rows[i][0])] = rows[i][1]
        i += 1
    marker = {str(k): v for k, v in rows[i:] if k is not None}
    return summary, marker


def _read_meta(path: Path, ws):
    summary_types: dict[str, str] = {}
    tables: dict[str, dict] = {}
    for r in ws.iter_rows(min_row=2, max_col=7, values_only=True):
        kind, name, sheet, column, dtype, nrows, blank = tuple(r) + (None,) * (7 - len(r))
        if kind == "summary":
            summary_types[str(name)] = dtype
        elif kind == "table":
            tables[str(name)] = {"sheet": str(sheet), "rows": int(nrows or 0), "parts": [], "columns": [], "dtypes": {}, "empty": set(), "index": []}
        elif kind == "part" and str(name) in tables:
            tables[str(name)]["parts"].append((str(sheet), int(nrows or 0)))
        elif kind in ("column", "index", "index_unnamed") and str(name) in tables:
            t = tables[str(name)]
            col = "" if column is None else str(column)
            t["columns"].append(col)
            t["dtypes"][col] = dtype
            if blank == "empty":
                t["empty"].add(col)
            if kind != "column":
                t["index"].append((col, kind == "index_unnamed"))
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


def _read_table(path: Path, wb, info: dict) -> pd.DataFrame:
    header, rows = _table_rows(path, wb, info)
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
    bad = [name for name, info in table_info.items() if sum(n for _, n in _parts(info)) != info["rows"]]
    if bad:
        raise InputError([Problem(str(path), None, None, f"the '{META}' sheet's row counts of table '{name}' do not add up") for name in bad])


def read_results_workbook(path: str | os.PathLike) -> Results:
    """Results (summary and every table) from a workbook written by `write_results_workbook`.

    Raises InputError naming the file when it is missing, not a workbook, or not a supplyopt
    results workbook. The report-only sheets (CostSummary, SalesSummary) and charts are skipped; a
    table continued on more sheets ('Flows', 'Flows (2)', ...) comes back as one table."""
    p = Path(path)
    if not p.is_file():
        raise InputError([Problem(str(p), None, None, "file not found" if not p.exists() else "is a folder, not a results workbook")])
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:  # SyntaxError: XML ParseError
        raise _not_ours(p, f"cannot be opened as an .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if SUMMARY not in wb.sheetnames:
            raise _not_ours(p, "it has no Summary sheet")
        raw_summary, marker = _read_summary(p, wb[SUMMARY])
        if marker.get("format") != FORMAT:
            raise _not_ours(p, f"its Summary sheet lacks the 'format = {FORMAT}' marker")
        version = marker.get("format_version")
        newest = max(FORMAT_VERSION, SPLIT_FORMAT_VERSION)
        if not isinstance(version, int) or version > newest:
            raise _not_ours(p, f"format_version {version!r} is not one this supplyopt reads (up to {newest}); update supplyopt")
        if META not in wb.sheetnames:
            raise _not_ours(p, f"its hidden '{META}' sheet is missing (was the workbook re-saved by another program?)")
        summary_types, table_info = _read_meta(p, wb[META])
        summary = {k: _summary_value(v, summary_types.get(k)) for k, v in raw_summary.items()}
        _check_sheets(p, wb, table_info)
        tables = {name: _read_table(p, wb, info) for name, info in table_info.items()}
    except (zipfile.BadZipFile, SyntaxError, EOFError) as exc:  # sheets are parsed lazily: a damaged one fails here
        raise InputError([Problem(str(p), None, None, f"the workbook is damaged ({type(exc).__name__}: {exc})")]) from exc
    finally:
        wb.close()
    return Results(tables, summary, None, {"source": str(p), "format_version": version})
