"""Scenarios and uncertain parameters of the Pakistan instance (rows of the Scenarios and
Uncertainties sheets; see `supplyopt.inputs.scenarios` for the format).

`scenario_rows()` gives the planners' standard comparisons against the base:

- REFINERY_PORT_QASIM / _GWADAR / _PASNI / _NOKKUNDI: the FWO-USSM refinery is built at that
  candidate site: the other three get max_modules 0, and at least one module's cathode
  (13,000 t/yr) must be sold from 2031 at the site's port (Gwadar for Pasni), so the site opens
  even where the base plan would not refine; NO_REFINERY: no site at all (concentrate exported);
- COPPER_HIGH / COPPER_LOW: copper 25 % above / below the 2025 average, passed on to cathode,
  blister and Reko Diq concentrate by copper's share of each FOB price (`COPPER_FACTORS`: cathode
  1.0; blister 0.51, its 92 g/t gold is the other half; concentrate 0.74 after TC/RC and gold):
  factors 1.25 / 1.13 / 1.18 and 0.75 / 0.87 / 0.82;
- N40_CLOSED_2029_30: the N-40 (R-02a..R-02d, Taftan-Nokkundi-Dalbandin-Nushki-Quetta) closed in
  the first two production years, 2029 and 2030;
- BOLAN_RAIL_QUARTER_2030: ML-3 through the Bolan pass (L-03a) closed for a quarter of 2030;
- GWADAR_EXPANSION: Gwadar gets a bulk terminal (4 Mt/yr, handling 6 USD/t) built by the port
  at no cost to the chain;
- ESCORTS: Settings escorts = yes: trucks on the high-risk Balochistan roads move in escorted
  convoys (integer convoys, escort cost, the escort capacity of RiskLimits); off in the base
  because integer convoys make every solve ~5× slower;
- TWO_STAGE: Settings disruptions = yes: one design for every case of the Disruptions table
  (flows per case, expected NPV); TWO_STAGE_CVAR: the same with cvar_weight 0.5 at α 0.9;
- RISK_BUDGET: an exposure budget in every period, `RISK_BUDGET_SHARE` of the base plan's peak
  yearly exposure (the planners' "cut the risk" case; `supplyopt frontier` sweeps such budgets);
- CONC_LEVY_5 / _10 / _15: an export levy of 5, 10 or 15 % on raw exports (concentrates and ore),
  as a price scale 1 − levy (today's schema has no levy table);
- TCRC_2025 / TCRC_2026 / TCRC_SPOT: Reko Diq concentrate priced under the 2025 benchmark
  (21.25 USD/t, 2.125 c/lb), the 2026 benchmark (zero) and the record-low spot index (−5 USD/t),
  as price scales computed by instances/pakistan.py `tcrc_scales()` (base: the 2024 benchmark);
- RD_DELAY_2Y: Reko Diq's whole schedule two years later (first full year 2031, Phase 2 2036),
  the Port Qasim take-or-pay starting with it;
- GWADAR_SUSPENDED: Gwadar port shut for the whole horizon (no sales there, no bulk terminal);
- NO_R11: the speculative Nokkundi-Mashkhel-Panjgur road is never built;
- RAW_EXPORT_BAN_2031: no concentrate or ore exported from 2031-35 on (the Senate committee's bill,
  Feb 2024, without its G2G/SIFC exemption).

`uncertainty_rows()` declares the Monte-Carlo parameters: copper, blister, gold and concentrate
prices, refinery capex, and an N-40 disruption draw. Factors are assumptions (flag A), not forecasts.
"""

from __future__ import annotations

from typing import Any

SITES = ("REF_PORT_QASIM", "REF_GWADAR", "REF_PASNI", "REF_NOKKUNDI")
# The port where each site's cathode is sold when the refinery is forced there (A): the site's own
# port; Pasni's cathode goes to Gwadar by the coastal road (Pasni port has no berth without its upgrade).
SITE_PORT = {"REF_PORT_QASIM": "PORT_QASIM", "REF_GWADAR": "GWADAR", "REF_PASNI": "GWADAR", "REF_NOKKUNDI": "PORT_QASIM"}
# One 50 kt/yr module of Reko Diq concentrate at 26.7 % Cu and 97.5 % recovery: 13,000 t/yr cathode.
MOU_CATHODE_T = 13_000.0
MOU_PERIODS = ("2031-35", "2036-40", "2041-45", "2046-50")  # every candidate (Pasni too) can run by then
N40 = ("R-02a", "R-02b", "R-02c", "R-02d")
# Change of each product's FOB price per relative change of the copper price (instances/pakistan.py
# copper_value_shares(), C): cathode ≈ 1; Saindak blister 0.51 (92 g/t gold is half its value);
# Reko Diq concentrate 0.74 (payable copper over the FOB price after TC/RC and gold).
COPPER_FACTORS = {"CU_CATHODE": 1.004, "CU_BLISTER": 0.508, "RD_CONC": 0.735}
COPPER_SWING = 0.25
# RISK_BUDGET: exposure (Σ risk score × t/yr) ≤ RISK_BUDGET_SHARE × the base plan's peak yearly
# exposure (results/base.xlsx RiskExposure, 2036-40), in every period.
BASE_PEAK_EXPOSURE = 25_500_000.0
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


