"""Shadow prices (issue 5): `supplyopt.studies.diagnose.shadow_prices` reports ∂NPV/∂limit from the LP with
every integer decision fixed at the solved plan. Each value here is derived by hand and checked
against finite differences of the optimal NPV (re-solve with the limit + 1 and + 10).

npv_per_unit_usd is USD of present value per t/yr of limit in the period; usd_per_t_in_period is
the same per tonne moved (divided by the period's discount factor DF_p).
"""

from __future__ import annotations

import copy

import pyomo.environ as pyo
import pytest
from model_asserts import EXACT, solve_records

import instances as I
import supplyopt.studies.diagnose as diagnose_module
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.studies.diagnose import SHADOW_COLUMNS, shadow_prices
from supplyopt.studies.pipeline import run_solve

DF = 1 / 1.1  # ports_and_contracts: P1 = 2030 discounted to base year 2029 at 10 %


def npv(records) -> float:
    s = solve_records(records, extract=False)
    assert s.report.status == "optimal"
    return s.report.objective


def price(prices, family: str, element: str) -> dict:
    rows = prices[(prices["family"] == family) & (prices["element"] == element)]
    assert len(rows) == 1, f"{family} {element}: {len(rows)} rows\n{prices.to_string()}"
    return rows.iloc[0].to_dict()


def assert_finite_differences(records, edit, dual: float) -> None:
    """NPV(limit + δ) − NPV(limit) = δ · dual for δ = 1 and 10 (the LP stays on the same basis)."""
    base = npv(records)
    for delta in (1, 10):
        changed = copy.deepcopy(records)
        edit(changed, delta)
        assert (npv(changed) - base) / delta == pytest.approx(dual, rel=1e-7, abs=1e-7), delta


# ---------------------------------------------------------------------------------------------
# Corridor capacity: tests/instances.tiny() with corridor B limited to 200 t/yr
# ---------------------------------------------------------------------------------------------


def tiny_b200() -> dict:
    recs = I.tiny()
    recs["Corridors"][1]["capacity_t_per_yr"] = 200
    return recs


def test_corridor_capacity_dual_tiny():
    """B (REF → PORT, Corridors row 3) carries only 200 t/yr; copper is worth more per tonne on B
    than concentrate (CU: 600 − 5 handling − 10 on B − 4 t CONC × (50 mining + 10 on A + 20
    smelting) = 585 − 320 = 265 USD/t; CONC: 100 − 5 − 10 − 10 − 50 = 25 USD/t), so B carries
    200 t CU made from 800 t CONC (mine 800 of 1,000 t/yr, refinery 800 of 2 × 600 t/yr: neither
    binds). One more t/yr on B = one more tonne of CU = +265 USD (r = 0, one year: DF = 1).
    NPV = 200 × 265 − capex (10,000 + 2 × 1,000) = 41,000."""
    s = solve_records(tiny_b200())
    assert s.report.objective == pytest.approx(41_000)
    prices = shadow_prices(s.model, EXACT)
    assert list(prices.columns) == SHADOW_COLUMNS
    b = price(prices, "corridor_capacity", "base | B | P1")
    assert (b["sheet"], b["row"], b["period"], b["limit"], b["used"]) == ("Corridors", 3, "P1", 200, pytest.approx(200))
    assert b["npv_per_unit_usd"] == pytest.approx(265) and b["usd_per_t_in_period"] == pytest.approx(265)
    assert price(prices, "refinery_capacity", "base | REF | P1")["npv_per_unit_usd"] == 0  # 800 of 1,200 t/yr
    assert prices.iloc[0]["element"] == "base | B | P1"  # sorted by |value|

    def more_b(recs, delta):
        recs["Corridors"][1]["capacity_t_per_yr"] = 200 + delta

    assert_finite_differences(tiny_b200(), more_b, 265)


# ---------------------------------------------------------------------------------------------
# Port capacity and a contract maximum: ports_and_contracts without the upgrade (pure LP)
# ---------------------------------------------------------------------------------------------


def ports_lp() -> dict:
    recs = I.ports_and_contracts()
    del recs["Upgrades"]  # no integer decision left: the model is an LP
    return recs


