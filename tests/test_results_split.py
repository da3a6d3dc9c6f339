"""Results workbook: a table longer than an Excel sheet continues on 'Name (2)', 'Name (3)', ...
and reads back as one table. MAX_SHEET_ROWS is lowered so that small tables split; Excel's real
limit (1,048,576 rows, header included) is checked on the constant only."""

from __future__ import annotations

import copy
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from instances import tiny
from supplyopt.errors import InputError
from supplyopt.io import results_workbook as rw
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import solve
from supplyopt.studies.compare import compare_results, load_results

ROWS = 5  # data rows per sheet in these tests


@pytest.fixture
def small_sheets(monkeypatch):
    """Sheets of ROWS data rows, so a 12-row table fills three."""
    monkeypatch.setattr(rw, "MAX_SHEET_ROWS", ROWS)


@pytest.fixture(params=["normal", "streamed"])
def mode(request, monkeypatch):
    """Both workbook modes: openpyxl's normal workbook and its write-only (streamed) one."""
    if request.param == "streamed":
        monkeypatch.setattr(rw, "WRITE_ONLY_ROWS", 1)
    return request.param


def _flows(n: int, dated: bool = False) -> pd.DataFrame:
    """An n-row table with every kind of column the writer knows; `dated` adds a date column,
    which makes the writer use openpyxl's cells instead of splicing XML."""
    i = np.arange(n)
    df = pd.DataFrame(
        {
            "corridor": [f"C{k}" if k % 4 else f"=C{k}" for k in i],  # formula-like text stays text
            "t_per_yr": np.where(i % 3 == 0, np.nan, i * 1000.5),
            "cost_usd": i.astype("int64") * 7,
            "used": i % 2 == 0,
            "note": ["" if k % 2 else "x" for k in i],  # blank cells that were empty strings
        }
    )
    if dated:
        df["day"] = pd.to_datetime("2030-01-01") + pd.to_timedelta(i, unit="D")
    return df


def _sheet_names(path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _meta_rows(path) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r[:6]) for r in wb[rw.META].iter_rows(min_row=2, values_only=True)]
    finally:
        wb.close()


def _summary_version(path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return next(r[1] for r in wb[rw.SUMMARY].iter_rows(values_only=True) if r and r[0] == "format_version")
    finally:
        wb.close()


# ------------------------------------------------------------------------- splitting


def test_excel_row_limit_is_the_default():
    assert rw.MAX_SHEET_ROWS + 1 == 1_048_576  # data rows + the header row


@pytest.mark.parametrize("dated", [False, True], ids=["spliced", "openpyxl"])
def test_long_table_continues_on_more_sheets_and_reads_back(small_sheets, mode, dated, tmp_path):
    flows = _flows(12, dated)
    assert rw._splicable(flows) is not dated  # the two ways the writer fills a sheet
    r = Results({"Flows": flows, "Small": flows.head(3)}, {"status": "optimal"})
    path = write_results_workbook(r, tmp_path / "split.xlsx")

    names = _sheet_names(path)
    assert names[names.index("Flows") :][:4] == ["Flows", "Flows (2)", "Flows (3)", "Small"]
    wb = openpyxl.load_workbook(path)
    first = wb["Flows"]
    header = [c.value for c in first[1]]
    for sheet, n in [("Flows", 5), ("Flows (2)", 5), ("Flows (3)", 2)]:
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == header, sheet
        assert ws[1][0].font.bold and ws[1][0].fill.fgColor.rgb == first[1][0].fill.fgColor.rgb
        assert ws.freeze_panes == "A2", sheet
        # the filter is the sheet's Excel Table's own (Excel refuses a sheet filter over a table)
        assert [t.ref for t in ws.tables.values()] == [f"A1:{openpyxl.utils.get_column_letter(len(header))}{max(2, n + 1)}"], sheet
        assert [ws.column_dimensions[c].width for c in "ABCDE"] == [first.column_dimensions[c].width for c in "ABCDE"]
        assert ws["C2"].number_format == "#,##0" and ws["C2"].value is not None, sheet  # cost_usd
        assert ws.max_row == n + 1, sheet
    assert wb["Flows (2)"]["A2"].value == "C5" and wb["Flows (3)"]["A3"].value == "C11"
    assert wb["Flows (2)"]["A5"].value == "=C8" and wb["Flows (2)"]["A5"].data_type == "s"  # text, not a formula

    back = read_results_workbook(path)
    assert list(back.tables) == ["Flows", "Small"]
    pd.testing.assert_frame_equal(back["Flows"], flows)
    pd.testing.assert_frame_equal(back["Small"], flows.head(3))
    assert back.extra["format_version"] == rw.SPLIT_FORMAT_VERSION


@pytest.mark.parametrize(("n", "sheets"), [(0, 1), (1, 1), (ROWS, 1), (ROWS + 1, 2), (2 * ROWS, 2), (2 * ROWS + 1, 3)])
def test_sheet_boundaries(small_sheets, n, sheets, tmp_path):
    flows = _flows(n)
    path = write_results_workbook(Results({"Flows": flows}, {"status": "optimal"}), tmp_path / "b.xlsx")
    assert [s for s in _sheet_names(path) if s.startswith("Flows")] == ["Flows"] + [f"Flows ({k})" for k in range(2, sheets + 1)]
    back = read_results_workbook(path)["Flows"]
    pd.testing.assert_frame_equal(back, flows, check_index_type=n > 0)  # an empty table's index type is not kept


def test_blank_rows_at_a_sheet_end_and_an_index_survive(small_sheets, mode, tmp_path):
    """A wholly blank row is not stored in the sheet XML: at the end of a continuation sheet it
    must still be counted; index levels are split and joined with the rows."""
    df = pd.DataFrame({"t_per_yr": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0, 8.0, 9.0, np.nan, np.nan]})
    df.index = pd.MultiIndex.from_arrays([[f"k{i}" for i in range(11)], range(11)], names=["key", None])
    path = write_results_workbook(Results({"Flows": df}, {"status": "optimal"}), tmp_path / "blank.xlsx")
    assert len([s for s in _sheet_names(path) if s.startswith("Flows")]) == 3
    pd.testing.assert_frame_equal(read_results_workbook(path)["Flows"], df)


