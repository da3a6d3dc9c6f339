"""Reading inputs from real files: .xlsx workbooks (written here with openpyxl) and CSV folders.

Whatever the planner hands over, the reader answers with an Instance or a clean InputError
whose message says what is wrong; never another exception type.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from model_asserts import assert_one_problem
from test_validation import VALID  # tests/ is on sys.path (rootdir conftest-less layout)

from supplyopt.errors import InputError, Problem
from supplyopt.io.read import read_input


def header_of(records: list[dict]) -> list[str]:
    header: list[str] = []
    for rec in records:
        header += [k for k in rec if k not in header]
    return header


def write_workbook(path: Path, tables: dict, sheet_names: dict | None = None) -> Path:
    """One sheet per table: header in row 1, record i in row i + 2; None leaves a cell empty."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    readme = wb.create_sheet("README")  # the planner's own sheet: ignored
    readme.append(["How to fill in this workbook"])
    for name, records in tables.items():
        ws = wb.create_sheet((sheet_names or {}).get(name, name))
        header = header_of(records)
        ws.append(header)
        for rec in records:
            ws.append([rec.get(h) for h in header])
    wb.save(path)
    return path


def write_csv_folder(folder: Path, tables: dict) -> Path:
    folder.mkdir()
    for name, records in tables.items():
        header = header_of(records)
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for rec in records:
                w.writerow(["" if rec.get(h) is None else rec.get(h) for h in header])
    return folder


