"""Flows on corridors and the mass balance at every node."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.terms import add_term


def add_flows(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Flow of commodity c on arc a in period p, scenario s (t/yr): flow_{s,a,c,p} ≥ 0, only for
    usable (a, c) pairs (m.AC). Cost term `transport` = Σ unit_cost_a · flow, with
    unit_cost_a = distance · cost per t·km + handling per t of the corridor (or its mode)."""
    idx = [(s, a, c, p) for s in d.scenarios for (a, c) in d.arc_commodities for p in d.periods]
    m.FLOW = pyo.Set(initialize=idx, dimen=4, ordered=True)
    m.flow = pyo.Var(m.FLOW, within=pyo.NonNegativeReals)
    by_sp: dict[tuple[str, str], list] = defaultdict(list)
    for s, a, c, p in idx:
        if d.arc_unit_cost[a]:
            by_sp[(s, p)].append(d.arc_unit_cost[a] * m.flow[s, a, c, p])
    add_term(m, "transport", "operating", "Transport", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def add_mass_balance(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Node-commodity balance for every node n, commodity c, period p and scenario s:

        Σ_{a into n} flow_{s,a,c,p} + produce_{s,n,c,p} + Σ_{r at n} yield_{r,c} · process_{s,n,r,p}
          = Σ_{a out of n} flow_{s,a,c,p} + Σ_{r at n, input c} process_{s,n,r,p} + sell_{s,n,c,p}

    Built only for (n, c) pairs that have at least one term. Named `balance`.
    """
    inflow: dict[tuple[str, str], list[str]] = defaultdict(list)
    outflow: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, c in d.arc_commodities:
        arc = d.arcs[a]
        inflow[(arc.head, c)].append(a)
        outflow[(arc.tail, c)].append(a)
    produced: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    consumed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for j, r in d.site_recipes:
        recipe = d.recipes[r]
        consumed[(j, recipe["input"])].append(r)
        for c, y in recipe["outputs"].items():
            produced[(j, c)].append((r, y))
    mined = {(i, c) for (i, c, _p) in d.supply}
    sold = {(n, c) for (n, c, _p) in d.markets}
    pairs = sorted(set(inflow) | set(outflow) | set(produced) | set(consumed) | mined | sold)
    index = [(s, n, c, p) for s in d.scenarios for (n, c) in pairs for p in d.periods]

    def rule(_m, s, n, c, p):
        lhs = [m.flow[s, a, c, p] for a in inflow.get((n, c), ())]
        if (n, c, p) in d.supply:
            lhs.append(m.produce[s, n, c, p])
        lhs += [y * m.process[s, n, r, p] for r, y in produced.get((n, c), ())]
        rhs = [m.flow[s, a, c, p] for a in outflow.get((n, c), ())]
        rhs += [m.process[s, n, r, p] for r in consumed.get((n, c), ())]
        if (n, c, p) in d.markets:
            rhs.append(m.sell[s, n, c, p])
        if not lhs and not rhs:
            return pyo.Constraint.Skip
        return pyo.quicksum(lhs) - pyo.quicksum(rhs) == 0

    m.BALANCE = pyo.Set(initialize=index, dimen=4, ordered=True)
    m.balance = pyo.Constraint(m.BALANCE, rule=rule)
