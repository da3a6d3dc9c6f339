"""`supplyopt breakeven`: for each uncertain parameter, the value at which the design flips."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from supplyopt.cli.common import check_outputs, console, gap_option, guard, money, stem_of, time_limit_option
from supplyopt.cli.progress_bar import batch_progress
from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK


def breakeven_cmd(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Breakeven workbook (default results/<input>_breakeven.xlsx)."),
    parameter: Optional[list[str]] = typer.Option(
        None,
        "--parameter",
        help="A parameter to search instead of the Uncertainties sheet, in the Scenarios columns with a range: "
        "'[name:] table; key; column; operation; low; high', e.g. 'conc price: Markets; * | CU_CONC | *; price_usd_per_t; scale; 0.7; 1.3'. Repeatable; rows with the same name move together.",
    ),
    points: int = typer.Option(5, "--points", min=2, help="Evenly spaced values over each range solved before bisecting (+ the base value)."),
    tolerance: float = typer.Option(0.01, "--tolerance", min=1e-6, max=0.5, help="Stop bisecting when the bracket is narrower than this share of the range."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workbook."),
    time_limit: Optional[float] = time_limit_option("Seconds HiGHS may spend on each solve."),
    gap: float = gap_option(),
) -> None:
    """Breakeven: where each uncertain parameter flips the design (refinery opened or not, which site, which upgrade).

    Each parameter is solved on a grid over its range, then bisected where the decision changes;
    the workbook gives the threshold, the decision and NPV on each side, and a tornado chart."""
    raise typer.Exit(guard(lambda: _breakeven(input, output, parameter or [], points, tolerance, force, time_limit, gap)))


def _breakeven(input, output, parameter, points, tolerance, force, time_limit, gap) -> int:
    from supplyopt.io.breakeven_workbook import write_breakeven_workbook
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.breakeven import breakeven, parameters_from_uncertainties, parse_parameter_options
    from supplyopt.studies.pipeline import provenance

    out = output or Path("results") / f"{stem_of(input)}_breakeven.xlsx"
    check_outputs([out], force, [input])
    inst = read_input(input)
    params = parse_parameter_options(inst, parameter) if parameter else parameters_from_uncertainties(inst)
    options = SolveOptions(time_limit=time_limit, mip_gap=gap)
    console.print(f"Read {input}. Searching {len(params)} parameter(s): {points} grid points each, then bisection.")
    # Solves expected: the base, each grid (+ its base value), one bisection per parameter; the bar
    # grows when a parameter flips more than once.
    steps = math.ceil(math.log2(1 / tolerance))
    estimate = 1 + len(params) * (points + 1 + steps)

    with batch_progress("Breakeven solves", estimate) as bar:

        def on_point(p) -> None:
            where = "base input" if p.value is None else f"{p.parameter} = {p.value:.6g}"
            if bar.completed + 1 > bar.total:
                bar.grow(bar.completed + steps)
            bar.advance(f"{where}: {p.decision.describe()}, NPV {money(p.npv_usd)}", ok=p.status == "optimal")

        result = breakeven(inst, params, options, points=points, tolerance=tolerance, on_point=on_point)
        bar.grow(bar.completed)
    path = write_breakeven_workbook(result, out, overwrite=force, protect=[input], meta=provenance(inst, options))
    t = Table(title=f"Breakeven (base: {result.base.decision.describe()}, NPV {money(result.base.npv_usd)} USD)", title_justify="left")
    for name in ("parameter", "base", "threshold", "below", "above", "NPV below", "NPV above"):
        t.add_column(name, justify="right" if name in ("base", "threshold", "NPV below", "NPV above") else "left")
    for rec in result.table().to_dict("records"):
        thr = "never flips" if rec["threshold"] is None or rec["threshold"] != rec["threshold"] else f"{rec['threshold']:.4g}"
        base = "—" if rec["base_value"] is None or rec["base_value"] != rec["base_value"] else f"{rec['base_value']:.4g}"
        t.add_row(
            escape(rec["parameter"]),
            base,
            thr,
            escape(rec["decision_below"]),
            escape(rec["decision_above"]),
            money(rec["npv_below_usd"]),
            money(rec["npv_above_usd"]),
        )
    console.print(t)
    for statement in result.table()["statement"]:
        console.print(f"- {escape(statement)}", highlight=False, soft_wrap=True)
    console.print(f"Breakeven workbook written: [bold]{path}[/]")
    statuses = {p.status for r in result.parameters for p in r.points} | {result.base.status}
    return EXIT_OK if statuses <= {"optimal", "infeasible", "input error"} else EXIT_NOT_OPTIMAL
