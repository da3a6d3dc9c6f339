"""What a solve reports: optimal, infeasible, (never) unbounded, stopped by a time limit."""

from __future__ import annotations

import math

import pyomo.environ as pyo
import pytest
from model_asserts import assert_decision, assert_objective, assert_plan_valid, solve_records
from pyomo.repn import generate_standard_repn

import instances as I
from supplyopt.errors import InfeasibleError, InputError, SolverError
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.results import extract_results
from supplyopt.solve.highs import FEASIBLE, INFEASIBLE, NO_SOLUTION, OPTIMAL, SolveOptions, require_plan, solve


def test_optimal_report():
    """A proven optimum (mip_gap 0): has a plan, gap 0, objective = bound = hand value 97,600
    (see test_model_hand.test_refining_locally_wins)."""
    s = solve_records(I.refine_or_export())
    rep = s.report
    assert rep.status == OPTIMAL
    assert rep.has_plan and rep.proven_optimal
    assert rep.sense == "maximise"
    assert rep.objective == pytest.approx(97_600, rel=1e-9)
    assert rep.bound == pytest.approx(97_600, rel=1e-6)
    assert rep.gap == pytest.approx(0.0, abs=1e-6)
    require_plan(rep)  # does not raise


def test_infeasible_contract_minimum():
    """instances.infeasible_contract(): 1,500 t/yr contracted, at most 1,000 t/yr minable. The
    market is reachable, so validation passes; the model has no feasible plan."""
    inst = instance_from_records(I.infeasible_contract())  # no InputError
    m = build_model(inst)
    rep = solve(m, SolveOptions())
    assert rep.status == INFEASIBLE
    assert not rep.has_plan and not rep.proven_optimal
    assert rep.objective is None and rep.gap is None
    with pytest.raises(InfeasibleError):
        require_plan(rep)
    with pytest.raises(ValueError, match="no plan"):
        extract_results(m, rep)


def test_infeasible_demand_in_cost_mode():
    """cost_mode_demand() with P2 demand 500 t CU = 2,000 t CONC, but the two mines give at most
    800 + 1,000 = 1,800 t/yr (and REF at most 2 × 1,200 = 2,400): infeasible."""
    recs = I.cost_mode_demand()
    recs["Markets"][1]["min_t_per_yr"] = 500
    s = solve_records(recs)
    assert s.report.status == INFEASIBLE
    assert s.results is None
    with pytest.raises(InfeasibleError):
        require_plan(s.report)


@pytest.mark.parametrize("value", ["inf", "unlimited", float("inf"), None])
def test_unbounded_is_impossible_mine_maximum_required_and_finite(value):
    """Unbounded would need revenue without limit. Sales are limited by the mass balance to what
    the mines produce (recipe yields add up to ≤ 1), and a mine's max_t_per_yr is required and
    must be finite, so the input format cannot express an unbounded model."""
    recs = I.free_money()
    recs["Mines"][0]["max_t_per_yr"] = value
    with pytest.raises(InputError) as err:
        instance_from_records(recs)
    assert any(p.sheet == "Mines" and p.column == "max_t_per_yr" for p in err.value.problems)


def _objective_terms(m):
    repn = generate_standard_repn(m.obj.expr, compute_values=True)
    assert repn.is_linear() or repn.quadratic_vars == ()
    return list(zip(repn.linear_vars, repn.linear_coefs))


def test_unbounded_is_impossible_structure():
    """On the most lucrative shape the format allows (instances.free_money: no costs at all, no
    market maximum, unlimited bidirectional corridors forming a cycle, a free 5 × 10^9 t/yr
    refinery), every variable is non-negative, every mine output has a finite upper bound, and
    the only variables the NPV rewards are sales (bounded through the mass balance by mine
    output). So the NPV is at most max price × mine output: here the mine's 1,000 t/yr refined
    1:1 into CU at 300 USD/t = 300,000 USD, reached exactly (r = 0, one year)."""
    inst = instance_from_records(I.free_money())
    m = build_model(inst)
    for v in m.component_data_objects(pyo.Var, descend_into=True):
        assert v.lb is not None and v.lb >= 0, f"{v.name} is not bounded below by 0"
    for v in m.produce.values():
        assert v.ub is not None and math.isfinite(v.ub), f"{v.name} has no finite upper bound"
    assert m.obj.sense == pyo.maximize
    rewarded = {v.parent_component().name for v, c in _objective_terms(m) if c > 0}
    assert rewarded == {"sell"}
    rep = solve(m, SolveOptions(mip_gap=0.0))
    assert rep.status == OPTIMAL
    res = extract_results(m, rep)
    assert_objective(res, 300_000)
    assert_decision(res, "Sales", "t_per_yr", 1000, node="PORT", commodity="CU", period="P1")
    assert_plan_valid(res, inst)


def test_cost_objective_is_bounded_below_by_zero():
    """objective = cost: every variable is ≥ 0 and every objective coefficient is ≥ 0, so the
    minimum is at least 0 (no unbounded direction)."""
    m = build_model(instance_from_records(I.cost_mode_demand()))
    assert m.obj.sense == pyo.minimize
    terms = _objective_terms(m)
    assert terms
    for v, c in terms:
        assert c >= 0, f"{v.name} has a negative cost coefficient {c}"
        assert v.lb is not None and v.lb >= 0


def test_time_limit_reports_honestly():
    """A 25-site, 60-customer capacitated facility location (seed 7) takes HiGHS seconds to
    prove optimal; with a 0.01 s limit it stops early. Whichever of the two honest outcomes
    HiGHS reaches on this machine, the report must say so consistently:
    - a plan that is not proven optimal: status 'feasible (not proven optimal)', a gap > 0,
      results can be extracted and the plan is feasible;
    - no plan yet: status 'no solution', no objective, require_plan raises SolverError and
      extract_results refuses."""
    recs = I.facility_location_records(**I.random_facility_location(n_sites=25, n_customers=60, seed=7))
    inst = instance_from_records(recs)
    m = build_model(inst)
    rep = solve(m, SolveOptions(time_limit=0.01, threads=1))
    assert rep.termination == "maxTimeLimit"
    assert rep.status in (FEASIBLE, NO_SOLUTION)
    assert not rep.proven_optimal
    if rep.status == FEASIBLE:
        assert rep.has_plan
        assert rep.objective is not None and rep.gap is not None and rep.gap > 0
        require_plan(rep)  # a plan, even if not proven optimal
        res = extract_results(m, rep)
        assert res.summary["status"] == FEASIBLE
        assert_plan_valid(res, inst)
    else:
        assert not rep.has_plan
        assert rep.objective is None and rep.gap is None
        with pytest.raises(SolverError, match="(without|before) finding any plan"):
            require_plan(rep)
        with pytest.raises(ValueError, match="no plan"):
            extract_results(m, rep)


def test_optimal_means_within_mip_gap():
    """'optimal' is HiGHS's convergence within SolveOptions.mip_gap, not a zero gap: with a
    50 % gap allowed on the facility-location instance of test_classic (optimum 6,150) the
    report may stop early, still says 'optimal', and its gap is at most 50 %."""
    s = solve_records(I.facility_location(), SolveOptions(mip_gap=0.5))
    rep = s.report
    assert rep.status == OPTIMAL
    assert rep.gap is not None and rep.gap <= 0.5 + 1e-9
    assert 6150 - 1e-6 <= rep.objective <= 6150 / 0.5 + 1e-6
