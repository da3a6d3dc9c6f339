"""The floor: supplyopt's MILP built straight into highspy arrays, without Pyomo.

`build_arrays(d)` turns the same `ModelData` that `supplyopt.model.build_model` uses
(`supplyopt.model.data.prepare(inst)`) into column bounds, costs, integrality and a CSC
constraint matrix with numpy, family by family, mirroring the Pyomo model's maths (same
columns; rows that Pyomo skips because they have no variables are dropped here too).
`solve_floor` hands it to HiGHS in one `passModel` call and solves with the same options as
`supplyopt.solve.highs.solve`. The objective must equal supplyopt's (tests/test_generate.py checks S).

It covers the core families (production, processing, sales, flows, refinery capacity,
upgrades, corridor and port capacity, mass balance; NPV and cost objectives, any number of
scenarios). Instances using security-risk formulations, soft minimums, CVaR, elastic mode or
forced designs raise NotImplementedError: the synthetic instances use none of them.

    python benchmarks/highspy_floor.py --size M --seed 0      # prints one JSON line
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from supplyopt.model.data import ModelData

INF = highspy.kHighsInf


@dataclass
class FloorModel:
    """The MILP as arrays: columns, rows, CSC matrix, objective sense and offset."""

    col_cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # indices of integer columns
    row_lower: np.ndarray
    row_upper: np.ndarray
    a_start: np.ndarray
    a_index: np.ndarray
    a_value: np.ndarray
    maximise: bool
    offset: float
    columns: dict[str, int] = field(default_factory=dict)  # family → number of columns
    rows: dict[str, int] = field(default_factory=dict)  # family → number of rows kept

    @property
    def num_col(self) -> int:
        return len(self.col_cost)

    @property
    def num_row(self) -> int:
        return len(self.row_lower)

    @property
    def num_nz(self) -> int:
        return len(self.a_value)


def _unsupported(d: ModelData) -> list[str]:
    out = []
    rs = d.risk_settings or {}
    if any(r.get("security_cost") or r.get("incident_probability") for r in (d.corridor_risk or {}).values()):
        out.append("corridor risk")
    if any(r.get("security_cost") or r.get("incident_probability") for r in (d.node_risk or {}).values()):
        out.append("node risk")
    if any(v is not None for lim in (d.risk_limits or {}).values() for v in lim.values()):
        out.append("risk limits")
    for key in ("high_risk_max_share", "max_corridor_share", "max_port_share"):
        if rs.get(key) is not None:
            out.append(key)
    if rs.get("escorts") and any(r.get("convoy_size") for r in (d.corridor_risk or {}).values()):
        out.append("escorts")
    if float(rs.get("cvar_weight") or 0.0) > 0 and d.objective != "cost":
        out.append("CVaR")
    if getattr(d, "elastic", False):
        out.append("elastic mode")
    if getattr(d, "forced_design", None):
        out.append("forced design")
    if any(v["min"] > 0 and (v.get("penalty") is not None or getattr(d, "default_shortfall_penalty", None) is not None) for v in d.markets.values()):
        out.append("soft contract minimums")
    return out


class _Rows:
    """COO triplets and row bounds, appended family by family."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.family: list[tuple[str, int, int]] = []  # (name, first row, count)
        self.n = 0

    def new(self, name: str, lower, upper) -> int:
        lower = np.asarray(lower, dtype=float)
        upper = np.broadcast_to(np.asarray(upper, dtype=float), lower.shape).copy()
        first = self.n
        self.lo.append(lower)
        self.hi.append(upper)
        self.family.append((name, first, len(lower)))
        self.n += len(lower)
        return first

    def add(self, rows, cols, vals) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape)
        keep = (rows >= 0) & (vals != 0)
        self.r.append(rows[keep])
        self.c.append(cols[keep])
        self.v.append(np.array(vals[keep]))


