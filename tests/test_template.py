"""The input template: structure, dropdowns, round trips (openpyxl, CSV, LibreOffice), safe writes."""

from __future__ import annotations

import math
import os
import shutil
import subprocess

import numpy as np
import openpyxl
import pytest
from helpers_template import assert_same_instance, small_records
from openpyxl.utils import get_column_letter

from supplyopt.errors import OutputError
from supplyopt.inputs.coerce import coerce_table
from supplyopt.inputs.instance import parse_settings
from supplyopt.io.docs import worked_example
from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input, read_raw_tables
from supplyopt.io.template import (
    MONEY_TONNAGE_FORMAT,
    VALIDATION_ROWS,
    records_from_instance,
    write_instance_csv,
    write_template,
)
from supplyopt.io.template_sheets import LISTS_SHEET
from supplyopt.schema import SETTINGS, TABLES, TABLES_BY_NAME

FORMULA_LIKE = ["=1+1", "+cmd", "@x", "-2+3", '=HYPERLINK("http://example.com")', "#N/A"]


def _validations_for(ws, cell: str):
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = write_template(tmp_path_factory.mktemp("blank") / "template.xlsx")
    wb = openpyxl.load_workbook(path)
    yield wb
    wb.close()


# --- blank template ------------------------------------------------------------------------


def test_blank_template_has_readme_then_every_table_in_schema_order(blank):
    # a dropdown list too long for Excel's inline limit lives on the hidden Lists sheet, last
    assert [n for n in blank.sheetnames if n != LISTS_SHEET] == ["README", *[t.name for t in TABLES]]


def test_blank_template_headers_notes_and_frozen_panes(blank):
    for table in TABLES:
        ws = blank[table.name]
        header = [c.value for c in ws[1]]
        assert header == table.column_names, table.name
        for col, cell in zip(table.columns, ws[1]):
            assert cell.comment is not None and cell.comment.text == col.header_note, (table.name, col.name)
            assert cell.font.b, (table.name, col.name)
            assert cell.fill.fill_type == "solid"
        assert ws.freeze_panes == "A2"
        for j in range(1, len(table.columns) + 1):
            assert ws.column_dimensions[get_column_letter(j)].width >= 10


