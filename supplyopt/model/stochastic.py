"""Two-stage disruption scenarios: design shared, operations per scenario (the scenario index
of every operational variable, see data.apply_disruptions), and the CVaR of scenario NPV."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.schema import SETTINGS_BY_NAME


def npv_unit(m: pyo.ConcreteModel, d: ModelData) -> float:
    """The power of ten nearest the geometric mean of the smallest and largest |coefficient| of a
    scenario's NPV: dividing by it keeps the CVaR rows' coefficients inside HiGHS's range (it
    drops matrix entries below 1e-9) and their values far from 1e10 (tolerance failures)."""
    from pyomo.repn import generate_standard_repn

    repn = generate_standard_repn(m.scenario_npv[d.scenarios[0]].expr, compute_values=True)
    coefs = [abs(c) for c in repn.linear_coefs if c]
    if not coefs:
        return 1.0
    middle = math.sqrt(min(coefs) * max(coefs))
    return 10.0 ** round(math.log10(middle))


def add_cvar(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Conditional value at risk of NPV at level α (Rockafellar–Uryasev), for maximisation:

        CVaR_α = U · (η − 1/(1 − α) · Σ_s π_s · u_s),   u_s ≥ η − NPV_s / U,   u_s ≥ 0,   η free

    η and u are in units of U USD (npv_unit: a power of ten in the middle of the NPV's
    coefficient range) so the rows stay well scaled.
    At the optimum U·η is the (1 − α)-quantile of NPV (its value at risk: NPV falls below it with
    probability at most 1 − α) and CVaR the mean NPV of the worst 1 − α probability mass; α = 0
    gives CVaR = E[NPV]. Named `cvar_eta`, `cvar_excess[s]`, `cvar_shortfall[s]`, `cvar` (USD).
    """
    a = d.risk_settings.get("cvar_alpha")  # None only in ModelData made without the Settings sheet
    alpha = float(SETTINGS_BY_NAME["cvar_alpha"].default if a is None else a)  # not `or`: α = 0 is a valid level
    unit = npv_unit(m, d)
    m.cvar_eta = pyo.Var(within=pyo.Reals)
    m.cvar_excess = pyo.Var(m.S, within=pyo.NonNegativeReals)
    m.cvar_shortfall = pyo.Constraint(m.S, rule=lambda _m, s: m.cvar_excess[s] >= m.cvar_eta - (1.0 / unit) * m.scenario_npv[s])
    m.cvar = pyo.Expression(expr=unit * (m.cvar_eta - (1.0 / (1.0 - alpha)) * pyo.quicksum(d.probability[s] * m.cvar_excess[s] for s in d.scenarios)))
