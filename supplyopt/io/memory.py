"""Instances from Python records (tests, generators, scripts) through the normal validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from supplyopt.inputs.coerce import RawTable
from supplyopt.inputs.instance import Instance, build_instance


def raw_tables_from_records(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, RawTable]:
    """RawTables as if read from a workbook: header from the union of keys, rows from row 2."""
    out = {}
    for name, records in tables.items():
        header: list[str] = []
        for rec in records:
            header += [k for k in rec if k not in header]
        rows = [[rec.get(h) for h in header] for rec in records]
        out[name] = RawTable(name, header, rows, list(range(2, 2 + len(rows))))
    return out


def instance_from_records(tables: Mapping[str, Sequence[Mapping[str, Any]]], source: str = "<records>") -> Instance:
    """Validated Instance from {table: [ {column: value}, ... ]}; raises InputError like a workbook."""
    return build_instance(raw_tables_from_records(tables), source=source)
