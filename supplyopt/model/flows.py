"""Flows on corridors (the transport cost); the flow layout every array-built family uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import EPS, Family, Table
from supplyopt.model.terms import add_term


def add_flows(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Flow of commodity c on arc a in period p, scenario s (t/yr): flow_{s,a,c,p} ≥ 0, only for
    usable (a, c) pairs (d.arc_commodities). Cost term `transport` = transport_cost_{s,p}, with

        transport_cost_{s,p} − Σ_{a,c} unit_cost_a · flow_{s,a,c,p} = 0        (transport_cost_definition)

    and unit_cost_a = distance · cost per t·km + handling per t of the corridor (or its mode).

    Flows are 97-99 % of the columns: m.flow's order is scenario, (arc, commodity), period, so
    flow j sits at j = (s · K + k) · P + p (see flow_positions). The transport
    sum has a term per flow; as an accounting column defined by one array-built row it costs
    nothing to build, compile or evaluate (HiGHS's presolve substitutes it out)."""
    idx = [(s, a, c, p) for s in d.scenarios for (a, c) in d.arc_commodities for p in d.periods]
    m.FLOW = pyo.Set(initialize=idx, dimen=4, ordered=True)
    m.flow = pyo.Var(m.FLOW, within=pyo.NonNegativeReals)
    sp = [(s, p) for s in d.scenarios for p in d.periods]
    m.transport_cost = pyo.Var(sp, within=pyo.NonNegativeReals)  # unit costs are ≥ 0 (schema)
    S, K, P = len(d.scenarios), len(d.arc_commodities), len(d.periods)
    unit_cost = np.array([d.arc_unit_cost[a] for a, _c in d.arc_commodities], dtype=float)
    j, s, k, p = flow_positions(d)
    accounting = np.arange(S * P, dtype=np.int64)  # transport_cost_{s,p} is column S·K·P + s·P + p
    m.transport_cost_definition = matrix_rows(
        sp,
        columns_of(m.flow) + list(m.transport_cost.values()),
        np.concatenate([s * P + p, accounting]),
        np.concatenate([j, S * K * P + accounting]),
        np.concatenate([-unit_cost[k], np.ones(S * P)]),
        0.0,
        0.0,
    )
    add_term(m, "transport", "operating", "Transport", lambda s, p: m.transport_cost[s, p])


def flow_positions(d: ModelData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(j, s, k, p) for every flow: its column position j in m.flow and its scenario s,
    (arc, commodity) pair k (position in d.arc_commodities) and period p, j = (s · K + k) · P + p."""
    S, K, P = len(d.scenarios), len(d.arc_commodities), len(d.periods)
    j = np.arange(S * K * P, dtype=np.int64)
    rest, p = np.divmod(j, P)
    s, k = np.divmod(rest, K)
    return j, s, k, p


def flow_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Flows: every flow above EPS t/yr with its corridor, direction and transport cost."""
    rows = []
    for (s, a, c, p), v in sol.vals(m.flow).items():
        if v <= EPS:
            continue
        arc = d.arcs[a]
        rows.append(
            {
                "scenario": s,
                "corridor": arc.corridor,
                "from_node": arc.tail,
                "to_node": arc.head,
                "commodity": c,
                "period": p,
                "t_per_yr": v,
                "cost_usd_per_yr": v * d.arc_unit_cost[a],
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "corridor", "from_node", "to_node", "commodity", "period", "t_per_yr", "cost_usd_per_yr"])


def node_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Nodes: the network's nodes (for maps and for reading the plan without the input)."""
    rows = [{"node": n, **info} for n, info in d.node_info.items()]
    return pd.DataFrame(rows, columns=["node", "name", "kind", "lat", "lon"])


FAMILY = Family("flows", add_flows, rows=("transport_cost_definition",), tables=(Table("Flows", flow_table, 20), Table("Nodes", node_table, 60)))
