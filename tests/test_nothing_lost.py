"""Nothing lost: inputs are never changed, outputs appear whole or not at all, --force is needed
to replace a file, and Ctrl-C during a solve stops cleanly (keeping HiGHS's best plan).

- every command (validate, solve, solve --scenario, template, compare, sweep, frontier, stress,
  map, explain) leaves the bytes of every file it reads unchanged (SHA-256 before and after);
- an output path equal to an input is refused, even with --force (exit 6);
- an existing output is not replaced without --force (exit 6, bytes unchanged); with --force it is;
- a writer SIGKILLed at random moments (several seeds) while replacing a results workbook, and the
  CLI SIGKILLed at random moments of `solve --force`, leave the old workbook or the new one, each
  readable by openpyxl and by supplyopt; only hidden temporary files may be left behind;
- SIGINT to `supplyopt solve` on a facility-location instance (60 sites x 200 customers) once
  HiGHS has a plan: exit 5, the plan written with Summary status 'feasible (not proven optimal)'
  and termination 'interrupted (Ctrl-C)'; SIGINT while the input is read: exit 130, nothing
  written, no traceback.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import invoke

import instances as I
from supplyopt.cli import app
from supplyopt.errors import EXIT_INPUT, EXIT_NOT_OPTIMAL, EXIT_OK, EXIT_OUTPUT
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_instance_csv, write_template

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "supplyopt.cli"]


def sha(path: Path) -> str:
    if path.is_dir():
        return hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in sorted(path.iterdir()) if f.is_file())).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def case_records() -> I.Records:
    """refine_or_export with coordinates (maps), corridor risk (frontier) and one scenario."""
    r = I.refine_or_export()
    for node, (lat, lon) in zip(r["Nodes"], [(29.0, 64.0), (27.0, 65.5), (25.1, 62.3)]):
        node.update(lat=lat, lon=lon)
    r["CorridorRisk"] = [{"corridor": "R-P", "risk_score": 3}, {"corridor": "M-R", "risk_score": 1}]
    r["Scenarios"] = [{"scenario": "CU_LOW", "table": "Markets", "key": "PORT | CU | ", "column": "price_usd_per_t", "operation": "scale", "value": "0.5"}]
    return r


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """A workspace: input.xlsx, the same input as a CSV folder, and a solved plan.xlsx."""
    d = tmp_path_factory.mktemp("lost")
    write_template(d / "input.xlsx", case_records())
    write_instance_csv(d / "csv_input", case_records())
    assert invoke("solve", d / "input.xlsx", "-o", d / "plan.xlsx").exit_code == EXIT_OK
    return d


# ---------------------------------------------------------------------------------------------
# Inputs are never written
# ---------------------------------------------------------------------------------------------


def commands(d: Path) -> list[tuple[str, list, list[Path]]]:
    """(name, CLI arguments, files the command reads) for every command."""
    inp, csv, plan = d / "input.xlsx", d / "csv_input", d / "plan.xlsx"
    o = d / "out"
    return [
        ("validate", ["validate", inp], [inp]),
        ("validate csv", ["validate", csv], [csv]),
        ("solve", ["solve", inp, "-o", o / "solve.xlsx"], [inp]),
        ("solve csv", ["solve", csv, "-o", o / "solve_csv.xlsx"], [csv]),
        ("solve --scenario all", ["solve", inp, "--scenario", "all", "-o", o / "scenarios"], [inp]),
        ("template", ["template", o / "template.xlsx"], []),
        ("compare", ["compare", plan, o / "solve.xlsx", "-o", o / "comparison.xlsx"], [plan, o / "solve.xlsx"]),
        ("sweep", ["sweep", inp, "--serial", "-o", o / "sweep.xlsx"], [inp]),
        ("frontier", ["frontier", inp, "--points", "2", "-o", o / "frontier.xlsx"], [inp]),
        ("stress", ["stress", plan, "--input", inp, "-o", o / "stress.xlsx"], [plan, inp]),
        ("map", ["map", plan, "-o", o / "map.png"], [plan]),
        ("explain", ["explain", plan, "--site", "REF", "--input", inp], [plan, inp]),
    ]


def test_every_command_leaves_its_inputs_unchanged(ws):
    available = {c.name for c in app.registered_commands} | {getattr(c.callback, "__name__", "") for c in app.registered_commands}
    ran = []
    for name, args, reads in commands(ws):
        if args[0] not in available and f"{args[0]}_cmd" not in available:
            continue
        before = {p: sha(p) for p in reads}
        res = invoke(*args)
        assert res.exit_code in (EXIT_OK, EXIT_NOT_OPTIMAL), (name, res.output)
        assert {p: sha(p) for p in reads} == before, name
        ran.append(name)
    assert {"validate", "solve", "template", "compare", "sweep", "frontier", "stress", "map", "explain"} <= set(ran), ran


@pytest.mark.parametrize(
    "args",
    [
        ["solve", "{inp}", "-o", "{inp}"],
        ["solve", "{inp}", "-o", "{inp}", "--force"],
        ["solve", "{inp}", "--scenario", "CU_LOW", "-o", "{inp}", "--force"],
        ["frontier", "{inp}", "--points", "2", "-o", "{inp}", "--force"],
        ["sweep", "{inp}", "--serial", "-o", "{inp}", "--force"],
        ["stress", "{plan}", "--input", "{inp}", "-o", "{plan}", "--force"],
        ["stress", "{plan}", "--input", "{inp}", "-o", "{inp}", "--force"],
        ["compare", "{plan}", "{plan}", "-o", "{plan}", "--force"],
        ["map", "{plan}", "-o", "{plan}", "--force"],
    ],
    ids=lambda a: " ".join(x for x in a if not x.startswith("{")),
)
def test_output_equal_to_an_input_is_refused(ws, args):
    files = {"inp": ws / "input.xlsx", "plan": ws / "plan.xlsx"}
    args = [a.format(**files) for a in args]
    before = {p: sha(p) for p in files.values()}
    res = invoke(*args)
    assert res.exit_code == EXIT_OUTPUT, res.output
    assert {p: sha(p) for p in files.values()} == before


# ---------------------------------------------------------------------------------------------
# --force
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, out",
    [
        (["solve", "{inp}", "-o", "{out}"], "r.xlsx"),
        (["solve", "{inp}", "--scenario", "CU_LOW", "-o", "{out}"], "s.xlsx"),
        (["template", "{out}"], "t.xlsx"),
        (["compare", "{plan}", "{plan2}", "-o", "{out}"], "c.xlsx"),
        (["sweep", "{inp}", "--serial", "-o", "{out}"], "w.xlsx"),
        (["frontier", "{inp}", "--points", "2", "-o", "{out}"], "f.xlsx"),
        (["stress", "{plan}", "--input", "{inp}", "-o", "{out}"], "x.xlsx"),
        (["map", "{plan}", "-o", "{out}"], "m.png"),
    ],
    ids=lambda a: a if isinstance(a, str) else a[0] + (" --scenario" if "--scenario" in a else ""),
)
def test_existing_output_needs_force(ws, tmp_path, args, out):
    plan2 = tmp_path / "plan2.xlsx"
    plan2.write_bytes((ws / "plan.xlsx").read_bytes())
    files = {"inp": ws / "input.xlsx", "plan": ws / "plan.xlsx", "plan2": plan2, "out": tmp_path / out}
    args = [a.format(**files) for a in args]
    # find where the command writes, then make that file precious
    first = invoke(*args)
    assert first.exit_code in (EXIT_OK, EXIT_NOT_OPTIMAL), first.output
    written = [p for p in tmp_path.iterdir() if p.is_file() and p.name not in ("plan2.xlsx",) and not p.name.endswith("_map.png")]
    assert written, first.output
    for p in written:
        p.write_bytes(b"precious planner data")
    res = invoke(*args)
    assert res.exit_code == EXIT_OUTPUT, res.output
    assert "--force" in " ".join(res.output.split())
    assert all(p.read_bytes() == b"precious planner data" for p in written)
    res = invoke(*args, "--force")
    assert res.exit_code in (EXIT_OK, EXIT_NOT_OPTIMAL), res.output
    for p in written:
        assert p.read_bytes() != b"precious planner data", p
        if p.suffix == ".xlsx":
            openpyxl.load_workbook(p, read_only=True).close()
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name], "temporary files left behind"


# ---------------------------------------------------------------------------------------------
# SIGKILL while writing
# ---------------------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import itertools, sys
    import pandas as pd
    from supplyopt.io.results_workbook import write_results_workbook
    from supplyopt.results import Results

    def results(tag, n):
        flows = pd.DataFrame({"corridor": [f"C{i}" for i in range(n)], "t_per_yr": [float(i) for i in range(n)]})
        return Results({"Flows": flows}, {"status": "optimal", "marker": tag})

    versions = [results("A", 3000), results("B", 6000)]
    print("ready", flush=True)
    for i in itertools.count():
        write_results_workbook(versions[i % 2], sys.argv[1], overwrite=True)
    """
)
ROWS = {"OLD": 10, "A": 3000, "B": 6000}


