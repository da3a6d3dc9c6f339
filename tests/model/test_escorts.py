"""Escorted convoys (model/risk/escorts.py), hand-derived on the `routes` instance
(tests/risk_instances.py)."""

from __future__ import annotations

import pytest
from risk_instances import Records, npv, routes, run, term_pv, tonnes

# --------------------------------------------------------------------------------------------
# Escorted convoys: integer convoys, escort cost, escort capacity
# --------------------------------------------------------------------------------------------


def _escorted(escort_cost: float = 50, limits: list | None = None, on: bool = True) -> Records:
    risk = {"convoy_size_t": 300, "escort_cost_usd_per_convoy": escort_cost}
    extra = {"RiskLimits": limits} if limits else {}
    return routes({"escorts": "yes" if on else "no"}, short_risk=risk, **extra)


def test_escorts_need_ceil_tonnes_over_convoy_size_convoys():
    # 1,000 t on SHORT in convoys of 300 t: ceil(1,000 / 300) = 4 convoys × 50 USD = 200 USD/yr.
    # (Dropping the 4th convoy would move 100 t to LONG for 100 × 10 = 1,000 > 50.)
    # NPV = 80,000 − 200 = 79,800; Costs escorts −200. Off: 80,000 and no Convoys table.
    _, _, res = run(_escorted())
    assert tonnes(res, "SHORT") == pytest.approx(1000)
    conv = res["Convoys"].set_index("corridor")
    assert conv.loc["SHORT", "convoys_per_yr"] == 4
    assert npv(res) == pytest.approx(79_800)
    assert term_pv(res, "escorts") == pytest.approx(-200)
    _, _, off = run(_escorted(on=False))
    assert npv(off) == pytest.approx(80_000)
    assert "Convoys" not in off.tables


def test_escort_capacity_binding_sends_the_rest_on_the_safe_route():
    # RiskLimits max 2 convoys/yr: SHORT ≤ 2 × 300 = 600 t, the other 400 t go LONG.
    # NPV = 90,000 − 600 × 10 − 400 × 20 − 2 × 50 = 75,900; escorts term −100.
    _, _, res = run(_escorted(limits=[{"max_convoys_per_yr": 2}]))
    assert (tonnes(res, "SHORT"), tonnes(res, "LONG")) == (pytest.approx(600), pytest.approx(400))
    assert res["Convoys"].set_index("corridor").loc["SHORT", "convoys_per_yr"] == 2
    assert npv(res) == pytest.approx(75_900)
    assert term_pv(res, "escorts") == pytest.approx(-100)


def test_costly_escorts_leave_a_partial_convoy_unused():
    # Escort 1,500 USD/convoy. 4 convoys: 90,000 − 10,000 − 6,000 = 74,000.
    # 3 convoys (900 t) + 100 t LONG: 90,000 − 9,000 − 2,000 − 4,500 = 74,500 (best: the 4th
    # convoy would carry 100 t and save 100 × 10 = 1,000 < 1,500). 2 convoys: 73,000; none: 70,000.
    _, _, res = run(_escorted(escort_cost=1500))
    assert res["Convoys"].set_index("corridor").loc["SHORT", "convoys_per_yr"] == 3
    assert (tonnes(res, "SHORT"), tonnes(res, "LONG")) == (pytest.approx(900), pytest.approx(100))
    assert npv(res) == pytest.approx(74_500)


def test_a_plans_convoys_start_a_re_solve_but_are_not_its_design():
    # The 4 convoys on SHORT (test above) ride along in the plan's Design as a MIP start only:
    # design_values names convoys[base, SHORT, period], two designs that differ only there are
    # equal, and a re-solve started from them reaches the same 79,800.
    from supplyopt.io.memory import instance_from_records
    from supplyopt.model import build_model
    from supplyopt.solve.highs import SolveOptions, solve
    from supplyopt.studies.design import Design
    from supplyopt.studies.warm import design_values

    records = _escorted()
    _, _, res = run(records)
    design = Design.from_results(res)
    (period,) = {p for _k, p in design.convoys}
    assert design.convoys == {("SHORT", period): 4}
    assert design == Design(design.opened, design.modules_added, design.upgrades)
    m = build_model(instance_from_records(records))
    start = design_values(m, design)
    assert start[m.convoys["base", "SHORT", period].name] == 4.0
    again = solve(m, SolveOptions(warm_start=start))
    assert again.objective == pytest.approx(79_800)
    assert again.extra["warm_start_columns"] >= 1
