"""Fiscal terms (model/fiscal.py): royalties by province and nationally, an export levy by product
form and by commodity, a raw-export ban, and the state's take beside the NPV. Derived by hand on
tiny() (r = 0, one period): per tonne of CONC, smelting and selling CU earns 66.25 USD
(150 − 50 − 10 − 20 − 2.5 − 1.25), exporting CONC 25 USD; the refinery costs 12,000; optimum
54,250 (refine all 1,000 t)."""

from __future__ import annotations

import pytest
from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def fiscal_tiny() -> dict:
    recs = I.tiny()
    recs["Nodes"][0]["region"] = "Balochistan"
    recs["Commodities"] = [{"commodity": "CONC", "kind": "concentrate"}, {"commodity": "CU", "kind": "refined"}]
    return recs


def test_provincial_and_federal_royalties_add_up():
    """5 % to the province and 1 % everywhere, on a value of 200 USD/t: 12 USD per tonne mined,
    12,000 in all; the plan is unchanged (royalties are paid whatever the route)."""
    recs = fiscal_tiny()
    recs["Royalties"] = [
        {"commodity": "CONC", "province": "Balochistan", "rate_share": 0.05, "value_usd_per_t": 200},
        {"commodity": "CONC", "rate_share": 0.01, "value_usd_per_t": 200},
        {"commodity": "CONC", "province": "Sindh", "rate_share": 0.5, "value_usd_per_t": 200},  # no mine there
    ]
    recs["Nodes"][1]["region"] = "Sindh"
    s = solve_records(recs)
    assert_objective(s.results, 54_250 - 12_000)
    assert_term(s.results, "royalties", -12_000)
    assert s.results.summary["state_take_pv_usd"] == pytest.approx(12_000)
    assert_decision(s.results, "StateTake", "royalties_pv_usd", 12_000, period="P1")


def test_a_royalty_without_a_value_uses_the_cargo_value():
    recs = fiscal_tiny()
    recs["Commodities"][0]["cargo_value_usd_per_t"] = 100
    recs["Royalties"] = [{"commodity": "CONC", "mine": "MINE", "rate_share": 0.1}]
    assert_term(solve_records(recs).results, "royalties", -10_000)


def test_a_levy_on_refined_products_is_paid_on_their_sales_value():
    """10 % on refined exports: 0.1 × 600 × 250 t = 15,000; refining still earns 51.25 per tonne
    (1,000 × 51.25 − 12,000 = 39,250 > 25,000 exporting CONC)."""
    recs = fiscal_tiny()
    recs["ExportDuties"] = [{"kind": "refined", "rate_share": 0.1}]
    s = solve_records(recs)
    assert_objective(s.results, 39_250)
    assert_term(s.results, "export_duties", -15_000)
    assert s.results.summary["state_take_pv_usd"] == pytest.approx(15_000)


def test_a_levy_of_20_percent_turns_the_plan_to_exporting_concentrate():
    """20 %: refining earns 36.25 per tonne, 24,250 < 25,000: no refinery, CONC exported untaxed."""
    recs = fiscal_tiny()
    recs["ExportDuties"] = [{"kind": "refined", "rate_share": 0.2}]
    s = solve_records(recs)
    assert_objective(s.results, 25_000)
    assert_decision(s.results, "Sales", "t_per_yr", 1000, node="PORT", commodity="CONC")
    assert s.results.summary["state_take_pv_usd"] == pytest.approx(0)


def test_a_commodity_row_wins_over_its_kind_row():
    """CU's own 20 USD/t levy replaces the 10 % on refined products: 20 × 250 = 5,000."""
    recs = fiscal_tiny()
    recs["ExportDuties"] = [{"kind": "refined", "rate_share": 0.1}, {"commodity": "CU", "usd_per_t": 20}]
    s = solve_records(recs)
    assert_objective(s.results, 49_250)
    assert_term(s.results, "export_duties", -5_000)


def test_a_raw_export_ban_leaves_unrefinable_concentrate_in_the_ground():
    """CU capped at 200 t/yr (800 t CONC refined, the other 200 t exported: 46,000, as in
    test_market). Concentrate exports banned: the 200 t cannot be sold, so they are not mined:
    800 × 66.25 − 12,000 = 41,000."""
    recs = fiscal_tiny()
    recs["Markets"][1]["max_t_per_yr"] = 200
    recs["ExportBans"] = [{"kind": "concentrate", "from_period": "P1"}]
    s = solve_records(recs)
    assert_objective(s.results, 41_000)
    assert_decision(s.results, "Sales", "t_per_yr", 0, node="PORT", commodity="CONC")
    assert_decision(s.results, "Production", "t_per_yr", 800, mine="MINE", commodity="CONC")
    assert_plan_valid(s.results, s.instance)
    assert "state_take_pv_usd" not in s.results.summary  # no royalty or duty: no state take reported


def test_a_ban_from_a_later_period_holds_from_then_on():
    """Two periods; the ban from P2 on: P1 exports 200 t CONC (5,000 more), P2 does not."""
    recs = fiscal_tiny()
    recs["Periods"] = [{"period": "P1", "start_year": 2026}, {"period": "P2", "start_year": 2027}]
    recs["Markets"][1]["max_t_per_yr"] = 200
    recs["ExportBans"] = [{"commodity": "CONC", "from_period": "P2"}]
    s = solve_records(recs)
    assert_decision(s.results, "Sales", "t_per_yr", 200, node="PORT", commodity="CONC", period="P1")
    assert_decision(s.results, "Sales", "t_per_yr", 0, node="PORT", commodity="CONC", period="P2")
    assert_objective(s.results, 2 * 800 * 66.25 - 12_000 + 5_000)


def test_a_duty_row_naming_both_commodity_and_kind_is_refused():
    from supplyopt.errors import InputError
    from supplyopt.io.memory import instance_from_records

    recs = fiscal_tiny()
    recs["ExportDuties"] = [{"commodity": "CU", "kind": "refined", "rate_share": 0.1}]
    with pytest.raises(InputError) as e:
        instance_from_records(recs)
    assert any(p.sheet == "ExportDuties" and p.row == 2 and "not both" in p.message for p in e.value.problems)


def test_a_ban_against_a_contract_minimum_is_named_by_the_diagnosis():
    """A 100 t/yr CONC contract at the port and a ban on concentrate exports: infeasible; the ban
    (ExportBans row 2) binds the contract (Markets row 2)."""
    from model_asserts import EXACT

    from supplyopt.io.memory import instance_from_records
    from supplyopt.studies.diagnose import diagnose

    recs = fiscal_tiny()
    recs["Markets"][0]["min_t_per_yr"] = 100
    recs["ExportBans"] = [{"kind": "concentrate", "from_period": "P1"}]
    diag = diagnose(instance_from_records(recs), EXACT)
    assert [(f.sheet, f.row) for f in diag.violations] == [("Markets", 2)]
    assert ("ExportBans", 2, "export ban on CONC at PORT in P1") in [(f.sheet, f.row, f.what) for f in diag.binding]