def test_continuation_names_are_unique_and_short(small_sheets, tmp_path):
    long_name = "Shadow prices: corridor/port capacity [LP]"
    t = _flows(12)
    r = Results({long_name: t, "Flows": t, "Flows (2)": t.head(2), "flows (3)": t.head(1)}, {"status": "optimal"})
    path = write_results_workbook(r, tmp_path / "names.xlsx")
    names = _sheet_names(path)
    assert all(len(s) <= 31 for s in names)
    assert len({s.lower() for s in names}) == len(names)
    assert names[1:4] == ["Shadow prices_ corridor_port ca", "Shadow prices_ corridor_por (2)", "Shadow prices_ corridor_por (3)"]
    back = read_results_workbook(path)
    assert list(back.tables) == list(r.tables)
    for name, df in r.tables.items():
        pd.testing.assert_frame_equal(back[name], df, obj=name)


def test_meta_and_summary_record_the_continuation(small_sheets, tmp_path):
    path = write_results_workbook(Results({"Flows": _flows(12)}, {"status": "optimal"}), tmp_path / "meta.xlsx")
    meta = _meta_rows(path)
    assert ("table", "Flows", "Flows", None, None, 12) in meta
    assert [r[2::3] for r in meta if r[0] == "part"] == [("Flows", 5), ("Flows (2)", 5), ("Flows (3)", 2)]
    assert meta[0][5] == _summary_version(path) == rw.SPLIT_FORMAT_VERSION
    wb = openpyxl.load_workbook(path, read_only=True)
    notes = [r[0] for r in wb[rw.SUMMARY].iter_rows(values_only=True) if r and isinstance(r[0], str) and "continues" in r[0]]
    wb.close()
    assert notes == [
        "Flows has 12 rows, more than one Excel sheet holds: sheet Flows continues on Flows (2), Flows (3) (same columns; together they are one table)."
    ]


