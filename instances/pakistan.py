"""The real Pakistan instance: Reko Diq, Saindak, Duddar, antimony and chromite to the ports,
with the planned FWO-USSM poly-metallic refinery at one of four candidate sites.

Every figure comes from ``../shared/reference/pakistan_facts.md`` (the facts sheet), from a
public page found with the search tool (cited with its title and address), or is an assumption
stated here; `sources()` returns one row per figure or group of figures (table, row key,
columns, value, source, flag, note) for the workbook's Sources sheet. Flags: S = sourced,
C = computed from sourced figures, U = uncertain or approximate, A = assumption made for this
instance.

`records()` returns the schema tables as ``{table: [row dicts]}``, ready for
`supplyopt.io.memory.instance_from_records` or `supplyopt.io.template.write_template`.

Conventions of this instance
- Money in constant 2025 USD; prices are 2025 prices held flat (real terms), discounted at
  10 %/yr to 2026. Masses in tonnes (gold doré in tonnes of contained gold).
- Products are sold CIF to overseas buyers (China, the EU, the US) over sea legs, priced from
  metal prices and smelter terms (instances/pakistan_markets.py); royalties and the export
  surcharge are costs. Gold doré is sold at the ports.
- Road and rail are separate networks: a tonne changes mode only on a transfer link
  (Nokkundi, Quetta) that charges the transhipment cost, and enters a port by rail over a
  siding that charges unloading. Segment corridors carry no handling of their own.
- Road segment lengths: a sourced route length apportioned over its segments in proportion to
  the great-circle (GC) distances between the nodes' coordinates (C); where no route
  length is published, GC × 1.3 (the facts sheet's rule: road ≈ GC × 1.2-1.4; A).
- Security risk comes from the incident log (facts Sheet 6) by the formulas of the "Security
  risk" section below, one Sources row per corridor and node: the base prices security cost and
  expected cargo loss; escorted convoys (integer, slow to solve) and the two-stage disruption
  model are scenarios, like every other named case (instances/pakistan_scenarios.py).
"""

from __future__ import annotations

import copy
import functools
import math
from math import asin, cos, radians, sin, sqrt
from types import SimpleNamespace
from typing import Any

Records = dict[str, list[dict[str, Any]]]

FACTS = "pakistan_facts.md"
YEAR0 = 2026  # first year of the horizon and base year of discounting
LAST_YEAR = 2050  # Reko Diq's life is 37 years: a horizon to 2050 keeps end effects small

# Planning periods: annual while the chain is being built (2026-2030), then 5-year blocks.
# Reko Diq Phase 2 (2034) falls inside 2031-35; its output there is the average of the years.
PERIODS: tuple[tuple[str, int, int], ...] = (
    ("2026", 2026, 1),
    ("2027", 2027, 1),
    ("2028", 2028, 1),
    ("2029", 2029, 1),
    ("2030", 2030, 1),
    ("2031-35", 2031, 5),
    ("2036-40", 2036, 5),
    ("2041-45", 2041, 5),
    ("2046-50", 2046, 5),
)

# --------------------------------------------------------------------------------------------
# Prices and conversion factors (2025)
# --------------------------------------------------------------------------------------------
OZ_PER_T = 32_150.75  # troy ounces per tonne
LB_PER_T = 2_204.62
CU_PRICE = round((9_336 + 9_508 + 9_814 + 11_138) / 4)  # 2025 average of the LME quarterly averages: 9,949 USD/t
AU_PRICE_OZ = 3_435.0  # USD/oz, 2025 annual average (BullionVault 31 Dec 2025; World Bank 3,442)
SB_PRICE = 58_339.0  # USD/t antimony trioxide, US Q4 2025 average (ChemAnalyst); Rotterdam 57-61k (Argus, Jun 2025)
NDPR_PRICE = 86_000.0  # USD/t NdPr oxide: 605-608k CNY/t (31 Dec 2025) at 7 CNY/USD

# Copper-concentrate terms: the 2024 annual benchmark (Antofagasta/Freeport with Chinese smelters,
# Reuters 1 Dec 2023), held as the long-run level. 2025 was 21.25 USD/t and 2.125 c/lb, 2026 zero,
# spot below zero: the TCRC_* scenarios (instances/pakistan_scenarios.py) price those.
CU_TC = 80.0  # USD/dmt
CU_RC = 0.08  # USD/lb payable Cu
TCRC_TERMS = {  # (TC USD/dmt, RC USD/lb): sourced benchmark and spot terms
    "2024": (80.0, 0.08),
    "2025": (21.25, 0.02125),
    "2026": (0.0, 0.0),
    "SPOT": (-5.0, -0.005),  # Fastmarkets weekly TC index record low $(5.00), 21 Jun 2024; RC at the TC/10 convention (C)
}
CU_PAYABLE = 0.965
AU_PAYABLE_CONC = 0.97  # gold payable in a ~10 g/t copper concentrate
AU_RC_OZ = 5.0  # USD/oz payable gold
SB_CONC_GRADE = 0.50  # Sb content of antimony concentrate
# Sb paid in concentrate: Hunan 50 % concentrate 149,000 CNY per metal t against 1# ingot 172,500 (100ppi, 23 Sep 2025)
SB_CONC_PAYABLE = round(149_000 / 172_500, 4)  # 0.8638 of the metal price

# Reko Diq (S: the minister's written answer to the National Assembly, Business Recorder 16 May 2025):
# Phase 1 from 2028 targets 200 kt Cu + 300 koz Au a year, Phase 2 from 2034 400 kt Cu + 500 koz Au.
# Concentrate tonnage is not published: the grade is the Barrick 2025 FS ratio 240 kt Cu in ~0.9 Mt
# concentrate (facts M1 and Sheet 4, C/U). 45 Mt/yr ore × 0.48 % reserve Cu (Dawn, 7 Feb 2025) × ~90 %
# recovery ≈ 194 kt Cu: consistent with the 200 kt target.
RD_PH1_CU_T = 200_000  # t Cu/yr, Phase 1
RD_PH1_AU_OZ = 300_000  # oz Au/yr, Phase 1
RD_PH2_CU_T = 400_000  # t Cu/yr, Phase 2 (2034)
RD_PH2_AU_OZ = 500_000  # oz Au/yr, Phase 2 (not modelled apart: one concentrate at the Phase 1 grades)
RD_CU_GRADE = 240_000 / 900_000  # 0.2667: Barrick FS copper per tonne of concentrate
RD_PH1_CONC_T = round(RD_PH1_CU_T / RD_CU_GRADE, -3)  # 750,000 t concentrate/yr
RD_AU_GPT = RD_PH1_AU_OZ / OZ_PER_T * 1e6 / RD_PH1_CONC_T  # g/t Au in concentrate, ≈12.4
RD_PH2_CONC_T = round(RD_PH2_CU_T / RD_CU_GRADE, -3)  # 1.5 Mt/yr at the Phase 1 grade
RD_CASH_C_LB = 140.0  # 2010 Tethyan FS cash cost before by-product credits, c/lb Cu (Northern Miner)

# Smelter recoveries (A)
PKR_PER_USD_2021 = 162.91  # IMF official rate, 2021 period average (IndexMundi)
# Copper smelting and refining costs: Wood Mackenzie's public summary of its cost survey (Q2 2025).
SMELT_DCC_C_LB, REFINE_DCC_C_LB = 19.3, 4.7
WOODMAC = (
    "Wood Mackenzie, 'Global copper smelter and refinery cost summary' (Q2 2025 update) "
    "(https://www.woodmac.com/reports/metals-global-copper-smelter-and-refinery-cost-summary-15732247/)"
)
# Rare-earth separation (placeholder recipe, no REE mined in the base): generic published figures, see the Recipes row.
REE_TREO, REE_NDPR_SHARE, REE_RECOVERY, REE_SEP_USD_KG = 0.60, 0.157, 0.65, 12.91
REE_CONC_USD_T_REO = 4_183.0  # MP Materials' realised REO concentrate price, Q2 2024 (Metalnomist)
MAX_MODULES = 34  # a site's module ceiling: Manyar's 1.7 Mt/yr concentrate ÷ 50 kt/yr modules
MAINT_SHARE = 0.06  # refinery maintenance and repairs a year, share of fixed capital (Peters & Timmerhaus)
CU_RECOVERY = 0.975
AU_RECOVERY = 0.98
SB_RECOVERY = 0.92
DORE_PAYABLE = 0.995  # doré sold at 99.5 % of contained gold value

# Saindak blister (design: 15,800 t/yr blister with 1.46 t Au)
SAINDAK_AU_GPT = 1.46e6 / 15_800  # g Au per t blister, ≈92.4
BLISTER_CU = 0.985  # Cu content of blister, A
BLISTER_RC = 116.0  # USD/t blister, 2024 CIF China benchmark (SMM; 2025: 95), the year CU_TC is held at
# Blister payables: customary Cu 99 % / Au 95 % scaled so that a tonne of blister nets what 20 years of
# Saindak exports realised (Bol News: 2,557 M USD for 278.8 kt) at 2004-22 average prices (IMF copper,
# LBMA gold). MCC's offtake terms are not public; this is the only calibration the press figures allow.
SAINDAK_REALISED_USD_T = 2_557e6 / 278.8e3
CU_AVG_2004_22_USD_T, AU_AVG_2004_22_USD_OZ = 6_550.1, 1_202.56
BLISTER_PAYABLE_SCALE = (SAINDAK_REALISED_USD_T + BLISTER_RC) / (
    0.99 * BLISTER_CU * CU_AVG_2004_22_USD_T + 0.95 * SAINDAK_AU_GPT * OZ_PER_T / 1e6 * AU_AVG_2004_22_USD_OZ
)  # ≈ 0.950
BLISTER_CU_PAYABLE = round(0.99 * BLISTER_PAYABLE_SCALE, 4)  # ≈ 94.0 %
BLISTER_AU_PAYABLE = round(0.95 * BLISTER_PAYABLE_SCALE, 4)  # ≈ 90.2 %
# Saindak's 2021 cash cost (Mines row): MRDL's 2021 profit and output (Energy Update), 2021 prices (Barrick Annual Report 2021).
SAINDAK_PROFIT_2021, SAINDAK_T_2021 = 74.71e6, 16_426.0
CU_2021_USD_LB, AU_2021_USD_OZ = 4.23, 1_799.0

# Transport (facts sheet Sheet 3c)
TRUCK_USD_TKM = 0.042  # headhaul, Karachi-Lahore container rates, Jul 2025
RAIL_USD_TKM = round(TRUCK_USD_TKM * (1 - 0.43), 4)  # "rail cuts line-haul cost up to 43 %": 0.0239
# Truck -> rail transfer of a loaded 20' container, and loading one at a mine siding: CONCOR ICD Malanpur public
# tariff from 1 Apr 2019, Rs 4,725 per 20' for the factory-stuffed export cycle (trailer -> stack -> rail wagon),
# at the IMF 2019 average 70.42 INR/USD, over the ~25 t a container carries in the road rate (Modes): 2.7 USD/t.
INR_PER_USD_2019, CONCOR_20FT_INR, CONTAINER_T = 70.42, 4_725.0, 25.0
TRANSFER_USD_T = round(CONCOR_20FT_INR / INR_PER_USD_2019 / CONTAINER_T, 1)
RAIL_LOAD_USD_T = TRANSFER_USD_T
# Unloading a container off a wagon at the port: one loaded lift, Rs 570 per 20' (CONCOR ICD Sabarmati tariff, 2006)
# at the IMF 2006 average 45.31 INR/USD, over 25 t: 0.5 USD/t (2006 rupees, not inflated).
INR_PER_USD_2006, CONCOR_LIFT_INR = 45.31, 570.0
RAIL_UNLOAD_USD_T = round(CONCOR_LIFT_INR / INR_PER_USD_2006 / CONTAINER_T, 1)
WAGON_NET_T = 50.0  # C: 4 axles × 17.27 t axle load (ML-4) = 69 t gross, less ~19 t tare (U)
TRAIN_WAGONS = 20
RAIL_BASE_TPY = 2 * TRAIN_WAGONS * WAGON_NET_T * 365  # 2 trains/day: 730,000 t/yr
RAIL_FULL_TPY = 5 * TRAIN_WAGONS * WAGON_NET_T * 365  # 5 trains/day: 1,825,000 t/yr
ROAD_CAP_TPY = 2_000_000.0  # mineral trucking per road segment, A (~220 loaded 25-t trucks/day)
PKR_PER_USD = 280.0  # the facts sheet's conversion (unverified)
ML3_UPGRADE_USD = 390e6  # RDMC bridge finance for ML-3 Nokkundi-Rohri (Business Recorder, 29 Sep 2025)
PKR_PER_USD_2006, PKR_PER_USD_2017 = 60.27, 105.46  # IMF official rates, period averages (IndexMundi)
RAIL_NEW_USD_KM = 70.63e9 / 961 / PKR_PER_USD_2006  # Gwadar-Mastung new line, Rs 70.63 bn for 961 km (2006): 1.22 M USD/km
RAIL_REHAB_USD_KM = 7_735e6 / 183 / PKR_PER_USD_2021  # Samasata-Bahawalnagar, disused line relaid: Rs 7,735 M for 183 km (2021)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def gc_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(radians, (*a, *b))
    h = sin((la2 - la1) / 2) ** 2 + cos(la1) * cos(la2) * sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h))


def period_years(period: str) -> range:
    for name, start, length in PERIODS:
        if name == period:
            return range(start, start + length)
    raise KeyError(period)


def period_average(schedule) -> dict[str, float]:
    """{period: average over its years of schedule(year)} (annual rates held through a period)."""
    return {name: sum(schedule(y) for y in period_years(name)) / length for name, _s, length in PERIODS}


class _Book:
    """Collects records and their Sources rows side by side."""

    def __init__(self) -> None:
        self.tables: Records = {}
        self.sources: list[dict[str, Any]] = []

    def row(self, table: str, rec: dict[str, Any]) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(rec)
        return rec

    def src(self, table: str, key: str, columns: str, value: Any, flag: str, source: str, note: str = "") -> None:
        assert flag in ("S", "C", "U", "A"), flag
        if isinstance(value, float):
            value = round(value, 6) if abs(value) < 1 else round(value, 2)
        self.sources.append({"table": table, "row_key": key, "columns": columns, "value": value, "source": source, "flag": flag, "note": note})


