"""Report-only sheets: `CostSummary` (present value by term and period, with a chart) and
`SalesSummary` (revenue by node and period, with a chart). The reader skips them."""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter

from supplyopt.io.workbook.cells import MONEY, NOTE_FONT, TOTAL_FONT, cell, style_header, width
from supplyopt.io.workbook.charts import bar_chart, ordered
from supplyopt.io.workbook.layout import print_on_one_page


def write_cost_summary(ws, costs: pd.DataFrame) -> bool:
    """Present value by term × period, total column, NPV row and a bar chart; False if not possible."""
    need = {"term", "period", "present_value_usd"}
    if not need <= set(costs.columns) or costs.empty:
        return False
    terms = ordered(costs["term"])
    periods = ordered(costs["period"])
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
        ws.column_dimensions[get_column_letter(j + 1)].width = width(h, [r[j] for r in rows + [total_row]], MONEY if j >= 3 else None)
    ws.freeze_panes = "A2"
    last_col = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last_col}{len(rows) + 1}"
    ws.append(style_header(ws, header))
    for r in rows:
        ws.append([cell(ws, v, MONEY) for v in r])
    ws.append([cell(ws, v, MONEY, font=TOTAL_FONT) for v in total_row])
    ws.append([])
    ws.append([cell(ws, "Present values in USD, discounted to the start of the plan; revenue is positive, costs negative.", font=NOTE_FONT)])

    chart = bar_chart("Net present value by term (USD)", True, "present value (USD)", len(rows), 1)
    total_col = len(header)
    chart.add_data(Reference(ws, min_col=total_col, max_col=total_col, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=2, min_row=2, max_row=len(rows) + 1))
    ws.add_chart(chart, f"{get_column_letter(total_col + 2)}2")
    print_on_one_page(ws)
    return True


def write_sales_summary(ws, sales: pd.DataFrame) -> bool:
    """Sales revenue by node × period with a column chart; False if the table does not allow it."""
    need = {"node", "period", "revenue_usd_per_yr"}
    if not need <= set(sales.columns) or sales.empty:
        return False
    df = sales.assign(_rev=pd.to_numeric(sales["revenue_usd_per_yr"], errors="coerce").fillna(0.0))
    nodes, periods = ordered(df["node"]), ordered(df["period"])
    if not nodes or not periods:
        return False
    n_scen = df["scenario"].nunique() if "scenario" in df.columns else 1
    total: dict[tuple, float] = {}
    for n, p, v in zip(df["node"], df["period"], df["_rev"]):
        total[(n, p)] = total.get((n, p), 0.0) + float(v) / max(n_scen, 1)
    header = ["node"] + [str(p) for p in periods]  # no total: rates per year of periods of unequal length do not add
    rows = [[n] + [total.get((n, p), 0.0) for p in periods] for n in nodes]
    for j, h in enumerate(header):
        ws.column_dimensions[get_column_letter(j + 1)].width = width(h, [r[j] for r in rows], MONEY if j else None)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    ws.append(style_header(ws, header))
    for r in rows:
        ws.append([cell(ws, v, MONEY) for v in r])
    ws.append([])
    note = "Sales revenue in USD per year by node (columns: periods), summed over commodities"
    note += f"; mean over {n_scen} scenarios (unweighted)." if n_scen > 1 else "."
    ws.append([cell(ws, note, font=NOTE_FONT)])

    chart = bar_chart("Sales revenue by node and period (USD/yr)", False, "revenue (USD/yr)", len(rows), len(periods))
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(periods), min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=2, max_row=len(rows) + 1))
    ws.add_chart(chart, f"A{len(rows) + 5}")  # below the note, whatever the number of periods
    print_on_one_page(ws)
    return True
