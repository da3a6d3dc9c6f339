"""Formulation strength: valid inequalities that tighten the LP relaxation (never an optimum).

With b_{a,c} the reach bound of model/reach.py (the most of c that can cross arc a, from supply
upstream and demand downstream), for scenario s and period p:

  flow bounds          flow_{s,a,c,p} ≤ b_{a,c}                                  (column bounds)
  upgrade linking      flow_{s,a,c,p} ≤ f·base_k + Σ_{u,q≤p} min(f·add_u, b_{a,c} − f·base_k) · build_{u,q}
                                                                     (tight_upgrade_link, (s,a,c,p))
  corridor strength    Σ_{a∈k,c} flow ≤ f·base_k + Σ_{u,q≤p} min(f·add_u, B_k − f·base_k) · build_{u,q}
                       with B_k = Σ_c max_{a∈k} b_{a,c}                   (tight_corridor, (s,k,p))
  port linking         sell_{s,n,c,p} ≤ f·base_n + Σ_{u,q≤p} min(f·add_u, in_{n,c} − f·base_n) · build_{u,q}
                       with in_{n,c} the most of c that can arrive at n       (tight_port_link, (s,n,c,p))
  site linking         process_{s,j,r,p} ≤ min(cap_j, in_{j,c(r)}) · is_open_{j,p}   (tight_site_link, (s,j,r,p))
                       flow out of j of a product that only j makes there, and flow into j of an
                       input j only refines: flow_{s,a,c,p} ≤ min(b_{a,c}, made/cap) · is_open_{j,p}
                                                                 (tight_site_flow_link, (s,a,c,p))
  module bounds        add_modules_{j,p} ≤ ⌈max_{s,p} in_j / (f·size_j)⌉ − existing_j

Each row is written only where it is tighter than the rows it strengthens (the per-flow rows of
the textbook facility-location and fixed-charge network models: a flow is linked to the
decision that allows it, with the smallest big-M). All hold on every acyclic optimal plan
(model/reach.py), so the optimum is the same. `build_model(inst, formulation="weak")` leaves
them out (benchmarks/solver.py compares the two).
"""

from __future__ import annotations

import contextlib
import math
from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.reach import Reach, site_capacity, usable
from supplyopt.model.upgrades import upgraded_capacity

FORMULATIONS = ("tight", "weak")
TOL = 1e-9  # relative: a row is kept only when it is tighter by more than this


class _Rows:
    """Rows Σ coef · var ≤ upper collected one by one, then one ArrayConstraint."""

    def __init__(self):
        self.keys, self.upper, self.cols, self.row, self.col, self.coef = [], [], [], [], [], []
        self.col_of: dict[int, int] = {}

    def add(self, key, terms, upper: float) -> None:
        r = len(self.keys)
        self.keys.append(key)
        self.upper.append(float(upper))
        for var, coef in terms:
            i = self.col_of.setdefault(id(var), len(self.cols))
            if i == len(self.cols):
                self.cols.append(var)
            self.row.append(r)
            self.col.append(i)
            self.coef.append(coef)

    def build(self):
        return matrix_rows(self.keys, self.cols, np.asarray(self.row), np.asarray(self.col), np.asarray(self.coef), None, self.upper)


def _strengthened(cap, bound: float, m, d: ModelData):
    """(f·base, [(build var, −min(f·add, bound − f·base))]) when the row is tighter, else None."""
    if cap is None or not math.isfinite(bound):
        return None
    full = cap.fixed + sum(coef for _uq, coef in cap.build_terms(m, d))
    if bound >= full * (1 - TOL) or bound <= cap.fixed:
        return None  # no tighter than the capacity, or no upgrade needed (the column bound holds it)
    terms = [(m.build[uq], -min(coef, bound - cap.fixed)) for uq, coef in cap.build_terms(m, d)]
    return (cap.fixed, terms) if terms else None


def add_tightening(m: pyo.ConcreteModel, d: ModelData) -> None:
    """The valid inequalities of the module docstring (none with formulation="weak")."""
    tightened: list = []  # (variable, its bound before): without_cuts puts them back
    m.tightened_bounds = tightened
    links, corridors, ports, sites, site_flows = _Rows(), _Rows(), _Rows(), _Rows(), _Rows()
    if getattr(m, "formulation", "tight") != "weak" and usable(d):
        _collect(m, d, tightened, links, corridors, ports, sites, site_flows)
    m.tight_upgrade_link = links.build()  # every component is built (empty when weak), as the registry expects
    m.tight_corridor = corridors.build()
    m.tight_port_link = ports.build()
    m.tight_site_link = sites.build()
    m.tight_site_flow_link = site_flows.build()


