"""Assertion helpers for solved supplyopt models (in the spirit of linopy's testing.py).

The plan checks (`assert_mass_balance`, `assert_capacities_respected`) recompute everything
from the result tables and the *Instance* (its input tables), not from the Pyomo model or
ModelData, so a bug in how the model reads its data shows up as a failed check.

    solved = solve_records(instances.refine_or_export())
    assert_objective(solved.results, 97_600)
    assert_decision(solved.results, "Refineries", "modules", 2, site="REF", period="P1")
    assert_plan_valid(solved.results, solved.instance)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyomo.environ as pyo
import pytest

from supplyopt.inputs.instance import Instance
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import OPTIMAL, SolveOptions, SolveReport, solve

# Tables that leave out rows whose value is (numerically) zero.
SPARSE_TABLES = ("Flows", "Processing")
# Exact optima: the default mip_gap of 1e-4 would let HiGHS stop 0.01 % short.
EXACT = SolveOptions(mip_gap=0.0, threads=1)


@dataclass
class Solved:
    instance: Instance
    model: pyo.ConcreteModel
    report: SolveReport
    results: Results | None


def solve_records(records: Mapping[str, Sequence[Mapping[str, Any]]], options: SolveOptions = EXACT, *, extract: bool = True) -> Solved:
    """Validate, build, solve and (when there is a plan and `extract`) extract results."""
    inst = instance_from_records(records)
    m = build_model(inst)
    report = solve(m, options)
    results = extract_results(m, report) if extract and report.has_plan else None
    return Solved(inst, m, report, results)


# --------------------------------------------------------------------------------------------
# Objective and single decisions
# --------------------------------------------------------------------------------------------


def assert_optimal(report: SolveReport) -> None:
    assert report.status == OPTIMAL, f"expected a proven optimum, got {report.status} ({report.termination})"
    assert report.has_plan and report.proven_optimal


def assert_objective(results: Results, expected: float, rel: float = 1e-6, abs: float = 1e-6) -> None:
    """The solver's objective equals `expected` (NPV in npv mode, discounted cost in cost mode),
    and the Costs table adds up to the same number."""
    report = results.report
    assert report is not None, "results carry no solve report"
    assert_optimal(report)
    assert report.objective == pytest.approx(expected, rel=rel, abs=abs), f"objective {report.objective!r} != expected {expected!r}"
    assert_costs_consistent(results, rel=rel, abs=abs)


def assert_costs_consistent(results: Results, rel: float = 1e-6, abs: float = 1e-6) -> None:
    """Σ present values of the Costs table = npv_usd; the objective is the NPV (npv mode) or
    minus the costs' present value (cost mode)."""
    costs = results["Costs"]
    npv = results.summary["npv_usd"]
    total = float(costs["present_value_usd"].sum())
    assert total == pytest.approx(npv, rel=rel, abs=abs), f"Costs table sums to {total}, npv_usd is {npv}"
    obj = results.report.objective
    if results.summary["objective"] == "cost":
        cost_pv = -float(costs.loc[costs["kind"] != "revenue", "present_value_usd"].sum())
        assert obj == pytest.approx(cost_pv, rel=rel, abs=abs), f"cost objective {obj} != discounted cost {cost_pv}"
    else:
        assert obj == pytest.approx(npv, rel=rel, abs=abs), f"npv objective {obj} != npv_usd {npv}"


def decision_value(results: Results, table: str, column: str, **where: Any) -> Any:
    """The `column` of the one row of results[table] matching `where` (column=value, ...).
    Flows and Processing leave zero rows out, so a missing row there reads as 0."""
    df = results[table]
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        assert col in df.columns, f"{table} has no column {col!r} (columns: {list(df.columns)})"
        mask &= df[col] == val
    rows = df.loc[mask]
    if len(rows) == 0 and table in SPARSE_TABLES:
        return 0.0
    assert len(rows) == 1, f"{table} rows matching {where}: expected exactly 1, found {len(rows)}\n{df.to_string()}"
    return rows.iloc[0][column]


