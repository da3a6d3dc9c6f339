"""Every class of input error a planner can make gives one clear Problem (sheet, Excel row, column).

Checks run through `instance_from_records`, which builds RawTables exactly as the workbook reader
does: the header is row 1 and record i of a table is spreadsheet row i + 2. Each test mutates a
copy of a small valid instance (mine -> refinery -> port) and, where it can, asserts that the
mistake gives exactly one problem, so that a message is never buried under knock-on errors.
"""

from __future__ import annotations

import copy
import datetime as dt
import math

import pytest
from model_asserts import assert_one_problem

from instances import tiny
from supplyopt.errors import InputError, Problem
from supplyopt.io.memory import instance_from_records

VALID = tiny()  # Nodes MINE row 2, REF row 3, PORT row 4


@pytest.fixture
def t() -> dict:
    return copy.deepcopy(VALID)


def problems_of(tables: dict) -> list[Problem]:
    with pytest.raises(InputError) as info:
        instance_from_records(tables)
    return info.value.problems


def one_problem(tables: dict, sheet: str, row: int | None, column: str | None, *fragments: str) -> Problem:
    """The input has exactly this one problem, at this place, and its message says all fragments."""
    return assert_one_problem(problems_of(tables), sheet, row, column, *fragments)


def rename_key(records: list[dict], old: str, new: str) -> None:
    for rec in records:
        if old in rec:
            rec[new] = rec.pop(old)


def test_valid_instance_passes(t):
    inst = instance_from_records(t)
    assert list(inst["Nodes"]["_row"]) == [2, 3, 4]


# --- sheets -----------------------------------------------------------------------------------


def test_missing_required_sheet_suggests_the_misspelt_sheet(t):
    t["Corridor"] = t.pop("Corridors")
    one_problem(t, "Corridors", None, None, "required sheet is missing", "'Corridor'", "Rename it to 'Corridors'")


def test_missing_required_sheet_without_look_alike(t):
    del t["Periods"]
    p = one_problem(t, "Periods", None, None, "required sheet is missing")
    assert "Rename" not in p.message


def test_misnamed_optional_sheet_is_not_silently_ignored(t):
    # Refineries is optional: without this check every refinery row would vanish unnoticed.
    t["Refinery"] = t.pop("Refineries")
    found = problems_of(t)
    assert Problem("Refinery", None, None, "sheet name not recognised, so it would be ignored: did you mean 'Refineries'? Rename the sheet") in found


def test_planners_own_sheets_are_ignored(t):
    t["README"] = [{"text": "how to use"}]
    t["Notes"] = [{"note": "Nodes from the 2024 survey"}]  # close to 'Nodes', which is present
    t["Sources"] = [{"source": "PBS"}]
    t["Instructions"] = [{"x": 1}]  # not mistaken for the optional Disruptions table
    instance_from_records(t)


# --- columns ----------------------------------------------------------------------------------


def test_missing_required_column_suggests_the_renamed_header(t):
    rename_key(t["Corridors"], "distance_km", "distance")
    one_problem(t, "Corridors", 1, "distance_km", "required column is missing", "'distance'", "Rename that header to 'distance_km'")


def test_missing_required_column_suggests_shortened_header(t):
    rename_key(t["Mines"], "max_t_per_yr", "max")
    one_problem(t, "Mines", 1, "max_t_per_yr", "required column is missing", "'max'")


def test_renamed_optional_capacity_column_is_reported_not_dropped(t):
    # capacity_t_per_yr is optional (blank = unlimited): a renamed header would silently make
    # every corridor unlimited, so it is an error naming the header as typed.
    for rec in t["Corridors"]:
        rec["capacity"] = 5000
    one_problem(t, "Corridors", 1, "capacity", "not recognised", "did you mean 'capacity_t_per_yr'")


def test_header_with_unit_in_brackets_is_reported(t):
    t["Ports"][0]["Capacity (t/yr)"] = 5000
    one_problem(t, "Ports", 1, "Capacity (t/yr)", "did you mean 'capacity_t_per_yr'")


