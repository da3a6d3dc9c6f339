"""`supplyopt template`, `validate` and `solve [--scenario ...]`: the planner's first steps."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from supplyopt.cli.common import (
    INTERRUPTED,
    check_outputs,
    console,
    gap_option,
    guard,
    progress_console,
    scheduler_option,
    serial_option,
    stem_of,
    time_limit_option,
    workers_option,
)
from supplyopt.cli.output import emit_json, session
from supplyopt.cli.plan_output import html_path, print_summary, write_diagnosis, write_plan
from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK, InfeasibleError, InputError, SolverError


def template(
    output: Path = typer.Argument(..., help="Workbook to create, e.g. my_case.xlsx."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Write a blank input template: every sheet, column notes with units, dropdowns."""

    def run():
        from supplyopt.io.template import write_template

        path = write_template(output, overwrite=force)
        console.print(f"Template written: [bold]{path}[/]. Fill it, then run [bold]supplyopt validate {path}[/].")

    guard(run)


def validate(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON on stdout (problems with sheet, row, column, message; root causes first)."),
) -> None:
    """Check an input and list every problem with its sheet, row and column."""
    session.json = as_json

    def run():
        from supplyopt.io.read import read_input

        try:
            inst = read_input(input)
        except InputError as exc:
            if as_json:
                emit_json({"input": str(input), "valid": False, **problems_json(exc)})
            raise
        counts = {name: len(df) for name, df in inst.tables.items() if len(df) and name in ("Nodes", "Corridors", "Mines", "Refineries", "Markets")}
        if as_json:
            emit_json({"input": str(input), "valid": True, "problems": [], "groups": [], "rows": counts, "periods": len(inst.periods)})
        text = ", ".join(f"{n} {name.lower()}" for name, n in counts.items())
        console.print(f"[green]✓ {escape(str(input))} is valid[/] ({text}; {len(inst.periods)} periods).")

    guard(run)


def problems_json(exc: InputError) -> dict:
    """The problems of `exc` for --json: each with sheet, row, column and message, in the order
    printed (root causes first), and the grouping: each root cause with the problems that follow
    from it (indices into `problems`)."""
    index = {id(p): i for i, p in enumerate(exc.problems)}

    def one(p) -> dict:
        return {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}

    groups = [{"root": index[id(root)], "follows": [index[id(f)] for f in follows]} for root, follows in exc.groups]
    return {"problems": [one(p) for p in exc.problems], "groups": groups}


def solve(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Results workbook (default results/<input>_results.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing results workbook."),
    time_limit: Optional[float] = time_limit_option("Stop HiGHS after this many seconds (the best plan found is written, marked not proven optimal)."),
    gap: float = gap_option("Relative MIP gap at which HiGHS may stop (0.01 = 1 %)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="HiGHS threads (default: HiGHS decides; one per worker in a parallel batch)."),
    seed: int = typer.Option(0, "--seed", help="HiGHS random seed (same seed, same answer)."),
    log: bool = typer.Option(False, "--log", help="Show HiGHS's own log (of a single solve)."),
    scenario: Optional[list[str]] = typer.Option(
        None,
        "--scenario",
        help="Solve this scenario of the Scenarios sheet (repeatable; 'base' = no changes; 'all' = the base and every scenario): "
        "one results workbook per scenario, named after it (-o X.xlsx gives X_<scenario>.xlsx; -o FOLDER puts them there).",
    ),
    scheduler: Optional[str] = scheduler_option(),
    workers: Optional[int] = workers_option(),
    serial: bool = serial_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the plan's summary as JSON on stdout (with --scenario: one row per scenario)."),
    html: bool = typer.Option(
        False, "--html", help="Also write each plan's self-contained HTML report beside its workbook (<name>.html), as `supplyopt report` does."
    ),
) -> None:
    """Solve an input and write the optimal plan to a results workbook."""
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.runner import RunnerOptions

    session.json = as_json
    options = SolveOptions(time_limit=time_limit, mip_gap=gap, threads=threads, seed=seed)
    runner = RunnerOptions(serial=serial, scheduler=scheduler, workers=workers)
    raise typer.Exit(guard(lambda: _solve(input, scenario, output, force, options, log, runner, html)))


def _solve(input: Path, scenarios: list[str] | None, output: Path | None, force: bool, options, log: bool, runner, html: bool = False) -> int:
    """Every output checked first; then the input read once and the plan (or each scenario:
    cli/scenario_batch.py) solved and written."""
    from supplyopt.inputs.scenarios import resolve_scenarios
    from supplyopt.io.read import read_input
    from supplyopt.solve.progress import SolveProgress

    out = None
    if not scenarios:
        out = output or Path("results") / f"{stem_of(input)}_results.xlsx"
        check_outputs([out, *([html_path(out)] if html else [])], force, [input])
        session.log_to(out.with_suffix(".log"), protect=[input, out])
    with progress_console() as pcon, SolveProgress(pcon, show_log=log, log=session.note) as progress:
        progress.stage("Reading and validating input")
        inst = read_input(input)
        progress.done(f"Read {input}: {len(inst['Nodes'])} nodes, {len(inst['Corridors'])} corridors, {len(inst.periods)} periods")
    if scenarios:
        from supplyopt.cli.scenario_batch import solve_scenarios

        code, rows = solve_scenarios(input, inst, resolve_scenarios(inst, scenarios), output, force, options, runner, html=html)
        if session.json:
            keep = ("scenario", "status", "npv_usd", "refineries", "where", "code", "changes", "message")
            emit_json({"input": str(input), "exit_code": code, "scenarios": [{k: r.get(k) for k in keep} for r in rows]})
        return code
    return _solve_one(inst, out, force, input, options, log, html)


def _solve_one(inst, out: Path, force: bool, input: Path, options, log: bool, html: bool = False) -> int:
    """Solve the input as it is and write its workbook; an error is raised (the exit code)."""
    import dataclasses

    from supplyopt.solve.progress import SolveProgress
    from supplyopt.studies.pipeline import mark_status
    from supplyopt.studies.scenario_run import run_scenario

    with progress_console() as pcon, SolveProgress(pcon, show_log=log, log=session.note) as progress:
        progress.stage("Building model and solving with HiGHS")
        sr = run_scenario(inst, None, dataclasses.replace(options, log=progress.log_sink()), on_stage=progress.done)
    exc = sr.error
    if isinstance(exc, SolverError) and INTERRUPTED in str(exc):
        raise KeyboardInterrupt  # Ctrl-C before HiGHS found any plan: an interruption (exit 130)
    if exc is not None:
        if isinstance(exc, InfeasibleError):
            write_diagnosis(exc, sr.metadata, out, force, input)  # compare flags it, never mixes it
            session.written()
        raise exc
    run, results = sr.run, sr.results
    mark_status(run, options.mip_gap)
    path, map_path = write_plan(results, out, force, input, html=html)
    session.written()
    code = EXIT_OK if run.report.proven_optimal else EXIT_NOT_OPTIMAL
    if session.json:
        emit_json({"results": str(path), "map": str(map_path) if map_path else None, "exit_code": code, "summary": dict(results.summary)})
    print_summary(results)
    console.print(f"Results written: [bold]{escape(str(path))}[/]" + (f" (map: {escape(str(map_path))})" if map_path else ""))
    if not run.report.proven_optimal:
        gap_txt = f"{run.report.gap:.2%}" if run.report.gap is not None else "unknown"
        console.print(f"[bold yellow]Not proven optimal[/] (stopped: {run.report.termination}; gap {gap_txt}). The plan is the best found.")
    return code
