"""Results: pandas tables of a solved model, plus run metadata. Made once, right after a solve
that has a plan; workbooks, maps and comparisons are made from Results, never from the model.

Rows are in a stable order (model index order) so the same input gives identical tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyomo.environ as pyo
from pyomo.common.errors import TemplateExpressionError
from pyomo.common.numeric_types import native_numeric_types, native_types, nonpyomo_leaf_types
from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, SumExpression
from pyomo.core.expr.visitor import ExpressionValueVisitor, FixedExpressionError, NonConstantExpressionError

from supplyopt.model.capacity import _capacity_rhs
from supplyopt.model.data import BASE_SCENARIO, ModelData
from supplyopt.solve.highs import SolveReport

EPS = 1e-6  # flows below this (t/yr) are solver noise and not reported


@dataclass
class Results:
    """Named result tables and the run's metadata (summary rows)."""

    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    report: SolveReport | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _clean(v: float) -> float:
    return 0.0 if abs(v) < EPS else v


_MISSING = object()
_SUMS = (SumExpression, LinearExpression)
# What pyo.value(x, exception=False) turns into None instead of raising (pyomo's evaluate_expression).
_EVAL_ERRORS = (TemplateExpressionError, ValueError, TypeError, NonConstantExpressionError, FixedExpressionError)


def _is_var(obj, _known: dict = {}) -> bool:  # noqa: B006 (a cache of classes)
    cls = obj.__class__
    if cls not in _known:
        _known[cls] = issubclass(cls, VarData)
    return _known[cls]


def _sum_of_monomials(node) -> float | None:
    """Value of a sum whose terms are all `number * variable`, `variable` or `number` (the money
    terms' big sums), added in the same order as pyomo's visitor (so the same float) without its
    per-node overhead; None when a term is anything else (the visitor then walks it)."""
    terms = []
    add = terms.append
    numbers = native_numeric_types
    for a in node.args:
        cls = a.__class__
        if cls is MonomialTermExpression:
            c, v = a._args_
            if c.__class__ not in numbers or not _is_var(v):
                return None
            add(c * v.value)
        elif cls in numbers:
            add(a)
        elif _is_var(a):
            add(a.value)
        else:
            return None
    if not terms:
        return None
    it = iter(terms)
    return sum(it, start=next(it))  # as SumExpression._apply_operation


class _Values(ExpressionValueVisitor):
    """pyo.value(x, exception=False) with a memory: each named Expression (a money term's nominal
    and present value, npv, scenario_npv, exposure_total) is evaluated once per extract, however
    many tables and KPIs read it. The cost table, the KPIs and the scenario table used to walk the
    same 50k-term sums four times (~80 % of extract). Same operations in the same order as pyomo's
    evaluation visitor, so the same floats."""

    def __init__(self):
        self.memo: dict[int, Any] = {}

    def visit(self, node, values):
        v = node._apply_operation(values)
        if node.is_named_expression_type():
            self.memo[id(node)] = v
        return v

    def visiting_potential_leaf(self, node):
        if node.__class__ in nonpyomo_leaf_types:
            return True, node
        if node.is_expression_type():
            if node.is_named_expression_type():
                v = self.memo.get(id(node), _MISSING)
                return (False, None) if v is _MISSING else (True, v)
            if isinstance(node, _SUMS):
                v = _sum_of_monomials(node)
                return (False, None) if v is None else (True, v)
            return False, None
        if node.is_numeric_type() or node.is_logical_type():
            return True, pyo.value(node, exception=False)
        return True, node

    def value(self, x) -> float:
        """Like the old `_val`: the value of x, 0.0 when it has none (unset variable)."""
        try:
            v = self.dfs_postorder_stack(x)
        except _EVAL_ERRORS:
            return 0.0
        if v is not None and v.__class__ not in native_types and v.is_numeric_type():
            v = pyo.value(v, exception=False)
        return 0.0 if v is None else float(v)


class _Solution:
    """The solved model's values, each read once: variables by component, expressions memoised."""

    def __init__(self):
        self.values = _Values()
        self._vars: dict[str, dict] = {}
        self.cache: dict[str, Any] = {}  # derived sums shared by several tables

    def val(self, x) -> float:
        return self.values.value(x)

    def vals(self, var) -> dict:
        """{index: value} of a variable component (None → 0.0), one pass per component."""
        name = var.name
        if name not in self._vars:
            self._vars[name] = {k: (0.0 if v is None else v) for k, v in var.extract_values().items()}
        return self._vars[name]


