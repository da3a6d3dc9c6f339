"""Corridor and port upgrades: built at most once, and the capacity they add to their element.

`upgraded_capacity` is the one place an upgradable capacity is written (corridors and ports use
it for their rows, their limits and their result tables).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Table
from supplyopt.model.terms import add_term


def built(m: pyo.ConcreteModel, d: ModelData, u: str, p: str):
    """1 if upgrade u is in service in period p: Σ_{q ≤ p} build_{u,q}."""
    return pyo.quicksum(m.build[u, q] for q in d.periods_upto(p) if (u, q) in m.build)


@dataclass(frozen=True)
class Capacity:
    """cap_{s,e,p} = f_{s,e,p} · (base_e + Σ_{u upgrades e} added_u · built_{u,p}), t/yr."""

    factor: float
    base: float
    added: tuple[tuple[str, float], ...]  # (upgrade, added t/yr)
    period: str

    def expression(self, m, d: ModelData):
        """The capacity as an expression of the build decisions."""
        return self.factor * (self.base + pyo.quicksum([a * built(m, d, u, self.period) for u, a in self.added]))

    @property
    def fixed(self) -> float:
        """f · base: the bound of a row with the upgrade terms moved to the left."""
        return self.factor * self.base

    def build_terms(self, m, d: ModelData) -> Iterator[tuple[tuple[str, str], float]]:
        """((u, q), f · added_u) for every build_{u,q} with q ≤ p: the upgrade terms."""
        for u, a in self.added:
            for q in d.periods_upto(self.period):
                if (u, q) in m.build:
                    yield (u, q), self.factor * a


def upgraded_capacity(d: ModelData, etype: str, element: str, base: float, s: str, p: str) -> Capacity | None:
    """Capacity of a corridor or port in scenario s and period p, None when unlimited. An
    unlimited element closed by its factor (f = 0) has capacity 0 (upgrades cannot open it)."""
    f = d.factor(s, etype, element, p)
    if math.isinf(base):
        return Capacity(f, 0.0, (), p) if f == 0 else None
    return Capacity(f, base, tuple((u, d.upgrades[u]["added_capacity_t_per_yr"]) for u in d.upgrades_of(etype, element)), p)


def add_upgrades(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Upgrade u (corridor or port) is built at most once, for every u with a usable period:

        Σ_p build_{u,p} ≤ 1                                   (upgrade_once)
        Σ_p build_{u,p} = 1 or 0   for upgrades explain forces (forced_upgrade)

    build_{u,p} ∈ {0,1} exists from the upgrade's earliest period on. Fixed term
    `upgrade_fixed_opex` = Σ_u opex_u · built_{u,p}; capex term `upgrade_capex` =
    Σ_u capex_u · build_{u,p}, discounted from the start of the period it enters service.
    """
    m.BUILD_IDX = pyo.Set(initialize=[(u, p) for u in d.upgrades for p in d.upgrade_periods[u]], dimen=2, ordered=True)
    m.build = pyo.Var(m.BUILD_IDX, within=pyo.Binary)
    m.upgrade_once = pyo.Constraint(
        list(d.upgrades),
        rule=lambda _m, u: pyo.quicksum(m.build[u, p] for p in d.upgrade_periods[u]) <= 1 if d.upgrade_periods[u] else pyo.Constraint.Skip,
    )
    forced = [u for u in d.upgrades if ("upgrade", u) in d.forced_design]
    m.forced_upgrade = pyo.Constraint(
        forced, rule=lambda _m, u: pyo.quicksum(m.build[u, p] for p in d.upgrade_periods[u]) == (1 if d.forced_design[("upgrade", u)] else 0)
    )
    add_term(
        m,
        "upgrade_fixed_opex",
        "fixed",
        "Upgrade fixed opex",
        lambda p: pyo.quicksum([d.upgrades[u]["fixed_opex_usd_per_yr"] * built(m, d, u, p) for u in d.upgrades]),
    )
    add_term(
        m,
        "upgrade_capex",
        "capex",
        "Corridor and port upgrade capex",
        lambda p: pyo.quicksum([d.upgrades[u]["capex_usd"] * m.build[u, p] for u in d.upgrades if (u, p) in m.build]),
        lambda p: pyo.quicksum([d.capex_factor(p) * d.upgrades[u]["capex_usd"] * m.build[u, p] for u in d.upgrades if (u, p) in m.build]),
    )


def upgrade_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Upgrades: each upgrade, whether and from which period it is in service."""
    build = sol.vals(m.build)
    rows = []
    for u, rec in d.upgrades.items():
        built_in = next((p for p in d.periods if round(build.get((u, p), 0.0)) == 1), None)
        rows.append(
            {
                "upgrade": u,
                "element_type": rec["element_type"],
                "element": rec["element"],
                "built": built_in is not None,
                "in_service_from": built_in,
                "added_capacity_t_per_yr": rec["added_capacity_t_per_yr"],
                "capex_usd": rec["capex_usd"] if built_in else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["upgrade", "element_type", "element", "built", "in_service_from", "added_capacity_t_per_yr", "capex_usd"])


FAMILY = Family("upgrades", add_upgrades, rows=("upgrade_once", "forced_upgrade"), tables=(Table("Upgrades", upgrade_table, 11),))
