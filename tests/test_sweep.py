"""Sweeps: serial and dask.distributed runs give the same rows; failing tasks are isolated.

The instance is `refine_or_export` (tests/instances.py): refining opens REF when it pays
(base NPV 97,600; exporting concentrate instead gives 58,000). Scenario CAPEX_k adds
k × 4,000 USD to REF's opening cost, so NPV = 97,600 − 4,000 k while that beats 58,000
(k ≤ 9), then 58,000 with REF shut. INFEASIBLE asks for more copper than REF can make;
BROKEN sets a mine minimum above its maximum (an input error found when applied).
"""

from __future__ import annotations

import copy
import logging

import openpyxl
import pytest
from typer.testing import CliRunner

from instances import refine_or_export
from supplyopt.cli import app
from supplyopt.io.memory import instance_from_records
from supplyopt.io.sweep_workbook import write_sweep_workbook
from supplyopt.studies.sweep import Task, TaskOptions, make_tasks, run_sweep
from supplyopt.studies.sweep_tables import npv_histogram, site_frequency, sweep_table

N_CAPEX = 20
KEYS = ("label", "scenario", "sample", "status", "npv_usd", "objective_value", "sites", "modules", "upgrades", "risk_exposure_total", "draws", "error")


def records() -> dict:
    recs = refine_or_export()
    recs["Scenarios"] = [
        {"scenario": f"CAPEX_{k}", "table": "Refineries", "key": "REF", "column": "open_capex_usd", "operation": "add", "value": 4000 * k}
        for k in range(N_CAPEX)
    ]
    recs["Scenarios"] += [
        {"scenario": "INFEASIBLE", "table": "Markets", "key": "PORT | CU |", "column": "min_t_per_yr", "value": 5000},
        {"scenario": "BROKEN", "table": "Mines", "key": "MINE | CONC |", "column": "min_t_per_yr", "value": 5000},
    ]
    recs["Uncertainties"] = [
        {
            "parameter": "CU",
            "table": "Markets",
            "key": "* | CU | *",
            "column": "price_usd_per_t",
            "operation": "scale",
            "distribution": "uniform",
            "low": 0.5,
            "high": 1.5,
        },
        {"parameter": "CAPEX", "table": "Refineries", "key": "*", "column": "open_capex_usd", "operation": "scale", "distribution": "triangular"}
        | {"low": 0.5, "mode": 1.0, "high": 3.0},
    ]
    return copy.deepcopy(recs)


@pytest.fixture(scope="module")
def inst():
    return instance_from_records(records())


@pytest.fixture(scope="module")
def serial_all(inst):
    return run_sweep(inst, make_tasks(inst, ["all"]), serial=True)


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
    yield c
    c.close()


def same(rows) -> list[tuple]:
    return [tuple(repr(r.get(k)) for k in KEYS) for r in rows]


def test_make_tasks(inst):
    tasks = make_tasks(inst, ["all"])
    assert [t.scenario for t in tasks] == ["base"] + [f"CAPEX_{k}" for k in range(N_CAPEX)] + ["INFEASIBLE", "BROKEN"]
    assert [t.index for t in tasks] == list(range(len(tasks))) and all(t.sample is None for t in tasks)
    tasks = make_tasks(inst, ["base", "CAPEX_1"], samples=3, seed=9)
    assert [t.label for t in tasks] == ["base#0", "base#1", "base#2", "CAPEX_1#0", "CAPEX_1#1", "CAPEX_1#2"]
    assert {t.seed for t in tasks} == {9}


def test_scenario_sweep_on_a_local_cluster_matches_serial_and_isolates_failures(inst, serial_all):
    tasks = make_tasks(inst, ["all"])
    assert len(tasks) >= 22
    serial = serial_all
    seen = []
    parallel = run_sweep(inst, tasks, workers=2, progress=lambda done, total, row: seen.append((done, total)))
    assert parallel.info["mode"] == "dask LocalCluster" and parallel.info["workers"] == 2
    assert seen[-1] == (len(tasks), len(tasks))
    assert same(serial.rows) == same(parallel.rows)  # exactly the same numbers
    by = {r["scenario"]: r for r in parallel.rows}
    for k in range(N_CAPEX):
        r = by[f"CAPEX_{k}"]
        assert r["status"] == "optimal"
        if k <= 9:
            assert r["npv_usd"] == pytest.approx(97_600 - 4000 * k) and r["sites"] == ["REF"] and r["modules"] == {"REF": 2}
        else:
            assert r["npv_usd"] == pytest.approx(58_000) and r["sites"] == [] and r["modules"] == {"REF": 0}
    assert by["INFEASIBLE"]["status"] == "infeasible" and "infeasible" in by["INFEASIBLE"]["error"]
    assert by["BROKEN"]["status"] == "input error"
    assert "Scenarios row" in by["BROKEN"]["error"] and "above maximum" in by["BROKEN"]["error"]
    df = sweep_table(parallel.rows)
    assert list(df["scenario"]) == [t.scenario for t in tasks] and df.columns[-1] == "error"


