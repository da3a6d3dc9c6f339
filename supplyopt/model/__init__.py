"""The supplyopt MILP: `build_model(inst)` builds every registered constraint family (model/registry.py)."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from supplyopt.inputs.instance import Instance
from supplyopt.model import registry
from supplyopt.model.data import ModelData, prepare


def build_model(inst: Instance | ModelData, formulation: str = "tight") -> pyo.ConcreteModel:
    """Pyomo model of the instance. `m.data` holds the ModelData it was built from and
    `m.money_terms` the named revenue/cost terms the objective and results use.
    `formulation="weak"` leaves out the valid inequalities of model/tightening.py (the same
    optimum, a weaker LP relaxation: for benchmarks/solver.py, and for re-solves of a fixed design,
    where the inequalities cut nothing and cost build time)."""
    if formulation not in ("tight", "weak"):
        raise ValueError(f"unknown formulation {formulation!r}: use 'tight' or 'weak'")
    # The build creates ~2 Python objects per column that all stay alive: the cyclic garbage
    # collector would rescan them again and again (half the build time at 500k columns).
    with PauseGC():
        d = inst if isinstance(inst, ModelData) else prepare(inst)
        m = pyo.ConcreteModel(name="supplyopt")
        m.data = d
        m.money_terms = {}
        m.formulation = formulation
        for family in registry.FAMILIES:
            family.build(m, d)
    return m


__all__ = ["build_model", "prepare", "ModelData"]
