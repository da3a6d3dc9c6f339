"""Comparison of results: three small solves of `refine_or_export` (tests/instances.py).

Hand-derived plans (one period of one year, r = 0):
- base: refine all 2,000 t CONC at REF (2 modules): revenue 600 t CU × 500 = 300,000; mining
  80,000, processing 50,000, M-R 24,000, R-P 3,000, port 2,400, opex 3,000, capex 30,000 + 10,000
  → NPV 97,600; R-P carries 600 t CU; PORT exports 600 t/yr.
- CU_LOW (copper 250 USD/t): refining earns 600 × 250 − 50,000 − 43,000 < concentrate, so the
  2,000 t CONC are sold at 90: 180,000 − 80,000 − 24,000 − 10,000 − 8,000 = 58,000.
- PRICEY (open capex + 100,000): the same plan as CU_LOW, NPV 58,000.
"""

from __future__ import annotations

import copy

import openpyxl
import pytest
from typer.testing import CliRunner

from instances import refine_or_export
from supplyopt.cli import app
from supplyopt.errors import InputError
from supplyopt.inputs.scenarios import apply_scenario
from supplyopt.io.compare_workbook import write_comparison_workbook
from supplyopt.io.memory import instance_from_records
from supplyopt.results import Results
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.compare import compare_results, load_results
from supplyopt.studies.pipeline import provenance, run_solve

SCENARIOS = [
    {"scenario": "CU_LOW", "table": "Markets", "key": "PORT | CU |", "column": "price_usd_per_t", "operation": "scale", "value": 0.5},
    {"scenario": "PRICEY", "table": "Refineries", "key": "REF", "column": "open_capex_usd", "operation": "add", "value": 100_000},
]


def records() -> dict:
    recs = refine_or_export()
    recs["Scenarios"] = copy.deepcopy(SCENARIOS)
    return recs


@pytest.fixture(scope="module")
def three() -> list[tuple[str, Results]]:
    inst = instance_from_records(records())
    out = []
    for name in ("base", "CU_LOW", "PRICEY"):
        s = apply_scenario(inst, name)
        meta = provenance(s, SolveOptions(), scenario=name, overrides=s.metadata["scenario_overrides"] or None)
        out.append((name, run_solve(s, metadata=meta).results))
    return out


def kpi(c, key: str, column: str):
    return c.kpis.set_index("kpi").loc[key, column]


def test_kpis_side_by_side_with_differences(three):
    c = compare_results(three)
    assert c.names == ["base", "CU_LOW", "PRICEY"]
    assert [kpi(c, "npv_usd", n) for n in c.names] == pytest.approx([97_600, 58_000, 58_000])
    assert kpi(c, "npv_usd", "CU_LOW − base") == pytest.approx(-39_600)
    assert kpi(c, "npv_usd", "CU_LOW vs base %") == pytest.approx(-39_600 / 97_600)
    assert kpi(c, "revenue_pv_usd", "PRICEY − base") == pytest.approx(-120_000)
    assert kpi(c, "capex_pv_usd", "base") == pytest.approx(-40_000)
    assert kpi(c, "capex_pv_usd", "CU_LOW vs base %") == pytest.approx(1.0)  # costs are negative: capex fell by 100 %
    assert kpi(c, "exports_t_per_yr", "CU_LOW") == pytest.approx(2000)
    assert kpi(c, "refineries_open", "base") == "REF" and kpi(c, "refineries_open", "CU_LOW") == "none"
    assert kpi(c, "refineries_open", "CU_LOW − base") == "changed"
    assert kpi(c, "status", "PRICEY − base") is None


def test_decisions_that_differ(three):
    d = compare_results(three).decisions
    rows = {(r["decision"], r["item"], r["period"]): r for r in d.to_dict("records")}
    assert set(rows) == {("refinery open", "REF", "P1"), ("refinery modules", "REF", "P1")}
    assert [rows[("refinery open", "REF", "P1")][n] for n in ("base", "CU_LOW", "PRICEY")] == ["open", "closed", "closed"]
    assert rows[("refinery modules", "REF", "P1")]["CU_LOW − base"] == -2


def test_flows_and_exports_that_differ(three):
    c = compare_results(three)
    flows = {(r["corridor"], r["commodity"]): r for r in c.flows.to_dict("records")}
    assert set(flows) == {("R-P", "CONC"), ("R-P", "CU")}  # M-R carries 2,000 t CONC in all three: not listed
    assert flows[("R-P", "CU")]["base"] == pytest.approx(600) and flows[("R-P", "CU")]["CU_LOW − base"] == pytest.approx(-600)
    assert flows[("R-P", "CONC")]["PRICEY"] == pytest.approx(2000)
    ports = c.exports_by_port.set_index("port")
    assert ports.loc["PORT", "base"] == pytest.approx(600) and ports.loc["PORT", "CU_LOW vs base %"] == pytest.approx(1400 / 600)
    by_commodity = c.exports.set_index(["port", "commodity"])
    assert by_commodity.loc[("PORT", "CONC"), "CU_LOW"] == pytest.approx(2000)


def test_identical_results_differ_nowhere(three):
    c = compare_results([three[1], ("again", three[2][1])])
    assert c.decisions.empty and c.flows.empty
    assert kpi(c, "npv_usd", "again − CU_LOW") == 0


def _with_summary(r: Results, **changes) -> Results:
    return Results(r.tables, {**r.summary, **changes})


