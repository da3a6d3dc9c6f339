"""Capacity: refinery opening and modules, corridor and port capacity with upgrades.

Design decisions (shared by every scenario) live here: `open_new`, `add_modules`, `build`.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.flows import flow_positions
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


def built(m: pyo.ConcreteModel, d: ModelData, u: str, p: str):
    """1 if upgrade u is in service in period p: Σ_{q ≤ p} build_{u,q}."""
    return pyo.quicksum(m.build[u, q] for q in d.periods_upto(p) if (u, q) in m.build)


def add_refinery_capacity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Refinery sites j: open once, add integer modules, process within installed capacity.

        Σ_p open_new_{j,p} ≤ 1                                          (refinery_open_once)
        modules_{j,p} = existing_j + Σ_{q≤p} add_modules_{j,q} ≤ max_j · is_open_{j,p}  (refinery_module_limit)
        Σ_r process_{s,j,r,p} ≤ f_{s,j,p} · size_j · modules_{j,p}       (refinery_capacity)

    open_new and add_modules exist only in periods the site's earliest period and lead time allow.
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

    def capacity(_m, s, j, p):
        recipes = [m.process[s, j, r, p] for (jj, r) in d.site_recipes if jj == j]
        if not recipes:
            return pyo.Constraint.Skip
        f = d.factor(s, "refinery", j, p)
        return pyo.quicksum(recipes) <= f * d.sites[j]["module_size_t_per_yr"] * modules(m, d, j, p)

    m.refinery_capacity = pyo.Constraint([(s, j, p) for s in d.scenarios for j in d.sites for p in d.periods], rule=capacity)

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


def add_upgrades(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Upgrade u (corridor or port) is built at most once: Σ_p build_{u,p} ≤ 1 (upgrade_once).

    Fixed term `upgrade_fixed_opex` = Σ_u opex_u · built_{u,p}; capex term `upgrade_capex` =
    Σ_u capex_u · build_{u,p}, discounted from the start of the period it enters service.
    """
    m.BUILD_IDX = pyo.Set(initialize=[(u, p) for u in d.upgrades for p in d.upgrade_periods[u]], dimen=2, ordered=True)
    m.build = pyo.Var(m.BUILD_IDX, within=pyo.Binary)
    m.upgrade_once = pyo.Constraint(
        list(d.upgrades),
        rule=lambda _m, u: pyo.quicksum(m.build[u, p] for p in d.upgrade_periods[u]) <= 1 if d.upgrade_periods[u] else pyo.Constraint.Skip,
    )
    forced = [u for u in d.upgrades if ("upgrade", u) in d.forced_design]
    m.forced_upgrade = pyo.Constraint(
        forced, rule=lambda _m, u: pyo.quicksum(m.build[u, p] for p in d.upgrade_periods[u]) == (1 if d.forced_design[("upgrade", u)] else 0)
    )
    add_term(
        m,
        "upgrade_fixed_opex",
        "fixed",
        "Upgrade fixed opex",
        lambda p: pyo.quicksum([d.upgrades[u]["fixed_opex_usd_per_yr"] * built(m, d, u, p) for u in d.upgrades]),
    )
    add_term(
        m,
        "upgrade_capex",
        "capex",
        "Corridor and port upgrade capex",
        lambda p: pyo.quicksum([d.upgrades[u]["capex_usd"] * m.build[u, p] for u in d.upgrades if (u, p) in m.build]),
        lambda p: pyo.quicksum([d.capex_factor(p) * d.upgrades[u]["capex_usd"] * m.build[u, p] for u in d.upgrades if (u, p) in m.build]),
    )


def _capacity_rhs(m, d: ModelData, etype: str, element: str, base: float, s: str, p: str):
    """f · (base + Σ_u added_u · built_{u,p}), or None when unlimited."""
    f = d.factor(s, etype, element, p)
    ups = d.upgrades_of(etype, element)
    if math.isinf(base):
        return 0 if f == 0 else None
    return f * (base + pyo.quicksum([d.upgrades[u]["added_capacity_t_per_yr"] * built(m, d, u, p) for u in ups]))


