"""Conventions of the hand-derived model tests (tests/model/test_<family>.py, one file per
constraint family) and checks that their helpers and instances can be trusted.

Conventions of the model the derivations rely on (supplyopt/model/*.py docstrings):
- annual flows in period p are discounted by DF_p = Σ_{y in p} (1+r)^-(y − base_year): the
  first year of the horizon is undiscounted;
- capex paid for period p is discounted by (1+r)^-(start_p − lead − base_year);
- fixed opex is paid every year a site is open (per module for module opex) or an upgrade built.
"""

from __future__ import annotations

import copy

import pytest
from model_asserts import (
    assert_capacities_respected,
    assert_decision,
    assert_mass_balance,
    assert_objective,
    solve_records,
)

import instances as I
from supplyopt.io.memory import instance_from_records


def test_assert_helpers_catch_violations():
    """The plan checks are not vacuous: a tampered copy of a correct plan fails them."""
    s = solve_records(I.refine_or_export())
    good = s.results
    with pytest.raises(AssertionError, match="objective"):
        assert_objective(good, 97_601)
    with pytest.raises(AssertionError):
        assert_decision(good, "Refineries", "modules", 1, site="REF", period="P1")

    leak = copy.copy(good)
    leak.tables = dict(good.tables)
    flows = good["Flows"].copy()
    flows.loc[flows["corridor"] == "R-P", "t_per_yr"] += 1.0  # 1 t/yr of CU out of nowhere
    leak.tables["Flows"] = flows
    with pytest.raises(AssertionError, match="mass balance"):
        assert_mass_balance(leak, s.instance)

    over = copy.copy(good)
    over.tables = dict(good.tables)
    ref = good["Refineries"].copy()
    ref["modules"] = 1
    ref["modules_added"] = 1
    over.tables["Refineries"] = ref
    with pytest.raises(AssertionError, match="capacity"):
        assert_capacities_respected(over, s.instance)


def test_every_named_instance_is_valid_input():
    """instances.ALL builds through the normal validation (other tests rely on it)."""
    for name, make in I.ALL.items():
        inst = instance_from_records(make())
        assert len(inst["Periods"]) >= 1, name