def build_arrays(d: ModelData) -> FloorModel:
    """The model of `d` as arrays (see the module docstring for what is covered)."""
    bad = _unsupported(d)
    if bad:
        raise NotImplementedError(f"the highspy floor does not model: {', '.join(bad)}")
    S, P = list(d.scenarios), list(d.periods)
    nS, nP = len(S), len(P)
    pidx = {p: i for i, p in enumerate(P)}
    prob = np.array([d.probability[s] for s in S])
    DF = np.array([d.flow_factor[p] for p in P])
    fac = d.factors  # (scenario, type, element, period) → factor
    cost_mode = d.objective == "cost"

    cost_parts: list[np.ndarray] = []  # objective coefficients as costs (positive = cost)
    rev_parts: list[np.ndarray] = []
    lower_parts: list[np.ndarray] = []
    upper_parts: list[np.ndarray] = []
    columns: dict[str, int] = {}
    ncol = 0

    def add_cols(name: str, n: int, lo, hi, cost, rev=0.0) -> int:
        nonlocal ncol
        first = ncol
        lower_parts.append(np.broadcast_to(np.asarray(lo, dtype=float), (n,)).copy())
        upper_parts.append(np.broadcast_to(np.asarray(hi, dtype=float), (n,)).copy())
        cost_parts.append(np.broadcast_to(np.asarray(cost, dtype=float), (n,)).copy())
        rev_parts.append(np.broadcast_to(np.asarray(rev, dtype=float), (n,)).copy())
        columns[name] = n
        ncol += n
        return first

    # --- columns (same order as the Pyomo model's index sets) ---------------------------------
    AC = d.arc_commodities
    nAC = len(AC)
    arc_cost = np.array([d.arc_unit_cost[a] for a, _c in AC], dtype=float)
    F0 = add_cols("flow", nS * nAC * nP, 0.0, INF, 0.0)
    # supplyopt's accounting column transport_cost_{s,p} = Σ unit_cost · flow carries the cost
    T0 = add_cols("transport_cost", nS * nP, 0.0, INF, (prob[:, None] * DF[None, :]).ravel())

    supply = list(d.supply)
    nSup = len(supply)
    sup_p = np.array([pidx[k[2]] for k in supply], dtype=np.int64)
    f_mine = np.array([[fac.get((s, "mine", i, p), 1.0) for (i, _c, p) in supply] for s in S]).reshape(nS, nSup)
    smin = np.array([d.supply[k]["min"] for k in supply], dtype=float)
    smax = np.array([d.supply[k]["max"] for k in supply], dtype=float)
    scost = np.array([d.supply[k]["cost"] for k in supply], dtype=float)
    wsup = prob[:, None] * DF[sup_p][None, :]
    P0 = add_cols("produce", nS * nSup, (f_mine * smin).ravel(), (f_mine * smax).ravel(), (wsup * scost).ravel())

    SR = d.site_recipes
    nSR = len(SR)
    rcost = np.array([d.recipe_cost[k] for k in SR], dtype=float)
    R0 = add_cols("process", nS * nSR * nP, 0.0, INF, ((prob[:, None, None] * DF[None, None, :]) * rcost[None, :, None]).ravel())

    mkeys = list(d.markets)
    nM = len(mkeys)
    m_p = np.array([pidx[k[2]] for k in mkeys], dtype=np.int64)
    price = np.array([d.markets[k]["price"] for k in mkeys], dtype=float)
    handling = np.array([(d.ports[n]["handling"] or 0.0) if n in d.ports else 0.0 for (n, _c, _p) in mkeys], dtype=float)
    mlo = np.array([d.markets[k]["min"] for k in mkeys], dtype=float)
    mhi = np.array([INF if math.isinf(d.markets[k]["max"]) else d.markets[k]["max"] for k in mkeys], dtype=float)
    wm = prob[:, None] * DF[m_p][None, :]
    M0 = add_cols("sell", nS * nM, np.tile(mlo, nS), np.tile(mhi, nS), (wm * handling).ravel(), (wm * price).ravel())

    new_sites = [j for j in d.sites if d.sites[j]["existing_modules"] == 0]
    open_idx = [(j, p) for j in new_sites for p in d.site_periods[j]]
    mod_idx = [(j, p) for j in d.sites for p in d.site_periods[j]]
    build_idx = [(u, p) for u in d.upgrades for p in d.upgrade_periods[u]]

    def later_df(q: str) -> float:
        return float(DF[pidx[q] :].sum())

    def lead(j: str) -> int:
        return int(d.sites[j]["lead_time_years"] or 0)

    oc = [d.capex_factor(q, lead(j)) * d.sites[j]["open_capex_usd"] + later_df(q) * d.sites[j]["fixed_opex_usd_per_yr"] for j, q in open_idx]
    O0 = add_cols("open_new", len(open_idx), 0.0, 1.0, oc)
    mc = [d.capex_factor(q, lead(j)) * d.sites[j]["module_capex_usd"] + later_df(q) * d.sites[j]["module_opex_usd_per_yr"] for j, q in mod_idx]
    mub = [d.sites[j]["max_modules"] - d.sites[j]["existing_modules"] for j, _q in mod_idx]
    A0 = add_cols("add_modules", len(mod_idx), 0.0, mub, mc)
    bc = [d.capex_factor(q) * d.upgrades[u]["capex_usd"] + later_df(q) * d.upgrades[u]["fixed_opex_usd_per_yr"] for u, q in build_idx]
    B0 = add_cols("build", len(build_idx), 0.0, 1.0, bc)
    const_cost = sum(
        float(DF.sum()) * (d.sites[j]["fixed_opex_usd_per_yr"] + d.sites[j]["module_opex_usd_per_yr"] * d.sites[j]["existing_modules"])
        for j in d.sites
        if j not in new_sites
    )

    open_col = {k: O0 + i for i, k in enumerate(open_idx)}
    mod_col = {k: A0 + i for i, k in enumerate(mod_idx)}
    build_col = {k: B0 + i for i, k in enumerate(build_idx)}

    def upto(cols: dict, key: str, p: str) -> list[int]:
        return [cols[(key, q)] for q in P[: pidx[p] + 1] if (key, q) in cols]

    rows = _Rows()

    # --- transport cost definition: transport_cost_{s,p} − Σ_{a,c} unit_cost_a · flow = 0 ---------------
    first = rows.new("transport_cost_definition", np.zeros(nS * nP), 0.0)
    fs, fk, fp = np.meshgrid(np.arange(nS), np.arange(nAC), np.arange(nP), indexing="ij")
    rows.add((first + fs * nP + fp).ravel(), F0 + np.arange(nS * nAC * nP), -arc_cost[fk.ravel()])
    rows.add(first + np.arange(nS * nP), T0 + np.arange(nS * nP), 1.0)

    # --- refinery: open once, module limit, capacity ------------------------------------------
    once = [j for j in new_sites if d.site_periods[j]]
    first = rows.new("refinery_open_once", np.full(len(once), -INF), 1.0)
    for i, j in enumerate(once):
        cols = [open_col[(j, q)] for q in d.site_periods[j]]
        rows.add([first + i] * len(cols), cols, 1.0)
    lim = [(j, p) for j in d.sites for p in P]
    ub = [(d.sites[j]["max_modules"] - d.sites[j]["existing_modules"]) if j not in new_sites else 0.0 for j, _p in lim]
    first = rows.new("refinery_module_limit", np.full(len(lim), -INF), ub)
    for i, (j, p) in enumerate(lim):
        adds = upto(mod_col, j, p)
        rows.add([first + i] * len(adds), adds, 1.0)
        if j in new_sites and adds:
            opens = upto(open_col, j, p)
            rows.add([first + i] * len(opens), opens, -float(d.sites[j]["max_modules"]))
    recipes_at: dict[str, list[int]] = defaultdict(list)
    for k, (j, _r) in enumerate(SR):
        recipes_at[j].append(k)
    cap_keys = [(s, j, p) for s in S for j in d.sites for p in P]
    cub = []
    for s, j, p in cap_keys:
        f = fac.get((s, "refinery", j, p), 1.0)
        cub.append(f * d.sites[j]["module_size_t_per_yr"] * d.sites[j]["existing_modules"])
    first = rows.new("refinery_capacity", np.full(len(cap_keys), -INF), cub)
    si = {s: i for i, s in enumerate(S)}
    for i, (s, j, p) in enumerate(cap_keys):
        ks = recipes_at.get(j)
        if not ks:
            continue  # Pyomo skips it (no recipes): the row stays empty and is dropped
        cols = [R0 + (si[s] * nSR + k) * nP + pidx[p] for k in ks]
        rows.add([first + i] * len(cols), cols, 1.0)
        f = fac.get((s, "refinery", j, p), 1.0)
        adds = upto(mod_col, j, p)
        rows.add([first + i] * len(adds), adds, -f * d.sites[j]["module_size_t_per_yr"])

    # --- upgrades once --------------------------------------------------------------------------
    ups = [u for u in d.upgrades if d.upgrade_periods[u]]
    first = rows.new("upgrade_once", np.full(len(ups), -INF), 1.0)
    for i, u in enumerate(ups):
        cols = [build_col[(u, q)] for q in d.upgrade_periods[u]]
        rows.add([first + i] * len(cols), cols, 1.0)
    ups_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u, rec in d.upgrades.items():
        ups_of[(rec["element_type"], rec["element"])].append(u)

    def capacity_rows(name: str, etype: str, elements: list[str], base: dict[str, float], has_lhs) -> np.ndarray:
        """Rows Σ x − f·Σ_u added_u·built_{u,p} ≤ f·base per (s, element, p); −1 where Pyomo
        skips the row (unlimited and open, or nothing to limit)."""
        keys, upper = [], []
        rowid = np.full((nS, len(elements), nP), -1, dtype=np.int64)
        for a, s in enumerate(S):
            for e, el in enumerate(elements):
                for b, p in enumerate(P):
                    f = fac.get((s, etype, el, p), 1.0)
                    if (math.isinf(base[el]) and f != 0) or not has_lhs(el, p):
                        continue
                    rowid[a, e, b] = len(keys)
                    keys.append((s, el, p, f))
                    upper.append(0.0 if math.isinf(base[el]) else f * base[el])
        first = rows.new(name, np.full(len(keys), -INF), upper)
        for i, (_s, el, p, f) in enumerate(keys):
            if math.isinf(base[el]):
                continue
            for u in ups_of.get((etype, el), ()):
                cols = upto(build_col, u, p)
                rows.add([first + i] * len(cols), cols, -f * d.upgrades[u]["added_capacity_t_per_yr"])
        return np.where(rowid >= 0, rowid + first, -1)

    # --- corridor capacity: every flow on the corridor's arcs --------------------------------------
    corridors = list(d.corridor_capacity)
    kix = {k: i for i, k in enumerate(corridors)}
    ac_k = np.array([kix[d.arcs[a].corridor] for a, _c in AC], dtype=np.int64)
    carries = {corridors[k] for k in set(ac_k.tolist())}
    crow = capacity_rows("corridor_capacity", "corridor", corridors, d.corridor_capacity, lambda k, _p: k in carries)
    flow_cols = F0 + np.arange(nS * nAC * nP, dtype=np.int64).reshape(nS, nAC, nP)
    for a in range(nS):
        rows.add(crow[a][ac_k, :].ravel(), flow_cols[a].ravel(), 1.0)

    # --- port capacity: every sale at the port ------------------------------------------------------
    ports = list(d.ports)
    nix = {n: i for i, n in enumerate(ports)}
    sells_at = {(n, p) for (n, _c, p) in mkeys}
    prow = capacity_rows("port_capacity", "port", ports, {n: d.ports[n]["capacity"] for n in ports}, lambda n, p: (n, p) in sells_at)
    at_port = np.array([i for i, (n, _c, _p) in enumerate(mkeys) if n in nix], dtype=np.int64)
    if len(at_port):
        port_i = np.array([nix[mkeys[i][0]] for i in at_port], dtype=np.int64)
        for a in range(nS):
            rows.add(prow[a][port_i, m_p[at_port]], M0 + a * nM + at_port, 1.0)

    # --- mass balance per (s, node, commodity, p) ---------------------------------------------------
    heads = [(d.arcs[a].head, c) for a, c in AC]
    tails = [(d.arcs[a].tail, c) for a, c in AC]
    produced, consumed = [], []
    for k, (j, r) in enumerate(SR):
        rec = d.recipes[r]
        consumed.append(((j, rec["input"]), k))
        for c, y in rec["outputs"].items():
            produced.append(((j, c), k, y))
    mined = [(i, c) for (i, c, _p) in supply]
    sold = [(n, c) for (n, c, _p) in mkeys]
    pairs = sorted(set(heads) | set(tails) | {x for x, _k, _y in produced} | {x for x, _k in consumed} | set(mined) | set(sold))
    pix = {x: i for i, x in enumerate(pairs)}
    nPair = len(pairs)
    first = rows.new("balance", np.zeros(nS * nPair * nP), 0.0)

    def brow(a: int, pair_i, p_i):
        return first + (a * nPair + np.asarray(pair_i)) * nP + np.asarray(p_i)

    hix = np.array([pix[x] for x in heads], dtype=np.int64)
    tix = np.array([pix[x] for x in tails], dtype=np.int64)
    pgrid = np.broadcast_to(np.arange(nP), (nAC, nP))
    for a in range(nS):
        fc = flow_cols[a]
        rows.add(brow(a, hix[:, None], pgrid).ravel(), fc.ravel(), 1.0)
        rows.add(brow(a, tix[:, None], pgrid).ravel(), fc.ravel(), -1.0)
        if nSup:
            rows.add(brow(a, [pix[x] for x in mined], sup_p), P0 + a * nSup + np.arange(nSup), 1.0)
        for x, k, y in produced:
            rows.add(brow(a, pix[x], np.arange(nP)), R0 + (a * nSR + k) * nP + np.arange(nP), y)
        for x, k in consumed:
            rows.add(brow(a, pix[x], np.arange(nP)), R0 + (a * nSR + k) * nP + np.arange(nP), -1.0)
        if nM:
            rows.add(brow(a, [pix[x] for x in sold], m_p), M0 + a * nM + np.arange(nM), -1.0)

    # --- assemble: drop empty rows (Pyomo skips them), CSC by column ------------------------------------
    r = np.concatenate(rows.r) if rows.r else np.empty(0, np.int64)
    c = np.concatenate(rows.c) if rows.c else np.empty(0, np.int64)
    v = np.concatenate(rows.v) if rows.v else np.empty(0)
    used = np.bincount(r, minlength=rows.n) > 0
    newid = np.cumsum(used) - 1
    r = newid[r]
    row_lower = np.concatenate(rows.lo)[used]
    row_upper = np.concatenate(rows.hi)[used]
    kept = {name: int(used[s0 : s0 + n].sum()) for name, s0, n in rows.family}
    order = np.lexsort((r, c))
    a_index, cols_sorted, a_value = r[order].astype(np.int32), c[order], v[order]
    a_start = np.zeros(ncol + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols_sorted, minlength=ncol), out=a_start[1:])

    cost = np.concatenate(cost_parts)
    rev = np.concatenate(rev_parts)
    if cost_mode:
        col_cost, maximise, offset = cost, False, const_cost
    else:
        col_cost, maximise, offset = rev - cost, True, -const_cost
    integer = np.arange(O0, B0 + len(build_idx), dtype=np.int32)
    return FloorModel(
        col_cost=col_cost,
        col_lower=np.concatenate(lower_parts),
        col_upper=np.concatenate(upper_parts),
        integer=integer,
        row_lower=row_lower,
        row_upper=row_upper,
        a_start=a_start.astype(np.int32),
        a_index=a_index,
        a_value=a_value,
        maximise=maximise,
        offset=offset,
        columns=columns,
        rows=kept,
    )


