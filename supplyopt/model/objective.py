"""Objective: NPV (maximise) or discounted cost (minimise), from the registered money terms."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData


def npv_expression(m: pyo.ConcreteModel):
    """NPV = Σ_terms sign · Σ_index present_value (revenue +, every cost −)."""
    return pyo.quicksum(t.sign * pyo.quicksum(t.present_value.values()) for t in m.money_terms.values())


def add_objective(m: pyo.ConcreteModel, d: ModelData) -> None:
    """objective = npv:  max NPV = Σ_s π_s Σ_p DF_p (revenue − operating costs)_{s,p}
                                   − Σ_p DF_p fixed_p − Σ_p PV(capex_p)
    objective = cost: min Σ of the same cost terms (revenue reported, not optimised);
    DF_p = Σ_{y in p} (1 + r)^-(y − base_year). Named `npv` (Expression) and `obj`."""
    m.npv = pyo.Expression(expr=npv_expression(m))
    if d.objective == "cost":
        cost = pyo.quicksum(pyo.quicksum(t.present_value.values()) for t in m.money_terms.values() if t.sign < 0)
        m.total_cost = pyo.Expression(expr=cost)
        m.obj = pyo.Objective(expr=m.total_cost, sense=pyo.minimize)
    else:
        m.obj = pyo.Objective(expr=m.npv, sense=pyo.maximize)
