"""Template drop-downs that grow with the data, on Upgrades.element and the Scenarios table and
column, a README that agrees with the Scenarios sheet, and files written with the user's umask
(issue 16 item 7)."""

from __future__ import annotations

import os
import stat

import openpyxl
import pytest

import instances as I
from supplyopt.io.template import write_instance_csv, write_template
from supplyopt.schema import TABLES_BY_NAME

LAST_ROW = 1_048_576  # Excel's last row


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    return openpyxl.load_workbook(write_template(tmp_path_factory.mktemp("t") / "template.xlsx"))


def validations(ws) -> dict[str, object]:
    """Column letter -> its data validation (each column has at most one)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = (rng, dv)
    return out


def test_dropdowns_cover_every_row_not_just_2000(blank):
    for name in ("Corridors", "Upgrades", "Scenarios", "CapacityFactors"):
        for letter, (rng, dv) in validations(blank[name]).items():
            assert rng == f"{letter}2:{letter}{LAST_ROW}", (name, rng)
            fixed_list = (dv.formula1 or "").startswith("Lists!")  # a fixed list (e.g. table names), not a sheet's codes
            if dv.type == "list" and "!" in (dv.formula1 or "") and not dv.formula1.startswith("INDIRECT") and not fixed_list:
                assert dv.formula1.endswith(f"${LAST_ROW}"), (name, dv.formula1)  # the codes of every row


def test_element_dropdown_follows_its_element_type(blank):
    ws = blank["Upgrades"]
    header = [c.value for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index("element") + 1)
    type_letter = openpyxl.utils.get_column_letter(header.index("element_type") + 1)
    _, dv = validations(ws)[letter]
    assert dv.type == "list" and dv.formula1 == f'INDIRECT("codes_"&${type_letter}2)'
    names = blank.defined_names
    assert names["codes_corridor"].attr_text == f"Corridors!$A$2:$A${LAST_ROW}"
    assert names["codes_port"].attr_text == f"Ports!$A$2:$A${LAST_ROW}"
    assert TABLES_BY_NAME["Corridors"].column_names[0] == "corridor" and TABLES_BY_NAME["Ports"].column_names[0] == "port"


def test_scenarios_table_and_column_have_dropdowns(blank):
    ws = blank["Scenarios"]
    header = [c.value for c in ws[1]]
    v = validations(ws)
    table_letter = openpyxl.utils.get_column_letter(header.index("table") + 1)
    column_letter = openpyxl.utils.get_column_letter(header.index("column") + 1)
    table_list = v[table_letter][1]
    assert table_list.type == "list"
    if table_list.formula1.startswith("Lists!"):  # too long to spell out inline: the hidden Lists sheet
        ref = table_list.formula1.split("!")[1].replace("$", "")
        assert "Corridors" in [c.value for row in blank["Lists"][ref] for c in row]
    else:
        assert "Corridors" in table_list.formula1
    assert v[column_letter][1].formula1 == f'INDIRECT("columns_"&${table_letter}2)'
    corridors = TABLES_BY_NAME["Corridors"]
    last = openpyxl.utils.get_column_letter(len(corridors.column_names))
    assert blank.defined_names["columns_Corridors"].attr_text == f"Corridors!$A$1:${last}$1"  # its header row
    assert [c.value for c in blank["Corridors"][1]][: len(corridors.column_names)] == list(corridors.column_names)


def test_readme_agrees_with_the_scenarios_sheet(blank):
    text = " ".join(str(c.value) for row in blank["README"].iter_rows() for c in row if c.value)
    assert "copy the workbook" not in text
    assert "Scenarios sheet" in text and "--scenario NAME" in text


def test_files_are_written_with_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_template(tmp_path / "t.xlsx", I.tiny())
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # colleagues on a shared folder can read it
        for p in write_instance_csv(tmp_path / "csv", I.tiny()):
            assert stat.S_IMODE(p.stat().st_mode) == 0o644, p
        os.umask(0o027)
        path2 = write_template(tmp_path / "t2.xlsx", I.tiny())
        assert stat.S_IMODE(path2.stat().st_mode) == 0o640
        os.chmod(path, 0o664)  # overwriting keeps the file's own permissions
        write_template(path, I.tiny(), overwrite=True)
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
    finally:
        os.umask(old)
