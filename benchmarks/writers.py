"""Results workbook writers: today's (openpyxl for the sheets, table rows spliced into the sheet
XML by supplyopt.io.workbook.rows_xml) against XlsxWriter in `constant_memory` mode.

Cases: a plan whose Flows table has 200k seeded rows (benchmarks/records.results_with_flows), and
the Pakistan base plan (instances/pakistan_base.xlsx, solved once).

    today        write_results_workbook(results, path): every sheet, charts, the hidden meta
    xlsxwriter   XlsxWriter, constant_memory, strings_to_formulas/urls off: only the table
                 sheets (header, Excel Table, print setup, one number format per column, rows
                 written row by row) — a lower bound on an XlsxWriter results workbook, which
                 would still need the Summary, report sheets, charts and meta sheet

Each (writer, case) runs once in a fresh process: seconds of the write, and the peak resident
memory the write added (ru_maxrss after − resident size before).

    python benchmarks/writers.py             # both cases, 200,000 flow rows
    python benchmarks/writers.py --rows 50000
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]


def pakistan():
    from supplyopt.io.read import read_input
    from supplyopt.studies.pipeline import run_solve

    return run_solve(read_input(ROOT / "instances" / "pakistan_base.xlsx")).results


def write_xlsxwriter(results, out: Path) -> None:
    """The table sheets of a results workbook with XlsxWriter (constant_memory)."""
    import numpy as np
    import xlsxwriter

    from supplyopt.io.workbook.cells import column_format, needs_guard, plain
    from supplyopt.io.workbook.layout import frame

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
    quoted = wb.add_format({"quote_prefix": True})
    formats: dict[str, object] = {}
    for k, (name, table) in enumerate(results.tables.items()):
        df, _ = frame(table)
        ws = wb.add_worksheet(str(name)[:31])
        cols = [str(c) for c in df.columns]
        fmts = []
        for c in cols:
            f = column_format(c)
            fmts.append(formats.setdefault(f, wb.add_format({"num_format": f})) if f else None)
        ws.write_row(0, 0, cols, header)
        numeric = [isinstance(df[c].dtype, np.dtype) and df[c].dtype.kind in "iuf" for c in df.columns]
        columns = [df.iloc[:, j].tolist() for j in range(len(cols))]
        for i, row in enumerate(zip(*columns), start=1):
            for j, v in enumerate(row):
                if numeric[j]:
                    if v == v and not math.isinf(v):
                        ws.write_number(i, j, v, fmts[j])
                    continue
                v = plain(v)
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v, quoted if needs_guard(v) else None)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                else:
                    ws.write_number(i, j, v, fmts[j])
        if cols:
            ws.add_table(0, 0, max(1, len(df)), len(cols) - 1, {"name": f"T{k}", "columns": [{"header": c} for c in cols], "autofilter": True})
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
    wb.close()


def one(writer: str, case: str, rows: int) -> dict:
    """Run one write in this process; returns seconds and the peak memory it added."""
    if case == "flows":
        from records import results_with_flows

        results = results_with_flows(rows)
    else:
        results = pakistan()
    from supplyopt.io.results_workbook import write_results_workbook

    rss_before = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.xlsx"
        t = time.perf_counter()
        if writer == "today":
            write_results_workbook(results, out, overwrite=True)
        else:
            write_xlsxwriter(results, out)
        seconds = time.perf_counter() - t
        mb = out.stat().st_size / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "added_mb": max(0.0, peak - rss_before), "file_mb": mb, "rows": sum(len(df) for df in results.tables.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--one", nargs=2, metavar=("WRITER", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(*args.one, args.rows)))
        return
    print("| case | writer | table rows | write s | ÷ today | peak memory added MB | file MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for case in ("flows", "pakistan"):
        base = None
        for writer in ("today", "xlsxwriter"):
            cmd = [sys.executable, __file__, "--rows", str(args.rows), "--one", writer, case]
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            base = base or r["seconds"]
            name = f"{args.rows:,} flow rows" if case == "flows" else "Pakistan base"
            print(f"| {name} | {writer} | {r['rows']:,} | {r['seconds']:.2f} | {r['seconds'] / base:.2f} | {r['added_mb']:.0f} | {r['file_mb']:.1f} |")


if __name__ == "__main__":
    main()
