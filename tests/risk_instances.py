"""The tiny instances of the security-risk family tests (tests/model/test_<risk family>.py) and
helpers to solve them; optima are derived by hand in each test.

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

from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve

EXACT = SolveOptions(mip_gap=0.0, threads=1)
Records = dict[str, list[dict[str, Any]]]


def road(k: str, a: str, b: str, km: float, **extra: Any) -> dict[str, Any]:
    return {"corridor": k, "from_node": a, "to_node": b, "mode": "road", "distance_km": km, "cost_usd_per_tkm": 0.1, "bidirectional": False, **extra}


def routes(settings: dict[str, Any] | None = None, *, via_hub: bool = False, short_risk: dict[str, Any] | None = None, **tables: Any) -> Records:
    """The common instance (see the module docstring); `tables` replace or add whole tables."""
    if via_hub:
        nodes = [{"node": "MINE", "kind": "mine"}, {"node": "H", "kind": "hub"}, {"node": "PORT", "kind": "port"}]
        long = [road("LONG1", "MINE", "H", 100), road("LONG2", "H", "PORT", 100)]
    else:
        nodes = [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}]
        long = [road("LONG", "MINE", "PORT", 200)]
    recs: Records = {
        "Settings": [{"name": "discount_rate", "value": 0}] + [{"name": k, "value": v} for k, v in (settings or {}).items()],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC", "cargo_value_usd_per_t": 1000}],
        "Nodes": nodes,
        "Corridors": [road("SHORT", "MINE", "PORT", 100)] + long,
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


def rich_records() -> dict:
    """Mine → (SHORT, risky and escorted | LONG1-LONG2 via hub H, LONG1 upgradable) → refinery →
    port; SHORT closed in the disruption case; copper sold under a soft 100 t/yr contract."""
    return {
        "Settings": [
            {"name": "discount_rate", "value": 0.1},
            {"name": "disruptions", "value": "yes"},
            {"name": "cvar_weight", "value": 0.3},
            {"name": "cvar_alpha", "value": 0.8},
            {"name": "escorts", "value": "yes"},
            {"name": "expected_loss", "value": "yes"},
        ],
        "Periods": [{"period": "P1", "start_year": 2030, "length_years": 2}, {"period": "P2", "start_year": 2032, "length_years": 3}],
        "Commodities": [
            {"commodity": "CONC", "kind": "concentrate", "cargo_value_usd_per_t": 1000},
            {"commodity": "CU", "kind": "refined", "cargo_value_usd_per_t": 5000},
        ],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "H", "kind": "hub"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [
            road("SHORT", "MINE", "REF", 100),
            road("LONG1", "MINE", "H", 90, capacity_t_per_yr=400),
            road("LONG2", "H", "REF", 90),
            road("EXP", "REF", "PORT", 100),
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 50}],
        "Refineries": [{"site": "REF", "open_capex_usd": 10000, "module_size_t_per_yr": 600, "module_capex_usd": 1000, "max_modules": 2}],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": 20}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.25}],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 5}],
        "Markets": [
            {"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100},
            {"node": "PORT", "commodity": "CU", "price_usd_per_t": 600, "min_t_per_yr": 100, "shortfall_penalty_usd_per_t": 50},
        ],
        "Upgrades": [{"upgrade": "U-LONG1", "element_type": "corridor", "element": "LONG1", "capex_usd": 2000, "added_capacity_t_per_yr": 1000}],
        "CorridorRisk": [
            {
                "corridor": "SHORT",
                "risk_score": 2,
                "incident_probability": 0.01,
                "security_cost_usd_per_t": 1,
                "convoy_size_t": 300,
                "escort_cost_usd_per_convoy": 50,
            }
        ],
        "NodeRisk": [{"node": "H", "risk_score": 1, "incident_probability": 0.005, "security_cost_usd_per_t": 0.5}],
        "Disruptions": [{"disruption": "SHORT_CLOSED", "probability": 0.2}],
        "DisruptionFactors": [{"disruption": "SHORT_CLOSED", "element_type": "corridor", "element": "SHORT", "factor": 0}],
    }
