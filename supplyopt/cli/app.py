"""The `supplyopt` command: the Typer app, `--version`, and every command registered on it.

Thin by design: each command parses its arguments, calls a study, prints, and maps errors to exit
codes (supplyopt.errors; the README lists them). A bad option value (`--gap -1`,
`--time-limit nan`) is a usage error, exit 2, before anything is read or solved."""

from __future__ import annotations

import typer

from supplyopt.cli.breakeven_cmd import breakeven_cmd
from supplyopt.cli.common import console
from supplyopt.cli.output import command
from supplyopt.cli.report_cmd import report_cmd
from supplyopt.cli.scenario_cmds import compare_cmd, sweep_cmd
from supplyopt.cli.solve_cmds import solve, template, validate
from supplyopt.cli.study_cmds import explain_cmd, frontier_cmd, map_cmd, stress_cmd
from supplyopt.errors import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_NOT_OPTIMAL, EXIT_OK, EXIT_OUTPUT, EXIT_SOLVER

# Exit codes and statuses, as the README's table states them (tests check both against errors.py).
EXIT_CODES = (
    f"Exit codes: {EXIT_OK} optimal (results written); {EXIT_INPUT} input problems or a usage error (nothing written); "
    f"{EXIT_INFEASIBLE} infeasible (a Diagnosis workbook names the rows); {EXIT_SOLVER} solver error, no plan, or a plan "
    f"that fails verification (nothing written); {EXIT_NOT_OPTIMAL} a plan written but not proven optimal (time limit, "
    f"gap, Ctrl-C); {EXIT_OUTPUT} output not written (exists without --force, or would overwrite an input); "
    "130 interrupted before a plan was found."
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Plan Pakistan's critical-minerals export chain: refinery site and size, corridors, ports, security risk.",
    epilog=EXIT_CODES,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from supplyopt import __version__

        def of(pkg: str) -> str:
            try:
                return version(pkg)
            except PackageNotFoundError:
                return "not installed"

        console.print(f"supplyopt {__version__} (Pyomo {of('pyomo')}, HiGHS via highspy {of('highspy')})", highlight=False)
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Print supplyopt's version and exit."),
) -> None:
    pass


# Every command, in the order `--help` lists them. A new command is one line here (its module
# stays in cli/); `command` gives it -q/--quiet, -v/--verbose and its log file.
COMMANDS = [
    ("template", template),
    ("validate", validate),
    ("solve", solve),
    ("frontier", frontier_cmd),
    ("stress", stress_cmd),
    ("compare", compare_cmd),
    ("sweep", sweep_cmd),
    ("map", map_cmd),
    ("explain", explain_cmd),
    ("report", report_cmd),
    ("breakeven", breakeven_cmd),
]


def register(name: str, fn) -> None:
    app.command(name)(command(fn))


for _name, _fn in COMMANDS:
    register(_name, _fn)


def main() -> None:  # pragma: no cover - console entry
    app()
