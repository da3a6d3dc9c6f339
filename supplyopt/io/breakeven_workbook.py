"""The breakeven workbook: Summary, Breakeven (one row per flip, the planner's statement in the
last column), Tornado (NPV swing of each parameter from its low to its high end, with a
horizontal bar chart, widest swing on top) and Points (every solve), written atomically from a
`supplyopt.studies.breakeven.BreakevenResult`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from supplyopt.io.study_sheets import add_summary_sheet, add_table_sheet, bar_chart

if TYPE_CHECKING:
    from supplyopt.studies.breakeven import BreakevenResult

TORNADO_COLUMNS = ["parameter", "low", "high", "npv_at_low_minus_base_usd", "npv_at_high_minus_base_usd", "swing_usd", "flips"]


def tornado_table(result: BreakevenResult) -> pd.DataFrame:
    """Per parameter: NPV at its low and high end minus the base NPV, widest swing first
    (a blank where that end has no plan)."""
    base = result.base.npv_usd
    rows = []
    for r in result.parameters:
        p = r.parameter
        lo, hi = r.at(p.low), r.at(p.high)
        d_lo = None if lo is None or lo.npv_usd is None or base is None else lo.npv_usd - base
        d_hi = None if hi is None or hi.npv_usd is None or base is None else hi.npv_usd - base
        swing = abs((d_hi or 0.0) - (d_lo or 0.0))
        rows.append([p.name, p.low, p.high, d_lo, d_hi, swing, len(r.flips)])
    df = pd.DataFrame(rows, columns=TORNADO_COLUMNS)
    return df.sort_values("swing_usd", ascending=False, kind="stable").reset_index(drop=True)


def write_breakeven_workbook(
    result: BreakevenResult,
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    protect: Iterable[str | os.PathLike] = (),
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Summary, Breakeven, Tornado (+ chart), Points. Atomic; refuses to overwrite without `overwrite`."""
    import openpyxl

    from supplyopt.io.atomic import atomic_write

    table = result.table()
    tornado = tornado_table(result)
    points = result.points_table()

    def build(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        b = result.base
        items = [
            *(meta or {}).items(),
            ("base_status", b.status),
            ("base_npv_usd", b.npv_usd),
            ("base_decision", b.decision.describe()),
            ("parameters", len(result.parameters)),
            ("flips_found", int(table["threshold"].notna().sum())),
            ("solves", len(points)),
            ("tolerance_share_of_range", result.tolerance),
            (
                "note",
                "The decision is the set of refinery sites opened and upgrades built. threshold = midpoint of the "
                "last bracket [bracket_low, bracket_high] (width ≤ tolerance × range); NPV each side is solved at "
                "the bracket's ends. A flip and flip-back between two grid points is not seen (raise --points).",
            ),
        ]
        add_summary_sheet(wb, "Summary", items)
        add_table_sheet(wb, "Breakeven", table, {"base_value": "0.000", "threshold": "0.0000", "bracket_low": "0.0000", "bracket_high": "0.0000"})
        ws = add_table_sheet(wb, "Tornado", tornado)
        if len(tornado):
            n = len(tornado)
            ch = bar_chart(
                ws,
                "NPV change from the base at each end of the range (USD)",
                "NPV − base NPV (USD)",
                (4, 1, 5, 1 + n),
                (1, 2, 1 + n),
                f"A{n + 4}",
                horizontal=True,
            )
            ch.overlap = 100  # low and high ends on one bar line: a tornado
            ch.x_axis.scaling.orientation = "maxMin"  # widest swing at the top
        add_table_sheet(wb, "Points", points)
        wb.save(tmp)

    return atomic_write(Path(path), build, overwrite=overwrite, protect=protect)
