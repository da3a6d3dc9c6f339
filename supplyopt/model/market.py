"""Sales at ports and markets: contract bounds, prices, port handling and throughput."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.terms import add_term


def add_sales(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Sales of commodity c at node n in period p, scenario s (t/yr), within the contract:

        min_{n,c,p} ≤ sell_{s,n,c,p} ≤ max_{n,c,p}

    Revenue term `revenue` = Σ price_{n,c,p} · sell; cost term `port_handling` =
    Σ_{n ∈ ports} handling_n · sell. In objective = cost mode min is the demand to meet.
    """

    def bounds(_m, s, n, c, p):
        row = d.markets[(n, c, p)]
        return (row["min"], None if math.isinf(row["max"]) else row["max"])

    m.MARKET_S = pyo.Set(initialize=[(s, *k) for s in d.scenarios for k in d.markets], dimen=4, ordered=True)
    m.sell = pyo.Var(m.MARKET_S, within=pyo.NonNegativeReals, bounds=bounds)
    revenue: dict[tuple[str, str], list] = {}
    handling: dict[tuple[str, str], list] = {}
    for s, n, c, p in m.MARKET_S:
        revenue.setdefault((s, p), []).append(d.markets[(n, c, p)]["price"] * m.sell[s, n, c, p])
        if n in d.ports and d.ports[n]["handling"]:
            handling.setdefault((s, p), []).append(d.ports[n]["handling"] * m.sell[s, n, c, p])
    add_term(m, "revenue", "revenue", "Sales revenue", lambda s, p: pyo.quicksum(revenue.get((s, p), []), linear=True))
    add_term(m, "port_handling", "operating", "Port handling", lambda s, p: pyo.quicksum(handling.get((s, p), []), linear=True))
