"""Security cost per tonne (model/risk/security_cost.py), hand-derived on the `routes` instance
(tests/risk_instances.py)."""

from __future__ import annotations

import pytest
from risk_instances import npv, routes, run, term_pv, tonnes

# --------------------------------------------------------------------------------------------
# Security cost per tonne (always on when CorridorRisk/NodeRisk give one)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("security", "short_t", "expected"), [(15, 0, 70_000), (5, 1000, 75_000)])
def test_security_cost_moves_flow_only_above_the_extra_transport_cost(security, short_t, expected):
    # LONG costs 20 − 10 = 10 USD/t more than SHORT.
    # security 15 > 10: everything goes LONG: 1,000 × (90 − 20)      = 70,000.
    # security  5 < 10: SHORT stays:         1,000 × (90 − 10 − 5)   = 75,000 (security term −5,000).
    _, _, res = run(routes(short_risk={"security_cost_usd_per_t": security}))
    assert tonnes(res, "SHORT") == pytest.approx(short_t)
    assert npv(res) == pytest.approx(expected)
    assert term_pv(res, "security") == pytest.approx(-security * short_t)
