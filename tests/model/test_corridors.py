"""Corridor capacity (model/corridors.py): both directions share it: small instances whose optimal plans are derived by hand (the
arithmetic in each docstring; the discounting conventions are in tests/test_model_hand.py)."""

from __future__ import annotations

import pytest
from model_asserts import (
    assert_decision,
    assert_objective,
    assert_plan_valid,
    solve_records,
)

import instances as I


@pytest.mark.parametrize(
    "bidirectional, npv, ga, gb",
    [
        # Both directions share 100 t/yr. A tonne of GB over H1-H2 earns 20 instead of 1 at M2
        # (+19), a tonne of GA earns 10 (+10): all capacity to GB.
        # NPV = 100 × 20 + 0 × 10 = 2,000. (Were capacity per direction: 2,000 + 1,000 = 3,000.)
        (True, 2000, 0, 100),
        # One-way H1 → H2: only GA can cross; GB sells at M2 for 1:
        # NPV = 100 × 10 + 100 × 1 = 1,100.
        (False, 1100, 100, 0),
    ],
    ids=["bidirectional", "one-way"],
)
def test_bidirectional_capacity_is_shared(bidirectional, npv, ga, gb):
    s = solve_records(I.shared_corridor(bidirectional))
    r = s.results
    assert_objective(r, npv)
    assert_decision(r, "Sales", "t_per_yr", ga, node="M2", commodity="GA", period="P1")
    assert_decision(r, "Sales", "t_per_yr", gb, node="M1", commodity="GB", period="P1")
    assert_decision(r, "Sales", "t_per_yr", 100 - gb, node="M2", commodity="GB", period="P1")
    assert_decision(r, "Flows", "t_per_yr", gb, corridor="H1-H2", from_node="H2", commodity="GB", period="P1")
    assert_decision(r, "CorridorUse", "t_per_yr", 100, corridor="H1-H2", period="P1")
    assert_plan_valid(r, s.instance)