# --------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------
# node: (name, kind, lat, lon, region, coordinate flag, coordinate source)
NODES: dict[str, tuple[str, str, float, float, str, str, str]] = {
    # mines
    "REKO_DIQ": ("Reko Diq (Cu-Au porphyry, Barrick/RDMC)", "mine", 29.130, 62.061, "Balochistan/Chagai", "S", "portergeo.com.au (mine 1333)"),
    "SAINDAK": ("Saindak (Cu-Au mine and blister smelter, MCC)", "mine", 29.249, 61.612, "Balochistan/Chagai", "S", "Wikipedia"),
    "DUDDAR": ("Duddar (Zn-Pb underground mine)", "mine", 26.0, 66.2, "Balochistan/Lasbela", "U", "estimated from '81 km NW of Winder'"),
    "QILA_ABDULLAH_SB": (
        "Qila Abdullah antimony",
        "mine",
        30.73456,
        66.65236,
        "Balochistan/Qila Abdullah",
        "C",
        "Qilla Abdullah railway station, in the town (Wikipedia 'Qilla Abdullah railway station', "
        "https://edgio-community-examples-entry.glb.edgio.link/wiki/Qilla_Abdullah_railway_station: '30°44′04″N 66°39′08″E / "
        "30.73456°N 66.65236°E', 'a railway station located in Qilla Abdullah town'): the antimony workings are placed at the town",
    ),
    "CHITRAL_SB": (
        "Chitral antimony (Krinj, Partsan, Awireth)",
        "mine",
        35.8461,
        71.7858,
        "KP/Chitral",
        "C",
        "Chitral town point (Simple English Wikipedia 'Chitral', https://simple.m.wikipedia.org/wiki/Chitral: '35°50′46″N 71°47′09″E / "
        "35.84611°N 71.78583°E'): the deposits (Gamerith 1990, 'Antimony, gold and polymetallic deposits of the Awireth-Krinj area') "
        "are placed at the town, where R-18's published 309 km starts",
    ),
    "MUSLIM_BAGH": (
        "Muslim Bagh-Khanozai chromite",
        "mine",
        30.8167,
        67.7333,
        "Balochistan/Qila Saifullah",
        "C",
        "Muslim Bagh town point (Hubbry 'Muslim Bagh', https://www.hubbry.com/Muslim_Bagh: 'it lies at coordinates 30°49′N 67°44′E'; "
        "low-confidence page, an AI-written section): the chromite workings are placed at the town",
    ),
    "LOE_SHILMAN": ("Loe Shilman carbonatite (REE prospect, placeholder)", "mine", 34.1, 71.1, "KP/Khyber", "U", "facts sheet M11"),
    # refinery candidate sites
    "REF_PORT_QASIM": (
        "Refinery candidate: Port Qasim industrial zone",
        "refinery",
        24.767,
        67.333,
        "Sindh/Karachi",
        "S",
        "piglix/Port Qasim (port coordinates)",
    ),
    "REF_GWADAR": ("Refinery candidate: Gwadar (free zone)", "refinery", 25.123, 62.320, "Balochistan/Gwadar", "S", "DLCA (port coordinates)"),
    "REF_PASNI": (
        "Refinery candidate: Pasni (with proposed port)",
        "refinery",
        25.2652,
        63.4698,
        "Balochistan/Gwadar",
        "C",
        "Pasni town point (Wikipedia 'Pasni (city)', the-uncensored-wiki.com 2017 mirror: 25.265222 N, 63.4698194 E): the candidate site is at the town",
    ),
    "REF_NOKKUNDI": (
        "Refinery candidate: Nokkundi mine-mouth (ML-4 railhead)",
        "refinery",
        28.8333,
        62.75,
        "Balochistan/Chagai",
        "C",
        "Nok Kundi town point (de.wikipedia: 28° 50′ N, 62° 45′ E): the candidate site is at the town",
    ),
    # ports
    "PORT_QASIM": ("Port Qasim (PIBT dirty-bulk terminal)", "port", 24.767, 67.333, "Sindh/Karachi", "S", "piglix/Port Qasim"),
    "KARACHI_PORT": (
        "Karachi Port (KPT)",
        "port",
        24.835,
        66.982,
        "Sindh/Karachi",
        "S",
        "Wikipedia 'Port of Karachi' (detailedpedia.com mirror): 24°50′06″N 66°58′55″E",
    ),
    "GWADAR": ("Gwadar Port", "port", 25.1225, 62.3202, "Balochistan/Gwadar", "S", "DLCA logcluster"),
    "PASNI": (
        "Pasni (proposed port)",
        "port",
        25.2652,
        63.4698,
        "Balochistan/Gwadar",
        "S",
        "Wikipedia 'Pasni (city)' (the-uncensored-wiki.com 2017 mirror): 25.265222 N, 63.4698194 E",
    ),
    # road junctions and towns (facts sheet Sheet 1, row J)
    "KARACHI": ("Karachi (N-25/N-10/N-5 road hub)", "hub", 24.86, 67.01, "Sindh/Karachi", "S", "Wikipedia 'Karachi' (sco.wikipedia.org): 24°51′36″N 67°0′36″E"),
    "QUETTA": (
        "Quetta (N-25/N-40 junction; stands in for Lakpass)",
        "hub",
        30.183,
        67.0,
        "Balochistan/Quetta",
        "S",
        "Wikipedia 'Quetta' (wiki.richxsearch.com mirror): 30°11′N 67°00′E",
    ),
    "NUSHKI": ("Nushki", "hub", 29.5556, 66.0217, "Balochistan/Nushki", "S", "Wikipedia 'Nushki' (de.wikial.top, translated): 29°33′20″N 66°1′18″E"),
    "DALBANDIN": ("Dalbandin", "hub", 28.89, 64.41, "Balochistan/Chagai", "S", "Wikipedia (de, wikipedia.ddns.net mirror): 28° 53′ N, 64° 25′ E"),
    "NOKKUNDI": ("Nokkundi", "hub", 28.8333, 62.75, "Balochistan/Chagai", "S", "Wikipedia 'Nok Kundi' (de.m.wikipedia.org): 28° 50′ N, 62° 45′ E"),
    "TAFTAN": (
        "Taftan (Koh-i-Taftan)",
        "hub",
        28.948,
        61.5844,
        "Balochistan/Chagai",
        "S",
        "Wikipedia 'Taftan, Balochistan' (friendlywiki.com wikitext): coord 28.948, 61.5844",
    ),
    "KALAT": ("Kalat", "hub", 29.0333, 66.5833, "Balochistan/Kalat", "S", "1911 Encyclopaedia Britannica 'Kalat' (en.m.wikisource.org): 29° 2′ N, 66° 35′ E"),
    "SURAB": ("Surab", "hub", 28.4925, 66.2597, "Balochistan/Surab", "S", "Wikipedia 'Surab, Pakistan' (friendlywiki.com wikitext): 28°29′33″N 66°15′35″E"),
    "KHUZDAR": ("Khuzdar", "hub", 27.81, 66.61, "Balochistan/Khuzdar", "S", "Wikipedia (de.wiki.li mirror): 27° 48′ N, 66° 37′ E"),
    "BELA": ("Bela", "hub", 26.2267, 66.3113, "Balochistan/Lasbela", "S", "Wikipedia 'Bela, Pakistan' (en-wikipedia IPFS mirror): 26.2267 N, 66.3113 E"),
    "BASIMA": ("Basima", "hub", 27.91, 65.87, "Balochistan/Washuk", "U", "facts sheet J"),
    "KHARAN": ("Kharan", "hub", 28.5833, 65.4167, "Balochistan/Kharan", "S", "Wikipedia 'Kharan (Pakistan)' (de.wiki.li mirror): 28° 35′ N, 65° 25′ E"),
    "PANJGUR": ("Panjgur", "hub", 26.97, 64.10, "Balochistan/Panjgur", "S", "Wikipedia (the-uncensored-wiki.com mirror, 2015): 26° 58′ N, 64° 06′ E"),
    "HOSHAB": ("Hoshab", "hub", 26.02, 63.89, "Balochistan/Kech", "U", "facts sheet J"),
    "TURBAT": ("Turbat", "hub", 26.00, 63.05, "Balochistan/Kech", "S", "Wikipedia (the-uncensored-wiki.com mirror, 2017): 26° 0′ 15″ N, 63° 3′ 38″ E"),
    "NOWSHERA": (
        "Nowshera (N-45/N-5 junction)",
        "hub",
        34.0153,
        71.9747,
        "KP/Nowshera",
        "S",
        "Wikipedia 'Nowshera, Khyber Pakhtunkhwa' (en.wikipedia.org): 34°0'55N 71°58'29E",
    ),
    # rail stations and junctions (separate nodes: a change of mode costs a transfer)
    "REKO_DIQ_RS": ("Reko Diq siding (planned rail loading)", "hub", 29.130, 62.061, "Balochistan/Chagai", "S", "mine coordinates"),
    "TAFTAN_RS": (
        "Koh-i-Taftan station (ML-4 km 612)",
        "hub",
        28.948,
        61.5844,
        "Balochistan/Chagai",
        "C",
        "Taftan town point (Wikipedia, friendlywiki.com): the station is in the town",
    ),
    "NOKKUNDI_RS": (
        "Nokkundi station (ML-4 km 488)",
        "hub",
        28.8333,
        62.75,
        "Balochistan/Chagai",
        "C",
        "Nok Kundi town point (de.wikipedia): the station is in the town",
    ),
    "DALBANDIN_RS": (
        "Dalbandin station (ML-4 km 318)",
        "hub",
        28.89,
        64.41,
        "Balochistan/Chagai",
        "C",
        "Dalbandin town coordinates (Wikipedia): the station lies in the town",
    ),
    "NUSHKI_RS": (
        "Nushki station (ML-4 km 133)",
        "hub",
        29.5556,
        66.0217,
        "Balochistan/Nushki",
        "C",
        "Nushki town point (Wikipedia, de.wikial.top): the station is in the town",
    ),
    "SPEZAND_RS": (
        "Spezand junction (ML-4 km 0, ML-3)",
        "hub",
        29.9175,
        66.9876,
        "Balochistan/Mastung",
        "U",
        "GeoNames 13559002 'Spezand' (an abandoned airfield of that name, https://www.geonames.org/13559002); the station is ~25 km from Quetta (devdiscourse)",
    ),
    "QUETTA_RS": (
        "Quetta station",
        "hub",
        30.183,
        67.0,
        "Balochistan/Quetta",
        "C",
        "Quetta city point (Wikipedia, wiki.richxsearch.com): the station is in the city",
    ),
    "SIBI_RS": (
        "Sibi junction (ML-3)",
        "hub",
        29.55,
        67.883,
        "Balochistan/Sibi",
        "C",
        "Sibi town point (Wikipedia 'Sibi', talk.dob.jp mirror: 29°33′N 67°53′E): the junction is in the town",
    ),
    "ROHRI_RS": (
        "Rohri junction (ML-1/ML-3)",
        "hub",
        27.6831,
        68.9,
        "Sindh/Sukkur",
        "C",
        "Rohri city point (Wikipedia 'Rohri', en.m.wikipedia.org via rp.liu233w.com: 27°40′59″N 68°54′00″E): the junction is in the city",
    ),
    "BIN_QASIM_RS": ("Bin Qasim station (ML-1 km 43)", "hub", 24.85, 67.30, "Sindh/Karachi", "A", "near Port Qasim, not in the facts sheet"),
    "KARACHI_RS": (
        "Kiamari railhead (Karachi; ML-1 km 0)",
        "hub",
        24.835,
        66.982,
        "Sindh/Karachi",
        "C",
        "placed at the Port of Karachi point (Wikipedia, detailedpedia.com: 24°50′06″N 66°58′55″E): 'Kiamari is the landing-place for "
        "passengers and goods ... Kiamari is a station on the North-Western Railway' (Imperial Gazetteer 1908, "
        "http://www.indpaedia.com/ind/index.php/Kiamari)",
    ),
}


def _xy(node: str) -> tuple[float, float]:
    return NODES[node][2], NODES[node][3]


def _gc(a: str, b: str) -> float:
    return gc_km(_xy(a), _xy(b))


# --------------------------------------------------------------------------------------------
# Corridors
# --------------------------------------------------------------------------------------------
# A route with a published length: segments get that length in proportion to their GC distance.
# (code prefix, name, sourced length km, source, [(code, from, to)...])
ROAD_ROUTES = (
    (
        "R-02",
        "N-40 Taftan-Nokkundi-Dalbandin-Nushki-Lakpass(Quetta)",
        610.0,
        "facts 3a R-02: N-40 Lakpass-Nushki-Dalbandin-Nokkundi-Taftan 610 km (NHA list, scribd)",
        [("R-02a", "TAFTAN", "NOKKUNDI"), ("R-02b", "NOKKUNDI", "DALBANDIN"), ("R-02c", "DALBANDIN", "NUSHKI"), ("R-02d", "NUSHKI", "QUETTA")],
    ),
    (
        "R-04",
        "N-25 Quetta-Kalat-Surab",
        235.0,
        "facts 3a R-04: Surab-Quetta 235 km (CPEC)",
        [("R-04a", "QUETTA", "KALAT"), ("R-04b", "KALAT", "SURAB")],
    ),
    (
        "R-04",
        "N-25 Surab-Khuzdar-Bela-Karachi",
        813.0 - 235.0 - 120.0,
        "facts 3a R-04: N-25 Karachi-Chaman 813 km (NHA) less Surab-Quetta 235 (CPEC) less Quetta-Chaman ≈120 (A)",
        [("R-04c", "SURAB", "KHUZDAR"), ("R-04d", "KHUZDAR", "BELA"), ("R-04e", "BELA", "KARACHI")],
    ),
    (
        "R-05",
        "N-85 Surab-Basima-Nag-Panjgur-Hoshab",
        449.0,
        "facts 3a R-05: 449 km (CPEC; FWO 448, NHA list 487), Daily Times 2021",
        [("R-05a", "SURAB", "BASIMA"), ("R-05b", "BASIMA", "PANJGUR"), ("R-05c", "PANJGUR", "HOSHAB")],
    ),
    (
        "R-06",
        "M-8 Hoshab-Turbat-Gwadar",
        193.0,
        "facts 3a R-06: 193 km (Daily Times 2021)",
        [("R-06a", "HOSHAB", "TURBAT"), ("R-06b", "TURBAT", "GWADAR")],
    ),
    (
        "R-08",
        "N-10 Makran Coastal Karachi-Ormara-Pasni-Gwadar",
        653.0,
        "facts 3a R-08: 653 km (Wikipedia)",
        [("R-08a", "KARACHI", "PASNI"), ("R-08b", "PASNI", "GWADAR")],
    ),
)

# Single road corridors: (code, name, from, to, km, flag, source)
ROADS = (
    ("R-03", "R-03 Saindak-Taftan", "SAINDAK", "TAFTAN", 35.0, "S", "facts 3a R-03: 35 km (saindak.com.pk)"),
    ("R-09", "R-09 N-30 Basima-Khuzdar", "BASIMA", "KHUZDAR", 108.0, "C", "facts 3a R-09: 106-110 km (CPEC; NHA list), midpoint"),
    (
        "R-10",
        "R-10 Yakmach-Kharan Chagai-Karachi shortcut (Dalbandin stands in for Yakmach; planned)",
        "DALBANDIN",
        "KHARAN",
        200.0,
        "S",
        "The Nation, 8 Sep 2017, 'NHA okays construction of Yakmach-Kharan road's 2 sections': 'The 200 km long project is divided into four "
        "packages' (http://nation.com.pk/business/08-Sep-2017/nha-okays-construction-of-yakmach-kharan-road-s-2-sections); Pakistan Observer, "
        "7 Apr 2018: '200 km long Yakmach-Kharan section' (https://pakobserver.net/pm-to-open-important-projects-in-balochistan/). "
        "UrduPoint/APP 2020 says '264 kilometres road'; Dalbandin stands in for Yakmach (between Dalbandin and Nokkundi)",
    ),
    (
        "R-11",
        "R-11 Nokkundi-Mashkhel-Panjgur (N-40 to N-85/M-8; SPECULATIVE: Mashkhel-Panjgur is a design only)",
        "NOKKUNDI",
        "PANJGUR",
        303.0,
        "S",
        "Business Recorder 20 May 2021: Mashkel-Naukundi road groundbreaking, 103 km, Rs 7 bn, 2 years "
        "(https://www.brecorder.com/news/40093766/pm-khan-to-lay-foundation-of-mashkel-to-naukundi-road-project); Nawa-i-Waqt 24 May 2021: "
        "detailed design of the 200 km Mashkhel-Panjgur road under preparation",
    ),
    ("R-12", "R-12 Duddar-Karachi via Winder/N-25", "DUDDAR", "KARACHI", 200.0, "S", "facts 3a R-12: ~200 km (Wikipedia)"),
    ("R-18", "R-18 N-45 Chitral-Nowshera", "CHITRAL_SB", "NOWSHERA", 309.0, "S", "facts 3a R-18: 309 km (NHA list)"),
    (
        "R-13",
        "R-13 N-50 Muslim Bagh-Kuchlak-Quetta",
        "MUSLIM_BAGH",
        "QUETTA",
        121.0,
        "S",
        "beautifulplaces.pk, 'Muslim Bagh': 'Muslim bagh is 121 km away from Quetta' "
        "(https://beautifulplaces.pk/about-muslim-bagh-balochistan-history-muslim-bagh); GC 99.5 km, so 1.22 × GC",
    ),
    (
        "R-16",
        "R-16 N-5 Nowshera-Karachi",
        "NOWSHERA",
        "KARACHI",
        1_819.0 - 107.0,
        "C",
        "facts 3a R-16: N-5 Karachi-Torkham 1,819 km (NHA) less Nowshera-Torkham ≈107 km (GC 82 × 1.3, A)",
    ),
)

