"""What the HTML report shows, taken from Results only: the periods, the summary rows with their
labels and units, revenue and costs by term and period, and the flows by corridor and by port.

Tables that carry a `scenario` column (a plan solved over several scenarios) are shown for the
base scenario, as the PNG map does; period names are compared as text (a workbook read back may
hold them as numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from supplyopt.io.html.fmt import number, percent, short_tonnes, usd
from supplyopt.io.labels import label
from supplyopt.io.map import map_period, short_label
from supplyopt.results import Results

BASE = "base"

# Summary rows: (key in Results.summary, label with unit, format). Shown when the key is present.
SUMMARY_ROWS: list[tuple[str, str, str]] = [
    ("status", "Status", "text"),
    ("npv_usd", "NPV (USD)", "usd"),
    ("best_bound", "Best bound on the objective (USD)", "usd"),
    ("gap", "MIP gap", "percent"),
    ("refineries_open", "Refineries opened", "text"),
    ("upgrades_built", "Upgrades built (in service from)", "text"),
    ("risk_exposure_total", label("risk_exposure_total"), "number"),
    ("revenue_pv_usd", "Revenue (PV, USD)", "usd"),
    ("operating_cost_pv_usd", "Operating costs (PV, USD)", "usd"),
    ("fixed_cost_pv_usd", "Fixed costs (PV, USD)", "usd"),
    ("capex_pv_usd", "Capital expenditure (PV, USD)", "usd"),
    ("security_cost_pv_usd", "Security and escorts (PV, USD)", "usd"),
    ("expected_loss_pv_usd", "Expected cargo loss (PV, USD)", "usd"),
    ("cvar_npv_usd", "CVaR of NPV (USD)", "usd"),
    ("state_take_pv_usd", "State take: royalties and duties (PV, USD)", "usd"),
    ("objective", "Objective", "text"),
    ("scenario", "Scenario applied", "text"),
    ("scenarios", "Scenarios solved together", "text"),
    ("solve_seconds", "HiGHS time (s)", "seconds"),
]
PROVENANCE = [
    ("input", "Input"),
    ("input_sha256", "Input SHA-256"),
    ("run_at_utc", "Solved at (UTC)"),
    ("version_supplyopt", "supplyopt version"),
    ("mip_gap_tolerance", "MIP gap tolerance"),
    ("time_limit_s", "Time limit (s)"),
]


@dataclass
class SummaryRow:
    key: str
    label: str
    text: str
    value: Any


@dataclass
class CostTerm:
    term: str
    label: str
    kind: str
    pv: list[float]  # present value (USD) by period

    @property
    def total(self) -> float:
        return sum(self.pv)


@dataclass
class Use:
    """Tonnes through one corridor or port, by period."""

    code: str
    name: str
    t: list[float]
    capacity: list[float | None]
    utilisation: list[float | None]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.t)

    @property
    def peak_utilisation(self) -> float | None:
        vals = [u for u in self.utilisation if u is not None]
        return max(vals) if vals else None


def text(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def table(results: Results, name: str) -> pd.DataFrame:
    """The table (base scenario only), or an empty frame when the Results do not hold it."""
    df = results.tables.get(name)
    if df is None:
        return pd.DataFrame()
    if "scenario" in df.columns and len(df):
        names = [str(s) for s in dict.fromkeys(df["scenario"])]
        df = df[df["scenario"].astype(str) == (BASE if BASE in names else names[0])]
    if "period" in df.columns:
        df = df.assign(period=df["period"].astype(str))
    return df


def periods_of(results: Results) -> list[str]:
    return [str(p) for p in dict.fromkeys(results["Costs"]["period"])]


def default_period(results: Results, periods: list[str]) -> int:
    """The period shown first: the one the PNG map draws (most tonnes moved)."""
    p = str(map_period(results, None)) if len(results["Costs"]) else None
    return periods.index(p) if p in periods else max(len(periods) - 1, 0)


def summary_rows(summary: dict[str, Any]) -> list[SummaryRow]:
    rows = []
    for key, caption, kind in SUMMARY_ROWS:
        if key not in summary or summary[key] is None:
            continue
        v = summary[key]
        if kind in ("usd", "number"):
            shown = usd(v)
        elif kind == "percent":
            shown = percent(v, 2)
        elif kind == "seconds":
            shown = "—" if number(v) is None else f"{number(v):,.2f}"
        else:
            shown = text(v) or "—"
        rows.append(SummaryRow(key, caption, shown, v))
    return rows


def provenance_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [(label, text(summary[key])) for key, label in PROVENANCE if text(summary.get(key))]


def cost_terms(results: Results, periods: list[str]) -> list[CostTerm]:
    """Revenue and every cost term (in the order of the Costs table) with their present value
    by period; revenue is positive, costs negative, as in Results['Costs']."""
    costs = table(results, "Costs")
    out = []
    for term, rows in costs.groupby("term", sort=False):
        by = rows.groupby("period")["present_value_usd"].sum()
        first = rows.iloc[0]
        label = text(first.get("label")) or str(term)
        out.append(CostTerm(str(term), label, text(first.get("kind")), [float(by.get(p, 0.0)) for p in periods]))
    return out


def _by_period(df: pd.DataFrame, key: str, col: str, periods: list[str]) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    if not len(df) or col not in df.columns:
        return out
    for code, rows in df.groupby(key, sort=False):
        vals = dict(zip(rows["period"], rows[col]))
        out[str(code)] = [number(vals.get(p)) for p in periods]
    return out


def node_names(results: Results) -> dict[str, str]:
    nodes = table(results, "Nodes")
    return {str(r.node): short_label(str(r.node), r.name) for r in nodes.itertuples()} if len(nodes) else {}


def corridor_uses(results: Results, periods: list[str]) -> list[Use]:
    """Every corridor, with its tonnes, capacity and utilisation by period (CorridorUse) and the
    tonnes of each commodity (Flows); info holds from/to, mode, distance and risk score."""
    cors = table(results, "Corridors")
    use = table(results, "CorridorUse")
    t = _by_period(use, "corridor", "t_per_yr", periods)
    cap = _by_period(use, "corridor", "capacity_t_per_yr", periods)
    util = _by_period(use, "corridor", "utilisation", periods)
    flows = table(results, "Flows")
    goods: dict[str, list[list[tuple[str, float]]]] = {}
    if len(flows):
        g = flows.groupby(["corridor", "period", "commodity"], sort=False)["t_per_yr"].sum()
        for (c, p, k), v in g.items():
            if v > 0 and p in periods:
                goods.setdefault(str(c), [[] for _ in periods])[periods.index(p)].append((str(k), float(v)))
    names = node_names(results)
    out = []
    for r in cors.itertuples() if len(cors) else []:
        code = str(r.corridor)
        tonnes = [v or 0.0 for v in t.get(code, [0.0] * len(periods))]
        info = {
            "from": str(r.from_node),
            "to": str(r.to_node),
            "route": f"{names.get(str(r.from_node), r.from_node)} → {names.get(str(r.to_node), r.to_node)}",
            "mode": text(r.mode),
            "km": number(getattr(r, "distance_km", None)),
            "risk": number(getattr(r, "max_risk_score", None)),
            "goods": goods.get(code, [[] for _ in periods]),
        }
        capacity = cap.get(code) or [number(getattr(r, "capacity_t_per_yr", None))] * len(periods)
        out.append(Use(code, text(r.name), tonnes, capacity, util.get(code, [None] * len(periods)), info))
    return out


def port_uses(results: Results, periods: list[str]) -> list[Use]:
    """Every port with its tonnes, capacity and utilisation by period (PortUse)."""
    use = table(results, "PortUse")
    t = _by_period(use, "port", "t_per_yr", periods)
    cap = _by_period(use, "port", "capacity_t_per_yr", periods)
    util = _by_period(use, "port", "utilisation", periods)
    names = node_names(results)
    none = [None] * len(periods)
    return [Use(code, names.get(code, code), [v or 0.0 for v in t[code]], cap.get(code, none), util.get(code, none)) for code in t]


def per_node(results: Results, name: str, key: str, periods: list[str]) -> dict[str, list[list[tuple[str, float]]]]:
    """Tonnes by commodity, by period, for each node of a Production or Sales table."""
    df = table(results, name)
    out: dict[str, list[list[tuple[str, float]]]] = {}
    if not len(df):
        return out
    for (n, p, k), v in df.groupby([key, "period", "commodity"], sort=False)["t_per_yr"].sum().items():
        if v > 0 and p in periods:
            out.setdefault(str(n), [[] for _ in periods])[periods.index(p)].append((str(k), float(v)))
    return out


def open_sites(results: Results, periods: list[str]) -> dict[str, list[bool]]:
    """Refinery site → open in each period."""
    ref = table(results, "Refineries")
    out: dict[str, list[bool]] = {}
    if not len(ref):
        return out
    for site, rows in ref.groupby("site", sort=False):
        opened = {p for p, o in zip(rows["period"], rows["open"]) if number(o)}
        out[str(site)] = [p in opened for p in periods]
    return out


def period_notes(results: Results, periods: list[str], cors: list[Use], ports: list[Use]) -> list[str]:
    """One line per period: tonnes sold, through ports, corridors in use, refineries open."""
    sales = table(results, "Sales")
    sold = sales.groupby("period")["t_per_yr"].sum() if len(sales) else pd.Series(dtype=float)
    opened = open_sites(results, periods)
    notes = []
    for i, p in enumerate(periods):
        in_use = sum(1 for c in cors if c.t[i] > 0)
        through = sum(u.t[i] for u in ports)
        sites = ", ".join(s for s, on in opened.items() if on[i]) or "none"
        notes.append(
            f"{p}: {short_tonnes(float(sold.get(p, 0.0)))}/yr sold, {short_tonnes(through)}/yr through ports, {in_use} corridors in use; refineries open: {sites}."
        )
    return notes


def sales_by_commodity(results: Results, periods: list[str]) -> list[list[tuple[str, float, float]]]:
    """Per period: (commodity, tonnes sold per year, revenue USD per year), most tonnes first."""
    sales = table(results, "Sales")
    out: list[list[tuple[str, float, float]]] = [[] for _ in periods]
    if not len(sales):
        return out
    g = sales.groupby(["period", "commodity"], sort=False)[["t_per_yr", "revenue_usd_per_yr"]].sum()
    for (p, k), row in g.iterrows():
        if p in periods and row["t_per_yr"] > 0:
            out[periods.index(p)].append((str(k), float(row["t_per_yr"]), float(row["revenue_usd_per_yr"])))
    return [sorted(rows, key=lambda r: -r[1]) for rows in out]