def check_whole(target: Path) -> str:
    """The marker of a complete, readable results workbook at `target`."""
    openpyxl.load_workbook(target).close()
    res = read_results_workbook(target)
    marker = res.summary["marker"]
    assert marker in ROWS
    assert len(res["Flows"]) == ROWS[marker]
    assert res["Flows"]["corridor"].iloc[-1] == f"C{ROWS[marker] - 1}"
    return marker


@pytest.mark.parametrize("seed", range(6))
def test_sigkill_while_replacing_a_workbook(tmp_path, seed):
    """A process rewriting a results workbook in a loop (two versions, ~0.1-0.2 s per write) is
    SIGKILLed after a random delay: the workbook is the old one or one of the new ones, whole."""
    import pandas as pd

    from supplyopt.io.results_workbook import write_results_workbook
    from supplyopt.results import Results

    target = tmp_path / "plan.xlsx"
    old = pd.DataFrame({"corridor": [f"C{i}" for i in range(10)], "t_per_yr": [0.0] * 10})
    write_results_workbook(Results({"Flows": old}, {"status": "optimal", "marker": "OLD"}), target)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(random.Random(seed).uniform(0.0, 1.5))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    marker = check_whole(target)
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(re.fullmatch(r"\.plan\.xlsx\..+\.tmp\.xlsx", n) for n in leftovers), leftovers  # hidden, never the target's name
    print(f"seed {seed}: {marker}, leftovers {leftovers}")