# Roads without a published length: GC × ROAD_FACTOR, a published national circuity factor (C where
# both ends' coordinates are sourced, else U). (code, name, from, to)
ROAD_FACTOR = 1.26
ROAD_FACTOR_SOURCE = (
    "Kim, Shin, Lee & Suh (2015), 'Calculation of Regional Circuity Factors using Road Network Distance in South Korea', J. Korean Soc. "
    "Agric. Eng. 57(4): 'The national circuity factor of South Korea is 1.26 which is higher than USA and smaller than Japan or EU' "
    "(http://grec.snu.ac.kr/publications/); a generic figure: this model's sourced Balochistan highways run 1.04-1.51 × GC"
)
ROADS_GC = (
    ("R-01", "R-01 Reko Diq-Nokkundi mine road (to N-40)", "REKO_DIQ", "NOKKUNDI"),
    ("R-04f", "R-04 N-25 Qila Abdullah-Quetta (Quetta-Chaman section)", "QILA_ABDULLAH_SB", "QUETTA"),
    ("R-10b", "Kharan-Basima road (links R-10 to N-85/N-30)", "KHARAN", "BASIMA"),
    ("A-PT", "Pasni-Turbat road", "PASNI", "TURBAT"),
    ("A-LS", "Loe Shilman-Nowshera access (Khyber)", "LOE_SHILMAN", "NOWSHERA"),
    ("K-PQ", "Karachi-Port Qasim road", "KARACHI", "PORT_QASIM"),
    ("K-KPT", "Karachi-Karachi Port (Kiamari) road", "KARACHI", "KARACHI_PORT"),
)
GC_NOTES = {
    "R-01": "; replaces ~70 km, a straight-line statement ('70 kilometres north-west of Naukundi', http://www.raafay-awan.blogspot.com/2015/02/reko-diq-pakistan.html) shorter than the GC",
    "R-04f": "; Qila Abdullah point: its railway station (Wikipedia). Check: Express, 9 Dec 2025 (https://www.express.pk/story/2790504/balochistan-development-2790504): "
    "N-25 'کچلاک تا قلعہ عبداللہ 62 کلومیٹر' (Kuchlak to Qila Abdullah 62 km), Quetta-Kuchlak not found",
    "R-10b": "; U: Basima point unsourced",
    "A-LS": "; U: Loe Shilman point unsourced",
}

# Links that only carry cargo away from a mine or into a port (so no mine or port siding can
# serve as a free transfer point between other corridors).
ONE_WAY = frozenset({"R-01", "R-03", "R-04f", "R-12", "R-13", "R-18", "A-LS", "X-RD", "L-07", "P-PQ", "P-KPT", "K-PQ", "K-KPT"})

# Rail corridors: (code, name, from, to, km, flag, source)
RAILS = (
    ("L-01", "L-01 Reko Diq-Nokkundi rail branch (planned)", "REKO_DIQ_RS", "NOKKUNDI_RS", 75.0, "C", "facts 3b L-01: ~70-75 km (C from GC 75)"),
    ("L-07", "L-07 Saindak-Koh-i-Taftan spur (disused since ~2010)", "SAINDAK", "TAFTAN_RS", 30.0, "S", "facts 3b L-07: 30 km (Wikipedia)"),
    ("L-02a", "L-02 ML-4 Koh-i-Taftan-Nokkundi", "TAFTAN_RS", "NOKKUNDI_RS", 612.0 - 488.0, "C", "facts 3b L-02 chainage: Taftan 612, Nokkundi 488"),
    ("L-02b", "L-02 ML-4 Nokkundi-Dalbandin", "NOKKUNDI_RS", "DALBANDIN_RS", 488.0 - 318.0, "C", "facts 3b L-02 chainage: Nokkundi 488, Dalbandin 318"),
    ("L-02c", "L-02 ML-4 Dalbandin-Nushki", "DALBANDIN_RS", "NUSHKI_RS", 318.0 - 133.0, "C", "facts 3b L-02 chainage: Dalbandin 318, Nushki 133"),
    ("L-02d", "L-02 ML-4 Nushki-Spezand", "NUSHKI_RS", "SPEZAND_RS", 133.0, "C", "facts 3b L-02 chainage: Nushki 133, Spezand 0"),
    ("L-02e", "L-02 Quetta-Spezand", "QUETTA_RS", "SPEZAND_RS", 25.0, "S", "facts 3b L-02: Quetta-Spezand ≈25 km"),
    # Rohri-Spezand = Rohri-Nokkundi 884 − Spezand-Nokkundi 488 = 396 km, split Sibi by GC.
    (
        "L-03a",
        "L-03 ML-3 Spezand-Bolan-Sibi",
        "SPEZAND_RS",
        "SIBI_RS",
        None,
        "C",
        "facts 3b L-03: Rohri-Nokkundi 884 km less ML-4 488 = 396, split at Sibi by GC",
    ),
    ("L-03b", "L-03 ML-3 Sibi-Rohri", "SIBI_RS", "ROHRI_RS", None, "C", "facts 3b L-03: Rohri-Nokkundi 884 km less ML-4 488 = 396, split at Sibi by GC"),
    ("L-05a", "L-05 ML-1 Rohri-Bin Qasim", "ROHRI_RS", "BIN_QASIM_RS", 480.0 - 43.0, "C", "facts 3b L-05: Karachi-Rohri 480 km, Bin Qasim at km 43"),
    ("L-05b", "L-05 ML-1 Bin Qasim-Karachi (Kiamari)", "BIN_QASIM_RS", "KARACHI_RS", 43.0, "S", "facts 3b L-05: Bin Qasim station at km 43"),
)


# --------------------------------------------------------------------------------------------
# Building the tables
# --------------------------------------------------------------------------------------------


def _settings(b: _Book) -> None:
    b.row("Settings", {"name": "objective", "value": "npv"})
    b.row("Settings", {"name": "discount_rate", "value": 0.10})
    b.row("Settings", {"name": "base_year", "value": YEAR0})
    b.row("Settings", {"name": "currency_note", "value": "constant 2025 USD; 2025 prices held flat"})
    b.row("Settings", {"name": "expected_loss", "value": "yes"})
    b.row("Settings", {"name": "escorts", "value": "yes"})
    b.row("Settings", {"name": "disruptions", "value": "no"})
    b.src(
        "Settings",
        "expected_loss",
        "value",
        "yes",
        "A",
        "modelling choice",
        "expected cargo loss (CorridorRisk/NodeRisk incident probability × cargo value) is a cost",
    )
    b.src(
        "Settings",
        "escorts",
        "value",
        "yes",
        "A",
        "modelling choice",
        "trucks on the high-risk Balochistan roads move in escorted convoys (integer convoys, escort cost, escort capacity: "
        "CorridorRisk and RiskLimits). On since the solver work of issue 15: HiGHS takes ~1.5 s with them against ~1.0 s "
        "without (it took ~10 s before; benchmarks/README); the NO_ESCORTS scenario turns them off",
    )
    b.src("Settings", "disruptions", "value", "no", "A", "modelling choice", "deterministic base; the TWO_STAGE scenarios solve over the Disruptions table")
    b.src(
        "Settings",
        "discount_rate",
        "value",
        0.10,
        "S",
        "Mining Momentum, 'Reko Diq' (https://miningmomentum.com/reko-diq): Barrick's feasibility study 'after-tax NPV8% of US$13,014 M'; "
        "the independent valuation 'pre-tax NPV10% of US$8,867 M'",
        "the pre-tax rate used for Reko Diq itself (this model is pre-tax); MiningDoc: 8-10 % or more in higher-risk jurisdictions",
    )
    b.src("Settings", "base_year", "value", YEAR0, "A", "money discounted to 2026")
    for name, start, length in PERIODS:
        b.row("Periods", {"period": name, "start_year": start, "length_years": length})
    b.src(
        "Periods",
        "all",
        "period, start_year, length_years",
        f"{PERIODS[0][0]}..{PERIODS[-1][0]}",
        "A",
        "assumption",
        "annual to 2030 while Reko Diq, the rail branch and the refinery are built; 5-year blocks to 2050 (Reko Diq life 37 yr, facts M1)",
    )


def _commodities(b: _Book, values: dict[str, float]) -> None:
    rows = (
        ("RD_CONC", f"Reko Diq Cu-Au concentrate ({RD_CU_GRADE:.1%} Cu, {RD_AU_GPT:.1f} g/t Au)", "concentrate"),
        ("CU_BLISTER", "Saindak blister copper (98.5 % Cu, ~92 g/t Au)", "refined"),
        ("CU_CATHODE", "Copper cathode (LME grade A)", "refined"),
        ("GOLD_DORE", "Gold doré, tonnes of contained gold", "refined"),
        ("ZNPB_CONC", "Duddar zinc and lead concentrates (bulk)", "concentrate"),
        ("CHROMITE", "Chromite ore/concentrate", "ore"),
        ("SB_CONC", "Antimony (stibnite) concentrate, 50 % Sb", "concentrate"),
        ("SB_METAL", "Antimony metal (regulus) / trioxide, t Sb", "refined"),
        ("REE_CONC", "REE (bastnäsite) concentrate (placeholder, no production)", "concentrate"),
        ("NDPR_OXIDE", "NdPr oxide (placeholder)", "refined"),
    )
    for code, name, kind in rows:
        b.row("Commodities", {"commodity": code, "name": name, "kind": kind, "cargo_value_usd_per_t": values[code]})
    b.src(
        "Commodities",
        "all",
        "cargo_value_usd_per_t",
        "CIF China price",
        "C",
        "MetalPrices, smelter terms and Markets rows (instances/pakistan_markets.py)",
        "value of a tonne in transit = its CIF price (antimony products: the US price)",
    )
    b.src(
        "Commodities", "W (tungsten)", "-", "not included", "U", "facts M12: no quantified deposit found (tdminews)", "tungsten left out of the base instance"
    )


def _duddar_conc() -> tuple[float, float]:
    """Zn and Pb concentrate t/yr from 500 kt/yr ore (8.6 % Zn, 3.2 % Pb; A: recoveries 85/80 %, grades 50/60 %)."""
    return 500_000 * 0.086 * 0.85 / 0.50, 500_000 * 0.032 * 0.80 / 0.60


def _nodes(b: _Book) -> None:
    for node, (name, kind, lat, lon, region, flag, source) in NODES.items():
        b.row("Nodes", {"node": node, "name": name, "kind": kind, "lat": lat, "lon": lon, "region": region})
        b.src("Nodes", node, "lat, lon", f"{lat}, {lon}", flag, source)


