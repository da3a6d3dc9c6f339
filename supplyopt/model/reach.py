"""Flow bounds from supply and reachability: the most of commodity c that can cross arc a.

For scenario s and period p, with the commodity graph G_c (the arcs that may carry c):

    avail_{j,c}   = f_{s,j,p} · max_{j,c,p} + feed_{j,c,p}          at a mine or Feeds node j of c
                  + Σ_{r at j} yield_{r,c} · min(cap_j, T_{in(r)})  at a site j making c
    up_{a,c}      = Σ avail_{j,c} over sources j from which tail(a) is reachable in G_c
    down_{a,c}    = Σ over sinks reachable from head(a) in G_c of what they can take:
                    the market maximum of c (∞ when none), the Disposal maximum of c,
                    and cap_j of sites refining c
    bound_{a,c}   = min(up_{a,c}, down_{a,c})

cap_j = f_{s,j,p} · module_size_j · max_modules_j (input t/yr) and T_c the total availability of
c, tightened by a few passes of the same formula from T = ∞ (each pass is again an upper bound).

The bound holds for every flow without a cycle of one commodity (a path decomposition then
crosses a at most once per unit, from a source upstream to a sink downstream). Every cost per
tonne moved is ≥ 0 (schema) and every row on flows only gets easier with less flow, except the
high-risk share (its denominator is all tonnes moved): so, without that share, some optimal plan
is acyclic and the bound keeps every optimal objective value. `usable(d)` says when it applies.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from supplyopt.model import feeds, smelter_terms
from supplyopt.model.data import ModelData


def usable(d: ModelData) -> bool:
    """True when the bounds keep the optimum: no high-risk share row (see module docstring) and
    not the elastic diagnosis (which reads rows one by one). Feeds count as sources and Disposal
    rows as sinks; overseas buyers are markets reached over sea corridors like any other."""
    share = d.risk_settings.get("high_risk_threshold") is not None and d.risk_settings.get("high_risk_max_share") is not None
    return not share and not d.elastic


def site_capacity(d: ModelData, s: str, j: str, p: str) -> float:
    """Most input (t/yr) site j can process: f · module size · max modules."""
    site = d.sites[j]
    return d.factor(s, "refinery", j, p) * site["module_size_t_per_yr"] * site["max_modules"]


def _finite(v) -> float:
    return math.inf if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


class Reach:
    """Reachability in each commodity graph, computed once; `bounds(s, p)` the arc bounds."""

    def __init__(self, d: ModelData):
        self.d = d
        self.nodes = list(d.nodes)
        self.pos = {n: i for i, n in enumerate(self.nodes)}
        succ: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        pred: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for a, c in d.arc_commodities:
            t, h = self.pos[d.arcs[a].tail], self.pos[d.arcs[a].head]
            succ[c][t].append(h)
            pred[c][h].append(t)
        self.succ, self.pred = succ, pred
        self._cache: dict[tuple, np.ndarray] = {}

    def _reached(self, c: str, start: int, forward: bool) -> np.ndarray:
        """Boolean vector of nodes reachable from `start` in G_c (forward) or reaching it."""
        key = (c, start, forward)
        if key not in self._cache:
            adj = (self.succ if forward else self.pred)[c]
            seen = np.zeros(len(self.nodes), dtype=bool)
            seen[start] = True
            stack = [start]
            while stack:
                for nxt in adj.get(stack.pop(), ()):
                    if not seen[nxt]:
                        seen[nxt] = True
                        stack.append(nxt)
            self._cache[key] = seen
        return self._cache[key]

    def _mined(self, s: str, p: str) -> dict[tuple[str, str], float]:
        """(node, c) → the most of c mined or bought (Feeds) at node in (s, p)."""
        d = self.d
        out: dict[tuple[str, str], float] = defaultdict(float)
        for (i, c, q), rec in d.supply.items():
            if q == p:
                out[i, c] += d.factor(s, "mine", i, p) * rec["max"]
        for (n, c, q), rec in feeds.feeds(d).items():
            if q == p:
                out[n, c] += _finite(rec["max_t_per_yr"])
        return out

    def totals(self, s: str, p: str) -> dict[str, float]:
        """T_c: the most of c that can exist in (s, p), mines, feeds and refining together."""
        d = self.d
        mined: dict[str, float] = defaultdict(float)
        for (_i, c), v in self._mined(s, p).items():
            mined[c] += v
        total = {c: math.inf for c in d.commodities}
        for _ in range(4):
            new = dict(mined)
            for j, r in d.site_recipes:
                take = min(site_capacity(d, s, j, p), total[d.recipes[r]["input"]])
                for c, y in d.recipes[r]["outputs"].items():
                    new[c] = new.get(c, 0.0) + y * take
            total = {c: new.get(c, 0.0) for c in d.commodities}
        return total

    def sources(self, s: str, p: str) -> dict[str, dict[int, float]]:
        """c → {node: most of c made there (mined or refined)}."""
        d = self.d
        total = self.totals(s, p)
        out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for (i, c), v in self._mined(s, p).items():
            out[c][self.pos[i]] += v
        for j, r in d.site_recipes:
            take = min(site_capacity(d, s, j, p), total[d.recipes[r]["input"]])
            for c, y in d.recipes[r]["outputs"].items():
                out[c][self.pos[j]] += y * take
        return out

    def sinks(self, s: str, p: str) -> dict[str, dict[int, float]]:
        """c → {node: most of c taken there (sold or refined)}."""
        d = self.d
        out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for (n, c, q), rec in d.markets.items():
            if q == p:
                out[c][self.pos[n]] += _finite(rec["max"])
        for (n, c, q), rec in smelter_terms.disposals(d).items():
            if q == p:
                out[c][self.pos[n]] += _finite(rec["max_t_per_yr"])
        refined = {(j, d.recipes[r]["input"]) for j, r in d.site_recipes}  # a site's input capacity counts once per input
        for j, c in refined:
            out[c][self.pos[j]] += site_capacity(d, s, j, p)
        return out

    def node_bounds(self, s: str, p: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """(up, down): c → per node, the most of c that can arrive at it from sources upstream,
        and that can be taken by sinks downstream of it."""
        up, down = {}, {}
        for c, src in self.sources(s, p).items():
            vec = np.zeros(len(self.nodes))
            for n, v in src.items():
                vec += v * self._reached(c, n, True)
            up[c] = vec
        for c, snk in self.sinks(s, p).items():
            vec = np.zeros(len(self.nodes))
            for n, v in snk.items():
                if v > 0:
                    with np.errstate(invalid="ignore"):
                        vec = vec + np.where(self._reached(c, n, False), v, 0.0)
            down[c] = vec
        return up, down

    def arc_bounds(self, s: str, p: str) -> dict[tuple[str, str], float]:
        """(arc, commodity) → bound_{a,c} in (s, p) (see module docstring)."""
        up, down = self.node_bounds(s, p)
        zero = np.zeros(len(self.nodes))
        out = {}
        for a, c in self.d.arc_commodities:
            arc = self.d.arcs[a]
            out[(a, c)] = float(min(up.get(c, zero)[self.pos[arc.tail]], down.get(c, zero)[self.pos[arc.head]]))
        return out
