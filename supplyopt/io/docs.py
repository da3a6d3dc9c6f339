"""The input-format reference, generated from the schema: `python -m supplyopt.io.docs`.

`render_input_format()` documents every table, column and setting of `supplyopt.schema`, and a
small complete worked example (`worked_example()`, one mine, one refinery, one port, an overseas buyer) built from
the schema's `Table.examples`. `main()` writes it to docs/input-format.md; a test checks that the
committed file equals the rendering, so the reference cannot drift from the schema.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from supplyopt.schema import SETTINGS, TABLES, Column, Setting, describe_default

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "input-format.md"
EXAMPLE_BEGIN = "<!-- worked-example:begin -->"
EXAMPLE_END = "<!-- worked-example:end -->"

_TYPE_NAMES = {"str": "text", "float": "number", "int": "whole number", "bool": "yes/no", "enum": "choice"}


# ---------------------------------------------------------------------------------------------
# Worked example
# ---------------------------------------------------------------------------------------------

# How the worked example differs from the schema's examples: (example index or None, changes).
# Tables not listed here use their schema examples unchanged.
_EXAMPLE_PLAN: dict[str, list[tuple[int | None, dict[str, Any]]]] = {
    "Settings": [(0, {}), (1, {})],
    "Periods": [
        (0, {}),
        (0, {"period": "2027", "start_year": 2027}),
        (0, {"period": "2028", "start_year": 2028}),
    ],
    "Commodities": [
        (0, {}),
        (None, {"commodity": "CU_CATHODE", "name": "Copper cathode", "kind": "refined", "cargo_value_usd_per_t": 9500.0}),
    ],
    "Nodes": [
        (0, {}),
        (None, {"node": "REF_PQ", "name": "Port Qasim refinery site", "kind": "refinery", "lat": 24.79, "lon": 67.35, "region": "Sindh"}),
        (None, {"node": "PORT_QASIM", "name": "Port Qasim", "kind": "port", "lat": 24.77, "lon": 67.33, "region": "Sindh"}),
        (None, {"node": "CHINA", "name": "Buyers in China (CIF Qingdao)", "kind": "market", "lat": 36.07, "lon": 120.38, "region": ""}),
    ],
    "Corridors": [
        (0, {"name": "Reko Diq - Port Qasim refinery (N-40, N-25)", "from_node": "REKO_DIQ", "to_node": "REF_PQ", "distance_km": 1150.0}),
        (
            0,
            {
                "corridor": "R-02",
                "name": "Refinery - Port Qasim berth",
                "from_node": "REF_PQ",
                "to_node": "PORT_QASIM",
                "distance_km": 5.0,
                "capacity_t_per_yr": None,
            },
        ),
        (
            None,
            {
                "corridor": "S-01",
                "name": "Port Qasim - Qingdao by sea",
                "from_node": "PORT_QASIM",
                "to_node": "CHINA",
                "mode": "sea",
                "distance_km": 9800.0,
                "cost_usd_per_tkm": 0.0,
                "handling_usd_per_t": 0.0,
                "bidirectional": False,
            },
        ),
    ],
    "Buyers": [(None, {"node": "CHINA", "country": "China"})],
    "SeaFreight": [(None, {"corridor": "S-01", "vessel_class": "HANDYMAX", "freight_usd_per_t": 45.0})],
    "Markets": [
        (0, {}),
        (0, {"commodity": "CU_CATHODE", "price_usd_per_t": 9500.0}),
    ],
    "CapacityFactors": [(0, {"element": "R-04", "factor": 0.25})],
    "CorridorRisk": [(0, {"corridor": "R-04"})],
    "NodeRisk": [(0, {"node": "PORT_QASIM"})],
    "DisruptionFactors": [(0, {"element": "R-04"})],
}


def worked_example() -> dict[str, list[dict[str, Any]]]:
    """A tiny complete instance, {table: [row dicts]}: every table has rows, and it validates.

    Rows come from the schema's `Table.examples`, adjusted (`_EXAMPLE_PLAN`) so that they
    describe one network: mine REKO_DIQ → refinery site REF_PQ → port PORT_QASIM → (by sea) buyer CHINA.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        plan = _EXAMPLE_PLAN.get(table.name) or [(i, {}) for i in range(len(table.examples))]
        rows = []
        for index, changes in plan:
            row: dict[str, Any] = {name: None for name in table.column_names}
            if index is not None and index < len(table.examples):
                row.update(zip(table.column_names, table.examples[index]))
            row.update(changes)
            rows.append(row)
        out[table.name] = rows
    return out


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _bounds(lo: float | None, hi: float | None, lo_exclusive: bool = False) -> str:
    if lo is not None and hi is not None:
        return f"{'>' if lo_exclusive else '≥'} {_number(lo)} and ≤ {_number(hi)}"
    if lo is not None:
        return f"{'>' if lo_exclusive else '≥'} {_number(lo)}"
    if hi is not None:
        return f"≤ {_number(hi)}"
    return ""


def _allowed(col: Column) -> str:
    parts = []
    if col.enum:
        parts.append("one of " + ", ".join(f"`{e}`" for e in col.enum))
    if col.type == "bool":
        parts.append("`yes` or `no`")
    if col.ref:
        parts.append(f"a `{col.ref[1]}` of sheet {col.ref[0]}")
    bounds = _bounds(col.min, col.max, col.min_exclusive)
    if bounds:
        parts.append(bounds)
    return "; ".join(parts)