def extract_results(m: pyo.ConcreteModel, report: SolveReport, metadata: dict[str, Any] | None = None) -> Results:
    """All result tables of a solved model. Refuses a model without a plan."""
    if not report.has_plan:
        raise ValueError(f"no plan to extract (status: {report.status})")
    d: ModelData = m.data
    sol = _Solution()
    tables = {
        "Costs": cost_table(m, d, sol),
        "Refineries": refinery_table(m, d, sol),
        "Upgrades": upgrade_table(m, d, sol),
        "Flows": flow_table(m, d, sol),
        "Production": production_table(m, d, sol),
        "Processing": processing_table(m, d, sol),
        "Sales": sales_table(m, d, sol),
        "CorridorUse": corridor_use_table(m, d, sol),
        "PortUse": port_use_table(m, d, sol),
        "RiskExposure": risk_exposure_table(m, d, sol),
        "Convoys": convoy_table(m, d, sol),
        "ScenarioOutcomes": scenario_table(m, d, sol),
    }
    tables["Nodes"] = node_table(d)
    tables["Corridors"] = corridor_table(d)
    if not len(tables["Convoys"]):
        del tables["Convoys"]
    if d.scenarios == [BASE_SCENARIO]:
        del tables["ScenarioOutcomes"]
    if hasattr(m, "shortfall") and len(m.shortfall):
        tables["Shortfalls"] = shortfall_table(m, d, sol)
    if d.scenarios == [BASE_SCENARIO]:
        tables = {k: v.drop(columns=["scenario"], errors="ignore") for k, v in tables.items()}
    # The plan's figures first (what a planner reads), then where they came from.
    summary = kpis(m, d, report, tables, sol)
    summary.update({k: v for k, v in (metadata or {}).items() if k not in summary})
    return Results(tables, summary, report)


def kpis(m, d: ModelData, report: SolveReport, tables, sol: _Solution) -> dict[str, Any]:
    costs = tables["Costs"]
    pv = costs.groupby("kind")["present_value_usd"].sum()
    sites = tables["Refineries"]
    opened = sorted(set(sites.loc[sites["open"] == 1, "site"])) if len(sites) else []
    return {
        "status": report.status,
        "objective": d.objective,
        "objective_value": report.objective,
        "best_bound": report.bound,
        "gap": report.gap,
        "npv_usd": sol.val(m.npv),
        "revenue_pv_usd": float(pv.get("revenue", 0.0)),
        "operating_cost_pv_usd": float(pv.get("operating", 0.0)),
        "fixed_cost_pv_usd": float(pv.get("fixed", 0.0)),
        "capex_pv_usd": float(pv.get("capex", 0.0)),
        "refineries_open": ", ".join(opened) if opened else "none",
        "upgrades_built": ", ".join(f"{u} ({p})" for u, p in zip(tables["Upgrades"]["upgrade"], tables["Upgrades"]["in_service_from"]) if pd.notna(p))
        or "none",
        "risk_exposure_total": sol.val(sum(d.probability[s] * m.exposure_total[s] for s in d.scenarios)),
        "expected_loss_pv_usd": float(costs.loc[costs["term"] == "expected_loss", "present_value_usd"].sum()),
        "security_cost_pv_usd": float(costs.loc[costs["term"].isin(["security", "escorts"]), "present_value_usd"].sum()),
        "scenarios": ", ".join(d.scenarios),
        "cvar_npv_usd": sol.val(m.cvar) if hasattr(m, "cvar") else None,
        "solve_seconds": report.solve_seconds,
    }


def cost_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for t in m.money_terms.values():
        for p in d.periods:
            if t.per_scenario:
                nominal = sum(d.probability[s] * sol.val(t.nominal[s, p]) for s in d.scenarios)
                pv = sum(sol.val(t.present_value[s, p]) for s in d.scenarios)
            else:
                nominal, pv = sol.val(t.nominal[p]), sol.val(t.present_value[p])
            unit = "USD" if t.kind == "capex" else "USD/yr"
            rows.append(
                {
                    "term": t.name,
                    "label": t.label,
                    "kind": t.kind,
                    "period": p,
                    "nominal": _clean(nominal),
                    "unit": unit,
                    "present_value_usd": _clean(t.sign * pv),
                }
            )
    return pd.DataFrame(rows, columns=["term", "label", "kind", "period", "nominal", "unit", "present_value_usd"])


