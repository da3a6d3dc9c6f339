"""The comparison workbook: Summary, KPIs (with NPV charts), Decisions, Flows, ExportsByPort (with
a chart), Exports and Flagged, written atomically from a `supplyopt.studies.compare.Comparison`."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from supplyopt.io.labels import LABELS, RISK_EXPOSURE_RATE, RISK_EXPOSURE_UNIT, unit
from supplyopt.io.sheets import plain_value as _plain
from supplyopt.io.study_sheets import bar_chart, write_frame, write_note, write_summary_block
from supplyopt.io.workbook.cells import guard_text

if TYPE_CHECKING:
    from supplyopt.studies.compare import Comparison


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def write_comparison_workbook(c: Comparison, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write the comparison workbook atomically; returns its path."""
    from supplyopt.io.atomic import atomic_write

    return atomic_write(Path(path), lambda tmp: _build(_storable(c), tmp), overwrite=overwrite, protect=protect)


def _storable(c: Comparison) -> Comparison:
    """`c` with every text a workbook cannot hold (control characters, e.g. from a scenario
    name) replaced, in names, column names and cells alike: openpyxl refuses them anywhere."""
    import dataclasses

    from supplyopt.io.workbook.cells import text

    def clean(v: Any) -> Any:
        return text(v) if isinstance(v, str) else v

    def frame(df: pd.DataFrame) -> pd.DataFrame:
        out = df.rename(columns=lambda col: clean(col) if isinstance(col, str) else col)
        return out.apply(lambda col: col.map(clean) if col.dtype == object or pd.api.types.is_string_dtype(col) else col)

    changes = {f.name: frame(getattr(c, f.name)) for f in dataclasses.fields(c) if isinstance(getattr(c, f.name), pd.DataFrame)}
    return dataclasses.replace(c, names=[clean(n) for n in c.names], notes=[clean(n) for n in c.notes], **changes)


UNIT_FORMAT = {"USD": "#,##0", "t/yr": "#,##0", "share": "0.00%", RISK_EXPOSURE_UNIT: "#,##0", RISK_EXPOSURE_RATE: "#,##0"}


def kpi_blocks(c: Comparison) -> list[tuple[str, pd.DataFrame]]:
    """The KPI table as blocks one above the other, each with KPIs as rows and results as
    columns, so that the sheet prints one page wide however many results are compared: the
    values, then the differences against the base, then those differences in %. Units and
    labels from supplyopt.io.labels (one unit for risk exposure everywhere)."""
    k = c.kpis.copy()
    k["unit"] = [unit(key) or u for key, u in zip(k["kpi"], k["unit"])]
    k["label"] = [LABELS[key][0] if key in LABELS else lab for key, lab in zip(k["kpi"], k["label"])]
    keys = ["kpi", "label", "unit"]
    base = c.names[0]
    blocks = [("", k[keys + list(c.names)])]
    diff = [col for col in k.columns if str(col).endswith(f" − {base}")]
    pct = [col for col in k.columns if str(col).endswith(f" vs {base} %")]
    if diff:
        blocks.append((f"Difference against {base} (same unit)", k[keys + diff]))
    if pct:
        pct_block = k[keys + pct].copy()
        pct_block["unit"] = "%"
        blocks.append((f"Difference against {base} in %", pct_block))
    return blocks


def _format_kpis(ws, df: pd.DataFrame, top: int, percent: bool) -> None:
    """Number formats by row unit (money and tonnes #,##0, shares %), or % for a % block."""
    for i, u in enumerate(df["unit"], start=top + 1):
        for j in range(4, len(df.columns) + 1):
            cell = ws.cell(row=i, column=j)
            if _num(cell.value):
                cell.number_format = "0.0%" if percent else UNIT_FORMAT.get(u, "#,##0.00")


def change_rows(sources: pd.DataFrame) -> pd.DataFrame:
    """The scenario changes of each result, one row per change ('Markets[PORT | CU |].price
    scale 0.5'), instead of one long cell."""
    rows = []
    if "scenario_overrides" in sources.columns:
        for result, text in zip(sources["result"], sources["scenario_overrides"]):
            parts = [p.strip() for p in str(text).split("; ")] if isinstance(text, str) and text.strip() else []
            rows += [{"result": result, "change": k, "what changes": p} for k, p in enumerate(parts, start=1)]
    return pd.DataFrame(rows, columns=["result", "change", "what changes"])


def _build(c: Comparison, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tonnes = dict.fromkeys(c.names, "#,##0")  # result columns of the t/yr and modules tables
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    items: list[tuple[str, Any]] = [("base", c.names[0]), ("compared", ", ".join(c.names)), ("flagged (not compared)", len(c.flagged))]
    items += [("note", n) for n in c.notes]
    write_summary_block(ws, "supplyopt comparison", items)
    row = len(items) + 6
    sources = c.sources.drop(columns=[col for col in ("scenario_overrides",) if col in c.sources.columns])
    write_frame(ws, sources, start_row=row)
    changes = change_rows(c.sources)
    row += len(sources) + 3
    ws.cell(row=row, column=1, value="Scenario changes (one row per change, in the order applied)").font = Font(bold=True, size=12)
    if len(changes):
        write_frame(ws, changes, start_row=row + 1)
    else:
        ws.cell(row=row + 1, column=1, value="No result has scenario changes: each is its input's base.")

    ws = wb.create_sheet("KPIs")
    top = 0
    for title, block in kpi_blocks(c):
        if title:
            top += 2
            ws.cell(row=top, column=1, value=title).font = Font(bold=True, size=12)
        write_frame(ws, block, start_row=top + 1)
        _format_kpis(ws, block, top + 1, percent=title.endswith("%"))
        top += len(block) + 1
    # chart data: NPV by result, laid out in rows below the tables (a chart reads a column)
    top += 3
    npv = c.kpis.set_index("kpi").loc["npv_usd"]
    ws.cell(row=top, column=1, value="result")
    ws.cell(row=top, column=2, value="NPV (USD)")
    ws.cell(row=top, column=3, value=f"NPV − {c.names[0]} (USD)")
    for i, n in enumerate(c.names, start=1):
        guard_text(ws.cell(row=top + i, column=1, value=n))
        ws.cell(row=top + i, column=2, value=_plain(npv[n])).number_format = "#,##0"
        diff = 0.0 if i == 1 else npv[f"{n} − {c.names[0]}"]
        ws.cell(row=top + i, column=3, value=_plain(diff) if _num(diff) else None).number_format = "#,##0"
    cats = (1, top + 1, top + len(c.names))
    bar_chart(ws, "NPV by scenario", "USD", (2, top, 2, top + len(c.names)), cats, f"E{top}")
    if len(c.names) > 1:  # near-equal NPVs look alike on one axis: their differences do not
        bar_chart(ws, f"NPV difference against {c.names[0]}", "USD", (3, top, 3, top + len(c.names)), cats, f"E{top + 20}")
    ws.print_title_rows = "1:1"

    ws = wb.create_sheet("Decisions")
    if len(c.decisions):
        write_frame(ws, c.decisions, formats=tonnes)
    else:
        write_note(ws, "No decision differs: every result opens the same sites, installs the same modules and builds the same upgrades.")

    ws = wb.create_sheet("Flows")
    if len(c.flows):
        write_frame(ws, c.flows, formats=tonnes)
    else:
        write_note(ws, "No flow differs between the results.")

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
        write_note(ws, "Every result was compared.")
    wb.save(out)
