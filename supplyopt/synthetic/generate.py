"""Seeded synthetic instances of any size, for benchmarks and tests.

`generate(size, seed, **overrides)` returns record dicts ``{table: [row dicts]}`` in the normal
input format (validate them with `supplyopt.io.memory.instance_from_records`). The structure
imitates the real problem in a Balochistan-sized box (lat 24.8-31.0 N, lon 61.6-69.8 E):

* hubs (towns) with clusters of mines around them; each mine produces one or two concentrates
  of a mineral system (Cu-Au, Pb-Zn, chromite, iron, antimony, barite), with ramp-ups and
  expansions per period;
* a sparse road graph (k nearest neighbours plus links that make it connected) between hubs,
  junctions, mines, refinery candidates, ports and domestic markets; a rail backbone (a
  spanning tree over hubs and ports) with capacities; planned roads/rail links and slurry
  pipelines with capacity 0 and an Upgrade that builds them; widening upgrades and port
  expansions; a few security closures and ramp-ups as CapacityFactors;
* refinery candidates at ports and at mine hubs (modules, lead times, one existing site from
  size M on) running poly-metallic recipes with co-products (cathode, Au-bearing anode slimes,
  acid; zinc, Ag-bearing lead bullion...), some at specific sites only;
* export ports on the Makran coast with capacities and handling costs, domestic markets with
  limits, prices per period, and a few concentrate off-take contracts (minimums) that are
  feasible by construction (each is routed on a reserved path of existing capacity).

Named sizes are calibrated on the number of model columns (``build_model(...).nvariables()``),
measured at seed 0 (``python -m supplyopt.synthetic.generate SIZE --count``):

    size   target    columns   integer     rows   periods  commodities  nodes  corridors
    S        5 k       4 907        31     1 858        4            7     58         84
    M       50 k      50 140        94    20 078        6            9    337        456
    L      500 k     499 660       220   198 250        8           13  1 799      2 386
    XL       2 M   1 996 797       377   785 514       10           15  4 986      6 632

Other seeds land within about 10 % (the number of mines is random). Flows are 97-99 % of the
columns; integer decisions (refinery opening and modules, upgrades) stay below 1 %, like the
real problem. With supplyopt's default gap (1e-4) S solves to optimality in seconds and M in
about a minute; L and XL need a time limit.

Command line: ``python -m supplyopt.synthetic.generate M --seed 1 -o /tmp/synthetic_M`` writes a
folder of ``<Table>.csv`` files (or one ``.xlsx`` workbook when the name ends in ``.xlsx``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import numpy as np

from supplyopt.errors import OutputError
from supplyopt.io.template import write_instance_csv, write_template
from supplyopt.synthetic.draft import Draft
from supplyopt.synthetic.geography import NodeBuilder
from supplyopt.synthetic.markets import add_contracts, add_markets, add_ports, add_price_paths
from supplyopt.synthetic.network import add_closures, add_nodes, add_rail_and_pipelines, add_roads
from supplyopt.synthetic.params import SIZES, GenParams, Records, params_for
from supplyopt.synthetic.supply import add_mines, add_recipes, add_refineries
from supplyopt.synthetic.systems import MODES, SYSTEMS, period_rows, renamed_system

__all__ = ["SIZES", "GenParams", "Records", "generate", "main", "model_size", "params_for", "write_instance"]


def generate(size: str = "S", seed: int = 0, **overrides: Any) -> Records:
    """Records of a synthetic instance of the named size (S, M, L, XL), reproducible per seed.

    Keyword overrides set any `GenParams` field (e.g. ``n_periods=3``). The result is valid
    input (``instance_from_records``) and feasible: contract minimums are routed on reserved
    capacity and every other minimum is 0.
    """
    prm = params_for(size, **overrides)
    rng = np.random.default_rng(seed)
    periods = period_rows(prm.n_periods)
    pnames = [p["period"] for p in periods]
    systems = [SYSTEMS[i % len(SYSTEMS)] for i in range(prm.n_systems)]
    if prm.n_systems > len(SYSTEMS):  # beyond the catalogue: renamed copies
        systems = [renamed_system(s, i) for i, s in enumerate(systems)]

    commodities: dict[str, dict[str, Any]] = {}
    for s in systems:
        code, name, price = s["conc"]
        commodities.setdefault(code, {"commodity": code, "name": name, "kind": "concentrate", "cargo_value_usd_per_t": price})
        for pcode, pname, pprice, _y in s["products"]:
            kind = "other" if pcode == "H2SO4" else "refined"
            commodities.setdefault(pcode, {"commodity": pcode, "name": pname, "kind": kind, "cargo_value_usd_per_t": pprice})
    d = Draft(prm, rng, NodeBuilder(prm, rng), pnames, systems, commodities)

    # The parts draw from one random stream: their order fixes the records for a seed.
    add_nodes(d)
    add_roads(d)
    add_rail_and_pipelines(d)
    add_closures(d)
    mine_rows, mine_min_cap = add_mines(d)
    refineries, lead_max = add_refineries(d)
    recipes, recipe_outputs = add_recipes(d)
    ports = add_ports(d)
    markets, market_row = add_markets(d)
    # Contract minimums, feasible by construction: route each on a path of existing capacity.
    add_contracts(d, mine_rows, mine_min_cap, market_row)
    add_price_paths(d, markets)

    modes = [{"mode": m, "cost_usd_per_tkm": c, "handling_usd_per_t": h} for m, c, h in MODES]
    settings = [
        {"name": "objective", "value": "npv"},
        {"name": "discount_rate", "value": prm.discount_rate},
        # Money is discounted to the decision year, lead_max years before operations start,
        # so every refinery candidate can have capacity online from the first period.
        {"name": "base_year", "value": periods[0]["start_year"] - lead_max},
        {"name": "currency_note", "value": f"USD; synthetic instance size {size.upper()} seed {seed}"},
    ]
    return {
        "Settings": settings,
        "Periods": periods,
        "Commodities": list(commodities.values()),
        "Nodes": d.builder.nodes,
        "Modes": modes,
        "Corridors": d.corridors,
        "Mines": mine_rows,
        "Refineries": refineries,
        "Recipes": recipes,
        "RecipeOutputs": recipe_outputs,
        "Ports": ports,
        "Markets": markets,
        "Upgrades": d.upgrades,
        "CapacityFactors": d.factors,
    }


def write_instance(records: Records, out: str | Path, overwrite: bool = False) -> Path:
    """Write records as a CSV folder (one <Table>.csv per table) or, for a name ending in .xlsx,
    an input workbook. Raises OutputError rather than replace an existing output."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        write_template(out, records, overwrite=overwrite)
    else:
        write_instance_csv(out, records, overwrite=overwrite)
    return out


