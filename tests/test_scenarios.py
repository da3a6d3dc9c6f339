"""Scenarios and uncertain parameters: every operation, key forms, per-period copies, new rows,
settings, validation errors (sheet, row, column), re-checks of the changed instance, and
Monte-Carlo draws.

The instance is `refine_or_export` (tests/instances.py): MINE (2,000 t/yr CONC at 40 USD/t)
→ REF (open 30,000; 2 modules of 1,000 t/yr at 5,000) → PORT; CONC 90, CU 500 USD/t at PORT.
Records of table X are spreadsheet rows 2, 3, ... in order.
"""

from __future__ import annotations

import copy
import math

import pytest

from instances import refine_or_export
from supplyopt.errors import InputError, Problem
from supplyopt.inputs.scenarios import (
    apply_scenario,
    draw_sample,
    resolve_scenarios,
    sample_instance,
    scenario_description,
    scenario_names,
    uncertain_parameters,
)
from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input
from supplyopt.studies.pipeline import run_solve


def _sc(scenario, table, key, column, operation="set", value=None, description=None) -> dict:
    row = {"scenario": scenario, "table": table, "key": key, "column": column, "operation": operation, "value": value}
    if description is not None:
        row["description"] = description
    return row


def with_scenarios(*rows, uncertainties=(), records=None) -> dict:
    recs = copy.deepcopy(records or refine_or_export())
    recs["Scenarios"] = list(rows)
    if uncertainties:
        recs["Uncertainties"] = list(uncertainties)
    return recs


def build(*rows, **kw):
    return instance_from_records(with_scenarios(*rows, **kw))


def problems(*rows, **kw) -> list[Problem]:
    with pytest.raises(InputError) as info:
        build(*rows, **kw)
    return info.value.problems


def one(found: list[Problem], sheet: str, row: int, column: str | None, *fragments: str) -> Problem:
    assert len(found) == 1, "\n".join(map(str, found))
    p = found[0]
    assert (p.sheet, p.row, p.column) == (sheet, row, column), str(p)
    for f in fragments:
        assert f in p.message, f"{f!r} not in {p.message!r}"
    return p


def cell(inst, table: str, column: str, **key):
    df = inst[table]
    for k, v in key.items():
        df = df[df[k].isna()] if v is None else df[df[k] == v]
    assert len(df) == 1, df
    return df[column].iloc[0]


# ---------------------------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------------------------


def test_set_scale_add_and_base_untouched():
    inst = build(
        _sc("S", "Refineries", "REF", "max_modules", "set", 1),
        _sc("S", "Markets", "PORT | CU | ", "price_usd_per_t", "scale", "120%"),
        _sc("S", "Refineries", "REF", "open_capex_usd", "add", -5000),
        _sc("S", "Corridors", "M-R", "bidirectional", "set", "yes"),
    )
    before = {name: df.copy() for name, df in inst.tables.items()}
    s = apply_scenario(inst, "S")
    assert cell(s, "Refineries", "max_modules", site="REF") == 1
    assert cell(s, "Markets", "price_usd_per_t", commodity="CU") == pytest.approx(600.0)
    assert cell(s, "Refineries", "open_capex_usd", site="REF") == 25_000
    assert bool(cell(s, "Corridors", "bidirectional", corridor="M-R")) is True
    assert s["Refineries"]["max_modules"].dtype.kind == "i"  # types kept
    for name, df in before.items():  # the base is never changed
        assert inst[name].equals(df), name
    assert s["Scenarios"].equals(inst["Scenarios"])  # scenarios travel with the instance
    assert s.metadata["scenario"] == "S"
    assert "Markets[PORT | CU |].price_usd_per_t scale 120%" in s.metadata["scenario_overrides"]


def test_rows_apply_in_sheet_order():
    inst = build(
        _sc("SET_THEN_SCALE", "Markets", "PORT | CU |", "price_usd_per_t", "set", 100),
        _sc("SET_THEN_SCALE", "Markets", "*", "price_usd_per_t", "scale", 3),
        _sc("SCALE_THEN_SET", "Markets", "*", "price_usd_per_t", "scale", 3),
        _sc("SCALE_THEN_SET", "Markets", "PORT | CU |", "price_usd_per_t", "set", 100),
    )
    assert cell(apply_scenario(inst, "SET_THEN_SCALE"), "Markets", "price_usd_per_t", commodity="CU") == 300
    assert cell(apply_scenario(inst, "SCALE_THEN_SET"), "Markets", "price_usd_per_t", commodity="CU") == 100
    assert cell(apply_scenario(inst, "SCALE_THEN_SET"), "Markets", "price_usd_per_t", commodity="CONC") == 270