def scenario_rows(
    copper_shares: dict[str, float] | None = None,
    tcrc_scales: dict[str, float] | None = None,
    rd_delayed: dict[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the Scenarios sheet; `copper_shares` overrides COPPER_FACTORS (instances/pakistan.py
    passes the shares computed from its prices). instances/pakistan.py also passes `tcrc_scales`
    ({terms: concentrate price scale}) and `rd_delayed` ({period: Reko Diq t/yr two years late})
    for the economics scenarios."""
    shares = COPPER_FACTORS if copper_shares is None else copper_shares
    rows: list[dict[str, Any]] = []
    for site in SITES:
        name = "REFINERY_" + site.removeprefix("REF_")
        place = site.removeprefix("REF_").replace("_", " ").title()
        text = (
            f"MoU refinery built at {place}: the other candidate sites excluded, and at least one module's cathode "
            f"({MOU_CATHODE_T:,.0f} t/yr) sold at {SITE_PORT[site]} from 2031"
        )
        rows += [_row(name, text, "Refineries", other, "max_modules", "set", 0) for other in SITES if other != site]
        rows += [_row(name, text, "Markets", f"{SITE_PORT[site]} | CU_CATHODE | {p}", "min_t_per_yr", "set", MOU_CATHODE_T) for p in MOU_PERIODS]
    rows.append(_row("NO_REFINERY", "No refinery in Pakistan: concentrate and blister exported as they are", "Refineries", "*", "max_modules", "set", 0))
    for name, sign in (("COPPER_HIGH", +1), ("COPPER_LOW", -1)):
        text = f"Copper price {'+' if sign > 0 else '−'}{COPPER_SWING:.0%} on cathode, blister and Reko Diq concentrate"
        for commodity, share in shares.items():
            rows.append(_row(name, text, "Markets", f"* | {commodity} | *", "price_usd_per_t", "scale", round(1 + sign * COPPER_SWING * share, 4)))
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
    text = "Escorted convoys on the high-risk Balochistan roads: integer convoys, escort cost, escort capacity (RiskLimits)"
    rows.append(_row("ESCORTS", text, "Settings", "escorts", "value", "set", "yes"))
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
    rows += economics_rows(tcrc_scales or {}, rd_delayed or {})
    return rows


def economics_rows(tcrc_scales: dict[str, float], rd_delayed: dict[str, float]) -> list[dict[str, Any]]:
    """The levy, TC/RC, Reko Diq delay, Gwadar, R-11 and export-ban scenarios (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    for levy in LEVIES:
        name = f"CONC_LEVY_{levy * 100:.0f}"
        text = f"Export levy of {levy:.0%} on concentrates and ore (FOB price × {1 - levy:g})"
        rows += [_row(name, text, "Markets", f"* | {c} | *", "price_usd_per_t", "scale", round(1 - levy, 4)) for c in RAW]
    labels = {"2025": "2025 benchmark 21.25 USD/t, 2.125 c/lb", "2026": "2026 benchmark 0 USD/t, 0 c/lb", "SPOT": "spot index record low −5 USD/t"}
    for terms, label in labels.items():
        if terms in tcrc_scales:
            text = f"Reko Diq concentrate under the {label} (price × {tcrc_scales[terms]:g})"
            rows.append(_row(f"TCRC_{terms}", text, "Markets", "* | RD_CONC | *", "price_usd_per_t", "scale", tcrc_scales[terms]))
    if rd_delayed:
        text = "Reko Diq two years late: first full year 2031, Phase 2 from 2036; the Port Qasim take-or-pay starts with it"
        rows += [_row("RD_DELAY_2Y", text, "Mines", f"REKO_DIQ | RD_CONC | {p}", "max_t_per_yr", "set", v) for p, v in rd_delayed.items()]
        rows += [_row("RD_DELAY_2Y", text, "Markets", f"PORT_QASIM | RD_CONC | {p}", "min_t_per_yr", "set", 0) for p, v in rd_delayed.items() if v == 0]
    text = "Gwadar port suspended for the whole horizon: no sales there and no bulk terminal"
    rows.append(_row("GWADAR_SUSPENDED", text, "Ports", "GWADAR", "capacity_t_per_yr", "set", 0))
    rows.append(_row("GWADAR_SUSPENDED", text, "Upgrades", "U-GWADAR-BULK", "added_capacity_t_per_yr", "set", 0))
    text = "The speculative R-11 Nokkundi-Mashkhel-Panjgur road is never built"
    rows.append(_row("NO_R11", text, "Upgrades", "U-R11", "added_capacity_t_per_yr", "set", 0))
    text = "Raw-export ban from 2031-35: no concentrate or ore sold at any port (no G2G/SIFC exemption)"
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
            f"site forced: the other sites excluded and one module's cathode ({MOU_CATHODE_T:,.0f} t/yr) committed at {', '.join(sorted(set(SITE_PORT.values())))} from 2031 (A)",
        ),
        ("NO_REFINERY", "every site's max_modules 0"),
        ("COPPER_HIGH, COPPER_LOW", f"±{COPPER_SWING:.0%} copper scaled by copper's share of each product's value {COPPER_FACTORS} (A)"),
        ("N40_CLOSED_2029_30", "facts 6b: 3 N-40 incidents 2023-25; a two-year closure is a stress case, not a forecast"),
        ("BOLAN_RAIL_QUARTER_2030", "facts 6b: 4 L-03 incidents; closed a quarter of 2030 = capacity factor 0.75 for that year"),
        ("GWADAR_EXPANSION", "facts Sheet 2: Gwadar master plan (U); terminal size and handling A"),
        ("ESCORTS", "convoy size, escort cost and escort capacity: CorridorRisk and RiskLimits Sources rows (A)"),
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
            "levy rates 5-15 % are the issue's range, not announced rates (none found); a levy on FOB value is a price scale 1 − levy",
        ),
        (
            "TCRC_2025",
            "C",
            "concentrate_price(21.25, 0.02125) / concentrate_price(80, 0.08): mining.com/Reuters, 'Antofagasta, Jiangxi agree major drop in 2025 copper TC/RCs' "
            "(https://mining.com/web/antofagasta-agrees-copper-treatment-charge-with-jiangxi-copper-sources)",
        ),
        (
            "TCRC_2026",
            "C",
            "concentrate_price(0, 0) / base: Reuters via Invest Intellect, 'Antofagasta agrees zero copper processing charges for 2026 with Chinese smelter', "
            "19 Dec 2025 (https://investintellect.co.uk/precious-metal/antofagasta-agrees-zero-copper-processing-charges-for-2026-with-chinese-smelter)",
        ),
        (
            "TCRC_SPOT",
            "C",
            "concentrate_price(−5, −0.005) / base: Fastmarkets, 'Copper concentrate TCs to remain low; benchmark expected to fall sharply': weekly TC index "
            "record low $(5.00) on 21 Jun 2024 (https://www.fastmarkets.com/insights/copper-concentrate-tcs-to-remain-low-benchmark-expected-to-fall-sharply/); "
            "RC at the TC/10 convention; spot negative since Dec 2024 (Reuters via TradingKey, 21 May 2025), later levels not found",
        ),
        (
            "RD_DELAY_2Y",
            "C",
            "Barrick slows Reko Diq, review to mid-2027, timeline may rise (Canadian Press via MarketScreener, 2026; mining.com 26 Mar 2026): "
            "the two-year length is A, the schedule is the base one shifted",
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
        row(
            "CU_PRICE", "Copper price factor (cathode)", "Markets", "* | CU_CATHODE | *", "price_usd_per_t", "scale", "triangular", low=0.75, mode=1.0, high=1.3
        ),
        row(
            "BLISTER_PRICE",
            "Saindak blister price factor: the copper swing × copper's 51 % share of its value, drawn apart from CU_PRICE "
            "(one draw applies alike to every row of a parameter, so blister cannot follow copper at half the swing)",
            "Markets",
            "* | CU_BLISTER | *",
            "price_usd_per_t",
            "scale",
            "triangular",
            low=round(1 - 0.25 * COPPER_FACTORS["CU_BLISTER"], 3),
            mode=1.0,
            high=round(1 + 0.3 * COPPER_FACTORS["CU_BLISTER"], 3),
        ),
        row("AU_PRICE", "Gold price factor (doré)", "Markets", "* | GOLD_DORE | *", "price_usd_per_t", "scale", "normal", mode=1.0, sd=0.12, low=0.7, high=1.4),
        row(
            "CONC_PRICE",
            "Reko Diq concentrate price factor (terms and metal prices)",
            "Markets",
            "* | RD_CONC | *",
            "price_usd_per_t",
            "scale",
            "uniform",
            low=0.85,
            high=1.15,
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
