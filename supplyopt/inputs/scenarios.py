"""Scenarios and uncertain parameters: named changes to an Instance that give a new Instance.

The `Scenarios` sheet holds only the changes from the base. Each row names a scenario, a table, a
row key, a column, an operation and a value:

- key: the table's key columns joined with ' | ' in key order ('REKO_DIQ | CU_CONC | 2030'; a
  blank period is written empty, 'REKO_DIQ | CU_CONC | '), the setting name for Settings. '*'
  alone matches every row; '*' as one part matches any value there ('* | CU_CATHODE | *').
- operation: `set` (the cell becomes the value, read like a cell of that column), `scale` (the
  cell times the value) or `add` (the cell plus the value). A scenario's rows apply in sheet order.
- per-period tables: a key naming a period that has no row of its own changes a copy of the
  blank-period row (blank period = every period, an explicit row overrides it); `set` may add a
  row to a table keyed by period (CapacityFactors, Markets, ...) and to Settings.

`apply_scenario(inst, name)` returns a new Instance (`Instance.replace`); the base is never changed
and keeps its Scenarios and Uncertainties tables, so scenarios travel with the Instance. The
result is checked again (`check_tables`, `check_network`): a change that breaks the instance is
an InputError naming the Scenarios row that made it. `check_scenarios(frames)` validates the
sheets themselves when the input is read (unknown table, key or column; a value that does not
fit; scale/add without a number; results out of a column's bounds), each problem with its row.

The `Uncertainties` sheet declares parameters for Monte-Carlo sweeps: each parameter has a
distribution and one or more rows saying where its draw goes (table, key, column, operation, as
above). `sample_instance(inst, sample, seed)` draws every parameter with a numpy Generator seeded
by (seed, sample, parameter name) and applies the draws, so one sample is the same whichever
process draws it and whatever other parameters exist.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from supplyopt.errors import InputError, Problem, suggest
from supplyopt.inputs.coerce import ROW_COLUMN, CellError, coerce_cell, is_blank, normalise_header, to_frame
from supplyopt.schema import DISTRIBUTIONS, SETTINGS_BY_NAME, TABLES_BY_NAME, Column, Table

BASE = "base"
ALL = "all"
STAR = "*"
KEY_SEP = "|"
SCENARIOS = "Scenarios"
UNCERTAINTIES = "Uncertainties"
_RESERVED = (BASE, ALL)
_NUMBER = Column("value", "float", "a number")

__all__ = [
    "BASE",
    "ALL",
    "Override",
    "Parameter",
    "scenario_names",
    "scenario_description",
    "scenario_overrides",
    "describe_overrides",
    "resolve_scenarios",
    "apply_scenario",
    "apply_overrides",
    "check_scenarios",
    "uncertain_parameters",
    "draw_sample",
    "sample_instance",
]


@dataclass(frozen=True)
class Override:
    """One change: `operation` with `value` on `column` of the rows of `table` matching `key`."""

    table: str
    key: str | None
    column: str
    operation: str = "set"
    value: Any = None
    sheet: str = SCENARIOS  # where the change was written, for messages
    row: int | None = None
    label: str = ""  # scenario or parameter name
    clip: bool = False  # clip results to the column's bounds (Monte-Carlo draws) instead of refusing

    def describe(self) -> str:
        value = "(blank)" if is_blank(self.value) else (f"{self.value:g}" if isinstance(self.value, float) else str(self.value))
        return f"{self.table}[{self.key or ''}].{self.column} {self.operation} {value}"


# ---------------------------------------------------------------------------------------------
# Scenario names and rows
# ---------------------------------------------------------------------------------------------


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return df.sort_values(ROW_COLUMN, kind="stable").to_dict("records") if len(df) else []


def scenario_names(inst) -> list[str]:
    """Scenario names in the order they first appear in the Scenarios sheet."""
    names: list[str] = []
    for rec in _records(inst.tables.get(SCENARIOS, pd.DataFrame())):
        if rec["scenario"] is not None and rec["scenario"] not in names:
            names.append(rec["scenario"])
    return names


def scenario_description(inst, name: str) -> str:
    """The scenario's description: its rows' descriptions, each once, joined by '; '."""
    parts: list[str] = []
    for rec in _records(inst.tables.get(SCENARIOS, pd.DataFrame())):
        if rec["scenario"] == name and rec["description"] and rec["description"] not in parts:
            parts.append(rec["description"])
    return "; ".join(parts)


def scenario_overrides(inst, name: str) -> list[Override]:
    """The scenario's changes in sheet order (InputError when no scenario has the name)."""
    _require_known(inst, [name])
    return [_override(rec, SCENARIOS, rec["scenario"]) for rec in _records(inst[SCENARIOS]) if rec["scenario"] == name]


