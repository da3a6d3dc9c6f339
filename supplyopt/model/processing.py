"""Poly-metallic processing: recipes turn one input into several co-products."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.terms import add_term


def add_processing(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Input processed by recipe r at site j in period p, scenario s (t/yr of input):
    process_{s,j,r,p} ≥ 0. Its outputs enter the mass balance as yield_{r,c} · process and its
    input leaves it (see flows.add_mass_balance); capacity is in capacity.add_refinery_capacity.

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
