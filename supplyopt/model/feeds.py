"""Imported and recycled feed: concentrate, scrap or e-waste bought at a node, within availability.

    buy_{s,n,c,p} ≤ max_{n,c,p}          (feed_availability, keys (s, n, c, p))

for every Feeds row (a blank period: every period). buy enters the mass balance at n like
production; recipes whose input is c process it. Cost term `feed_purchases` = Σ price_{n,c,p} ·
buy_{s,n,c,p}; built only when Feeds has rows.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.model.data import ModelData, expand_periods
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.terms import add_term


def feeds(d: ModelData) -> dict[tuple[str, str, str], dict]:
    """(node, commodity, period) → its Feeds row."""
    df = d.inputs.get("Feeds")
    return expand_periods(df, ["node", "commodity"], d.periods) if df is not None and len(df) else {}


def capacity(m, d: ModelData, key) -> float:
    """Tonnes of the feed available (key (s, n, c, p))."""
    return feeds(d)[key[1:]]["max_t_per_yr"]


def users(m, d: ModelData, key) -> list:
    return [m.buy[key]]


def add_feeds(m: pyo.ConcreteModel, d: ModelData) -> None:
    rows = feeds(d)
    keys = [(s, *k) for s in d.scenarios for k in rows]
    m.BUY = pyo.Set(initialize=keys, dimen=4, ordered=True)
    m.buy = pyo.Var(m.BUY, within=pyo.NonNegativeReals)
    m.feed_availability = pyo.Constraint(m.BUY, rule=lambda _m, *k: m.buy[k] <= rows[k[1:]]["max_t_per_yr"])
    if not keys:
        return
    if not hasattr(m, "extra_balance_terms"):
        m.extra_balance_terms = []
    m.extra_balance_terms += [(m.buy[k], 1.0, [(k, 1.0)]) for k in keys]
    by_sp: dict[tuple[str, str], list] = {}
    for s, n, c, p in keys:
        by_sp.setdefault((s, p), []).append(rows[(n, c, p)]["price_usd_per_t"] * m.buy[s, n, c, p])
    add_term(m, "feed_purchases", "operating", "Feed purchases", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def purchases_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """Purchases: feed bought at each node against what is available, with its cost."""
    if not len(m.buy):
        return None
    rows = feeds(d)
    out = [
        {
            "scenario": s,
            "node": n,
            "commodity": c,
            "period": p,
            "t_per_yr": clean(v),
            "max_t_per_yr": rows[(n, c, p)]["max_t_per_yr"],
            "cost_usd_per_yr": clean(v * rows[(n, c, p)]["price_usd_per_t"]),
        }
        for (s, n, c, p), v in sol.vals(m.buy).items()
    ]
    return pd.DataFrame(out, columns=["scenario", "node", "commodity", "period", "t_per_yr", "max_t_per_yr", "cost_usd_per_yr"])


FAMILY = Family(
    "feeds",
    add_feeds,
    limits=(
        Limit(
            "feed_availability",
            "Feeds",
            lambda d, k: feeds(d)[k[1:]][ROW_COLUMN],
            lambda m, d, k: f"{k[2]} available at {k[1]}: {capacity(m, d, k):,.0f} t/yr in {k[3]}{scenario_suffix(d, k[0])}",
            capacity,
            users,
        ),
    ),
    tables=(Table("Purchases", purchases_table, 21),),
)
