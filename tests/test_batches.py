"""Batches (issue 15 items 4-5, issue 16 items 3-4, issue 14 item 1's file names): the task
runner's choice and order, the warm-start values studies pass, the scenario changes as a planner
reads them, number columns never cut, --json, -q and the log, file names from scenario names,
and a scenario whose workbook cannot be written reported in its row while the others run."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from rich.console import Console
from test_compare import records as scenario_records
from test_stress import chain, solved_design, write_csv_folder
from typer.testing import CliRunner

from supplyopt.cli import app
from supplyopt.cli.common import file_part
from supplyopt.cli.scenario_batch import describe_changes
from supplyopt.cli.study_cmds import number_table
from supplyopt.solve.highs import SolveOptions
from supplyopt.solve.progress import SolveProgress
from supplyopt.studies import warm
from supplyopt.studies.runner import LOCAL, SERIAL, RunnerOptions, choose_mode, run_tasks

# ---------------------------------------------------------------------------------------------
# The task runner
# ---------------------------------------------------------------------------------------------


def test_a_cluster_only_when_the_batch_is_worth_it():
    two = RunnerOptions(workers=2)
    assert choose_mode(2, two) == SERIAL  # fewer than min_tasks (3)
    assert choose_mode(3, two) == LOCAL  # nothing known of the time: the count decides
    assert choose_mode(14, two, seconds_each=0.5) == SERIAL  # 7 s of work < 15 s: start-up would dominate
    assert choose_mode(14, two, seconds_each=2.0) == LOCAL  # 28 s
    assert choose_mode(14, RunnerOptions(workers=1)) == SERIAL  # one worker gains nothing
    assert choose_mode(14, RunnerOptions(serial=True, workers=2)) == SERIAL
    assert choose_mode(1, RunnerOptions(scheduler="tcp://h:1")) == "dask"  # an explicit scheduler is always used
    assert choose_mode(0, two) == SERIAL


def _square(shared: int, x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return shared * x * x


def test_serial_runner_keeps_the_order_and_isolates_a_crash():
    seen = []
    out, info = run_tasks(
        _square, 10, [1, 2, 3, 4], RunnerOptions(serial=True), on_error=lambda x, exc: f"{x}: {exc}", progress=lambda k, n, r: seen.append((k, n))
    )
    assert out == [10, 40, "3: three", 160]
    assert info["mode"] == SERIAL and info["tasks"] == 4
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def _slow_square(shared: int, x: int) -> int:
    import time

    time.sleep(0.25)
    return _square(shared, x)


def test_this_process_and_the_cluster_share_the_cases():
    """With 2 workers: this process runs cases from the first second (the cluster boots meanwhile)
    and goes on beside the one worker process; results in item order, a crash in its place."""
    from supplyopt.studies.runner import shutdown

    shutdown()  # no cluster left by an earlier test: this batch pays the start-up
    seen = []
    items = list(range(1, 25))
    out, info = run_tasks(_slow_square, 10, items, RunnerOptions(workers=2), on_error=lambda x, exc: f"{x}: {exc}", progress=lambda k, n, r: seen.append(k))
    assert out == [10 * x * x if x != 3 else "3: three" for x in items]  # item order, the crash in its place
    assert info["mode"] == LOCAL and info["workers"] == 2
    assert 1 <= info["ran_here"] < len(items)  # the first case cannot wait for a booting cluster
    assert seen == list(range(1, 25))
    shutdown()


# ---------------------------------------------------------------------------------------------
# Warm starts: the values each study passes (the option itself is switched on at merge)
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WarmOptions(SolveOptions):
    """SolveOptions as they will be, with warm_start."""

    warm_start: Mapping[str, float] | None = None


# The chain's plan (test_stress: REF opened in P1 with one module): its design variables by name.
CHAIN_DESIGN = {"open_new[REF,P1]": 1.0, "add_modules[REF,P1]": 1.0}


@pytest.fixture
def warm_on(monkeypatch):
    """warm_start switched on (SolveOptions replaced by WarmOptions) and every solve's
    warm_start recorded, in call order."""
    import supplyopt.solve.highs as highs

    monkeypatch.setattr(warm, "SolveOptions", WarmOptions)
    starts: list = []
    real = highs.solve

    def spy(m, options=SolveOptions()):
        starts.append(getattr(options, "warm_start", None))
        return real(m, options)

    for mod in ("supplyopt.studies.stress", "supplyopt.studies.frontier", "supplyopt.studies.pipeline"):
        monkeypatch.setattr(f"{mod}.solve", spy)
    return starts


def test_without_the_option_nothing_changes():
    assert not warm.supports_warm_start() or "warm_start" in {f.name for f in dataclasses.fields(SolveOptions)}
    opts = SolveOptions(mip_gap=0.0)
    if not warm.supports_warm_start():
        assert warm.with_warm_start(opts, CHAIN_DESIGN) is opts


def test_design_values_name_every_design_variable():
    from supplyopt.io.memory import instance_from_records
    from supplyopt.model import build_model
    from supplyopt.studies.design import Design

    m = build_model(instance_from_records(chain(years=1)))
    assert warm.design_values(m, Design({"REF": "P1"}, {("REF", "P1"): 1}, {})) == CHAIN_DESIGN
    assert warm.design_values(m, Design()) == {"open_new[REF,P1]": 0.0, "add_modules[REF,P1]": 0.0}  # a closed plan is a start too


def test_stress_cases_start_from_the_design(warm_on):
    from supplyopt.studies.stress import stress

    inst, design, _npv = solved_design(chain())
    result = stress(inst, design, WarmOptions(mip_gap=0.0, threads=1))
    assert len(warm_on) == 1 + len(result.cases)  # undisrupted, REF_HALF and three closures
    assert all(s == CHAIN_DESIGN for s in warm_on)


def test_frontier_points_start_from_the_unconstrained_plan(warm_on):
    from test_frontier import records as risky_chain

    from supplyopt.io.memory import instance_from_records
    from supplyopt.studies.frontier import frontier

    result = frontier(instance_from_records(risky_chain()), 3, WarmOptions(mip_gap=0.0, threads=1))
    assert warm_on[0] is None  # the unconstrained solve has nothing to start from
    design = result.points[0].design
    assert all(s is not None and s == {k: v for k, v in s.items()} for s in warm_on[1:])
    assert len(warm_on) >= 2 + 3
    # every later solve starts from the unconstrained plan (point 1 is that plan: same design)
    opened = {f"open_new[{j},{p}]" for j, p in design.opened.items()}
    assert all({k for k, v in s.items() if k.startswith("open_new") and v == 1.0} == opened for s in warm_on[1:])


def test_scenario_runs_and_explain_start_from_the_base_plan(warm_on):
    from supplyopt.io.memory import instance_from_records
    from supplyopt.studies.design import Design
    from supplyopt.studies.scenario_run import run_scenario

    inst = instance_from_records(scenario_records())
    base = run_scenario(inst, None, WarmOptions())
    design = Design.from_results(base.results)
    assert warm_on == [None]  # the base itself starts cold
    done = run_scenario(inst, "PRICEY", WarmOptions(), warm=design)
    assert done.error is None
    # refine_or_export's base refines all 2,000 t/yr of the mine: REF opened with both modules
    assert warm_on[1] == {"open_new[REF,P1]": 1.0, "add_modules[REF,P1]": 2.0}
    from supplyopt.studies.explain import explain

    why = explain(inst, base.results, site="REF", options=WarmOptions())
    assert why.forced == "site REF kept closed"
    assert warm_on[2] == warm_on[1]  # the forced re-solve starts from the base plan too


# ---------------------------------------------------------------------------------------------
# What the terminal says
# ---------------------------------------------------------------------------------------------


def test_scenario_changes_name_the_setting():
    assert describe_changes("Settings[escorts].value set yes") == "Settings escorts = yes"
    text = "Markets[* | CU_CATHODE | *].price_usd_per_t scale 1.251; Ports[GWADAR].handling_usd_per_t add 6; RiskLimits[].exposure_budget set 17330000"
    assert (
        describe_changes(text)
        == "Markets[* | CU_CATHODE | *].price_usd_per_t × 1.251; Ports[GWADAR].handling_usd_per_t + 6; RiskLimits[].exposure_budget = 17330000"
    )
    assert describe_changes(text, limit=1) == "Markets[* | CU_CATHODE | *].price_usd_per_t × 1.251; … 2 more"
    assert describe_changes("") == "no changes (the base)"


def test_stage_lines_keep_bracketed_input_names():
    """'Settings[escorts].value set yes' was printed as 'Settings.value set yes' (rich markup)."""
    con = Console(record=True, width=200)
    with SolveProgress(con, show_log=True) as p:
        p.done("Scenario ESCORTS: Settings[escorts].value set yes", 0.1)
    assert "Settings[escorts].value set yes" in con.export_text()


def test_number_columns_are_never_cut_at_120_columns():
    rows = [
        ["1", "52,114,000", "52,114,000", "32,376,005,771", "0", "—", "optimal"],
        ["5", "1,000", "1,000", "-1,234,567,890", "33,610,573,661", "645.31", "[yellow]time limit[/]"],
    ]
    names = ("point", "exposure budget", "exposure", "NPV (USD)", "NPV given up", "per unit exposure cut", "status")
    for width in (120, 100):
        con = Console(record=True, width=width)
        con.print(number_table("Cost–risk frontier", names, rows, text_columns=("status",)))
        text = con.export_text()
        assert "32,376,005,771" in text and "-1,234,567,890" in text and "33,610,573,661" in text and "645.31" in text
        assert max(len(line) for line in text.splitlines()) <= width


# ---------------------------------------------------------------------------------------------
# --json, -q and the log
# ---------------------------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_validate_json_lists_problems_with_their_cells_and_grouping(tmp_path):
    recs = chain()
    recs["Corridors"][0]["to_node"] = "NOWHERE"
    src = write_csv_folder(tmp_path / "case", recs)
    res = invoke("validate", src, "--json")
    assert res.exit_code == 2
    data = json.loads(res.stdout)  # stdout is the JSON alone
    assert data["valid"] is False
    first = data["problems"][0]
    assert set(first) == {"sheet", "row", "column", "message"}
    assert any(p["sheet"] == "Corridors" and p["row"] == 2 and p["column"] == "to_node" and "NOWHERE" in p["message"] for p in data["problems"])
    covered = sorted(i for g in data["groups"] for i in (g["root"], *g["follows"]))
    assert covered == list(range(len(data["problems"])))  # every problem in exactly one group
    assert "Input problems" in res.stderr
    ok = invoke("validate", write_csv_folder(tmp_path / "good", chain()), "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["valid"] is True


def test_solve_json_and_quiet_and_the_log(tmp_path):
    src = write_csv_folder(tmp_path / "case", chain())
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["summary"]["npv_usd"] == pytest.approx(140_000) and data["exit_code"] == 0
    assert data["results"] == str(tmp_path / "r.xlsx")
    quiet = invoke("solve", src, "-o", tmp_path / "q.xlsx", "-q")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    log = (tmp_path / "q.log").read_text()
    assert "Results written" in log and "140,000" in log and "\x1b" not in log  # everything said, in plain text
    refused = invoke("solve", src, "-o", tmp_path / "q.xlsx", "-q")  # exists, no --force: exit 6, nothing written
    assert refused.exit_code == 6 and "exists" in refused.stderr


def test_compare_json(tmp_path):
    src = write_csv_folder(tmp_path / "case", scenario_records())
    assert invoke("solve", src, "--scenario", "all", "-o", tmp_path / "out", "-q").exit_code == 0
    res = invoke("compare", tmp_path / "out", "-o", tmp_path / "cmp.xlsx", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["results"] == ["base", "CU_LOW", "PRICEY"]
    npv = next(k for k in data["kpis"] if k["kpi"] == "npv_usd")
    assert npv["base"] == pytest.approx(97_600) and npv["CU_LOW − base"] == pytest.approx(-39_600)


# ---------------------------------------------------------------------------------------------
# File names from scenario names; a scenario that cannot be written
# ---------------------------------------------------------------------------------------------


def test_file_part_strips_control_characters_and_truncates_with_a_hash():
    assert file_part("ESCORTS") == "ESCORTS"
    assert file_part("copper high / 2030") == "copper_high_2030"
    assert file_part("A\x1b[31mB\x00C\u202e") == "A_31mBC"  # ESC, NUL and a bidi override dropped
    long_a, long_b = "é" * 200 + "A", "é" * 200 + "B"
    a, b = file_part(long_a), file_part(long_b)
    assert a != b and len(a.encode()) <= 120 and len(b.encode()) <= 120
    assert a.startswith("é" * 10) and a == file_part(long_a)  # stable: the same name, the same file
    a.encode().decode()  # never cut inside a character


def test_long_and_control_scenario_names_are_solved_and_written(tmp_path):
    recs = scenario_records()
    long_name = "LONG_" + "x" * 300
    recs["Scenarios"].append({"scenario": long_name, "table": "Markets", "key": "PORT | CU |", "column": "price_usd_per_t", "operation": "scale", "value": 0.9})
    recs["Scenarios"].append(
        {"scenario": "BELL\x07\x1b[2J", "table": "Markets", "key": "PORT | CU |", "column": "price_usd_per_t", "operation": "scale", "value": 1.1}
    )
    src = write_csv_folder(tmp_path / "case", recs)
    res = invoke("solve", src, "--scenario", "all", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "out").glob("*.xlsx"))
    assert len(names) == 5 and all(len(n.encode()) <= 255 and not any(ord(c) < 32 for c in n) for n in names)


def test_a_scenario_that_cannot_be_written_is_reported_and_the_others_run(tmp_path, monkeypatch):
    import supplyopt.cli.plan_output as plan_output
    from supplyopt.errors import OutputError

    real = plan_output.write_plan

    def full_for_cu_low(results, out, *args, **kwargs):
        if "CU_LOW" in out.name:
            raise OutputError(f"cannot write {out}: no space left on device (simulated).")
        return real(results, out, *args, **kwargs)

    monkeypatch.setattr(plan_output, "write_plan", full_for_cu_low)
    src = write_csv_folder(tmp_path / "case", scenario_records())
    res = invoke("solve", src, "--scenario", "all", "-o", tmp_path / "out")
    assert res.exit_code == 6, res.output
    out = " ".join(res.output.split())
    assert "not written" in out and "no space left on device" in out
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == ["case_PRICEY_results.xlsx", "case_base_results.xlsx"]
    assert "CU_LOW" in (tmp_path / "out" / "case_scenarios.log").read_text()


def test_every_command_takes_quiet_and_verbose():
    from supplyopt.cli.app import COMMANDS

    for name, _fn in COMMANDS:
        res = invoke(name, "--help")
        assert res.exit_code == 0 and "--quiet" in res.stdout and "--verbose" in res.stdout, name


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_an_output_that_is_not_a_regular_file_is_refused_before_solving(tmp_path, kind):
    import os

    src = write_csv_folder(tmp_path / "case", scenario_records())
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "case_CU_LOW_results.xlsx"
    target.mkdir() if kind == "folder" else os.mkfifo(target)
    res = invoke("solve", src, "--scenario", "all", "-o", tmp_path / "out", "--force")
    assert res.exit_code == 6 and "HiGHS" not in res.output
    assert not (tmp_path / "out" / "case_base_results.xlsx").exists()  # checked before any solve
    assert Path(target).exists()
