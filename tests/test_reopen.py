"""Reopening a plan (studies/reopen.py) for stress and explain, and the one run_scenario shared by
`solve --scenario` and `sweep`, on the hand-derived chain of test_stress:

    MINE (≤ 1,000 t/yr CONC at 10 USD/t) --M-R 10 USD/t--> REF (SMELT: yield 0.5, 20 USD/t)
    --R-P 10 USD/t--> PORT (CU).  One period of one year, r = 0. REF opens for 10,000 USD plus
    one 1,000 t/yr module at 5,000 USD.

At price p (USD/t CU) the plan opens REF + 1 module and ships 1,000 t CONC → 500 t CU:
    NPV(p) = 500 p − (10,000 mining + 10,000 M-R + 20,000 SMELT + 5,000 R-P + 15,000 capex)
           = 500 p − 60,000:   NPV(400) = 140,000,  NPV(600) = 240,000,  NPV(300) = 90,000.
Scenario PRICEY scales the CU price by 1.5 (400 → 600).
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import invoke, said
from test_stress import chain, write_csv_folder

from supplyopt.errors import EXIT_INPUT, EXIT_OK, InputError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_template
from supplyopt.studies.reopen import reopen_plan
from supplyopt.studies.scenario_run import run_scenario

PRICEY = {"scenario": "PRICEY", "table": "Markets", "key": "PORT | CU |", "column": "price_usd_per_t", "operation": "scale", "value": 1.5}
CLI = [sys.executable, "-m", "supplyopt.cli"]


def records(price: float = 400, contract: float = 0) -> dict:
    recs = copy.deepcopy(chain())
    recs["Markets"][0].update(price_usd_per_t=price, min_t_per_yr=contract)
    recs["Scenarios"] = [dict(PRICEY)]
    return recs


def summary_sheet(path: Path) -> dict:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    finally:
        wb.close()


@pytest.fixture()
def case(tmp_path) -> Path:
    return write_csv_folder(tmp_path / "case", records())


# ---------------------------------------------------------------------------------------------
# One run_scenario
# ---------------------------------------------------------------------------------------------


def test_run_scenario_applies_the_scenario_and_records_it():
    done = run_scenario(instance_from_records(records()), "PRICEY")
    assert done.error is None
    assert done.results.summary["npv_usd"] == pytest.approx(240_000)
    assert done.metadata["scenario"] == "PRICEY" and "price_usd_per_t" in done.metadata["scenario_overrides"]
    assert done.metadata["instance_sha256"] == done.instance.content_hash()
    base = run_scenario(instance_from_records(records()), None)
    assert base.results.summary["npv_usd"] == pytest.approx(140_000) and base.metadata["scenario"] == "base"


def test_run_scenario_returns_an_unknown_scenario_as_an_input_error():
    done = run_scenario(instance_from_records(records()), "NOPE")
    assert isinstance(done.error, InputError) and done.run is None


def test_solve_scenario_and_sweep_give_the_same_npv(case, tmp_path):
    plan = tmp_path / "pricey.xlsx"
    res = invoke("solve", case, "--scenario", "PRICEY", "-o", plan, "--gap", "0")
    assert res.exit_code == EXIT_OK, res.output
    solved = read_results_workbook(plan).summary
    sweep = tmp_path / "sweep.xlsx"
    res = invoke("sweep", case, "--serial", "--scenario", "PRICEY", "--gap", "0", "-o", sweep)
    assert res.exit_code == EXIT_OK, res.output
    ws = openpyxl.load_workbook(sweep, read_only=True)["Sweep"]
    rows = list(ws.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert row["scenario"] == "PRICEY"
    assert solved["npv_usd"] == pytest.approx(240_000) and row["npv_usd"] == pytest.approx(solved["npv_usd"], rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Reopening: the plan's scenario, the input hash, what changed
# ---------------------------------------------------------------------------------------------


def test_stress_on_a_scenario_plan_applies_the_scenario_without_a_false_warning(case, tmp_path):
    plan = tmp_path / "pricey.xlsx"
    assert invoke("solve", case, "--scenario", "PRICEY", "-o", plan, "--gap", "0").exit_code == EXIT_OK
    reopened = reopen_plan(plan)
    assert reopened.scenario == "PRICEY" and not reopened.input_changed
    out = tmp_path / "stress.xlsx"
    res = invoke("stress", plan, "-o", out, "--gap", "0")
    assert res.exit_code == EXIT_OK, res.output
    assert "Warning" not in res.output and "changed" not in res.output
    summary = summary_sheet(out)
    assert summary["undisrupted_npv_usd"] == pytest.approx(240_000)  # 140,000 if the base were stressed
    assert summary["scenario"] == "PRICEY"


def test_explain_after_the_input_changed_warns_and_compares_with_a_re_solve(case, tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert invoke("solve", case, "-o", plan, "--gap", "0").exit_code == EXIT_OK
    res = invoke("explain", plan, "--site", "REF", "--gap", "0")
    assert res.exit_code == EXIT_OK, res.output
    assert "Warning" not in res.output
    assert "NPV 140,000 → 0 USD" in said(res)
    shutil.rmtree(case)
    write_csv_folder(case, records(price=300))  # the planner lowers the price after solving
    res = invoke("explain", plan, "--site", "REF", "--gap", "0")
    assert res.exit_code == EXIT_OK, res.output
    text = said(res)
    assert "has changed since" in text and "tables that differ: Markets" in text
    assert "Markets PORT | CU | P1 price_usd_per_t: 400 → 300" in text
    assert "re-solve of the current input" in text
    assert "NPV 90,000 → 0 USD: forcing it costs 90,000 USD." in text  # not the stale 140,000


def test_stress_after_a_corridor_changed_names_the_cell(case, tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert invoke("solve", case, "-o", plan, "--gap", "0").exit_code == EXIT_OK
    recs = records()
    recs["Corridors"][2]["distance_km"] = 200  # R-P2: 300 → 200 km
    shutil.rmtree(case)
    write_csv_folder(case, recs)
    changes = reopen_plan(plan).changes
    assert changes[0] == "tables that differ: Corridors"
    assert "Corridors R-P2 distance_km: 300 → 200" in changes
    res = invoke("stress", plan, "-o", tmp_path / "s.xlsx", "--gap", "0")
    assert res.exit_code == EXIT_OK, res.output
    assert "Corridors R-P2 distance_km: 300 → 200" in said(res) and "stressed on the input as it is now" in said(res)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", ["stress", "explain"])
def test_a_fifo_recorded_as_the_input_is_refused_without_hanging(tmp_path, command):
    src = write_template(tmp_path / "case.xlsx", records())
    plan = tmp_path / "plan.xlsx"
    assert invoke("solve", src, "-o", plan, "--gap", "0").exit_code == EXIT_OK
    src.unlink()
    os.mkfifo(src)  # reading it would block until a writer comes: never
    args = [*CLI, command, str(plan), "-o", str(tmp_path / "out.xlsx")] if command == "stress" else [*CLI, command, str(plan), "--site", "REF"]
    env = {**os.environ, "COLUMNS": "1000", "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == EXIT_INPUT, proc.stdout + proc.stderr
    text = " ".join((proc.stdout + proc.stderr).split())
    assert "not a regular file or folder" in text and str(src) in text and "Traceback" not in text


def test_no_input_recorded_or_found_is_an_input_error(case, tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert invoke("solve", case, "-o", plan).exit_code == EXIT_OK
    shutil.rmtree(case)
    res = invoke("stress", plan, "-o", tmp_path / "s.xlsx")
    assert res.exit_code == EXIT_INPUT
    assert "was not found: give it with --input" in said(res)
