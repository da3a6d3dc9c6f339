"""Results record vs results workbook: writing and reading back a plan with a 200k-row Flows table.

The Results are a real solve of a small test instance (tests/instances.ports_and_contracts) whose
Flows table is replaced by N seeded rows of the same columns (corridor, from_node, to_node,
commodity, period: text from pools of realistic size; t_per_yr, cost_usd_per_yr: floats), so
that the other tables, the summary and the workbook's report sheets are those of a real plan.

    write workbook   write_results_workbook(results, path)
    write plan       write_plan(results, path): the workbook and its record
    write record     the record's part alone (encode, write the Parquet files and summary.json)
    read workbook    read_results_workbook(path): openpyxl, cell by cell
    read plan        read_plan(path): the record (sha256 of the workbook checked, every file too)

Each step runs `--repeat` times in this one process (median printed); ratios are against
`read workbook`. The record's read is checked equal to the Results written.

    python benchmarks/records.py                 # 200,000 flow rows, 1 repeat
    python benchmarks/records.py --rows 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from supplyopt.io.memory import instance_from_records  # noqa: E402
from supplyopt.io.plan import read_plan, record_path, write_plan  # noqa: E402
from supplyopt.io.record.store import encode, write_record  # noqa: E402
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook  # noqa: E402
from supplyopt.results import Results  # noqa: E402
from supplyopt.studies.pipeline import run_solve  # noqa: E402


def results_with_flows(rows: int, seed: int = 0) -> Results:
    import instances

    res = run_solve(instance_from_records(instances.ports_and_contracts())).results
    rng = np.random.default_rng(seed)
    nodes = np.array([f"N{k:04d}" for k in range(1500)], dtype=object)
    corridors = np.array([f"road-{k:04d}" for k in range(2400)], dtype=object)
    commodities = np.array(["CU_CONC", "ZN_CONC", "PB_CONC", "CHROMITE", "IRON_ORE", "CU_CATHODE", "ANTIMONY", "BARITE", "GOLD_DORE"], dtype=object)
    periods = np.array([f"P{k}" for k in range(1, 9)], dtype=object)
    t = rng.lognormal(8, 2, rows)
    flows = pd.DataFrame(
        {
            "corridor": pd.array(corridors[rng.integers(0, len(corridors), rows)], dtype="str"),
            "from_node": pd.array(nodes[rng.integers(0, len(nodes), rows)], dtype="str"),
            "to_node": pd.array(nodes[rng.integers(0, len(nodes), rows)], dtype="str"),
            "commodity": pd.array(commodities[rng.integers(0, len(commodities), rows)], dtype="str"),
            "period": pd.array(periods[rng.integers(0, len(periods), rows)], dtype="str"),
            "t_per_yr": t,
            "cost_usd_per_yr": t * rng.uniform(2, 40, rows),
        }
    )
    assert list(flows.columns) == list(res["Flows"].columns), "the Flows columns changed: update this benchmark"
    return Results({**res.tables, "Flows": flows}, dict(res.summary))


def record_alone(res: Results, tmp: Path) -> None:
    """The record's part of write_plan: encode the tables, write Parquet and JSON, hash the files."""
    folder = Path(tempfile.mkdtemp(dir=tmp))
    write_record(folder, encode(res), {"name": "plan.xlsx", "sha256": "0" * 64, "bytes": 0, "format_version": 1})


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    res = results_with_flows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        wb_only, plan = Path(tmp) / "workbook.xlsx", Path(tmp) / "plan.xlsx"
        t_write_wb, _ = timed(lambda: write_results_workbook(res, wb_only, overwrite=True), args.repeat)
        t_write_plan, _ = timed(lambda: write_plan(res, plan, overwrite=True), args.repeat)
        t_write_record, _ = timed(lambda: record_alone(res, Path(tmp)), args.repeat)
        t_read_wb, via_workbook = timed(lambda: read_results_workbook(plan), args.repeat)
        t_read_plan, via_record = timed(lambda: read_plan(plan), args.repeat)
        assert "record" in via_record.extra, via_record.extra
        for name, df in res.tables.items():
            pd.testing.assert_frame_equal(via_record[name], df, check_exact=True, obj=name)
        record_mb = sum(p.stat().st_size for p in record_path(plan).iterdir()) / 2**20
        workbook_mb = plan.stat().st_size / 2**20
    print(f"{args.rows:,} flow rows ({sum(len(df) for df in res.tables.values()):,} rows in {len(res.tables)} tables); median of {args.repeat}")
    print(f"workbook {workbook_mb:.1f} MB, record {record_mb:.1f} MB")
    print()
    print("| step | seconds | ÷ read workbook |")
    print("|---|---:|---:|")
    for label, t in (
        ("write workbook", t_write_wb),
        ("write plan (workbook + record)", t_write_plan),
        ("write record alone (encode, Parquet, JSON)", t_write_record),
        ("read workbook (openpyxl)", t_read_wb),
        ("read plan (record)", t_read_plan),
    ):
        print(f"| {label} | {t:.2f} | {t / t_read_wb:.3f} |")
    print(f"\nreading the record is {t_read_wb / t_read_plan:.0f}x faster than reading the workbook")
    del via_workbook


if __name__ == "__main__":
    main()
