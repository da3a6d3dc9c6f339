"""solve/scale.py: the model HiGHS sees in other units (powers of two), unscaled exactly.

Checked: the arithmetic (scaled matrix × scaled plan = 2^k × the unscaled rows, exactly), that the
scaled and unscaled hand-offs reach the same objective, that HiGHS's range warnings go, and the
tiny-number instances of issue 14: the same plan in both scalings (hand-derived NPV)."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from model_asserts import EXACT, solve_records
from tiny_numbers import tiny_corridors, tiny_yield, tiny_yield_npv

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve
from supplyopt.solve.scale import HIGHS_WINDOW, Scaling, choose_scaling, coefficient_ranges, scale_form, unscale_columns, unscale_objective


def _form(records):
    return compile_model(build_model(instance_from_records(records)))


def test_scaling_is_exact_arithmetic():
    """With any plan x: scaled row activity = 2^k × unscaled activity and scaled cost = 2^g ×
    unscaled cost, bit for bit (only powers of two), and the plan comes back unchanged."""
    form = _form(I.co_products())
    s = Scaling(-6, -13)
    sc = scale_form(form, s)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1000, form.num_col).round()  # integral values: valid for integer columns too
    x_scaled = np.where(form.integer, x, x * s.mass)
    assert np.array_equal(unscale_columns(form, s, x_scaled), x)
    for i in range(form.num_row):
        lo, hi = form.a_start[i], form.a_start[i + 1]
        terms = form.a_value[lo:hi] * x[form.a_index[lo:hi]]
        scaled_terms = sc.a_value[lo:hi] * x_scaled[sc.a_index[lo:hi]]
        assert np.array_equal(scaled_terms, terms * s.mass)
    assert np.array_equal(sc.col_cost * x_scaled, form.col_cost * x * s.money)
    assert np.array_equal(sc.row_upper, form.row_upper * s.mass)
    assert unscale_objective(s, 3.0 * s.money) == 3.0


def test_identity_scaling_changes_nothing():
    form = _form(I.tiny())
    assert scale_form(form, Scaling()) is form


@pytest.mark.parametrize("make", [I.tiny, I.co_products, I.capacity_growth, I.ports_and_contracts, I.facility_location])
def test_scaled_and_unscaled_reach_the_same_optimum(make):
    plain = solve_records(make(), SolveOptions(mip_gap=0.0, threads=1, scale=False), extract=False).report
    scaled = solve_records(make(), EXACT, extract=False).report
    assert plain.status == scaled.status == OPTIMAL
    assert scaled.objective == pytest.approx(plain.objective, rel=1e-9, abs=1e-9)


def _warnings(records, scale: bool) -> list[str]:
    log = io.StringIO()
    solve(build_model(instance_from_records(records)), SolveOptions(scale=scale, log=log))
    return [line for line in log.getvalue().splitlines() if "WARNING: Problem has" in line]


def test_range_warnings_go_away():
    """tests.instances.tiny with prices ×1e4 and tonnages ×1e4: HiGHS warns of large costs and
    bounds unscaled; scaled, the numbers sit inside [1e-4, 1e6] and it does not."""
    recs = I.tiny()
    for m in recs["Markets"]:
        m["price_usd_per_t"] *= 1e4
    recs["Mines"][0]["max_t_per_yr"] *= 1e4
    recs["Refineries"][0]["module_size_t_per_yr"] *= 1e4
    assert any("large" in w for w in _warnings(recs, scale=False))
    assert _warnings(recs, scale=True) == []
    form = _form(recs)
    after = coefficient_ranges(scale_form(form, choose_scaling(form)))
    for key in ("cost", "rhs"):
        lo, hi = after[key]
        assert HIGHS_WINDOW[0] <= lo and hi <= HIGHS_WINDOW[1], (key, after[key])


@pytest.mark.parametrize("k", [1.0, 1e4])
def test_tiny_yield_same_plan_in_both_scalings(k):
    """Unscaled HiGHS read the 2e-8 t/yr port capacity as zero and called NPV 0 optimal; scaled it
    finds the hand optimum for every k, and ships 2e-8·k t of copper."""
    s = solve_records(tiny_yield(k))
    assert s.report.status == OPTIMAL
    assert s.report.objective == pytest.approx(tiny_yield_npv(k), rel=1e-9)
    # (the Sales table rounds tonnages this small to 0: read the model's variables)
    copper = sum(v.value for idx, v in s.model.sell.items() if idx[2] == "CU")
    assert copper == pytest.approx(2e-8 * k, rel=1e-6)


@pytest.mark.parametrize("k", [1.0, 1e4])
def test_tiny_corridors_same_plan_in_both_scalings(k):
    s = solve_records(tiny_corridors(k), extract=False)
    assert s.report.status == OPTIMAL
    assert s.report.objective == pytest.approx(80_000, rel=1e-9)


def test_chosen_units_are_powers_of_two_and_centre_wide_ranges():
    form = _form(tiny_yield(1.0))
    s = choose_scaling(form)
    assert math.frexp(s.mass)[0] == 0.5 and math.frexp(s.money)[0] == 0.5
    # 2e-8 t/yr of port capacity must sit well above HiGHS's 1e-7 feasibility tolerance
    assert 2e-8 * s.mass > 1e-5
