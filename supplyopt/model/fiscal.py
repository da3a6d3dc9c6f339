"""Fiscal terms: royalties on mine output, export duties or levies, raw-export bans; the state's take.

    royalties_{s,p}     = Σ_{i,c} (Σ_{rows matching i, c, p} rate) · value_{c,p} · produce_{s,i,c,p}
    export_duties_{s,p} = Σ_{n ∈ X, c} (rate_{c,p} · max(price_{n,c,p}, 0) + usd_per_t_{c,p}) · sell_{s,n,c,p}
    sell_{s,n,c,p} ≤ 0   for n ∈ X, c banned from a period q ≤ p       (export_ban, keys (s, n, c, p))

X are the export nodes: ports and overseas buyers (model/sea_legs.py). A royalty row matches mine i
when it names i, or names i's province (Nodes.region), or names neither; value is the row's
value_usd_per_t, else the commodity's cargo_value_usd_per_t. A duty or ban row names a commodity,
or a product form (Commodities.kind); a commodity's own duty row wins over its kind's row. Both
money terms are operating costs (the investor's NPV is after them) and together are the state's
take (Summary `state_take_pv_usd`). Pre-tax: corporate income tax is not modelled (a tax on
positive profit with loss carry-forward and depreciation is not linear).
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.model.data import ModelData, expand_periods
from supplyopt.model.family import Family, Limit, Table, clean, scenario_suffix
from supplyopt.model.terms import add_term

STATE_TAKE_TERMS = ("royalties", "export_duties")


def _table(d: ModelData, name: str) -> pd.DataFrame | None:
    df = d.inputs.get(name)
    return df if df is not None and len(df) else None


def export_nodes(d: ModelData) -> set[str]:
    """Ports and overseas buyers: sales there leave the country."""
    buyers = _table(d, "Buyers")
    return {n for n, info in d.node_info.items() if info["kind"] == "port"} | (set(buyers["node"]) if buyers is not None else set())


def _kind(d: ModelData) -> dict[str, str]:
    df = d.inputs["Commodities"]
    return dict(zip(df["commodity"], df["kind"]))


def royalty_rates(d: ModelData) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(mine, commodity, period) → (total rate, value per tonne) of every produced commodity with a royalty."""
    df = _table(d, "Royalties")
    if df is None:
        return {}
    region = dict(zip(d.inputs["Nodes"]["node"], d.inputs["Nodes"]["region"]))
    rows = expand_periods(df.assign(_id=range(len(df))), ["_id"], d.periods)
    out: dict[tuple[str, str, str], tuple[float, float]] = {}
    for (_id, p), rec in rows.items():
        for i, c, pp in d.supply:
            if pp != p or c != rec["commodity"]:
                continue
            if (rec["mine"] is not None and rec["mine"] != i) or (rec["province"] is not None and region.get(i) != rec["province"]):
                continue
            value = rec["value_usd_per_t"] if pd.notna(rec["value_usd_per_t"]) else d.cargo_value[c]
            rate, _v = out.get((i, c, p), (0.0, value))
            out[(i, c, p)] = (rate + rec["rate_share"], value)
    return out


def duties(d: ModelData) -> dict[tuple[str, str], dict]:
    """(commodity, period) → its ExportDuties row: the commodity's own row wins over its kind's row."""
    df = _table(d, "ExportDuties")
    if df is None:
        return {}
    kinds = _kind(d)
    own = expand_periods(df[df["commodity"].notna()], ["commodity"], d.periods)
    by_kind = expand_periods(df[df["commodity"].isna()], ["kind"], d.periods)
    out = {}
    for c in d.commodities:
        for p in d.periods:
            rec = own.get((c, p)) or by_kind.get((kinds[c], p))
            if rec is not None:
                out[(c, p)] = rec
    return out


def bans(d: ModelData) -> dict[tuple[str, str], dict]:
    """(commodity, period) → the ExportBans row banning it in that period."""
    df = _table(d, "ExportBans")
    if df is None:
        return {}
    kinds, order = _kind(d), {p: k for k, p in enumerate(d.periods)}
    out = {}
    for rec in df.to_dict("records"):
        for c in d.commodities if rec["commodity"] is None else [rec["commodity"]]:
            if rec["commodity"] is None and kinds[c] != rec["kind"]:
                continue
            for p in d.periods[order[rec["from_period"]] :]:
                out.setdefault((c, p), rec)
    return out


def banned_sales(m, d: ModelData) -> list[tuple[str, str, str, str]]:
    """Keys (s, n, c, p) of sales at export nodes that a ban forbids."""
    banned, exports = bans(d), export_nodes(d)
    return [k for k in m.sell if k[1] in exports and (k[2], k[3]) in banned] if banned else []


def add_fiscal(m: pyo.ConcreteModel, d: ModelData) -> None:
    rates, duty = royalty_rates(d), duties(d)
    if rates:
        by_sp: dict[tuple[str, str], list] = {}
        for (s, i, c, p), x in m.produce.items():
            if (i, c, p) in rates:
                rate, value = rates[(i, c, p)]
                by_sp.setdefault((s, p), []).append(rate * value * x)
        add_term(m, "royalties", "operating", "Royalties", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))
    if duty:
        exports = export_nodes(d)
        by_sp = {}
        for (s, n, c, p), x in m.sell.items():
            if n in exports and (c, p) in duty:
                rec = duty[(c, p)]
                per_t = rec["rate_share"] * max(d.markets[(n, c, p)]["price"], 0.0) + rec["usd_per_t"]
                if per_t:
                    by_sp.setdefault((s, p), []).append(per_t * x)
        add_term(m, "export_duties", "operating", "Export duties and levies", lambda s, p: pyo.quicksum(by_sp.get((s, p), [])))
    m.export_ban = pyo.Constraint(banned_sales(m, d), rule=lambda _m, s, n, c, p: m.sell[s, n, c, p] <= 0)


def state_take_table(m, d: ModelData, sol) -> pd.DataFrame | None:
    """StateTake: royalties and export duties per period, nominal (USD/yr, probability-weighted)
    and present value; no table without fiscal terms."""
    terms = [m.money_terms[t] for t in STATE_TAKE_TERMS if t in m.money_terms]
    if not terms:
        return None
    rows = []
    for p in d.periods:
        row = {"period": p}
        for t in terms:
            row[f"{t.name}_usd_per_yr"] = clean(sum(d.probability[s] * sol.val(t.nominal[s, p]) for s in d.scenarios))
            row[f"{t.name}_pv_usd"] = clean(sum(sol.val(t.present_value[s, p]) for s in d.scenarios))
        rows.append(row)
    return pd.DataFrame(rows)


def _ban_row(d: ModelData, k) -> int:
    return bans(d)[(k[2], k[3])][ROW_COLUMN]


FAMILY = Family(
    "fiscal",
    add_fiscal,
    limits=(
        Limit(
            "export_ban",
            "ExportBans",
            _ban_row,
            lambda m, d, k: f"export ban on {k[2]} at {k[1]} in {k[3]}{scenario_suffix(d, k[0])}",
        ),
    ),
    tables=(Table("StateTake", state_take_table, 26),),
)
