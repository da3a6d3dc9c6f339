"""Smelter terms and by-products: how concentrate prices are made from metal prices (reported),
and by-products disposed of at a cost.

Prices are constants computed before the build (model/metal_prices.py, applied in
data.prepare to the Markets rows they price): market.add_sales uses them as any other price.
This family adds the disposal of by-products:

    0 ≤ dispose_{s,n,c,p} ≤ max_{n,c,p}      (a Disposal row; leaves the mass balance at n like a sale)

Cost term `disposal` = Σ cost_{n,c,p} · dispose_{s,n,c,p}; built only when Disposal has rows.
"""

from __future__ import annotations

import math

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData, expand_periods
from supplyopt.model.family import Family, Table, clean
from supplyopt.model.terms import add_term


def disposals(d: ModelData) -> dict[tuple[str, str, str], dict]:
    """(node, commodity, period) → its Disposal row."""
    if "Disposal" not in d.inputs:
        return {}
    return d.view("disposals", lambda: expand_periods(d.inputs["Disposal"], ["node", "commodity"], d.periods))


def add_smelter_terms(m: pyo.ConcreteModel, d: ModelData) -> None:
    rows = disposals(d)
    keys = [(s, *k) for s in d.scenarios for k in rows]

    def bounds(_m, s, n, c, p):
        cap = rows[(n, c, p)]["max_t_per_yr"]
        return (0.0, None if math.isinf(cap) else cap)

    m.DISPOSE = pyo.Set(initialize=keys, dimen=4, ordered=True)
    m.dispose = pyo.Var(m.DISPOSE, within=pyo.NonNegativeReals, bounds=bounds)
    if not keys:
        return
    if not hasattr(m, "extra_balance_terms"):
        m.extra_balance_terms = []
    m.extra_balance_terms += [(m.dispose[k], -1.0, [(k, 1.0)]) for k in keys]
    by_sp: dict[tuple[str, str], list] = {}
    for s, n, c, p in keys:
        by_sp.setdefault((s, p), []).append(rows[(n, c, p)]["cost_usd_per_t"] * m.dispose[s, n, c, p])
    add_term(m, "disposal", "operating", "By-product disposal", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def pricing_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """ConcentratePricing: how each Markets row priced from metals got its price (USD per dry
    tonne, then per wet tonne sold); no table when no row is priced from metals."""
    if not d.metal_pricing:
        return None
    cols = ["node", "commodity", "period", "payable_value_usd_per_dmt", "rc_usd_per_dmt", "tc_usd_per_dmt", "penalty_usd_per_dmt", "dry_share", "net_usd_per_t"]
    return pd.DataFrame([{"node": n, "commodity": c, "period": p, **b} for (n, c, p), b in d.metal_pricing.items()], columns=cols)


def disposal_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """Disposals: by-product tonnes disposed of and their cost; no table without Disposal rows."""
    if not len(m.dispose):
        return None
    rows = disposals(d)
    out = [
        {"scenario": s, "node": n, "commodity": c, "period": p, "t_per_yr": clean(v), "cost_usd_per_yr": clean(v * rows[(n, c, p)]["cost_usd_per_t"])}
        for (s, n, c, p), v in sol.vals(m.dispose).items()
    ]
    return pd.DataFrame(out, columns=["scenario", "node", "commodity", "period", "t_per_yr", "cost_usd_per_yr"])


FAMILY = Family("smelter_terms", add_smelter_terms, tables=(Table("ConcentratePricing", pricing_table, 24), Table("Disposals", disposal_table, 25)))
