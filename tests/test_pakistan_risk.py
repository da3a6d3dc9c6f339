"""Security risk of the real Pakistan instance (instances/pakistan.py, facts Sheet 6).

The data: every corridor's CorridorRisk row follows from the incident log by the stated formulas
(Gamma-Poisson rate per route, then score, loss probability and security cost all proportional
to the expected incidents a year on the segment); the nodes, escort capacity, disruptions and
scenarios are there and consistent. No solve.

The plan: the cost-risk frontier over 8 budgets never gains NPV as the budget tightens (within
each point's MIP gap), and the stress table of the base plan's design has one row per corridor
closure and per Disruptions row. These two solve the real instance many times (10 MILPs, 58
LPs); on a 2-core box each takes ~30-50 s, so the frontier runs with a 1 % gap and a time limit
per point (`FRONTIER_OPTIONS`): points stopped by the limit are checked against their own
reported gap, not the nominal one. Both are marked slow but stay in the default run.
"""

from __future__ import annotations

import math

import pytest

from instances import INSTANCES_DIR, load_instance_module
from supplyopt.inputs.scenarios import apply_scenario, scenario_names, uncertain_parameters
from supplyopt.io.memory import instance_from_records
from supplyopt.solve.highs import FEASIBLE, OPTIMAL, SolveOptions

INSTANCES = INSTANCES_DIR


_load = load_instance_module


pakistan = _load("pakistan")
# The base plan's design (test_pakistan.test_reko_diq_routes checks the solved base has exactly this):
# the R-11 Nokkundi-Panjgur road from 2031-35, no refinery, no other upgrade.
BASE_UPGRADES = {"U-R11": "2031-35"}
FRONTIER_POINTS = 8
FRONTIER_OPTIONS = SolveOptions(mip_gap=0.01, time_limit=3.0)


@pytest.fixture(scope="module")
def recs():
    return pakistan.records()


@pytest.fixture(scope="module")
def inst(recs):
    return instance_from_records(recs)


def by(rows, key):
    return {r[key]: r for r in rows}


# ---------------------------------------------------------------------------------------------
# Risk data derived from the incident log
# ---------------------------------------------------------------------------------------------


