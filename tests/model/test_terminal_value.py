"""Terminal value (model/terminal_value.py), derived by hand on tiny() at r = 10 %, one period
(2026, the base year, DF = 1): smelting earns 66,250 USD/yr, exporting CONC 25,000 USD/yr."""

from __future__ import annotations

import pytest
from model_asserts import assert_decision, assert_objective, assert_term, solve_records

import instances as I
from supplyopt.errors import InputError
from supplyopt.io.memory import instance_from_records


def tv_tiny(method: str = "perpetuity", growth: float | None = None, open_capex: float = 10_000) -> dict:
    recs = I.tiny()
    recs["Settings"] = [{"name": "discount_rate", "value": 0.1}, {"name": "terminal_value_method", "value": method}]
    if growth is not None:
        recs["Settings"].append({"name": "terminal_growth_rate", "value": growth})
    recs["Refineries"][0]["open_capex_usd"] = open_capex
    return recs


def test_a_perpetuity_values_the_last_margin_after_the_horizon():
    """Factor (1.1)^0 · 1/0.1 = 10: TV = 10 × 66,250 = 662,500; NPV = 54,250 + 662,500."""
    s = solve_records(tv_tiny())
    assert_term(s.results, "terminal_value", 662_500)
    assert_objective(s.results, 716_750)


def test_growth_raises_the_terminal_value():
    """g = 2 %: factor 1.02 / 0.08 = 12.75, TV = 844,687.5."""
    s = solve_records(tv_tiny(growth=0.02))
    assert_term(s.results, "terminal_value", 66_250 * 12.75)


def test_a_terminal_value_opens_a_refinery_the_horizon_alone_would_not():
    """Opening costs 100,000 (+ 2,000 for modules). Without a terminal value: smelting 66,250 −
    102,000 < 25,000 exporting, so no refinery. With it: 11 × 66,250 − 102,000 = 626,750 >
    11 × 25,000 = 275,000: the refinery opens."""
    no_tv = solve_records(tv_tiny(method="none", open_capex=100_000))
    assert_objective(no_tv.results, 25_000)
    assert_decision(no_tv.results, "Refineries", "open", 0, site="REF")
    with_tv = solve_records(tv_tiny(open_capex=100_000))
    assert_objective(with_tv.results, 626_750)
    assert_decision(with_tv.results, "Refineries", "open", 1, site="REF")


def test_growth_at_the_discount_rate_is_refused():
    with pytest.raises(InputError) as e:
        instance_from_records(tv_tiny(growth=0.1))
    assert any(p.sheet == "Settings" and p.row == 4 and "above terminal_growth_rate" in p.message for p in e.value.problems)
