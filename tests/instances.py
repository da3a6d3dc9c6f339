"""Small named instances, as record dicts, whose optimal plans are derived by hand.

Every function returns a fresh ``dict[str, list[dict]]`` (table name → rows) that
`supplyopt.io.memory.instance_from_records` turns into a validated Instance, so a test may
edit the records before building. The hand derivations of the optima live next to the
tests that check them (tests/test_model_hand.py, tests/test_classic.py); the docstrings here
only tell the story of each instance and its unit costs.

Unit costs used throughout: a corridor's cost per tonne is distance_km × cost_usd_per_tkm
(+ handling_usd_per_t), e.g. 100 km × 0.1 USD/(t·km) = 10 USD/t.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from typing import Any

Records = dict[str, list[dict[str, Any]]]

INSTANCES_DIR = Path(__file__).resolve().parents[1] / "instances"


def load_instance_module(name: str):
    """Import instances/<name>.py (the real instances are scripts, not a package)."""
    if str(INSTANCES_DIR) not in sys.path:
        sys.path.insert(0, str(INSTANCES_DIR))
    spec = importlib.util.spec_from_file_location(name, INSTANCES_DIR / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def tiny() -> Records:
    """Mine → refinery → port, one period, r = 0 (rows as Excel numbers them: Nodes MINE row 2,
    REF row 3, PORT row 4; Corridors A row 2, B row 3). Optimum: mine 1,000 t, smelt all with 2
    modules, sell 250 t CU; NPV = 150,000 − 50,000 − 20,000 − 12,500 − 1,250 − 12,000 = 54,250."""
    return {
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


def _settings(objective: str = "npv", discount_rate: float = 0.0) -> list[dict[str, Any]]:
    return [{"name": "objective", "value": objective}, {"name": "discount_rate", "value": discount_rate}]


def _road(corridor: str, a: str, b: str, km: float, usd_per_tkm: float, **extra: Any) -> dict[str, Any]:
    return {
        "corridor": corridor,
        "from_node": a,
        "to_node": b,
        "mode": "road",
        "distance_km": km,
        "cost_usd_per_tkm": usd_per_tkm,
        "bidirectional": False,
        **extra,
    }


# --------------------------------------------------------------------------------------------
# 1 + 2. Refine locally or export concentrate
# --------------------------------------------------------------------------------------------


def refine_or_export(
    open_capex: float = 30_000,
    processing_cost: float = 25,
    discount_rate: float = 0.0,
    length_years: int = 1,
) -> Records:
    """MINE --(M-R: 200 km × 0.05 + 2 handling = 12 USD/t)--> REF --(R-P: 100 km × 0.05 = 5 USD/t)--> PORT.

    Mine: up to 2,000 t/yr of CONC at 40 USD/t. Refinery REF (new): opening
    `open_capex`, modules of 1,000 t/yr input at 5,000 USD each (at most 2), fixed opex
    2,000 USD/yr while open plus 500 USD/yr per module. Recipe SMELT: CONC → CU, yield 0.3,
    `processing_cost` USD/t of input. PORT: handling 4 USD/t sold. Prices at PORT: CONC 90, CU 500.
    Concentrate can pass through REF to the port unrefined.
    """
    return {
        "Settings": _settings("npv", discount_rate),
        "Periods": [{"period": "P1", "start_year": 2030, "length_years": length_years}],
        "Commodities": [{"commodity": "CONC", "kind": "concentrate"}, {"commodity": "CU", "kind": "refined"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [
            _road("M-R", "MINE", "REF", 200, 0.05, handling_usd_per_t=2),
            {**_road("R-P", "REF", "PORT", 100, 0.05), "mode": "rail"},
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 2000, "cost_usd_per_t": 40}],
        "Refineries": [
            {
                "site": "REF",
                "open_capex_usd": open_capex,
                "fixed_opex_usd_per_yr": 2000,
                "module_size_t_per_yr": 1000,
                "module_capex_usd": 5000,
                "module_opex_usd_per_yr": 500,
                "max_modules": 2,
            }
        ],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": processing_cost}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.3}],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 4}],
        "Markets": [
            {"node": "PORT", "commodity": "CONC", "price_usd_per_t": 90},
            {"node": "PORT", "commodity": "CU", "price_usd_per_t": 500},
        ],
    }


# --------------------------------------------------------------------------------------------
# 3. Capacity bought in a later period
# --------------------------------------------------------------------------------------------


def _chain(mine_max: dict[str, float], refinery: dict[str, Any], periods: list[dict[str, Any]], discount_rate: float, mr_extra=None) -> Records:
    """MINE --(10 USD/t)--> REF --(10 USD/t)--> PORT; CONC at 50 USD/t, SMELT yield 0.25 at
    20 USD/t, CU sold at PORT for 800 USD/t (no handling, no concentrate market)."""
    mines = [{"mine": "MINE", "commodity": "CONC", "period": p, "max_t_per_yr": mx, "cost_usd_per_t": 50} for p, mx in mine_max.items()]
    return {
        "Settings": _settings("npv", discount_rate),
        "Periods": periods,
        "Commodities": [{"commodity": "CONC"}, {"commodity": "CU"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("M-R", "MINE", "REF", 100, 0.1, **(mr_extra or {})), _road("R-P", "REF", "PORT", 100, 0.1)],
        "Mines": mines,
        "Refineries": [{"site": "REF", "module_size_t_per_yr": 1000, **refinery}],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": 20}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.25}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CU", "price_usd_per_t": 800}],
    }


GROWTH_PERIODS = [{"period": "P1", "start_year": 2030, "length_years": 1}, {"period": "P2", "start_year": 2031, "length_years": 2}]


def capacity_growth(expansion: str = "module") -> Records:
    """Mine output grows from 1,000 t/yr (P1: 2030) to 2,000 t/yr (P2: 2031-32), r = 10 %.

    expansion="module": REF exists with 1 module of 1,000 t/yr (max 2); a second module
    costs 20,000 USD and 1,000 USD/yr per installed module; corridors unlimited.
    expansion="upgrade": REF exists with 2 modules (max 2, 1,000 USD/yr each), but corridor
    M-R carries only 1,000 t/yr; upgrade U-MR adds 1,000 t/yr for 15,000 USD + 500 USD/yr.
    """
    if expansion == "module":
        ref = {"existing_modules": 1, "max_modules": 2, "module_capex_usd": 20_000, "module_opex_usd_per_yr": 1000}
        recs = _chain({"P1": 1000, "P2": 2000}, ref, GROWTH_PERIODS, 0.10)
    elif expansion == "upgrade":
        ref = {"existing_modules": 2, "max_modules": 2, "module_capex_usd": 20_000, "module_opex_usd_per_yr": 1000}
        recs = _chain({"P1": 1000, "P2": 2000}, ref, GROWTH_PERIODS, 0.10, mr_extra={"capacity_t_per_yr": 1000})
        recs["Upgrades"] = [
            {
                "upgrade": "U-MR",
                "element_type": "corridor",
                "element": "M-R",
                "capex_usd": 15_000,
                "added_capacity_t_per_yr": 1000,
                "fixed_opex_usd_per_yr": 500,
            }
        ]
    else:
        raise ValueError(expansion)
    return recs


# --------------------------------------------------------------------------------------------
# 4. Co-products
# --------------------------------------------------------------------------------------------


def co_products() -> Records:
    """Cu-Au concentrate (1,000 t/yr at 300 USD/t) smelted at a new refinery (open 100,000 USD,
    one module of 1,000 t/yr for 50,000 USD) by CUAU: 400 USD/t, yields CU 0.25 and AU 0.00002.
    Corridors 10 USD/t each (M-R, R-P), port handling 5 USD/t. Prices: CU 9,000 USD/t,
    AU 60,000,000 USD/t (≈ 1,866 USD/oz). No concentrate market."""
    return {
        "Settings": _settings("npv", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CUAU_CONC"}, {"commodity": "CU"}, {"commodity": "AU"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("M-R", "MINE", "REF", 100, 0.1), _road("R-P", "REF", "PORT", 100, 0.1)],
        "Mines": [{"mine": "MINE", "commodity": "CUAU_CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 300}],
        "Refineries": [{"site": "REF", "open_capex_usd": 100_000, "module_size_t_per_yr": 1000, "module_capex_usd": 50_000, "max_modules": 1}],
        "Recipes": [{"recipe": "CUAU", "input_commodity": "CUAU_CONC", "cost_usd_per_t": 400}],
        "RecipeOutputs": [
            {"recipe": "CUAU", "output_commodity": "CU", "yield": 0.25},
            {"recipe": "CUAU", "output_commodity": "AU", "yield": 0.00002},
        ],
        "Ports": [{"port": "PORT", "handling_usd_per_t": 5}],
        "Markets": [
            {"node": "PORT", "commodity": "CU", "price_usd_per_t": 9000},
            {"node": "PORT", "commodity": "AU", "price_usd_per_t": 60_000_000},
        ],
    }


# --------------------------------------------------------------------------------------------
# 5. Earliest period and lead time
# --------------------------------------------------------------------------------------------

LEAD_PERIODS = [{"period": f"P{i + 1}", "start_year": 2030 + i, "length_years": 1} for i in range(3)]


def lead_time(earliest_period: str | None = None, lead_time_years: int = 0) -> Records:
    """Three one-year periods 2030-32, r = 10 %. The only outlet for the mine's 1,000 t/yr of
    CONC is a new refinery: open 50,000 USD + one module 40,000 USD, fixed opex 5,000 USD/yr,
    with the given earliest period and lead time. Same chain economics as `capacity_growth`."""
    ref = {
        "open_capex_usd": 50_000,
        "module_capex_usd": 40_000,
        "max_modules": 1,
        "fixed_opex_usd_per_yr": 5000,
        "earliest_period": earliest_period,
        "lead_time_years": lead_time_years,
    }
    return _chain({None: 1000}, ref, LEAD_PERIODS, 0.10)


# --------------------------------------------------------------------------------------------
# 6. objective = cost
# --------------------------------------------------------------------------------------------


def cost_mode_demand() -> Records:
    """Minimise discounted cost of meeting copper demand at a domestic market MKT.

    Mines MA (800 t/yr CONC at 50 USD/t, 10 USD/t to REF) and MB (1,000 t/yr at 40 USD/t,
    30 USD/t to REF). REF exists with 1 module of 1,200 t/yr input (max 2, module 11,000 USD).
    SMELT yield 0.25 at 20 USD/t; REF → MKT 4 USD/t of CU. Demand (min) 300 t/yr CU in P1
    (2030), 400 t/yr in P2 (2031); price 5,000 USD/t (reported only). r = 10 %."""
    return {
        "Settings": _settings("cost", 0.10),
        "Periods": [{"period": "P1", "start_year": 2030}, {"period": "P2", "start_year": 2031}],
        "Commodities": [{"commodity": "CONC"}, {"commodity": "CU"}],
        "Nodes": [
            {"node": "MA", "kind": "mine"},
            {"node": "MB", "kind": "mine"},
            {"node": "REF", "kind": "refinery"},
            {"node": "MKT", "kind": "market"},
        ],
        "Corridors": [
            _road("A-R", "MA", "REF", 100, 0.1),
            _road("B-R", "MB", "REF", 100, 0.3),
            _road("R-M", "REF", "MKT", 40, 0.1),
        ],
        "Mines": [
            {"mine": "MA", "commodity": "CONC", "max_t_per_yr": 800, "cost_usd_per_t": 50},
            {"mine": "MB", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 40},
        ],
        "Refineries": [{"site": "REF", "module_size_t_per_yr": 1200, "module_capex_usd": 11_000, "max_modules": 2, "existing_modules": 1}],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": 20}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.25}],
        "Markets": [
            {"node": "MKT", "commodity": "CU", "period": "P1", "price_usd_per_t": 5000, "min_t_per_yr": 300},
            {"node": "MKT", "commodity": "CU", "period": "P2", "price_usd_per_t": 5000, "min_t_per_yr": 400},
        ],
    }


# --------------------------------------------------------------------------------------------
# Ports, contracts, mode defaults, base year, capacity factors
# --------------------------------------------------------------------------------------------


def ports_and_contracts(price_b: float = 90, mine_min: float = 600, corridor_factor: float | None = None) -> Records:
    """One period P1 = 2030 discounted to base_year 2029 at r = 10 % (DF = 1/1.1).

    MINE (600-1,500 t/yr CONC at 60 USD/t, `mine_min` the minimum) joins HUB by corridor H-M,
    given from HUB to MINE but bidirectional, 1,200 t/yr, road with the Modes default
    0.1 USD/(t·km) × 100 km + 1 USD/t handling = 11 USD/t. HUB → PORT_A road 50 km (defaults:
    5 + 1 = 6 USD/t); HUB → PORT_B rail 100 km × 0.02 = 2 USD/t (no Modes row for rail, so no
    handling). PORT_A: 500 t/yr, handling 3, CONC at 100 USD/t with a contract maximum of
    300 t/yr. PORT_B: 400 t/yr, handling 8, CONC at `price_b`; upgrade U-B adds 600 t/yr for
    2,200 USD. `corridor_factor` (CapacityFactors) scales H-M's capacity.
    """
    recs: Records = {
        "Settings": [*_settings("npv", 0.10), {"name": "base_year", "value": 2029}],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [
            {"node": "MINE", "kind": "mine"},
            {"node": "HUB", "kind": "hub"},
            {"node": "PORT_A", "kind": "port"},
            {"node": "PORT_B", "kind": "port"},
        ],
        "Modes": [{"mode": "road", "cost_usd_per_tkm": 0.1, "handling_usd_per_t": 1}],
        "Corridors": [
            {"corridor": "H-M", "from_node": "HUB", "to_node": "MINE", "mode": "road", "distance_km": 100, "capacity_t_per_yr": 1200, "bidirectional": True},
            {"corridor": "H-A", "from_node": "HUB", "to_node": "PORT_A", "mode": "road", "distance_km": 50, "bidirectional": False},
            {"corridor": "H-B", "from_node": "HUB", "to_node": "PORT_B", "mode": "rail", "distance_km": 100, "cost_usd_per_tkm": 0.02, "bidirectional": False},
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "min_t_per_yr": mine_min, "max_t_per_yr": 1500, "cost_usd_per_t": 60}],
        "Ports": [
            {"port": "PORT_A", "capacity_t_per_yr": 500, "handling_usd_per_t": 3},
            {"port": "PORT_B", "capacity_t_per_yr": 400, "handling_usd_per_t": 8},
        ],
        "Upgrades": [{"upgrade": "U-B", "element_type": "port", "element": "PORT_B", "capex_usd": 2200, "added_capacity_t_per_yr": 600}],
        "Markets": [
            {"node": "PORT_A", "commodity": "CONC", "price_usd_per_t": 100, "max_t_per_yr": 300},
            {"node": "PORT_B", "commodity": "CONC", "price_usd_per_t": price_b},
        ],
    }
    if corridor_factor is not None:
        recs["CapacityFactors"] = [{"element_type": "corridor", "element": "H-M", "factor": corridor_factor}]
    return recs


def shared_corridor(bidirectional: bool = True) -> Records:
    """Two mines swap products over one corridor H1-H2 of 100 t/yr: MA's GA (100 t/yr, free)
    sells only at M2 beyond H2 for 10 USD/t; MB's GB (100 t/yr, free) sells at M1 beyond H1 for
    20 USD/t or at M2, on its own side, for 1 USD/t. Every other corridor is free, one-way and
    unlimited; r = 0, one period."""
    free = dict(km=1, usd_per_tkm=0.0)
    return {
        "Settings": _settings("npv", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "GA"}, {"commodity": "GB"}],
        "Nodes": [
            {"node": "MA", "kind": "mine"},
            {"node": "MB", "kind": "mine"},
            {"node": "H1", "kind": "hub"},
            {"node": "H2", "kind": "hub"},
            {"node": "M1", "kind": "market"},
            {"node": "M2", "kind": "market"},
        ],
        "Corridors": [
            _road("MA-H1", "MA", "H1", **free),
            _road("MB-H2", "MB", "H2", **free),
            _road("H1-M1", "H1", "M1", **free),
            _road("H2-M2", "H2", "M2", **free),
            {**_road("H1-H2", "H1", "H2", **free), "capacity_t_per_yr": 100, "bidirectional": bidirectional},
        ],
        "Mines": [
            {"mine": "MA", "commodity": "GA", "max_t_per_yr": 100},
            {"mine": "MB", "commodity": "GB", "max_t_per_yr": 100},
        ],
        "Markets": [
            {"node": "M2", "commodity": "GA", "price_usd_per_t": 10},
            {"node": "M1", "commodity": "GB", "price_usd_per_t": 20},
            {"node": "M2", "commodity": "GB", "price_usd_per_t": 1},
        ],
    }


# --------------------------------------------------------------------------------------------
# 7. Classic problems in the input format
# --------------------------------------------------------------------------------------------

# Capacitated facility location: 3 candidate sites, 5 customers.
CFL_FIXED = {"A": 1000.0, "B": 800.0, "C": 900.0}
CFL_CAPACITY = {"A": 60.0, "B": 50.0, "C": 70.0}
CFL_DEMAND = {"K1": 20.0, "K2": 25.0, "K3": 15.0, "K4": 30.0, "K5": 10.0}
CFL_UNIT_COST = {
    "A": {"K1": 40.0, "K2": 60.0, "K3": 90.0, "K4": 80.0, "K5": 50.0},
    "B": {"K1": 70.0, "K2": 30.0, "K3": 40.0, "K4": 100.0, "K5": 60.0},
    "C": {"K1": 90.0, "K2": 80.0, "K3": 50.0, "K4": 30.0, "K5": 70.0},
}


def facility_location_records(
    fixed: dict[str, float],
    capacity: dict[str, float],
    demand: dict[str, float],
    unit_cost: dict[str, dict[str, float]],
) -> Records:
    """A capacitated facility location problem in the input format (single period, r = 0, cost).

    Sites are Refineries (open_capex = fixed cost, one module of size = capacity, free), the
    recipe MAKE turns RAW into PROD 1:1 at no cost, a single free mine SRC supplies RAW over free
    corridors, and customers are market nodes buying exactly their demand of PROD (min = max).
    Shipping site → customer is a one-way corridor of 1 km at cost_usd_per_tkm = unit cost.
    """
    total = sum(demand.values())
    corridors = [_road(f"S-{j}", "SRC", j, 1, 0.0) for j in fixed]
    corridors += [_road(f"{j}-{k}", j, k, 1, unit_cost[j][k]) for j in fixed for k in demand]
    return {
        "Settings": _settings("cost", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "RAW"}, {"commodity": "PROD"}],
        "Nodes": [{"node": "SRC", "kind": "mine"}] + [{"node": j, "kind": "refinery"} for j in fixed] + [{"node": k, "kind": "market"} for k in demand],
        "Corridors": corridors,
        "Mines": [{"mine": "SRC", "commodity": "RAW", "max_t_per_yr": total, "cost_usd_per_t": 0}],
        "Refineries": [{"site": j, "open_capex_usd": fixed[j], "module_size_t_per_yr": capacity[j], "module_capex_usd": 0, "max_modules": 1} for j in fixed],
        "Recipes": [{"recipe": "MAKE", "input_commodity": "RAW", "cost_usd_per_t": 0}],
        "RecipeOutputs": [{"recipe": "MAKE", "output_commodity": "PROD", "yield": 1.0}],
        "Markets": [{"node": k, "commodity": "PROD", "min_t_per_yr": dk, "max_t_per_yr": dk} for k, dk in demand.items()],
    }


def facility_location() -> Records:
    """The 3-site, 5-customer capacitated facility location instance (CFL_* above)."""
    return facility_location_records(CFL_FIXED, CFL_CAPACITY, CFL_DEMAND, CFL_UNIT_COST)


def random_facility_location(n_sites: int = 25, n_customers: int = 60, seed: int = 7) -> dict[str, Any]:
    """Data (fixed, capacity, demand, unit_cost) of a random capacitated facility location
    problem: total capacity ≈ 3 × demand, fixed costs comparable to transport costs."""
    rng = random.Random(seed)
    demand = {f"K{k}": float(rng.randint(5, 35)) for k in range(n_customers)}
    total = sum(demand.values())
    sites = [f"F{j}" for j in range(n_sites)]
    capacity = {j: float(round(3 * total / n_sites * rng.uniform(0.6, 1.4))) for j in sites}
    fixed = {j: float(rng.randint(2000, 6000)) for j in sites}
    sx = {j: (rng.random(), rng.random()) for j in sites}
    cx = {k: (rng.random(), rng.random()) for k in demand}
    unit_cost = {j: {k: round(1 + 100 * ((sx[j][0] - cx[k][0]) ** 2 + (sx[j][1] - cx[k][1]) ** 2) ** 0.5, 2) for k in demand} for j in sites}
    return {"fixed": fixed, "capacity": capacity, "demand": demand, "unit_cost": unit_cost}


# Fixed-charge network flow: two supplies, a hub, three demands; every arc must be built.
FCNF_SUPPLY = {"S1": 40.0, "S2": 30.0}
FCNF_DEMAND = {"D1": 30.0, "D2": 25.0, "D3": 15.0}
# (tail, head, unit cost USD/t, capacity t/yr, fixed cost USD)
FCNF_ARCS = [
    ("S1", "H", 2.0, 50.0, 100.0),
    ("S2", "H", 3.0, 40.0, 80.0),
    ("H", "D1", 1.0, 40.0, 60.0),
    ("H", "D2", 2.0, 40.0, 70.0),
    ("H", "D3", 2.0, 30.0, 50.0),
    ("S1", "D1", 5.0, 30.0, 120.0),
    ("S2", "D2", 4.0, 30.0, 110.0),
    ("S2", "D3", 6.0, 20.0, 30.0),
    ("S1", "D3", 7.0, 20.0, 25.0),
]


def fixed_charge_records(
    supply: dict[str, float],
    demand: dict[str, float],
    arcs: list[tuple[str, str, float, float, float]],
    hubs: tuple[str, ...] = ("H",),
) -> Records:
    """A fixed-charge network flow problem in the input format (single period, r = 0, cost).

    Supplies are mines producing exactly their supply of G (min = max, free); demands are market
    nodes buying exactly their demand (min = max). Each arc is a one-way corridor of 1 km with
    capacity 0 at cost_usd_per_tkm = unit cost, plus an Upgrade adding the arc's capacity for
    capex = the fixed cost: flow only on built arcs.
    """
    return {
        "Settings": _settings("cost", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "G"}],
        "Nodes": [{"node": n, "kind": "mine"} for n in supply] + [{"node": h, "kind": "hub"} for h in hubs] + [{"node": n, "kind": "market"} for n in demand],
        "Corridors": [_road(f"{a}-{b}", a, b, 1, c, capacity_t_per_yr=0) for a, b, c, _u, _f in arcs],
        "Upgrades": [
            {"upgrade": f"U-{a}-{b}", "element_type": "corridor", "element": f"{a}-{b}", "capex_usd": f, "added_capacity_t_per_yr": u}
            for a, b, _c, u, f in arcs
        ],
        "Mines": [{"mine": n, "commodity": "G", "min_t_per_yr": v, "max_t_per_yr": v} for n, v in supply.items()],
        "Markets": [{"node": n, "commodity": "G", "min_t_per_yr": v, "max_t_per_yr": v} for n, v in demand.items()],
    }


def fixed_charge_network() -> Records:
    """The 2-supply, 1-hub, 3-demand, 9-arc instance (FCNF_* above)."""
    return fixed_charge_records(FCNF_SUPPLY, FCNF_DEMAND, FCNF_ARCS)


def bypass(capex: float = 30_000.0) -> Records:
    """The Reko Diq shape of the upgrade cover: mine M (1,000 t/yr of G, 10 USD/t) → town T
    (road, 2,000 t/yr) → rail station R (transfer, unlimited) → rail to port P2 (700 t/yr,
    1 USD/t·km × 100 km); from T a road to port P1 of capacity 0 that upgrade U-T-P1 raises by
    2,000 t/yr (capex `capex`, 0.1 USD/t·km × 100 km); and a long road T → P2 (5,000 t/yr,
    3 USD/t·km × 100 km). G sells for 500 USD/t at either port; r = 0, one period."""
    return {
        "Settings": _settings("npv", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "G"}],
        "Nodes": [
            {"node": "M", "kind": "mine"},
            {"node": "T", "kind": "hub"},
            {"node": "R", "kind": "hub"},
            {"node": "P1", "kind": "port"},
            {"node": "P2", "kind": "port"},
        ],
        "Corridors": [
            _road("M-T", "M", "T", 1, 0.0, capacity_t_per_yr=2000),
            _road("T-R", "T", "R", 1, 0.0),
            {**_road("R-P2", "R", "P2", 100, 1.0, capacity_t_per_yr=700), "mode": "rail"},
            _road("T-P1", "T", "P1", 100, 0.1, capacity_t_per_yr=0),
            _road("T-P2", "T", "P2", 100, 3.0, capacity_t_per_yr=5000),
        ],
        "Upgrades": [{"upgrade": "U-T-P1", "element_type": "corridor", "element": "T-P1", "capex_usd": capex, "added_capacity_t_per_yr": 2000}],
        "Mines": [{"mine": "M", "commodity": "G", "max_t_per_yr": 1000, "cost_usd_per_t": 10}],
        "Ports": [{"port": "P1"}, {"port": "P2"}],
        "Markets": [{"node": n, "commodity": "G", "price_usd_per_t": 500} for n in ("P1", "P2")],
    }


# --------------------------------------------------------------------------------------------
# 8. Solve statuses
# --------------------------------------------------------------------------------------------


def infeasible_contract() -> Records:
    """A contract minimum of 1,500 t/yr of CONC at PORT, but the only mine produces at most
    1,000 t/yr. The market is reachable, so input validation passes; the model is infeasible."""
    return {
        "Settings": _settings("npv", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("M-P", "MINE", "PORT", 100, 0.1)],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 50}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100, "min_t_per_yr": 1500}],
    }


def free_money() -> Records:
    """The most lucrative shape the input allows: nothing costs anything, the market has no
    maximum, corridors are unlimited and bidirectional (a cycle), a free refinery can be
    opened. Revenue is still bounded by the mine's (required, finite) maximum."""
    return {
        "Settings": _settings("npv", 0.0),
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}, {"commodity": "CU"}],
        "Nodes": [
            {"node": "MINE", "kind": "mine"},
            {"node": "REF", "kind": "refinery"},
            {"node": "HUB", "kind": "hub"},
            {"node": "PORT", "kind": "port"},
        ],
        "Corridors": [
            {**_road("M-R", "MINE", "REF", 10, 0.0), "bidirectional": True},
            {**_road("R-H", "REF", "HUB", 10, 0.0), "bidirectional": True},
            {**_road("H-M", "HUB", "MINE", 10, 0.0), "bidirectional": True},
            {**_road("H-P", "HUB", "PORT", 10, 0.0), "bidirectional": True},
        ],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000}],
        "Refineries": [{"site": "REF", "module_size_t_per_yr": 1e9, "max_modules": 5}],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC"}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 1.0}],
        "Ports": [{"port": "PORT"}],
        "Markets": [
            {"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100},
            {"node": "PORT", "commodity": "CU", "price_usd_per_t": 300},
        ],
    }


ALL: dict[str, Any] = {
    "refine_or_export": refine_or_export,
    "capacity_growth": capacity_growth,
    "co_products": co_products,
    "lead_time": lead_time,
    "cost_mode_demand": cost_mode_demand,
    "ports_and_contracts": ports_and_contracts,
    "shared_corridor": shared_corridor,
    "facility_location": facility_location,
    "fixed_charge_network": fixed_charge_network,
    "infeasible_contract": infeasible_contract,
    "free_money": free_money,
}
"""Every named instance with its default arguments (for tests that loop over all of them)."""