def test_star_key_changes_every_row_and_star_part_matches_any_value():
    inst = build(
        _sc("EVERY", "Markets", "*", "price_usd_per_t", "scale", 2),
        _sc("CU", "Markets", "* | CU | *", "price_usd_per_t", "add", 1),
    )
    s = apply_scenario(inst, "EVERY")
    assert sorted(s["Markets"]["price_usd_per_t"]) == [180, 1000]
    s = apply_scenario(inst, "CU")
    assert sorted(s["Markets"]["price_usd_per_t"]) == [90, 501]


def test_star_skips_blank_cells_but_a_named_row_with_a_blank_cell_is_an_error():
    # R-P has no handling_usd_per_t of its own (blank: the mode's default); M-R has 2
    s = apply_scenario(build(_sc("S", "Corridors", "*", "handling_usd_per_t", "add", 1)), "S")
    assert cell(s, "Corridors", "handling_usd_per_t", corridor="M-R") == 3
    assert math.isnan(cell(s, "Corridors", "handling_usd_per_t", corridor="R-P"))
    one(problems(_sc("S", "Corridors", "R-P", "handling_usd_per_t", "add", 1)), "Scenarios", 2, "key", "blank handling_usd_per_t", "use set")


def test_set_blank_value_gives_the_default():
    s = apply_scenario(build(_sc("S", "Markets", "PORT | CU |", "max_t_per_yr", "set", None)), "S")
    assert math.isinf(cell(s, "Markets", "max_t_per_yr", commodity="CU"))


def test_period_key_copies_the_blank_period_row_and_changes_only_that_period():
    recs = refine_or_export()
    recs["Periods"] = [{"period": "P1", "start_year": 2030}, {"period": "P2", "start_year": 2031}]
    inst = build(_sc("CU_P2", "Markets", "PORT | CU | P2", "price_usd_per_t", "scale", 2), records=recs)
    s = apply_scenario(inst, "CU_P2")
    assert cell(s, "Markets", "price_usd_per_t", commodity="CU", period=None) == 500  # every other period
    assert cell(s, "Markets", "price_usd_per_t", commodity="CU", period="P2") == 1000
    assert cell(s, "Markets", "max_t_per_yr", commodity="CU", period="P2") == math.inf  # copied
    assert len(s["Markets"]) == 3 and len(inst["Markets"]) == 2
    sales = run_solve(s).results["Sales"]
    prices = {(r["commodity"], r["period"]): r["price_usd_per_t"] for r in sales.to_dict("records")}
    assert prices[("CU", "P1")] == 500 and prices[("CU", "P2")] == 1000


def test_set_adds_a_row_to_a_table_keyed_by_period():
    inst = build(_sc("CLOSED", "CapacityFactors", "corridor | R-P | P1", "factor", "set", 0))
    assert len(inst["CapacityFactors"]) == 0
    s = apply_scenario(inst, "CLOSED")
    assert cell(s, "CapacityFactors", "factor", element="R-P") == 0.0
    r = run_solve(s).results
    # nothing reaches the port: the refinery stays shut and the mine idle
    assert r.summary["npv_usd"] == pytest.approx(0.0, abs=1e-6)
    assert r.summary["refineries_open"] == "none"


def test_settings_set_scale_add_and_a_setting_not_in_the_sheet():
    inst = build(
        _sc("RATE", "Settings", "discount_rate", "value", "add", 0.05),
        _sc("RATE2", "Settings", "discount_rate", "value", "set", "10%"),
        _sc("COST", "Settings", "objective", "value", "set", "cost"),
        _sc("ALPHA", "Settings", "cvar_alpha", "value", "scale", 0.5),  # not in the sheet: its default 0.9
        _sc("YEAR", "Settings", "base_year", "value", "set", 2029),  # not in the sheet either
    )
    assert apply_scenario(inst, "YEAR").settings["base_year"] == 2029
    assert apply_scenario(inst, "RATE").settings["discount_rate"] == pytest.approx(0.05)
    assert apply_scenario(inst, "RATE2").settings["discount_rate"] == pytest.approx(0.10)
    assert apply_scenario(inst, "COST").settings["objective"] == "cost"
    assert apply_scenario(inst, "ALPHA").settings["cvar_alpha"] == pytest.approx(0.45)
    assert inst.settings["discount_rate"] == 0.0


