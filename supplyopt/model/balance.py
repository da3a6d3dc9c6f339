"""Mass balance at every node: what arrives, is mined or made equals what leaves, is refined or sold."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.flows import flow_positions


def add_mass_balance(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Node-commodity balance for every node n, commodity c, period p and scenario s:

        Σ_{a into n} flow_{s,a,c,p} + produce_{s,n,c,p} + Σ_{r at n} yield_{r,c} · process_{s,n,r,p}
          − Σ_{a out of n} flow_{s,a,c,p} − Σ_{r at n, input c} process_{s,n,r,p} − sell_{s,n,c,p} = 0

    Built only for (s, n, c, p) with at least one term. The largest family (a row per node,
    commodity, period and scenario), so it is assembled from index arrays as one
    ArrayConstraint `balance` (keys (s, n, c, p)).
    """
    codes = _KeyCodes(d)
    flow_rows, flow_cols, flow_coefs = _flow_terms(d, codes)
    columns = columns_of(m.flow)
    rows, cols, coefs = [], [], []  # the other (few) terms, key codes and column positions
    for var, sign, key_terms in _node_terms(m, d):
        columns.append(var)
        for (s, n, c, p), coef in key_terms:
            rows.append(codes.code(s, n, c, p))
            cols.append(len(columns) - 1)
            coefs.append(sign * coef)
    all_codes = np.concatenate([flow_rows, np.asarray(rows, dtype=np.int64)])
    unique, row = codes.rows(all_codes)
    m.balance = matrix_rows(
        codes.keys(unique),
        columns,
        row,
        np.concatenate([flow_cols, np.asarray(cols, dtype=np.int64)]),
        np.concatenate([flow_coefs, np.asarray(coefs, dtype=float)]),
        0.0,
        0.0,
    )


class _KeyCodes:
    """(scenario, node, commodity, period) ↔ one integer, so row keys can be handled as arrays."""

    def __init__(self, d: ModelData):
        self.lists = (d.scenarios, d.nodes, d.commodities, d.periods)
        self.pos = [{x: i for i, x in enumerate(values)} for values in self.lists]
        self.sizes = [len(values) for values in self.lists]

    def code(self, s: str, n: str, c: str, p: str):
        (_S, N, C, P), (si, ni, ci, pi) = self.sizes, self.pos
        return ((si[s] * N + ni[n]) * C + ci[c]) * P + pi[p]

    def combine(self, s, n, c, p):
        """The same as `code`, for arrays of positions."""
        _S, N, C, P = self.sizes
        return ((s * N + n) * C + c) * P + p

    def rows(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(distinct codes in (s, n, c, p) order, row of each code): np.unique, but in linear
        time through a table of every possible code when that table is not much larger."""
        total = int(np.prod(self.sizes))
        if total > 4 * len(codes):
            return np.unique(codes, return_inverse=True)
        present = np.zeros(total, dtype=bool)
        present[codes] = True
        return np.flatnonzero(present), (np.cumsum(present) - 1)[codes]

    def keys(self, codes: np.ndarray) -> list[tuple[str, str, str, str]]:
        _S, N, C, P = self.sizes
        rest, p = np.divmod(codes, P)
        rest, c = np.divmod(rest, C)
        s, n = np.divmod(rest, N)
        S_, N_, C_, P_ = self.lists
        return [(S_[a], N_[b], C_[e], P_[f]) for a, b, e, f in zip(s.tolist(), n.tolist(), c.tolist(), p.tolist())]


def _flow_terms(d: ModelData, codes: _KeyCodes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """+flow at the arc's head, −flow at its tail: (row codes, flow positions, coefficients)."""
    _si, ni, ci, _pi = codes.pos
    head = np.array([ni[d.arcs[a].head] for a, _c in d.arc_commodities], dtype=np.int64)
    tail = np.array([ni[d.arcs[a].tail] for a, _c in d.arc_commodities], dtype=np.int64)
    com = np.array([ci[c] for _a, c in d.arc_commodities], dtype=np.int64)
    j, s, k, p = flow_positions(d)
    into = codes.combine(s, head[k], com[k], p)
    out_of = codes.combine(s, tail[k], com[k], p)
    return np.concatenate([into, out_of]), np.concatenate([j, j]), np.concatenate([np.ones(len(j)), -np.ones(len(j))])


def _node_terms(m: pyo.ConcreteModel, d: ModelData):
    """(variable, sign, [(key, coefficient)]) for production (+), processing (−input, +yields), sales (−)."""
    for (s, i, c, p), v in m.produce.items():
        yield v, 1.0, [((s, i, c, p), 1.0)]
    for (s, j, r, p), v in m.process.items():
        recipe = d.recipes[r]
        yield v, 1.0, [((s, j, recipe["input"], p), -1.0)] + [((s, j, c, p), y) for c, y in recipe["outputs"].items()]
    for (s, n, c, p), v in m.sell.items():
        yield v, -1.0, [((s, n, c, p), 1.0)]
    yield from getattr(m, "extra_balance_terms", ())  # families' own node terms: disposal, feeds bought


FAMILY = Family("balance", add_mass_balance, rows=("balance",))
