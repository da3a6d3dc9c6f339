"""Every input table and column, declared once.

This module is the single source of truth for the input format. The template writer
(`supplyopt.io.template`), the reader's validation (`coerce_table`) and the generated
reference `docs/input-format.md` (`render_markdown`) are all driven from `TABLES` and
`SETTINGS`, so they cannot drift apart.

Conventions: money in USD, mass in tonnes (t), rates per year, distances in km.
A blank `period` cell in a per-period table means "every period"; a row naming a
period overrides the blank row for that period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

ColumnType = Literal["str", "float", "int", "bool", "enum"]

NODE_KINDS = ("mine", "refinery", "hub", "port", "market")
MODES = ("road", "rail", "pipeline", "sea")
COMMODITY_KINDS = ("ore", "concentrate", "refined", "other")
ELEMENT_TYPES = ("corridor", "port", "refinery", "mine")
UPGRADE_TYPES = ("corridor", "port")
OPERATIONS = ("set", "scale", "add")
GRADE_UNITS = ("%", "g/t")
METAL_PRICE_UNITS = ("USD/t", "USD/lb", "USD/oz")


@dataclass(frozen=True)
class Column:
    """One input column: its type, unit, bounds, default and documentation."""

    name: str
    type: ColumnType
    doc: str
    unit: str = ""
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    enum: tuple[str, ...] = ()
    ref: tuple[str, str] | None = None  # (table, column) this column must reference
    example: Any = None

    @property
    def header_note(self) -> str:
        """Short text for the template's header comment."""
        parts = [self.doc]
        if self.unit:
            parts.append(f"Unit: {self.unit}.")
        if self.enum:
            parts.append("One of: " + ", ".join(self.enum) + ".")
        if self.ref:
            parts.append(f"Must name a row of {self.ref[0]}.{self.ref[1]}.")
        parts.append("Required." if self.required else f"Optional (blank = {describe_default(self)}).")
        return " ".join(parts)


def describe_default(col: Column) -> str:
    if col.default is None:
        return "none" if col.name != "period" else "every period"
    if col.default == "":
        return "empty"
    if isinstance(col.default, float) and math.isinf(col.default):
        return "unlimited"
    if isinstance(col.default, bool):
        return "yes" if col.default else "no"
    return str(col.default)


