"""Results: pandas tables of a solved model, plus run metadata. Made once, right after a solve
that has a plan; workbooks, maps and comparisons are made from Results, never from the model.

Each table is made by the constraint family that contributes it (model/registry.py); rows are
in a stable order (model index order) so the same input gives identical tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from supplyopt.model.data import BASE_SCENARIO, ModelData
from supplyopt.model.family import EPS
from supplyopt.model.fiscal import STATE_TAKE_TERMS
from supplyopt.model.registry import tables as registered_tables
from supplyopt.solve.highs import SolveReport
from supplyopt.solve.solution import Solution

__all__ = ["EPS", "Results", "extract_results", "kpis"]


@dataclass
class Results:
    """Named result tables and the run's metadata (summary rows)."""

    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    report: SolveReport | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def extract_results(m, report: SolveReport, metadata: dict[str, Any] | None = None) -> Results:
    """All result tables of a solved model, from every registered family. Refuses a model without a plan."""
    if not report.has_plan:
        raise ValueError(f"no plan to extract (status: {report.status})")
    d: ModelData = m.data
    sol = Solution()
    tables = {}
    for table in registered_tables():
        df = table.make(m, d, sol)
        if df is not None:
            tables[table.name] = df
    if d.scenarios == [BASE_SCENARIO]:
        tables = {k: v.drop(columns=["scenario"], errors="ignore") for k, v in tables.items()}
    # The plan's figures first (what a planner reads), then where they came from.
    summary = kpis(m, d, report, tables, sol)
    summary.update({k: v for k, v in (metadata or {}).items() if k not in summary})
    return Results(tables, summary, report)


def kpis(m, d: ModelData, report: SolveReport, tables, sol: Solution) -> dict[str, Any]:
    """The summary: status, objective, NPV and its parts, the design, risk and scenario figures."""
    costs = tables["Costs"]
    pv = costs.groupby("kind")["present_value_usd"].sum()
    sites = tables["Refineries"]
    opened = sorted(set(sites.loc[sites["open"] == 1, "site"])) if len(sites) else []
    out = {
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
    state = costs.loc[costs["term"].isin(STATE_TAKE_TERMS), "present_value_usd"]
    if len(state):  # beside the investor's NPV (npv_usd, after royalties and duties); pre-tax
        out["state_take_pv_usd"] = -float(state.sum())
    return out
