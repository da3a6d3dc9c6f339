"""`supplyopt solve --scenario NAME|all`: every scenario solved and written on the task runner
(studies/runner.py), one progress bar, one table of outcomes at the end.

The base, when it is one of several scenarios, is solved first here: its plan's design
warm-starts the others, and its time says whether the rest is worth a cluster. Each scenario is
then solved *and written* by `run_case` (in a worker process on a cluster), so a scenario whose
changes do not apply, that is infeasible, or whose workbook cannot be written is reported in its
row while the others go on.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from supplyopt.cli.common import INTERRUPTED, check_outputs, console, err, file_part, money, notice, stem_of
from supplyopt.cli.output import session
from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK, InfeasibleError, OutputError, SolverError, SupplyoptError

__all__ = ["describe_changes", "run_case", "scenario_log", "scenario_outputs", "solve_scenarios"]

_CHANGE = re.compile(r"^(?P<table>[^\[]+)\[(?P<key>[^\]]*)\]\.(?P<column>\S+) (?P<op>set|scale|add) (?P<value>.*)$")
_OPS = {"set": "=", "scale": "×", "add": "+"}


def describe_changes(overrides: str, limit: int | None = None) -> str:
    """A scenario's changes as a planner reads them: 'Settings escorts = yes', 'Markets[* |
    CU_CATHODE | *].price_usd_per_t × 1.251' (from the Summary's scenario_overrides text; at most
    `limit` changes, then a count of the rest)."""
    parts = [p for p in (overrides or "").split("; ") if p]
    out = []
    for p in parts:
        m = _CHANGE.match(p)
        if m is None:
            out.append(p)
        elif m["table"] == "Settings":
            out.append(f"Settings {m['key']} {_OPS[m['op']]} {m['value']}")
        else:
            out.append(f"{m['table']}[{m['key']}].{m['column']} {_OPS[m['op']]} {m['value']}")
    if limit is not None and len(out) > limit:
        out = [*out[:limit], f"… {len(out) - limit} more"]
    return "; ".join(out) or "no changes (the base)"


def scenario_outputs(input: Path, names: list[str], output: Path | None) -> dict[str, Path]:
    """Results workbook of each scenario: with -o X.xlsx, X.xlsx for one scenario and
    X_<scenario>.xlsx for several; with -o FOLDER (or none: results/),
    FOLDER/<input>_<scenario>_results.xlsx."""
    if output is not None and output.suffix.lower() == ".xlsx":
        if len(names) == 1:
            return {names[0]: output}
        outs = {n: output.with_name(f"{output.stem}_{file_part(n)}.xlsx") for n in names}
    else:
        folder = output if output is not None else Path("results")
        outs = {n: folder / f"{stem_of(input)}_{file_part(n)}_results.xlsx" for n in names}
    if len(set(outs.values())) < len(outs):
        raise OutputError("two scenario names give the same file name: rename one of them in the Scenarios sheet.")
    return outs


def scenario_log(input: Path, names: list[str], output: Path | None) -> Path:
    """The batch's log: X.log beside -o X.xlsx, else FOLDER/<input>_scenarios.log."""
    if output is not None and output.suffix.lower() == ".xlsx":
        return output.with_suffix(".log")
    return (output if output is not None else Path("results")) / f"{stem_of(input)}_scenarios.log"


def run_case(shared: tuple, item: tuple[str, Path]) -> dict[str, Any]:
    """Solve scenario `item` = (name, workbook) and write its workbook (a Diagnosis workbook
    when infeasible): its row (scenario, status, NPV, refineries, where, exit code, HiGHS
    seconds, messages, the plan's design). shared = (packed instance, options, force, input,
    design to warm-start from or None, html: also write the HTML report). Never raises a SupplyoptError."""
    from supplyopt.cli.plan_output import write_diagnosis, write_plan
    from supplyopt.studies.design import Design
    from supplyopt.studies.pipeline import mark_status
    from supplyopt.studies.scenario_run import run_scenario
    from supplyopt.studies.sweep import unpack_instance

    packed, options, force, input, warm, html = shared
    name, out = item
    start = time.perf_counter()
    notes: list[str] = []
    sr = run_scenario(unpack_instance(packed), name, options, warm=warm)
    row: dict[str, Any] = {"scenario": name, "changes": sr.metadata.get("scenario_overrides", ""), "notes": notes, "design": None}
    exc = sr.error
    try:
        if exc is not None:
            if isinstance(exc, InfeasibleError):
                write_diagnosis(exc, sr.metadata, out, force, input, say=notes.append)
                row["written"] = getattr(exc, "diagnosis", None) is not None
            text = str(exc) + (f"\n{exc.diagnosis}" if getattr(exc, "diagnosis", None) else "")
            kind = type(exc).__name__.replace("Error", " error")
            row.update(status="failed", npv_usd=None, refineries="", where=str(exc).splitlines()[0], code=exc.exit_code, message=f"{kind}: {text}")
            row["interrupted"] = isinstance(exc, SolverError) and INTERRUPTED in str(exc)
        else:
            run, results = sr.run, sr.results
            mark_status(run, options.mip_gap)
            path, _map = write_plan(results, out, force, input, say=notes.append, html=html)
            row["written"] = True
            s = results.summary
            code = EXIT_OK if run.report.proven_optimal else EXIT_NOT_OPTIMAL
            row.update(status=s["status"], npv_usd=s["npv_usd"], refineries=s["refineries_open"], where=str(path), code=code, message="")
            row.update(highs_seconds=run.report.solve_seconds, design=Design.from_results(results))
    except SupplyoptError as write_exc:  # its workbook cannot be written: this row says so, the batch goes on
        row.update(status="not written", npv_usd=None, refineries="", where=str(write_exc), code=write_exc.exit_code, message=str(write_exc))
    row["seconds"] = time.perf_counter() - start
    return row