def to_highs(fm: FloorModel, mip_gap: float = 1e-4, time_limit: float | None = None, threads: int | None = None, seed: int = 0, log: bool = False):
    """A Highs object holding the model, passed in one call, with supplyopt's solve options."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(log))
    integrality = np.zeros(fm.num_col, dtype=np.int32)
    integrality[fm.integer] = 1  # kInteger
    status = h.passModel(
        fm.num_col,
        fm.num_row,
        fm.num_nz,
        1,  # MatrixFormat.kColwise
        -1 if fm.maximise else 1,  # ObjSense
        fm.offset,
        fm.col_cost,
        fm.col_lower,
        fm.col_upper,
        fm.row_lower,
        fm.row_upper,
        fm.a_start,
        fm.a_index,
        fm.a_value,
        integrality,
    )
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"passModel returned {status}")
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", mip_gap)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if threads:
        h.setOptionValue("threads", int(threads))
    return h


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def solve_floor(d: ModelData, mip_gap: float = 1e-4, time_limit: float | None = None, threads: int | None = None, seed: int = 0, log: bool = False) -> dict:
    """Build, pass and solve the floor model; objective, status, sizes and times."""
    c0, t0 = cpu_seconds(), time.perf_counter()
    fm = build_arrays(d)
    t1 = time.perf_counter()
    h = to_highs(fm, mip_gap, time_limit, threads, seed, log)
    c2, t2 = cpu_seconds(), time.perf_counter()
    rss_pass = peak_rss_mb()
    h.run()
    c3, t3 = cpu_seconds(), time.perf_counter()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    has_solution = info.primal_solution_status == 2
    return {
        "status": status,
        "objective": info.objective_function_value if has_solution else None,
        "bound": info.mip_dual_bound if len(fm.integer) else None,
        "gap": info.mip_gap if len(fm.integer) else None,
        "columns": fm.num_col,
        "integer_columns": int(len(fm.integer)),
        "rows": fm.num_row,
        "nonzeros": fm.num_nz,
        "build_seconds": t1 - t0,
        "pass_seconds": t2 - t1,
        "highs_seconds": h.getRunTime(),
        "solve_wall_seconds": t3 - t2,
        "build_cpu": c2 - c0,  # build_arrays + passModel
        "rss_after_pass_mb": rss_pass,
        "solve_cpu": c3 - c2,
        "columns_by_family": fm.columns,
        "rows_by_family": fm.rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Solve a synthetic instance as plain highspy arrays (the floor).")
    ap.add_argument("--size", default="S")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--input", help="read this CSV folder / workbook instead of generating")
    ap.add_argument("--mip-gap", type=float, default=1e-4)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--log", action="store_true", help="show HiGHS's log on stderr")
    args = ap.parse_args(argv)
    from supplyopt.model.data import prepare

    t0 = time.perf_counter()
    if args.input:
        from supplyopt.io.read import read_input

        inst = read_input(args.input)
    else:
        from supplyopt.io.memory import instance_from_records
        from supplyopt.synthetic.generate import generate

        inst = instance_from_records(generate(args.size, seed=args.seed))
    t1 = time.perf_counter()
    rss_input = peak_rss_mb()
    d = prepare(inst)
    t2 = time.perf_counter()
    if args.log:
        sys.stdout.flush()
    out = solve_floor(d, args.mip_gap, args.time_limit, args.threads, log=args.log)
    out.update(
        {
            "size": args.size,
            "seed": args.seed,
            "input_seconds": t1 - t0,
            "prepare_seconds": t2 - t1,
            "rss_after_input_mb": rss_input,
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
