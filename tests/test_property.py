"""Property-based tests (hypothesis): bad input never crashes supplyopt.

Valid instances (tests/instances.py, plus one with every optional table) are mutated the way
planners and their spreadsheets damage workbooks: wrong types, blanks, NaN/inf, negative or huge
numbers, numbers stored as text, dates, duplicate keys, unknown references, unicode and whitespace
in names, renamed/reordered/missing columns, missing/extra/renamed sheets, empty rows; and, in real
.xlsx files, merged cells, hidden sheets, formatted empty rows, formulas and error cells. Every run
must end in one of the clean outcomes of the CLI:

- a solved plan (Results), or a clean "no plan" (InfeasibleError, exit 3; SolverError, exit 4);
- an InputError whose problems each name a sheet, a spreadsheet row (or none, for a sheet-level
  problem) and a column (exit 2);

never another exception. Where the mutation says what must happen, that is checked too: a
definitely bad cell is reported at its own sheet/row/column, and "noise" (whitespace, case,
reordered columns, empty rows, numbers written as text, consistent renames to unicode names,
hidden or extra sheets) leaves the optimal objective unchanged.

Budget: most examples go through `instance_from_records` + build + solve (fast); fewer through real
.xlsx files and the reader; a few through the CLI in-process (CliRunner). With CI=true (the CI
profile) the examples add up to at least 2,000 (`CI_EXAMPLES`), derandomised so that CI is
repeatable; locally a tenth of that, random. Hypothesis profiles are registered here (not in a
conftest.py) and applied per test, so other test modules are unaffected. Run the CI budget locally
with `CI=true pytest tests/test_property.py -n 2 --hypothesis-show-statistics`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Border, PatternFill, Side
from typer.testing import CliRunner

import instances as I
from supplyopt.cli import app
from supplyopt.errors import InfeasibleError, InputError, Problem, SolverError
from supplyopt.inputs.coerce import MAX_MAGNITUDE, MIN_MAGNITUDE
from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input
from supplyopt.schema import TABLES_BY_NAME, Column
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.pipeline import run_solve

# ---------------------------------------------------------------------------------------------
# Profiles and budget
# ---------------------------------------------------------------------------------------------

CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
CI_EXAMPLES = {  # examples per test in the CI profile; ≥ 2,000 in total
    "records_cells": 780,
    "records_structure": 520,
    "records_names": 400,
    "records_noise": 200,
    "xlsx": 110,
    "cli": 24,
}
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("supplyopt-property-ci", deadline=None, derandomize=True, database=None, print_blob=True, suppress_health_check=_HEALTH)
settings.register_profile("supplyopt-property-dev", deadline=None, print_blob=True, suppress_health_check=_HEALTH)
_PROFILE = settings.get_profile("supplyopt-property-ci" if CI else "supplyopt-property-dev")


def budget(name: str, parts: int = 1) -> settings:
    """Settings of one test (of `parts` that share the budget `name`, e.g. one per half of the bases)."""
    n = CI_EXAMPLES[name] // parts
    return settings(_PROFILE, max_examples=n if CI else max(5, n // 10))


def test_ci_budget_is_at_least_2000_examples():
    assert sum(CI_EXAMPLES.values()) >= 2000


# ---------------------------------------------------------------------------------------------
# Base instances
# ---------------------------------------------------------------------------------------------

EXACT = SolveOptions(mip_gap=0.0, threads=1)


def every_table() -> I.Records:
    """refine_or_export with every optional table and several settings in use (two periods, a hub,
    mode defaults, upgrade, capacity factor, corridor/node risk, exposure budget, a disruption
    with CVaR, a scenario and an uncertainty)."""
    r = I.refine_or_export(discount_rate=0.05)
    r["Settings"] += [
        {"name": "disruptions", "value": "yes"},
        {"name": "cvar_weight", "value": 0.3},
        {"name": "base_year", "value": 2029},
        {"name": "max_port_share", "value": 1},
        {"name": "currency_note", "value": "USD 2024"},
    ]
    r["Periods"].append({"period": "P2", "start_year": 2031, "length_years": 2})
    r["Nodes"].append({"node": "HUB", "kind": "hub", "name": "Quetta hub", "lat": 30.2, "lon": 67.0, "region": "Balochistan"})
    r["Corridors"][1]["capacity_t_per_yr"] = 1500
    r["Corridors"] += [
        {"corridor": "M-H", "from_node": "MINE", "to_node": "HUB", "mode": "road", "distance_km": 80, "capacity_t_per_yr": 3000},
        {"corridor": "H-P", "from_node": "HUB", "to_node": "PORT", "mode": "road", "distance_km": 300},
    ]
    r["Modes"] = [{"mode": "road", "cost_usd_per_tkm": 0.06, "handling_usd_per_t": 1.5}]
    r["Upgrades"] = [
        {"upgrade": "U-RP", "element_type": "corridor", "element": "R-P", "capex_usd": 4000, "added_capacity_t_per_yr": 500, "earliest_period": "P2"}
    ]
    r["CapacityFactors"] = [{"element_type": "corridor", "element": "M-H", "period": "P1", "factor": 0.5}]
    r["CorridorRisk"] = [{"corridor": "H-P", "incident_probability": 0.001, "risk_score": 5, "security_cost_usd_per_t": 2}]
    r["NodeRisk"] = [{"node": "PORT", "incident_probability": 0.0002, "risk_score": 1, "security_cost_usd_per_t": 0.5}]
    r["RiskLimits"] = [{"period": "P2", "exposure_budget": 1e7}]
    r["Disruptions"] = [{"disruption": "RP_CLOSED", "probability": 0.1, "description": "rail line cut"}]
    r["DisruptionFactors"] = [{"disruption": "RP_CLOSED", "element_type": "corridor", "element": "R-P", "factor": 0}]
    r["Scenarios"] = [
        {
            "scenario": "CU_HIGH",
            "description": "copper +20 %",
            "table": "Markets",
            "key": "PORT | CU | ",
            "column": "price_usd_per_t",
            "operation": "scale",
            "value": "1.2",
        }
    ]
    r["Uncertainties"] = [
        {
            "parameter": "CU_PRICE",
            "table": "Markets",
            "key": "* | CU | *",
            "column": "price_usd_per_t",
            "operation": "scale",
            "distribution": "uniform",
            "low": 0.8,
            "high": 1.2,
        }
    ]
    return r


BASES = {name: fn for name, fn in I.ALL.items()}
BASES["every_table"] = every_table
BASE_NAMES = sorted(BASES)
HALVES = pytest.mark.parametrize("bases", [BASE_NAMES[0::2], BASE_NAMES[1::2]], ids=["bases-a", "bases-b"])  # two tests: xdist balances them


def base_records(name: str) -> I.Records:
    return copy.deepcopy(_base_records(name))


@functools.cache
def _base_records(name: str) -> I.Records:
    return BASES[name]()


@functools.cache
def base_outcome(name: str) -> tuple[str, float | None]:
    """('solved', objective) or ('infeasible', None) of an unmutated base instance."""
    return _outcome_key(run(base_records(name)))


# ---------------------------------------------------------------------------------------------
# Running an input and checking the outcome
# ---------------------------------------------------------------------------------------------


class Outcome:
    def __init__(self, kind: str, error: Exception | None = None, objective: float | None = None):
        self.kind = kind  # solved | input | infeasible | solver
        self.error = error
        self.objective = objective

    def __repr__(self) -> str:
        return f"Outcome({self.kind}, {self.objective}, {self.error!s:.2000})"


def _outcome_key(o: Outcome) -> tuple[str, float | None]:
    return (o.kind, o.objective)


def run(records: I.Records | None = None, path: Path | None = None, scenarios: bool = True) -> Outcome:
    """Validate (records or a file), build, solve; any exception but the clean ones propagates."""
    try:
        inst = read_input(path) if path is not None else instance_from_records(records)
    except InputError as exc:
        assert_located(exc)
        return Outcome("input", exc)
    if scenarios and len(inst["Scenarios"]):
        from supplyopt.inputs.scenarios import apply_scenario

        for name in dict.fromkeys(inst["Scenarios"]["scenario"]):
            try:
                apply_scenario(inst, name)
            except InputError as exc:
                assert_located(exc)
    try:
        solved = run_solve(inst, EXACT, with_shadow_prices=False)
    except InfeasibleError as exc:
        assert str(exc)
        return Outcome("infeasible", exc)
    except SolverError as exc:
        assert str(exc)
        return Outcome("solver", exc)
    assert solved.results is not None and solved.report.has_plan
    assert solved.results.summary["status"] in ("optimal", "feasible (not proven optimal)")
    return Outcome("solved", objective=solved.report.objective)


def assert_located(exc: InputError) -> None:
    """Every problem names a sheet; a row (≥ 1) or none for a sheet-level problem; a column or none;
    and a message. The printed form is what the CLI shows."""
    assert exc.problems, "an InputError without problems"
    for p in exc.problems:
        assert isinstance(p, Problem)
        assert isinstance(p.sheet, str) and p.sheet.strip(), p
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1), p
        assert p.column is None or isinstance(p.column, str), p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert str(p)
    assert str(exc)


def has_problem(exc: Exception | None, sheet: str, row: int | None, column: str | None) -> bool:
    return isinstance(exc, InputError) and any((p.sheet, p.row, p.column) == (sheet, row, column) for p in exc.problems)


def record_outcome(o: Outcome) -> None:
    event(f"outcome: {o.kind}")


def assert_same_as_base(o: Outcome, base: str) -> None:
    kind, objective = base_outcome(base)
    assert o.kind == kind, f"expected {kind} like the base instance, got {o}"
    if objective is not None:
        assert o.objective == pytest.approx(objective, rel=1e-7, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# Values a cell may end up holding
# ---------------------------------------------------------------------------------------------

NASTY_TEXT = [
    "", " ", "\t", "\n", "  \u00a0 ", "abc", "N/A", "none", "null", "-", "—", "?", "x", "TRUE", "yes", "No", "inf", "-inf", "nan", "NaN",
    "Infinity", "unlimited", "#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#SPILL!", "1,000", "1.000,5", " 42 ", "4.2e2", "50%", "%", "1e400",
    "-1e400", "1 000", "\u00a01000", "+5", "-5", ".5", "5.", "0x10", "1_000", "١٢٣", "１２３", "=1+1", "+1+1", "@SUM(A1)", "'123",
    "\u200b", "Ω", "👍", "ß", "İstanbul", "\u202eRTL", "a|b", " | ", "*", "Gwādar", "گوادر", "1e12", "1e13", "1e-12", "0.0000000001",
]  # fmt: skip
NASTY_NUMBERS = [
    0, -0.0, -1, 1, 0.5, 1.5, -1e-300, 1e-12, 1e-10, 1e-9, 5e-9, MIN_MAGNITUDE, MAX_MAGNITUDE, MAX_MAGNITUDE * 1.5, 1e13, 1e300, -1e300, 10**30, 10**400,
    2**63, -(2**63), 2.7e-5, math.nan, math.inf, -math.inf, 7, 2030, 1999.5,
]  # fmt: skip
NASTY_OTHER = [True, False, None, dt.date(2030, 1, 1), dt.datetime(2030, 6, 1, 12, 30), dt.time(12, 0), dt.timedelta(days=2)]

cell_values = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NASTY_NUMBERS),
    st.sampled_from(NASTY_OTHER),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)
NAME_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
names = st.one_of(
    st.text(NAME_ALPHABET, min_size=1, max_size=16),
    st.sampled_from(["  KARACHI ", "Gwādar", "گوادر", "Кветта", "港口", "👷‍♀️", '=HYPERLINK("x")', "+1", "-A", "@A", "a\u200bb", "NODE\u00a0", "inf", "yes"]),
)
# names a worksheet can store (Excel has no control characters but tab, LF and CR)
xlsx_names = names.map(lambda t: "".join(ch for ch in t if ord(ch) >= 32 or ch in "\t\n\r") or "X")


_SIMPLE_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NOT_NUMBERS = {"abc", "N/A", "x", "?", "—", "1.000,5", "0x10", "1_000", "=1+1", "@SUM(A1)", "#N/A", "#REF!", "#VALUE!", "Ω", "👍", "ß"}
_TRUE = {"yes", "y", "true", "t", "1", "x"}
_FALSE = {"no", "n", "false", "f", "0"}


def _unlimited(col: Column) -> bool:
    return isinstance(col.default, float) and math.isinf(col.default)


def _bad_number(x: float, col: Column, whole: bool) -> bool:
    if math.isnan(x):
        return False  # NaN is a blank cell
    if math.isinf(x):
        return not _unlimited(col) or x < 0
    if col.min is not None and (x < col.min or (col.min_exclusive and x <= col.min)):
        return True
    if col.max is not None and x > col.max:
        return True
    if abs(x) > MAX_MAGNITUDE or 0 < abs(x) < MIN_MAGNITUDE:
        return True
    return whole and not x.is_integer()


def _definitely_bad(value: Any, col: Column) -> bool:
    """A non-blank value that can never be a valid cell of `col` (so must be reported there)."""
    if _blank(value):
        return False
    if col.type in ("float", "int"):
        if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
            return True
        if isinstance(value, int):
            return abs(value) > 1e308 or _bad_number(float(value), col, col.type == "int")
        if isinstance(value, float):
            return _bad_number(value, col, col.type == "int")
        if isinstance(value, str) and _SIMPLE_NUMBER.match(value.strip()):
            return _bad_number(float(value.strip()), col, col.type == "int")
        return value in _NOT_NUMBERS
    if col.type == "str":
        return isinstance(value, (dt.date, dt.datetime)) and not col.enum
    if col.type == "enum":
        return str(value).strip().lower() not in {c.lower() for c in col.enum}
    if col.type == "bool":
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            return value not in (0, 1)
        return str(value).strip().lower() not in _TRUE | _FALSE
    return False


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


# ---------------------------------------------------------------------------------------------
# 1. Records: one or more cells changed
# ---------------------------------------------------------------------------------------------


@HALVES
@budget("records_cells", parts=2)
@given(data=st.data())
def test_records_cell_mutations(bases, data):
    """Cells replaced by nasty values (wrong types, blanks, NaN/inf, negative/huge/tiny numbers,
    numbers as text, dates, Excel error text, unicode). A definitely bad value in a typed column,
    or a blank in a required column of an otherwise filled row, is reported at its own cell."""
    base = data.draw(st.sampled_from(bases), label="base")
    recs = base_records(base)
    changed: set[tuple[str, int, str]] = set()
    for _ in range(data.draw(st.integers(1, 3), label="cells")):
        table = data.draw(st.sampled_from(sorted(t for t, rows in recs.items() if rows)), label="table")
        i = data.draw(st.integers(0, len(recs[table]) - 1), label="row index")
        column = data.draw(st.sampled_from(TABLES_BY_NAME[table].column_names), label="column")
        recs[table][i][column] = data.draw(cell_values, label="value")
        changed.add((table, i, column))
    expected = []
    for table, i, column in sorted(changed):
        schema, rec = TABLES_BY_NAME[table], recs[table][i]
        if table == "Settings":  # a setting's value is typed by its name: checked elsewhere
            continue
        value, col = rec[column], schema.column(column)
        others_filled = any(not _blank(v) for k, v in rec.items() if k != column and k in schema.column_names)
        if _definitely_bad(value, col) or (_blank(value) and col.required and others_filled):
            expected.append((table, i + 2, column))
    note(f"expected problems at {expected}")
    o = run(recs)
    record_outcome(o)
    for where in expected:
        assert has_problem(o.error, *where), f"no problem reported at {where}: {o}"


# ---------------------------------------------------------------------------------------------
# 2. Records: rows, columns and sheets
# ---------------------------------------------------------------------------------------------

STRUCTURE_OPS = (
    "duplicate_row",
    "delete_row",
    "empty_row",
    "delete_column",
    "rename_column",
    "extra_column",
    "delete_table",
    "empty_table",
    "extra_sheet",
    "rename_sheet",
    "unknown_reference",
)
RENAMES = [
    str.upper,
    str.title,
    lambda c: f"  {c}  ",
    lambda c: c.replace("_", " "),
    lambda c: c[: max(3, len(c) // 2)],
    lambda c: c + "_x",
    lambda c: c[:-1],
    lambda c: c + "s",
    lambda c: "",
    lambda c: "note",
]


@HALVES
@budget("records_structure", parts=2)
@given(data=st.data())
def test_records_structure_mutations(bases, data):
    """Rows duplicated, deleted or emptied; columns deleted, renamed (case, spaces, shortened,
    misspelt, blank) or added; tables deleted or emptied; extra and renamed sheets; unknown
    references. Duplicates, missing required columns/sheets and unknown references are located."""
    base = data.draw(st.sampled_from(bases), label="base")
    recs = base_records(base)
    expected: dict[str, list[tuple[str, int | None, str | None]]] = {}  # by table; a later op on it voids them
    for _ in range(data.draw(st.integers(1, 3), label="ops")):
        op = data.draw(st.sampled_from(STRUCTURE_OPS), label="op")
        tables = sorted(t for t, rows in recs.items() if any(rows) and t in TABLES_BY_NAME)
        if not tables:
            break
        table = data.draw(st.sampled_from(tables), label="table")
        schema = TABLES_BY_NAME[table]
        rows = recs[table]
        i = data.draw(st.integers(0, len(rows) - 1), label="row index")
        expect = expected[table] = []
        if op == "duplicate_row":
            rows.append(dict(rows[i]))
            if all(not _blank(rows[i].get(k)) for k in schema.key if schema.column(k).required):
                expect.append((table, len(rows) + 1, schema.key[0]))
        elif op == "delete_row":
            del rows[i]
        elif op == "empty_row":
            rows.insert(i, {k: data.draw(st.sampled_from([None, "", "  "]), label="blank") for k in rows[i]})
        elif op == "delete_column":
            column = data.draw(st.sampled_from(sorted({k for r in rows for k in r})), label="column")
            for r in rows:
                r.pop(column, None)
            if not any(rows):  # no header left: the sheet is empty
                expect += [(table, 1, None)] if schema.required else []
            elif column in schema.column_names and schema.column(column).required:
                expect.append((table, 1, column))
        elif op == "rename_column":
            column = data.draw(st.sampled_from(sorted({k for r in rows for k in r})), label="column")
            new = data.draw(st.sampled_from(RENAMES), label="rename")(column)
            note(f"{table}.{column} -> {new!r}")
            for r in rows:
                if column in r:
                    r[new] = r.pop(column)
        elif op == "extra_column":
            header = data.draw(st.sampled_from(["zz_note", "Source (planner)", "", "  ", "Notes 2024"]), label="header")
            for r in rows:
                r[header] = data.draw(cell_values, label="note")
        elif op == "delete_table":
            del recs[table]
            expect += [(table, None, None)] if schema.required else []
        elif op == "empty_table":
            recs[table] = []
            expect += [(table, 1, None)] if schema.required else []
        elif op == "extra_sheet":
            name = data.draw(st.sampled_from(["README", "Notes", "Sheet1", "Node", "Corridor", "refineries", "Marketz", "ScenarioS"]), label="sheet")
            recs.setdefault(name, [{"a": 1, "b": "x"}])
        elif op == "rename_sheet":
            new = data.draw(st.sampled_from([table.upper(), table.lower(), f" {table} ", table[:-1], table + " (2)"]), label="new sheet")
            recs[new] = recs.pop(table)
            expect += [(table, None, None)] if schema.required else []
        elif op == "unknown_reference":
            refs = [c for c in schema.columns if c.ref]
            if refs:
                col = data.draw(st.sampled_from(refs), label="ref column")
                rows[i][col.name] = "ZZ_NOT_DEFINED"
                expect.append((table, i + 2, col.name))
    flat = [where for per_table in expected.values() for where in per_table]
    note(f"expected problems at {flat}")
    o = run(recs)
    record_outcome(o)
    for where in flat:
        assert has_problem(o.error, *where), f"no problem reported at {where}: {o}"


# ---------------------------------------------------------------------------------------------
# 3. Records: names (unicode, whitespace, formula-like) renamed consistently or not
# ---------------------------------------------------------------------------------------------

NAME_KEYS = {  # table, key column: a name that other tables refer to
    "Nodes": "node",
    "Commodities": "commodity",
    "Corridors": "corridor",
    "Recipes": "recipe",
    "Periods": "period",
    "Upgrades": "upgrade",
    "Disruptions": "disruption",
}


def _rename_everywhere(recs: I.Records, old: str, new: str) -> None:
    for rows in recs.values():
        for r in rows:
            for k, v in r.items():
                if v == old:
                    r[k] = new


def _strings(recs: I.Records) -> set[str]:
    return {v.strip() for rows in recs.values() for r in rows for v in r.values() if isinstance(v, str)}


@HALVES
@budget("records_names", parts=2)
@given(data=st.data())
def test_records_name_mutations(bases, data):
    """A node/commodity/corridor/recipe/period/... name replaced everywhere by unicode, whitespace-
    padded or formula-like text: a clean rename (non-blank, no clash, no ' | ' used by scenario keys)
    solves to the same optimum; a rename in one place only gives located reference problems."""
    base = data.draw(st.sampled_from(bases), label="base")
    recs = base_records(base)
    choices = [(t, c) for t, c in NAME_KEYS.items() if recs.get(t)]
    table, column = data.draw(st.sampled_from(choices), label="name column")
    old = data.draw(st.sampled_from([r[column] for r in recs[table]]), label="old name")
    new = data.draw(names, label="new name")
    everywhere = data.draw(st.booleans(), label="everywhere")
    others = _strings(recs) - {old}
    in_scenario_keys = any(isinstance(r.get("key"), str) and old in r["key"] for t in ("Scenarios", "Uncertainties") for r in recs.get(t, []))
    if everywhere:
        _rename_everywhere(recs, old, new)
    else:
        row = next(r for r in recs[table] if r[column] == old)
        row[column] = new
    o = run(recs)
    record_outcome(o)
    clean = new.strip() and new.strip() not in others and "|" not in new and not in_scenario_keys
    if everywhere and clean:
        assert_same_as_base(o, base)
    if not new.strip():
        assert o.kind == "input"


# ---------------------------------------------------------------------------------------------
# 4. Records: noise that must not change the answer
# ---------------------------------------------------------------------------------------------

NOISE_OPS = ("pad_text", "case_header", "space_header", "reorder_columns", "empty_rows", "number_as_text", "note_column", "int_as_float")


@HALVES
@budget("records_noise", parts=2)
@given(data=st.data())
def test_records_noise_keeps_the_optimum(bases, data):
    """Whitespace around text, header case and spaces, reordered columns, empty rows, numbers
    written as text ('1,000', ' 12 ', '5e1'), ints as floats and the planner's own note columns
    leave the optimal objective exactly as for the untouched instance."""
    base = data.draw(st.sampled_from(bases), label="base")
    recs = base_records(base)
    for _ in range(data.draw(st.integers(1, 4), label="ops")):
        op = data.draw(st.sampled_from(NOISE_OPS), label="op")
        table = data.draw(st.sampled_from(sorted(t for t, rows in recs.items() if rows)), label="table")
        rows = recs[table]
        if op == "pad_text":
            pad = data.draw(st.sampled_from([" ", "  ", "\t", "\u00a0", " \n"]), label="pad")
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, str):
                        r[k] = pad + v + pad
        elif op in ("case_header", "space_header"):
            f = str.upper if op == "case_header" else (lambda c: " " + c.replace("_", " ") + " ")
            recs[table] = [{(f(k) if isinstance(k, str) else k): v for k, v in r.items()} for r in rows]
        elif op == "reorder_columns":
            order = data.draw(st.permutations(sorted({k for r in rows for k in r})), label="order")
            recs[table] = [{k: r[k] for k in order if k in r} for r in rows]
        elif op == "empty_rows":
            at = data.draw(st.integers(0, len(rows)), label="at")
            rows[at:at] = [{k: None for k in rows[0]}] * data.draw(st.integers(1, 3), label="n")
        elif op == "number_as_text":
            style = data.draw(st.sampled_from(["plain", "comma", "spaces", "exp"]), label="style")
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                        r[k] = {"plain": repr(v), "comma": f"{v:,}", "spaces": f"  {v!r} ", "exp": f"{v:e}" if float(f"{v:e}") == v else repr(v)}[style]
        elif op == "note_column":
            notes = [k for r in rows for k in r if isinstance(k, str) and k.lower().startswith("zz_note")]
            header = f"zz_note_{len(set(notes))}"  # distinct from earlier note columns, whatever their case
            for n, r in enumerate(rows):
                r[header] = data.draw(st.sampled_from(["", "checked", "=1+1", "#N/A", None, 5]), label="note") if n else "source: survey"
        elif op == "int_as_float":
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, int) and not isinstance(v, bool):
                        r[k] = float(v)
    o = run(recs)
    record_outcome(o)
    assert_same_as_base(o, base)


# ---------------------------------------------------------------------------------------------
# 5. Real .xlsx files
# ---------------------------------------------------------------------------------------------


def write_workbook(records: I.Records, path: Path) -> openpyxl.Workbook:
    """A plain workbook (one sheet per table, header in row 1) as a planner might make by hand."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, rows in records.items():
        ws = wb.create_sheet(table)
        header: list[str] = []
        for r in rows:
            header += [k for k in r if k not in header]
        for j, h in enumerate(header, start=1):
            ws.cell(1, j).value = h
        for i, r in enumerate(rows, start=2):
            for j, h in enumerate(header, start=1):
                v = r.get(h)
                if v is None:
                    continue
                cell = ws.cell(i, j)
                cell.value = v
                if isinstance(v, str):
                    cell.data_type = "s"  # literal text, even '=...'
    return wb


