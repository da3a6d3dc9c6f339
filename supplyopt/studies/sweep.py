"""Sweeps: many solves of one input (scenarios and/or Monte-Carlo samples), serially or on Dask.

A sweep is a list of `Task`s, each a (scenario, sample) pair over one base Instance:

- `make_tasks(inst, scenarios, samples, seed)`: every named scenario ('all' = the base and every
  scenario), each solved once, or `samples` times with the Uncertainties drawn for sample 0..N-1;
- `run_sweep(inst, tasks, options, ...)` runs them serially (`serial=True`) or on
  dask.distributed: a `LocalCluster` (one single-threaded worker process per core by default) or
  an existing scheduler by address (`scheduler='tcp://HOST:PORT'`). The base Instance is sent to
  the workers once; each task applies its scenario and sample there, solves, and returns a small
  picklable dict (status, NPV, sites, modules, upgrades, exposure, draws, error message) and,
  when asked, the Results tables. A task that fails (input error from its overrides,
  infeasible, solver error, or any crash of its own) gives a row with that status and the
  message; the sweep goes on.
- Reproducible: a task's draws depend only on (seed, sample, parameter) and HiGHS runs with one
  thread and a fixed seed, so the same input, scenario and seed give the same numbers serially
  or on any cluster.

`write_sweep_workbook` writes Summary (run and NPV statistics), Sweep (one row per task),
NPVHistogram and SiteChoice (with charts) and Errors.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from supplyopt.errors import InfeasibleError, InputError, SolverError, SupplyoptError
from supplyopt.inputs.scenarios import BASE, resolve_scenarios, uncertain_parameters

OK_STATUSES = ("optimal", "feasible (not proven optimal)")


class ClusterError(SolverError):
    """The Dask scheduler cannot be reached, or a local cluster cannot start."""


@dataclass(frozen=True)
class Task:
    """One solve of a sweep: a scenario, and optionally one Monte-Carlo sample of it."""

    index: int
    scenario: str = BASE
    sample: int | None = None
    seed: int = 0

    @property
    def label(self) -> str:
        return self.scenario if self.sample is None else f"{self.scenario}#{self.sample}"


@dataclass(frozen=True)
class TaskOptions:
    """Solver options of every task (picklable; one HiGHS thread per task by default)."""

    time_limit: float | None = None
    mip_gap: float = 1e-4
    threads: int | None = 1
    seed: int = 0
    keep_tables: bool = False


@dataclass
class SweepResult:
    rows: list[dict[str, Any]]
    info: dict[str, Any]
    results: dict[str, Any] = field(default_factory=dict)  # label -> Results, when tables were kept

    def table(self) -> pd.DataFrame:
        return sweep_table(self.rows)


def make_tasks(inst, scenarios: Sequence[str] | None = None, samples: int = 0, seed: int = 0) -> list[Task]:
    """Tasks for `scenarios` (default: the base), each `samples` times when samples > 0."""
    names = resolve_scenarios(inst, scenarios or [BASE])
    if samples < 0:
        raise ValueError("samples must be ≥ 0")
    if samples:
        uncertain_parameters(inst)  # InputError now rather than in every task
        pairs = [(s, k) for s in names for k in range(samples)]
    else:
        pairs = [(s, None) for s in names]
    return [Task(i, s, k, seed) for i, (s, k) in enumerate(pairs)]


# ---------------------------------------------------------------------------------------------
# One task
# ---------------------------------------------------------------------------------------------


def pack_instance(inst) -> tuple:
    """A plain-pickle form of an Instance (its mappings are read-only proxies)."""
    return (dict(inst.tables), dict(inst.settings), inst.source, dict(inst.metadata))


def unpack_instance(packed: tuple):
    from supplyopt.inputs.instance import Instance

    tables, settings, source, meta = packed
    return Instance(MappingProxyType(dict(tables)), MappingProxyType(dict(settings)), source, MappingProxyType(dict(meta)))


def _message(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return "; ".join(str(p) for p in exc.problems)
    text = str(exc)
    diagnosis = getattr(exc, "diagnosis", None)
    return f"{text} {diagnosis}" if diagnosis else text


def run_task(packed_inst: tuple, task: Task, options: TaskOptions = TaskOptions()) -> dict[str, Any]:
    """Apply the task's scenario and sample, solve, and return its row (never raises a
    SupplyoptError: input errors, infeasibility and solver errors become the row's status)."""
    from supplyopt.inputs.scenarios import apply_scenario, sample_instance
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.compare import input_schema_id
    from supplyopt.studies.pipeline import provenance, run_solve

    start = time.perf_counter()
    row: dict[str, Any] = {
        "task": task.index,
        "label": task.label,
        "scenario": task.scenario,
        "sample": task.sample,
        "seed": task.seed if task.sample is not None else None,
    }
    draws: dict[str, float] = {}
    try:
        inst = apply_scenario(unpack_instance(packed_inst), task.scenario)
        if task.sample is not None:
            inst, draws = sample_instance(inst, task.sample, task.seed)
        solve_options = SolveOptions(time_limit=options.time_limit, mip_gap=options.mip_gap, threads=options.threads, seed=options.seed)
        meta = provenance(inst, solve_options, scenario=task.label, overrides=inst.metadata.get("scenario_overrides") or None)
        meta["input_schema"] = input_schema_id()
        if inst.metadata.get("scenario_description"):
            meta["scenario_description"] = inst.metadata["scenario_description"]
        if draws:
            meta["sample"], meta["sample_seed"] = task.sample, task.seed
            meta["sample_draws"] = inst.metadata.get("sample_draws", "")
        run = run_solve(inst, solve_options, metadata=meta)
    except InputError as exc:
        row.update(status="input error", error=_message(exc))
    except InfeasibleError as exc:
        row.update(status="infeasible", error=_message(exc))
    except SolverError as exc:
        row.update(status="solver error", error=_message(exc))
    except SupplyoptError as exc:
        row.update(status="error", error=_message(exc))
    else:
        results = run.results
        row.update(_decisions(results))
        row["error"] = ""
        if options.keep_tables:
            row["tables"] = results.tables
            row["summary"] = results.summary
    row["draws"] = draws
    row["seconds"] = time.perf_counter() - start
    return row


