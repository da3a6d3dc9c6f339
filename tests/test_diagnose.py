"""Infeasibility diagnosis (issue 5): `supplyopt.studies.diagnose.diagnose` names the input rows (sheet +
spreadsheet row) that cannot be met and the limits that bind them, with shortfalls derived by hand.

The elastic re-solve gives every contract minimum, minimum production and exposure budget a
slack, minimises the total slack (tonnes + exposure units) and reports the nonzero slacks; the
binding limits are those with a nonzero dual in the fixed-design LP of that elastic model.
Spreadsheet rows: the header is row 1, so the first record of a table is row 2.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from cli_helpers import said
from model_asserts import EXACT
from typer.testing import CliRunner

import instances as I
from supplyopt.cli import app
from supplyopt.errors import EXIT_INFEASIBLE, InfeasibleError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_template
from supplyopt.studies.diagnose import Diagnosis, diagnose
from supplyopt.studies.pipeline import run_solve


def _road(corridor: str, a: str, b: str, capacity: float | None = None, mode: str = "road") -> dict:
    rec = {"corridor": corridor, "from_node": a, "to_node": b, "mode": mode, "distance_km": 100, "cost_usd_per_tkm": 0.1, "bidirectional": False}
    if capacity is not None:
        rec["capacity_t_per_yr"] = capacity
    return rec


def corridor_limited_market() -> dict:
    """(a) MINE (≤ 2,000 t/yr CONC) --M-H, 1,500 t/yr--> HUB, then two parallel corridors to PORT:
    road H-P 700 t/yr and rail H-P2 400 t/yr. Contract minimum at PORT: 1,500 t/yr.

    Most deliverable = min(mine 2,000, M-H 1,500, H-P + H-P2 = 700 + 400 = 1,100) = 1,100 t/yr,
    so the minimum is 1,500 − 1,100 = 400 t/yr short. One more tonne of H-P or H-P2 capacity cuts
    the shortfall by one tonne (both bind, Corridors rows 3 and 4); M-H (row 2) carries 1,100 of
    its 1,500 t/yr and the mine 1,100 of 2,000: neither binds."""
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "HUB", "kind": "hub"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("M-H", "MINE", "HUB", 1500), _road("H-P", "HUB", "PORT", 700), _road("H-P2", "HUB", "PORT", 400, mode="rail")],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 2000, "cost_usd_per_t": 50}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100, "min_t_per_yr": 1500}],
    }


def unsellable_mine_minimum() -> dict:
    """(b) tests/instances.ports_and_contracts(mine_min=800) without the port upgrade U-B.

    MINE must produce at least 800 t/yr (Mines row 2). Its only outlets: PORT_A, contract maximum
    300 t/yr (Markets row 2; the port's own 500 t/yr does not bind), and PORT_B, port capacity
    400 t/yr (Ports row 3); H-M carries up to 1,200 t/yr. At most 300 + 400 = 700 t/yr can be
    sold, so the minimum is 100 t/yr short and the binding limits are PORT_A's contract maximum
    and PORT_B's capacity, not PORT_A's capacity (Ports row 2) nor corridor H-M (Corridors row 2)."""
    recs = I.ports_and_contracts(mine_min=800)
    del recs["Upgrades"]
    return recs


def exposure_budget_too_tight() -> dict:
    """(c) MINE → PORT by ROAD (risk score 0.8, unlimited, Corridors row 2) or RAIL (risk score
    0.2, 300 t/yr, row 3). Contract minimum 500 t/yr at PORT; RiskLimits (row 2, every period):
    exposure budget 100.

    Least exposure that meets the minimum: fill the safer RAIL first, 300 t × 0.2 = 60, the other
    200 t by ROAD, 200 t × 0.8 = 160: 220 > 100. Each tonne not delivered saves at most 0.8
    exposure units, less than the unit of slack it costs, so the elastic re-solve keeps the
    contract and relaxes the budget by 120: 'the minimums need at least 220'. What binds: the
    budget itself and RAIL's capacity (one more tonne on RAIL instead of ROAD saves 0.6)."""
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("ROAD", "MINE", "PORT"), _road("RAIL", "MINE", "PORT", 300, mode="rail")],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 2000, "cost_usd_per_t": 50}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100, "min_t_per_yr": 500}],
        "CorridorRisk": [{"corridor": "ROAD", "risk_score": 0.8}, {"corridor": "RAIL", "risk_score": 0.2}],
        "RiskLimits": [{"exposure_budget": 100}],
    }


def places(findings) -> list[tuple[str, int | None]]:
    return [(f.sheet, f.row) for f in findings]


def diagnosed(records: dict) -> Diagnosis:
    inst = instance_from_records(records)
    with pytest.raises(InfeasibleError):  # the instance really is infeasible, and the pipeline says so
        run_solve(inst, EXACT, with_shadow_prices=False, diagnose_infeasible=False)
    return diagnose(inst, EXACT)


# ---------------------------------------------------------------------------------------------
# Three infeasible instances, three kinds of finding
# ---------------------------------------------------------------------------------------------


