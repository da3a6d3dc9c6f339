"""Two-stage disruptions, CVaR of NPV (model/stochastic.py, model/objective.py) and soft contract
minimums (model/market.py), hand-derived on the `routes` instance (tests/risk_instances.py)."""

from __future__ import annotations

from typing import Any

import pytest
from risk_instances import Records, npv, road, routes, run, term_pv, tonnes

from supplyopt.results import Results
from supplyopt.solve.highs import INFEASIBLE

# --------------------------------------------------------------------------------------------
# Two-stage disruptions, CVaR, soft contract minimums
# --------------------------------------------------------------------------------------------


def _disrupted(settings: dict[str, Any], capex: float = 10_000, alt_capacity: float = 0, upgrade: bool = True, market: dict | None = None) -> Records:
    """CHEAP (MINE → PORT, 10 USD/t, unlimited) and ALT (MINE → PORT, 20 USD/t, capacity
    `alt_capacity`); upgrade U-ALT adds 1,000 t/yr to ALT for `capex`. Disruption CHEAP_CLOSED
    (probability 0.2) closes CHEAP; the undisrupted case `base` has 0.8."""
    recs = routes(settings)
    recs["Corridors"] = [road("CHEAP", "MINE", "PORT", 100), road("ALT", "MINE", "PORT", 200, capacity_t_per_yr=alt_capacity)]
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
