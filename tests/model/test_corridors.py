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


def test_one_bound_for_the_row_the_table_and_the_shadow_price():
    """capacity_growth("upgrade") with corridor M-R at half capacity in P2 (CapacityFactors 0.5):
    cap_{M-R,p} = f_p · (1,000 + 1,000 · built_{U-MR,p}).

    The row keeps the number on the right: in P2, Σ flow − 0.5 · 1,000 · (build_P1 + build_P2)
    ≤ 0.5 · 1,000 = 500; in P1, Σ flow − 1,000 · build_P1 ≤ 1,000.
    Plan: P1 1,000 t (the mine's max) → 117.5 × 1,000 − 2,000 = 115,500. In P2 without U-MR only
    500 t: 500 × 117.5 − 2,000 = 56,750/yr; with it 1,000 t: 117,500 − 2,000 − 500 = 115,000/yr;
    gain 58,250 × 210/121 ≈ 101,095 > 15,000 × 10/11 → build for P2 (P1 would only add cost).
    NPV = 115,500 + 115,000 × 210/121 − 15,000 × 10/11 = 36,475,500/121 ≈ 301,450.41.
    The capacity in P2 is then 0.5 · 2,000 = 1,000 t/yr, full: CorridorUse, the shadow price's
    limit and the limit's wording all say 1,000."""
    from pyomo.repn import generate_standard_repn

    from supplyopt.model.registry import limits
    from supplyopt.studies.diagnose import shadow_prices

    recs = I.capacity_growth("upgrade")
    recs["CapacityFactors"] = [{"element_type": "corridor", "element": "M-R", "period": "P2", "factor": 0.5}]
    s = solve_records(recs)
    m = s.model
    p2, p1 = m.corridor_capacity[("base", "M-R", "P2")], m.corridor_capacity[("base", "M-R", "P1")]
    assert (p2.upper, p1.upper) == (500, 1000)
    repn = generate_standard_repn(p2.body)
    coef = {v.name: c for v, c in zip(repn.linear_vars, repn.linear_coefs)}
    assert coef["build[U-MR,P1]"] == coef["build[U-MR,P2]"] == -500
    assert_objective(s.results, 36_475_500 / 121)
    assert_decision(s.results, "Upgrades", "in_service_from", "P2", upgrade="U-MR")
    assert_decision(s.results, "CorridorUse", "capacity_t_per_yr", 1000, corridor="M-R", period="P2")
    assert_decision(s.results, "CorridorUse", "t_per_yr", 1000, corridor="M-R", period="P2")
    prices = shadow_prices(m)
    row = prices[(prices["family"] == "corridor_capacity") & (prices["element"] == "base | M-R | P2")].iloc[0]
    assert (row["limit"], row["used"], row["sheet"], row["row"]) == (pytest.approx(1000), pytest.approx(1000), "Corridors", 2)
    (limit,) = [lim for lim in limits() if lim.name == "corridor_capacity"]
    assert limit.describe(m, m.data, ("base", "M-R", "P2")) == "corridor M-R capacity 1,000 t/yr in P2"