def _required(col: Column) -> str:
    if col.required:
        return "**required**"
    if col.default is None and col.name != "period" and "blank" in col.doc.lower():
        return "optional; blank: see description"
    if col.default == "":
        return "optional; blank = empty"
    if isinstance(col.default, float) and not math.isinf(col.default):
        return f"optional; blank = {_number(col.default)}"
    return f"optional; blank = {describe_default(col)}"


def _setting_default(s: Setting) -> str:
    if s.default is None:
        return "blank"
    if isinstance(s.default, bool):
        return "yes" if s.default else "no"
    if isinstance(s.default, float):
        return _number(s.default)
    return f"`{s.default}`" if s.type == "enum" else str(s.default)


def _example_value(value: Any, col: Column) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isinf(value) else f"{value:,.15g}"
    return str(value)


def _example_lines(example: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    lines = [EXAMPLE_BEGIN]
    for table in TABLES:
        rows = example.get(table.name, [])
        lines += ["", f"#### {table.name}", ""]
        lines += _md_table(table.column_names, [[_example_value(rec.get(c.name), c) for c in table.columns] for rec in rows])
    lines += ["", EXAMPLE_END]
    return lines


def render_input_format() -> str:
    """Markdown reference of the input format (tables, columns, settings, worked example)."""
    lines = [
        "# supplyopt input format",
        "",
        "<!-- Generated from supplyopt/schema.py by `python -m supplyopt.io.docs`. Do not edit by hand. -->",
        "",
        "An input is an Excel workbook (`.xlsx`) with one sheet per table below, or a folder with one",
        "UTF-8 `<Table>.csv` file per table. The first row of each sheet holds the column names; every",
        "further row is one record. `supplyopt template my_case.xlsx` writes an empty workbook with every",
        "sheet, the column notes and dropdowns. Then `supplyopt validate my_case.xlsx` lists every problem",
        "(sheet, row, column) and `supplyopt solve my_case.xlsx` writes a results workbook. Sheets with",
        "other names (README, Sources, notes) are ignored; sheet and column names are not case-sensitive.",
        "",
        "## Units and blank cells",
        "",
        "- Money is in US dollars (USD), mass in tonnes (t, gold too), rates per year (t/yr, USD/yr),",
        "  distances in kilometres (km). Numbers may carry thousands separators (`1,000,000`); shares",
        "  may be typed as `8%` or `0.08`.",
        "- A blank optional cell takes the column's default (listed below). A blank capacity or",
        "  maximum whose default is *unlimited* means no limit (`unlimited` or `inf` may also be typed).",
        "- **Blank periods.** In the per-period tables (those with a `period` column) a blank period",
        "  means *every period*. A row naming a period overrides the blank row for that period only.",
        "- Yes/no columns take `yes` or `no` (also `true`/`false`, `1`/`0`).",
        "- Rows whose cells are all blank are ignored. Codes (node, corridor, commodity, ...) are",
        "  case-sensitive text; format code cells as text in Excel so that `2026` or `1-2` stay text.",
        "",
        "## Tables",
        "",
    ]
    lines += _md_table(
        ("Sheet", "Required", "Key columns", "What it holds"),
        [(f"[{t.name}](#{t.name.lower()})", "yes" if t.required else "no", ", ".join(f"`{k}`" for k in t.key), t.doc) for t in TABLES],
    )
    lines += [
        "",
        "The key columns identify a row: two rows of a table may not have the same key.",
        "A required sheet must be present (Periods needs at least one row); an optional sheet may be",
        "left out or left empty.",
        "",
    ]
    for table in TABLES:
        lines += [f"### {table.name}", "", table.doc, ""]
        lines.append(
            f"Sheet `{table.name}` (or `{table.name}.csv`); {'**required**' if table.required else 'optional'}; key: {', '.join(f'`{k}`' for k in table.key)}."
        )
        lines.append("")
        lines += _md_table(
            ("Column", "Type", "Unit", "Required / blank means", "Allowed values", "Description"),
            [(f"`{c.name}`", _TYPE_NAMES.get(c.type, c.type), c.unit, _required(c), _allowed(c), c.doc) for c in table.columns],
        )
        lines.append("")
    lines += [
        "## Settings",
        "",
        "The Settings sheet has one row per setting, with columns `name` and `value`. Unknown names are",
        "errors; a setting that is not listed (or has a blank value) takes its default.",
        "",
    ]
    lines += _md_table(
        ("Setting", "Type", "Default", "Unit", "Allowed values", "Description"),
        [
            (
                f"`{s.name}`",
                _TYPE_NAMES.get(s.type, s.type),
                _setting_default(s),
                s.unit,
                "; ".join(p for p in (", ".join(f"`{e}`" for e in s.enum), "`yes` or `no`" if s.type == "bool" else "", _bounds(s.min, s.max)) if p),
                s.doc,
            )
            for s in SETTINGS
        ],
    )
    lines += [
        "",
        "## Worked example",
        "",
        "A complete, valid instance: mine REKO_DIQ sends copper concentrate by road to the refinery",
        "site REF_PQ, which can smelt it to cathode, and on to PORT_QASIM, where both are sold. Each",
        "table below is one sheet (or CSV file); blank cells are left empty.",
        "",
    ]
    lines += _example_lines(worked_example())
    return "\n".join(lines) + "\n"


render_markdown = render_input_format  # name used in schema.py's docstring


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/input-format.md (or OUTPUT); with --check, only report whether it is up to date."""
    parser = argparse.ArgumentParser(prog="python -m supplyopt.io.docs", description=main.__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the schema's rendering")
    args = parser.parse_args(argv)
    text = render_input_format()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date: run python -m supplyopt.io.docs", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["render_input_format", "render_markdown", "worked_example", "main"]