def read_problems(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_input(path)
    return info.value.problems


def one_problem(path: Path, sheet: str, row: int | None, column: str | None, *fragments: str) -> Problem:
    return assert_one_problem(read_problems(path), sheet, row, column, *fragments)


@pytest.fixture
def t() -> dict:
    return copy.deepcopy(VALID)


@pytest.fixture
def valid_xlsx(tmp_path, t) -> Path:
    return write_workbook(tmp_path / "input.xlsx", t)


# --- workbooks ---------------------------------------------------------------------------------


def test_valid_workbook(valid_xlsx):
    inst = read_input(valid_xlsx)
    assert list(inst["Nodes"]["node"]) == ["MINE", "REF", "PORT"]
    assert list(inst["Nodes"]["_row"]) == [2, 3, 4]
    assert inst.source == str(valid_xlsx)


def test_sheet_names_ignore_case_and_spaces(tmp_path, t):
    path = write_workbook(tmp_path / "in.xlsx", t, {"RecipeOutputs": "recipe outputs", "Nodes": " NODES "})
    inst = read_input(path)
    assert list(inst["RecipeOutputs"]["recipe"]) == ["SMELT"]


def test_misspelt_sheet_in_workbook_is_suggested(tmp_path, t):
    path = write_workbook(tmp_path / "in.xlsx", t, {"Corridors": "Corridor"})
    one_problem(path, "Corridors", None, None, "required sheet is missing", "'Corridor'", "Rename it to 'Corridors'")


def test_misnamed_optional_sheet_in_workbook(tmp_path, t):
    path = write_workbook(tmp_path / "in.xlsx", t, {"Refineries": "Refinery"})
    assert Problem("Refinery", None, None, "sheet name not recognised, so it would be ignored: did you mean 'Refineries'? Rename the sheet") in read_problems(
        path
    )


def test_cell_problems_name_the_excel_row(tmp_path, t):
    t["Corridors"][1]["mode"] = "raod"
    path = write_workbook(tmp_path / "in.xlsx", t)
    one_problem(path, "Corridors", 3, "mode", "did you mean 'road'")


def test_blank_rows_in_a_sheet_keep_excel_row_numbers(tmp_path, t):
    path = write_workbook(tmp_path / "in.xlsx", t)
    wb = openpyxl.load_workbook(path)
    ws = wb["Nodes"]
    ws.insert_rows(3, amount=2)  # rows 3-4 blank; REF is now row 5, PORT row 6
    ws["B6"] = "prot"
    wb.save(path)
    one_problem(path, "Nodes", 6, "kind", "'prot'", "did you mean 'port'")
    ws["B6"] = "port"
    wb.save(path)
    assert list(read_input(path)["Nodes"]["_row"]) == [2, 5, 6]


def test_typed_cells_from_excel(tmp_path, t):
    t["Corridors"][0]["distance_km"] = dt.datetime(2026, 3, 1)  # a date where a number belongs
    t["Corridors"][1]["distance_km"] = "#DIV/0!"  # stored by openpyxl as an Excel error value
    path = write_workbook(tmp_path / "in.xlsx", t)
    found = read_problems(path)
    assert [(p.sheet, p.row, p.column) for p in found] == [("Corridors", 2, "distance_km"), ("Corridors", 3, "distance_km")]
    assert "date" in found[0].message
    assert "Excel error #DIV/0!" in found[1].message


def test_numbers_as_text_and_header_case_in_workbook(tmp_path, t):
    for rec in t["Corridors"]:
        rec["Distance KM"] = " 1,200 "
        del rec["distance_km"]
    path = write_workbook(tmp_path / "in.xlsx", t)
    assert list(read_input(path)["Corridors"]["distance_km"]) == [1200.0, 1200.0]


def test_wrong_stored_sheet_size_is_not_trusted(valid_xlsx):
    # Some tools write a wrong <dimension>; openpyxl's read-only mode would then see only A1.
    damaged = valid_xlsx.with_name("dim.xlsx")
    with zipfile.ZipFile(valid_xlsx) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            zout.writestr(item, data)
    inst = read_input(damaged)
    assert list(inst["Nodes"]["node"]) == ["MINE", "REF", "PORT"]


def test_two_sheets_for_one_table(tmp_path, t):
    path = write_workbook(tmp_path / "in.xlsx", t)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("NODES ")  # Excel would refuse 'nodes' next to 'Nodes'; a trailing space slips by
    wb.save(path)
    one_problem(path, "NODES ", None, None, "a second sheet for table Nodes")


# --- files that are not workbooks --------------------------------------------------------------


def test_missing_path(tmp_path):
    p = one_problem(tmp_path / "nope.xlsx", str(tmp_path / "nope.xlsx"), None, None, "not found")
    assert "nope.xlsx" in str(InputError([p]))


def test_old_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    one_problem(path, "old.xls", None, None, "old .xls format is not supported", "save the workbook as .xlsx")


def test_text_file(tmp_path):
    path = tmp_path / "input.txt"
    path.write_text("period,start_year\n")
    one_problem(path, "input.txt", None, None, "not an input", ".xlsx workbook or a folder of CSV files")


def test_random_bytes_as_xlsx(tmp_path):
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(os.urandom(4096))
    one_problem(path, "corrupt.xlsx", None, None, "cannot open workbook", "not a valid .xlsx")


def test_empty_xlsx_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    one_problem(path, "empty.xlsx", None, None, "cannot open workbook")


def test_truncated_xlsx(valid_xlsx):
    data = valid_xlsx.read_bytes()
    valid_xlsx.write_bytes(data[: len(data) // 2])
    one_problem(valid_xlsx, valid_xlsx.name, None, None, "cannot open workbook")


def test_damaged_zip_member(valid_xlsx):
    data = bytearray(valid_xlsx.read_bytes())
    data[200:700] = bytes(500)
    valid_xlsx.write_bytes(bytes(data))
    one_problem(valid_xlsx, valid_xlsx.name, None, None, "cannot open workbook")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photo.txt", "not a workbook")
    one_problem(path, "photos.xlsx", None, None, "cannot open workbook", "not a real .xlsx")


def test_damaged_sheet_xml(valid_xlsx):
    # the sheet opens (its size is read) but its rows are garbage: parsed lazily, still a clean error
    damaged = valid_xlsx.with_name("damaged.xlsx")
    with zipfile.ZipFile(valid_xlsx) as zin, zipfile.ZipFile(damaged, "w") as zout:
        names = {ws_path: title for title, ws_path in _sheet_paths(zin).items()}
        for item in zin.infolist():
            data = zin.read(item.filename)
            if names.get(item.filename) == "Nodes":
                data = data[: data.index(b"<sheetData>")] + b"<sheetData><row r='1'><c r='A1'><v>1</v></c></row><<garbage"
            zout.writestr(item, data)
    one_problem(damaged, "damaged.xlsx", None, None, "cannot read sheet 'Nodes'", "damaged")


def _sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
    wb = openpyxl.load_workbook(z.filename, read_only=True)
    try:
        return {ws.title: ws._worksheet_path for ws in wb.worksheets}
    finally:
        wb.close()


def test_password_protected_workbook(tmp_path):
    path = tmp_path / "locked.xlsx"  # encrypted .xlsx files are OLE containers, not zips
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    one_problem(path, "locked.xlsx", None, None, "password-protected")


# --- CSV folders --------------------------------------------------------------------------------


def test_valid_csv_folder(tmp_path, t):
    t["Corridors"][0]["capacity_t_per_yr"] = "1,200"
    t["Corridors"][1]["bidirectional"] = "no"
    folder = write_csv_folder(tmp_path / "csv", t)
    (folder / "notes.csv").write_bytes(b"\xff\xfe not utf-8 and not a table")  # not read at all
    inst = read_input(folder)
    assert list(inst["Corridors"]["capacity_t_per_yr"])[0] == 1200.0
    assert list(inst["Corridors"]["bidirectional"]) == [True, False]
    assert list(inst["Nodes"]["_row"]) == [2, 3, 4]


def test_csv_cell_problem_names_the_row(tmp_path, t):
    t["Mines"][0]["max_t_per_yr"] = "lots"
    folder = write_csv_folder(tmp_path / "csv", t)
    one_problem(folder, "Mines", 2, "max_t_per_yr", "expected a number", "'lots'")


def test_misspelt_csv_file_is_suggested(tmp_path, t):
    t["Corridor"] = t.pop("Corridors")
    folder = write_csv_folder(tmp_path / "csv", t)
    one_problem(folder, "Corridors", None, None, "required sheet is missing", "'Corridor'")


def test_empty_folder(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    one_problem(folder, "empty", None, None, "no table files found", "Periods.csv")


def test_folder_without_table_files(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n")
    (folder / "Nodes.txt").write_text("node,kind\n")
    one_problem(folder, "other", None, None, "no table files found")


def test_csv_not_utf8(tmp_path, t):
    folder = write_csv_folder(tmp_path / "csv", t)
    (folder / "Nodes.csv").write_bytes("node,kind,name\nMINE,mine,Saindak \xe9\n".encode("cp1252"))
    one_problem(folder, "Nodes.csv", None, None, "not UTF-8", "save the CSV as UTF-8")


def test_csv_unreadable(tmp_path, t):
    folder = write_csv_folder(tmp_path / "csv", t)
    (folder / "Nodes.csv").write_text("node,kind\n" + '"' + "x" * 200_000 + '",mine\n')  # beyond csv's field limit
    one_problem(folder, "Nodes.csv", None, None, "not a readable CSV file")


def test_empty_optional_csv_file(tmp_path, t):
    folder = write_csv_folder(tmp_path / "csv", t)
    (folder / "Upgrades.csv").write_text("")
    read_input(folder)