def add_corridor_capacity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Corridor k (both directions together), per scenario s and period p:

        Σ_{a ∈ arcs(k), c} flow_{s,a,c,p} − f_{s,k,p} · Σ_{u upgrades k} added_u · Σ_{q ≤ p} build_{u,q} ≤ f_{s,k,p} · cap_k

    (capacity f · (cap_k + upgrades), the upgrade terms moved left so the bound is a number).
    Named `corridor_capacity`, keys (s, k, p); only rows with a flow, and none where capacity is
    unlimited and the corridor open (unlimited and closed, f = 0: Σ flow ≤ 0). Flows are most of
    the model, so the rows are assembled from index arrays (see model/arrays.py).
    """
    P = len(d.periods)
    corridors = list(d.corridor_capacity)
    pos = {k: i for i, k in enumerate(corridors)}
    # every (s, k, p) as a position; a flow's row is its corridor's in its scenario and period
    keys = [(s, k, p) for s in d.scenarios for k in corridors for p in d.periods]
    upper: list[float | None] = []
    for s, k, p in keys:
        f, cap = d.factor(s, "corridor", k, p), d.corridor_capacity[k]
        upper.append(None if math.isinf(cap) and f != 0 else (0.0 if math.isinf(cap) else f * cap))
    corridor_of = np.array([pos[d.arcs[a].corridor] for a, _c in d.arc_commodities], dtype=np.int64)
    j, s_ix, k_ix, p_ix = flow_positions(d)
    flow_row = (s_ix * len(corridors) + corridor_of[k_ix]) * P + p_ix
    limited = np.array([u is not None for u in upper])
    keep = limited[flow_row]
    columns = columns_of(m.flow)
    rows, cols, coefs = [flow_row[keep]], [j[keep]], [np.ones(int(keep.sum()))]
    with_flow = set(np.unique(flow_row[keep]).tolist())
    extra_rows, extra_cols, extra_coefs = [], [], []
    build_col = {}
    for r in sorted(with_flow):
        s, k, p = keys[r]
        if math.isinf(d.corridor_capacity[k]):
            continue  # closed (f = 0) and unlimited: upgrades cannot open it
        f = d.factor(s, "corridor", k, p)
        for u in d.upgrades_of("corridor", k):
            for q in d.periods_upto(p):
                if (u, q) in m.build:
                    if (u, q) not in build_col:
                        build_col[(u, q)] = len(columns)
                        columns.append(m.build[u, q])
                    extra_rows.append(r)
                    extra_cols.append(build_col[(u, q)])
                    extra_coefs.append(-f * d.upgrades[u]["added_capacity_t_per_yr"])
    rows.append(np.asarray(extra_rows, dtype=np.int64))
    cols.append(np.asarray(extra_cols, dtype=np.int64))
    coefs.append(np.asarray(extra_coefs, dtype=float))
    m.corridor_capacity = matrix_rows(keys, columns, np.concatenate(rows), np.concatenate(cols), np.concatenate(coefs), None, upper)


def add_port_capacity(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Port n throughput, per scenario and period: Σ_c sell_{s,n,c,p} ≤ f_{s,n,p} · (cap_n + upgrades).
    Named `port_capacity`."""
    sales: dict[tuple[str, str, str], list] = {}
    for s, n, c, p in m.MARKET_S:
        if n in d.ports:
            sales.setdefault((s, n, p), []).append(m.sell[s, n, c, p])

    def rule(_m, s, n, p):
        rhs = _capacity_rhs(m, d, "port", n, d.ports[n]["capacity"], s, p)
        lhs = sales.get((s, n, p))
        if rhs is None or not lhs:
            return pyo.Constraint.Skip
        return pyo.quicksum(lhs) <= rhs

    m.port_capacity = pyo.Constraint([(s, n, p) for s in d.scenarios for n in d.ports for p in d.periods], rule=rule)