def test_names_descriptions_and_all():
    inst = build(
        _sc("B", "Refineries", "REF", "max_modules", "set", 1, description="One module"),
        _sc("A", "Refineries", "REF", "max_modules", "set", 0, description="No refinery"),
        _sc("B", "Refineries", "REF", "open_capex_usd", "set", 1, description="One module"),
    )
    assert scenario_names(inst) == ["B", "A"]
    assert scenario_description(inst, "B") == "One module"
    assert resolve_scenarios(inst, ["all"]) == ["base", "B", "A"]
    assert resolve_scenarios(inst, ["A", "all", "A"]) == ["A", "base", "B"]
    assert apply_scenario(inst, "base").tables["Refineries"].equals(inst["Refineries"])
    with pytest.raises(InputError) as info:
        resolve_scenarios(inst, ["b", "C"])
    msgs = [p.message for p in info.value.problems]
    assert any("no scenario named 'b'" in m and "did you mean 'B'" in m for m in msgs) and len(msgs) == 2


def test_scenarios_from_a_csv_folder(tmp_path):
    from supplyopt.io.template import write_instance_csv

    recs = with_scenarios(
        _sc("CU_HIGH", "Markets", "PORT | CU | ", "price_usd_per_t", "scale", 1.5),
        _sc("CU_HIGH", "CapacityFactors", "corridor | R-P | P1", "factor", "set", 0.5),
    )
    write_instance_csv(tmp_path / "case", recs)
    inst = read_input(tmp_path / "case")
    s = apply_scenario(inst, "CU_HIGH")
    assert cell(s, "Markets", "price_usd_per_t", commodity="CU") == 750
    assert cell(s, "CapacityFactors", "factor", element="R-P") == 0.5


# ---------------------------------------------------------------------------------------------
# Validation when reading: Problem('Scenarios', row, column, ...)
# ---------------------------------------------------------------------------------------------


def test_unknown_table():
    one(problems(_sc("S", "Market", "PORT | CU |", "price_usd_per_t", "scale", 2)), "Scenarios", 2, "table", "'Market'", "did you mean 'Markets'")


def test_unknown_column():
    one(problems(_sc("S", "Markets", "PORT | CU |", "price", "scale", 2)), "Scenarios", 2, "column", "no column 'price'")


def test_key_column_cannot_change():
    one(problems(_sc("S", "Markets", "PORT | CU |", "commodity", "set", "CONC")), "Scenarios", 2, "column", "row key")


def test_unknown_key_with_suggestion():
    found = problems(_sc("S", "Markets", "PORT | CU |", "price_usd_per_t", "scale", 2), _sc("S", "Refineries", "REFF", "max_modules", "set", 1))
    one(found, "Scenarios", 3, "key", "'REFF' is not in Nodes.node", "did you mean 'REF'")
    one(problems(_sc("S", "Markets", "PORT | CU_CATHODE |", "price_usd_per_t", "scale", 2)), "Scenarios", 2, "key", "'CU_CATHODE' is not in Commodities")
    found = problems(_sc("S", "Markets", "PORT | CU | P1", "price_usd_per_t", "set", 2), _sc("S", "Recipes", "SMELTER |", "cost_usd_per_t", "set", 1))
    one(found, "Scenarios", 3, "key", "no Recipes row has the key 'SMELTER |'", "did you mean 'SMELT | '")


def test_key_with_too_many_parts_and_key_part_not_a_period():
    one(problems(_sc("S", "Markets", "PORT | CU | P1 | x", "price_usd_per_t", "scale", 2)), "Scenarios", 2, "key", "3 parts (node | commodity | period)")
    one(problems(_sc("S", "Markets", "PORT | CU | 2031", "price_usd_per_t", "scale", 2)), "Scenarios", 2, "key", "'2031' is not in Periods.period")


def test_scale_and_add_need_a_number_and_a_number_column():
    one(problems(_sc("S", "Markets", "PORT | CU |", "price_usd_per_t", "scale", "high")), "Scenarios", 2, "value", "scale needs a number")
    one(problems(_sc("S", "Markets", "PORT | CU |", "price_usd_per_t", "add", None)), "Scenarios", 2, "value", "add needs a number")
    one(problems(_sc("S", "Corridors", "M-R", "mode", "scale", 2)), "Scenarios", 2, "operation", "scale needs a number column")


