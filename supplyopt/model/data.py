"""ModelData: the sparse index sets and parameters the constraint families need.

Derived once from an Instance by `prepare(inst)`: per-period rows expanded (a blank period
means every period, a row naming a period overrides it), arcs built from corridors,
(arc, commodity) pairs pruned to those that can carry flow, discount factors computed.
Nothing here builds Pyomo components; nothing in model/ reads the Instance directly (a family
with a table of its own reads it from `ModelData.inputs`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.inputs.instance import Instance
from supplyopt.inputs.network import Arc, arcs_of, usable_arc_commodities
from supplyopt.model.metal_prices import metal_priced

T = TypeVar("T")

BASE_SCENARIO = "base"


@dataclass
class ModelData:
    periods: list[str]
    start_year: dict[str, int]
    length: dict[str, int]
    base_year: int
    discount_rate: float
    objective: str
    flow_factor: dict[str, float]  # Σ over the period's years of 1/(1+r)^(year-base)
    commodities: list[str]
    cargo_value: dict[str, float]
    nodes: list[str]
    arcs: dict[str, Arc]
    arc_unit_cost: dict[str, float]  # USD/t on the arc: distance × cost/tkm + handling
    arc_commodities: list[tuple[str, str]]
    corridor_arcs: dict[str, list[str]]
    corridor_capacity: dict[str, float]
    corridor_row: dict[str, int]
    # Mines: (mine, commodity, period) → bounds and cost
    supply: dict[tuple[str, str, str], dict[str, float]]
    # Refineries
    sites: dict[str, dict[str, Any]]
    site_periods: dict[str, list[str]]  # periods in which new capacity / opening may come online
    recipes: dict[str, dict[str, Any]]  # recipe → input, outputs {commodity: yield}
    site_recipes: list[tuple[str, str]]  # (site, recipe)
    recipe_cost: dict[tuple[str, str], float]
    # Ports and markets
    ports: dict[str, dict[str, float]]
    markets: dict[tuple[str, str, str], dict[str, float]]
    # Upgrades
    upgrades: dict[str, dict[str, Any]]
    upgrade_periods: dict[str, list[str]]
    # Scenarios (disruptions): weight and capacity factors
    scenarios: list[str] = field(default_factory=lambda: [BASE_SCENARIO])
    probability: dict[str, float] = field(default_factory=lambda: {BASE_SCENARIO: 1.0})
    factors: dict[tuple[str, str, str, str], float] = field(default_factory=dict)  # (scenario, type, element, period)
    rows: dict[tuple, int] = field(default_factory=dict)  # (table, *key) → spreadsheet row
    # Security risk (issue: risk constraints); keys (corridor, period) and (node, period)
    corridor_risk: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    node_risk: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    risk_limits: dict[str, dict[str, float]] = field(default_factory=dict)  # period → budget, convoys
    risk_settings: dict[str, Any] = field(default_factory=dict)
    disruption_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Descriptive data carried to the results (maps, reports): node kind/name/lat/lon, corridor mode/distance
    node_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    corridor_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Penalty (USD/t) that makes every contract minimum soft (stress tests, diagnosis); None = as input
    default_shortfall_penalty: float | None = None
    element_upgrades: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (type, element) → upgrades
    # Design decisions forced by `explain`: ("site", j) → open or not; ("upgrade", u) → built or not
    forced_design: dict[tuple[str, str], bool] = field(default_factory=dict)
    # Elastic mode (diagnosis): minimum production and exposure budgets get slack variables
    elastic: bool = False
    # The instance's tables (with their `_row` column) and settings as read: a family whose
    # parameters are one table of its own reads them here (see CONTRIBUTING, adding a family).
    inputs: dict[str, pd.DataFrame] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    # Markets rows priced from their metals (model/metal_prices.py): (node, commodity, period) → breakdown
    metal_pricing: dict[tuple[str, str, str], dict[str, float]] = field(default_factory=dict)
    # Views derived from `inputs` alone (a family's rows keyed by period, ...), made on first use
    # by `view`: they are asked for once per constraint row when results are reported.
    views: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def view(self, name: str, make: Callable[[], T]) -> T:
        """The view `name` of the inputs, made by `make()` the first time; callers must not change it."""
        if name not in self.views:
            self.views[name] = make()
        return self.views[name]

    def shortfall_penalty(self, key: tuple[str, str, str]) -> float | None:
        own = self.markets[key]["penalty"]
        return own if own is not None else self.default_shortfall_penalty

    def upgrades_of(self, etype: str, element: str) -> list[str]:
        """Upgrades that add capacity to this corridor or port."""
        return self.element_upgrades.get((etype, element), [])

    def factor(self, scenario: str, etype: str, element: str, period: str) -> float:
        return self.factors.get((scenario, etype, element, period), 1.0)

    def capex_factor(self, period: str, lead_years: int = 0) -> float:
        """Discount factor of a payment made lead_years before the start of `period`."""
        return (1 + self.discount_rate) ** -(self.start_year[period] - lead_years - self.base_year)

    def periods_upto(self, period: str) -> list[str]:
        return self.periods[: self.periods.index(period) + 1]


def expand_periods(df: pd.DataFrame, key: list[str], periods: list[str]) -> dict[tuple, dict[str, Any]]:
    """Rows keyed by (*key, period): blank-period rows fill every period, explicit ones override."""
    out: dict[tuple, dict[str, Any]] = {}
    recs = df.to_dict("records")
    for rec in recs:
        if rec["period"] is None:
            for p in periods:
                out[(*[rec[k] for k in key], p)] = rec
    for rec in recs:
        if rec["period"] is not None:
            out[(*[rec[k] for k in key], rec["period"])] = rec
    return out


def _discount_factors(periods, start, length, base, r) -> dict[str, float]:
    return {p: sum((1 + r) ** -(y - base) for y in range(start[p], start[p] + length[p])) for p in periods}


def _fill(value: float, default: float) -> float:
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else value


def prepare(inst: Instance) -> ModelData:
    s = inst.settings
    per = inst["Periods"]
    periods = list(per["period"])
    start = dict(zip(per["period"], per["start_year"].astype(int)))
    length = dict(zip(per["period"], per["length_years"].astype(int)))
    base = int(s["base_year"]) if s.get("base_year") is not None else start[periods[0]]
    r = float(s["discount_rate"])
    rows: dict[tuple, int] = {}

    modes = {rec["mode"]: rec for rec in inst["Modes"].to_dict("records")}
    arcs = {a.arc: a for a in arcs_of(inst)}
    corridors = {rec["corridor"]: rec for rec in inst["Corridors"].to_dict("records")}
    arc_cost = {}
    for a in arcs.values():
        rec = corridors[a.corridor]
        mode = modes.get(rec["mode"], {})
        tkm = _fill(rec["cost_usd_per_tkm"], mode.get("cost_usd_per_tkm", 0.0))
        handling = _fill(rec["handling_usd_per_t"], _fill(mode.get("handling_usd_per_t", 0.0), 0.0))
        arc_cost[a.arc] = rec["distance_km"] * tkm + handling
    corridor_arcs: dict[str, list[str]] = defaultdict(list)
    for a in arcs.values():
        corridor_arcs[a.corridor].append(a.arc)
    for k, rec in corridors.items():
        rows[("Corridors", k)] = rec[ROW_COLUMN]

    supply = {}
    for key, rec in expand_periods(inst["Mines"], ["mine", "commodity"], periods).items():
        supply[key] = {"min": rec["min_t_per_yr"], "max": rec["max_t_per_yr"], "cost": rec["cost_usd_per_t"], "row": rec[ROW_COLUMN]}

    period_index = {p: i for i, p in enumerate(periods)}
    sites, site_periods = {}, {}
    for rec in inst["Refineries"].to_dict("records"):
        site = rec["site"]
        sites[site] = rec
        rows[("Refineries", site)] = rec[ROW_COLUMN]
        first = period_index[rec["earliest_period"]] if rec["earliest_period"] is not None else 0
        lead = int(rec["lead_time_years"] or 0)
        site_periods[site] = [p for p in periods[first:] if start[p] >= base + lead]

    outputs = defaultdict(dict)
    for rec in inst["RecipeOutputs"].to_dict("records"):
        outputs[rec["recipe"]][rec["output_commodity"]] = rec["yield"]
    recipes, site_recipes, recipe_cost = {}, [], {}
    recipe_rows = inst["Recipes"].to_dict("records")
    # A site-specific row overrides the all-sites row of the same recipe.
    for rec in sorted(recipe_rows, key=lambda x: x["site"] is not None):
        recipes[rec["recipe"]] = {"input": rec["input_commodity"], "outputs": dict(outputs[rec["recipe"]])}
        for site in sites if rec["site"] is None else [rec["site"]]:
            if (site, rec["recipe"]) not in recipe_cost:
                site_recipes.append((site, rec["recipe"]))
            recipe_cost[(site, rec["recipe"])] = rec["cost_usd_per_t"]

    ports = {
        rec["port"]: {"capacity": rec["capacity_t_per_yr"], "handling": rec["handling_usd_per_t"], "row": rec[ROW_COLUMN]}
        for rec in inst["Ports"].to_dict("records")
    }
    markets = {}
    for key, rec in expand_periods(inst["Markets"], ["node", "commodity"], periods).items():
        markets[key] = {
            "price": rec["price_usd_per_t"],
            "min": rec["min_t_per_yr"],
            "max": rec["max_t_per_yr"],
            "penalty": _nan_to(rec["shortfall_penalty_usd_per_t"], None),
            "row": rec[ROW_COLUMN],
        }

    upgrades, upgrade_periods = {}, {}
    for rec in inst["Upgrades"].to_dict("records"):
        upgrades[rec["upgrade"]] = rec
        first = period_index[rec["earliest_period"]] if rec["earliest_period"] is not None else 0
        upgrade_periods[rec["upgrade"]] = periods[first:]

    factors = {}
    for (etype, element, p), rec in expand_periods(inst["CapacityFactors"], ["element_type", "element"], periods).items():
        factors[(BASE_SCENARIO, etype, element, p)] = rec["factor"]

    d = ModelData(
        periods=periods,
        start_year=start,
        length=length,
        base_year=base,
        discount_rate=r,
        objective=s["objective"],
        flow_factor=_discount_factors(periods, start, length, base, r),
        commodities=list(inst["Commodities"]["commodity"]),
        cargo_value=dict(zip(inst["Commodities"]["commodity"], inst["Commodities"]["cargo_value_usd_per_t"])),
        nodes=list(inst["Nodes"]["node"]),
        arcs=arcs,
        arc_unit_cost=arc_cost,
        arc_commodities=usable_arc_commodities(inst, list(arcs.values())),
        corridor_arcs=dict(corridor_arcs),
        corridor_capacity={k: rec["capacity_t_per_yr"] for k, rec in corridors.items()},
        corridor_row={k: rec[ROW_COLUMN] for k, rec in corridors.items()},
        supply=supply,
        sites=sites,
        site_periods=site_periods,
        recipes=recipes,
        site_recipes=site_recipes,
        recipe_cost=recipe_cost,
        ports=ports,
        markets=markets,
        upgrades=upgrades,
        upgrade_periods=upgrade_periods,
        factors=factors,
        rows=rows,
        inputs=dict(inst.tables),
        settings=dict(inst.settings),
    )
    d.node_info = {rec["node"]: {"name": rec["name"], "kind": rec["kind"], "lat": rec["lat"], "lon": rec["lon"]} for rec in inst["Nodes"].to_dict("records")}
    d.corridor_info = {
        k: {"name": rec["name"], "from_node": rec["from_node"], "to_node": rec["to_node"], "mode": rec["mode"], "distance_km": rec["distance_km"]}
        for k, rec in corridors.items()
    }
    for u, rec in d.upgrades.items():
        d.element_upgrades.setdefault((rec["element_type"], rec["element"]), []).append(u)
    _prepare_risk(inst, d)
    d.metal_pricing = metal_priced(inst.tables, periods, d.markets)
    for k, b in d.metal_pricing.items():
        d.markets[k] = {**d.markets[k], "price": b["net_usd_per_t"]}
    return d


def _nan_to(value: Any, default: float | None) -> float | None:
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _prepare_risk(inst: Instance, d: ModelData) -> None:
    """Corridor/node risk per period, limits, switches, and disruption scenarios with factors."""
    s = inst.settings
    for (k, p), rec in expand_periods(inst["CorridorRisk"], ["corridor"], d.periods).items():
        d.corridor_risk[(k, p)] = {
            "incident_probability": rec["incident_probability"],
            "risk_score": rec["risk_score"],
            "security_cost": rec["security_cost_usd_per_t"],
            "convoy_size": _nan_to(rec["convoy_size_t"], None),
            "escort_cost": rec["escort_cost_usd_per_convoy"],
        }
    for (n, p), rec in expand_periods(inst["NodeRisk"], ["node"], d.periods).items():
        d.node_risk[(n, p)] = {
            "incident_probability": rec["incident_probability"],
            "risk_score": rec["risk_score"],
            "security_cost": rec["security_cost_usd_per_t"],
        }
    limits = inst["RiskLimits"]
    for (p,), rec in expand_periods(limits, [], d.periods).items():
        d.rows[("RiskLimits", p)] = rec[ROW_COLUMN]
        d.risk_limits[p] = {"exposure_budget": _nan_to(rec["exposure_budget"], None), "max_convoys": _nan_to(rec["max_convoys_per_yr"], None)}
    d.risk_settings = {
        k: s.get(k)
        for k in (
            "expected_loss",
            "escorts",
            "high_risk_threshold",
            "high_risk_max_share",
            "max_corridor_share",
            "max_port_share",
            "disruptions",
            "cvar_weight",
            "cvar_alpha",
        )
    }
    for rec in inst["Disruptions"].to_dict("records"):
        d.disruption_info[rec["disruption"]] = {"probability": rec["probability"], "description": rec["description"], "row": rec[ROW_COLUMN]}
    if s.get("disruptions") and d.disruption_info:
        apply_disruptions(d, inst["DisruptionFactors"], list(d.disruption_info))


def apply_disruptions(d: ModelData, factors: pd.DataFrame, names: list[str]) -> None:
    """Make the listed disruptions scenarios of `d` (two-stage): the undisrupted base keeps the
    probability left over (dropped when none is), each disruption multiplies the base factors."""
    p_base = 1.0 - sum(d.disruption_info[n]["probability"] for n in names)
    scenarios = ([BASE_SCENARIO] if p_base > 1e-12 else []) + names
    probability = {n: d.disruption_info[n]["probability"] for n in names}
    if p_base > 1e-12:
        probability[BASE_SCENARIO] = p_base
    base_factors = {k[1:]: v for k, v in d.factors.items() if k[0] == BASE_SCENARIO}
    new = {(BASE_SCENARIO, *k): v for k, v in base_factors.items()}
    for name in names:
        sub = factors[factors["disruption"] == name]
        for k, v in base_factors.items():
            new[(name, *k)] = v
        for (etype, element, p), rec in expand_periods(sub, ["element_type", "element"], d.periods).items():
            new[(name, etype, element, p)] = base_factors.get((etype, element, p), 1.0) * rec["factor"]
    d.scenarios, d.probability, d.factors = scenarios, probability, new
