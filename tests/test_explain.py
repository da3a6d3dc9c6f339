"""Explain a decision (issue 5): `supplyopt.studies.explain.explain` forces one decision the other way and
re-solves; its npv_difference must equal the difference of two separate solves: the base, and
an instance edited by hand so that the decision can only go the forced way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import invoke, said
from model_asserts import EXACT, solve_records

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, InputError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.template import write_template
from supplyopt.studies.explain import explain

DF = 1 / 1.1  # ports_and_contracts: P1 = 2030 discounted to base year 2029 at 10 %


def npv(records) -> float:
    s = solve_records(records, extract=False)
    assert s.report.status == "optimal"
    return s.report.objective


def test_site_opened_kept_closed_tiny():
    """tiny(): REF opens with 2 modules, NPV 54,250. Kept closed, the 1,000 t of CONC go through
    REF unrefined and sell at 100 − 5 handling − 10 (A) − 10 (B) − 50 mining = 25 USD/t:
    NPV 25,000; forcing it costs 29,250. The hand-forced instance: REF's max_modules = 0."""
    closed = I.tiny()
    closed["Refineries"][0]["max_modules"] = 0
    base_npv, closed_npv = npv(I.tiny()), npv(closed)
    assert (base_npv, closed_npv) == pytest.approx((54_250, 25_000))

    e = explain(instance_from_records(I.tiny()), site="REF", options=EXACT)
    assert e.forced == "site REF kept closed" and e.question == "Why is refinery site REF opened?"
    assert e.base_npv == pytest.approx(base_npv) and e.forced_npv == pytest.approx(closed_npv)
    assert e.npv_difference == pytest.approx(closed_npv - base_npv) == pytest.approx(-29_250)
    assert "refinery REF no longer opens" in e.changes
    assert "corridor B: +750 t/yr summed over periods" in e.changes  # 250 t CU → 1,000 t CONC
    costs = e.cost_changes.set_index("term")["difference_usd"]
    assert costs["Sales revenue"] == pytest.approx(100_000 - 150_000)
    assert costs["Refinery capex"] == pytest.approx(12_000)
    assert "costs 29,250 USD" in str(e)
    ref = e.forced_results["Refineries"]
    assert (ref["open"] == 0).all()


def test_site_not_opened_forced_open():
    """refine_or_export(open_capex=100,000): exporting concentrate (NPV 58,000) beats refining,
    whose best plan (2 modules) is the open_capex = 30,000 optimum 97,600 with 70,000 more capex:
    27,600. Forcing the site open costs 58,000 − 27,600 = 30,400 (see tests/test_model_hand.py)."""
    dear = I.refine_or_export(open_capex=100_000)
    opened_npv = npv(I.refine_or_export(open_capex=30_000)) - 70_000
    assert npv(dear) == pytest.approx(58_000) and opened_npv == pytest.approx(27_600)

    e = explain(instance_from_records(dear), site="REF", options=EXACT)
    assert e.forced == "site REF opened"
    assert e.npv_difference == pytest.approx(opened_npv - 58_000) == pytest.approx(-30_400)
    assert "refinery REF opens" in e.changes


def test_site_that_cannot_open_in_the_horizon():
    """lead_time(lead_time_years=10): the site's lead time puts opening beyond 2030-32, so it
    cannot be forced open; the answer says why instead of failing on a '0 == 1' constraint."""
    e = explain(instance_from_records(I.lead_time(lead_time_years=10)), site="REF", options=EXACT)
    assert e.forced == "site REF opened" and e.forced_npv is None and e.npv_difference is None
    assert "cannot open within the horizon" in str(e) and "lead_time_years" in str(e)


def test_corridor_used_closed():
    """ports_and_contracts(): upgrade U-B built, A sells 300 t/yr (20 USD/t net), B 900 t/yr
    (9 USD/t; corridor H-M's 1,200 t/yr binds): NPV (6,000 + 8,100 − 2,200) · DF = 11,900 · DF.
    H-A closed (the hand-forced instance: CapacityFactors H-A = 0): only PORT_B, 1,000 t/yr with
    the upgrade: (9,000 − 2,200) · DF = 6,800 · DF. Difference −5,100 · DF."""
    closed = I.ports_and_contracts()
    closed["CapacityFactors"] = [{"element_type": "corridor", "element": "H-A", "factor": 0}]
    base_npv, closed_npv = npv(I.ports_and_contracts()), npv(closed)
    assert (base_npv, closed_npv) == pytest.approx((11_900 * DF, 6_800 * DF))

    e = explain(instance_from_records(I.ports_and_contracts()), corridor="H-A", options=EXACT)
    assert e.forced == "corridor H-A closed in every period"
    assert e.npv_difference == pytest.approx(closed_npv - base_npv) == pytest.approx(-5_100 * DF)
    assert "corridor H-A: -300 t/yr summed over periods" in e.changes
    assert "corridor H-B: +100 t/yr summed over periods" in e.changes


def test_upgrade_built_not_built():
    """Without U-B (the hand-forced instance: no Upgrades row): A 300 + B 400 = 9,600 · DF, so
    building it is worth 2,300 · DF."""
    without = I.ports_and_contracts()
    del without["Upgrades"]
    e = explain(instance_from_records(I.ports_and_contracts()), upgrade="U-B", options=EXACT)
    assert e.forced == "upgrade U-B not built"
    assert e.npv_difference == pytest.approx(npv(without) - npv(I.ports_and_contracts())) == pytest.approx(-2_300 * DF)


def test_explain_needs_exactly_one_known_decision():
    inst = instance_from_records(I.tiny())
    with pytest.raises(InputError, match="exactly one"):
        explain(inst, site="REF", corridor="A")
    with pytest.raises(InputError, match="did you mean 'REF'"):
        explain(inst, site="REFF")
    with pytest.raises(InputError, match="did you mean 'A'"):
        explain(inst, corridor="a")


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("explain_cli")
    src = write_template(d / "tiny.xlsx", I.tiny())
    res = invoke("solve", src, "-o", d / "plan.xlsx")
    assert res.exit_code == EXIT_OK, res.output
    return d / "plan.xlsx"


def test_cli_explain_site_prints_npv_difference(plan):
    res = invoke("explain", plan, "--site", "REF")
    assert res.exit_code == EXIT_OK, res.output
    text = said(res)
    assert "Why is refinery site REF opened?" in text
    assert "NPV 54,250 → 25,000 USD: forcing it costs 29,250 USD." in text
    assert "refinery REF no longer opens" in text


def test_cli_explain_unknown_site_exits_2_with_suggestion(plan):
    res = invoke("explain", plan, "--site", "REFF")
    assert res.exit_code == EXIT_INPUT
    text = said(res)
    assert "'REFF' is not in Refineries" in text and "did you mean 'REF'?" in text
