"""The real Pakistan instance (instances/pakistan.py → instances/pakistan_base.xlsx).

It validates, its workbook reads back to the same Instance, it solves to a proven optimum, the
plan keeps every balance and capacity (recomputed here from the result tables and the input
tables, not from the model), and the plan is the one the instance's economics imply, with the
security risk of facts Sheet 6 priced in (security cost and expected cargo loss per tonne on
every corridor and at Gwadar, Karachi, Quetta and Nokkundi; escorts and disruptions are
scenarios, see tests/test_pakistan_risk.py):

- Every mine runs at its maximum and every tonne is exported unrefined, CIF to the buyer where it
  nets most (China; antimony to the US): no refinery opens. Refining at Port Qasim adds little
  (antimony ~164 USD/t of concentrate, concentrate being paid 86 % of the metal price; Saindak
  blister ~421 USD/t; Reko Diq concentrate ~54 USD/t at the 2024 TC/RC benchmark with Wood
  Mackenzie's smelting and refining costs): a module earns ~11.6 M USD/yr against ~47 M USD/yr of
  annualised opening + module capex (paid three years ahead) and fixed opex
  (`test_refining_value_below_site_cost`).
- Reko Diq concentrate: the ML-4/ML-3/ML-1 rail to Port Qasim is cheaper than trucking down the
  N-40/N-25, so the rail runs full (2 trains/day) from the Nokkundi transfer and the rest goes by
  road; Port Qasim ships the rail's share and Karachi Port the road's (its handling, 7.03 USD/t, is
  below PIBT's 7.51), both to China on Supramaxes. Once the R-11 Nokkundi-Panjgur road is built,
  trucking to Gwadar (~715 km) is cheaper still than the ~1,430 km rail, so Phase 2 concentrate
  goes to Gwadar up to its 1 Mt/yr, on Handysize ships (Gwadar's berths take 50,000 DWT). Pricing
  security does not change this: the Gwadar road (R-11, N-85, M-8) carries fewer expected
  incidents per tonne than the rail (2.15 against 2.80 a year: the rail has the Bolan line's three and
  the Sibi-Rohri section's three 2025 blasts), and far fewer than the N-40/N-25 road (3.37); its
  transport saving (~11 USD/t) and security saving outweigh the dearer Handysize freight (20.6 against 16.3 USD/t) (`test_route_costs_order`).
  The 70-km rail branch, the 400 M USD Nokkundi-Sibi track upgrade, the N-25 dualisation and the
  Pasni port do not pay for this chain alone: the design is the R-11 road alone.
- Tripling the antimony output does not make the refinery pay; it would if antimony concentrate
  were paid 60 % of the metal price (the earlier assumption): then it opens at Port Qasim, the
  cheapest site to build and run (its products are light, so where the inputs come from matters little).
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from types import SimpleNamespace

import pandas as pd
import pytest

from instances import INSTANCES_DIR, load_instance_module
from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input
from supplyopt.model import build_model
from supplyopt.results import extract_results
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve

INSTANCES = INSTANCES_DIR
TOL = 1e-3  # t/yr; flows below 1e-6 are left out of the Flows table


_load = load_instance_module


pakistan = _load("pakistan")
SITES = ("REF_PORT_QASIM", "REF_GWADAR", "REF_PASNI", "REF_NOKKUNDI")


def solve_records(records):
    inst = instance_from_records(records)
    m = build_model(inst)
    report = solve(m, SolveOptions())
    assert report.status == OPTIMAL, report
    return inst, extract_results(m, report)


@pytest.fixture(scope="module")
def solved(pakistan_base_results):
    """The records' instance and the base plan: the committed workbook holds the same instance
    (test_workbook_reads_back_to_the_same_instance), solved once per session (tests/conftest.py)."""
    return instance_from_records(pakistan.records()), pakistan_base_results


def first(df: pd.DataFrame, **where):
    for k, v in where.items():
        df = df[df[k] == v]
    return df


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def test_instance_validates_and_has_its_parts():
    inst = instance_from_records(pakistan.records())
    periods = inst["Periods"]
    assert periods["start_year"].iloc[0] == 2026
    assert (periods["start_year"] + periods["length_years"]).iloc[-1] - 1 >= 2040
    assert inst.settings["objective"] == "npv" and inst.settings["discount_rate"] == 0.10
    nodes = inst["Nodes"].set_index("node")
    assert set(inst["Refineries"]["site"]) == set(SITES)
    assert all(nodes.loc[s, "kind"] == "refinery" for s in SITES)
    for mine in ("REKO_DIQ", "SAINDAK", "DUDDAR", "QILA_ABDULLAH_SB", "CHITRAL_SB", "MUSLIM_BAGH"):
        assert nodes.loc[mine, "kind"] == "mine"
    # Every node in Pakistan is on the map; the overseas buyers (Buyers) have no coordinates.
    buyers = set(inst["Buyers"]["node"])
    assert buyers == {"BUY_CHINA", "BUY_EU", "BUY_USA"}
    assert nodes.drop(index=list(buyers))[["lat", "lon"]].notna().all().all()
    assert nodes.loc[list(buyers), ["lat", "lon"]].isna().all().all()
    corridors = set(inst["Corridors"]["corridor"])
    for code in ("R-01", "R-02a", "R-04e", "R-05c", "R-06b", "R-08b", "R-12", "L-01", "L-02b", "L-03b", "L-05a"):
        assert code in corridors
    upgrades = inst["Upgrades"].set_index("upgrade")
    assert upgrades.loc["U-L01", "element"] == "L-01" and inst["Corridors"].set_index("corridor").loc["L-01", "capacity_t_per_yr"] == 0
    assert inst["Ports"].set_index("port").loc["PASNI", "capacity_t_per_yr"] == 0
    assert upgrades.loc["U-PASNI-PORT", "element"] == "PASNI"
    # The refinery's first phase (opening + 5 modules at Port Qasim) is the MoU's ~500 M USD.
    pq = inst["Refineries"].set_index("site").loc["REF_PORT_QASIM"]
    assert pq["open_capex_usd"] + 5 * pq["module_capex_usd"] == pytest.approx(500e6)


def test_sources_sheet_covers_the_data():
    rows = pakistan.sources()
    assert {"table", "row_key", "columns", "value", "source", "flag", "note"} <= set(rows[0])
    assert {r["flag"] for r in rows} <= {"S", "C", "U", "A"}
    assert all(r["source"] for r in rows)
    recs = pakistan.records()
    tables_with_sources = {r["table"] for r in rows}
    assert {t for t, v in recs.items() if v} <= tables_with_sources | {"Commodities"}
    keyed = {(r["table"], r["row_key"]) for r in rows}
    for c in recs["Corridors"]:  # every corridor length has its own row (or its link group's)
        assert ("Corridors", c["corridor"]) in keyed or c["corridor"][:2] in ("X-", "T-", "P-") or (c["mode"] == "sea" and ("Corridors", "S-*") in keyed)
    buyers = {b["node"] for b in recs["Buyers"]}
    for n in recs["Nodes"]:
        assert ("Nodes", n["node"]) in keyed or (n["node"] in buyers and ("Buyers", ", ".join(sorted(buyers))) in keyed)


def test_workbook_reads_back_to_the_same_instance(tmp_path):
    build = _load("build_pakistan")
    path = build.build(tmp_path / "pakistan.xlsx")
    from_book = read_input(path)
    from_records = instance_from_records(pakistan.records())
    assert from_book.content_hash() == from_records.content_hash()
    for table in from_records.tables:
        pd.testing.assert_frame_equal(
            from_book[table].drop(columns="_row").reset_index(drop=True),
            from_records[table].drop(columns="_row").reset_index(drop=True),
            check_dtype=False,
        )
    # The committed workbook is the current build.
    committed = read_input(INSTANCES / "pakistan_base.xlsx")
    assert committed.content_hash() == from_records.content_hash()


# ---------------------------------------------------------------------------------------------
# The plan is feasible: balances and capacities recomputed from the result tables
# ---------------------------------------------------------------------------------------------


def test_mass_balance_everywhere(solved):
    inst, res = solved
    net = defaultdict(float)  # (node, commodity, period) → in − out
    scale = defaultdict(float)
    for r in res["Flows"].itertuples():
        net[(r.to_node, r.commodity, r.period)] += r.t_per_yr
        net[(r.from_node, r.commodity, r.period)] -= r.t_per_yr
        scale[(r.to_node, r.commodity, r.period)] += r.t_per_yr
    for r in res["Production"].itertuples():
        net[(r.mine, r.commodity, r.period)] += r.t_per_yr
        scale[(r.mine, r.commodity, r.period)] += r.t_per_yr
    for r in res["Processing"].itertuples():
        sign = 1 if r.role == "output" else -1
        net[(r.site, r.commodity, r.period)] += sign * r.t_per_yr
    for r in res["Sales"].itertuples():
        net[(r.node, r.commodity, r.period)] -= r.t_per_yr
    bad = {k: v for k, v in net.items() if abs(v) > TOL + 1e-9 * scale[k]}
    assert not bad, f"unbalanced (node, commodity, period): {bad}"
    assert len(net) > 100


def test_no_capacity_exceeded(solved):
    inst, res = solved
    periods = list(inst["Periods"]["period"])
    ups = res["Upgrades"]
    in_service = {r.upgrade: periods.index(r.in_service_from) for r in ups.itertuples() if r.built}
    added = defaultdict(float)  # (element_type, element, period) → capacity added by built upgrades
    for u in inst["Upgrades"].itertuples():
        for i, p in enumerate(periods):
            if u.upgrade in in_service and i >= in_service[u.upgrade]:
                added[(u.element_type, u.element, p)] += u.added_capacity_t_per_yr
    flows = res["Flows"].groupby(["corridor", "period"])["t_per_yr"].sum()
    for c in inst["Corridors"].itertuples():
        for p in periods:
            cap = c.capacity_t_per_yr + added[("corridor", c.corridor, p)]
            assert flows.get((c.corridor, p), 0.0) <= cap + TOL, (c.corridor, p)
    sales = res["Sales"].groupby(["node", "period"])["t_per_yr"].sum()
    for port in inst["Ports"].itertuples():
        for p in periods:
            assert sales.get((port.port, p), 0.0) <= port.capacity_t_per_yr + added[("port", port.port, p)] + TOL, (port.port, p)
    for r in res["Production"].itertuples():
        assert r.min_t_per_yr - TOL <= r.t_per_yr <= r.max_t_per_yr + TOL
    sites = inst["Refineries"].set_index("site")
    ref = res["Refineries"]
    for r in ref.itertuples():
        site = sites.loc[r.site]
        assert r.modules <= site["max_modules"] * r.open
        assert r.input_t_per_yr <= r.modules * site["module_size_t_per_yr"] + TOL
        if r.open:
            assert periods.index(r.period) >= periods.index(site["earliest_period"])
    for r in res["Sales"].itertuples():
        assert r.t_per_yr <= (math.inf if r.max_t_per_yr is None or pd.isna(r.max_t_per_yr) else r.max_t_per_yr) + TOL


# ---------------------------------------------------------------------------------------------
# The plan makes economic sense
# ---------------------------------------------------------------------------------------------


def _route_cost(inst, corridors: list[str]) -> float:
    """USD/t along a chain of corridors (line-haul + handling, mode defaults where blank)."""
    modes = inst["Modes"].set_index("mode")
    cor = inst["Corridors"].set_index("corridor")
    total = 0.0
    for code in corridors:
        c = cor.loc[code]
        tkm = modes.loc[c["mode"], "cost_usd_per_tkm"] if pd.isna(c["cost_usd_per_tkm"]) else c["cost_usd_per_tkm"]
        handling = modes.loc[c["mode"], "handling_usd_per_t"] if pd.isna(c["handling_usd_per_t"]) else c["handling_usd_per_t"]
        total += c["distance_km"] * tkm + handling
    return total


RAIL_TO_PQ = ["R-01", "T-NOK", "L-02b", "L-02c", "L-02d", "L-03a", "L-03b", "L-05a", "P-PQ"]
ROAD_TO_PQ = ["R-01", "R-02b", "R-02c", "R-02d", "R-04a", "R-04b", "R-04c", "R-04d", "R-04e", "K-PQ"]
ROAD_TO_GWADAR = ["R-01", "R-11", "R-05c", "R-06a", "R-06b"]
# Nodes a tonne of concentrate is handled at on each route (hubs it passes, the port it is sold at).
NODES_ON = {
    "rail": ["NOKKUNDI", "NOKKUNDI_RS", "PORT_QASIM"],
    "road": ["NOKKUNDI", "QUETTA", "PORT_QASIM"],
    "gwadar": ["NOKKUNDI", "GWADAR"],
}


def _security_cost(inst, corridors: list[str], nodes: list[str], commodity: str) -> tuple[float, float]:
    """(security USD/t, expected loss USD/t) of a tonne of `commodity` along the route."""
    cr = inst["CorridorRisk"].set_index("corridor")
    nr = inst["NodeRisk"].set_index("node")
    value = inst["Commodities"].set_index("commodity").loc[commodity, "cargo_value_usd_per_t"]
    sec = cr.loc[corridors, "security_cost_usd_per_t"].sum() + nr.loc[nodes, "security_cost_usd_per_t"].sum()
    q = cr.loc[corridors, "incident_probability"].sum() + nr.loc[nodes, "incident_probability"].sum()
    return sec, q * value


def test_route_costs_order():
    """Hand check of the economics behind the plan (USD/t, port handling added):
    road to Gwadar over R-11 ≈ 30 + 10 < rail to Port Qasim ≈ 39 + 8 < road to Port Qasim ≈ 55 + 8,
    and with security and expected loss priced: Gwadar ≈ 40 + 23 < rail ≈ 47 + 30 < road ≈ 63 + 37."""
    inst = instance_from_records(pakistan.records())
    ports = inst["Ports"].set_index("port")["handling_usd_per_t"]
    gwadar = _route_cost(inst, ROAD_TO_GWADAR) + ports["GWADAR"]
    rail = _route_cost(inst, RAIL_TO_PQ) + ports["PORT_QASIM"]
    road = _route_cost(inst, ROAD_TO_PQ) + ports["PORT_QASIM"]
    assert gwadar < rail < road
    # R-01 is GC 74.7 km × 1.26 = 94.1 km: 94.1 × 0.042 = 3.95 USD/t of each route's total.
    # The Nokkundi truck-rail transfer (T-NOK) is 2.7 USD/t, the CONCOR container cycle (was an assumed 5),
    # and unloading at the PIBT siding (P-PQ) one CONCOR lift, 0.5 USD/t (was an assumed 3).
    assert rail == pytest.approx(46.6, abs=1.0)
    assert road - rail == pytest.approx(16.3, abs=1.0)
    risk = {
        name: _security_cost(inst, route, NODES_ON[name], "RD_CONC") for name, route in (("gwadar", ROAD_TO_GWADAR), ("rail", RAIL_TO_PQ), ("road", ROAD_TO_PQ))
    }
    # Security, 10 USD/t per expected incident a year: Gwadar road 2.15 incidents (R-11 0.46, M-8 0.54,
    # Gwadar port 0.67, Nokkundi 0.33) ~21.5; rail 2.80 (Sibi-Rohri's three 2025 blasts 0.62, Bolan 0.46,
    # ML-4 0.57, two Nokkundi nodes 0.67) ~28.0; N-40/N-25 road 3.37 (N-25 1.27, Quetta 0.67) ~33.7.
    # (R-01 at 94.1 km rather than 70 adds ~0.2 USD/t to each: 21.6, 28.1 and 33.9.)
    assert risk["gwadar"][0] == pytest.approx(21.64, abs=0.5) and risk["rail"][0] == pytest.approx(28.14, abs=0.5)
    assert risk["road"][0] == pytest.approx(33.9, abs=0.5)
    # Expected cargo loss is small next to it: 0.3 × 0.25 / 365 = 0.02 % of the concentrate's
    # ~3,770 USD/t per expected incident a year along the route (2.15 to Gwadar, 3.37 by road).
    # (The cargo value rose from ~3,520 to ~3,770 USD/t with Reko Diq's sourced 300 koz Au in 750 kt of
    # concentrate (12.4 g/t, was 10.3) and the 2025 average gold price: × 1.069 on 1.09 and 1.68.)
    assert risk["gwadar"][1] == pytest.approx(1.66, abs=0.05) and risk["road"][1] == pytest.approx(2.61, abs=0.05)
    total = {"gwadar": gwadar, "rail": rail, "road": road}
    total = {k: v + sum(risk[k]) for k, v in total.items()}
    assert total["gwadar"] < total["rail"] < total["road"]
    assert total["rail"] - total["gwadar"] > 10.0
    # The 75-km branch would save (R-01 truck + transfer) − (branch + loading) per tonne:
    # (94.1 + 2) × 0.042 + 2.7 − ((1 + 75) × 0.0239 + 2.7) = 6.74 − 4.52 ≈ 2.2 USD/t (a transfer and a siding
    # load cost the same container cycle) on at most the 0.73 Mt/yr the unimproved ML-4 can take:
    # ~1.6 M USD/yr, against 90 M USD.
    saving = _route_cost(inst, ["R-01", "T-NOK"]) - _route_cost(inst, ["X-RD", "L-01"])
    assert saving == pytest.approx(2.22, abs=0.01)


markets = _load("pakistan_markets")
PK = SimpleNamespace(**vars(pakistan))
# Supramax freight (USD/t) from Port Qasim: Handysize rate × the Supramax/Handysize hire ratio;
# the US rate is CemNet's mean USG-India Supramax rate, 45.1 (instances/pakistan_markets.py).
FREIGHT_CHINA = markets.HANDY_CHINA_USD_T * markets.SUPRA_RATIO
FREIGHT_USA = round(markets.SUPRA_USA_USD_T / markets.SUPRA_RATIO, 1) * markets.SUPRA_RATIO


def test_everything_mined_and_exported_unrefined(solved):
    inst, res = solved
    prod = res["Production"]
    assert (prod["t_per_yr"] >= prod["max_t_per_yr"] - TOL).all(), "every mine should run at its maximum"
    assert res["Processing"].empty
    assert (res["Refineries"]["open"] == 0).all()
    # Each product goes to the buyer where it nets most: China for the copper, gold, zinc-lead and
    # chromite products (the same CIF price everywhere, the shortest voyage), the US for antimony
    # concentrate (43.2 % of 58,339 less 45.1 USD/t freight beats the EU's 43.2 % of 57,500 less 19.4).
    sold = res["Sales"].groupby(["commodity", "node"])["t_per_yr"].sum()
    sold = sold[sold > TOL]
    where = {c: set(sold[c].index) for c in sold.index.get_level_values(0)}
    assert where == {c: {"BUY_CHINA"} for c in ("RD_CONC", "CU_BLISTER", "ZNPB_CONC", "CHROMITE")} | {"SB_CONC": {"BUY_USA"}}
    # Revenue = Σ_p DF_p Σ_mines output × the CIF price at that buyer, the price written out by hand
    # from metal prices and smelter terms (pakistan_markets.metal_price, not the model's tables).
    price = {c: markets.metal_price(PK, c) for c in ("RD_CONC", "CU_BLISTER")} | {"SB_CONC": markets.metal_price(PK, "SB_CONC", "BUY_USA")}
    zn_t, pb_t = pakistan._duddar_conc()  # 50 % Zn concentrate 85 % payable, 60 % Pb 95 %, TC 150 USD/t each
    znpb = (zn_t * (markets.ZN_PRICE * 0.50 * 0.85 - 150) + pb_t * (markets.PB_PRICE * 0.60 * 0.95 - 150)) / (zn_t + pb_t)
    price |= {"ZNPB_CONC": round(znpb, 2), "CHROMITE": round(377 / 1.13), "REE_CONC": round(4_183 * 0.60, 2)}  # REE: none mined
    r, base = inst.settings["discount_rate"], inst.settings["base_year"]
    df = {p.period: sum((1 + r) ** -(y - base) for y in range(p.start_year, p.start_year + p.length_years)) for p in inst["Periods"].itertuples()}
    expected = sum(df[x.period] * x.max_t_per_yr * price[x.commodity] for x in prod.itertuples())
    # MetalContents holds the grades rounded (Cu % to 4 decimals, Au g/t to 3): 2e-5 at most.
    assert res.summary["revenue_pv_usd"] == pytest.approx(expected, rel=2e-5)


def refining_margins() -> dict[str, float]:
    """USD per t of input gained by refining at Port Qasim instead of exporting the input, by hand:
    outputs at their CIF price less Supramax freight (doré sells at the port, no freight) − the
    processing cost − (the input's CIF price less the same freight), plus the 0.5 % export surcharge
    that Reko Diq concentrate no longer pays."""
    cathode = markets.metal_price(PK, "CU_CATHODE") - FREIGHT_CHINA
    dore = markets.metal_price(PK, "GOLD_DORE")
    cu_yield, au_yield = pakistan.RD_CU_GRADE * pakistan.CU_RECOVERY, pakistan.RD_AU_GPT * pakistan.AU_RECOVERY / 1e6
    conc = markets.metal_price(PK, "RD_CONC")
    smelt = (19.3 + 4.7) / 100 * pakistan.LB_PER_T * cu_yield  # Wood Mackenzie direct cash costs, c/lb Cu
    refine = 4.7 / 100 * pakistan.LB_PER_T * pakistan.BLISTER_CU
    blister_au = pakistan.SAINDAK_AU_GPT * 0.99 / 1e6
    sb = markets.SB_BY_BUYER["BUY_USA"][0]
    return {
        "CU_SMELT": cu_yield * cathode + au_yield * dore - smelt - (conc - FREIGHT_CHINA) + markets.RD_EPZ_SURCHARGE * conc,
        "BLISTER_REFINE": pakistan.BLISTER_CU * 0.995 * cathode + blister_au * dore - refine - (markets.metal_price(PK, "CU_BLISTER") - FREIGHT_CHINA),
        "SB_SMELT": pakistan.SB_CONC_GRADE * pakistan.SB_RECOVERY * (sb - FREIGHT_USA) - 1_500 - (markets.metal_price(PK, "SB_CONC", "BUY_USA") - FREIGHT_USA),
    }


def test_refining_value_below_site_cost():
    """Why no refinery opens: the yearly value added by the first module at Port Qasim (the
    cheapest site), filled with all antimony, all Saindak blister and Reko Diq concentrate, is
    less than the yearly cost of opening it (capex paid three years ahead, annuitised over 2029-2050 at 10 %, plus fixed opex)."""
    inst = instance_from_records(pakistan.records())
    recipes = inst["Recipes"][inst["Recipes"]["site"].isna()].set_index("recipe")["cost_usd_per_t"]
    # The instance's processing costs are the sourced direct cash costs (137.57 and 102.06 USD/t).
    assert recipes["CU_SMELT"] == pytest.approx(137.57, abs=0.01) and recipes["BLISTER_REFINE"] == pytest.approx(102.06, abs=0.01)
    margin = refining_margins()
    # 0.46 t Sb × (58,339 − 45.1) − 1,500 − (0.5 × 0.8638 × 58,339 − 45.1)
    assert margin["SB_SMELT"] == pytest.approx(163.7, abs=0.5)
    # Reko Diq concentrate: 0.26 t cathode × 9,933 + 12.2 g Au × 109.9 USD/g − 137.6 − 3,749 + 18.8
    # (CIF less 16.3 USD/t Supramax freight: the 0.74 t of freight refining saves is worth less than at 31.6)
    assert margin["CU_SMELT"] == pytest.approx(54.2, abs=0.5)
    # Blister: 421 USD/t at the customary payables (Cu 99 %, Au 95 %; 455 at the earlier 150 USD/t RC, less 34), plus
    # what the calibrated 94.0 % and 90.2 % take off its export price and refining at home keeps:
    # 0.985 × 5 % × 9,949 USD/t Cu + 92.4 g × 4.8 % × 110.4 USD/g Au = 490.0 + 489.8.
    assert margin["BLISTER_REFINE"] == pytest.approx(421 + 490.0 + 489.8, abs=2)
    # A 50 kt/yr module filled with each period's antimony and Saindak blister, the rest Reko Diq
    # concentrate, averaged over 2029-2050 with the discount factors as weights.
    mines, r, base = inst["Mines"], inst.settings["discount_rate"], inst.settings["base_year"]
    site = inst["Refineries"].set_index("site").loc["REF_PORT_QASIM"]
    weighted = weights = 0.0
    for p in inst["Periods"].itertuples():
        if p.start_year < 2029:
            continue
        df = sum((1 + r) ** -(y - base) for y in range(p.start_year, p.start_year + p.length_years))
        sb = mines[(mines["commodity"] == "SB_CONC") & (mines["period"] == p.period)]["max_t_per_yr"].sum()
        blister = mines[(mines["mine"] == "SAINDAK") & (mines["period"] == p.period)]["max_t_per_yr"].sum()
        cu = site["module_size_t_per_yr"] - sb - blister
        weighted += df * (sb * margin["SB_SMELT"] + blister * margin["BLISTER_REFINE"] + cu * margin["CU_SMELT"])
        weights += df
    value_added = weighted / weights
    # Capex is paid lead_time_years (3) before 2029, so in 2029 money it is × 1.1³, then annuitised.
    annuity = 0.1 / (1 - 1.1**-22) * 1.1 ** site["lead_time_years"]
    yearly_cost = (site["open_capex_usd"] + site["module_capex_usd"]) * annuity + site["fixed_opex_usd_per_yr"] + site["module_opex_usd_per_yr"]
    # Fixed opex is 6 % of capex a year (Peters & Timmerhaus): 9 M + 4.2 M for the opening and one module.
    assert site["fixed_opex_usd_per_yr"] + site["module_opex_usd_per_yr"] == pytest.approx(0.06 * (150e6 + 70e6))
    # 34.6 M USD/yr (antimony 0.45 M, blister 32.87 M, Reko Diq 1.29 M) against 33.4 M of annuitised capex
    # + 13.2 M of fixed opex = 46.6 M: three quarters of the cost.
    assert value_added == pytest.approx(34.61e6, rel=1e-3) and yearly_cost == pytest.approx(46.58e6, rel=1e-3)
    assert 0.74 * yearly_cost < value_added < 0.75 * yearly_cost


def test_reko_diq_routes(solved):
    inst, res = solved
    flows, sales, ups = res["Flows"], res["Sales"], res["Upgrades"].set_index("upgrade")
    conc = flows[flows["commodity"] == "RD_CONC"]
    rail_cap = inst["Corridors"].set_index("corridor").loc["L-02b", "capacity_t_per_yr"]
    blister = inst["Mines"].query("mine == 'SAINDAK'")["max_t_per_yr"].max()
    # Phase 1 (2029, 2030): the ML-4 runs full from the Nokkundi transfer, carrying concentrate
    # (and perhaps some blister: per tonne they cost the same); the rest goes down the N-25: at least
    # the 750,000 − 730,000 t/yr of concentrate the rail cannot take (Phase 1 = 200 kt Cu / 26.7 % Cu).
    # It sails to China on Supramaxes: the rail's share from Port Qasim (the 10-km siding to PIBT beats
    # 43 km more rail to Kiamari), the road's from Karachi Port (K-KPT 5 km + 7.03 USD/t handling against
    # K-PQ 45 km + 7.51), which takes Supramaxes too (75,000 DWT, 12.2 m).
    for p in ("2029", "2030"):
        assert first(flows, corridor="L-02b", period=p)["t_per_yr"].sum() == pytest.approx(rail_cap, rel=1e-6)
        assert first(conc, corridor="T-NOK", period=p)["t_per_yr"].sum() >= rail_cap - blister - TOL
        assert first(conc, corridor="R-04e", period=p)["t_per_yr"].sum() >= 750_000 - rail_cap - TOL
        from_pq = first(conc, corridor="S-POR-CHINA", period=p)["t_per_yr"].sum()
        assert from_pq >= rail_cap - blister - TOL
        # Escorted roads move whole 750 t convoys: a partial convoy's tonnes may take another
        # escorted road that has room in its own last convoy (84 t via Gwadar in 2030).
        karachi = from_pq + first(conc, corridor="S-KAR-CHINA", period=p)["t_per_yr"].sum()
        assert 750_000 - 750 <= karachi <= 750_000 + TOL
        assert first(sales, node="BUY_CHINA", commodity="RD_CONC", period=p)["t_per_yr"].sum() == pytest.approx(750_000, rel=1e-6)
    # (R-11's timing is close: per tonne of concentrate the Gwadar road and a Handysize cost 63.5 + 20.6 =
    # 84.1 USD/t with security priced, the rail and a Supramax 76.9 + 16.3 = 93.2, test_route_costs_order;
    # 9.1 USD/t on the rail's 0.73 Mt/yr does not pay for building R-11 two years earlier, while with the
    # earlier assumed 3 USD/t unloading at P-PQ (11.6 USD/t) the solver builds it for 2029.)
    # No rail branch, no track upgrade, no N-25 dualisation, no Pasni port: R-11 alone, from 2031-35
    # (tests/test_pakistan_risk.py stresses exactly this design).
    assert not ups.loc["U-L01", "built"] and not ups.loc["U-PASNI-PORT", "built"]
    assert not ups.loc[[u for u in ups.index if u.startswith(("U-L04", "U-N25"))], "built"].any()
    assert {u: r.in_service_from for u, r in ups[ups["built"].astype(bool)].iterrows()} == {"U-R11": "2031-35"}
    # R-11 opens the road to Gwadar: from 2031-35 Gwadar ships up to its 1 Mt/yr, Reko Diq concentrate
    # and Saindak blister, on Handysize ships only: a Supramax (58,000 DWT, 12.2 m) is over its 50,000 DWT.
    gwadar_cap = inst["Ports"].set_index("port").loc["GWADAR", "capacity_t_per_yr"]
    legs = res["SeaLegs"]
    for p in ("2031-35", "2036-40", "2041-45", "2046-50"):
        from_gwadar = first(legs, from_node="GWADAR", period=p)
        assert from_gwadar["t_per_yr"].sum() == pytest.approx(gwadar_cap, rel=1e-6)
        assert first(from_gwadar, vessel_class="SUPRAMAX")["t_per_yr"].sum() == pytest.approx(0.0, abs=TOL)
        assert first(conc, corridor="S-GWA-CHINA", period=p)["t_per_yr"].sum() >= gwadar_cap - blister - TOL
    # Duddar, chromite and antimony, all trucked, leave through Karachi (Karachi Port: the cheaper handling).
    karachi = legs[legs["from_node"].isin(["PORT_QASIM", "KARACHI_PORT"])]["t_per_yr"].sum()
    assert karachi > 0
    other = flows[flows["commodity"].isin(["ZNPB_CONC", "CHROMITE", "SB_CONC"]) & flows["corridor"].str.startswith("S-")]
    assert set(other["from_node"]) <= {"PORT_QASIM", "KARACHI_PORT"}


@pytest.mark.slow
def test_antimony_payable_decides_whether_more_antimony_opens_a_refinery():
    """Tripled antimony output: at the sourced payable (86 % of the metal price) smelting adds
    ~164 USD/t, 3 × 0.45 M USD/yr, far short of the ~35 M USD/yr gap of
    `test_refining_value_below_site_cost`: nothing opens. At the earlier 60 % it adds ~7,860 USD/t
    and the refinery opens at Port Qasim and takes all the antimony."""

    def tripled(payable=None):
        recs = copy.deepcopy(pakistan.records())
        for row in recs["Mines"]:
            if row["commodity"] == "SB_CONC":
                row["max_t_per_yr"] *= 3
        for row in recs["PayableMetals"]:
            if row["commodity"] == "SB_CONC" and payable is not None:
                row["payable_share"] = payable
        return solve_records(recs)[1]

    res = tripled()
    assert (res["Refineries"]["open"] == 0).all() and res["Processing"].empty
    res = tripled(payable=0.60)
    ref = res["Refineries"]
    opened = set(ref.loc[ref["open"] == 1, "site"])
    assert opened == {"REF_PORT_QASIM"}
    assert first(ref, site="REF_PORT_QASIM", period="2029")["modules"].item() >= 1
    proc = res["Processing"]
    sb_in = proc[(proc["recipe"] == "SB_SMELT") & (proc["role"] == "input")].groupby("period")["t_per_yr"].sum()
    sb_mined = res["Production"].query("commodity == 'SB_CONC'").groupby("period")["t_per_yr"].sum()
    for p, v in sb_in.items():
        assert v == pytest.approx(sb_mined[p], rel=1e-6)  # all antimony refined once the plant runs
