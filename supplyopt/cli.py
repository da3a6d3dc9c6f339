"""Command line: `supplyopt template|validate|solve|...`. Thin: parses arguments, calls the
library, prints, and maps errors to exit codes (see errors.py and the README)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK, InfeasibleError, InputError, SupplyoptError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Plan Pakistan's critical-minerals export chain: refinery site and size, corridors, ports, security risk.",
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


def _fail(exc: SupplyoptError) -> None:
    """Print a planner-readable error and exit with its code (no traceback)."""
    if isinstance(exc, InputError):
        err.print(f"[bold red]Input problems[/] ({len(exc.problems)}):")
        for p in exc.problems:
            err.print(f"  • {p}", markup=False, highlight=False)
    else:
        err.print(f"[bold red]{type(exc).__name__.replace('Error', ' error')}:[/] ", end="")
        err.print(str(exc), markup=False, highlight=False)
        diagnosis = getattr(exc, "diagnosis", None)
        if diagnosis:
            err.print(str(diagnosis), markup=False, highlight=False)
    raise typer.Exit(exc.exit_code)


def _guard(fn):
    """Run fn, turning supplyopt errors into messages + exit codes and Ctrl-C into exit 130."""
    try:
        return fn()
    except SupplyoptError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        err.print("[yellow]Interrupted.[/]")
        raise typer.Exit(130) from None


@app.command()
def template(
    output: Path = typer.Argument(..., help="Workbook to create, e.g. my_case.xlsx."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Write a blank input template: every sheet, column notes with units, dropdowns."""

    def run():
        from supplyopt.io.template import write_template

        path = write_template(output, overwrite=force)
        console.print(f"Template written: [bold]{path}[/]. Fill it, then run [bold]supplyopt validate {path}[/].")

    _guard(run)


