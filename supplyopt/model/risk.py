"""Security risk: security costs, expected loss, exposure budget, high-risk share,
diversification and escorted convoys. Each formulation is one function, switched by Settings
(and by the presence of data in CorridorRisk, NodeRisk and RiskLimits)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.terms import add_term


def _corridor_tonnes(m, d: ModelData) -> dict[tuple[str, str, str], list]:
    """(s, corridor, p) → flow variables on the corridor's arcs (all commodities)."""
    out: dict[tuple[str, str, str], list] = defaultdict(list)
    for s, a, c, p in m.FLOW:
        out[(s, d.arcs[a].corridor, p)].append(m.flow[s, a, c, p])
    return out


def transit_nodes(d: ModelData) -> set[str]:
    """Nodes that neither sell, refine nor mine (hubs, trans-shipment ports): their tonnes
    handled are the tonnes arriving on their corridors."""
    busy = {n for (n, _c, _p) in d.markets} | set(d.sites) | {i for (i, _c, _p) in d.supply}
    return {a.head for a in d.arcs.values()} - busy


def node_cargo(m, d: ModelData) -> dict[tuple[str, str, str], list[tuple[str, object]]]:
    """(s, node, p) → (commodity, variable) pairs of the tonnes the node handles: sales there,
    refinery input, mine output, and at transit nodes (hubs: no sales, recipe or mine) the
    inflow Σ_{a into n, c} flow_{s,a,c,p}."""
    out: dict[tuple[str, str, str], list] = defaultdict(list)
    for s, n, c, p in m.MARKET_S:
        out[(s, n, p)].append((c, m.sell[s, n, c, p]))
    for s, j, r, p in m.PROCESS:
        out[(s, j, p)].append((d.recipes[r]["input"], m.process[s, j, r, p]))
    for s, i, c, p in m.SUPPLY_S:
        out[(s, i, p)].append((c, m.produce[s, i, c, p]))
    transit = transit_nodes(d)
    for s, a, c, p in m.FLOW:
        if d.arcs[a].head in transit:
            out[(s, d.arcs[a].head, p)].append((c, m.flow[s, a, c, p]))
    return out


def node_throughput(m, d: ModelData) -> dict[tuple[str, str, str], list]:
    """(s, node, p) → the variables of the tonnes the node handles (see node_cargo)."""
    return {k: [x for _c, x in v] for k, v in node_cargo(m, d).items()}


def add_security_costs(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Cost term `security` (USD/yr) for scenario s, period p:

    Σ_k sec_{k,p} · Σ_{a∈k, c} flow_{s,a,c,p} + Σ_n sec_{n,p} · throughput_{s,n,p}
    """
    by_sp: dict[tuple[str, str], list] = defaultdict(list)
    any_cost = any(r["security_cost"] for r in d.corridor_risk.values()) or any(r["security_cost"] for r in d.node_risk.values())
    tonnes = _corridor_tonnes(m, d) if any_cost else {}  # without security data, skip the walk over every flow
    handled = node_throughput(m, d) if any_cost else {}
    for s in d.scenarios if any_cost else []:
        for (k, p), rec in d.corridor_risk.items():
            if rec["security_cost"]:
                by_sp[(s, p)] += [rec["security_cost"] * x for x in tonnes.get((s, k, p), [])]
        for (n, p), rec in d.node_risk.items():
            if rec["security_cost"]:
                by_sp[(s, p)] += [rec["security_cost"] * x for x in handled.get((s, n, p), [])]
    add_term(m, "security", "operating", "Security (guards, insurance)", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def add_expected_loss(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Cost term `expected_loss` (USD/yr), on when Settings expected_loss = yes:

        Σ_k q_{k,p} · Σ_{a∈k, c} value_c · flow_{s,a,c,p} + Σ_n q_{n,p} · Σ value · (tonnes handled at n)

    q = incident probability per tonne, value_c = Commodities.cargo_value_usd_per_t.
    Node throughput is valued per commodity (sales, refinery input, mine output, inflow at
    transit nodes such as hubs; see node_throughput).
    """
    if not d.risk_settings.get("expected_loss"):
        return
    by_sp: dict[tuple[str, str], list] = defaultdict(list)
    q_k = {key: rec["incident_probability"] for key, rec in d.corridor_risk.items() if rec["incident_probability"]}
    q_n = {key: rec["incident_probability"] for key, rec in d.node_risk.items() if rec["incident_probability"]}
    for s, a, c, p in m.FLOW:
        q = q_k.get((d.arcs[a].corridor, p))
        if q and d.cargo_value[c]:
            by_sp[(s, p)].append(q * d.cargo_value[c] * m.flow[s, a, c, p])
    if q_n:
        for (s, n, p), cargo in node_cargo(m, d).items():
            q = q_n.get((n, p))
            if q:
                by_sp[(s, p)] += [q * d.cargo_value[c] * x for c, x in cargo if d.cargo_value[c]]
    add_term(m, "expected_loss", "operating", "Expected cargo loss", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))


