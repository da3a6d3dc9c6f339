"""Demand side of the synthetic instances: export ports, domestic markets, price paths, and
off-take contracts whose minimums are feasible by construction."""

from __future__ import annotations

import math
from typing import Any

from supplyopt.synthetic.draft import Draft
from supplyopt.synthetic.geography import round_to


def add_ports(d: Draft) -> list[dict[str, Any]]:
    """Ports rows (capacities, handling costs), berth expansions at the first ports, and a
    reduced-capacity period at the second."""
    prm, rng, pnames, port_codes = d.prm, d.rng, d.pnames, d.port_codes
    factors, cap_of, upgrade, earliest = d.factors, d.cap_of, d.upgrade, d.earliest
    ports = []
    for i, code in enumerate(port_codes):
        cap = round_to(rng.uniform(2e6, 8e6) * (2.0 if i < 2 else 1.0), 1e4)
        ports.append({"port": code, "capacity_t_per_yr": cap, "handling_usd_per_t": round(float(rng.uniform(5, 10)), 2)})
        if i < prm.n_port_upgrades:
            upgrade("port", code, rng.uniform(1e8, 3e8), cap * rng.uniform(0.5, 1.0), rng.uniform(1e6, 3e6), earliest())
        cap_of["port:" + code] = cap * (0.7 if i == 1 and len(pnames) > 2 else 1.0)  # see the port factor below
    if len(port_codes) > 1 and len(pnames) > 2:
        factors.append({"element_type": "port", "element": port_codes[1], "period": pnames[2], "factor": 0.7})
    return ports


def add_markets(d: Draft) -> tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """Markets rows: every commodity at every port, refined products and bulk concentrates at
    domestic markets (with limits); and the row of each (node, commodity)."""
    rng, port_codes, market_codes, commodities = d.rng, d.port_codes, d.market_codes, d.commodities
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
            cap = round_to(float(rng.uniform(0.05, 0.3)) * (5e5 if rec["cargo_value_usd_per_t"] < 1e4 else 5.0), 1.0)
            row = {"node": code, "commodity": c, "price_usd_per_t": round(rec["cargo_value_usd_per_t"] * float(rng.uniform(1.02, 1.1)), 2), "max_t_per_yr": cap}
            markets.append(row)
            market_row[(code, c)] = row
    return markets, market_row


def add_price_paths(d: Draft, markets: list[dict[str, Any]]) -> None:
    """A few explicit later-period price rows (copies of the blank row with a new price)."""
    rng, pnames = d.rng, d.pnames
    for row in list(markets):
        if len(pnames) > 1 and rng.random() < 0.08:
            p = int(rng.integers(1, len(pnames)))
            markets.append({**row, "period": pnames[p], "price_usd_per_t": round(row["price_usd_per_t"] * float(rng.uniform(0.9, 1.15)), 2)})


def add_contracts(
    d: Draft,
    mine_rows: list[dict[str, Any]],
    mine_min_cap: dict[tuple[str, str], float],
    market_row: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Off-take minimums at ports, each no more than half of what a reserved path can carry."""
    import networkx as nx

    prm, rng, corridors, closed, cap_of, port_codes = d.prm, d.rng, d.corridors, d.closed, d.cap_of, d.port_codes

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