def _collect(m, d: ModelData, tightened: list, links: _Rows, corridors: _Rows, ports: _Rows, sites: _Rows, site_flows: _Rows) -> None:
    """The rows and bounds of add_tightening, per scenario and period."""
    reach = Reach(d)
    by_corridor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a, c in d.arc_commodities:
        by_corridor[d.arcs[a].corridor].append((a, c))
    new_sites = {j for j in d.sites if d.sites[j]["existing_modules"] == 0}
    module_need: dict[str, float] = defaultdict(float)
    for s in d.scenarios:
        for p in d.periods:
            b = reach.arc_bounds(s, p)
            up, _down = reach.node_bounds(s, p)
            for (a, c), bound in b.items():
                x = m.flow[s, a, c, p]
                if math.isfinite(bound) and (x.ub is None or bound < x.ub):
                    tightened.append((x, x.ub))
                    x.setub(max(bound, 0.0))
            for k, pairs in by_corridor.items():
                cap = upgraded_capacity(d, "corridor", k, d.corridor_capacity[k], s, p)
                for a, c in pairs:
                    row = _strengthened(cap, b[(a, c)], m, d)
                    if row:
                        links.add((s, a, c, p), [(m.flow[s, a, c, p], 1.0), *row[1]], row[0])
                per_c: dict[str, float] = defaultdict(float)
                for a, c in pairs:
                    per_c[c] = max(per_c[c], b[(a, c)])
                row = _strengthened(cap, sum(per_c.values()), m, d) if len(pairs) > 1 else None  # one pair: its link is the row
                if row:
                    corridors.add((s, k, p), [(m.flow[s, a, c, p], 1.0) for a, c in pairs] + row[1], row[0])
            for n in d.ports:
                cap = upgraded_capacity(d, "port", n, d.ports[n]["capacity"], s, p)
                for c in d.commodities:
                    if (s, n, c, p) in m.sell and c in up:
                        row = _strengthened(cap, float(up[c][reach.pos[n]]), m, d)
                        if row:
                            ports.add((s, n, c, p), [(m.sell[s, n, c, p], 1.0), *row[1]], row[0])
            _site_rows(m, d, reach, s, p, b, up, new_sites, sites, site_flows, module_need)
    _module_bounds(m, d, module_need, tightened)


def _open_terms(m, d: ModelData, j: str, p: str, big: float) -> list:
    return [(m.open_new[j, q], -big) for q in d.periods_upto(p) if (j, q) in m.open_new]


def _site_rows(m, d: ModelData, reach: Reach, s, p, b, up, new_sites, sites: _Rows, site_flows: _Rows, module_need) -> None:
    """Site linking rows of (s, p) and the module need of every site (see module docstring)."""
    inputs: dict[str, set[str]] = defaultdict(set)
    outputs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for j, r in d.site_recipes:
        inputs[j].add(d.recipes[r]["input"])
    for j in d.sites:
        cap = site_capacity(d, s, j, p)
        arriving = {c: float(up[c][reach.pos[j]]) if c in up else 0.0 for c in inputs[j]}
        size = d.factor(s, "refinery", j, p) * d.sites[j]["module_size_t_per_yr"]
        if size > 0:
            module_need[j] = max(module_need[j], min(sum(arriving.values()), cap) / size)
        for jj, r in d.site_recipes:
            if jj != j:
                continue
            take = min(cap, arriving[d.recipes[r]["input"]])
            for c, y in d.recipes[r]["outputs"].items():
                outputs[j][c] += y * take
            if j in new_sites and take < cap * (1 - TOL) and (s, j, r, p) in m.process:
                sites.add((s, j, r, p), [(m.process[s, j, r, p], 1.0), *_open_terms(m, d, j, p, take)], 0.0)
    if not new_sites:
        return
    mined = {(i, c) for (i, c, q) in d.supply if q == p}
    sold = {(n, c) for (n, c, q) in d.markets if q == p}
    for a, c in d.arc_commodities:
        arc = d.arcs[a]
        tail, head = arc.tail, arc.head
        big = None
        if tail in new_sites and c in outputs[tail] and (tail, c) not in mined and not reach.pred[c].get(reach.pos[tail]):
            big, j = min(b[(a, c)], outputs[tail][c]), tail  # c leaves j only as j's own product
        elif head in new_sites and c in inputs[head] and (head, c) not in sold and not reach.succ[c].get(reach.pos[head]):
            big, j = min(b[(a, c)], site_capacity(d, s, head, p)), head  # c arrives at j only to be refined
        if big is not None and math.isfinite(big):
            site_flows.add((s, a, c, p), [(m.flow[s, a, c, p], 1.0), *_open_terms(m, d, j, p, big)], 0.0)


def _module_bounds(m, d: ModelData, need: dict[str, float], tightened: list) -> None:
    """add_modules ≤ the modules the most input that can reach a site needs, less existing ones."""
    for (j, _p), v in m.add_modules.items():
        if j in need:
            most = max(0, math.ceil(need[j] * (1 - TOL)) - d.sites[j]["existing_modules"])
            if v.ub is None or most < v.ub:
                tightened.append((v, v.ub))
                v.setub(most)


CUT_ROWS = ("tight_upgrade_link", "tight_corridor", "tight_port_link", "tight_site_link", "tight_site_flow_link")


@contextlib.contextmanager
def without_cuts(m: pyo.ConcreteModel):
    """The model as the weak formulation inside the block: the valid inequalities deactivated and
    the bounds they tightened put back. For the LP with the design fixed (shadow prices,
    diagnosis): there the inequalities are redundant but can bind together with the rows they
    strengthen, and would share (or block, for probed capacities) the duals those rows carry."""
    rows = [getattr(m, name) for name in CUT_ROWS if hasattr(m, name)]
    bounds = [(v, v.ub, old) for v, old in getattr(m, "tightened_bounds", [])]
    for con in rows:
        con.deactivate()
    for v, _ub, old in bounds:
        v.setub(old)
    try:
        yield m
    finally:
        for con in rows:
            con.activate()
        for v, ub, _old in bounds:
            v.setub(ub)


FAMILY = Family(
    "tightening",
    add_tightening,
    rows=CUT_ROWS,
)
