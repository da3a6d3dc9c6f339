"""The stress workbook: Summary, Regret (cases by NPV loss, with a bar chart), Unmet (contract
shortfalls per case) and Design, written atomically from a `supplyopt.studies.stress.StressResult`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from supplyopt.io.study_sheets import add_summary_sheet, add_table_sheet

if TYPE_CHECKING:
    from supplyopt.studies.stress import StressResult


def write_stress_workbook(
    result: StressResult, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = (), meta: Mapping[str, Any] | None = None
) -> Path:
    """Regret workbook: Summary, Regret (cases by NPV loss, with a bar chart), Unmet (contract
    shortfalls per case), Design. Written atomically; refuses to overwrite without `overwrite`."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    from supplyopt.io.atomic import atomic_write

    table = result.table()

    def build(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        b = result.baseline
        items = [
            *(meta or {}).items(),
            ("undisrupted_status", b.status),
            ("undisrupted_npv_usd", b.npv_usd),
            ("cases", len(result.cases)),
            ("cases_with_unmet_contracts", int((table["unmet_contracts_t"].fillna(0) > 1e-6).sum())),
            ("cases_without_plan", int(table["npv_usd"].isna().sum())),
            ("stress_shortfall_penalty_usd_per_t", result.penalty_usd_per_t),
            (
                "note",
                "NPV excludes the stress shortfall penalty (a priority device that makes contract minimums soft); "
                "NPV loss = undisrupted NPV − case NPV; unmet_contracts_t = Σ over periods of years × t/yr short.",
            ),
            ("sites", result.design.describe_sites()),
            ("upgrades", result.design.describe_upgrades()),
        ]
        add_summary_sheet(wb, "Summary", items)
        ws = add_table_sheet(wb, "Regret", table, {"probability": "0.0%", "npv_loss_share": "0.0%", "gap": "0.00%"})
        n = len(table)
        if n:
            ch = BarChart()
            ch.type = "bar"
            ch.title = "NPV loss by case (USD)"
            ch.y_axis.number_format = "#,##0"
            loss_col = list(table.columns).index("npv_loss_usd") + 1
            top = min(n, 30)
            ch.add_data(Reference(ws, min_col=loss_col, min_row=1, max_row=1 + top), titles_from_data=True)
            ch.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + top))
            ch.x_axis.scaling.orientation = "maxMin"  # largest loss at the top
            ch.legend = None
            ch.height, ch.width = max(7.5, 0.5 * top + 3), 18
            ws.add_chart(ch, f"A{n + 4}")
        add_table_sheet(wb, "Unmet", result.unmet)
        design_rows = [{"decision": "open site", "element": j, "period": p, "count": 1} for j, p in result.design.opened.items()]
        design_rows += [{"decision": "add modules", "element": j, "period": p, "count": k} for (j, p), k in result.design.modules_added.items()]
        design_rows += [{"decision": "build upgrade", "element": u, "period": p, "count": 1} for u, p in result.design.upgrades.items()]
        add_table_sheet(wb, "Design", pd.DataFrame(design_rows, columns=["decision", "element", "period", "count"]))
        wb.save(tmp)

    return atomic_write(Path(path), build, overwrite=overwrite, protect=protect)
