"""Input files the reader must refuse or flag (issue 14): special files, formulas with no saved
value, control characters on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import pytest

import instances as I
from supplyopt.errors import InputError, Problem
from supplyopt.io.read import formulas_without_values, read_input
from supplyopt.io.template import write_template


@pytest.fixture
def workbook(tmp_path):
    return write_template(tmp_path / "case.xlsx", I.refine_or_export())


def _column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def test_fifo_is_refused_at_once(tmp_path):
    """A pipe named .xlsx (validate used to block on it for ever): refused before it is opened."""
    fifo = tmp_path / "case.xlsx"
    os.mkfifo(fifo)
    code = "import sys; from supplyopt.cli import app; sys.argv=['supplyopt','validate',sys.argv[1]]; app()"
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "not a regular file" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(InputError, match="not a regular file"):
        read_input(fifo)


def test_formula_without_saved_value_is_a_problem_at_its_cell(workbook):
    """openpyxl saves formulas without a value: read as blank, a corridor capacity would become
    unlimited. Each such cell is a problem at its sheet, row and column."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Corridors"]
    col = _column(ws, "capacity_t_per_yr")
    ws.cell(row=2, column=col, value="=100*2")
    ws.cell(row=3, column=col, value="=SUM(1,2)")
    wb.save(workbook)
    assert formulas_without_values(workbook) == {"Corridors": [(2, ws.cell(row=2, column=col).column_letter), (3, ws.cell(row=3, column=col).column_letter)]}
    with pytest.raises(InputError) as err:
        read_input(workbook)
    formula = [p for p in err.value.problems if "formula with no saved value" in p.message]
    assert [(p.sheet, p.row, p.column) for p in formula] == [("Corridors", 2, "capacity_t_per_yr"), ("Corridors", 3, "capacity_t_per_yr")]


def test_formula_with_saved_value_is_read_as_its_value(workbook):
    """A formula saved with its value (what Excel and LibreOffice write) is read as the value."""
    import zipfile

    wb = openpyxl.load_workbook(workbook)
    ws = wb["Corridors"]
    ws.cell(row=2, column=_column(ws, "capacity_t_per_yr"), value="=40*5")
    wb.save(workbook)
    # openpyxl saves <f>40*5</f><v></v>: give the formula its value, as Excel saves it.
    with zipfile.ZipFile(workbook) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    edited = {n: data.replace(b"<f>40*5</f><v></v>", b"<f>40*5</f><v>200</v>") for n, data in parts.items()}
    assert edited != parts
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in edited.items():
            z.writestr(n, data)
    assert formulas_without_values(workbook) == {}
    assert read_input(workbook).tables["Corridors"]["capacity_t_per_yr"].iloc[0] == 200


def test_formulas_in_notes_sheets_are_left_alone(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb.create_sheet("My notes")["A1"] = "=1+1"
    wb.save(workbook)
    read_input(workbook)  # no problem: the planner's own sheets are not read


def test_control_characters_are_escaped_on_the_terminal():
    p = Problem("Nodes", 3, "node", "'\x1b]0;pwned\x07\x1b[2J' is not in Nodes")
    text = str(p)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in text
    assert str(InputError([p])).count("\x1b") == 0


def test_plan_summary_shows_input_names_as_text():
    """A site named with an ESC sequence or rich markup is printed as text in the plan summary."""
    from supplyopt.cli.common import console
    from supplyopt.cli.plan_output import print_summary
    from supplyopt.results import Results

    summary = {
        "status": "optimal",
        "npv_usd": 1.0,
        "revenue_pv_usd": 1.0,
        "operating_cost_pv_usd": 0.0,
        "fixed_cost_pv_usd": 0.0,
        "capex_pv_usd": 0.0,
        "refineries_open": "REF\x1b[2J[red]X[/]",
        "upgrades_built": "none",
        "solve_seconds": 0.1,
    }
    with console.capture() as cap:
        print_summary(Results({}, summary))
    text = cap.get()
    assert "\x1b[2J" not in text and "\\x1b[2J[red]X[/]" in text.replace("\n", "")
