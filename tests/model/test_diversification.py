"""Diversification: port share and export-leg corridor share (model/risk/diversification.py),
hand-derived on the `routes` instance (tests/risk_instances.py)."""

from __future__ import annotations

from typing import Any

import pytest
from risk_instances import Records, npv, road, routes, run, tonnes

from supplyopt.results import Results

# --------------------------------------------------------------------------------------------
# Diversification: port share and export-leg corridor share
# --------------------------------------------------------------------------------------------


def _two_ports(settings: dict[str, Any] | None = None) -> Records:
    # SHORT → PA (10 USD/t), LONG → PB (20 USD/t); both buy CONC at 100 USD/t.
    recs = routes(settings)
    recs["Nodes"] = [{"node": "MINE", "kind": "mine"}, {"node": "PA", "kind": "port"}, {"node": "PB", "kind": "port"}]
    recs["Corridors"] = [road("SHORT", "MINE", "PA", 100), road("LONG", "MINE", "PB", 200)]
    recs["Ports"] = [{"port": "PA"}, {"port": "PB"}]
    recs["Markets"] = [{"node": n, "commodity": "CONC", "price_usd_per_t": 100} for n in ("PA", "PB")]
    return recs


def _sold(res: Results, node: str) -> float:
    s = res["Sales"]
    return float(s.loc[s["node"] == node, "t_per_yr"].sum())


def test_max_port_share_splits_exports_across_two_ports():
    # Off: all 1,000 t to PA (cheaper), NPV 80,000.
    # σ = 0.6: PA ≤ 0.6 × (PA + PB); PB still earns 90 − 20 = 70 USD/t > 0, so PA = 600, PB = 400.
    # NPV = 90,000 − 600 × 10 − 400 × 20 = 76,000.
    _, _, off = run(_two_ports())
    assert (_sold(off, "PA"), _sold(off, "PB")) == (pytest.approx(1000), pytest.approx(0))
    assert npv(off) == pytest.approx(80_000)
    _, _, on = run(_two_ports({"max_port_share": 0.6}))
    assert (_sold(on, "PA"), _sold(on, "PB")) == (pytest.approx(600), pytest.approx(400))
    assert npv(on) == pytest.approx(76_000)


def test_max_corridor_share_splits_the_export_legs():
    # Via hub, one port. Export legs (corridors ending at PORT): SHORT and LONG2; LONG1 ends at
    # the hub and is not one. σ = 0.7: SHORT ≤ 700, LONG2 ≤ 700 → SHORT 700, detour 300.
    # NPV = 90,000 − 700 × 10 − 300 × 20 = 77,000. Off: all SHORT, 80,000.
    _, _, off = run(routes(via_hub=True))
    assert tonnes(off, "SHORT") == pytest.approx(1000)
    m, _, on = run(routes({"max_corridor_share": 0.7}, via_hub=True))
    assert (tonnes(on, "SHORT"), tonnes(on, "LONG1"), tonnes(on, "LONG2")) == (pytest.approx(700), pytest.approx(300), pytest.approx(300))
    assert npv(on) == pytest.approx(77_000)
    assert {k[1] for k in m.corridor_share} == {"SHORT", "LONG2"}