def test_port_capacity_and_contract_duals():
    """Net value of a tonne of CONC (USD/t, undiscounted): mining 60, MINE → HUB 11;
    via PORT_A 100 − 3 − 6 − 11 − 60 = 20, via PORT_B 90 − 8 − 2 − 11 − 60 = 9. Both are worth
    selling, so PORT_A sells its contract maximum 300 t/yr (Markets row 2; the port's 500 t/yr is
    slack) and PORT_B its port capacity 400 t/yr (Ports row 3); H-M carries 700 of 1,200 t/yr.
    NPV = (300 × 20 + 400 × 9) · DF = 9,600 / 1.1. Duals (NPV per t/yr): port PORT_B 9 · DF,
    contract maximum at PORT_A 20 · DF; per tonne in the period 9 and 20."""
    recs = ports_lp()
    s = solve_records(recs)
    assert s.report.objective == pytest.approx(9_600 * DF)
    assert not any(v.is_integer() for v in s.model.component_data_objects(pyo.Var))
    prices = shadow_prices(s.model, EXACT)

    port = price(prices, "port_capacity", "base | PORT_B | P1")
    assert (port["sheet"], port["row"], port["limit"], port["used"]) == ("Ports", 3, 400, pytest.approx(400))
    assert port["npv_per_unit_usd"] == pytest.approx(9 * DF) and port["usd_per_t_in_period"] == pytest.approx(9)

    contract = price(prices, "contract_bound", "base | PORT_A | CONC | P1")
    assert (contract["sheet"], contract["row"], contract["used"]) == ("Markets", 2, pytest.approx(300))
    assert contract["npv_per_unit_usd"] == pytest.approx(20 * DF) and contract["usd_per_t_in_period"] == pytest.approx(20)

    assert price(prices, "port_capacity", "base | PORT_A | P1")["npv_per_unit_usd"] == 0
    assert price(prices, "corridor_capacity", "base | H-M | P1")["npv_per_unit_usd"] == 0

    def more_port(r, delta):
        r["Ports"][1]["capacity_t_per_yr"] = 400 + delta

    def more_contract(r, delta):
        r["Markets"][0]["max_t_per_yr"] = 300 + delta

    assert_finite_differences(recs, more_port, 9 * DF)
    assert_finite_differences(recs, more_contract, 20 * DF)


def test_contract_dual_with_integers_fixed():
    """The same instance with upgrade U-B (PORT_B + 600 t/yr for 2,200 USD): built, since 500 more
    tonnes via PORT_B earn 500 × 9 = 4,500 > 2,200 (both discounted by DF). Then corridor H-M
    (1,200 t/yr, Corridors row 2) binds: A 300 + B 900. With the upgrade fixed, one more t/yr on
    H-M is one more tonne via PORT_B: 9 · DF; one more tonne of PORT_A's contract displaces a
    PORT_B tonne: (20 − 9) · DF = 11 · DF. NPV = (300 × 20 + 900 × 9 − 2,200) · DF."""
    recs = I.ports_and_contracts()
    s = solve_records(recs)
    assert s.report.objective == pytest.approx(11_900 * DF)
    prices = shadow_prices(s.model, EXACT)
    hm = price(prices, "corridor_capacity", "base | H-M | P1")
    assert (hm["sheet"], hm["row"]) == ("Corridors", 2)
    assert hm["npv_per_unit_usd"] == pytest.approx(9 * DF)
    assert price(prices, "contract_bound", "base | PORT_A | CONC | P1")["npv_per_unit_usd"] == pytest.approx(11 * DF)
    # integers are unfixed again and the plan is the MILP's
    assert all(not v.fixed for v in s.model.build.values())
    assert pyo.value(s.model.build["U-B", "P1"]) == pytest.approx(1)

    def more_hm(r, delta):
        r["Corridors"][0]["capacity_t_per_yr"] = 1200 + delta

    assert_finite_differences(recs, more_hm, 9 * DF)


# ---------------------------------------------------------------------------------------------
# Unused capacity 0 (a planned corridor): the probed value, not HiGHS's arbitrary dual
# ---------------------------------------------------------------------------------------------


def planned_rail(chain: bool = False) -> dict:
    """MINE (≤ 5,000 t/yr CONC at 50 USD/t) sells at PORT by ROAD (1,000 t/yr, 10 USD/t,
    handling 5, price 100: 35 USD/t, Corridors row 2). A planned RAIL to NEWPORT (capacity 0,
    200 km × 0.015 = 3 USD/t, handling 4, price 97) has an upgrade too dear to build (1e9 USD).
    One more t/yr of RAIL capacity: the mine has 4,000 t/yr spare, so 97 − 4 − 3 − 50 = 40 USD.
    With chain=True the rail is two planned links RAIL1 (MINE → JCT) and RAIL2 (JCT → NEWPORT),
    1.5 USD/t each: one link alone carries nothing, so each is worth 0 on its own."""
    rail = {"mode": "rail", "cost_usd_per_tkm": 0.015, "capacity_t_per_yr": 0, "bidirectional": False}
    if chain:
        links = [("RAIL1", "MINE", "JCT"), ("RAIL2", "JCT", "NEWPORT")]
        km = 100
    else:
        links = [("RAIL", "MINE", "NEWPORT")]
        km = 200
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}, {"node": "NEWPORT", "kind": "port"}]
        + ([{"node": "JCT", "kind": "hub"}] if chain else []),
        "Corridors": [
            {
                "corridor": "ROAD",
                "from_node": "MINE",
                "to_node": "PORT",
                "mode": "road",
                "distance_km": 100,
                "cost_usd_per_tkm": 0.1,
                "capacity_t_per_yr": 1000,
                "bidirectional": False,
            }
        ]
        + [{"corridor": k, "from_node": a, "to_node": b, "distance_km": km, **rail} for k, a, b in links],
        "Upgrades": [
            {"upgrade": f"BUILD-{k}", "element_type": "corridor", "element": k, "capex_usd": 1e9, "added_capacity_t_per_yr": 5000} for k, _a, _b in links
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 5000, "cost_usd_per_t": 50}],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 5}, {"port": "NEWPORT", "handling_usd_per_t": 4}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100}, {"node": "NEWPORT", "commodity": "CONC", "price_usd_per_t": 97}],
    }


