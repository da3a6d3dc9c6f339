"""`supplyopt template`, `validate` and `solve [--scenario ...]`: the planner's first steps."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from supplyopt.cli.common import INTERRUPTED, check_outputs, console, err, file_part, gap_option, guard, money, progress_console, stem_of, time_limit_option
from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK, InfeasibleError, SolverError


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


def validate(input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files.")) -> None:
    """Check an input and list every problem with its sheet, row and column."""

    def run():
        from supplyopt.io.read import read_input

        inst = read_input(input)
        counts = ", ".join(
            f"{len(df)} {name.lower()}" for name, df in inst.tables.items() if len(df) and name in ("Nodes", "Corridors", "Mines", "Refineries", "Markets")
        )
        console.print(f"[green]✓ {input} is valid[/] ({counts}; {len(inst.periods)} periods).")

    guard(run)


def solve(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Results workbook (default results/<input>_results.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing results workbook."),
    time_limit: Optional[float] = time_limit_option("Stop HiGHS after this many seconds (the best plan found is written, marked not proven optimal)."),
    gap: float = gap_option("Relative MIP gap at which HiGHS may stop (0.01 = 1 %)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="HiGHS threads (default: HiGHS decides)."),
    seed: int = typer.Option(0, "--seed", help="HiGHS random seed (same seed, same answer)."),
    log: bool = typer.Option(False, "--log", help="Show HiGHS's own log."),
    scenario: Optional[list[str]] = typer.Option(
        None,
        "--scenario",
        help="Solve this scenario of the Scenarios sheet (repeatable; 'base' = no changes; 'all' = the base and every scenario): "
        "one results workbook per scenario, named after it (-o X.xlsx gives X_<scenario>.xlsx; -o FOLDER puts them there).",
    ),
) -> None:
    """Solve an input and write the optimal plan to a results workbook."""
    from supplyopt.solve.highs import SolveOptions

    options = SolveOptions(time_limit=time_limit, mip_gap=gap, threads=threads, seed=seed)
    raise typer.Exit(guard(lambda: _solve(input, scenario, output, force, options, log)))


def _solve(input: Path, scenarios: list[str] | None, output: Path | None, force: bool, options, log: bool) -> int:
    """Every output checked first; then the input read once and each scenario solved and written
    in turn (a failing scenario is reported and the others go on)."""
    from supplyopt.inputs.scenarios import resolve_scenarios
    from supplyopt.io.read import read_input
    from supplyopt.solve.progress import SolveProgress

    if not scenarios:
        outs: dict[str | None, Path] = {None: output or Path("results") / f"{stem_of(input)}_results.xlsx"}
        check_outputs(outs.values(), force, [input])
    with progress_console() as pcon, SolveProgress(pcon, show_log=log) as progress:
        progress.stage("Reading and validating input")
        inst = read_input(input)
        progress.done(f"Read {input}: {len(inst['Nodes'])} nodes, {len(inst['Corridors'])} corridors, {len(inst.periods)} periods")
    if scenarios:
        outs = dict(scenario_outputs(input, resolve_scenarios(inst, scenarios), output))
        check_outputs(outs.values(), force, [input])
    done: list[tuple[str, str, object, str, str]] = []  # name, status, npv, refineries, file or message
    codes: list[int] = []
    for name, out in outs.items():
        if name is not None:
            console.rule(f"[bold]Scenario {name}")
        code, row = _solve_one(inst, name, out, force, input, options, log)
        codes.append(code)
        done.append(row)
    if scenarios:
        t = Table(title="Scenarios", title_justify="left")
        for col, just in (("scenario", "left"), ("status", "left"), ("NPV (USD)", "right"), ("refineries", "left"), ("results / problem", "left")):
            t.add_column(col, justify=just)
        for name, status, npv, sites, where in done:
            t.add_row(name, status, money(npv), sites, where)
        console.print(t)
    return next((c for c in codes if c != EXIT_OK), EXIT_OK)


def _solve_one(inst, name: str | None, out: Path, force: bool, input: Path, options, log: bool) -> tuple[int, tuple]:
    """Solve scenario `name` (None: the input as it is) and write its workbook. Without a
    scenario an error is raised (the command's exit code); with one it is printed and returned."""
    import dataclasses

    from supplyopt.solve.progress import SolveProgress
    from supplyopt.studies.pipeline import mark_status
    from supplyopt.studies.scenario_run import run_scenario

    with progress_console() as pcon, SolveProgress(pcon, show_log=log) as progress:

        def stage_done(text: str, seconds: float) -> None:
            progress.done(text, seconds)
            if text.startswith("Scenario "):
                progress.stage("Building model and solving with HiGHS")

        progress.stage(f"Applying scenario {name}" if name is not None else "Building model and solving with HiGHS")
        sr = run_scenario(inst, name, dataclasses.replace(options, log=progress.log_sink()), on_stage=stage_done)
    exc = sr.error
    if isinstance(exc, SolverError) and INTERRUPTED in str(exc):
        raise KeyboardInterrupt  # Ctrl-C before HiGHS found any plan: an interruption (exit 130)
    if exc is not None:
        if isinstance(exc, InfeasibleError):
            write_diagnosis(exc, sr.metadata, out, force, input)  # compare flags it, never mixes it
        if name is None:
            raise exc
        err.print(f"[bold red]Scenario {name} failed[/] ({type(exc).__name__.replace('Error', ' error')}):")
        err.print(str(exc) + (f"\n{exc.diagnosis}" if getattr(exc, "diagnosis", None) else ""), markup=False, highlight=False)
        return exc.exit_code, (name, "failed", None, "", str(exc).splitlines()[0])
    run, results = sr.run, sr.results
    mark_status(run, options.mip_gap)
    path, map_path = write_plan(results, out, force, input)
    if name is None:
        print_summary(results)
        console.print(f"Results written: [bold]{path}[/]" + (f" (map: {map_path})" if map_path else ""))
        if not run.report.proven_optimal:
            gap_txt = f"{run.report.gap:.2%}" if run.report.gap is not None else "unknown"
            console.print(f"[bold yellow]Not proven optimal[/] (stopped: {run.report.termination}; gap {gap_txt}). The plan is the best found.")
    s = results.summary
    return (EXIT_OK if run.report.proven_optimal else EXIT_NOT_OPTIMAL), (sr.scenario, s["status"], s["npv_usd"], s["refineries_open"], str(path))


def scenario_outputs(input: Path, names: list[str], output: Path | None) -> dict[str, Path]:
    """Results workbook of each scenario: with -o X.xlsx, X.xlsx for one scenario and
    X_<scenario>.xlsx for several; with -o FOLDER (or none: results/),
    FOLDER/<input>_<scenario>_results.xlsx."""
    from supplyopt.errors import OutputError

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


def write_plan(results, out: Path, force: bool, input: Path) -> tuple[Path, Path | None]:
    """The results workbook, then the network map PNG beside it (the map is also embedded in
    the workbook: it is drawn to a temporary file first and put in place only once the workbook
    is written, so a refused or failed write leaves no map behind). An existing map is kept
    unless --force; a plan without coordinates gets no map."""
    import shutil
    import tempfile

    from supplyopt.io.atomic import atomic_write
    from supplyopt.io.map import MapError, draw_map
    from supplyopt.io.plan import write_plan as write_plan_files

    png = out.with_name(out.stem + "_map.png")
    with tempfile.TemporaryDirectory(prefix="supplyopt-map-") as tmp:
        drawn = None
        if png.exists() and not force:
            err.print(f"[yellow]Note:[/] {png} exists and was kept (use --force to redraw it).", highlight=False)
        else:
            try:
                drawn = draw_map(results, Path(tmp) / png.name)
                results.extra["map_png"] = str(drawn)
            except MapError as exc:
                err.print(f"[yellow]No map:[/] {exc}", highlight=False)
        path = write_plan_files(results, out, overwrite=force, protect=[input])
        if drawn is None:
            return path, None
        map_path = atomic_write(png, lambda t: shutil.copyfile(drawn, t), overwrite=True, protect=[input, path])
    results.extra["map_png"] = str(map_path)
    return path, map_path


def write_diagnosis(exc, meta: dict, out: Path, force: bool, input: Path) -> None:
    """An infeasible solve still leaves a workbook: Summary (status infeasible) and Diagnosis."""
    from supplyopt.io.plan import write_plan as write_plan_files
    from supplyopt.results import Results

    diagnosis = getattr(exc, "diagnosis", None)
    if diagnosis is None:
        return
    summary = {"status": "infeasible", "diagnosis": "see the Diagnosis sheet", **meta}
    path = write_plan_files(Results({"Diagnosis": diagnosis.table()}, summary), out, overwrite=force, protect=[input])
    err.print(f"Diagnosis written: {path}", highlight=False)


def print_summary(results) -> None:
    s = results.summary
    t = Table(title="Plan summary", show_header=False, title_justify="left")
    t.add_column("item", style="bold")
    t.add_column("value", justify="right")
    status_style = "green" if s["status"] == "optimal" else "yellow"
    t.add_row("Status", f"[{status_style}]{s['status']}[/]")
    t.add_row("NPV (USD)", f"{s['npv_usd']:,.0f}")
    t.add_row("  revenue (PV)", f"{s['revenue_pv_usd']:,.0f}")
    t.add_row("  operating costs (PV)", f"{s['operating_cost_pv_usd']:,.0f}")
    t.add_row("  fixed costs (PV)", f"{s['fixed_cost_pv_usd']:,.0f}")
    t.add_row("  capex (PV)", f"{s['capex_pv_usd']:,.0f}")
    t.add_row("Refineries opened", str(s["refineries_open"]))
    if s.get("upgrades_built") is not None:
        t.add_row("Upgrades built", str(s["upgrades_built"]))
    for key, label in (("security_cost_pv_usd", "Security and escorts (PV)"), ("expected_loss_pv_usd", "Expected cargo loss (PV)")):
        if s.get(key):
            t.add_row(label, f"{s[key]:,.0f}")
    if s.get("risk_exposure_total"):
        t.add_row("Risk exposure (score × t, horizon)", f"{s['risk_exposure_total']:,.0f}")
    if s.get("gap") is not None:
        t.add_row("MIP gap", f"{s['gap']:.3%}")
    t.add_row("HiGHS time (s)", f"{s['solve_seconds']:.2f}")
    console.print(t)