def _decisions(results) -> dict[str, Any]:
    s = results.summary
    ref = results.tables.get("Refineries")
    sites: list[str] = []
    modules: dict[str, int] = {}
    if ref is not None and len(ref):
        sites = sorted(set(ref.loc[ref["open"] == 1, "site"]))
        last = ref[ref["period"] == ref["period"].iloc[-1]]
        modules = {str(k): int(v) for k, v in zip(last["site"], last["modules"])}
    up = results.tables.get("Upgrades")
    upgrades = {}
    if up is not None and len(up):
        upgrades = {str(u): str(p) for u, b, p in zip(up["upgrade"], up["built"], up["in_service_from"]) if bool(b)}
    return {
        "status": s.get("status"),
        "npv_usd": s.get("npv_usd"),
        "objective_value": s.get("objective_value"),
        "gap": s.get("gap"),
        "sites": sites,
        "modules": modules,
        "upgrades": upgrades,
        "risk_exposure_total": s.get("risk_exposure_total"),
        "revenue_pv_usd": s.get("revenue_pv_usd"),
        "capex_pv_usd": s.get("capex_pv_usd"),
    }


# ---------------------------------------------------------------------------------------------
# Running a sweep
# ---------------------------------------------------------------------------------------------

Progress = Callable[[int, int, dict[str, Any]], None]  # (done, total, row) after each task


def _crash_row(task: Task, exc: BaseException) -> dict[str, Any]:
    return {
        "task": task.index,
        "label": task.label,
        "scenario": task.scenario,
        "sample": task.sample,
        "seed": task.seed if task.sample is not None else None,
        "status": "error",
        "error": f"{type(exc).__name__}: {exc}",
        "draws": {},
    }


