"""The warm-start primitive: `plan_values` of a solved model, handed back as
SolveOptions.warm_start, is accepted by HiGHS (its log says so) and gives the same objective."""

from __future__ import annotations

import io

import pytest

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.solve.highs import OPTIMAL, SolveOptions, plan_values, solve


@pytest.fixture(scope="module")
def cfl():
    return instance_from_records(I.facility_location_records(**I.random_facility_location(n_sites=25, n_customers=60, seed=7)))


def test_plan_values_are_the_integer_design(cfl):
    m = build_model(cfl)
    solve(m)
    values = plan_values(m)
    design = [*m.open_new.values(), *m.add_modules.values()]
    assert len(values) == len(design) == 50  # per site (one period): open_new and add_modules
    assert values == {str(v): round(v.value) for v in design}
    assert all(values[str(v)] in (0.0, 1.0) for v in m.open_new.values())


def test_warm_started_resolve_is_accepted_and_equal(cfl):
    m = build_model(cfl)
    base = solve(m)
    start = plan_values(m)
    log = io.StringIO()
    again = solve(build_model(cfl), SolveOptions(warm_start=start, log=log))
    assert base.status == again.status == OPTIMAL
    assert again.objective == pytest.approx(base.objective, rel=1e-9)
    assert again.extra["warm_start_columns"] == len(start)
    assert "MIP start solution is feasible" in log.getvalue()


def test_partial_and_foreign_names_are_allowed(cfl):
    m = build_model(cfl)
    base = solve(m)
    start = dict(list(plan_values(m).items())[:5])
    start["open_new[NOT_A_SITE,P1]"] = 1.0
    again = solve(build_model(cfl), SolveOptions(warm_start=start))
    assert again.extra["warm_start_columns"] == 5
    assert again.objective == pytest.approx(base.objective, rel=1e-9)