def test_market_minimum_above_corridor_capacity():
    d = diagnosed(corridor_limited_market())
    assert places(d.violations) == [("Markets", 2)]
    (v,) = d.violations
    assert "minimum 1,500 t/yr cannot be met" in v.what
    assert "1,100 t/yr is the most deliverable (400 t/yr short)" in v.what
    assert sorted(places(d.binding)) == [("Corridors", 3), ("Corridors", 4)]
    assert "corridor H-P capacity 700 t/yr in P1" in str(d) and "corridor H-P2 capacity 400 t/yr in P1" in str(d)
    assert "M-H" not in str(d)


def test_mine_minimum_that_cannot_be_sold():
    d = diagnosed(unsellable_mine_minimum())
    assert places(d.violations) == [("Mines", 2)]
    (v,) = d.violations
    assert "minimum output 800 t/yr cannot be moved, processed or sold; at most 700 t/yr" in v.what
    assert sorted(places(d.binding)) == [("Markets", 2), ("Ports", 3)]
    text = str(d)
    assert "port PORT_B capacity 400 t/yr in P1" in text
    assert "PORT_A contract maximum 300 t/yr of CONC in P1" in text
    assert "PORT_A capacity" not in text and "H-M" not in text


def test_exposure_budget_below_what_the_contract_needs():
    d = diagnosed(exposure_budget_too_tight())
    assert places(d.violations) == [("RiskLimits", 2)]
    (v,) = d.violations
    assert "exposure budget 100 is too tight; the minimums need at least 220" in v.what
    assert sorted(places(d.binding)) == [("Corridors", 3), ("RiskLimits", 2)]
    assert "corridor RAIL capacity 300 t/yr in P1" in str(d)


def test_exposure_finding_names_the_period_row():
    """A RiskLimits row for one period is named by its own spreadsheet row (row 3 here: the
    blank-period row 2 covers the other periods)."""
    recs = exposure_budget_too_tight()
    recs["Periods"] = [{"period": "P1", "start_year": 2030}, {"period": "P2", "start_year": 2031}]
    recs["RiskLimits"] = [{"exposure_budget": 1000}, {"period": "P2", "exposure_budget": 100}]
    d = diagnosed(recs)
    assert places(d.violations) == [("RiskLimits", 3)]
    assert d.violations[0].what.startswith("P2: exposure budget 100 is too tight; the minimums need at least 220")


def test_diagnosis_table_lists_findings_in_order():
    d = diagnose(instance_from_records(corridor_limited_market()), EXACT)
    t = d.table()
    assert list(t.columns) == ["kind", "sheet", "row", "finding"]
    assert list(t["kind"]) == ["cannot be met", "binding limit", "binding limit"]
    assert list(zip(t["sheet"], t["row"])) == [("Markets", 2), ("Corridors", 3), ("Corridors", 4)]


# ---------------------------------------------------------------------------------------------
# CLI: exit 3, the diagnosis printed, a workbook with the Diagnosis sheet
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "records, expected",
    [
        (
            corridor_limited_market,
            [
                ("cannot be met", "Markets", 2, "1,100 t/yr is the most deliverable (400 t/yr short)"),
                ("binding limit", "Corridors", 3, "corridor H-P capacity 700 t/yr in P1"),
                ("binding limit", "Corridors", 4, "corridor H-P2 capacity 400 t/yr in P1"),
            ],
        ),
        (
            exposure_budget_too_tight,
            [
                ("cannot be met", "RiskLimits", 2, "the minimums need at least 220"),
                ("binding limit", "Corridors", 3, "corridor RAIL capacity 300 t/yr in P1"),
                ("binding limit", "RiskLimits", 2, "exposure budget 100 in P1"),
            ],
        ),
    ],
    ids=["corridor", "exposure"],
)
def test_cli_solve_infeasible_writes_diagnosis_workbook(tmp_path: Path, records, expected):
    src = write_template(tmp_path / "case.xlsx", copy.deepcopy(records()))
    out = tmp_path / "plan.xlsx"
    res = CliRunner().invoke(app, ["solve", str(src), "-o", str(out)])
    assert res.exit_code == EXIT_INFEASIBLE, res.output
    assert "Traceback" not in res.output
    text = said(res.output)
    assert "Why there is no feasible plan" in text
    for _kind, sheet, row, fragment in expected:
        assert f"{sheet} row {row}" in text and fragment in text, (sheet, row, fragment, text)
    assert "Diagnosis written:" in text

    back = read_results_workbook(out)
    assert back.summary["status"] == "infeasible"
    assert "Flows" not in back.tables and not out.with_name("plan_map.png").exists()
    diag = back["Diagnosis"]
    assert len(diag) == len(expected)
    for rec, (kind, sheet, row, fragment) in zip(diag.to_dict("records"), sorted(expected, key=lambda e: e[0] != "cannot be met")):
        assert (rec["kind"], rec["sheet"], int(rec["row"])) == (kind, sheet, row)
        assert fragment in rec["finding"]
