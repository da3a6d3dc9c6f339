"""Pictures of a plan, made from Results only: the network map (PNG).

Nodes are drawn at their latitude/longitude by kind, corridors as lines whose width is the
tonnage moved in the chosen period and whose colour is the corridor's risk score; opened
refineries are highlighted. Under them, the offline Natural Earth basemap (io/basemap.py).
Labels are placed by adjustText so that they do not overprint; the legend and the risk colour
bar sit beside the map, not on it. A4 landscape at 150 dpi; the PNG is rendered in memory and
written through io/atomic.py (the path is checked before drawing).
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from supplyopt.errors import EXIT_INPUT, SupplyoptError  # noqa: E402
from supplyopt.io.atomic import check_target, write_bytes_atomic  # noqa: E402
from supplyopt.io.basemap import draw_basemap  # noqa: E402
from supplyopt.results import Results  # noqa: E402

KIND_STYLE = {
    "mine": {"marker": "^", "color": "#8c510a", "label": "mine"},
    "refinery": {"marker": "s", "color": "#7b3294", "label": "refinery site"},
    "hub": {"marker": "o", "color": "#636363", "label": "hub / junction"},
    "port": {"marker": "D", "color": "#0571b0", "label": "port"},
    "market": {"marker": "P", "color": "#1a9641", "label": "market"},
}
MODE_STYLE = {"road": "-", "rail": "--", "pipeline": ":", "sea": "-."}
FIGSIZE = (11.69, 8.27)  # A4 landscape, inches
DPI = 150
MAP_BOX = (0.045, 0.06, 0.63, 0.87)  # the map's axes in figure fractions (left, bottom, width, height)
SIDE_X = 0.70  # legend and colour bar start here, right of the map


def sheet_fit_scale(width_px: int = int(FIGSIZE[0] * DPI), height_px: int = int(FIGSIZE[1] * DPI), *, margin_in: float = 0.5, top_in: float = 0.85) -> float:
    """Scale for the map picture in a spreadsheet (96 px per inch) so that it fits one A4
    landscape page with `margin_in` margins on every side and `top_in` above it (two 15 pt note
    rows, 0.42 in, plus the header/footer room LibreOffice keeps, measured). For the default
    1753 x 1240 px PNG: min(10.69 * 96 / 1753, 6.42 * 96 / 1240) = min(0.585, 0.497) = 0.497.
    Checked by printing to PDF with LibreOffice: 0.497 and 0.5 give one page, 0.528 two (in a
    write-only workbook, where openpyxl drops fitToPage)."""
    page_w, page_h = FIGSIZE
    return min((page_w - 2 * margin_in) * 96 / width_px, (page_h - 2 * margin_in - top_in) * 96 / height_px)


def format_tonnes(t: float) -> str:
    if t >= 1e6:
        return f"{t / 1e6:,.2f} Mt"
    if t >= 1e4:
        return f"{t / 1e3:,.0f} kt"
    if t >= 1e3:
        return f"{t / 1e3:,.1f} kt"
    return f"{t:,.0f} t"


def short_label(node: str, name: object) -> str:
    """A node's name up to its first bracket or semicolon, at most 24 characters (else its code)."""
    if not isinstance(name, str) or not name.strip():
        return node
    text = name.split("(")[0].split(";")[0].strip() or node
    return text if len(text) <= 24 else text[:23] + "…"


class MapError(SupplyoptError):
    """The results hold nothing to draw (no coordinates), or the period asked for is unknown."""

    exit_code = EXIT_INPUT


def map_period(results: Results, period: str | None) -> str:
    """The period to draw: the one asked for, else the one with the most tonnes moved."""
    flows = results["Flows"]
    periods = list(dict.fromkeys(results["Costs"]["period"]))
    if period is not None:
        if period not in periods:
            raise MapError(f"period '{period}' is not in the results (periods: {', '.join(periods)})")
        return period
    if len(flows):
        base = flows[flows["scenario"] == "base"] if "scenario" in flows else flows
        totals = base.groupby("period", sort=False)["t_per_yr"].sum()
        if len(totals):
            return str(totals.idxmax())
    return periods[-1]


def draw_map(
    results: Results,
    path: str | Path,
    period: str | None = None,
    title: str | None = None,
    *,
    overwrite: bool = True,
    protect: Iterable[str | os.PathLike] = (),
) -> Path:
    """Write the network map PNG for one period (A4 landscape at 150 dpi); returns the path.

    The path is checked first (io/atomic.check_target: not a folder, a FIFO, an input in
    `protect`, an over-long name, a folder path through a file; an existing file only with
    `overwrite`), then the map is rendered in memory and written atomically. Every failure to
    write is an OutputError (exit 6); nothing is left behind."""
    out = check_target(path, overwrite=overwrite, protect=protect)
    fig = map_figure(results, period, title)
    try:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    finally:
        plt.close(fig)
    return write_bytes_atomic(out, buf.getvalue(), overwrite=overwrite, protect=protect)