def test_planners_own_extra_columns_are_ignored(t):
    for rec in t["Corridors"]:
        rec["notes"] = "surveyed 2024"
        rec["name_urdu"] = "x"  # an extension of 'name', not a misspelling of it
    for rec in t["Mines"]:
        rec["period_note"] = "all years"
    instance_from_records(t)


def test_header_case_and_spaces_are_accepted(t):
    """Accepted: any case, surrounding spaces, and spaces for underscores ('Capacity T Per Yr').
    Not accepted: other punctuation or units in the header (see test_header_with_unit_in_brackets)."""
    for rec in t["Corridors"]:
        rec["Capacity T Per Yr"] = 1234
        rec[" Distance_KM "] = rec.pop("distance_km")
        rec["FROM  NODE"] = rec.pop("from_node")
    inst = instance_from_records(t)
    assert list(inst["Corridors"]["capacity_t_per_yr"]) == [1234.0, 1234.0]
    assert list(inst["Corridors"]["distance_km"]) == [100.0, 100.0]
    assert list(inst["Corridors"]["from_node"]) == ["MINE", "REF"]


def test_column_given_twice(t):
    t["Periods"][0]["Start Year"] = 2026  # normalises to start_year, already present
    one_problem(t, "Periods", 1, "start_year", "twice")


def test_empty_optional_sheet_is_the_same_as_no_sheet(t):
    t["Upgrades"] = []
    t["Modes"] = [{}]
    instance_from_records(t)


def test_empty_required_sheet_is_one_clear_problem(t):
    t["Nodes"] = []
    found = problems_of(t)
    sheet_level = [p for p in found if p.sheet == "Nodes"]
    assert sheet_level == [Problem("Nodes", 1, None, "the sheet is empty: row 1 must hold the column names (required: node, kind)")]


def test_required_value_left_blank(t):
    t["Corridors"][1]["mode"] = "  "
    one_problem(t, "Corridors", 3, "mode", "value is required")


# --- cell types -------------------------------------------------------------------------------


def test_text_in_number_column(t):
    t["Corridors"][0]["distance_km"] = "far"
    one_problem(t, "Corridors", 2, "distance_km", "expected a number", "'far'")


def test_date_in_number_column(t):
    t["Corridors"][1]["distance_km"] = dt.datetime(2026, 1, 1)
    one_problem(t, "Corridors", 3, "distance_km", "expected a number", "date")


def test_fraction_in_whole_number_column(t):
    t["Refineries"][0]["max_modules"] = 2.5
    one_problem(t, "Refineries", 2, "max_modules", "whole number", "2.5")


def test_maybe_in_yes_no_column(t):
    t["Corridors"][0]["bidirectional"] = "maybe"
    one_problem(t, "Corridors", 2, "bidirectional", "expected yes or no", "'maybe'")


def test_date_in_text_column(t):
    t["Periods"][0]["period"] = dt.date(2026, 1, 1)
    found = problems_of(t)
    assert any(p.sheet == "Periods" and p.row == 2 and p.column == "period" and "date" in p.message for p in found)


def test_excel_error_value(t):
    t["Corridors"][0]["distance_km"] = "#DIV/0!"
    one_problem(t, "Corridors", 2, "distance_km", "Excel error #DIV/0!")


def test_nan_is_a_blank_cell(t):
    # pandas and CSV readers hand blank cells over as NaN: a NaN is a blank, not a number
    t["Corridors"][0]["distance_km"] = math.nan
    one_problem(t, "Corridors", 2, "distance_km", "value is required")


def test_nan_text_is_not_a_number(t):
    t["Corridors"][0]["distance_km"] = "NaN"
    one_problem(t, "Corridors", 2, "distance_km", "expected a number")


def test_infinite_value_in_a_column_without_unlimited(t):
    t["Corridors"][0]["distance_km"] = math.inf
    one_problem(t, "Corridors", 2, "distance_km", "finite")


def test_unlimited_capacity_words(t):
    t["Corridors"][0]["capacity_t_per_yr"] = math.inf
    t["Corridors"][1]["capacity_t_per_yr"] = "Unlimited"
    inst = instance_from_records(t)
    assert list(inst["Corridors"]["capacity_t_per_yr"]) == [math.inf, math.inf]


