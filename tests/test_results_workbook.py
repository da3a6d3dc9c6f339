"""Results workbook: write → read round trip, report layout, formula safety, atomic writing."""

from __future__ import annotations

import copy
import dataclasses
import math
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart

from instances import tiny
from supplyopt.errors import InputError, OutputError
from supplyopt.io import results_workbook as rw
from supplyopt.io.atomic import atomic_write
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import FORMAT, read_results_workbook, write_results_workbook
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import FEASIBLE, solve

# Mine → refinery → port; optimum: mine 1000 t, smelt all (2 modules), sell 250 t CU, NPV 54,250.
TINY = tiny()

# Ids a planner could type that Excel would take for a formula or an error value.
NASTY = {"MINE": '=HYPERLINK("x")', "REF": "+REF", "PORT": "@PORT", "CU": "-CU", "CONC": "#N/A"}


def _rename(obj, mapping):
    if isinstance(obj, dict):
        return {k: _rename(v, mapping) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rename(v, mapping) for v in obj]
    return mapping.get(obj, obj) if isinstance(obj, str) else obj


def _solve(records) -> Results:
    m = build_model(instance_from_records(records))
    report = solve(m)
    assert report.status == "optimal"
    return extract_results(m, report, {"input": "tiny.xlsx", "seed": 0})


@pytest.fixture(scope="module")
def results() -> Results:
    return _solve(copy.deepcopy(TINY))


@pytest.fixture(scope="module")
def nasty_results() -> Results:
    return _solve(_rename(copy.deepcopy(TINY), NASTY))


def _assert_same(a: Results, b: Results) -> None:
    assert list(b.summary) == list(a.summary)
    for k, v in a.summary.items():
        if isinstance(v, float) and not isinstance(b.summary[k], str):
            assert b.summary[k] == pytest.approx(v, rel=1e-14), k  # openpyxl stores 16 significant digits
        else:
            assert b.summary[k] == v, k
    assert list(b.tables) == list(a.tables)
    for name, df in a.tables.items():
        pd.testing.assert_frame_equal(b.tables[name], df, check_exact=False, rtol=1e-14, obj=name)


def _all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


# ------------------------------------------------------------------------- round trip and layout


def test_round_trip_summary_and_tables(results, tmp_path):
    assert results.summary["npv_usd"] == pytest.approx(54250.0)
    path = write_results_workbook(results, tmp_path / "base.xlsx")
    back = read_results_workbook(path)
    _assert_same(results, back)
    assert back.extra["source"] == str(path)
    assert back.report is None


def test_sheet_layout(results, tmp_path):
    path = write_results_workbook(results, tmp_path / "base.xlsx")
    wb = openpyxl.load_workbook(path)
    tables = list(results.tables)
    assert wb.sheetnames[:3] == ["Summary", "Costs", "CostSummary"]
    table_sheets = [s for s in wb.sheetnames if s not in ("Summary", "CostSummary", "SalesSummary", "Charts", "Map", "_supplyopt")]
    assert table_sheets == ["Costs"] + [t for t in tables if t != "Costs"]
    assert wb.sheetnames.index("SalesSummary") == wb.sheetnames.index("Sales") + 1
    assert wb["_supplyopt"].sheet_state == "hidden"

    for name in table_sheets:
        ws = wb[name]
        df = results.tables[name]
        assert [c.value for c in ws[1]] == list(df.columns)
        assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
        assert ws.freeze_panes == "A2"
        # the filter is the Excel Table's own (a sheet filter over a table is invalid in Excel)
        assert [t.ref for t in ws.tables.values()] == [f"A1:{openpyxl.utils.get_column_letter(len(df.columns))}{max(2, len(df) + 1)}"]
        assert all(8 <= ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width <= 50 for j in range(1, len(df.columns) + 1))

    flows = wb["Flows"]
    col = {c.value: c.column_letter for c in flows[1]}
    assert flows[f"{col['t_per_yr']}2"].number_format == "#,##0"
    assert flows[f"{col['cost_usd_per_yr']}2"].number_format == "#,##0"
    refineries = wb["Refineries"]
    col = {c.value: c.column_letter for c in refineries[1]}
    assert refineries[f"{col['utilisation']}2"].number_format == "0.0%"
    assert refineries[f"{col['utilisation']}2"].value == pytest.approx(1000 / 1200)


def test_summary_sheet_is_a_report(results, tmp_path):
    path = write_results_workbook(results, tmp_path / "base.xlsx")
    ws = openpyxl.load_workbook(path)["Summary"]
    assert ws["A1"].value == "supplyopt results"
    assert ws["A2"].value is None  # no warning for a proven optimal plan
    assert (ws["A4"].value, ws["B4"].value) == ("item", "value")
    assert ws.freeze_panes == "A5"
    rows = {r[0].value: r[1] for r in ws.iter_rows(min_row=5, max_col=2) if r[0].value is not None}
    assert list(rows)[: len(results.summary)] == list(results.summary)
    assert rows["status"].value == "optimal"
    assert rows["status"].fill.fgColor.rgb.endswith("C6EFCE")  # green
    assert rows["npv_usd"].number_format == "#,##0"
    assert rows["gap"].number_format.endswith("%")
    assert "s" in rows["solve_seconds"].number_format
    assert rows["format"].value == FORMAT and rows["format_version"].value == 1