def _override(rec: Mapping[str, Any], sheet: str, label: str, value: Any = None, clip: bool = False) -> Override:
    return Override(
        table=rec["table"],
        key=rec["key"],
        column=rec["column"],
        operation=rec["operation"] or "set",
        value=rec.get("value") if value is None else value,
        sheet=sheet,
        row=rec[ROW_COLUMN],
        label=label,
        clip=clip,
    )


def describe_overrides(overrides: Iterable[Override]) -> str:
    """One line for a results Summary: 'Markets[* | CU | *].price_usd_per_t scale 1.2; ...'."""
    return "; ".join(o.describe() for o in overrides)


def resolve_scenarios(inst, names: Iterable[str]) -> list[str]:
    """Names as asked, 'all' expanded to the base and every scenario, each once, in order.

    Raises InputError naming every unknown scenario (with the closest name)."""
    out: list[str] = []
    for name in names:
        for n in [BASE, *scenario_names(inst)] if name.strip().lower() == ALL else [name.strip()]:
            if n not in out:
                out.append(n)
    _require_known(inst, out)
    return out


def _require_known(inst, names: Iterable[str]) -> None:
    known = scenario_names(inst)
    problems = [
        Problem(SCENARIOS, None, "scenario", f"no scenario named '{n}'{suggest(n, known) or (' (the input has none)' if not known else '')}")
        for n in names
        if n != BASE and n not in known
    ]
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------------------------------------
# Applying changes
# ---------------------------------------------------------------------------------------------


def apply_scenario(inst, name: str):
    """A new Instance with the scenario's changes (the base itself for 'base').

    The new instance's metadata records `scenario`, `scenario_description` and
    `scenario_overrides`. Raises InputError, naming Scenarios rows, when a change does not
    apply or leaves an invalid instance."""
    if name == BASE and BASE not in scenario_names(inst):
        return inst.replace(scenario=BASE, scenario_description="", scenario_overrides="")
    overrides = scenario_overrides(inst, name)
    return apply_overrides(
        inst, overrides, scenario=name, scenario_description=scenario_description(inst, name), scenario_overrides=describe_overrides(overrides)
    )


def apply_overrides(inst, overrides: list[Override], **meta: Any):
    """A new Instance with `overrides` applied in order, re-checked; `meta` goes to its metadata."""
    from supplyopt.inputs.instance import check_tables, parse_settings
    from supplyopt.inputs.network import check_network

    changed, problems, touched = _apply(inst.tables, overrides)
    if problems:
        raise InputError(problems)
    settings = dict(inst.settings)
    merged = {**inst.tables, **changed}
    found: list[Problem] = []
    if "Settings" in changed:
        settings, setting_problems = parse_settings(changed["Settings"])
        found += setting_problems
    found += check_tables(merged)
    new = inst.replace(tables=changed, settings=settings, **meta)
    if not found:
        found += check_network(new)
    if found:
        raise InputError([_blame(p, touched, overrides) for p in found])
    return new


@dataclass
class _Touch:
    override: Override
    created: bool = False
    key_text: str = ""