XLSX_OPS = (
    "merge",
    "hide_sheet",
    "extra_sheet",
    "chartsheet",
    "formatted_empty_rows",
    "far_formatted_cell",
    "number_as_text",
    "date",
    "formula",
    "error_cell",
    "bool_cell",
    "reorder_columns",
    "rename_header",
    "rename_sheet",
    "move_sheet",
    "delete_row",
    "insert_row",
    "pad_text",
    "unicode_text",
)
XLSX_NOISE = {
    "hide_sheet",
    "extra_sheet",
    "chartsheet",
    "formatted_empty_rows",
    "far_formatted_cell",
    "number_as_text",
    "reorder_columns",
    "move_sheet",
    "pad_text",
}


def _data_sheets(wb: openpyxl.Workbook) -> list:
    return [ws for ws in wb.worksheets if ws.max_row >= 2 and ws.title in TABLES_BY_NAME]


def apply_xlsx_op(wb: openpyxl.Workbook, op: str, data) -> None:
    sheets = _data_sheets(wb)
    ws = data.draw(st.sampled_from(sheets), label="sheet") if sheets else wb.worksheets[0]
    r = data.draw(st.integers(1, max(1, ws.max_row)), label="row")
    c = data.draw(st.integers(1, max(1, ws.max_column)), label="col")
    cell = ws.cell(r, c)
    fill = PatternFill("solid", start_color="FFFF00", end_color="FFFF00")
    if op == "merge":
        down = data.draw(st.booleans(), label="down")
        ws.merge_cells(start_row=r, start_column=c, end_row=r + down, end_column=c + (not down))
    elif op == "hide_sheet":
        ws.sheet_state = data.draw(st.sampled_from(["hidden", "veryHidden"]), label="state")
        if all(s.sheet_state != "visible" for s in wb.worksheets):
            wb.create_sheet("Visible")  # Excel needs one visible sheet
    elif op == "extra_sheet":
        extra = wb.create_sheet(data.draw(st.sampled_from(["Notes", "Sources", "README", "Sheet1", "Планы"]), label="title"))
        extra["A1"], extra["B3"] = "free text", 42
    elif op == "chartsheet":
        chart = BarChart()  # a chart sheet without a chart is not a valid file
        chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=max(2, ws.max_row)))
        wb.create_chartsheet(data.draw(st.sampled_from(["Chart1", "Map"]), label="title")).add_chart(chart)
    elif op == "formatted_empty_rows":
        for rr in range(ws.max_row + 1, ws.max_row + 1 + data.draw(st.integers(1, 400), label="n")):
            for cc in range(1, 4):
                ws.cell(rr, cc).fill = fill
                ws.cell(rr, cc).number_format = "0.00"
    elif op == "far_formatted_cell":
        ws.cell(data.draw(st.integers(500, 20000), label="far row"), data.draw(st.integers(1, 40), label="far col")).border = Border(left=Side(style="thin"))
    elif op == "number_as_text":
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.value = repr(cell.value)
            cell.data_type = "s"
    elif op == "date":
        cell.value = dt.datetime(2030, 1, 1)
        cell.number_format = "yyyy-mm-dd"
    elif op == "formula":
        cell.value = data.draw(st.sampled_from(["=1+1", "=A1", "=SUM(B2:B3)", "=NA()", '=HYPERLINK("http://x")']), label="formula")
    elif op == "error_cell":
        cell.value = data.draw(st.sampled_from(["#N/A", "#DIV/0!", "#REF!"]), label="error")
        cell.data_type = "e"
    elif op == "bool_cell":
        cell.value = data.draw(st.booleans(), label="bool")
    elif op == "reorder_columns":
        columns = [[ws.cell(rr, cc).value for rr in range(1, ws.max_row + 1)] for cc in range(1, ws.max_column + 1)]
        order = data.draw(st.permutations(range(len(columns))), label="order")
        for new_c, old_c in enumerate(order, start=1):
            for rr, v in enumerate(columns[old_c], start=1):
                ws.cell(rr, new_c).value = v
                if isinstance(v, str):
                    ws.cell(rr, new_c).data_type = "s"
    elif op == "rename_header":
        h = ws.cell(1, c)
        if isinstance(h.value, str):
            h.value = data.draw(st.sampled_from(RENAMES), label="rename")(h.value)
    elif op == "rename_sheet":
        ws.title = data.draw(st.sampled_from([ws.title.upper(), ws.title.lower(), ws.title[:-1], ws.title + "_old"]), label="title")
    elif op == "move_sheet":
        wb.move_sheet(ws, offset=data.draw(st.integers(-len(wb.sheetnames), len(wb.sheetnames)), label="offset"))
    elif op == "delete_row":
        ws.delete_rows(r)
    elif op == "insert_row":
        ws.insert_rows(r)
    elif op == "pad_text":
        for row in ws.iter_rows(min_row=2):
            for x in row:
                if isinstance(x.value, str):
                    x.value = f" {x.value}\u00a0"
                    x.data_type = "s"
    elif op == "unicode_text":
        cell.value = data.draw(xlsx_names, label="text")
        cell.data_type = "s"


