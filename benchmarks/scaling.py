"""Scaled vs unscaled hand-off to HiGHS (supplyopt/solve/scale.py), one run each, in one process.

For Pakistan base (escorts on), Pakistan NO_ESCORTS and synthetic S and M: the coefficient ranges HiGHS is given
without and with scaling, HiGHS's 'excessively large/small' warnings in each case, the HiGHS
time ratio scaled/unscaled and whether the objective is the same (relative difference ≤ 1e-9).

    PYTHONPATH=$PWD python benchmarks/scaling.py                # all four (~3 min on 2 cores)
    PYTHONPATH=$PWD python benchmarks/scaling.py --cases S,pakistan_base
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def instance(case: str):
    from supplyopt.inputs.scenarios import apply_scenario
    from supplyopt.io.memory import instance_from_records
    from supplyopt.io.read import read_input
    from supplyopt.synthetic.generate import generate

    if case.startswith("pakistan"):  # pakistan_base, or pakistan_<one of its scenarios>
        inst = read_input(REPO / "instances" / "pakistan_base.xlsx")
        scenario = case.partition("_")[2]
        return apply_scenario(inst, scenario) if scenario not in ("", "base") else inst
    return instance_from_records(generate(case, seed=0))


def fmt_range(r) -> str:
    return "-" if r is None else f"[{r[0]:.0e}, {r[1]:.0e}]"


def warnings_of(log: str) -> list[str]:
    return [line.split("WARNING:", 1)[1].strip() for line in log.splitlines() if "WARNING: Problem has" in line]


def run(case: str) -> dict:
    from supplyopt.model import build_model
    from supplyopt.solve.compile import compile_model
    from supplyopt.solve.highs import SolveOptions, solve
    from supplyopt.solve.scale import choose_scaling, coefficient_ranges, scale_form

    inst = instance(case)
    row: dict = {"case": case}
    form = compile_model(build_model(inst))
    s = choose_scaling(form)
    row["units"] = f"mass 2^{-s.mass_exp} t, money 2^{-s.money_exp} USD"
    row["before"] = coefficient_ranges(form)
    row["after"] = coefficient_ranges(scale_form(form, s))
    del form
    for tag, scale in (("unscaled", False), ("scaled", True)):
        log = io.StringIO()
        rep = solve(build_model(inst), SolveOptions(scale=scale, log=log))
        row[tag] = {
            "objective": rep.objective,
            "highs_s": rep.solve_seconds,
            "warnings": warnings_of(log.getvalue()),
            "status": rep.status,
            "residual": rep.max_residual,
        }
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="pakistan_base,pakistan_NO_ESCORTS,S,M")
    args = ap.parse_args(argv)
    rows = []
    for case in args.cases.split(","):
        rows.append(run(case))
        print(f"done {case}", file=sys.stderr, flush=True)
    print("| instance | units (scaled) | matrix before → after | cost before → after | bound before → after | rhs before → after |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        b, a = r["before"], r["after"]
        cells = " | ".join(f"{fmt_range(b[k])} → {fmt_range(a[k])}" for k in ("matrix", "cost", "bound", "rhs"))
        print(f"| {r['case']} | {r['units']} | {cells} |")
    print()
    print(
        "| instance | HiGHS warnings unscaled | HiGHS warnings scaled | HiGHS time scaled/unscaled | same objective (≤1e-9 rel) | objective unscaled | objective scaled | max residual scaled |"
    )
    print("|---|---|---|---:|---|---:|---:|---:|")
    for r in rows:
        u, s = r["unscaled"], r["scaled"]
        same = u["objective"] is not None and s["objective"] is not None and abs(u["objective"] - s["objective"]) <= 1e-9 * max(1.0, abs(u["objective"]))
        ratio = s["highs_s"] / u["highs_s"] if u["highs_s"] else float("nan")
        print(
            f"| {r['case']} | {'; '.join(u['warnings']) or 'none'} | {'; '.join(s['warnings']) or 'none'} | {ratio:.2f} | "
            f"{'yes' if same else 'NO'} | {u['objective']!r} | {s['objective']!r} | {s['residual']:.1e} |"
        )


if __name__ == "__main__":
    main()
