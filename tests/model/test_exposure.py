"""Exposure and the exposure budget (model/risk/exposure.py), and the RiskExposure table,
hand-derived on the `routes` instance (tests/risk_instances.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from risk_instances import npv, routes, run, term_pv, tonnes

# --------------------------------------------------------------------------------------------
# Exposure budget: Σ risk score × tonnes ≤ B per period
# --------------------------------------------------------------------------------------------


def test_exposure_budget_diverts_exactly_the_tonnes_above_budget_over_risk_score():
    # SHORT risk score 5, LONG 0. Unconstrained: 1,000 t on SHORT, exposure 5,000, NPV 80,000.
    # Budget B = 2,000: SHORT ≤ 2,000 / 5 = 400 t, i.e. (5,000 − 2,000) / 5 = 600 t diverted.
    # NPV = 1,000 × 90 − 400 × 10 − 600 × 20 = 90,000 − 4,000 − 12,000 = 74,000.
    _, _, off = run(routes(short_risk={"risk_score": 5}))
    assert tonnes(off, "SHORT") == pytest.approx(1000)
    assert off.summary["risk_exposure_total"] == pytest.approx(5_000)
    assert npv(off) == pytest.approx(80_000)
    _, _, on = run(routes(short_risk={"risk_score": 5}, RiskLimits=[{"exposure_budget": 2000}]))
    assert (tonnes(on, "SHORT"), tonnes(on, "LONG")) == (pytest.approx(400), pytest.approx(600))
    assert on.summary["risk_exposure_total"] == pytest.approx(2_000)
    assert npv(on) == pytest.approx(74_000)


def test_exposure_budget_with_a_risky_detour_diverts_by_the_score_difference():
    # LONG has score 1 too: 5x + 1 × (1,000 − x) ≤ 2,000 → x ≤ 1,000 / 4 = 250 t on SHORT,
    # (5,000 − 2,000) / (5 − 1) = 750 t diverted. NPV = 90,000 − 2,500 − 15,000 = 72,500.
    risk = [{"corridor": "SHORT", "risk_score": 5}, {"corridor": "LONG", "risk_score": 1}]
    _, _, res = run(routes(CorridorRisk=risk, RiskLimits=[{"exposure_budget": 2000}]))
    assert (tonnes(res, "SHORT"), tonnes(res, "LONG")) == (pytest.approx(250), pytest.approx(750))
    assert npv(res) == pytest.approx(72_500)


def test_risk_tables_are_consistent_with_the_costs():
    # Exposure budget + escorts + expected loss together (the smoke instance): the Costs table,
    # RiskExposure and Convoys agree. SHORT: score 5, budget 2,500 → 500 t; q = 0.001 × 1,000 = 1,
    # security 1, 2 convoys of 300 t (ceil(500 / 300)) × 50. LONG (via hub) takes 500 t at 20.
    # NPV = 90,000 − 500 × (10 + 1 + 1) − 100 − 500 × 20 = 73,900.
    risk = {"incident_probability": 0.001, "risk_score": 5, "security_cost_usd_per_t": 1, "convoy_size_t": 300, "escort_cost_usd_per_convoy": 50}
    _, _, res = run(routes({"escorts": "yes"}, via_hub=True, short_risk=risk, RiskLimits=[{"exposure_budget": 2500}]))
    assert npv(res) == pytest.approx(73_900)
    exp = res["RiskExposure"].set_index("element")
    assert exp.loc["SHORT", "exposure"] == pytest.approx(2_500)
    assert exp.loc["SHORT", "expected_loss_usd_per_yr"] == pytest.approx(-term_pv(res, "expected_loss"))
    assert res.summary["security_cost_pv_usd"] == pytest.approx(-(500 + 100))
    assert isinstance(res["Convoys"], pd.DataFrame) and int(res["Convoys"]["convoys_per_yr"].sum()) == 2
