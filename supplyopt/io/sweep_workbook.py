"""The sweep workbook: Summary (run and NPV statistics), Sweep (one row per task), NPVHistogram and
SiteChoice (with charts) and Errors, written atomically from a `supplyopt.studies.sweep.SweepResult`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from supplyopt.io.study_sheets import bar_chart, write_frame, write_note, write_summary_block
from supplyopt.studies.sweep_tables import OK_STATUSES, npv_histogram, npv_statistics, site_frequency, sweep_table

if TYPE_CHECKING:
    from supplyopt.studies.sweep import SweepResult


def write_sweep_workbook(
    sweep: SweepResult, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = (), extra: dict | None = None
) -> Path:
    """Write the sweep workbook atomically; returns its path."""
    from supplyopt.io.atomic import atomic_write

    return atomic_write(Path(path), lambda tmp: _build(sweep, tmp, extra or {}), overwrite=overwrite, protect=protect)


def _build(sweep: SweepResult, out: Path, extra: dict) -> None:
    from openpyxl import Workbook

    rows = sweep.rows
    statuses = pd.Series([r.get("status") for r in rows]).value_counts()
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    items: list[tuple[str, Any]] = list(extra.items())
    items += [(k, v) for k, v in sweep.info.items()]
    items += [(f"tasks {k}", int(v)) for k, v in statuses.items()]
    items += list(npv_statistics(rows).items())
    write_summary_block(ws, "supplyopt sweep", items)
    for i in range(4, 4 + len(items)):
        c = ws.cell(row=i, column=2)
        if isinstance(c.value, float):
            c.number_format = "#,##0" if abs(c.value) >= 100 else "0.00"

    ws = wb.create_sheet("Sweep")
    write_frame(ws, sweep_table(rows), formats={"seconds": "0.00", "gap": "0.00%"})

    ws = wb.create_sheet("NPVHistogram")
    hist = npv_histogram(rows)
    write_frame(ws, hist)
    if len(hist):
        bar_chart(ws, "NPV distribution (solved tasks)", "tasks", (4, 1, 4, 1 + len(hist)), (3, 2, 1 + len(hist)), "F2")

    ws = wb.create_sheet("SiteChoice")
    freq = site_frequency(rows)
    write_frame(ws, freq, formats={"share_of_solved": "0.0%", "mean_modules_when_chosen": "0.0"})
    if len(freq):
        bar_chart(ws, "How often each refinery site is chosen", "tasks", (2, 1, 2, 1 + len(freq)), (1, 2, 1 + len(freq)), "F2")

    bad = [r for r in rows if r.get("status") not in OK_STATUSES]
    ws = wb.create_sheet("Errors")
    if bad:
        write_frame(ws, pd.DataFrame([{"task": r["task"], "label": r["label"], "status": r.get("status"), "error": r.get("error")} for r in bad]))
    else:
        write_note(ws, "Every task solved.")
    wb.save(out)
