"""The thin CLI's own checks: --version, option values checked before anything is read or
solved (usage error, exit 2), and every output of `solve` checked before solving (exit 6), so a
refused run leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import invoke, said
from test_stress import chain, write_csv_folder

from supplyopt import __version__
from supplyopt.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT


def test_version_in_process_and_as_a_module():
    res = invoke("--version")
    assert res.exit_code == EXIT_OK and f"supplyopt {__version__}" in res.output
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "supplyopt.cli", "--version"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == EXIT_OK and f"supplyopt {__version__}" in proc.stdout


BAD = [("--gap", "-1"), ("--gap", "nan"), ("--gap", "inf"), ("--time-limit", "-5"), ("--time-limit", "nan"), ("--time-limit", "inf"), ("--time-limit", "0")]


@pytest.mark.parametrize("option,value", BAD)
@pytest.mark.parametrize("command", ["solve", "frontier", "sweep", "stress", "explain"])
def test_a_bad_gap_or_time_limit_is_a_usage_error_before_anything_runs(tmp_path, command, option, value):
    missing = tmp_path / "no_such_input.xlsx"  # never read: the option is refused first
    res = invoke(command, missing, option, value, "-o" if command != "explain" else "--site", tmp_path / "out.xlsx" if command != "explain" else "REF")
    assert res.exit_code == EXIT_INPUT, res.output
    text = said(res)
    assert f"Invalid value for '{option}'" in text
    assert "not found" not in text  # the input was never looked at
    assert list(tmp_path.iterdir()) == []


@pytest.fixture()
def case(tmp_path) -> Path:
    return write_csv_folder(tmp_path / "case", chain())


def test_solve_refuses_an_existing_output_before_solving_and_leaves_no_map(case, tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"precious")
    res = invoke("solve", case, "-o", out)
    assert res.exit_code == EXIT_OUTPUT and "--force" in said(res)
    assert "Reading and validating" not in res.output and "HiGHS" not in res.output  # refused before any work
    assert out.read_bytes() == b"precious" and not (tmp_path / "r_map.png").exists()


def test_solve_refuses_an_output_below_a_file_before_solving(case, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    res = invoke("solve", case, "-o", blocker / "r.xlsx")
    assert res.exit_code == EXIT_OUTPUT
    assert "is a file, not a folder" in said(res) and "HiGHS" not in res.output


def test_solve_refuses_to_overwrite_its_input_even_with_force(tmp_path):
    from supplyopt.io.template import write_template

    src = write_template(tmp_path / "in.xlsx", chain())
    before = src.read_bytes()
    res = invoke("solve", src, "-o", src, "--force")
    assert res.exit_code == EXIT_OUTPUT and "refusing to overwrite the input" in said(res)
    assert src.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_solve_scenarios_check_every_output_first(tmp_path):
    recs = chain()
    recs["Scenarios"] = [{"scenario": "PRICEY", "table": "Markets", "key": "PORT | CU |", "column": "price_usd_per_t", "operation": "scale", "value": 1.5}]
    src = write_csv_folder(tmp_path / "case", recs)
    taken = tmp_path / "r_PRICEY.xlsx"
    taken.write_bytes(b"precious")
    res = invoke("solve", src, "--scenario", "all", "-o", tmp_path / "r.xlsx")
    assert res.exit_code == EXIT_OUTPUT
    assert not (tmp_path / "r_base.xlsx").exists() and taken.read_bytes() == b"precious"  # the base was not solved either


def test_solve_puts_the_map_in_place_only_after_the_workbook_is_written(tmp_path, monkeypatch):
    from test_map import tiny_on_map

    import supplyopt.io.plan as plan_files
    from supplyopt.errors import OutputError
    from supplyopt.io.template import write_template

    src = write_template(tmp_path / "case.xlsx", tiny_on_map(periods=1))

    def refused(*args, **kwargs):
        raise OutputError("disk full (simulated)")

    monkeypatch.setattr(plan_files, "write_plan", refused)
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx")
    assert res.exit_code == EXIT_OUTPUT and "disk full" in said(res)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.xlsx"]  # no map, no temporary file
    monkeypatch.undo()
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx")
    assert res.exit_code == EXIT_OK, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.xlsx", "r.log", "r.record", "r.xlsx", "r_map.png"]  # + the log (issue 16)


def test_help_lists_the_exit_codes():
    from supplyopt.errors import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_NOT_OPTIMAL, EXIT_OUTPUT, EXIT_SOLVER

    text = said(invoke("--help"))
    assert "Exit codes:" in text
    for code in (EXIT_INPUT, EXIT_INFEASIBLE, EXIT_SOLVER, EXIT_NOT_OPTIMAL, EXIT_OUTPUT, 130):
        assert f" {code} " in text
