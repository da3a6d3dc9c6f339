"""How long a tiny case takes through the CLI, and where the time goes (issue: small cases feel instant).

    python benchmarks/small_case.py [--repeat 3]

Writes the tests' refine_or_export instance (a handful of columns, no coordinates) to a temporary
workbook, runs `supplyopt solve` on it as a planner would, and prints a table: wall time of the
whole command (median), the import of the CLI alone, and HiGHS's own time from the plan's record.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import instances as I
    from supplyopt.io.template import write_template

    with tempfile.TemporaryDirectory() as tmp:
        src = write_template(Path(tmp) / "tiny.xlsx", I.refine_or_export())
        out = Path(tmp) / "out.xlsx"
        solve = [sys.executable, "-m", "supplyopt.cli", "solve", str(src), "-o", str(out), "--force", "-q"]
        walls = [timed(solve) for _ in range(args.repeat)]
        imports = [timed([sys.executable, "-c", "import supplyopt.cli.app"]) for _ in range(args.repeat)]
        summary = json.loads((out.with_suffix(".record") / "summary.json").read_text())
        highs = summary["summary"].get("solve_seconds") if "summary" in summary else summary.get("solve_seconds")
    wall, imp = statistics.median(walls), statistics.median(imports)
    print(f"tiny case, median of {args.repeat}\n")
    print("| step | seconds | ÷ whole solve |\n|---|---:|---:|")
    print(f"| whole `supplyopt solve` (read, build, HiGHS, workbook + record) | {wall:.2f} | 1.00 |")
    print(f"| import of the CLI alone | {imp:.2f} | {imp / wall:.2f} |")
    if isinstance(highs, (int, float)):
        print(f"| HiGHS | {highs:.3f} | {highs / wall:.3f} |")


if __name__ == "__main__":
    main()
