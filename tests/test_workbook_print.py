"""Print-ready workbooks (issue 16 item 2): every data sheet an Excel Table whose columns are the
header, printed landscape, one page wide and as many tall as needed, the header row repeated on
every page; every number formatted (0/1 decisions yes/no, money with thousands separators,
shares as %); labels with units from one place (supplyopt.io.labels); the comparison's KPIs in
blocks one above the other (scenarios as columns) and its scenario changes one row each; the
Diagnosis banner of an infeasible plan speaks of infeasibility, not of a gap."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

import instances as I
from supplyopt.io.compare_workbook import change_rows, write_comparison_workbook
from supplyopt.io.labels import LABELS, RISK_EXPOSURE_UNIT, label
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.io.workbook.cells import YES_NO
from supplyopt.results import Results
from supplyopt.studies.compare import compare_results
from supplyopt.studies.pipeline import run_solve

REPORT_SHEETS = ("CostSummary", "SalesSummary", "Charts", "Map", "_supplyopt")


@pytest.fixture(scope="module")
def results() -> Results:
    return run_solve(instance_from_records(I.tiny())).results


def assert_prints_one_page_wide(ws, title_rows: str | None = "1:1") -> None:
    assert ws.page_setup.orientation == "landscape", ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    if title_rows:
        assert ws.print_title_rows.replace("$", "") == title_rows, ws.title


def test_every_table_sheet_is_a_printable_excel_table(results, tmp_path):
    path = write_results_workbook(results, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames:
        if name in REPORT_SHEETS or name == "Summary":
            continue
        ws = wb[name]
        df = results.tables[name]
        (table,) = ws.tables.values()
        assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]] == list(df.columns), name
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(len(df.columns))}{max(2, len(df) + 1)}"
        assert_prints_one_page_wide(ws)
    names = [t for ws in wb.worksheets for t in ws.tables]
    assert len(names) == len({n.lower() for n in names})  # table names are unique in a workbook
    summary = wb["Summary"]
    assert [t.ref for t in summary.tables.values()] == [f"A4:C{4 + len(results.summary)}"]
    assert_prints_one_page_wide(summary, "4:4")
    # and it reads back equal
    back = read_results_workbook(path)
    for name, df in results.tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=True, obj=name)


def test_numbers_are_formatted_by_meaning(results, tmp_path):
    wb = openpyxl.load_workbook(write_results_workbook(results, tmp_path / "plan.xlsx"))

    def fmt(sheet, column):
        ws = wb[sheet]
        j = [c.value for c in ws[1]].index(column) + 1
        return ws.cell(row=2, column=j).number_format

    assert fmt("Refineries", "open") == YES_NO  # 0/1 stays 0/1, shows yes/no
    assert wb["Refineries"].cell(row=2, column=3).value in (0, 1)
    assert fmt("Refineries", "modules") == "#,##0"
    assert fmt("Flows", "t_per_yr") == "#,##0"
    assert fmt("Costs", "present_value_usd") == "#,##0"
    assert fmt("Refineries", "utilisation") == "0.0%"
    # every numeric cell of every table sheet has a number format
    for ws in wb.worksheets:
        if ws.title in REPORT_SHEETS or ws.title == "Summary":
            continue
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    assert c.number_format != "General", (ws.title, c.coordinate)


def test_summary_shows_labels_with_units(results, tmp_path):
    ws = openpyxl.load_workbook(write_results_workbook(results, tmp_path / "plan.xlsx"))["Summary"]
    assert [c.value for c in ws[4]][:3] == ["item", "value", "meaning"]
    meaning = {r[0]: r[2] for r in ws.iter_rows(min_row=5, max_col=3, values_only=True) if r[0]}
    assert meaning["npv_usd"] == "NPV (USD)"
    assert meaning["risk_exposure_total"] == "Risk exposure, whole horizon (score·t)"
    assert meaning["solve_seconds"] == "Solve time (s)"
    # Every Summary item a plan writes has a readable meaning, not its code name.
    assert [k for k, v in meaning.items() if v == k] == []
    assert label("state_take_pv_usd") == "State take: royalties and duties (PV), inside operating costs (USD)"
    assert label("npv_usd") == "NPV (USD)" and label("no_such_key") == "no_such_key"
    # one notation for risk exposure: the total and the per-year rate share it
    assert {u for _, u in LABELS.values() if "score·t" in u} == {RISK_EXPOSURE_UNIT, RISK_EXPOSURE_UNIT + "/yr"}


def test_infeasible_banner_speaks_of_infeasibility_not_a_gap(results, tmp_path):
    diag = Results({"Diagnosis": pd.DataFrame({"requirement": ["x"], "shortfall": [1.0]})}, {"status": "infeasible", "diagnosis": "see the Diagnosis sheet"})
    ws = openpyxl.load_workbook(write_results_workbook(diag, tmp_path / "diag.xlsx"))["Summary"]
    assert ws["A2"].value.startswith("INFEASIBLE")
    assert "gap" not in ws["A2"].value.lower() and "gap" not in ws["A3"].value.lower()
    assert "time-limit" not in ws["A3"].value and "Diagnosis sheet" in ws["A3"].value
    feasible = dataclasses.replace(results, summary={**results.summary, "status": "feasible (not proven optimal)", "gap": 0.02})
    ws = openpyxl.load_workbook(write_results_workbook(feasible, tmp_path / "f.xlsx"))["Summary"]
    assert ws["A2"].value == "NOT PROVEN OPTIMAL: gap 2.0 %"


def test_comparison_prints_kpis_as_rows_and_changes_as_a_table(results, tmp_path):
    base = dataclasses.replace(results, summary={**results.summary, "scenario": "base"})
    other = dataclasses.replace(
        results,
        summary={
            **results.summary,
            "scenario": "CHEAP",
            "npv_usd": 50_000.0,
            "scenario_overrides": "Markets[PORT | CU |].price_usd_per_t scale 0.5; Mines[MINE].max_t_per_yr set 900",
        },
    )
    c = compare_results([("base", base, "a.xlsx"), ("CHEAP", other, "b.xlsx")])
    wb = openpyxl.load_workbook(write_comparison_workbook(c, tmp_path / "cmp.xlsx"))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.tables or ws.title in ("Decisions", "Flows", "Flagged"), ws.title
    ws = wb["KPIs"]
    assert [c.value for c in ws[1]] == ["kpi", "label", "unit", "base", "CHEAP"]  # values only: as wide as the results
    rows: dict = {}
    for r in ws.iter_rows(values_only=True):  # the first block: the values
        rows.setdefault(r[0], r)
    assert rows["risk_exposure_total"][2] == RISK_EXPOSURE_UNIT
    titles = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith("Difference against")]
    assert titles == ["Difference against base (same unit)", "Difference against base in %"]
    changes = change_rows(c.sources)
    assert changes.to_dict("records") == [
        {"result": "CHEAP", "change": 1, "what changes": "Markets[PORT | CU |].price_usd_per_t scale 0.5"},
        {"result": "CHEAP", "change": 2, "what changes": "Mines[MINE].max_t_per_yr set 900"},
    ]
    summary = wb["Summary"]
    cells = [c.value for row in summary.iter_rows() for c in row]
    assert "Mines[MINE].max_t_per_yr set 900" in cells
    assert not any(isinstance(v, str) and ";" in v and "scale 0.5" in v for v in cells)  # no longer one long cell