@app.command()
def validate(input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files.")) -> None:
    """Check an input and list every problem with its sheet, row and column."""

    def run():
        from supplyopt.io.read import read_input

        inst = read_input(input)
        counts = ", ".join(
            f"{len(df)} {name.lower()}" for name, df in inst.tables.items() if len(df) and name in ("Nodes", "Corridors", "Mines", "Refineries", "Markets")
        )
        console.print(f"[green]✓ {input} is valid[/] ({counts}; {len(inst.periods)} periods).")

    _guard(run)


def _default_output(input: Path, scenario: str | None) -> Path:
    stem = input.stem if input.is_file() else input.name
    suffix = f"_{scenario}" if scenario and scenario != "base" else ""
    return Path("results") / f"{stem}{suffix}_results.xlsx"


@app.command()
def solve(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Results workbook (default results/<input>_results.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing results workbook."),
    time_limit: Optional[float] = typer.Option(
        None, "--time-limit", help="Stop HiGHS after this many seconds (the best plan found is written, marked not proven optimal)."
    ),
    gap: float = typer.Option(1e-4, "--gap", help="Relative MIP gap at which HiGHS may stop (0.01 = 1 %)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="HiGHS threads (default: HiGHS decides)."),
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
    if scenario:
        raise typer.Exit(_guard(lambda: _solve_scenarios(input, scenario, output, force, time_limit, gap, threads, seed, log)))
    code = _guard(lambda: _solve(input, output, force, time_limit, gap, threads, seed, log))
    raise typer.Exit(code)


def _solve(input, output, force, time_limit, gap, threads, seed, log) -> int:
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.solve.progress import SolveProgress
    from supplyopt.studies.pipeline import provenance, run_solve

    out = output or _default_output(input, None)
    if out.resolve() == input.resolve():
        from supplyopt.errors import OutputError

        raise OutputError(f"refusing to overwrite the input workbook {input}: choose another -o.")
    if out.exists() and not force:
        from supplyopt.errors import OutputError

        raise OutputError(f"{out} exists: use --force to overwrite it, or choose another -o.")
    with _progress_console() as pcon, SolveProgress(pcon, show_log=log) as progress:
        progress.stage("Reading and validating input")
        inst = read_input(input)
        progress.done(f"Read {input}: {len(inst['Nodes'])} nodes, {len(inst['Corridors'])} corridors, {len(inst.periods)} periods")
        options = SolveOptions(time_limit=time_limit, mip_gap=gap, threads=threads, seed=seed, log=progress.log_sink())
        progress.stage("Building model and solving with HiGHS")
        meta = provenance(inst, options)
        try:
            with _interrupt_without_plan():
                run = run_solve(inst, options, on_stage=progress.done, metadata=meta)
        except InfeasibleError as exc:
            _write_diagnosis(exc, meta, out, force, input)
            raise
    results = run.results
    assert results is not None  # run_solve raises when there is no plan
    _mark_status(run, gap)
    path, map_path = _write_plan(results, out, force, input)
    print_summary(results)
    console.print(f"Results written: [bold]{path}[/]" + (f" (map: {map_path})" if map_path else ""))
    if not run.report.proven_optimal:
        gap_txt = f"{run.report.gap:.2%}" if run.report.gap is not None else "unknown"
        console.print(f"[bold yellow]Not proven optimal[/] (stopped: {run.report.termination}; gap {gap_txt}). The plan is the best found.")
        return EXIT_NOT_OPTIMAL
    return EXIT_OK


def _write_plan(results, out: Path, force: bool, input: Path) -> tuple[Path, Path | None]:
    """Network map PNG beside the workbook (also embedded in it), then the workbook itself.
    An existing map is kept unless --force; a plan without coordinates gets no map."""
    from supplyopt.io.map import MapError, draw_map
    from supplyopt.io.plan import write_plan as write_results_workbook  # the workbook and its record

    png = out.with_name(out.stem + "_map.png")
    map_path = None
    if png.exists() and not force:
        err.print(f"[yellow]Note:[/] {png} exists and was kept (use --force to redraw it).", highlight=False)
    else:
        try:
            map_path = draw_map(results, png)
            results.extra["map_png"] = str(map_path)
        except MapError as exc:
            err.print(f"[yellow]No map:[/] {exc}", highlight=False)
    return write_results_workbook(results, out, overwrite=force, protect=[input]), map_path


def _write_diagnosis(exc, meta: dict, out: Path, force: bool, input: Path) -> None:
    """An infeasible solve still leaves a workbook: Summary (status infeasible) and Diagnosis."""
    from supplyopt.io.results_workbook import write_results_workbook
    from supplyopt.results import Results

    diagnosis = getattr(exc, "diagnosis", None)
    if diagnosis is None:
        return
    summary = {"status": "infeasible", "diagnosis": "see the Diagnosis sheet", **meta}
    path = write_results_workbook(Results({"Diagnosis": diagnosis.table()}, summary), out, overwrite=force, protect=[input])
    err.print(f"Diagnosis written: {path}", highlight=False)


_INTERRUPTED = "interrupted (Ctrl-C)"  # SolveReport.termination after Ctrl-C (supplyopt.solve.highs)
_TERMINATION_TEXT = {
    "convergenceCriteriaSatisfied": "optimal within the gap tolerance",
    "maxTimeLimit": "time limit reached",
    "iterationLimit": "iteration limit reached",
    "unknown": "HiGHS stopped without a reason (numerical trouble?)",
    "error": "HiGHS reported an error",
}


@contextlib.contextmanager
def _progress_console():
    """Console for the progress lines and HiGHS's log. While HiGHS runs, Pyomo points file
    descriptors 1 and 2 at a pipe and tees the log to us, so printing to sys.stdout then fed the
    pipe ('I/O operation on closed file', --log showed nothing): print to a copy of stdout."""
    try:
        fd = os.dup(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file (CliRunner, notebooks): Pyomo leaves it alone
        yield Console(file=sys.stdout)
        return
    with open(fd, "w", encoding=getattr(sys.stdout, "encoding", None) or "utf-8", errors="replace") as f:
        yield Console(file=f)


@contextlib.contextmanager
def _interrupt_without_plan():
    """Ctrl-C before HiGHS found any plan is an interruption (exit 130), not a solver error."""
    from supplyopt.errors import SolverError

    try:
        yield
    except SolverError as exc:
        if _INTERRUPTED in str(exc):
            raise KeyboardInterrupt from None
        raise


def _mark_status(run, requested_gap: float) -> None:
    """Summary status and termination as a planner should read them. HiGHS calls a plan optimal
    once the gap is within --gap; with --gap loosened beyond the default tolerance and the gap
    still above it, the plan is not proven optimal (status feasible, exit 5)."""
    from supplyopt.solve.highs import FEASIBLE, OPTIMAL, SolveOptions

    report, summary = run.report, run.results.summary
    tolerance = SolveOptions().mip_gap
    if report.status == OPTIMAL and requested_gap > tolerance and report.gap is not None and report.gap > tolerance:
        report.status = FEASIBLE
        report.termination = f"gap limit (--gap {requested_gap:g})"
    report.termination = termination = _TERMINATION_TEXT.get(report.termination, report.termination)
    items = list(summary.items())
    summary.clear()
    for key, value in items:
        if key == "termination":
            continue
        summary[key] = report.status if key == "status" else value
        if key == "status":
            summary["termination"] = termination


def _money(v) -> str:
    return "—" if v is None or v != v else f"{v:,.0f}"


def _refuse_existing(out: Path, force: bool) -> None:
    if out.exists() and not force:
        from supplyopt.errors import OutputError

        raise OutputError(f"{out} exists: use --force to overwrite it, or choose another -o.")


@app.command("frontier")
def frontier_cmd(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Frontier workbook (default results/<input>_frontier.xlsx)."),
    points: int = typer.Option(5, "--points", min=2, help="Exposure budgets from the unconstrained plan's exposure down to the least possible, both included."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workbook."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds HiGHS may spend on each solve (points + 2 solves)."),
    gap: float = typer.Option(1e-4, "--gap", help="Relative MIP gap of each solve (0.01 = 1 %)."),
) -> None:
    """Cost–risk frontier: the NPV given up for each step of risk-exposure reduction."""
    code = _guard(lambda: _frontier(input, output, points, force, time_limit, gap))
    raise typer.Exit(code)


def _frontier(input, output, points, force, time_limit, gap) -> int:
    from rich.markup import escape

    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.frontier import frontier, write_frontier_workbook
    from supplyopt.studies.pipeline import provenance

    stem = input.stem if input.is_file() else input.name
    out = output or Path("results") / f"{stem}_frontier.xlsx"
    _refuse_existing(out, force)
    inst = read_input(input)
    options = SolveOptions(time_limit=time_limit, mip_gap=gap)
    console.print(f"Read {input}. Solving {points} frontier points (+2 solves for the ends).")
    result = frontier(inst, points, options, on_point=lambda msg, i, n: console.print(f"  [dim]{i}/{n}[/] {msg}", highlight=False))
    path = write_frontier_workbook(result, out, overwrite=force, protect=[input], meta=provenance(inst, options))
    t = Table(title="Cost–risk frontier", title_justify="left")
    for name in ("point", "exposure budget", "exposure", "NPV (USD)", "NPV given up", "per unit exposure cut", "sites", "upgrades", "status"):
        t.add_column(name, justify="left" if name in ("sites", "upgrades", "status") else "right")
    for p in result.points:
        per = "—" if p.npv_given_up_per_exposure is None else f"{p.npv_given_up_per_exposure:,.2f}"
        exposure = "—" if p.exposure is None else f"{p.exposure:,.0f}"
        status = p.status if p.status == "optimal" else f"[yellow]{p.status}[/]"
        t.add_row(
            str(p.point), f"{p.exposure_budget:,.0f}", exposure, _money(p.npv_usd), _money(p.npv_given_up_usd), per, escape(p.sites), escape(p.upgrades), status
        )
    console.print(t)
    if not result.monotone:
        console.print("[bold yellow]Not monotone:[/] " + " | ".join(result.notes), highlight=False)
    console.print(f"Frontier written: [bold]{path}[/]")
    return EXIT_OK if all(p.status == "optimal" for p in result.points) else EXIT_NOT_OPTIMAL


@app.command("stress")
def stress_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook of a solved plan (from `supplyopt solve`)."),
    input: Optional[Path] = typer.Option(None, "--input", help="Input to stress the plan on (default: the 'input' row of the results Summary)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Regret workbook (default <results>_stress.xlsx next to the results)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workbook."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds HiGHS may spend on each case."),
    gap: float = typer.Option(1e-4, "--gap", help="Relative MIP gap of each solve (0.01 = 1 %)."),
) -> None:
    """Stress a plan: its design under every disruption and every single corridor closure.

    Sites, modules and upgrades stay as planned; flows are re-solved. Contract minimums become
    soft (penalty 10 x the highest price, left out of the NPV), so closures show unmet tonnes."""
    code = _guard(lambda: _stress(results_workbook, input, output, force, time_limit, gap))
    raise typer.Exit(code)


def _stress(results_workbook, input, output, force, time_limit, gap) -> int:
    from rich.markup import escape

    from supplyopt.errors import Problem
    from supplyopt.io.plan import read_plan as read_results_workbook  # the record when it is the workbook's
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.pipeline import provenance
    from supplyopt.studies.stress import Design, stress, write_stress_workbook

    out = output or results_workbook.with_name(f"{results_workbook.stem}_stress.xlsx")
    _refuse_existing(out, force)
    results = read_results_workbook(results_workbook)
    source = input or (Path(str(results.summary["input"])) if results.summary.get("input") else None)
    if source is None:
        raise InputError([Problem(str(results_workbook), None, "input", "the Summary records no input: give it with --input")])
    inst = read_input(source)
    recorded = results.summary.get("instance_sha256")
    if recorded and recorded != inst.content_hash():
        err.print(f"[yellow]Note:[/] {source} has changed since the plan was solved; the plan's design is stressed on the input as it is now.", highlight=False)
    design = Design.from_results(results)
    options = SolveOptions(time_limit=time_limit, mip_gap=gap)
    console.print(f"Design: sites {design.describe_sites()}; upgrades {design.describe_upgrades()}.", highlight=False)
    result = stress(inst, design, options, on_case=lambda c, i, n: console.print(f"  [dim]{i}/{n}[/] {c.case}: {c.status}", highlight=False))
    meta = {"results_workbook": str(results_workbook), **provenance(inst, options)}
    path = write_stress_workbook(result, out, overwrite=force, protect=[source, results_workbook], meta=meta)
    table = result.table()
    t = Table(title=f"Stress test (undisrupted NPV {_money(result.baseline.npv_usd)} USD), by NPV loss", title_justify="left")
    for name in ("case", "kind", "NPV (USD)", "NPV loss", "unmet contracts (t)", "status"):
        t.add_column(name, justify="left" if name in ("case", "kind", "status") else "right")
    for rec in table.head(25).to_dict("records"):
        unmet = rec["unmet_contracts_t"]
        status = rec["status"] if rec["status"] == "optimal" else f"[yellow]{rec['status']}[/]"
        t.add_row(escape(str(rec["case"])), rec["kind"], _money(rec["npv_usd"]), _money(rec["npv_loss_usd"]), _money(unmet), status)
    console.print(t)
    if len(table) > 25:
        console.print(f"({len(table) - 25} more cases in the workbook)")
    console.print(f"Regret table written: [bold]{path}[/]")
    # An infeasible case (a mine minimum that cannot be shipped) is a finding, not a solver limit.
    return EXIT_OK if all(c.status in ("optimal", "infeasible") for c in [result.baseline, *result.cases]) else EXIT_NOT_OPTIMAL


# ---------------------------------------------------------------------------------------------
# Scenarios: solve --scenario, compare, sweep
# ---------------------------------------------------------------------------------------------


def _file_part(name: str) -> str:
    import re

    return re.sub(r"[^\w.-]+", "_", name).strip("_.") or "scenario"


def _scenario_outputs(input: Path, names: list[str], output: Path | None) -> dict[str, Path]:
    """Results workbook of each scenario: with -o X.xlsx, X.xlsx for one scenario and
    X_<scenario>.xlsx for several; with -o FOLDER (or none: results/),
    FOLDER/<input>_<scenario>_results.xlsx."""
    from supplyopt.errors import OutputError

    if output is not None and output.suffix.lower() == ".xlsx":
        if len(names) == 1:
            return {names[0]: output}
        outs = {n: output.with_name(f"{output.stem}_{_file_part(n)}.xlsx") for n in names}
    else:
        stem = input.stem if input.is_file() else input.name
        folder = output if output is not None else Path("results")
        outs = {n: folder / f"{stem}_{_file_part(n)}_results.xlsx" for n in names}
    if len(set(outs.values())) < len(outs):
        raise OutputError("two scenario names give the same file name: rename one of them in the Scenarios sheet.")
    return outs


def _solve_scenarios(input, scenarios, output, force, time_limit, gap, threads, seed, log) -> int:
    from supplyopt.errors import InfeasibleError, SolverError
    from supplyopt.inputs.scenarios import apply_scenario, resolve_scenarios
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.solve.progress import SolveProgress
    from supplyopt.studies.compare import input_schema_id
    from supplyopt.studies.pipeline import provenance, run_solve

    inst = read_input(input)
    names = resolve_scenarios(inst, scenarios)
    outs = _scenario_outputs(input, names, output)
    for out in outs.values():
        _refuse_existing(out, force)
    done: list[tuple[str, str, object, str, str]] = []  # name, status, npv, refineries, file or message
    codes: list[int] = []
    for name in names:
        console.rule(f"[bold]Scenario {name}")
        try:
            with _progress_console() as pcon, SolveProgress(pcon, show_log=log) as progress:
                progress.stage(f"Applying scenario {name}")
                s_inst = apply_scenario(inst, name)
                overrides = s_inst.metadata.get("scenario_overrides") or ""
                progress.done(f"Scenario {name}: {overrides or 'no changes (the base)'}")
                options = SolveOptions(time_limit=time_limit, mip_gap=gap, threads=threads, seed=seed, log=progress.log_sink())
                meta = provenance(s_inst, options, scenario=name, overrides=overrides or None)
                meta["input_schema"] = input_schema_id()
                if s_inst.metadata.get("scenario_description"):
                    meta["scenario_description"] = s_inst.metadata["scenario_description"]
                progress.stage("Building model and solving with HiGHS")
                with _interrupt_without_plan():
                    run = run_solve(s_inst, options, on_stage=progress.done, metadata=meta)
        except (InputError, InfeasibleError, SolverError) as exc:
            err.print(f"[bold red]Scenario {name} failed[/] ({type(exc).__name__.replace('Error', ' error')}):")
            err.print(str(exc) + (f"\n{exc.diagnosis}" if getattr(exc, "diagnosis", None) else ""), markup=False, highlight=False)
            if isinstance(exc, InfeasibleError):
                _write_diagnosis(exc, meta, outs[name], force, input)  # compare flags it, never mixes it
            done.append((name, "failed", None, "", str(exc).splitlines()[0]))
            codes.append(exc.exit_code)
            continue
        results = run.results
        assert results is not None
        _mark_status(run, gap)
        path, _map = _write_plan(results, outs[name], force, input)
        s = results.summary
        done.append((name, s["status"], s["npv_usd"], s["refineries_open"], str(path)))
        codes.append(EXIT_OK if run.report.proven_optimal else EXIT_NOT_OPTIMAL)
    t = Table(title="Scenarios", title_justify="left")
    for col, just in (("scenario", "left"), ("status", "left"), ("NPV (USD)", "right"), ("refineries", "left"), ("results / problem", "left")):
        t.add_column(col, justify=just)
    for name, status, npv, sites, where in done:
        t.add_row(name, status, _money(npv), sites, where)
    console.print(t)
    return next((c for c in codes if c != EXIT_OK), EXIT_OK)


@app.command("compare")
def compare_cmd(
    results: list[Path] = typer.Argument(..., help="Results workbooks, or folders of them; the first is the base (in a folder: the base scenario)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Comparison workbook (default results/comparison.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing comparison workbook."),
    allow_unfinished: bool = typer.Option(False, "--allow-unfinished", help="Compare plans that are not proven optimal too (still flagged)."),
) -> None:
    """Compare results side by side: KPIs with differences against the base, decisions and flows
    that differ, exports by port, charts. Unfinished solves and other input schemas are flagged."""

    def run():
        from supplyopt.studies.compare import compare_results, load_results, write_comparison_workbook

        out = output or Path("results") / "comparison.xlsx"
        _refuse_existing(out, force)
        loaded = load_results(results)
        c = compare_results(loaded, allow_unfinished=allow_unfinished)
        path = write_comparison_workbook(c, out, overwrite=force, protect=[src for _n, _r, src in loaded])
        t = Table(title=f"NPV against {c.names[0]}", title_justify="left")
        t.add_column("result")
        t.add_column("NPV (USD)", justify="right")
        t.add_column("difference", justify="right")
        t.add_column("%", justify="right")
        npv = c.kpis.set_index("kpi").loc["npv_usd"]
        for n in c.names:
            diff = None if n == c.names[0] else npv[f"{n} − {c.names[0]}"]
            pct = None if n == c.names[0] else npv[f"{n} vs {c.names[0]} %"]
            t.add_row(n, _money(npv[n]), _money(diff) if diff is not None else "", f"{pct:+.1%}" if isinstance(pct, float) and pct == pct else "")
        console.print(t)
        console.print(f"{len(c.decisions)} decision(s) and {len(c.flows)} flow(s) differ.")
        for rec in c.flagged.to_dict("records"):
            err.print(f"[yellow]Flagged[/] {rec['result']} ({rec['source']}): {rec['reason']}", highlight=False)
        for note in c.notes:
            err.print(f"[yellow]Note:[/] {note}", highlight=False)
        console.print(f"Comparison written: [bold]{path}[/]")

    _guard(run)


@app.command("sweep")
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
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes of the local cluster (default: one per core)."),
    serial: bool = typer.Option(False, "--serial", help="Run in this process, one task after another (no Dask)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Sweep workbook (default results/<input>_sweep.xlsx)."),
    results_folder: Optional[Path] = typer.Option(None, "--results-folder", help="Also write each task's results workbook into this folder."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing workbooks."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds HiGHS may spend on each task."),
    gap: float = typer.Option(1e-4, "--gap", help="Relative MIP gap of each task (0.01 = 1 %)."),
) -> None:
    """Solve many scenarios and/or Monte-Carlo samples on a Dask cluster (or serially) and write
    one sweep workbook: a row per task (status, NPV, decisions), NPV histogram, site choices.
    A failing task is reported in its row and does not stop the sweep."""

    def run():
        from supplyopt.io.read import read_input
        from supplyopt.studies.sweep import TaskOptions, make_tasks, npv_statistics, rich_progress, run_sweep, write_sweep_workbook

        stem = input.stem if input.is_file() else input.name
        out = output or Path("results") / f"{stem}_sweep.xlsx"
        _refuse_existing(out, force)
        inst = read_input(input)
        tasks = make_tasks(inst, scenario or (["all"] if not samples else ["base"]), samples=samples, seed=seed)
        where = "serially" if serial else (f"on {scheduler}" if scheduler else f"on a local Dask cluster ({workers or os.cpu_count()} workers)")
        console.print(f"Sweep of {len(tasks)} task(s) {where}.")
        options = TaskOptions(time_limit=time_limit, mip_gap=gap, keep_tables=results_folder is not None)
        with rich_progress(console)(len(tasks)) as progress:
            sweep = run_sweep(inst, tasks, options, serial=serial, scheduler=scheduler, workers=workers, progress=progress)
        extra = {"input": str(input), "scenarios": ", ".join(dict.fromkeys(t.scenario for t in tasks)), "samples": samples, "seed": seed if samples else ""}
        path = write_sweep_workbook(sweep, out, overwrite=force, protect=[input], extra=extra)
        if results_folder is not None:
            from supplyopt.io.results_workbook import write_results_workbook

            for label, res in sweep.results.items():
                write_results_workbook(res, results_folder / f"{stem}_{_file_part(label)}_results.xlsx", overwrite=force, protect=[input])
        stats = npv_statistics(sweep.rows)
        failed = [r for r in sweep.rows if r.get("status") not in ("optimal", "feasible (not proven optimal)")]
        console.print(f"{len(sweep.rows) - len(failed)} of {len(sweep.rows)} task(s) solved in {sweep.info['wall_seconds']:.1f} s.")
        if stats:
            console.print(
                f"NPV (USD): mean {stats['npv_mean_usd']:,.0f}, P5 {stats['npv_p05_usd']:,.0f}, P50 {stats['npv_p50_usd']:,.0f}, P95 {stats['npv_p95_usd']:,.0f}"
            )
        for r in failed:
            first = (r.get("error") or "").splitlines()[0] if r.get("error") else ""
            err.print(f"{r['label']}: {r.get('status')}: {first}", markup=False, highlight=False, style="yellow")
        console.print(f"Sweep written: [bold]{path}[/]")

    _guard(run)


@app.command("map")
def map_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook written by `supplyopt solve`."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="PNG to write (default: beside the workbook, <name>_map.png)."),
    period: Optional[str] = typer.Option(None, "--period", help="Period to draw (default: the one with the most tonnes moved)."),
    all_periods: bool = typer.Option(False, "--all-periods", help="One map per period (<name>_map_<period>.png)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing PNG files."),
) -> None:
    """Draw the network map of a plan: nodes by kind, flows as line widths, risk as colour."""

    def run():
        from supplyopt.io.map import draw_map
        from supplyopt.io.plan import read_plan as read_results_workbook  # the record when it is the workbook's

        results = read_results_workbook(results_workbook)
        base = output or results_workbook.with_name(results_workbook.stem + "_map.png")
        periods = list(dict.fromkeys(results["Costs"]["period"])) if all_periods else [period]
        for p in periods:
            out = base if not all_periods else base.with_name(f"{base.stem}_{_file_part(str(p))}.png")
            if out.resolve() == results_workbook.resolve():  # --force must not turn the workbook into a PNG
                from supplyopt.errors import OutputError

                raise OutputError(f"refusing to overwrite the results workbook {results_workbook} with a map: choose another -o.")
            _refuse_existing(out, force)
            console.print(f"Map written: [bold]{draw_map(results, out, period=p)}[/]")

    _guard(run)


@app.command("explain")
def explain_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook written by `supplyopt solve`."),
    site: Optional[str] = typer.Option(None, "--site", help="Refinery site to force the other way (open ↔ closed)."),
    corridor: Optional[str] = typer.Option(None, "--corridor", help="Corridor: a used one is closed; an unused one gets its upgrade."),
    upgrade: Optional[str] = typer.Option(None, "--upgrade", help="Upgrade to force the other way (built ↔ not built)."),
    input: Optional[Path] = typer.Option(None, "--input", help="Input the plan was solved from (default: the Summary's 'input')."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds per solve."),
    gap: float = typer.Option(1e-4, "--gap", help="Relative MIP gap."),
) -> None:
    """Why this decision? Re-solve with it forced the other way; report the NPV difference and what changes."""

    def run():
        from supplyopt.io.plan import read_plan as read_results_workbook  # the record when it is the workbook's
        from supplyopt.io.read import read_input
        from supplyopt.solve.highs import SolveOptions
        from supplyopt.studies.explain import explain

        base = read_results_workbook(results_workbook)
        source = input or Path(str(base.summary.get("input", "")))
        if not str(source) or not source.exists():
            raise InputError(f"the input of {results_workbook} was not found ({source}): pass --input")
        inst = read_input(source)
        if base.summary.get("scenario") not in (None, "", "base"):
            from supplyopt.inputs.scenarios import apply_scenario

            inst = apply_scenario(inst, str(base.summary["scenario"]))
        with console.status("Re-solving with the decision forced …"):
            result = explain(inst, base, site=site, corridor=corridor, upgrade=upgrade, options=SolveOptions(time_limit=time_limit, mip_gap=gap))
        console.print(str(result), markup=False, highlight=False)

    _guard(run)


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


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
