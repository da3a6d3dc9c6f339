"""The tightening family (model/tightening.py): valid inequalities, so every optimum is the same
as the weak formulation's, and the LP relaxation is never weaker. One linking row of each kind
is checked by hand."""

from __future__ import annotations

import highspy
import numpy as np
import pytest
import risk_instances as R
from pyomo.repn import generate_standard_repn

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.model.tightening import CUT_ROWS, without_cuts
from supplyopt.solve.compile import compile_model
from supplyopt.solve.highs import INFEASIBLE, SolveOptions, solve
from supplyopt.solve.highs_run import pass_to_highs
from supplyopt.synthetic.generate import generate

EXACT = SolveOptions(mip_gap=0.0, threads=1)

CASES = {
    "tiny": I.tiny,
    "refine_or_export": I.refine_or_export,
    "capacity_growth_module": lambda: I.capacity_growth("module"),
    "capacity_growth_upgrade": lambda: I.capacity_growth("upgrade"),
    "co_products": I.co_products,
    "lead_time": lambda: I.lead_time("P2", 3),
    "cost_mode_demand": I.cost_mode_demand,
    "ports_and_contracts": I.ports_and_contracts,
    "ports_and_contracts_factor": lambda: I.ports_and_contracts(corridor_factor=0.5),
    "shared_corridor": I.shared_corridor,
    "shared_corridor_one_way": lambda: I.shared_corridor(False),
    "facility_location": I.facility_location,
    "random_facility_location": lambda: I.facility_location_records(**I.random_facility_location(8, 20, seed=3)),
    "fixed_charge_network": I.fixed_charge_network,
    "bypass": I.bypass,
    "bypass_dear": lambda: I.bypass(capex=200_000.0),
    "free_money": I.free_money,
    "infeasible_contract": I.infeasible_contract,
    "risk_rich": R.rich_records,
}


def _lp_bound(m) -> tuple[float, bool]:
    """(LP relaxation optimum, maximise?) of the model as built."""
    form = compile_model(m)
    h = pass_to_highs(form, SolveOptions(), mip=False)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value, form.maximise


def _compare(records) -> tuple[float, float]:
    """Solve weak and tight: same optimum (rel 1e-9), tight LP bound no weaker. Returns the LP bounds."""
    inst = instance_from_records(records)
    weak, tight = build_model(inst, formulation="weak"), build_model(inst)
    rw, rt = solve(weak, EXACT), solve(tight, EXACT)
    assert rw.status == rt.status
    if rw.status == INFEASIBLE:
        return 0.0, 0.0
    assert rt.objective == pytest.approx(rw.objective, rel=1e-9, abs=1e-6)
    lw, maximise = _lp_bound(weak)
    lt, _ = _lp_bound(tight)
    slack = 1e-9 * max(1.0, abs(lw))
    assert (lt <= lw + slack) if maximise else (lt >= lw - slack)
    return lw, lt


@pytest.mark.parametrize("name", list(CASES))
def test_same_optimum_and_no_weaker_bound(name):
    _compare(CASES[name]())


def test_synthetic_s_same_optimum_and_no_weaker_bound():
    lw, lt = _compare(generate("S"))
    assert lt < lw  # maximise: the tight bound is strictly lower on S


def test_facility_location_relaxation_is_the_textbook_one():
    """CFL_*: with flow_{j→k} ≤ demand_k · open_j the LP bound is the integer optimum, 6,150
    (tests/test_classic.py: sites A and C); the aggregate capacity row alone gives less."""
    inst = instance_from_records(I.facility_location())
    lw, maximise = _lp_bound(build_model(inst, formulation="weak"))
    lt, _ = _lp_bound(build_model(inst))
    assert not maximise and lw < 6150 - 1
    assert lt == pytest.approx(6150, rel=1e-9)


def _row(con) -> tuple[dict[str, float], float]:
    repn = generate_standard_repn(con.body)
    return {v.name: float(c) for v, c in zip(repn.linear_vars, repn.linear_coefs)}, con.upper


def test_facility_location_linking_row_by_hand():
    """Site A → customer K1: A can make at most 60 t of PROD (capacity 60, 100 t of RAW), K1
    takes at most its demand 20 t and PROD reaches K1 only from the sites, so
    flow_{A-K1} ≤ min(20, 60) · open_A, and RAW reaches A only to be refined:
    flow_{S-A} ≤ min(100, 60) · open_A (supply 100, capacity 60)."""
    m = build_model(instance_from_records(I.facility_location()))
    assert _row(m.tight_site_flow_link["base", "A-K1", "PROD", "P1"]) == ({"flow[base,A-K1,PROD,P1]": 1.0, "open_new[A,P1]": -20.0}, 0.0)
    assert _row(m.tight_site_flow_link["base", "S-A", "RAW", "P1"]) == ({"flow[base,S-A,RAW,P1]": 1.0, "open_new[A,P1]": -60.0}, 0.0)
    assert m.flow["base", "A-K1", "PROD", "P1"].ub == 20.0  # the reach bound: K1's demand


