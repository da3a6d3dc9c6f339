"""The real Pakistan instance: Reko Diq, Saindak, Duddar, antimony and chromite to the ports,
with the planned FWO-USSM poly-metallic refinery at one of four candidate sites.

Every figure comes from ``../shared/reference/pakistan_facts.md`` (the facts sheet) or is an
assumption stated here; `sources()` returns one row per figure or group of figures
(table, row key, columns, value, source, flag, note) for the workbook's Sources sheet.
Flags: S = sourced (facts sheet), C = computed from sourced figures, U = uncertain or
approximate, A = assumption made for this instance.

`records()` returns the schema tables as ``{table: [row dicts]}``, ready for
`supplyopt.io.memory.instance_from_records` or `supplyopt.io.template.write_template`.

Conventions of this instance
- Money in constant 2025 USD; prices are 2025 prices held flat (real terms), discounted at
  10 %/yr to 2026. Masses in tonnes (gold doré in tonnes of contained gold).
- Prices are FOB at a Pakistani port: the international price less ocean freight to Asia
  (`OCEAN_FREIGHT`, A), and for concentrates less the smelter's terms (TC/RC, payables, A).
- Road and rail are separate networks: a tonne changes mode only on a transfer link
  (Nokkundi, Quetta) that charges the transhipment cost, and enters a port by rail over a
  siding that charges unloading. Segment corridors carry no handling of their own.
- Road segment lengths: a sourced route length apportioned over its segments in proportion to
  the great-circle (GC) distances between the facts sheet's coordinates (C); where no route
  length is published, GC × 1.3 (the facts sheet's rule: road ≈ GC × 1.2-1.4; A).
"""

from __future__ import annotations

import copy
import functools
from math import asin, cos, radians, sin, sqrt
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
AU_PRICE_OZ = 3_400.0  # USD/oz, mid-2025 (June average 3,366; October 4,070; year-end ~4,330)
SB_PRICE = 50_000.0  # USD/t antimony metal/trioxide: between 39.5-40k (Dec 2024) and 58-60k (mid-2025)
NDPR_PRICE = 86_000.0  # USD/t NdPr oxide: 605-608k CNY/t (31 Dec 2025) at 7 CNY/USD
ZN_PRICE, PB_PRICE = 2_800.0, 2_000.0  # USD/t, A: not in the facts sheet
CHROMITE_PRICE = 250.0  # USD/t FOB lumpy/concentrate chromite, A: not in the facts sheet
OCEAN_FREIGHT = 40.0  # USD/t to Chinese/Asian ports, deducted from CIF prices to get FOB, A

# Copper-concentrate terms (long-run benchmark levels, A). The 2025 benchmark terms were far
# lower (TC/RC near zero), which makes exporting concentrate even more attractive.
CU_TC = 80.0  # USD/dmt
CU_RC = 0.08  # USD/lb payable Cu
CU_PAYABLE = 0.965
AU_PAYABLE_CONC = 0.97  # gold payable in a ~10 g/t copper concentrate
AU_RC_OZ = 5.0  # USD/oz payable gold
SB_CONC_GRADE = 0.50  # Sb content of antimony concentrate
SB_CONC_PAYABLE = 0.60  # share of the metal price paid for Sb in concentrate

# Reko Diq concentrate (C from the Barrick feasibility figures in the facts sheet)
RD_PH1_CU_T = 240_000  # t Cu/yr, Phase 1
RD_PH1_AU_OZ = 297_000  # oz Au/yr, Phase 1
RD_PH2_CU_T = 460_000  # t Cu/yr, Phase 2 (2034)
RD_PH1_CONC_T = 900_000  # t concentrate/yr, Phase 1 (facts: ≈0.9-1.0 Mt/yr at 25-28 % Cu)
RD_CU_GRADE = RD_PH1_CU_T / RD_PH1_CONC_T  # 0.2667
RD_AU_GPT = RD_PH1_AU_OZ / OZ_PER_T * 1e6 / RD_PH1_CONC_T  # g/t Au in concentrate, ≈10.3
RD_PH2_CONC_T = round(RD_PH2_CU_T / RD_CU_GRADE, -3)  # 1.725 Mt/yr at the Phase 1 grade

# Smelter recoveries (A)
CU_RECOVERY = 0.975
AU_RECOVERY = 0.98
SB_RECOVERY = 0.92
DORE_PAYABLE = 0.995  # doré sold at 99.5 % of contained gold value

# Saindak blister (design: 15,800 t/yr blister with 1.46 t Au)
SAINDAK_AU_GPT = 1.46e6 / 15_800  # g Au per t blister, ≈92.4
BLISTER_CU = 0.985  # Cu content of blister, A
BLISTER_CU_PAYABLE = 0.99
BLISTER_RC = 150.0  # USD/t blister refining charge, A
BLISTER_AU_PAYABLE = 0.95

