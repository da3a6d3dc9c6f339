"""HiGHS options measured against supplyopt's defaults (scaled direct hand-off; RINS, RENS and the
root restart off, solve/highs_run.MIP_DEFAULTS), one run each.

For each instance and option set: HiGHS time ratio vs the default run of the same instance in
the same process, and whether the objective is the same (relative difference ≤ 1e-9; a MIP gap
of 1e-4 allows different incumbents, so 'no' here means a different plan within the gap).

    PYTHONPATH=$PWD python benchmarks/highs_options.py [--cases pakistan_base,S]
"""

from __future__ import annotations

import argparse
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from scaling import instance  # noqa: E402  (benchmarks/ is not a package)

VARIANTS = {
    "default": {},
    "mip_heuristic_effort=0.01": {"mip_heuristic_effort": 0.01},
    "mip_heuristic_effort=0.2": {"mip_heuristic_effort": 0.2},
    "presolve=off": {"presolve": "off"},
    "mip_detect_symmetry=false": {"mip_detect_symmetry": False},
    "restart on (HiGHS's own default)": {"mip_allow_restart": True},
    "RINS and RENS on (HiGHS's own default)": {"mip_heuristic_run_rins": True, "mip_heuristic_run_rens": True},
}


def main(argv=None) -> None:
    from supplyopt.model import build_model
    from supplyopt.solve.highs import SolveOptions, solve

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="pakistan_base,pakistan_NO_ESCORTS,S,M")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args(argv)
    rows = []
    for case in args.cases.split(","):
        inst = instance(case)
        base = None
        for name in args.variants.split(","):
            rep = solve(build_model(inst), SolveOptions(highs_options=VARIANTS[name]))
            base = base or rep
            same = abs(rep.objective - base.objective) <= 1e-9 * max(1.0, abs(base.objective))
            rows.append((case, name, rep.solve_seconds / base.solve_seconds, same, rep.objective, rep.status))
            print(f"done {case} {name}", file=sys.stderr, flush=True)
    print("| instance | option | HiGHS time ratio vs default | same objective | objective | status |")
    print("|---|---|---:|---|---:|---|")
    for case, name, ratio, same, obj, status in rows:
        print(f"| {case} | {name} | {ratio:.2f} | {'yes' if same else 'no'} | {obj!r} | {status} |")


if __name__ == "__main__":
    main()
