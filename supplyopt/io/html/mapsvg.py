"""The interactive network map of the HTML report: inline SVG over the same offline Natural Earth
basemap as the PNG map (io/basemap.load_basemap), nodes at their latitude/longitude by kind,
corridors as lines whose width is the tonnes moved in the selected period and whose colour is
the corridor's risk score (RdYlGn_r, as the PNG), opened refineries starred.

The SVG is drawn for the period shown first, so the page reads without a script; the data for
the other periods and the hover texts go to the page's script as JSON (`map_data`). Projection:
longitude scaled by cos(mean latitude), so a km is as long east-west as north-south."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib import colormaps
from matplotlib.colors import to_hex

from supplyopt.io.basemap import LAND, SEA, STYLE, load_basemap, overlaps_window
from supplyopt.io.html.fmt import e, percent, short_tonnes, tonnes
from supplyopt.io.html.view import Use, open_sites, per_node, table, text
from supplyopt.io.map import KIND_STYLE, MODE_STYLE, short_label
from supplyopt.results import Results

WIDTH = 760  # viewBox width; the height follows the view's shape
UNUSED = "#bdbdbd"
# matplotlib line style of a mode (io/map.MODE_STYLE) → SVG dashes as (a, b) pairs, a·w + b px
# for a line w px wide, so the dashes of a wide line stay as clear as those of a thin one.
DASH = {"-": (), "--": ((2.5, 4), (0.8, 3)), ":": ((0.8, 1), (0.8, 2)), "-.": ((2.5, 4), (0.8, 3), (0.8, 1), (0.8, 3))}
MARK = {  # kind → SVG path of its marker around (0, 0)
    "mine": "M0,-7 L6.5,5 L-6.5,5 Z",
    "refinery": "M-5.5,-5.5 H5.5 V5.5 H-5.5 Z",
    "hub": "M-3.6,0 A3.6,3.6 0 1,0 3.6,0 A3.6,3.6 0 1,0 -3.6,0 Z",
    "port": "M0,-7 L7,0 L0,7 L-7,0 Z",
    "market": "M-2,-7 H2 V-2 H7 V2 H2 V7 H-2 V2 H-7 V-2 H-2 Z",
}
STAR = "M0,-12 L3.5,-4 L12,-3.7 L5.5,2 L7.4,10.5 L0,6 L-7.4,10.5 L-5.5,2 L-12,-3.7 L-3.5,-4 Z"
LABEL_ORDER = {"refinery": 0, "port": 1, "mine": 2, "market": 3, "hub": 4}


def risk_colour(score: float | None, max_risk: float) -> str:
    if score is None or max_risk <= 0:
        return "#4d4d4d"
    return to_hex(colormaps["RdYlGn_r"](max(min(score / max_risk, 1.0), 0.0)))


def risk_gradient() -> str:
    """CSS linear-gradient of the risk colours, low to high."""
    return ", ".join(to_hex(colormaps["RdYlGn_r"](i / 6)) for i in range(7))


def dashes(mode: str, w: float) -> str:
    """The stroke-dasharray of a corridor of `mode` drawn `w` px wide ('' = solid)."""
    return " ".join(f"{a * w + b:.1f}" for a, b in DASH.get(MODE_STYLE.get(mode, "-"), ()))


def line_width(t: float, max_t: float) -> float:
    """Width (px) of a used corridor: 1.5 + 10 · sqrt(t / the most any corridor carries in any period)."""
    return 1.5 + 10.0 * math.sqrt(t / max_t) if t > 0 and max_t > 0 else 0.0


@dataclass
class Projection:
    lon0: float
    lat1: float
    kx: float  # cos(mean latitude)
    scale: float  # viewBox units per degree of latitude
    width: float
    height: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx * self.scale, (self.lat1 - lat) * self.scale

    @classmethod
    def around(cls, lons: list[float], lats: list[float]) -> Projection:
        """The nodes plus a margin (6 % of the larger span, at least 0.3°)."""
        x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
        pad = max(0.06 * max(x1 - x0, y1 - y0), 0.3)
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
        kx = max(math.cos(math.radians(sum(lats) / len(lats))), 0.1)
        scale = WIDTH / ((x1 - x0) * kx)
        return cls(x0, y1, kx, scale, WIDTH, (y1 - y0) * scale)

    def limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        x1 = self.lon0 + self.width / (self.kx * self.scale)
        return (self.lon0, x1), (self.lat1 - self.height / self.scale, self.lat1)


def _path(lines: list, proj: Projection, closed: bool = False) -> str:
    (x0, x1), (y0, y1) = proj.limits()
    parts = []
    for line in lines:
        lons, lats = [p[0] for p in line], [p[1] for p in line]
        if max(lons) < x0 or min(lons) > x1 or max(lats) < y0 or min(lats) > y1:
            continue  # wholly outside the view
        pts = [proj.xy(lon, lat) for lon, lat in line]
        parts.append("M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + (" Z" if closed else ""))
    return " ".join(parts)


def _dash(style, width: float) -> str:
    if isinstance(style, tuple):  # (offset, (on, off, ...)) in multiples of the line width
        return " ".join(f"{v * width:g}" for v in style[1])
    return ""


def basemap_svg(proj: Projection) -> str:
    """Sea, land, coastline, borders, province lines and province names seen through the view."""
    base = load_basemap()
    xlim, ylim = proj.limits()
    window = base["window"]
    if not overlaps_window(xlim, ylim, window):
        return ""
    out = ['<g class="basemap">']
    inside = window[0] <= xlim[0] and xlim[1] <= window[2] and window[1] <= ylim[0] and ylim[1] <= window[3]
    if inside:
        out.append(f'<rect width="{proj.width:.0f}" height="{proj.height:.0f}" fill="{SEA}"/>')
        out.append(f'<path d="{_path(base["land"], proj, closed=True)}" fill="{LAND}" stroke="none"/>')
    for layer, (colour, width, style, _z) in STYLE.items():
        if base.get(layer):
            w = width * 1.4
            dash = _dash(style, w)
            attrs = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<path class="bm-{layer}" d="{_path(base[layer], proj)}" fill="none" stroke="{colour}" stroke-width="{w:g}"{attrs}/>')
    for prov in base["provinces"]:
        lon, lat = prov["label"]
        if xlim[0] < lon < xlim[1] and ylim[0] < lat < ylim[1] and prov["name"] != "Islamabad Capital Territory":
            x, y = proj.xy(lon, lat)
            half = 0.42 * 11 * len(prov["name"]) + 4  # half the label's width at 11 px, letter-spaced capitals
            x = min(max(x, half), proj.width - half)
            out.append(f'<text class="province" x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{e(prov["name"].upper())}</text>')
    out.append("</g>")
    return "".join(out)


def _tip(head: str, fixed: list[str], per: list[list[str]]) -> dict:
    return {"h": head, "f": fixed, "p": per}


def _goods(items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{k} {short_tonnes(v)}" for k, v in sorted(items, key=lambda kv: -kv[1]))


def corridor_tip(c: Use, periods: list[str]) -> dict:
    info = c.info
    km = f" · {info['km']:,.0f} km" if info.get("km") is not None else ""
    risk = f"risk score {info['risk']:.3g}" if info.get("risk") is not None else "no risk score"
    per = []
    for i, p in enumerate(periods):
        cap = c.capacity[i] if i < len(c.capacity) else None
        used = f"{p}: {tonnes(c.t[i])} t/yr" + (f" of {tonnes(cap)} ({percent(c.utilisation[i])})" if cap else "")
        goods = info["goods"][i]
        per.append([used] + ([_goods(goods)] if goods else []))
    return _tip(f"{c.code}: {c.name}" if c.name else c.code, [f"{info['route']} · {info['mode']}{km}", risk], per)


def _place_labels(cands: list[tuple[str, float, float, float, str]], proj: Projection, marks: list[tuple[float, float]]) -> list[str]:
    """Greedy label placement: each label (in priority order) takes the first of 8 spots around
    its node that overlaps no earlier label, no node marker and stays inside the map; a label
    with no free spot is left out (its node's hover text still names it)."""
    boxes = [(x - 6, y - 6, x + 6, y + 6) for x, y in marks]
    placed = []
    for label, x, y, size, cls in cands:
        w, h = 0.56 * size * len(label) + 2, size * 1.15
        for dx, dy, anchor in (
            (9, -4, "start"),
            (9, 12, "start"),
            (-9, -4, "end"),
            (-9, 12, "end"),
            (0, -11, "middle"),
            (0, 20, "middle"),
            (12, -12, "start"),
            (-12, -12, "end"),
        ):
            bx = x + dx if anchor == "start" else x + dx - w if anchor == "end" else x - w / 2
            by = y + dy - h * 0.8
            box = (bx, by, bx + w, by + h)
            if box[0] < 2 or box[1] < 2 or box[2] > proj.width - 2 or box[3] > proj.height - 2:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                continue
            boxes.append(box)
            placed.append(f'<text class="{cls}" x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">{e(label)}</text>')
            break
    return placed


def map_svg(results: Results, periods: list[str], shown: int, cors: list[Use], ports: list[Use]) -> tuple[str, dict]:
    """(The map's SVG drawn for period `shown`, the JSON data the page's script redraws it from.)"""
    nodes = table(results, "Nodes")
    nodes = nodes.dropna(subset=["lat", "lon"]) if len(nodes) else nodes
    if not len(nodes):
        return "", {}
    proj = Projection.around([float(v) for v in nodes["lon"]], [float(v) for v in nodes["lat"]])
    pos = {str(r.node): proj.xy(float(r.lon), float(r.lat)) for r in nodes.itertuples()}
    max_t = max((v for c in cors for v in c.t), default=0.0)
    risks = [c.info["risk"] for c in cors if c.info.get("risk") is not None]
    max_risk = max(risks, default=0.0)
    out = [f'<svg id="map" viewBox="0 0 {proj.width:.0f} {proj.height:.0f}" role="img" aria-label="Network map">', basemap_svg(proj)]
    data_cors = []
    lines, hits = [], []
    for k, c in enumerate(cors):
        a, b = pos.get(c.info["from"]), pos.get(c.info["to"])
        if a is None or b is None:
            continue
        colour = risk_colour(c.info.get("risk"), max_risk)
        widths = [round(line_width(t, max_t), 2) for t in c.t]
        dash_by = [dashes(c.info["mode"], w or 1.0) for w in widths]
        data_cors.append({"k": k, "w": widths, "d": dash_by, "col": colour, "tip": corridor_tip(c, periods)})
        w = widths[shown] if shown < len(widths) else 0.0
        stroke, sw = (colour, w) if w > 0 else (UNUSED, 1.0)
        dash = f' stroke-dasharray="{dash_by[shown]}"' if dash_by[shown] else ""
        geom = f'x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}"'
        cls = "cor" + (" used" if w > 0 else "") + (" dashed" if dash_by[0] else "")
        lines.append(f'<line class="{cls}" data-c="{k}" {geom} stroke="{stroke}" stroke-width="{sw:g}"{dash}/>')
        hits.append(f'<line class="hit" data-tip="c{k}" {geom}/>')
    out.append('<g class="corridors">' + "".join(lines) + "</g>")
    out.append('<g class="hits">' + "".join(hits) + "</g>")

    opened = open_sites(results, periods)
    made = per_node(results, "Production", "mine", periods)
    sold = per_node(results, "Sales", "node", periods)
    port_t = {p.code: p for p in ports}
    data_nodes, marks, stars, cands = [], [], [], []
    for k, r in enumerate(nodes.itertuples()):
        code, kind = str(r.node), text(r.kind)
        x, y = pos[code]
        colour = KIND_STYLE.get(kind, {"color": "#636363"})["color"]
        per = [[] for _ in periods]
        for i in range(len(periods)):
            if code in made and made[code][i]:
                per[i].append(f"{periods[i]}: mined {_goods(made[code][i])}")
            if code in port_t:
                p = port_t[code]
                cap = p.capacity[i] if i < len(p.capacity) else None
                per[i].append(f"{periods[i]}: {tonnes(p.t[i])} t/yr through the port" + (f" ({percent(p.utilisation[i])} of capacity)" if cap else ""))
            if code in sold and sold[code][i]:
                per[i].append(f"{periods[i]}: sold {_goods(sold[code][i])}")
            if code in opened:
                per[i].append(f"{periods[i]}: refinery {'open' if opened[code][i] else 'not open'}")
        name = text(r.name)
        label = short_label(code, r.name)
        tip = _tip(f"{name} ({code})" if name else code, [f"{kind} · {float(r.lat):.3f}° N, {float(r.lon):.3f}° E"], per)
        star = opened.get(code)
        data_nodes.append({"k": k, "star": star, "tip": tip})
        marks.append((x, y))
        shape = MARK.get(kind, MARK["hub"])
        out_mark = f'<path class="node" data-tip="n{k}" transform="translate({x:.1f} {y:.1f})" d="{shape}" fill="{colour}"/>'
        stars.append(out_mark)
        if star is not None:
            shown_star = "" if star[shown] else ' display="none"'
            stars.append(f'<path class="star" data-n="{k}" data-tip="n{k}" transform="translate({x:.1f} {y:.1f})" d="{STAR}"{shown_star}/>')
        if kind == "refinery" and not (star and any(star)):
            continue  # candidate sites sit at ports or junctions: their labels would overprint
        big = kind != "hub"
        cands.append((LABEL_ORDER.get(kind, 5), label, x, y, 12.0 if big else 10.0, "label" if big else "label minor"))
    cands.sort(key=lambda c: c[0])
    out.append('<g class="nodes">' + "".join(stars) + "</g>")
    out.append('<g class="labels">' + "".join(_place_labels([c[1:] for c in cands], proj, marks)) + "</g>")
    out.append("</svg>")
    legend = {"max_t": max_t, "max_risk": max_risk}
    return "".join(out), {"cors": data_cors, "nodes": data_nodes, "legend": legend}
