"""Refinery sites: open once, add integer modules, process within the installed capacity.

Design decisions (shared by every scenario): `open_new`, `add_modules`.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import BASE_SCENARIO, ModelData
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.terms import add_term


def is_open(m: pyo.ConcreteModel, d: ModelData, j: str, p: str):
    """1 if site j is open in period p (existing sites are always open)."""
    if d.sites[j]["existing_modules"] > 0:
        return 1
    return pyo.quicksum(m.open_new[j, q] for q in d.periods_upto(p) if (j, q) in m.open_new)


def modules(m: pyo.ConcreteModel, d: ModelData, j: str, p: str):
    """Modules installed at site j in period p: existing + Σ_{q ≤ p} add_modules_{j,q}."""
    added = [m.add_modules[j, q] for q in d.periods_upto(p) if (j, q) in m.add_modules]
    return d.sites[j]["existing_modules"] + pyo.quicksum(added)


def capacity(m, d: ModelData, key: tuple[str, str, str]):
    """Input capacity of site j in scenario s, period p: f_{s,j,p} · size_j · modules_{j,p} (t/yr)."""
    s, j, p = key
    return d.factor(s, "refinery", j, p) * d.sites[j]["module_size_t_per_yr"] * modules(m, d, j, p)


def users(m, d: ModelData, key: tuple[str, str, str]) -> list:
    """process_{s,j,r,p} of every recipe r at site j: what the capacity bounds."""
    s, j, p = key
    return [m.process[s, j, r, p] for (jj, r) in d.site_recipes if jj == j]


def add_refinery(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Refinery sites j: open once, add integer modules, process within installed capacity.

        Σ_p open_new_{j,p} ≤ 1                                          (refinery_open_once)
        modules_{j,p} = existing_j + Σ_{q≤p} add_modules_{j,q} ≤ max_j · is_open_{j,p}  (refinery_module_limit)
        Σ_r process_{s,j,r,p} ≤ f_{s,j,p} · size_j · modules_{j,p}       (refinery_capacity)
        Σ_p open_new_{j,p} = 1 or 0   for sites explain forces           (forced_site)

    over new sites j (open once), sites and periods (module limit, only once something can be
    added), and scenarios × sites × periods with a recipe (capacity). open_new and add_modules
    exist only in periods the site's earliest period and lead time allow.
    Fixed term `refinery_fixed_opex` = Σ_j fixed_opex_j · is_open + module_opex_j · modules;
    capex term `refinery_capex` = Σ_j open_capex_j · open_new + module_capex_j · add_modules,
    discounted from lead_time_years before the period starts.
    """
    new_sites = [j for j in d.sites if d.sites[j]["existing_modules"] == 0]
    m.OPEN_IDX = pyo.Set(initialize=[(j, p) for j in new_sites for p in d.site_periods[j]], dimen=2, ordered=True)
    m.open_new = pyo.Var(m.OPEN_IDX, within=pyo.Binary)
    m.MODULE_IDX = pyo.Set(initialize=[(j, p) for j in d.sites for p in d.site_periods[j]], dimen=2, ordered=True)

    def module_bounds(_m, j, p):
        site = d.sites[j]
        return (0, site["max_modules"] - site["existing_modules"])

    m.add_modules = pyo.Var(m.MODULE_IDX, within=pyo.NonNegativeIntegers, bounds=module_bounds)
    m.refinery_open_once = pyo.Constraint(
        new_sites, rule=lambda _m, j: pyo.quicksum(m.open_new[j, p] for p in d.site_periods[j]) <= 1 if d.site_periods[j] else pyo.Constraint.Skip
    )

    def module_limit(_m, j, p):
        if not any((j, q) in m.add_modules for q in d.periods_upto(p)):
            return pyo.Constraint.Skip  # nothing can be added yet: the limit holds by the input checks
        return modules(m, d, j, p) <= d.sites[j]["max_modules"] * is_open(m, d, j, p)

    m.refinery_module_limit = pyo.Constraint([(j, p) for j in d.sites for p in d.periods], rule=module_limit)

    def forced_site(_m, j):
        opened = pyo.quicksum(m.open_new[j, p] for p in d.site_periods[j])
        return opened == (1 if d.forced_design[("site", j)] else 0)

    forced = [j for j in new_sites if ("site", j) in d.forced_design]
    m.forced_site = pyo.Constraint(forced, rule=forced_site)  # explain: site j forced open or closed

    def capacity_row(_m, s, j, p):
        recipes = users(m, d, (s, j, p))
        if not recipes:
            return pyo.Constraint.Skip
        return pyo.quicksum(recipes) <= capacity(m, d, (s, j, p))

    m.refinery_capacity = pyo.Constraint([(s, j, p) for s in d.scenarios for j in d.sites for p in d.periods], rule=capacity_row)

    def fixed(p):
        return pyo.quicksum(
            [d.sites[j]["fixed_opex_usd_per_yr"] * is_open(m, d, j, p) + d.sites[j]["module_opex_usd_per_yr"] * modules(m, d, j, p) for j in d.sites]
        )

    def capex_nominal(p):
        return pyo.quicksum(
            [d.sites[j]["open_capex_usd"] * m.open_new[j, p] for j in new_sites if (j, p) in m.open_new]
            + [d.sites[j]["module_capex_usd"] * m.add_modules[j, p] for j in d.sites if (j, p) in m.add_modules]
        )

    def capex_pv(p):
        terms = []
        for j in d.sites:
            cf = d.capex_factor(p, int(d.sites[j]["lead_time_years"] or 0))
            if (j, p) in m.open_new:
                terms.append(cf * d.sites[j]["open_capex_usd"] * m.open_new[j, p])
            if (j, p) in m.add_modules:
                terms.append(cf * d.sites[j]["module_capex_usd"] * m.add_modules[j, p])
        return pyo.quicksum(terms)

    add_term(m, "refinery_fixed_opex", "fixed", "Refinery fixed opex", fixed)
    add_term(m, "refinery_capex", "capex", "Refinery capex", capex_nominal, capex_pv)


