"""Geography of the synthetic instances: a Balochistan-sized box, its coast, towns, ports and
markets; great-circle distances; a node accumulator; and the graph helpers that make a sparse,
connected road network and a rail spanning tree."""

from __future__ import annotations

from typing import Any

import numpy as np

from supplyopt.synthetic.params import GenParams

LAT_MAX, LON_MIN, LON_MAX = 31.0, 61.6, 69.8
# Makran and Sindh coast (lon, lat), west to east.
COAST = ((61.6, 25.05), (62.3, 25.12), (63.5, 25.25), (64.6, 25.2), (65.5, 25.35), (66.6, 25.3), (67.0, 24.85), (67.4, 24.75), (69.8, 24.2))

HUBS = (
    ("QUETTA", "Quetta", 30.18, 66.99),
    ("DALBANDIN", "Dalbandin", 28.89, 64.41),
    ("KHUZDAR", "Khuzdar", 27.80, 66.61),
    ("NOKKUNDI", "Nokkundi", 28.82, 62.75),
    ("TURBAT", "Turbat", 26.00, 63.05),
    ("SIBI", "Sibi", 29.54, 67.88),
    ("PANJGUR", "Panjgur", 26.97, 64.10),
    ("KHARAN", "Kharan", 28.58, 65.42),
    ("LORALAI", "Loralai", 30.37, 68.60),
    ("MUSLIM_BAGH", "Muslim Bagh", 30.83, 67.73),
    ("LASBELA", "Lasbela", 26.23, 66.31),
    ("KALAT", "Kalat", 29.03, 66.59),
)
PORTS = (
    ("GWADAR", "Gwadar", 62.33),
    ("KARACHI", "Karachi", 66.98),
    ("QASIM", "Port Qasim", 67.33),
    ("PASNI", "Pasni", 63.47),
    ("ORMARA", "Ormara", 64.64),
    ("JIWANI", "Jiwani", 61.75),
    ("SONMIANI", "Sonmiani", 66.55),
)
MARKETS = (
    ("KARACHI_IND", "Karachi industrial", 24.93, 67.08),
    ("QUETTA_IND", "Quetta industrial", 30.22, 67.05),
    ("HUB_IND", "Hub industrial estate", 25.05, 66.88),
    ("ROHRI", "Rohri/Sukkur", 27.69, 68.90),
)


def coast_lat(lon: float | np.ndarray) -> float | np.ndarray:
    """Latitude of the coast at `lon` (linear between the COAST points)."""
    xs, ys = zip(*COAST)
    return np.interp(lon, xs, ys)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between (lat1, lon1) and (lat2, lon2), in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


class NodeBuilder:
    """Accumulates the generated network; one instance per call of `generate`."""

    def __init__(self, prm: GenParams, rng: np.random.Generator):
        self.prm = prm
        self.rng = rng
        self.nodes: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self.lat: list[float] = []
        self.lon: list[float] = []

    # nodes ----------------------------------------------------------------------------------
    def add_node(self, code: str, name: str, kind: str, lat: float, lon: float, region: str = "Balochistan") -> str:
        lat = float(np.clip(lat, coast_lat(lon) + (0.0 if kind == "port" else 0.08), LAT_MAX))
        lon = float(np.clip(lon, LON_MIN, LON_MAX))
        self.index[code] = len(self.nodes)
        self.nodes.append({"node": code, "name": name, "kind": kind, "lat": round(lat, 4), "lon": round(lon, 4), "region": region})
        self.lat.append(lat)
        self.lon.append(lon)
        return code

    def random_inland(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        lon = self.rng.uniform(LON_MIN + 0.1, LON_MAX - 0.1, n)
        lo = coast_lat(lon) + 0.15
        lat = lo + self.rng.uniform(0, 1, n) * (LAT_MAX - 0.05 - lo)
        return lat, lon

    def dist(self, a: str, b: str) -> float:
        i, j = self.index[a], self.index[b]
        return float(haversine_km(self.lat[i], self.lon[i], self.lat[j], self.lon[j]))


def round_to(x: float, step: float) -> float:
    """x rounded to a multiple of `step`, at least one step."""
    return float(max(step, round(x / step) * step))


def knn_edges(xy: np.ndarray, k_of: np.ndarray, chunk: int = 512) -> set[tuple[int, int]]:
    """Undirected edges joining every point to its k_of[i] nearest others (chunked distances)."""
    n = len(xy)
    edges: set[tuple[int, int]] = set()
    kmax = int(k_of.max()) if n else 0
    for start in range(0, n, chunk):
        block = xy[start : start + chunk]
        d2 = ((block[:, None, :] - xy[None, :, :]) ** 2).sum(-1)
        for r in range(len(block)):
            d2[r, start + r] = np.inf
        kk = min(kmax, n - 1)
        nearest = np.argpartition(d2, kk - 1, axis=1)[:, :kk] if kk > 0 else np.empty((len(block), 0), int)
        for r in range(len(block)):
            i = start + r
            order = nearest[r][np.argsort(d2[r, nearest[r]], kind="stable")]
            for j in order[: k_of[i]]:
                edges.add((min(i, int(j)), max(i, int(j))))
    return edges


def connect(xy: np.ndarray, edges: set[tuple[int, int]]) -> None:
    """Add the shortest links that join the components of (points, edges) into one."""
    n = len(xy)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        parent[find(i)] = find(j)
    while True:
        roots = np.array([find(i) for i in range(n)])
        labels = np.unique(roots)
        if len(labels) <= 1:
            return
        # Join the smallest component to its nearest point outside it.
        sizes = {int(lab): int((roots == lab).sum()) for lab in labels}
        small = min(sizes, key=lambda lab: (sizes[lab], lab))
        inside = np.flatnonzero(roots == small)
        outside = np.flatnonzero(roots != small)
        d2 = ((xy[inside][:, None, :] - xy[outside][None, :, :]) ** 2).sum(-1)
        r, c = np.unravel_index(int(np.argmin(d2)), d2.shape)
        i, j = int(inside[r]), int(outside[c])
        edges.add((min(i, j), max(i, j)))
        parent[find(i)] = find(j)


def mst(xy: np.ndarray) -> list[tuple[int, int]]:
    """Euclidean minimum spanning tree (Prim, O(n²)) of a few points."""
    n = len(xy)
    if n < 2:
        return []
    in_tree = np.zeros(n, bool)
    in_tree[0] = True
    best = ((xy - xy[0]) ** 2).sum(1)
    link = np.zeros(n, int)
    out = []
    for _ in range(n - 1):
        cand = np.where(in_tree, np.inf, best)
        j = int(np.argmin(cand))
        out.append((min(j, int(link[j])), max(j, int(link[j]))))
        in_tree[j] = True
        d = ((xy - xy[j]) ** 2).sum(1)
        closer = d < best
        best = np.where(closer, d, best)
        link = np.where(closer, j, link)
    return out