def map_figure(results: Results, period: str | None = None, title: str | None = None) -> Figure:
    """The network map of one period as a matplotlib Figure; the caller closes it.

    fig.axes[0] is the map (with the legend, placed beside it); fig.axes[1], when corridors
    have risk scores, is the risk colour bar."""
    nodes = results["Nodes"].dropna(subset=["lat", "lon"])
    if not len(nodes):
        raise MapError("no node has latitude/longitude: fill the lat and lon columns of the Nodes sheet to draw a map")
    period = map_period(results, period)
    pos = {r.node: (float(r.lon), float(r.lat)) for r in nodes.itertuples()}
    kinds = dict(zip(results["Nodes"]["node"], results["Nodes"]["kind"]))
    corridors = results["Corridors"]
    flows = results["Flows"]
    if "scenario" in flows:
        flows = flows[flows["scenario"] == "base"]
    moved = flows[flows["period"] == period].groupby("corridor")["t_per_yr"].sum()
    max_flow = float(moved.max()) if len(moved) else 0.0
    max_risk = float(corridors["max_risk_score"].max()) if len(corridors) else 0.0
    cmap = plt.get_cmap("RdYlGn_r")
    # Label only the busiest corridors (at most 15) so the map stays readable at A4.
    label_floor = float(moved.sort_values(ascending=False).iloc[min(14, len(moved) - 1)]) if len(moved) else 0.0

    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    ax = fig.add_axes(MAP_BOX)
    mid_lat = float(nodes["lat"].mean())
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.1), adjustable="datalim")
    xlim, ylim = _view(nodes, ax)
    provinces = draw_basemap(ax, xlim, ylim)

    labels, anchors = [], []  # texts adjustText may move, and the points they belong to
    for r in corridors.itertuples():
        if r.from_node not in pos or r.to_node not in pos:
            continue
        (x0, y0), (x1, y1) = pos[r.from_node], pos[r.to_node]
        t = float(moved.get(r.corridor, 0.0))
        colour = cmap(r.max_risk_score / max_risk) if max_risk > 0 else "#4d4d4d"
        if t > 0:
            width = 1.0 + 9.0 * math.sqrt(t / max_flow)
            ax.plot([x0, x1], [y0, y1], MODE_STYLE.get(r.mode, "-"), color=colour, lw=width, alpha=0.85, solid_capstyle="round", zorder=2)
            if t < label_floor:
                continue
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            labels.append(ax.text(mx, my, f"{r.corridor}\n{format_tonnes(t)}", fontsize=6, ha="center", va="center", color="#252525", bbox=_BOX, zorder=4))
            anchors.append((mx, my))
        else:
            ax.plot([x0, x1], [y0, y1], MODE_STYLE.get(r.mode, "-"), color="#bdbdbd", lw=0.8, zorder=1)

    opened = _opened_sites(results, period)
    for kind, style in KIND_STYLE.items():
        sub = nodes[nodes["kind"] == kind]
        if not len(sub):
            continue
        ax.scatter(sub["lon"], sub["lat"], marker=style["marker"], c=style["color"], s=45, zorder=5, edgecolors="white", linewidths=0.6)
    for n in opened:
        if n in pos:
            ax.scatter(*pos[n], marker="*", s=420, c="#d7191c", edgecolors="black", linewidths=0.8, zorder=6)
    for r in nodes.itertuples():
        if kinds.get(r.node) == "refinery" and r.node not in opened:
            continue  # candidate sites sit at ports or junctions: their labels would overprint
        label = short_label(r.node, r.name)
        weight = "bold" if r.node in opened or kinds.get(r.node) == "port" else "normal"
        labels.append(ax.text(*pos[r.node], label, fontsize=7, weight=weight, ha="left", va="bottom", zorder=7, bbox=_NODE_BOX))
        anchors.append(pos[r.node])

    scale = _scale_bar(ax, nodes)
    status = results.summary.get("status", "")
    npv = results.summary.get("npv_usd")
    npv_txt = f", NPV {npv / 1e6:,.1f} M USD" if isinstance(npv, (int, float)) else ""
    ax.set_title(title or f"supplyopt plan, {period}: flows (width) and corridor risk (colour){npv_txt} [{status}]", fontsize=11)
    ax.set_xlabel("longitude (°E)", fontsize=8)
    ax.set_ylabel("latitude (°N)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, lw=0.3, alpha=0.4, zorder=0.1)
    _place_labels(ax, labels, anchors, provinces + [scale])
    _legend(fig, ax, cmap, max_risk, max_flow, bool(opened))
    return fig


_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
_NODE_BOX = {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.55}


def _view(nodes: pd.DataFrame, ax) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis limits: the nodes plus a margin, widened to the map box's shape (equal km per inch)."""
    x0, x1 = float(nodes["lon"].min()), float(nodes["lon"].max())
    y0, y1 = float(nodes["lat"].min()), float(nodes["lat"].max())
    pad = max(0.06 * max(x1 - x0, y1 - y0), 0.3)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    fig_w, fig_h = ax.figure.get_size_inches()
    box_w, box_h = MAP_BOX[2] * fig_w, MAP_BOX[3] * fig_h
    aspect = ax.get_aspect()  # degrees of latitude per degree of longitude on paper
    if (y1 - y0) * aspect / (x1 - x0) > box_h / box_w:  # taller than the box: widen
        extra = ((y1 - y0) * aspect * box_w / box_h - (x1 - x0)) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = ((x1 - x0) * box_h / (box_w * aspect) - (y1 - y0)) / 2
        y0, y1 = y0 - extra, y1 + extra
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return (x0, x1), (y0, y1)


def _place_labels(ax, labels: list, anchors: list[tuple[float, float]], fixed: list) -> None:
    """Move labels off each other, off the node markers and off the fixed texts; deterministic.

    adjustText spreads the labels; a repair pass then moves any label still overprinting
    another (or a fixed text) to the first free spot around its point (8 directions, growing
    radius); a province name that would still overprint a label is left out. A thin leader
    line joins each moved label to its point. Deterministic: adjustText runs a fixed number of
    iterations (its default stops after 1 s, which differs run to run)."""
    if not labels:
        return
    key = _layout_key(ax, labels, anchors, fixed)
    if key in _LAYOUTS:  # the same labels on the same map (a batch's scenarios often share them): same result
        positions, hidden, leaders = _LAYOUTS[key]
        for t, (xy, ha, va) in zip(labels, positions):
            t.set_position(xy)
            t.set_horizontalalignment(ha)  # adjustText centres the texts it moves
            t.set_verticalalignment(va)
        for t, off in zip(fixed, hidden):
            t.set_visible(not off)
        _draw_leaders(ax, leaders)
        return
    xs, ys = zip(*anchors)
    from adjustText import adjust_text  # here: it imports scipy (about 1 s), needed only once a map is drawn

    adjust_text(
        labels,
        x=list(xs),
        y=list(ys),
        objects=fixed,
        ax=ax,
        expand=(1.15, 1.3),
        force_text=(0.3, 0.5),
        force_static=(0.2, 0.4),
        max_move=(20, 20),
        iter_lim=50,  # 100 placed no better on the Pakistan maps and cost 0.5 s more a map
        prevent_crossings=False,  # the repair pass below draws leaders; this check cost 0.6 s a map
    )
    renderer = ax.figure.canvas.get_renderer()
    inv = ax.transData.inverted()
    frame = ax.get_window_extent(renderer)
    static = [t.get_window_extent(renderer) for t in fixed if not _is_province(t)]
    placed: list = []
    for t, (x, y) in zip(labels, anchors):
        box = _box(t, renderer)
        if _collides(box, placed + static, frame):
            px, py = ax.transData.transform((x, y))
            for radius in (10, 18, 28, 40, 55, 75, 100, 130):
                for dx, dy in ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)):
                    t.set_position(inv.transform((px + dx * radius + (0 if dx >= 0 else -box.width * (t.get_ha() == "left")), py + dy * radius)))
                    box = _box(t, renderer)
                    if not _collides(box, placed + static, frame):
                        break
                else:
                    continue
                break
        placed.append(box)
    for t in fixed:
        if _is_province(t) and _collides(t.get_window_extent(renderer), placed, frame):
            t.set_visible(False)
    leaders = []
    for (x, y), box in zip(anchors, placed):
        px, py = ax.transData.transform((x, y))
        cx, cy = min(max(px, box.x0), box.x1), min(max(py, box.y0), box.y1)  # nearest point of the label's box
        if math.hypot(cx - px, cy - py) > 4:
            leaders.append([(x, y), tuple(inv.transform((cx, cy)))])
    if len(_LAYOUTS) >= 32:
        _LAYOUTS.clear()
    _LAYOUTS[key] = ([(t.get_position(), t.get_ha(), t.get_va()) for t in labels], [not t.get_visible() for t in fixed], leaders)
    _draw_leaders(ax, leaders)


