"""The tonnes a per-tonne risk rate applies to (carriers), the rate tables, and the accounting
columns the risk families are built from (see model/risk/__init__.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.flows import flow_positions


def transit_nodes(d: ModelData) -> set[str]:
    """Nodes that neither sell, refine nor mine (hubs, trans-shipment ports): their tonnes
    handled are the tonnes arriving on their corridors."""
    busy = {n for (n, _c, _p) in d.markets} | set(d.sites) | {i for (i, _c, _p) in d.supply}
    return {a.head for a in d.arcs.values()} - busy


def handled(m, d: ModelData) -> Iterator[tuple[tuple[str, str, str, str], object]]:
    """((s, node, commodity, p), variable) of the tonnes a node handles other than transit
    inflow: sales there, refinery input (the recipe's input commodity), mine output."""
    for (s, n, c, p), x in m.sell.items():
        yield (s, n, c, p), x
    for (s, j, r, p), x in m.process.items():
        yield (s, j, d.recipes[r]["input"], p), x
    for (s, i, c, p), x in m.produce.items():
        yield (s, i, c, p), x


def node_cargo(m, d: ModelData) -> dict[tuple[str, str, str], list[tuple[str, object]]]:
    """(s, node, p) → (commodity, variable) pairs of the tonnes the node handles: sales there,
    refinery input, mine output, and at transit nodes (hubs: no sales, recipe or mine) the
    inflow Σ_{a into n, c} flow_{s,a,c,p}."""
    out: dict[tuple[str, str, str], list] = defaultdict(list)
    for (s, n, c, p), x in handled(m, d):
        out[(s, n, p)].append((c, x))
    transit = transit_nodes(d)
    for s, a, c, p in m.FLOW:
        if d.arcs[a].head in transit:
            out[(s, d.arcs[a].head, p)].append((c, m.flow[s, a, c, p]))
    return out


def element_positions(d: ModelData) -> tuple[dict[str, int], dict[str, int]]:
    """Risk elements numbered once: corridor k → its position in d.corridor_arcs, node n → the
    number of corridors + its position in d.nodes."""
    corridor_pos = {k: i for i, k in enumerate(d.corridor_arcs)}
    return corridor_pos, {n: len(corridor_pos) + i for i, n in enumerate(d.nodes)}


def corridor_of(d: ModelData) -> np.ndarray:
    """Position in list(d.corridor_arcs) of the corridor of each (arc, commodity) pair."""
    pos, _nodes = element_positions(d)
    return np.array([pos[d.arcs[a].corridor] for a, _c in d.arc_commodities], dtype=np.int64)


@dataclass(frozen=True)
class Carriers:
    """Every (variable, risk element) pair a per-tonne rate applies to, as parallel arrays:
    term t is variable columns[col[t]] in row sp[t] = s · P + p, period[t], commodity[t]
    (position in d.commodities) and element[t] (a corridor or node, see element_positions). The terms are each flow on its corridor,
    each flow into a transit node at that node, and sales, refinery input and mine output at
    their node (node_cargo)."""

    columns: list
    col: np.ndarray
    sp: np.ndarray
    period: np.ndarray
    commodity: np.ndarray
    element: np.ndarray


def carriers_of(m, d: ModelData) -> Carriers:
    """The carriers of m (see Carriers): flow terms from position arrays, then node variables."""
    flows = flow_carriers(d)
    columns = columns_of(m.flow)
    P, (_corridors, node_pos) = len(d.periods), element_positions(d)
    s_pos, p_pos, com_pos = ({x: i for i, x in enumerate(v)} for v in (d.scenarios, d.periods, d.commodities))
    node_terms = []
    for (s, n, c, p), x in handled(m, d):
        node_terms.append((len(columns), s_pos[s] * P + p_pos[p], p_pos[p], com_pos[c], node_pos[n]))
        columns.append(x)
    nodes = np.array(node_terms, dtype=np.int64).reshape(-1, 5).T
    return Carriers(columns, *(np.concatenate([f, n]) for f, n in zip(flows, nodes)))


def flow_carriers(d: ModelData) -> tuple[np.ndarray, ...]:
    """(col, sp, period, commodity, element) of the flow terms: every flow j on its corridor,
    then the flows into transit nodes at their head node."""
    _corridors, node_pos = element_positions(d)
    com_pos = {c: i for i, c in enumerate(d.commodities)}
    head = np.array([node_pos[d.arcs[a].head] for a, _c in d.arc_commodities], dtype=np.int64)
    com = np.array([com_pos[c] for _a, c in d.arc_commodities], dtype=np.int64)
    j, s, k, p = flow_positions(d)
    on_corridor = (j, s * len(d.periods) + p, p, com[k], corridor_of(d)[k])
    into_transit = np.isin(head, [node_pos[n] for n in transit_nodes(d)])[k]
    at_node = (*(x[into_transit] for x in on_corridor[:4]), head[k][into_transit])
    return tuple(np.concatenate([a, b]) for a, b in zip(on_corridor, at_node))


def rate_table(d: ModelData, field: str) -> np.ndarray:
    """R[e, p]: the CorridorRisk or NodeRisk `field` of element e (see element_positions) in
    period p; 0 where a corridor or node has no entry."""
    corridor_pos, node_pos = element_positions(d)
    p_pos = {p: i for i, p in enumerate(d.periods)}
    table = np.zeros((len(corridor_pos) + len(node_pos), len(d.periods)))
    for pos, risk in ((corridor_pos, d.corridor_risk), (node_pos, d.node_risk)):
        for (e, p), rec in risk.items():
            if e in pos and rec[field]:
                table[pos[e], p_pos[p]] = rec[field]
    return table


def any_rate(d: ModelData, field: str) -> bool:
    return any(r[field] for r in d.corridor_risk.values()) or any(r[field] for r in d.node_risk.values())


def accounting_column(m, d: ModelData, name: str, carriers: Carriers, coef: np.ndarray) -> pyo.Var:
    """Column `name`_{s,p} ≥ 0 (coefficients are ≥ 0) defined by the array rows

        name_{s,p} − Σ_t coef_t · columns[col_t] = 0      (`name`_definition, keys (s, p))

    over the carrier terms t of row s · P + p."""
    sp = [(s, p) for s in d.scenarios for p in d.periods]
    column = pyo.Var(sp, within=pyo.NonNegativeReals)
    m.add_component(name, column)
    first = len(carriers.columns)  # name_{s,p} is column first + s · P + p
    own = np.arange(len(sp), dtype=np.int64)
    definition = matrix_rows(
        sp,
        carriers.columns + columns_of(column),
        np.concatenate([carriers.sp, own]),
        np.concatenate([carriers.col, first + own]),
        np.concatenate([-coef, np.ones(len(sp))]),
        0.0,
        0.0,
    )
    m.add_component(f"{name}_definition", definition)
    return column


def rated(d: ModelData, carriers: Carriers, field: str, by_value: bool = False) -> np.ndarray:
    """Each carrier term's rate: R[element, period] (see rate_table), × cargo_value_c when by_value."""
    coef = rate_table(d, field)[carriers.element, carriers.period]
    if by_value:
        coef = coef * np.array([d.cargo_value[c] for c in d.commodities], dtype=float)[carriers.commodity]
    return coef