def refinery_table(m, d: ModelData, sol) -> pd.DataFrame:
    """Refineries: per site and period, open or not, modules, nameplate capacity (modules ×
    module size) and the input processed in the base scenario (or the first)."""
    opened = sol.vals(m.open_new)
    added = sol.vals(m.add_modules)
    proc = sol.vals(m.process)
    rows = []
    for j, site in d.sites.items():
        for p in d.periods:
            n_mod = round(sol.val(modules(m, d, j, p)))
            throughput = sum(
                proc.get((BASE_SCENARIO if BASE_SCENARIO in d.scenarios else d.scenarios[0], j, r, p), 0.0) for (jj, r) in d.site_recipes if jj == j
            )
            cap = n_mod * site["module_size_t_per_yr"]
            rows.append(
                {
                    "site": j,
                    "period": p,
                    "open": round(sol.val(is_open(m, d, j, p))),
                    "opened_this_period": round(opened.get((j, p), 0.0)),
                    "modules": n_mod,
                    "modules_added": round(added.get((j, p), 0.0)),
                    "capacity_t_per_yr": cap,
                    "input_t_per_yr": clean(throughput),
                    "utilisation": clean(throughput / cap) if cap > 0 else None,
                }
            )
    return pd.DataFrame(
        rows, columns=["site", "period", "open", "opened_this_period", "modules", "modules_added", "capacity_t_per_yr", "input_t_per_yr", "utilisation"]
    )


def _site_row(d: ModelData, key: tuple) -> int | None:
    return d.rows.get(("Refineries", key[-2]))


FAMILY = Family(
    "refinery",
    add_refinery,
    limits=(
        Limit(
            "refinery_capacity",
            "Refineries",
            _site_row,
            lambda m, d, k: f"refinery {k[1]} capacity (modules × module size) in {k[2]}{scenario_suffix(d, k[0])}",
            capacity,
            users,
        ),
        Limit("refinery_module_limit", "Refineries", _site_row, lambda m, d, k: f"refinery {k[0]} max_modules {d.sites[k[0]]['max_modules']} in {k[1]}"),
    ),
    rows=("refinery_open_once", "forced_site"),
    tables=(Table("Refineries", refinery_table, 10),),
)