def run_sweep(
    inst,
    tasks: Sequence[Task],
    options: TaskOptions = TaskOptions(),
    *,
    serial: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Run `tasks` and return their rows in task order.

    serial: in this process, one after another. Otherwise on dask.distributed: the scheduler at
    `scheduler` when given, else a LocalCluster of `workers` processes (default: one per core),
    one thread each."""
    packed = pack_instance(inst)
    start = time.perf_counter()
    info: dict[str, Any] = {"tasks": len(tasks)}
    if serial:
        rows = _run_serial(packed, tasks, options, progress)
        info.update(mode="serial", workers=1)
    else:
        rows, where = _run_dask(packed, tasks, options, scheduler, workers, progress)
        info.update(where)
    info["wall_seconds"] = time.perf_counter() - start
    rows.sort(key=lambda r: r["task"])
    results = {}
    if options.keep_tables:
        from supplyopt.results import Results

        for r in rows:
            if "tables" in r:
                results[r["label"]] = Results(r.pop("tables"), r.pop("summary"))
    return SweepResult(rows, info, results)


def _run_serial(packed, tasks, options, progress) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        try:
            row = run_task(packed, t, options)
        except Exception as exc:  # noqa: BLE001 - as on a cluster: one task's crash must not sink the sweep
            row = _crash_row(t, exc)
        rows.append(row)
        if progress:
            progress(len(rows), len(tasks), row)
    return rows


def _run_dask(packed, tasks, options, scheduler, workers, progress) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
            where = {"mode": "dask", "scheduler": scheduler}
        else:
            n = workers or os.cpu_count() or 1
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
            where = {"mode": "dask LocalCluster", "scheduler": cluster.scheduler_address}
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        what = f"cannot reach the Dask scheduler at {scheduler}" if scheduler else "cannot start a local Dask cluster"
        raise ClusterError(f"{what}: {exc} (run with --serial to sweep without Dask)") from exc
    try:
        where["workers"] = len(client.scheduler_info().get("workers", {}))
        inst_future = client.scatter(packed, broadcast=True)
        futures = {client.submit(run_task, inst_future, t, options, pure=False, retries=0): t for t in tasks}
        rows = []
        for fut in as_completed(futures):
            t = futures[fut]
            try:
                row = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed task or a lost worker: report, go on
                row = _crash_row(t, exc)
            rows.append(row)
            if progress:
                progress(len(rows), len(tasks), row)
        return rows, where
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def rich_progress(console=None):
    """A context manager giving a `progress` callback that drives a rich progress bar."""
    from contextlib import contextmanager

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    @contextmanager
    def _cm(total: int):
        with Progress(
            TextColumn("[bold]Sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar:
            job = bar.add_task("sweep", total=total, last="")

            def update(done: int, n: int, row: dict[str, Any]) -> None:
                bad = "" if row.get("status") in OK_STATUSES else " ✗"
                bar.update(job, completed=done, last=f"{row['label']}: {row.get('status')}{bad}")

            yield update

    return _cm


# ---------------------------------------------------------------------------------------------
# Tables and workbook
# ---------------------------------------------------------------------------------------------


def _fmt_dict(d: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in d.items())


def sweep_table(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per task: status, NPV, key decisions, draws (one column per parameter), error."""
    out = []
    for r in rows:
        rec = {
            "task": r["task"],
            "scenario": r["scenario"],
            "sample": r.get("sample"),
            "status": r.get("status"),
            "npv_usd": r.get("npv_usd"),
            "refineries_open": ", ".join(r.get("sites") or []) or ("none" if r.get("status") in OK_STATUSES else ""),
            "modules_last_period": _fmt_dict({k: v for k, v in (r.get("modules") or {}).items() if v}),
            "upgrades_built": _fmt_dict(r.get("upgrades") or {}),
            "risk_exposure_total": r.get("risk_exposure_total"),
            "revenue_pv_usd": r.get("revenue_pv_usd"),
            "capex_pv_usd": r.get("capex_pv_usd"),
            "gap": r.get("gap"),
            "seconds": r.get("seconds"),
        }
        for k, v in (r.get("draws") or {}).items():
            rec[f"draw {k}"] = v
        rec["error"] = r.get("error", "")
        out.append(rec)
    df = pd.DataFrame(out)
    if len(df):
        df = df[[c for c in df.columns if c != "error"] + ["error"]]
    return df


def npv_histogram(rows: Sequence[dict[str, Any]], bins: int | None = None) -> pd.DataFrame:
    npv = np.array([r["npv_usd"] for r in rows if r.get("status") in OK_STATUSES and r.get("npv_usd") is not None], dtype=float)
    if not len(npv):
        return pd.DataFrame(columns=["npv_from_usd", "npv_to_usd", "bin", "count"])
    n = bins or int(min(20, max(5, math.ceil(math.sqrt(len(npv))))))
    lo, hi = float(npv.min()), float(npv.max())
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(npv, bins=n, range=(lo, hi))
    return pd.DataFrame(
        {
            "npv_from_usd": edges[:-1],
            "npv_to_usd": edges[1:],
            "bin": [f"{_short(a, hi)} – {_short(b, hi)}" for a, b in zip(edges[:-1], edges[1:])],
            "count": counts.astype(int),
        }
    )


def _short(x: float, scale: float) -> str:
    """x in the unit that suits `scale` (the largest value): 1.2 bn, 350.5 M, 12.3 k."""
    big = max(abs(scale), abs(x))
    for div, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if big >= div:
            return f"{x / div:,.1f}{unit}"
    return f"{x:,.0f}"


def site_frequency(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    ok = [r for r in rows if r.get("status") in OK_STATUSES]
    sites = sorted({s for r in rows for s in (r.get("modules") or {})} | {s for r in ok for s in r.get("sites") or []})
    recs = []
    for s in sites:
        chosen = sum(1 for r in ok if s in (r.get("sites") or []))
        mods = [r["modules"].get(s, 0) for r in ok if s in (r.get("sites") or []) and r.get("modules")]
        recs.append(
            {
                "site": s,
                "times_chosen": chosen,
                "share_of_solved": chosen / len(ok) if ok else None,
                "mean_modules_when_chosen": float(np.mean(mods)) if mods else None,
            }
        )
    recs.append(
        {
            "site": "(no refinery)",
            "times_chosen": sum(1 for r in ok if not r.get("sites")),
            "share_of_solved": (sum(1 for r in ok if not r.get("sites")) / len(ok)) if ok else None,
        }
    )
    return pd.DataFrame(recs, columns=["site", "times_chosen", "share_of_solved", "mean_modules_when_chosen"])


def npv_statistics(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    npv = np.array([r["npv_usd"] for r in rows if r.get("status") in OK_STATUSES and r.get("npv_usd") is not None], dtype=float)
    if not len(npv):
        return {}
    return {
        "npv_mean_usd": float(npv.mean()),
        "npv_std_usd": float(npv.std(ddof=1)) if len(npv) > 1 else 0.0,
        "npv_min_usd": float(npv.min()),
        "npv_p05_usd": float(np.percentile(npv, 5)),
        "npv_p50_usd": float(np.percentile(npv, 50)),
        "npv_p95_usd": float(np.percentile(npv, 95)),
        "npv_max_usd": float(npv.max()),
    }


def write_sweep_workbook(
    sweep: SweepResult, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = (), extra: dict | None = None
) -> Path:
    """Write the sweep workbook atomically; returns its path."""
    from supplyopt.io.atomic import atomic_write

    return atomic_write(Path(path), lambda tmp: _build(sweep, tmp, extra or {}), overwrite=overwrite, protect=protect)


def _build(sweep: SweepResult, out: Path, extra: dict) -> None:
    from openpyxl import Workbook

    from supplyopt.studies.compare import bar_chart, write_frame, write_summary_sheet

    rows = sweep.rows
    statuses = pd.Series([r.get("status") for r in rows]).value_counts()
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    items: list[tuple[str, Any]] = list(extra.items())
    items += [(k, v) for k, v in sweep.info.items()]
    items += [(f"tasks {k}", int(v)) for k, v in statuses.items()]
    items += list(npv_statistics(rows).items())
    write_summary_sheet(ws, "supplyopt sweep", items)
    for i in range(4, 4 + len(items)):
        c = ws.cell(row=i, column=2)
        if isinstance(c.value, float):
            c.number_format = "#,##0" if abs(c.value) >= 100 else "0.00"

    ws = wb.create_sheet("Sweep")
    write_frame(ws, sweep_table(rows), formats={"seconds": "0.00", "gap": "0.00%"})

    ws = wb.create_sheet("NPVHistogram")
    hist = npv_histogram(rows)
    write_frame(ws, hist)
    if len(hist):
        bar_chart(ws, "NPV distribution (solved tasks)", "tasks", (4, 1, 4, 1 + len(hist)), (3, 2, 1 + len(hist)), "F2")

    ws = wb.create_sheet("SiteChoice")
    freq = site_frequency(rows)
    write_frame(ws, freq, formats={"share_of_solved": "0.0%", "mean_modules_when_chosen": "0.0"})
    if len(freq):
        bar_chart(ws, "How often each refinery site is chosen", "tasks", (2, 1, 2, 1 + len(freq)), (1, 2, 1 + len(freq)), "F2")

    bad = [r for r in rows if r.get("status") not in OK_STATUSES]
    ws = wb.create_sheet("Errors")
    if bad:
        write_frame(ws, pd.DataFrame([{"task": r["task"], "label": r["label"], "status": r.get("status"), "error": r.get("error")} for r in bad]))
    else:
        ws.cell(row=1, column=1, value="Every task solved.")
    wb.save(out)