def _corridors(b: _Book) -> None:
    b.row("Modes", {"mode": "road", "cost_usd_per_tkm": TRUCK_USD_TKM, "handling_usd_per_t": 0.0})
    b.row("Modes", {"mode": "rail", "cost_usd_per_tkm": RAIL_USD_TKM, "handling_usd_per_t": 0.0})
    b.src(
        "Modes",
        "road",
        "cost_usd_per_tkm",
        TRUCK_USD_TKM,
        "C",
        "facts 3c: Karachi-Lahore container Rs 350,000 headhaul (Daily Pakistan 17 Jul 2025), ~1,200 km, ~25 t, ~280 PKR/USD",
        "headhaul rate: mineral trucks from Chagai return empty",
    )
    b.src(
        "Modes",
        "rail",
        "cost_usd_per_tkm",
        RAIL_USD_TKM,
        "C",
        "facts 3c: rail cuts line-haul cost up to 43 % (Ahmed et al. 2022)",
        "0.042 × (1 − 0.43); U: upper bound of the saving",
    )
    b.src(
        "Modes",
        "road, rail",
        "handling_usd_per_t",
        0.0,
        "A",
        "handling is charged on transfer links and sidings only",
        "segments carry no handling so a route is not charged per segment",
    )

    def add(code, name, a, z, mode, km, cap=None, handling=None):
        rec = {"corridor": code, "name": name, "from_node": a, "to_node": z, "mode": mode, "distance_km": round(km, 1)}
        if code in ONE_WAY:
            rec["bidirectional"] = False
        if cap is not None:
            rec["capacity_t_per_yr"] = cap
        if handling is not None:
            rec["handling_usd_per_t"] = handling
        b.row("Corridors", rec)

    for _prefix, route, total, source, segs in ROAD_ROUTES:
        gcs = [_gc(a, z) for _c, a, z in segs]
        for (code, a, z), g in zip(segs, gcs):
            km = total * g / sum(gcs)
            add(code, f"{route}: {NODES[a][0].split(' (')[0]}-{NODES[z][0].split(' (')[0]}", a, z, "road", km, ROAD_CAP_TPY)
            b.src("Corridors", code, "distance_km", round(km, 1), "C", source, f"route length × GC share ({g:.0f} of {sum(gcs):.0f} km GC)")
    for code, name, a, z, km, flag, source in ROADS:
        cap = 0.0 if code in ("R-10", "R-11") else ROAD_CAP_TPY
        add(code, name, a, z, "road", km, cap)
        b.src("Corridors", code, "distance_km", km, flag, source)
    for code, name, a, z in ROADS_GC:
        km = _gc(a, z) * ROAD_FACTOR
        add(code, name, a, z, "road", km, ROAD_CAP_TPY)
        flag = "C" if NODES[a][5] in "SC" and NODES[z][5] in "SC" else "U"
        b.src("Corridors", code, "distance_km", round(km, 1), flag, ROAD_FACTOR_SOURCE, f"GC {_gc(a, z):.1f} km × {ROAD_FACTOR}" + GC_NOTES.get(code, ""))
    b.src(
        "Corridors",
        "road segments",
        "capacity_t_per_yr",
        ROAD_CAP_TPY,
        "A",
        "assumption",
        "mineral trucking a single-carriageway segment can absorb (~220 loaded 25-t trucks/day) next to other traffic; a judgement: a "
        "two-lane road's physical capacity is far higher (KHCM 2013 basic capacity 1,700 pc/h one way, 3,200 both, as coded in KHCMinR "
        "capa_2l, https://rdrr.io/github/regenesis90/KHCMinR/src/R/capa_2l.R), and no published share for mineral trucks next to the "
        "segments' other traffic and convoys was found",
    )
    b.src(
        "Corridors",
        "R-10, R-11",
        "capacity_t_per_yr",
        0.0,
        "S",
        "facts 3a: R-10 proposal (Nation 2018); R-11: Nokkundi-Mashkhel (103 km) begun 2021, Mashkhel-Panjgur (200 km) a design (Nawa-i-Waqt 24 May 2021)",
        "not assumed built: capacity 0 + upgrade. R-11 is SPECULATIVE: no completion of either section found; the base plan's "
        "Gwadar route depends on it (NO_R11 scenario; `supplyopt breakeven` on its capacity)",
    )

    sibi = _gc("SPEZAND_RS", "SIBI_RS"), _gc("SIBI_RS", "ROHRI_RS")
    rohri_spezand = 884.0 - 488.0
    for code, name, a, z, km, flag, source in RAILS:
        if code == "L-03a":
            km = rohri_spezand * sibi[0] / sum(sibi)
        elif code == "L-03b":
            km = rohri_spezand * sibi[1] / sum(sibi)
        if code == "L-01":
            cap, handling = 0.0, None
        elif code == "L-07":
            cap, handling = 0.0, RAIL_LOAD_USD_T
        elif code.startswith("L-05"):
            cap, handling = RAIL_FULL_TPY, None
        else:
            cap, handling = RAIL_BASE_TPY, None
        add(code, name, a, z, "rail", km, cap, handling)
        b.src("Corridors", code, "distance_km", round(km, 1), flag, source)
    b.src(
        "Corridors",
        "L-02*, L-03*",
        "capacity_t_per_yr",
        RAIL_BASE_TPY,
        "C",
        "facts Sheet 4: RDMC rail plan 2 → 5 trains/day × 20 wagons (pakistantoday.org Mar 2024; Business Recorder Jan 2024)",
        f"2 trains/day × 20 wagons × {WAGON_NET_T:.0f} t net × 365 (net load C from 17.27 t axle load, U)",
    )
    b.src(
        "Corridors",
        "L-05a, L-05b",
        "capacity_t_per_yr",
        RAIL_FULL_TPY,
        "C",
        "RDMC rail plan: 'two trains of twenty wagons each per day, which will increase to five trains a day' via ML-3 and ML-1 to Port Qasim "
        "(Business Recorder, 'Co asked to share logistic requirements for Reko Diq project', https://brecorder.com/news/amp/40282556)",
        f"5 trains/day × 20 wagons × {WAGON_NET_T:.0f} t net × 365 (net load C, as on L-02*): the paths ML-1 gives this chain at full plan",
    )
    b.src(
        "Corridors",
        "L-01, L-07",
        "capacity_t_per_yr",
        0.0,
        "S",
        "facts 3b: L-01 planned (Business Recorder Jan 2024), L-07 disused since ~2010",
        "capacity 0 + upgrade",
    )

    # Mine loading sidings, transfers, port sidings and refinery links (short, with handling)
    links = (
        ("X-RD", "Reko Diq mine to its rail siding (loading)", "REKO_DIQ", "REKO_DIQ_RS", "rail", 1.0, RAIL_LOAD_USD_T),
        ("T-NOK", "Nokkundi truck-rail transfer", "NOKKUNDI", "NOKKUNDI_RS", "road", 2.0, TRANSFER_USD_T),
        ("T-QTA", "Quetta truck-rail transfer", "QUETTA", "QUETTA_RS", "road", 5.0, TRANSFER_USD_T),
        ("P-PQ", "Bin Qasim-Port Qasim (PIBT) rail siding (unloading)", "BIN_QASIM_RS", "PORT_QASIM", "rail", 10.0, RAIL_UNLOAD_USD_T),
        ("P-KPT", "Kiamari-Karachi Port rail siding (unloading)", "KARACHI_RS", "KARACHI_PORT", "rail", 3.0, RAIL_UNLOAD_USD_T),
        ("X-PQ", "Port Qasim refinery site to PIBT", "REF_PORT_QASIM", "PORT_QASIM", "road", 5.0, None),
        ("X-GW", "Gwadar refinery site (free zone) to Gwadar Port", "REF_GWADAR", "GWADAR", "road", 10.0, None),
        ("X-PS", "Pasni refinery site to Pasni port", "REF_PASNI", "PASNI", "road", 5.0, None),
        ("X-NK", "Nokkundi refinery site to Nokkundi (N-40)", "REF_NOKKUNDI", "NOKKUNDI", "road", 5.0, None),
        ("X-NKR", "Nokkundi refinery rail siding (loading)", "REF_NOKKUNDI", "NOKKUNDI_RS", "rail", 5.0, TRANSFER_USD_T),
    )
    for code, name, a, z, mode, km, handling in links:
        add(code, name, a, z, mode, km, None, handling)
    b.src(
        "Corridors", "X-*, T-*, P-*", "distance_km", "1-10", "A", "assumption", "short links: sidings, transfers and refinery-to-port roads; unlimited capacity"
    )
    b.src(
        "Corridors",
        ", ".join(sorted(ONE_WAY)),
        "bidirectional",
        "no",
        "A",
        "modelling choice",
        "mine access roads/sidings carry cargo out only, port links carry it in only; every other corridor both ways",
    )
    concor = (
        "CONCOR ICD Malanpur, 'Revised public tariff for EXIM/DSO containers w.e.f. 01.04.19' (https://ru.scribd.com/document/425527867/"
        "Revised-Public-Tariff-o-w-e-f-08-03-2019): 'Loading empty container from empty stack onto exporter's tailor, unloading loaded "
        "container in stack after return from factory, arranging Customs Examination & sealing of container, transferring loaded container "
        "to stack, and loading Custom sealed container on Rail Wagon/Road Trailer' Rs 4,725 per 20' (6,530 per 40'); IMF official rate 2019 "
        "average 70.42 INR/USD (IndexMundi, https://www.indexmundi.com/facts/india/indicator/PA.NUS.FCRF)"
    )
    arith = (
        f"Rs 4,725 / 70.42 = 67.1 USD per 20' container / {CONTAINER_T:.0f} t (the container load of the road rate, Modes) = "
        f"{TRANSFER_USD_T} USD/t: a generic Indian inland-terminal tariff applied to Pakistan; at a 20' box's 28.2 t maximum payload "
        "(freightutils, https://www.freightutils.com/containers) 2.4 USD/t. Was 5 (assumed)"
    )
    b.src("Corridors", "T-NOK, T-QTA", "handling_usd_per_t", TRANSFER_USD_T, "C", concor, "containerised concentrate lifted truck ↔ train: " + arith)
    b.src(
        "Corridors",
        "X-RD, L-07",
        "handling_usd_per_t",
        RAIL_LOAD_USD_T,
        "C",
        concor,
        "loading containers on trains at a mine siding, the same trailer → stack → wagon cycle as T-NOK: " + arith.replace("Was 5", "Was 2"),
    )
    b.src(
        "Corridors",
        "X-NKR",
        "handling_usd_per_t",
        TRANSFER_USD_T,
        "C",
        concor,
        "refinery siding charged like a truck-rail transfer (the same container cycle), so the site is no cheaper transfer point than T-NOK: " + arith,
    )
    b.src(
        "Corridors",
        "P-PQ, P-KPT",
        "handling_usd_per_t",
        RAIL_UNLOAD_USD_T,
        "C",
        "CONCOR, 'Tariff of Inland Container Depot Sabarmati' (last updated 06/11/2006; https://de.scribd.com/document/253137698/pic104): "
        "'Lift on/lift off loaded container from road vehicle to stack area/rail loading or vice-versa' Rs 570 per 20' (1,060 per 40'); "
        "IMF official rate 2006 average 45.31 INR/USD (IndexMundi, https://www.indexmundi.com/facts/india/indicator/PA.NUS.FCRF)",
        f"unloading trains at the port terminal, one lift per container (port handling is separate, in Ports): Rs 570 / 45.31 = 12.6 USD "
        f"/ {CONTAINER_T:.0f} t = {RAIL_UNLOAD_USD_T} USD/t; a generic Indian figure in 2006 rupees, not inflated, so a lower-end one. Was 3 (assumed)",
    )


def _upgrades(b: _Book) -> None:
    def up(code, etype, element, capex, cap, earliest, opex=0.0):
        b.row(
            "Upgrades",
            {
                "upgrade": code,
                "element_type": etype,
                "element": element,
                "capex_usd": round(capex, 0),
                "added_capacity_t_per_yr": cap,
                "fixed_opex_usd_per_yr": opex,
                "earliest_period": earliest,
            },
        )

    up("U-L01", "corridor", "L-01", 75 * RAIL_NEW_USD_KM, RAIL_FULL_TPY, "2028", 1.0e6)
    b.src(
        "Upgrades",
        "U-L01",
        "capex_usd, added_capacity, earliest_period",
        f"{75 * RAIL_NEW_USD_KM / 1e6:.1f} M USD, 1.825 Mt/yr, 2028",
        "C",
        "Business Recorder, 'Over Rs 70 billion Gwadar rail link feasibility finalised' (2006): Gwadar-Mastung new line, 'worth Rs 70.63 billion', "
        "'The 961-km route' (https://brecorder.com/news/3257756/over-rs-70-billion-gwadar-rail-link-feasibility-finalised-20060311396326); "
        f"IMF 2006 average {PKR_PER_USD_2006} PKR/USD (IndexMundi, http://www.indexmundi.com/facts/pakistan/indicator/PA.NUS.FCRF); "
        "Dawn 17 Jun 2025: Reko Diq on the rail network by 2028 (https://www.dawn.com/news/1917677/pm-shehbaz-for-linking-reko-diq-with-railway-network-by-2028)",
        f"Rs 70.63 bn / 961 km / {PKR_PER_USD_2006} = {RAIL_NEW_USD_KM / 1e6:.2f} M USD/km × 75 km: a generic Balochistan new-line cost (hill route, "
        "2006 dollars not escalated: U); capacity 5 trains/day × 20 × 50 t × 365 as L-05 (C)",
    )
    b.src("Upgrades", "U-L01", "fixed_opex_usd_per_yr", 1.0e6, "A", "assumption", "track upkeep of the 75 km branch")
    # ML-3 Nokkundi-Rohri upgrade for Reko Diq: 390 M USD bridge finance (RDMC/Barrick, 3 years),
    # split over the five segments by length.
    l04 = {"L-02b": 170.0, "L-02c": 185.0, "L-02d": 133.0, "L-03a": None, "L-03b": None}
    sibi = _gc("SPEZAND_RS", "SIBI_RS"), _gc("SIBI_RS", "ROHRI_RS")
    l04["L-03a"] = 396.0 * sibi[0] / sum(sibi)
    l04["L-03b"] = 396.0 * sibi[1] / sum(sibi)
    total_km = sum(l04.values())
    for seg, km in l04.items():
        up(f"U-L04-{seg}", "corridor", seg, ML3_UPGRADE_USD * km / total_km, RAIL_FULL_TPY - RAIL_BASE_TPY, "2029")
    b.src(
        "Upgrades",
        "U-L04-*",
        "capex_usd",
        f"{ML3_UPGRADE_USD / 1e6:.0f} M USD for Nokkundi-Rohri ({total_km:,.0f} km)",
        "S",
        "Business Recorder, 'Reko Diq now under ECC focus', 29 Sep 2025 (https://www.brecorder.com/news/40385028/reko-diq-now-under-ecc-focus): "
        "Rail Development and Bridge Financing Agreements with RDMC, 390 M USD for 3 years at SOFR + 250 bp, to upgrade ML-3 Nokkundi-Rohri "
        "for the 1,350 km route to Port Qasim",
        "split over the five segments by length (C); replaces the facts sheet's 400 M USD Nokkundi-Sibi figure (Dunya, year U)",
    )
    b.src(
        "Upgrades",
        "U-L04-*",
        "added_capacity, earliest_period",
        "+1.095 Mt/yr, 2029",
        "C",
        "facts Sheet 4: RDMC rail plan 2 → 5 trains/day × 20 wagons; bridge finance approved by the PM 8 Aug 2025 for 3 years (Business Recorder 29 Sep 2025)",
        "capacity = (5 − 2) trains/day × 20 × 50 t × 365 (C); in service after the 3-year term from 2025-26 (A)",
    )
    b.src(
        "Corridors",
        "Reko Diq → Port Qasim by rail",
        "distance_km (check)",
        "1,406 km in the model (X-RD/L-01 75 + ML-4 488 + ML-3 396 + ML-1 437 + siding 10) against 1,350 km reported",
        "C",
        "Business Recorder 29 Sep 2025: 'the 1350 km route'",
        "within 4 %: the apportioned segment lengths stand",
    )
    # N-25 dualisation: Rs 300-350 bn for 813 km, split over the N-25 segments by length.
    n25_usd = 325e9 / PKR_PER_USD
    n25 = [r for r in _corridor_lengths() if r[0].startswith("R-04") and r[0] != "R-04f"]
    for code, km in n25:
        up(f"U-N25-{code}", "corridor", code, n25_usd * km / 813.0, 3_000_000.0, "2028")
    b.src(
        "Upgrades",
        "U-N25-*",
        "capex_usd, added_capacity, earliest_period",
        f"{n25_usd / 1e9:.2f} bn USD for 813 km pro rata, +3 Mt/yr, 2028",
        "C",
        "facts 3a R-04: dualisation Rs 300-350 bn, 2-year target (PMO May 2025); 280 PKR/USD",
        "capacity gain A; the whole cost is charged to this chain although the road serves all traffic",
    )
    up("U-R10", "corridor", "R-10", 13.758e9 / PKR_PER_USD_2017, ROAD_CAP_TPY, "2029")
    r11_usd_per_km = 7e9 / 103 / PKR_PER_USD_2021  # Nokkundi-Mashkhel: Rs 7 bn for 103 km (2021)
    up("U-R11", "corridor", "R-11", 303 * r11_usd_per_km, ROAD_CAP_TPY, "2029")
    b.src(
        "Upgrades",
        "U-R10",
        "capex_usd",
        f"{13.758e9 / PKR_PER_USD_2017 / 1e6:.1f} M USD",
        "C",
        "The Nation, 'NHA okays construction of Yakmach-Kharan road's 2 sections', 8 Sep 2017: 'The 200 km long project' 'was approved by the Ecnec "
        "at an amount of Rs13.758 billion' (http://nation.com.pk/business/08-Sep-2017/nha-okays-construction-of-yakmach-kharan-road-s-2-sections); "
        f"IMF 2017 average {PKR_PER_USD_2017} PKR/USD (IndexMundi, http://www.indexmundi.com/facts/pakistan/indicator/PA.NUS.FCRF)",
        "Rs 13.758 bn / 105.46 (0.65 M USD/km), 2017 dollars not escalated (U); earliest 2029 (A). UrduPoint/APP 26 Aug 2020 reports the road "
        "under construction (Rs 7.45 bn spent by Jun 2020, completion expected 2021): R-10 may already exist",
    )
    b.src(
        "Upgrades",
        "U-R11",
        "capex_usd",
        f"{r11_usd_per_km / 1e6:.3f} M USD/km × 303 km",
        "C",
        "Business Recorder, 20 May 2021: Nokkundi-Mashkhel 103 km for Rs 7 bn (two-way road) "
        "(https://www.brecorder.com/news/40093766/pm-khan-to-lay-foundation-of-mashkel-to-naukundi-road-project); "
        f"IMF official rate 2021 average {PKR_PER_USD_2021} PKR/USD (IndexMundi, http://www.indexmundi.com/facts/pakistan/indicator/PA.NUS.FCRF)",
        "2021 dollars, not escalated to 2025 (U); the 200 km Mashkhel-Panjgur section (design only) at the same cost per km; earliest 2029; capacity 2 Mt/yr (A)",
    )
    up("U-L07", "corridor", "L-07", 30 * RAIL_REHAB_USD_KM, RAIL_BASE_TPY, "2028")
    b.src(
        "Upgrades",
        "U-L07",
        "capex_usd",
        round(30 * RAIL_REHAB_USD_KM),
        "C",
        "Pakistan Today/APP, 'PR spends Rs167m to ensure secure train journey', 14 Aug 2022: Sama Satta-Bahawalnagar rehabilitation contract "
        "awarded to FWO last year, 'Rs.7735.000 million' (https://www.pakistantoday.com.pk/2022/08/14/pr-spends-rs167m-to-ensure-secure-train-journey/); "
        "All News Recorder: 'a new 183 km track will be laid between the long inactive Sama Sita and Bahawalnagar' with bridges, 10 stations "
        "(https://allnewsrecorder.com/railway-decides-to-rehabilitate-three-tracks-including-bahawalnagar-sama-sita-section/)",
        f"Rs 7,735 M / 183 km / {PKR_PER_USD_2021} (IMF 2021) = {RAIL_REHAB_USD_KM / 1e6:.3f} M USD/km × 30 km: a generic cost of relaying a "
        "disused Pakistani line, applied to the Saindak spur",
    )
    up("U-GWADAR-BULK", "port", "GWADAR", 150e6, 3_000_000.0, "2029")
    b.src(
        "Upgrades", "U-GWADAR-BULK", "capex_usd, added_capacity", "150 M USD, 3 Mt/yr", "A", "assumption (cost mirrors RDMC's 150 M USD at PIBT, facts Sheet 2)"
    )
    up("U-PASNI-PORT", "port", "PASNI", 1.2e9, 5_000_000.0, "2031-35")
    b.src(
        "Upgrades",
        "U-PASNI-PORT",
        "capex_usd",
        "1.2 bn USD",
        "S",
        "Indian Express, 'Pakistan offers US Arabian Sea port, pitches it as terminal to ship minerals: Report' (Oct 2025), quoting the FT: "
        "'A blueprint anticipated the port would cost up to $1.2bn' (https://indianexpress.com/article/pakistan/pakistan-us-arabian-sea-port-"
        "terminal-ship-minerals-report-10289422/lite)",
        "a proposal only, not official policy (the same report)",
    )
    b.src("Upgrades", "U-PASNI-PORT", "added_capacity, earliest_period", "5 Mt/yr, 2031-35", "A", "assumption", "no capacity or date published")