@pytest.mark.parametrize("seed", range(3))
def test_sigkill_during_cli_solve_force(ws, tmp_path, seed):
    """`supplyopt solve --force` SIGKILLed at a random moment of its run replaces an existing
    results workbook completely or not at all."""
    out = tmp_path / "plan.xlsx"
    out.write_bytes((ws / "plan.xlsx").read_bytes())
    old = read_results_workbook(out).summary["npv_usd"]
    low = write_template(tmp_path / "low.xlsx", {**case_records(), "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 60}]})
    proc = subprocess.Popen([*CLI, "solve", str(low), "-o", str(out), "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    time.sleep(random.Random(100 + seed).uniform(1.0, 6.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    openpyxl.load_workbook(out).close()
    npv = read_results_workbook(out).summary["npv_usd"]
    assert npv == pytest.approx(old) or npv == pytest.approx(0.0, abs=1e-6), npv  # the old plan (97,600) or the new one (nothing pays: 0)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".xlsx" and p.name not in ("plan.xlsx", "low.xlsx")]


# ---------------------------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """Capacitated facility location, 60 sites x 200 customers (HiGHS needs tens of seconds)."""
    folder = tmp_path_factory.mktemp("big") / "cfl_60x200"
    write_instance_csv(folder, I.facility_location_records(**I.random_facility_location(n_sites=60, n_customers=200, seed=7)))
    return folder


_INCUMBENT = re.compile(r"^\s*\S?\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+\S+\s+(\S+)\s+")  # HiGHS MIP row: ... BestBound BestSol ...


def _start_solve(big: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "solve", str(big), "-o", str(out), "--threads", "1", "--log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_ctrl_c_during_solve_writes_the_incumbent_marked_interrupted(big, tmp_path):
    before = sha(big)
    out = tmp_path / "plan.xlsx"
    proc = _start_solve(big, out)
    seen = []
    try:
        deadline = time.monotonic() + 120
        for line in proc.stdout:
            seen.append(line)
            m = _INCUMBENT.match(line)
            if m and m.group(1) not in ("inf", "-inf"):
                break  # HiGHS has a plan
            assert time.monotonic() < deadline, "no incumbent within 120 s"
        else:
            pytest.fail("HiGHS finished before an incumbent was seen:\n" + "".join(seen[-20:]))
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = "".join(seen) + rest
    assert proc.returncode == EXIT_NOT_OPTIMAL, output[-3000:] + err
    assert "Traceback" not in output + err
    assert "interrupted (Ctrl-C)" in output and "Not proven optimal" in output
    summary = read_results_workbook(out).summary
    assert summary["status"] == "feasible (not proven optimal)"
    assert summary["termination"] == "interrupted (Ctrl-C)"
    assert summary["gap"] is not None and summary["gap"] > 0
    wb = openpyxl.load_workbook(out, read_only=True)
    note = next(wb["Summary"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    wb.close()
    assert note.startswith("NOT PROVEN OPTIMAL")
    assert sha(big) == before
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["plan.log", "plan.record", "plan.xlsx"],
        ["plan.log", "plan.record", "plan.xlsx", "plan_map.png"],
    )  # the workbook, its record (and map), and the run's log (issue 16)


def test_ctrl_c_while_reading_exits_130_and_writes_nothing(big, tmp_path):
    out = tmp_path / "plan.xlsx"
    proc = _start_solve(big, out)
    try:
        for line in proc.stdout:
            if "Reading and validating" in line:
                break
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, rest + err
    assert "Interrupted" in err and "Traceback" not in rest + err
    assert list(tmp_path.iterdir()) == []


def test_exit_codes_of_force_and_input_errors_are_distinct(ws, tmp_path):
    """Exit 6 (output) is not confused with exit 2 (input): a bad input with an existing output
    and no --force is refused for the output first, before the input is read."""
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    out = tmp_path / "r.xlsx"
    assert invoke("solve", bad, "-o", out).exit_code == EXIT_INPUT
    out.write_bytes(b"x")
    assert invoke("solve", bad, "-o", out).exit_code == EXIT_OUTPUT
