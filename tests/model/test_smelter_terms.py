"""Smelter terms (model/metal_prices.py, model/smelter_terms.py): a concentrate priced from its
metals, a metal price moving concentrate and cathode together, an explicit price winning, and a
by-product disposed of at a cost. Values derived by hand."""

from __future__ import annotations

import pytest
from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model.data import prepare

LB = 2204.62262185  # lb per tonne
OZ = 32150.7466  # troy oz per tonne


def metal_priced_tiny() -> dict:
    """tiny() with both prices left blank: CONC is 25 % Cu and 10 g/t Au, CU is 100 % Cu; copper
    600 USD/t and gold 2,000 USD/oz at every node. CONC is sold under smelter terms: 8 %
    moisture, TC 10 USD/dmt, penalties 2 USD/dmt, 90 % of the Cu payable at RC 0.01 USD/lb and
    80 % of the Au at RC 5 USD/oz."""
    recs = I.tiny()
    for row in recs["Markets"]:
        row["price_usd_per_t"] = None
    recs["MetalContents"] = [
        {"commodity": "CONC", "metal": "CU", "grade": 25, "grade_unit": "%"},
        {"commodity": "CONC", "metal": "AU", "grade": 10, "grade_unit": "g/t"},
        {"commodity": "CU", "metal": "CU", "grade": 100},
    ]
    recs["MetalPrices"] = [{"metal": "CU", "price": 600, "price_unit": "USD/t"}, {"metal": "AU", "price": 2000, "price_unit": "USD/oz"}]
    recs["SmelterTerms"] = [{"commodity": "CONC", "tc_usd_per_dmt": 10, "penalty_usd_per_dmt": 2, "moisture_share": 0.08}]
    recs["PayableMetals"] = [
        {"commodity": "CONC", "metal": "CU", "payable_share": 0.9, "rc": 0.01, "rc_unit": "USD/lb"},
        {"commodity": "CONC", "metal": "AU", "payable_share": 0.8, "rc": 5, "rc_unit": "USD/oz"},
    ]
    return recs


def conc_price(cu: float = 600.0, au: float = 2000.0) -> float:
    """Per wet tonne: 0.92 · (0.9 · 0.25 · (Cu − 0.01 · LB) + 0.8 · 10e-6 · OZ · (Au − 5) − 10 − 2)."""
    return 0.92 * (0.9 * 0.25 * (cu - 0.01 * LB) + 0.8 * 10e-6 * OZ * (au - 5) - 10 - 2)


def test_concentrate_and_cathode_are_priced_from_their_metals():
    d = prepare(instance_from_records(metal_priced_tiny()))
    # 0.92 · (130.0396 + 513.1259 − 12) = 580.6723 USD/t
    assert d.markets[("PORT", "CONC", "P1")]["price"] == pytest.approx(conc_price())
    assert conc_price() == pytest.approx(580.6723, abs=1e-3)
    assert d.markets[("PORT", "CU", "P1")]["price"] == pytest.approx(600.0)  # 100 % Cu, no smelter terms: full value
    b = d.metal_pricing[("PORT", "CONC", "P1")]
    assert b["tc_usd_per_dmt"] == 10 and b["dry_share"] == pytest.approx(0.92)
    assert b["rc_usd_per_dmt"] == pytest.approx(0.9 * 0.25 * 0.01 * LB + 0.8 * 10e-6 * OZ * 5)


def test_a_metal_price_moves_concentrate_and_cathode_together():
    recs = metal_priced_tiny()
    recs["MetalPrices"][0]["price"] = 900
    d = prepare(instance_from_records(recs))
    assert d.markets[("PORT", "CU", "P1")]["price"] == pytest.approx(900.0)
    assert d.markets[("PORT", "CONC", "P1")]["price"] == pytest.approx(conc_price(cu=900))
    assert conc_price(cu=900) - conc_price() == pytest.approx(0.92 * 0.9 * 0.25 * 300)


def test_an_explicit_markets_price_wins_and_a_node_price_wins_over_the_blank_node():
    recs = metal_priced_tiny()
    recs["Markets"][0]["price_usd_per_t"] = 100
    recs["MetalPrices"].append({"node": "PORT", "metal": "CU", "price": 700, "price_unit": "USD/lb"})
    d = prepare(instance_from_records(recs))
    assert d.markets[("PORT", "CONC", "P1")]["price"] == 100
    assert d.markets[("PORT", "CU", "P1")]["price"] == pytest.approx(700 * LB)