def test_every_corridor_has_a_risk_row_derived_from_the_log(recs):
    risk = by(recs["CorridorRisk"], "corridor")
    # Every land corridor; sea legs carry no insurgent risk in this instance (freight only).
    assert set(risk) == {c["corridor"] for c in recs["Corridors"] if c["mode"] != "sea"}
    figures, meta = pakistan.corridor_risk_figures()
    fig = by(figures, "corridor")
    # Balochistan prior: the 19.95 incidents counted on the model's Balochistan corridors in use over 3 years
    # (N-40 2.5, N-25 4, M-8 2.5, N-10 4, ML-4 2, Bolan 3, Sibi-Rohri 3 × its Balochistan share 0.65;
    # Nokkundi and Quetta station counted at their nodes).
    assert meta["n_bal"] == pytest.approx(2.5 + 4 + 2.5 + 4 + 2 + 3 + 3 * 0.65)
    rho_bal = 19.95 / (3.0 * meta["km_bal"])
    assert meta["rho_bal"] == pytest.approx(rho_bal)
    # KP and Sindh/Punjab priors scale with PIPS 2024 attack counts: 295 and 24 against Balochistan's 202.
    assert meta["prior"]["KP"] == pytest.approx(rho_bal * 295 / 202)
    assert meta["prior"]["REST"] == pytest.approx(rho_bal * 24 / 202)
    # Hand check of the N-40: (2.5 + 1) / (1/ρ̄ + 610 km × 3 yr) incidents per km-year.
    rho_n40 = 3.5 / (1.0 / rho_bal + 610.0 * 3.0)
    assert fig["R-02b"]["per_km_yr"] == pytest.approx(rho_n40, rel=2e-4)  # segments rounded to 0.1 km: 610.1 in all
    assert fig["R-02b"]["per_yr"] == pytest.approx(rho_n40 * fig["R-02b"]["km"], rel=2e-4)
    q_per_lambda = 0.3 * 0.25 * 1.0 / 365  # h · f · D / 365
    for code, rec in risk.items():
        lam = fig[code]["per_yr"]
        # Score, loss probability and security cost are each proportional to λ: monotone in incidents a year.
        assert rec["risk_score"] == pytest.approx(10 * lam, abs=1e-4)
        assert rec["incident_probability"] == pytest.approx(lam * q_per_lambda, rel=1e-3, abs=1e-12)
        assert rec["security_cost_usd_per_t"] == pytest.approx(10 * lam, abs=1e-3)
        if fig[code].get("link"):
            assert lam == 0  # sidings and transfers: their town's NodeRisk
            continue
        f = fig[code]
        if not f["in_use"]:
            assert f["per_km_yr"] == pytest.approx(f["prior_per_km_yr"])  # planned: prior only
        else:  # between the route's own record n/(L·T) and the provincial mean
            own = f["incidents"] / (f["unit_km"] * 3.0)
            assert min(own, f["prior_per_km_yr"]) < f["per_km_yr"] < max(own, f["prior_per_km_yr"])
    # The Bolan pass is the most dangerous line per km, the N-85 the safest Balochistan highway.
    assert max(fig.values(), key=lambda f: f.get("per_km_yr") or 0)["corridor"] == "L-03a"
    assert fig["R-05b"]["per_km_yr"] < min(fig[c]["per_km_yr"] for c in ("R-02a", "R-04a", "R-06a", "R-08a"))
    # Escorted convoys: the Balochistan roads at least as dangerous as the provincial mean (planned ones too);
    # the N-40's record, 2.5 over 610 km × 3 yr = 0.00137/km-yr, is now below the mean.
    escorted = {c for c, r in risk.items() if r.get("convoy_size_t")}
    assert escorted == {"R-04a", "R-04b", "R-04c", "R-04d", "R-04e", "R-06a", "R-06b", "R-08a", "R-08b", "R-10", "R-11"}
    for c in escorted:
        assert risk[c]["convoy_size_t"] == 750 and risk[c]["escort_cost_usd_per_convoy"] == pytest.approx(5 * fig[c]["km"], abs=1)


def test_node_risk_limits_and_settings(recs, inst):
    nodes = by(recs["NodeRisk"], "node")
    for node in ("GWADAR", "PORT_QASIM", "QUETTA", "NOKKUNDI"):
        assert node in nodes
    # λ = counted incidents / 3 years: Gwadar 2, Karachi 1, Quetta 2, Nokkundi 1, Pasni 1.
    for node, n in (("GWADAR", 2.0), ("PORT_QASIM", 1.0), ("QUETTA", 2.0), ("NOKKUNDI", 1.0), ("PASNI", 1.0)):
        assert nodes[node]["risk_score"] == pytest.approx(10 * n / 3, abs=1e-3)
        assert nodes[node]["security_cost_usd_per_t"] == pytest.approx(10 * n / 3, abs=1e-3)
    (limits,) = recs["RiskLimits"]
    assert limits.get("exposure_budget") is None and limits["max_convoys_per_yr"] == 12 * 365
    s = inst.settings
    assert s["expected_loss"] is True and s["disruptions"] is False and s["escorts"] is True


