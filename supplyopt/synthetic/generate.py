"""Seeded synthetic instances of any size, for benchmarks and tests.

`generate(size, seed, **overrides)` returns record dicts ``{table: [row dicts]}`` in the normal
input format (validate them with `supplyopt.io.memory.instance_from_records`). The structure
imitates the real problem in a Balochistan-sized box (lat 24.8-31.0 N, lon 61.6-69.8 E):

* hubs (towns) with clusters of mines around them; each mine produces one or two concentrates
  of a mineral system (Cu-Au, Pb-Zn, chromite, iron, antimony, barite), with ramp-ups and
  expansions per period;
* a sparse road graph (k nearest neighbours plus links that make it connected) between hubs,
  junctions, mines, refinery candidates, ports and domestic markets; a rail backbone (a
  spanning tree over hubs and ports) with capacities; planned roads/rail links and slurry
  pipelines with capacity 0 and an Upgrade that builds them; widening upgrades and port
  expansions; a few security closures and ramp-ups as CapacityFactors;
* refinery candidates at ports and at mine hubs (modules, lead times, one existing site from
  size M on) running poly-metallic recipes with co-products (cathode, Au-bearing anode slimes,
  acid; zinc, Ag-bearing lead bullion...), some at specific sites only;
* export ports on the Makran coast with capacities and handling costs, domestic markets with
  limits, prices per period, and a few concentrate off-take contracts (minimums) that are
  feasible by construction (each is routed on a reserved path of existing capacity).

Named sizes are calibrated on the number of model columns (``build_model(...).nvariables()``),
measured at seed 0 (``python -m supplyopt.synthetic.generate SIZE --count``):

    size   target    columns   integer     rows   periods  commodities  nodes  corridors
    S        5 k       4 907        31     1 858        4            7     58         84
    M       50 k      50 140        94    20 078        6            9    337        456
    L      500 k     499 660       220   198 250        8           13  1 799      2 386
    XL       2 M   1 996 797       377   785 514       10           15  4 986      6 632

Other seeds land within about 10 % (the number of mines is random). Flows are 97-99 % of the
columns; integer decisions (refinery opening and modules, upgrades) stay below 1 %, like the
real problem. With supplyopt's default gap (1e-4) S solves to optimality in seconds and M in
about a minute; L and XL need a time limit.

Command line: ``python -m supplyopt.synthetic.generate M --seed 1 -o /tmp/synthetic_M`` writes a
folder of ``<Table>.csv`` files (or one ``.xlsx`` workbook when the name ends in ``.xlsx``).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from supplyopt.errors import OutputError
from supplyopt.schema import TABLES, TABLES_BY_NAME

Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class GenParams:
    """Knobs of the generator; a named size is one set of them (override any by keyword)."""

    n_hubs: int
    mines_per_hub: float
    n_junctions: int
    n_ports: int
    n_sites: int
    n_markets: int
    n_systems: int  # mineral systems (each adds a concentrate and 1-3 products)
    n_periods: int
    n_pipelines: int = 0  # planned one-way slurry pipelines hub → port
    n_contracts: int = 2  # concentrate off-take contracts with a minimum
    knn: int = 2  # road links per node to its nearest neighbours (2: a sparse, tree-like network)
    p_capacitated: float = 0.5  # share of roads with a finite capacity
    n_road_upgrades: int = 4  # planned roads (capacity 0 + upgrade) and widenings, half each
    n_rail_upgrades: int = 2  # planned rail links and rail doublings, half each
    n_port_upgrades: int = 2  # berth expansions at the first ports
    p_closure: float = 0.01  # share of corridors closed (factor 0 or 0.5) in one period
    existing_site: bool = False  # one refinery site already has a module
    discount_rate: float = 0.08


SIZES: dict[str, GenParams] = {
    "S": GenParams(
        n_hubs=3,
        mines_per_hub=3,
        n_junctions=43,
        n_ports=3,
        n_sites=3,
        n_markets=2,
        n_systems=2,
        n_periods=4,
        n_road_upgrades=2,
        n_rail_upgrades=1,
        n_port_upgrades=1,
    ),
    "M": GenParams(
        n_hubs=8,
        mines_per_hub=5,
        n_junctions=270,
        n_ports=5,
        n_sites=5,
        n_markets=4,
        n_systems=3,
        n_periods=6,
        n_pipelines=1,
        n_contracts=4,
        existing_site=True,
    ),
    "L": GenParams(
        n_hubs=24,
        mines_per_hub=6,
        n_junctions=1600,
        n_ports=8,
        n_sites=8,
        n_markets=8,
        n_systems=5,
        n_periods=8,
        n_pipelines=2,
        n_contracts=8,
        n_road_upgrades=8,
        n_rail_upgrades=3,
        n_port_upgrades=3,
        existing_site=True,
    ),
    "XL": GenParams(
        n_hubs=40,
        mines_per_hub=7,
        n_junctions=4620,
        n_ports=10,
        n_sites=10,
        n_markets=12,
        n_systems=6,
        n_periods=10,
        n_pipelines=3,
        n_contracts=12,
        n_road_upgrades=12,
        n_rail_upgrades=4,
        n_port_upgrades=4,
        existing_site=True,
    ),
}

# Columns measured with build_model(...).nvariables() at seed 0 (see the module docstring).
MEASURED_COLUMNS = {"S": 4_907, "M": 50_140, "L": 499_660, "XL": 1_996_797}

# --- geography -------------------------------------------------------------------------------
LAT_MAX, LON_MIN, LON_MAX = 31.0, 61.6, 69.8
# Makran and Sindh coast (lon, lat), west to east.
COAST = ((61.6, 25.05), (62.3, 25.12), (63.5, 25.25), (64.6, 25.2), (65.5, 25.35), (66.6, 25.3), (67.0, 24.85), (67.4, 24.75), (69.8, 24.2))
KM_PER_DEG = 111.2

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

# --- mineral systems: concentrate, products (code, name, export price USD/t, yield), recipe ----
SYSTEMS = (
    {
        "key": "CUAU",
        "conc": ("CUAU_CONC", "Copper-gold concentrate", 2400.0),
        "mine_t": (60e3, 500e3),
        "mine_cost": (0.45, 0.65),
        # Gold reports to the anode slimes (sold to a precious-metals refiner), not to a product
        # of a few grams per tonne: keeps the matrix coefficients within a sane range.
        "products": (
            ("CU_CATHODE", "Copper cathode", 9200.0, 0.26),
            ("ANODE_SLIME", "Au-bearing anode slimes", 2.2e5, 0.004),
            ("H2SO4", "Sulphuric acid", 60.0, 0.55),
        ),
        "recipe_cost": 560.0,
        "alt": ("CUAU_LEACH", 640.0, (("CU_CATHODE", 0.25), ("ANODE_SLIME", 0.0037))),
    },
    {
        "key": "PBZN",
        "conc": ("PBZN_CONC", "Lead-zinc concentrate", 1150.0),
        "mine_t": (20e3, 160e3),
        "mine_cost": (0.45, 0.65),
        "products": (
            ("ZN_INGOT", "Zinc ingot", 2800.0, 0.40),
            ("PB_BULLION", "Silver-bearing lead bullion", 3600.0, 0.14),
            ("H2SO4", "Sulphuric acid", 60.0, 0.35),
        ),
        "recipe_cost": 390.0,
        "alt": None,
    },
    {
        "key": "CR",
        "conc": ("CR_CONC", "Chromite concentrate", 290.0),
        "mine_t": (10e3, 120e3),
        "mine_cost": (0.4, 0.6),
        "products": (("FECR", "High-carbon ferrochrome", 1250.0, 0.43),),
        "recipe_cost": 240.0,
        "alt": None,
    },
    {
        "key": "FE",
        "conc": ("FE_CONC", "Iron ore concentrate", 115.0),
        "mine_t": (100e3, 900e3),
        "mine_cost": (0.4, 0.6),
        "products": (("PIG_IRON", "Pig iron", 430.0, 0.58),),
        "recipe_cost": 125.0,
        "alt": None,
    },
    {
        "key": "SB",
        "conc": ("SB_CONC", "Antimony concentrate", 9000.0),
        "mine_t": (2e3, 15e3),
        "mine_cost": (0.45, 0.65),
        "products": (("SB_METAL", "Antimony metal", 21000.0, 0.55),),
        "recipe_cost": 1900.0,
        "alt": None,
    },
    {
        "key": "BA",
        "conc": ("BARITE_ORE", "Barite ore", 95.0),
        "mine_t": (20e3, 200e3),
        "mine_cost": (0.35, 0.55),
        "products": (("BARITE_API", "API-grade barite", 215.0, 0.88),),
        "recipe_cost": 45.0,
        "alt": None,
    },
)

MODES = (("road", 0.05, 2.0), ("rail", 0.03, 4.0), ("pipeline", 0.012, 1.0))


def params_for(size: str, **overrides: Any) -> GenParams:
    """The named size's parameters with keyword overrides (unknown names raise TypeError)."""
    key = size.upper()
    if key not in SIZES:
        raise ValueError(f"unknown size {size!r}: choose one of {', '.join(SIZES)}")
    known = {f.name for f in fields(GenParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown generator parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return replace(SIZES[key], **overrides)


def coast_lat(lon: float | np.ndarray) -> float | np.ndarray:
    xs, ys = zip(*COAST)
    return np.interp(lon, xs, ys)


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


class _Builder:
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


def _round(x: float, step: float) -> float:
    return float(max(step, round(x / step) * step))


def _periods(n: int) -> list[dict[str, Any]]:
    out, year = [], 2026
    for i in range(n):
        length = 1 if i < 2 else 2 if i < 4 else 5
        name = str(year) if length == 1 else f"{year}-{str(year + length - 1)[2:]}"
        out.append({"period": name, "start_year": year, "length_years": length})
        year += length
    return out


def _knn_edges(xy: np.ndarray, k_of: np.ndarray, chunk: int = 512) -> set[tuple[int, int]]:
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


def _connect(xy: np.ndarray, edges: set[tuple[int, int]]) -> None:
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


def _mst(xy: np.ndarray) -> list[tuple[int, int]]:
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


def generate(size: str = "S", seed: int = 0, **overrides: Any) -> Records:
    """Records of a synthetic instance of the named size (S, M, L, XL), reproducible per seed.

    Keyword overrides set any `GenParams` field (e.g. ``n_periods=3``). The result is valid
    input (``instance_from_records``) and feasible: contract minimums are routed on reserved
    capacity and every other minimum is 0.
    """
    prm = params_for(size, **overrides)
    rng = np.random.default_rng(seed)
    b = _Builder(prm, rng)
    periods = _periods(prm.n_periods)
    pnames = [p["period"] for p in periods]
    systems = [SYSTEMS[i % len(SYSTEMS)] for i in range(prm.n_systems)]
    if prm.n_systems > len(SYSTEMS):  # beyond the catalogue: renamed copies
        systems = [_renamed(s, i) for i, s in enumerate(systems)]

    # Commodities ------------------------------------------------------------------------------
    commodities: dict[str, dict[str, Any]] = {}
    for s in systems:
        code, name, price = s["conc"]
        commodities.setdefault(code, {"commodity": code, "name": name, "kind": "concentrate", "cargo_value_usd_per_t": price})
        for pcode, pname, pprice, _y in s["products"]:
            kind = "other" if pcode == "H2SO4" else "refined"
            commodities.setdefault(pcode, {"commodity": pcode, "name": pname, "kind": kind, "cargo_value_usd_per_t": pprice})

    # Nodes ------------------------------------------------------------------------------------
    hub_codes: list[str] = []
    for i in range(prm.n_hubs):
        if i < len(HUBS):
            code, name, lat, lon = HUBS[i]
        else:
            (lat,), (lon,) = b.random_inland(1)
            code, name = f"TOWN_{i:03d}", f"Town {i}"
        hub_codes.append(b.add_node("HUB_" + code, name, "hub", lat, lon))
    hub_system = {h: i % len(systems) for i, h in enumerate(hub_codes)}

    mines: list[tuple[str, list[int]]] = []  # (mine code, system indices)
    n_mine = 0
    for h in hub_codes:
        hi = b.index[h]
        count = max(1, int(rng.poisson(prm.mines_per_hub)))
        for _ in range(count):
            n_mine += 1
            lat = b.lat[hi] + rng.normal(0, 0.3)
            lon = b.lon[hi] + rng.normal(0, 0.4)
            code = b.add_node(f"MINE_{n_mine:04d}", f"Mine {n_mine} ({b.nodes[hi]['name']})", "mine", lat, lon)
            main = hub_system[h] if rng.random() < 0.75 else int(rng.integers(len(systems)))
            systems_here = [main]
            if len(systems) > 1 and rng.random() < 0.25:
                systems_here.append(int((main + 1 + rng.integers(len(systems) - 1)) % len(systems)))
            mines.append((code, systems_here))

    port_codes: list[str] = []
    for i in range(prm.n_ports):
        if i < len(PORTS):
            code, name, lon = PORTS[i]
        else:
            code, name, lon = f"PORT_{i:02d}", f"Port {i}", float(rng.uniform(LON_MIN + 0.2, 67.3))
        port_codes.append(b.add_node("PORT_" + code, name, "port", coast_lat(lon), lon, "Sindh" if lon > 66.7 else "Balochistan"))

    site_codes: list[str] = []
    site_anchor: dict[str, str] = {}
    for i in range(prm.n_sites):
        at_port = i % 2 == 0
        pool = port_codes if at_port else hub_codes
        anchor = pool[(i // 2) % len(pool)]
        ai = b.index[anchor]
        lat = b.lat[ai] + (0.06 if at_port else rng.normal(0, 0.05))
        lon = b.lon[ai] + rng.normal(0, 0.06)
        suffix = anchor.split("_", 1)[1]
        code = f"REF_{suffix}" if f"REF_{suffix}" not in b.index else f"REF_{suffix}_{i}"
        site_codes.append(b.add_node(code, f"Refinery site {b.nodes[ai]['name']}", "refinery", lat, lon))
        site_anchor[code] = anchor

    market_codes: list[str] = []
    for i in range(prm.n_markets):
        if i < len(MARKETS):
            code, name, lat, lon = MARKETS[i]
        else:
            (lat,), (lon,) = b.random_inland(1)
            code, name = f"CITY_{i:03d}", f"City market {i}"
        market_codes.append(b.add_node("MKT_" + code, name, "market", lat, lon))

    jlat, jlon = b.random_inland(prm.n_junctions)
    for i in range(prm.n_junctions):
        b.add_node(f"JCT_{i + 1:04d}", f"Junction {i + 1}", "hub", jlat[i], jlon[i])

    # Roads: k nearest neighbours (fewer for mines and sites), then connect the components.
    lat_a, lon_a = np.array(b.lat), np.array(b.lon)
    xy = np.column_stack([lon_a * math.cos(math.radians(27.5)), lat_a])
    kinds = [n["kind"] for n in b.nodes]
    k_of = np.array([1 if k == "mine" else 2 if k in ("refinery", "market") else prm.knn for k in kinds])
    edges = _knn_edges(xy, k_of)
    for code, anchor in site_anchor.items():  # every site has a road to its port or town
        i, j = b.index[code], b.index[anchor]
        edges.add((min(i, j), max(i, j)))
    _connect(xy, edges)
    edges_sorted = sorted(edges)

    corridors: list[dict[str, Any]] = []
    upgrades: list[dict[str, Any]] = []
    factors: list[dict[str, Any]] = []
    cap_of: dict[str, float] = {}  # base capacity (inf = unlimited), for the contract witness

    def upgrade(element_type: str, element: str, capex: float, added: float, opex: float, earliest: int | None) -> None:
        upgrades.append(
            {
                "upgrade": f"U-{element}",
                "element_type": element_type,
                "element": element,
                "capex_usd": _round(capex, 1e5),
                "added_capacity_t_per_yr": _round(added, 1e3),
                "fixed_opex_usd_per_yr": _round(opex, 1e4),
                "earliest_period": pnames[earliest] if earliest is not None else None,
            }
        )

    def earliest() -> int | None:
        return None if rng.random() < 0.4 else int(rng.integers(1, max(2, len(pnames) // 2 + 1)))

    # Which links get upgrades: fixed counts, so integer decisions stay few at every size.
    trunk = [n for n, (i, j) in enumerate(edges_sorted) if "mine" not in (kinds[i], kinds[j])]
    chosen = rng.choice(len(trunk), size=min(prm.n_road_upgrades, len(trunk)), replace=False) if trunk else []
    planned_roads = {trunk[int(x)] for x in chosen[: (len(chosen) + 1) // 2]}
    widened_roads = {trunk[int(x)] for x in chosen[(len(chosen) + 1) // 2 :]}
    for n_road, (i, j) in enumerate(edges_sorted):
        a, c = b.nodes[i]["node"], b.nodes[j]["node"]
        km = round(float(b.dist(a, c)) * rng.uniform(1.15, 1.4) + 1.0, 1)
        code = f"R-{n_road + 1:05d}"
        rec: dict[str, Any] = {"corridor": code, "from_node": a, "to_node": c, "mode": "road", "distance_km": km}
        mine_access = "mine" in (kinds[i], kinds[j])
        if n_road in planned_roads:
            rec["capacity_t_per_yr"] = 0.0
            rec["name"] = "planned road"
            upgrade("corridor", code, km * rng.uniform(0.8e6, 2.0e6), rng.uniform(1e6, 3e6), km * 2e3, earliest())
        elif n_road in widened_roads or mine_access or rng.random() < prm.p_capacitated:
            rec["capacity_t_per_yr"] = _round(float(rng.lognormal(math.log(0.6e6 if mine_access else 2.0e6), 0.4)), 1e4)
            if n_road in widened_roads:
                upgrade("corridor", code, km * rng.uniform(0.3e6, 0.8e6), rec["capacity_t_per_yr"] * rng.uniform(0.5, 1.0), km * 1e3, earliest())
        if rng.random() < 0.1:
            rec["cost_usd_per_tkm"] = round(0.05 * rng.uniform(1.2, 1.8), 4)  # mountain road
        corridors.append(rec)
        cap_of[code] = rec.get("capacity_t_per_yr", math.inf)

    # Rail backbone: spanning tree over hubs and ports.
    rail_nodes = hub_codes + port_codes
    rail_xy = np.array([xy[b.index[n]] for n in rail_nodes])
    rail_edges = _mst(rail_xy)
    chosen = rng.choice(len(rail_edges), size=min(prm.n_rail_upgrades, len(rail_edges)), replace=False) if rail_edges else []
    planned_rail = {int(x) for x in chosen[: (len(chosen) + 1) // 2]}
    doubled_rail = {int(x) for x in chosen[(len(chosen) + 1) // 2 :]}
    for n_rail, (i, j) in enumerate(rail_edges):
        a, c = rail_nodes[i], rail_nodes[j]
        km = round(float(b.dist(a, c)) * rng.uniform(1.1, 1.25), 1)
        code = f"RL-{n_rail + 1:03d}"
        rec = {"corridor": code, "name": "rail", "from_node": a, "to_node": c, "mode": "rail", "distance_km": km}
        if n_rail in planned_rail:
            rec["capacity_t_per_yr"] = 0.0
            rec["name"] = "planned rail"
            upgrade("corridor", code, km * rng.uniform(2e6, 4e6), rng.uniform(3e6, 8e6), km * 5e3, earliest())
        else:
            rec["capacity_t_per_yr"] = _round(float(rng.uniform(2e6, 6e6)), 1e4)
            if n_rail in doubled_rail:
                upgrade("corridor", code, km * rng.uniform(0.8e6, 1.5e6), rng.uniform(2e6, 5e6), km * 2e3, earliest())
        corridors.append(rec)
        cap_of[code] = rec["capacity_t_per_yr"]

    # Planned slurry pipelines (one-way) from mining hubs to the nearest port.
    for n_pipe in range(prm.n_pipelines):
        h = hub_codes[n_pipe % len(hub_codes)]
        port = min(port_codes, key=lambda p, h=h: b.dist(h, p))
        km = round(float(b.dist(h, port)) * 1.1, 1)
        code = f"PL-{n_pipe + 1:02d}"
        corridors.append(
            {
                "corridor": code,
                "name": "planned slurry pipeline",
                "from_node": h,
                "to_node": port,
                "mode": "pipeline",
                "distance_km": km,
                "capacity_t_per_yr": 0.0,
                "bidirectional": False,
            }
        )
        cap_of[code] = 0.0
        upgrade("corridor", code, km * rng.uniform(1.5e6, 2.5e6), rng.uniform(2e6, 4e6), km * 4e3, earliest())

    # Security closures and partial closures (one period each).
    closed: set[str] = set()
    for rec in corridors:
        if rec.get("capacity_t_per_yr", math.inf) != 0.0 and rng.random() < prm.p_closure:
            factors.append(
                {
                    "element_type": "corridor",
                    "element": rec["corridor"],
                    "period": pnames[int(rng.integers(len(pnames)))],
                    "factor": float(rng.choice([0.0, 0.5])),
                }
            )
            closed.add(rec["corridor"])

    # Mines --------------------------------------------------------------------------------------
    mine_rows: list[dict[str, Any]] = []
    mine_min_cap: dict[tuple[str, str], float] = {}  # smallest capacity over periods (witness)
    for code, sys_idx in mines:
        ramp = rng.random() < 0.2
        if ramp:
            factors.append({"element_type": "mine", "element": code, "period": pnames[0], "factor": 0.5})
        for k, si in enumerate(sys_idx):
            s = systems[si]
            conc, _name, price = s["conc"]
            lo, hi = s["mine_t"]
            cap = _round(float(np.exp(rng.uniform(math.log(lo), math.log(hi)))) * (0.4 if k else 1.0), 1e3)
            cost = round(price * rng.uniform(*s["mine_cost"]), 2)
            mine_rows.append({"mine": code, "commodity": conc, "max_t_per_yr": cap, "cost_usd_per_t": cost})
            smallest = cap * (0.5 if ramp else 1.0)
            if len(pnames) > 2 and rng.random() < 0.25:  # expansion from a later period
                p = int(rng.integers(2, len(pnames)))
                mine_rows.append({"mine": code, "commodity": conc, "period": pnames[p], "max_t_per_yr": _round(cap * 1.5, 1e3), "cost_usd_per_t": cost})
            mine_min_cap[(code, conc)] = smallest

    # Refineries and recipes -------------------------------------------------------------------
    refineries: list[dict[str, Any]] = []
    lead_max = 0
    for i, code in enumerate(site_codes):
        at_port = site_anchor[code] in port_codes
        lead = int(rng.integers(1, 4))
        lead_max = max(lead_max, lead)
        existing = 1 if (prm.existing_site and i == 0) else 0
        refineries.append(
            {
                "site": code,
                "open_capex_usd": 0.0 if existing else _round(rng.uniform(1.5e8, 3.5e8) * (0.9 if at_port else 1.1), 1e6),
                "fixed_opex_usd_per_yr": _round(rng.uniform(8e6, 1.6e7), 1e5),
                "module_size_t_per_yr": _round(rng.uniform(1.0e5, 2.5e5), 1e4),
                "module_capex_usd": _round(rng.uniform(1.2e8, 2.4e8), 1e6),
                "module_opex_usd_per_yr": _round(rng.uniform(2e6, 5e6), 1e5),
                "max_modules": int(rng.integers(3, 7)),
                "existing_modules": existing,
                "lead_time_years": lead,
                # Mine-mouth sites need power and water first: some cannot start before period 2.
                "earliest_period": pnames[1] if (not at_port and not existing and len(pnames) > 1 and rng.random() < 0.5) else None,
            }
        )
    if site_codes and len(pnames) > 1:
        factors.append({"element_type": "refinery", "element": site_codes[-1], "period": pnames[-1], "factor": 0.8})

    recipes: list[dict[str, Any]] = []
    recipe_outputs: list[dict[str, Any]] = []
    for s in systems:
        conc = s["conc"][0]
        rname = f"{s['key']}_SMELT"
        recipes.append({"recipe": rname, "input_commodity": conc, "cost_usd_per_t": s["recipe_cost"]})
        for pcode, _n, _p, y in s["products"]:
            recipe_outputs.append({"recipe": rname, "output_commodity": pcode, "yield": y})
        # Port-side sites have cheaper power and reagents: a site-specific cost row.
        for code in site_codes:
            if site_anchor[code] in port_codes and rng.random() < 0.5:
                recipes.append({"recipe": rname, "site": code, "input_commodity": conc, "cost_usd_per_t": round(s["recipe_cost"] * 0.9, 2)})
        if s["alt"]:
            aname, acost, outs = s["alt"]
            aname = aname if s["key"] in aname else f"{s['key']}_{aname}"
            for code in site_codes:
                if site_anchor[code] in hub_codes:  # leaching at the mine mouth only
                    recipes.append({"recipe": aname, "site": code, "input_commodity": conc, "cost_usd_per_t": acost})
            if any(site_anchor[c] in hub_codes for c in site_codes):
                for pcode, y in outs:
                    recipe_outputs.append({"recipe": aname, "output_commodity": pcode, "yield": y})

    # Ports, markets and prices ----------------------------------------------------------------
    ports = []
    for i, code in enumerate(port_codes):
        cap = _round(rng.uniform(2e6, 8e6) * (2.0 if i < 2 else 1.0), 1e4)
        ports.append({"port": code, "capacity_t_per_yr": cap, "handling_usd_per_t": round(float(rng.uniform(5, 10)), 2)})
        if i < prm.n_port_upgrades:
            upgrade("port", code, rng.uniform(1e8, 3e8), cap * rng.uniform(0.5, 1.0), rng.uniform(1e6, 3e6), earliest())
        cap_of["port:" + code] = cap * (0.7 if i == 1 and len(pnames) > 2 else 1.0)  # see the port factor below
    if len(port_codes) > 1 and len(pnames) > 2:
        factors.append({"element_type": "port", "element": port_codes[1], "period": pnames[2], "factor": 0.7})

    markets: list[dict[str, Any]] = []
    market_row: dict[tuple[str, str], dict[str, Any]] = {}
    for code in port_codes:
        for c, rec in commodities.items():
            price = rec["cargo_value_usd_per_t"] * float(rng.uniform(0.97, 1.03))
            row = {"node": code, "commodity": c, "price_usd_per_t": round(price, 2)}
            markets.append(row)
            market_row[(code, c)] = row
    for code in market_codes:
        for c, rec in commodities.items():
            if rec["kind"] == "concentrate" and c not in ("CR_CONC", "FE_CONC", "BARITE_ORE"):
                continue
            cap = _round(float(rng.uniform(0.05, 0.3)) * (5e5 if rec["cargo_value_usd_per_t"] < 1e4 else 5.0), 1.0)
            row = {"node": code, "commodity": c, "price_usd_per_t": round(rec["cargo_value_usd_per_t"] * float(rng.uniform(1.02, 1.1)), 2), "max_t_per_yr": cap}
            markets.append(row)
            market_row[(code, c)] = row

    # Contract minimums, feasible by construction: route each on a path of existing capacity.
    _add_contracts(b, prm, rng, corridors, closed, cap_of, mine_rows, mine_min_cap, port_codes, market_row)

    # Price paths: a few explicit later-period rows (copies of the blank row with a new price).
    for row in list(markets):
        if len(pnames) > 1 and rng.random() < 0.08:
            p = int(rng.integers(1, len(pnames)))
            markets.append({**row, "period": pnames[p], "price_usd_per_t": round(row["price_usd_per_t"] * float(rng.uniform(0.9, 1.15)), 2)})

    modes = [{"mode": m, "cost_usd_per_tkm": c, "handling_usd_per_t": h} for m, c, h in MODES]
    settings = [
        {"name": "objective", "value": "npv"},
        {"name": "discount_rate", "value": prm.discount_rate},
        # Money is discounted to the decision year, lead_max years before operations start,
        # so every refinery candidate can have capacity online from the first period.
        {"name": "base_year", "value": periods[0]["start_year"] - lead_max},
        {"name": "currency_note", "value": f"USD; synthetic instance size {size.upper()} seed {seed}"},
    ]
    return {
        "Settings": settings,
        "Periods": periods,
        "Commodities": list(commodities.values()),
        "Nodes": b.nodes,
        "Modes": modes,
        "Corridors": corridors,
        "Mines": mine_rows,
        "Refineries": refineries,
        "Recipes": recipes,
        "RecipeOutputs": recipe_outputs,
        "Ports": ports,
        "Markets": markets,
        "Upgrades": upgrades,
        "CapacityFactors": factors,
    }


def _renamed(s: dict[str, Any], i: int) -> dict[str, Any]:
    if i < len(SYSTEMS):
        return s
    tag = f"{i + 1}"
    conc = (f"{s['conc'][0]}_{tag}", f"{s['conc'][1]} ({tag})", s["conc"][2])
    products = tuple((f"{c}_{tag}", f"{n} ({tag})", p, y) for c, n, p, y in s["products"])
    alt = (s["alt"][0] + "_" + tag, s["alt"][1], tuple((f"{c}_{tag}", y) for c, y in s["alt"][2])) if s["alt"] else None
    return {**s, "key": f"{s['key']}{tag}", "conc": conc, "products": products, "alt": alt}


def _add_contracts(b, prm, rng, corridors, closed, cap_of, mine_rows, mine_min_cap, port_codes, market_row) -> None:
    """Off-take minimums at ports, each no more than half of what a reserved path can carry."""
    import networkx as nx

    g = nx.Graph()
    for rec in corridors:
        cap = cap_of[rec["corridor"]]
        if cap > 0 and rec["corridor"] not in closed and rec.get("bidirectional", True):
            # Parallel road and rail: keep the cheaper (shorter) link between two nodes.
            a, c = rec["from_node"], rec["to_node"]
            if not g.has_edge(a, c) or g[a][c]["km"] > rec["distance_km"]:
                g.add_edge(a, c, km=rec["distance_km"], corridor=rec["corridor"])
    residual = dict(cap_of)
    candidates = sorted({(r["mine"], r["commodity"]) for r in mine_rows if r.get("period") is None})
    if not candidates:
        return
    order = rng.permutation(len(candidates))
    made = 0
    for idx in order:
        if made >= prm.n_contracts:
            break
        mine, conc = candidates[int(idx)]
        port = port_codes[int(rng.integers(len(port_codes)))]
        if mine not in g or port not in g or not nx.has_path(g, mine, port):
            continue
        path = nx.shortest_path(g, mine, port, weight="km")
        links = [g[u][v]["corridor"] for u, v in zip(path, path[1:])]
        room = min([mine_min_cap[(mine, conc)], residual["port:" + port]] + [residual[k] for k in links])
        amount = math.floor(0.5 * room / 1000.0) * 1000.0
        if amount <= 0:
            continue
        for k in links:
            residual[k] -= amount
        residual["port:" + port] -= amount
        mine_min_cap[(mine, conc)] -= amount
        row = market_row[(port, conc)]
        row["min_t_per_yr"] = row.get("min_t_per_yr", 0.0) + amount
        made += 1


# --- writers ---------------------------------------------------------------------------------
# supplyopt.io.template's writers are used when present (they own the file format); the small
# fallbacks below write the same layout: one <Table>.csv (header row, then records) per table.


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return "unlimited" if math.isinf(v) else repr(v)
    return str(v)


def _header(name: str, records: list[dict[str, Any]]) -> list[str]:
    present = {k for r in records for k in r}
    schema_cols = TABLES_BY_NAME[name].column_names if name in TABLES_BY_NAME else []
    return [c for c in schema_cols if c in present] + sorted(present - set(schema_cols))


def _fallback_csv(records: Records, folder: Path, overwrite: bool) -> None:
    if folder.exists() and any(folder.glob("*.csv")) and not overwrite:
        raise OutputError(f"{folder} already has CSV files; choose another folder or pass --force")
    folder.mkdir(parents=True, exist_ok=True)
    for name, recs in records.items():
        header = _header(name, recs)
        fd, tmp = tempfile.mkstemp(suffix=".csv", dir=folder)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows([_cell(r.get(h)) for h in header] for r in recs)
        os.replace(tmp, folder / f"{name}.csv")


def _fallback_xlsx(records: Records, path: Path, overwrite: bool) -> None:
    import openpyxl

    if path.exists() and not overwrite:
        raise OutputError(f"{path} exists; choose another name or pass --force")
    wb = openpyxl.Workbook(write_only=True)
    for table in TABLES:
        if table.name in records:
            ws = wb.create_sheet(table.name)
            header = _header(table.name, records[table.name])
            ws.append(header)
            for r in records[table.name]:
                ws.append([("unlimited" if isinstance(v, float) and math.isinf(v) else v) for v in (r.get(h) for h in header)])
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_instance(records: Records, out: str | Path, overwrite: bool = False) -> Path:
    """Write records as a CSV folder (one <Table>.csv per table) or, for a name ending in .xlsx,
    an input workbook. Raises OutputError rather than replace an existing output."""
    out = Path(out)
    try:
        from supplyopt.io import template
    except ImportError:
        template = None
    if out.suffix.lower() == ".xlsx":
        if template is not None and hasattr(template, "write_template"):
            template.write_template(out, records, overwrite=overwrite)
        else:
            _fallback_xlsx(records, out, overwrite)
    elif template is not None and hasattr(template, "write_instance_csv"):
        template.write_instance_csv(out, records, overwrite=overwrite)
    else:
        _fallback_csv(records, out, overwrite)
    return out


def model_size(records: Records) -> dict[str, int]:
    """Columns, integer columns and rows of the model built from the records."""
    from pyomo.environ import Var

    from supplyopt.io.memory import instance_from_records
    from supplyopt.model import build_model

    m = build_model(instance_from_records(records))
    integer = sum(1 for v in m.component_data_objects(Var) if v.is_integer() or v.is_binary())
    return {"columns": m.nvariables(), "integer_columns": integer, "rows": m.nconstraints()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m supplyopt.synthetic.generate", description="Write a synthetic supplyopt instance.")
    ap.add_argument("size", choices=list(SIZES), type=str.upper)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", help="folder for <Table>.csv files, or a .xlsx workbook")
    ap.add_argument("--force", action="store_true", help="replace an existing output")
    ap.add_argument("--count", action="store_true", help="build the model and print its columns and rows")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a generator parameter (repeatable)")
    args = ap.parse_args(argv)
    overrides: dict[str, Any] = {}
    types = {f.name: f.type for f in fields(GenParams)}
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in types:
            ap.error(f"unknown parameter {name!r}; known: {', '.join(types)}")
        kind = types[name]
        overrides[name] = (value.lower() in ("1", "yes", "true")) if kind == "bool" else int(value) if kind == "int" else float(value)
    records = generate(args.size, seed=args.seed, **overrides)
    if args.output:
        try:
            out = write_instance(records, args.output, overwrite=args.force)
        except OutputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return OutputError.exit_code
        print(f"wrote {out} ({sum(len(v) for v in records.values()):,} rows in {len(records)} tables)")
    if args.count:
        print(f"size {args.size} seed {args.seed}: {model_size(records)}  params {asdict(params_for(args.size, **overrides))}")
    if not args.output and not args.count:
        ap.error("give -o OUTPUT and/or --count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