def test_cost_summary_pivot_and_chart(results, tmp_path):
    path = write_results_workbook(results, tmp_path / "base.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["CostSummary"]
    header = [c.value for c in ws[1]]
    assert header == ["term", "label", "kind", "PV P1", "Total PV (USD)"]
    costs = results.tables["Costs"]
    body = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None}
    for term, pv in costs.groupby("term", sort=False)["present_value_usd"].sum().items():
        assert body[term][-1] == pytest.approx(pv)
    assert body["total"][-1] == pytest.approx(results.summary["npv_usd"])
    assert len(ws._charts) == 1 and isinstance(ws._charts[0], BarChart)
    assert ws._charts[0].type == "bar"
    assert len(wb["SalesSummary"]._charts) == 1


def test_not_proven_optimal_shows_warning_row(results, tmp_path):
    feasible = dataclasses.replace(results, summary={**results.summary, "status": FEASIBLE, "gap": 0.032})
    path = write_results_workbook(feasible, tmp_path / "feasible.xlsx")
    ws = openpyxl.load_workbook(path)["Summary"]
    assert ws["A2"].value.startswith("NOT PROVEN OPTIMAL: gap 3.2 %")
    status = next(r[1] for r in ws.iter_rows(min_row=5, max_col=2) if r[0].value == "status")
    assert status.value == FEASIBLE
    assert status.fill.fgColor.rgb.endswith("FFEB9C")  # amber
    assert read_results_workbook(path).summary["status"] == FEASIBLE

    unknown_gap = dataclasses.replace(results, summary={**results.summary, "status": FEASIBLE, "gap": None})
    path = write_results_workbook(unknown_gap, tmp_path / "nogap.xlsx")
    assert openpyxl.load_workbook(path)["Summary"]["A2"].value.startswith("NOT PROVEN OPTIMAL")


# ------------------------------------------------------------------------- text stays text