def add_exposure(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Risk exposure per scenario and period (risk score × t/yr), always built for reporting:

        exposure_{s,p} = Σ_k ρ_{k,p} · Σ_{a∈k,c} flow_{s,a,c,p} + Σ_n ρ_{n,p} · throughput_{s,n,p}

    and the exposure budget (formulation 2), per scenario and period where RiskLimits gives one:

        exposure_{s,p} ≤ B_p                                   (named `exposure_budget`)

    `m.exposure_total[s]` = Σ_p length_p · exposure_{s,p} is what the cost–risk frontier limits.
    """
    any_risk = any(r["risk_score"] for r in d.corridor_risk.values()) or any(r["risk_score"] for r in d.node_risk.values())
    tonnes = _corridor_tonnes(m, d) if any_risk else {}  # without risk scores exposure is 0: skip the walk
    handled = node_throughput(m, d) if any_risk else {}
    corridor_by_p: dict[str, list] = defaultdict(list)
    for (k, pp), rec in d.corridor_risk.items():
        if rec["risk_score"]:
            corridor_by_p[pp].append((k, rec["risk_score"]))
    node_by_p: dict[str, list] = defaultdict(list)
    for (n, pp), rec in d.node_risk.items():
        if rec["risk_score"]:
            node_by_p[pp].append((n, rec["risk_score"]))

    def rule(_m, s, p):
        terms = [score * x for k, score in corridor_by_p[p] for x in tonnes.get((s, k, p), [])]
        terms += [score * x for n, score in node_by_p[p] for x in handled.get((s, n, p), [])]
        return pyo.quicksum(terms)

    m.exposure = pyo.Expression(m.S, m.P, rule=rule)
    m.exposure_total = pyo.Expression(m.S, rule=lambda _m, s: pyo.quicksum(d.length[p] * m.exposure[s, p] for p in d.periods))
    budgets = [(s, p) for s in d.scenarios for p in d.periods if d.risk_limits.get(p, {}).get("exposure_budget") is not None]
    if d.elastic:  # diagnosis: exposure_{s,p} − exposure_slack_{s,p} ≤ B_p
        m.exposure_slack = pyo.Var(budgets, within=pyo.NonNegativeReals)
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] - m.exposure_slack[s, p] <= d.risk_limits[p]["exposure_budget"])
    else:
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] <= d.risk_limits[p]["exposure_budget"])


def add_high_risk_share(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 3, when Settings high_risk_threshold θ and high_risk_max_share σ are set:

        Σ_{k: ρ_{k,p} ≥ θ} Σ_{a∈k,c} flow_{s,a,c,p} ≤ σ · Σ_k Σ_{a∈k,c} flow_{s,a,c,p}

    per scenario and period (tonnes counted on every corridor they cross). Named `high_risk_share`.
    """
    theta, sigma = d.risk_settings.get("high_risk_threshold"), d.risk_settings.get("high_risk_max_share")
    if theta is None or sigma is None:
        return
    tonnes = _corridor_tonnes(m, d)

    def rule(_m, s, p):
        high = [x for k in d.corridor_arcs if d.corridor_risk.get((k, p), {}).get("risk_score", 0.0) >= theta for x in tonnes.get((s, k, p), [])]
        if not high:
            return pyo.Constraint.Skip
        total = [x for k in d.corridor_arcs for x in tonnes.get((s, k, p), [])]
        return pyo.quicksum(high) <= sigma * pyo.quicksum(total)

    m.high_risk_share = pyo.Constraint(m.S, m.P, rule=rule)


def add_diversification(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 4. With σ_port = Settings max_port_share, per scenario, commodity and period:

        sell_{s,n,c,p} ≤ σ_port · Σ_{n'} sell_{s,n',c,p}                     (`port_share`)

    and with σ_k = Settings max_corridor_share, for each corridor k with an arc into a port or
    market node (an export leg):

        Σ_{a∈k, head(a) exports} flow_{s,a,c,p} ≤ σ_k · Σ_{n'} sell_{s,n',c,p}   (`corridor_share`)
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
        export_nodes = {n for (n, _c, _p) in d.markets}
        legs: dict[tuple[str, str, str, str], list] = defaultdict(list)
        for s, a, c, p in m.FLOW:
            if d.arcs[a].head in export_nodes and (s, c, p) in sales:
                legs[(s, d.arcs[a].corridor, c, p)].append(m.flow[s, a, c, p])
        m.corridor_share = pyo.Constraint(
            list(legs),
            rule=lambda _m, s, k, c, p: pyo.quicksum(legs[(s, k, c, p)]) <= corridor_share * pyo.quicksum(sales[(s, c, p)]),
        )


def add_escorts(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 5, when Settings escorts = yes, for corridors k with a convoy size Q_{k,p}:

        Σ_{a∈k,c} flow_{s,a,c,p} ≤ Q_{k,p} · convoys_{s,k,p},  convoys ∈ ℤ≥0       (`escort_convoys`)
        Σ_k convoys_{s,k,p} ≤ C_p    (RiskLimits max_convoys_per_yr, when given)  (`escort_capacity`)

    Cost term `escorts` = Σ_k escort_cost_{k,p} · convoys_{s,k,p}.
    """
    if not d.risk_settings.get("escorts"):
        return
    tonnes = _corridor_tonnes(m, d)
    idx = [(s, k, p) for s in d.scenarios for (k, p), rec in d.corridor_risk.items() if rec["convoy_size"] and tonnes.get((s, k, p))]
    m.ESCORTED = pyo.Set(initialize=idx, dimen=3, ordered=True)
    m.convoys = pyo.Var(m.ESCORTED, within=pyo.NonNegativeIntegers)
    m.escort_convoys = pyo.Constraint(
        m.ESCORTED, rule=lambda _m, s, k, p: pyo.quicksum(tonnes[(s, k, p)]) <= d.corridor_risk[(k, p)]["convoy_size"] * m.convoys[s, k, p]
    )
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
