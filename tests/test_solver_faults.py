"""Solver faults: every way a solve can end gives a clear status in the terminal and the Summary
sheet and the documented exit code, and a plan is never written as if it were optimal.

| fault | how | outcome |
|---|---|---|
| time limit, plan found | 40 x 120 facility location, --time-limit 1 | exit 5, Summary status 'feasible (not proven optimal)', termination 'time limit reached', warning row |
| time limit, no plan | same, --time-limit 0.001 | exit 4 'without finding any plan', nothing written (or exit 5 as above) |
| gap limit | 3 x 5 facility location, --gap 0.5 | exit 5, status feasible, termination 'gap limit (--gap 0.5)' unless the gap closed (exit 0) |
| numbers beyond HiGHS's range | 1e13, 1e-9, 10**400 in cells | exit 2, located problem (HiGHS would treat 1e20 as infinite / drop 1e-9) |
| huge coefficient ranges within range | yields 1e-8 with prices 1e12, capacities 1e12 | exact optimum (hand-derived), plan valid |
| infeasible | tests/instances.infeasible_contract | exit 3, rows named, Diagnosis workbook with status 'infeasible' |
| unbounded | impossible by construction (tests/test_solve_status.py); reported if HiGHS said so | exit 4 'unbounded', nothing written |
| HiGHS error / unknown / crash | SolveReport faked, Highs.solve raising | exit 4 with the reason, nothing written |
| Ctrl-C before any plan | SolveReport 'interrupted (Ctrl-C)' without plan | exit 130, nothing written |
| crashed sweep task | raises in run_task (serial), raises inside a Dask worker, kills its worker process | the task's row has status 'error' and the reason; other tasks solved; sweep written (exit 0) |

The exit codes in README.md are checked against supplyopt.errors.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import invoke, said
from model_asserts import assert_plan_valid, solve_records

import instances as I
from supplyopt.errors import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_NOT_OPTIMAL, EXIT_OK, EXIT_OUTPUT, EXIT_SOLVER
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_instance_csv, write_template
from supplyopt.solve.highs import ERROR, FEASIBLE, NO_SOLUTION, OPTIMAL, UNBOUNDED, SolveReport

REPO = Path(__file__).resolve().parents[1]


def assert_not_claimed_optimal(path: Path) -> dict:
    """A results workbook whose plan is not proven optimal says so: status, termination, warning row."""
    summary = read_results_workbook(path).summary
    assert summary["status"] == FEASIBLE
    wb = openpyxl.load_workbook(path, read_only=True)
    note = next(wb["Summary"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    wb.close()
    assert isinstance(note, str) and note.startswith("NOT PROVEN OPTIMAL"), note
    return summary


@pytest.fixture(scope="module")
def cfl(tmp_path_factory) -> Path:
    """40 sites x 120 customers: HiGHS needs several seconds to prove the optimum."""
    folder = tmp_path_factory.mktemp("faults") / "cfl"
    write_instance_csv(folder, I.facility_location_records(**I.random_facility_location(n_sites=40, n_customers=120, seed=7)))
    return folder


# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------


def test_time_limit_with_a_plan(cfl, tmp_path):
    out = tmp_path / "r.xlsx"
    res = invoke("solve", cfl, "-o", out, "--time-limit", "1", "--threads", "1")
    if res.exit_code == EXIT_SOLVER:  # a very slow machine: no plan within 1 s
        assert "without finding any plan" in said(res) and not out.exists()
        pytest.skip("HiGHS found no plan within 1 s here")
    assert res.exit_code == EXIT_NOT_OPTIMAL, res.output
    assert "Not proven optimal" in said(res) and "time limit reached" in said(res)
    summary = assert_not_claimed_optimal(out)
    assert summary["termination"] == "time limit reached"
    assert summary["gap"] is not None and summary["gap"] > 1e-4


def test_time_limit_without_a_plan(cfl, tmp_path):
    out = tmp_path / "r.xlsx"
    res = invoke("solve", cfl, "-o", out, "--time-limit", "0.001", "--threads", "1")
    assert res.exit_code in (EXIT_SOLVER, EXIT_NOT_OPTIMAL), res.output
    if res.exit_code == EXIT_SOLVER:
        assert "HiGHS reached the time limit before finding any plan" in said(res)
        assert "--time-limit" in said(res)
        assert not out.exists()
    else:
        assert_not_claimed_optimal(out)


def test_gap_limit_is_not_proven_optimal(tmp_path):
    """--gap 0.5 lets HiGHS stop once it is within 50 %: the plan is written, but marked feasible
    (not proven optimal) with termination 'gap limit' and exit 5 whenever its gap is above the
    default tolerance (1e-4); --gap 0 gives a proven optimum (6,150, tests/test_classic.py)."""
    src = write_template(tmp_path / "cfl.xlsx", I.facility_location())
    loose = invoke("solve", src, "-o", tmp_path / "loose.xlsx", "--gap", "0.5", "--threads", "1")
    summary = read_results_workbook(tmp_path / "loose.xlsx").summary
    if summary["gap"] is not None and summary["gap"] > 1e-4:
        assert loose.exit_code == EXIT_NOT_OPTIMAL, loose.output
        assert_not_claimed_optimal(tmp_path / "loose.xlsx")
        assert summary["termination"] == "gap limit (--gap 0.5)"
        assert "gap limit" in said(loose)
    else:
        assert loose.exit_code == EXIT_OK and summary["status"] == OPTIMAL
    exact = invoke("solve", src, "-o", tmp_path / "exact.xlsx", "--gap", "0")
    assert exact.exit_code == EXIT_OK, exact.output
    s = read_results_workbook(tmp_path / "exact.xlsx").summary
    assert s["status"] == OPTIMAL and s["termination"] == "optimal within the gap tolerance"
    assert s["objective_value"] == pytest.approx(6150)


# ---------------------------------------------------------------------------------------------
# Numerical trouble
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table, row, column, value, fragment",
    [
        ("Mines", 0, "max_t_per_yr", 1e13, "too large"),
        ("Mines", 0, "max_t_per_yr", 1e18, "too large"),  # HiGHS: 'solver error'
        ("Markets", 1, "price_usd_per_t", 1e30, "too large"),  # HiGHS: 'Cannot maximize with a cost of inf'
        ("Refineries", 0, "module_size_t_per_yr", 1e15, "too large"),  # HiGHS: matrix value > 1e15, reported 'infeasible'
        ("RecipeOutputs", 0, "yield", 1e-9, "too small"),  # HiGHS drops it: refining would yield nothing
        ("Corridors", 0, "distance_km", 10**400, "too large"),  # beyond float: used to crash (OverflowError)
    ],
)
def test_numbers_beyond_the_solvers_range_are_input_errors(tmp_path, table, row, column, value, fragment):
    recs = I.refine_or_export()
    recs[table][row][column] = value
    src = write_template(tmp_path / "case.xlsx", recs) if isinstance(value, float) else None
    if src is not None:
        res = invoke("validate", src)
        assert res.exit_code == EXIT_INPUT, res.output
        assert f"{table} row {row + 2}, column '{column}'" in said(res) and fragment in said(res), res.output
    from supplyopt.errors import InputError
    from supplyopt.io.memory import instance_from_records

    with pytest.raises(InputError) as info:
        instance_from_records(recs)
    assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [(table, row + 2, column)]


def test_huge_coefficient_ranges_within_range_solve_exactly():
    """Gold yield 1e-8 sold at 1e12 USD/t next to copper at 9,000 USD/t and costs of a few USD
    (co_products): HiGHS warns about large costs but the optimum is the hand value: the base
    optimum (2,586,249.7) with the gold margin of 1,000 t x 2e-5 x (6e7 - 15) replaced by
    1,000 t x 1e-8 x (1e12 - 15)."""
    base = solve_records(I.co_products())
    recs = I.co_products()
    recs["RecipeOutputs"][1]["yield"] = 1e-8
    recs["Markets"][1]["price_usd_per_t"] = 1e12
    s = solve_records(recs)
    assert s.report.status == OPTIMAL
    per_t = 10 + 5  # gold's transport R-P and port handling, USD/t
    assert s.report.objective == pytest.approx(base.report.objective - 1000 * 2e-5 * (6e7 - per_t) + 1000 * 1e-8 * (1e12 - per_t), rel=1e-12)
    assert_plan_valid(s.results, s.instance)


def test_capacities_at_the_limit_solve_exactly():
    """Mine output and module size of 1e12 t/yr (the largest accepted) with a copper price of
    1e12 USD/t (refine_or_export otherwise): a clean optimum, a valid plan and the hand value. All
    1e12 t of concentrate are mined (40 USD/t), carried to REF (12), refined in one module (25) into
    0.3e12 t of copper carried to PORT (5) and handled there (4); one-off and yearly costs as in
    the instance (open 30,000, module 5,000, fixed 2,000 + 500 per module; r = 0, one year)."""
    recs = I.refine_or_export()
    recs["Mines"][0]["max_t_per_yr"] = 1e12
    recs["Refineries"][0]["module_size_t_per_yr"] = 1e12
    recs["Markets"][1]["price_usd_per_t"] = 1e12
    s = solve_records(recs)
    assert s.report.status == OPTIMAL
    assert_plan_valid(s.results, s.instance)
    conc = 1e12  # all mined and refined (one module suffices)
    cu = 0.3 * conc
    npv = cu * (1e12 - 5 - 4) - conc * (40 + 12 + 25) - 30_000 - 5_000 - 2_000 - 500
    assert s.report.objective == pytest.approx(npv, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# Infeasible, unbounded, solver errors (faked where the input cannot produce them)
# ---------------------------------------------------------------------------------------------


def test_infeasible(tmp_path):
    src = write_template(tmp_path / "case.xlsx", I.infeasible_contract())
    out = tmp_path / "r.xlsx"
    res = invoke("solve", src, "-o", out)
    assert res.exit_code == EXIT_INFEASIBLE, res.output
    assert "Infeasible error" in said(res) and "Markets row 2" in said(res) and "Mines row 2" in said(res)
    diag = read_results_workbook(out)  # the Diagnosis workbook, never a plan
    assert diag.summary["status"] == "infeasible" and "Diagnosis" in diag.tables
    assert "Flows" not in diag.tables


def _report(status: str, termination: str) -> SolveReport:
    return SolveReport(status, termination, None, None, None, 0.1, 0.1, "HiGHS (fake)", "maximise")


@pytest.mark.parametrize(
    "status, termination, code, fragment",
    [
        (UNBOUNDED, "unbounded", EXIT_SOLVER, "unbounded"),
        (ERROR, "error", EXIT_SOLVER, "HiGHS stopped (error) without finding any plan"),
        (NO_SOLUTION, "unknown", EXIT_SOLVER, "HiGHS stopped (unknown) without finding any plan"),
        (NO_SOLUTION, "iterationLimit", EXIT_SOLVER, "without finding any plan"),
        (NO_SOLUTION, "interrupted (Ctrl-C)", 130, "Interrupted"),
    ],
    ids=["unbounded", "error", "unknown (numerical trouble)", "iteration limit", "ctrl-c before a plan"],
)
def test_solver_statuses_without_a_plan(tmp_path, monkeypatch, status, termination, code, fragment):
    """Statuses the input cannot produce on demand, faked at the pipeline's call to HiGHS: each
    gives its exit code and message, and no results workbook is written."""
    import supplyopt.studies.pipeline

    monkeypatch.setattr(supplyopt.studies.pipeline, "solve", lambda m, options: _report(status, termination))
    src = write_template(tmp_path / "case.xlsx", I.refine_or_export())
    out = tmp_path / "r.xlsx"
    res = invoke("solve", src, "-o", out)
    assert res.exit_code == code, res.output
    assert fragment in said(res), res.output
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["case.xlsx"]


def test_highs_crashing_is_a_solver_error(tmp_path, monkeypatch):
    import highspy

    def broken(self, *args, **kwargs):
        raise RuntimeError("simulated HiGHS crash")

    monkeypatch.setattr(highspy.Highs, "run", broken)
    src = write_template(tmp_path / "case.xlsx", I.refine_or_export())
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx")
    assert res.exit_code == EXIT_SOLVER, res.output
    assert "HiGHS failed: RuntimeError: simulated HiGHS crash" in said(res)
    assert not (tmp_path / "r.xlsx").exists()


def test_plan_written_never_claims_optimal_when_faked_feasible(tmp_path, monkeypatch):
    """A plan HiGHS did not prove optimal (whatever the reason) is written with status feasible and
    exit 5: the pipeline's report is wrapped to say FEASIBLE after a real solve."""
    import supplyopt.studies.pipeline

    real = supplyopt.studies.pipeline.solve

    def feasible(m, options):
        rep = real(m, options)
        rep.status, rep.termination = FEASIBLE, "maxTimeLimit"
        rep.gap = 0.05
        return rep

    monkeypatch.setattr(supplyopt.studies.pipeline, "solve", feasible)
    src = write_template(tmp_path / "case.xlsx", I.refine_or_export())
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx")
    assert res.exit_code == EXIT_NOT_OPTIMAL, res.output
    summary = assert_not_claimed_optimal(tmp_path / "r.xlsx")
    assert summary["termination"] == "time limit reached"