def model_size(records: Records) -> dict[str, int]:
    """Columns, integer columns and rows of the model built from the records."""
    from pyomo.environ import Var

    from supplyopt.io.memory import instance_from_records
    from supplyopt.model import build_model

    m = build_model(instance_from_records(records))
    integer = sum(1 for v in m.component_data_objects(Var) if v.is_integer() or v.is_binary())
    return {"columns": m.nvariables(), "integer_columns": integer, "rows": m.nconstraints()}


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic instance and/or print its model size."""
    ap = argparse.ArgumentParser(prog="python -m supplyopt.synthetic.generate", description="Write a synthetic supplyopt instance.")
    ap.add_argument("size", choices=list(SIZES), type=str.upper)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", help="folder for <Table>.csv files, or a .xlsx workbook")
    ap.add_argument("--force", action="store_true", help="replace an existing output")
    ap.add_argument("--count", action="store_true", help="build the model and print its columns and rows")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a generator parameter (repeatable)")
    args = ap.parse_args(argv)
    overrides: dict[str, Any] = {}
    types = {f.name: f.type for f in fields(GenParams)}
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in types:
            ap.error(f"unknown parameter {name!r}; known: {', '.join(types)}")
        kind = types[name]
        overrides[name] = (value.lower() in ("1", "yes", "true")) if kind == "bool" else int(value) if kind == "int" else float(value)
    records = generate(args.size, seed=args.seed, **overrides)
    if args.output:
        try:
            out = write_instance(records, args.output, overwrite=args.force)
        except OutputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return OutputError.exit_code
        print(f"wrote {out} ({sum(len(v) for v in records.values()):,} rows in {len(records)} tables)")
    if args.count:
        print(f"size {args.size} seed {args.seed}: {model_size(records)}  params {asdict(params_for(args.size, **overrides))}")
    if not args.output and not args.count:
        ap.error("give -o OUTPUT and/or --count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
