"""Sea legs: ocean freight by vessel class on sea corridors, limited by what the ports can take.

For every arc a of a sea corridor k with SeaFreight rows, scenario s and period p:

    Σ_c flow_{s,a,c,p} = Σ_{v ∈ V(a,p)} ship_{s,a,v,p}                 (sea_leg, keys (s, a, p))
    Σ_c sell_{s,n,c,p} + Σ_{a from n} Σ_c flow_{s,a,c,p} ≤ cap_{s,n,p}   (port_sea_capacity, keys (s, n, p))

V(a, p) are the classes v with a freight row for (k, v, p) that both ends of a can take:
dwt_v ≤ max_dwt and draft_v ≤ max_draft of each end node with a PortLimits row. An arc whose
classes are all too large has V empty: its row forces its flow to 0 (blocked by draft or size).
The port row counts the tonnes a port ships on sea legs beside its sales, at the port's capacity
(ports.capacity, upgrades included), for ports with a capacity and sea departures.

Cost terms `sea_freight` = Σ freight_{k,v,p} · ship_{s,a,v,p} and `sea_port_handling` = Σ
handling_n · (tonnes shipped from port n on sea legs). A sea corridor's own distance cost
(Corridors/Modes) still applies; give it 0 when freight covers the leg. Built only when
SeaFreight has rows. Sea arcs are few (ports × buyers), so these are ordinary rules.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.model import ports
from supplyopt.model.data import ModelData, expand_periods
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.terms import add_term


def freight(d: ModelData) -> dict[tuple[str, str, str], dict]:
    """(corridor, vessel class, period) → its SeaFreight row."""
    df = d.inputs.get("SeaFreight")
    return expand_periods(df, ["corridor", "vessel_class"], d.periods) if df is not None and len(df) else {}


def fits(d: ModelData, v: str, node: str) -> bool:
    """Whether vessel class v can call at node (its PortLimits, if any)."""
    limits = {rec["port"]: rec for rec in d.inputs["PortLimits"].to_dict("records")}
    cls = d.inputs["VesselClasses"].set_index("vessel_class").loc[v]
    rec = limits.get(node)
    if rec is None:
        return True
    too_big = pd.notna(rec["max_dwt_t"]) and cls["dwt_t"] > rec["max_dwt_t"]
    too_deep = pd.notna(rec["max_draft_m"]) and cls["draft_m"] > rec["max_draft_m"]
    return not (too_big or too_deep)


def classes(d: ModelData) -> dict[tuple[str, str], list[str]]:
    """(sea arc, period) → the classes it may use, for every arc of a corridor with freight rows."""
    rates = freight(d)
    out: dict[tuple[str, str], list[str]] = {}
    for k, _v, p in rates:
        for a in d.corridor_arcs.get(k, []):
            out.setdefault((a, p), [])
    for k, v, p in rates:
        for a in d.corridor_arcs.get(k, []):
            if fits(d, v, d.arcs[a].tail) and fits(d, v, d.arcs[a].head):
                out[(a, p)].append(v)
    return out


def _flows(m, s: str, a: str, p: str) -> list:
    return [m.flow[s, a, c, p] for c in m.data.commodities if (s, a, c, p) in m.flow]


def departures(m, d: ModelData, s: str, n: str, p: str, legs) -> list:
    """Flows leaving port n on its sea legs."""
    return [x for (a, q) in legs if q == p and d.arcs[a].tail == n for x in _flows(m, s, a, p)]


def port_users(m, d: ModelData, key: tuple[str, str, str]) -> list:
    """Sales at port n and its sea departures: what port_sea_capacity bounds."""
    s, n, p = key
    return ports.users(m, d, key) + departures(m, d, s, n, p, classes(d))


def add_sea_legs(m: pyo.ConcreteModel, d: ModelData) -> None:
    legs = classes(d)
    m.SHIP = pyo.Set(initialize=[(s, a, v, p) for s in d.scenarios for (a, p), vs in legs.items() for v in vs], dimen=4, ordered=True)
    m.ship = pyo.Var(m.SHIP, within=pyo.NonNegativeReals)
    keys = [(s, a, p) for s in d.scenarios for (a, p) in legs if _flows(m, s, a, p)]
    m.sea_leg = pyo.Constraint(keys, rule=lambda _m, s, a, p: pyo.quicksum(_flows(m, s, a, p)) == pyo.quicksum(m.ship[s, a, v, p] for v in legs[(a, p)]))
    sea_ports = sorted({d.arcs[a].tail for (a, _p) in legs if d.arcs[a].tail in d.ports})
    port_keys = [(s, n, p) for s in d.scenarios for n in sea_ports for p in d.periods if ports.capacity(m, d, (s, n, p)) is not None]
    port_keys = [k for k in port_keys if departures(m, d, *k, legs)]
    m.port_sea_capacity = pyo.Constraint(port_keys, rule=lambda _m, s, n, p: pyo.quicksum(port_users(m, d, (s, n, p))) <= ports.capacity(m, d, (s, n, p)))
    if not legs:
        return
    rates = freight(d)
    corridor = {a: d.arcs[a].corridor for (a, _p) in legs}
    add_term(
        m,
        "sea_freight",
        "operating",
        "Sea freight",
        lambda s, p: pyo.quicksum(rates[(corridor[a], v, p)]["freight_usd_per_t"] * x for (ss, a, v, pp), x in m.ship.items() if ss == s and pp == p),
    )
    handling = [(n, d.ports[n]["handling"]) for n in sea_ports if d.ports[n]["handling"]]
    add_term(
        m,
        "sea_port_handling",
        "operating",
        "Port handling of sea departures",
        lambda s, p: pyo.quicksum(h * x for n, h in handling for x in departures(m, d, s, n, p, legs)),
    )


def sea_leg_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """SeaLegs: tonnes per sea corridor, direction, vessel class and period, with the freight paid."""
    if not len(m.SHIP) and not len(m.sea_leg):
        return None
    rates = freight(d)
    rows = []
    for (s, a, v, p), x in sol.vals(m.ship).items():
        k = d.arcs[a].corridor
        rate = rates[(k, v, p)]["freight_usd_per_t"]
        rows.append(
            {
                "scenario": s,
                "corridor": k,
                "from_node": d.arcs[a].tail,
                "to_node": d.arcs[a].head,
                "vessel_class": v,
                "period": p,
                "t_per_yr": clean(x),
                "freight_usd_per_yr": clean(rate * x),
            }
        )
    return pd.DataFrame(rows, columns=["scenario", "corridor", "from_node", "to_node", "vessel_class", "period", "t_per_yr", "freight_usd_per_yr"])


def _freight_row(d: ModelData, k) -> int | None:
    corridor = d.arcs[k[1]].corridor
    rows = [rec[ROW_COLUMN] for (kk, _v, p), rec in freight(d).items() if kk == corridor and p == k[2]]
    return min(rows) if rows else None


def _describe_leg(m, d: ModelData, k) -> str:
    a = d.arcs[k[1]]
    usable = classes(d)[(k[1], k[2])]
    what = f"vessel classes {', '.join(usable)}" if usable else "no vessel class that both ports can take (PortLimits)"
    return f"sea leg {a.corridor} {a.tail} → {a.head} in {k[2]}: {what}{scenario_suffix(d, k[0])}"


FAMILY = Family(
    "sea_legs",
    add_sea_legs,
    limits=(
        Limit("sea_leg", "SeaFreight", _freight_row, _describe_leg),
        Limit(
            "port_sea_capacity",
            "Ports",
            lambda d, k: d.ports[k[1]]["row"],
            lambda m, d, k: (
                f"port {k[1]} capacity {pyo.value(ports.capacity(m, d, k)):,.0f} t/yr (sales and sea departures) in {k[2]}{scenario_suffix(d, k[0])}"
            ),
            ports.capacity,
            port_users,
        ),
    ),
    tables=(Table("SeaLegs", sea_leg_table, 27),),
)
