"""Security risk: security costs, expected loss, exposure budget, high-risk share,
diversification and escorted convoys. Each formulation is one function, switched by Settings
(and by the presence of data in CorridorRisk, NodeRisk and RiskLimits).

Sums with a term per tonne carried (security cost, expected loss, exposure) are accounting
columns, each defined per scenario and period by one array-built row, as flows.transport_cost:

    column_{s,p} − Σ_t rate_{e(t),p} · w_{c(t)} · x_t = 0

over the carriers t (see _Carriers): every flow on its corridor and the tonnes every node
handles (node_cargo). Rates are ≥ 0 (schema: min 0), so the columns are non-negative. Rows
with a term per flow (high-risk share, export-leg corridor share, escorted convoys) are array
rows too. Flow j sits at j = (s · K + k) · P + p (scenario s, k = position in
d.arc_commodities, period p), as in flows.add_flows; no per-flow Pyomo expression is built.
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
from supplyopt.model.terms import add_term


def transit_nodes(d: ModelData) -> set[str]:
    """Nodes that neither sell, refine nor mine (hubs, trans-shipment ports): their tonnes
    handled are the tonnes arriving on their corridors."""
    busy = {n for (n, _c, _p) in d.markets} | set(d.sites) | {i for (i, _c, _p) in d.supply}
    return {a.head for a in d.arcs.values()} - busy


def _handled(m, d: ModelData) -> Iterator[tuple[tuple[str, str, str, str], object]]:
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
    for (s, n, c, p), x in _handled(m, d):
        out[(s, n, p)].append((c, x))
    transit = transit_nodes(d)
    for s, a, c, p in m.FLOW:
        if d.arcs[a].head in transit:
            out[(s, d.arcs[a].head, p)].append((c, m.flow[s, a, c, p]))
    return out


def _element_positions(d: ModelData) -> tuple[dict[str, int], dict[str, int]]:
    """Risk elements numbered once: corridor k → its position in d.corridor_arcs, node n → the
    number of corridors + its position in d.nodes."""
    corridor_pos = {k: i for i, k in enumerate(d.corridor_arcs)}
    return corridor_pos, {n: len(corridor_pos) + i for i, n in enumerate(d.nodes)}


def _corridor_of(d: ModelData) -> np.ndarray:
    """Position in list(d.corridor_arcs) of the corridor of each (arc, commodity) pair."""
    pos, _nodes = _element_positions(d)
    return np.array([pos[d.arcs[a].corridor] for a, _c in d.arc_commodities], dtype=np.int64)


@dataclass(frozen=True)
class _Carriers:
    """Every (variable, risk element) pair a per-tonne rate applies to, as parallel arrays:
    term t is variable columns[col[t]] in row sp[t] = s · P + p, period[t], commodity[t]
    (position in d.commodities) and element[t] (a corridor or node, see _element_positions). The terms are each flow on its corridor,
    each flow into a transit node at that node, and sales, refinery input and mine output at
    their node (node_cargo)."""

    columns: list
    col: np.ndarray
    sp: np.ndarray
    period: np.ndarray
    commodity: np.ndarray
    element: np.ndarray


def _carriers(m, d: ModelData) -> _Carriers:
    """The carriers of m (see _Carriers): flow terms from position arrays, then node variables."""
    flows = _flow_carriers(d)
    columns = columns_of(m.flow)
    P, (_corridors, node_pos) = len(d.periods), _element_positions(d)
    s_pos, p_pos, com_pos = ({x: i for i, x in enumerate(v)} for v in (d.scenarios, d.periods, d.commodities))
    node_terms = []
    for (s, n, c, p), x in _handled(m, d):
        node_terms.append((len(columns), s_pos[s] * P + p_pos[p], p_pos[p], com_pos[c], node_pos[n]))
        columns.append(x)
    nodes = np.array(node_terms, dtype=np.int64).reshape(-1, 5).T
    return _Carriers(columns, *(np.concatenate([f, n]) for f, n in zip(flows, nodes)))


def _flow_carriers(d: ModelData) -> tuple[np.ndarray, ...]:
    """(col, sp, period, commodity, element) of the flow terms: every flow j on its corridor,
    then the flows into transit nodes at their head node."""
    _corridors, node_pos = _element_positions(d)
    com_pos = {c: i for i, c in enumerate(d.commodities)}
    head = np.array([node_pos[d.arcs[a].head] for a, _c in d.arc_commodities], dtype=np.int64)
    com = np.array([com_pos[c] for _a, c in d.arc_commodities], dtype=np.int64)
    j, s, k, p = flow_positions(d)
    on_corridor = (j, s * len(d.periods) + p, p, com[k], _corridor_of(d)[k])
    into_transit = np.isin(head, [node_pos[n] for n in transit_nodes(d)])[k]
    at_node = (*(x[into_transit] for x in on_corridor[:4]), head[k][into_transit])
    return tuple(np.concatenate([a, b]) for a, b in zip(on_corridor, at_node))


def _rate_table(d: ModelData, field: str) -> np.ndarray:
    """R[e, p]: the CorridorRisk or NodeRisk `field` of element e (see _element_positions) in
    period p; 0 where a corridor or node has no entry."""
    corridor_pos, node_pos = _element_positions(d)
    p_pos = {p: i for i, p in enumerate(d.periods)}
    table = np.zeros((len(corridor_pos) + len(node_pos), len(d.periods)))
    for pos, risk in ((corridor_pos, d.corridor_risk), (node_pos, d.node_risk)):
        for (e, p), rec in risk.items():
            if e in pos and rec[field]:
                table[pos[e], p_pos[p]] = rec[field]
    return table


def _any_rate(d: ModelData, field: str) -> bool:
    return any(r[field] for r in d.corridor_risk.values()) or any(r[field] for r in d.node_risk.values())


def _accounting_column(m, d: ModelData, name: str, carriers: _Carriers, coef: np.ndarray) -> pyo.Var:
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


def _rated(d: ModelData, carriers: _Carriers, field: str, by_value: bool = False) -> np.ndarray:
    """Each carrier term's rate: R[element, period] (see _rate_table), × cargo_value_c when by_value."""
    coef = _rate_table(d, field)[carriers.element, carriers.period]
    if by_value:
        coef = coef * np.array([d.cargo_value[c] for c in d.commodities], dtype=float)[carriers.commodity]
    return coef