@functools.lru_cache(maxsize=1)
def _corridor_lengths() -> tuple[tuple[str, float], ...]:
    """(code, km) of the apportioned road segments (used to split the N-25 dualisation cost)."""
    out = []
    for _prefix, _route, total, _source, segs in ROAD_ROUTES:
        gcs = [_gc(a, z) for _c, a, z in segs]
        out += [(code, total * g / sum(gcs)) for (code, _a, _z), g in zip(segs, gcs)]
    return tuple(out)


def _rd_schedule(year: int) -> float:
    """Reko Diq concentrate t/yr in `year`: none before 2029, Phase 1 to 2033, Phase 2 from 2034."""
    return 0.0 if year < 2029 else (RD_PH1_CONC_T if year < 2034 else RD_PH2_CONC_T)


def _mines(b: _Book) -> None:
    def mine(node, commodity, period, max_t, cost, min_t=0.0):
        rec = {"mine": node, "commodity": commodity, "max_t_per_yr": round(max_t, 0), "cost_usd_per_t": round(cost, 2)}
        if period is not None:
            rec["period"] = period
        if min_t:
            rec["min_t_per_yr"] = min_t
        b.row("Mines", rec)

    # Reko Diq: first production end-2028; Phase 1 from 2029; Phase 2 from 2034.
    rd = _rd_schedule
    rd_cost = RD_CASH_C_LB / 100 * LB_PER_T * RD_CU_GRADE  # 2010 FS cash cost per lb Cu × lb Cu per t concentrate
    for p, v in period_average(rd).items():
        mine("REKO_DIQ", "RD_CONC", p, v, rd_cost)
    b.src(
        "Mines",
        "REKO_DIQ/RD_CONC",
        "(Cu and Au output)",
        "Ph1 from 2028: 200 kt Cu + 300 koz Au/yr; Ph2 from 2034: 400 kt Cu + 500 koz Au/yr",
        "S",
        "Business Recorder, 'Minister informs NA: Reko Diq project to generate over $75bn in free cash flows', 16 May 2025 "
        "(https://www.brecorder.com/news/40363029/minister-informs-na-reko-diq-project-to-generate-over-75bn-in-free-cash-flows); "
        "also ARY News 15 May 2025",
        "the minister's written reply to the National Assembly ('conservative'); Barrick's 2025 FS gave 240 kt Cu + 297 koz Au in Ph1 (facts M1)",
    )
    b.src(
        "Mines",
        "REKO_DIQ/RD_CONC",
        "max_t_per_yr",
        f"{RD_PH1_CONC_T:,.0f} (2029-33), {RD_PH2_CONC_T:,.0f} (2034-)",
        "C",
        "Cu output above ÷ concentrate grade: Barrick FS 240 kt Cu in ~0.9 Mt concentrate (facts M1, Sheet 4: 25-28 % Cu)",
        f"grade {RD_CU_GRADE:.1%} Cu (the concentrate tonnage is not published, U), Au {RD_AU_GPT:.1f} g/t = 300 koz in {RD_PH1_CONC_T / 1e3:,.0f} kt; "
        "Ph2 gold at the Ph1 grade is ~20 % above the 500 koz target (U); 2031-35 averages 3 Ph1 + 2 Ph2 years",
    )
    b.src(
        "Mines",
        "REKO_DIQ/RD_CONC",
        "period (first production, ramp-up)",
        "first full year 2029, no ramp-up",
        "C",
        "first production targeted by the end of 2028 (ECC, via HUM English 2025; Barrick, Daily Times Jan 2023); Barrick review of "
        "the project to mid-2027, timeline and capital may rise (Canadian Press via MarketScreener, 2026)",
        "full Ph1 rate from 2029 (ramp-up A); RD_DELAY_2Y scenario: first production two years later",
    )
    b.src(
        "Mines",
        "REKO_DIQ/RD_CONC",
        "cost_usd_per_t",
        round(rd_cost, 2),
        "C",
        "Northern Miner, 'Mining lease rejected for Reko Diq' (2010 Tethyan FS): 'Cash costs before by-product credits were estimated at "
        "about 140¢ per lb.' (https://northernminer.com/news/mining-lease-rejected-for-reko-diq/1000713709)",
        f"{RD_CASH_C_LB} c/lb × {LB_PER_T:,.0f} lb/t × {RD_CU_GRADE:.4f} t Cu per t concentrate (≈ {rd_cost * RD_PH1_CONC_T / 45e6:.1f} USD/t of the "
        "45 Mt/yr ore); 2010 money, and a cash cost usually includes TC/RC and freight, which the model charges separately: an upper bound "
        "(no 2025 FS cash cost found); paid whether the concentrate is refined or exported, so it does not move the refinery decision",
    )

    # Saindak: 16,426 t blister in 2021; East Ore Body expansion to 24,276 t/yr (timing A: 2030).
    def sd(year):
        return 16_426.0 if year < 2030 else 24_276.0

    # 2021 cash cost per t blister = its value at 2021 prices (blister terms of pakistan_markets) − MRDL's reported profit per t.
    sd_value_2021 = (
        BLISTER_CU * BLISTER_CU_PAYABLE * CU_2021_USD_LB * LB_PER_T + SAINDAK_AU_GPT * BLISTER_AU_PAYABLE * AU_2021_USD_OZ * OZ_PER_T / 1e6 - BLISTER_RC
    )
    sd_cost = sd_value_2021 - SAINDAK_PROFIT_2021 / SAINDAK_T_2021
    for p, v in period_average(sd).items():
        mine("SAINDAK", "CU_BLISTER", p, v, sd_cost)
    b.src(
        "Mines",
        "SAINDAK/CU_BLISTER",
        "max_t_per_yr",
        "16,426 to 2029; 24,276 from 2030",
        "S",
        "facts M2: 2021 output 16,426 t blister (energyupdate 2022); East Ore Body expansion → 24,276 t/yr (saindak.com.pk)",
        "expansion year 2030 is A",
    )
    b.src(
        "Mines",
        "SAINDAK/CU_BLISTER",
        "cost_usd_per_t",
        round(sd_cost, 2),
        "C",
        "Energy Update, 'Saindak Project Earned $74.7m Profit Last Year', 8 Jan 2022: 'a profit of $74.71 million ... against 16,426 tonnes of "
        "blister copper' (https://www.energyupdate.com.pk/2022/01/08/saindak-project-earned-74-7m-profit-last-year/); Barrick Annual Report 2021: "
        "copper 'average annual prices marking an all-time high of $4.23/lb' (https://www.barrick.com/English/investors/annual-report/"
        "copper-market-overview/default.aspx), 'The average price of gold in 2021 was $1,799/oz' (https://www.barrick.com/English/investors/"
        "annual-report/gold-market-overview/default.aspx)",
        f"value of a t of blister at 2021 prices under the model's blister terms {sd_value_2021:,.0f} USD − 74.71 M / 16,426 t = "
        f"{SAINDAK_PROFIT_2021 / SAINDAK_T_2021:,.0f} USD profit; mining + on-site smelting, lease rent and royalty included (whether the "
        "profit is before the lessor's share is not stated: U); silver left out",
    )

    zn_t, pb_t = _duddar_conc()
    mine("DUDDAR", "ZNPB_CONC", None, zn_t + pb_t, 50.0 * 500_000 / (zn_t + pb_t))
    b.src(
        "Mines",
        "DUDDAR/ZNPB_CONC",
        "max_t_per_yr",
        round(zn_t + pb_t),
        "C",
        "facts M5: 500 kt/yr ore (Dawn 29 Dec 2019); 8.6 % Zn, 3.2 % Pb (Wikipedia)",
        "recoveries 85 % Zn / 80 % Pb and concentrate grades 50 % Zn / 60 % Pb are A",
    )
    b.src(
        "Mines",
        "DUDDAR/ZNPB_CONC",
        "cost_usd_per_t",
        round(50.0 * 500_000 / (zn_t + pb_t), 2),
        "A",
        "assumption",
        "50 USD/t ore underground; searched: Beijing Review (28 Oct 2017) gives Jan-Sep 2017 sales (28,445 t Zn + 3,651 t Pb concentrate) and "
        "profit (6.4 M USD) but no revenue, and no 2017 average Zn/Pb price was found to value them",
    )

    mine("MUSLIM_BAGH", "CHROMITE", None, 400 * 300, 100.0)
    b.src(
        "Mines",
        "MUSLIM_BAGH/CHROMITE",
        "max_t_per_yr",
        120_000,
        "C",
        "Liquisearch (Wikipedia), 'Muslim Bagh - Chromite': 'Presently, 300 to 500 tons of chromite are being produced at Muslim Bagh and "
        "Khanozai daily. It is taken in trucks to Karachi' (https://www.liquisearch.com/muslim_bagh/chromite); Hilal: Pakistan's chromite "
        "'annual production around 237,000 metric tonnes' (https://hilal.gov.pk/view-article.php?i=7633)",
        "400 t/day (midpoint) × 300 working days (A) = 120,000 t/yr, about half the national output; the daily figure is undated",
    )
    b.src(
        "Mines",
        "MUSLIM_BAGH/CHROMITE",
        "cost_usd_per_t",
        100.0,
        "A",
        "assumption",
        "artisanal mining; bounded by the local price: 38-48 % chromite 'between Rs22,000-Rs50,000' a ton (TDAP via WealthPK, "
        "https://tdminews.com/?p=203257), ≈ 79-179 USD at 2025's ~280 PKR/USD (the article is undated)",
    )

    # Antimony: Chitral ~0.6 Mt ore (grade A: 5 % Sb); Qila Abdullah 26 kt @ 7-12 %.
    def sb_conc(ore_t, grade):
        return ore_t * grade * 0.85 / SB_CONC_GRADE

    chitral = sb_conc(30_000, 0.05)
    for p, v in period_average(lambda y: chitral if y >= 2029 else 0.0).items():
        mine("CHITRAL_SB", "SB_CONC", p, v, 150.0 * 30_000 / chitral)
    b.src(
        "Mines",
        "CHITRAL_SB/SB_CONC",
        "max_t_per_yr",
        round(chitral),
        "A",
        "facts M7: ~0.6 Mt stibnite ore (GSP via chitralnews); Lutkho samples 14 % Sb (samples only)",
        "A: 30 kt ore/yr from 2029 (20-year life), 5 % Sb, 85 % recovery into 50 % Sb concentrate",
    )
    qa = sb_conc(5_000, 0.095)
    for p, v in period_average(lambda y: qa if 2027 <= y <= 2031 else 0.0).items():
        mine("QILA_ABDULLAH_SB", "SB_CONC", p, v, 150.0 * 5_000 / qa)
    b.src(
        "Mines",
        "QILA_ABDULLAH_SB/SB_CONC",
        "max_t_per_yr",
        round(qa),
        "C",
        "facts M6: 26,000 t ore @ 7-12 % Sb (GoB Mineral Profile 2009; USGS)",
        "9.5 % (midpoint), 5 kt ore/yr 2027-31 (A), 85 % recovery into 50 % Sb concentrate (A)",
    )
    b.src("Mines", "*_SB/SB_CONC", "cost_usd_per_t", "150 USD/t ore", "A", "assumption", "small underground mine with hand-sorting/flotation")
    mine("LOE_SHILMAN", "REE_CONC", None, 0.0, 500.0)
    b.src(
        "Mines",
        "LOE_SHILMAN/REE_CONC",
        "max_t_per_yr",
        0,
        "U",
        "facts M11: unexplored REE prospect (The News 2025)",
        "placeholder: set max_t_per_yr in a scenario",
    )