def assert_decision(results: Results, table: str, column: str, expected: Any, *, rel: float = 1e-6, abs: float = 1e-6, **where: Any) -> None:
    """assert_decision(res, "Refineries", "modules_added", 1, site="REF", period="P2")."""
    got = decision_value(results, table, column, **where)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and got is not None:
        assert float(got) == pytest.approx(expected, rel=rel, abs=abs), f"{table}.{column} at {where}: {got} != expected {expected}"
    else:
        assert got == expected, f"{table}.{column} at {where}: {got!r} != expected {expected!r}"


def assert_term(results: Results, term: str, expected_pv: float, period: str | None = None, rel: float = 1e-6, abs: float = 1e-6) -> None:
    """Present value (signed: revenue +, costs −) of money term `term`, in one period or all."""
    costs = results["Costs"]
    rows = costs[costs["term"] == term]
    assert len(rows), f"no money term {term!r} (terms: {sorted(set(costs['term']))})"
    if period is not None:
        rows = rows[rows["period"] == period]
    got = float(rows["present_value_usd"].sum())
    assert got == pytest.approx(expected_pv, rel=rel, abs=abs), f"PV of {term} ({period or 'all periods'}): {got} != expected {expected_pv}"


# --------------------------------------------------------------------------------------------
# Whole-plan checks, recomputed from the input tables
# --------------------------------------------------------------------------------------------


def _expand(df: pd.DataFrame, key: list[str], periods: list[str]) -> dict[tuple, dict[str, Any]]:
    """Rows keyed by (*key, period); a blank period fills every period, an explicit one overrides."""
    out: dict[tuple, dict[str, Any]] = {}
    recs = df.to_dict("records")
    for rec in recs:
        if rec.get("period") is None:
            for p in periods:
                out[(*(rec[k] for k in key), p)] = rec
    for rec in recs:
        if rec.get("period") is not None:
            out[(*(rec[k] for k in key), rec["period"])] = rec
    return out


def _factors(inst: Instance, periods: list[str]) -> dict[tuple[str, str, str], float]:
    return {k: rec["factor"] for k, rec in _expand(inst["CapacityFactors"], ["element_type", "element"], periods).items()}


def _tol(scale: float, tol: float) -> float:
    return tol * max(1.0, abs(scale))


def _scenarios(df: pd.DataFrame) -> list[Any]:
    return sorted(set(df["scenario"])) if "scenario" in df.columns else [None]


def _of(df: pd.DataFrame, scenario: Any) -> pd.DataFrame:
    return df if scenario is None or "scenario" not in df.columns else df[df["scenario"] == scenario]