def test_unfinished_and_other_schema_results_are_flagged_not_mixed(three):
    (_, base), (_, low), (_, pricey) = three
    items = [
        ("base", base),
        ("LIMIT", _with_summary(low, status="feasible (not proven optimal)")),
        ("OLD", _with_summary(pricey, input_schema="0123456789ab")),
        ("PRICEY", pricey),
    ]
    c = compare_results(items)
    assert c.names == ["base", "PRICEY"]
    assert "LIMIT" not in c.kpis.columns and "OLD" not in c.kpis.columns
    reasons = dict(zip(c.flagged["result"], c.flagged["reason"]))
    assert "unfinished solve" in reasons["LIMIT"] and "different input schema" in reasons["OLD"]
    kept = compare_results(items, allow_unfinished=True)
    assert kept.names == ["base", "LIMIT", "PRICEY"] and "LIMIT" in set(kept.flagged["result"])


def test_unfinished_base_makes_the_next_the_base(three):
    items = [("base", _with_summary(three[0][1], status="no solution")), three[1], three[2]]
    c = compare_results(items)
    assert c.names == ["CU_LOW", "PRICEY"] and c.notes
    with pytest.raises(InputError, match="none of the results can be compared"):
        compare_results(items[:1])


def test_workbook_sheets_and_charts(three, tmp_path):
    path = write_comparison_workbook(compare_results(three), tmp_path / "cmp.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "KPIs", "Decisions", "Flows", "ExportsByPort", "Exports", "Flagged"]
    assert len(wb["KPIs"]._charts) == 2 and len(wb["ExportsByPort"]._charts) == 1
    header = [c.value for c in wb["KPIs"][1]]
    assert header[:6] == ["kpi", "label", "unit", "base", "CU_LOW", "PRICEY"]
    assert wb["KPIs"]["D2"].value == pytest.approx(97_600)
    with pytest.raises(Exception, match="exists"):
        write_comparison_workbook(compare_results(three), path)


def test_cli_solve_scenarios_then_compare_a_folder(tmp_path):
    from supplyopt.io.template import write_template

    recs = records()
    recs["Scenarios"].append({"scenario": "BROKEN", "table": "Markets", "key": "PORT | CU |", "column": "min_t_per_yr", "value": 5000})
    write_template(tmp_path / "case.xlsx", records=recs)
    runner = CliRunner()
    res = runner.invoke(app, ["solve", str(tmp_path / "case.xlsx"), "--scenario", "all", "-o", str(tmp_path / "out")])
    assert res.exit_code == 3, res.output  # BROKEN is infeasible; the others are written
    files = sorted(p.name for p in (tmp_path / "out").glob("*.xlsx"))
    # BROKEN leaves a workbook with its diagnosis (status infeasible)
    assert files == ["case_BROKEN_results.xlsx", "case_CU_LOW_results.xlsx", "case_PRICEY_results.xlsx", "case_base_results.xlsx"]
    loaded = load_results([tmp_path / "out"])
    assert [n for n, _r, _s in loaded] == ["base", "BROKEN", "CU_LOW", "PRICEY"]
    assert loaded[2][1].summary["scenario_overrides"] == "Markets[PORT | CU |].price_usd_per_t scale 0.5"
    res = runner.invoke(app, ["compare", str(tmp_path / "out"), "-o", str(tmp_path / "cmp.xlsx")])
    assert res.exit_code == 0, res.output
    assert "CU_LOW" in res.output and "-39,600" in res.output
    assert "Flagged BROKEN" in " ".join(res.output.split()) and "unfinished solve: status 'infeasible'" in " ".join(res.output.split())
    wb = openpyxl.load_workbook(tmp_path / "cmp.xlsx")
    assert [c.value for c in wb["KPIs"][1]][3:6] == ["base", "CU_LOW", "PRICEY"]
    # a comparison workbook in the folder is skipped; naming files puts the first as base
    res = runner.invoke(app, ["compare", str(tmp_path / "out" / "case_PRICEY_results.xlsx"), str(tmp_path / "out"), "-o", str(tmp_path / "c2.xlsx")])
    assert res.exit_code == 0, res.output
    assert "NPV against PRICEY" in res.output


def test_cli_solve_one_scenario_to_a_file_and_unknown_scenario(tmp_path):
    from supplyopt.io.template import write_template

    write_template(tmp_path / "case.xlsx", records=records())
    runner = CliRunner()
    res = runner.invoke(app, ["solve", str(tmp_path / "case.xlsx"), "--scenario", "PRICEY", "-o", str(tmp_path / "p.xlsx")])
    assert res.exit_code == 0, res.output
    assert load_results([tmp_path / "p.xlsx"])[0][1].summary["npv_usd"] == pytest.approx(58_000)
    res = runner.invoke(app, ["solve", str(tmp_path / "case.xlsx"), "--scenario", "base", "--scenario", "CU_LOW", "-o", str(tmp_path / "r" / "pk.xlsx")])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "pk.log",  # the batch's log (issue 16 item 3)
        "pk_CU_LOW.record",
        "pk_CU_LOW.xlsx",
        "pk_base.record",
        "pk_base.xlsx",
    ]  # each workbook with its results record, and the batch's log
    res = runner.invoke(app, ["solve", str(tmp_path / "case.xlsx"), "--scenario", "PRICY"])
    assert res.exit_code == 2 and "did you mean 'PRICEY'" in " ".join(res.output.split())


def test_a_control_character_in_a_scenario_name_is_written_not_a_crash(three, tmp_path):
    """A scenario named with a control character (BEL) reached the comparison's Summary, where
    openpyxl raised IllegalCharacterError (exit 1): it is written as U+FFFD instead."""
    named = []
    for name, res in three:
        summary = dict(res.summary)
        summary["scenario"] = f"{name}\x07bell"
        named.append((f"{name}\x07bell", Results(res.tables, summary, res.report)))
    out = write_comparison_workbook(compare_results(named), tmp_path / "cmp.xlsx")
    wb = openpyxl.load_workbook(out)
    text = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("base\ufffdbell" in t for t in text)
    assert not any("\x07" in t for t in text)