def test_none_is_not_read_as_unlimited(t):
    # 'none' may mean zero as easily as unlimited: refuse it rather than guess
    t["Corridors"][0]["capacity_t_per_yr"] = "none"
    one_problem(t, "Corridors", 2, "capacity_t_per_yr", "expected a number", "'unlimited'")


def test_negative_capacity(t):
    t["Corridors"][1]["capacity_t_per_yr"] = -5
    one_problem(t, "Corridors", 3, "capacity_t_per_yr", "at least 0", "-5")


def test_value_above_maximum(t):
    # also: the bad yield must not make the recipe look as if it had no outputs at all
    t["RecipeOutputs"][0]["yield"] = 1.5
    one_problem(t, "RecipeOutputs", 2, "yield", "at most 1", "1.5")


def test_zero_yield_is_refused(t):
    t["RecipeOutputs"][0]["yield"] = 0
    one_problem(t, "RecipeOutputs", 2, "yield", "greater than 0")


def test_enum_typo_suggests_the_value(t):
    t["Corridors"][0]["mode"] = "raod"
    one_problem(t, "Corridors", 2, "mode", "'raod' is not one of", "did you mean 'road'")


def test_enum_any_case_is_accepted(t):
    t["Corridors"][0]["mode"] = " Road "
    t["Nodes"][0]["kind"] = "MINE"
    inst = instance_from_records(t)
    assert inst["Corridors"]["mode"][0] == "road"


def test_numbers_stored_as_text_are_accepted(t):
    t["Corridors"][0]["capacity_t_per_yr"] = "1,200"
    t["Corridors"][0]["distance_km"] = " 42 "
    t["Corridors"][1]["distance_km"] = "1 250.5"
    t["Refineries"][0]["max_modules"] = "3"
    t["Settings"][0]["value"] = "8%"
    inst = instance_from_records(t)
    assert list(inst["Corridors"]["capacity_t_per_yr"]) == [1200.0, math.inf]
    assert list(inst["Corridors"]["distance_km"]) == [42.0, 1250.5]
    assert inst["Refineries"]["max_modules"][0] == 3
    assert inst.settings["discount_rate"] == pytest.approx(0.08)


def test_ambiguous_number_text_is_refused(t):
    t["Corridors"][0]["distance_km"] = "1,20"  # European decimal comma or a typo: do not guess
    one_problem(t, "Corridors", 2, "distance_km", "expected a number", "'1,20'")


# --- references and keys ----------------------------------------------------------------------


def test_unknown_node_in_corridor_suggests_the_node(t):
    t["Corridors"][1]["to_node"] = "PROT"
    one_problem(t, "Corridors", 3, "to_node", "'PROT' is not in Nodes", "did you mean 'PORT'")


def test_unknown_commodity(t):
    t["Mines"][0]["commodity"] = "GOLD"
    one_problem(t, "Mines", 2, "commodity", "'GOLD' is not in Commodities")


def test_unknown_period(t):
    t["Markets"][0]["period"] = "P9"
    one_problem(t, "Markets", 2, "period", "'P9' is not in Periods")


def test_duplicate_key(t):
    t["Nodes"].append({"node": "REF", "kind": "hub"})
    one_problem(t, "Nodes", 5, "node", "duplicate", "node=REF", "first given in row 3")


