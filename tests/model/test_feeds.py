"""Imported and recycled feed (model/feeds.py): scrap bought at the port, carried back to the
refinery and recycled by its own recipe, within what is available. Derived by hand on tiny()
(r = 0): per tonne of CONC smelted 66.25 USD, exported 25; refinery 2 × 600 t/yr for 12,000."""

from __future__ import annotations

import pytest
from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def scrap_tiny(max_scrap: float = 400) -> dict:
    """SCRAP at PORT for 30 USD/t (up to max_scrap t/yr), back over B (10 USD/t) to REF, recycled
    at 20 USD/t into 0.5 t CU: 300 − 30 − 10 − 20 − 0.5 × (10 + 5) = 232.5 USD per tonne of scrap."""
    recs = I.tiny()
    recs["Commodities"].append({"commodity": "SCRAP", "kind": "other"})
    recs["Recipes"].append({"recipe": "RECYCLE", "input_commodity": "SCRAP", "cost_usd_per_t": 20})
    recs["RecipeOutputs"].append({"recipe": "RECYCLE", "output_commodity": "CU", "yield": 0.5})
    recs["Feeds"] = [{"node": "PORT", "commodity": "SCRAP", "price_usd_per_t": 30, "max_t_per_yr": max_scrap}]
    return recs


def test_imported_scrap_takes_refinery_capacity_from_concentrate():
    """1,200 t/yr of capacity shared: all 400 t of scrap (232.5 each) and 800 t of CONC (66.25),
    the other 200 t of CONC exported (25): 93,000 + 53,000 + 5,000 − 12,000 = 139,000."""
    s = solve_records(scrap_tiny())
    assert_objective(s.results, 139_000)
    assert_term(s.results, "feed_purchases", -12_000)
    assert_decision(s.results, "Purchases", "t_per_yr", 400, node="PORT", commodity="SCRAP")
    assert_decision(s.results, "Flows", "t_per_yr", 400, corridor="B", commodity="SCRAP")
    assert_decision(s.results, "Sales", "t_per_yr", 200, node="PORT", commodity="CONC")
    assert_plan_valid(s.results, s.instance)


def test_availability_is_a_limit_with_a_shadow_price():
    """One more tonne of scrap displaces a tonne of smelted CONC, exported instead:
    232.5 − 66.25 + 25 = 191.25 USD/yr per t/yr of scrap."""
    from model_asserts import EXACT

    from supplyopt.studies.diagnose import shadow_prices

    s = solve_records(scrap_tiny())
    prices = shadow_prices(s.model, EXACT)
    row = prices[prices["family"] == "feed_availability"]
    assert list(row["row"]) == [2] and float(row["npv_per_unit_usd"].iloc[0]) == pytest.approx(191.25)
