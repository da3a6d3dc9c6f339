"""Security-risk formulations on tiny instances whose optima are derived by hand.

Every test solves a formulation switched on and compares with the same instance switched off,
so each shows the *decision* the formulation changes, not just that it builds.

The common instance (`routes`): one period of one year, discount rate 0 (NPV = one year's
profit). MINE produces up to 1,000 t/yr of CONC at 10 USD/t, sold at PORT for 100 USD/t, so a
tonne earns 90 USD before transport. Cargo value 1,000 USD/t.

    SHORT  MINE → PORT            100 km × 0.1 USD/(t·km) = 10 USD/t
    LONG   MINE → PORT            200 km × 0.1 USD/(t·km) = 20 USD/t   (direct variant)
    LONG1  MINE → H, LONG2 H → PORT, 10 USD/t each       = 20 USD/t   (via-hub variant)

All on SHORT: 1,000 × (90 − 10) = 80,000. All on the long route: 1,000 × (90 − 20) = 70,000.
Risk data sit on SHORT unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import INFEASIBLE, OPTIMAL, SolveOptions, solve

EXACT = SolveOptions(mip_gap=0.0, threads=1)
Records = dict[str, list[dict[str, Any]]]


def _road(k: str, a: str, b: str, km: float, **extra: Any) -> dict[str, Any]:
    return {"corridor": k, "from_node": a, "to_node": b, "mode": "road", "distance_km": km, "cost_usd_per_tkm": 0.1, "bidirectional": False, **extra}


def routes(settings: dict[str, Any] | None = None, *, via_hub: bool = False, short_risk: dict[str, Any] | None = None, **tables: Any) -> Records:
    """The common instance (see the module docstring); `tables` replace or add whole tables."""
    if via_hub:
        nodes = [{"node": "MINE", "kind": "mine"}, {"node": "H", "kind": "hub"}, {"node": "PORT", "kind": "port"}]
        long = [_road("LONG1", "MINE", "H", 100), _road("LONG2", "H", "PORT", 100)]
    else:
        nodes = [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}]
        long = [_road("LONG", "MINE", "PORT", 200)]
    recs: Records = {
        "Settings": [{"name": "discount_rate", "value": 0}] + [{"name": k, "value": v} for k, v in (settings or {}).items()],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC", "cargo_value_usd_per_t": 1000}],
        "Nodes": nodes,
        "Corridors": [_road("SHORT", "MINE", "PORT", 100)] + long,
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 10}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100}],
    }
    if short_risk is not None:
        recs["CorridorRisk"] = [{"corridor": "SHORT", **short_risk}]
    recs.update(tables)
    return recs


def run(records: Records, status: str = OPTIMAL):
    """(model, report, results) of the instance, solved to a zero gap."""
    m = build_model(instance_from_records(records))
    report = solve(m, EXACT)
    assert report.status == status, report
    return m, report, (extract_results(m, report) if report.has_plan else None)


def tonnes(res: Results, corridor: str, scenario: str | None = None) -> float:
    use = res["CorridorUse"]
    rows = use[use["corridor"] == corridor]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return float(rows["t_per_yr"].sum())


def term_pv(res: Results, term: str) -> float:
    costs = res["Costs"]
    return float(costs.loc[costs["term"] == term, "present_value_usd"].sum())


def npv(res: Results) -> float:
    return res.summary["npv_usd"]


# --------------------------------------------------------------------------------------------
# 0. Security cost per tonne (always on when CorridorRisk/NodeRisk give one)
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


# --------------------------------------------------------------------------------------------
# 1. Expected loss = incident probability × cargo value × tonnes
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
    recs["Corridors"].append(_road("DIRECT", "MINE", "PORT", 300))
    _, _, res = run(recs)
    assert tonnes(res, "DIRECT") == pytest.approx(1000)
    assert npv(res) == pytest.approx(60_000)


# --------------------------------------------------------------------------------------------
# 2. Exposure budget: Σ risk score × tonnes ≤ B per period
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


# --------------------------------------------------------------------------------------------
# 3. High-risk share: tonnes on corridors with score ≥ θ ≤ σ × all tonnes moved
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


# --------------------------------------------------------------------------------------------
# 4. Diversification: port share and export-leg corridor share
# --------------------------------------------------------------------------------------------


def _two_ports(settings: dict[str, Any] | None = None) -> Records:
    # SHORT → PA (10 USD/t), LONG → PB (20 USD/t); both buy CONC at 100 USD/t.
    recs = routes(settings)
    recs["Nodes"] = [{"node": "MINE", "kind": "mine"}, {"node": "PA", "kind": "port"}, {"node": "PB", "kind": "port"}]
    recs["Corridors"] = [_road("SHORT", "MINE", "PA", 100), _road("LONG", "MINE", "PB", 200)]
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


# --------------------------------------------------------------------------------------------
# 5. Escorted convoys: integer convoys, escort cost, escort capacity
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


# --------------------------------------------------------------------------------------------
# 6. Two-stage disruptions, CVaR, soft contract minimums
# --------------------------------------------------------------------------------------------


def _disrupted(settings: dict[str, Any], capex: float = 10_000, alt_capacity: float = 0, upgrade: bool = True, market: dict | None = None) -> Records:
    """CHEAP (MINE → PORT, 10 USD/t, unlimited) and ALT (MINE → PORT, 20 USD/t, capacity
    `alt_capacity`); upgrade U-ALT adds 1,000 t/yr to ALT for `capex`. Disruption CHEAP_CLOSED
    (probability 0.2) closes CHEAP; the undisrupted case `base` has 0.8."""
    recs = routes(settings)
    recs["Corridors"] = [_road("CHEAP", "MINE", "PORT", 100), _road("ALT", "MINE", "PORT", 200, capacity_t_per_yr=alt_capacity)]
    if upgrade:
        recs["Upgrades"] = [{"upgrade": "U-ALT", "element_type": "corridor", "element": "ALT", "capex_usd": capex, "added_capacity_t_per_yr": 1000}]
    recs["Disruptions"] = [{"disruption": "CHEAP_CLOSED", "probability": 0.2}]
    recs["DisruptionFactors"] = [{"disruption": "CHEAP_CLOSED", "element_type": "corridor", "element": "CHEAP", "factor": 0}]
    if market:
        recs["Markets"] = [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100, **market}]
    return recs


def _built(res: Results) -> bool:
    return bool(res["Upgrades"].set_index("upgrade").loc["U-ALT", "built"])


def _outcomes(res: Results) -> dict[str, float]:
    return dict(zip(res["ScenarioOutcomes"]["scenario"], res["ScenarioOutcomes"]["npv_usd"]))


def test_without_disruptions_the_backup_upgrade_is_not_bought():
    # Deterministic: ALT is never needed, the upgrade would be 10,000 of pure cost. NPV 80,000.
    _, _, res = run(_disrupted({"disruptions": "no"}))
    assert not _built(res)
    assert npv(res) == pytest.approx(80_000)


def test_a_closure_scenario_makes_the_backup_upgrade_worthwhile():
    # Two-stage, expected NPV, capex 10,000 (design shared by both cases):
    #   build:    base 80,000 − 10,000 = 70,000; closed: 1,000 t on ALT 70,000 − 10,000 = 60,000
    #             E = 0.8 × 70,000 + 0.2 × 60,000 = 68,000
    #   no build: base 80,000; closed: nothing moves, 0;  E = 64,000          → build.
    _, _, res = run(_disrupted({"disruptions": "yes"}))
    assert _built(res)
    assert npv(res) == pytest.approx(68_000)
    assert _outcomes(res) == {"base": pytest.approx(70_000), "CHEAP_CLOSED": pytest.approx(60_000)}
    assert tonnes(res, "ALT", "CHEAP_CLOSED") == pytest.approx(1000)
    assert tonnes(res, "ALT", "base") == pytest.approx(0)
    probs = dict(zip(res["ScenarioOutcomes"]["scenario"], res["ScenarioOutcomes"]["probability"]))
    assert probs == {"base": pytest.approx(0.8), "CHEAP_CLOSED": pytest.approx(0.2)}


@pytest.mark.parametrize(
    ("weight", "built", "objective"),
    [
        # capex 20,000. Expected NPV: build 0.8 × 60,000 + 0.2 × 50,000 = 58,000 < no build 64,000.
        # CVaR at α = 0.9 (worst 10 %, inside the 20 % closure case) = the closure NPV:
        # build 70,000 − 20,000 = 50,000; no build 0. Objective (1 − λ) E + λ CVaR:
        (0.0, False, 64_000),  # no build 64,000 > build 58,000
        (0.05, False, 0.95 * 64_000),  # 60,800 > 0.95 × 58,000 + 0.05 × 50,000 = 57,600
        (0.2, True, 0.8 * 58_000 + 0.2 * 50_000),  # 56,400 > 0.8 × 64,000 = 51,200
        # λ = 1: 50,000 > 0 (break-even λ = 6,000 / 56,000 ≈ 0.107), plus the 10⁻⁶ · E[NPV]
        # tie-break that keeps the base case optimal: 50,000 + 10⁻⁶ × 58,000.
        (1.0, True, 50_000 + 1e-6 * 58_000),
    ],
)
def test_cvar_weight_moves_the_design(weight, built, objective):
    _, report, res = run(_disrupted({"disruptions": "yes", "cvar_weight": weight, "cvar_alpha": 0.9}, capex=20_000))
    assert _built(res) is built
    assert report.objective == pytest.approx(objective, rel=1e-9)
    if built:
        # At λ = 1 the tie-break still makes the base case take its best flows (60,000).
        assert _outcomes(res) == {"base": pytest.approx(60_000), "CHEAP_CLOSED": pytest.approx(50_000)}
        assert npv(res) == pytest.approx(58_000)
    else:
        assert _outcomes(res) == {"base": pytest.approx(80_000), "CHEAP_CLOSED": pytest.approx(0, abs=1e-3)}  # USD; solver tolerance
        assert npv(res) == pytest.approx(64_000)
    if weight > 0:
        assert res.summary["cvar_npv_usd"] == pytest.approx(50_000 if built else 0, abs=1e-3)  # USD; solver tolerance


def test_cvar_alpha_zero_is_the_expectation():
    # Regression: cvar_alpha = 0 was read as 0.9. With α = 0, CVaR = E[NPV], so λ = 1 gives the
    # expected-NPV design: no build, objective 64,000 (+ the 10⁻⁶ · E[NPV] tie-break at λ = 1).
    _, report, res = run(_disrupted({"disruptions": "yes", "cvar_weight": 1, "cvar_alpha": 0}, capex=20_000))
    assert not _built(res)
    assert report.objective == pytest.approx(64_000 * (1 + 1e-6), rel=1e-9)


def test_soft_contract_minimum_reports_the_shortfall_in_the_closure():
    # No upgrade; ALT carries at most 300 t/yr. Contract: at least 800 t/yr at PORT, shortfall
    # penalty 30 USD/t. base: 1,000 t on CHEAP, 80,000. CHEAP_CLOSED: 300 t on ALT earn
    # 300 × (90 − 20) = 21,000, 500 t short × 30 = 15,000 penalty → 6,000.
    # E[NPV] = 0.8 × 80,000 + 0.2 × 6,000 = 65,200.
    recs = _disrupted({"disruptions": "yes"}, alt_capacity=300, upgrade=False, market={"min_t_per_yr": 800, "shortfall_penalty_usd_per_t": 30})
    _, _, res = run(recs)
    assert npv(res) == pytest.approx(65_200)
    assert _outcomes(res) == {"base": pytest.approx(80_000), "CHEAP_CLOSED": pytest.approx(6_000)}
    short = res["Shortfalls"].set_index("scenario")["shortfall_t_per_yr"]
    assert short.to_dict() == {"base": pytest.approx(0), "CHEAP_CLOSED": pytest.approx(500)}
    unmet = res["ScenarioOutcomes"].set_index("scenario")["unmet_contracts_t_per_yr_total"]
    assert unmet["CHEAP_CLOSED"] == pytest.approx(500)
    assert term_pv(res, "contract_shortfall") == pytest.approx(-0.2 * 15_000)
    # The same minimum without a penalty is hard: the closure case cannot meet it.
    hard = _disrupted({"disruptions": "yes"}, alt_capacity=300, upgrade=False, market={"min_t_per_yr": 800})
    run(hard, status=INFEASIBLE)


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
