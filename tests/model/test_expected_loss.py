"""Expected loss (model/risk/expected_loss.py), hand-derived on the `routes` instance
(tests/risk_instances.py)."""

from __future__ import annotations

import pytest
from risk_instances import npv, road, routes, run, term_pv, tonnes

# --------------------------------------------------------------------------------------------
# Expected loss = incident probability × cargo value × tonnes
# --------------------------------------------------------------------------------------------


def test_expected_loss_shifts_flow_to_the_safe_route_above_break_even():
    # q = 0.02 per tonne, value 1,000 USD/t: expected loss 0.02 × 1,000 = 20 USD/t on SHORT,
    # more than the 10 USD/t extra of LONG (break-even q = 10 / 1,000 = 0.01).
    # On: all LONG, NPV = 1,000 × (90 − 20) = 70,000, no expected loss.
    # Off (Settings expected_loss = no): all SHORT, NPV = 80,000 (the loss is not counted).
    risk = {"incident_probability": 0.02}
    _, _, on = run(routes(short_risk=risk))
    _, _, off = run(routes({"expected_loss": "no"}, short_risk=risk))
    assert (tonnes(on, "SHORT"), tonnes(on, "LONG")) == (pytest.approx(0), pytest.approx(1000))
    assert npv(on) == pytest.approx(70_000)
    assert term_pv(on, "expected_loss") == pytest.approx(0)
    assert (tonnes(off, "SHORT"), tonnes(off, "LONG")) == (pytest.approx(1000), pytest.approx(0))
    assert npv(off) == pytest.approx(80_000)


def test_expected_loss_below_break_even_keeps_the_short_route_and_costs_it():
    # q = 0.005: 0.005 × 1,000 = 5 USD/t < 10 USD/t extra for LONG, so SHORT keeps all 1,000 t.
    # NPV = 1,000 × (90 − 10 − 5) = 75,000; expected-loss term = −1,000 × 5 = −5,000;
    # RiskExposure reports 5,000 USD/yr on SHORT.
    _, _, res = run(routes(short_risk={"incident_probability": 0.005}))
    assert tonnes(res, "SHORT") == pytest.approx(1000)
    assert npv(res) == pytest.approx(75_000)
    assert term_pv(res, "expected_loss") == pytest.approx(-5_000)
    exp = res["RiskExposure"].set_index("element")
    assert exp.loc["SHORT", "expected_loss_usd_per_yr"] == pytest.approx(5_000)


def test_node_risk_at_a_hub_counts_the_tonnes_passing_through():
    # Regression: NodeRisk on a hub (no sales, recipe or mine there) used to count nothing.
    # Only route MINE → H → PORT (10 + 10 USD/t); hub H: q = 0.01, score 5, security 3 USD/t.
    # 1,000 t pass H: security 3,000, expected loss 0.01 × 1,000 × 1,000 = 10,000, exposure 5,000.
    # NPV = 1,000 × (90 − 20) − 3,000 − 10,000 = 57,000.
    hub_risk = [{"node": "H", "incident_probability": 0.01, "risk_score": 5, "security_cost_usd_per_t": 3}]
    recs = routes(via_hub=True, NodeRisk=hub_risk)
    recs["Corridors"] = [c for c in recs["Corridors"] if c["corridor"] != "SHORT"]
    m, _, res = run(recs)
    assert npv(res) == pytest.approx(57_000)
    assert term_pv(res, "security") == pytest.approx(-3_000)
    assert term_pv(res, "expected_loss") == pytest.approx(-10_000)
    assert res.summary["risk_exposure_total"] == pytest.approx(5_000)
    # With a direct road at 300 km × 0.1 = 30 USD/t the hub route costs 20 + 3 + 10 = 33 USD/t:
    # all 1,000 t go direct, NPV = 1,000 × (90 − 30) = 60,000.
    recs["Corridors"].append(road("DIRECT", "MINE", "PORT", 300))
    _, _, res = run(recs)
    assert tonnes(res, "DIRECT") == pytest.approx(1000)
    assert npv(res) == pytest.approx(60_000)
