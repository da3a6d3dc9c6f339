"""The instance being generated: one `Draft` per call of `generate`, filled part by part
(network, then supply, then markets) with one random stream, so that the order of the parts
fixes the records for a seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from supplyopt.synthetic.geography import NodeBuilder, round_to
from supplyopt.synthetic.params import GenParams


@dataclass
class Draft:
    """Generator state shared by the parts; the record lists are the output tables."""

    prm: GenParams
    rng: np.random.Generator
    builder: NodeBuilder
    pnames: list[str]
    systems: list[dict[str, Any]]
    commodities: dict[str, dict[str, Any]]
    hub_codes: list[str] = field(default_factory=list)
    mines: list[tuple[str, list[int]]] = field(default_factory=list)  # (mine code, system indices)
    port_codes: list[str] = field(default_factory=list)
    site_codes: list[str] = field(default_factory=list)
    site_anchor: dict[str, str] = field(default_factory=dict)  # refinery site -> its port or town
    market_codes: list[str] = field(default_factory=list)
    xy: np.ndarray | None = None  # node positions on a locally flat plane (lon scaled by cos 27.5°)
    kinds: list[str] = field(default_factory=list)
    corridors: list[dict[str, Any]] = field(default_factory=list)
    upgrades: list[dict[str, Any]] = field(default_factory=list)
    factors: list[dict[str, Any]] = field(default_factory=list)
    cap_of: dict[str, float] = field(default_factory=dict)  # base capacity (inf = unlimited), for the contract witness
    closed: set[str] = field(default_factory=set)  # corridors closed or halved in some period

    def upgrade(self, element_type: str, element: str, capex: float, added: float, opex: float, earliest: int | None) -> None:
        """Add an Upgrades row for `element` (amounts rounded to planning precision)."""
        self.upgrades.append(
            {
                "upgrade": f"U-{element}",
                "element_type": element_type,
                "element": element,
                "capex_usd": round_to(capex, 1e5),
                "added_capacity_t_per_yr": round_to(added, 1e3),
                "fixed_opex_usd_per_yr": round_to(opex, 1e4),
                "earliest_period": self.pnames[earliest] if earliest is not None else None,
            }
        )

    def earliest(self) -> int | None:
        """A random earliest period index for an upgrade (None: from the first period)."""
        rng, pnames = self.rng, self.pnames
        return None if rng.random() < 0.4 else int(rng.integers(1, max(2, len(pnames) // 2 + 1)))
