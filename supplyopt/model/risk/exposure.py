"""Security risk 2: the risk exposure (risk score × tonnes) per scenario and period, always built
for reporting, and the exposure budget where RiskLimits gives one."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.corridors import corridor_totals
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.risk.carriers import accounting_column, any_rate, carriers_of, node_cargo, rated


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
    if any_rate(d, "risk_score") or budgets:  # a budget row needs a column even when exposure is 0
        carriers = carriers_of(m, d)
        level = accounting_column(m, d, "exposure_level", carriers, rated(d, carriers, "risk_score"))
        m.exposure = pyo.Expression(m.S, m.P, rule=lambda _m, s, p: level[s, p])
    else:
        m.exposure = pyo.Expression(m.S, m.P, rule=lambda _m, s, p: 0)
    m.exposure_total = pyo.Expression(m.S, rule=lambda _m, s: pyo.quicksum(d.length[p] * m.exposure[s, p] for p in d.periods))
    if d.elastic:  # diagnosis: exposure_{s,p} − exposure_slack_{s,p} ≤ B_p
        m.exposure_slack = pyo.Var(budgets, within=pyo.NonNegativeReals)
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] - m.exposure_slack[s, p] <= d.risk_limits[p]["exposure_budget"])
    else:
        m.exposure_budget = pyo.Constraint(budgets, rule=lambda _m, s, p: m.exposure[s, p] <= d.risk_limits[p]["exposure_budget"])


def risk_exposure_table(m, d: ModelData, sol) -> pd.DataFrame:
    """RiskExposure: exposure (risk score × t/yr) and expected loss per corridor or node, period, scenario."""
    rows = _corridor_risk_rows(m, d, sol) + _node_risk_rows(m, d, sol)
    cols = ["scenario", "element_type", "element", "period", "t_per_yr", "risk_score", "exposure", "incident_probability", "expected_loss_usd_per_yr"]
    return pd.DataFrame(rows, columns=cols)


def _corridor_risk_rows(m, d: ModelData, sol) -> list[dict]:
    """Rows of the CorridorRisk entries; no walk over the flows when there are none."""
    if not d.corridor_risk:
        return []
    tonnes = corridor_totals(m, d, sol)
    value: dict[tuple, float] = {}
    if d.risk_settings.get("expected_loss"):
        for (s, a, c, p), v in sol.vals(m.flow).items():
            key = (s, d.arcs[a].corridor, p)
            value[key] = value.get(key, 0.0) + v * d.cargo_value[c]
    rows = []
    for s in d.scenarios:
        for (k, p), rec in d.corridor_risk.items():
            t = tonnes.get((s, k, p), 0.0)
            rows.append(
                {
                    "scenario": s,
                    "element_type": "corridor",
                    "element": k,
                    "period": p,
                    "t_per_yr": clean(t),
                    "risk_score": rec["risk_score"],
                    "exposure": clean(rec["risk_score"] * t),
                    "incident_probability": rec["incident_probability"],
                    "expected_loss_usd_per_yr": clean(rec["incident_probability"] * value.get((s, k, p), 0.0)) if d.risk_settings.get("expected_loss") else 0.0,
                }
            )
    return rows


def _node_risk_rows(m, d: ModelData, sol) -> list[dict]:
    """Rows of the NodeRisk entries; node_cargo (a walk over every variable) only when there are some."""
    if not d.node_risk:
        return []
    handled = node_cargo(m, d)
    loss_on = bool(d.risk_settings.get("expected_loss"))
    rows = []
    for s in d.scenarios:
        for (n, p), rec in d.node_risk.items():
            cargo = [(c, sol.val(x)) for c, x in handled.get((s, n, p), [])]
            t = sum(v for _c, v in cargo)
            loss = rec["incident_probability"] * sum(d.cargo_value[c] * v for c, v in cargo) if loss_on else 0.0
            rows.append(
                {
                    "scenario": s,
                    "element_type": "node",
                    "element": n,
                    "period": p,
                    "t_per_yr": clean(t),
                    "risk_score": rec["risk_score"],
                    "exposure": clean(rec["risk_score"] * t),
                    "incident_probability": rec["incident_probability"],
                    "expected_loss_usd_per_yr": clean(loss),
                }
            )
    return rows


FAMILY = Family(
    "exposure",
    add_exposure,
    limits=(
        Limit(
            "exposure_budget",
            "RiskLimits",
            lambda d, k: d.rows.get(("RiskLimits", k[1])),
            lambda m, d, k: f"exposure budget {d.risk_limits[k[1]]['exposure_budget']:,.0f} in {k[1]}{scenario_suffix(d, k[0])}",
        ),
    ),
    rows=("exposure_level_definition",),
    tables=(Table("RiskExposure", risk_exposure_table, 40),),
)