# Transport (facts sheet Sheet 3c)
TRUCK_USD_TKM = 0.042  # headhaul, Karachi-Lahore container rates, Jul 2025
RAIL_USD_TKM = round(TRUCK_USD_TKM * (1 - 0.43), 4)  # "rail cuts line-haul cost up to 43 %": 0.0239
TRANSFER_USD_T = 5.0  # truck <-> rail transhipment (containers lifted), A
RAIL_LOAD_USD_T = 2.0  # loading trains at a mine or refinery siding, A
RAIL_UNLOAD_USD_T = 3.0  # unloading trains at a port terminal, A
WAGON_NET_T = 50.0  # C: 4 axles × 17.27 t axle load (ML-4) = 69 t gross, less ~19 t tare (U)
TRAIN_WAGONS = 20
RAIL_BASE_TPY = 2 * TRAIN_WAGONS * WAGON_NET_T * 365  # 2 trains/day: 730,000 t/yr
RAIL_FULL_TPY = 5 * TRAIN_WAGONS * WAGON_NET_T * 365  # 5 trains/day: 1,825,000 t/yr
ROAD_CAP_TPY = 2_000_000.0  # mineral trucking per road segment, A (~220 loaded 25-t trucks/day)
PKR_PER_USD = 280.0  # the facts sheet's conversion (unverified)


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
    "QILA_ABDULLAH_SB": ("Qila Abdullah antimony", "mine", 30.73, 66.66, "Balochistan/Qila Abdullah", "U", "town coordinates"),
    "CHITRAL_SB": ("Chitral antimony (Krinj, Partsan, Awireth)", "mine", 35.85, 71.79, "KP/Chitral", "U", "district centre"),
    "MUSLIM_BAGH": ("Muslim Bagh-Khanozai chromite", "mine", 30.83, 67.73, "Balochistan/Qila Saifullah", "U", "facts sheet M8"),
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
    "REF_PASNI": ("Refinery candidate: Pasni (with proposed port)", "refinery", 25.26, 63.47, "Balochistan/Gwadar", "U", "facts sheet R4"),
    "REF_NOKKUNDI": ("Refinery candidate: Nokkundi mine-mouth (ML-4 railhead)", "refinery", 28.82, 62.75, "Balochistan/Chagai", "U", "facts sheet R5"),
    # ports
    "PORT_QASIM": ("Port Qasim (PIBT dirty-bulk terminal)", "port", 24.767, 67.333, "Sindh/Karachi", "S", "piglix/Port Qasim"),
    "KARACHI_PORT": ("Karachi Port (KPT)", "port", 24.81, 66.98, "Sindh/Karachi", "U", "facts sheet Sheet 2"),
    "GWADAR": ("Gwadar Port", "port", 25.1225, 62.3202, "Balochistan/Gwadar", "S", "DLCA logcluster"),
    "PASNI": ("Pasni (proposed port)", "port", 25.26, 63.47, "Balochistan/Gwadar", "U", "facts sheet Sheet 2"),
    # road junctions and towns (facts sheet Sheet 1, row J)
    "KARACHI": ("Karachi (N-25/N-10/N-5 road hub)", "hub", 24.86, 67.01, "Sindh/Karachi", "A", "city centre, not in the facts sheet"),
    "QUETTA": ("Quetta (N-25/N-40 junction; stands in for Lakpass)", "hub", 30.18, 67.00, "Balochistan/Quetta", "U", "facts sheet J"),
    "NUSHKI": ("Nushki", "hub", 29.55, 66.02, "Balochistan/Nushki", "U", "facts sheet J"),
    "DALBANDIN": ("Dalbandin", "hub", 28.89, 64.41, "Balochistan/Chagai", "U", "facts sheet J"),
    "NOKKUNDI": ("Nokkundi", "hub", 28.82, 62.75, "Balochistan/Chagai", "U", "facts sheet J"),
    "TAFTAN": ("Taftan (Koh-i-Taftan)", "hub", 28.97, 61.57, "Balochistan/Chagai", "U", "facts sheet J"),
    "KALAT": ("Kalat", "hub", 29.03, 66.59, "Balochistan/Kalat", "U", "facts sheet J"),
    "SURAB": ("Surab", "hub", 28.49, 66.26, "Balochistan/Surab", "U", "facts sheet J"),
    "KHUZDAR": ("Khuzdar", "hub", 27.81, 66.61, "Balochistan/Khuzdar", "U", "facts sheet J"),
    "BELA": ("Bela", "hub", 26.23, 66.31, "Balochistan/Lasbela", "U", "facts sheet J"),
    "BASIMA": ("Basima", "hub", 27.91, 65.87, "Balochistan/Washuk", "U", "facts sheet J"),
    "KHARAN": ("Kharan", "hub", 28.58, 65.42, "Balochistan/Kharan", "U", "facts sheet J"),
    "PANJGUR": ("Panjgur", "hub", 26.97, 64.10, "Balochistan/Panjgur", "U", "facts sheet J"),
    "HOSHAB": ("Hoshab", "hub", 26.02, 63.89, "Balochistan/Kech", "U", "facts sheet J"),
    "TURBAT": ("Turbat", "hub", 26.00, 63.05, "Balochistan/Kech", "U", "facts sheet J"),
    "NOWSHERA": ("Nowshera (N-45/N-5 junction)", "hub", 34.02, 71.98, "KP/Nowshera", "A", "town centre, not in the facts sheet"),
    # rail stations and junctions (separate nodes: a change of mode costs a transfer)
    "REKO_DIQ_RS": ("Reko Diq (planned rail loading siding)", "hub", 29.130, 62.061, "Balochistan/Chagai", "S", "mine coordinates"),
    "TAFTAN_RS": ("Koh-i-Taftan station (ML-4 km 612)", "hub", 28.97, 61.57, "Balochistan/Chagai", "U", "facts sheet J"),
    "NOKKUNDI_RS": ("Nokkundi station (ML-4 km 488)", "hub", 28.82, 62.75, "Balochistan/Chagai", "U", "facts sheet J"),
    "DALBANDIN_RS": ("Dalbandin station (ML-4 km 318)", "hub", 28.89, 64.41, "Balochistan/Chagai", "U", "facts sheet J"),
    "NUSHKI_RS": ("Nushki station (ML-4 km 133)", "hub", 29.55, 66.02, "Balochistan/Nushki", "U", "facts sheet J"),
    "SPEZAND_RS": ("Spezand junction (ML-4 km 0, ML-3)", "hub", 29.97, 67.00, "Balochistan/Mastung", "A", "~25 km south of Quetta, not in the facts sheet"),
    "QUETTA_RS": ("Quetta station", "hub", 30.18, 67.00, "Balochistan/Quetta", "U", "facts sheet J"),
    "SIBI_RS": ("Sibi junction (ML-3)", "hub", 29.54, 67.88, "Balochistan/Sibi", "U", "facts sheet J"),
    "ROHRI_RS": ("Rohri junction (ML-1/ML-3)", "hub", 27.69, 68.90, "Sindh/Sukkur", "U", "facts sheet J"),
    "BIN_QASIM_RS": ("Bin Qasim station (ML-1 km 43)", "hub", 24.85, 67.30, "Sindh/Karachi", "A", "near Port Qasim, not in the facts sheet"),
    "KARACHI_RS": ("Karachi (Kiamari) railhead (ML-1 km 0)", "hub", 24.82, 66.98, "Sindh/Karachi", "A", "next to Karachi Port"),
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
    ("R-01", "R-01 Reko Diq-Nokkundi mine road (to N-40)", "REKO_DIQ", "NOKKUNDI", 70.0, "U", "facts 3a R-01: ~70 km (pakistantoday.org 2024); GC 75"),
    ("R-03", "R-03 Saindak-Taftan", "SAINDAK", "TAFTAN", 35.0, "S", "facts 3a R-03: 35 km (saindak.com.pk)"),
    ("R-09", "R-09 N-30 Basima-Khuzdar", "BASIMA", "KHUZDAR", 108.0, "C", "facts 3a R-09: 106-110 km (CPEC; NHA list), midpoint"),
    (
        "R-10",
        "R-10 Yakmach-Kharan Chagai-Karachi shortcut (Dalbandin stands in for Yakmach; planned)",
        "DALBANDIN",
        "KHARAN",
        200.0,
        "U",
        "facts 3a R-10: 200 km, saves >250 km vs the Lakpass route (Nation 2018); Yakmach lies between Dalbandin and Nokkundi",
    ),
    (
        "R-11",
        "R-11 Nokkundi-Mashkhel-Panjgur (N-40 to N-85/M-8; design only)",
        "NOKKUNDI",
        "PANJGUR",
        303.0,
        "S",
        "facts 3a R-11: 103 + 200 km (design, Daily Times 2021)",
    ),
    ("R-12", "R-12 Duddar-Karachi via Winder/N-25", "DUDDAR", "KARACHI", 200.0, "S", "facts 3a R-12: ~200 km (Wikipedia)"),
    ("R-18", "R-18 N-45 Chitral-Nowshera", "CHITRAL_SB", "NOWSHERA", 309.0, "S", "facts 3a R-18: 309 km (NHA list)"),
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

