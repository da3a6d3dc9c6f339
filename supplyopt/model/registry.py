"""The constraint families, in build order: the one list build_model, the diagnosis, the shadow
prices and the results extraction walk. A new family is a module with a `FAMILY` (see
model/family.py) and one line here.

Order matters where a family uses another's variables (the balance needs every flow, the
objective every money term), and it fixes the column and row order handed to HiGHS.
"""

from __future__ import annotations

from supplyopt.model import (
    balance,
    circuits,
    corridors,
    feeds,
    fiscal,
    flows,
    market,
    objective,
    ports,
    processing,
    production,
    refinery,
    sea_legs,
    sets,
    smelter_terms,
    terminal_value,
    tightening,
    upgrades,
)
from supplyopt.model.family import Family, Limit, Table
from supplyopt.model.risk import diversification, escorts, expected_loss, exposure, high_risk_share, security_cost

FAMILIES: tuple[Family, ...] = (
    sets.FAMILY,
    production.FAMILY,
    processing.FAMILY,
    market.FAMILY,
    flows.FAMILY,
    upgrades.FAMILY,
    refinery.FAMILY,
    circuits.FAMILY,
    corridors.FAMILY,
    ports.FAMILY,
    smelter_terms.FAMILY,
    fiscal.FAMILY,
    sea_legs.FAMILY,
    feeds.FAMILY,
    balance.FAMILY,
    security_cost.FAMILY,
    expected_loss.FAMILY,
    exposure.FAMILY,
    high_risk_share.FAMILY,
    diversification.FAMILY,
    escorts.FAMILY,
    tightening.FAMILY,  # after every family whose variables its valid inequalities link
    terminal_value.FAMILY,  # after every money term but its own
    objective.FAMILY,  # last: it sums the money terms of all the others
)


def limits() -> list[Limit]:
    """Every registered limit, grouped by the input sheet a planner edits (sheets in alphabetical
    order, as diagnosis and shadow prices list them), in build order within a sheet."""
    return sorted((lim for f in FAMILIES for lim in f.limits), key=lambda lim: lim.sheet)


def tables() -> list[Table]:
    """Every registered result table, in results workbook order (Table.position)."""
    return sorted((t for f in FAMILIES for t in f.tables), key=lambda t: t.position)
