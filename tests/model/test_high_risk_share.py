"""High-risk share (model/risk/high_risk_share.py), hand-derived on the `routes` instance
(tests/risk_instances.py)."""

from __future__ import annotations

import pytest
from risk_instances import npv, routes, run, tonnes

# --------------------------------------------------------------------------------------------
# High-risk share: tonnes on corridors with score ≥ θ ≤ σ × all tonnes moved
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("theta", "short_t", "expected"),
    [
        (5, 200, 72_000),  # score 5 ≥ θ = 5: SHORT ≤ 0.2 × 1,000 = 200; 90,000 − 2,000 − 16,000
        (6, 1000, 80_000),  # score 5 < θ = 6: SHORT is not high-risk, no cap
        (None, 1000, 80_000),  # switched off
    ],
)
def test_high_risk_share_caps_tonnes_on_corridors_at_or_above_the_threshold(theta, short_t, expected):
    settings = {"high_risk_max_share": 0.2} | ({"high_risk_threshold": theta} if theta is not None else {})
    _, _, res = run(routes(settings, short_risk={"risk_score": 5}))
    assert tonnes(res, "SHORT") == pytest.approx(short_t)
    assert tonnes(res, "LONG") == pytest.approx(1000 - short_t)
    assert npv(res) == pytest.approx(expected)


def test_high_risk_share_counts_tonnes_on_every_corridor_they_cross():
    # Via hub: x t on SHORT (score 5 ≥ θ = 4), y = 1,000 − x on LONG1 (score 3 < θ) and LONG2.
    # Tonnes moved = x + 2y (the detour crosses two corridors): x ≤ 0.2 (x + 2 (1,000 − x))
    # → 1.2 x ≤ 400 → x = 333.33 t. NPV = 90,000 − 10 x − 20 (1,000 − x) = 73,333.33.
    risk = [{"corridor": "SHORT", "risk_score": 5}, {"corridor": "LONG1", "risk_score": 3}]
    settings = {"high_risk_threshold": 4, "high_risk_max_share": 0.2}
    _, _, res = run(routes(settings, via_hub=True, CorridorRisk=risk))
    assert tonnes(res, "SHORT") == pytest.approx(1000 / 3)
    assert tonnes(res, "LONG1") == pytest.approx(2000 / 3)
    assert npv(res) == pytest.approx(90_000 - 10_000 / 3 - 20 * 2000 / 3)