# Roads without a published length: GC × ROAD_FACTOR (A). (code, name, from, to)
ROAD_FACTOR = 1.3
ROADS_GC = (
    ("R-04f", "R-04 N-25 Qila Abdullah-Quetta (Quetta-Chaman section)", "QILA_ABDULLAH_SB", "QUETTA"),
    ("R-13", "R-13 N-50 Muslim Bagh-Kuchlak-Quetta", "MUSLIM_BAGH", "QUETTA"),
    ("R-10b", "Kharan-Basima road (links R-10 to N-85/N-30)", "KHARAN", "BASIMA"),
    ("A-PT", "Pasni-Turbat road", "PASNI", "TURBAT"),
    ("A-LS", "Loe Shilman-Nowshera access (Khyber)", "LOE_SHILMAN", "NOWSHERA"),
    ("K-PQ", "Karachi-Port Qasim road", "KARACHI", "PORT_QASIM"),
    ("K-KPT", "Karachi-Karachi Port (Kiamari) road", "KARACHI", "KARACHI_PORT"),
)

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
    b.src("Settings", "discount_rate", "value", 0.10, "A", "assumption (real rate for a frontier-market mining project)")
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


def _commodities(b: _Book, prices: dict[str, float]) -> None:
    rows = (
        ("RD_CONC", "Reko Diq Cu-Au concentrate (26.7 % Cu, 10.3 g/t Au)", "concentrate"),
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
        b.row("Commodities", {"commodity": code, "name": name, "kind": kind, "cargo_value_usd_per_t": round(prices[code] + OCEAN_FREIGHT, 2)})
    b.src(
        "Commodities",
        "all",
        "cargo_value_usd_per_t",
        "FOB price + ocean freight",
        "C",
        "Markets prices below",
        "value of a tonne in transit = its CIF-equivalent price",
    )
    b.src(
        "Commodities", "W (tungsten)", "-", "not included", "U", "facts M12: no quantified deposit found (tdminews)", "tungsten left out of the base instance"
    )


def _prices(b: _Book) -> dict[str, float]:
    """FOB prices per commodity (USD/t) with their Sources rows."""
    au_per_t = AU_PRICE_OZ * OZ_PER_T
    b.src(
        "Markets",
        "CU_CATHODE",
        "(Cu price)",
        CU_PRICE,
        "C",
        "facts Sheet 5: 2025 quarterly LME averages 9,336/9,508/9,814/11,138 USD/t",
        "mean of the four quarters",
    )
    b.src(
        "Markets",
        "GOLD_DORE",
        "(Au price)",
        AU_PRICE_OZ,
        "U",
        "facts Sheet 5: June 2025 average 3,366 USD/oz, October 4,070, year-end ~4,330",
        "mid-2025 level; conservative vs year-end",
    )
    b.src("Markets", "all", "(ocean freight)", OCEAN_FREIGHT, "A", "assumption", "CIF Asia - FOB Pakistan, per tonne, all products")

    cu_pay = RD_CU_GRADE * CU_PAYABLE
    rd_conc = cu_pay * CU_PRICE - CU_TC - cu_pay * LB_PER_T * CU_RC + RD_AU_GPT * AU_PAYABLE_CONC / 1e6 * OZ_PER_T * (AU_PRICE_OZ - AU_RC_OZ) - OCEAN_FREIGHT
    b.src(
        "Markets",
        "RD_CONC",
        "price_usd_per_t",
        rd_conc,
        "C",
        "computed: Cu grade × 96.5 % payable × Cu price − TC − RC + Au g/t × 97 % payable × (Au − 5 USD/oz) − freight",
        f"terms A: TC {CU_TC:.0f} USD/dmt, RC {CU_RC * 100:.0f} c/lb (long-run benchmark; 2025 benchmark terms were near zero, U)",
    )
    cathode = CU_PRICE - OCEAN_FREIGHT
    dore = au_per_t * DORE_PAYABLE - OCEAN_FREIGHT
    blister = (
        BLISTER_CU * BLISTER_CU_PAYABLE * CU_PRICE - BLISTER_RC + SAINDAK_AU_GPT * BLISTER_AU_PAYABLE / 1e6 * au_per_t - OCEAN_FREIGHT
    )  # silver is left out of blister and doré alike (no sourced silver price)
    b.src("Markets", "CU_CATHODE", "price_usd_per_t", cathode, "C", "Cu price − freight")
    b.src("Markets", "GOLD_DORE", "price_usd_per_t", dore, "C", "Au price × 32,150.75 oz/t × 99.5 % (doré refining/assay deduction, A) − freight")
    b.src(
        "Markets",
        "CU_BLISTER",
        "price_usd_per_t",
        blister,
        "C",
        "98.5 % Cu × 99 % payable × Cu price − 150 USD/t RC + 92.4 g/t Au × 95 % payable − freight",
        "blister grade, payables and RC are A; Au content C from the Saindak design 1.46 t Au per 15,800 t blister (facts M2); silver ignored",
    )
    znpb_zn = ZN_PRICE * 0.50 * 0.85 - 150.0
    znpb_pb = PB_PRICE * 0.60 * 0.95 - 150.0
    zn_t, pb_t = _duddar_conc()
    znpb = (zn_t * znpb_zn + pb_t * znpb_pb) / (zn_t + pb_t) - OCEAN_FREIGHT
    b.src(
        "Markets",
        "ZNPB_CONC",
        "price_usd_per_t",
        znpb,
        "A",
        "assumption: Zn 2,800 / Pb 2,000 USD/t (not in the facts sheet), 50 % Zn conc 85 % payable, 60 % Pb conc 95 % payable, TC 150 USD/t",
        "tonnage-weighted Zn/Pb concentrate value",
    )
    chromite = CHROMITE_PRICE
    b.src("Markets", "CHROMITE", "price_usd_per_t", chromite, "A", "assumption (not in the facts sheet)", "FOB Karachi")
    sb_metal = SB_PRICE - OCEAN_FREIGHT
    sb_conc = SB_CONC_GRADE * SB_CONC_PAYABLE * SB_PRICE - OCEAN_FREIGHT
    b.src(
        "Markets",
        "SB_METAL",
        "price_usd_per_t",
        sb_metal,
        "U",
        "facts Sheet 5: Rotterdam 39.5-40k USD/t (Dec 2024), regulus II 58-60k (mid-2025), trioxide ~40k (late 2025)",
        "50k taken",
    )
    b.src("Markets", "SB_CONC", "price_usd_per_t", sb_conc, "A", "assumption: 50 % Sb concentrate, 60 % of the metal price payable for its Sb", "")
    ndpr = NDPR_PRICE - OCEAN_FREIGHT
    b.src(
        "Markets",
        "NDPR_OXIDE",
        "price_usd_per_t",
        ndpr,
        "C",
        "facts Sheet 5: 605-608k CNY/t (SMM 31 Dec 2025) at 7 CNY/USD ≈ 86 USD/kg",
        "placeholder: no REE production in the base",
    )
    ree_conc = 2_000.0
    b.src("Markets", "REE_CONC", "price_usd_per_t", ree_conc, "A", "placeholder", "no REE production in the base")
    return {
        "RD_CONC": round(rd_conc, 2),
        "CU_BLISTER": round(blister, 2),
        "CU_CATHODE": round(cathode, 2),
        "GOLD_DORE": round(dore, 0),
        "ZNPB_CONC": round(znpb, 2),
        "CHROMITE": chromite,
        "SB_CONC": round(sb_conc, 2),
        "SB_METAL": round(sb_metal, 2),
        "REE_CONC": ree_conc,
        "NDPR_OXIDE": round(ndpr, 2),
    }


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
        b.src("Corridors", code, "distance_km", round(km, 1), "A", f"GC {_gc(a, z):.0f} km × {ROAD_FACTOR} (facts: road ≈ GC × 1.2-1.4)")
    b.src(
        "Corridors",
        "road segments",
        "capacity_t_per_yr",
        ROAD_CAP_TPY,
        "A",
        "assumption",
        "mineral trucking a single-carriageway segment can absorb (~220 loaded 25-t trucks/day) next to other traffic",
    )
    b.src(
        "Corridors",
        "R-10, R-11",
        "capacity_t_per_yr",
        0.0,
        "U",
        "facts 3a: R-10 proposal (Nation 2018), R-11 design (Daily Times 2021)",
        "not assumed built: capacity 0 + upgrade",
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
    b.src("Corridors", "L-05a, L-05b", "capacity_t_per_yr", RAIL_FULL_TPY, "A", "assumption", "5 train paths/day on ML-1 Rohri-Karachi for this chain")
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
    b.src("Corridors", "T-NOK, T-QTA", "handling_usd_per_t", TRANSFER_USD_T, "A", "assumption", "containerised concentrate lifted truck ↔ train")
    b.src("Corridors", "X-RD, L-07", "handling_usd_per_t", RAIL_LOAD_USD_T, "A", "assumption", "loading trains at a mine siding")
    b.src(
        "Corridors",
        "X-NKR",
        "handling_usd_per_t",
        TRANSFER_USD_T,
        "A",
        "assumption",
        "refinery siding charged like a truck-rail transfer, so the site is no cheaper transfer point than T-NOK",
    )
    b.src(
        "Corridors",
        "P-PQ, P-KPT",
        "handling_usd_per_t",
        RAIL_UNLOAD_USD_T,
        "A",
        "assumption",
        "unloading trains at the port terminal (port handling is separate, in Ports)",
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

    up("U-L01", "corridor", "L-01", 75 * 1.2e6, RAIL_FULL_TPY, "2028", 1.0e6)
    b.src(
        "Upgrades",
        "U-L01",
        "capex_usd, added_capacity, earliest_period",
        "90 M USD, 1.825 Mt/yr, 2028",
        "A",
        "facts 3b L-01: planned, PM deadline 2028 (Dunya Jun 2025)",
        "capex A: 75 km single track in desert × 1.2 M USD/km; 5 trains/day; opex 1 M USD/yr",
    )
    # Nokkundi-Sibi track upgrade: 400 M USD over ~600 km, 3 years; split over the four segments by length.
    l04 = {"L-02b": 170.0, "L-02c": 185.0, "L-02d": 133.0, "L-03a": None}
    sibi = _gc("SPEZAND_RS", "SIBI_RS"), _gc("SIBI_RS", "ROHRI_RS")
    l04["L-03a"] = 396.0 * sibi[0] / sum(sibi)
    total_km = sum(l04.values())
    for seg, km in l04.items():
        up(f"U-L04-{seg}", "corridor", seg, 400e6 * km / total_km, RAIL_FULL_TPY - RAIL_BASE_TPY, "2029")
    b.src(
        "Upgrades",
        "U-L04-*",
        "capex_usd, added_capacity, earliest_period",
        "400 M USD total, +1.095 Mt/yr, 2029",
        "S",
        "facts 3b L-04: Nokkundi-Sibi track upgrade ~600 km, 400 M USD, 3 years (Dunya, year U)",
        "capex split by segment length (C); capacity 2 → 5 trains/day (C); earliest 2026 + 3 years (A)",
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
    up("U-R10", "corridor", "R-10", 200 * 0.5e6, ROAD_CAP_TPY, "2029")
    up("U-R11", "corridor", "R-11", 303 * 0.5e6, ROAD_CAP_TPY, "2029")
    b.src("Upgrades", "U-R10, U-R11", "capex_usd", "0.5 M USD/km", "A", "assumption", "paved single-carriageway road in desert; earliest 2029")
    up("U-L07", "corridor", "L-07", 30 * 0.5e6, RAIL_BASE_TPY, "2028")
    b.src("Upgrades", "U-L07", "capex_usd", 15e6, "A", "assumption", "rehabilitating the disused 30 km Saindak spur at 0.5 M USD/km")
    up("U-GWADAR-BULK", "port", "GWADAR", 150e6, 3_000_000.0, "2029")
    b.src(
        "Upgrades", "U-GWADAR-BULK", "capex_usd, added_capacity", "150 M USD, 3 Mt/yr", "A", "assumption (cost mirrors RDMC's 150 M USD at PIBT, facts Sheet 2)"
    )
    up("U-PASNI-PORT", "port", "PASNI", 1.2e9, 5_000_000.0, "2031-35")
    b.src(
        "Upgrades",
        "U-PASNI-PORT",
        "capex_usd, added_capacity, earliest_period",
        "1.2 bn USD, 5 Mt/yr, 2031-35",
        "U",
        "facts Sheet 2: Pasni proposal up to 1.2 bn USD + rail link (FT via Indian Express, Oct 2025)",
        "capacity and timing A; proposal only, not official",
    )


@functools.lru_cache(maxsize=1)
def _corridor_lengths() -> tuple[tuple[str, float], ...]:
    """(code, km) of the apportioned road segments (used to split the N-25 dualisation cost)."""
    out = []
    for _prefix, _route, total, _source, segs in ROAD_ROUTES:
        gcs = [_gc(a, z) for _c, a, z in segs]
        out += [(code, total * g / sum(gcs)) for (code, _a, _z), g in zip(segs, gcs)]
    return tuple(out)


def _mines(b: _Book) -> None:
    def mine(node, commodity, period, max_t, cost, min_t=0.0):
        rec = {"mine": node, "commodity": commodity, "max_t_per_yr": round(max_t, 0), "cost_usd_per_t": round(cost, 2)}
        if period is not None:
            rec["period"] = period
        if min_t:
            rec["min_t_per_yr"] = min_t
        b.row("Mines", rec)

    # Reko Diq: first production end-2028; Phase 1 0.9 Mt/yr from 2029; Phase 2 from 2034.
    def rd(year):
        return 0.0 if year < 2029 else (RD_PH1_CONC_T if year < 2034 else RD_PH2_CONC_T)

    rd_cost = 11.0 * 45e6 / RD_PH1_CONC_T  # 11 USD/t ore × 45 Mt ore per 0.9 Mt concentrate
    for p, v in period_average(rd).items():
        mine("REKO_DIQ", "RD_CONC", p, v, rd_cost)
    b.src(
        "Mines",
        "REKO_DIQ/RD_CONC",
        "max_t_per_yr",
        f"{RD_PH1_CONC_T:,.0f} (2029-33), {RD_PH2_CONC_T:,.0f} (2034-)",
        "C",
        "facts M1: Ph1 45 Mtpa → 240 kt Cu + 297 koz Au/yr; Ph2 (2034) 460 kt Cu + 520 koz Au; first production end-2028 (Barrick FS 2025); facts Sheet 4: Ph1 ≈0.9-1.0 Mt/yr concentrate",
        f"Cu grade 240/900 = {RD_CU_GRADE:.1%}, Au {RD_AU_GPT:.1f} g/t (C); Ph2 tonnage = 460 kt Cu at that grade; Ph2 Au thereby ~9 % high (U); 2031-35 averages 3 Ph1 + 2 Ph2 years",
    )
    b.src("Mines", "REKO_DIQ/RD_CONC", "cost_usd_per_t", round(rd_cost, 2), "A", "assumption", "site cash cost 11 USD/t ore × 50 t ore per t concentrate")

    # Saindak: 16,426 t blister in 2021; East Ore Body expansion to 24,276 t/yr (timing A: 2030).
    def sd(year):
        return 16_426.0 if year < 2030 else 24_276.0

    for p, v in period_average(sd).items():
        mine("SAINDAK", "CU_BLISTER", p, v, 7_000.0)
    b.src(
        "Mines",
        "SAINDAK/CU_BLISTER",
        "max_t_per_yr",
        "16,426 to 2029; 24,276 from 2030",
        "S",
        "facts M2: 2021 output 16,426 t blister (energyupdate 2022); East Ore Body expansion → 24,276 t/yr (saindak.com.pk)",
        "expansion year 2030 is A",
    )
    b.src("Mines", "SAINDAK/CU_BLISTER", "cost_usd_per_t", 7_000.0, "A", "assumption", "mining + on-site smelting cash cost per t blister")

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
    b.src("Mines", "DUDDAR/ZNPB_CONC", "cost_usd_per_t", round(50.0 * 500_000 / (zn_t + pb_t), 2), "A", "assumption", "50 USD/t ore underground")

    mine("MUSLIM_BAGH", "CHROMITE", None, 400 * 300, 100.0)
    b.src(
        "Mines", "MUSLIM_BAGH/CHROMITE", "max_t_per_yr", 120_000, "U", "facts M8: 300-500 t/day trucked to Karachi (older source)", "400 t/day × 300 days (C)"
    )
    b.src("Mines", "MUSLIM_BAGH/CHROMITE", "cost_usd_per_t", 100.0, "A", "assumption", "artisanal mining")

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
        # site: (capex factor, fixed opex factor, extra processing cost on Cu concentrate, earliest period)
        "REF_PORT_QASIM": (1.00, 1.00, 0.0, "2029"),
        "REF_GWADAR": (1.10, 1.05, 10.0, "2029"),
        "REF_PASNI": (1.20, 1.10, 15.0, "2031-35"),
        "REF_NOKKUNDI": (1.30, 1.20, 20.0, "2029"),
    }
    for site, (f_capex, f_opex, _extra, earliest) in sites.items():
        b.row(
            "Refineries",
            {
                "site": site,
                "open_capex_usd": open_pq * f_capex,
                "fixed_opex_usd_per_yr": 8e6 * f_opex,
                "module_size_t_per_yr": size,
                "module_capex_usd": module_pq * f_capex,
                "module_opex_usd_per_yr": 2e6 * f_opex,
                "max_modules": 6,
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
        "split between opening (site, utilities, acid and precious-metals plants) and 50 kt/yr modules is A (~1,400 USD per t/yr of input at 5 modules)",
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
        "8 M/yr + 2 M/yr per module (× site factor)",
        "A",
        "assumption",
        "~3.5 % of capex at 5 modules",
    )
    b.src("Refineries", "all", "max_modules", 6, "A", "assumption", "300 kt/yr input: the first phase (5 modules) plus one expansion")
    b.src(
        "Refineries",
        "all",
        "earliest_period, lead_time_years",
        "2029 (Pasni 2031-35), 3 years",
        "A",
        "facts Sheet 4: MoU Sep 2025, first shipment Oct 2025; no timeline published",
        "Pasni waits for its port",
    )

    # Recipes: input → outputs (yields) and processing cost per t input.
    cu_yield = RD_CU_GRADE * CU_RECOVERY
    au_yield = RD_AU_GPT * AU_RECOVERY / 1e6
    b.row("Recipes", {"recipe": "CU_SMELT", "input_commodity": "RD_CONC", "cost_usd_per_t": 140.0})
    for site, (_f, _o, extra, _e) in sites.items():
        if extra:
            b.row("Recipes", {"recipe": "CU_SMELT", "site": site, "input_commodity": "RD_CONC", "cost_usd_per_t": 140.0 + extra})
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
        "140 (+10 Gwadar, +15 Pasni, +20 Nokkundi)",
        "A",
        "assumption",
        "smelting + electrorefining + doré, net of sulphuric-acid credit; remote sites pay more for power and water",
    )
    b.row("Recipes", {"recipe": "BLISTER_REFINE", "input_commodity": "CU_BLISTER", "cost_usd_per_t": 250.0})
    b.row("RecipeOutputs", {"recipe": "BLISTER_REFINE", "output_commodity": "CU_CATHODE", "yield": round(BLISTER_CU * 0.995, 6)})
    b.row("RecipeOutputs", {"recipe": "BLISTER_REFINE", "output_commodity": "GOLD_DORE", "yield": round(SAINDAK_AU_GPT * 0.99 / 1e6, 9)})
    b.src(
        "Recipes",
        "BLISTER_REFINE",
        "cost_usd_per_t, yield",
        "250 USD/t; Cu 99.5 %, Au 99 % recovery",
        "A",
        "assumption",
        "electrorefining + anode-slime treatment",
    )
    b.row("Recipes", {"recipe": "SB_SMELT", "input_commodity": "SB_CONC", "cost_usd_per_t": 1_500.0})
    b.row("RecipeOutputs", {"recipe": "SB_SMELT", "output_commodity": "SB_METAL", "yield": round(SB_CONC_GRADE * SB_RECOVERY, 6)})
    b.src(
        "Recipes",
        "SB_SMELT",
        "cost_usd_per_t, yield",
        f"1,500 USD/t; {SB_CONC_GRADE * SB_RECOVERY:.2f}",
        "A",
        "assumption",
        "50 % Sb concentrate, 92 % recovery to metal/trioxide",
    )
    b.row("Recipes", {"recipe": "REE_SEP", "input_commodity": "REE_CONC", "cost_usd_per_t": 3_000.0})
    b.row("RecipeOutputs", {"recipe": "REE_SEP", "output_commodity": "NDPR_OXIDE", "yield": 0.108})
    b.src("Recipes", "REE_SEP", "cost_usd_per_t, yield", "3,000 USD/t; 0.108", "A", "placeholder", "60 % TREO concentrate × 20 % NdPr share × 90 % recovery")


def _ports_markets(b: _Book, prices: dict[str, float]) -> None:
    ports = {
        # port: (capacity t/yr, handling USD/t)
        "PORT_QASIM": (4_000_000.0, 8.0),
        "KARACHI_PORT": (1_000_000.0, 10.0),
        "GWADAR": (1_000_000.0, 7.0),
        "PASNI": (0.0, 7.0),
    }
    for port, (cap, handling) in ports.items():
        b.row("Ports", {"port": port, "capacity_t_per_yr": cap, "handling_usd_per_t": handling})
    b.src(
        "Ports",
        "PORT_QASIM",
        "capacity_t_per_yr",
        4_000_000,
        "A",
        "facts Sheet 2: PIBT 12 Mtpa coal + 4 Mtpa clinker, expandable to 20; Reko Diq's preferred terminal (RDMC 150 M USD, exports from 2028)",
        "the 16 → 20 Mtpa expansion taken as this chain's share",
    )
    b.src(
        "Ports",
        "KARACHI_PORT",
        "capacity_t_per_yr",
        1_000_000,
        "A",
        "facts Sheet 2: 53.95 Mt in FY2024-25, exports 20.02 Mt (KPT)",
        "share for this chain's break-bulk/containers",
    )
    b.src(
        "Ports",
        "GWADAR",
        "capacity_t_per_yr",
        1_000_000,
        "A",
        "facts Sheet 2: 3 multipurpose berths (602 m quay), 50,000 DWT bulk, under-used",
        "no bulk terminal: upgrade U-GWADAR-BULK",
    )
    b.src("Ports", "PASNI", "capacity_t_per_yr", 0, "S", "facts Sheet 2: proposal only", "capacity 0 + upgrade U-PASNI-PORT")
    b.src("Ports", "all", "handling_usd_per_t", "8 / 10 / 7 / 7", "A", "assumption (not in the facts sheet)", "PQ / Karachi / Gwadar / Pasni, per tonne sold")

    for port in ports:
        for commodity, price in prices.items():
            rec = {"node": port, "commodity": commodity, "price_usd_per_t": price}
            b.row("Markets", rec)
    b.src(
        "Markets",
        "every port × every commodity",
        "price_usd_per_t, period",
        "FOB prices above, blank period",
        "A",
        "assumption",
        "every product (concentrates too, so exporting unrefined stays possible) sells at every port at the same 2025 FOB price, held flat in real terms",
    )
    # Reko Diq offtake: take-or-pay at PIBT for half of Phase 1 output from 2029.
    for p, _s, _l in PERIODS:
        if int(p[:4]) >= 2029:
            b.row(
                "Markets",
                {
                    "node": "PORT_QASIM",
                    "commodity": "RD_CONC",
                    "period": p,
                    "price_usd_per_t": prices["RD_CONC"],
                    "min_t_per_yr": RD_PH1_CONC_T / 2,
                    "shortfall_penalty_usd_per_t": 100.0,
                },
            )
    b.src(
        "Markets",
        "PORT_QASIM/RD_CONC/2029-",
        "min_t_per_yr, shortfall_penalty_usd_per_t",
        "450,000 t/yr, 100 USD/t",
        "A",
        "facts Sheet 2/4: RDMC prefers Port Qasim, 150 M USD at PIBT; lenders ADB/US EXIM (facts Sheet 4)",
        "take-or-pay: half of Phase 1 concentrate exported through PIBT, or pay 100 USD/t short",
    )


@functools.lru_cache(maxsize=1)
def _build() -> tuple[Records, list[dict[str, Any]]]:
    b = _Book()
    _settings(b)
    prices = _prices(b)
    _commodities(b, prices)
    _nodes(b)
    _corridors(b)
    _mines(b)
    _refineries(b)
    _ports_markets(b, prices)
    _upgrades(b)
    return b.tables, b.sources


def records() -> Records:
    """The schema tables of the Pakistan instance: {table: [row dicts]} (a fresh copy)."""
    return copy.deepcopy(_build()[0])


def sources() -> list[dict[str, Any]]:
    """Rows of the Sources sheet: table, row_key, columns, value, source, flag, note."""
    return copy.deepcopy(_build()[1])
