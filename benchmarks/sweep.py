"""Speed-up of a Monte-Carlo sweep on a 2-worker Dask LocalCluster against the same sweep run
serially, in one run (same machine, same tasks), and a check that both give identical rows.

The instance is a seeded synthetic one (`supplyopt.synthetic.generate`, size S by default) with two
uncertain parameters added: every market price × U(0.7, 1.3) and every refinery's opening
capex × Triangular(0.8, 1.0, 1.5). Each task solves one sample with one HiGHS thread.

    python benchmarks/sweep.py                       # S, 20 samples, 2 workers
    python benchmarks/sweep.py --size S --samples 40 --workers 2 --periods 3

Prints a table and one JSON line: serial and parallel wall times, the speed-up (serial /
parallel, cluster start-up included) and the speed-up of the task phase alone (start-up and
shut-down excluded), whether serial and parallel rows are identical, and the CPU seconds the
solves got per wall second (below 1 per worker: other processes shared the cores, and the
speed-up is understated). Exits 1 when the rows differ.

Recorded on the 2-core development machine while other developers' jobs kept its load average
at 3-10 (so the solves got well under their cores; see serial/parallel_cpu_per_wall):

    --periods 3, 20 samples (1.2-2.3 s per solve): speed-up 0.81-1.23 (tasks only 0.93-1.54);
        CPU per wall second 0.41-0.76 serially, 0.45-1.03 for the two workers
    size S, 20 samples (3-8 s per solve):          speed-up 0.81-0.94 (tasks only 0.85-0.98);
        CPU per wall second 0.42 serially, 0.47 for the two workers (load average 3.6 → 9.9)
    serial and parallel rows identical in every run.

The ratio of parallel to serial CPU per wall second (1.1-1.5 here) bounds what two workers
could gain on that shared machine; no run on an idle machine has been recorded yet.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

KEYS = ("label", "status", "npv_usd", "sites", "modules", "upgrades", "draws", "error")


def instance(size: str, seed: int, periods: int | None):
    from supplyopt.io.memory import instance_from_records
    from supplyopt.synthetic.generate import generate

    recs = generate(size, seed, **({"n_periods": periods} if periods else {}))
    recs["Uncertainties"] = [
        {
            "parameter": "PRICE",
            "table": "Markets",
            "key": "*",
            "column": "price_usd_per_t",
            "operation": "scale",
            "distribution": "uniform",
            "low": 0.7,
            "high": 1.3,
        },
        {
            "parameter": "CAPEX",
            "table": "Refineries",
            "key": "*",
            "column": "open_capex_usd",
            "operation": "scale",
            "distribution": "triangular",
            "low": 0.8,
            "mode": 1.0,
            "high": 1.5,
        },
    ]
    return instance_from_records(recs, source=f"synthetic {size} seed {seed}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="S")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    ap.add_argument("--periods", type=int, default=None, help="override the number of periods (smaller = faster solves)")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--sample-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    from supplyopt.studies.sweep import make_tasks, run_sweep

    inst = instance(args.size, args.seed, args.periods)
    tasks = make_tasks(inst, ["base"], samples=args.samples, seed=args.sample_seed)

    load_before = os.getloadavg()[0]
    c0, t0 = time.process_time(), time.perf_counter()
    serial = run_sweep(inst, tasks, serial=True)
    serial_s = time.perf_counter() - t0
    serial_cpu = time.process_time() - c0

    # parallel: time the whole sweep (cluster start-up and shut-down included) and, from the
    # same run, the task phase alone (run_sweep on the already running cluster)
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
    with Client(cluster) as client:
        client.run(lambda: __import__("supplyopt.studies.pipeline"))  # workers import the solver stack
        cpu0 = sum(client.run(time.process_time).values())
        started = time.perf_counter()
        parallel = run_sweep(inst, tasks, scheduler=cluster.scheduler_address)
        tasks_s = time.perf_counter() - started
        worker_cpu = sum(client.run(time.process_time).values()) - cpu0
    cluster.close()
    parallel_s = time.perf_counter() - t0
    load_after = os.getloadavg()[0]

    identical = [tuple(repr(r.get(k)) for k in KEYS) for r in serial.rows] == [tuple(repr(r.get(k)) for k in KEYS) for r in parallel.rows]
    solve_s = sum(r.get("seconds") or 0.0 for r in serial.rows)
    out = {
        "benchmark": "sweep",
        "size": args.size,
        "seed": args.seed,
        "periods": args.periods,
        "samples": args.samples,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "mean_task_s": round(solve_s / max(1, len(tasks)), 3),
        "serial_s": round(serial_s, 2),
        "parallel_s": round(parallel_s, 2),
        "parallel_tasks_s": round(tasks_s, 2),
        "speedup": round(serial_s / parallel_s, 3),
        "speedup_tasks": round(serial_s / tasks_s, 3),
        "identical": identical,
        # CPU seconds per wall second: 1.0 serially and `workers` in parallel on an idle machine;
        # lower means other processes took the cores (the speed-up is then understated)
        "serial_cpu_per_wall": round(serial_cpu / serial_s, 2),
        "parallel_cpu_per_wall": round(worker_cpu / tasks_s, 2),
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "statuses": sorted({r["status"] for r in serial.rows}),
    }
    print(f"{len(tasks)} tasks, {out['mean_task_s']} s each on average")
    print(f"serial                          {serial_s:8.1f} s")
    print(f"{args.workers} workers, with cluster start-up {parallel_s:8.1f} s   speed-up {out['speedup']:.2f}×")
    print(f"{args.workers} workers, tasks only           {tasks_s:8.1f} s   speed-up {out['speedup_tasks']:.2f}×")
    print(f"serial and parallel rows identical: {identical}")
    print(
        f"CPU use: serial {out['serial_cpu_per_wall']:.2f} of 1 core, workers {out['parallel_cpu_per_wall']:.2f} of {args.workers}; load average {out['load_average']}"
    )
    print(json.dumps(out))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
