"""The supplyopt MILP: `build_model(inst)` assembles one constraint family per module."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from supplyopt.inputs.instance import Instance
from supplyopt.model.capacity import add_corridor_capacity, add_port_capacity, add_refinery_capacity, add_upgrades
from supplyopt.model.data import ModelData, prepare
from supplyopt.model.flows import add_flows, add_mass_balance
from supplyopt.model.market import add_sales
from supplyopt.model.objective import add_objective
from supplyopt.model.processing import add_processing
from supplyopt.model.production import add_production
from supplyopt.model.risk import add_diversification, add_escorts, add_expected_loss, add_exposure, add_high_risk_share, add_security_costs
from supplyopt.model.sets import add_sets

# Order matters only where a family uses another's variables (balance needs all flows).
FAMILIES = (
    add_sets,
    add_production,
    add_processing,
    add_sales,
    add_flows,
    add_upgrades,
    add_refinery_capacity,
    add_corridor_capacity,
    add_port_capacity,
    add_mass_balance,
    add_security_costs,
    add_expected_loss,
    add_exposure,
    add_high_risk_share,
    add_diversification,
    add_escorts,
)


def build_model(inst: Instance | ModelData) -> pyo.ConcreteModel:
    """Pyomo model of the instance. `m.data` holds the ModelData it was built from and
    `m.money_terms` the named revenue/cost terms the objective and results use."""
    # The build creates ~2 Python objects per column that all stay alive: the cyclic garbage
    # collector would rescan them again and again (half the build time at 500k columns).
    with PauseGC():
        d = inst if isinstance(inst, ModelData) else prepare(inst)
        m = pyo.ConcreteModel(name="supplyopt")
        m.data = d
        m.money_terms = {}
        for family in FAMILIES:
            family(m, d)
        add_objective(m, d)
    return m


__all__ = ["build_model", "prepare", "ModelData"]
