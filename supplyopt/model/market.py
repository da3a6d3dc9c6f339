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
        lower = 0.0 if (n, c, p) in soft else row["min"]
        return (lower, None if math.isinf(row["max"]) else row["max"])

    soft = {k for k in d.markets if d.markets[k]["min"] > 0 and d.shortfall_penalty(k) is not None}

    m.MARKET_S = pyo.Set(initialize=[(s, *k) for s in d.scenarios for k in d.markets], dimen=4, ordered=True)
    m.sell = pyo.Var(m.MARKET_S, within=pyo.NonNegativeReals, bounds=bounds)
    revenue: dict[tuple[str, str], list] = {}
    handling: dict[tuple[str, str], list] = {}
    for s, n, c, p in m.MARKET_S:
        revenue.setdefault((s, p), []).append(d.markets[(n, c, p)]["price"] * m.sell[s, n, c, p])
        if n in d.ports and d.ports[n]["handling"]:
            handling.setdefault((s, p), []).append(d.ports[n]["handling"] * m.sell[s, n, c, p])
    add_term(m, "revenue", "revenue", "Sales revenue", lambda s, p: pyo.quicksum(revenue.get((s, p), [])))
    _add_shortfall(m, d, sorted(soft, key=list(d.markets).index))
    add_term(m, "port_handling", "operating", "Port handling", lambda s, p: pyo.quicksum(handling.get((s, p), [])))


def _add_shortfall(m: pyo.ConcreteModel, d: ModelData, soft: list[tuple[str, str, str]]) -> None:
    """Soft contract minimums (markets with a shortfall penalty):

        sell_{s,n,c,p} + shortfall_{s,n,c,p} ≥ min_{n,c,p},   0 ≤ shortfall ≤ min

    Named `contract_minimum`; cost term `contract_shortfall` = Σ penalty_{n,c,p} · shortfall.
    """
    idx = [(s, *k) for s in d.scenarios for k in soft]
    m.SHORTFALL = pyo.Set(initialize=idx, dimen=4, ordered=True)
    m.shortfall = pyo.Var(m.SHORTFALL, within=pyo.NonNegativeReals, bounds=lambda _m, s, n, c, p: (0, d.markets[(n, c, p)]["min"]))
    m.contract_minimum = pyo.Constraint(m.SHORTFALL, rule=lambda _m, s, n, c, p: m.sell[s, n, c, p] + m.shortfall[s, n, c, p] >= d.markets[(n, c, p)]["min"])
    by_sp: dict[tuple[str, str], list] = {}
    for s, n, c, p in idx:
        by_sp.setdefault((s, p), []).append(d.shortfall_penalty((n, c, p)) * m.shortfall[s, n, c, p])
    add_term(m, "contract_shortfall", "operating", "Contract shortfall penalty", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))
