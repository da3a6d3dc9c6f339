"""Flows on corridors and the mass balance at every node."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import matrix_rows
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
          − Σ_{a out of n} flow_{s,a,c,p} − Σ_{r at n, input c} process_{s,n,r,p} − sell_{s,n,c,p} = 0

    Built only for (s, n, c, p) with at least one term. The largest family (a row per node,
    commodity, period and scenario), so it is assembled from index arrays as one
    MatrixConstraint `balance`; `balance_keys[i]` is row i's (s, n, c, p).
    """
    keys: list[tuple[str, str, str, str]] = []
    row_of: dict[tuple[str, str, str, str], int] = {}

    def row(key: tuple[str, str, str, str]) -> int:
        i = row_of.get(key)
        if i is None:
            i = row_of[key] = len(keys)
            keys.append(key)
        return i

    columns: list = []
    rows: list[int] = []
    cols: list[int] = []
    coefs: list[float] = []

    def term(key, var, coef: float) -> None:
        rows.append(row(key))
        cols.append(len(columns) - 1 if columns and columns[-1] is var else _append(columns, var))
        coefs.append(coef)

    for (s, a, c, p), v in m.flow.items():
        arc = d.arcs[a]
        term((s, arc.head, c, p), v, 1.0)
        term((s, arc.tail, c, p), v, -1.0)
    for (s, i, c, p), v in m.produce.items():
        term((s, i, c, p), v, 1.0)
    for (s, j, r, p), v in m.process.items():
        recipe = d.recipes[r]
        term((s, j, recipe["input"], p), v, -1.0)
        for c, y in recipe["outputs"].items():
            term((s, j, c, p), v, y)
    for (s, n, c, p), v in m.sell.items():
        term((s, n, c, p), v, -1.0)
    built = matrix_rows(keys, columns, np.array(rows), np.array(cols), np.array(coefs), 0.0, 0.0)
    m.balance = built.constraint
    m.balance_keys = built.keys


def _append(columns: list, var) -> int:
    columns.append(var)
    return len(columns) - 1
