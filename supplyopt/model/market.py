"""Sales at ports and markets: contract bounds, prices, port handling and throughput."""

from __future__ import annotations

import math

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Table, clean
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


def sales_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Sales: tonnes sold at each node against the contract, with price and revenue."""
    rows = []
    for (s, n, c, p), v in sol.vals(m.sell).items():
        rec = d.markets[(n, c, p)]
        rows.append(
            {
                "scenario": s,
                "node": n,
                "commodity": c,
                "period": p,
                "t_per_yr": clean(v),
                "price_usd_per_t": rec["price"],
                "revenue_usd_per_yr": clean(v * rec["price"]),
                "min_t_per_yr": rec["min"],
                "max_t_per_yr": None if math.isinf(rec["max"]) else rec["max"],
            }
        )
    return pd.DataFrame(
        rows, columns=["scenario", "node", "commodity", "period", "t_per_yr", "price_usd_per_t", "revenue_usd_per_yr", "min_t_per_yr", "max_t_per_yr"]
    )


def shortfall_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """Shortfalls: unmet soft contract minimums and their penalty; no table without any."""
    if not len(m.shortfall):
        return None
    rows = []
    for (s, n, c, p), v in sol.vals(m.shortfall).items():
        rec = d.markets[(n, c, p)]
        rows.append(
            {
                "scenario": s,
                "node": n,
                "commodity": c,
                "period": p,
                "min_t_per_yr": rec["min"],
                "shortfall_t_per_yr": clean(v),
                "penalty_usd_per_t": d.shortfall_penalty((n, c, p)),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "node", "commodity", "period", "min_t_per_yr", "shortfall_t_per_yr", "penalty_usd_per_t"])


FAMILY = Family("market", add_sales, rows=("contract_minimum",), tables=(Table("Sales", sales_table, 23), Table("Shortfalls", shortfall_table, 70)))