@budget("xlsx")
@given(st.data())
def test_xlsx_mutations(data):
    """Real workbooks written by openpyxl and damaged: merged cells, hidden/very hidden sheets,
    extra sheets and chart sheets, formatted empty rows and far-away formatted cells, numbers
    stored as text, dates, formulas without cached values, error cells, reordered columns, renamed
    headers and sheets, moved sheets, inserted/deleted rows, padded and unicode text. The reader +
    build + solve ends cleanly; noise alone keeps the optimum."""
    base = data.draw(st.sampled_from(BASE_NAMES), label="base")
    ops = sorted(data.draw(st.lists(st.sampled_from(XLSX_OPS), min_size=1, max_size=4), label="ops"), key=lambda op: op == "merge")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.xlsx"
        wb = write_workbook(base_records(base), path)
        for op in ops:
            apply_xlsx_op(wb, op, data)
        wb.save(path)
        o = run(path=path)
    record_outcome(o)
    if set(ops) <= XLSX_NOISE:
        assert_same_as_base(o, base)


# ---------------------------------------------------------------------------------------------
# 6. The CLI, in-process
# ---------------------------------------------------------------------------------------------


@budget("cli")
@given(st.data())
def test_cli_mutations(data):
    """`supplyopt validate` and `supplyopt solve` on mutated workbooks: exit code 0, 2 (input), 3
    (infeasible), 4 (solver) or 5 (not proven optimal); never a traceback; input problems printed
    with their sheet; a results workbook exactly when a plan was found."""
    base = data.draw(st.sampled_from(BASE_NAMES), label="base")
    recs = base_records(base)
    for _ in range(data.draw(st.integers(0, 2), label="cells")):
        table = data.draw(st.sampled_from(sorted(t for t, rows in recs.items() if rows)), label="table")
        row = data.draw(st.sampled_from(recs[table]), label="row")
        row[data.draw(st.sampled_from(TABLES_BY_NAME[table].column_names), label="column")] = data.draw(cell_values.filter(_xlsx_storable), label="value")
    ops = sorted(data.draw(st.lists(st.sampled_from(XLSX_OPS), max_size=2), label="ops"), key=lambda op: op == "merge")
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "case.xlsx", Path(tmp) / "results" / "case_results.xlsx"
        wb = write_workbook(recs, path)
        for op in ops:
            apply_xlsx_op(wb, op, data)
        wb.save(path)
        before = path.read_bytes()
        checked = runner.invoke(app, ["validate", str(path)])
        solved = runner.invoke(app, ["solve", str(path), "-o", str(out)])
        assert path.read_bytes() == before, "the input was changed"
        for res in (checked, solved):
            assert res.exception is None or isinstance(res.exception, SystemExit), f"crash: {res.exception!r}\n{res.output}"
            assert "Traceback" not in res.output, res.output
        assert checked.exit_code in (0, 2), checked.output
        assert solved.exit_code in (0, 2, 3, 4, 5), solved.output
        if checked.exit_code == 2:
            assert solved.exit_code == 2
            assert "Input problems" in checked.stderr
        if solved.exit_code in (0, 5):
            assert out.exists(), solved.output
        elif solved.exit_code in (2, 4):
            assert not out.exists(), solved.output  # exit 3 leaves the Diagnosis workbook
        event(f"cli exit {solved.exit_code}")


def _xlsx_storable(v: Any) -> bool:
    """A value a spreadsheet cell can hold (no NaN/inf, no giant ints, no control characters)."""
    if isinstance(v, float) and not math.isfinite(v):
        return False
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2**53:
        return False
    if isinstance(v, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v):
        return False
    return not isinstance(v, dt.timedelta)