def _refineries(b: _Book) -> None:
    # The FWO-USSM refinery: ~500 M USD first phase = opening (site, utilities, acid and
    # precious-metals plants) + modules of input capacity.
    open_pq, module_pq, size = 150e6, 70e6, 50_000.0
    sites = {
        # site: (capex factor, extra processing cost on Cu concentrate, earliest period)
        "REF_PORT_QASIM": (1.00, 0.0, "2029"),
        "REF_GWADAR": (1.10, 10.0, "2029"),
        "REF_PASNI": (1.20, 15.0, "2031-35"),
        "REF_NOKKUNDI": (1.30, 20.0, "2029"),
    }
    for site, (f_capex, _extra, earliest) in sites.items():
        b.row(
            "Refineries",
            {
                "site": site,
                "open_capex_usd": open_pq * f_capex,
                "fixed_opex_usd_per_yr": round(MAINT_SHARE * open_pq * f_capex, 2),
                "module_size_t_per_yr": size,
                "module_capex_usd": module_pq * f_capex,
                "module_opex_usd_per_yr": round(MAINT_SHARE * module_pq * f_capex, 2),
                "max_modules": MAX_MODULES,
                "earliest_period": earliest,
                "lead_time_years": 3,
            },
        )
    b.src(
        "Refineries",
        "REF_PORT_QASIM",
        "open_capex_usd, module_capex_usd, module_size_t_per_yr",
        "150 M + 5 × 70 M USD = 500 M for 250 kt/yr input",
        "C",
        "facts Sheet 4 R1: FWO-USSM MoU 8 Sep 2025, ~500 M USD first phase; no site, capacity or timeline published (Profit)",
        "split between opening (site, utilities, acid and precious-metals plants) and 50 kt/yr modules is A (~1,400 USD per t/yr of input at 5 modules); "
        "checked against the six-tenths rule (TEA Handbook, 'Six-tenths rule', https://handbook.tea-commons.org/concepts/six-tenths-rule: "
        "'C2 = C1 · (S2 / S1)^n … n ≈ 0.6 on average'): from the MoU's 5 modules, one module's refinery costs 190 M USD (113 M opening + 77 M "
        "a module, against 220 M here); with that split the base still opens no refinery",
    )
    b.src(
        "Refineries",
        "REF_PORT_QASIM",
        "(capacity per capex, 250 kt/yr for 500 M USD)",
        "2,000 USD per t/yr of concentrate input",
        "C",
        "Reuters via Kitco, 'Freeport Indonesia launches $3.7 bn Gresik copper smelter', 27 Jun 2024: 1.7 Mt/yr concentrate input, "
        "~650 kt/yr cathode (https://www.kitco.com/news/off-the-wire/2024-06-27/freeport-indonesia-launches-37bn-gresik-copper-smelter-meet-renewables)",
        "Manyar: 3.7 bn / 1.7 Mt = 2,176 USD per t/yr; the MoU's 500 M USD thus buys ~230 kt/yr at Manyar's unit cost (a 7× smaller plant pays more per tonne: U)",
    )
    b.src(
        "Refineries",
        "REF_GWADAR, REF_PASNI, REF_NOKKUNDI",
        "open_capex_usd, module_capex_usd",
        "× 1.10 / 1.20 / 1.30",
        "A",
        "assumption",
        "remote-site premium (utilities, water, housing)",
    )
    b.src(
        "Refineries",
        "all",
        "fixed_opex_usd_per_yr, module_opex_usd_per_yr",
        f"{MAINT_SHARE:.0%} of capex a year: {MAINT_SHARE * open_pq / 1e6:g} M/yr + {MAINT_SHARE * module_pq / 1e6:g} M/yr per module (× site capex factor)",
        "C",
        "Peters & Timmerhaus, 'Plant design and economics for chemical engineers', p. 203: 'In the process industries, the total plant cost per "
        "year for maintenance and repairs is roughly equal to an average of 6 percent of the fixed-capital investment.' "
        "(https://digilib.universitaspertamina.ac.id/ebook/Plant%20design%20and%20economics%20for%20chemical%20engineers/files/basic-html/page232.html)",
        f"generic figure: {MAINT_SHARE:.0%} × 150 M opening and × 70 M per module (30 M/yr at the MoU's 500 M USD); maintenance and repairs only: "
        "labour (~120-350 staff for 50 kt/yr Cu, Copper Alliance) and overheads are not added (a lower bound); the smelting and refining "
        "direct cash costs are in Recipes",
    )
    b.src(
        "Refineries",
        "all",
        "max_modules",
        MAX_MODULES,
        "C",
        "Reuters via Kitco, 'Freeport Indonesia launches $3.7 bn Gresik copper smelter', 27 Jun 2024: 1.7 Mt/yr concentrate input "
        "(https://www.kitco.com/news/off-the-wire/2024-06-27/freeport-indonesia-launches-37bn-gresik-copper-smelter-meet-renewables)",
        f"the largest single-site smelter built recently (1.7 Mt/yr) ÷ 50 kt/yr modules = {MAX_MODULES}: a physical ceiling, not a plan, so "
        "a site's size is set by the economics and the feed that reaches it (the MoU's first phase is 5 modules)",
    )
    b.src(
        "Refineries",
        "all",
        "lead_time_years",
        3,
        "S",
        "Mining Magazine, 'Kamoa Copper contracts China Nerin to engineer smelter': 'The total time to construct the smelter is expected to take three "
        "years' (https://www.miningmagazine.com/processing/news/1421881/kamoa-copper-contracts-china-nerin-engineer-smelter)",
        "Gresik took ~2.7 years and Amman ~3 (Reuters via Kitco; Amman press release, Oct 2022)",
    )
    b.src(
        "Refineries",
        "all",
        "earliest_period",
        "2029 (Pasni 2031-35)",
        "C",
        "Profit (Pakistan Today), 'Pakistan and US sign MoU to strengthen cooperation in critical minerals sector', 8 Sep 2025 "
        "(https://profit.pakistantoday.com.pk/2025/09/08/pakistan-and-us-sign-mou-to-strengthen-cooperation-in-critical-minerals-sector); "
        "lead_time_years row: three years to build (Mining Magazine, Kamoa smelter)",
        "MoU Sep 2025 + 3 years' construction = end-2028, so 2029 is the first full year; no refinery timeline published, and engineering and "
        "financing before construction are not counted (an earliest date); Pasni waits for its port (U-PASNI-PORT, 2031-35)",
    )

    # Recipes: input → outputs (yields) and processing cost per t input.
    cu_yield = RD_CU_GRADE * CU_RECOVERY
    au_yield = RD_AU_GPT * AU_RECOVERY / 1e6
    smelt = round((SMELT_DCC_C_LB + REFINE_DCC_C_LB) / 100 * LB_PER_T * cu_yield, 2)
    b.row("Recipes", {"recipe": "CU_SMELT", "input_commodity": "RD_CONC", "cost_usd_per_t": smelt})
    for site, (_f, extra, _e) in sites.items():
        if extra:
            b.row("Recipes", {"recipe": "CU_SMELT", "site": site, "input_commodity": "RD_CONC", "cost_usd_per_t": smelt + extra})
    b.row("RecipeOutputs", {"recipe": "CU_SMELT", "output_commodity": "CU_CATHODE", "yield": round(cu_yield, 6)})
    b.row("RecipeOutputs", {"recipe": "CU_SMELT", "output_commodity": "GOLD_DORE", "yield": round(au_yield, 9)})
    b.src(
        "RecipeOutputs",
        "CU_SMELT",
        "yield",
        f"cathode {cu_yield:.4f}, doré {au_yield:.3e}",
        "C",
        "Reko Diq grades (Mines rows above)",
        f"Cu recovery {CU_RECOVERY:.1%}, Au recovery {AU_RECOVERY:.0%} (A)",
    )
    b.src(
        "Recipes",
        "CU_SMELT",
        "cost_usd_per_t",
        smelt,
        "C",
        f"{WOODMAC}: weighted average smelter direct cash cost {SMELT_DCC_C_LB} c/lb Cu (2025), refineries {REFINE_DCC_C_LB} c/lb Cu",
        f"({SMELT_DCC_C_LB} + {REFINE_DCC_C_LB}) c/lb × {LB_PER_T:,.0f} lb/t × {cu_yield:.4f} t Cu per t concentrate; the sulphuric-acid credit "
        "(9.3 c/lb in the same report) is not counted: no acid market is modelled",
    )
    b.src(
        "Recipes",
        "CU_SMELT (REF_GWADAR, REF_PASNI, REF_NOKKUNDI)",
        "cost_usd_per_t",
        "+10 / +15 / +20",
        "A",
        "assumption",
        "remote sites pay more for power and water",
    )
    refine = round(REFINE_DCC_C_LB / 100 * LB_PER_T * BLISTER_CU, 2)
    b.row("Recipes", {"recipe": "BLISTER_REFINE", "input_commodity": "CU_BLISTER", "cost_usd_per_t": refine})
    b.row("RecipeOutputs", {"recipe": "BLISTER_REFINE", "output_commodity": "CU_CATHODE", "yield": round(BLISTER_CU * 0.995, 6)})
    b.row("RecipeOutputs", {"recipe": "BLISTER_REFINE", "output_commodity": "GOLD_DORE", "yield": round(SAINDAK_AU_GPT * 0.99 / 1e6, 9)})
    b.src(
        "Recipes",
        "BLISTER_REFINE",
        "cost_usd_per_t",
        refine,
        "C",
        f"{WOODMAC}: refineries' average direct cash cost {REFINE_DCC_C_LB} c/lb Cu (2025)",
        f"{REFINE_DCC_C_LB} c/lb × {LB_PER_T:,.0f} lb/t × {BLISTER_CU:.1%} Cu in blister; anode casting left out (U)",
    )
    b.src("RecipeOutputs", "BLISTER_REFINE", "yield", "Cu 99.5 %, Au 99 % recovery", "A", "assumption", "electrorefining + anode-slime treatment")
    b.row("Recipes", {"recipe": "SB_SMELT", "input_commodity": "SB_CONC", "cost_usd_per_t": 1_500.0})
    b.row("RecipeOutputs", {"recipe": "SB_SMELT", "output_commodity": "SB_METAL", "yield": round(SB_CONC_GRADE * SB_RECOVERY, 6)})
    b.src(
        "Recipes",
        "SB_SMELT",
        "cost_usd_per_t, yield",
        f"1,500 USD/t; {SB_CONC_GRADE * SB_RECOVERY:.2f}",
        "A",
        "assumption",
        "50 % Sb concentrate, 92 % recovery to metal/trioxide; no smelter cost found (Core Consultants gives reagents only); the Hunan "
        "ingot-concentrate spread (172,500 − 149,000 CNY per metal t, PayableMetals SB_CONC) is what a smelter earns for cost and losses",
    )
    ree_sep_cost = round(REE_TREO * REE_RECOVERY * 1_000 * REE_SEP_USD_KG, 2)
    ree_yield = round(REE_TREO * REE_NDPR_SHARE * REE_RECOVERY, 6)
    b.row("Recipes", {"recipe": "REE_SEP", "input_commodity": "REE_CONC", "cost_usd_per_t": ree_sep_cost})
    b.row("RecipeOutputs", {"recipe": "REE_SEP", "output_commodity": "NDPR_OXIDE", "yield": ree_yield})
    b.src(
        "Recipes",
        "REE_SEP",
        "cost_usd_per_t, yield",
        f"{ree_sep_cost:,.0f} USD/t; {ree_yield}",
        "C",
        "Green Car Congress (Saskatchewan Research Council), Sep 2021: monazite concentrate 'equivalent to 60% Total Rare Earth Oxide' "
        "(https://www.greencarcongress.com/2021/09/20210906-src.html); MP Materials 10-K, Mountain Pass: 'Neodymium-Praseodymium 15.7 %' of TREO "
        "(https://content.edgar-online.com/ExternalLink/EDGAR/0001801368-22-000010.html?dest=d215279dex961_htm&hash="
        "e8cd53707404b01b1074447d1f7c8c9e83fbb77808f399e4dcc75947179f1034); Miningmx, 'Rainbow Rare Earth study pin-points high margin "
        "potential', 16 Dec 2024: 'operating cost of $12.91/kg of total separated rare earth oxides' at 'a recovery rate of 65%' "
        "(https://www.miningmx.com/news/battery-minerals/59367-rainbow-rare-earth-study-pin-points-high-margin-potential/)",
        f"generic figures (no Loe Shilman assay): yield {REE_TREO:.0%} TREO × {REE_NDPR_SHARE:.1%} NdPr (Mountain Pass, also a carbonatite) × "
        f"{REE_RECOVERY:.0%} recovery; cost {REE_TREO:.0%} × {REE_RECOVERY:.0%} × 1,000 kg × {REE_SEP_USD_KG} USD/kg separated TREO "
        "(La, Ce and the other oxides are not sold in the model); no REE mined in the base",
    )


PIBT_USD_T = 7.51  # Port Qasim bulk terminal: 6.5 + 1.01 USD/t (Express Tribune)
# Stevedoring Rs/t in 2010 (The Nation): Port Qasim 315, KPT 295, Gwadar 425; scaled to PIBT's rate
KPT_USD_T, GWADAR_USD_T = round(PIBT_USD_T * 295 / 315, 2), round(PIBT_USD_T * 425 / 315, 2)


def _ports(b: _Book) -> None:
    ports = {
        # port: (capacity t/yr, handling USD/t)
        "PORT_QASIM": (4_000_000.0, PIBT_USD_T),
        "KARACHI_PORT": (1_000_000.0, KPT_USD_T),
        "GWADAR": (1_000_000.0, GWADAR_USD_T),
        "PASNI": (0.0, GWADAR_USD_T),
    }
    for port, (cap, handling) in ports.items():
        b.row("Ports", {"port": port, "capacity_t_per_yr": cap, "handling_usd_per_t": handling})
    b.src(
        "Ports",
        "PORT_QASIM",
        "capacity_t_per_yr",
        4_000_000,
        "C",
        "facts Sheet 2: PIBT 12 Mtpa coal + 4 Mtpa clinker, expandable to 20 (APP 2017); Reko Diq's preferred terminal (RDMC 150 M USD, exports from 2028)",
        "20 − (12 + 4) = 4 Mt/yr: the expansion taken as this chain's share (choice A); PIBT berth dredged to 13 m, vessels to 65,000 t (facts Sheet 2, S)",
    )
    b.src(
        "Ports",
        "KARACHI_PORT",
        "capacity_t_per_yr",
        1_000_000,
        "A",
        "facts Sheet 2: 53.95 Mt in FY2024-25, exports 20.02 Mt (KPT)",
        "share for this chain's break-bulk/containers; a judgement: the bulk terminal (KGTML, berths 11-17) has 8 Mt/yr ('up to 14m tonnes per "
        "annum, up from the current capacity of 8m tonnes', Dawn, https://dawn.com/news/1826112/seven-wheat-vessels-berthed-at-karachi-port), "
        "shared with wheat and other imports; no published share or spare capacity found",
    )
    b.src(
        "Ports",
        "GWADAR",
        "capacity_t_per_yr",
        1_000_000,
        "A",
        "facts Sheet 2: 3 multipurpose berths (602 m quay), under-used; no bulk-terminal capacity published",
        "no bulk terminal: upgrade U-GWADAR-BULK; the berths' size is on the next row. A judgement: searched, only master-plan "
        "ambitions (300 Mt/yr) and past use (6.329 Mt of urea and wheat Dec 2008-Jul 2016, ~0.8 Mt/yr, UrduPoint/APP 22 Jul 2016) were found",
    )
    b.src(
        "Ports",
        "GWADAR",
        "(berths, draft, vessel size)",
        "3 × 200 m berths, 12.5 m, 50,000 DWT",
        "S",
        "Pakistan Economic Net, 'Government to enhance Gwadar port's scope & capacity' (https://pakistaneconomicnet.com/story/5300/); "
        "Dawn, news/387487: 12.5 m draft at the three East Bay berths, deepening to 14.5 m possible (https://dawn.com/news/387487)",
        "the PortLimits row (instances/pakistan_markets.py)",
    )
    b.src("Ports", "PASNI", "capacity_t_per_yr", 0, "S", "facts Sheet 2: proposal only", "capacity 0 + upgrade U-PASNI-PORT")
    b.src(
        "Ports",
        "PORT_QASIM",
        "handling_usd_per_t",
        7.51,
        "S",
        "Express Tribune, 'Importers decry high terminal handling charges': PIBT charges '$6-6.5 per ton in handling charges besides $1.01 per ton "
        "in ancillary fee' (approved tariff $5-5.49) (https://tribune.com.pk/story/2267844/importers-decry-high-terminal-handling-charges?amp=1)",
        "6.5 + 1.01 USD/t: what the bulk terminal charges, coal imports",
    )
    b.src(
        "Ports",
        "KARACHI_PORT, GWADAR",
        "handling_usd_per_t",
        f"{KPT_USD_T} / {GWADAR_USD_T}",
        "C",
        "The Nation, 'Sugar import thru Gwadar not feasible', 25 Feb 2010: 'the stevedoring charges at Gwadar port are Rs 425/MT, which are higher "
        "than Karachi Port and Port bin Qasim i.e Rs 295/MT and 315/MT respectively' (https://nation.com.pk/25-Feb-2010/sugar-import-thru-gwadar-not-feasible)",
        "Port Qasim's 7.51 USD/t × 295/315 and × 425/315: the 2010 ratios of stevedoring charges applied to today's bulk-terminal charge (U: one "
        "2010 cargo, no current KPT or Gwadar bulk tariff found); per tonne sold",
    )
    b.src("Ports", "PASNI", "handling_usd_per_t", GWADAR_USD_T, "A", "assumption", "a proposed port: charged as Gwadar")