def assert_mass_balance(results: Results, instance: Instance, tol: float = 1e-6) -> None:
    """For every node, commodity, period (and scenario):
    inflow + production + purchases + Σ yield × processed input = outflow + processed input + sales + disposal,
    with the yields read from the instance's RecipeOutputs."""
    yields: dict[str, dict[str, float]] = defaultdict(dict)
    for rec in instance["RecipeOutputs"].to_dict("records"):
        yields[rec["recipe"]][rec["output_commodity"]] = rec["yield"]
    inputs = {rec["recipe"]: rec["input_commodity"] for rec in instance["Recipes"].to_dict("records")}
    flows, prod, proc, sales = results["Flows"], results["Production"], results["Processing"], results["Sales"]
    for s in _scenarios(sales):
        net: dict[tuple, float] = defaultdict(float)
        scale: dict[tuple, float] = defaultdict(float)

        def add(key, v, net=net, scale=scale):
            net[key] += v
            scale[key] += abs(v)

        for r in _of(flows, s).to_dict("records"):
            add((r["to_node"], r["commodity"], r["period"]), r["t_per_yr"])
            add((r["from_node"], r["commodity"], r["period"]), -r["t_per_yr"])
        for r in _of(prod, s).to_dict("records"):
            add((r["mine"], r["commodity"], r["period"]), r["t_per_yr"])
        for r in _of(proc, s).to_dict("records"):
            if r["role"] != "input":
                continue
            assert r["commodity"] == inputs[r["recipe"]], f"recipe {r['recipe']} consumed {r['commodity']}, its input is {inputs[r['recipe']]}"
            add((r["site"], r["commodity"], r["period"]), -r["t_per_yr"])
            for c, y in yields[r["recipe"]].items():
                add((r["site"], c, r["period"]), y * r["t_per_yr"])
        for r in _of(sales, s).to_dict("records"):
            add((r["node"], r["commodity"], r["period"]), -r["t_per_yr"])
        for table, sign in (("Purchases", 1.0), ("Disposals", -1.0)):  # feeds bought in, by-products disposed of
            for r in _of(results.tables[table], s).to_dict("records") if table in results.tables else []:
                add((r["node"], r["commodity"], r["period"]), sign * r["t_per_yr"])
        bad = {k: v for k, v in net.items() if abs(v) > _tol(scale[k], tol) + 1e-5}
        assert not bad, f"mass balance violated (node, commodity, period → in − out){'' if s is None else f' in scenario {s}'}: {bad}"


