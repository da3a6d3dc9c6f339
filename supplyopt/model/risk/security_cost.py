"""Security cost (guards, insurance) per tonne carried on a corridor or handled at a node."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.risk.carriers import accounting_column, any_rate, carriers_of, rated
from supplyopt.model.terms import add_term


def add_security_costs(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Cost term `security` (USD/yr) for scenario s, period p: the accounting column
    security_cost_{s,p} ≥ 0, defined by (security_cost_definition, keys (s, p))

        security_cost_{s,p} − Σ_k sec_{k,p} · Σ_{a∈k, c} flow_{s,a,c,p} − Σ_n sec_{n,p} · throughput_{s,n,p} = 0

    (sec = security_cost_usd_per_t; throughput: the tonnes node n handles, see node_cargo).
    Without any security cost the term is 0 and no column is made.
    """
    if not any_rate(d, "security_cost"):
        add_term(m, "security", "operating", "Security (guards, insurance)", lambda s, p: 0)
        return
    carriers = carriers_of(m, d)
    column = accounting_column(m, d, "security_cost", carriers, rated(d, carriers, "security_cost"))
    add_term(m, "security", "operating", "Security (guards, insurance)", lambda s, p: column[s, p])


FAMILY = Family("security_cost", add_security_costs, rows=("security_cost_definition",))
