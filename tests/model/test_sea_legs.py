"""Sea legs (model/sea_legs.py): CIF sales at an overseas buyer over a sea corridor, freight by
vessel class, a class blocked by the port's draft, the port's capacity counting sea departures,
and an export levy at the buyer. Derived by hand.

MINE → PORT by road (10 USD/t), port handling 5 USD/t, mining 50 USD/t, 1,000 t/yr, r = 0.
PORT → CHINA by sea (no distance cost). FOB at PORT 100 USD/t: 100 − 65 = 35 per tonne. CIF at
CHINA 150: 150 − 65 − freight. Freight: HANDY (35 kt, 10 m) 30 USD/t, PANAMAX (75 kt, 14 m) 20.
"""

from __future__ import annotations

from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records


def sea_records(max_draft_m: float | None = None) -> dict:
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2026}],
        "Commodities": [{"commodity": "CONC", "kind": "concentrate"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}, {"node": "CHINA", "kind": "market"}],
        "Corridors": [
            {"corridor": "ROAD", "from_node": "MINE", "to_node": "PORT", "mode": "road", "distance_km": 100, "cost_usd_per_tkm": 0.1, "bidirectional": False},
            {"corridor": "SEA", "from_node": "PORT", "to_node": "CHINA", "mode": "sea", "distance_km": 5000, "cost_usd_per_tkm": 0, "bidirectional": False},
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 50}],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 5}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100}, {"node": "CHINA", "commodity": "CONC", "price_usd_per_t": 150}],
        "Buyers": [{"node": "CHINA", "country": "China"}],
        "VesselClasses": [{"vessel_class": "HANDY", "dwt_t": 35_000, "draft_m": 10}, {"vessel_class": "PANAMAX", "dwt_t": 75_000, "draft_m": 14}],
        "SeaFreight": [
            {"corridor": "SEA", "vessel_class": "HANDY", "freight_usd_per_t": 30},
            {"corridor": "SEA", "vessel_class": "PANAMAX", "freight_usd_per_t": 20},
        ],
        "PortLimits": [{"port": "PORT", "max_draft_m": max_draft_m}] if max_draft_m is not None else [],
    }


def test_the_cheapest_class_carries_the_cif_sale():
    """No port limit: PANAMAX at 20: 150 − 65 − 20 = 65 per tonne, NPV 65,000."""
    s = solve_records(sea_records())
    assert_objective(s.results, 65_000)
    assert_term(s.results, "sea_freight", -20_000)
    assert_term(s.results, "sea_port_handling", -5_000)
    assert_decision(s.results, "SeaLegs", "t_per_yr", 1000, vessel_class="PANAMAX")
    assert_decision(s.results, "Sales", "t_per_yr", 1000, node="CHINA", commodity="CONC")
    assert_plan_valid(s.results, s.instance)


def test_a_port_too_shallow_for_panamax_ships_on_handysize():
    """Draft 12.5 m at PORT: PANAMAX (14 m) cannot call, HANDY at 30: 55 per tonne, NPV 55,000."""
    s = solve_records(sea_records(max_draft_m=12.5))
    assert_objective(s.results, 55_000)
    assert_decision(s.results, "SeaLegs", "t_per_yr", 1000, vessel_class="HANDY")
    assert_decision(s.results, "SeaLegs", "t_per_yr", 0, vessel_class="PANAMAX")


def test_a_port_too_shallow_for_every_class_blocks_the_sea_leg():
    """Draft 9 m: no class fits, the leg carries nothing; CONC is sold FOB: 35 × 1,000."""
    s = solve_records(sea_records(max_draft_m=9))
    assert_objective(s.results, 35_000)
    assert_decision(s.results, "Sales", "t_per_yr", 1000, node="PORT", commodity="CONC")
    assert_decision(s.results, "Sales", "t_per_yr", 0, node="CHINA", commodity="CONC")


def test_the_port_capacity_counts_sea_departures():
    """Capacity 600 t/yr at PORT: sales there and ships out together ≤ 600, all shipped at 65:
    39,000 (the other 400 t are not mined)."""
    recs = sea_records()
    recs["Ports"][0]["capacity_t_per_yr"] = 600
    s = solve_records(recs)
    assert_objective(s.results, 39_000)
    assert_decision(s.results, "Production", "t_per_yr", 600, mine="MINE", commodity="CONC")
    # PortUse reports the 600 t that sail from PORT (no sale there) against its 600 t/yr: full.
    assert_decision(s.results, "PortUse", "t_per_yr", 600, port="PORT")
    assert_decision(s.results, "PortUse", "utilisation", 1.0, port="PORT")


def test_a_levy_applies_at_the_overseas_buyer():
    """10 % on concentrate exports: at CHINA 15 per tonne (65 − 15 = 50), FOB 10 (35 − 10 = 25): 50,000."""
    recs = sea_records()
    recs["ExportDuties"] = [{"kind": "concentrate", "rate_share": 0.1}]
    s = solve_records(recs)
    assert_objective(s.results, 50_000)
    assert_term(s.results, "export_duties", -15_000)


def test_a_blocked_class_has_the_value_of_a_deeper_berth():
    """Draft 9 m turns both classes away (PortLimits row 2). One tonne more on HANDY would earn
    55 instead of FOB's 35 (shadow price 20), on PANAMAX 65 instead of 35 (30)."""
    import pytest
    from model_asserts import EXACT

    from supplyopt.studies.diagnose import shadow_prices

    s = solve_records(sea_records(max_draft_m=9))
    prices = shadow_prices(s.model, EXACT)
    rows = prices[prices["family"] == "vessel_limit"]
    assert set(rows["sheet"]) == {"PortLimits"} and set(rows["row"]) == {2}
    by_class = {e.split(" | ")[2]: abs(v) for e, v in zip(rows["element"], rows["npv_per_unit_usd"])}
    assert by_class == {"HANDY": pytest.approx(20), "PANAMAX": pytest.approx(30)}