@dataclass(frozen=True)
class Table:
    """One input table (a sheet in a workbook, a file in a CSV folder)."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    examples: tuple[tuple[Any, ...], ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


INF = float("inf")


def _period(required: bool = False, doc: str | None = None) -> Column:
    return Column(
        "period",
        "str",
        doc or "Period this row applies to; blank applies the row to every period.",
        required=required,
        ref=("Periods", "period"),
    )


@dataclass(frozen=True)
class Setting:
    """One model setting (a row of the Settings sheet)."""

    name: str
    type: ColumnType
    default: Any
    doc: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    enum: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "objective",
        "enum",
        "npv",
        "npv: maximise net present value (revenue minus all costs). "
        "cost: minimise discounted cost while selling at least each market's min_t_per_yr "
        "(the demand); revenue is reported but not optimised.",
        enum=("npv", "cost"),
    ),
    Setting("discount_rate", "float", 0.08, "Annual discount rate (0.08 = 8 %).", "1/yr", min=0, max=1),
    Setting(
        "base_year",
        "int",
        None,
        "Year to which money is discounted; blank = start year of the first period.",
        "year",
        min=1900,
        max=2200,
    ),
    Setting(
        "expected_loss",
        "bool",
        True,
        "Security risk 1: count expected cargo loss (incident probability × cargo value × tonnes) as a cost.",
    ),
    Setting(
        "escorts",
        "bool",
        False,
        "Security risk 5: corridors with a convoy size in CorridorRisk may only carry escorted convoys "
        "(integer convoys, escort cost, escort capacity in RiskLimits).",
    ),
    Setting(
        "high_risk_threshold",
        "float",
        None,
        "Security risk 3: corridors whose risk score is at least this are high-risk; blank = off.",
        "risk score",
        min=0,
    ),
    Setting(
        "high_risk_max_share",
        "float",
        None,
        "Security risk 3: high-risk corridors may carry at most this share of all tonnes moved (0-1); blank = off.",
        "share",
        min=0,
        max=1,
    ),
    Setting(
        "max_corridor_share",
        "float",
        None,
        "Security risk 4: no single corridor may carry more than this share of a product's sales, counted "
        "on corridors that end at a port or market node (the export legs); blank = off.",
        "share",
        min=0,
        max=1,
    ),
    Setting(
        "max_port_share",
        "float",
        None,
        "Security risk 4: no single port or market may take more than this share of a product's sales; blank = off.",
        "share",
        min=0,
        max=1,
    ),
    Setting(
        "disruptions",
        "bool",
        False,
        "Security risk 6: solve two-stage over the Disruptions table (design shared, flows per disruption); "
        "the undisrupted case has the probability left over.",
    ),
    Setting(
        "cvar_weight",
        "float",
        0.0,
        "Security risk 6: weight λ of CVaR in the objective (1-λ)·E[NPV] + λ·CVaR; 0 = expected NPV only.",
        "share",
        min=0,
        max=1,
    ),
    Setting(
        "cvar_alpha",
        "float",
        0.9,
        "Security risk 6: CVaR confidence level α (CVaR = mean NPV of the worst 1-α probability).",
        "share",
        min=0,
        max=0.999,
    ),
    Setting(
        "terminal_value_method",
        "enum",
        "none",
        "Value after the horizon: none, or perpetuity: the last period's operating margin (revenue − operating and "
        "fixed costs, capex excluded) continued forever from the year after the horizon, growing at terminal_growth_rate, "
        "discounted at discount_rate (needs discount_rate > terminal_growth_rate).",
        enum=("none", "perpetuity"),
    ),
    Setting("terminal_growth_rate", "float", 0.0, "Annual growth of the margin after the horizon (perpetuity terminal value).", "1/yr", min=-0.5, max=0.5),
    Setting(
        "currency_note",
        "str",
        "USD",
        "Free text recorded in the results; all money columns are USD.",
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


TABLES: tuple[Table, ...] = (
    Table(
        "Settings",
        "Model settings, one per row. Unknown names are errors; missing names take their default.",
        (
            Column("name", "str", "Setting name (see the list of settings).", enum=tuple(SETTINGS_BY_NAME)),
            Column("value", "str", "Setting value (number or text, as the setting's documentation says).", required=False),
        ),
        key=("name",),
        required=False,
        examples=(("objective", "npv"), ("discount_rate", 0.08)),
    ),
    Table(
        "Periods",
        "Planning periods in time order. A period covers `length_years` years starting in "
        "`start_year`; flows, production and sales are annual rates that hold through the period.",
        (
            Column("period", "str", "Period name, e.g. 2026 or 2026-30.", example="2026"),
            Column("start_year", "int", "First calendar year of the period.", "year", min=1900, max=2200),
            Column("length_years", "int", "Number of years in the period.", "years", default=1, required=False, min=1, max=100),
        ),
        key=("period",),
        examples=(("2026", 2026, 1),),
    ),
    Table(
        "Commodities",
        "Ores, concentrates and refined products. Every mass is in tonnes (gold too).",
        (
            Column("commodity", "str", "Commodity code, e.g. CU_CONC."),
            Column("name", "str", "Readable name.", required=False, default=""),
            Column("kind", "enum", "What the commodity is.", enum=COMMODITY_KINDS, default="other", required=False),
            Column(
                "cargo_value_usd_per_t",
                "float",
                "Value of one tonne in transit (used by risk and expected-loss figures).",
                "USD/t",
                required=False,
                default=0.0,
                min=0,
            ),
        ),
        key=("commodity",),
        examples=(("CU_CONC", "Copper concentrate", "concentrate", 2500.0),),
    ),
    Table(
        "Nodes",
        "Places: mines, refinery candidate sites, hubs/junctions, ports and domestic markets.",
        (
            Column("node", "str", "Node code, e.g. REKO_DIQ."),
            Column("name", "str", "Readable name.", required=False, default=""),
            Column("kind", "enum", "Role of the node.", enum=NODE_KINDS),
            Column("lat", "float", "Latitude (for maps).", "degrees", required=False, min=-90, max=90),
            Column("lon", "float", "Longitude (for maps).", "degrees", required=False, min=-180, max=180),
            Column("region", "str", "Province or district (information only).", required=False, default=""),
        ),
        key=("node",),
        examples=(("REKO_DIQ", "Reko Diq", "mine", 29.13, 62.061, "Balochistan"),),
    ),
    Table(
        "Modes",
        "Default transport costs per mode; a corridor may override them.",
        (
            Column("mode", "enum", "Transport mode.", enum=MODES),
            Column("cost_usd_per_tkm", "float", "Line-haul cost.", "USD/(t·km)", min=0),
            Column("handling_usd_per_t", "float", "Loading/unloading cost per tonne carried.", "USD/t", default=0.0, required=False, min=0),
        ),
        key=("mode",),
        required=False,
        examples=(("road", 0.045, 2.0),),
    ),
    Table(
        "Corridors",
        "Transport links between two nodes. Capacity is in tonnes per year over both directions "
        "together when the corridor is bidirectional. A planned corridor has capacity 0 and an upgrade.",
        (
            Column("corridor", "str", "Corridor code, e.g. R-04."),
            Column("name", "str", "Readable name.", required=False, default=""),
            Column("from_node", "str", "Start node.", ref=("Nodes", "node")),
            Column("to_node", "str", "End node.", ref=("Nodes", "node")),
            Column("mode", "enum", "Transport mode.", enum=MODES),
            Column("distance_km", "float", "Length.", "km", min=0),
            Column("capacity_t_per_yr", "float", "Base capacity.", "t/yr", required=False, default=INF, min=0),
            Column(
                "cost_usd_per_tkm",
                "float",
                "Line-haul cost; blank = the mode's default from Modes.",
                "USD/(t·km)",
                required=False,
                min=0,
            ),
            Column(
                "handling_usd_per_t",
                "float",
                "Fixed cost per tonne carried; blank = the mode's default from Modes.",
                "USD/t",
                required=False,
                min=0,
            ),
            Column("bidirectional", "bool", "Can carry flow both ways (yes/no).", required=False, default=True),
        ),
        key=("corridor",),
        examples=(("R-04", "N-25 Khuzdar-Karachi", "KHUZDAR", "KARACHI", "road", 350.0, 2_000_000.0, None, None, True),),
    ),
    Table(
        "Mines",
        "Production at mine nodes, per commodity and period.",
        (
            Column("mine", "str", "Mine node.", ref=("Nodes", "node")),
            Column("commodity", "str", "Commodity produced.", ref=("Commodities", "commodity")),
            _period(),
            Column("min_t_per_yr", "float", "Minimum output.", "t/yr", required=False, default=0.0, min=0),
            Column("max_t_per_yr", "float", "Maximum output.", "t/yr", min=0),
            Column("cost_usd_per_t", "float", "Mining cost (cash cost at the mine gate).", "USD/t", required=False, default=0.0, min=0),
        ),
        key=("mine", "commodity", "period"),
        examples=(("REKO_DIQ", "CU_CONC", None, 0.0, 900_000.0, 900.0),),
    ),
    Table(
        "Refineries",
        "Candidate (or existing) refinery sites: opening cost and capacity modules. Capacity is measured in input tonnes per year.",
        (
            Column("site", "str", "Refinery node.", ref=("Nodes", "node")),
            Column("open_capex_usd", "float", "One-off cost to open the site.", "USD", required=False, default=0.0, min=0),
            Column("fixed_opex_usd_per_yr", "float", "Fixed cost per year while open.", "USD/yr", required=False, default=0.0, min=0),
            Column("module_size_t_per_yr", "float", "Input capacity of one module.", "t/yr", min=0, min_exclusive=True),
            Column("module_capex_usd", "float", "Cost of one module.", "USD", required=False, default=0.0, min=0),
            Column(
                "module_opex_usd_per_yr",
                "float",
                "Fixed cost per installed module per year.",
                "USD/yr",
                required=False,
                default=0.0,
                min=0,
            ),
            Column("max_modules", "int", "Most modules the site can hold.", "modules", min=0),
            Column("existing_modules", "int", "Modules already in place (site already open if > 0).", "modules", required=False, default=0, min=0),
            Column(
                "earliest_period",
                "str",
                "First period in which the site can open or a module can come online.",
                required=False,
                ref=("Periods", "period"),
            ),
            Column(
                "lead_time_years",
                "int",
                "Years between paying for a module or opening and its coming online; capex is "
                "discounted from that earlier year. Periods starting before base year + lead time "
                "cannot receive new capacity.",
                "years",
                required=False,
                default=0,
                min=0,
                max=50,
            ),
        ),
        key=("site",),
        required=False,
        examples=(("REF_PQ", 150_000_000.0, 10_000_000.0, 100_000.0, 120_000_000.0, 2_000_000.0, 4, 0, "2028", 2),),
    ),
    Table(
        "Recipes",
        "Processing routes: one input commodity turned into the outputs listed in RecipeOutputs.",
        (
            Column("recipe", "str", "Recipe code, e.g. CU_SMELT."),
            Column(
                "site",
                "str",
                "Refinery site where the recipe runs; blank = every refinery site.",
                required=False,
                ref=("Refineries", "site"),
            ),
            Column("input_commodity", "str", "Commodity consumed.", ref=("Commodities", "commodity")),
            Column("cost_usd_per_t", "float", "Processing cost per tonne of input.", "USD/t", required=False, default=0.0, min=0),
            Column(
                "circuit",
                "str",
                "Circuit the recipe runs on (copper smelter, antimony, REE, recycling): its input also counts against "
                "the circuit's size (CircuitSizes); blank = the site's module capacity only.",
                required=False,
            ),
        ),
        key=("recipe", "site"),
        required=False,
        examples=(("CU_SMELT", None, "CU_CONC", 350.0, "CU_SMELTER"),),
    ),
    Table(
        "RecipeOutputs",
        "Co-products of each recipe with their recovery yields (tonnes out per tonne in). "
        "The yields of one recipe must add up to at most 1: no mass is made from nothing.",
        (
            Column("recipe", "str", "Recipe code.", ref=("Recipes", "recipe")),
            Column("output_commodity", "str", "Commodity produced.", ref=("Commodities", "commodity")),
            Column("yield", "float", "Tonnes of output per tonne of input.", "t/t", min=0, max=1, min_exclusive=True),
        ),
        key=("recipe", "output_commodity"),
        required=False,
        examples=(("CU_SMELT", "CU_CATHODE", 0.26),),
    ),
    Table(
        "Ports",
        "Export ports: throughput capacity and handling cost for all sales at the port.",
        (
            Column("port", "str", "Port node.", ref=("Nodes", "node")),
            Column("capacity_t_per_yr", "float", "Throughput capacity.", "t/yr", required=False, default=INF, min=0),
            Column("handling_usd_per_t", "float", "Port handling cost.", "USD/t", required=False, default=0.0, min=0),
        ),
        key=("port",),
        required=False,
        examples=(("PORT_QASIM", 12_000_000.0, 8.0),),
    ),
    Table(
        "Markets",
        "Sales of a commodity at a port or market node: price and contract bounds per period. "
        "In objective = cost mode, min_t_per_yr is a demand that must be met.",
        (
            Column("node", "str", "Port or market node.", ref=("Nodes", "node")),
            Column("commodity", "str", "Commodity sold.", ref=("Commodities", "commodity")),
            _period(),
            Column(
                "price_usd_per_t",
                "float",
                "Sale price: FOB at a port, CIF at an overseas buyer (Buyers); 0 or blank = priced from MetalPrices when the commodity has MetalContents.",
                "USD/t",
                required=False,
                default=0.0,
                min=0,
            ),
            Column("min_t_per_yr", "float", "Contract minimum (or demand).", "t/yr", required=False, default=0.0, min=0),
            Column("max_t_per_yr", "float", "Contract maximum.", "t/yr", required=False, default=INF, min=0),
            Column(
                "shortfall_penalty_usd_per_t",
                "float",
                "Penalty per tonne sold below the minimum; blank = the minimum is a hard constraint.",
                "USD/t",
                required=False,
                min=0,
            ),
        ),
        key=("node", "commodity", "period"),
        examples=(("PORT_QASIM", "CU_CONC", None, 2600.0, 0.0, None),),
    ),
    Table(
        "Upgrades",
        "Optional investments that add capacity to a corridor or port from a chosen period on (binary: built once, kept).",
        (
            Column("upgrade", "str", "Upgrade code."),
            Column("element_type", "enum", "What is upgraded.", enum=UPGRADE_TYPES),
            Column("element", "str", "Corridor or port code."),
            Column("capex_usd", "float", "One-off cost.", "USD", required=False, default=0.0, min=0),
            Column("added_capacity_t_per_yr", "float", "Capacity added.", "t/yr", min=0),
            Column("fixed_opex_usd_per_yr", "float", "Fixed cost per year once built.", "USD/yr", required=False, default=0.0, min=0),
            Column("earliest_period", "str", "First period in which it can be in service.", required=False, ref=("Periods", "period")),
        ),
        key=("upgrade",),
        required=False,
        examples=(("U-N25", "corridor", "R-04", 300_000_000.0, 3_000_000.0, 0.0, "2028"),),
    ),
    Table(
        "CapacityFactors",
        "Capacity multipliers per period for corridors, ports, refineries or mines (0 = closed, 0.5 = half capacity). Multiplies base capacity and upgrades.",
        (
            Column("element_type", "enum", "What the factor applies to.", enum=ELEMENT_TYPES),
            Column("element", "str", "Corridor, port, refinery site or mine code."),
            _period(),
            Column("factor", "float", "Capacity multiplier.", min=0),
        ),
        key=("element_type", "element", "period"),
        required=False,
        examples=(("corridor", "R-02", "2027", 0.0),),
    ),
    Table(
        "CorridorRisk",
        "Security risk of corridors, per period: incident probability, risk score, security cost and "
        "escorted-convoy data. Corridors without a row have no risk and no security cost.",
        (
            Column("corridor", "str", "Corridor code.", ref=("Corridors", "corridor")),
            _period(),
            Column(
                "incident_probability",
                "float",
                "Probability that a tonne moved on the corridor in a year is lost to an incident (expected loss = probability × cargo value × tonnes).",
                "1/t moved",
                required=False,
                default=0.0,
                min=0,
                max=1,
            ),
            Column("risk_score", "float", "Relative risk score used by the exposure budget and high-risk share.", "score", required=False, default=0.0, min=0),
            Column(
                "security_cost_usd_per_t", "float", "Security surcharge (guards, insurance) per tonne carried.", "USD/t", required=False, default=0.0, min=0
            ),
            Column(
                "convoy_size_t",
                "float",
                "Tonnes per escorted convoy; blank = no escorts on this corridor (used when Settings escorts = yes).",
                "t/convoy",
                required=False,
                min=0,
                min_exclusive=True,
            ),
            Column("escort_cost_usd_per_convoy", "float", "Cost of escorting one convoy.", "USD/convoy", required=False, default=0.0, min=0),
        ),
        key=("corridor", "period"),
        required=False,
        examples=(("R-02", None, 0.0005, 8.0, 3.0, 600.0, 1500.0),),
    ),
    Table(
        "NodeRisk",
        "Security risk of nodes (ports, refinery sites, mines, hubs) per period, applied to the tonnes the "
        "node handles: sales at ports/markets, input at refineries, output at mines.",
        (
            Column("node", "str", "Node code.", ref=("Nodes", "node")),
            _period(),
            Column(
                "incident_probability",
                "float",
                "Probability that a tonne handled is lost to an incident.",
                "1/t handled",
                required=False,
                default=0.0,
                min=0,
                max=1,
            ),
            Column("risk_score", "float", "Relative risk score (exposure budget).", "score", required=False, default=0.0, min=0),
            Column("security_cost_usd_per_t", "float", "Security cost per tonne handled.", "USD/t", required=False, default=0.0, min=0),
        ),
        key=("node", "period"),
        required=False,
        examples=(("GWADAR", None, 0.0002, 6.0, 2.0),),
    ),
    Table(
        "RiskLimits",
        "Per-period security limits: exposure budget (Σ risk score × tonnes) and escort capacity.",
        (
            _period(),
            Column(
                "exposure_budget",
                "float",
                "Most risk exposure allowed: Σ risk score × tonnes moved or handled; blank = no budget.",
                "score·t/yr",
                required=False,
                min=0,
            ),
            Column("max_convoys_per_yr", "float", "Escorted convoys available per year; blank = unlimited.", "convoys/yr", required=False, min=0),
        ),
        key=("period",),
        required=False,
        examples=((None, 5_000_000.0, 2000.0),),
    ),
    Table(
        "Disruptions",
        "Named disruption cases for the two-stage model and the stress test, with their probability "
        "(per planning horizon). The undisrupted case has probability 1 − Σ probabilities.",
        (
            Column("disruption", "str", "Disruption name, e.g. N40_CLOSED."),
            Column("probability", "float", "Probability of this case.", "share", min=0, max=1),
            Column("description", "str", "What happens.", required=False, default=""),
        ),
        key=("disruption",),
        required=False,
        examples=(("N40_CLOSED", 0.1, "N-40 closed by attacks"),),
    ),
    Table(
        "DisruptionFactors",
        "Capacity factors of each disruption (0 = closed) for corridors, ports, refineries or mines, over chosen periods.",
        (
            Column("disruption", "str", "Disruption name.", ref=("Disruptions", "disruption")),
            Column("element_type", "enum", "What is disrupted.", enum=ELEMENT_TYPES),
            Column("element", "str", "Corridor, port, refinery site or mine code."),
            _period(),
            Column("factor", "float", "Capacity multiplier in this disruption.", min=0, max=1),
        ),
        key=("disruption", "element_type", "element", "period"),
        required=False,
        examples=(("N40_CLOSED", "corridor", "R-02", None, 0.0),),
    ),
    Table(
        "MetalContents",
        "Metal contents of a commodity (dry basis): a concentrate's % Cu and g/t Au/Ag, a cathode's 99.99 % Cu. "
        "A commodity with contents is priced from MetalPrices wherever its Markets row gives no price (see Markets).",
        (
            Column("commodity", "str", "Commodity that carries the metal.", ref=("Commodities", "commodity")),
            Column("metal", "str", "Metal code, e.g. CU, AU, AG, SB; MetalPrices and PayableMetals name it the same way."),
            Column("grade", "float", "Content per dry tonne, in grade_unit.", "grade_unit", min=0),
            Column("grade_unit", "enum", "% (tonnes of metal per 100 t) or g/t (grams per tonne).", enum=GRADE_UNITS, required=False, default="%"),
        ),
        key=("commodity", "metal"),
        required=False,
        examples=(("CU_CONC", "CU", 26.0, "%"), ("CU_CATHODE", "CU", 100.0, "%")),
    ),
    Table(
        "MetalPrices",
        "Metal prices, one place for every commodity priced from its metals: per market node and period. "
        "A change here moves every concentrate and refined product that carries the metal together.",
        (
            Column(
                "node", "str", "Port or market node where the price holds; blank = every node (a node's own row wins).", required=False, ref=("Nodes", "node")
            ),
            Column("metal", "str", "Metal code (as in MetalContents)."),
            _period(),
            Column("price", "float", "Metal price, in price_unit.", "price_unit", min=0),
            Column("price_unit", "enum", "USD per tonne, per pound (2,204.62 lb/t) or per troy ounce (32,150.75 oz/t).", enum=METAL_PRICE_UNITS),
        ),
        key=("node", "metal", "period"),
        required=False,
        examples=((None, "CU", None, 9500.0, "USD/t"),),
    ),
    Table(
        "SmelterTerms",
        "Smelter terms of a concentrate sale: treatment charge, penalties and moisture. A commodity with a row here is paid "
        "only for the metals PayableMetals lists; without a row it is paid its full metal value (refined products).",
        (
            Column("node", "str", "Port or market node of the sale; blank = every node (a node's own row wins).", required=False, ref=("Nodes", "node")),
            Column("commodity", "str", "Concentrate sold.", ref=("Commodities", "commodity")),
            _period(),
            Column(
                "tc_usd_per_dmt",
                "float",
                "Treatment charge per dry tonne; negative when smelters pay for concentrate (spot terms since 2024).",
                "USD/dmt",
                required=False,
                default=0.0,
            ),
            Column(
                "penalty_usd_per_dmt",
                "float",
                "Penalties for deleterious elements (As, Bi, ...) per dry tonne, total.",
                "USD/dmt",
                required=False,
                default=0.0,
                min=0,
            ),
            Column(
                "moisture_share",
                "float",
                "Water in a sold (wet) tonne; tonnes in the model are wet, paid tonnes dry (1 − moisture).",
                "share",
                required=False,
                default=0.0,
                min=0,
                max=1,
            ),
        ),
        key=("node", "commodity", "period"),
        required=False,
        examples=((None, "CU_CONC", None, 80.0, 0.0, 0.08),),
    ),
    Table(
        "PayableMetals",
        "Payable share and refining charge of each metal of a concentrate under its SmelterTerms.",
        (
            Column("node", "str", "Port or market node of the sale; blank = every node (a node's own row wins).", required=False, ref=("Nodes", "node")),
            Column("commodity", "str", "Concentrate sold.", ref=("Commodities", "commodity")),
            Column("metal", "str", "Metal paid (as in MetalContents)."),
            _period(),
            Column("payable_share", "float", "Share of the contained metal paid (0.965 = 96.5 %).", "share", min=0, max=1),
            Column(
                "rc",
                "float",
                "Refining charge per payable unit of metal, in rc_unit; may be negative, like the TC.",
                "rc_unit",
                required=False,
                default=0.0,
            ),
            Column("rc_unit", "enum", "Unit of rc: USD per t, lb or troy oz of payable metal.", enum=METAL_PRICE_UNITS, required=False, default="USD/lb"),
        ),
        key=("node", "commodity", "metal", "period"),
        required=False,
        examples=((None, "CU_CONC", "CU", None, 0.965, 0.08, "USD/lb"),),
    ),
    Table(
        "Disposal",
        "By-products that may be disposed of at a node (e.g. sulphuric acid neutralised at a refinery), at a cost per tonne; "
        "a by-product with a Markets row may be sold as well.",
        (
            Column("node", "str", "Node where the commodity is disposed of.", ref=("Nodes", "node")),
            Column("commodity", "str", "By-product disposed of.", ref=("Commodities", "commodity")),
            _period(),
            Column("cost_usd_per_t", "float", "Disposal cost.", "USD/t", required=False, default=0.0, min=0),
            Column("max_t_per_yr", "float", "Most tonnes disposed of.", "t/yr", required=False, default=INF, min=0),
        ),
        key=("node", "commodity", "period"),
        required=False,
        examples=(("REF_PQ", "CU_CATHODE", None, 5.0, None),),
    ),
    Table(
        "Royalties",
        "Royalties on mine output: rate_share × value per tonne × tonnes produced, by commodity and by mine or province "
        "(Nodes.region). Every matching row applies, so a provincial and a federal royalty add up.",
        (
            Column("commodity", "str", "Commodity produced.", ref=("Commodities", "commodity")),
            Column("mine", "str", "Mine it applies to; blank = every mine (of the province, when one is given).", required=False, ref=("Nodes", "node")),
            Column("province", "str", "Province (Nodes.region) it applies to; blank = every province.", required=False),
            _period(),
            Column("rate_share", "float", "Royalty rate (0.05 = 5 % of the value).", "share", min=0, max=1),
            Column(
                "value_usd_per_t",
                "float",
                "Value per tonne the rate applies to; blank = the commodity's cargo_value_usd_per_t (Commodities).",
                "USD/t",
                required=False,
                min=0,
            ),
        ),
        key=("commodity", "mine", "province", "period"),
        required=False,
        examples=(("CU_CONC", None, "Balochistan", None, 0.05, None),),
    ),
    Table(
        "ExportDuties",
        "Export duties or levies on sales at export nodes (ports and overseas buyers), by commodity or by product form "
        "(Commodities.kind); a commodity's own row wins over its kind's row.",
        (
            Column("commodity", "str", "Commodity taxed; blank = every commodity of kind.", required=False, ref=("Commodities", "commodity")),
            Column("kind", "enum", "Product form taxed when commodity is blank.", enum=COMMODITY_KINDS, required=False),
            _period(),
            Column("rate_share", "float", "Ad valorem duty on the sale price (0.1 = 10 %).", "share", required=False, default=0.0, min=0, max=1),
            Column("usd_per_t", "float", "Specific duty per tonne exported.", "USD/t", required=False, default=0.0, min=0),
        ),
        key=("commodity", "kind", "period"),
        required=False,
        examples=((None, "concentrate", None, 0.05, 0.0),),
    ),
    Table(
        "ExportBans",
        "Raw-export bans: no sale of a commodity (or of every commodity of a kind) at export nodes from a period on.",
        (
            Column("commodity", "str", "Commodity banned; blank = every commodity of kind.", required=False, ref=("Commodities", "commodity")),
            Column("kind", "enum", "Product form banned when commodity is blank.", enum=COMMODITY_KINDS, required=False),
            Column("from_period", "str", "First period of the ban (it holds to the horizon).", ref=("Periods", "period")),
        ),
        key=("commodity", "kind"),
        required=False,
        examples=((None, "ore", "2027"),),
    ),
    Table(
        "Buyers",
        "Overseas buyers: market nodes abroad (China, the EU, ...). Their Markets prices are CIF (freight paid to them "
        "on the sea legs); sales there are exports (export duties and bans apply).",
        (
            Column("node", "str", "Buyer node (kind market).", ref=("Nodes", "node")),
            Column("country", "str", "Country or region of the buyer.", required=False, default=""),
        ),
        key=("node",),
        required=False,
        examples=(),
    ),
    Table(
        "VesselClasses",
        "Vessel classes for sea legs: size and draft decide which ports can take them.",
        (
            Column("vessel_class", "str", "Class code, e.g. HANDYMAX."),
            Column("dwt_t", "float", "Deadweight of the class.", "t", min=0),
            Column("draft_m", "float", "Laden draft of the class.", "m", min=0),
        ),
        key=("vessel_class",),
        required=False,
        examples=(("HANDYMAX", 50_000.0, 12.0),),
    ),
    Table(
        "SeaFreight",
        "Freight per tonne on a sea corridor by vessel class. A sea corridor with rows here carries its tonnes on the "
        "classes both its end nodes can take (PortLimits); with none it carries nothing.",
        (
            Column("corridor", "str", "Sea corridor (mode sea).", ref=("Corridors", "corridor")),
            Column("vessel_class", "str", "Vessel class.", ref=("VesselClasses", "vessel_class")),
            _period(),
            Column("freight_usd_per_t", "float", "Ocean freight per tonne carried.", "USD/t", min=0),
        ),
        key=("corridor", "vessel_class", "period"),
        required=False,
        examples=(),
    ),
    Table(
        "PortLimits",
        "Largest vessel a port (or a buyer's port) can take; a class above either limit cannot call there.",
        (
            Column("port", "str", "Port or buyer node.", ref=("Nodes", "node")),
            Column("max_dwt_t", "float", "Largest deadweight; blank = no limit.", "t", required=False, min=0),
            Column("max_draft_m", "float", "Deepest draft at the berth; blank = no limit.", "m", required=False, min=0),
        ),
        key=("port",),
        required=False,
        examples=(("PORT_QASIM", 75_000.0, 12.5),),
    ),
    Table(
        "Feeds",
        "Imported concentrate, scrap and e-waste bought at a node (a port, a border crossing) at a price, within the "
        "tonnes available per period; refineries process them by their own recipes (Recipes.input_commodity).",
        (
            Column("node", "str", "Node where the feed is bought and enters the network.", ref=("Nodes", "node")),
            Column("commodity", "str", "Feed bought.", ref=("Commodities", "commodity")),
            _period(),
            Column("price_usd_per_t", "float", "Purchase price delivered at the node.", "USD/t", required=False, default=0.0, min=0),
            Column("max_t_per_yr", "float", "Tonnes available.", "t/yr", min=0),
        ),
        key=("node", "commodity", "period"),
        required=False,
        examples=(("PORT_QASIM", "CU_CONC", None, 2000.0, 50_000.0),),
    ),
    Table(
        "CircuitSizes",
        "Size options of a circuit at a refinery site (economies of scale): at most one size per circuit is built, once, "
        "and kept; the recipes on the circuit process at most its capacity. A circuit also needs the site open, and "
        "its input still counts against the site's module capacity (Refineries).",
        (
            Column("site", "str", "Refinery site.", ref=("Refineries", "site")),
            Column("circuit", "str", "Circuit code (as in Recipes.circuit)."),
            Column("size", "str", "Size option, e.g. S, M, L."),
            Column("capacity_t_per_yr", "float", "Input capacity of the circuit at this size.", "t/yr", min=0),
            Column("capex_usd", "float", "One-off cost of building this size.", "USD", required=False, default=0.0, min=0),
            Column("fixed_opex_usd_per_yr", "float", "Fixed cost per year once built.", "USD/yr", required=False, default=0.0, min=0),
            Column("earliest_period", "str", "First period in which it can be in service.", required=False, ref=("Periods", "period")),
        ),
        key=("site", "circuit", "size"),
        required=False,
        examples=(("REF_PQ", "CU_SMELTER", "L", 400_000.0, 900_000_000.0, 20_000_000.0, None),),
    ),
)

# The scenario tables come last: their `table` column names any table above (supplyopt.inputs.scenarios).
DATA_TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
DISTRIBUTIONS = ("uniform", "triangular", "normal", "choice")
_KEY_DOC = (
    "Row key of the changed row: the table's key columns joined with ' | ' in key order "
    "(Mines: mine | commodity | period, e.g. 'REKO_DIQ | CU_CONC | 2030'; a blank period is written "
    "empty: 'REKO_DIQ | CU_CONC | '); Settings: the setting name. '*' matches every row, and '*' as one "
    "part matches any value there ('* | CU_CATHODE | *' = every copper cathode market)."
)
TABLES = TABLES + (
    Table(
        "Scenarios",
        "Named scenarios as changes from the base: each row changes one column of one row (or of every "
        "matching row) of another table. A scenario's rows apply in sheet order; the base is never changed. "
        "Solve with `supplyopt solve INPUT --scenario NAME` (or `--scenario all`).",
        (
            Column("scenario", "str", "Scenario name, e.g. GWADAR_REFINERY; results files are named after it."),
            Column("description", "str", "What the scenario means (copied to its results' Summary).", required=False, default=""),
            Column("table", "enum", "Table whose cells are changed.", enum=DATA_TABLE_NAMES),
            Column(
                "key",
                "str",
                _KEY_DOC + " A period without a row of its own gets a copy of the blank-period row, then the change; "
                "in tables keyed by period, set may also add a new row.",
                required=False,
            ),
            Column("column", "str", "Column changed (its name in the table's header row); for Settings: value."),
            Column(
                "operation",
                "enum",
                "set: the cell becomes value; scale: the cell is multiplied by value (1.2 or 120% = +20 %); "
                "add: value is added to the cell. scale and add need a number and skip blank cells of '*' rows.",
                enum=OPERATIONS,
                required=False,
                default="set",
            ),
            Column(
                "value",
                "str",
                "New value, factor or amount, read like a cell of the changed column (number, yes/no, text); blank with set = the column's default.",
                required=False,
            ),
        ),
        key=("scenario", "table", "key", "column"),
        required=False,
        examples=(
            ("COPPER_HIGH", "Copper cathode price +25 %", "Markets", "* | CU_CATHODE | *", "price_usd_per_t", "scale", "1.25"),
            ("R04_CLOSED_2027", "R-04 closed in 2027", "CapacityFactors", "corridor | R-04 | 2027", "factor", "set", "0"),
            ("NO_REFINERY", "No refinery at Port Qasim", "Refineries", "REF_PQ", "max_modules", "set", "0"),
        ),
    ),
    Table(
        "Uncertainties",
        "Uncertain parameters for Monte-Carlo sweeps (`supplyopt sweep INPUT --samples N --seed S`). Each "
        "sample draws one value per parameter and applies it, like a scenario row, to every row naming "
        "that parameter (rows of one parameter move together: one draw). Draws use a random generator "
        "seeded by (seed, sample number), so a sample is the same serially or on a cluster. A drawn value "
        "outside the changed column's bounds is clipped to them (and rounded for whole-number columns).",
        (
            Column("parameter", "str", "Parameter name, e.g. CU_PRICE; one draw per sample, shared by its rows."),
            Column("description", "str", "What the parameter means.", required=False, default=""),
            Column("table", "enum", "Table whose cells the draw changes.", enum=DATA_TABLE_NAMES),
            Column("key", "str", _KEY_DOC, required=False),
            Column("column", "str", "Column changed; for Settings: value."),
            Column(
                "operation",
                "enum",
                "How the drawn value is applied: set (the cell becomes the draw), scale (cell × draw), add (cell + draw).",
                enum=OPERATIONS,
                required=False,
                default="set",
            ),
            Column(
                "distribution",
                "enum",
                "uniform: between low and high; triangular: low, mode (most likely), high; normal: mean in mode, "
                "standard deviation in sd, clipped to low/high when given; choice: one of values (e.g. '0 | 1') "
                "with probabilities (e.g. '0.1 | 0.9'; blank = equally likely). Needed on a parameter's first "
                "row; later rows of the parameter may leave it and the numbers blank.",
                enum=DISTRIBUTIONS,
                required=False,
            ),
            Column("low", "float", "Lowest value (uniform, triangular; lower clip for normal).", required=False),
            Column("mode", "float", "Most likely value (triangular) or mean (normal).", required=False),
            Column("high", "float", "Highest value (uniform, triangular; upper clip for normal).", required=False),
            Column("sd", "float", "Standard deviation (normal).", required=False, min=0),
            Column("values", "str", "Choices for choice, separated by ' | ', e.g. '0 | 0.5 | 1'.", required=False),
            Column(
                "probabilities",
                "str",
                "Probabilities of the choices, separated by ' | ', adding up to 1; blank = equally likely.",
                required=False,
            ),
        ),
        key=("parameter", "table", "key", "column"),
        required=False,
        examples=(
            (
                "CU_PRICE",
                "Copper cathode price ±20 %",
                "Markets",
                "* | CU_CATHODE | *",
                "price_usd_per_t",
                "scale",
                "uniform",
                0.8,
                None,
                1.2,
                None,
                None,
                None,
            ),
            (
                "R04_CLOSED",
                "R-04 closed in 2027, probability 10 %",
                "CapacityFactors",
                "corridor | R-04 | 2027",
                "factor",
                "set",
                "choice",
                None,
                None,
                None,
                None,
                "0 | 1",
                "0.1 | 0.9",
            ),
        ),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def schema_fingerprint() -> str:
    """Short fingerprint of the input format (tables, keys, columns and their types): results
    solved from different formats are flagged, not mixed, by `compare`."""
    import hashlib

    text = repr([(t.name, t.key, [(c.name, c.type) for c in t.columns]) for t in TABLES])
    return hashlib.sha256(text.encode()).hexdigest()[:12]