# ---------------------------------------------------------------------------------------------
# Sweeps: a crashing task is isolated
# ---------------------------------------------------------------------------------------------


def sweep_records() -> I.Records:
    r = I.refine_or_export()
    r["Scenarios"] = [{"scenario": "CU_LOW", "table": "Markets", "key": "PORT | CU | ", "column": "price_usd_per_t", "operation": "scale", "value": "0.5"}]
    r["Uncertainties"] = [
        {
            "parameter": "CU",
            "table": "Markets",
            "key": "PORT | CU | ",
            "column": "price_usd_per_t",
            "operation": "scale",
            "distribution": "uniform",
            "low": 0.9,
            "high": 1.1,
        }
    ]
    return r


def test_crashing_task_in_a_serial_sweep_is_isolated(tmp_path, monkeypatch):
    """`supplyopt sweep --serial` where one task raises an unexpected exception: its row has status
    'error' and the exception, the terminal names it, the Summary counts it, the Errors sheet lists
    it; the other tasks are solved and the sweep workbook is written (exit 0: the sweep itself
    succeeded; each task's status is in its row)."""
    import supplyopt.studies.sweep

    real = supplyopt.studies.sweep.run_task

    def run_task(packed, task, options=supplyopt.studies.sweep.TaskOptions()):
        if task.scenario == "CU_LOW":
            raise RuntimeError("simulated crash in a task")
        return real(packed, task, options)

    monkeypatch.setattr(supplyopt.studies.sweep, "run_task", run_task)
    src = write_template(tmp_path / "case.xlsx", sweep_records())
    out = tmp_path / "sweep.xlsx"
    res = invoke("sweep", src, "--serial", "-o", out)
    assert res.exit_code == EXIT_OK, res.output
    assert "1 of 2 task(s) solved" in said(res)
    assert "CU_LOW: error: RuntimeError: simulated crash in a task" in said(res)
    wb = openpyxl.load_workbook(out, read_only=True)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    errors = [r for r in wb["Errors"].iter_rows(values_only=True)]
    wb.close()
    assert summary.get("tasks error") == 1 and summary.get("tasks optimal") == 1, summary
    assert any("simulated crash" in str(r) for r in errors), errors


