"""Planner insight from the model: why a model is infeasible (elastic re-solve), and what one
more tonne of capacity is worth (shadow prices from the LP with integer decisions fixed).

Every finding names the input sheet and spreadsheet row it comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.instance import Instance
from supplyopt.model import build_model
from supplyopt.model.data import BASE_SCENARIO, ModelData, prepare
from supplyopt.model.family import Finding, scenario_suffix
from supplyopt.model.registry import limits
from supplyopt.solve.highs import SolveOptions, solve, solve_fixed_lp

TOL = 1e-4  # t/yr, or USD per unit for duals


@dataclass
class Diagnosis:
    """Why the model is infeasible: unmet requirements and the limits that bind them."""

    violations: list[Finding] = field(default_factory=list)
    binding: list[Finding] = field(default_factory=list)
    note: str = ""

    def __str__(self) -> str:
        lines = ["Why there is no feasible plan:"]
        lines += [f"  - {v}" for v in self.violations] or ["  (no single requirement could be named)"]
        if self.binding:
            lines.append("Limits that stop more being delivered (binding):")
            lines += [f"  - {b}" for b in self.binding]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def table(self) -> pd.DataFrame:
        rows = [{"kind": "cannot be met", "sheet": f.sheet, "row": f.row, "finding": f.what} for f in self.violations]
        rows += [{"kind": "binding limit", "sheet": f.sheet, "row": f.row, "finding": f.what} for f in self.binding]
        return pd.DataFrame(rows, columns=["kind", "sheet", "row", "finding"])


def _binding_limits(m, d: ModelData, duals: dict) -> list[Finding]:
    """The registered limits with a nonzero dual, worded for planners (each wording once)."""
    found: dict[str, Finding] = {}
    for limit in limits():
        for idx, con in getattr(m, limit.name, {}).items():
            if abs(duals.get(con, 0.0)) > TOL:
                f = limit.finding(m, d, idx if isinstance(idx, tuple) else (idx,))
                found.setdefault(str(f), f)
    return list(found.values())


def _mine_max_binding(m, d: ModelData, rcs: dict) -> list[Finding]:
    out = []
    for (s, i, c, p), v in m.produce.items():
        ub = v.ub
        if ub is not None and abs(rcs.get(v, 0.0)) > TOL and abs(pyo.value(v) - ub) < 1e-6 * max(1.0, ub):
            out.append(Finding("Mines", d.supply[(i, c, p)]["row"], f"mine {i} maximum {ub:,.0f} t/yr of {c} in {p}{scenario_suffix(d, s)}"))
    return out


def _market_max_binding(m, d: ModelData, rcs: dict) -> list[Finding]:
    """Contract maximums (bounds of `sell`) that stop more being sold."""
    out = []
    for (s, n, c, p), v in m.sell.items():
        ub = v.ub
        if ub is not None and abs(rcs.get(v, 0.0)) > TOL and abs(pyo.value(v) - ub) < 1e-6 * max(1.0, ub):
            out.append(Finding("Markets", d.markets[(n, c, p)]["row"], f"{n} contract maximum {ub:,.0f} t/yr of {c} in {p}{scenario_suffix(d, s)}"))
    return out


def diagnose(inst: Instance, options: SolveOptions = SolveOptions()) -> Diagnosis:
    """Elastic re-solve: contract minimums, minimum production and exposure budgets get slack,
    the total slack (tonnes, and exposure units) is minimised; nonzero slacks are the requirements
    that cannot be met, and the capacity/risk limits with nonzero duals in the fixed-design LP are
    what binds them."""
    d = prepare(inst)
    d.default_shortfall_penalty = 1.0  # marks every positive minimum soft; the objective is replaced below
    d.elastic = True
    m = build_model(d)
    m.obj.deactivate()
    slack = []
    for name in ("shortfall", "production_slack", "exposure_slack"):
        var = getattr(m, name, None)
        if var is not None:
            slack += [var[k] for k in var]
    if not slack:
        return Diagnosis(note="No minimum or budget can be relaxed: the conflict is structural (check capacities of 0 and closed corridors).")
    m.elastic_obj = pyo.Objective(expr=pyo.quicksum(slack), sense=pyo.minimize)
    report = solve(m, options)
    if not report.has_plan:
        return Diagnosis(note=f"The elastic model could not be solved either ({report.status}): the conflict lies outside minimums and budgets.")
    out = Diagnosis()
    for (s, n, c, p), v in getattr(m, "shortfall", {}).items():
        x = pyo.value(v)
        if x > TOL:
            row = d.markets[(n, c, p)]
            out.violations.append(
                Finding(
                    "Markets",
                    row["row"],
                    f"{n}, {c}, {p}{scenario_suffix(d, s)}: minimum {row['min']:,.0f} t/yr cannot be met; {row['min'] - x:,.0f} t/yr is the most deliverable ({x:,.0f} t/yr short)",
                )
            )
    for (s, i, c, p), v in getattr(m, "production_slack", {}).items():
        x = pyo.value(v)
        if x > TOL:
            row = d.supply[(i, c, p)]
            out.violations.append(
                Finding(
                    "Mines",
                    row["row"],
                    f"{i}, {c}, {p}{scenario_suffix(d, s)}: minimum output {row['min']:,.0f} t/yr cannot be moved, processed or sold; at most {row['min'] - x:,.0f} t/yr",
                )
            )
    for (s, p), v in getattr(m, "exposure_slack", {}).items():
        x = pyo.value(v)
        if x > TOL:
            b = d.risk_limits[p]["exposure_budget"]
            out.violations.append(
                Finding(
                    "RiskLimits",
                    d.rows.get(("RiskLimits", p)),
                    f"{p}{scenario_suffix(d, s)}: exposure budget {b:,.0f} is too tight; the minimums need at least {b + x:,.0f}",
                )
            )
    _lp, duals, rcs, _ = solve_fixed_lp(m, options)
    out.binding = _binding_limits(m, d, duals) + _mine_max_binding(m, d, rcs) + _market_max_binding(m, d, rcs)
    return out


SHADOW_COLUMNS = ["family", "element", "sheet", "row", "period", "scenario", "limit", "used", "npv_per_unit_usd", "usd_per_t_in_period"]


# Capacities (limits with users) nothing uses get a probed marginal value.
PROBE_T = 1000.0  # t/yr: the "next tonnes" a probe adds to an unused capacity
MAX_PROBES = 25


def shadow_prices(m: pyo.ConcreteModel, options: SolveOptions = SolveOptions()) -> pd.DataFrame:
    """Marginal NPV of one more unit of each capacity, contract bound and risk budget, from the LP
    with every integer decision fixed at the solved plan (the model must hold a solved plan).

    npv_per_unit_usd = ∂NPV/∂limit (USD of present value per t/yr of limit in that period; for an
    unused capacity with a nonzero dual, whose dual is not unique, the measured value of the next
    PROBE_T t/yr: the largest MAX_PROBES of them are re-solved, warm-started);
    usd_per_t_in_period = the same per tonne moved in the period (divided by π_s · DF_p).
    The model's variable values are restored to the MILP plan afterwards."""
    d: ModelData = m.data
    saved = [(v, v.value) for v in m.component_data_objects(pyo.Var)]

    def degenerate_capacities(duals: dict) -> list[tuple[object, float]]:
        # A capacity nothing uses (limit 0, typically a planned corridor) has a non-unique dual
        # that HiGHS may report as huge: measure the value of the next PROBE_T t/yr instead.
        out = []
        for limit in limits():
            if limit.users is None:
                continue
            for idx, con in getattr(m, limit.name, {}).items():
                users = limit.users(m, d, idx)
                if abs(duals.get(con, 0.0)) > TOL and users and all(abs(pyo.value(x)) < 1e-9 for x in users) and con.upper is not None:
                    out.append((con, PROBE_T))
        return sorted(out, key=lambda cd: -abs(duals[cd[0]]))[:MAX_PROBES]

    report, duals, rcs, slopes = solve_fixed_lp(m, options, probes=degenerate_capacities)
    sign = 1.0 if report.sense == "maximise" else -1.0  # duals are ∂objective/∂rhs; report ∂NPV
    rows = []
    if report.status == "optimal":
        for limit in limits():
            for idx, con in getattr(m, limit.name, {}).items():
                idx = idx if isinstance(idx, tuple) else (idx,)
                dual = sign * slopes.get(con, duals.get(con, 0.0))
                s, p = _scenario_period(d, idx)
                bound, used = limit.limit_and_use(m, d, idx, con)
                rows.append(_shadow_row(d, limit.name, idx, limit.finding(m, d, idx), p, s, bound, used, dual))
        for (s, n, c, p), v in m.sell.items():
            dual = sign * rcs.get(v, 0.0)
            row = d.markets[(n, c, p)]
            x = pyo.value(v)
            at_contract = (row["min"] > 0 and abs(x - row["min"]) < 1e-6 * max(1.0, row["min"])) or (
                not math.isinf(row["max"]) and abs(x - row["max"]) < 1e-6 * max(1.0, row["max"])
            )
            if abs(dual) > TOL and at_contract:
                f = Finding("Markets", row["row"], f"contract {n} {c}")
                rows.append(_shadow_row(d, "contract_bound", (s, n, c, p), f, p, s, None, pyo.value(v), dual))
    for v, val in saved:
        v.set_value(val, skip_validation=True)
    df = pd.DataFrame(rows, columns=SHADOW_COLUMNS)
    if len(df):
        df = df.reindex(df["npv_per_unit_usd"].abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
    return df


def _scenario_period(d: ModelData, idx: tuple) -> tuple[str, str | None]:
    s = idx[0] if idx and idx[0] in d.scenarios else BASE_SCENARIO
    p = next((x for x in reversed(idx) if x in d.periods), None)
    return s, p


def _shadow_row(d: ModelData, family, idx, finding, p, s, limit, used, dual) -> dict:
    weight = d.probability.get(s, 1.0) * d.flow_factor[p] if p in d.flow_factor else None
    return {
        "family": family,
        "element": " | ".join(str(x) for x in idx),
        "sheet": finding.sheet if finding else "",
        "row": finding.row if finding else None,
        "period": p,
        "scenario": s,
        "limit": limit,
        "used": used,
        "npv_per_unit_usd": 0.0 if abs(dual) < TOL else dual,
        "usd_per_t_in_period": (dual / weight) if weight and abs(dual) >= TOL else 0.0,
    }


def top_bottlenecks(prices: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """Capacity and risk limits with the largest marginal NPV (the investments to look at first)."""
    if not len(prices):
        return prices
    caps = prices[prices["family"] != "contract_bound"]
    caps = caps[caps["npv_per_unit_usd"].abs() > TOL]
    return caps.head(n).reset_index(drop=True)
