"""Mine production: output between minimum and maximum, at a mining cost."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Table, clean
from supplyopt.model.terms import add_term


def add_production(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Production of commodity c at mine i in period p, scenario s (t/yr):

        f_{s,i,p} · min_{i,c,p} ≤ produce_{s,i,c,p} ≤ f_{s,i,p} · max_{i,c,p}

    where f is the mine's capacity factor (CapacityFactors / disruptions, default 1). In elastic
    mode (diagnosis) the minimum is produce + production_slack ≥ f · min instead.
    Cost term `mining` = Σ_{i,c} cost_{i,c,p} · produce_{s,i,c,p}.
    """

    def bounds(_m, s, i, c, p):
        f = d.factor(s, "mine", i, p)
        row = d.supply[(i, c, p)]
        return (0.0 if d.elastic else row["min"] * f, row["max"] * f)

    m.SUPPLY_S = pyo.Set(initialize=[(s, *k) for s in d.scenarios for k in d.supply], dimen=4, ordered=True)
    m.produce = pyo.Var(m.SUPPLY_S, within=pyo.NonNegativeReals, bounds=bounds)
    if d.elastic:
        # Diagnosis: the minimum becomes produce + production_slack ≥ f · min.
        short = [k for k in m.SUPPLY_S if d.supply[k[1:]]["min"] * d.factor(k[0], "mine", k[1], k[3]) > 0]
        m.production_slack = pyo.Var(short, within=pyo.NonNegativeReals)
        m.production_minimum = pyo.Constraint(
            short, rule=lambda _m, s, i, c, p: m.produce[s, i, c, p] + m.production_slack[s, i, c, p] >= d.supply[(i, c, p)]["min"] * d.factor(s, "mine", i, p)
        )
    by_sp: dict[tuple[str, str], list] = {}
    for s, i, c, p in m.SUPPLY_S:
        by_sp.setdefault((s, p), []).append(d.supply[(i, c, p)]["cost"] * m.produce[s, i, c, p])
    add_term(m, "mining", "operating", "Mining cost", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def production_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Production: output of each mine and commodity against its bounds, with the mining cost."""
    rows = []
    for (s, i, c, p), v in sol.vals(m.produce).items():
        rec = d.supply[(i, c, p)]
        rows.append(
            {
                "scenario": s,
                "mine": i,
                "commodity": c,
                "period": p,
                "t_per_yr": clean(v),
                "min_t_per_yr": rec["min"],
                "max_t_per_yr": rec["max"],
                "cost_usd_per_yr": clean(v * rec["cost"]),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "mine", "commodity", "period", "t_per_yr", "min_t_per_yr", "max_t_per_yr", "cost_usd_per_yr"])


FAMILY = Family("production", add_production, rows=("production_minimum",), tables=(Table("Production", production_table, 21),))