def test_a_concentrate_priced_from_its_metals_sets_the_plan():
    """No refinery: every tonne of CONC is mined (50), carried over A and B (10 + 10) and handled
    at the port (5), then sold at the metal price: NPV = 1,000 × (580.68 − 75)."""
    recs = metal_priced_tiny()
    for table in ("Refineries", "Recipes", "RecipeOutputs"):
        recs[table] = []
    recs["Markets"] = recs["Markets"][:1]
    recs["MetalContents"] = recs["MetalContents"][:2]
    s = solve_records(recs)
    assert_objective(s.results, 1000 * (conc_price() - 75))
    assert_decision(s.results, "Sales", "price_usd_per_t", conc_price(), node="PORT", commodity="CONC")
    assert_decision(s.results, "ConcentratePricing", "net_usd_per_t", conc_price(), node="PORT", commodity="CONC")
    assert_plan_valid(s.results, s.instance)


def test_a_by_product_needs_a_market_or_a_disposal():
    """tiny() whose smelting also makes 0.5 t of ACID per t of CONC, which has no market. Without
    a Disposal row the acid has nowhere to go, so nothing is smelted: CONC is sold at 100 − 75 =
    25 USD/t, NPV 25,000. With disposal at 10 USD/t at REF, smelting pays 66.25 − 5 per t:
    NPV = 54,250 − 1,000 × 0.5 × 10 = 49,250, 500 t/yr of acid disposed of."""
    recs = I.tiny()
    recs["Commodities"].append({"commodity": "ACID"})
    recs["RecipeOutputs"].append({"recipe": "SMELT", "output_commodity": "ACID", "yield": 0.5})
    assert_objective(solve_records(recs).results, 25_000)
    recs["Disposal"] = [{"node": "REF", "commodity": "ACID", "cost_usd_per_t": 10}]
    s = solve_records(recs)
    assert_objective(s.results, 49_250)
    assert_term(s.results, "disposal", -5_000)
    assert_decision(s.results, "Disposals", "t_per_yr", 500, node="REF", commodity="ACID")
    assert_plan_valid(s.results, s.instance)


@pytest.mark.parametrize(
    "table, row, column, fragment",
    [
        ("MetalPrices", {"metal": "ZN", "price": 1, "price_unit": "USD/t"}, "metal", "in no commodity's MetalContents"),
        ("PayableMetals", {"commodity": "CU", "metal": "CU", "payable_share": 1}, "commodity", "no SmelterTerms row"),
        ("MetalContents", {"commodity": "CU", "metal": "AU", "grade": 1}, "grade", "more than 100 %"),
    ],
)
def test_inconsistent_smelter_tables_name_the_row(table, row, column, fragment):
    from supplyopt.errors import InputError

    recs = metal_priced_tiny()
    recs[table].append(row)
    with pytest.raises(InputError) as e:
        instance_from_records(recs)
    found = [p for p in e.value.problems if p.sheet == table and p.column == column]
    assert found and fragment in found[0].message and found[0].row == len(recs[table]) + 1


def test_a_copper_price_scenario_moves_concentrate_and_cathode_together():
    """Scenarios: MetalPrices ' | CU | ' price scale 1.5 (600 → 900 USD/t): CU 900, CONC as priced by hand."""
    from supplyopt.inputs.scenarios import apply_scenario

    recs = metal_priced_tiny()
    recs["Scenarios"] = [{"scenario": "CU_HIGH", "table": "MetalPrices", "key": " | CU | ", "column": "price", "operation": "scale", "value": 1.5}]
    d = prepare(apply_scenario(instance_from_records(recs), "CU_HIGH"))
    assert d.markets[("PORT", "CU", "P1")]["price"] == pytest.approx(900.0)
    assert d.markets[("PORT", "CONC", "P1")]["price"] == pytest.approx(conc_price(cu=900))


def test_negative_spot_terms_raise_the_concentrate_price():
    """Spot terms below zero (TC −5 USD/dmt, Cu RC −0.005 USD/lb): the smelter pays for the
    concentrate. 0.92 · (0.9 · 0.25 · (600 + 0.005 · LB) + 0.8 · 10e-6 · OZ · (2000 − 5) + 5 − 2)
    = 0.92 · (137.4801 + 513.1259 + 3) = 601.3175 USD/t, above the 580.67 of the positive terms."""
    recs = metal_priced_tiny()
    recs["SmelterTerms"][0]["tc_usd_per_dmt"] = -5
    recs["PayableMetals"][0]["rc"] = -0.005
    d = prepare(instance_from_records(recs))
    price = 0.92 * (0.9 * 0.25 * (600 + 0.005 * LB) + 0.8 * 10e-6 * OZ * (2000 - 5) + 5 - 2)
    assert price == pytest.approx(601.3175, abs=1e-3)
    assert d.markets[("PORT", "CONC", "P1")]["price"] == pytest.approx(price)
