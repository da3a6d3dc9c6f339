"""The solve pipeline: Instance → model → HiGHS → Results, with stage timings, provenance and the
status a planner reads.

Used by the CLI and by scenario sweeps; it reads no files itself (io/ does) and writes none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplyopt import __version__
from supplyopt.errors import InfeasibleError
from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.inputs.instance import Instance
from supplyopt.model import ModelData, build_model
from supplyopt.results import Results, extract_results
from supplyopt.schema import schema_fingerprint
from supplyopt.solve.highs import FEASIBLE, INFEASIBLE, OPTIMAL, SolveOptions, SolveReport, require_plan, solve
from supplyopt.studies.design import Design
from supplyopt.studies.diagnose import diagnose, shadow_prices, top_bottlenecks
from supplyopt.studies.warm import design_values, with_warm_start

Stage = Callable[[str, float], None]  # (stage description, seconds) progress callback


@dataclass
class SolveRun:
    """What one solve produced: the report always, Results only when there is a plan."""

    report: SolveReport
    results: Results | None
    timings: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)


def file_sha256(path: str | Path) -> str:
    p = Path(path)
    h = hashlib.sha256()
    if p.is_dir():
        for f in sorted(p.glob("*.csv")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    else:
        h.update(p.read_bytes())
    return h.hexdigest()


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import highspy  # noqa: F401  (import proves the embedded solver is present)
    import pandas
    import pyomo.version

    return {
        "supplyopt": __version__,
        "pyomo": pyomo.version.version,
        "highspy": version("highspy"),
        "pandas": pandas.__version__,
        "python": platform.python_version(),
    }


def table_digests(inst: Instance) -> dict[str, str]:
    """{table: first 12 hex digits of the SHA-256 of its contents} for every non-empty input
    table, read as `Instance.content_hash` reads them: what a reopened plan compares to name the
    tables that changed since it was made (see studies/reopen.py)."""
    out = {}
    for name in sorted(inst.tables):
        df = inst.tables[name].drop(columns=[ROW_COLUMN], errors="ignore")
        if len(df):
            out[name] = hashlib.sha256(df.to_csv(index=False, lineterminator="\n").encode()).hexdigest()[:12]
    return out


def format_digests(digests: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in digests.items())


def parse_digests(text: object) -> dict[str, str]:
    """The inverse of `format_digests` ({} for a blank or missing record)."""
    pairs = (part.strip().partition("=") for part in str(text or "").split(";"))
    return {k: v for k, _, v in pairs if k and v}


def provenance(inst: Instance, options: SolveOptions, scenario: str | None = None, overrides: str | None = None) -> dict[str, Any]:
    """Summary rows that say where a plan came from: the input file and its hash, the hash of
    the instance solved (scenario applied) and of each of its tables, scenario, schema,
    versions and solver options."""
    meta: dict[str, Any] = {
        "input": inst.source,
        "input_sha256": file_sha256(inst.source) if inst.source and Path(inst.source).exists() else "",
        "instance_sha256": inst.content_hash(),
        "input_tables_sha256": format_digests(table_digests(inst)),
        "scenario": scenario or "base",
        "input_schema": schema_fingerprint(),
    }
    if overrides:
        meta["scenario_overrides"] = overrides
    meta.update({f"version_{k}": v for k, v in versions().items()})
    meta.update(
        {
            "time_limit_s": options.time_limit if options.time_limit is not None else "none",
            "mip_gap_tolerance": options.mip_gap,
            "seed": options.seed,
            "run_at_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    return meta


def run_solve(
    inst: Instance,
    options: SolveOptions = SolveOptions(),
    on_stage: Stage | None = None,
    metadata: dict | None = None,
    with_shadow_prices: bool = True,
    diagnose_infeasible: bool = True,
    model_data: ModelData | None = None,
    warm: Design | None = None,
) -> SolveRun:
    """Build and solve; Results are extracted only when HiGHS returned a plan, with shadow prices
    from the fixed-design LP. An infeasible model raises InfeasibleError carrying a Diagnosis
    (elastic re-solve); no plan for another reason raises SolverError. `model_data` (prepared
    from `inst` and then adjusted, e.g. by explain) replaces the default preparation. `warm`: a
    plan's design to warm-start HiGHS from (studies/warm.py; ignored where SolveOptions has no
    warm_start)."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    m = build_model(model_data if model_data is not None else inst)
    timings["build_s"] = time.perf_counter() - t
    size = {"columns": m.nvariables(), "rows": m.nconstraints()}
    if on_stage:
        on_stage(f"Built model: {size['columns']:,} variables, {size['rows']:,} constraints", timings["build_s"])
    report = solve(m, with_warm_start(options, design_values(m, warm)) if warm is not None else options)
    timings["solve_wall_s"] = report.wall_seconds
    timings["highs_s"] = report.solve_seconds
    if on_stage:
        on_stage(f"HiGHS finished: {report.status}", report.wall_seconds)
    if report.status == INFEASIBLE and diagnose_infeasible:
        if on_stage:
            on_stage("Model infeasible: re-solving an elastic version to explain why", 0.0)
        diagnosis = diagnose(inst, options)
        raise InfeasibleError("The model is infeasible: no plan meets every requirement.", diagnosis)
    require_plan(report)
    t = time.perf_counter()
    meta = dict(metadata or {})
    meta.update({"build_seconds": timings["build_s"], "columns": size["columns"], "rows": size["rows"]})
    results = extract_results(m, report, meta)
    timings["extract_s"] = time.perf_counter() - t
    if with_shadow_prices:
        t = time.perf_counter()
        prices = shadow_prices(m, options)
        results.tables["ShadowPrices"] = prices
        results.tables["Bottlenecks"] = top_bottlenecks(prices)
        timings["shadow_prices_s"] = time.perf_counter() - t
    return SolveRun(report, results, timings, size)


# HiGHS's termination reasons as a planner reads them in the Summary.
TERMINATION_TEXT = {
    "convergenceCriteriaSatisfied": "optimal within the gap tolerance",
    "maxTimeLimit": "time limit reached",
    "iterationLimit": "iteration limit reached",
    "unknown": "HiGHS stopped without a reason (numerical trouble?)",
    "error": "HiGHS reported an error",
}


def mark_status(run: SolveRun, requested_gap: float) -> None:
    """Summary status and termination as a planner should read them. HiGHS calls a plan optimal
    once the gap is within the requested gap; with it loosened beyond the default tolerance and
    the gap still above that tolerance, the plan is not proven optimal (status feasible)."""
    report, summary = run.report, run.results.summary
    tolerance = SolveOptions().mip_gap
    if report.status == OPTIMAL and requested_gap > tolerance and report.gap is not None and report.gap > tolerance:
        report.status = FEASIBLE
        report.termination = f"gap limit (--gap {requested_gap:g})"
    report.termination = termination = TERMINATION_TEXT.get(report.termination, report.termination)
    items = list(summary.items())
    summary.clear()
    for key, value in items:
        if key == "termination":
            continue
        summary[key] = report.status if key == "status" else value
        if key == "status":
            summary["termination"] = termination