def test_duplicate_blank_period_rows(t):
    t["Mines"].append({"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 500})
    one_problem(t, "Mines", 3, "mine", "duplicate", "period=(blank)", "first given in row 2")


def test_blank_and_explicit_period_rows_are_not_duplicates(t):
    t["Mines"].append({"mine": "MINE", "commodity": "CONC", "period": "P1", "max_t_per_yr": 500})
    instance_from_records(t)


# --- cross-column and cross-table rules --------------------------------------------------------


def test_min_above_max(t):
    t["Mines"][0]["min_t_per_yr"] = 2000
    one_problem(t, "Mines", 2, "min_t_per_yr", "minimum 2,000 is above maximum 1,000")


def test_node_role_mismatch(t):
    t["Mines"][0]["mine"] = "PORT"
    one_problem(t, "Mines", 2, "mine", "'PORT' is a port", "must be a mine node")


def test_corridor_from_equals_to(t):
    t["Corridors"][0]["to_node"] = "MINE"
    one_problem(t, "Corridors", 2, "to_node", "two different nodes")


def test_recipe_yields_above_one(t):
    t["Commodities"].append({"commodity": "SLAG"})
    t["RecipeOutputs"].append({"recipe": "SMELT", "output_commodity": "SLAG", "yield": 0.9})
    one_problem(t, "RecipeOutputs", 2, "yield", "'SMELT'", "1.15 > 1", "mass would be made from nothing")


def test_recipe_without_outputs(t):
    t["RecipeOutputs"] = []
    one_problem(t, "Recipes", 2, "recipe", "'SMELT' has no rows in RecipeOutputs")


def test_recipe_output_is_its_input(t):
    t["RecipeOutputs"][0]["output_commodity"] = "CONC"
    found = problems_of(t)
    assert any((p.sheet, p.row, p.column) == ("RecipeOutputs", 2, "output_commodity") and "own input" in p.message for p in found)


def test_periods_out_of_order(t):
    t["Periods"].append({"period": "P0", "start_year": 2020})
    one_problem(t, "Periods", 3, "start_year", "time order", "starts 2020")


def test_periods_overlapping(t):
    t["Periods"][0]["length_years"] = 5  # 2026-2030
    t["Periods"].append({"period": "P2", "start_year": 2029, "length_years": 5})
    one_problem(t, "Periods", 3, "start_year", "without overlap", "starts 2029", "runs to 2030")


def test_no_periods(t):
    t["Periods"] = [{"period": None, "start_year": None}]  # header only
    found = problems_of(t)
    assert Problem("Periods", None, None, "at least one period is needed") in found


def test_unknown_setting_value(t):
    t["Settings"].append({"name": "objective", "value": "profit"})
    one_problem(t, "Settings", 3, "value", "'objective'", "'profit' is not one of npv, cost")


def test_unknown_setting_name(t):
    t["Settings"].append({"name": "objectve", "value": "npv"})
    one_problem(t, "Settings", 3, "name", "'objectve'", "did you mean 'objective'")


def test_setting_out_of_range(t):
    t["Settings"][0]["value"] = 1.5
    one_problem(t, "Settings", 2, "value", "'discount_rate'", "at most 1")


def test_blank_corridor_cost_without_modes_row(t):
    t["Corridors"][1]["cost_usd_per_tkm"] = None
    one_problem(t, "Corridors", 3, "cost_usd_per_tkm", "blank", "no row for mode 'road'")


def test_blank_corridor_cost_with_modes_row(t):
    t["Corridors"][1]["cost_usd_per_tkm"] = None
    t["Modes"] = [{"mode": "road", "cost_usd_per_tkm": 0.05}]
    instance_from_records(t)


def test_existing_modules_above_max(t):
    t["Refineries"][0]["existing_modules"] = 3
    one_problem(t, "Refineries", 2, "existing_modules", "3 existing modules exceed max_modules 2")


def test_upgrade_of_unknown_corridor(t):
    t["Upgrades"] = [{"upgrade": "U1", "element_type": "corridor", "element": "C", "added_capacity_t_per_yr": 5}]
    one_problem(t, "Upgrades", 2, "element", "corridor 'C' is not in Corridors")


def test_capacity_factor_of_unknown_port(t):
    t["CapacityFactors"] = [
        {"element_type": "corridor", "element": "A", "factor": 0.5},
        {"element_type": "port", "element": "PORTT", "factor": 0.5},
    ]
    one_problem(t, "CapacityFactors", 3, "element", "port 'PORTT' is not in Ports", "did you mean 'PORT'")


# --- network (checked with networkx once the tables themselves are clean) ---------------------


def test_mine_with_no_path_to_a_buyer(t):
    # corridor A now runs one way only, from the refinery to the mine
    t["Corridors"][0].update(from_node="REF", to_node="MINE", bidirectional="no")
    one_problem(t, "Mines", 2, "mine", "no corridor path from 'MINE'", "CONC")


def test_isolated_port(t):
    t["Nodes"].append({"node": "GWADAR", "kind": "port"})
    one_problem(t, "Nodes", 5, "node", "port 'GWADAR' is not joined to any corridor")


def test_market_minimum_no_supply_can_reach(t):
    t["Nodes"].append({"node": "GWADAR", "kind": "port"})
    t["Nodes"].append({"node": "HUB", "kind": "hub"})
    t["Corridors"].append({"corridor": "C", "from_node": "GWADAR", "to_node": "HUB", "mode": "road", "distance_km": 5, "cost_usd_per_tkm": 0.1})
    t["Markets"].append({"node": "GWADAR", "commodity": "CU", "min_t_per_yr": 10})
    one_problem(t, "Markets", 4, "node", "minimum 10 t/yr of CU at 'GWADAR' cannot be met")


# --- all problems at once, row numbers ---------------------------------------------------------


def test_all_problems_are_reported_together(t):
    t["Corridors"][0]["mode"] = "raod"  # Corridors row 2
    t["Corridors"][1]["distance_km"] = -1  # Corridors row 3
    t["Mines"][0]["commodity"] = "GOLD"  # Mines row 2
    t["Refineries"][0]["max_modules"] = 2.5  # Refineries row 2
    t["RecipeOutputs"][0]["yield"] = 1.5  # RecipeOutputs row 2
    t["Nodes"].append({"node": "MINE", "kind": "mine"})  # Nodes row 5, duplicate
    t["Settings"].append({"name": "objective", "value": "profit"})  # Settings row 3
    t["Periods"].append({"period": "P0", "start_year": 2020})  # Periods row 3
    t["Commodities"][0] = {"name": "Copper concentrate"}  # Commodities row 2: code blank, so CONC is gone
    with pytest.raises(InputError) as info:
        instance_from_records(t)
    where = sorted((p.sheet, p.row, p.column) for p in info.value.problems)
    assert where == [
        ("Commodities", 2, "commodity"),
        ("Corridors", 2, "mode"),
        ("Corridors", 3, "distance_km"),
        ("Markets", 2, "commodity"),
        ("Mines", 2, "commodity"),
        ("Nodes", 5, "node"),
        ("Periods", 3, "start_year"),
        ("RecipeOutputs", 2, "yield"),
        ("Recipes", 2, "input_commodity"),
        ("Refineries", 2, "max_modules"),
        ("Settings", 3, "value"),
    ]
    text = str(info.value)
    assert text.startswith("11 problems in the input:")
    assert "Corridors row 3, column 'distance_km': must be at least 0" in text
    assert "Commodities row 2, column 'commodity': value is required" in text


def test_rows_are_spreadsheet_rows(t):
    t["Nodes"] += [{"node": f"H{i}", "kind": "hub"} for i in range(5)]  # rows 5..9
    t["Nodes"][7]["kind"] = "hbu"  # record 7 -> row 9
    one_problem(t, "Nodes", 9, "kind", "'hbu'", "did you mean 'hub'")


def test_blank_rows_are_skipped_without_shifting_row_numbers(t):
    t["Nodes"].insert(1, {})  # row 3: blank
    t["Nodes"].insert(2, {"node": None, "kind": "  ", "name": math.nan})  # row 4: blank
    t["Nodes"][4]["kind"] = "prot"  # PORT, now row 6
    one_problem(t, "Nodes", 6, "kind", "'prot'", "did you mean 'port'")
    t["Nodes"][4]["kind"] = "port"
    inst = instance_from_records(t)
    assert list(inst["Nodes"]["_row"]) == [2, 5, 6]
    assert list(inst["Nodes"]["node"]) == ["MINE", "REF", "PORT"]


def test_problem_text_names_sheet_row_and_column():
    p = Problem("Corridors", 7, "mode", "'raod' is not one of road, rail")
    assert str(p) == "Corridors row 7, column 'mode': 'raod' is not one of road, rail"
    assert str(Problem("Periods", None, None, "required sheet is missing")) == "Periods: required sheet is missing"
