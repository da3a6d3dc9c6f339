"""Security risk 1: expected cargo loss (incident probability × cargo value × tonnes) as a cost."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.risk.carriers import accounting_column, any_rate, carriers_of, rated
from supplyopt.model.terms import add_term


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
    if not any_rate(d, "incident_probability"):
        add_term(m, "expected_loss", "operating", "Expected cargo loss", lambda s, p: 0)
        return
    carriers = carriers_of(m, d)
    column = accounting_column(m, d, "expected_loss_cost", carriers, rated(d, carriers, "incident_probability", by_value=True))
    add_term(m, "expected_loss", "operating", "Expected cargo loss", lambda s, p: column[s, p])


FAMILY = Family("expected_loss", add_expected_loss, rows=("expected_loss_cost_definition",))
