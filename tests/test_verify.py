"""solve/verify.py: the plan checked against the unscaled rows; a plan that breaks one is never
called optimal (status NOT_VERIFIED, worst row named, exit 4)."""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import invoke, said
from model_asserts import solve_records

import instances as I
from supplyopt.errors import EXIT_SOLVER, SolverError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.template import write_template
from supplyopt.model import build_model
from supplyopt.solve import highs as highs_mod
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs import NOT_VERIFIED, OPTIMAL, require_plan, solve
from supplyopt.solve.verify import ABS_TOL, REL_TOL, verify_plan


def _solved_tiny():
    m = build_model(instance_from_records(I.tiny()))
    report = solve(m)
    form = compile_model(m)
    x = np.array([v.value if v.value is not None else 0.0 for v in form.columns])
    return m, report, form, x


def test_an_optimal_plan_passes_with_its_residual_recorded():
    _m, report, form, x = _solved_tiny()
    assert report.status == OPTIMAL
    assert report.max_residual is not None and report.max_residual <= ABS_TOL
    check = verify_plan(form, x)
    assert check.ok and check.worst is None
    assert check.max_abs == pytest.approx(0.0, abs=1e-9)
    assert set(check.families) >= {"balance"}, check.families


def test_a_broken_capacity_is_found_and_named():
    """tiny's optimum runs 1,000 t of concentrate through 2 modules of 600 t; claim 1,300 t are
    processed with the flows and modules unchanged: the balance at REF breaks by 300 t."""
    m, _report, form, x = _solved_tiny()
    j = next(j for j, v in enumerate(form.columns) if v.parent_component().name == "process")
    x = x.copy()
    x[j] += 300.0
    check = verify_plan(form, x)
    assert not check.ok
    assert check.max_abs == pytest.approx(300.0, rel=1e-9)
    assert check.worst is not None and "[" in check.worst  # a Pyomo row name such as balance[...]
    assert "300" in check.message()


def test_within_tolerance_is_accepted_beyond_is_not():
    _m, _report, form, x = _solved_tiny()
    j = next(j for j, v in enumerate(form.columns) if v.parent_component().name == "process")
    # the row's size is at least 1,000 t: REL_TOL × 1,000 = 1e-3 t is within tolerance, 1e-2 is not
    ok = x.copy()
    ok[j] += 0.5 * REL_TOL * 1000
    assert verify_plan(form, ok).ok
    bad = x.copy()
    bad[j] += 10 * REL_TOL * 1000 + ABS_TOL
    assert not verify_plan(form, bad).ok


def test_integrality_is_checked():
    _m, _report, form, x = _solved_tiny()
    """tiny's optimum has 2 modules (1,000 t on 2 × 600 t): 1.7 modules still cover the 1,000 t and
    break no row or bound, only integrality."""
    j = next(j for j, v in enumerate(form.columns) if v.parent_component().name == "add_modules" and v.value == 2)
    x = x.copy()
    x[j] -= 0.3
    check = verify_plan(form, x)
    assert not check.ok
    assert check.max_integrality == pytest.approx(0.3)
    assert check.worst == f"the integrality of {form.columns[j].name}"


def _fail_verification(monkeypatch):
    real = highs_mod.verify_plan

    def broken(form, x, mass=1.0):
        v = real(form, x, mass)
        v.ok, v.worst, v.max_abs, v.max_rel = False, "port_capacity[base,PORT,P1]", 2e-8, 1.0
        return v

    monkeypatch.setattr(highs_mod, "verify_plan", broken)


def test_a_failed_verification_is_never_optimal(monkeypatch):
    _fail_verification(monkeypatch)
    s = solve_records(I.tiny(), extract=False)
    assert s.report.status == NOT_VERIFIED and not s.report.has_plan and not s.report.proven_optimal
    assert "port_capacity[base,PORT,P1]" in s.report.verification
    with pytest.raises(SolverError, match=r"port_capacity\[base,PORT,P1\]"):
        require_plan(s.report)


def test_cli_refuses_an_unverified_plan(monkeypatch, tmp_path):
    _fail_verification(monkeypatch)
    src = write_template(tmp_path / "case.xlsx", I.tiny())
    out = tmp_path / "r.xlsx"
    res = invoke("solve", src, "-o", out)
    assert res.exit_code == EXIT_SOLVER, res.output
    assert "port_capacity[base,PORT,P1]" in said(res) and "optimal" not in said(res).lower().replace("not proven optimal", "")
    assert not out.exists()