def test_formula_like_ids_are_stored_as_text(nasty_results, tmp_path):
    flows = nasty_results.tables["Flows"]
    assert set(flows["from_node"]) >= {NASTY["MINE"]}
    path = write_results_workbook(nasty_results, tmp_path / "nasty.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = list(_all_cells(wb))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.data_type == "e"]
    nasty_cells = [c for c in cells if c.value in set(NASTY.values())]
    assert {c.value for c in nasty_cells} == set(NASTY.values())
    assert all(c.data_type == "s" for c in nasty_cells)
    assert wb["Summary"]["B" + str(next(c.row for c in wb["Summary"]["A"] if c.value == "refineries_open"))].value == "+REF"
    _assert_same(nasty_results, read_results_workbook(path))


def test_nan_inf_none_are_blank_and_unknown_tables_generic(results, tmp_path):
    extra = pd.DataFrame(
        {
            "item": ["=1+1", "b", "c", "d"],
            "value_usd": [1234567.5, np.nan, np.inf, None],
            "share": [0.5, 0.25, -np.inf, 1.0],
            "flag": [True, False, True, False],
            "count": np.array([1, 2, 3, 4], dtype="int64"),
        }
    )
    long_name = "Shadow prices: corridor/port capacity [LP]"
    tables = {**results.tables, "ShadowPrices": extra, long_name: extra.iloc[:2]}
    r = Results(tables, {**results.summary, "notes": ["a", 1], "blank": None, "nan_value": float("nan")})
    path = write_results_workbook(r, tmp_path / "extra.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["ShadowPrices"]
    assert [c.value for c in ws["B"]] == ["value_usd", 1234567.5, None, None, None]
    assert [c.value for c in ws["C"]][3] is None
    assert ws["B2"].number_format == "#,##0" and ws["C2"].number_format == "0.0%"
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=1+1"
    tables_only = [n for n in wb.sheetnames if n not in ("Charts", "Map", "_supplyopt")]
    assert tables_only[-1] == "Shadow prices_ corridor_port ca"  # 31 characters, no : / [ ]

    back = read_results_workbook(path)
    assert list(back.tables) == list(tables)
    expected = extra.replace([np.inf, -np.inf], np.nan)
    pd.testing.assert_frame_equal(back.tables["ShadowPrices"], expected)
    pd.testing.assert_frame_equal(back.tables[long_name], expected.iloc[:2])
    assert back.summary["notes"] == ["a", 1] and back.summary["blank"] is None and math.isnan(back.summary["nan_value"])


def test_streamed_workbook_has_the_same_layout(nasty_results, tmp_path, monkeypatch):
    monkeypatch.setattr(rw, "WRITE_ONLY_ROWS", 1)  # stream even this tiny plan
    path = write_results_workbook(nasty_results, tmp_path / "streamed.xlsx")
    wb = openpyxl.load_workbook(path)
    assert len(wb["CostSummary"]._charts) == 1
    assert wb["Flows"].freeze_panes == "A2" and list(wb["Flows"].tables.values())[0].autoFilter is not None
    assert not [c.coordinate for c in _all_cells(wb) if c.data_type in ("f", "e")]
    _assert_same(nasty_results, read_results_workbook(path))


# ------------------------------------------------------------------------- refusing to write


def test_existing_output_is_kept_without_overwrite(results, tmp_path):
    path = tmp_path / "base.xlsx"
    write_results_workbook(results, path)
    before = path.read_bytes()
    with pytest.raises(OutputError, match="exists: use --force"):
        write_results_workbook(results, path)
    assert path.read_bytes() == before
    write_results_workbook(results, path, overwrite=True)
    assert read_results_workbook(path).summary["status"] == "optimal"


def test_input_workbook_is_never_overwritten(results, tmp_path, monkeypatch):
    inp = tmp_path / "input.xlsx"
    inp.write_bytes(b"the planner's input")
    monkeypatch.chdir(tmp_path)
    for target in (inp, Path("input.xlsx"), tmp_path / "sub" / ".." / "input.xlsx"):
        with pytest.raises(OutputError, match="refusing to overwrite the input workbook"):
            write_results_workbook(results, target, overwrite=True, protect=[inp])
    link = tmp_path / "link.xlsx"
    os.symlink(inp, link)
    with pytest.raises(OutputError, match="refusing to overwrite the input workbook"):
        write_results_workbook(results, link, overwrite=True, protect=["input.xlsx"])
    assert inp.read_bytes() == b"the planner's input"


def test_output_folder_is_created(results, tmp_path):
    path = write_results_workbook(results, tmp_path / "results" / "runs" / "base.xlsx")
    assert path.is_file()


# ------------------------------------------------------------------------- atomic writing


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failed_write_leaves_old_file_and_no_temp(tmp_path, exc):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old bytes")
    seen = []

    def half_write(tmp: Path):
        seen.append(tmp)
        assert tmp.parent == target.parent
        tmp.write_bytes(b"half a workb")
        raise exc

    with pytest.raises(type(exc)):
        atomic_write(target, half_write, overwrite=True)
    assert target.read_bytes() == b"old bytes"
    assert seen and not seen[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_failed_workbook_write_keeps_old_workbook(results, tmp_path, monkeypatch):
    path = write_results_workbook(results, tmp_path / "base.xlsx")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rw, "_write_meta", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_results_workbook(results, path, overwrite=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.xlsx"]


def test_atomic_write_replaces_and_reports_os_errors(tmp_path):
    target = tmp_path / "new" / "file.txt"
    assert atomic_write(target, lambda p: p.write_text("v1"), overwrite=False) == target
    assert target.read_text() == "v1"
    if os.name == "posix":  # the umask's mode, as open() would give, not mkstemp's owner-only 0o600
        umask = os.umask(0)
        os.umask(umask)
        assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    atomic_write(target, lambda p: p.write_text("v2"), overwrite=True)
    assert target.read_text() == "v2"

    def fails(p: Path):
        raise PermissionError(13, "Permission denied")

    with pytest.raises(OutputError, match="could not write"):
        atomic_write(target, fails, overwrite=True)
    assert target.read_text() == "v2"
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write(tmp_path / "new", lambda p: p.write_text("x"), overwrite=True)


# ------------------------------------------------------------------------- reader refuses strangers


def test_reader_refuses_other_files(tmp_path):
    other = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active.append(["item", "value"])
    wb.active.append(["npv", 1])
    wb.save(other)
    with pytest.raises(InputError, match="budget.xlsx.*not a supplyopt results workbook"):
        read_results_workbook(other)

    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(InputError, match="plain.xlsx.*no Summary sheet"):
        read_results_workbook(plain)

    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a zip")
    with pytest.raises(InputError, match="junk.xlsx"):
        read_results_workbook(junk)

    with pytest.raises(InputError, match="missing.xlsx.*file not found"):
        read_results_workbook(tmp_path / "missing.xlsx")


def test_reader_refuses_newer_format(results, tmp_path, monkeypatch):
    monkeypatch.setattr(rw, "FORMAT_VERSION", 99)
    path = write_results_workbook(results, tmp_path / "future.xlsx")
    monkeypatch.setattr(rw, "FORMAT_VERSION", 1)
    with pytest.raises(InputError, match="future.xlsx.*format_version 99"):
        read_results_workbook(path)
