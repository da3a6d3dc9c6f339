"""Shared data and assertions for the template and docs tests."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd

from instances import tiny
from supplyopt.inputs.instance import Instance

_SMALL = tiny()


def small_records() -> dict[str, list[dict[str, Any]]]:
    """A small valid instance (mine → refinery → port), fresh copy each call."""
    return copy.deepcopy(_SMALL)


def assert_same_instance(actual: Instance, expected: Instance) -> None:
    """Same tables (values, dtypes, spreadsheet rows) and same settings."""
    assert list(actual.tables) == list(expected.tables)
    for name in expected.tables:
        try:
            pd.testing.assert_frame_equal(actual[name], expected[name])
        except AssertionError as exc:
            raise AssertionError(f"table {name} differs: {exc}") from None
    assert dict(actual.settings) == dict(expected.settings)
