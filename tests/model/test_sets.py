"""Index sets (model/sets.py): sparse, only the combinations that exist (usable pairs: the arc's
tail reachable from a source of the commodity, its head reaching a sink)."""

from __future__ import annotations

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model


def test_tiny_sets():
    """instances.tiny(): corridors A (MINE-REF) and B (REF-PORT) are bidirectional (arcs A, A~r,
    B, B~r). CONC comes from MINE and CU from REF (SMELT's output); both are sold at PORT, and
    every node reaches every other, so each arc can carry each commodity: 8 pairs, commodity by
    commodity. One period, the base scenario; one supply row, two markets, one (site, recipe)."""
    m = build_model(instance_from_records(I.tiny()))
    assert list(m.P) == ["P1"] and list(m.S) == ["base"]
    arcs = ["A", "A~r", "B", "B~r"]
    assert list(m.AC) == [(a, "CONC") for a in arcs] + [(a, "CU") for a in arcs]
    assert list(m.SUPPLY) == [("MINE", "CONC", "P1")]
    assert list(m.MARKET) == [("PORT", "CONC", "P1"), ("PORT", "CU", "P1")]
    assert list(m.SITE_RECIPE) == [("REF", "SMELT")]
