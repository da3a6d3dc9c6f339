"""Overrides: one change to a table (`Override`), how a row key is written and read
(`parse_key`, `format_key`), and the names shared by the Scenarios and Uncertainties sheets.
The format of those sheets is described in `supplyopt.inputs.scenarios`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from supplyopt.errors import suggest
from supplyopt.inputs.coerce import ROW_COLUMN, CellError, coerce_cell, is_blank
from supplyopt.schema import Column, Table

BASE = "base"
ALL = "all"
STAR = "*"
KEY_SEP = "|"
SCENARIOS = "Scenarios"
UNCERTAINTIES = "Uncertainties"
RESERVED_NAMES = (BASE, ALL)  # scenario names with a meaning of their own
NUMBER = Column("value", "float", "a number")


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


def sorted_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as dicts in sheet order."""
    return df.sort_values(ROW_COLUMN, kind="stable").to_dict("records") if len(df) else []


def override_from_row(rec: Mapping[str, Any], sheet: str, label: str, value: Any = None, clip: bool = False) -> Override:
    """The Override written on a Scenarios or Uncertainties row (`value` replaces the cell's)."""
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
    """The row's key as written in a Scenarios key cell (blank parts empty)."""
    return " | ".join("" if is_blank(rec[k]) else str(rec[k]) for k in table.key)
