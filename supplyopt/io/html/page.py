"""The HTML report page: one self-contained file (inline CSS, SVG and script; nothing fetched,
and a Content-Security-Policy that forbids fetching), made from Results only."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from supplyopt.io.atomic import check_target, write_bytes_atomic
from supplyopt.io.html import view
from supplyopt.io.html.assets import CSS, JS
from supplyopt.io.html.charts import cost_chart, cost_legend, tonne_bars
from supplyopt.io.html.fmt import e, percent, script_json, short_tonnes, short_usd, usd
from supplyopt.io.html.mapsvg import MARK, STAR, map_svg, risk_gradient
from supplyopt.io.html.tables import corridor_table, cost_table, port_table, summary_table
from supplyopt.io.labels import label
from supplyopt.io.map import KIND_STYLE
from supplyopt.io.workbook.summary_sheet import not_optimal_note
from supplyopt.results import Results

# No network at all: only the page's own styles and scripts, pictures only as data: URLs.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
BARS_SHOWN = 18  # busiest corridors drawn per period beside the map (all are in the table)


def _card(key: str, label: str, value: str, sub: str = "", small: bool = False) -> str:
    s = f'<div class="s">{sub}</div>' if sub else ""
    return f'<div class="card" id="card-{key}"><div class="k">{e(label)}</div><div class="v{" small" if small else ""}">{value}</div>{s}</div>'


def cards(summary: dict) -> str:
    status = view.text(summary.get("status")) or "unknown"
    badge = f'<span class="badge {"ok" if status == "optimal" else "bad"}">{e(status)}</span>'
    npv = summary.get("npv_usd")
    gap, bound = summary.get("gap"), summary.get("best_bound")
    risk = summary.get("risk_exposure_total")
    out = [
        _card("npv", "NPV (USD)", f'<span id="npv">{e(usd(npv))}</span>', e(f"{short_usd(npv)} USD, discounted over the horizon")),
        _card("status", "Status", badge, e(f"MIP gap {percent(gap, 2)}") + "<br>" + e(f"best bound {usd(bound)} USD")),
        _card("refineries", "Refineries opened", e(view.text(summary.get("refineries_open")) or "—"), small=True),
        _card("upgrades", "Upgrades built (in service from)", e(view.text(summary.get("upgrades_built")) or "—"), small=True),
        _card("risk", label("risk_exposure_total"), e(usd(risk)), e("corridor and node risk score × tonnes, summed")),
        _card("revenue", "Revenue (PV, USD)", e(short_usd(summary.get("revenue_pv_usd"))), e(f"costs {short_usd(_costs(summary))} USD (PV)")),
    ]
    return '<section class="cards" id="summary">' + "".join(out) + "</section>"


def _costs(summary: dict) -> float:
    return sum(float(summary.get(k) or 0.0) for k in ("operating_cost_pv_usd", "fixed_cost_pv_usd", "capex_pv_usd"))


def period_bar(periods: list[str], shown: int) -> str:
    buttons = "".join(
        f'<button type="button" data-period="{i}" class="{"on" if i == shown else ""}" aria-pressed="{"true" if i == shown else "false"}">{e(p)}</button>'
        for i, p in enumerate(periods)
    )
    return (
        f'<nav class="periodbar" aria-label="Period"><span class="k">Period</span>{buttons}<span id="period-note"></span>'
        '<noscript><span class="muted">(JavaScript is off: the map and bars show the period highlighted.)</span></noscript></nav>'
    )


def _symbol(path: str, colour: str, cls: str = "", scale: float = 0.85) -> str:
    return f'<svg width="16" height="16" viewBox="-8 -8 16 16"><path d="{path}" fill="{colour}" class="{cls}" transform="scale({scale:g})"/></svg>'


def map_legend(data: dict) -> str:
    kinds = "".join(f"<span>{_symbol(MARK[k], s['color'])} {e(s['label'])}</span>" for k, s in KIND_STYLE.items() if k in MARK)
    star = f"<span>{_symbol(STAR, '#d7191c', 'legend-star', 0.62)} refinery open in the period</span>"
    modes = '<span><svg width="34" height="8"><line x1="1" y1="4" x2="33" y2="4" stroke="#4d4d4d" stroke-width="2.5"/></svg> road</span>'
    modes += (
        '<span><svg width="34" height="8"><line x1="1" y1="4" x2="33" y2="4" stroke="#4d4d4d" stroke-width="2.5" stroke-dasharray="9 5"/></svg> rail</span>'
    )
    unused = '<span><svg width="34" height="8"><line x1="1" y1="4" x2="33" y2="4" stroke="#bdbdbd" stroke-width="1"/></svg> unused</span>'
    width = f"<span>widest line = {e(short_tonnes(data['legend']['max_t']))}/yr</span>"
    risk = ""
    if data["legend"]["max_risk"] > 0:
        risk = f'<span>risk score 0 <span class="ramp" style="background:linear-gradient(90deg, {risk_gradient()})"></span> {data["legend"]["max_risk"]:.3g}</span>'
    return f'<div class="maplegend">{kinds}{star}{modes}{unused}{width}{risk}</div>'


def _cut(text: str, chars: int = 36) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def side_bars(results: Results, cors: list[view.Use], ports: list[view.Use], periods: list[str], shown: int) -> str:
    """Per period: the busiest corridors, every port (with its capacity as the pale track), and the tonnes sold by commodity."""
    top_t = max((v for c in cors for v in c.t), default=0.0)
    port_scale = max([v for p in ports for v in p.t] + [v for p in ports for v in p.capacity if v], default=0.0)
    sold = view.sales_by_commodity(results, periods)
    sold_scale = max((t for rows in sold for _, t, _ in rows), default=0.0)
    out = []
    for i, p in enumerate(periods):
        busy = sorted((c for c in cors if c.t[i] > 0), key=lambda c: -c.t[i])
        more = len(busy) - BARS_SHOWN
        rows = [(c.code, _cut(c.info["route"]), c.t[i], None, f"{c.code} {c.info['route']}: {c.t[i]:,.0f} t/yr") for c in busy[:BARS_SHOWN]]
        prow = [(u.name, u.code, u.t[i], u.capacity[i] if i < len(u.capacity) else None, f"{u.name}: {u.t[i]:,.0f} t/yr") for u in ports]
        extra = f'<p class="note">and {more} more corridors in use (see the table below)</p>' if more > 0 else ""
        srow = [(k, f"{short_usd(r)} USD/yr", t, None, f"{k}, {p}: {t:,.0f} t/yr sold for {usd(r)} USD/yr") for k, t, r in sold[i]]
        out.append(
            f'<div class="per{" on" if i == shown else ""}" data-p="{i}"><h3>Busiest corridors, {e(p)} (t/yr)</h3>{tonne_bars(rows, top_t)}{extra}'
            f"<h3>Ports, {e(p)} (t/yr; pale bar = capacity)</h3>{tonne_bars(prow, port_scale, empty='no port')}"
            f"<h3>Sold, {e(p)} (t/yr by commodity)</h3>{tonne_bars(srow, sold_scale, empty='nothing sold')}</div>"
        )
    return "".join(out)


def html_report(results: Results) -> str:
    """The report page as text."""
    summary = results.summary
    periods = view.periods_of(results)
    shown = view.default_period(results, periods)
    terms = view.cost_terms(results, periods)
    cors = view.corridor_uses(results, periods)
    ports = view.port_uses(results, periods)
    svg, data = map_svg(results, periods, shown, cors, ports)
    input_name = Path(view.text(summary.get("input")) or "plan").name
    scenario = view.text(summary.get("scenario")) or "base"
    note = not_optimal_note(summary)
    warn = f'<p class="warn"><b>{e(note[0])}.</b> {e(note[1])}</p>' if note else ""
    if svg:
        map_block = f'<div id="map-wrap">{svg}<div id="tip" hidden></div></div>{map_legend(data)}'
        map_hint = "Hover over a corridor or a node for its figures in the period; ← and → change the period."
    else:
        map_block = '<p class="muted">No node has latitude/longitude: fill the lat and lon columns of the Nodes sheet to see the map.</p>'
        map_hint = ""
    payload = {"periods": periods, "shown": shown, "notes": view.period_notes(results, periods, cors, ports), "map": data}
    parts = [f"Scenario {scenario}"]
    together = [x.strip() for x in view.text(summary.get("scenarios")).split(",") if x.strip()]
    if len(together) > 1:
        parts.append(f"flows shown for {view.BASE if view.BASE in together else together[0]} (of {', '.join(together)}, solved together)")
    if view.text(summary.get("run_at_utc")):
        parts.append(f"solved {view.text(summary.get('run_at_utc'))} UTC")
    if view.text(summary.get("version_supplyopt")):
        parts.append(f"supplyopt {view.text(summary.get('version_supplyopt'))}")
    sub = " · ".join(parts)
    body = f"""<header><h1>Supply plan: {e(input_name)}</h1><div class="sub">{e(sub)}</div></header>