def test_a_reader_of_the_old_format_refuses_a_split_workbook(small_sheets, tmp_path, monkeypatch):
    """A version-1 reader would read the first sheet and pad the rest with blank rows."""
    path = write_results_workbook(Results({"Flows": _flows(12)}, {"status": "optimal"}), tmp_path / "new.xlsx")
    monkeypatch.setattr(rw, "SPLIT_FORMAT_VERSION", 1)
    with pytest.raises(InputError, match="format_version 2"):
        read_results_workbook(path)


# ------------------------------------------------------------------------- small tables unchanged


def test_empty_strings_read_back_as_empty_strings(tmp_path):
    """Excel cannot store '': a text column whose blanks were all '' gets them back (pandas 3
    turned the reader's None into NaN in a str column, so they came back NaN)."""
    df = pd.DataFrame({"note": ["x", "", "x", ""], "all_empty": ["", "", "", ""]})
    path = write_results_workbook(Results({"Notes": df}, {"status": "optimal"}), tmp_path / "e.xlsx")
    pd.testing.assert_frame_equal(read_results_workbook(path)["Notes"], df)


def test_small_tables_are_written_as_before(monkeypatch, tmp_path):
    """Tables that fit: same sheets, same meta, same bytes whatever MAX_SHEET_ROWS is."""
    r = Results({"Flows": _flows(ROWS), "Dated": _flows(3, dated=True)}, {"status": "optimal"})
    default = write_results_workbook(r, tmp_path / "default.xlsx")
    monkeypatch.setattr(rw, "MAX_SHEET_ROWS", ROWS)
    lowered = write_results_workbook(r, tmp_path / "lowered.xlsx")
    assert _summary_version(lowered) == rw.FORMAT_VERSION == 1
    assert not [m for m in _meta_rows(lowered) if m[0] == "part"]
    with zipfile.ZipFile(default) as a, zipfile.ZipFile(lowered) as b:
        assert a.namelist() == b.namelist()
        differ = [n for n in a.namelist() if n != "docProps/core.xml" and a.read(n) != b.read(n)]
    assert differ == []


# ------------------------------------------------------------------------- damaged workbooks


def test_missing_continuation_sheet_is_named(small_sheets, tmp_path):
    path = write_results_workbook(Results({"Flows": _flows(12)}, {"status": "optimal"}), tmp_path / "cut.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.remove(wb["Flows (2)"])
    wb.save(path)
    with pytest.raises(InputError, match=r"results sheet 'Flows \(2\)' is missing"):
        read_results_workbook(path)


def test_continuation_sheet_with_another_header_is_refused(small_sheets, tmp_path):
    path = write_results_workbook(Results({"Flows": _flows(12)}, {"status": "optimal"}), tmp_path / "hdr.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Flows (3)"]["B1"] = "renamed"
    wb.save(path)
    with pytest.raises(InputError, match=r"Flows \(3\).*header differs"):
        read_results_workbook(path)


# ------------------------------------------------------------------------- readers of results


@pytest.fixture(scope="module")
def solved() -> Results:
    m = build_model(instance_from_records(copy.deepcopy(tiny())))
    report = solve(m)
    assert report.status == "optimal"
    return extract_results(m, report, {"input": "tiny.xlsx", "seed": 0})


def test_every_table_split_reads_back_and_compares_the_same(solved, monkeypatch, tmp_path):
    """One row per sheet: every table of a real plan is split (Costs and Sales keep their report
    sheets after their last sheet); `compare` reads the folder and gets the in-memory tables."""
    monkeypatch.setattr(rw, "MAX_SHEET_ROWS", 1)
    path = write_results_workbook(solved, tmp_path / "plan.xlsx")
    names = _sheet_names(path)
    costs = [s for s in names if s == "Costs" or s.startswith("Costs (")]
    assert len(costs) == len(solved["Costs"]) > 1
    assert names.index("CostSummary") == names.index(costs[-1]) + 1

    back = read_results_workbook(path)
    assert list(back.tables) == list(solved.tables)
    for name, df in solved.tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=False, rtol=1e-14, obj=name)

    ((name, loaded, _src),) = load_results([tmp_path])
    got = compare_results([(name, loaded)])
    want = compare_results([(name, solved)])
    for field in ("kpis", "decisions", "flows", "exports", "exports_by_port"):
        pd.testing.assert_frame_equal(getattr(got, field), getattr(want, field), check_exact=False, rtol=1e-14, obj=field)