# --------------------------------------------------------------------------------------------
# Security risk (facts Sheet 6: 6a provincial totals, 6b incident log)
# --------------------------------------------------------------------------------------------
# Incident rates. Every corridor belongs to a *unit*: a route of the log 6b (its incidents are
# too few to place along it more precisely) or the corridor alone. Unit u has n_u incidents in
# the log's LOG_YEARS (an incident from a U source counts half: the midpoint of the log's
# ranges), length L_u and a prior mean density ρ̄_u (incidents per km-year) from its province
# (6a). Its density is the posterior mean of a Gamma(k, k/ρ̄_u) prior updated by the Poisson count:
#
#     ρ_u = (n_u + k) / (k / ρ̄_u + L_u · T_u),   T_u = LOG_YEARS (0 for corridors not in use then)
#
# so a route's density lies between its own record n_u / (L_u · T) and its province's mean, the
# nearer its record the longer the route; a clean record pulls an unlogged route below the mean,
# and a road not in use then sits at the mean. Segment e of u
# expects λ_e = ρ_u · L_e incidents per year; everything else is monotone in λ_e:
#
#     risk_score_e       = 10 · λ_e                       (expected incidents on e per decade)
#     incident_prob_e    = λ_e · h · f · D / 365          (a tonne on e is caught and lost)
#     security_cost_e    = κ · λ_e                        (USD/t)
#
# Nodes: λ_n = n_n / LOG_YEARS with the same three formulas.
LOG_YEARS = 3.0  # 6b covers 2023-2025 (first entry Aug 2023)
PRIOR_SHAPE = 1.0  # k: the provincial prior weighs as much as one logged incident (A)
ATTACKS_2024 = {"BAL": 202.0, "KP": 295.0, "REST": 521.0 - 202.0 - 295.0}  # PIPS 2024 (6a), one source for all
CARGO_HIT_SHARE = 0.3  # h: share of incidents that strike freight in transit
CARGO_LOST_SHARE = 0.25  # f: share of a struck convoy's cargo lost or written off
INCIDENT_DAYS = 1.0  # D: days an incident catches the traffic on its segment
SECURITY_USD_PER_T = 10.0  # κ: USD/t per expected incident a year on the segment
RISK_SCORE_YEARS = 10.0
CONVOY_TRUCKS, TRUCK_T = 30, 25.0
CONVOY_T = CONVOY_TRUCKS * TRUCK_T  # 750 t per escorted convoy
ESCORT_USD_PER_KM = 5.0  # per convoy-km: two escort vehicles with crews
ESCORT_TEAMS, ESCORT_LEGS_PER_TEAM_DAY = 12, 1.0
ESCORT_LEGS_PER_YR = ESCORT_TEAMS * ESCORT_LEGS_PER_TEAM_DAY * 365  # convoy-legs (one convoy over one segment)

BAL, KP, REST = {"BAL": 1.0}, {"KP": 1.0}, {"REST": 1.0}
# Logged routes: (unit, corridors, incidents, provinces, flag, what was counted)
RISK_ROUTES = (
    (
        "R-02 N-40",
        ("R-02a", "R-02b", "R-02c", "R-02d"),
        2.5,
        BAL,
        "U",
        "6b: Nushki Apr 2024 (11 passengers killed after ID checks), Noshki 16 Mar 2025 (VBIED on an FC convoy to Nokkundi; Dawn "
        "https://www.dawn.com/news/1898361/five-martyred-in-ambush-on-forces-near-noshki); the log's third N-40 incident, the 2025 Nokkundi "
        "bombing, is counted once, at the Nokkundi node; plus, not in 6b, ~14 May 2025 four LPG truck drivers seized at Ahmedwal on the "
        "Quetta-Taftan highway and killed (Devdiscourse, agencies, https://www.devdiscourse.com/article/law-order/3381363-tragedy-on-the-"
        "quetta-taftan-highway-truck-drivers-targeted-in-balochistan; aggregator: U, half)",
    ),
    (
        "R-04 N-25",
        ("R-04a", "R-04b", "R-04c", "R-04d", "R-04e"),
        4.0,
        BAL,
        "C",
        "6b's 2-3 now all confirmed, plus one it lacks (one per route a day): 26 Aug 2024 Kalat highway seized and Bela FC camp stormed "
        "(Dawn 'Balochistan rocked by violence as multiple attacks claim 40 lives' https://www.dawn.com/news/1854838/balochistan-rocked-by-"
        "violence-as-multiple-attacks-claim-40-lives-21-terrorists-killed); Mangochar (Kalat) ~1 Feb 2025, ISPR: 18 FC killed as militants "
        "tried to block the road (ARY Urdu https://urdu.arynews.tv/kalat-operation-18-soldiers-martyred-12-terrorists-killed); "
        "Khuzdar 21 May 2025, school bus bombed at Zero Point on the Karachi-Quetta highway (Dawn https://www.dawn.com/news/1912357/"
        "at-least-4-students-killed-several-injured-as-school-bus-comes-under-attack-in-khuzdar-dc); Surab 30 May 2025, not in 6b: "
        "'initially blocked the Quetta-Karachi Highway at Surab' (Dawn e-paper https://epaper.dawn.com/DetailImage.php?StoryImage=31_05_2025_001_006)",
    ),
    (
        "R-05 N-85",
        ("R-05a", "R-05b", "R-05c"),
        0.0,
        BAL,
        "U",
        "6b: none logged, and no attack placed on the N-85 itself found; but CRSS names Kech (Hoshab) among the most affected districts and "
        "Dawn reports 'roads were also blocked in Turbat, Panjgur and Pasni' on 26 Mar 2025 (https://www.dawn.com/news/1900559/several-killed-"
        "vehicles-torched-in-balochistan): the zero is a lower bound",
    ),
    (
        "R-06 M-8",
        ("R-06a", "R-06b"),
        2.5,
        BAL,
        "U",
        "6b's 1-2 now confirmed: PNS Siddique, Turbat, 25-26 Mar 2024; 4 Jan 2025 Turbat (new Behman) VBIED on an FC coach (Dawn 'Five FC men "
        "among six martyred in Kech blast' https://www.dawn.com/news/1883194/five-fc-men-among-six-martyred-in-kech-blast); plus, not in 6b, "
        "18 Sep 2025 VBIED on an FC bus convoy at Konchati Cross on the M-8, 60 km from Turbat (The Balochistan Post https://thebalochistanpost."
        "net/2025/09/suicide-attack-targets-military-convoy-in-balochistans-kech; partisan source: U, half)",
    ),
    (
        "R-08 N-10",
        ("R-08a", "R-08b"),
        4.0,
        BAL,
        "C",
        "6b: Nov 2023 ambush Pasni-Ormara (14 soldiers); Aug 2024 BLA attacks on the coast; plus two not in 6b: 3-4 Mar 2025 N-10 blocked at "
        "Makola, six gas tankers torched (Dawn https://www.dawn.com/news/1895822/armed-men-block-makran-highway-torch-vehicles); 26 Mar 2025 "
        "four bus passengers killed at Kalmat, Pasni-Ormara (Dawn https://www.dawn.com/news/1900559/several-killed-vehicles-torched-in-balochistan)",
    ),
    (
        "L-02 ML-4",
        ("L-02a", "L-02b", "L-02c", "L-02d", "L-02e"),
        2.0,
        BAL,
        "C",
        "6b: Aug 2024 Mastung track blown; plus, not in 6b, 23 Sep 2025 Jaffer Express derailed by a blast between Digari Cross and Saryab "
        "(Quetta-Spezand) (Daily Pakistan https://en.dailypakistan.com.pk/07-Oct-2025/several-injured-as-jaffer-express-derails-near-sultan-kot-after-blast)",
    ),
    (
        "L-03a Bolan",
        ("L-03a",),
        3.0,
        BAL,
        "C",
        "6b: Mach 30 Jan 2024, Kolpur bridge 25-26 Aug 2024, Jaffar Express hijack 11 Mar 2025, all in the Bolan pass; "
        "the log's fourth L-03 incident, the Quetta station bombing 9 Nov 2024, is counted at the Quetta node",
    ),
    (
        "L-03b Sibi-Rohri",
        ("L-03b",),
        3.0,
        {"BAL": 0.65, "REST": 0.35},
        "C",
        "none in 6b, but Geo reports three track blasts derailing the Jaffar Express in Sindh: Jun 2025 near Jacobabad, 28 Jul 2025 near "
        "Shikarpur (https://www.geo.tv/latest/616188-explosion-derails-jaffer-express-near-shikarpur), 7 Oct 2025 near Sultan Kot "
        "(https://www.geo.tv/latest/627393-four-passengers-injured-after-blast-derails-jaffar-express-in-sindhs-shikarpur); "
        "provinces by ML-3 chainage (Rohri-Chaman line, Wikipedia copy https://readtiger.com/wkp/en/Rohri%E2%80%93Chaman_Line: "
        "Rohri 0, Jacobabad 84 (Sindh), Dera Allah Yar 97 (Balochistan), Sibi 240): Balochistan (240 - 84)/240 = 0.65, Sindh 0.35 "
        "(the incidents are all in Sindh but n_bal weighs them by the unit's shares)",
    ),
    ("L-05 ML-1", ("L-05a", "L-05b"), 0.0, REST, "C", "none logged; Sindh"),
)
# Provinces of single corridors where their end nodes' regions would mislead.
RISK_PROVINCE = {
    "R-12": (BAL, "Duddar-Karachi runs through Lasbela (Balochistan) to the Hub river"),
    "R-16": (REST, "N-5 Nowshera-Karachi runs almost wholly through Punjab and Sindh"),
}
PLANNED = frozenset({"R-10", "R-11", "L-01", "L-07"})  # not in use 2023-25: prior mean only
RISK_LINKS = ("X-", "T-", "P-")  # sidings, transfers, refinery links: covered by their town's NodeRisk
# Nodes: (place, nodes, incidents, flag, what was counted)
RISK_NODES = (
    ("Gwadar", ("GWADAR", "REF_GWADAR"), 2.0, "C", "6b: 13 Aug 2023 attack on a Chinese engineers' convoy; 20 Mar 2024 assault on the GPA complex"),
    ("Karachi/Port Qasim", ("PORT_QASIM", "KARACHI_PORT", "REF_PORT_QASIM"), 1.0, "C", "6b: 6 Oct 2024 VBIED on a Chinese convoy at Karachi airport"),
    (
        "Quetta",
        ("QUETTA", "QUETTA_RS"),
        2.0,
        "C",
        "6b: Quetta station bombing 9 Nov 2024 (moved here from the log's L-03 count; ARY https://arynews.tv/quetta-railway-station-train-"
        "operations-suspended/) + 30 Sep 2025 FC HQ attack, now confirmed (Dawn 'Suicide attack on FC HQ in Quetta claims 10 lives' "
        "https://www.dawn.com/news/1945776); 6a: Quetta tops both district lists",
    ),
    (
        "Nokkundi",
        ("NOKKUNDI", "NOKKUNDI_RS", "REF_NOKKUNDI"),
        1.0,
        "C",
        "6b: 30 Nov 2025 suicide attack on the FC brigade HQ at Nokkundi (moved here from the log's R-02 count), now confirmed: "
        "'نوکنڈی میں ایف سی ہیڈکوارٹر پر حملہ' (Dawn News https://www.dawnnews.tv/news/1274589/, citing Dawn); "
        "a truck-rail transfer passes both the town and the railhead (longer dwell)",
    ),
    (
        "Pasni",
        ("PASNI", "REF_PASNI"),
        1.0,
        "C",
        "not in 6b: 25-26 Aug 2024 attacks 'targeting Levies and police stations in Mastung, Kalat, Pasni, and Suntsar' (Dawn "
        "https://www.dawn.com/news/1854838/balochistan-rocked-by-violence-as-multiple-attacks-claim-40-lives-21-terrorists-killed); "
        "the same night's Coastal Highway blockade is R-08's",
    ),
)

# Disruptions. Closure length of an incident: Pareto tail S(d) = P(closure ≥ d days) = d^-α
# (every incident closes its element ≥ 1 day), α such that S(14) = 1/16: one (Kolpur bridge,
# >2 weeks) of the 16 corridor incidents counted in 6b closed its line for more than two weeks.
# A case's rate is the element's logged incidents per year (6b counts as printed) times the
# share of incidents in the case's closure band; its probability is 1 − exp(−rate × years of
# the case's period). Each case is one event in one period (2030, the first full Phase 1 year,
# when the chain's routes are all in use; Gwadar 2031-35, when it first ships Reko Diq ore).
CLOSURE_ALPHA = math.log(16) / math.log(14)


def closure_share(days: float) -> float:
    """S(d): share of incidents that close their element for at least `days` days."""
    return min(1.0, days**-CLOSURE_ALPHA)


# (name, description, log incidents, window share (days from, days to or None), period, [(type, element)], factor, source)
DISRUPTIONS = (
    (
        "N40_CLOSED_HALF_2030",
        "N-40 Taftan-Quetta closed for six months of 2030 by a BLA campaign (factor 0.5 for 2030)",
        3.0,
        (182.5, None),
        "2030",
        [("corridor", c) for c in ("R-02a", "R-02b", "R-02c", "R-02d")],
        0.5,
        "6b: 3 N-40 incidents (Nushki 2024, Noshki 2025, Nokkundi 2025)",
    ),
    (
        "BOLAN_RAIL_QUARTER_2030",
        "ML-3 through the Bolan pass (L-03a) closed for a quarter of 2030 (factor 0.75 for 2030)",
        4.0,
        (91.25, None),
        "2030",
        [("corridor", "L-03a")],
        0.75,
        "6b: 4 L-03 incidents (Mach, Kolpur, Quetta station, Jaffar Express)",
    ),
    (
        "KOLPUR_BRIDGE_2030",
        "Kolpur rail bridge destroyed again: L-03a closed two weeks in 2030 (factor 1 − 14/365 = 0.96)",
        4.0,
        (14.0, 91.25),
        "2030",
        [("corridor", "L-03a")],
        round(1 - 14 / 365, 4),
        "6b: 4 L-03 incidents; Kolpur bridge destroyed 25-26 Aug 2024, >2 weeks halt",
    ),
    (
        "N25_CLOSED_MONTH_2030",
        "N-25 closed in Balochistan (Quetta-Bela-Karachi, R-04a-e) for a month of 2030 (factor 1 − 30/365 = 0.92)",
        2.5,
        (30.0, None),
        "2030",
        [("corridor", c) for c in ("R-04a", "R-04b", "R-04c", "R-04d", "R-04e")],
        round(1 - 30 / 365, 4),
        "6b: 2-3 N-25 incidents (Aug 2024 Kalat/Bela blockades; Mangocher, Khuzdar 2025)",
    ),
    (
        "GWADAR_PORT_CLOSED_2031_35",
        "Gwadar port closed for a year within 2031-35 (factor 0.8 for the 5-year period)",
        2.0,
        (365.0, None),
        "2031-35",
        [("port", "GWADAR")],
        0.8,
        "6b: 2 Gwadar incidents (Aug 2023 convoy attack, Mar 2024 GPA complex assault)",
    ),
)


def _province(shares: dict[str, float], prior: dict[str, float]) -> float:
    return sum(w * prior[p] for p, w in shares.items())