@pytest.fixture
def probed(monkeypatch):
    """Names of the constraints shadow_prices re-solved (warm-started probes)."""
    names: list[str] = []
    real = diagnose_module.solve_fixed_lp

    def spy(m, options, probes=None):
        def recording(duals):
            chosen = probes(duals)
            names.extend(con.name for con, _delta in chosen)
            return chosen

        return real(m, options, probes=recording if probes else None)

    monkeypatch.setattr(diagnose_module, "solve_fixed_lp", spy)
    return names


def test_planned_corridor_gets_probed_value(probed):
    """Any optimal dual of RAIL's capacity row is ≥ 40 (its reduced-cost condition), so HiGHS may
    report more: the probe measures the next 1,000 t/yr instead: 40,000 USD / 1,000 = 40."""
    s = solve_records(planned_rail())
    assert s.report.objective == pytest.approx(35_000)
    con = s.model.corridor_capacity["base", "RAIL", "P1"]
    upper = con.upper
    prices = shadow_prices(s.model, EXACT)
    assert probed == ["corridor_capacity[base,RAIL,P1]"]
    rail = price(prices, "corridor_capacity", "base | RAIL | P1")
    assert (rail["sheet"], rail["row"], rail["limit"], rail["used"]) == ("Corridors", 3, 0, 0)
    assert rail["npv_per_unit_usd"] == pytest.approx(40)
    assert price(prices, "corridor_capacity", "base | ROAD | P1")["npv_per_unit_usd"] == pytest.approx(35)
    assert con.upper == upper  # the probe put the row back
    assert pyo.value(s.model.flow["base", "RAIL", "CONC", "P1"]) == 0  # and the plan

    # finite difference of the whole MILP: RAIL at 1,000 t/yr (upgrade still unbuilt)
    recs = planned_rail()
    recs["Corridors"][1]["capacity_t_per_yr"] = 1000
    assert npv(recs) - 35_000 == pytest.approx(40 * 1000)


def test_planned_chain_links_are_worth_nothing_alone(probed):
    """Two planned links in series: the pair is worth 40 USD per t/yr, but HiGHS may put any
    split of it (or more) on either link's row. One link alone moves nothing: probed value 0."""
    s = solve_records(planned_rail(chain=True))
    prices = shadow_prices(s.model, EXACT)
    assert probed and set(probed) <= {"corridor_capacity[base,RAIL1,P1]", "corridor_capacity[base,RAIL2,P1]"}
    for k in ("RAIL1", "RAIL2"):
        assert price(prices, "corridor_capacity", f"base | {k} | P1")["npv_per_unit_usd"] == pytest.approx(0, abs=1e-6)
    assert price(prices, "corridor_capacity", "base | ROAD | P1")["npv_per_unit_usd"] == pytest.approx(35)


# ---------------------------------------------------------------------------------------------
# The pipeline: ShadowPrices and Bottlenecks in the Results (and in the workbook)
# ---------------------------------------------------------------------------------------------


def test_pipeline_adds_shadow_prices_and_bottlenecks(tmp_path):
    run = run_solve(instance_from_records(planned_rail()), EXACT)
    tables = run.results.tables
    assert {"ShadowPrices", "Bottlenecks"} <= set(tables)
    prices, bottlenecks = tables["ShadowPrices"], tables["Bottlenecks"]
    assert list(prices.columns) == SHADOW_COLUMNS
    # capacity and risk limits with a value, largest first; contract bounds are not bottlenecks
    assert list(bottlenecks["element"]) == ["base | RAIL | P1", "base | ROAD | P1"]
    assert list(bottlenecks["npv_per_unit_usd"]) == [pytest.approx(40), pytest.approx(35)]
    assert (bottlenecks["family"] != "contract_bound").all()

    out = write_results_workbook(run.results, tmp_path / "plan.xlsx")
    back = read_results_workbook(out)
    assert list(back["Bottlenecks"]["element"]) == ["base | RAIL | P1", "base | ROAD | P1"]
    assert list(back["ShadowPrices"]["npv_per_unit_usd"]) == pytest.approx(list(prices["npv_per_unit_usd"]))


def test_no_shadow_prices_when_not_asked():
    run = run_solve(instance_from_records(I.tiny()), EXACT, with_shadow_prices=False)
    assert "ShadowPrices" not in run.results.tables and "Bottlenecks" not in run.results.tables
