"""The upgrade cover rows of model/tightening.py (its docstring states them and why they hold):
for every arc of an upgradable corridor, the cut-set inequality over a region S of the network
that its commodity leaves only through that arc and its cheaper alternatives."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from supplyopt.model import smelter_terms
from supplyopt.model.cut_rows import TOL, Rows, strengthened
from supplyopt.model.data import ModelData
from supplyopt.model.reach import Reach
from supplyopt.model.upgrades import Capacity, upgraded_capacity


class CoverGraph:
    """What the cover rows need of each commodity's network, built once per model: its arcs, their
    end positions, its undirected adjacency, and the source regions found so far (a region depends
    on the capacities only through which corridors are unlimited, the same in every period)."""

    def __init__(self, d: ModelData, reach: Reach):
        self.arcs_of: dict[str, list[str]] = defaultdict(list)
        for a, c in d.arc_commodities:
            self.arcs_of[c].append(a)
        self.ends = {
            c: (np.array([reach.pos[d.arcs[a].tail] for a in arcs]), np.array([reach.pos[d.arcs[a].head] for a in arcs])) for c, arcs in self.arcs_of.items()
        }
        self.near: dict[str, dict[int, set[int]]] = {}
        for c, succ in reach.succ.items():
            near: dict[int, set[int]] = defaultdict(set)
            for u, vs in succ.items():
                for v in vs:
                    near[u].add(v)
                    near[v].add(u)
            self.near[c] = near
        self.regions: dict[tuple, np.ndarray | None] = {}
        self._sinks: dict[str, np.ndarray] = {}

    def sinks(self, d: ModelData, reach: Reach, c: str) -> np.ndarray:
        """Nodes where c leaves the network (markets, disposals, recipes taking it), as a mask."""
        if c not in self._sinks:
            taken = np.zeros(len(reach.nodes), dtype=bool)
            taken[[reach.pos[n] for n, cc, _p in d.markets if cc == c]] = True
            taken[[reach.pos[n] for n, cc, _p in smelter_terms.disposals(d) if cc == c]] = True
            taken[[reach.pos[j] for j, r in d.site_recipes if d.recipes[r]["input"] == c]] = True
            self._sinks[c] = taken
        return self._sinks[c]


def cover_rows(m, d: ModelData, reach: Reach, graph: CoverGraph, s, p, b, by_corridor, covers: Rows) -> None:
    """Upgrade cover rows of (s, p) (see module docstring) for every arc a of an upgradable
    corridor and commodity c that leaves a source region S: one row per single alternative e
    (the four largest that leave room for a) and one with the smallest alternatives together,
    for S and for S grown past its largest upgradable alternative, up to three times."""
    caps = {k: upgraded_capacity(d, "corridor", k, d.corridor_capacity[k], s, p) for k in by_corridor}
    arcs_of, ends = graph.arcs_of, graph.ends
    sources = reach.sources(s, p)
    for k, pairs in by_corridor.items():
        cap = caps[k]
        if cap is None or not d.upgrades_of("corridor", k):
            continue
        for a, c in pairs:
            made = {n: v for n, v in sources.get(c, {}).items() if v > 0}
            grown: tuple[int, ...] = ()
            for _step in range(4):  # S, then S grown past its largest upgradable alternative, up to three times
                region = _source_region(d, reach, graph, c, a, tuple(made), caps, grown)
                supply = sum(v for n, v in made.items() if region is not None and region[n])
                if region is None or not math.isfinite(supply):
                    break
                out = _cover_region(m, d, reach, s, p, b, k, cap, a, c, region, supply, arcs_of[c], ends[c], caps, grown, covers)
                upgradable = [(fixed, e) for fixed, e, other in out if other.added]
                if not upgradable:
                    break
                grown = (*grown, reach.pos[d.arcs[max(upgradable)[1]].head])


def _cover_region(m, d: ModelData, reach: Reach, s, p, b, k, cap, a, c, region, supply, arcs, ends, caps, grown, covers: Rows) -> list:
    """The cover rows of arc a and commodity c over one region S; returns its alternatives."""
    tails, heads = region[ends[0]], region[ends[1]]
    into = [arcs[i] for i in np.flatnonzero(heads & ~tails)]
    out = []
    for i in np.flatnonzero(tails & ~heads):
        e = arcs[i]
        other = caps[d.arcs[e].corridor]
        if d.arcs[e].corridor != k and other is not None:
            if b[(e, c)] <= other.fixed:  # e carries at most b_{e,c} (its column bound), upgraded or not
                other = Capacity(1.0, b[(e, c)], (), p)
            if other.fixed < (supply - cap.fixed) * (1 - TOL):
                out.append((other.fixed, e, other))
    out.sort(key=lambda o: o[:2])
    greedy, room = [], supply - cap.fixed  # the smallest alternatives together, while they leave room for a
    for fixed, e, other in out:
        if fixed >= room * (1 - TOL):
            break
        greedy.append((e, other))
        room -= fixed
    beyond = " past " + "+".join(reach.nodes[n] for n in grown) if grown else ""
    for cover in [[(e, o)] for _f, e, o in out[-4:]] + ([greedy] if len(greedy) > 1 else []):
        row = strengthened(cap, supply, m, d, others=[o for _e, o in cover])
        if row and supply - sum(o.fixed for _e, o in cover) < b[(a, c)] * (1 - TOL):  # tighter than a's own link
            terms = [(m.flow[s, a, c, p], 1.0), *((m.flow[s, e, c, p], 1.0) for e, _o in cover), *((m.flow[s, x, c, p], -1.0) for x in into)]
            covers.add((s, a, c, p, "+".join(e for e, _o in cover) + beyond), terms + row[1], row[0])
    return out


def _source_region(d: ModelData, reach: Reach, graph: CoverGraph, c: str, a: str, made: tuple, caps, grown: tuple = ()) -> np.ndarray | None:
    """S of the upgrade cover (a boolean vector over nodes): the sources of c that reach tail(a)
    without visiting head(a), the nodes of a shortest such path from each, closed over the arcs
    of unlimited capacity, and the pockets off that set: the parts of G_c − S (arcs taken both
    ways) not connected to head(a) and holding no sink of c, so a flow round a pocket does not
    enter S from outside; the nodes `grown` are added before the closure. None when head(a) is
    in S or no source reaches tail(a)."""
    free_corridors = frozenset(k for k, cap in caps.items() if cap is None)
    key = (c, a, made, grown, free_corridors)
    if key not in graph.regions:
        tail, head = reach.pos[d.arcs[a].tail], reach.pos[d.arcs[a].head]
        succ = reach.succ[c]
        region = np.zeros(len(reach.nodes), dtype=bool)
        for i in made:
            via = {i: -1}
            queue = [i] if i != head else []
            for u in queue:
                for v in succ.get(u, ()):
                    if v not in via and v != head:
                        via[v] = u
                        queue.append(v)
            n = tail if tail in via else -1
            while n != -1:
                region[n] = True
                n = via[n]
        region[list(grown)] = region.any()  # S grown past an alternative (only once S exists)
        free = defaultdict(list)  # arcs of c without a capacity limit
        for e in graph.arcs_of[c]:
            if d.arcs[e].corridor in free_corridors:
                free[reach.pos[d.arcs[e].tail]].append(reach.pos[d.arcs[e].head])
        stack = list(np.flatnonzero(region))
        while stack:
            for v in free.get(stack.pop(), ()):
                if not region[v]:
                    region[v] = True
                    stack.append(v)
        if region.any() and not region[head]:  # pockets off S: G_c − S split undirected, all but head(a)'s part
            near = graph.near[c]
            outside = ~region
            beyond = np.zeros(len(reach.nodes), dtype=bool)
            beyond[head] = True
            stack = [head]
            while stack:
                for v in near.get(stack.pop(), ()):
                    if outside[v] and not beyond[v]:
                        beyond[v] = True
                        stack.append(v)
            taken = graph.sinks(d, reach, c)  # a pocket holding a sink of c is an alternative, not S
            pocket = np.zeros(len(reach.nodes), dtype=bool)
            for start in np.flatnonzero(outside & ~beyond):
                if pocket[start]:
                    continue
                part, stack = [start], [start]
                pocket[start] = True
                while stack:
                    for v in near.get(stack.pop(), ()):
                        if outside[v] and not beyond[v] and not pocket[v]:
                            pocket[v] = True
                            part.append(v)
                            stack.append(v)
                if not taken[part].any():
                    region[part] = True
        graph.regions[key] = None if not region.any() or region[head] else region
    return graph.regions[key]