def test_blank_template_data_empty_except_settings_defaults(blank):
    for table in TABLES:
        if table.name != "Settings":
            assert blank[table.name].max_row == 1, table.name
    rows = list(blank["Settings"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [s.name for s in SETTINGS]
    for (_name, value), s in zip(rows, SETTINGS):
        if isinstance(s.default, bool):
            assert value == ("yes" if s.default else "no")
        else:
            assert value == s.default


def test_blank_template_reads_as_default_settings(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    raw = read_raw_tables(path)
    assert {t.name for t in TABLES} <= set(raw)
    df, problems = coerce_table(raw["Settings"], TABLES_BY_NAME["Settings"])
    assert problems == []
    settings, problems = parse_settings(df)
    assert problems == []
    assert settings == {s.name: s.default for s in SETTINGS}


def test_readme_explains_workflow_units_and_settings(blank):
    text = "\n".join(str(v) for row in blank["README"].iter_rows(values_only=True) for v in row if v is not None)
    for needle in ("supplyopt validate", "supplyopt solve", "blank", "USD", "tonnes", "t/yr", "km", "every period", "unlimited"):
        assert needle in text, needle
    for s in SETTINGS:
        assert s.name in text and s.doc in text


def test_enum_and_bool_columns_have_list_dropdowns(blank):
    for table in TABLES:
        ws = blank[table.name]
        for j, col in enumerate(table.columns, start=1):
            if not (col.enum or col.type == "bool"):
                continue
            letter = get_column_letter(j)
            dvs = [dv for dv in _validations_for(ws, f"{letter}2") if dv.type == "list"]
            assert len(dvs) == 1, (table.name, col.name)
            dv = dvs[0]
            assert f"{letter}{VALIDATION_ROWS}" in dv.sqref
            choices = col.enum or ("yes", "no")
            if dv.formula1.startswith('"'):
                assert dv.formula1.strip('"').split(",") == list(choices)
            else:  # long lists live on the hidden Lists sheet
                sheet, rng = dv.formula1.split("!")
                lists = blank[sheet.strip("'")]
                assert lists.sheet_state == "hidden"
                assert [row[0].value for row in lists[rng.replace("$", "")]][0] is not None
            assert dv.showErrorMessage and dv.errorStyle == "stop"
            # Excel caps an error message at 255 characters: a list that long is named, not spelled out
            assert all(c in dv.error for c in choices) or (len(dv.error) >= 250 and dv.error.startswith(f"{col.name} must be one of"))
            assert dv.allow_blank == (not col.required)


def test_reference_columns_pick_from_the_referenced_sheet(blank):
    ws = blank["Corridors"]
    for cell in ("C2", "D2", f"C{VALIDATION_ROWS}"):
        (dv,) = _validations_for(ws, cell)
        assert dv.type == "list" and dv.formula1 == f"Nodes!$A$2:$A${VALIDATION_ROWS}"
        assert "Nodes" in dv.error and dv.showErrorMessage
    for table in TABLES:
        ws = blank[table.name]
        for j, col in enumerate(table.columns, start=1):
            if not col.ref:
                continue
            target = TABLES_BY_NAME[col.ref[0]]
            ref_letter = get_column_letter(target.column_names.index(col.ref[1]) + 1)
            (dv,) = _validations_for(ws, f"{get_column_letter(j)}2")
            assert dv.formula1 == f"{col.ref[0]}!${ref_letter}$2:${ref_letter}${VALIDATION_ROWS}", (table.name, col.name)
            assert dv.allow_blank == (not col.required)


def test_numeric_bounds_are_checked_with_warnings(blank):
    (dv,) = _validations_for(blank["RecipeOutputs"], "C2")  # yield: 0 < y <= 1
    assert dv.type == "decimal" and dv.operator == "between" and (dv.formula1, dv.formula2) == ("0", "1")
    assert dv.errorStyle == "warning"
    (dv,) = _validations_for(blank["Periods"], "B2")
    assert dv.type == "whole" and (dv.formula1, dv.formula2) == ("1900", "2200")


def test_money_and_tonnage_columns_have_thousands_format(tmp_path):
    path = write_template(tmp_path / "filled.xlsx", small_records())
    ws = openpyxl.load_workbook(path)["Mines"]
    col = TABLES_BY_NAME["Mines"].column_names.index("max_t_per_yr") + 1
    assert ws.cell(2, col).number_format == MONEY_TONNAGE_FORMAT
    assert ws.column_dimensions[get_column_letter(col)].number_format == MONEY_TONNAGE_FORMAT
    assert ws.cell(2, 1).number_format == "@"  # codes are text, so 2026 or 1-2 stay text


# --- round trips ---------------------------------------------------------------------------


def test_filled_template_reads_back_identical(tmp_path):
    records = small_records()
    path = write_template(tmp_path / "filled.xlsx", records)
    assert_same_instance(read_input(path), instance_from_records(records))


def test_worked_example_reads_back_identical(tmp_path):
    """Every table, with blanks, unlimited capacities, yes/no and blank periods."""
    records = worked_example()
    records["Corridors"][1]["capacity_t_per_yr"] = math.inf
    path = write_template(tmp_path / "example.xlsx", records)
    expected = instance_from_records(records)
    assert_same_instance(read_input(path), expected)
    ws = openpyxl.load_workbook(path)["Corridors"]
    cap = TABLES_BY_NAME["Corridors"].column_names.index("capacity_t_per_yr") + 1
    assert ws.cell(3, cap).value is None  # inf is written blank: blank means unlimited
    bidi = TABLES_BY_NAME["Corridors"].column_names.index("bidirectional") + 1
    assert ws.cell(2, bidi).value == "yes"


def test_instance_saved_as_workbook_reads_back_identical(tmp_path):
    inst = instance_from_records(worked_example())
    path = write_template(tmp_path / "saved.xlsx", records_from_instance(inst))
    assert_same_instance(read_input(path), inst)


def test_awkward_values_read_back_identical(tmp_path):
    records = small_records()
    records["Corridors"][0]["distance_km"] = 0.1 + 0.2  # needs 17 significant digits
    records["Corridors"][1]["distance_km"] = np.float64(123.456)
    records["Mines"][0]["max_t_per_yr"] = np.int64(1000)
    records["Mines"][0]["cost_usd_per_t"] = float("nan")  # blank = default 0
    records["Corridors"][0]["capacity_t_per_yr"] = None
    records["Corridors"][1]["capacity_t_per_yr"] = float("inf")
    records["Corridors"][1]["bidirectional"] = False
    records["Periods"][0]["period"] = 2026.0  # a number in a text column
    records["Mines"][0]["period"] = "2026"
    records["Markets"][0]["period"] = 2026
    records["Nodes"][0]["name"] = "Ünïcode — سینڈک"
    records["Nodes"][1]["name"] = "  padded  "
    path = write_template(tmp_path / "awkward.xlsx", records)
    inst = read_input(path)
    assert_same_instance(inst, instance_from_records(records))
    assert inst["Corridors"]["distance_km"].iloc[0] == 0.1 + 0.2


def test_formula_like_text_stays_text(tmp_path):
    records = small_records()
    records["Nodes"] += [{"node": code, "kind": "hub", "name": code} for code in FORMULA_LIKE]
    records["Corridors"].append({"corridor": "C", "from_node": "=1+1", "to_node": "+cmd", "mode": "road", "distance_km": 1, "cost_usd_per_tkm": 0.1})
    path = write_template(tmp_path / "formula.xlsx", records, extra_sheets={"Sources": [{"fact": "x", "note": "=SUM(A1:A2)"}]})
    wb = openpyxl.load_workbook(path)
    ws = wb["Nodes"]
    seen = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.value in FORMULA_LIKE:
                assert cell.data_type not in ("f", "e"), (cell.coordinate, cell.value)
                seen[cell.value] = cell.data_type
    assert set(seen) == set(FORMULA_LIKE)
    assert wb["Sources"]["B2"].value == "=SUM(A1:A2)" and wb["Sources"]["B2"].data_type == "s"
    inst = read_input(path)
    assert_same_instance(inst, instance_from_records(records))
    assert set(FORMULA_LIKE) <= set(inst["Nodes"]["name"])


def test_negative_numbers_are_numbers(tmp_path):
    records = small_records()
    records["Nodes"][0].update(lat=-33.5, lon=-70.25)
    path = write_template(tmp_path / "neg.xlsx", records)
    ws = openpyxl.load_workbook(path)["Nodes"]
    assert ws["D2"].value == -33.5 and ws["D2"].data_type == "n"
    assert_same_instance(read_input(path), instance_from_records(records))


def test_extra_sheets_follow_the_tables_and_are_ignored_by_the_reader(tmp_path):
    records = small_records()
    sources = [{"fact": "Reko Diq reserves", "source": "Barrick 2024", "url": "https://example.com"}]
    path = write_template(tmp_path / "x.xlsx", records, extra_sheets={"Sources": sources})
    wb = openpyxl.load_workbook(path)
    assert [n for n in wb.sheetnames if n != LISTS_SHEET][-1] == "Sources"
    assert [c.value for c in wb["Sources"][1]] == ["fact", "source", "url"]
    assert wb["Sources"]["B2"].value == "Barrick 2024"
    assert_same_instance(read_input(path), instance_from_records(records))


def test_csv_folder_reads_back_identical(tmp_path):
    records = worked_example()
    records["Nodes"][0]["name"] = "=1+1"
    files = write_instance_csv(tmp_path / "case", records)
    assert [f.name for f in files] == [f"{t.name}.csv" for t in TABLES]
    assert_same_instance(read_input(tmp_path / "case"), instance_from_records(records))
    with pytest.raises(OutputError, match="already has"):
        write_instance_csv(tmp_path / "case", records)
    write_instance_csv(tmp_path / "case", small_records(), overwrite=True)
    assert_same_instance(read_input(tmp_path / "case"), instance_from_records(small_records()))


# --- safe writes ---------------------------------------------------------------------------


def test_existing_file_is_not_overwritten_without_overwrite(tmp_path):
    path = tmp_path / "case.xlsx"
    write_template(path, small_records())
    before = path.read_bytes()
    with pytest.raises(OutputError, match="already exists"):
        write_template(path)
    assert path.read_bytes() == before
    write_template(path, overwrite=True)
    assert path.read_bytes() != before
    assert sorted(os.listdir(tmp_path)) == ["case.xlsx"]  # no temporary files left behind


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def boom(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OutputError, match="No space left"):
        write_template(tmp_path / "case.xlsx")
    assert os.listdir(tmp_path) == []


def test_bad_targets_and_names_are_refused(tmp_path):
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_template(tmp_path / "case.csv")
    with pytest.raises(OutputError, match="does not exist"):
        write_template(tmp_path / "missing" / "case.xlsx")
    with pytest.raises(OutputError, match="Nodes"):
        write_template(tmp_path / "a.xlsx", {"Node": []})
    with pytest.raises(OutputError, match="clashes"):
        write_template(tmp_path / "b.xlsx", small_records(), extra_sheets={"nodes": []})


# --- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_round_trip(tmp_path):
    """A planner opening and saving the workbook in LibreOffice Calc changes nothing."""
    records = worked_example()
    records["Nodes"][0]["name"] = "=1+1"
    records["Nodes"][1]["name"] = "@x"
    records["Corridors"][0]["distance_km"] = 1150.125
    src = write_template(tmp_path / "case.xlsx", records)
    out = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = out / "case.xlsx"
    assert converted.exists(), proc.stdout + proc.stderr
    assert_same_instance(read_input(converted), instance_from_records(records))
    ws = openpyxl.load_workbook(converted)["Nodes"]
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"


def test_long_choice_lists_go_to_a_hidden_sheet(tmp_path, monkeypatch):
    import supplyopt.io.template_sheets as template_sheets

    monkeypatch.setattr(template_sheets, "MAX_INLINE_LIST", 10)
    path = write_template(tmp_path / "t.xlsx", small_records())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == "Lists" and wb["Lists"].sheet_state == "hidden"
    (dv,) = _validations_for(wb["Nodes"], "C2")  # kind
    sheet, rng = dv.formula1.split("!")
    assert sheet == "Lists"
    assert [c.value for (c,) in wb["Lists"][rng.replace("$", "")]] == list(TABLES_BY_NAME["Nodes"].column("kind").enum)
    assert_same_instance(read_input(path), instance_from_records(small_records()))


def test_csv_writer_rejects_swapped_arguments(tmp_path):
    with pytest.raises(TypeError, match="folder"):
        write_instance_csv(small_records(), tmp_path / "case")  # type: ignore[arg-type]