def test_fixed_charge_upgrade_link_by_hand():
    """FCNF_*: arc S2→D3 (capacity 0, upgrade adds 20) carries at most what D3 takes (15 t of
    G: only D3 buys there) and S2 supplies (30 t): flow ≤ min(20, 15) · build. Arc S1→D1 (adds
    30, D1 takes 30) gets no row: its upgrade's capacity is no larger than what can cross it."""
    m = build_model(instance_from_records(I.fixed_charge_network()))
    assert _row(m.tight_upgrade_link["base", "S2-D3", "G", "P1"]) == ({"flow[base,S2-D3,G,P1]": 1.0, "build[U-S2-D3,P1]": -15.0}, 0.0)
    assert ("base", "S1-D1", "G", "P1") not in m.tight_upgrade_link
    # hub H: S1 (40) and S2 (30) upstream, D1..D3 (70) downstream; arc S1→H adds 50 → 40
    assert _row(m.tight_upgrade_link["base", "S1-H", "G", "P1"])[0]["build[U-S1-H,P1]"] == -40.0


def test_upgrade_cover_row_by_hand():
    """bypass(): S = {M, T, R} (the mine, the path to T and the unlimited transfer to R); a =
    T→P1 and the rail R→P2 (700) leave S, what is made in S is 1,000 and nothing enters S, so
    flow_{T-P1} + flow_{R-P2} ≤ 700 + min(2,000, 1,000 − 700) · build: 300, not the 1,000 of
    a's own link. The long road T→P2 (5,000) leaves no room for a and is not in the row."""
    m = build_model(instance_from_records(I.bypass()))
    cover = _row(m.tight_upgrade_cover["base", "T-P1", "G", "P1", "R-P2"])
    assert cover == ({"flow[base,T-P1,G,P1]": 1.0, "flow[base,R-P2,G,P1]": 1.0, "build[U-T-P1,P1]": -300.0}, 700.0)
    assert _row(m.tight_upgrade_link["base", "T-P1", "G", "P1"])[0]["build[U-T-P1,P1]"] == -1000.0
    assert not any("T-P2" in key[-1] for key in m.tight_upgrade_cover)


def test_upgrade_cover_closes_the_bypass_gap():
    """bypass(capex=200,000): the plan keeps the rail (700 t, 100 USD/t) and the long road (300 t,
    300 USD/t): 1,000 × 490 − 70,000 − 90,000 = 330,000 USD; the upgrade would save 150,000 of
    transport for 200,000. With a's own link only (flow ≤ 1,000 · build) the LP builds 0.3 of it
    to move the long road's 300 t (saving 290 USD/t for 200): 357,000. The cover row forbids that
    (300 + 700 ≤ 700 + 300 · build needs build = 1), so the LP bound is the optimum."""
    inst = instance_from_records(I.bypass(capex=200_000.0))
    tight = build_model(inst)
    report = solve(tight, EXACT)
    assert report.objective == pytest.approx(330_000.0, rel=1e-12)
    assert _lp_bound(tight)[0] == pytest.approx(330_000.0, rel=1e-9)
    tight.tight_upgrade_cover.deactivate()
    assert _lp_bound(tight)[0] == pytest.approx(357_000.0, rel=1e-9)
    assert _lp_bound(build_model(inst, formulation="weak"))[0] > 357_000.0


def test_weak_formulation_and_without_cuts_leave_the_rows_out():
    inst = instance_from_records(I.fixed_charge_network())
    weak = build_model(inst, formulation="weak")
    assert all(len(getattr(weak, name)) == 0 for name in CUT_ROWS)
    assert all(v.ub is None for v in weak.flow.values())
    tight = build_model(inst)
    with without_cuts(tight):
        assert not tight.tight_upgrade_link.active and all(v.ub is None for v in tight.flow.values())
        assert compile_model(tight).num_row == compile_model(weak).num_row
    assert tight.tight_upgrade_link.active and tight.flow["base", "S2-D3", "G", "P1"].ub == 15.0
    with pytest.raises(ValueError):
        build_model(inst, formulation="strong")


def test_high_risk_share_turns_the_bounds_off():
    """With a high-risk share, extra tonnes on safe corridors relax the share (its denominator
    is all tonnes moved), so an acyclic plan need not be optimal: no reach bounds then."""
    m = build_model(instance_from_records(R.routes({"high_risk_threshold": 1, "high_risk_max_share": 0.5})))
    assert all(len(getattr(m, name)) == 0 for name in CUT_ROWS) and all(v.ub is None for v in m.flow.values())
    assert np.isfinite(_lp_bound(m)[0])
