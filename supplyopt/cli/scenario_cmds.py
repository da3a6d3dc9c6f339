"""`supplyopt compare` and `sweep`: many plans side by side, many solves of one input."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from supplyopt.cli.common import check_outputs, console, err, file_part, gap_option, guard, money, stem_of, time_limit_option
from supplyopt.cli.output import emit_json, session


def compare_cmd(
    results: list[Path] = typer.Argument(..., help="Results workbooks, or folders of them; the first is the base (in a folder: the base scenario)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Comparison workbook (default results/comparison.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing comparison workbook."),
    allow_unfinished: bool = typer.Option(False, "--allow-unfinished", help="Compare plans that are not proven optimal too (still flagged)."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON on stdout: KPIs of every result, differences, flags and notes."),
) -> None:
    """Compare results side by side: KPIs with differences against the base, decisions and flows
    that differ, exports by port, charts. Unfinished solves and other input schemas are flagged."""

    session.json = as_json

    def run():
        from supplyopt.io.compare_workbook import write_comparison_workbook
        from supplyopt.studies.compare import compare_results, load_results

        out = output or Path("results") / "comparison.xlsx"
        check_outputs([out], force, results)
        session.log_to(out.with_suffix(".log"), protect=[*results, out])
        loaded = load_results(results)
        c = compare_results(loaded, allow_unfinished=allow_unfinished)
        path = write_comparison_workbook(c, out, overwrite=force, protect=[src for _n, _r, src in loaded])
        session.written()
        if as_json:
            emit_json(comparison_json(c, path))
        t = Table(title=f"NPV against {c.names[0]}", title_justify="left")
        t.add_column("result")
        t.add_column("NPV (USD)", justify="right")
        t.add_column("difference", justify="right")
        t.add_column("%", justify="right")
        npv = c.kpis.set_index("kpi").loc["npv_usd"]
        for n in c.names:
            diff = None if n == c.names[0] else npv[f"{n} − {c.names[0]}"]
            pct = None if n == c.names[0] else npv[f"{n} vs {c.names[0]} %"]
            t.add_row(n, money(npv[n]), money(diff) if diff is not None else "", f"{pct:+.1%}" if isinstance(pct, float) and pct == pct else "")
        console.print(t)
        console.print(f"{len(c.decisions)} decision(s) and {len(c.flows)} flow(s) differ.")
        for rec in c.flagged.to_dict("records"):
            err.print(f"[yellow]Flagged[/] {rec['result']} ({rec['source']}): {rec['reason']}", highlight=False)
        for note in c.notes:
            err.print(f"[yellow]Note:[/] {note}", highlight=False)
        console.print(f"Comparison written: [bold]{path}[/]")

    guard(run)


def comparison_json(c, path: Path) -> dict[str, Any]:
    """--json of compare: the results compared (base first), every KPI row with each result's
    value and the differences against the base, the counts of differing decisions and flows,
    the flagged results and notes, and the workbook written."""
    return {
        "comparison": str(path),
        "base": c.names[0],
        "results": list(c.names),
        "kpis": c.kpis.to_dict("records"),
        "decisions_differing": len(c.decisions),
        "flows_differing": len(c.flows),
        "flagged": c.flagged.to_dict("records"),
        "notes": list(c.notes),
    }


def sweep_cmd(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    scenario: Optional[list[str]] = typer.Option(
        None, "--scenario", help="Scenario to run (repeatable; 'all' = the base and every scenario). Default: all, or the base with --samples."
    ),
    samples: int = typer.Option(0, "--samples", min=0, help="Monte-Carlo samples of each scenario, drawn from the Uncertainties sheet."),
    seed: int = typer.Option(0, "--seed", help="Seed of the Monte-Carlo draws (same seed, same samples, serially or on a cluster)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)."
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, help="Processes that solve cases, this one included (default: one per core); the local cluster gets the rest."
    ),
    serial: bool = typer.Option(False, "--serial", help="Run in this process, one task after another (no Dask)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Sweep workbook (default results/<input>_sweep.xlsx)."),
    results_folder: Optional[Path] = typer.Option(None, "--results-folder", help="Also write each task's results workbook into this folder."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing workbooks."),
    time_limit: Optional[float] = time_limit_option("Seconds HiGHS may spend on each task."),
    gap: float = gap_option("Relative MIP gap of each task (0.01 = 1 %)."),
) -> None:
    """Solve many scenarios and/or Monte-Carlo samples on a Dask cluster (or serially) and write
    one sweep workbook: a row per task (status, NPV, decisions), NPV histogram, site choices.
    A failing task is reported in its row and does not stop the sweep."""

    def run():
        from supplyopt.cli.progress_bar import batch_progress
        from supplyopt.io.read import read_input
        from supplyopt.io.sweep_workbook import write_sweep_workbook
        from supplyopt.studies.sweep import TaskOptions, make_tasks, run_sweep
        from supplyopt.studies.sweep_tables import OK_STATUSES, npv_statistics

        stem = stem_of(input)
        out = output or Path("results") / f"{stem}_sweep.xlsx"
        check_outputs([out], force, [input])
        session.log_to(out.with_suffix(".log"), protect=[input, out])
        inst = read_input(input)
        tasks = make_tasks(inst, scenario or (["all"] if not samples else ["base"]), samples=samples, seed=seed)
        task_outs = {t.label: results_folder / f"{stem}_{file_part(t.label)}_results.xlsx" for t in tasks} if results_folder is not None else {}
        check_outputs(task_outs.values(), force, [input, out])
        where = "serially" if serial else (f"on {scheduler}" if scheduler else f"on a local Dask cluster ({workers or os.cpu_count()} workers)")
        console.print(f"Sweep of {len(tasks)} task(s) {where}.")
        options = TaskOptions(time_limit=time_limit, mip_gap=gap, keep_tables=results_folder is not None)
        with batch_progress("Sweep", len(tasks)) as bar:

            def progress(_done: int, _n: int, row: dict[str, Any]) -> None:
                bar.advance(f"{row['label']}: {row.get('status')}", ok=row.get("status") in OK_STATUSES)

            sweep = run_sweep(inst, tasks, options, serial=serial, scheduler=scheduler, workers=workers, progress=progress)
        extra = {"input": str(input), "scenarios": ", ".join(dict.fromkeys(t.scenario for t in tasks)), "samples": samples, "seed": seed if samples else ""}
        path = write_sweep_workbook(sweep, out, overwrite=force, protect=[input], extra=extra)
        session.written()
        if results_folder is not None:
            from supplyopt.io.plan import write_plan

            for label, res in sweep.results.items():
                write_plan(res, task_outs[label], overwrite=force, protect=[input])
        stats = npv_statistics(sweep.rows)
        failed = [r for r in sweep.rows if r.get("status") not in OK_STATUSES]
        console.print(f"{len(sweep.rows) - len(failed)} of {len(sweep.rows)} task(s) solved in {sweep.info['wall_seconds']:.1f} s.")
        if stats:
            console.print(
                f"NPV (USD): mean {stats['npv_mean_usd']:,.0f}, P5 {stats['npv_p05_usd']:,.0f}, P50 {stats['npv_p50_usd']:,.0f}, P95 {stats['npv_p95_usd']:,.0f}"
            )
        for r in failed:
            first = (r.get("error") or "").splitlines()[0] if r.get("error") else ""
            err.print(f"{r['label']}: {r.get('status')}: {first}", markup=False, highlight=False, style="yellow")
        console.print(f"Sweep written: [bold]{path}[/]")

    guard(run)
