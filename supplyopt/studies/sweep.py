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

Its tables are made in `supplyopt.studies.sweep_tables`; `supplyopt.io.sweep_workbook` writes them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from supplyopt.errors import InfeasibleError, InputError, SolverError
from supplyopt.inputs.scenarios import BASE, resolve_scenarios, uncertain_parameters
from supplyopt.studies.runner import ClusterError, RunnerOptions, run_tasks

__all__ = ["ClusterError", "SweepResult", "Task", "TaskOptions", "make_tasks", "run_sweep", "run_task"]


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
        from supplyopt.studies.sweep_tables import sweep_table

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
    """Apply the task's scenario and sample, solve (`run_scenario`), and return its row (never
    raises a SupplyoptError: input errors, infeasibility and solver errors become its status)."""
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.scenario_run import run_scenario

    start = time.perf_counter()
    row: dict[str, Any] = {
        "task": task.index,
        "label": task.label,
        "scenario": task.scenario,
        "sample": task.sample,
        "seed": task.seed if task.sample is not None else None,
    }
    solve_options = SolveOptions(time_limit=options.time_limit, mip_gap=options.mip_gap, threads=options.threads, seed=options.seed)
    done = run_scenario(unpack_instance(packed_inst), task.scenario, solve_options, sample=task.sample, sample_seed=task.seed)
    if done.error is not None:
        row.update(status=_status_of(done.error), error=_message(done.error))
    else:
        results = done.results
        row.update(_decisions(results))
        row["error"] = ""
        if options.keep_tables:
            row["tables"] = results.tables
            row["summary"] = results.summary
    row["draws"] = done.draws
    row["seconds"] = time.perf_counter() - start
    return row


_ERROR_STATUS = {InputError: "input error", InfeasibleError: "infeasible", SolverError: "solver error"}


def _status_of(exc: BaseException) -> str:
    """The row status of a task's error: its kind in _ERROR_STATUS, else 'error'."""
    return next((status for kind, status in _ERROR_STATUS.items() if isinstance(exc, kind)), "error")


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
    runner: RunnerOptions | None = None,
) -> SweepResult:
    """Run `tasks` on the task runner (`supplyopt.studies.runner`) and return their rows in task
    order.

    serial: in this process, one after another. Otherwise on dask.distributed: the scheduler at
    `scheduler` when given, else a LocalCluster of `workers` processes (default: one per core),
    one thread each. A sweep asks for Dask explicitly, so even two tasks go to the cluster
    (`runner` overrides the choice)."""
    runner = runner or RunnerOptions(serial=serial, scheduler=scheduler, workers=workers, min_tasks=2, min_seconds=0.0)
    rows, info = run_tasks(run_task_of, (pack_instance(inst), options), list(tasks), runner, on_error=_crash_row, progress=progress)
    rows.sort(key=lambda r: r["task"])
    results = {}
    if options.keep_tables:
        from supplyopt.results import Results

        for r in rows:
            if "tables" in r:
                results[r["label"]] = Results(r.pop("tables"), r.pop("summary"))
    return SweepResult(rows, info, results)


def run_task_of(shared: tuple, task: Task) -> dict[str, Any]:
    """`run_task` with the (packed instance, options) pair the runner sends to every worker."""
    packed, options = shared
    return run_task(packed, task, options)
