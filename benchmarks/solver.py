"""Solver benchmark: the formulation before (`build_model(inst, formulation="weak")`) and after
(the default, with model/tightening.py's valid inequalities), in one run, on the same machine.

For each case and formulation it prints:

    root gap    |LP relaxation − best plan| / |best plan| (best plan: the better of the two runs)
    LP s        HiGHS time of the LP relaxation
    first s     HiGHS time to the first feasible plan (improving-solution callback)
    proven s    HiGHS time to proven optimal at mip_rel_gap 1e-4 (or the time limit)
    ratio       proven s tight / weak

Cases: Pakistan without escorts (instances/pakistan_base.xlsx, its NO_ESCORTS scenario), Pakistan
with escorts (the base, since escorts went on in it), synthetic S and M (supplyopt.synthetic.generate; L with --sizes S,M,L).

    python benchmarks/solver.py                        # pakistan, escorts, S, M
    python benchmarks/solver.py --cases pakistan --repeat 3 --time-limit 120
    python benchmarks/solver.py --cases pakistan,escorts --threads 1 --option mip_allow_restart=false

Timings on a shared machine move by ±30 %: compare the ratios of one run, and repeat
(--repeat keeps each case's best time per formulation, weak and tight alternating).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supplyopt.inputs.scenarios import apply_scenario  # noqa: E402
from supplyopt.io.memory import instance_from_records  # noqa: E402
from supplyopt.io.read import read_input  # noqa: E402
from supplyopt.model import build_model  # noqa: E402
from supplyopt.solve.compile import compile_model  # noqa: E402
from supplyopt.solve.highs_run import pass_to_highs  # noqa: E402
from supplyopt.solve.report import SolveOptions  # noqa: E402
from supplyopt.synthetic.generate import generate  # noqa: E402

PAKISTAN = ROOT / "instances" / "pakistan_base.xlsx"


def load(case: str):
    if case == "pakistan":
        return apply_scenario(read_input(PAKISTAN), "NO_ESCORTS")
    if case == "escorts":
        return read_input(PAKISTAN)
    return instance_from_records(generate(case))


def _option(text: str) -> tuple[str, object]:
    """name=value with value a bool (true/false), an int, a float or a string."""
    name, _, raw = text.partition("=")
    low = raw.strip().lower()
    if low in ("true", "false"):
        return name.strip(), low == "true"
    for kind in (int, float):
        try:
            return name.strip(), kind(raw)
        except ValueError:
            pass
    return name.strip(), raw.strip()


def run(inst, formulation: str, time_limit: float, threads: int | None, highs_options: dict | None = None) -> dict:
    """Build, LP relaxation, then the MIP at gap 1e-4: the figures of one table row."""
    t0 = time.perf_counter()
    m = build_model(inst, formulation=formulation)
    build_s = time.perf_counter() - t0
    form = compile_model(m)
    options = SolveOptions(mip_gap=1e-4, time_limit=time_limit, threads=threads, highs_options=highs_options or None)
    lp = pass_to_highs(form, options, mip=False)
    lp.run()
    out = {"build_s": build_s, "lp": lp.getInfo().objective_function_value, "lp_s": lp.getRunTime(), "rows": form.num_row, "cols": form.num_col}
    h = pass_to_highs(form, options)
    first: list[float] = []
    h.cbMipImprovingSolution.subscribe(lambda e: first.append(e.data_out.running_time) if not first else None)
    h.run()
    info = h.getInfo()
    out.update(
        status=h.getModelStatus().name.removeprefix("k"),
        obj=info.objective_function_value,
        bound=info.mip_dual_bound,
        gap=info.mip_gap,
        first_s=first[0] if first else math.nan,
        mip_s=h.getRunTime(),
        nodes=info.mip_node_count,
        iterations=info.simplex_iteration_count,
        maximise=form.maximise,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="pakistan,escorts,S,M", help="comma-separated: pakistan, escorts, S, M, L")
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--option", action="append", default=[], help="HiGHS option name=value for the MIP runs (repeatable)")
    args = ap.parse_args(argv)
    highs_options = dict(_option(o) for o in args.option)
    print("| case | formulation | rows | root LP gap | LP s | first feasible s | proven s | status (final gap) | nodes | LP iter | objective | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for case in args.cases.split(","):
        inst = load(case)
        runs: dict[str, dict] = {}
        for _ in range(args.repeat):
            for formulation in ("weak", "tight"):
                r = run(inst, formulation, args.time_limit, args.threads, highs_options)
                if formulation not in runs or r["mip_s"] < runs[formulation]["mip_s"]:
                    runs[formulation] = r
        better = max if runs["weak"]["maximise"] else min
        best = better(r["obj"] for r in runs.values())
        for formulation, r in runs.items():
            ratio = r["mip_s"] / runs["weak"]["mip_s"]
            print(
                f"| {case} | {formulation} | {r['rows']:,} | {abs(r['lp'] - best) / abs(best):.3%} | {r['lp_s']:.2f} | {r['first_s']:.2f} | "
                f"{r['mip_s']:.2f} | {r['status']} ({r['gap']:.2e}) | {r['nodes']:,} | {r['iterations']:,} | {r['obj']:.6e} | {ratio:.2f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
