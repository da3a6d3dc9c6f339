"""Where things go in a results workbook: the sheet names and format markers, which sheet(s) each
table fills (a table longer than a sheet continues on 'Flows (2)', ...), and page setup.

`MAX_SHEET_ROWS`, `WRITE_ONLY_ROWS`, `FORMAT_VERSION` and `SPLIT_FORMAT_VERSION` are read from this
module when used (`layout.X`), never copied: tests lower them through the old
`supplyopt.io.results_workbook` name, which forwards the change here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from supplyopt.io.workbook.cells import text

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
CHARTS = "Charts"
MAP = "Map"
RESERVED_SHEETS = (SUMMARY, COST_SUMMARY, SALES_SUMMARY, META, "History", CHARTS, MAP)
# ---------------------------------------------------------------- sheets


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused Excel sheet name for a table (31 characters, no []:*?/\\)."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in text(str(name))).strip("'") or "Table"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in used:
        suffix = f" ({i})"
        cand, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(cand.lower())
    return cand


def row_ranges(n: int) -> list[tuple[int, int]]:
    """(start, stop) of the data rows on each sheet of an n-row table: one sheet when it fits (an
    empty table still gets its header), else MAX_SHEET_ROWS rows a sheet, since Excel cannot open
    a sheet with more rows."""
    size = max(1, MAX_SHEET_ROWS)
    return [(start, min(start + size, n)) for start in range(0, n, size)] or [(0, 0)]


def part_name(first: str, k: int, used: set[str]) -> str:
    """Name of the k-th sheet (k >= 2) of a table whose first sheet is `first`: 'Flows (2)', the
    first name shortened so that the whole stays within 31 characters, and unique (a table already
    called 'Flows (2)' makes it 'Flows (2) (2)'), so that the sheets of one table read as a run."""
    suffix = f" ({k})"
    return sheet_name(first[: 31 - len(suffix)].rstrip() + suffix, used)


@dataclass
class Placed:
    """Where a table goes: the flat frame, its index levels and (sheet, start, stop) per sheet."""

    name: str
    df: pd.DataFrame
    index: list[tuple[str, bool]]
    sheets: list[tuple[str, int, int]]

    @property
    def continued(self) -> list[str]:
        """The continuation sheets (all but the first)."""
        return [sheet for sheet, _, _ in self.sheets[1:]]


def place_tables(order: list[str], tables: dict[str, tuple[pd.DataFrame, list]], used: set[str]) -> list[Placed]:
    """Sheet names for every table and its continuation sheets, decided before anything is written
    because the Summary (written first) names the continuation sheets. Tables are named in
    workbook order, as before, so a workbook without long tables keeps its sheet names."""
    placed = []
    for name in order:
        df, index = tables[name]
        sheets: list[tuple[str, int, int]] = []
        for k, (start, stop) in enumerate(row_ranges(len(df)), 1):
            sheet = sheet_name(name, used) if k == 1 else part_name(sheets[0][0], k, used)
            sheets.append((sheet, start, stop))
        placed.append(Placed(name, df, index, sheets))
    return placed


def frame(table: Any) -> tuple[pd.DataFrame, list[tuple[str, bool]]]:
    """The table as a flat DataFrame plus its index levels as (written column, was unnamed)."""
    df = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1 and df.index.name is None:
        return df, []
    names = list(df.index.names)
    flat = df.reset_index()
    written = [str(c) for c in flat.columns[: len(names)]]
    return flat, [(w, n is None) for w, n in zip(written, names)]


def written_version(placed: list[Placed]) -> int:
    """The format_version this workbook needs: the split version only when a table is continued
    (older readers read split workbooks wrongly, ordinary ones rightly)."""
    return max(FORMAT_VERSION, SPLIT_FORMAT_VERSION) if any(p.continued for p in placed) else FORMAT_VERSION


def continuation_notes(placed: list[Placed]) -> list[str]:
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


def print_on_one_page(ws, title_rows: str | None = None) -> None:
    """Sheets print landscape on A4, one page wide and as many tall as they need, with the
    header row(s) `title_rows` ('1:1') repeated at the top of every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def table_name(sheet: str, used: set[str]) -> str:
    """A valid, unused Excel Table name for a sheet: 'T_Flows', 'T_Flows_2' (letters, digits and
    '_' only, never a cell reference, unique in the workbook ignoring case)."""
    base = "T_" + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in sheet)
    cand, i = base[:200], 2
    while cand.lower() in used:
        cand, i = f"{base[:200]}_{i}", i + 1
    used.add(cand.lower())
    return cand


def tableable(header: list[str]) -> bool:
    """Can these be an Excel Table's column names? Non-empty, unique ignoring case, plain text
    (Excel repairs a workbook whose table names break these rules, and drops the table)."""
    keys = [h.lower() for h in header]
    return bool(header) and all(h and h == h.strip() and h.isprintable() for h in header) and len(set(keys)) == len(keys)


def add_excel_table(ws, name: str, header: list[str], n_rows: int, style: str = "TableStyleLight9", start_row: int = 1) -> bool:
    """Make A1 down to the last data row an Excel Table with `header` as its columns (filter
    buttons included; an empty table keeps one blank data row, as Excel needs). False when the
    header cannot name a table; the sheet then keeps a plain filter."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    if not tableable(header):
        return False
    ref = f"A{start_row}:{get_column_letter(len(header))}{start_row + max(1, n_rows)}"
    table = Table(displayName=name, name=name, ref=ref)
    table._initialise_columns()
    for col, h in zip(table.tableColumns, header):
        col.name = h  # set here: openpyxl would read the header cells, which a spliced sheet lacks
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns of write-only sheets: the columns are set above
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    return True
