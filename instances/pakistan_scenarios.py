"""Scenarios and uncertain parameters of the Pakistan instance (rows of the Scenarios and
Uncertainties sheets; see `supplyopt.inputs.scenarios` for the format).

`scenario_rows()` gives the planners' standard comparisons against the base:

- REFINERY_PORT_QASIM / _GWADAR / _PASNI / _NOKKUNDI: the FWO-USSM refinery is built at that
  candidate site: the other three get max_modules 0, and at least one module's cathode
  (13,000 t/yr) must be sold in China from 2031, so the site opens even where the base plan would
  not refine; NO_REFINERY: no site at all (concentrate exported);
- COPPER_HIGH / COPPER_LOW: the copper price (MetalPrices CU) 25 % above / below the 2025 average;
  concentrate, blister and cathode prices follow through their metal contents and smelter terms;
- N40_CLOSED_2029_30: the N-40 (R-02a..R-02d, Taftan-Nokkundi-Dalbandin-Nushki-Quetta) closed in
  the first two production years, 2029 and 2030;
- BOLAN_RAIL_QUARTER_2030: ML-3 through the Bolan pass (L-03a) closed for a quarter of 2030;
- GWADAR_EXPANSION: Gwadar gets a bulk terminal (4 Mt/yr, handling 6 USD/t) built by the port
  at no cost to the chain;
- NO_ESCORTS: Settings escorts = no: trucks on the high-risk Balochistan roads move without the
  escorted convoys of the base (what the escorts cost the plan);
- TWO_STAGE: Settings disruptions = yes: one design for every case of the Disruptions table
  (flows per case, expected NPV); TWO_STAGE_CVAR: the same with cvar_weight 0.5 at α 0.9;
- RISK_BUDGET: an exposure budget in every period, `RISK_BUDGET_SHARE` of the base plan's peak
  yearly exposure (the planners' "cut the risk" case; `supplyopt frontier` sweeps such budgets);
- CONC_LEVY_5 / _10 / _15: an export levy of 5, 10 or 15 % on raw exports (ExportDuties: the
  levy on every concentrate and ore, and on Reko Diq concentrate on top of its 0.5 % surcharge);
- TCRC_2025 / TCRC_2026 / TCRC_SPOT: Reko Diq concentrate sold under the 2025 benchmark
  (21.25 USD/t, 2.125 c/lb), the 2026 benchmark (zero) and the record-low spot index (−5 USD/t,
  RC −0.5 c/lb): SmelterTerms TC and PayableMetals Cu RC (base: the 2024 benchmark);
- RD_DELAY_2Y: Reko Diq's whole schedule two years later (first full year 2031, Phase 2 2036);
- TERMINAL_VALUE: the plan valued with a perpetuity of its last period's margin after 2050;
- GWADAR_SUSPENDED: Gwadar port shut for the whole horizon (no sales or sailings, no terminal);
- NO_R11: the speculative Nokkundi-Mashkhel-Panjgur road is never built;
- RAW_EXPORT_BAN_2031: no concentrate or ore exported from 2031-35 on (the Senate committee's bill,
  Feb 2024, without its G2G/SIFC exemption).

`uncertainty_rows()` declares the Monte-Carlo (and breakeven) parameters: copper and gold prices,
the concentrate TC/RC level, the concentrate export levy, refinery capex, and an N-40 disruption
draw. Ranges are assumptions (flag A), not forecasts.
"""

from __future__ import annotations

from typing import Any

SITES = ("REF_PORT_QASIM", "REF_GWADAR", "REF_PASNI", "REF_NOKKUNDI")
# Where a forced refinery's committed cathode is sold: China, the nearest copper market.
MOU_BUYER = "BUY_CHINA"
# One 50 kt/yr module of Reko Diq concentrate at 26.7 % Cu and 97.5 % recovery: 13,000 t/yr cathode.
MOU_CATHODE_T = 13_000.0
MOU_PERIODS = ("2031-35", "2036-40", "2041-45", "2046-50")  # every candidate (Pasni too) can run by then
N40 = ("R-02a", "R-02b", "R-02c", "R-02d")
COPPER_SWING = 0.25
# RISK_BUDGET: exposure (Σ risk score × t/yr) ≤ RISK_BUDGET_SHARE × the base plan's peak yearly
# exposure (results/base.xlsx RiskExposure, 2036-40), in every period.
BASE_PEAK_EXPOSURE = 31_310_506.0
RISK_BUDGET_SHARE = 0.6


