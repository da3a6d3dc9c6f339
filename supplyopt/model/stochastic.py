"""Two-stage disruption scenarios: design shared, operations per scenario (the scenario index
of every operational variable, see data.apply_disruptions), and the CVaR of scenario NPV."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData


def add_cvar(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Conditional value at risk of NPV at level α (Rockafellar–Uryasev), for maximisation:

        CVaR_α = η − 1/(1 − α) · Σ_s π_s · u_s,   u_s ≥ η − NPV_s,   u_s ≥ 0,   η free

    At the optimum η is the (1 − α)-quantile of NPV (its value at risk: NPV falls below η with
    probability at most 1 − α) and CVaR the mean NPV of the worst 1 − α probability mass; α = 0
    gives CVaR = E[NPV]. Named `cvar_eta`, `cvar_excess[s]`, `cvar_shortfall[s]`, `cvar`.
    """
    a = d.risk_settings.get("cvar_alpha")
    alpha = 0.9 if a is None else float(a)  # not `or 0.9`: α = 0 is a valid level
    m.cvar_eta = pyo.Var(within=pyo.Reals)
    m.cvar_excess = pyo.Var(m.S, within=pyo.NonNegativeReals)
    m.cvar_shortfall = pyo.Constraint(m.S, rule=lambda _m, s: m.cvar_excess[s] >= m.cvar_eta - m.scenario_npv[s])
    m.cvar = pyo.Expression(expr=m.cvar_eta - (1.0 / (1.0 - alpha)) * pyo.quicksum(d.probability[s] * m.cvar_excess[s] for s in d.scenarios))