# Label layouts placed in this process, by everything that decides them (_layout_key): placing is
# deterministic, so a repeat is looked up instead of re-run (0.5 s a map).
_LAYOUTS: dict[tuple, tuple[list, list, list]] = {}


def _layout_key(ax, labels: list, anchors: list, fixed: list) -> tuple:
    def text(t):
        return (t.get_text(), t.get_position(), t.get_fontsize(), t.get_weight(), t.get_ha(), t.get_va(), t.get_visible())

    size = tuple(ax.figure.get_size_inches())
    return (size, ax.figure.dpi, ax.get_xlim(), ax.get_ylim(), tuple(map(text, labels)), tuple(anchors), tuple(map(text, fixed)))


def _draw_leaders(ax, leaders: list) -> None:
    if leaders:
        coll = LineCollection(leaders, colors="#5a5a5a", linewidths=0.5, zorder=4.5)
        coll.set_gid("label leaders")
        ax.add_collection(coll, autolim=False)


def _is_province(t) -> bool:
    return t.get_gid() == "basemap:province"


def _box(t, renderer):
    return t.get_window_extent(renderer).expanded(1.0, 1.0).padded(1.5)


def _collides(box, others: list, frame) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return not inside or any(box.overlaps(o) for o in others)


def _opened_sites(results: Results, period: str) -> set[str]:
    ref = results.tables.get("Refineries")
    if ref is None or not len(ref):
        return set()
    return set(ref.loc[(ref["period"] == period) & (ref["open"] == 1), "site"])


