"""Corridor and port upgrades (model/upgrades.py): small instances whose optimal plans are derived by hand (the
arithmetic in each docstring; the discounting conventions are in tests/test_model_hand.py)."""

from __future__ import annotations

from model_asserts import (
    assert_decision,
    assert_objective,
    assert_plan_valid,
    assert_term,
    solve_records,
)

import instances as I


def test_upgrade_built_in_later_period():
    """instances.capacity_growth("upgrade"): REF has 2 modules already (2,000 t/yr, 2,000 USD/yr
    opex); corridor M-R carries 1,000 t/yr unless U-MR (+1,000 t/yr, 15,000 USD, 500 USD/yr).

    P1: 1,000 t → 117,500 − 2,000 = 115,500 /yr (the upgrade would carry nothing extra).
    P2 with U-MR: 2,000 × 117.5 − 2,000 − 500 = 232,500 /yr (without: 115,500).
        gain: 117,000 × 210/121 − 15,000 × 10/11 ≈ 203,058 − 13,636 > 0 → build.
    Built for P1 instead would cost 15,000 − 13,636.36 + 500 = 1,863.64 more → P2.

    NPV = 115,500 + 232,500 × 210/121 − 15,000 × 10/11
        = (13,975,500 + 48,825,000 − 1,650,000)/121 = 61,150,500/121 ≈ 505,376.03
    """
    s = solve_records(I.capacity_growth("upgrade"))
    r = s.results
    assert_objective(r, 61_150_500 / 121)
    assert_decision(r, "Upgrades", "built", True, upgrade="U-MR")
    assert_decision(r, "Upgrades", "in_service_from", "P2", upgrade="U-MR")
    assert_decision(r, "CorridorUse", "t_per_yr", 1000, corridor="M-R", period="P1")
    assert_decision(r, "CorridorUse", "t_per_yr", 2000, corridor="M-R", period="P2")
    assert_decision(r, "CorridorUse", "capacity_t_per_yr", 2000, corridor="M-R", period="P2")
    assert_term(r, "upgrade_capex", 0, period="P1")
    assert_term(r, "upgrade_capex", -15_000 * 10 / 11, period="P2")
    assert_term(r, "upgrade_fixed_opex", -500 * 210 / 121)
    assert_plan_valid(r, s.instance)
