"""Security risk 3: high-risk corridors carry at most a share of all tonnes moved."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, settings_limit
from supplyopt.model.flows import flow_positions
from supplyopt.model.risk.carriers import corridor_of, rate_table


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
    high = rate_table(d, "risk_score")[corridor_of(d)[k], p] >= theta
    row = s * len(d.periods) + p
    keep = np.isin(row, row[high])  # rows with a high-risk flow
    sp = [(sc, pr) for sc in d.scenarios for pr in d.periods]
    coef = np.where(high, 1.0 - sigma, -sigma)
    m.high_risk_share = matrix_rows(sp, columns_of(m.flow), row[keep], j[keep], coef[keep], None, 0.0)


FAMILY = Family("high_risk_share", add_high_risk_share, limits=(settings_limit("high_risk_share", "high_risk_max_share"),))