def _row(scenario: str, description: str, table: str, key: str, column: str, operation: str, value: Any) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "description": description,
        "table": table,
        "key": key,
        "column": column,
        "operation": operation,
        "value": value,
    }


RAW = ("RD_CONC", "SB_CONC", "ZNPB_CONC", "CHROMITE")  # raw exports (concentrates and ore) with production
LEVIES = (0.05, 0.10, 0.15)
BAN_PERIODS = ("2031-35", "2036-40", "2041-45", "2046-50")


def scenario_rows(rd_delayed: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Rows of the Scenarios sheet; instances/pakistan.py passes `rd_delayed` ({period: Reko Diq
    t/yr two years late}) for RD_DELAY_2Y."""
    rows: list[dict[str, Any]] = []
    for site in SITES:
        name = "REFINERY_" + site.removeprefix("REF_")
        place = site.removeprefix("REF_").replace("_", " ").title()
        text = (
            f"MoU refinery built at {place}: the other candidate sites excluded, and at least one module's cathode "
            f"({MOU_CATHODE_T:,.0f} t/yr) sold in China from 2031"
        )
        rows += [_row(name, text, "Refineries", other, "max_modules", "set", 0) for other in SITES if other != site]
        rows += [_row(name, text, "Markets", f"{MOU_BUYER} | CU_CATHODE | {p}", "min_t_per_yr", "set", MOU_CATHODE_T) for p in MOU_PERIODS]
    rows.append(_row("NO_REFINERY", "No refinery in Pakistan: concentrate and blister exported as they are", "Refineries", "*", "max_modules", "set", 0))
    for name, sign in (("COPPER_HIGH", +1), ("COPPER_LOW", -1)):
        text = f"Copper price {'+' if sign > 0 else '−'}{COPPER_SWING:.0%} (cathode, blister and concentrate follow through their copper)"
        rows.append(_row(name, text, "MetalPrices", "* | CU | *", "price", "scale", round(1 + sign * COPPER_SWING, 4)))
    for corridor in N40:
        for period in ("2029", "2030"):
            rows.append(
                _row(
                    "N40_CLOSED_2029_30",
                    "N-40 Taftan-Quetta closed in 2029 and 2030",
                    "CapacityFactors",
                    f"corridor | {corridor} | {period}",
                    "factor",
                    "set",
                    0,
                )
            )
    rows.append(
        _row(
            "BOLAN_RAIL_QUARTER_2030",
            "ML-3 Bolan section (L-03a) closed for a quarter of 2030",
            "CapacityFactors",
            "corridor | L-03a | 2030",
            "factor",
            "set",
            0.75,
        )
    )
    text = "Gwadar bulk terminal built by the port (4 Mt/yr, 6 USD/t handling), no cost to the chain"
    rows.append(_row("GWADAR_EXPANSION", text, "Ports", "GWADAR", "capacity_t_per_yr", "set", 4_000_000))
    rows.append(_row("GWADAR_EXPANSION", text, "Ports", "GWADAR", "handling_usd_per_t", "set", 6))
    text = "No escorted convoys on the high-risk Balochistan roads (the base has them)"
    rows.append(_row("NO_ESCORTS", text, "Settings", "escorts", "value", "set", "no"))
    text = "Two-stage over the Disruptions table: one design for every case, flows per case, expected NPV"
    rows.append(_row("TWO_STAGE", text, "Settings", "disruptions", "value", "set", "yes"))
    # HiGHS 1.15 may end this one in "solver error": the CVaR rows hold scenario NPVs (~3e10 USD),
    # where double precision leaves ~3e-6 absolute error against its 1e-7 feasibility tolerance.
    # With those rows scaled by 1e-6 it solves (~50 s): the base design, CVaR 32.3754 bn USD.
    text = "Two-stage over the Disruptions table, objective 0.5 · E[NPV] + 0.5 · CVaR(α = 0.9)"
    rows.append(_row("TWO_STAGE_CVAR", text, "Settings", "disruptions", "value", "set", "yes"))
    rows.append(_row("TWO_STAGE_CVAR", text, "Settings", "cvar_weight", "value", "set", 0.5))
    rows.append(_row("TWO_STAGE_CVAR", text, "Settings", "cvar_alpha", "value", "set", 0.9))
    budget = risk_budget()
    text = f"Exposure budget {budget:,.0f} score·t/yr in every period ({RISK_BUDGET_SHARE:.0%} of the base plan's peak)"
    rows.append(_row("RISK_BUDGET", text, "RiskLimits", "", "exposure_budget", "set", budget))
    rows += economics_rows(rd_delayed or {})
    return rows


# TC (USD/dmt) and Cu RC (USD/lb) of the sourced benchmarks and the spot index (RC at TC/10, C).
TCRC_TERMS = {"2025": (21.25, 0.02125), "2026": (0.0, 0.0), "SPOT": (-5.0, -0.005)}
RD_EPZ_SURCHARGE = 0.005  # Reko Diq's own export surcharge (instances/pakistan_markets.py)


def economics_rows(rd_delayed: dict[str, float]) -> list[dict[str, Any]]:
    """The levy, TC/RC, Reko Diq delay, terminal value, Gwadar, R-11 and export-ban scenarios."""
    rows: list[dict[str, Any]] = []
    for levy in LEVIES:
        name = f"CONC_LEVY_{levy * 100:.0f}"
        text = f"Export levy of {levy:.0%} on concentrates and ore (Reko Diq concentrate: {levy + RD_EPZ_SURCHARGE:.1%} with its surcharge)"
        rows.append(_row(name, text, "ExportDuties", "RD_CONC |  | ", "rate_share", "set", round(levy + RD_EPZ_SURCHARGE, 4)))
        rows += [_row(name, text, "ExportDuties", f" | {kind} | ", "rate_share", "set", levy) for kind in ("concentrate", "ore")]
    labels = {"2025": "2025 benchmark 21.25 USD/t, 2.125 c/lb", "2026": "2026 benchmark 0 USD/t, 0 c/lb", "SPOT": "spot index record low −5 USD/t, −0.5 c/lb"}
    for terms, label in labels.items():
        tc, rc = TCRC_TERMS[terms]
        text = f"Reko Diq concentrate sold under the {label}"
        rows.append(_row(f"TCRC_{terms}", text, "SmelterTerms", "* | RD_CONC | *", "tc_usd_per_dmt", "set", tc))
        rows.append(_row(f"TCRC_{terms}", text, "PayableMetals", "* | RD_CONC | CU | *", "rc", "set", rc))
    if rd_delayed:
        text = "Reko Diq two years late: first full year 2031, Phase 2 from 2036"
        rows += [_row("RD_DELAY_2Y", text, "Mines", f"REKO_DIQ | RD_CONC | {p}", "max_t_per_yr", "set", v) for p, v in rd_delayed.items()]
    text = "Value after 2050: a perpetuity of the last period's operating margin at the 10 % discount rate"
    rows.append(_row("TERMINAL_VALUE", text, "Settings", "terminal_value_method", "value", "set", "perpetuity"))
    text = "Gwadar port suspended for the whole horizon: no sales or sailings there and no bulk terminal"
    rows.append(_row("GWADAR_SUSPENDED", text, "Ports", "GWADAR", "capacity_t_per_yr", "set", 0))
    rows.append(_row("GWADAR_SUSPENDED", text, "Upgrades", "U-GWADAR-BULK", "added_capacity_t_per_yr", "set", 0))
    text = "The speculative R-11 Nokkundi-Mashkhel-Panjgur road is never built"
    rows.append(_row("NO_R11", text, "Upgrades", "U-R11", "added_capacity_t_per_yr", "set", 0))
    text = "Raw-export ban from 2031-35: no concentrate or ore sold abroad (no G2G/SIFC exemption)"
    for c in RAW:
        for p in BAN_PERIODS:
            rows.append(_row("RAW_EXPORT_BAN_2031", text, "Markets", f"* | {c} | {p}", "min_t_per_yr", "set", 0))
            rows.append(_row("RAW_EXPORT_BAN_2031", text, "Markets", f"* | {c} | {p}", "max_t_per_yr", "set", 0))
    return rows


def risk_budget() -> float:
    """The RISK_BUDGET scenario's exposure budget (score·t/yr)."""
    return round(RISK_BUDGET_SHARE * BASE_PEAK_EXPOSURE, -4)


def scenario_sources() -> list[tuple[str, str]]:
    """(scenario, why) rows for the instance's Sources sheet."""
    return [
        (
            "REFINERY_*",
            f"site forced: the other sites excluded and one module's cathode ({MOU_CATHODE_T:,.0f} t/yr) committed to {MOU_BUYER} from 2031 (A)",
        ),
        ("NO_REFINERY", "every site's max_modules 0"),
        (
            "COPPER_HIGH, COPPER_LOW",
            f"±{COPPER_SWING:.0%} on the copper price; products follow through MetalContents (A). The +25 % (12,436 USD/t) lies between "
            "published 2026 forecasts: Goldman 10,500 (SMM, https://news.metal.com/newscontent/103559471) and Citi's base case 13,000 "
            "for 2Q-4Q26 (https://www.itiger.com/news/1165946396); no published −25 % case found",
        ),
        ("N40_CLOSED_2029_30", "facts 6b: 3 N-40 incidents 2023-25; a two-year closure is a stress case, not a forecast"),
        ("GWADAR_EXPANSION", "facts Sheet 2: Gwadar master plan (U); terminal size and handling A"),
        ("NO_ESCORTS", "the base's convoy size, escort cost and escort capacity: CorridorRisk and RiskLimits Sources rows (A)"),
        ("TWO_STAGE, TWO_STAGE_CVAR", "the Disruptions table (its Sources rows); CVaR weight 0.5 and α 0.9 are A"),
        (
            "RISK_BUDGET",
            f"{RISK_BUDGET_SHARE:.0%} of the base plan's peak yearly exposure {BASE_PEAK_EXPOSURE:,.0f} score·t/yr (results/base.xlsx RiskExposure), A",
        ),
    ]


def economics_scenario_sources() -> list[tuple[str, str, str]]:
    """(scenario, flag, why) rows for the economics scenarios (flag C where computed from sourced terms)."""
    return [
        (
            "CONC_LEVY_5, CONC_LEVY_10, CONC_LEVY_15",
            "A",
            "levy rates 5-15 % are the issue's range, not announced rates (none found); ExportDuties rows on concentrate and ore",
        ),
        (
            "TCRC_2025",
            "S",
            "TC 21.25 USD/dmt, RC 2.125 c/lb: mining.com/Reuters, 'Antofagasta, Jiangxi agree major drop in 2025 copper TC/RCs' "
            "(https://mining.com/web/antofagasta-agrees-copper-treatment-charge-with-jiangxi-copper-sources)",
        ),
        (
            "TCRC_2026",
            "S",
            "TC 0, RC 0: Reuters via Invest Intellect, 'Antofagasta agrees zero copper processing charges for 2026 with Chinese smelter', "
            "19 Dec 2025 (https://investintellect.co.uk/precious-metal/antofagasta-agrees-zero-copper-processing-charges-for-2026-with-chinese-smelter)",
        ),
        (
            "TCRC_SPOT",
            "C",
            "TC −5 USD/dmt: Fastmarkets, 'Copper concentrate TCs to remain low; benchmark expected to fall sharply': weekly TC index "
            "record low $(5.00) on 21 Jun 2024 (https://www.fastmarkets.com/insights/copper-concentrate-tcs-to-remain-low-benchmark-expected-to-fall-sharply/); "
            "RC at the TC/10 convention; spot negative since Dec 2024 (Reuters via TradingKey, 21 May 2025), later levels not found",
        ),
        (
            "RD_DELAY_2Y",
            "C",
            "Barrick slows Reko Diq, review to mid-2027, timeline may rise (Canadian Press via MarketScreener, 2026; mining.com 26 Mar 2026): "
            "the two-year length is A, the schedule is the base one shifted",
        ),
        (
            "BOLAN_RAIL_QUARTER_2030",
            "C",
            "factor 1 − 3/12 = 0.75 for 2030: the longest published Bolan (L-03a) rail closure, 'three months': bridge near Hirak "
            "(Mach-Kolpur) collapsed in the floods, trains suspended 25 Aug 2022, 'restored after three months' and from Machh only "
            "(Bulletin Observer, 'Train suspended due to collapse of Railway Bridge restored in Bolan', https://bulletinobserver.com/?p=257890; "
            "25 Aug-20 Nov 2022 = 87 days). Attacks closed it 46 days (Kolpur-Dozan bridge blast 26 Aug 2024: 'restored after 46 days', "
            "UrduPoint/APP 11 Oct 2024, https://www.urdupoint.com/en/pakistan/suspended-train-operation-in-balochistan-rest-1871210.html) "
            "and 17 days (Jaffar Express hijack 11 Mar 2025, Daily Pakistan 28 Mar 2025, "
            "https://en.dailypakistan.com.pk/28-Mar-2025/jaffar-express-departs-for-peshawar-after-14-days-suspension)",
        ),
        ("GWADAR_SUSPENDED", "A", "a stress case: Gwadar attacks 2023-24 (facts 6b); Reko Diq declined Gwadar for now (Business Recorder Jan 2024)"),
        ("NO_R11", "S", "R-11 Mashkhel-Panjgur is a design only (Nawa-i-Waqt 24 May 2021); see the Corridors R-11 rows"),
        (
            "RAW_EXPORT_BAN_2031",
            "C",
            "Profit (Pakistan Today), 'Senate committee approves ban on raw mineral exports', 2 Feb 2024 "
            "(https://profit.pakistantoday.com.pk/2024/02/02/senate-committee-approves-ban-on-raw-mineral-exports/): G2G/SIFC deals exempt; "
            "PM at PMIF 2025: raw material not to be shipped out (Pakistan Observer, 9 Apr 2025); start 2031 is A",
        ),
    ]


def uncertainty_rows() -> list[dict[str, Any]]:
    """Rows of the Uncertainties sheet (Monte-Carlo parameters)."""

    def row(parameter, description, table, key, column, operation, distribution=None, **numbers):
        return {
            "parameter": parameter,
            "description": description,
            "table": table,
            "key": key,
            "column": column,
            "operation": operation,
            "distribution": distribution,
            **numbers,
        }

    rows = [
        row("CU_PRICE", "Copper price factor (MetalPrices CU)", "MetalPrices", "* | CU | *", "price", "scale", "triangular", low=0.75, mode=1.0, high=1.3),
        row("AU_PRICE", "Gold price factor (MetalPrices AU)", "MetalPrices", "* | AU | *", "price", "scale", "normal", mode=1.0, sd=0.12, low=0.7, high=1.4),
        row(
            "TCRC_LEVEL",
            "Reko Diq concentrate TC/RC as a share of the 2024 benchmark (0 = the 2026 zero terms, 1 = 80 USD/dmt and 8 c/lb)",
            "SmelterTerms",
            "* | RD_CONC | *",
            "tc_usd_per_dmt",
            "scale",
            "uniform",
            low=0.0,
            high=1.5,
        ),
        row("TCRC_LEVEL", "", "PayableMetals", "* | RD_CONC | CU | *", "rc", "scale"),
        row(
            "CONC_LEVY",
            "Export duty on Reko Diq concentrate, its 0.5 % surcharge included (share of the sale price)",
            "ExportDuties",
            "RD_CONC |  | ",
            "rate_share",
            "set",
            "uniform",
            low=0.005,
            high=0.205,
        ),
        row("REFINERY_CAPEX", "Refinery capex overrun factor", "Refineries", "*", "open_capex_usd", "scale", "triangular", low=0.9, mode=1.0, high=1.6),
        row("REFINERY_CAPEX", "", "Refineries", "*", "module_capex_usd", "scale"),
    ]
    for corridor in N40:
        rows.append(
            row(
                "N40_2029",
                "N-40 open (1) or closed (0) in 2029, closed with probability 15 %",
                "CapacityFactors",
                f"corridor | {corridor} | 2029",
                "factor",
                "set",
                *(("choice",) if corridor == N40[0] else ()),
                **({"values": "0 | 1", "probabilities": "0.15 | 0.85"} if corridor == N40[0] else {}),
            )
        )
    return rows
