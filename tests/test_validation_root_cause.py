"""Validation puts the root cause first (issue 16): a misnamed sheet, a title row above the
header and a blank template each give their cause first, with the knock-on problems folded under it."""

from __future__ import annotations

import openpyxl
import pytest

import instances as I
from supplyopt.errors import InputError
from supplyopt.io.read import read_input
from supplyopt.io.template import write_template


def _problems(path):
    with pytest.raises(InputError) as err:
        read_input(path)
    return err.value


@pytest.fixture
def case(tmp_path):
    return write_template(tmp_path / "case.xlsx", I.ports_and_contracts())


def test_blank_template_lists_every_missing_required_table(tmp_path):
    blank = write_template(tmp_path / "blank.xlsx")
    err = _problems(blank)
    assert [(p.sheet, p.message.split(":")[0]) for p in err.problems] == [
        ("Commodities", "required table has no rows"),
        ("Corridors", "required table has no rows"),
        ("Markets", "required table has no rows"),
        ("Mines", "required table has no rows"),
        ("Nodes", "required table has no rows"),
        ("Periods", "at least one period is needed"),
    ]


def test_misnamed_sheet_is_the_first_problem_with_its_knock_ons_under_it(case):
    wb = openpyxl.load_workbook(case)
    wb["Ports"].title = "Port"
    wb.save(case)
    err = _problems(case)
    root, follows = err.groups[0]
    assert root.sheet == "Port" and "did you mean 'Ports'?" in root.message
    assert follows and all("Ports" in p.message for p in follows)
    assert err.problems[0] is root
    assert len(err.groups) == 1  # nothing else is wrong with the case


def test_title_row_above_the_header_is_one_problem(case):
    wb = openpyxl.load_workbook(case)
    ws = wb["Corridors"]
    ws.insert_rows(1)
    ws["A1"] = "Corridors of the case"
    wb.save(case)
    err = _problems(case)
    root, follows = err.groups[0]
    assert (root.sheet, root.row) == ("Corridors", 1)
    assert "the column names are in row 2, not row 1" in root.message
    assert all("Corridors" in p.message or p.sheet == "Corridors" for p in follows)
    assert [p for p, _ in err.groups[1:]] == []  # every other problem follows from it


def test_terminal_shows_the_cause_first_and_folds_the_rest(case):
    from cli_helpers import invoke

    wb = openpyxl.load_workbook(case)
    wb["Ports"].title = "Port"
    wb.save(case)
    res = invoke("validate", case)
    assert res.exit_code == 2
    lines = res.output.splitlines()
    assert "did you mean 'Ports'" in lines[1]
    assert "follow from it" in lines[2]
    assert all("is not in Ports" in line or "Ports" in line for line in lines[3:] if line.strip().startswith("·"))
