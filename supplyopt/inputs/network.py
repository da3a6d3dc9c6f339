"""The transport network of an Instance as a networkx graph: arcs, pruning, reachability checks.

A corridor becomes one directed arc (from→to), plus the reverse arc when bidirectional.
Arc ids are `corridor` and `corridor~r` for the reverse direction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from supplyopt.errors import Problem
from supplyopt.inputs.coerce import ROW_COLUMN

REVERSE_SUFFIX = "~r"


@dataclass(frozen=True)
class Arc:
    arc: str
    corridor: str
    tail: str
    head: str


def arcs_of(inst) -> list[Arc]:
    arcs = []
    for rec in inst["Corridors"].to_dict("records"):
        arcs.append(Arc(rec["corridor"], rec["corridor"], rec["from_node"], rec["to_node"]))
        if rec["bidirectional"]:
            arcs.append(Arc(rec["corridor"] + REVERSE_SUFFIX, rec["corridor"], rec["to_node"], rec["from_node"]))
    return arcs


def graph_of(inst) -> nx.DiGraph:
    """Directed graph with node attributes from Nodes and one edge per arc (parallel arcs merged)."""
    g = nx.DiGraph()
    for rec in inst["Nodes"].to_dict("records"):
        g.add_node(rec["node"], kind=rec["kind"], name=rec["name"], lat=rec["lat"], lon=rec["lon"])
    for a in arcs_of(inst):
        g.add_edge(a.tail, a.head)
    return g


def sources_and_sinks(inst) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per commodity: nodes that can put it into the network, and nodes that can take it out."""
    sources: dict[str, set[str]] = defaultdict(set)
    sinks: dict[str, set[str]] = defaultdict(set)
    for rec in inst["Mines"].to_dict("records"):
        if rec["max_t_per_yr"] > 0:
            sources[rec["commodity"]].add(rec["mine"])
    for rec in inst["Markets"].to_dict("records"):
        sinks[rec["commodity"]].add(rec["node"])
    all_sites = list(inst["Refineries"]["site"])
    outputs = inst["RecipeOutputs"]
    for rec in inst["Recipes"].to_dict("records"):
        sites = all_sites if rec["site"] is None else [rec["site"]]
        for site in sites:
            sinks[rec["input_commodity"]].add(site)
            for out in outputs.loc[outputs["recipe"] == rec["recipe"], "output_commodity"]:
                sources[out].add(site)
    for table, ends in (("Feeds", sources), ("Disposal", sinks)):  # feeds bought, by-products disposed of (model/feeds.py, smelter_terms.py)
        ends.update({c: ends.get(c, set()) | set(g["node"]) for c, g in inst[table].groupby("commodity")})
    return sources, sinks


def usable_arc_commodities(inst, arcs: list[Arc]) -> list[tuple[str, str]]:
    """(arc, commodity) pairs that can carry flow: the arc's tail is reachable from a source of
    the commodity and its head reaches a sink of it. Everything else would carry zero anyway."""
    g = graph_of(inst)
    sources, sinks = sources_and_sinks(inst)
    rev = g.reverse(copy=False)
    pairs = []
    for c in inst["Commodities"]["commodity"]:
        if not sources.get(c) or not sinks.get(c):
            continue
        fwd = _reach(g, sources[c])
        bwd = _reach(rev, sinks[c])
        pairs += [(a.arc, c) for a in arcs if a.tail in fwd and a.head in bwd]
    return pairs


def _reach(g: nx.DiGraph, starts: set[str]) -> set[str]:
    """The starts and every node reachable from one of them: one traversal from all starts
    together (a search per start costs starts × graph at L and XL)."""
    seen = set(starts)
    stack = [s for s in starts if s in g]
    while stack:
        for nxt in g.successors(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def check_network(inst) -> list[Problem]:
    """Isolated mines, sites and ports; mines that reach no buyer; contracts no supply reaches."""
    problems: list[Problem] = []
    g = graph_of(inst)
    for rec in inst["Nodes"].to_dict("records"):
        if rec["kind"] in ("mine", "refinery", "port") and g.degree(rec["node"]) == 0:
            problems.append(Problem("Nodes", rec[ROW_COLUMN], "node", f"{rec['kind']} '{rec['node']}' is not joined to any corridor"))
    sources, sinks = sources_and_sinks(inst)
    rev = g.reverse(copy=False)
    for rec in inst["Mines"].to_dict("records"):
        c = rec["commodity"]
        if rec["max_t_per_yr"] > 0 and not (_reach(g, {rec["mine"]}) & sinks.get(c, set())):
            problems.append(Problem("Mines", rec[ROW_COLUMN], "mine", f"no corridor path from '{rec['mine']}' to any market or refinery that takes {c}"))
    for rec in inst["Markets"].to_dict("records"):
        c = rec["commodity"]
        if rec["min_t_per_yr"] > 0 and not (_reach(rev, {rec["node"]}) & sources.get(c, set())):
            problems.append(
                Problem(
                    "Markets",
                    rec[ROW_COLUMN],
                    "node",
                    f"minimum {rec['min_t_per_yr']:,.0f} t/yr of {c} at '{rec['node']}' cannot be met: no mine or refinery supplying {c} has a corridor path to it",
                )
            )
    return problems
