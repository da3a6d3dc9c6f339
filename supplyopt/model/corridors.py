"""Corridor capacity: both directions of a corridor share its capacity, raised by upgrades."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Limit, Table, capacity_use_rows, scenario_suffix
from supplyopt.model.flows import flow_positions
from supplyopt.model.upgrades import Capacity, upgraded_capacity


def corridor_capacity(d: ModelData, s: str, k: str, p: str) -> Capacity | None:
    """f_{s,k,p} · (cap_k + Σ_{u upgrades k} added_u · built_{u,p}), None when unlimited."""
    return upgraded_capacity(d, "corridor", k, d.corridor_capacity[k], s, p)


def capacity(m, d: ModelData, key: tuple[str, str, str]):
    """The capacity of corridor k (key (s, k, p)) as an expression of the build decisions."""
    cap = corridor_capacity(d, *key)
    return None if cap is None else cap.expression(m, d)


def users(m, d: ModelData, key: tuple[str, str, str]) -> list:
    """flow_{s,a,c,p} on both arcs of corridor k, every commodity: what the capacity bounds."""
    s, k, p = key
    return [m.flow[s, a, c, p] for a in d.corridor_arcs[k] for c in d.commodities if (s, a, c, p) in m.flow]


def add_corridor_capacity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Corridor k (both directions together), per scenario s and period p:

        Σ_{a ∈ arcs(k), c} flow_{s,a,c,p} − f_{s,k,p} · Σ_{u upgrades k} added_u · Σ_{q ≤ p} build_{u,q} ≤ f_{s,k,p} · cap_k

    (corridor_capacity's bound with the upgrade terms moved left so the bound is a number).
    Named `corridor_capacity`, keys (s, k, p); only rows with a flow, and none where capacity is
    unlimited and the corridor open (unlimited and closed, f = 0: Σ flow ≤ 0). Flows are most of
    the model, so the rows are assembled from index arrays (see model/arrays.py).
    """
    P = len(d.periods)
    corridors = list(d.corridor_capacity)
    pos = {k: i for i, k in enumerate(corridors)}
    # every (s, k, p) as a position; a flow's row is its corridor's in its scenario and period
    keys = [(s, k, p) for s in d.scenarios for k in corridors for p in d.periods]
    caps = [corridor_capacity(d, *key) for key in keys]
    upper = [None if cap is None else cap.fixed for cap in caps]
    corridor_of = np.array([pos[d.arcs[a].corridor] for a, _c in d.arc_commodities], dtype=np.int64)
    j, s_ix, k_ix, p_ix = flow_positions(d)
    flow_row = (s_ix * len(corridors) + corridor_of[k_ix]) * P + p_ix
    limited = np.array([u is not None for u in upper])
    keep = limited[flow_row]
    columns = columns_of(m.flow)
    rows, cols, coefs = [flow_row[keep]], [j[keep]], [np.ones(int(keep.sum()))]
    extra_rows, extra_cols, extra_coefs = [], [], []
    build_col = {}
    for r in sorted(set(np.unique(flow_row[keep]).tolist())):
        for uq, coef in caps[r].build_terms(m, d):
            if uq not in build_col:
                build_col[uq] = len(columns)
                columns.append(m.build[uq])
            extra_rows.append(r)
            extra_cols.append(build_col[uq])
            extra_coefs.append(-coef)
    rows.append(np.asarray(extra_rows, dtype=np.int64))
    cols.append(np.asarray(extra_cols, dtype=np.int64))
    coefs.append(np.asarray(extra_coefs, dtype=float))
    m.corridor_capacity = matrix_rows(keys, columns, np.concatenate(rows), np.concatenate(cols), np.concatenate(coefs), None, upper)


def corridor_totals(m, d: ModelData, sol) -> dict[tuple, float]:
    """(scenario, corridor, period) → Σ flows (both directions, all commodities); computed once
    per extract (the corridor use and risk tables both need it), in flow order."""
    if "corridor_totals" not in sol.cache:
        corridor = {a: arc.corridor for a, arc in d.arcs.items()}
        totals: dict[tuple, float] = {}
        for (s, a, _c, p), v in sol.vals(m.flow).items():
            key = (s, corridor[a], p)
            totals[key] = totals.get(key, 0.0) + v
        sol.cache["corridor_totals"] = totals
    return sol.cache["corridor_totals"]


def corridor_use_table(m, d: ModelData, sol) -> pd.DataFrame:
    """CorridorUse: tonnes on each corridor against its capacity, per scenario and period."""
    keys = [(s, k, p) for s in d.scenarios for k in d.corridor_capacity for p in d.periods]
    return pd.DataFrame(
        capacity_use_rows(sol, "corridor", keys, lambda key: capacity(m, d, key), corridor_totals(m, d, sol)),
        columns=["scenario", "corridor", "period", "t_per_yr", "capacity_t_per_yr", "utilisation"],
    )


def corridor_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Corridors: the network's corridors with their highest risk score over the periods."""
    rows = []
    for k, info in d.corridor_info.items():
        risk = max((d.corridor_risk.get((k, p), {}).get("risk_score", 0.0) for p in d.periods), default=0.0)
        cap = d.corridor_capacity[k]
        rows.append({"corridor": k, **info, "capacity_t_per_yr": None if math.isinf(cap) else cap, "max_risk_score": risk})
    return pd.DataFrame(rows, columns=["corridor", "name", "from_node", "to_node", "mode", "distance_km", "capacity_t_per_yr", "max_risk_score"])


FAMILY = Family(
    "corridors",
    add_corridor_capacity,
    limits=(
        Limit(
            "corridor_capacity",
            "Corridors",
            lambda d, k: d.corridor_row.get(k[1]),
            lambda m, d, k: f"corridor {k[1]} capacity {pyo.value(capacity(m, d, k)):,.0f} t/yr in {k[2]}{scenario_suffix(d, k[0])}",
            capacity,
            users,
        ),
    ),
    tables=(Table("CorridorUse", corridor_use_table, 30), Table("Corridors", corridor_table, 61)),
)
