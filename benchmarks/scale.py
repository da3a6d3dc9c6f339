"""Scale ladder: where supplyopt's time and memory go, size by size, against the highspy floor.

For each size (synthetic instance from `supplyopt.synthetic.generate`, written once as a CSV folder) and
each repeat, a fresh subprocess runs the whole pipeline and reports stage times and its peak
memory (ru_maxrss):

    read     read_input(CSV folder)                       (schema coercion and checks)
    build    prepare(inst) + build_model(data)            (Pyomo model)
    hand-off SolveReport.wall_seconds − solve_seconds     (Pyomo → HiGHS, solution load)
    HiGHS    SolveReport.solve_seconds                    (HiGHS's own run time)
    extract  extract_results(m, report)
    workbook write_results_workbook(results, path)        (skipped if the writer is absent)

A second fresh subprocess builds the same model as numpy arrays and solves it with highspy
(`benchmarks/highspy_floor.py`): the floor. Medians over repeats are printed and written to
benchmarks/results.md (one section per set of sizes, replaced on re-run) with the machine and
package versions.

    python benchmarks/scale.py                       # S and M, 3 repeats
    python benchmarks/scale.py --sizes L --repeat 1 --time-limit 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR = HERE / "highspy_floor.py"
STAGES = ("read", "build", "handoff", "highs", "extract", "workbook")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process (user + system, all threads): robust to other load on the machine."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class _Stage:
    """Wall and CPU seconds of a block, stored as out[name] and out[name + '_cpu']."""

    def __init__(self, out: dict, name: str):
        self.out, self.name = out, name

    def __enter__(self):
        self.t, self.c = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.out[self.name] = time.perf_counter() - self.t
        self.out[self.name + "_cpu"] = cpu_seconds() - self.c
        return False


# --------------------------------------------------------------------------- child: one pipeline run


def _time_highs_run(out: dict) -> None:
    """Instrument highspy.Highs.run (in this child process only) to add its CPU seconds to
    out['highs_cpu'], so hand-off CPU = solve CPU − HiGHS CPU, whatever the machine's load."""
    import highspy

    base_run = highspy.Highs.run

    def run(self, *args, **kwargs):
        c = cpu_seconds()
        try:
            return base_run(self, *args, **kwargs)
        finally:
            out["highs_cpu"] += cpu_seconds() - c

    highspy.Highs.run = run


def child_run(folder: str, time_limit: float | None, threads: int | None, handoff: str = "direct") -> dict:
    """The supplyopt pipeline on one input, stage by stage (run in a fresh process)."""
    import pyomo.environ as pyo

    from supplyopt.io.read import read_input
    from supplyopt.model import build_model
    from supplyopt.model.data import prepare
    from supplyopt.results import extract_results
    from supplyopt.solve.highs import SolveOptions, solve

    out: dict = {"rss_start_mb": peak_rss_mb(), "highs_cpu": 0.0}
    _time_highs_run(out)
    with _Stage(out, "read"):
        inst = read_input(folder)
    out["rss_after_read_mb"] = peak_rss_mb()

    with _Stage(out, "prepare"):
        d = prepare(inst)
    with _Stage(out, "build_model"):
        m = build_model(d)
    out["build"] = out["prepare"] + out["build_model"]
    out["build_cpu"] = out["prepare_cpu"] + out["build_model_cpu"]
    out["rss_after_build_mb"] = peak_rss_mb()
    out["columns"] = m.nvariables()
    out["rows"] = m.nconstraints()
    out["integer_columns"] = sum(1 for v in m.component_data_objects(pyo.Var) if v.is_integer())  # not timed

    with _Stage(out, "solve"):
        rep = solve(m, SolveOptions(time_limit=time_limit, threads=threads, handoff=handoff))
    out["highs"] = rep.solve_seconds
    out["handoff"] = rep.wall_seconds - rep.solve_seconds
    out["handoff_cpu"] = out["solve_cpu"] - out["highs_cpu"]
    out["status"] = rep.status
    out["objective"] = rep.objective
    out["gap"] = rep.gap
    out["rss_after_solve_mb"] = peak_rss_mb()

    out["extract"] = out["workbook"] = out["extract_cpu"] = out["workbook_cpu"] = None
    if rep.has_plan:
        with _Stage(out, "extract"):
            res = extract_results(m, rep)
        try:
            from supplyopt.io.results_workbook import write_results_workbook
        except ImportError:
            out["workbook_note"] = "supplyopt.io.results_workbook not available"
        else:
            tmp = Path(tempfile.mkdtemp(prefix="scale_wb_"))
            try:
                with _Stage(out, "workbook"):
                    write_results_workbook(res, tmp / "results.xlsx")
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --------------------------------------------------------------------------- parent


def _run_json(cmd: list[str], timeout: float | None) -> dict:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1])


