"""Sourced economics figures of the Pakistan instance (issue 13: smelter terms, fiscal terms, sea
legs, feeds, circuits): written by build_pakistan.py to instances/pakistan_economics_sources.csv,
one row per figure. `target` names the table and column each was meant for (the issue's names);
`wired` says where the instance uses it now that the tables exist (`WIRED`), blank where it does
not (advance royalty, state equity, silver, e-waste volumes, Gwadar berths).

Flags as in the Sources sheet: S = sourced (the source was read, not only the facts sheet's
lead), C = computed from sourced figures, U = uncertain, A = assumed. Only figures found with
the search tool (pages corpus) are cited; the title, publisher, date and URL are as it returned them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

COLUMNS = ("figure", "value", "unit", "flag", "source", "date", "url", "note", "target", "wired")

BR_NA = "https://www.brecorder.com/news/40363029/minister-informs-na-reko-diq-project-to-generate-over-75bn-in-free-cash-flows"
BR_RAIL = "https://www.brecorder.com/news/40385028/reko-diq-now-under-ecc-focus"
TC_2024 = "https://www.nasdaq.com/articles/freeport-agrees-with-jiangxi-copper-to-2024-copper-concentrate-treatment-charges-at-$80-t"
TC_2025 = "https://mining.com/web/antofagasta-agrees-copper-treatment-charge-with-jiangxi-copper-sources"
TC_2026 = "https://investintellect.co.uk/precious-metal/antofagasta-agrees-zero-copper-processing-charges-for-2026-with-chinese-smelter"
TC_SPOT = "https://www.fastmarkets.com/insights/copper-concentrate-tcs-to-remain-low-benchmark-expected-to-fall-sharply/"
FREIGHT = "https://maritimecompass.com/2024/06/10/bulk-carrier-freight-rates-surge-on-south-american-routes/"
GWADAR = "https://pakistaneconomicnet.com/story/5300/"
DAWN_GWADAR = "https://dawn.com/news/387487"
CHEM_SB = "https://www.chemanalyst.com/Pricing-data/antimony-trioxide-1691"
ARGUS_SB = "https://www.argusmedia.com/en/news-and-insights/latest-market-news/2702731-eu-antimony-softens-slightly-on-improved-availability"
GOLD = "https://www.bullionvault.com/gold-news/gold-price-news/gold-silver-2025-record-price-123120251"
EWASTE = "https://xueshu.lanfanshu.cn/scholar?as_sdt=0%2C5&hl=zh-CN&q=E-waste+flows%2C+resource+recovery+and+improvement+of+legal+framework+in+Pakistan"
EWASTE_NUST = "https://repositories.nust.edu.pk/xmlui/handle/123456789/10024?show=full"
BAN = "https://profit.pakistantoday.com.pk/2024/02/02/senate-committee-approves-ban-on-raw-mineral-exports/"
PMIF = "https://pakobserver.net/pakistans-reko-diq-to-be-one-of-most-significant-copper-gold-projects-globally/"
MANYAR = "https://www.kitco.com/news/off-the-wire/2024-06-27/freeport-indonesia-launches-37bn-gresik-copper-smelter-meet-renewables"
R11 = "https://www.brecorder.com/news/40093766/pm-khan-to-lay-foundation-of-mashkel-to-naukundi-road-project"
REVIEW = "https://www.marketscreener.com/news/barrick-mining-slows-development-at-reko-diq-in-pakistan-amid-security-concerns-ce7e51d2d18af021"


def _r(figure, value, unit, flag, source, date, url, note, target, wired="") -> dict[str, Any]:
    assert flag in ("S", "C", "U", "A"), flag
    return dict(zip(COLUMNS, (figure, value, unit, flag, source, date, url, note, target, wired)))


FIGURES: tuple[dict[str, Any], ...] = (
    # Fiscal terms
    _r(
        "Reko Diq royalty to the Government of Balochistan",
        0.05,
        "share of sales value",
        "S",
        "Business Recorder (minister's written reply to the National Assembly)",
        "2025-05-16",
        BR_NA,
        "royalty base (gross or net smelter return) not stated",
        "FiscalTerms.royalty_share (mine REKO_DIQ)",
    ),
    _r(
        "Reko Diq net smelter return royalty to the Government of Pakistan",
        0.01,
        "share of NSR",
        "S",
        "Business Recorder",
        "2025-05-16",
        BR_NA,
        "NSR = payable metal value less TC/RC and freight",
        "FiscalTerms.royalty_share (mine REKO_DIQ, federal)",
    ),
    _r(
        "Reko Diq export processing zone surcharge", 0.005, "share of export value", "S", "Business Recorder", "2025-05-16", BR_NA, "", "FiscalTerms.levy_share"
    ),
    _r(
        "Reko Diq advance royalty before production",
        "5 M (yr 1), 7.5 M (yr 2), 10 M/yr after, at most 50 M",
        "USD",
        "S",
        "Business Recorder",
        "2025-05-16",
        BR_NA,
        "paid before commercial production; credited against royalties",
        "FiscalTerms (advance payments; note only)",
    ),
    _r(
        "Balochistan's equity in Reko Diq",
        0.25,
        "share",
        "S",
        "Business Recorder",
        "2025-05-16",
        BR_NA,
        "15 % fully funded + 10 % free-carried (Business Recorder, financial-close report); state take beside royalties",
        "FiscalTerms (state equity; results: state take)",
    ),
    _r(
        "Raw-mineral export ban bill (Senate Standing Committee on Commerce)",
        "approved 5:1; G2G/SIFC deals exempt",
        "",
        "S",
        "Profit (Pakistan Today)",
        "2024-02-02",
        BAN,
        "not known to be enacted (U); the Commerce Ministry opposed it",
        "ExportBans.from_period",
        "scenario RAW_EXPORT_BAN_2031",
    ),
    _r(
        "PM: raw material not to be shipped out unprocessed",
        "policy statement",
        "",
        "S",
        "Pakistan Observer (Pakistan Minerals Investment Forum)",
        "2025-04-09",
        PMIF,
        "no instrument or date found",
        "ExportBans",
    ),
    _r(
        "Concentrate export levy",
        "0-15 %",
        "share of FOB value",
        "A",
        "issue 13 range (no announced rate found)",
        "",
        "",
        "",
        "FiscalTerms.levy_share",
        "scenarios CONC_LEVY_5/10/15",
    ),
    # Smelter terms
    _r(
        "Copper concentrate TC/RC, 2024 annual benchmark",
        "80 USD/dmt; 8 c/lb",
        "",
        "S",
        "Reuters via Nasdaq",
        "2023-12-01",
        TC_2024,
        "Freeport and Antofagasta with Jiangxi Copper",
        "SmelterTerms.tc_usd_per_dmt, rc_usd_per_lb",
        "base RD_CONC price (Markets)",
    ),
    _r(
        "Copper concentrate TC/RC, 2025 annual benchmark",
        "21.25 USD/dmt; 2.125 c/lb",
        "",
        "S",
        "mining.com (Reuters)",
        "2024-12",
        TC_2025,
        "Antofagasta with Jiangxi Copper; 73.4 % below 2024",
        "SmelterTerms",
        "scenario TCRC_2025",
    ),
    _r(
        "Copper concentrate TC/RC, 2026 annual benchmark",
        "0 USD/dmt; 0 c/lb",
        "",
        "S",
        "Invest Intellect (Reuters)",
        "2025-12-19",
        TC_2026,
        "Antofagasta with a Chinese smelter; later with all its Chinese clients (Reuters via seantel.news)",
        "SmelterTerms",
        "scenario TCRC_2026",
    ),
    _r(
        "Copper concentrate spot TC index, record low",
        -5.0,
        "USD/dmt",
        "S",
        "Fastmarkets",
        "2024-06-21",
        TC_SPOT,
        "weekly index; spot negative since Dec 2024 (Reuters, May 2025)",
        "SmelterTerms (spot)",
        "scenario TCRC_SPOT (RC at TC/10, C)",
    ),
    _r(
        "Payable copper in concentrate",
        0.965,
        "share",
        "C",
        "Cusco Ventures, 'Breakdown: non-ferrous concentrates'",
        "",
        "https://saca.cuscoventurescorp.org/learn/metals-concentrates",
        "generic figure ('e.g. ~96.5% of copper, after a fixed deduction'), applied as is",
        "SmelterTerms.payable_share (Cu)",
        "base RD_CONC price",
    ),
    _r(
        "Payable gold in concentrate; gold refining charge",
        "0.97; 5 USD/oz",
        "",
        "A",
        "assumption",
        "",
        "",
        "customary",
        "SmelterTerms (Au)",
        "base RD_CONC price",
    ),
    # Metal prices
    _r(
        "Gold, 2025 annual average",
        3435,
        "USD/oz",
        "S",
        "BullionVault",
        "2025-12-31",
        GOLD,
        "World Bank 3,442; year-end fix ~4,310",
        "MetalPrices.price (Au)",
        "Markets GOLD_DORE, RD_CONC",
    ),
    _r("Silver, 2025 annual average", 40, "USD/oz", "S", "BullionVault", "2025-12-31", GOLD, "'almost exactly $40'", "MetalPrices.price (Ag, by-product)"),
    _r(
        "Antimony trioxide, US, Q4 2025 average",
        58338.67,
        "USD/t",
        "S",
        "ChemAnalyst",
        "2025-12",
        CHEM_SB,
        "",
        "MetalPrices.price (Sb, market US)",
        "Markets SB_METAL",
    ),
    _r(
        "Antimony trioxide, China (Shanghai), Q4 2025 average",
        19406.0,
        "USD/t",
        "S",
        "ChemAnalyst",
        "2025-12",
        CHEM_SB,
        "",
        "MetalPrices.price (Sb, market China)",
    ),
    _r(
        "Antimony regulus II and trioxide, cif Rotterdam",
        "57,000-58,000",
        "USD/t",
        "S",
        "Argus",
        "2025-06-24",
        ARGUS_SB,
        "duty unpaid Rotterdam 59,500-61,000",
        "MetalPrices.price (Sb, market EU)",
    ),
    # Sea legs and ports
    _r(
        "Concentrate sea freight Peru → Far East (spot, 11-22 kt lots)",
        40,
        "USD/t",
        "S",
        "Maritime Compass",
        "2024-06-10",
        FREIGHT,
        "Chile → Far East ~50 USD/t",
        "SeaLegs.freight_usd_per_t",
        "Markets (OCEAN_FREIGHT, U, for Pakistan-Asia)",
    ),
    _r("Gwadar berths", "3 × 200 m multipurpose (602 m quay)", "", "S", "Pakistan Economic Net", "", GWADAR, "", "Ports (berths)"),
    _r(
        "Gwadar draft at the berths",
        12.5,
        "m",
        "S",
        "Pakistan Economic Net; Dawn",
        "",
        GWADAR,
        f"Dawn ({DAWN_GWADAR}): deepening to 14.5 m provided for",
        "Ports.max_draft_m",
    ),
    _r(
        "Gwadar maximum bulk carrier",
        50000,
        "DWT",
        "S",
        "Pakistan Economic Net",
        "",
        GWADAR,
        "Dawn: 'maximum 30,000 DWT' feeder vessels at the 12.5 m berths (U)",
        "Ports.max_vessel_dwt",
    ),
    _r(
        "Port Qasim PIBT berth depth; vessel size",
        "13 m; 65,000 t",
        "",
        "S",
        "facts sheet Sheet 2 (ProPakistani 2022; UrduPoint 2023)",
        "",
        "",
        "not re-checked with the search tool",
        "Ports.max_draft_m, max_vessel_dwt",
    ),
    _r(
        "Karachi Port approach channel; vessel size",
        "12.2 m; 75,000 DWT",
        "",
        "S",
        "facts sheet Sheet 2 (kpt.gov.pk)",
        "",
        "",
        "not re-checked with the search tool",
        "Ports.max_draft_m, max_vessel_dwt",
    ),
    # Feeds
    _r(
        "E-waste imported into Pakistan",
        95415,
        "t/yr",
        "S",
        "Imran, Haydar, Kim, Awan et al., Resources, Conservation and Recycling (Elsevier)",
        "2017",
        EWASTE,
        "'E-waste flows, resource recovery and improvement of legal framework in Pakistan'; recycled informally",
        "Feeds.available_t_per_yr (E_WASTE)",
    ),
    _r(
        "E-waste imported into Pakistan (three-city survey, extrapolated)",
        "76,000-100,000",
        "t/yr",
        "S",
        "Sajid, NUST thesis",
        "2016-10-22",
        EWASTE_NUST,
        "",
        "Feeds.available_t_per_yr (E_WASTE, range)",
    ),
    # Circuits and scale
    _r(
        "Freeport Manyar (Gresik) smelter",
        "3.7 bn USD; 1.7 Mt/yr concentrate; ~650 kt/yr cathode",
        "",
        "S",
        "Reuters via Kitco",
        "2024-06-27",
        MANYAR,
        "2,176 USD per t/yr of concentrate input (C); reference point for a capex curve",
        "CircuitSizes.capex_usd (CU_SMELTER)",
        "Sources check of the MoU refinery",
    ),
    # Rail and roads
    _r(
        "RDMC rail bridge finance for ML-3 Nokkundi-Rohri",
        "390 M USD, 3 years, SOFR + 250 bp",
        "",
        "S",
        "Business Recorder",
        "2025-09-29",
        BR_RAIL,
        "Rail Development Agreement; route to Port Qasim 1,350 km",
        "Upgrades.capex_usd",
        "Upgrades U-L04-*",
    ),
    _r(
        "Nokkundi-Mashkhel road (part of R-11)",
        "103 km, Rs 7 bn, 2 years",
        "",
        "S",
        "Business Recorder",
        "2021-05-20",
        R11,
        "Mashkhel-Panjgur (200 km) only a design (Nawa-i-Waqt 24 May 2021): R-11 speculative",
        "Upgrades.capex_usd",
        "Upgrades U-R11 (U)",
    ),
    # Reko Diq
    _r(
        "Reko Diq Phase 1 / Phase 2 output",
        "200 kt Cu + 300 koz Au from 2028; 400 kt Cu + 500 koz Au from 2034",
        "per yr",
        "S",
        "Business Recorder",
        "2025-05-16",
        BR_NA,
        "the Phase 2 gold grade differs from Phase 1's: metal contents per phase",
        "MetalContents (RD_CONC)",
        "Mines REKO_DIQ",
    ),
    _r(
        "Reko Diq project review",
        "to mid-2027; capital and timeline may rise",
        "",
        "S",
        "Canadian Press via MarketScreener",
        "2026",
        REVIEW,
        "first production had been targeted for end-2028",
        "Mines (start period)",
        "scenario RD_DELAY_2Y",
    ),
)


# Where each figure entered the instance once the economics tables were merged
# (instances/pakistan_markets.py and pakistan.py); figures not named here are not used.
WIRED = {
    "Reko Diq royalty to the Government of Balochistan": "Royalties RD_CONC | REKO_DIQ (5 %)",
    "Reko Diq net smelter return royalty to the Government of Pakistan": "Royalties RD_CONC (1 % of the FOB value)",
    "Reko Diq export processing zone surcharge": "ExportDuties RD_CONC (0.5 %)",
    "Concentrate export levy": "scenarios CONC_LEVY_5/10/15 (ExportDuties); Uncertainties CONC_LEVY",
    "Copper concentrate TC/RC, 2024 annual benchmark": "SmelterTerms RD_CONC tc_usd_per_dmt; PayableMetals RD_CONC CU rc",
    "Copper concentrate TC/RC, 2025 annual benchmark": "scenario TCRC_2025 (SmelterTerms, PayableMetals)",
    "Copper concentrate TC/RC, 2026 annual benchmark": "scenario TCRC_2026 (SmelterTerms, PayableMetals)",
    "Copper concentrate spot TC index, record low": "scenario TCRC_SPOT (RC at TC/10, C)",
    "Payable copper in concentrate": "PayableMetals RD_CONC CU payable_share",
    "Payable gold in concentrate; gold refining charge": "PayableMetals RD_CONC AU payable_share, rc",
    "Gold, 2025 annual average": "MetalPrices AU",
    "Antimony trioxide, US, Q4 2025 average": "MetalPrices BUY_USA SB",
    "Antimony trioxide, China (Shanghai), Q4 2025 average": "MetalPrices BUY_CHINA SB",
    "Antimony regulus II and trioxide, cif Rotterdam": "MetalPrices BUY_EU SB (57,500)",
    "Concentrate sea freight Peru → Far East (spot, 11-22 kt lots)": "SeaFreight S-*-CHINA HANDYSIZE (U)",
    "Gwadar draft at the berths": "PortLimits GWADAR max_draft_m",
    "Gwadar maximum bulk carrier": "PortLimits GWADAR max_dwt_t",
    "Port Qasim PIBT berth depth; vessel size": "PortLimits PORT_QASIM",
    "Karachi Port approach channel; vessel size": "PortLimits KARACHI_PORT",
    "Nokkundi-Mashkhel road (part of R-11)": "Upgrades U-R11 capex_usd (C, at the IMF 2021 rate)",
}


def write_csv(path: str | Path) -> Path:
    """Write FIGURES to `path` (CSV, UTF-8, header first), `wired` as the instance now uses them."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows({**r, "wired": WIRED.get(r["figure"], r["wired"])} for r in FIGURES)
    return path
