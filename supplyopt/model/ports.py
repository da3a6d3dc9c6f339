"""Port throughput: the sales at a port within its capacity, raised by upgrades."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Limit, Table, capacity_use_rows, scenario_suffix
from supplyopt.model.upgrades import upgraded_capacity


def capacity(m, d: ModelData, key: tuple[str, str, str]):
    """Capacity of port n (key (s, n, p)): f_{s,n,p} · (cap_n + Σ_{u upgrades n} added_u · built_{u,p}),
    None when unlimited."""
    s, n, p = key
    cap = upgraded_capacity(d, "port", n, d.ports[n]["capacity"], s, p)
    return None if cap is None else cap.expression(m, d)


def users(m, d: ModelData, key: tuple[str, str, str]) -> list:
    """sell_{s,n,c,p} of every commodity at port n: what the capacity bounds."""
    s, n, p = key
    return [m.sell[s, n, c, p] for c in d.commodities if (s, n, c, p) in m.sell]


def sea_departures(d: ModelData) -> dict[str, list[str]]:
    """Port → its arcs on sea legs (corridors with SeaFreight rows, model/sea_legs.py): tonnes
    that sail from a port use its capacity beside its sales."""
    freight = d.inputs.get("SeaFreight")
    sea = set(freight["corridor"]) if freight is not None else set()
    out: dict[str, list[str]] = {}
    for k in sorted(sea):
        for a in d.corridor_arcs.get(k, []):
            if d.arcs[a].tail in d.ports:
                out.setdefault(d.arcs[a].tail, []).append(a)
    return out


def add_port_capacity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Port n throughput, per scenario s and period p, where the port is limited and sells:

    Σ_c sell_{s,n,c,p} ≤ f_{s,n,p} · (cap_n + Σ_{u upgrades n} added_u · built_{u,p})   (port_capacity)
    """
    sales: dict[tuple[str, str, str], list] = {}
    for s, n, c, p in m.MARKET_S:
        if n in d.ports:
            sales.setdefault((s, n, p), []).append(m.sell[s, n, c, p])

    def rule(_m, s, n, p):
        rhs = capacity(m, d, (s, n, p))
        lhs = sales.get((s, n, p))
        if rhs is None or not lhs:
            return pyo.Constraint.Skip
        return pyo.quicksum(lhs) <= rhs

    m.port_capacity = pyo.Constraint([(s, n, p) for s in d.scenarios for n in d.ports for p in d.periods], rule=rule)


def port_use_table(m, d: ModelData, sol) -> pd.DataFrame:
    """PortUse: tonnes through each port against its capacity, per scenario and period: its sales,
    and its departures on sea legs (corridors with SeaFreight rows), which share the capacity."""
    totals: dict[tuple, float] = {}
    for (s, n, _c, p), v in sol.vals(m.sell).items():
        if n in d.ports:
            totals[(s, n, p)] = totals.get((s, n, p), 0.0) + v
    port_of = {a: n for n, arcs in sea_departures(d).items() for a in arcs}
    if port_of:
        for (s, a, _c, p), v in sol.vals(m.flow).items():
            if a in port_of:
                totals[(s, port_of[a], p)] = totals.get((s, port_of[a], p), 0.0) + v
    keys = [(s, n, p) for s in d.scenarios for n in d.ports for p in d.periods]
    rows = capacity_use_rows(sol, "port", keys, lambda key: capacity(m, d, key), totals)
    return pd.DataFrame(rows, columns=["scenario", "port", "period", "t_per_yr", "capacity_t_per_yr", "utilisation"])


FAMILY = Family(
    "ports",
    add_port_capacity,
    limits=(
        Limit(
            "port_capacity",
            "Ports",
            lambda d, k: d.ports[k[1]]["row"],
            lambda m, d, k: f"port {k[1]} capacity {pyo.value(capacity(m, d, k)):,.0f} t/yr in {k[2]}{scenario_suffix(d, k[0])}",
            capacity,
            users,
        ),
    ),
    tables=(Table("PortUse", port_use_table, 31),),
)