@dataclass
class _Work:
    """Records of the tables being changed (copied on first change)."""

    base: Mapping[str, pd.DataFrame]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    next_row: dict[str, int] = field(default_factory=dict)

    def recs(self, table: str) -> list[dict[str, Any]]:
        if table not in self.records:
            self.records[table] = _records(self.base[table])
            self.next_row[table] = max((r[ROW_COLUMN] for r in self.records[table]), default=1) + 1
        return self.records[table]

    def add(self, table: str, rec: dict[str, Any]) -> dict[str, Any]:
        recs = self.recs(table)
        rec[ROW_COLUMN] = self.next_row[table]
        self.next_row[table] += 1
        recs.append(rec)
        return rec


def _apply(tables: Mapping[str, pd.DataFrame], overrides: list[Override]) -> tuple[dict[str, pd.DataFrame], list[Problem], dict[tuple[str, int], _Touch]]:
    """(changed tables, problems, which override touched which (table, row))."""
    work = _Work(tables)
    problems: list[Problem] = []
    touched: dict[tuple[str, int], _Touch] = {}
    for ov in overrides:
        problems += _apply_one(work, ov, touched)
    for (table, row), t in touched.items():
        if not t.created:
            continue
        rec = next(r for r in work.recs(table) if r[ROW_COLUMN] == row)
        for col in TABLES_BY_NAME[table].columns:
            if col.required and is_blank(rec.get(col.name)):
                problems.append(_at(t.override, "key", f"adds a {table} row ({t.key_text}) without {col.name}: add a row that sets it"))
    changed = {name: to_frame(recs, TABLES_BY_NAME[name]) for name, recs in work.records.items()}
    return changed, problems, touched


def _at(ov: Override, column: str | None, message: str) -> Problem:
    who = "scenario" if ov.sheet == SCENARIOS else "parameter"
    return Problem(ov.sheet, ov.row, column, f"{who} '{ov.label}': {message}" if ov.label else message)


def _table_of(ov: Override) -> Table | None:
    t = TABLES_BY_NAME.get(ov.table)
    return t if t is not None and ov.table not in (SCENARIOS, UNCERTAINTIES) else None


def _target_column(ov: Override, table: Table) -> tuple[Column | None, str | None]:
    """(column, problem message) of the override's column."""
    name = normalise_header(ov.column)
    if table.name == "Settings":
        if name != "value":
            return None, f"the changed column of a setting is 'value', not '{ov.column}'"
        return table.column("value"), None
    if name not in table.column_names:
        return None, f"{table.name} has no column '{ov.column}'{suggest(name, table.column_names)}"
    if name in table.key:
        return None, f"'{name}' is part of the row key of {table.name} and cannot be changed by a scenario"
    return table.column(name), None


def _setting_column(name: str) -> Column:
    s = SETTINGS_BY_NAME[name]
    return Column(s.name, s.type, s.doc, required=False, min=s.min, max=s.max, enum=s.enum)


def parse_key(table: Table, key: Any, frames: Mapping[str, pd.DataFrame] | None = None) -> tuple[list[Any] | None, str | None]:
    """(key parts, each a value, None for blank or STAR; problem message) of a key cell."""
    names = table.key
    text = "" if is_blank(key) else str(key).strip()
    if text == STAR:
        return [STAR] * len(names), None
    raw = [p.strip() for p in text.split(KEY_SEP)] if text else [""]
    if len(raw) > len(names) or any(table.column(n).required for n in names[len(raw) :]):
        return None, f"the key of {table.name} has {len(names)} part{'s' if len(names) > 1 else ''} ({' | '.join(names)}), got '{text}'"
    raw += [""] * (len(names) - len(raw))
    parts: list[Any] = []
    for name, part in zip(names, raw):
        col = table.column(name)
        if part == STAR:
            parts.append(STAR)
            continue
        if part == "":
            if col.required:
                return None, f"the key part {name} is blank; write the key as {' | '.join(names)}"
            parts.append(None)
            continue
        try:
            value = coerce_cell(part, col)
        except CellError as exc:
            return None, f"key part {name}: {exc}"
        if frames is not None and col.ref:
            valid = set(frames[col.ref[0]][col.ref[1]].dropna())
            if value not in valid:
                return None, f"key part {name}: '{value}' is not in {col.ref[0]}.{col.ref[1]}{suggest(value, valid)}"
        parts.append(value)
    return parts, None


