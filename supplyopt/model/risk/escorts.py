"""Security risk 5: escorted convoys (integer) on corridors with a convoy size, within escort capacity."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Limit, Table, scenario_suffix
from supplyopt.model.flows import flow_positions
from supplyopt.model.risk.carriers import corridor_of
from supplyopt.model.terms import add_term


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
    flow_row = row_of[(s * NK + corridor_of(d)[k]) * P + p]
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


def convoy_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """Convoys: escorted convoys per corridor and period, their size and escort cost; no table without any."""
    rows = []
    if hasattr(m, "convoys"):
        for (s, k, p), v in sol.vals(m.convoys).items():
            n = round(v)
            rec = d.corridor_risk[(k, p)]
            rows.append(
                {
                    "scenario": s,
                    "corridor": k,
                    "period": p,
                    "convoys_per_yr": n,
                    "convoy_size_t": rec["convoy_size"],
                    "escort_cost_usd_per_yr": n * rec["escort_cost"],
                }
            )
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["scenario", "corridor", "period", "convoys_per_yr", "convoy_size_t", "escort_cost_usd_per_yr"])


FAMILY = Family(
    "escorts",
    add_escorts,
    limits=(
        Limit(
            "escort_capacity",
            "RiskLimits",
            lambda d, k: d.rows.get(("RiskLimits", k[1])),
            lambda m, d, k: f"escort capacity {d.risk_limits[k[1]]['max_convoys']:,.0f} convoys/yr in {k[1]}{scenario_suffix(d, k[0])}",
        ),
    ),
    rows=("escort_convoys",),
    tables=(Table("Convoys", convoy_table, 41),),
)
