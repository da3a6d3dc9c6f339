"""Determinism: the same input and options give byte-identical result tables.

- In one process: every named instance (tests/instances.py) and one with every optional table
  (two periods, risk, disruptions with CVaR, upgrade, scenario) solved twice: every Results table
  (including ShadowPrices and Bottlenecks) has identical CSV bytes, and the summaries are equal
  except for run times.
- Across processes: `supplyopt solve` run twice in separate processes with different hash seeds
  (PYTHONHASHSEED changes the iteration order of sets of strings, a classic source of
  nondeterminism) on a facility-location instance with many equal costs (ties) and on the
  every-table instance: every table read back has identical CSV bytes, and every cell of every
  sheet is equal except the Summary rows that record when and how long (run_at_utc, *_seconds).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook
from supplyopt.io.template import write_template
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.pipeline import run_solve

REPO = Path(__file__).resolve().parents[1]
VOLATILE = {"run_at_utc", "build_seconds", "solve_seconds"}  # Summary rows that record when and how long


def every_table() -> I.Records:
    r = I.refine_or_export(discount_rate=0.05)
    r["Settings"] += [{"name": "disruptions", "value": "yes"}, {"name": "cvar_weight", "value": 0.3}, {"name": "expected_loss", "value": "yes"}]
    r["Periods"].append({"period": "P2", "start_year": 2031, "length_years": 2})
    r["Nodes"].append({"node": "HUB", "kind": "hub"})
    r["Corridors"][1]["capacity_t_per_yr"] = 1500
    r["Corridors"] += [
        {"corridor": "M-H", "from_node": "MINE", "to_node": "HUB", "mode": "road", "distance_km": 80, "cost_usd_per_tkm": 0.05},
        {"corridor": "H-P", "from_node": "HUB", "to_node": "PORT", "mode": "road", "distance_km": 300, "cost_usd_per_tkm": 0.05},
    ]
    r["Upgrades"] = [{"upgrade": "U-RP", "element_type": "corridor", "element": "R-P", "capex_usd": 4000, "added_capacity_t_per_yr": 500}]
    r["CorridorRisk"] = [{"corridor": "H-P", "incident_probability": 0.001, "risk_score": 5, "security_cost_usd_per_t": 2}]
    r["Disruptions"] = [{"disruption": "RP_CLOSED", "probability": 0.1}]
    r["DisruptionFactors"] = [{"disruption": "RP_CLOSED", "element_type": "corridor", "element": "R-P", "factor": 0}]
    r["Scenarios"] = [{"scenario": "CU_HIGH", "table": "Markets", "key": "PORT | CU | ", "column": "price_usd_per_t", "operation": "scale", "value": "1.2"}]
    return r


def tied_facility_location() -> I.Records:
    """12 sites x 30 customers where every site has the same fixed cost and capacity and unit
    costs take only three values: many optimal plans, so any order-dependence would show."""
    sites = [f"F{j:02d}" for j in range(12)]
    customers = [f"K{k:02d}" for k in range(30)]
    fixed = dict.fromkeys(sites, 500.0)
    capacity = dict.fromkeys(sites, 60.0)
    demand = {k: 10.0 + (i % 3) * 5 for i, k in enumerate(customers)}
    unit = {j: {k: [4.0, 6.0, 9.0][(a + b) % 3] for b, k in enumerate(customers)} for a, j in enumerate(sites)}
    return I.facility_location_records(fixed, capacity, demand, unit)


CASES = {**I.ALL, "every_table": every_table, "tied_facility_location": tied_facility_location}


def solve_tables(records: I.Records):
    inst = instance_from_records(records)
    run = run_solve(inst, SolveOptions(), diagnose_infeasible=False)
    return {name: df.to_csv(index=False, lineterminator="\n").encode() for name, df in run.results.tables.items()}, run.results.summary


@pytest.mark.parametrize("name", sorted(n for n in CASES if n != "infeasible_contract"))
def test_same_process_twice(name):
    tables_a, summary_a = solve_tables(CASES[name]())
    tables_b, summary_b = solve_tables(CASES[name]())
    assert list(tables_a) == list(tables_b)
    for table in tables_a:
        assert tables_a[table] == tables_b[table], table
    strip = lambda s: {k: v for k, v in s.items() if k not in VOLATILE}  # noqa: E731
    assert strip(summary_a) == strip(summary_b)


def sheet_cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        if ws.title == "Summary":
            rows = [r for r in rows if not (r and r[0] in VOLATILE)]
        out[ws.title] = rows
    wb.close()
    return out


@pytest.mark.parametrize("name", ["tied_facility_location", "every_table"])
def test_separate_processes_with_different_hash_seeds(tmp_path, name):
    src = write_template(tmp_path / f"{name}.xlsx", CASES[name]())
    outs = [tmp_path / f"run{i}.xlsx" for i in (1, 2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "supplyopt.cli", "solve", str(src), "-o", str(out)],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out, seed in zip(outs, ("1", "4242"))
    ]
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stdout + stderr
    a, b = (read_results_workbook(o) for o in outs)
    assert list(a.tables) == list(b.tables)
    for table in a.tables:
        csv_a = a[table].to_csv(index=False, lineterminator="\n").encode()
        csv_b = b[table].to_csv(index=False, lineterminator="\n").encode()
        assert csv_a == csv_b, table
    cells_a, cells_b = sheet_cells(outs[0]), sheet_cells(outs[1])
    assert list(cells_a) == list(cells_b)
    for sheet in cells_a:
        assert cells_a[sheet] == cells_b[sheet], sheet
