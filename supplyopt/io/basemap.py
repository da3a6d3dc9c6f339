"""The offline basemap under the network map: land, coastline, borders and Pakistan's provinces.

Read from supplyopt/data/basemap_pk.json (Natural Earth, public domain; made by
tools/make_basemap.py, which says where each layer came from). Nothing is downloaded. Drawn as
collections (not Line2D), below the corridors, so the map's own lines stay the only ax.lines.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from matplotlib.collections import LineCollection, PolyCollection

BASEMAP_FILE = Path(__file__).resolve().parents[1] / "data" / "basemap_pk.json"
SEA = "#dfeaf3"
LAND = "#f6f3ec"
STYLE = {  # layer: (colour, line width, line style, zorder)
    "coastline": ("#7a9cbf", 0.7, "solid", 0.6),
    "province_lines": ("#a6a6a6", 0.6, (0, (4, 2)), 0.5),
    "borders": ("#6e6e6e", 1.0, "solid", 0.7),
    "disputed_borders": ("#6e6e6e", 0.9, (0, (2, 2)), 0.7),
}


@lru_cache(maxsize=1)
def load_basemap(path: Path = BASEMAP_FILE) -> dict:
    """The basemap layers: window [lon0, lat0, lon1, lat1], land rings, line layers, provinces."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def overlaps_window(xlim: tuple[float, float], ylim: tuple[float, float], window: list[float]) -> bool:
    return xlim[0] < window[2] and xlim[1] > window[0] and ylim[0] < window[3] and ylim[1] > window[1]


def draw_basemap(ax, xlim: tuple[float, float], ylim: tuple[float, float]) -> list:
    """Draw the layers seen through the view (xlim, ylim); returns the province name Texts.

    The sea colour fills the axes only when the view lies inside the basemap's window (outside
    it there is no land polygon to tell land from sea)."""
    base = load_basemap()
    window = base["window"]
    if not overlaps_window(xlim, ylim, window):
        return []
    inside = window[0] <= xlim[0] and xlim[1] <= window[2] and window[1] <= ylim[0] and ylim[1] <= window[3]
    if inside:
        ax.set_facecolor(SEA)
        ax.add_collection(PolyCollection(base["land"], facecolors=LAND, edgecolors="none", zorder=0.2), autolim=False)
    for layer, (colour, width, style, z) in STYLE.items():
        if base.get(layer):
            coll = LineCollection(base[layer], colors=colour, linewidths=width, linestyles=style, zorder=z, capstyle="round")
            coll.set_gid(f"basemap:{layer}")
            ax.add_collection(coll, autolim=False)
    names = []
    for prov in base["provinces"]:
        x, y = prov["label"]
        if xlim[0] < x < xlim[1] and ylim[0] < y < ylim[1] and prov["name"] != "Islamabad Capital Territory":  # ICT is a dot at A4
            t = ax.text(x, y, prov["name"].upper(), fontsize=7.5, color="#9a9a9a", style="italic", ha="center", va="center", zorder=0.8)
            t.set_gid("basemap:province")
            names.append(t)
    return names