def _median(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def run_size(size: str, seed: int, repeat: int, workdir: Path, args) -> dict:
    from supplyopt.synthetic.generate import generate, write_instance

    t = time.perf_counter()
    records = generate(size, seed=seed)
    gen_s = time.perf_counter() - t
    folder = workdir / f"{size}_seed{seed}"
    if folder.exists():
        shutil.rmtree(folder)
    t = time.perf_counter()
    write_instance(records, folder)
    write_s = time.perf_counter() - t
    del records

    common = []
    if args.time_limit is not None:
        common += ["--time-limit", str(args.time_limit)]
    if args.threads:
        common += ["--threads", str(args.threads)]
    runs, floors = [], []
    handoff = ["--handoff", args.handoff]
    for r in range(repeat):
        print(f"  {size} run {r + 1}/{repeat}: supplyopt ...", end="", flush=True)
        runs.append(_run_json([sys.executable, str(Path(__file__).resolve()), "--child", str(folder), *common, *handoff], args.timeout))
        if args.no_floor:
            print(f" {runs[-1]['status']}", flush=True)
            continue
        print(f" {runs[-1]['status']}; floor ...", end="", flush=True)
        floors.append(_run_json([sys.executable, str(FLOOR), "--input", str(folder), *common], args.timeout))
        print(" done", flush=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)

    agg = {"size": size, "seed": seed, "repeat": repeat, "generate": gen_s, "write_csv": write_s}
    cpu_keys = ("read_cpu", "build_cpu", "solve_cpu", "handoff_cpu", "highs_cpu", "extract_cpu", "workbook_cpu", "prepare_cpu", "build_model_cpu")
    for key in (*STAGES, *cpu_keys, "solve", "prepare", "build_model", "peak_rss_mb", "rss_after_read_mb", "rss_after_build_mb", "rss_after_solve_mb"):
        agg[key] = _median([x.get(key) for x in runs])
    for key in ("columns", "rows", "integer_columns", "status", "objective", "gap"):
        agg[key] = runs[-1][key]
    agg["statuses"] = sorted({x["status"] for x in runs})
    agg["workbook_note"] = runs[-1].get("workbook_note")
    if floors:
        f = floors[-1]
        agg["nonzeros"] = f["nonzeros"]
        agg["integer_columns"] = f["integer_columns"]
        agg["floor_columns"] = f["columns"]
        agg["floor_rows"] = f["rows"]
        agg["floor_objective"] = f["objective"]
        agg["floor_status"] = f["status"]
        for key in (
            "build_seconds",
            "pass_seconds",
            "highs_seconds",
            "input_seconds",
            "prepare_seconds",
            "peak_rss_mb",
            "rss_after_input_mb",
            "rss_after_pass_mb",
            "build_cpu",
            "solve_cpu",
        ):
            if key in f:  # (older floor scripts lack some keys)
                agg["floor_" + key] = _median([x[key] for x in floors])
    return agg


def derived(rows: list[dict]) -> None:
    """Whole time, ratios, µs per column, growth exponents (in place)."""
    prev = None
    for r in rows:
        parts = [r[s] for s in STAGES if r.get(s) is not None]
        r["whole"] = sum(parts)
        r["overhead"] = r["whole"] - (r["highs"] or 0.0)
        r["whole_over_highs"] = r["whole"] / r["highs"] if r.get("highs") else None
        r["overhead_us_per_col"] = 1e6 * r["overhead"] / r["columns"] if r["columns"] else None
        r["build_us_per_col"] = 1e6 * r["build"] / r["columns"] if r["columns"] else None
        fl = r.get("floor_peak_rss_mb")
        r["rss_ratio"] = r["peak_rss_mb"] / fl if fl else None
        r["rss_ratio_net"] = (
            (r["peak_rss_mb"] - r["rss_after_read_mb"]) / (fl - r["floor_rss_after_input_mb"]) if fl and fl > r["floor_rss_after_input_mb"] else None
        )
        if r.get("floor_objective") is not None and r.get("objective") is not None:
            r["objective_rel_diff"] = abs(r["objective"] - r["floor_objective"]) / max(abs(r["objective"]), 1e-9)
        if prev is not None and r["columns"] > prev["columns"]:
            lg = math.log(r["columns"] / prev["columns"])
            r["build_exponent"] = math.log(r["build"] / prev["build"]) / lg
            r["build_cpu_exponent"] = math.log(r["build_cpu"] / prev["build_cpu"]) / lg
            r["overhead_cpu_exponent"] = math.log(_overhead_cpu(r) / _overhead_cpu(prev)) / lg
            r["overhead_exponent"] = math.log(r["overhead"] / prev["overhead"]) / lg
            if r.get("floor_peak_rss_mb") and prev.get("floor_peak_rss_mb"):
                r["rss_exponent"] = math.log((r["peak_rss_mb"] - r["rss_after_read_mb"]) / max(prev["peak_rss_mb"] - prev["rss_after_read_mb"], 1e-9)) / lg
        prev = r


def _overhead_cpu(r: dict) -> float:
    """CPU seconds of everything but HiGHS: read, build, hand-off, extract, workbook."""
    return sum(r[k] for k in ("read_cpu", "build_cpu", "handoff_cpu", "extract_cpu", "workbook_cpu") if r.get(k) is not None)


def _f(v, fmt: str = "{:.2f}", none: str = "–") -> str:
    if v is None:
        return none
    if isinstance(v, float) and math.isnan(v):
        return none
    return fmt.format(v)


def tables_md(rows: list[dict]) -> str:
    out = []
    out.append(
        "| size | columns | integer | rows | nonzeros | read s | build s | hand-off s | HiGHS s | extract s | workbook s | whole s | whole ÷ HiGHS | overhead µs/col | build exponent |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        out.append(
            f"| {r['size']} | {r['columns']:,} | {_f(r.get('integer_columns'), '{:,}')} | {r['rows']:,} | {_f(r.get('nonzeros'), '{:,}')} | "
            f"{_f(r['read'])} | {_f(r['build'])} | {_f(r['handoff'])} | {_f(r['highs'])} | {_f(r['extract'])} | {_f(r['workbook'])} | "
            f"{_f(r['whole'])} | {_f(r['whole_over_highs'], '{:.2f}×')} | {_f(r['overhead_us_per_col'], '{:.0f}')} | {_f(r.get('build_exponent'))} |"
        )
    out.append("")
    out.append(
        "| size | status | objective | floor objective | rel. diff | peak RSS MB | after read MB | after build MB | floor peak MB | RSS ÷ floor | "
        "(RSS − input) ÷ (floor − input) | model MB (build − read) | floor model MB (pass − input) | model ÷ floor model | floor build+pass s | floor HiGHS s | prepare s | build_model s |"
    )
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        st = r["status"] if len(r["statuses"]) == 1 else "/".join(r["statuses"])
        gap = f" (gap {r['gap']:.1e})" if r.get("gap") else ""
        fb = (r.get("floor_build_seconds") or 0) + (r.get("floor_pass_seconds") or 0) if r.get("floor_build_seconds") is not None else None
        model_mb = r["rss_after_build_mb"] - r["rss_after_read_mb"]
        floor_mb = r["floor_rss_after_pass_mb"] - r["floor_rss_after_input_mb"] if r.get("floor_rss_after_pass_mb") is not None else None
        floor_mb = floor_mb if floor_mb and floor_mb > 0.5 else None  # below ru_maxrss resolution
        out.append(
            f"| {r['size']} | {st}{gap} | {_f(r['objective'], '{:,.0f}')} | {_f(r.get('floor_objective'), '{:,.0f}')} | {_f(r.get('objective_rel_diff'), '{:.1e}')} | "
            f"{_f(r['peak_rss_mb'], '{:,.0f}')} | {_f(r['rss_after_read_mb'], '{:,.0f}')} | {_f(r['rss_after_build_mb'], '{:,.0f}')} | "
            f"{_f(r.get('floor_peak_rss_mb'), '{:,.0f}')} | {_f(r.get('rss_ratio'), '{:.2f}×')} | {_f(r.get('rss_ratio_net'), '{:.1f}×')} | "
            f"{_f(model_mb, '{:,.0f}')} | {_f(floor_mb, '{:,.1f}')} | {_f(model_mb / floor_mb if floor_mb else None, '{:.0f}×')} | "
            f"{_f(fb, '{:.3f}')} | {_f(r.get('floor_highs_seconds'))} | {_f(r['prepare'])} | {_f(r['build_model'])} |"
        )
    out.append("")
    out.append(
        "CPU seconds (user + system of the run's process; HiGHS's share measured around `Highs.run`), "
        "barely affected by other load on the machine, unlike the wall times above:"
    )
    out.append("")
    out.append(
        "| size | read | build | hand-off | HiGHS | extract | workbook | whole | whole ÷ HiGHS | overhead µs/col | floor build+pass | floor HiGHS | overhead ÷ floor build+pass | build exponent | overhead exponent |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        keys = ("read_cpu", "build_cpu", "handoff_cpu", "highs_cpu", "extract_cpu", "workbook_cpu")
        whole = sum(r[k] for k in keys if r.get(k) is not None)
        over = whole - (r.get("highs_cpu") or 0.0)
        fb = r.get("floor_build_cpu")
        out.append(
            f"| {r['size']} | {_f(r['read_cpu'])} | {_f(r['build_cpu'])} | {_f(r['handoff_cpu'])} | {_f(r['highs_cpu'])} | {_f(r['extract_cpu'])} | "
            f"{_f(r['workbook_cpu'])} | {_f(whole)} | {_f(whole / r['highs_cpu'] if r.get('highs_cpu') else None, '{:.2f}×')} | "
            f"{_f(1e6 * over / r['columns'], '{:.0f}')} | {_f(fb, '{:.3f}')} | {_f(r.get('floor_solve_cpu'))} | {_f(over / fb if fb else None, '{:.0f}×')} | "
            f"{_f(r.get('build_cpu_exponent'))} | {_f(r.get('overhead_cpu_exponent'))} |"
        )
    return "\n".join(out)


def machine_md() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    versions = []
    for pkg in ("supplyopt", "pyomo", "highspy", "numpy", "pandas", "openpyxl", "networkx"):
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{pkg} (not installed)")
    commit = "unknown"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.strip() or commit
    except (OSError, subprocess.SubprocessError):
        pass
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} CPUs (nproc), {mem} RAM, {cpu}; {platform.system()} {platform.release()}; load average {load} at the end (shared machine); "
        f"Python {platform.python_version()}.  \nPackages: {', '.join(versions)}; git {commit} (working tree shared with other developers)."
    )


