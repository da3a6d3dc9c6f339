"""Index sets shared by the constraint families, all sparse (only combinations that exist)."""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family


def add_sets(m: pyo.ConcreteModel, d: ModelData) -> None:
    """P periods, S scenarios, AC usable (arc, commodity) pairs, SUPPLY (mine, commodity, period),
    MARKET (node, commodity, period), SITE_RECIPE (site, recipe) pairs."""
    m.P = pyo.Set(initialize=d.periods, ordered=True)
    m.S = pyo.Set(initialize=d.scenarios, ordered=True)
    m.AC = pyo.Set(initialize=d.arc_commodities, dimen=2, ordered=True)
    m.SUPPLY = pyo.Set(initialize=list(d.supply), dimen=3, ordered=True)
    m.MARKET = pyo.Set(initialize=list(d.markets), dimen=3, ordered=True)
    m.SITE_RECIPE = pyo.Set(initialize=d.site_recipes, dimen=2, ordered=True)


FAMILY = Family("sets", add_sets)
