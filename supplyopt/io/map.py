"""Pictures of a plan, made from Results only: the network map (PNG).

Nodes are drawn at their latitude/longitude by kind, corridors as lines whose width is the
tonnage moved in the chosen period and whose colour is the corridor's risk score; opened
refineries are highlighted. Sized for A4 landscape.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from supplyopt.errors import EXIT_INPUT, SupplyoptError  # noqa: E402
from supplyopt.results import Results  # noqa: E402

KIND_STYLE = {
    "mine": {"marker": "^", "color": "#8c510a", "label": "mine"},
    "refinery": {"marker": "s", "color": "#7b3294", "label": "refinery site"},
    "hub": {"marker": "o", "color": "#636363", "label": "hub / junction"},
    "port": {"marker": "D", "color": "#0571b0", "label": "port"},
    "market": {"marker": "P", "color": "#1a9641", "label": "market"},
}
MODE_STYLE = {"road": "-", "rail": "--", "pipeline": ":", "sea": "-."}


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


def draw_map(results: Results, path: str | Path, period: str | None = None, title: str | None = None) -> Path:
    """Write the network map PNG for one period (A4 landscape at 150 dpi); returns the path."""
    fig = map_figure(results, period, title)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp.png")
    try:
        fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    tmp.replace(out)
    return out


def map_figure(results: Results, period: str | None = None, title: str | None = None) -> Figure:
    """The network map of one period as a matplotlib Figure (one Axes; the caller closes it)."""
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

    fig, ax = plt.subplots(figsize=(11.69, 8.27), dpi=150)
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
            ax.annotate(
                f"{r.corridor}\n{format_tonnes(t)}",
                ((x0 + x1) / 2, (y0 + y1) / 2),
                fontsize=6,
                ha="center",
                va="center",
                color="#252525",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
                zorder=4,
            )
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
        ax.annotate(label, pos[r.node], xytext=(4, 4), textcoords="offset points", fontsize=7, weight=weight, zorder=7)

    _legend(ax, cmap, max_risk, max_flow, bool(opened))
    _scale_bar(ax, nodes)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    mid_lat = float(nodes["lat"].mean())
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.1))
    ax.grid(True, lw=0.3, alpha=0.5)
    status = results.summary.get("status", "")
    npv = results.summary.get("npv_usd")
    npv_txt = f", NPV {npv / 1e6:,.1f} M USD" if isinstance(npv, (int, float)) else ""
    ax.set_title(title or f"supplyopt plan, {period}: flows (width) and corridor risk (colour){npv_txt} [{status}]", fontsize=11)
    fig.tight_layout()
    return fig


def _opened_sites(results: Results, period: str) -> set[str]:
    ref = results.tables.get("Refineries")
    if ref is None or not len(ref):
        return set()
    return set(ref.loc[(ref["period"] == period) & (ref["open"] == 1), "site"])


def _legend(ax, cmap, max_risk: float, max_flow: float, any_opened: bool) -> None:
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
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, framealpha=0.9, borderaxespad=0.0)


def _scale_bar(ax, nodes: pd.DataFrame) -> None:
    """A 10-200 km bar in the lower right corner, correct at the map's mean latitude."""
    lat = float(nodes["lat"].mean())
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    span_km = (float(nodes["lon"].max()) - float(nodes["lon"].min())) * km_per_deg
    length_km = 200 if span_km > 800 else 100 if span_km > 300 else 50 if span_km > 100 else 10
    x1 = float(nodes["lon"].max())
    y = float(nodes["lat"].min()) - 0.05 * max(float(nodes["lat"].max() - nodes["lat"].min()), 0.1)  # below the southernmost node
    x0 = x1 - length_km / max(km_per_deg, 1e-6)
    ax.plot([x0, x1], [y, y], color="black", lw=3, zorder=8)
    ax.annotate(f"{length_km} km", ((x0 + x1) / 2, y), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=8, zorder=8)
