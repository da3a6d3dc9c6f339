"""Applying overrides to tables: copies of the changed tables' records, each override applied
in order (set, scale or add; per-period copies of blank-period rows), every problem told against
the Scenarios or Uncertainties row that caused it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from supplyopt.errors import Problem, suggest
from supplyopt.inputs.coerce import ROW_COLUMN, CellError, coerce_cell, is_blank, normalise_header, to_frame
from supplyopt.inputs.overrides import NUMBER, SCENARIOS, STAR, UNCERTAINTIES, Override, format_key, parse_key, sorted_records
from supplyopt.schema import SETTINGS_BY_NAME, TABLES_BY_NAME, Column, Table


@dataclass
class Touch:
    """The override that changed (or created) a row, for messages about that row."""

    override: Override
    created: bool = False
    key_text: str = ""


@dataclass
class WorkTables:
    """Records of the tables being changed (copied on first change)."""

    base: Mapping[str, pd.DataFrame]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    next_row: dict[str, int] = field(default_factory=dict)

    def recs(self, table: str) -> list[dict[str, Any]]:
        if table not in self.records:
            self.records[table] = sorted_records(self.base[table])
            self.next_row[table] = max((r[ROW_COLUMN] for r in self.records[table]), default=1) + 1
        return self.records[table]

    def add(self, table: str, rec: dict[str, Any]) -> dict[str, Any]:
        recs = self.recs(table)
        rec[ROW_COLUMN] = self.next_row[table]
        self.next_row[table] += 1
        recs.append(rec)
        return rec


def apply_changes(tables: Mapping[str, pd.DataFrame], overrides: list[Override]) -> tuple[dict[str, pd.DataFrame], list[Problem], dict[tuple[str, int], Touch]]:
    """(changed tables, problems, which override touched which (table, row))."""
    work = WorkTables(tables)
    problems: list[Problem] = []
    touched: dict[tuple[str, int], Touch] = {}
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


def _matches(rec: Mapping[str, Any], names: tuple[str, ...], parts: list[Any]) -> bool:
    for n, p in zip(names, parts):
        if p == STAR:
            continue
        v = rec[n]
        if (None if is_blank(v) else v) != p:
            return False
    return True


def _apply_one(work: WorkTables, ov: Override, touched: dict[tuple[str, int], Touch]) -> list[Problem]:
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
            amount = coerce_cell(ov.value, NUMBER)
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
            touched[(table.name, rec[ROW_COLUMN])] = Touch(ov, created=True, key_text=key_text)
            matched = [rec]
        elif op == "set" and STAR not in parts and "period" in names:
            rec = {c.name: c.default for c in table.columns}
            rec.update(zip(names, parts))
            rec = work.add(table.name, rec)
            touched[(table.name, rec[ROW_COLUMN])] = Touch(ov, created=True, key_text=key_text)
            matched = [rec]
        else:
            existing = [format_key(table, r) for r in recs]
            hint = suggest(key_text, existing) or (f" ({table.name} has no rows)" if not existing else "")
            return [_at(ov, "key", f"no {table.name} row has the key '{key_text}'{hint}")]
    problems: list[Problem] = []
    for rec in matched:
        problems += _change(rec, table, col, op, amount, ov, skip_blank=STAR in parts)
        touched.setdefault((table.name, rec[ROW_COLUMN]), Touch(ov, key_text=format_key(table, rec)))
    return problems


def _with_period_copies(work: WorkTables, table: Table, parts: list[Any], matched: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def blame(p: Problem, touched: dict[tuple[str, int], Touch], overrides: list[Override]) -> Problem:
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
