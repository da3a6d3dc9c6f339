"""The synthetic network: nodes (towns, mines, ports, refinery sites, markets, junctions), a
sparse road graph, a rail backbone, planned slurry pipelines, their upgrades and closures."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from supplyopt.synthetic.draft import Draft
from supplyopt.synthetic.geography import HUBS, LON_MIN, MARKETS, PORTS, coast_lat, connect, knn_edges, mst, round_to


def add_nodes(d: Draft) -> None:
    """Hubs with clusters of mines, coastal ports, refinery sites at ports and towns, markets, and
    inland junctions."""
    b, prm, rng = d.builder, d.prm, d.rng
    systems = d.systems
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
    d.hub_codes, d.mines, d.port_codes = hub_codes, mines, port_codes
    d.site_codes, d.site_anchor, d.market_codes = site_codes, site_anchor, market_codes


def add_roads(d: Draft) -> None:
    """Roads to the k nearest neighbours (fewer for mines and sites), joined into one component;
    some planned (capacity 0 and an upgrade), some widened, some capacitated."""
    b, prm, rng = d.builder, d.prm, d.rng
    site_anchor, corridors, cap_of, upgrade, earliest = d.site_anchor, d.corridors, d.cap_of, d.upgrade, d.earliest
    lat_a, lon_a = np.array(b.lat), np.array(b.lon)
    xy = np.column_stack([lon_a * math.cos(math.radians(27.5)), lat_a])
    kinds = [n["kind"] for n in b.nodes]
    k_of = np.array([1 if k == "mine" else 2 if k in ("refinery", "market") else prm.knn for k in kinds])
    edges = knn_edges(xy, k_of)
    for code, anchor in site_anchor.items():  # every site has a road to its port or town
        i, j = b.index[code], b.index[anchor]
        edges.add((min(i, j), max(i, j)))
    connect(xy, edges)
    edges_sorted = sorted(edges)
    d.xy, d.kinds = xy, kinds

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
            rec["capacity_t_per_yr"] = round_to(float(rng.lognormal(math.log(0.6e6 if mine_access else 2.0e6), 0.4)), 1e4)
            if n_road in widened_roads:
                upgrade("corridor", code, km * rng.uniform(0.3e6, 0.8e6), rec["capacity_t_per_yr"] * rng.uniform(0.5, 1.0), km * 1e3, earliest())
        if rng.random() < 0.1:
            rec["cost_usd_per_tkm"] = round(0.05 * rng.uniform(1.2, 1.8), 4)  # mountain road
        corridors.append(rec)
        cap_of[code] = rec.get("capacity_t_per_yr", math.inf)


def add_rail_and_pipelines(d: Draft) -> None:
    """A rail backbone (spanning tree over hubs and ports, some links planned or doubled) and
    planned one-way slurry pipelines from mining hubs to the nearest port."""
    b, prm, rng = d.builder, d.prm, d.rng
    hub_codes, port_codes, corridors, cap_of, upgrade, earliest = d.hub_codes, d.port_codes, d.corridors, d.cap_of, d.upgrade, d.earliest
    xy = d.xy
    rail_nodes = hub_codes + port_codes
    rail_xy = np.array([xy[b.index[n]] for n in rail_nodes])
    rail_edges = mst(rail_xy)
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
            rec["capacity_t_per_yr"] = round_to(float(rng.uniform(2e6, 6e6)), 1e4)
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


def add_closures(d: Draft) -> None:
    """Security closures and partial closures of corridors (one period each)."""
    prm, rng, pnames = d.prm, d.rng, d.pnames
    corridors, factors, closed = d.corridors, d.factors, d.closed
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