def _worker_fault():
    """Installed in every Dask worker: the CU_LOW task kills its worker process."""
    import os

    import supplyopt.studies.sweep as sw

    real = sw.run_task

    def run_task(packed, task, options=sw.TaskOptions()):
        if task.scenario == "CU_LOW":
            os._exit(13)
        return real(packed, task, options)

    sw.run_task = run_task


@pytest.mark.slow
def test_crashes_inside_dask_workers_are_isolated():
    """On a local Dask cluster (2 worker processes):

    1. a task that raises inside its worker (a negative sample seed: numpy's ValueError) gives an
       'error' row with the exception; every other task is solved;
    2. a task that kills its worker process (os._exit) gives an 'error' row (KilledWorker once
       Dask gives up retrying it); run_sweep still returns a row for every task. Observed: Dask
       counts every task queued on the dying worker as suspect, so a task queued behind the
       killer may fail with it (KilledWorker or cancelled) - an 'error' row too, never a crash."""
    import dask
    from dask.distributed import Client, LocalCluster

    from supplyopt.io.memory import instance_from_records
    from supplyopt.studies.sweep import Task, run_sweep

    inst = instance_from_records(sweep_records())
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # give up on a killer task at once
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
            raising = run_sweep(
                inst,
                [Task(0, "base"), Task(1, "base", sample=0, seed=-1), Task(2, "base", sample=1, seed=5), Task(3, "CU_LOW")],
                scheduler=cluster.scheduler_address,
            )
            client.run(_worker_fault)
            killing = run_sweep(inst, [Task(0, "base"), Task(1, "CU_LOW"), Task(2, "base", sample=2, seed=5)], scheduler=cluster.scheduler_address)
    rows = {r["task"]: r for r in raising.rows}
    assert rows[1]["status"] == "error" and rows[1]["error"].startswith("ValueError"), rows[1]
    assert [rows[i]["status"] for i in (0, 2, 3)] == [OPTIMAL] * 3
    assert math.isfinite(rows[0]["npv_usd"])
    rows = {r["task"]: r for r in killing.rows}
    assert sorted(rows) == [0, 1, 2]
    assert rows[1]["status"] == "error" and re.search(r"KilledWorker|died|cancelled", rows[1]["error"]), rows[1]
    for r in rows.values():
        assert r["status"] == OPTIMAL or (r["status"] == "error" and r["error"]), r
    assert any(r["status"] == OPTIMAL for r in rows.values()), rows


# ---------------------------------------------------------------------------------------------
# The documented exit codes
# ---------------------------------------------------------------------------------------------


def test_readme_exit_codes_match_the_code():
    from supplyopt import errors

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Errors and exit codes") :]
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, flags=re.M))
    assert table.keys() >= {"0", "2", "3", "4", "5", "6", "130"}
    expected = {
        errors.EXIT_OK: "solved",
        errors.EXIT_INPUT: "input",
        errors.EXIT_INFEASIBLE: "infeasible",
        errors.EXIT_SOLVER: "solver",
        errors.EXIT_NOT_OPTIMAL: "not proven optimal",
        errors.EXIT_OUTPUT: "output",
        130: "interrupted",
    }
    for code, word in expected.items():
        assert word in table[str(code)].lower(), (code, table[str(code)])
    assert (errors.InputError.exit_code, errors.InfeasibleError.exit_code, errors.SolverError.exit_code, errors.OutputError.exit_code) == (
        EXIT_INPUT,
        EXIT_INFEASIBLE,
        EXIT_SOLVER,
        EXIT_OUTPUT,
    )
