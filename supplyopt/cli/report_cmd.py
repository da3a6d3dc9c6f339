"""`supplyopt report`: the HTML report of a solved plan, one self-contained page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from supplyopt.cli.common import console, guard


def report_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook of a solved plan (from `supplyopt solve`)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML page to write (default: beside the workbook, <name>.html)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing page."),
) -> None:
    """Write a plan's HTML report: summary, costs by period, flows by corridor and port, and an
    interactive map with a period selector. One file that opens offline in any browser.

    Exit codes: 0 written; 2 the results cannot be read; 6 the page cannot be written (it exists without --force, it is the workbook, a folder, ...)."""

    def run():
        from supplyopt.io.atomic import check_target
        from supplyopt.io.html import write_html_report
        from supplyopt.io.plan import read_plan

        out = output or results_workbook.with_name(results_workbook.stem + ".html")
        protect = [results_workbook]
        check_target(out, overwrite=force, protect=protect, what="the results workbook")  # before reading
        results = read_plan(results_workbook)
        source = results.summary.get("input")
        if isinstance(source, str) and source:
            protect.append(Path(source))  # the plan's input workbook, when it is still there
        path = write_html_report(results, out, overwrite=force, protect=protect)
        console.print(f"Report written: [bold]{path}[/]", highlight=False)

    guard(run)