def add_security_costs(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Cost term `security` (USD/yr) for scenario s, period p: the accounting column
    security_cost_{s,p} ≥ 0, defined by (security_cost_definition, keys (s, p))

        security_cost_{s,p} − Σ_k sec_{k,p} · Σ_{a∈k, c} flow_{s,a,c,p} − Σ_n sec_{n,p} · throughput_{s,n,p} = 0

    (sec = security_cost_usd_per_t; throughput: the tonnes node n handles, see node_cargo).
    Without any security cost the term is 0 and no column is made.
    """
    if not _any_rate(d, "security_cost"):
        add_term(m, "security", "operating", "Security (guards, insurance)", lambda s, p: 0)
        return
    carriers = _carriers(m, d)
    column = _accounting_column(m, d, "security_cost", carriers, _rated(d, carriers, "security_cost"))
    add_term(m, "security", "operating", "Security (guards, insurance)", lambda s, p: column[s, p])


def add_expected_loss(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Cost term `expected_loss` (USD/yr), on when Settings expected_loss = yes: the accounting
    column expected_loss_cost_{s,p} ≥ 0, defined by (expected_loss_cost_definition, keys (s, p))

        expected_loss_cost_{s,p} − Σ_k q_{k,p} · Σ_{a∈k, c} value_c · flow_{s,a,c,p} − Σ_n q_{n,p} · Σ value · (tonnes handled at n) = 0

    q = incident probability per tonne, value_c = Commodities.cargo_value_usd_per_t.
    Node throughput is valued per commodity (sales, refinery input, mine output, inflow at
    transit nodes such as hubs; see node_cargo). Without any incident probability the term is 0.
    """
    if not d.risk_settings.get("expected_loss"):
        return
    if not _any_rate(d, "incident_probability"):
        add_term(m, "expected_loss", "operating", "Expected cargo loss", lambda s, p: 0)
        return
    carriers = _carriers(m, d)
    column = _accounting_column(m, d, "expected_loss_cost", carriers, _rated(d, carriers, "incident_probability", by_value=True))
    add_term(m, "expected_loss", "operating", "Expected cargo loss", lambda s, p: column[s, p])


def add_exposure(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Risk exposure per scenario and period (risk score × t/yr), always built for reporting:
    `m.exposure[s, p]` is the accounting column exposure_level_{s,p} ≥ 0 defined by
    (exposure_level_definition, keys (s, p))

        exposure_level_{s,p} − Σ_k ρ_{k,p} · Σ_{a∈k,c} flow_{s,a,c,p} − Σ_n ρ_{n,p} · throughput_{s,n,p} = 0

    (0 and no column without any risk score or budget), and the exposure budget (formulation 2), per
    scenario and period where RiskLimits gives one:

        exposure_{s,p} ≤ B_p                                   (named `exposure_budget`)

    `m.exposure_total[s]` = Σ_p length_p · exposure_{s,p} is what the cost–risk frontier limits.
    """
    budgets = [(s, p) for s in d.scenarios for p in d.periods if d.risk_limits.get(p, {}).get("exposure_budget") is not None]
    if _any_rate(d, "risk_score") or budgets:  # a budget row needs a column even when exposure is 0
        carriers = _carriers(m, d)
        level = _accounting_column(m, d, "exposure_level", carriers, _rated(d, carriers, "risk_score"))
        m.exposure = pyo.Expression(m.S, m.P, rule=lambda _m, s, p: level[s, p])
    else:
        m.exposure = pyo.Expression(m.S, m.P, rule=lambda _m, s, p: 0)
    m.exposure_total = pyo.Expression(m.S, rule=lambda _m, s: pyo.quicksum(d.length[p] * m.exposure[s, p] for p in d.periods))
    if d.elastic:  # diagnosis: exposure_{s,p} − exposure_slack_{s,p} ≤ B_p
        m.exposure_slack = pyo.Var(budgets, within=pyo.NonNegativeReals)
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] - m.exposure_slack[s, p] <= d.risk_limits[p]["exposure_budget"])
    else:
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] <= d.risk_limits[p]["exposure_budget"])


def add_high_risk_share(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 3, when Settings high_risk_threshold θ and high_risk_max_share σ are set:

        Σ_{k: ρ_{k,p} ≥ θ} Σ_{a∈k,c} flow_{s,a,c,p} ≤ σ · Σ_k Σ_{a∈k,c} flow_{s,a,c,p}

    per scenario and period (tonnes counted on every corridor they cross; no CorridorRisk entry
    is ρ = 0), only where some flow is on a high-risk corridor. Named `high_risk_share`, keys
    (s, p); array rows Σ_j ((1 − σ) if high else −σ) · flow_j ≤ 0 (every flow is on a corridor;
    a row whose terms all cancel, σ = 1 with only high-risk flows, constrains nothing and is left out).
    """
    theta, sigma = d.risk_settings.get("high_risk_threshold"), d.risk_settings.get("high_risk_max_share")
    if theta is None or sigma is None:
        return
    j, s, k, p = flow_positions(d)
    high = _rate_table(d, "risk_score")[_corridor_of(d)[k], p] >= theta
    row = s * len(d.periods) + p
    keep = np.isin(row, row[high])  # rows with a high-risk flow
    sp = [(sc, pr) for sc in d.scenarios for pr in d.periods]
    coef = np.where(high, 1.0 - sigma, -sigma)
    m.high_risk_share = matrix_rows(sp, columns_of(m.flow), row[keep], j[keep], coef[keep], None, 0.0)


def add_diversification(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 4. With σ_port = Settings max_port_share, per scenario, commodity and period:

        sell_{s,n,c,p} ≤ σ_port · Σ_{n'} sell_{s,n',c,p}                     (`port_share`)

    and with σ_k = Settings max_corridor_share, for each corridor k with an arc into a port or
    market node (an export leg) carrying c, where c is sold in p:

        Σ_{a∈k, head(a) exports} flow_{s,a,c,p} ≤ σ_k · Σ_{n'} sell_{s,n',c,p}   (`corridor_share`)

    port_share is a rule per sale; corridor_share has a term per export-leg flow, so it is array
    rows (keys (s, k, c, p), see _corridor_share).
    """
    port_share, corridor_share = d.risk_settings.get("max_port_share"), d.risk_settings.get("max_corridor_share")
    sales: dict[tuple[str, str, str], list] = defaultdict(list)
    for s, n, c, p in m.MARKET_S:
        sales[(s, c, p)].append(m.sell[s, n, c, p])
    if port_share is not None:
        m.port_share = pyo.Constraint(
            list(m.MARKET_S),
            rule=lambda _m, s, n, c, p: m.sell[s, n, c, p] <= port_share * pyo.quicksum(sales[(s, c, p)]),
        )
    if corridor_share is not None:
        m.corridor_share = _corridor_share(m, d, corridor_share)


def _corridor_share(m, d: ModelData, sigma: float):
    """Rows Σ export-leg flow_{s,a,c,p} − σ · Σ_{n'} sell_{s,n',c,p} ≤ 0 for every (s, k, c, p)
    with a leg flow and a sale of c in p, in the order the legs first appear among the flows.
    Keys are coded ((s · NK + k) · C + c) · P + p, sales grouped by (s · C + c) · P + p."""
    C, P, NK = len(d.commodities), len(d.periods), len(d.corridor_arcs)
    com_pos, s_pos, p_pos = ({x: i for i, x in enumerate(v)} for v in (d.commodities, d.scenarios, d.periods))
    sell_scp = np.array([(s_pos[s] * C + com_pos[c]) * P + p_pos[p] for s, _n, c, p in m.MARKET_S], dtype=np.int64)
    export_nodes = {n for (n, _c, _p) in d.markets}
    com = np.array([com_pos[c] for _a, c in d.arc_commodities], dtype=np.int64)
    leg = np.array([d.arcs[a].head in export_nodes for a, _c in d.arc_commodities], dtype=bool)
    j, s, k, p = flow_positions(d)
    on = leg[k] & np.isin((s * C + com[k]) * P + p, sell_scp)
    codes, flow_row = _first_seen(((s[on] * NK + _corridor_of(d)[k[on]]) * C + com[k[on]]) * P + p[on])
    by_scp = np.argsort(sell_scp, kind="stable")
    key_scp = ((codes // (NK * C * P)) * C + codes // P % C) * P + codes % P
    lo, hi = np.searchsorted(sell_scp[by_scp], key_scp, "left"), np.searchsorted(sell_scp[by_scp], key_scp, "right")
    corridors = list(d.corridor_arcs)
    keys = [(d.scenarios[x // (NK * C * P)], corridors[x // (C * P) % NK], d.commodities[x // P % C], d.periods[x % P]) for x in codes.tolist()]
    columns = columns_of(m.flow)
    sell_row = np.repeat(np.arange(len(codes), dtype=np.int64), hi - lo)
    return matrix_rows(
        keys,
        columns + columns_of(m.sell),
        np.concatenate([flow_row, sell_row]),
        np.concatenate([j[on], len(columns) + by_scp[_ranges(lo, hi)]]),
        np.concatenate([np.ones(len(flow_row)), np.full(len(sell_row), -sigma)]),
        None,
        0.0,
    )


def _first_seen(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct codes in order of first appearance, each element's position in that list)."""
    codes, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return codes[order], rank[inverse]


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """lo[0], …, hi[0] − 1, lo[1], …, hi[1] − 1, … as one array."""
    counts = hi - lo
    ends = np.cumsum(counts)
    return np.repeat(lo - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)


def add_escorts(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 5, when Settings escorts = yes, for corridors k with a convoy size Q_{k,p}
    (and a usable arc):

        Σ_{a∈k,c} flow_{s,a,c,p} ≤ Q_{k,p} · convoys_{s,k,p},  convoys ∈ ℤ≥0       (`escort_convoys`)
        Σ_k convoys_{s,k,p} ≤ C_p    (RiskLimits max_convoys_per_yr, when given)  (`escort_capacity`)

    Cost term `escorts` = Σ_k escort_cost_{k,p} · convoys_{s,k,p}. escort_convoys has a term
    per flow: array rows Σ flow − Q · convoys ≤ 0, keys (s, k, p) of `ESCORTED`.
    """
    if not d.risk_settings.get("escorts"):
        return
    carried = {d.arcs[a].corridor for a, _c in d.arc_commodities}
    idx = [(s, k, p) for s in d.scenarios for (k, p), rec in d.corridor_risk.items() if rec["convoy_size"] and k in carried]
    m.ESCORTED = pyo.Set(initialize=idx, dimen=3, ordered=True)
    m.convoys = pyo.Var(m.ESCORTED, within=pyo.NonNegativeIntegers)
    m.escort_convoys = _escort_convoys(m, d, idx)
    by_sp: dict[tuple[str, str], list] = defaultdict(list)
    for s, k, p in idx:
        by_sp[(s, p)].append(m.convoys[s, k, p])

    def capacity(_m, s, p):
        cap = d.risk_limits.get(p, {}).get("max_convoys")
        if cap is None or not by_sp.get((s, p)):
            return pyo.Constraint.Skip
        return pyo.quicksum(by_sp[(s, p)]) <= cap

    m.escort_capacity = pyo.Constraint(m.S, m.P, rule=capacity)
    costs: dict[tuple[str, str], list] = defaultdict(list)
    for s, k, p in idx:
        costs[(s, p)].append(d.corridor_risk[(k, p)]["escort_cost"] * m.convoys[s, k, p])
    add_term(m, "escorts", "operating", "Convoy escorts", lambda s, p: pyo.quicksum(costs.get((s, p), [])))


def _escort_convoys(m, d: ModelData, idx: list[tuple[str, str, str]]):
    """Rows Σ_{a∈k,c} flow_{s,a,c,p} − Q_{k,p} · convoys_{s,k,p} ≤ 0 for (s, k, p) in idx."""
    NK, P = len(d.corridor_arcs), len(d.periods)
    k_pos, s_pos, p_pos = ({x: i for i, x in enumerate(v)} for v in (d.corridor_arcs, d.scenarios, d.periods))
    row_of = np.full(len(d.scenarios) * NK * P, -1, dtype=np.int64)  # (s · NK + corridor) · P + p → row
    for i, (s, k, p) in enumerate(idx):
        row_of[(s_pos[s] * NK + k_pos[k]) * P + p_pos[p]] = i
    j, s, k, p = flow_positions(d)
    flow_row = row_of[(s * NK + _corridor_of(d)[k]) * P + p]
    on = flow_row >= 0
    columns = columns_of(m.flow)
    own = np.arange(len(idx), dtype=np.int64)
    size = np.array([d.corridor_risk[(k, p)]["convoy_size"] for _s, k, p in idx], dtype=float)
    return matrix_rows(
        idx,
        columns + columns_of(m.convoys),
        np.concatenate([flow_row[on], own]),
        np.concatenate([j[on], len(columns) + own]),
        np.concatenate([np.ones(int(on.sum())), -size]),
        None,
        0.0,
    )
