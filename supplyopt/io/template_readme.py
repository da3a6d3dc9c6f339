"""The README sheet of input workbooks: how to fill the workbook, and every sheet and setting."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

import supplyopt
from supplyopt.io.template_cells import set_cell
from supplyopt.io.template_sheets import BOLD_FONT, HEADING_FONT, TITLE_FONT
from supplyopt.schema import SETTINGS, TABLES, Setting


def write_readme(ws: Worksheet) -> None:
    """Fill the README sheet: how to use the workbook, blank cells, units, every sheet and setting."""
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 110
    row = 1

    def line(text: str = "", font: Font | None = None) -> None:
        nonlocal row
        cell = set_cell(ws, row, 1, text or None)
        if font is not None:
            cell.font = font
        row += 1

    line(f"supplyopt input workbook (supplyopt {supplyopt.__version__})", TITLE_FONT)
    line("Plans Pakistan's critical-minerals export chain: mines, refinery sites, corridors, ports and markets.")
    line()
    line("How to use this workbook", HEADING_FONT)
    for text in (
        "1. Fill the sheets: one row per item, under the header row. Keep the header names as they are.",
        "   Hover over a header to read what the column means, its unit and its default.",
        "   Dark blue headers are required columns; light blue headers are optional.",
        "   Cells with a dropdown take a value from a list, or a code listed on another sheet (e.g. a corridor's from_node must be on Nodes).",
        "2. Check it: supplyopt validate <this workbook>   lists every problem with its sheet, row and column.",
        "3. Solve it: supplyopt solve <this workbook>   writes a results workbook; this workbook is never changed.",
        "4. Scenarios: describe each one on the Scenarios sheet, one change per row (scenario, table, key, column,",
        "   operation, value), in this same workbook; the base rows are never changed. Solve one with",
        "   supplyopt solve <this workbook> --scenario NAME   (or --scenario all).",
    ):
        line(text)
    line()
    line("Blank cells", HEADING_FONT)
    for text in (
        "A blank optional cell takes the column's default (shown in the header note).",
        "A blank capacity or maximum means unlimited.",
        "A blank period means every period; a row naming a period overrides the blank row for that period.",
        "Rows that are entirely blank are ignored, and so are sheets not listed below (such as this README).",
    ):
        line(text)
    line()
    line("Units", HEADING_FONT)
    for text in (
        "Money in USD; mass in tonnes (t), gold too; yearly rates in t/yr and USD/yr; distances in km.",
        "Numbers may be typed with thousands separators (1,000,000) and shares as percentages (8%) or decimals (0.08).",
        "Yes/no columns take yes or no.",
    ):
        line(text)
    line()
    line("Sheets", HEADING_FONT)
    for j, head in enumerate(("Sheet", "Required", "Key columns", "What it holds"), start=1):
        set_cell(ws, row, j, head).font = BOLD_FONT
    row += 1
    for table in TABLES:
        set_cell(ws, row, 1, table.name)
        set_cell(ws, row, 2, "yes" if table.required else "no")
        set_cell(ws, row, 3, ", ".join(table.key))
        set_cell(ws, row, 4, table.doc).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    line()
    line("Settings (sheet Settings: one row per setting, columns name and value)", HEADING_FONT)
    for j, head in enumerate(("Setting", "Default", "Unit", "Description"), start=1):
        set_cell(ws, row, j, head).font = BOLD_FONT
    row += 1
    for s in SETTINGS:
        set_cell(ws, row, 1, s.name)
        set_cell(ws, row, 2, _setting_default_text(s))
        set_cell(ws, row, 3, s.unit or None)
        doc = s.doc + (" One of: " + ", ".join(s.enum) + "." if s.enum else "") + (" yes or no." if s.type == "bool" else "")
        set_cell(ws, row, 4, doc).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.sheet_view.showGridLines = False


def _setting_default_text(s: Setting) -> str:
    if s.default is None:
        return "blank"
    if isinstance(s.default, bool):
        return "yes" if s.default else "no"
    return f"{s.default:g}" if isinstance(s.default, float) else str(s.default)