def write_results_md(path: Path, key: str, body: str) -> None:
    """Replace (or append) the section of results.md for this set of sizes."""
    start, end = f"<!-- scale:{key} -->", f"<!-- /scale:{key} -->"
    block = f"{start}\n{body}\n{end}"
    text = path.read_text() if path.exists() else "# Scale-ladder results\n\nWritten by `benchmarks/scale.py`; see benchmarks/README.md for how to read them.\n"
    if start in text and end in text:
        a, b = text.index(start), text.index(end) + len(end)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="S,M", help="comma-separated sizes (S, M, L, XL)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh-process runs per size (median reported)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, help="HiGHS time limit per solve (seconds), for L and XL")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--timeout", type=float, help="kill a child run after this many seconds")
    ap.add_argument("--workdir", help="where the CSV inputs are written (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV folders")
    ap.add_argument("--no-floor", action="store_true", help="skip the highspy floor")
    ap.add_argument("--handoff", default="direct", choices=["direct", "persistent"], help="supplyopt's hand-off route to HiGHS (solve.py)")
    ap.add_argument("--out", default=str(HERE / "results.md"), help="results file to update ('-' = do not write)")
    ap.add_argument("--child", metavar="FOLDER", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(child_run(args.child, args.time_limit, args.threads, args.handoff)))
        return 0

    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="supplyopt_scale_"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().astimezone()
    rows = []
    for size in sizes:
        print(f"size {size}", flush=True)
        rows.append(run_size(size, args.seed, args.repeat, workdir, args))
    if not args.workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    derived(rows)
    print(tables_md(rows))

    cmd = "python benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    notes = []
    for r in rows:
        if r.get("workbook_note"):
            notes.append(f"- {r['size']}: workbook column skipped: {r['workbook_note']}.")
        if r.get("floor_columns") is not None and r["floor_columns"] != r["columns"]:
            notes.append(
                f"- {r['size']}: the floor has {r['floor_columns']:,} columns but supplyopt {r['columns']:,}: the floor is out of date with the model."
            )
        if r.get("floor_rows") is not None and r["floor_rows"] != r["rows"]:
            notes.append(f"- {r['size']}: the floor has {r['floor_rows']:,} rows but supplyopt {r['rows']:,}.")
        notes.append(f"- {r['size']}: generate {r['generate']:.2f} s, write CSV {r['write_csv']:.2f} s (once, not in 'whole').")
    body = "\n".join(
        [
            f"## Sizes {', '.join(sizes)} — {started:%Y-%m-%d %H:%M %Z}",
            "",
            f"`{cmd}` — seed {args.seed}, {args.repeat} fresh-process run(s) per size, medians; "
            f"hand-off {args.handoff}; HiGHS options as `supplyopt solve` (mip_rel_gap 1e-4{', time limit ' + str(args.time_limit) + ' s' if args.time_limit else ''}).  ",
            machine_md(),
            "",
            tables_md(rows),
            "",
            "whole = read + build + hand-off + HiGHS + extract + workbook; overhead = whole − HiGHS; exponents are "
            "log(t₂/t₁)/log(n₂/n₁) against the previous size in this table. RSS is ru_maxrss of the run's process "
            "(peak), 'input' the peak after reading the input (pandas, schema checks), the same in both processes.",
            "",
            *notes,
        ]
    )
    if args.out != "-":
        key = ",".join(sizes) + (f" time-limit {args.time_limit:g}s" if args.time_limit else "") + (" no-floor" if args.no_floor else "")
        key += f" handoff {args.handoff}" if args.handoff != "direct" else ""
        write_results_md(Path(args.out), key, body)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