<main>{warn}{cards(summary)}
{period_bar(periods, shown)}
<section class="mapgrid" id="map-section"><div class="panel"><h3>Network map, <span class="period-name">{e(periods[shown] if periods else "")}</span>: \
line width = tonnes per year, colour = corridor risk score</h3>{map_block}<p class="note">{e(map_hint)}</p></div>
<div class="panel" id="flows-side">{side_bars(results, cors, ports, periods, shown)}</div></section>
<section id="costs"><h2>Revenue and costs by period (present value)</h2><div class="panel">{cost_chart(terms, periods, shown)}{cost_legend(terms)}
<p class="note">Each bar is a period's present value: revenue above zero, each cost term below; the diamond is the period's net. \
A multi-year period sums its years. The nets add up to the NPV.</p></div>
{cost_table(terms, periods, shown)}</section>
<section id="corridors"><h2>Flows by corridor (t/yr)</h2>{corridor_table(cors, periods, shown)}
<p class="note">Busiest first. Peak use is the highest share of capacity used in any period; red = used to capacity (a bottleneck).</p></section>
<section id="ports"><h2>Flows by port (t/yr)</h2>{port_table(ports, periods, shown)}</section>
<section id="details"><h2>Plan summary</h2>{summary_table(view.summary_rows(summary), view.provenance_rows(summary))}</section>
</main>
<footer>Made by supplyopt from the results of {e(input_name)}. This page is self-contained: it works offline and loads nothing. \
Basemap: Natural Earth (public domain).</footer>"""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(f'Supply plan: {input_name}')}</title><style>{CSS}</style></head>\n<body>{body}\n"
        f'<script type="application/json" id="plan-data">{script_json(payload)}</script>\n<script>{JS}</script>\n</body></html>\n'
    )


def write_html_report(results: Results, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write the HTML report of `results` at `path` (atomically, through io/atomic.py); return it.

    The path is checked first (check_target: not a folder, not one of `protect`, an existing
    file only with `overwrite`, ...); every refusal or failure to write is an OutputError."""
    protect = [p for p in protect if p is not None]
    target = check_target(path, overwrite=overwrite, protect=protect)
    page = html_report(results)
    return write_bytes_atomic(target, page.encode("utf-8"), overwrite=overwrite, protect=protect)
