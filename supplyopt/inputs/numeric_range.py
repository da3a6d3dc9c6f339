"""Numbers that meet in one row of the model but lie too far apart for HiGHS to tell apart.

Each number is checked alone by the schema (e.g. 1e-9 ≤ |x| ≤ 1e12); this check looks at the
ones that end up side by side. supplyopt hands HiGHS the model in one mass unit and one money
unit (solve/scale.py), and HiGHS works to an absolute tolerance of about 1e-7 in those units with
numbers up to about 1e6. So what matters is the ratio of a tonnage to the largest tonnage of the
instance, and of a money figure per tonne to the largest one.

The rule (documented in docs/modelling.md, "Numerical honesty"):

- tonnage range. For every capacity or limit in tonnes (Corridors, Ports and Upgrades capacity,
  Mines and Markets min/max, a refinery's module size × max modules) and every recipe output
  (yield × the largest refinery capacity that could run it), R = largest tonnage / this one:
  - R > WARN_RATIO (1e10): a warning. HiGHS sees this quantity at the edge of its precision; the
    plan is verified against the unscaled rows after the solve and refused if it breaks it.
  - R > ERROR_RATIO (1e13): an error (exit 2). In any one unit, this quantity would be below
    HiGHS's tolerance: HiGHS would read it as zero and could call a plan that ships nothing
    optimal. Express the small quantity in a larger unit, or leave it out.
- money range. For every per-tonne cost and every market price (× the largest yield that makes
  the commodity, so USD per tonne of input), R = largest / this one: R > WARN_RATIO is a warning (HiGHS cannot weigh the small figure against the large one;
  it may act as zero).

Warnings are issued as `NumericRangeWarning` (Python warnings) with the cell named; errors are
`Problem`s with sheet, row and column like any other input problem.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping

import pandas as pd

from supplyopt.errors import Problem
from supplyopt.inputs.coerce import ROW_COLUMN

WARN_RATIO = 1e10
ERROR_RATIO = 1e13

# (table, column) of every tonnage the model bounds a flow with.
TONNAGES = (
    ("Corridors", "capacity_t_per_yr"),
    ("Ports", "capacity_t_per_yr"),
    ("Upgrades", "added_capacity_t_per_yr"),
    ("Mines", "min_t_per_yr"),
    ("Mines", "max_t_per_yr"),
    ("Markets", "min_t_per_yr"),
    ("Markets", "max_t_per_yr"),
)
# (table, column) of every money figure per tonne.
PER_TONNE = (
    ("Mines", "cost_usd_per_t"),
    ("Recipes", "cost_usd_per_t"),
    ("Ports", "handling_usd_per_t"),
    ("Corridors", "handling_usd_per_t"),
)


class NumericRangeWarning(UserWarning):
    """Numbers that meet in one row lie far apart: HiGHS sees the smaller at the edge of its precision."""


def _positive(value) -> float | None:
    try:
        v = abs(float(value))
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def _cells(frames: Mapping[str, pd.DataFrame], pairs) -> Iterator[tuple[str, int | None, str, float]]:
    for table, column in pairs:
        df = frames.get(table)
        if df is None or column not in df.columns:
            continue
        rows = df[ROW_COLUMN] if ROW_COLUMN in df.columns else pd.Series([None] * len(df), index=df.index)
        for row, value in zip(rows, df[column]):
            v = _positive(value)
            if v is not None:
                yield table, (int(row) if row is not None and not pd.isna(row) else None), column, v


def _refinery_capacity(frames) -> float | None:
    df = frames.get("Refineries")
    if df is None or not len(df) or "module_size_t_per_yr" not in df.columns:
        return None
    modules = df["max_modules"] if "max_modules" in df.columns else 1
    cap = (pd.to_numeric(df["module_size_t_per_yr"], errors="coerce") * pd.to_numeric(modules, errors="coerce").fillna(1).clip(lower=1)).dropna()
    cap = cap[(cap > 0) & cap.map(math.isfinite)]
    return float(cap.max()) if len(cap) else None


def _tonnages(frames) -> list[tuple[str, int | None, str, float, str]]:
    """(sheet, row, column, tonnes, what it is) for every tonnage that bounds or makes a flow."""
    out = [(t, r, c, v, f"{v:g} t/yr") for t, r, c, v in _cells(frames, TONNAGES)]
    ref = _refinery_capacity(frames)
    if ref is not None:
        df = frames["Refineries"]
        for t, r, c, v in _cells({"Refineries": df}, [("Refineries", "module_size_t_per_yr")]):
            out.append((t, r, c, v, f"a module of {v:g} t/yr"))
        for t, r, c, y in _cells(frames, [("RecipeOutputs", "yield")]):
            out.append((t, r, c, y * ref, f"yield {y:g} × {ref:g} t/yr of refinery capacity = {y * ref:g} t/yr"))
    return out


def check_numeric_range(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Errors (returned) and warnings (issued) for numbers too far apart, by the module's rule."""
    problems: list[Problem] = []
    tonnages = _tonnages(frames)
    if tonnages:
        largest = max(tonnages, key=lambda x: x[3])
        for sheet, row, column, value, what in tonnages:
            ratio = largest[3] / value
            if ratio <= WARN_RATIO:
                continue
            text = (
                f"{what} is {ratio:.0e} times smaller than the largest tonnage ({largest[0]} row {largest[1]}, "
                f"column '{largest[2]}': {largest[3]:g} t/yr). HiGHS works in one tonnage unit to about 1e-7 of it"
            )
            if ratio > ERROR_RATIO:
                problems.append(
                    Problem(
                        sheet,
                        row,
                        column,
                        text
                        + ", so it would read this quantity as zero and could call a plan optimal that ignores it: use a larger unit for it or leave it out",
                    )
                )
            else:
                warnings.warn(
                    f"{sheet} row {row}, column '{column}': {text}; the plan is verified after the solve and refused if it breaks this limit",
                    NumericRangeWarning,
                    stacklevel=2,
                )
    money = list(_cells(frames, PER_TONNE)) + list(_prices(frames))
    if money:
        largest = max(money, key=lambda x: x[3])
        for sheet, row, column, value in money:
            ratio = largest[3] / value
            if ratio > WARN_RATIO:
                warnings.warn(
                    f"{sheet} row {row}, column '{column}': {value:g} USD/t is {ratio:.0e} times smaller than the largest money per tonne "
                    f"({largest[0]} row {largest[1]}, column '{largest[2]}': {largest[3]:g} USD/t); HiGHS cannot weigh the two against each other "
                    "and may treat the smaller as zero",
                    NumericRangeWarning,
                    stacklevel=2,
                )
    return problems


def _prices(frames) -> Iterator[tuple[str, int | None, str, float]]:
    """Each market price per tonne of what reaches the model's flows: the price itself for a
    commodity no recipe makes, else price × the largest yield that makes it (USD per tonne of
    input: a price of 1e12 USD/t on a yield of 1e-8 is 1e4 USD per tonne refined)."""
    markets, outputs = frames.get("Markets"), frames.get("RecipeOutputs")
    if markets is None or not len(markets) or "price_usd_per_t" not in markets.columns:
        return
    best_yield: dict = {}
    if outputs is not None and len(outputs) and "yield" in outputs.columns:
        for commodity, y in zip(outputs["output_commodity"], outputs["yield"]):
            v = _positive(y)
            if v is not None:
                best_yield[commodity] = max(best_yield.get(commodity, 0.0), v)
    rows = markets[ROW_COLUMN] if ROW_COLUMN in markets.columns else [None] * len(markets)
    for row, commodity, price in zip(rows, markets["commodity"], markets["price_usd_per_t"]):
        p = _positive(price)
        if p is not None:
            yield "Markets", (int(row) if row is not None else None), "price_usd_per_t", p * best_yield.get(commodity, 1.0)