def format_key(table: Table, rec: Mapping[str, Any]) -> str:
    return " | ".join("" if is_blank(rec[k]) else str(rec[k]) for k in table.key)


def _matches(rec: Mapping[str, Any], names: tuple[str, ...], parts: list[Any]) -> bool:
    for n, p in zip(names, parts):
        if p == STAR:
            continue
        v = rec[n]
        if (None if is_blank(v) else v) != p:
            return False
    return True


def _apply_one(work: _Work, ov: Override, touched: dict[tuple[str, int], _Touch]) -> list[Problem]:
    table = _table_of(ov)
    if table is None:
        names = [n for n in TABLES_BY_NAME if n not in (SCENARIOS, UNCERTAINTIES)]
        return [_at(ov, "table", f"unknown table '{ov.table}'{suggest(ov.table, names)}")]
    col, why = _target_column(ov, table)
    if col is None:
        return [_at(ov, "column", why or "")]
    op = (ov.operation or "set").lower()
    if op not in ("set", "scale", "add"):
        return [_at(ov, "operation", f"unknown operation '{ov.operation}' (set, scale or add)")]
    parts, why = parse_key(table, ov.key, work.base)
    if parts is None:
        return [_at(ov, "key", why or "")]
    if table.name == "Settings" and STAR in parts:
        return [_at(ov, "key", "name one setting: '*' does not apply to Settings")]
    if table.name == "Settings":
        col = _setting_column(parts[0])
    amount: Any = None
    if ov.clip and col.type not in ("float", "int"):
        return [_at(ov, "column", f"draws are numbers; {_col_name(table, col)} holds {_kind(col)}")]
    if op in ("scale", "add"):
        if col.type not in ("float", "int"):
            return [_at(ov, "operation", f"{op} needs a number column; {_col_name(table, col)} holds {_kind(col)}")]
        if is_blank(ov.value):
            return [_at(ov, "value", f"{op} needs a number")]
        try:
            amount = coerce_cell(ov.value, _NUMBER)
        except CellError as exc:
            return [_at(ov, "value", f"{op} needs a number: {exc}")]
    else:
        if is_blank(ov.value):
            if col.required:
                return [_at(ov, "value", f"{_col_name(table, col)} is required: give a value")]
            amount = col.default
        elif ov.clip:
            amount = ov.value
        else:
            try:
                amount = coerce_cell(ov.value, col)
            except CellError as exc:
                return [_at(ov, "value", f"{_col_name(table, col)}: {exc}")]

    recs = work.recs(table.name)
    names = table.key
    matched = [r for r in recs if _matches(r, names, parts)]
    matched = _with_period_copies(work, table, parts, matched)
    key_text = str(ov.key or "").strip()
    if not matched:
        if table.name == "Settings":  # a setting not in the sheet has its default: add its row
            rec = work.add(table.name, {"name": parts[0], "value": None})
            touched[(table.name, rec[ROW_COLUMN])] = _Touch(ov, created=True, key_text=key_text)
            matched = [rec]
        elif op == "set" and STAR not in parts and "period" in names:
            rec = {c.name: c.default for c in table.columns}
            rec.update(zip(names, parts))
            rec = work.add(table.name, rec)
            touched[(table.name, rec[ROW_COLUMN])] = _Touch(ov, created=True, key_text=key_text)
            matched = [rec]
        else:
            existing = [format_key(table, r) for r in recs]
            hint = suggest(key_text, existing) or (f" ({table.name} has no rows)" if not existing else "")
            return [_at(ov, "key", f"no {table.name} row has the key '{key_text}'{hint}")]
    problems: list[Problem] = []
    for rec in matched:
        problems += _change(rec, table, col, op, amount, ov, skip_blank=STAR in parts)
        touched.setdefault((table.name, rec[ROW_COLUMN]), _Touch(ov, key_text=format_key(table, rec)))
    return problems


