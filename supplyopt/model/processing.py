"""Poly-metallic processing: recipes turn one input into several co-products."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import EPS, Family, Table
from supplyopt.model.terms import add_term


def add_processing(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Input processed by recipe r at site j in period p, scenario s (t/yr of input):
    process_{s,j,r,p} ≥ 0. Its outputs enter the mass balance as yield_{r,c} · process and its
    input leaves it (see balance.add_mass_balance); capacity is in refinery.add_refinery.

    Cost term `processing` = Σ_{j,r} cost_{j,r} · process_{s,j,r,p}.
    """
    idx = [(s, j, r, p) for s in d.scenarios for (j, r) in d.site_recipes for p in d.periods]
    m.PROCESS = pyo.Set(initialize=idx, dimen=4, ordered=True)
    m.process = pyo.Var(m.PROCESS, within=pyo.NonNegativeReals)
    by_sp: dict[tuple[str, str], list] = {}
    for s, j, r, p in idx:
        if d.recipe_cost[(j, r)]:
            by_sp.setdefault((s, p), []).append(d.recipe_cost[(j, r)] * m.process[s, j, r, p])
    add_term(m, "processing", "operating", "Processing cost", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def processing_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Processing: each recipe run above EPS, its input and every output (yield × input)."""
    rows = []
    for (s, j, r, p), v in sol.vals(m.process).items():
        if v <= EPS:
            continue
        recipe = d.recipes[r]
        rows.append({"scenario": s, "site": j, "recipe": r, "period": p, "commodity": recipe["input"], "role": "input", "t_per_yr": v})
        for c, y in recipe["outputs"].items():
            rows.append({"scenario": s, "site": j, "recipe": r, "period": p, "commodity": c, "role": "output", "t_per_yr": v * y})
    return pd.DataFrame(rows, columns=["scenario", "site", "recipe", "period", "commodity", "role", "t_per_yr"])


FAMILY = Family("processing", add_processing, tables=(Table("Processing", processing_table, 22),))