def _size_of(inst, name: str) -> float:
    """A scenario's model size relative to the base, known before solving it: two-stage over the
    Disruptions table copies the flows once per case, escorts add integer convoys. The batch
    starts the large ones first, so that none of them starts last and leaves a worker idle."""
    sc = inst["Scenarios"] if "Scenarios" in inst.tables else None
    if sc is None or not len(sc):
        return 1.0
    rows = sc[(sc["scenario"] == name) & (sc["table"] == "Settings") & (sc["operation"] == "set")]
    on = {str(k) for k, v in zip(rows["key"], rows["value"]) if str(v).strip().lower() in ("yes", "true", "1")}
    size = 1.0
    if "disruptions" in on:
        size *= 1 + len(inst["Disruptions"]) if "Disruptions" in inst.tables else 1
        size *= 2 if "cvar_weight" in set(rows["key"]) else 1  # its tail rows made it twice as slow
    if "escorts" in on:
        size *= 3
    return size


def _crashed(item: tuple[str, Path], exc: BaseException) -> dict[str, Any]:
    return {
        "scenario": item[0],
        "status": "failed",
        "npv_usd": None,
        "refineries": "",
        "where": f"{type(exc).__name__}: {exc}",
        "code": 1,
        "message": f"{exc!r}",
    }


def solve_scenarios(
    input: Path, inst, names: list[str], output: Path | None, force: bool, options, runner, html: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Solve and write every scenario of `names` (see the module docstring): (exit code, rows)."""
    from supplyopt.cli.plan_output import html_path
    from supplyopt.cli.progress_bar import batch_progress
    from supplyopt.studies.runner import SERIAL, choose_mode, prestart, run_tasks
    from supplyopt.studies.sweep import pack_instance

    outs = scenario_outputs(input, names, output)
    check_outputs([*outs.values(), *([html_path(o) for o in outs.values()] if html else [])], force, [input])
    session.log_to(scenario_log(input, names, output), protect=[input])
    options = dataclasses.replace(options, log=None)
    packed = pack_instance(inst)
    items = list(outs.items())
    first = [it for it in items if it[0] == "base" and len(items) > 1]
    rest = sorted((it for it in items if it not in first), key=lambda it: -_size_of(inst, it[0]))  # stable: sheet order otherwise
    rows: dict[str, dict[str, Any]] = {}

    def report(row: dict[str, Any], bar) -> None:
        rows[row["scenario"]] = row
        if row.get("interrupted"):
            raise KeyboardInterrupt  # Ctrl-C before HiGHS found any plan: an interruption (exit 130)
        for note in row.get("notes") or []:
            notice(note)
        changes = describe_changes(row.get("changes", ""), limit=None if session.verbose else 2)
        ok = row["code"] in (EXIT_OK, EXIT_NOT_OPTIMAL)
        what = f"NPV {money(row['npv_usd'])} USD" if ok else row["where"]
        bar.advance(f"{row['scenario']} ({changes}): {row['status']}, {what} ({row['seconds']:.1f} s)", ok=ok and row["code"] == EXIT_OK)
        if row.get("message"):
            err.print(f"[bold red]Scenario {escape(row['scenario'])} failed:[/] ", end="")
            err.print(row["message"], markup=False, highlight=False)

    with batch_progress("Scenarios", len(items)) as bar:
        warm, seconds = None, None
        if first:
            prestart(len(rest), runner)  # the workers boot on the idle core while the base solves
            t = time.perf_counter()
            base = run_case((packed, options, force, input, None, html), first[0])
            seconds = time.perf_counter() - t
            warm = base.get("design")
            report(base, bar)
        parallel = choose_mode(len(rest), runner, seconds) != SERIAL
        task_options = dataclasses.replace(options, threads=1) if parallel and options.threads is None else options
        run_tasks(
            run_case,
            (packed, task_options, force, input, warm, html),
            rest,
            runner,
            on_error=_crashed,
            progress=lambda _k, _n, row: report(row, bar),
            seconds_each=seconds,
        )
    ordered = [rows[n] for n in outs]
    if any(r.get("written") for r in ordered):
        session.written()
    if not session.json:
        t = Table(title="Scenarios", title_justify="left")
        for col, just in (("scenario", "left"), ("status", "left"), ("NPV (USD)", "right"), ("refineries", "left"), ("results / problem", "left")):
            t.add_column(col, justify=just, overflow="fold")
        for r in ordered:
            t.add_row(escape(r["scenario"]), r["status"], money(r["npv_usd"]), escape(str(r["refineries"])), escape(r["where"]))
        console.print(t)
    code = next((r["code"] for r in ordered if r["code"] != EXIT_OK), EXIT_OK)
    return code, ordered
