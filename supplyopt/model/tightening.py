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
  upgrade cover        flow_{s,a,c,p} + Σ_{e∈E} flow_{s,e,c,p} − Σ_{x into S} flow_{s,x,c,p}
                           ≤ F + Σ_{u of k or of an e ∈ E, q≤p} min(f·add_u, D_S − F) · build_{u,q}
                       with F = f·base_k + Σ_{e∈E} cap_e, for an arc a of an upgradable corridor
                       k and a commodity c, where
                       S    = the sources of c that reach tail(a) without visiting head(a), the
                              nodes of a shortest such path from each, closed over the arcs of
                              unlimited capacity, plus the pockets off it (parts of G_c − S, arcs
                              taken both ways, not connected to head(a) and holding no sink of c);
                              none when head(a) falls in S
                       D_S  = Σ avail_{i,c} over the sources i in S (what can be made in S)
                       E    = alternatives: arcs of c leaving S on another limited corridor, with
                              cap_e = f_e·base_e (e's upgrades in the sum), or b_{e,c} (no upgrade
                              terms) when b_{e,c} ≤ f_e·base_e, and cap_e < D_S − f·base_k;
                              one row for each of the four largest single alternatives and one for
                              the smallest together while their F stays below D_S
                       x    = the arcs of c from outside S into S
                       written when D_S − Σ_E cap_e < b_{a,c}; and again with S grown by the
                       head of its largest upgradable alternative, up to three times (an
                       upgradable line then needs an upgrade per segment to stand in for a)
                                                                    (tight_upgrade_cover, (s,a,c,p,E))
  module bounds        add_modules_{j,p} ≤ ⌈max_{s,p} in_j / (f·size_j)⌉ − existing_j

The upgrade cover (its rows built in model/upgrade_cover.py) is the cut-set inequality of the fixed-charge network on the cheaper
alternatives of an upgradable road. Summing the balance of c over S: what leaves S less what
enters it is what is made in S less what is taken there, so its left side is at most D_S (a and
E leave S, every flow is ≥ 0; this holds on every plan, cyclic or not). With nothing built the
left side is at most f·base_k + Σ cap_e = F; with some upgrades built it is at most
min(F + Σ_{built} f·add_u, D_S), and the right side is at least that since Σ min(add_u, D − F)
≥ min(Σ add_u, D − F). It makes the LP build all of an upgrade rather than the share that
carries the overflow of a saturated alternative (the LP built 0.52 of U-R11 to carry the 770
kt/yr of Reko Diq concentrate the 730 kt/yr railway could not take). Which S and E are chosen
only decides how strong the rows are, never whether they hold.

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

import pyomo.environ as pyo

from supplyopt.model.cut_rows import TOL, Rows, strengthened
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.reach import Reach, site_capacity, usable
from supplyopt.model.upgrade_cover import CoverGraph, cover_rows
from supplyopt.model.upgrades import upgraded_capacity

FORMULATIONS = ("tight", "weak")


def add_tightening(m: pyo.ConcreteModel, d: ModelData) -> None:
    """The valid inequalities of the module docstring (none with formulation="weak")."""
    tightened: list = []  # (variable, its bound before): without_cuts puts them back
    m.tightened_bounds = tightened
    links, corridors, ports, sites, site_flows, covers = Rows(), Rows(), Rows(), Rows(), Rows(), Rows()
    if getattr(m, "formulation", "tight") != "weak" and usable(d):
        _collect(m, d, tightened, links, corridors, ports, sites, site_flows, covers)
    m.tight_upgrade_link = links.build()  # every component is built (empty when weak), as the registry expects
    m.tight_corridor = corridors.build()
    m.tight_port_link = ports.build()
    m.tight_site_link = sites.build()
    m.tight_site_flow_link = site_flows.build()
    m.tight_upgrade_cover = covers.build()


def _collect(m, d: ModelData, tightened: list, links: Rows, corridors: Rows, ports: Rows, sites: Rows, site_flows: Rows, covers: Rows) -> None:
    """The rows and bounds of add_tightening, per scenario and period."""
    reach = Reach(d)
    by_corridor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a, c in d.arc_commodities:
        by_corridor[d.arcs[a].corridor].append((a, c))
    new_sites = {j for j in d.sites if d.sites[j]["existing_modules"] == 0}
    module_need: dict[str, float] = defaultdict(float)
    graph = CoverGraph(d, reach)  # per commodity, the same in every scenario and period
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
                    row = strengthened(cap, b[(a, c)], m, d)
                    if row:
                        links.add((s, a, c, p), [(m.flow[s, a, c, p], 1.0), *row[1]], row[0])
                per_c: dict[str, float] = defaultdict(float)
                for a, c in pairs:
                    per_c[c] = max(per_c[c], b[(a, c)])
                row = strengthened(cap, sum(per_c.values()), m, d) if len(pairs) > 1 else None  # one pair: its link is the row
                if row:
                    corridors.add((s, k, p), [(m.flow[s, a, c, p], 1.0) for a, c in pairs] + row[1], row[0])
            for n in d.ports:
                cap = upgraded_capacity(d, "port", n, d.ports[n]["capacity"], s, p)
                for c in d.commodities:
                    if (s, n, c, p) in m.sell and c in up:
                        row = strengthened(cap, float(up[c][reach.pos[n]]), m, d)
                        if row:
                            ports.add((s, n, c, p), [(m.sell[s, n, c, p], 1.0), *row[1]], row[0])
            _site_rows(m, d, reach, s, p, b, up, new_sites, sites, site_flows, module_need)
            cover_rows(m, d, reach, graph, s, p, b, by_corridor, covers)
    _module_bounds(m, d, module_need, tightened)


def _open_terms(m, d: ModelData, j: str, p: str, big: float) -> list:
    return [(m.open_new[j, q], -big) for q in d.periods_upto(p) if (j, q) in m.open_new]


def _site_rows(m, d: ModelData, reach: Reach, s, p, b, up, new_sites, sites: Rows, site_flows: Rows, module_need) -> None:
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


CUT_ROWS = ("tight_upgrade_link", "tight_corridor", "tight_port_link", "tight_site_link", "tight_site_flow_link", "tight_upgrade_cover")


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
