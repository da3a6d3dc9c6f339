"""Sea legs: ocean freight by vessel class on sea corridors, limited by what the ports can take.

For every arc a of a sea corridor k with SeaFreight rows, scenario s and period p:

    Σ_c flow_{s,a,c,p} = Σ_{v ∈ F(a,p)} ship_{s,a,v,p}                 (sea_leg, keys (s, a, p))
    ship_{s,a,v,p} ≤ 0      for v ∈ F(a,p) ∖ V(a,p)                   (vessel_limit, keys (s, a, v, p))
    Σ_c sell_{s,n,c,p} + Σ_{a from n} Σ_c flow_{s,a,c,p} ≤ cap_{s,n,p}   (port_sea_capacity, keys (s, n, p))

F(a, p) are the classes v with a freight row for (k, v, p), V(a, p) those both ends of a can take:
dwt_v ≤ max_dwt and draft_v ≤ max_draft of each end node with a PortLimits row. A class a port
cannot take cannot carry (its freight cannot be had); an arc whose classes are all too large
carries nothing (blocked by draft or size). vessel_limit is the PortLimits row's limit: its
shadow price is what letting that class call (a deeper berth) would be worth.
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
    return d.view("sea_freight", lambda: expand_periods(df, ["corridor", "vessel_class"], d.periods)) if df is not None and len(df) else {}


def turned_away(d: ModelData) -> set[tuple[str, str]]:
    """(vessel class, port) pairs whose DWT or draft exceeds the port's PortLimits row."""
    return d.view("turned_away", lambda: _turned_away(d))


def _turned_away(d: ModelData) -> set[tuple[str, str]]:
    limits = d.inputs.get("PortLimits")
    vessels = d.inputs.get("VesselClasses")
    if limits is None or vessels is None or not len(limits):
        return set()
    away = set()
    for rec in limits.to_dict("records"):
        for cls in vessels.to_dict("records"):
            too_big = pd.notna(rec["max_dwt_t"]) and cls["dwt_t"] > rec["max_dwt_t"]
            too_deep = pd.notna(rec["max_draft_m"]) and cls["draft_m"] > rec["max_draft_m"]
            if too_big or too_deep:
                away.add((cls["vessel_class"], rec["port"]))
    return away


def fits(d: ModelData, v: str, node: str) -> bool:
    """Whether vessel class v can call at node (its PortLimits, if any)."""
    return (v, node) not in turned_away(d)


def classes(d: ModelData, fitting: bool = True) -> dict[tuple[str, str], list[str]]:
    """(sea arc, period) → the classes with freight there that both its ends can take (all
    classes with freight when not `fitting`), for every arc of a corridor with freight rows."""
    return d.view(f"classes_{fitting}", lambda: _classes(d, fitting))


def _classes(d: ModelData, fitting: bool) -> dict[tuple[str, str], list[str]]:
    away = turned_away(d) if fitting else set()
    out: dict[tuple[str, str], list[str]] = {}
    for k, v, p in freight(d):
        for a in d.corridor_arcs.get(k, []):
            usable = out.setdefault((a, p), [])
            if (v, d.arcs[a].tail) not in away and (v, d.arcs[a].head) not in away:
                usable.append(v)
    return out


def _flows(m, s: str, a: str, p: str) -> list:
    return [m.flow[s, a, c, p] for c in m.data.commodities if (s, a, c, p) in m.flow]


def departures(m, d: ModelData, s: str, n: str, p: str, legs) -> list:
    """Flows leaving port n on its sea legs (those with freight in period p)."""
    return [x for a in ports.sea_departures(d).get(n, []) if (a, p) in legs for x in _flows(m, s, a, p)]


def port_users(m, d: ModelData, key: tuple[str, str, str]) -> list:
    """Sales at port n and its sea departures: what port_sea_capacity bounds."""
    s, n, p = key
    return ports.users(m, d, key) + departures(m, d, s, n, p, classes(d, fitting=False))


def add_sea_legs(m: pyo.ConcreteModel, d: ModelData) -> None:
    legs, usable = classes(d, fitting=False), classes(d)
    m.SHIP = pyo.Set(initialize=[(s, a, v, p) for s in d.scenarios for (a, p), vs in legs.items() for v in vs], dimen=4, ordered=True)
    m.ship = pyo.Var(m.SHIP, within=pyo.NonNegativeReals)
    keys = [(s, a, p) for s in d.scenarios for (a, p) in legs if _flows(m, s, a, p)]
    m.sea_leg = pyo.Constraint(keys, rule=lambda _m, s, a, p: pyo.quicksum(_flows(m, s, a, p)) == pyo.quicksum(m.ship[s, a, v, p] for v in legs[(a, p)]))
    too_big = [(s, a, v, p) for (s, a, p) in keys for v in legs[(a, p)] if v not in usable[(a, p)]]
    m.vessel_limit = pyo.Constraint(too_big, rule=lambda _m, *k: m.ship[k] <= 0)
    sea_ports = sorted({d.arcs[a].tail for (a, _p) in legs if d.arcs[a].tail in d.ports})
    port_keys = [(s, n, p) for s in d.scenarios for n in sea_ports for p in d.periods if ports.capacity(m, d, (s, n, p)) is not None]
    port_keys = [k for k in port_keys if departures(m, d, *k, legs)]
    m.port_sea_capacity = pyo.Constraint(
        port_keys,
        rule=lambda _m, s, n, p: pyo.quicksum(ports.users(m, d, (s, n, p)) + departures(m, d, s, n, p, legs)) <= ports.capacity(m, d, (s, n, p)),
    )
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
    if not freight(d):
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


def _blocking_row(d: ModelData, k) -> int | None:
    """PortLimits row of the first end of arc k[1] that turns class k[2] away."""
    a = d.arcs[k[1]]
    limits = d.view("port_limit_rows", lambda: dict(zip(d.inputs["PortLimits"]["port"].tolist(), d.inputs["PortLimits"][ROW_COLUMN].tolist())))
    return next((limits[n] for n in (a.tail, a.head) if n in limits and not fits(d, k[2], n)), None)


def _describe_blocked(m, d: ModelData, k) -> str:
    a = d.arcs[k[1]]
    return f"vessel class {k[2]} cannot call on sea leg {a.corridor} {a.tail} → {a.head} in {k[3]} (DWT or draft){scenario_suffix(d, k[0])}"


FAMILY = Family(
    "sea_legs",
    add_sea_legs,
    limits=(
        Limit("vessel_limit", "PortLimits", _blocking_row, _describe_blocked),
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
    rows=("sea_leg",),
    tables=(Table("SeaLegs", sea_leg_table, 27),),
)