def test_set_value_must_fit_the_column():
    one(problems(_sc("S", "Markets", "PORT | CU |", "price_usd_per_t", "set", -1)), "Scenarios", 2, "value", "Markets.price_usd_per_t", "at least 0")
    one(problems(_sc("S", "Corridors", "M-R", "mode", "set", "boat")), "Scenarios", 2, "value", "'boat' is not one of")
    one(problems(_sc("S", "Refineries", "REF", "module_size_t_per_yr", "set", None)), "Scenarios", 2, "value", "is required")


def test_results_outside_bounds_or_not_whole():
    one(problems(_sc("S", "RecipeOutputs", "SMELT | CU", "yield", "scale", 4)), "Scenarios", 2, "value", "makes yield", "1.2", "at most 1")
    one(problems(_sc("S", "Refineries", "REF", "max_modules", "scale", 1.25)), "Scenarios", 2, "value", "2.5", "whole number")


def test_reserved_names():
    one(problems(_sc("all", "Refineries", "REF", "max_modules", "set", 1)), "Scenarios", 2, "scenario", "reserved")


def test_set_cannot_add_rows_to_tables_not_keyed_by_period():
    one(problems(_sc("S", "Refineries", "MINE", "max_modules", "set", 1)), "Scenarios", 2, "key", "no Refineries row has the key 'MINE'")


def test_a_new_row_needs_its_required_columns():
    one(
        problems(_sc("S", "Mines", "MINE | CU | P1", "cost_usd_per_t", "set", 5)),
        "Scenarios",
        2,
        "key",
        "adds a Mines row (MINE | CU | P1) without max_t_per_yr",
    )


def test_operation_on_settings():
    one(problems(_sc("S", "Settings", "base_year", "value", "add", 1)), "Scenarios", 2, "key", "setting base_year is blank", "use set")
    one(problems(_sc("S", "Settings", "discount", "value", "set", 0.1)), "Scenarios", 2, "key", "discount")
    one(problems(_sc("S", "Settings", "discount_rate", "rate", "set", 0.1)), "Scenarios", 2, "column", "'value'")
    one(problems(_sc("S", "Settings", "objective", "value", "scale", 2)), "Scenarios", 2, "operation", "setting objective")
    one(problems(_sc("S", "Settings", "discount_rate", "value", "set", 2)), "Scenarios", 2, "value", "at most 1")


def test_duplicate_rows_are_reported():
    found = problems(_sc("S", "Refineries", "REF", "max_modules", "set", 1), _sc("S", "Refineries", "REF", "max_modules", "set", 0))
    one(found, "Scenarios", 3, "scenario", "duplicate row")


# ---------------------------------------------------------------------------------------------
# Applying: a change that breaks the instance is an InputError naming the Scenarios row
# ---------------------------------------------------------------------------------------------


def test_change_breaking_a_cross_table_check_names_the_scenarios_row():
    inst = build(_sc("OK", "Refineries", "REF", "max_modules", "set", 1), _sc("BAD", "Mines", "MINE | CONC |", "min_t_per_yr", "set", 5000))
    apply_scenario(inst, "OK")
    with pytest.raises(InputError) as info:
        apply_scenario(inst, "BAD")
    p = one(info.value.problems, "Scenarios", 3, "value", "scenario 'BAD'", "changes Mines row 2", "above maximum")
    assert "5,000" in p.message


def test_change_breaking_the_network_is_reported_on_the_scenario():
    inst = build(_sc("NO_ROAD", "Corridors", "R-P", "to_node", "set", "MINE"))
    with pytest.raises(InputError) as info:
        apply_scenario(inst, "NO_ROAD")
    p = info.value.problems[0]
    assert (p.sheet, p.row) == ("Scenarios", 2) and "scenario 'NO_ROAD'" in p.message and "PORT" in p.message


def test_new_row_breaking_a_check_is_named_as_added():
    # CapacityFactors element must exist in Corridors: checked on the changed instance
    inst = build(_sc("S", "CapacityFactors", "corridor | NOPE | P1", "factor", "set", 0))
    with pytest.raises(InputError) as info:
        apply_scenario(inst, "S")
    one(info.value.problems, "Scenarios", 2, "key", "adds CapacityFactors row (corridor | NOPE | P1)", "'NOPE' is not in Corridors")


# ---------------------------------------------------------------------------------------------
# Uncertainties (Monte-Carlo)
# ---------------------------------------------------------------------------------------------


def _u(parameter, table, key, column, operation="scale", distribution=None, **numbers) -> dict:
    return {"parameter": parameter, "table": table, "key": key, "column": column, "operation": operation, "distribution": distribution, **numbers}


PRICE = _u("CU", "Markets", "* | CU | *", "price_usd_per_t", "scale", "uniform", low=0.5, high=1.5)


