"""`supplyopt frontier`, `stress`, `explain` and `map`: studies of one input or of one solved plan."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from supplyopt.cli.common import (
    check_outputs,
    console,
    file_part,
    gap_option,
    guard,
    money,
    scheduler_option,
    serial_option,
    stem_of,
    time_limit_option,
    warn,
    workers_option,
)
from supplyopt.cli.output import session
from supplyopt.errors import EXIT_NOT_OPTIMAL, EXIT_OK


def frontier_cmd(
    input: Path = typer.Argument(..., help="Input workbook (.xlsx) or folder of CSV files."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Frontier workbook (default results/<input>_frontier.xlsx)."),
    points: int = typer.Option(5, "--points", min=2, help="Exposure budgets from the unconstrained plan's exposure down to the least possible, both included."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workbook."),
    time_limit: Optional[float] = time_limit_option("Seconds HiGHS may spend on each solve (points + 2 solves)."),
    gap: float = gap_option(),
    scheduler: Optional[str] = scheduler_option(),
    workers: Optional[int] = workers_option(),
    serial: bool = serial_option(),
) -> None:
    """Cost–risk frontier: the NPV given up for each step of risk-exposure reduction."""
    from supplyopt.studies.runner import RunnerOptions

    runner = RunnerOptions(serial=serial, scheduler=scheduler, workers=workers)
    raise typer.Exit(guard(lambda: _frontier(input, output, points, force, time_limit, gap, runner)))


def _frontier(input, output, points, force, time_limit, gap, runner) -> int:
    from supplyopt.cli.progress_bar import batch_progress
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.frontier import frontier, write_frontier_workbook
    from supplyopt.studies.pipeline import provenance

    out = output or Path("results") / f"{stem_of(input)}_frontier.xlsx"
    check_outputs([out], force, [input])
    session.log_to(out.with_suffix(".log"), protect=[input, out])
    inst = read_input(input)
    options = SolveOptions(time_limit=time_limit, mip_gap=gap)
    console.print(f"Read {escape(str(input))}. Solving {points} frontier points (+2 solves for the ends).")
    with batch_progress("Frontier", points + 2) as bar:
        result = frontier(inst, points, options, on_point=lambda msg, i, n: bar.advance(msg, ok="no plan" not in msg), runner=runner)
    path = write_frontier_workbook(result, out, overwrite=force, protect=[input], meta=provenance(inst, options))
    session.written()
    rows = []
    for p in result.points:
        per = "—" if p.npv_given_up_per_exposure is None else f"{p.npv_given_up_per_exposure:,.2f}"
        exposure = "—" if p.exposure is None else f"{p.exposure:,.0f}"
        status = p.status if p.status == "optimal" else f"[yellow]{escape(p.status)}[/]"
        rows.append([str(p.point), f"{p.exposure_budget:,.0f}", exposure, money(p.npv_usd), money(p.npv_given_up_usd), per, status])
    names = ("point", "exposure budget", "exposure", "NPV (USD)", "NPV given up", "per unit exposure cut", "status")
    console.print(number_table("Cost–risk frontier", names, rows, text_columns=("status",)))
    # The designs below the table, one line each: in the table they squeezed the numbers.
    for p in result.points:
        if p.exposure is not None:
            console.print(f"  point {p.point}: sites {escape(p.sites)}; upgrades {escape(p.upgrades)}", highlight=False)
    if not result.monotone:
        console.print("[bold yellow]Not monotone:[/] " + escape(" | ".join(result.notes)), highlight=False)
    console.print(f"Frontier written: [bold]{escape(str(path))}[/]")
    return EXIT_OK if all(p.status == "optimal" for p in result.points) else EXIT_NOT_OPTIMAL


def number_table(title: str, names, rows: list[list[str]], text_columns=()) -> Table:
    """A table whose number columns are never cut: each at least as wide as its widest cell (no
    '32,376,005…'; a long header wraps); the text columns wrap, no narrower than their longest
    word (up to 16 characters)."""
    from rich.text import Text

    def cells(i: int) -> list[str]:
        return [Text.from_markup(r[i]).plain for r in rows]

    t = Table(title=title, title_justify="left")
    for i, name in enumerate(names):
        if name in text_columns:
            longest = max([len(w) for c in cells(i) for w in c.split()] + [len(w) for w in name.split()])
            t.add_column(name, justify="left", overflow="fold", min_width=min(longest, 16))
        else:
            t.add_column(name, justify="right", min_width=max([len(c) for c in cells(i)] + [1]))
    for r in rows:
        t.add_row(*r)
    return t


def stress_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook of a solved plan (from `supplyopt solve`)."),
    input: Optional[Path] = typer.Option(None, "--input", help="Input to stress the plan on (default: the 'input' row of the results Summary)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Regret workbook (default <results>_stress.xlsx next to the results)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workbook."),
    time_limit: Optional[float] = time_limit_option("Seconds HiGHS may spend on each case."),
    gap: float = gap_option(),
    scheduler: Optional[str] = scheduler_option(),
    workers: Optional[int] = workers_option(),
    serial: bool = serial_option(),
) -> None:
    """Stress a plan: its design under every disruption and every single corridor closure.

    Sites, modules and upgrades stay as planned; flows are re-solved on the plan's input with the
    plan's scenario applied. Contract minimums become soft (penalty 10 x the highest price, left
    out of the NPV), so closures show unmet tonnes."""
    from supplyopt.studies.runner import RunnerOptions

    runner = RunnerOptions(serial=serial, scheduler=scheduler, workers=workers)
    raise typer.Exit(guard(lambda: _stress(results_workbook, input, output, force, time_limit, gap, runner)))


def _stress(results_workbook, input, output, force, time_limit, gap, runner) -> int:
    from supplyopt.cli.progress_bar import batch_progress
    from supplyopt.io.stress_workbook import write_stress_workbook
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.pipeline import provenance
    from supplyopt.studies.reopen import reopen_plan
    from supplyopt.studies.stress import Design, stress, stress_case_count

    out = output or results_workbook.with_name(f"{results_workbook.stem}_stress.xlsx")
    check_outputs([out], force, [results_workbook, input])
    plan = reopen_plan(results_workbook, input)
    check_outputs([out], force, [plan.input])
    session.log_to(out.with_suffix(".log"), protect=[plan.input, results_workbook, out])
    if plan.input_changed:
        warn(plan.warning("The plan's design is stressed on the input as it is now."))
    design = Design.from_results(plan.results)
    options = SolveOptions(time_limit=time_limit, mip_gap=gap)
    console.print(f"Design: sites {escape(design.describe_sites())}; upgrades {escape(design.describe_upgrades())}.", highlight=False)
    with batch_progress("Stress", stress_case_count(plan.instance)) as bar:
        result = stress(
            plan.instance,
            design,
            options,
            on_case=lambda c, i, n: bar.advance(f"{c.case}: {c.status}", ok=c.status in ("optimal", "infeasible")),
            runner=runner,
        )
    overrides = plan.instance.metadata.get("scenario_overrides") or None
    meta = {"results_workbook": str(results_workbook), **provenance(plan.instance, options, scenario=plan.scenario, overrides=overrides)}
    path = write_stress_workbook(result, out, overwrite=force, protect=[plan.input, results_workbook], meta=meta)
    session.written()
    table = result.table()
    rows = []
    for rec in table.head(25).to_dict("records"):
        status = rec["status"] if rec["status"] == "optimal" else f"[yellow]{escape(rec['status'])}[/]"
        rows.append([escape(str(rec["case"])), rec["kind"], money(rec["npv_usd"]), money(rec["npv_loss_usd"]), money(rec["unmet_contracts_t"]), status])
    names = ("case", "kind", "NPV (USD)", "NPV loss", "unmet contracts (t)", "status")
    title = f"Stress test (undisrupted NPV {money(result.baseline.npv_usd)} USD), by NPV loss"
    console.print(number_table(title, names, rows, text_columns=("case", "kind", "status")))
    if len(table) > 25:
        console.print(f"({len(table) - 25} more cases in the workbook)")
    console.print(f"Regret table written: [bold]{escape(str(path))}[/]")
    # An infeasible case (a mine minimum that cannot be shipped) is a finding, not a solver limit.
    return EXIT_OK if all(c.status in ("optimal", "infeasible") for c in [result.baseline, *result.cases]) else EXIT_NOT_OPTIMAL


def explain_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook written by `supplyopt solve`."),
    site: Optional[str] = typer.Option(None, "--site", help="Refinery site to force the other way (open ↔ closed)."),
    corridor: Optional[str] = typer.Option(None, "--corridor", help="Corridor: a used one is closed; an unused one gets its upgrade."),
    upgrade: Optional[str] = typer.Option(None, "--upgrade", help="Upgrade to force the other way (built ↔ not built)."),
    input: Optional[Path] = typer.Option(None, "--input", help="Input the plan was solved from (default: the Summary's 'input')."),
    time_limit: Optional[float] = time_limit_option("Seconds per solve."),
    gap: float = gap_option("Relative MIP gap (0.01 = 1 %)."),
) -> None:
    """Why this decision? Re-solve with it forced the other way; report the NPV difference and what changes.

    When the input changed since the plan was made, the plan is re-solved on the input as it is
    now and the difference is against that re-solve (a warning says what changed)."""

    def run():
        from supplyopt.solve.highs import SolveOptions
        from supplyopt.studies.explain import explain
        from supplyopt.studies.reopen import reopen_plan

        plan = reopen_plan(results_workbook, input)
        base = plan.results
        if plan.input_changed:
            warn(plan.warning("The comparison is against a re-solve of the current input, not against the plan in the workbook."))
            base = None  # explain re-solves the base on the current input
        with console.status("Re-solving with the decision forced …"):
            result = explain(plan.instance, base, site=site, corridor=corridor, upgrade=upgrade, options=SolveOptions(time_limit=time_limit, mip_gap=gap))
        console.print(str(result), markup=False, highlight=False)

    guard(run)


def map_cmd(
    results_workbook: Path = typer.Argument(..., help="Results workbook written by `supplyopt solve`."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="PNG to write (default: beside the workbook, <name>_map.png)."),
    period: Optional[str] = typer.Option(None, "--period", help="Period to draw (default: the one with the most tonnes moved)."),
    all_periods: bool = typer.Option(False, "--all-periods", help="One map per period (<name>_map_<period>.png)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing PNG files."),
) -> None:
    """Draw the network map of a plan: nodes by kind, flows as line widths, risk as colour."""

    def run():
        from supplyopt.io.atomic import check_target
        from supplyopt.io.map import draw_map
        from supplyopt.studies.reopen import read_plan_results

        results = read_plan_results(results_workbook)
        base = output or results_workbook.with_name(results_workbook.stem + "_map.png")
        periods = list(dict.fromkeys(results["Costs"]["period"])) if all_periods else [period]
        outs = [base if not all_periods else base.with_name(f"{base.stem}_{file_part(str(p))}.png") for p in periods]
        for out in outs:  # --force must not turn the workbook into a PNG
            check_target(out, overwrite=force, protect=[results_workbook], what="the results workbook")
        for p, out in zip(periods, outs):
            console.print(f"Map written: [bold]{draw_map(results, out, period=p, overwrite=force, protect=[results_workbook])}[/]")

    guard(run)