def _with_period_copies(work: _Work, table: Table, parts: list[Any], matched: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add, for a key naming a period, copies of matching blank-period rows that period lacks."""
    names = table.key
    if "period" not in names:
        return matched
    i = names.index("period")
    period = parts[i]
    if period in (None, STAR):
        return matched
    others = [n for n in names if n != "period"]
    have = {tuple(r[n] for n in others) for r in matched}
    templates = [r for r in work.recs(table.name) if is_blank(r["period"]) and _matches(r, names, parts[:i] + [STAR] + parts[i + 1 :])]
    out = list(matched)
    for t in templates:
        if tuple(t[n] for n in others) in have:
            continue
        copy = dict(t)
        copy["period"] = period
        out.append(work.add(table.name, copy))
    return out


def _col_name(table: Table, col: Column) -> str:
    return f"setting {col.name}" if table.name == "Settings" else f"{table.name}.{col.name}"


def _kind(col: Column) -> str:
    return {"str": "text", "enum": "a choice", "bool": "yes/no"}.get(col.type, "a number")


def _change(rec: dict[str, Any], table: Table, col: Column, op: str, amount: Any, ov: Override, skip_blank: bool) -> list[Problem]:
    field_name = "value" if table.name == "Settings" else col.name
    where = f"setting {col.name}" if table.name == "Settings" else f"{table.name} row {rec[ROW_COLUMN]} ({format_key(table, rec)})"
    if op == "set":
        new = amount
        if ov.clip and not is_blank(new):
            new = _clip(float(new), col)
        rec[field_name] = new
        return []
    current = rec[field_name]
    if table.name == "Settings" and not is_blank(current):
        try:
            current = coerce_cell(current, col)
        except CellError:
            current = None  # parse_settings reports the bad base cell
    if table.name == "Settings" and is_blank(current):
        current = SETTINGS_BY_NAME[col.name].default
    if is_blank(current):
        if skip_blank:
            return []
        what = f"{where} is blank" if table.name == "Settings" else f"{where} has a blank {col.name}"
        return [_at(ov, "key", f"{what}: nothing to {op}; use set")]
    current = float(current)
    if op == "scale":
        new = 0.0 if amount == 0 else current * amount
    else:
        new = current + amount
    if ov.clip:
        rec[field_name] = _clip(new, col)
        return []
    try:
        value = coerce_cell(float(new), col)
    except CellError as exc:
        return [_at(ov, "value", f"{op} {amount:g} makes {col.name} of {where} {new:g}: {exc}")]
    if col.type == "int" and not float(new).is_integer():
        return [_at(ov, "value", f"{op} {amount:g} makes {col.name} of {where} {new:g}, not a whole number")]
    rec[field_name] = value
    return []


def _clip(x: float, col: Column) -> float | int:
    if col.min is not None:
        x = max(x, col.min)
    if col.max is not None:
        x = min(x, col.max)
    return int(round(x)) if col.type == "int" else x


def _blame(p: Problem, touched: dict[tuple[str, int], _Touch], overrides: list[Override]) -> Problem:
    """A problem of the changed instance, told against the Scenarios/Uncertainties row behind it."""
    t = touched.get((p.sheet, p.row)) if p.row is not None else None
    if t is not None:
        ov = t.override
        what = f"adds {p.sheet} row ({t.key_text})" if t.created else f"changes {p.sheet} row {p.row} ({t.key_text})"
        col = "value" if p.column and normalise_header(ov.column) == p.column else "key"
        return _at(ov, col, f"{what}: {p.column + ': ' if p.column else ''}{p.message}")
    first = overrides[0] if overrides else Override("", None, "")
    return _at(first, None, f"the changed input has a problem: {p}")


# ---------------------------------------------------------------------------------------------
# Validation of the sheets (when the input is read)
# ---------------------------------------------------------------------------------------------


def check_scenarios(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Problems of the Scenarios and Uncertainties sheets against the base tables: unknown
    table, key or column; values that do not fit the column; scale/add without a number;
    results outside a column's bounds; distributions without their numbers."""
    problems: list[Problem] = []
    scen = frames.get(SCENARIOS)
    if scen is not None and len(scen):
        by_name: dict[str, list[Override]] = {}
        for rec in _records(scen):
            name = rec["scenario"]
            if name is None or rec["table"] is None or rec["column"] is None:
                continue  # required cells: already reported
            if name.strip().lower() in _RESERVED:
                problems.append(Problem(SCENARIOS, rec[ROW_COLUMN], "scenario", f"'{name}' is a reserved name (base = no changes, all = every scenario)"))
                continue
            by_name.setdefault(name, []).append(_override(rec, SCENARIOS, name))
        for overrides in by_name.values():
            problems += _apply(frames, overrides)[1]
    unc = frames.get(UNCERTAINTIES)
    if unc is not None and len(unc):
        params, param_problems = _parameters(unc)
        problems += param_problems
        for prm in params:
            trial = prm.trial_value()
            problems += _apply(frames, [dataclasses.replace(o, value=trial) for o in prm.overrides])[1]
    return problems


# ---------------------------------------------------------------------------------------------
# Uncertain parameters (Monte-Carlo)
# ---------------------------------------------------------------------------------------------

_DIST_FIELDS = ("low", "mode", "high", "sd", "values", "probabilities")


@dataclass(frozen=True)
class Parameter:
    """An uncertain parameter: a distribution, and where each draw goes."""

    name: str
    description: str
    distribution: str
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    sd: float | None = None
    values: tuple[float, ...] = ()
    probabilities: tuple[float, ...] = ()
    overrides: tuple[Override, ...] = ()

    def draw(self, rng: np.random.Generator) -> float:
        if self.distribution == "uniform":
            return float(rng.uniform(self.low, self.high))
        if self.distribution == "triangular":
            if self.low == self.high:
                return float(self.low)
            return float(rng.triangular(self.low, self.mode, self.high))
        if self.distribution == "normal":
            x = float(rng.normal(self.mode, self.sd))
            if self.low is not None:
                x = max(x, self.low)
            if self.high is not None:
                x = min(x, self.high)
            return x
        probs = np.array(self.probabilities, dtype=float) if self.probabilities else None
        if probs is not None:
            probs = probs / probs.sum()
        return float(self.values[int(rng.choice(len(self.values), p=probs))])

    def trial_value(self) -> float:
        """A representative value (to validate where the draws go)."""
        if self.distribution == "choice":
            return self.values[0]
        if self.distribution == "normal" or self.distribution == "triangular":
            return float(self.mode)
        return float(self.low)


def _split_numbers(text: Any) -> tuple[list[float] | None, str | None]:
    if is_blank(text):
        return [], None
    out = []
    for part in str(text).split(KEY_SEP):
        try:
            out.append(coerce_cell(part.strip(), _NUMBER))
        except CellError as exc:
            return None, f"'{part.strip()}': {exc}"
    return out, None


def _parameters(df: pd.DataFrame) -> tuple[list[Parameter], list[Problem]]:
    problems: list[Problem] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in _records(df):
        if rec["parameter"] is not None and rec["table"] is not None and rec["column"] is not None:
            groups.setdefault(rec["parameter"], []).append(rec)
    params: list[Parameter] = []
    for name, recs in groups.items():
        first = recs[0]
        row = first[ROW_COLUMN]
        at = lambda col, msg, row=row, name=name: Problem(UNCERTAINTIES, row, col, f"parameter '{name}': {msg}")  # noqa: B023
        dist = first["distribution"]
        bad = False
        if dist is None:
            problems.append(at("distribution", f"give a distribution ({', '.join(DISTRIBUTIONS)}) on the parameter's first row"))
            continue
        for rec in recs[1:]:
            for f in ("distribution", *_DIST_FIELDS):
                v = rec[f]
                if not is_blank(v) and not (v == first[f] or (isinstance(v, float) and isinstance(first[f], float) and math.isclose(v, first[f]))):
                    problems.append(
                        Problem(UNCERTAINTIES, rec[ROW_COLUMN], f, f"parameter '{name}': differs from its first row ({row}); leave it blank or repeat it")
                    )
                    bad = True
        num = {f: (None if is_blank(first[f]) else float(first[f])) for f in ("low", "mode", "high", "sd")}
        values, why = _split_numbers(first["values"])
        if values is None:
            problems.append(at("values", why))
            continue
        probs, why = _split_numbers(first["probabilities"])
        if probs is None:
            problems.append(at("probabilities", why))
            continue
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mode", "sd"), "choice": ()}[dist]
        missing = [f for f in need if num[f] is None]
        if missing:
            problems.append(at(missing[0], f"{dist} needs {', '.join(need)}"))
            continue
        lo, mode, hi = num["low"], num["mode"], num["high"]
        if dist in ("uniform", "triangular", "normal") and lo is not None and hi is not None and lo > hi:
            problems.append(at("high", f"high {hi:g} is below low {lo:g}"))
            continue
        if dist == "triangular" and not (lo <= mode <= hi):
            problems.append(at("mode", f"mode {mode:g} must lie between low {lo:g} and high {hi:g}"))
            continue
        if dist == "choice":
            if not values:
                problems.append(at("values", "choice needs values, e.g. '0 | 1'"))
                continue
            if probs and len(probs) != len(values):
                problems.append(at("probabilities", f"{len(probs)} probabilities for {len(values)} values"))
                continue
            if probs and (min(probs) < 0 or not math.isclose(sum(probs), 1.0, abs_tol=1e-6)):
                problems.append(at("probabilities", f"probabilities must be ≥ 0 and add up to 1 (they add up to {sum(probs):g})"))
                continue
        if bad:
            continue
        overrides = tuple(_override(r, UNCERTAINTIES, name, value=0.0, clip=True) for r in recs)
        params.append(
            Parameter(
                name,
                next((r["description"] for r in recs if r["description"]), ""),
                dist,
                lo,
                mode,
                hi,
                num["sd"],
                tuple(values),
                tuple(probs),
                overrides,
            )
        )
    return params, problems


def uncertain_parameters(inst) -> list[Parameter]:
    """The Uncertainties sheet's parameters in sheet order (InputError if it has problems)."""
    df = inst.tables.get(UNCERTAINTIES)
    if df is None or not len(df):
        return []
    params, problems = _parameters(df)
    if problems:
        raise InputError(problems)
    return params


def parameter_rng(seed: int, sample: int, name: str) -> np.random.Generator:
    """The generator of one parameter in one sample: depends on nothing else."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(sample), zlib.crc32(name.encode())]))


def draw_sample(inst, sample: int, seed: int) -> dict[str, float]:
    """{parameter: drawn value} of sample number `sample` (0, 1, ...) for `seed`."""
    return {p.name: p.draw(parameter_rng(seed, sample, p.name)) for p in uncertain_parameters(inst)}


def sample_instance(inst, sample: int, seed: int):
    """(new Instance with the sample's draws applied, {parameter: drawn value})."""
    params = uncertain_parameters(inst)
    if not params:
        raise InputError([Problem(UNCERTAINTIES, None, None, "no uncertain parameters: fill the Uncertainties sheet to run Monte-Carlo samples")])
    draws = {p.name: p.draw(parameter_rng(seed, sample, p.name)) for p in params}
    overrides = [dataclasses.replace(o, value=draws[p.name]) for p in params for o in p.overrides]
    label = inst.metadata.get("scenario", BASE)
    new = apply_overrides(
        inst,
        overrides,
        sample=sample,
        sample_seed=seed,
        sample_draws=", ".join(f"{k}={v:.6g}" for k, v in draws.items()),
        scenario=label,
    )
    return new, draws