def test_draws_are_reproducible_per_seed_and_sample_and_independent_of_other_parameters():
    inst = build(uncertainties=[PRICE])
    a = [draw_sample(inst, k, seed=7)["CU"] for k in range(5)]
    assert a == [draw_sample(inst, k, seed=7)["CU"] for k in range(5)]
    assert len(set(a)) == 5 and all(0.5 <= x <= 1.5 for x in a)
    assert a != [draw_sample(inst, k, seed=8)["CU"] for k in range(5)]
    more = build(uncertainties=[_u("CAPEX", "Refineries", "*", "open_capex_usd", "scale", "normal", mode=1, sd=0.1), PRICE])
    assert a == [draw_sample(more, k, seed=7)["CU"] for k in range(5)]


def test_sample_applies_the_draw_to_every_row_of_the_parameter():
    inst = build(uncertainties=[PRICE, _u("CU", "Markets", "PORT | CONC |", "price_usd_per_t", "scale")])
    s, draws = sample_instance(inst, 3, seed=1)
    f = draws["CU"]
    assert cell(s, "Markets", "price_usd_per_t", commodity="CU") == pytest.approx(500 * f)
    assert cell(s, "Markets", "price_usd_per_t", commodity="CONC") == pytest.approx(90 * f)
    assert s.metadata["sample"] == 3 and "CU=" in s.metadata["sample_draws"]
    assert cell(inst, "Markets", "price_usd_per_t", commodity="CU") == 500


def test_distributions_and_clipping():
    inst = build(
        uncertainties=[
            _u("TRI", "Markets", "PORT | CU |", "price_usd_per_t", "set", "triangular", low=100, mode=200, high=400),
            _u("NORM", "Markets", "PORT | CONC |", "price_usd_per_t", "set", "normal", mode=90, sd=50, low=60, high=120),
            _u("CHOICE", "CapacityFactors", "corridor | R-P | P1", "factor", "set", "choice", values="0 | 1", probabilities="0.25 | 0.75"),
            _u("NEG", "Refineries", "REF", "open_capex_usd", "add", "uniform", low=-100_000, high=-50_000),
            _u("MODS", "Refineries", "REF", "max_modules", "set", "uniform", low=0, high=2.4),
        ]
    )
    seen_choice = []
    for k in range(40):
        s, d = sample_instance(inst, k, seed=0)
        assert 100 <= d["TRI"] <= 400 and 60 <= d["NORM"] <= 120 and d["CHOICE"] in (0.0, 1.0)
        seen_choice.append(d["CHOICE"])
        assert cell(s, "Refineries", "open_capex_usd", site="REF") == 0  # 30,000 − ≥ 50,000: clipped at the column's minimum
        assert cell(s, "Refineries", "max_modules", site="REF") in (0, 1, 2)  # whole modules
    assert 0 < sum(seen_choice) < 40


@pytest.mark.parametrize(
    "row, column, fragment",
    [
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t"), "distribution", "give a distribution"),
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="uniform", low=1), "high", "uniform needs low, high"),
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="triangular", low=3, mode=2, high=1), "high", "below low"),
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="triangular", low=1, mode=0, high=2), "mode", "between low"),
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="choice", values="1 | x"), "values", "'x'"),
        (_u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="choice", values="1 | 2", probabilities="0.5 | 0.6"), "probabilities", "add up to 1"),
        (
            _u("P", "Markets", "* | CU | *", "price_usd_per_t", distribution="choice", values="1 | 2", probabilities="1"),
            "probabilities",
            "1 probabilities for 2",
        ),
        (_u("P", "Markets", "* | CU | *", "mode", distribution="uniform", low=1, high=2), "column", "no column 'mode'"),
        (_u("P", "Nodes", "MINE", "kind", "set", "uniform", low=1, high=2), "column", "draws are numbers"),
    ],
)
def test_uncertainty_errors(row, column, fragment):
    one(problems(uncertainties=[row]), "Uncertainties", 2, column, fragment)


def test_later_rows_of_a_parameter_must_not_contradict_the_first():
    found = problems(uncertainties=[PRICE, _u("CU", "Markets", "PORT | CONC |", "price_usd_per_t", "scale", "normal")])
    one(found, "Uncertainties", 3, "distribution", "differs from its first row (2)")


def test_no_parameters():
    inst = build()
    assert uncertain_parameters(inst) == []
    with pytest.raises(InputError, match="no uncertain parameters"):
        sample_instance(inst, 0, 0)
