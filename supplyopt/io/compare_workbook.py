"""The comparison workbook: Summary, KPIs (with NPV charts), Decisions, Flows, ExportsByPort (with
a chart), Exports and Flagged, written atomically from a `supplyopt.studies.compare.Comparison`."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supplyopt.io.sheets import plain_value as _plain
from supplyopt.io.study_sheets import bar_chart, write_frame, write_summary_block

if TYPE_CHECKING:
    from supplyopt.studies.compare import Comparison


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def write_comparison_workbook(c: Comparison, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write the comparison workbook atomically; returns its path."""
    from supplyopt.io.atomic import atomic_write

    return atomic_write(Path(path), lambda tmp: _build(c, tmp), overwrite=overwrite, protect=protect)


def _format_kpis(ws, c: Comparison) -> None:
    """Number formats by row unit (money and tonnes #,##0, shares %) and % columns as %."""
    unit_format = {"USD": "#,##0", "t/yr": "#,##0", "score·t/yr": "#,##0", "share": "0.00%"}
    for i, unit in enumerate(c.kpis["unit"], start=2):
        for j, col in enumerate(c.kpis.columns, start=1):
            cell = ws.cell(row=i, column=j)
            if not _num(cell.value):
                continue
            cell.number_format = "0.0%" if str(col).endswith("%") else unit_format.get(unit, "General")


def _build(c: Comparison, out: Path) -> None:
    from openpyxl import Workbook

    tonnes = dict.fromkeys(c.names, "#,##0")  # result columns of the t/yr and modules tables
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    items: list[tuple[str, Any]] = [("base", c.names[0]), ("compared", ", ".join(c.names)), ("flagged (not compared)", len(c.flagged))]
    items += [("note", n) for n in c.notes]
    write_summary_block(ws, "supplyopt comparison", items)
    write_frame(ws, c.sources, start_row=len(items) + 6)

    ws = wb.create_sheet("KPIs")
    write_frame(ws, c.kpis)
    _format_kpis(ws, c)
    # chart data: NPV by result, laid out in rows below the table (a chart reads a column)
    top = len(c.kpis) + 4
    npv = c.kpis.set_index("kpi").loc["npv_usd"]
    ws.cell(row=top, column=1, value="result")
    ws.cell(row=top, column=2, value="NPV (USD)")
    ws.cell(row=top, column=3, value=f"NPV − {c.names[0]} (USD)")
    for i, n in enumerate(c.names, start=1):
        ws.cell(row=top + i, column=1, value=n).data_type = "s"
        ws.cell(row=top + i, column=2, value=_plain(npv[n])).number_format = "#,##0"
        diff = 0.0 if i == 1 else npv[f"{n} − {c.names[0]}"]
        ws.cell(row=top + i, column=3, value=_plain(diff) if _num(diff) else None).number_format = "#,##0"
    cats = (1, top + 1, top + len(c.names))
    bar_chart(ws, "NPV by scenario", "USD", (2, top, 2, top + len(c.names)), cats, f"E{top}")
    if len(c.names) > 1:  # near-equal NPVs look alike on one axis: their differences do not
        bar_chart(ws, f"NPV difference against {c.names[0]}", "USD", (3, top, 3, top + len(c.names)), cats, f"E{top + 20}")

    ws = wb.create_sheet("Decisions")
    if len(c.decisions):
        write_frame(ws, c.decisions, formats=tonnes)
    else:
        ws.cell(row=1, column=1, value="No decision differs: every result opens the same sites, installs the same modules and builds the same upgrades.")

    ws = wb.create_sheet("Flows")
    if len(c.flows):
        write_frame(ws, c.flows, formats=tonnes)
    else:
        ws.cell(row=1, column=1, value="No flow differs between the results.")

    ws = wb.create_sheet("ExportsByPort")
    write_frame(ws, c.exports_by_port, formats=tonnes)
    n = len(c.exports_by_port)
    if n:
        bar_chart(ws, "Exports by port by scenario (mean t/yr)", "t/yr", (2, 1, 1 + len(c.names), 1 + n), (1, 2, 1 + n), f"A{n + 4}")

    ws = wb.create_sheet("Exports")
    write_frame(ws, c.exports, formats=tonnes)

    ws = wb.create_sheet("Flagged")
    if len(c.flagged):
        write_frame(ws, c.flagged)
    else:
        ws.cell(row=1, column=1, value="Every result was compared.")
    wb.save(out)
