"""Refinery circuits and their size options: a capacity pool per circuit, economies of scale.

For site j, circuit k with CircuitSizes rows, size o and periods p (build_size binary, in the
periods the site and the size's earliest period allow):

    Σ_{o,p} build_size_{j,k,o,p} ≤ 1                                               (circuit_size_once)
    Σ_o Σ_{q≤p} build_size_{j,k,o,q} ≤ is_open_{j,p}                               (circuit_needs_site)
    Σ_{r on k at j} process_{s,j,r,p} ≤ f_{s,j,p} · Σ_o cap_o · Σ_{q≤p} build_size_{j,k,o,q}   (circuit_capacity)

so each circuit gets at most one size, once, kept, only at an open site; the recipes on it
(Recipes.circuit) process within that size. The site's module capacity (refinery_capacity) still
bounds all its recipes together. Capex term `circuit_capex` = Σ capex_o · build_size, discounted
from the site's lead time before the period; fixed term `circuit_fixed_opex` = Σ opex_o · built.
Built only when CircuitSizes has rows.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.refinery import is_open
from supplyopt.model.terms import add_term


def sizes(d: ModelData) -> dict[tuple[str, str], dict[str, dict]]:
    """(site, circuit) → {size: its CircuitSizes row}."""
    df = d.inputs.get("CircuitSizes")
    out: dict[tuple[str, str], dict[str, dict]] = {}
    for rec in df.to_dict("records") if df is not None else []:
        out.setdefault((rec["site"], rec["circuit"]), {})[rec["size"]] = rec
    return out


def circuit_recipes(d: ModelData) -> dict[tuple[str, str], list[str]]:
    """(site, circuit) → the recipes that run on it there (a site's own Recipes row wins)."""
    circuit: dict[tuple[str, str], str | None] = {}
    df = d.inputs["Recipes"]
    for rec in sorted(df.to_dict("records"), key=lambda x: x["site"] is not None):
        for j in d.sites if rec["site"] is None else [rec["site"]]:
            circuit[(j, rec["recipe"])] = rec.get("circuit")
    out: dict[tuple[str, str], list[str]] = {}
    for (j, r), k in circuit.items():
        if k is not None and (j, r) in d.recipe_cost:
            out.setdefault((j, k), []).append(r)
    return out


def size_periods(d: ModelData, j: str, rec: dict) -> list[str]:
    first = d.periods.index(rec["earliest_period"]) if rec["earliest_period"] is not None else 0
    return [p for p in d.site_periods[j] if d.periods.index(p) >= first]


def built(m, d: ModelData, j: str, k: str, p: str, o: str | None = None):
    """Σ_{q≤p} build_size_{j,k,o,q} (over every size o when o is None): 1 when built by p."""
    return pyo.quicksum(m.build_size[j, k, oo, q] for oo in sizes(d)[(j, k)] if o in (None, oo) for q in d.periods_upto(p) if (j, k, oo, q) in m.build_size)


def capacity(m, d: ModelData, key):
    """Input capacity of circuit k at site j (key (s, j, k, p)): f_{s,j,p} · Σ_o cap_o · built."""
    s, j, k, p = key
    return d.factor(s, "refinery", j, p) * pyo.quicksum(rec["capacity_t_per_yr"] * built(m, d, j, k, p, o) for o, rec in sizes(d)[(j, k)].items())


def users(m, d: ModelData, key) -> list:
    s, j, k, p = key
    return [m.process[s, j, r, p] for r in circuit_recipes(d).get((j, k), [])]


def add_circuits(m: pyo.ConcreteModel, d: ModelData) -> None:
    options = sizes(d)
    idx = [(j, k, o, p) for (j, k), by_size in options.items() for o, rec in by_size.items() for p in size_periods(d, j, rec)]
    m.BUILD_SIZE = pyo.Set(initialize=idx, dimen=4, ordered=True)
    m.build_size = pyo.Var(m.BUILD_SIZE, within=pyo.Binary)
    m.circuit_size_once = pyo.Constraint(list(options), rule=lambda _m, j, k: built(m, d, j, k, d.periods[-1]) <= 1)
    m.circuit_needs_site = pyo.Constraint(
        [(j, k, p) for (j, k) in options for p in d.periods], rule=lambda _m, j, k, p: built(m, d, j, k, p) <= is_open(m, d, j, p)
    )
    keys = [(s, j, k, p) for s in d.scenarios for (j, k) in options for p in d.periods if users(m, d, (s, j, k, p))]
    m.circuit_capacity = pyo.Constraint(keys, rule=lambda _m, *key: pyo.quicksum(users(m, d, key)) <= capacity(m, d, key))
    if not idx:
        return

    def lead(j: str) -> int:
        return int(d.sites[j]["lead_time_years"] or 0)

    add_term(
        m,
        "circuit_fixed_opex",
        "fixed",
        "Circuit fixed opex",
        lambda p: pyo.quicksum(rec["fixed_opex_usd_per_yr"] * built(m, d, j, k, p, o) for (j, k), by in options.items() for o, rec in by.items()),
    )
    add_term(
        m,
        "circuit_capex",
        "capex",
        "Circuit capex",
        lambda p: pyo.quicksum(options[(j, k)][o]["capex_usd"] * m.build_size[j, k, o, q] for (j, k, o, q) in idx if q == p),
        lambda p: pyo.quicksum(d.capex_factor(p, lead(j)) * options[(j, k)][o]["capex_usd"] * m.build_size[j, k, o, q] for (j, k, o, q) in idx if q == p),
    )


def circuit_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """Circuits: per site, circuit and period, the size built (if any), its capacity and the input
    processed on it (base scenario, or the first)."""
    options = sizes(d)
    if not options:
        return None
    s0 = d.scenarios[0]
    rows = []
    for (j, k), by_size in options.items():
        for p in d.periods:
            size = next((o for o in by_size if sol.val(built(m, d, j, k, p, o)) > 0.5), None)
            cap = by_size[size]["capacity_t_per_yr"] if size else 0.0
            used = sum(sol.val(x) for x in users(m, d, (s0, j, k, p)))
            rows.append(
                {
                    "site": j,
                    "circuit": k,
                    "period": p,
                    "size": size,
                    "capacity_t_per_yr": cap,
                    "input_t_per_yr": clean(used),
                    "utilisation": clean(used / cap) if cap else None,
                }
            )
    return pd.DataFrame(rows, columns=["site", "circuit", "period", "size", "capacity_t_per_yr", "input_t_per_yr", "utilisation"])


def _row(d: ModelData, k) -> int | None:
    rows = [rec[ROW_COLUMN] for rec in sizes(d).get((k[-3], k[-2]), {}).values()]
    return min(rows) if rows else None


FAMILY = Family(
    "circuits",
    add_circuits,
    limits=(
        Limit(
            "circuit_capacity",
            "CircuitSizes",
            lambda d, k: _row(d, k),
            lambda m, d, k: f"circuit {k[2]} at {k[1]}: capacity of the size built in {k[3]}{scenario_suffix(d, k[0])}",
            capacity,
            users,
        ),
    ),
    rows=("circuit_size_once", "circuit_needs_site"),
    tables=(Table("Circuits", circuit_table, 12),),
)
