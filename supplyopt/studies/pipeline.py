"""The solve pipeline: Instance → model → HiGHS → Results, with stage timings and provenance.

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
from supplyopt.inputs.instance import Instance
from supplyopt.model import ModelData, build_model
from supplyopt.results import Results, extract_results
from supplyopt.schema import schema_fingerprint
from supplyopt.solve.highs import INFEASIBLE, SolveOptions, SolveReport, require_plan, solve
from supplyopt.studies.diagnose import diagnose, shadow_prices, top_bottlenecks

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


def provenance(inst: Instance, options: SolveOptions, scenario: str | None = None, overrides: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "input": inst.source,
        "input_sha256": file_sha256(inst.source) if inst.source and Path(inst.source).exists() else "",
        "instance_sha256": inst.content_hash(),
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
) -> SolveRun:
    """Build and solve; Results are extracted only when HiGHS returned a plan, with shadow prices
    from the fixed-design LP. An infeasible model raises InfeasibleError carrying a Diagnosis
    (elastic re-solve); no plan for another reason raises SolverError. `model_data` (prepared
    from `inst` and then adjusted, e.g. by explain) replaces the default preparation."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    m = build_model(model_data if model_data is not None else inst)
    timings["build_s"] = time.perf_counter() - t
    size = {"columns": m.nvariables(), "rows": m.nconstraints()}
    if on_stage:
        on_stage(f"Built model: {size['columns']:,} variables, {size['rows']:,} constraints", timings["build_s"])
    report = solve(m, options)
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
