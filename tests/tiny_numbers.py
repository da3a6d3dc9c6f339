"""The tiny-number instances of the reliability round (issue 14): numbers all inside the accepted
range per cell, but far apart in one row. `k` rescales the tonnes (and prices inversely), so
every k describes the same economics; HiGHS must give the same plan for every k, or refuse."""

from __future__ import annotations

import instances as I


def tiny_yield(k: float = 1.0) -> dict:
    """tests.instances.tiny with copper yield 1e-8·k, port capacity 2e-8·k t/yr and copper at
    1e12/k USD/t (concentrate unsold). Hand optimum: 2 t of concentrate mined (50 USD/t),
    carried to REF (10 USD/t) and smelted (20 USD/t) in one module make 2e-8·k t of copper,
    carried to PORT (10 USD/t) and handled (5 USD/t): NPV = 20,000 − 2·80 − 10,000 − 1,000 −
    2e-8·k·15 = 8,840 − 3e-7·k."""
    r = I.tiny()
    r["RecipeOutputs"][0]["yield"] = 1e-8 * k
    r["Ports"][0]["capacity_t_per_yr"] = 2e-8 * k
    r["Markets"][1]["price_usd_per_t"] = 1e12 / k
    r["Markets"][0]["price_usd_per_t"] = 0
    return r


def tiny_yield_npv(k: float) -> float:
    return 8_840 - 3e-7 * k


def tiny_corridors(k: float = 1.0) -> dict:
    """Mine → port on two parallel free corridors of 1e-8·k and 3e-8·k t/yr, concentrate at
    1e12/k USD/t, one period of two years, r = 0: ship 4e-8·k t/yr, NPV = 2 × 4e-8 × 1e12 = 80,000."""
    road = {"from_node": "MINE", "to_node": "PORT", "mode": "road", "distance_km": 1, "cost_usd_per_tkm": 0}
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2026, "length_years": 2}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [{"corridor": "A", **road, "capacity_t_per_yr": 1e-8 * k}, {"corridor": "B", **road, "capacity_t_per_yr": 3e-8 * k}],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1, "cost_usd_per_t": 0}],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 0}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 1e12 / k}],
    }
