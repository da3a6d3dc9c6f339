"""Security risk 4: no single port, or corridor on an export leg, carries more than a share of a product's sales."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from supplyopt.model.arrays import columns_of, matrix_rows
from supplyopt.model.data import ModelData
from supplyopt.model.family import Family, settings_limit
from supplyopt.model.flows import flow_positions
from supplyopt.model.risk.carriers import corridor_of


def add_diversification(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Formulation 4. With σ_port = Settings max_port_share, per scenario, commodity and period:

        sell_{s,n,c,p} ≤ σ_port · Σ_{n'} sell_{s,n',c,p}                     (`port_share`)

    and with σ_k = Settings max_corridor_share, for each corridor k with an arc into a port or
    market node (an export leg) carrying c, where c is sold in p:

        Σ_{a∈k, head(a) exports} flow_{s,a,c,p} ≤ σ_k · Σ_{n'} sell_{s,n',c,p}   (`corridor_share`)

    port_share is a rule per sale; corridor_share has a term per export-leg flow, so it is array
    rows (keys (s, k, c, p), see _corridor_share).
    """
    port_share, corridor_share = d.risk_settings.get("max_port_share"), d.risk_settings.get("max_corridor_share")
    sales: dict[tuple[str, str, str], list] = defaultdict(list)
    for s, n, c, p in m.MARKET_S:
        sales[(s, c, p)].append(m.sell[s, n, c, p])
    if port_share is not None:
        m.port_share = pyo.Constraint(
            list(m.MARKET_S),
            rule=lambda _m, s, n, c, p: m.sell[s, n, c, p] <= port_share * pyo.quicksum(sales[(s, c, p)]),
        )
    if corridor_share is not None:
        m.corridor_share = _corridor_share(m, d, corridor_share)


def _corridor_share(m, d: ModelData, sigma: float):
    """Rows Σ export-leg flow_{s,a,c,p} − σ · Σ_{n'} sell_{s,n',c,p} ≤ 0 for every (s, k, c, p)
    with a leg flow and a sale of c in p, in the order the legs first appear among the flows.
    Keys are coded ((s · NK + k) · C + c) · P + p, sales grouped by (s · C + c) · P + p."""
    C, P, NK = len(d.commodities), len(d.periods), len(d.corridor_arcs)
    com_pos, s_pos, p_pos = ({x: i for i, x in enumerate(v)} for v in (d.commodities, d.scenarios, d.periods))
    sell_scp = np.array([(s_pos[s] * C + com_pos[c]) * P + p_pos[p] for s, _n, c, p in m.MARKET_S], dtype=np.int64)
    export_nodes = {n for (n, _c, _p) in d.markets}
    com = np.array([com_pos[c] for _a, c in d.arc_commodities], dtype=np.int64)
    leg = np.array([d.arcs[a].head in export_nodes for a, _c in d.arc_commodities], dtype=bool)
    j, s, k, p = flow_positions(d)
    on = leg[k] & np.isin((s * C + com[k]) * P + p, sell_scp)
    codes, flow_row = _first_seen(((s[on] * NK + corridor_of(d)[k[on]]) * C + com[k[on]]) * P + p[on])
    by_scp = np.argsort(sell_scp, kind="stable")
    key_scp = ((codes // (NK * C * P)) * C + codes // P % C) * P + codes % P
    lo, hi = np.searchsorted(sell_scp[by_scp], key_scp, "left"), np.searchsorted(sell_scp[by_scp], key_scp, "right")
    corridors = list(d.corridor_arcs)
    keys = [(d.scenarios[x // (NK * C * P)], corridors[x // (C * P) % NK], d.commodities[x // P % C], d.periods[x % P]) for x in codes.tolist()]
    columns = columns_of(m.flow)
    sell_row = np.repeat(np.arange(len(codes), dtype=np.int64), hi - lo)
    return matrix_rows(
        keys,
        columns + columns_of(m.sell),
        np.concatenate([flow_row, sell_row]),
        np.concatenate([j[on], len(columns) + by_scp[_ranges(lo, hi)]]),
        np.concatenate([np.ones(len(flow_row)), np.full(len(sell_row), -sigma)]),
        None,
        0.0,
    )


def _first_seen(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct codes in order of first appearance, each element's position in that list)."""
    codes, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return codes[order], rank[inverse]


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """lo[0], …, hi[0] − 1, lo[1], …, hi[1] − 1, … as one array."""
    counts = hi - lo
    ends = np.cumsum(counts)
    return np.repeat(lo - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)


FAMILY = Family(
    "diversification",
    add_diversification,
    limits=(settings_limit("port_share", "max_port_share"), settings_limit("corridor_share", "max_corridor_share")),
)