def refinery_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    from supplyopt.model.capacity import is_open, modules

    opened = sol.vals(m.open_new)
    added = sol.vals(m.add_modules)
    proc = sol.vals(m.process)
    rows = []
    for j, site in d.sites.items():
        for p in d.periods:
            n_mod = round(sol.val(modules(m, d, j, p)))
            throughput = sum(
                proc.get((BASE_SCENARIO if BASE_SCENARIO in d.scenarios else d.scenarios[0], j, r, p), 0.0) for (jj, r) in d.site_recipes if jj == j
            )
            cap = n_mod * site["module_size_t_per_yr"]
            rows.append(
                {
                    "site": j,
                    "period": p,
                    "open": round(sol.val(is_open(m, d, j, p))),
                    "opened_this_period": round(opened.get((j, p), 0.0)),
                    "modules": n_mod,
                    "modules_added": round(added.get((j, p), 0.0)),
                    "capacity_t_per_yr": cap,
                    "input_t_per_yr": _clean(throughput),
                    "utilisation": _clean(throughput / cap) if cap > 0 else None,
                }
            )
    return pd.DataFrame(
        rows, columns=["site", "period", "open", "opened_this_period", "modules", "modules_added", "capacity_t_per_yr", "input_t_per_yr", "utilisation"]
    )