def assert_capacities_respected(results: Results, instance: Instance, tol: float = 1e-6) -> None:
    """Mine output within [f·min, f·max]; sales within contract [min, max]; refinery input ≤
    f · modules · module size with modules ≤ max_modules, only while open, opened only in
    allowed periods (earliest period, base year + lead time); corridor flow (both directions)
    and port throughput ≤ f · (base capacity + upgrades in service). f = CapacityFactors."""
    periods = list(instance["Periods"]["period"])
    start = dict(zip(instance["Periods"]["period"], instance["Periods"]["start_year"]))
    base = instance.settings.get("base_year")
    base = int(base) if base is not None else int(start[periods[0]])
    order = {p: i for i, p in enumerate(periods)}
    factors = _factors(instance, periods)

    def f(etype, element, p):
        return factors.get((etype, element, p), 1.0)

    supply = _expand(instance["Mines"], ["mine", "commodity"], periods)
    prod = results["Production"]
    for s in _scenarios(prod):
        for r in _of(prod, s).to_dict("records"):
            rec = supply[(r["mine"], r["commodity"], r["period"])]
            fac = f("mine", r["mine"], r["period"])
            lo, hi, v = fac * rec["min_t_per_yr"], fac * rec["max_t_per_yr"], r["t_per_yr"]
            assert lo - _tol(lo, tol) <= v <= hi + _tol(hi, tol), f"mine {r['mine']} {r['commodity']} {r['period']}: {v} outside [{lo}, {hi}]"

    markets = _expand(instance["Markets"], ["node", "commodity"], periods)
    sales = results["Sales"]
    for r in sales.to_dict("records"):
        rec = markets[(r["node"], r["commodity"], r["period"])]
        lo, hi, v = rec["min_t_per_yr"], rec["max_t_per_yr"], r["t_per_yr"]
        assert lo - _tol(lo, tol) <= v, f"sales {r['node']} {r['commodity']} {r['period']}: {v} below contract minimum {lo}"
        assert math.isinf(hi) or v <= hi + _tol(hi, tol), f"sales {r['node']} {r['commodity']} {r['period']}: {v} above contract maximum {hi}"

    sites = {rec["site"]: rec for rec in instance["Refineries"].to_dict("records")}
    ref = results["Refineries"]
    proc = results["Processing"]
    proc_in = proc[proc["role"] == "input"]
    for j, site in sites.items():
        rows = ref[ref["site"] == j].set_index("period")
        first = order[site["earliest_period"]] if site["earliest_period"] is not None else 0
        lead = int(site["lead_time_years"] or 0)
        allowed = {p for p in periods[first:] if start[p] >= base + lead}
        prev_modules, prev_open = site["existing_modules"], 1 if site["existing_modules"] > 0 else 0
        for p in periods:
            row = rows.loc[p]
            mods, added, is_open = int(row["modules"]), int(row["modules_added"]), int(row["open"])
            assert mods == prev_modules + added, f"refinery {j} {p}: {mods} modules != {prev_modules} before + {added} added"
            assert mods <= site["max_modules"], f"refinery {j} {p}: {mods} modules > max_modules {site['max_modules']}"
            assert is_open >= prev_open, f"refinery {j} closed again in {p}"
            if is_open > prev_open or added > 0:
                assert p in allowed, f"refinery {j}: new capacity in {p}, allowed only in {sorted(allowed, key=order.get)}"
            if mods > 0:
                assert is_open == 1, f"refinery {j} {p}: {mods} modules but not open"
            for s in _scenarios(proc_in):
                rows_in = _of(proc_in, s)
                used = float(rows_in.loc[(rows_in["site"] == j) & (rows_in["period"] == p), "t_per_yr"].sum())
                cap = f("refinery", j, p) * mods * site["module_size_t_per_yr"]
                assert used <= cap + _tol(cap, tol) + 1e-6, f"refinery {j} {p}: input {used} > capacity {cap}"
            prev_modules, prev_open = mods, is_open

    ups = results["Upgrades"]
    built_from = {r["upgrade"]: r["in_service_from"] for r in ups.to_dict("records") if r["built"]}
    up_recs = instance["Upgrades"].to_dict("records")

    def capacity(etype, element, base_cap, p):
        added = sum(
            u["added_capacity_t_per_yr"]
            for u in up_recs
            if u["element_type"] == etype and u["element"] == element and u["upgrade"] in built_from and order[built_from[u["upgrade"]]] <= order[p]
        )
        return f(etype, element, p) * (base_cap + added)

    for u in up_recs:
        if u["upgrade"] in built_from and u["earliest_period"] is not None:
            assert order[built_from[u["upgrade"]]] >= order[u["earliest_period"]], f"upgrade {u['upgrade']} in service before its earliest period"

    flows = results["Flows"]
    for s in _scenarios(flows):
        per = _of(flows, s).groupby(["corridor", "period"])["t_per_yr"].sum()
        for k in instance["Corridors"].to_dict("records"):
            for p in periods:
                used = float(per.get((k["corridor"], p), 0.0))
                cap = capacity("corridor", k["corridor"], k["capacity_t_per_yr"], p)
                assert math.isinf(cap) or used <= cap + _tol(cap, tol) + 1e-6, f"corridor {k['corridor']} {p}: {used} t/yr > capacity {cap}"

    ports = {rec["port"]: rec for rec in instance["Ports"].to_dict("records")}
    for s in _scenarios(sales):
        sold = _of(sales, s).groupby(["node", "period"])["t_per_yr"].sum()
        for n, rec in ports.items():
            for p in periods:
                used = float(sold.get((n, p), 0.0))
                cap = capacity("port", n, rec["capacity_t_per_yr"], p)
                assert math.isinf(cap) or used <= cap + _tol(cap, tol) + 1e-6, f"port {n} {p}: {used} t/yr > capacity {cap}"


def assert_plan_valid(results: Results, instance: Instance, tol: float = 1e-6) -> None:
    """Mass balance, capacities and a Costs table that adds up to the objective."""
    assert_mass_balance(results, instance, tol)
    assert_capacities_respected(results, instance, tol)
    assert_costs_consistent(results)


def assert_one_problem(found, sheet: str, row, column, *fragments: str):
    """Exactly one input Problem, at this sheet/row/column, whose message says every fragment."""
    assert len(found) == 1, "\n".join(map(str, found))
    p = found[0]
    assert (p.sheet, p.row, p.column) == (sheet, row, column), str(p)
    for fragment in fragments:
        assert fragment in p.message, f"{fragment!r} not in {p.message!r}"
    return p
