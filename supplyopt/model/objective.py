"""Objective: NPV (maximise) or discounted cost (minimise), from the registered money terms,
optionally mixed with the CVaR of scenario NPV (two-stage disruptions)."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import BASE_SCENARIO, ModelData
from supplyopt.model.family import Family, Table, clean

TIE_BREAK = 1e-6


def scenario_npv_rule(m: pyo.ConcreteModel, d: ModelData, s: str):
    """NPV_s = Σ_{operating, revenue terms} sign · Σ_p DF_p · nominal_{s,p} + Σ_{design terms} sign · Σ_p PV_p."""
    parts = []
    for t in m.money_terms.values():
        if t.per_scenario:
            parts += [t.sign * d.flow_factor[p] * t.nominal[s, p] for p in d.periods]
        else:
            parts += [t.sign * t.present_value[p] for p in d.periods]
    return pyo.quicksum(parts)


def add_objective(m: pyo.ConcreteModel, d: ModelData) -> None:
    """objective = npv:  max E[NPV] = Σ_s π_s NPV_s, with
        NPV_s = Σ_p DF_p (revenue − operating costs)_{s,p} − Σ_p DF_p fixed_p − Σ_p PV(capex_p),
        DF_p = Σ_{y in p} (1 + r)^-(y − base_year);
      with cvar_weight λ > 0 (stochastic.add_cvar): max (1 − λ) E[NPV] + λ CVaR_α(NPV).
    objective = cost: min Σ of the same cost terms' present values (revenue reported, not optimised).
    Named `npv` (expected NPV), `scenario_npv[s]` and `obj`."""
    from supplyopt.model.stochastic import add_cvar

    m.scenario_npv = pyo.Expression(m.S, rule=lambda _m, s: scenario_npv_rule(m, d, s))
    m.npv = pyo.Expression(expr=pyo.quicksum(t.sign * pyo.quicksum(t.present_value.values()) for t in m.money_terms.values()))
    if d.objective == "cost":
        cost = pyo.quicksum(pyo.quicksum(t.present_value.values()) for t in m.money_terms.values() if t.sign < 0)
        m.total_cost = pyo.Expression(expr=cost)
        m.obj = pyo.Objective(expr=m.total_cost, sense=pyo.minimize)
        return
    weight = float(d.risk_settings.get("cvar_weight") or 0.0)
    if weight > 0:
        add_cvar(m, d)
        # At λ = 1 a tiny weight (10⁻⁶) on E[NPV] keeps the non-tail scenarios optimal (else any plan
        # above the tail's value would do and their flows would be arbitrary).
        tie = TIE_BREAK if weight >= 1 else 0.0
        m.obj = pyo.Objective(expr=(1 - weight + tie) * m.npv + weight * m.cvar, sense=pyo.maximize)
    else:
        m.obj = pyo.Objective(expr=m.npv, sense=pyo.maximize)


def cost_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Costs: every money term per period, nominal (probability-weighted over scenarios) and
    present value (signed: revenue +, costs −)."""
    rows = []
    for t in m.money_terms.values():
        for p in d.periods:
            if t.per_scenario:
                nominal = sum(d.probability[s] * sol.val(t.nominal[s, p]) for s in d.scenarios)
                pv = sum(sol.val(t.present_value[s, p]) for s in d.scenarios)
            else:
                nominal, pv = sol.val(t.nominal[p]), sol.val(t.present_value[p])
            unit = "USD" if t.kind == "capex" else "USD/yr"
            rows.append(
                {
                    "term": t.name,
                    "label": t.label,
                    "kind": t.kind,
                    "period": p,
                    "nominal": clean(nominal),
                    "unit": unit,
                    "present_value_usd": clean(t.sign * pv),
                }
            )
    return pd.DataFrame(rows, columns=["term", "label", "kind", "period", "nominal", "unit", "present_value_usd"])


def scenario_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """ScenarioOutcomes, per disruption scenario: probability, NPV of the shared design, revenue,
    unmet contracts, exposure; no table in a deterministic run."""
    if d.scenarios == [BASE_SCENARIO]:
        return None
    rows = []
    short = sol.vals(m.shortfall) if hasattr(m, "shortfall") else {}
    for s in d.scenarios:
        revenue = sum(d.flow_factor[p] * sol.val(m.term_revenue[s, p]) for p in d.periods)
        unmet = sum(v for (ss, _n, _c, _p), v in short.items() if ss == s)
        rows.append(
            {
                "scenario": s,
                "probability": d.probability[s],
                "npv_usd": sol.val(m.scenario_npv[s]),
                "revenue_pv_usd": revenue,
                "unmet_contracts_t_per_yr_total": clean(unmet),
                "exposure_total": clean(sol.val(m.exposure_total[s])),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "probability", "npv_usd", "revenue_pv_usd", "unmet_contracts_t_per_yr_total", "exposure_total"])


FAMILY = Family("objective", add_objective, rows=("cvar_shortfall",), tables=(Table("Costs", cost_table, 0), Table("ScenarioOutcomes", scenario_table, 50)))
