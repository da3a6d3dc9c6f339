"""inputs/numeric_range.py: numbers that meet in one row but lie too far apart for HiGHS are
reported at their cell, as a warning (ratio > 1e10) or an error (ratio > 1e13), and the
tiny-number instances give the same plan in both scalings or a clear refusal."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from model_asserts import solve_records
from tiny_numbers import tiny_corridors, tiny_yield, tiny_yield_npv

import instances as I
from supplyopt.errors import InputError
from supplyopt.inputs.numeric_range import ERROR_RATIO, WARN_RATIO, NumericRangeWarning
from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input
from supplyopt.solve.highs import OPTIMAL

REPO = Path(__file__).resolve().parents[1]


def _range_warnings(records) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        instance_from_records(records)
    return [str(w.message) for w in caught if issubclass(w.category, NumericRangeWarning)]


@pytest.mark.parametrize("make", [I.tiny, I.co_products, I.capacity_growth, I.ports_and_contracts, I.shared_corridor])
def test_ordinary_instances_are_quiet(make):
    assert _range_warnings(make()) == []


def test_pakistan_is_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericRangeWarning)
        read_input(REPO / "instances" / "pakistan_base.xlsx")


def test_a_capacity_far_below_the_largest_tonnage_is_a_warning_at_its_cell():
    """tiny_yield: the port's 2e-8 t/yr against the mine's 1,000 t/yr is a ratio of 5e10."""
    said = _range_warnings(tiny_yield(1.0))
    assert len(said) == 1
    assert said[0].startswith("Ports row 2, column 'capacity_t_per_yr': 2e-08 t/yr is 5e+10 times smaller")
    assert "Mines row 2, column 'max_t_per_yr'" in said[0] and "verified after the solve" in said[0]
    assert WARN_RATIO < 5e10 < ERROR_RATIO


def test_the_same_economics_in_a_larger_unit_is_quiet():
    assert _range_warnings(tiny_yield(1e4)) == []


def test_a_capacity_below_any_unit_is_an_error_at_its_cell():
    """A corridor of 1e-8 t/yr (the smallest a cell accepts) beside a mine of 1e6 t/yr: ratio 1e14 > 1e13."""
    recs = tiny_corridors(1.0)
    recs["Mines"][0]["max_t_per_yr"] = 1e6
    recs["Corridors"][1]["capacity_t_per_yr"] = 1.0
    with pytest.raises(InputError) as info:
        instance_from_records(recs)
    [p] = info.value.problems
    assert (p.sheet, p.row, p.column) == ("Corridors", 2, "capacity_t_per_yr")
    assert "read this quantity as zero" in p.message and "1e+14 times smaller" in p.message


def test_a_yield_times_capacity_far_below_is_reported_at_the_yield():
    """Yield 1e-8 × 1,200 t/yr of modules = 1.2e-5 t/yr beside a mine of 1e6 t/yr: ratio 8.3e10."""
    recs = I.tiny()
    recs["RecipeOutputs"][0]["yield"] = 1e-8
    recs["Mines"][0]["max_t_per_yr"] = 1e6
    said = _range_warnings(recs)
    assert any(s.startswith("RecipeOutputs row 2, column 'yield': yield 1e-08 × 1200 t/yr of refinery capacity = 1.2e-05 t/yr is 8e+10") for s in said), said


def test_prices_times_yields_far_apart_warn():
    """A yield of 1e-3 at 1e15... is out of the schema's range; instead: copper at 1e12 USD/t
    (yield 0.25: 2.5e11 USD per tonne refined) beside 5 USD/t of port handling: 5e10."""
    recs = I.tiny()
    recs["Markets"][1]["price_usd_per_t"] = 1e12
    said = _range_warnings(recs)
    assert any(s.startswith("Ports row 2, column 'handling_usd_per_t': 5 USD/t is 5e+10 times smaller") for s in said), said


@pytest.mark.parametrize("k", [1.0, 1e4])
def test_tiny_numbers_same_plan_or_refusal(k):
    """Issue 14's cases, in both scalings: the hand optimum, never a false 'optimal' NPV 0."""
    s = solve_records(tiny_yield(k), extract=False)
    assert s.report.status == OPTIMAL and s.report.objective == pytest.approx(tiny_yield_npv(k), rel=1e-9)
    s = solve_records(tiny_corridors(k), extract=False)
    assert s.report.status == OPTIMAL and s.report.objective == pytest.approx(80_000, rel=1e-9)