@functools.lru_cache(maxsize=1)
def _risk_figures() -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """Per corridor: unit, incidents, unit length, prior and posterior density, λ, score, q, security
    cost and convoy data (the figures behind the CorridorRisk rows, for the Sources sheet and tests)."""
    b = _Book()
    _nodes(b)
    _corridors(b)
    cors = {r["corridor"]: r for r in b.tables["Corridors"]}
    region = {r["node"]: r["region"].split("/")[0] for r in b.tables["Nodes"]}
    prov_of = {"Balochistan": "BAL", "KP": "KP"}
    units: list[tuple[str, tuple[str, ...], float, dict[str, float], bool, str, str]] = []
    covered: set[str] = set()
    for unit, members, n, shares, flag, text in RISK_ROUTES:
        units.append((unit, members, n, shares, True, flag, text))
        covered |= set(members)
    for code, rec in cors.items():
        if code in covered or code.startswith(RISK_LINKS):
            continue
        if code in RISK_PROVINCE:
            shares, why = RISK_PROVINCE[code]
        else:
            ends = [prov_of.get(region[rec[k]], "REST") for k in ("from_node", "to_node")]
            shares = {p: ends.count(p) / 2 for p in set(ends)}
            why = "province of its end nodes"
        planned = code in PLANNED
        text = ("not in use 2023-25 (planned or disused): prior mean only" if planned else "none logged") + f"; {why}"
        units.append((code, (code,), 0.0, shares, not planned, "A" if planned else "C", text))
    length = {u[0]: sum(cors[c]["distance_km"] for c in u[1]) for u in units}
    # Balochistan prior: logged incidents over logged exposure of the province's corridors in use.
    n_bal = sum(u[2] * u[3].get("BAL", 0.0) for u in units if u[4])
    km_bal = sum(length[u[0]] * u[3].get("BAL", 0.0) for u in units if u[4])
    rho_bal = n_bal / (LOG_YEARS * km_bal)
    prior = {p: rho_bal * ATTACKS_2024[p] / ATTACKS_2024["BAL"] for p in ATTACKS_2024}
    rows = []
    for unit, members, n, shares, in_use, flag, text in units:
        rho0 = _province(shares, prior)
        exposure = length[unit] * (LOG_YEARS if in_use else 0.0)
        rho = (n + PRIOR_SHAPE) / (PRIOR_SHAPE / rho0 + exposure)
        for c in members:
            km = cors[c]["distance_km"]
            lam = rho * km
            escorted = cors[c]["mode"] == "road" and shares == BAL and rho >= rho_bal * (1 - 1e-9)
            rows.append(
                {
                    "corridor": c,
                    "unit": unit,
                    "incidents": n,
                    "unit_km": length[unit],
                    "in_use": in_use,
                    "prior_per_km_yr": rho0,
                    "per_km_yr": rho,
                    "km": km,
                    "per_yr": lam,
                    "risk_score": RISK_SCORE_YEARS * lam,
                    "incident_probability": lam * CARGO_HIT_SHARE * CARGO_LOST_SHARE * INCIDENT_DAYS / 365.0,
                    "security_cost_usd_per_t": SECURITY_USD_PER_T * lam,
                    "convoy_size_t": CONVOY_T if escorted else None,
                    "escort_cost_usd_per_convoy": ESCORT_USD_PER_KM * km if escorted else 0.0,
                    "flag": flag,
                    "note": text,
                    "provinces": shares,
                }
            )
    for code in cors:
        if code.startswith(RISK_LINKS):
            rows.append({"corridor": code, "unit": code, "link": True, "km": cors[code]["distance_km"], "per_yr": 0.0})
    return tuple(rows), {"rho_bal": rho_bal, "prior": prior, "n_bal": n_bal, "km_bal": km_bal}


def corridor_risk_figures() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per corridor the figures behind its CorridorRisk row (unit, incidents, unit length, prior and
    posterior density, λ per year, score, loss probability, security cost, convoy data), and the
    provincial priors: for the Sources sheet and the tests."""
    rows, meta = _risk_figures()
    return copy.deepcopy(list(rows)), copy.deepcopy(meta)


def _node_lambda(n: float) -> float:
    return n / LOG_YEARS


def _sibling(name: str):
    """A module beside this file (instances/ is not a package)."""
    import importlib
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    return importlib.import_module(name)


def _scenarios(b: _Book) -> None:
    pakistan_scenarios = _sibling("pakistan_scenarios")
    delayed = period_average(lambda y: _rd_schedule(y - 2))
    for rec in pakistan_scenarios.scenario_rows(rd_delayed=delayed):
        b.row("Scenarios", rec)
    for rec in pakistan_scenarios.uncertainty_rows():
        b.row("Uncertainties", {k: v for k, v in rec.items() if v is not None})
    for name, text in pakistan_scenarios.scenario_sources():
        b.src("Scenarios", name, "all", "see the Scenarios sheet", "A", "instances/pakistan_scenarios.py", text)
    for name, flag, text in pakistan_scenarios.economics_scenario_sources():
        b.src("Scenarios", name, "all", "see the Scenarios sheet", flag, text, "instances/pakistan_scenarios.py")
    b.src(
        "Uncertainties", "all", "distributions", "see the Uncertainties sheet", "A", "instances/pakistan_scenarios.py", "spreads are assumptions, not forecasts"
    )


def _risk(b: _Book) -> None:
    rows, meta = corridor_risk_figures()
    rho_bal, prior = meta["rho_bal"], meta["prior"]
    q_per_lambda = CARGO_HIT_SHARE * CARGO_LOST_SHARE * INCIDENT_DAYS / 365.0
    b.src(
        "CorridorRisk",
        "all",
        "(method)",
        "ρ_u = (n_u + k)/(k/ρ̄_u + L_u·T); λ_e = ρ_u·L_e; score = 10·λ_e; q = λ_e·h·f·D/365; security = κ·λ_e",
        "C",
        "facts 6b incident log (counts per edge) and 6a provincial totals",
        "Gamma-Poisson posterior mean per route; U-sourced incidents count half (the midpoint of the log's ranges); "
        "risk constant over the periods (the 2025 rise, +45 % H1 2025 in 6a, not extrapolated: U)",
    )
    b.src(
        "CorridorRisk",
        "all",
        "(T, window)",
        LOG_YEARS,
        "U",
        "facts 6b: entries Aug 2023 to 2025",
        "2023-2025 taken as 3 years; the counts are 6b's entries checked in Dawn/Geo/ARY plus those found on the same routes while checking "
        "(one per route a day; R-04, R-06, R-08, L-02, L-03b, Pasni): still a sample of reported incidents, a lower bound. No per-route "
        "dataset (PICSS, PIPS, SATP by highway) was found",
    )
    b.src("CorridorRisk", "all", "(k, prior shape)", PRIOR_SHAPE, "A", "assumption", "the provincial prior weighs as much as one logged incident")
    b.src(
        "CorridorRisk",
        "all",
        "(ρ̄ Balochistan, per km-yr)",
        rho_bal,
        "C",
        "facts 6b",
        f"{meta['n_bal']:.1f} logged incidents on the model's Balochistan corridors in use / ({LOG_YEARS:.0f} yr × {meta['km_bal']:,.0f} km)",
    )
    b.src(
        "CorridorRisk",
        "all",
        "(ρ̄ KP, ρ̄ Sindh/Punjab, per km-yr)",
        f"{prior['KP']:.3g}, {prior['REST']:.3g}",
        "C",
        "facts 6a: PIPS 2024 attacks Balochistan 202, KP 295, Pakistan 521 (rest 24)",
        "ρ̄_province = ρ̄_Balochistan × attacks_province / attacks_Balochistan (not corrected for network length: U)",
    )
    b.src(
        "CorridorRisk",
        "all",
        "incident_probability (h, f, D)",
        f"h {CARGO_HIT_SHARE}, f {CARGO_LOST_SHARE}, D {INCIDENT_DAYS:g} day → q = λ × {q_per_lambda:.3g}",
        "A",
        "facts 6b: 7 of the 12 dated Balochistan/Karachi rows struck vehicles or trains (C); half of such strikes assumed to fall on freight (A)",
        "h = share of incidents that strike freight in transit; f = share of a struck convoy's cargo lost or written off "
        "(35 vehicles burned in the Aug 2024 attacks; containerised concentrate is hard to carry off); "
        "D = days an incident catches the traffic on its segment: a tonne on segment e is lost with probability λ_e·h·f·D/365",
    )
    b.src(
        "CorridorRisk",
        "all",
        "security_cost_usd_per_t (κ)",
        f"{SECURITY_USD_PER_T:g} USD/t per expected incident a year",
        "A",
        "assumption (no security cost in the facts sheet)",
        "guards, pickets and war-risk cover scale with the threat along the segment; a Balochistan road route "
        "with ~1 incident a year costs ~10 USD/t, ~20 % on top of trucking. The only published per-tonne security charge found is far "
        "lower: coal trucks Harnai/Duki to Punjab pay 'Rs230 per tonne to the Frontier Corps' (Dawn, 8 Jun 2023, https://www.dawn.com/"
        "news/1758578/coal-supply-at-risk-as-security-concerns-mount) = 0.82 USD/t at 280 PKR/USD, for the whole haul, guards only; "
        "no route length for that haul was found to turn it into a κ",
    )
    b.src(
        "CorridorRisk",
        "all",
        "risk_score",
        "10 × λ_e",
        "C",
        "computed",
        "expected incidents on the segment per decade; sums along a route (segmentation-neutral)",
    )
    b.src(
        "CorridorRisk",
        "high-risk Balochistan roads",
        "convoy_size_t, escort_cost_usd_per_convoy",
        f"{CONVOY_T:,.0f} t; {ESCORT_USD_PER_KM:g} USD per convoy-km",
        "A",
        "assumption; facts 3c: ~25 t per truck (Reko Diq: 1 Mt/yr replacing 'more than 28,000 truckloads' = ~36 t, "
        "https://burakbaloch.pk/rail-track-from-balochistan); no convoy size or escort tariff published (Balochistan's interim convoy "
        "system, https://pakobserver.com.pk/pakistan-news/latest-news/balochistan-to-raise-dedicated-highway-security-force-in-rs-25-"
        "billion-plan/, gives none)",
        f"escorted: Balochistan roads with ρ_u ≥ ρ̄ Balochistan (planned roads included); convoy {CONVOY_TRUCKS} trucks × {TRUCK_T:g} t; "
        "escort = two vehicles with crews, fuel and allowances",
    )
    b.src(
        "CorridorRisk",
        "X-*, T-*, P-*",
        "all",
        0,
        "A",
        "modelling choice",
        "sidings, transfers and refinery links lie in towns: their risk is the town's NodeRisk",
    )
    for r in rows:
        if r.get("link"):
            b.row("CorridorRisk", {"corridor": r["corridor"], "incident_probability": 0.0, "risk_score": 0.0, "security_cost_usd_per_t": 0.0})
            continue
        rec = {
            "corridor": r["corridor"],
            "incident_probability": float(f"{r['incident_probability']:.4g}"),
            "risk_score": round(r["risk_score"], 4),
            "security_cost_usd_per_t": round(r["security_cost_usd_per_t"], 3),
        }
        if r["convoy_size_t"]:
            rec["convoy_size_t"] = r["convoy_size_t"]
            rec["escort_cost_usd_per_convoy"] = round(r["escort_cost_usd_per_convoy"], 0)
        b.row("CorridorRisk", rec)
        shares = ", ".join(f"{p} {w:g}" for p, w in r["provinces"].items())
        b.src(
            "CorridorRisk",
            r["corridor"],
            "incident_probability, risk_score, security_cost_usd_per_t" + (", convoy" if r["convoy_size_t"] else ""),
            f"λ {r['per_yr']:.4f}/yr: q {rec['incident_probability']:.3g}, score {rec['risk_score']:.3f}, {rec['security_cost_usd_per_t']:.2f} USD/t"
            + (f", convoy {CONVOY_T:,.0f} t at {rec['escort_cost_usd_per_convoy']:,.0f} USD" if r["convoy_size_t"] else ""),
            r["flag"],
            r["note"],
            f"unit {r['unit']}: n {r['incidents']:g} over {r['unit_km']:,.0f} km × {LOG_YEARS if r['in_use'] else 0:g} yr, prior ({shares}) "
            f"{r['prior_per_km_yr']:.3g} → ρ {r['per_km_yr']:.3g}/km-yr × {r['km']:.0f} km",
        )

    for place, nodes, n, flag, text in RISK_NODES:
        lam = _node_lambda(n)
        for node in nodes:
            b.row(
                "NodeRisk",
                {
                    "node": node,
                    "incident_probability": float(f"{lam * q_per_lambda:.4g}"),
                    "risk_score": round(RISK_SCORE_YEARS * lam, 4),
                    "security_cost_usd_per_t": round(SECURITY_USD_PER_T * lam, 3),
                },
            )
        b.src(
            "NodeRisk",
            ", ".join(nodes),
            "incident_probability, risk_score, security_cost_usd_per_t",
            f"λ {lam:.3f}/yr: q {lam * q_per_lambda:.3g}, score {RISK_SCORE_YEARS * lam:.2f}, {SECURITY_USD_PER_T * lam:.2f} USD/t",
            flag,
            text,
            f"{place}: λ = n/T = {n:g}/{LOG_YEARS:g}; same h, f, D and κ as the corridors; applied to tonnes handled "
            "(sales at ports, input at refineries, inflow at hubs)",
        )

    b.row("RiskLimits", {"max_convoys_per_yr": ESCORT_LEGS_PER_YR})
    b.src(
        "RiskLimits",
        "(all periods)",
        "max_convoys_per_yr",
        ESCORT_LEGS_PER_YR,
        "A",
        "assumption (no escort capacity in the facts sheet)",
        f"{ESCORT_TEAMS} FC/Levies escort teams × {ESCORT_LEGS_PER_TEAM_DAY:g} convoy-leg a day × 365; a leg = one convoy over one "
        "escorted segment (a convoy over the N-40's four segments uses four)",
    )
    b.src(
        "RiskLimits",
        "(all periods)",
        "exposure_budget",
        "blank",
        "A",
        "modelling choice",
        "no budget in the base: budgets are for scenarios (RISK_BUDGET) and the frontier",
    )

    b.src(
        "Disruptions",
        "all",
        "probability",
        f"1 − exp(−(n/T) × (S(d1) − S(d2)) × years); S(d) = d^−{CLOSURE_ALPHA:.3f}",
        "C",
        "facts 6b: Kolpur bridge (>2 weeks) is 1 of the 16 corridor incidents counted; S(14) = 1/16 gives α",
        "n = the log's count for the edge as printed in 6b (a closure anywhere on it counts, Quetta station and Nokkundi town too); "
        "every incident closes its element ≥ 1 day (A); Pareto tail (A); one event per case in one period, the undisrupted "
        "case takes the rest; events in other periods are left out, so the two-stage model understates disruption risk (the stress test shows each case in full)",
    )
    b.src(
        "DisruptionFactors",
        "all",
        "factor, period",
        "1 − closed days / days in the period",
        "C",
        "the case's closure length",
        "a quarter of 2030 = 0.75 for 2030; two weeks = 1 − 14/365 = 0.96; a month = 0.92; six months = 0.5; a year of the 5-year 2031-35 = 0.8",
    )
    for name, text, n, (d1, d2), period, elements, factor, source in DISRUPTIONS:
        share = closure_share(d1) - (closure_share(d2) if d2 else 0.0)
        years = next(length for p, _s, length in PERIODS if p == period)
        prob = 1 - math.exp(-(n / LOG_YEARS) * share * years)
        b.row("Disruptions", {"disruption": name, "probability": round(prob, 5), "description": text})
        for etype, element in elements:
            b.row("DisruptionFactors", {"disruption": name, "element_type": etype, "element": element, "period": period, "factor": factor})
        band = f"{d1:g}-{d2:g} days" if d2 else f"≥ {d1:g} days"
        b.src(
            "Disruptions",
            name,
            "probability, factor",
            f"p {prob:.4f}; factor {factor:g} in {period}",
            "C",
            source,
            f"rate {n:g}/{LOG_YEARS:g} yr × S({band}) {share:.4f} × {years} yr",
        )


@functools.lru_cache(maxsize=1)
def _build() -> tuple[Records, list[dict[str, Any]]]:
    b = _Book()
    _settings(b)
    values = _sibling("pakistan_markets").build(b, SimpleNamespace(**globals()))
    _commodities(b, values)
    _nodes(b)
    _corridors(b)
    _mines(b)
    _refineries(b)
    _ports(b)
    _upgrades(b)
    _risk(b)
    _scenarios(b)
    return b.tables, b.sources


def records() -> Records:
    """The schema tables of the Pakistan instance: {table: [row dicts]} (a fresh copy)."""
    return copy.deepcopy(_build()[0])


def sources() -> list[dict[str, Any]]:
    """Rows of the Sources sheet: table, row_key, columns, value, source, flag, note."""
    return copy.deepcopy(_build()[1])
