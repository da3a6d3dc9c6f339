"""The generator's knobs: `GenParams`, the named sizes S, M, L, XL, and `params_for`."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class GenParams:
    """Knobs of the generator; a named size is one set of them (override any by keyword)."""

    n_hubs: int
    mines_per_hub: float
    n_junctions: int
    n_ports: int
    n_sites: int
    n_markets: int
    n_systems: int  # mineral systems (each adds a concentrate and 1-3 products)
    n_periods: int
    n_pipelines: int = 0  # planned one-way slurry pipelines hub → port
    n_contracts: int = 2  # concentrate off-take contracts with a minimum
    knn: int = 2  # road links per node to its nearest neighbours (2: a sparse, tree-like network)
    p_capacitated: float = 0.5  # share of roads with a finite capacity
    n_road_upgrades: int = 4  # planned roads (capacity 0 + upgrade) and widenings, half each
    n_rail_upgrades: int = 2  # planned rail links and rail doublings, half each
    n_port_upgrades: int = 2  # berth expansions at the first ports
    p_closure: float = 0.01  # share of corridors closed (factor 0 or 0.5) in one period
    existing_site: bool = False  # one refinery site already has a module
    discount_rate: float = 0.08


SIZES: dict[str, GenParams] = {
    "S": GenParams(
        n_hubs=3,
        mines_per_hub=3,
        n_junctions=43,
        n_ports=3,
        n_sites=3,
        n_markets=2,
        n_systems=2,
        n_periods=4,
        n_road_upgrades=2,
        n_rail_upgrades=1,
        n_port_upgrades=1,
    ),
    "M": GenParams(
        n_hubs=8,
        mines_per_hub=5,
        n_junctions=270,
        n_ports=5,
        n_sites=5,
        n_markets=4,
        n_systems=3,
        n_periods=6,
        n_pipelines=1,
        n_contracts=4,
        existing_site=True,
    ),
    "L": GenParams(
        n_hubs=24,
        mines_per_hub=6,
        n_junctions=1600,
        n_ports=8,
        n_sites=8,
        n_markets=8,
        n_systems=5,
        n_periods=8,
        n_pipelines=2,
        n_contracts=8,
        n_road_upgrades=8,
        n_rail_upgrades=3,
        n_port_upgrades=3,
        existing_site=True,
    ),
    "XL": GenParams(
        n_hubs=40,
        mines_per_hub=7,
        n_junctions=4620,
        n_ports=10,
        n_sites=10,
        n_markets=12,
        n_systems=6,
        n_periods=10,
        n_pipelines=3,
        n_contracts=12,
        n_road_upgrades=12,
        n_rail_upgrades=4,
        n_port_upgrades=4,
        existing_site=True,
    ),
}


def params_for(size: str, **overrides: Any) -> GenParams:
    """The named size's parameters with keyword overrides (unknown names raise TypeError)."""
    key = size.upper()
    if key not in SIZES:
        raise ValueError(f"unknown size {size!r}: choose one of {', '.join(SIZES)}")
    known = {f.name for f in fields(GenParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown generator parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return replace(SIZES[key], **overrides)