def _legend(fig, ax, cmap, max_risk: float, max_flow: float, any_opened: bool) -> None:
    """Legend (on the map's axes, placed in the figure's right-hand column) and the risk colour bar under it."""
    handles = [Line2D([], [], marker=s["marker"], color=s["color"], ls="", label=s["label"]) for s in KIND_STYLE.values()]
    if any_opened:
        handles.append(Line2D([], [], marker="*", color="#d7191c", markeredgecolor="black", ls="", markersize=14, label="refinery opened"))
    for mode, ls in MODE_STYLE.items():
        handles.append(Line2D([], [], color="#4d4d4d", ls=ls, lw=2, label=f"{mode}"))
    if max_flow > 0:
        handles.append(Line2D([], [], color="#4d4d4d", lw=10, label=f"{format_tonnes(max_flow)}/yr (widest)"))
    handles.append(Line2D([], [], color="#bdbdbd", lw=0.8, label="unused corridor"))
    if max_risk > 0:
        handles.append(Line2D([], [], color=cmap(0.0), lw=3, label="low risk"))
        handles.append(Line2D([], [], color=cmap(1.0), lw=3, label=f"high risk (score {max_risk:.3g})"))
    handles.append(Line2D([], [], color="#6e6e6e", lw=1.0, label="international border"))
    handles.append(Line2D([], [], color="#a6a6a6", lw=0.6, ls=(0, (4, 2)), label="province boundary"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(SIDE_X, 0.93), bbox_transform=fig.transFigure, fontsize=8, framealpha=1.0, borderaxespad=0.0)
    if max_risk > 0:
        cax = fig.add_axes((SIDE_X, 0.12, 0.26, 0.022))
        bar = fig.colorbar(ScalarMappable(Normalize(0.0, max_risk), cmap), cax=cax, orientation="horizontal")
        bar.set_label("corridor risk score (colour of a line)", fontsize=8)
        cax.tick_params(labelsize=7)
    fig.text(SIDE_X, 0.035, "Basemap: Natural Earth (public domain).\nLine width = tonnes moved per year.", fontsize=6.5, color="#6e6e6e")


def _scale_bar(ax, nodes: pd.DataFrame):
    """A 10-200 km bar in the lower right corner, correct at the map's mean latitude."""
    lat = float(nodes["lat"].mean())
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    span_km = (float(nodes["lon"].max()) - float(nodes["lon"].min())) * km_per_deg
    length_km = 200 if span_km > 800 else 100 if span_km > 300 else 50 if span_km > 100 else 10
    x1 = float(nodes["lon"].max())
    y = float(nodes["lat"].min()) - 0.05 * max(float(nodes["lat"].max() - nodes["lat"].min()), 0.1)  # below the southernmost node
    x0 = x1 - length_km / max(km_per_deg, 1e-6)
    ax.plot([x0, x1], [y, y], color="black", lw=3, zorder=8)
    return ax.annotate(f"{length_km} km", ((x0 + x1) / 2, y), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=8, zorder=8)