def test_monte_carlo_is_reproducible_serially_and_on_a_cluster(inst, cluster):
    tasks = make_tasks(inst, ["base", "CAPEX_5"], samples=6, seed=11)
    a = run_sweep(inst, tasks, serial=True)
    b = run_sweep(inst, tasks, scheduler=cluster.scheduler_address)
    assert b.info["mode"] == "dask" and b.info["workers"] == 2
    assert same(a.rows) == same(b.rows)
    assert same(a.rows) == same(run_sweep(inst, tasks, serial=True).rows)
    draws = [r["draws"]["CU"] for r in a.rows]
    assert draws[:6] == draws[6:]  # each sample draws the same in every scenario
    assert len(set(draws[:6])) == 6
    other = run_sweep(inst, make_tasks(inst, ["base"], samples=6, seed=12), serial=True)
    assert [r["draws"]["CU"] for r in other.rows] != draws[:6]
    for r in a.rows:  # each sample's NPV is that of the best number of modules at its prices
        capex = (30_000 + (20_000 if r["scenario"] == "CAPEX_5" else 0)) * r["draws"]["CAPEX"]  # scenario first, then the draw
        assert r["npv_usd"] == pytest.approx(max(plan_npv(n, 500 * r["draws"]["CU"], capex) for n in (0, 1, 2)), rel=1e-9)


def plan_npv(modules: int, cu_price: float, open_capex: float) -> float:
    """NPV of refining 1,000 t CONC per module at REF and selling the rest as concentrate."""
    refined = 1000 * modules
    conc = 2000 - refined
    cu = 0.3 * refined
    revenue = cu * cu_price + 90 * conc
    cost = 80_000 + 24_000 + 25 * refined + (5 + 4) * (cu + conc)  # mining, M-R, processing, R-P + port
    if modules:
        cost += 2_000 + 500 * modules + open_capex + 5_000 * modules  # fixed opex, module opex, capex
    return revenue - cost


def test_a_crashing_task_is_reported_and_the_sweep_goes_on(inst, cluster, monkeypatch):
    # on the cluster: every task crashes with a ValueError inside HiGHS's options
    bad = run_sweep(inst, make_tasks(inst, ["base", "CAPEX_1"]), TaskOptions(time_limit="soon"), scheduler=cluster.scheduler_address)
    assert [r["status"] for r in bad.rows] == ["error", "error"] and "ValueError" in bad.rows[0]["error"]
    # serially: one task crashes, the others solve
    import supplyopt.studies.sweep as sweep

    real = sweep.run_task

    def flaky(packed, task, options):
        if task.index == 1:
            raise RuntimeError("worker lost")
        return real(packed, task, options)

    monkeypatch.setattr(sweep, "run_task", flaky)
    rows = run_sweep(inst, make_tasks(inst, ["base", "CAPEX_1", "CAPEX_2"]), serial=True).rows
    assert [r["status"] for r in rows] == ["optimal", "error", "optimal"]
    assert rows[1]["error"] == "RuntimeError: worker lost"


def test_keep_tables_returns_results(inst):
    out = run_sweep(inst, [Task(0, "CAPEX_1")], TaskOptions(keep_tables=True), serial=True)
    r = out.results["CAPEX_1"]
    assert r.summary["scenario"] == "CAPEX_1" and r.summary["scenario_overrides"] == "Refineries[REF].open_capex_usd add 4000"
    assert set(r.tables) >= {"Refineries", "Flows", "Sales"}
    assert "tables" not in out.rows[0]


def test_sweep_workbook(serial_all, tmp_path):
    sweep = serial_all
    hist = npv_histogram(sweep.rows)
    assert hist["count"].sum() == N_CAPEX + 1  # the solved tasks
    freq = site_frequency(sweep.rows).set_index("site")
    assert freq.loc["REF", "times_chosen"] == 11 and freq.loc["(no refinery)", "times_chosen"] == 10
    path = write_sweep_workbook(sweep, tmp_path / "sweep.xlsx", extra={"input": "case"})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Sweep", "NPVHistogram", "SiteChoice", "Errors"]
    assert len(wb["NPVHistogram"]._charts) == 1 and len(wb["SiteChoice"]._charts) == 1
    assert wb["Sweep"].max_row == len(sweep.rows) + 1
    errors = [row for row in wb["Errors"].iter_rows(min_row=2, values_only=True)]
    assert [e[1] for e in errors] == ["INFEASIBLE", "BROKEN"]


def test_cli_sweep_serial_and_on_a_scheduler_give_the_same_workbook_rows(tmp_path, cluster):
    from supplyopt.io.template import write_template

    write_template(tmp_path / "case.xlsx", records=records())
    runner = CliRunner()
    args = ["sweep", str(tmp_path / "case.xlsx"), "--samples", "4", "--seed", "3", "--scenario", "CAPEX_2"]
    res = runner.invoke(app, [*args, "--serial", "-o", str(tmp_path / "a.xlsx")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, [*args, "--scheduler", cluster.scheduler_address, "-o", str(tmp_path / "b.xlsx"), "--results-folder", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    assert "4 of 4 task(s) solved" in res.output

    def rows(p):
        ws = openpyxl.load_workbook(p)["Sweep"]
        data = list(ws.iter_rows(values_only=True))
        keep = [i for i, h in enumerate(data[0]) if h != "seconds"]
        return [[r[i] for i in keep] for r in data]

    assert rows(tmp_path / "a.xlsx") == rows(tmp_path / "b.xlsx")
    assert len(list((tmp_path / "r").glob("*.xlsx"))) == 4
    res = runner.invoke(
        app, ["sweep", str(tmp_path / "case.xlsx"), "--scenario", "CAPEX_1", "--scenario", "BROKEN", "--serial", "-o", str(tmp_path / "f.xlsx")]
    )
    assert res.exit_code == 0 and "1 of 2 task(s) solved" in res.output and "BROKEN: input error" in res.output, res.output
