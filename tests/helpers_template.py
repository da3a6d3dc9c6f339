"""Shared data and assertions for the template and docs tests."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd

from supplyopt.instance import Instance

_SMALL = {
    "Settings": [{"name": "discount_rate", "value": 0}],
    "Periods": [{"period": "P1", "start_year": 2026, "length_years": 1}],
    "Commodities": [{"commodity": "CONC"}, {"commodity": "CU"}],
    "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
    "Corridors": [
        {"corridor": "A", "from_node": "MINE", "to_node": "REF", "mode": "road", "distance_km": 100, "cost_usd_per_tkm": 0.1},
        {"corridor": "B", "from_node": "REF", "to_node": "PORT", "mode": "road", "distance_km": 100, "cost_usd_per_tkm": 0.1},
    ],
    "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 50}],
    "Refineries": [{"site": "REF", "open_capex_usd": 10000, "module_size_t_per_yr": 600, "module_capex_usd": 1000, "max_modules": 2}],
    "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": 20}],
    "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.25}],
    "Ports": [{"port": "PORT", "handling_usd_per_t": 5}],
    "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100}, {"node": "PORT", "commodity": "CU", "price_usd_per_t": 600}],
}


def small_records() -> dict[str, list[dict[str, Any]]]:
    """A small valid instance (mine → refinery → port), fresh copy each call."""
    return copy.deepcopy(_SMALL)


def assert_same_instance(actual: Instance, expected: Instance) -> None:
    """Same tables (values, dtypes, spreadsheet rows) and same settings."""
    assert list(actual.tables) == list(expected.tables)
    for name in expected.tables:
        try:
            pd.testing.assert_frame_equal(actual[name], expected[name])
        except AssertionError as exc:
            raise AssertionError(f"table {name} differs: {exc}") from None
    assert dict(actual.settings) == dict(expected.settings)