def test_disruptions_from_the_log(recs, inst):
    dis = by(recs["Disruptions"], "disruption")
    assert set(dis) == {"N40_CLOSED_HALF_2030", "BOLAN_RAIL_QUARTER_2030", "KOLPUR_BRIDGE_2030", "N25_CLOSED_MONTH_2030", "GWADAR_PORT_CLOSED_2031_35"}
    factors = {(r["disruption"], r["element"], r["period"]): r["factor"] for r in recs["DisruptionFactors"]}
    assert factors[("BOLAN_RAIL_QUARTER_2030", "L-03a", "2030")] == 0.75  # a quarter of 2030 closed
    assert factors[("KOLPUR_BRIDGE_2030", "L-03a", "2030")] == pytest.approx(0.96, abs=0.002)  # two weeks
    assert factors[("GWADAR_PORT_CLOSED_2031_35", "GWADAR", "2031-35")] == 0.8  # one year of five
    assert {e for (d, e, _p) in factors if d == "N40_CLOSED_HALF_2030"} == {"R-02a", "R-02b", "R-02c", "R-02d"}
    # Closure lengths: P(closure ≥ d days) = d^-α with S(14) = 1/16 (Kolpur, 1 of 16 corridor incidents).
    alpha = math.log(16) / math.log(14)
    s = lambda d: d**-alpha  # noqa: E731
    assert dis["KOLPUR_BRIDGE_2030"]["probability"] == pytest.approx(1 - math.exp(-(4 / 3) * (1 / 16 - s(91.25))), abs=1e-5)
    assert dis["BOLAN_RAIL_QUARTER_2030"]["probability"] == pytest.approx(1 - math.exp(-(4 / 3) * s(91.25)), abs=1e-5)
    assert dis["GWADAR_PORT_CLOSED_2031_35"]["probability"] == pytest.approx(1 - math.exp(-(2 / 3) * s(365) * 5), abs=1e-5)
    assert 0 < sum(d["probability"] for d in dis.values()) < 0.2


def test_every_scenario_applies_and_validates(inst):
    names = scenario_names(inst)
    for needed in (
        "REFINERY_PORT_QASIM",
        "REFINERY_GWADAR",
        "REFINERY_PASNI",
        "REFINERY_NOKKUNDI",
        "COPPER_HIGH",
        "COPPER_LOW",
        "N40_CLOSED_2029_30",
        "GWADAR_EXPANSION",
        "NO_ESCORTS",
        "TWO_STAGE",
        "TWO_STAGE_CVAR",
        "RISK_BUDGET",
    ):
        assert needed in names
    for name in names:
        apply_scenario(inst, name)  # InputError naming the Scenarios row otherwise
    assert apply_scenario(inst, "TWO_STAGE").settings["disruptions"] is True
    cvar = apply_scenario(inst, "TWO_STAGE_CVAR").settings
    assert cvar["disruptions"] is True and cvar["cvar_weight"] == 0.5
    budget = apply_scenario(inst, "RISK_BUDGET")["RiskLimits"]
    assert budget["exposure_budget"].iloc[0] == pytest.approx(_load("pakistan_scenarios").risk_budget())
    assert {p.name for p in uncertain_parameters(inst)} >= {"CU_PRICE", "AU_PRICE", "TCRC_LEVEL", "CONC_LEVY", "REFINERY_CAPEX", "N40_2029"}


# ---------------------------------------------------------------------------------------------
# Frontier and stress on the real instance
# ---------------------------------------------------------------------------------------------


def _take_or_pay_pv(inst) -> float:
    """PV of the Port Qasim take-or-pay penalty when nothing is shipped (450 kt/yr × 100 USD/t from 2029)."""
    r, base = inst.settings["discount_rate"], inst.settings["base_year"]
    total = 0.0
    for m in inst["Markets"].itertuples():
        if m.min_t_per_yr and m.min_t_per_yr > 0:
            p = inst["Periods"].set_index("period").loc[m.period]
            df = sum((1 + r) ** -(y - base) for y in range(p["start_year"], p["start_year"] + p["length_years"]))
            total += df * m.min_t_per_yr * m.shortfall_penalty_usd_per_t
    return total


# The base plan's NPV is checked by hand in tests/test_pakistan.py (its revenue, the refinery's
# shortfall, the routes); here the frontier's loosest point and the stress baseline must be that plan.


