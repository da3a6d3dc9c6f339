"""Inline SVG charts for the HTML report: revenue and costs by period (stacked bars of present
value, revenue up, costs down, the net of each period marked), and horizontal bars of tonnes
(corridors, ports) for one period. Every hover text is an SVG <title>, so it needs no script."""

from __future__ import annotations

import math

from supplyopt.io.html.fmt import e, short_tonnes, usd
from supplyopt.io.html.view import CostTerm

REVENUE = "#1a9641"
# Cost terms get these in order (ColorBrewer Dark2 + Set1, distinct from the revenue green).
PALETTE = ["#d95f02", "#7570b3", "#e7298a", "#a6761d", "#1f78b4", "#e6ab02", "#666666", "#b15928", "#6a3d9a", "#e31a1c", "#17becf", "#8c564b"]


def term_colours(terms: list[CostTerm]) -> dict[str, str]:
    colours, k = {}, 0
    for t in terms:
        if t.kind == "revenue":
            colours[t.term] = REVENUE
        else:
            colours[t.term] = PALETTE[k % len(PALETTE)]
            k += 1
    return colours


def nice_step(span: float, target: int = 6) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about `target` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def money_unit(values: list[float]) -> tuple[float, str]:
    """The axis unit: billion, million or thousand USD, or USD, by the largest value."""
    big = max((abs(v) for v in values), default=0.0)
    for div, unit in ((1e9, "billion USD"), (1e6, "million USD"), (1e3, "thousand USD")):
        if big >= 2 * div:
            return div, unit
    return 1.0, "USD"


def drawn(terms: list[CostTerm]) -> list[CostTerm]:
    """The terms a chart shows: revenue first, then the costs, largest first; a term that is
    zero in every period is left out."""
    terms = [t for t in terms if any(abs(v) > 0.5 for v in t.pv)]
    return sorted(terms, key=lambda t: (t.kind != "revenue", -abs(t.total)))


def cost_chart(terms: list[CostTerm], periods: list[str], shown: int = -1, width: int = 1280, height: int = 430) -> str:
    """Stacked bars of present value by period: revenue above zero, each cost term below, a
    diamond and label at each period's net (revenue minus costs; their sum over periods is the
    NPV). Terms that are zero in every period are left out."""
    terms = drawn(terms)
    colours = term_colours(terms)
    n = max(len(periods), 1)
    pos = [sum(max(t.pv[i], 0.0) for t in terms) for i in range(n)] if terms else [0.0] * n
    neg = [sum(min(t.pv[i], 0.0) for t in terms) for i in range(n)] if terms else [0.0] * n
    net = [p + q for p, q in zip(pos, neg)]
    div, unit = money_unit(pos + neg)
    top, bottom = max(pos + [0.0]) / div, min(neg + [0.0]) / div
    step = nice_step(top - bottom or 1.0)
    top = math.ceil(top / step + 0.15) * step  # room for the net labels
    bottom = math.floor(bottom / step) * step
    left, right, upper, lower = 78, 16, 14, 46
    pw, ph = width - left - right, height - upper - lower

    def y(v: float) -> float:
        return upper + (top - v / div) / (top - bottom) * ph

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="Revenue and costs by period, present value in {unit}">']
    tick = bottom
    while tick <= top + step / 1000:
        ty = upper + (top - tick) / (top - bottom) * ph
        cls = "axis0" if abs(tick) < step / 1000 else "grid"
        out.append(f'<line class="{cls}" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick:,.{0 if step >= 1 else 1}f}</text>')
        tick += step
    out.append(f'<text class="axis-label" transform="translate(16 {upper + ph / 2:.0f}) rotate(-90)" text-anchor="middle">present value, {unit}</text>')
    group = pw / n
    bar = min(group * 0.62, 90)
    for i, period in enumerate(periods):
        x = left + group * i + (group - bar) / 2
        up, down = 0.0, 0.0
        out.append(
            f'<g class="period-bars{" sel" if i == shown else ""}" data-col="{i}"><rect class="band" x="{left + group * i:.1f}" y="{upper}" width="{group:.1f}" height="{ph}"/>'
        )
        for t in terms:
            v = t.pv[i]
            if abs(v) <= 0.5:
                continue
            a, b = (up, up + v) if v > 0 else (down + v, down)
            if v > 0:
                up += v
            else:
                down += v
            y0, y1 = y(b), y(a)
            tip = f"{t.label}, {period}: {usd(v)} USD (present value)"
            out.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{max(y1 - y0, 0.5):.1f}" fill="{colours[t.term]}"><title>{e(tip)}</title></rect>'
            )
        ny = y(net[i])
        cx = x + bar / 2
        out.append(
            f'<path class="net" d="M{cx:.1f},{ny - 6:.1f} l6,6 l-6,6 l-6,-6 z"><title>{e(f"Net, {period}: {usd(net[i])} USD (present value)")}</title></path>'
        )
        out.append(f'<text class="net-label" x="{cx:.1f}" y="{y(pos[i]) - 8:.1f}" text-anchor="middle">net {net[i] / div:,.2f}</text>')
        out.append(f'<text class="tick period" x="{cx:.1f}" y="{height - lower + 18}" text-anchor="middle">{e(period)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def cost_legend(terms: list[CostTerm]) -> str:
    """Swatches for the terms drawn (the same left-out zero terms as cost_chart)."""
    terms = drawn(terms)
    colours = term_colours(terms)
    items = "".join(f'<li><span class="swatch" style="background:{colours[t.term]}"></span>{e(t.label)}</li>' for t in terms)
    return f'<ul class="legend">{items}<li><span class="swatch diamond"></span>net of the period</li></ul>'


def tonne_bars(rows: list[tuple[str, str, float, float | None, str]], scale: float, width: int = 540, empty: str = "nothing moved") -> str:
    """Horizontal bars: (label, sub-label, tonnes, capacity or None, hover text) per row, all on
    one scale (`scale` tonnes = full width) so that periods compare; a capacity is drawn as the
    bar's pale track."""
    if not rows:
        return f'<p class="muted">{e(empty)}</p>'
    label_w, value_w, row_h = 230, 70, 24
    bar_w = width - label_w - value_w
    height = row_h * len(rows) + 4
    out = [f'<svg class="bars" viewBox="0 0 {width} {height}" role="img">']
    scale = scale if scale > 0 else 1.0
    for k, (label, sub, t, cap, tip) in enumerate(rows):
        y = 2 + k * row_h
        out.append(f"<g><title>{e(tip)}</title>")
        out.append(f'<text class="bar-label" x="{label_w - 8}" y="{y + 11}" text-anchor="end">{e(label)}</text>')
        out.append(f'<text class="bar-sub" x="{label_w - 8}" y="{y + 21}" text-anchor="end">{e(sub)}</text>')
        if cap:
            out.append(f'<rect class="track" x="{label_w}" y="{y + 4}" width="{min(cap / scale, 1.0) * bar_w:.1f}" height="{row_h - 9}"/>')
        out.append(f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{max(min(t / scale, 1.0) * bar_w, 1):.1f}" height="{row_h - 9}"/>')
        out.append(f'<text class="bar-value" x="{label_w + min(t / scale, 1.0) * bar_w + 5:.1f}" y="{y + 15}">{e(short_tonnes(t))}</text></g>')
    out.append("</svg>")
    return "".join(out)
