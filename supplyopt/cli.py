"""Command line: `supplyopt template|validate|solve|...`. Thin: parses arguments, calls the
library, prints, and maps errors to exit codes (see errors.py and the README)."""

from __future__ import annotations

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
) -> None:
    """Solve an input and write the optimal plan to a results workbook."""
    code = _guard(lambda: _solve(input, output, force, time_limit, gap, threads, seed, log))
    raise typer.Exit(code)


def _solve(input, output, force, time_limit, gap, threads, seed, log) -> int:
    from supplyopt.io.read import read_input
    from supplyopt.io.results_workbook import write_results_workbook
    from supplyopt.pipeline import provenance, run_solve
    from supplyopt.progress import SolveProgress
    from supplyopt.solve import SolveOptions

    out = output or _default_output(input, None)
    if out.exists() and not force:
        from supplyopt.errors import OutputError

        raise OutputError(f"{out} exists: use --force to overwrite it, or choose another -o.")
    with SolveProgress(console, show_log=log) as progress:
        progress.stage("Reading and validating input")
        inst = read_input(input)
        progress.done(f"Read {input}: {len(inst['Nodes'])} nodes, {len(inst['Corridors'])} corridors, {len(inst.periods)} periods")
        options = SolveOptions(time_limit=time_limit, mip_gap=gap, threads=threads, seed=seed, log=progress.log_sink())
        progress.stage("Building model and solving with HiGHS")
        try:
            run = run_solve(inst, options, on_stage=progress.done, metadata=provenance(inst, options))
        except InfeasibleError:
            raise
    results = run.results
    assert results is not None  # run_solve raises when there is no plan
    path = write_results_workbook(results, out, overwrite=force, protect=[input])
    print_summary(results)
    console.print(f"Results written: [bold]{path}[/]")
    if not run.report.proven_optimal:
        gap_txt = f"{run.report.gap:.2%}" if run.report.gap is not None else "unknown"
        console.print(f"[bold yellow]Not proven optimal[/] (stopped: {run.report.termination}; gap {gap_txt}). The plan is the best found.")
        return EXIT_NOT_OPTIMAL
    return EXIT_OK


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
    if s.get("gap") is not None:
        t.add_row("MIP gap", f"{s['gap']:.3%}")
    t.add_row("HiGHS time (s)", f"{s['solve_seconds']:.2f}")
    console.print(t)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
