"""Results workbooks are untrusted input (issue 14 item 2): a tampered or hostile results workbook
given to any study command (compare, map, stress, explain) ends in exit 0 or an InputError (exit
2) whose problems name the sheet, row and column; never a traceback.

Hand cases: text in a number cell (the crash of compare/map/stress/explain), a Summary number
edited to text, the hidden sheet's row counts tampered (text, huge), and a zip bomb (1.5 GiB of
zeros in a small file: refused by the input checks before it is parsed). Then a hypothesis
strategy of tamperings, each given to every study command, with a modest budget.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import invoke, said
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, InputError
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_template

STUDIES = {
    "compare": lambda plan, out: ("compare", plan, plan, "-o", out / "cmp.xlsx", "--force"),
    "map": lambda plan, out: ("map", plan, "-o", out / "map.png", "--force"),
    "stress": lambda plan, out: ("stress", plan, "-o", out / "stress.xlsx", "--force"),
    "explain": lambda plan, out: ("explain", plan, "--site", "REF"),
}


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """A solved plan of the tiny instance (with coordinates, so that map draws), record removed:
    every study reads the workbook itself."""
    folder = tmp_path_factory.mktemp("plan")
    recs = I.tiny()
    for k, node in enumerate(recs["Nodes"]):
        node["lat"], node["lon"] = 25.0 + k, 65.0 + k
    src = write_template(folder / "tiny.xlsx", recs)
    out = folder / "plan.xlsx"
    assert invoke("solve", src, "-o", out).exit_code == EXIT_OK
    shutil.rmtree(folder / "plan.record")
    return out


def tampered(plan: Path, folder: Path, sheet: str, cell: str, value) -> Path:
    """A copy of the plan with one cell changed (openpyxl keeps the rest as it was)."""
    wb = openpyxl.load_workbook(plan)
    ws = wb[sheet]
    ws[cell] = value
    out = folder / f"edited_{sheet}_{cell}.xlsx"
    wb.save(out)
    return out


def column_cell(plan: Path, sheet: str, column: str, row: int = 2) -> str:
    ws = openpyxl.load_workbook(plan, read_only=True)[sheet]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    return f"{openpyxl.utils.get_column_letter(header.index(column) + 1)}{row}"


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_text_in_a_number_cell_is_an_input_error_at_its_cell(plan, tmp_path, study):
    bad = tampered(plan, tmp_path, "Flows", column_cell(plan, "Flows", "t_per_yr"), "lots")
    with pytest.raises(InputError) as exc:
        read_results_workbook(bad)
    (p,) = exc.value.problems
    assert (p.sheet.endswith("sheet Flows"), p.row, p.column) == (True, 2, "t_per_yr")
    assert "expected a number, found text 'lots'" in p.message
    res = invoke(*STUDIES[study](bad, tmp_path))
    assert res.exit_code == EXIT_INPUT, res.output
    assert "Flows row 2, column 't_per_yr': expected a number" in said(res)


def test_summary_number_edited_to_text_names_its_row(plan, tmp_path):
    wb = openpyxl.load_workbook(plan, read_only=True)
    row = next(i for i, r in enumerate(wb["Summary"].iter_rows(values_only=True), start=1) if r and r[0] == "npv_usd")
    bad = tampered(plan, tmp_path, "Summary", f"B{row}", "a lot")
    with pytest.raises(InputError) as exc:
        read_results_workbook(bad)
    (p,) = exc.value.problems
    assert (p.row, p.column) == (row, "npv_usd") and "expected a number, found text 'a lot'" in p.message


@pytest.mark.parametrize("count", ["many", 10**12, -3, 2.5])
def test_meta_row_count_tampered(plan, tmp_path, count):
    wb = openpyxl.load_workbook(plan)
    ws = wb["_supplyopt"]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "table")
    ws.cell(row=row, column=6, value=count)
    bad = tmp_path / "meta.xlsx"
    wb.save(bad)
    with pytest.raises(InputError, match="row count|do not add up"):
        read_results_workbook(bad)


def test_zip_bomb_results_workbook_is_refused_before_parsing(plan, tmp_path):
    """1.5 GiB of zeros packed into a sheet part of a small file: the input checks refuse it."""
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plan) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/worksheets/padding.xml", "w", force_zip64=True) as f:
            block = b"0" * (64 * 2**20)
            for _ in range(24):
                f.write(block)
    assert bomb.stat().st_size < 8 * 2**20
    with pytest.raises(InputError, match="not a supplyopt results workbook: refused: the workbook unpacks to"):
        read_results_workbook(bomb)
    res = invoke("compare", bomb, bomb, "-o", tmp_path / "cmp.xlsx")
    assert res.exit_code == EXIT_INPUT and "zip bomb" in said(res)


# ---------------------------------------------------------------------------------------------
# Hypothesis: tampered results workbooks, every study command
# ---------------------------------------------------------------------------------------------

TABLE_SHEETS = ("Flows", "Refineries", "Sales", "Production", "Costs", "CorridorUse", "Nodes")
JUNK = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(lambda s: s.strip() and not s.startswith(("=", "+", "-", "@"))),
    st.sampled_from(["", "n/a", "1e999", "TRUE", "#N/A"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(-(10**15), 10**15),
    st.booleans(),
    st.none(),
)


@st.composite
def tamperings(draw):
    """(sheet, row, column, value): a cell of a table sheet, the Summary or the hidden sheet."""
    sheet = draw(st.sampled_from(TABLE_SHEETS + ("Summary", "_supplyopt")))
    row = draw(st.integers(1, 12))
    col = draw(st.integers(1, 9))
    return sheet, row, col, draw(JUNK)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(change=tamperings(), study=st.sampled_from(sorted(STUDIES)))
def test_tampered_results_workbook_never_crashes_a_study(plan, tmp_path_factory, change, study):
    folder = tmp_path_factory.mktemp("t")
    sheet, row, col, value = change
    wb = openpyxl.load_workbook(plan)
    if sheet not in wb.sheetnames:
        return
    wb[sheet].cell(row=row, column=col, value=value)
    bad = folder / "edited.xlsx"
    wb.save(bad)
    res = invoke(*STUDIES[study](bad, folder))  # no traceback, no escaping exception
    assert res.exit_code in (EXIT_OK, EXIT_INPUT), res.output
