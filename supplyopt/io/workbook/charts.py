"""Native Excel charts of a plan (the `Charts` sheet), the bar charts the report sheets share, and
the `Map` sheet's picture."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from supplyopt.io.workbook.cells import MONEY, NOTE_FONT, cell, plain, style_header
from supplyopt.io.workbook.layout import SALES


def ordered(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if plain(v) is not None))


def bar_chart(title: str, horizontal: bool, y_title: str, n_categories: int, n_series: int) -> BarChart:
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


def base_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The undisrupted case of a table with a scenario column (all rows otherwise)."""
    if "scenario" in df.columns and (df["scenario"] == "base").any():
        return df[df["scenario"] == "base"]
    return df


def pivot_block(ws, start_row: int, title: str, index_name: str, index: list, columns: list, values: dict, fmt: str) -> tuple[int, int]:
    """Write a small pivot (title row, header, rows) at start_row; returns (header row, last row).
    Rows are appended (write-only sheets allow nothing else), so blank rows pad up to start_row."""
    written = getattr(ws, "_supplyopt_rows", 0)
    for _ in range(start_row - 1 - written):
        ws.append([])
    ws._supplyopt_rows = start_row + 1 + len(index)
    ws.append([cell(ws, title, font=Font(bold=True, size=12))])
    ws.append(style_header(ws, [index_name] + [str(c) for c in columns]))
    for i in index:
        ws.append([cell(ws, i)] + [cell(ws, values.get((i, c), 0.0), fmt) for c in columns])
    return start_row + 1, start_row + 1 + len(index)


def write_charts(ws, tables: dict[str, Any]) -> bool:
    """Native Excel charts of the plan (undisrupted case): exports by port and product over time,
    refinery utilisation over time, risk exposure by corridor. Data blocks sit left of each chart."""
    row = 1
    made = False
    ws.column_dimensions["A"].width = 28
    sales = tables.get(SALES)
    if isinstance(sales, pd.DataFrame) and len(sales):
        df = base_rows(sales)
        df = df[pd.to_numeric(df["t_per_yr"], errors="coerce").fillna(0) > 0]
        if len(df):
            periods = ordered(df["period"])
            series = ordered(df["node"].astype(str) + " / " + df["commodity"].astype(str))
            vals = {}
            for n, c, p, t in zip(df["node"], df["commodity"], df["period"], df["t_per_yr"]):
                vals[(p, f"{n} / {c}")] = vals.get((p, f"{n} / {c}"), 0.0) + float(t)
            head, last = pivot_block(ws, row, "Exports by port and product (t/yr)", "period", periods, series, vals, MONEY)
            ch = bar_chart("Exports by port and product (t/yr)", False, "t/yr", len(periods), 1)
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
            periods, sites = ordered(ref["period"]), ordered(used["site"])
            vals = {(p, j): float(u or 0.0) if u == u else 0.0 for j, p, u in zip(ref["site"], ref["period"], ref["utilisation"])}
            head, last = pivot_block(ws, row, "Refinery utilisation (input ÷ capacity)", "period", periods, sites, vals, "0.0%")
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
        df = base_rows(risk)
        df = df[(df["element_type"] == "corridor") & (pd.to_numeric(df["exposure"], errors="coerce").fillna(0) > 0)]
        if len(df):
            corridors, periods = ordered(df["element"]), ordered(df["period"])
            vals = {(k, p): float(e) for k, p, e in zip(df["element"], df["period"], df["exposure"])}
            head, last = pivot_block(ws, row, "Risk exposure by corridor (risk score × t/yr)", "corridor", corridors, periods, vals, MONEY)
            ch = bar_chart("Risk exposure by corridor and period", True, "risk score × t/yr", len(corridors), len(periods))
            from openpyxl.chart.legend import Legend

            ch.legend = Legend()
            ch.add_data(Reference(ws, min_col=2, max_col=1 + len(periods), min_row=head, max_row=last), titles_from_data=True)
            ch.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
            ws.add_chart(ch, f"{get_column_letter(len(periods) + 3)}{row}")
            made = True
    return made


def write_map(ws, png: Path) -> None:
    """The network map picture (drawn by supplyopt.io.map from the same Results)."""
    from openpyxl.drawing.image import Image

    ws.append([cell(ws, "Network map: flows as line widths, corridor risk as colour; the PNG is also beside this workbook.", font=NOTE_FONT)])
    from supplyopt.io.map import sheet_fit_scale

    img = Image(str(png))
    scale = sheet_fit_scale(img.width, img.height)  # one A4 landscape page, legend included
    img.width, img.height = img.width * scale, img.height * scale
    ws.add_image(img, "A3")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_margins.left = ws.page_margins.right = ws.page_margins.top = ws.page_margins.bottom = 0.5
