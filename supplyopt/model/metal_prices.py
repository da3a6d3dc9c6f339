"""Concentrate and metal prices from metal contents, metal prices and smelter terms (no Pyomo).

The net price of one (wet) tonne of commodity c sold at node n in period p is a constant:

    with SmelterTerms:    price = (1 − moisture) · (Σ_m payable_m · q_m · (P_m − RC_m) − TC − penalties)
    without:              price = Σ_m q_m · P_m                       (refined metal: full metal value)

where q_m is the metal per dry tonne (grade % / 100, or g/t · 10⁻⁶), P_m the metal price and RC_m
the refining charge, both in USD per tonne of metal (USD/lb × 2,204.62, USD/oz × 32,150.75), and TC
and penalties in USD per dry tonne. A metal without a PayableMetals row is not paid. The price
applies to a Markets row whose price_usd_per_t is 0 (blank) when the commodity has MetalContents
and every metal it is paid for has a MetalPrices row; an explicit Markets price above 0 wins.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PER_TONNE = {"USD/t": 1.0, "USD/lb": 2204.62262185, "USD/oz": 32150.7466}  # units per tonne of metal
GRADE = {"%": 0.01, "g/t": 1e-6}  # tonnes of metal per tonne per unit of grade


def _lookup(df: pd.DataFrame, key: list[str], periods: list[str]) -> dict[tuple, dict]:
    """Rows keyed by (node, *key, period): a period's own row wins over the blank period; the node
    stays None for blank-node rows (`at` looks a node's own row up first)."""
    out: dict[tuple, dict] = {}
    recs = df.to_dict("records")
    for explicit in (False, True):
        for rec in recs:
            if (rec["period"] is not None) != explicit:
                continue
            for p in [rec["period"]] if explicit else periods:
                out[(rec["node"], *[rec[k] for k in key], p)] = rec
    return out


def at(rows: Mapping[tuple, dict], node: str, *key) -> dict | None:
    """The row of a node (its own, else the blank-node row) for key (…, period)."""
    return rows.get((node, *key)) or rows.get((None, *key))


def contents(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    """commodity → {metal: tonnes of metal per dry tonne}."""
    out: dict[str, dict[str, float]] = {}
    for rec in tables["MetalContents"].to_dict("records"):
        out.setdefault(rec["commodity"], {})[rec["metal"]] = rec["grade"] * GRADE[rec["grade_unit"]]
    return out


def price_breakdown(tables: Mapping[str, pd.DataFrame], periods: list[str], node: str, commodity: str, period: str, cache: dict | None = None) -> dict | None:
    """The net price of a tonne and its parts (USD/t): payable metal value, TC, RC, penalties,
    moisture; None when the commodity has no contents or a paid metal has no price at the node."""
    cache = cache if cache is not None else {}
    if "prices" not in cache:
        cache["contents"] = contents(tables)
        cache["prices"] = _lookup(tables["MetalPrices"], ["metal"], periods)
        cache["terms"] = _lookup(tables["SmelterTerms"], ["commodity"], periods)
        cache["payables"] = _lookup(tables["PayableMetals"], ["commodity", "metal"], periods)
    grades = cache["contents"].get(commodity)
    if not grades:
        return None
    terms = at(cache["terms"], node, commodity, period)
    value = rc = 0.0
    for metal, q in grades.items():
        if terms is None:
            share, rc_per_t = 1.0, 0.0
        else:
            pay = at(cache["payables"], node, commodity, metal, period)
            if pay is None:
                continue  # not paid under these terms
            share, rc_per_t = pay["payable_share"], pay["rc"] * PER_TONNE[pay["rc_unit"]]
        price = at(cache["prices"], node, metal, period)
        if price is None:
            return None
        value += share * q * price["price"] * PER_TONNE[price["price_unit"]]
        rc += share * q * rc_per_t
    dry = 1.0 - (terms["moisture_share"] if terms else 0.0)
    tc = terms["tc_usd_per_dmt"] if terms else 0.0
    penalty = terms["penalty_usd_per_dmt"] if terms else 0.0
    return {
        "payable_value_usd_per_dmt": value,
        "rc_usd_per_dmt": rc,
        "tc_usd_per_dmt": tc,
        "penalty_usd_per_dmt": penalty,
        "dry_share": dry,
        "net_usd_per_t": dry * (value - rc - tc - penalty),
    }


def metal_priced(tables: Mapping[str, pd.DataFrame], periods: list[str], markets: Mapping[tuple[str, str, str], dict]) -> dict[tuple[str, str, str], dict]:
    """(node, commodity, period) → price breakdown, for every Markets row priced from its metals
    (price_usd_per_t 0 or blank, contents and every paid metal's price known)."""
    if not len(tables["MetalContents"]) or not len(tables["MetalPrices"]):
        return {}
    cache: dict = {}
    out = {}
    for (n, c, p), rec in markets.items():
        if rec["price"]:
            continue  # an explicit price wins
        b = price_breakdown(tables, periods, n, c, p, cache)
        if b is not None:
            out[(n, c, p)] = b
    return out