def upgrade_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    build = sol.vals(m.build)
    rows = []
    for u, rec in d.upgrades.items():
        built_in = next((p for p in d.periods if round(build.get((u, p), 0.0)) == 1), None)
        rows.append(
            {
                "upgrade": u,
                "element_type": rec["element_type"],
                "element": rec["element"],
                "built": built_in is not None,
                "in_service_from": built_in,
                "added_capacity_t_per_yr": rec["added_capacity_t_per_yr"],
                "capex_usd": rec["capex_usd"] if built_in else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["upgrade", "element_type", "element", "built", "in_service_from", "added_capacity_t_per_yr", "capex_usd"])


def flow_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for (s, a, c, p), v in sol.vals(m.flow).items():
        if v <= EPS:
            continue
        arc = d.arcs[a]
        rows.append(
            {
                "scenario": s,
                "corridor": arc.corridor,
                "from_node": arc.tail,
                "to_node": arc.head,
                "commodity": c,
                "period": p,
                "t_per_yr": v,
                "cost_usd_per_yr": v * d.arc_unit_cost[a],
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "corridor", "from_node", "to_node", "commodity", "period", "t_per_yr", "cost_usd_per_yr"])


def production_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for (s, i, c, p), v in sol.vals(m.produce).items():
        rec = d.supply[(i, c, p)]
        rows.append(
            {
                "scenario": s,
                "mine": i,
                "commodity": c,
                "period": p,
                "t_per_yr": _clean(v),
                "min_t_per_yr": rec["min"],
                "max_t_per_yr": rec["max"],
                "cost_usd_per_yr": _clean(v * rec["cost"]),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "mine", "commodity", "period", "t_per_yr", "min_t_per_yr", "max_t_per_yr", "cost_usd_per_yr"])


def processing_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for (s, j, r, p), v in sol.vals(m.process).items():
        if v <= EPS:
            continue
        recipe = d.recipes[r]
        rows.append({"scenario": s, "site": j, "recipe": r, "period": p, "commodity": recipe["input"], "role": "input", "t_per_yr": v})
        for c, y in recipe["outputs"].items():
            rows.append({"scenario": s, "site": j, "recipe": r, "period": p, "commodity": c, "role": "output", "t_per_yr": v * y})
    return pd.DataFrame(rows, columns=["scenario", "site", "recipe", "period", "commodity", "role", "t_per_yr"])


def sales_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for (s, n, c, p), v in sol.vals(m.sell).items():
        rec = d.markets[(n, c, p)]
        rows.append(
            {
                "scenario": s,
                "node": n,
                "commodity": c,
                "period": p,
                "t_per_yr": _clean(v),
                "price_usd_per_t": rec["price"],
                "revenue_usd_per_yr": _clean(v * rec["price"]),
                "min_t_per_yr": rec["min"],
                "max_t_per_yr": None if math.isinf(rec["max"]) else rec["max"],
            }
        )
    return pd.DataFrame(
        rows, columns=["scenario", "node", "commodity", "period", "t_per_yr", "price_usd_per_t", "revenue_usd_per_yr", "min_t_per_yr", "max_t_per_yr"]
    )


def _use_rows(m, d, sol, etype, elements, totals):
    rows = []
    for s in d.scenarios:
        for k, base in elements.items():
            for p in d.periods:
                rhs = _capacity_rhs(m, d, etype, k, base, s, p)
                cap = None if rhs is None else sol.val(rhs)
                used = totals.get((s, k, p), 0.0)
                rows.append(
                    {
                        "scenario": s,
                        etype: k,
                        "period": p,
                        "t_per_yr": _clean(used),
                        "capacity_t_per_yr": cap,
                        "utilisation": (_clean(used / cap) if cap else None),
                    }
                )
    return rows


def _corridor_totals(m, d: ModelData, sol: _Solution) -> dict[tuple, float]:
    """(scenario, corridor, period) → Σ flows (both directions, all commodities); computed once
    (the corridor use and risk tables both need it) in flow order, so the same sums as before."""
    if "corridor_totals" not in sol.cache:
        corridor = {a: arc.corridor for a, arc in d.arcs.items()}
        totals: dict[tuple, float] = {}
        for (s, a, _c, p), v in sol.vals(m.flow).items():
            key = (s, corridor[a], p)
            totals[key] = totals.get(key, 0.0) + v
        sol.cache["corridor_totals"] = totals
    return sol.cache["corridor_totals"]


def corridor_use_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    totals = _corridor_totals(m, d, sol)
    return pd.DataFrame(
        _use_rows(m, d, sol, "corridor", d.corridor_capacity, totals),
        columns=["scenario", "corridor", "period", "t_per_yr", "capacity_t_per_yr", "utilisation"],
    )


def port_use_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    totals: dict[tuple, float] = {}
    for (s, n, _c, p), v in sol.vals(m.sell).items():
        if n in d.ports:
            totals[(s, n, p)] = totals.get((s, n, p), 0.0) + v
    caps = {n: rec["capacity"] for n, rec in d.ports.items()}
    return pd.DataFrame(_use_rows(m, d, sol, "port", caps, totals), columns=["scenario", "port", "period", "t_per_yr", "capacity_t_per_yr", "utilisation"])


def risk_exposure_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    """Exposure (risk score × t/yr) and expected loss per corridor or node, period, scenario."""
    rows = _corridor_risk_rows(m, d, sol) + _node_risk_rows(m, d, sol)
    cols = ["scenario", "element_type", "element", "period", "t_per_yr", "risk_score", "exposure", "incident_probability", "expected_loss_usd_per_yr"]
    return pd.DataFrame(rows, columns=cols)


def _corridor_risk_rows(m, d: ModelData, sol: _Solution) -> list[dict]:
    """Rows of the CorridorRisk entries; no walk over the flows when there are none."""
    if not d.corridor_risk:
        return []
    tonnes = _corridor_totals(m, d, sol)
    value: dict[tuple, float] = {}
    if d.risk_settings.get("expected_loss"):
        for (s, a, c, p), v in sol.vals(m.flow).items():
            key = (s, d.arcs[a].corridor, p)
            value[key] = value.get(key, 0.0) + v * d.cargo_value[c]
    rows = []
    for s in d.scenarios:
        for (k, p), rec in d.corridor_risk.items():
            t = tonnes.get((s, k, p), 0.0)
            rows.append(
                {
                    "scenario": s,
                    "element_type": "corridor",
                    "element": k,
                    "period": p,
                    "t_per_yr": _clean(t),
                    "risk_score": rec["risk_score"],
                    "exposure": _clean(rec["risk_score"] * t),
                    "incident_probability": rec["incident_probability"],
                    "expected_loss_usd_per_yr": _clean(rec["incident_probability"] * value.get((s, k, p), 0.0))
                    if d.risk_settings.get("expected_loss")
                    else 0.0,
                }
            )
    return rows


def _node_risk_rows(m, d: ModelData, sol: _Solution) -> list[dict]:
    """Rows of the NodeRisk entries; node_cargo (a walk over every variable) only when there are some."""
    if not d.node_risk:
        return []
    from supplyopt.model.risk import node_cargo

    handled = node_cargo(m, d)
    loss_on = bool(d.risk_settings.get("expected_loss"))
    rows = []
    for s in d.scenarios:
        for (n, p), rec in d.node_risk.items():
            cargo = [(c, sol.val(x)) for c, x in handled.get((s, n, p), [])]
            t = sum(v for _c, v in cargo)
            loss = rec["incident_probability"] * sum(d.cargo_value[c] * v for c, v in cargo) if loss_on else 0.0
            rows.append(
                {
                    "scenario": s,
                    "element_type": "node",
                    "element": n,
                    "period": p,
                    "t_per_yr": _clean(t),
                    "risk_score": rec["risk_score"],
                    "exposure": _clean(rec["risk_score"] * t),
                    "incident_probability": rec["incident_probability"],
                    "expected_loss_usd_per_yr": _clean(loss),
                }
            )
    return rows


def convoy_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    if hasattr(m, "convoys"):
        for (s, k, p), v in sol.vals(m.convoys).items():
            n = round(v)
            rec = d.corridor_risk[(k, p)]
            rows.append(
                {
                    "scenario": s,
                    "corridor": k,
                    "period": p,
                    "convoys_per_yr": n,
                    "convoy_size_t": rec["convoy_size"],
                    "escort_cost_usd_per_yr": n * rec["escort_cost"],
                }
            )
    return pd.DataFrame(rows, columns=["scenario", "corridor", "period", "convoys_per_yr", "convoy_size_t", "escort_cost_usd_per_yr"])


def scenario_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    """Per disruption scenario: probability, NPV of the shared design, revenue, unmet contracts."""
    rows = []
    short = sol.vals(m.shortfall) if hasattr(m, "shortfall") else {}
    for s in d.scenarios:
        revenue = sum(d.flow_factor[p] * sol.val(m.term_revenue[s, p]) for p in d.periods)
        unmet = sum(v for (ss, _n, _c, _p), v in short.items() if ss == s)
        rows.append(
            {
                "scenario": s,
                "probability": d.probability[s],
                "npv_usd": sol.val(m.scenario_npv[s]),
                "revenue_pv_usd": revenue,
                "unmet_contracts_t_per_yr_total": _clean(unmet),
                "exposure_total": _clean(sol.val(m.exposure_total[s])),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "probability", "npv_usd", "revenue_pv_usd", "unmet_contracts_t_per_yr_total", "exposure_total"])


def shortfall_table(m, d: ModelData, sol: _Solution) -> pd.DataFrame:
    rows = []
    for (s, n, c, p), v in sol.vals(m.shortfall).items():
        rec = d.markets[(n, c, p)]
        rows.append(
            {
                "scenario": s,
                "node": n,
                "commodity": c,
                "period": p,
                "min_t_per_yr": rec["min"],
                "shortfall_t_per_yr": _clean(v),
                "penalty_usd_per_t": d.shortfall_penalty((n, c, p)),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "node", "commodity", "period", "min_t_per_yr", "shortfall_t_per_yr", "penalty_usd_per_t"])


def node_table(d: ModelData) -> pd.DataFrame:
    """The network's nodes (for maps and for reading the plan without the input)."""
    rows = [{"node": n, **info} for n, info in d.node_info.items()]
    return pd.DataFrame(rows, columns=["node", "name", "kind", "lat", "lon"])


def corridor_table(d: ModelData) -> pd.DataFrame:
    """The network's corridors with their highest risk score over the periods."""
    rows = []
    for k, info in d.corridor_info.items():
        risk = max((d.corridor_risk.get((k, p), {}).get("risk_score", 0.0) for p in d.periods), default=0.0)
        cap = d.corridor_capacity[k]
        rows.append({"corridor": k, **info, "capacity_t_per_yr": None if math.isinf(cap) else cap, "max_risk_score": risk})
    return pd.DataFrame(rows, columns=["corridor", "name", "from_node", "to_node", "mode", "distance_km", "capacity_t_per_yr", "max_risk_score"])