@pytest.mark.slow
def test_cost_risk_frontier_is_monotone(inst, pakistan_base_results):
    from supplyopt.studies.frontier import frontier

    res = frontier(inst, points=FRONTIER_POINTS, options=FRONTIER_OPTIONS)
    pts = res.points
    assert len(pts) == FRONTIER_POINTS and all(p.status in (OPTIMAL, FEASIBLE) for p in pts)
    budgets = [p.exposure_budget for p in pts]
    assert budgets == sorted(budgets, reverse=True) and budgets[0] == pytest.approx(res.e_max)
    for p in pts:
        assert p.exposure <= p.exposure_budget * (1 + 1e-6) + 1e-3
    # A tighter budget never gains NPV. Each looser point's plan is optimal within its own reported
    # gap (the nominal 1 %, or more where the time limit stopped it), so that gap is the tolerance.
    for loose, tight in zip(pts, pts[1:]):
        tol = (loose.gap or 0.0) * abs(loose.objective) + 1e-6 * abs(loose.objective)
        assert tight.npv_usd <= loose.npv_usd + tol, (loose.point, tight.point)
    # The loosest point is the base plan (within the gap); the tightest ships nothing: the only
    # zero-exposure plan, whose NPV is minus the take-or-pay penalties (no mining, no other cost);
    # the base has no take-or-pay (RDMC's offtake terms are not public), so it is 0.
    # (Both are solves at the frontier's 1 % gap, so they may stop at different plans within it.)
    assert pts[0].npv_usd == pytest.approx(res.npv_max, rel=FRONTIER_OPTIONS.mip_gap)
    assert res.npv_max == pytest.approx(pakistan_base_results.summary["npv_usd"], rel=0.011)
    assert res.e_min == pytest.approx(0.0, abs=1.0)
    assert _take_or_pay_pv(inst) == 0.0
    assert pts[-1].npv_usd == pytest.approx(0.0, abs=1.0)
    # Cutting exposure costs NPV: by the middle point more than the loosest point's gap tolerance.
    # (Not the first step: with a 1 % gap its plan may even beat the loosest point's, as the
    # monotonicity check above allows.)
    middle = pts[len(pts) // 2]
    assert middle.npv_usd < pts[0].npv_usd - (pts[0].gap or 0.0) * abs(pts[0].objective)


@pytest.mark.slow
def test_stress_table_covers_every_corridor_and_disruption(inst, pakistan_base_results):
    from supplyopt.studies.stress import Design, stress

    res = stress(inst, Design(upgrades=BASE_UPGRADES))
    table = res.table()
    corridors = list(inst["Corridors"]["corridor"])
    disruptions = list(inst["Disruptions"]["disruption"])
    assert len(table) == len(corridors) + len(disruptions)
    closures = table[table["kind"] == "corridor closure"]
    assert sorted(closures["element"]) == sorted(corridors)
    assert sorted(table.loc[table["kind"] == "disruption", "case"]) == sorted(disruptions)
    assert (table["status"] == OPTIMAL).all()
    assert res.baseline.npv_usd == pytest.approx(pakistan_base_results.summary["npv_usd"], rel=1e-4)  # same design, within the gap
    # No case gains NPV on the fixed design (closures only remove capacity), beyond the baseline's own
    # gap: on a fixed design the escorted convoys are still integers, so each case is a MIP too.
    assert (table["npv_loss_usd"] >= -((res.baseline.gap or 0.0) + 1e-6) * abs(res.baseline.npv_usd)).all()
    # The worst: the Reko Diq mine road R-01, the mine's only exit while the rail branch is unbuilt;
    # no contract goes unmet (the base has none).
    worst = table.iloc[0]
    assert worst["case"] == "close R-01" and worst["npv_loss_share"] > 0.8
    assert worst["unmet_contracts_t"] == pytest.approx(0.0)
    # Saindak's blister leaves only by R-03 and the N-40's Taftan leg.
    losses = table.set_index("case")["npv_loss_usd"]
    assert losses["close R-03"] == pytest.approx(losses["close R-02a"]) and losses["close R-03"] > 0
    # Gwadar route closures cost far less than losing the mine road: Port Qasim takes the ore back.
    assert losses["close R-11"] < 0.01 * res.baseline.npv_usd
