"""Writing a solved plan from the CLI (its workbook, record and map; a Diagnosis workbook when
infeasible) and its terminal summary: shared by `solve` and every scenario of a batch."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from supplyopt.cli.common import console, notice

__all__ = ["print_summary", "write_diagnosis", "write_plan"]


def write_plan(results, out: Path, force: bool, input: Path, say=None, html: bool = False) -> tuple[Path, Path | None]:
    """The results workbook, then the network map PNG beside it (the map is also embedded in
    the workbook: it is drawn to a temporary file first and put in place only once the workbook
    is written, so a refused or failed write leaves no map behind). An existing map is kept
    unless --force; a plan without coordinates gets no map. `say` takes the notes (default: stderr).
    With `html`, the plan's HTML report (<out>.html) is written last (solve --html)."""
    import shutil
    import tempfile

    from supplyopt.io.atomic import atomic_write
    from supplyopt.io.plan import write_plan as write_plan_files

    say = say or notice
    png = out.with_name(out.stem + "_map.png")
    with tempfile.TemporaryDirectory(prefix="supplyopt-map-") as tmp:
        drawn = None
        if not has_coordinates(results):
            pass  # nothing to draw: matplotlib is not even imported (a small case stays fast)
        elif png.exists() and not force:
            say(f"Note: {png} exists and was kept (use --force to redraw it).")
        else:
            from supplyopt.io.map import MapError, draw_map

            try:
                drawn = draw_map(results, Path(tmp) / png.name)
                results.extra["map_png"] = str(drawn)
            except MapError as exc:
                say(f"No map: {exc}")
        path = write_plan_files(results, out, overwrite=force, protect=[input])
        if html:
            from supplyopt.io.html import write_html_report

            write_html_report(results, html_path(out), overwrite=force, protect=[input, path])
        if drawn is None:
            return path, None
        map_path = atomic_write(png, lambda t: shutil.copyfile(drawn, t), overwrite=True, protect=[input, path])
    results.extra["map_png"] = str(map_path)
    return path, map_path


def write_diagnosis(exc, meta: dict, out: Path, force: bool, input: Path, say=None) -> None:
    """An infeasible solve still leaves a workbook: Summary (status infeasible) and Diagnosis."""
    from supplyopt.io.plan import write_plan as write_plan_files
    from supplyopt.results import Results

    diagnosis = getattr(exc, "diagnosis", None)
    if diagnosis is None:
        return
    summary = {"status": "infeasible", "diagnosis": "see the Diagnosis sheet", **meta}
    path = write_plan_files(Results({"Diagnosis": diagnosis.table()}, summary), out, overwrite=force, protect=[input])
    (say or notice)(f"Diagnosis written: {path}")


def has_coordinates(results) -> bool:
    """Whether any node of the plan has a latitude and longitude (else it gets no map)."""
    nodes = results.tables.get("Nodes")
    return nodes is not None and {"lat", "lon"} <= set(nodes.columns) and bool(nodes[["lat", "lon"]].notna().all(axis=1).any())


def html_path(out: Path) -> Path:
    """Where solve --html puts a plan's page: beside its workbook, <name>.html."""
    return out.with_suffix(".html")


def print_summary(results) -> None:
    from rich.markup import escape as markup_escape

    from supplyopt.errors import printable
    from supplyopt.io.labels import label

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
    # Site and upgrade names come from the input: shown as text (no rich markup, no live escapes).
    t.add_row("Refineries opened", markup_escape(printable(s["refineries_open"])))
    if s.get("upgrades_built") is not None:
        t.add_row("Upgrades built", markup_escape(printable(s["upgrades_built"])))
    for key, text in (
        ("state_take_pv_usd", "State take: royalties and duties (PV)"),
        ("security_cost_pv_usd", "Security and escorts (PV)"),
        ("expected_loss_pv_usd", "Expected cargo loss (PV)"),
    ):
        if s.get(key):
            t.add_row(text, f"{s[key]:,.0f}")
    if s.get("risk_exposure_total"):
        t.add_row(label("risk_exposure_total"), f"{s['risk_exposure_total']:,.0f}")
    if s.get("gap") is not None:
        t.add_row("MIP gap", f"{s['gap']:.3%}")
    t.add_row("HiGHS time (s)", f"{s['solve_seconds']:.2f}")
    console.print(t)
