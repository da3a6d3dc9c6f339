"""World markets, smelter terms, sea legs and fiscal terms of the Pakistan instance (issue 13).

Every product leaves Pakistan by sea and is sold CIF to an overseas buyer (Buyers: China, the EU at
Rotterdam, the US), except gold doré, which is flown out and sold at the port (its freight is
negligible against 110 M USD/t). Prices are made from metal prices and smelter terms where the
product carries metal (MetalContents, MetalPrices, SmelterTerms, PayableMetals); the rest have
an explicit CIF price. Sea corridors S-<port>-<buyer> carry freight per tonne by vessel class
(SeaFreight); PortLimits keep a class out of a port it cannot enter (Gwadar: 50k DWT).
Royalties and the export-processing surcharge are costs of the plan and the state's take.

`build(b, pk)` adds the rows and their Sources rows to the book `b` of instances/pakistan.py
(`pk` is that module, for its prices, grades and periods) and returns the CIF-equivalent value
per tonne of each commodity, for Commodities.cargo_value_usd_per_t.
"""

from __future__ import annotations

from typing import Any

BUYERS = {
    # node: (name, country)
    "BUY_CHINA": ("Buyers in China (smelters and traders, CIF main ports)", "China"),
    "BUY_EU": ("Buyers in the EU (CIF Rotterdam)", "EU"),
    "BUY_USA": ("Buyers in the US (CIF US Gulf)", "USA"),
}
PORTS = ("PORT_QASIM", "KARACHI_PORT", "GWADAR", "PASNI")

# Sea distances (km) from Karachi / Port Qasim and from Gwadar / Pasni to Shanghai, Rotterdam (Suez) and
# Houston (Suez), computed with searoute 1.6.0 (PyPI; Eurostat MARNET network) between the sourced port
# points. Freight is per tonne (SeaFreight); the sea mode costs nothing per tonne-km.
SEA_KM = {"BUY_CHINA": 9_643.0, "BUY_EU": 11_478.0, "BUY_USA": 17_758.0}
SEA_KM_MAKRAN = {"BUY_CHINA": 9_910.0, "BUY_EU": 11_183.0, "BUY_USA": 17_463.0}

# Vessel classes: (DWT, laden draft m).
VESSELS = {"HANDYSIZE": (35_000.0, 10.0), "SUPRAMAX": (58_000.0, 12.2)}
# Supramax / Handysize cost per tonne: Baltic time-charter averages per DWT-day, S11TC 16,068 USD/day
# on 63,500 DWT against HS7TC 12,223 USD/day on 38,200 DWT (Dynamarine).
SUPRA_RATIO = round((16_068 / 63_500) / (12_223 / 38_200), 3)  # 0.791
# Supramax iron ore east coast India → China, USD/t (BigMint): 19 Jun 2024, 13 Nov 2024, 15 Jan 2025; per km over
# Paradip → Shanghai (searoute, 6,945 km) and times Karachi → Shanghai: 16.3 USD/t Supramax, 20.6 Handysize.
SUPRA_ECI_CHINA = (14.1, 12.5, 8.6)
ECI_SHANGHAI_KM = 6_945.0
SUPRA_CHINA_USD_T = round(sum(SUPRA_ECI_CHINA) / len(SUPRA_ECI_CHINA) * SEA_KM["BUY_CHINA"] / ECI_SHANGHAI_KM, 1)
HANDY_CHINA_USD_T = round(SUPRA_CHINA_USD_T / SUPRA_RATIO, 1)
# Supramax petcoke US Gulf → east coast India, USD/t (CemNet/Brannvoll): Feb 2024, Nov 2024, May, Jun, Aug, Sep 2025, Mar 2026.
SUPRA_USG_INDIA = (50.0, 47.0, 34.0, 38.0, 46.0, 54.0, 47.0)
SUPRA_USA_USD_T = round(sum(SUPRA_USG_INDIA) / len(SUPRA_USG_INDIA), 1)  # 45.1
PORT_LIMITS = {
    # port: (max DWT, max draft m, flag, source)
    "GWADAR": (50_000.0, 12.5, "S", "Pakistan Economic Net, story 5300 (https://pakistaneconomicnet.com/story/5300/); Dawn news/387487"),
    "PORT_QASIM": (
        65_000.0,
        13.0,
        "S",
        "APP, 'PM to inaugurate first coal, cement terminal at Port Qasim on Oct 14' (2017): PIBT 'dredged to 13.0 meters deep and was capable of "
        "handling ships of up to 65,000 tons' (http://www.app.com.pk/pm-to-inaugurate-first-coal-cement-terminal-at-port-qasim-on-oct-14/); "
        "Dawn, 4 May 2017: first vessel 61,219 DWT at 12.5 m draft (https://www.dawn.com/news/1330888/dirty-cargo-terminal-handles-first-vessel)",
    ),
    "KARACHI_PORT": (
        75_000.0,
        12.2,
        "S",
        "KPT, 'Port statistics': 'a 12.2 meter-deep approach channel', vessels up to 75,000 DWT (https://kpt.gov.pk/pages/21/port-statistics)",
    ),
    "PASNI": (50_000.0, 12.5, "A", "proposed port: taken as Gwadar's berths"),
}

ZN_PRICE = round((2_837 + 2_636) / 2)  # LME high-grade zinc, Q1 and Q2 2025 averages (FocusEconomics): 2,737 USD/t
PB_PRICE = 1_856.0  # LME lead cash official price, a day in 2025 (Business Recorder)
CHROMITE_CIF = round(377 / 1.13)  # S. Africa 42 % chrome concentrate to China, 377 USD/t incl. 13 % VAT (SteelOrbis wk 42 2025)
DORE_MARKET_PORTS = ("PORT_QASIM", "KARACHI_PORT", "GWADAR")
SB_BY_BUYER = {  # USD/t antimony (trioxide / regulus)
    "BUY_USA": (
        58_339.0,
        "ChemAnalyst, Antimony Trioxide price index, US average, quarter ending Dec 2025 (https://www.chemanalyst.com/Pricing-data/antimony-trioxide-1691)",
    ),
    "BUY_CHINA": (
        19_406.0,
        "ChemAnalyst, Antimony Trioxide price index, China (Shanghai) average, quarter ending Dec 2025 (https://www.chemanalyst.com/Pricing-data/antimony-trioxide-1691)",
    ),
    "BUY_EU": (
        57_500.0,
        "Argus, 'EU antimony softens slightly on improved availability', 24 Jun 2025: regulus II and trioxide 57,000-58,000 USD/t cif Rotterdam "
        "(https://www.argusmedia.com/en/news-and-insights/latest-market-news/2702731-eu-antimony-softens-slightly-on-improved-availability)",
    ),
}
RD_ROYALTY = 0.05  # to the Government of Balochistan
RD_NSR = 0.01  # net smelter return royalty to the Government of Pakistan
RD_EPZ_SURCHARGE = 0.005  # export processing zone surcharge on export value
BR_NA = "https://www.brecorder.com/news/40363029/minister-informs-na-reko-diq-project-to-generate-over-75bn-in-free-cash-flows"


def _sea(b, pk) -> dict[tuple[str, str], float]:
    """Buyers, the sea mode, sea corridors, vessel classes, freight and port limits; returns the
    cheapest freight (USD/t) per (port, buyer) a fitting class offers."""
    for node, (name, country) in BUYERS.items():
        b.row("Nodes", {"node": node, "name": name, "kind": "market", "region": country})
        b.row("Buyers", {"node": node, "country": country})
    b.src(
        "Buyers",
        "BUY_CHINA, BUY_EU, BUY_USA",
        "node",
        "3 buyers",
        "C",
        "the markets of the sourced prices: ChemAnalyst (US, China) and Argus (Rotterdam) antimony; LME copper and gold CIF anywhere",
        "no coordinates: the map stays on Pakistan",
    )
    b.row("Modes", {"mode": "sea", "cost_usd_per_tkm": 0.0, "handling_usd_per_t": 0.0})
    b.src("Modes", "sea", "cost_usd_per_tkm", 0.0, "C", "SeaFreight rows carry the whole ocean freight per tonne", "so a sea corridor's distance costs nothing")
    freight = {"BUY_CHINA": HANDY_CHINA_USD_T, "BUY_USA": round(SUPRA_USA_USD_T / SUPRA_RATIO, 1)}
    freight["BUY_EU"] = round(HANDY_CHINA_USD_T * SEA_KM["BUY_EU"] / SEA_KM["BUY_CHINA"], 1)
    for vessel, (dwt, draft) in VESSELS.items():
        b.row("VesselClasses", {"vessel_class": vessel, "dwt_t": dwt, "draft_m": draft})
    b.src(
        "VesselClasses",
        "HANDYSIZE",
        "dwt_t, draft_m",
        "35,000 t, 10 m",
        "S",
        "Bulk Carrier Guide, 'Various bulk carrier sizes': Handysize 24,000-35,000 DWT, 10 m draft (https://bulkcarrierguide.com/size-range.html); "
        "Taylor Maritime glossary: typical draught 10 m (https://taylormaritimeinvestments.com/portfolio/glossary/)",
    )
    b.src(
        "VesselClasses",
        "SUPRAMAX",
        "dwt_t, draft_m",
        "58,000 t, 12.2 m",
        "S",
        "Wikipedia 'Supramax': modern designs 52,000-58,000 DWT (http://en.wikipedia.org/wiki/Supramax); Taylor Maritime glossary: Supra/Ultramax "
        "typical draught 12.2 m (https://taylormaritimeinvestments.com/portfolio/glossary/)",
        "shiprope.com gives 13-14 m fully laden: a deeper draft would also keep Supramax out of Karachi Port",
    )
    cheapest: dict[tuple[str, str], float] = {}
    for port in PORTS:
        for buyer in BUYERS:
            code = f"S-{port.split('_')[0][:3]}-{buyer.removeprefix('BUY_')}"
            km = (SEA_KM_MAKRAN if port in ("GWADAR", "PASNI") else SEA_KM)[buyer]
            b.row(
                "Corridors",
                {
                    "corridor": code,
                    "name": f"Sea: {port} to {buyer}",
                    "from_node": port,
                    "to_node": buyer,
                    "mode": "sea",
                    "distance_km": km,
                    "bidirectional": False,
                },
            )
            rates = []
            for vessel, (dwt, draft) in VESSELS.items():
                rate = freight[buyer] * (SUPRA_RATIO if vessel == "SUPRAMAX" else 1.0)
                b.row("SeaFreight", {"corridor": code, "vessel_class": vessel, "freight_usd_per_t": round(rate, 2)})
                limit = PORT_LIMITS.get(port)
                if limit is None or (dwt <= limit[0] and draft <= limit[1]):
                    rates.append(rate)
            cheapest[(port, buyer)] = min(rates)
    b.src(
        "Corridors",
        "S-*",
        "distance_km",
        "9,643 / 11,478 / 17,758 km from Karachi and Port Qasim; 9,910 / 11,183 / 17,463 km from Gwadar and Pasni",
        "C",
        "computed with searoute 1.6.0 (PyPI, 'shortest sea route between two points on Earth', Eurostat MARNET network) between the "
        "model's sourced port points and Shanghai 31°14'N 121°28'E (China MSA, https://en.msa.gov.cn/html/shangHaiPort/), Port of Rotterdam "
        "51.8850 N 4.2867 E (Wikipedia, https://wikimili.com/en/Port_of_Rotterdam), Port of Houston 29.717 N 95.250 W (Wikipedia, "
        "https://pwojczyn.com/wiki/view_html.php?lang=en&q=Port_of_Houston&sq=crain_ford); EU and US via Suez",
        "check: the same tool gives Shanghai-Rotterdam 10,582 nm against 'about 10,600 nautical miles' via Suez (Port Economics, "
        "https://porteconomicsmanagement.org/pemp/contents/part1/interoceanic-passages/routing-options-shanghai-rotterdam); "
        "shown, and the EU/US freight ratio: the sea mode costs 0 per t-km",
    )
    b.src(
        "SeaFreight",
        "S-*-CHINA",
        "freight_usd_per_t (SUPRAMAX; HANDYSIZE = it / the ratio)",
        f"{SUPRA_CHINA_USD_T} ({HANDY_CHINA_USD_T})",
        "C",
        "BigMint weekly assessments, 'Asia-Pacific Supramax dry bulk (50,000-55,000 t) freight rates for an iron ore vessel from the east coast of "
        "India to China': $14.1/t on 19 Jun 2024 (https://bigmint.co/insights/detail/dry-bulk-iron-ore-freight-rates-to-china-inch-up-except-from-india-553446), "
        "$12.5/t on 13 Nov 2024 (https://bigmint.co/insights/detail/dry-bulk-iron-ore-freights-rise-w-o-w-as-demand-for-capesize-vessels-remains-bullish-598719), "
        "$8.6/t on 15 Jan 2025 (https://bigmint.co/insights/detail/dry-bulk-iron-ore-freights-from-india-drop-w-o-w-on-limited-cargo-availability-615454); "
        "Paradip Port 20.2654 N 86.6763 E (Wikipedia, https://en.wikipedia.org/wiki/Paradip_Port) to Shanghai 6,945 km with searoute 1.6.0",
        f"mean 11.73 USD/t / 6,945 km × {SEA_KM['BUY_CHINA']:,.0f} km (Karachi-Shanghai): a generic published Supramax rate per km, taken "
        "proportional to distance (port time not separated); Handysize = Supramax / the hire ratio. Replaces a Peru-Far East concentrate spot "
        "rate of ~40 USD/t at a June 2024 peak (Maritime Compass)",
    )
    b.src(
        "SeaFreight",
        "S-*",
        "freight_usd_per_t (SUPRAMAX)",
        f"× {SUPRA_RATIO}",
        "C",
        "Dynamarine, Baltic time-charter averages: Supramax S11TC 16,068 USD/day on 63,500 DWT, Handysize HS7TC 12,223 USD/day on 38,200 DWT "
        "(http://www.dynamarinegroup.com/article_timecharter-average_1430.html)",
        "hire per DWT-day ratio; bunkers and port costs per tonne taken to scale alike",
    )
    b.src(
        "SeaFreight",
        "S-*-EU",
        "freight_usd_per_t (HANDYSIZE)",
        freight["BUY_EU"],
        "C",
        "the China rate × the searoute distance ratio 11,478 / 9,643 km: the BigMint per-km Supramax rate (row S-*-CHINA) applied to Rotterdam",
        "proportional to distance; Suez Canal dues and Red Sea rerouting are not added, so a lower-end figure",
    )
    b.src(
        "SeaFreight",
        "S-*-USA",
        "freight_usd_per_t (SUPRAMAX; HANDYSIZE = it / the ratio)",
        f"{SUPRA_USA_USD_T} ({freight['BUY_USA']})",
        "C",
        "CemNet (Brannvoll), USG Supramax market reports: 'Shipping costs for delivery of a Supramax-lot of petcoke from USG to EC India are at' "
        "US$50/t (23 Feb 2024, https://www.cemnet.com/News/story/176426/supramax-rates-fell-significantly-on-all-routes-amid-slow-start-to-the-year.html), "
        "47 (Nov 2024, https://www.cemnet.com/News/story/178194/usg-supramax-ultramax-market-under-pressure-of-limited-cargo-stems.html), "
        "34 (https://www.cemnet.com/News/story/179184/usg-supramax-freight-market-situation-clearer-but-rates-remain-under-pressure.html), "
        "38 (Jun 2025, https://www.cemnet.com/News/story/179432/usg-supramax-market-enjoying-a-positive-moment.html), "
        "46 (https://www.cemnet.com/News/story/179750/very-strong-usg-supramax-market-slowly-cooling-down.html), "
        "54 (https://www.cemnet.com/News/story/179962/usg-supramax-market-still-strong-for-shipowners.html), "
        "47 (https://www.cemnet.com/News/story/180880/usg-supramax-freight-market-returns-to-positive-mode.html)",
        "mean of the seven readings: a generic published Supramax rate between the US Gulf and the Indian subcontinent, applied to Pakistan → "
        "US Gulf (the opposite direction)",
    )
    for port, (dwt, draft, flag, source) in PORT_LIMITS.items():
        b.row("PortLimits", {"port": port, "max_dwt_t": dwt, "max_draft_m": draft})
        b.src("PortLimits", port, "max_dwt_t, max_draft_m", f"{dwt:,.0f} t, {draft} m", flag, source)
    return cheapest


def _metals(b, pk) -> None:
    """MetalContents, MetalPrices, SmelterTerms and PayableMetals."""
    contents = (
        ("RD_CONC", "CU", round(pk.RD_CU_GRADE * 100, 4), "%"),
        ("RD_CONC", "AU", round(pk.RD_AU_GPT, 3), "g/t"),
        ("CU_BLISTER", "CU", pk.BLISTER_CU * 100, "%"),
        ("CU_BLISTER", "AU", round(pk.SAINDAK_AU_GPT, 2), "g/t"),
        ("CU_CATHODE", "CU", 100.0, "%"),
        ("GOLD_DORE", "AU", 1e6, "g/t"),
        ("SB_CONC", "SB", pk.SB_CONC_GRADE * 100, "%"),
        ("SB_METAL", "SB", 100.0, "%"),
    )
    for commodity, metal, grade, unit in contents:
        b.row("MetalContents", {"commodity": commodity, "metal": metal, "grade": grade, "grade_unit": unit})
    b.src(
        "MetalContents",
        "RD_CONC",
        "grade (CU, AU)",
        f"{pk.RD_CU_GRADE:.2%} Cu, {pk.RD_AU_GPT:.2f} g/t Au",
        "C",
        "Mines rows: Phase 1 metal over concentrate tonnes (Barrick FS, Business Recorder)",
    )
    b.src(
        "MetalContents",
        "CU_BLISTER",
        "grade (CU, AU)",
        f"98.5 % Cu, {pk.SAINDAK_AU_GPT:.1f} g/t Au",
        "C",
        "facts M2: Saindak design 1.46 t Au per 15,800 t blister; blister 98.5 % Cu (typical blister 98-99.5 %)",
        "silver left out: no sourced Saindak silver grade",
    )
    b.src(
        "MetalContents",
        "SB_CONC",
        "grade (SB)",
        "50 %",
        "S",
        "United States Antimony, 'Terminology': sulfide (flotation) concentrates 'will range from 50-68% contained antimony' "
        "(https://www.usantimony.com/terminology/)",
        "the bottom of that range: no assay of Pakistani concentrate found",
    )
    b.src("MetalContents", "CU_CATHODE, GOLD_DORE, SB_METAL", "grade", "100 % metal", "C", "refined metal (doré in tonnes of contained gold)")

    b.row("MetalPrices", {"metal": "CU", "price": float(pk.CU_PRICE), "price_unit": "USD/t"})
    b.row("MetalPrices", {"metal": "AU", "price": pk.AU_PRICE_OZ, "price_unit": "USD/oz"})
    for buyer, (price, _source) in SB_BY_BUYER.items():
        b.row("MetalPrices", {"node": buyer, "metal": "SB", "price": price, "price_unit": "USD/t"})
    b.src(
        "MetalPrices",
        "CU",
        "price",
        pk.CU_PRICE,
        "C",
        "facts Sheet 5: 2025 quarterly LME averages 9,336/9,508/9,814/11,138 USD/t",
        "mean of the four quarters; CIF, every buyer",
    )
    b.src(
        "MetalPrices",
        "AU",
        "price",
        pk.AU_PRICE_OZ,
        "S",
        "BullionVault, 'Record Gold Price Ends 2025 Up 65%', 31 Dec 2025: 2025 annual average 3,435 USD/oz "
        "(https://www.bullionvault.com/gold-news/gold-price-news/gold-silver-2025-record-price-123120251)",
        "annual average held flat; year-end ~4,310",
    )
    for buyer, (price, source) in SB_BY_BUYER.items():
        b.src("MetalPrices", f"{buyer} | SB", "price", price, "S", source, "China's domestic price is a third of the US and EU prices")

    b.row("SmelterTerms", {"commodity": "RD_CONC", "tc_usd_per_dmt": pk.CU_TC})
    b.row("PayableMetals", {"commodity": "RD_CONC", "metal": "CU", "payable_share": pk.CU_PAYABLE, "rc": pk.CU_RC, "rc_unit": "USD/lb"})
    b.row("PayableMetals", {"commodity": "RD_CONC", "metal": "AU", "payable_share": pk.AU_PAYABLE_CONC, "rc": pk.AU_RC_OZ, "rc_unit": "USD/oz"})
    b.src(
        "SmelterTerms",
        "RD_CONC",
        "tc_usd_per_dmt; PayableMetals CU rc",
        f"TC {pk.CU_TC:g} USD/dmt, RC {pk.CU_RC * 100:g} c/lb",
        "S",
        "Reuters via Nasdaq, 'Freeport agrees with Jiangxi Copper to 2024 copper concentrate treatment charges at $80/T', 1 Dec 2023 "
        "(https://www.nasdaq.com/articles/freeport-agrees-with-jiangxi-copper-to-2024-copper-concentrate-treatment-charges-at-$80-t)",
        "2024 benchmark held as the long-run level; 2025 (21.25/2.125), 2026 (0/0) and spot (−5) are the TCRC_* scenarios; tonnes are dry (moisture 0)",
    )
    b.src(
        "PayableMetals",
        "RD_CONC | CU",
        "payable_share",
        f"{pk.CU_PAYABLE:.1%}",
        "C",
        "Cusco Ventures, 'Breakdown: non-ferrous concentrates': payable metal 'e.g. ~96.5% of copper, after a fixed deduction' "
        "(https://saca.cuscoventurescorp.org/learn/metals-concentrates); Canadian Mining Journal, 'What miners need to know about smelter charges': "
        "'Typically, 85-98% of the value of the contained metals are paid for' (https://canadianminingjournal.com/featured-article/"
        "what-miners-need-to-know-about-smelter-charges)",
        "generic figure applied as is: no Reko Diq offtake contract published; a 1-unit minimum deduction would give "
        f"{(pk.RD_CU_GRADE * 100 - 1) / (pk.RD_CU_GRADE * 100):.2%} at {pk.RD_CU_GRADE:.2%} Cu; 1 pt of Cu payable ≈ 25 USD/t of concentrate",
    )
    b.src(
        "PayableMetals",
        "RD_CONC | AU",
        "payable_share, rc",
        f"{pk.AU_PAYABLE_CONC:.0%} / {pk.AU_RC_OZ:g} USD/oz",
        "A",
        "customary terms for a copper concentrate with ~12 g/t Au; no Reko Diq offtake contract published",
        "searched: no market gold payable scale found; SLR Consulting's cut-off-grade teaching example for a 25 % Cu, ~13 g/t Au concentrate "
        "uses Au 99 % and RC 5.00 USD/oz (https://huggingface.co/spaces/SLRConsulting/Cutoffgrade/blob/main/text_blocks/cog_q2_intro.txt)",
    )
    b.row("SmelterTerms", {"commodity": "CU_BLISTER", "tc_usd_per_dmt": pk.BLISTER_RC})
    b.row("PayableMetals", {"commodity": "CU_BLISTER", "metal": "CU", "payable_share": pk.BLISTER_CU_PAYABLE})
    b.row("PayableMetals", {"commodity": "CU_BLISTER", "metal": "AU", "payable_share": pk.BLISTER_AU_PAYABLE})
    b.src(
        "SmelterTerms",
        "CU_BLISTER",
        "tc_usd_per_dmt (refining charge per t blister)",
        pk.BLISTER_RC,
        "S",
        "SMM, '2025 Benchmark for Imported Blister Copper Under Long-Term Contract Finalised, Result Falls Below Triple Digits for the "
        "First Time in Recent Years', 2 Jan 2025: CNMC and JCC set 'the 2025 CIF blister copper RC benchmark ... at $95/mt. This RC is "
        "$21/mt lower than this year's $116/mt' (https://news.metal.com/newscontent/103118528/2025-Benchmark-for-Imported-Blister-Copper-"
        "Under-Long-Term-Contract-Finalised,-Result-Falls-Below-Triple-Digits-for-the-First-Time-in-Recent-Years-[SMM-Analysis])",
        "the 2024 benchmark, the year the concentrate TC/RC is held at (SmelterTerms RD_CONC); 2019: $165/t (Fastmarkets, 'Blister copper "
        "RCs for 2019 fall on supply concerns, benchmark at $165 per tonne'); no MCC contract for Saindak published",
    )
    b.src(
        "PayableMetals",
        "CU_BLISTER",
        "payable_share",
        f"Cu {pk.BLISTER_CU_PAYABLE:.1%}, Au {pk.BLISTER_AU_PAYABLE:.1%}",
        "C",
        "Bol News, '20 Years of Saindak', Nov 2022: 'to produce and export 278.8 thousand tons of blister copper. These exports earned "
        "Pakistan 2557 million US dollars' (https://www.bolnews.com/newspaper/national-nerve/2022/11/20-years-of-saindak/); "
        "2004-22 annual averages: copper 6,550 USD/t (IMF Primary Commodity Prices, Grade A cathode, via "
        "https://github.com/datasets/commodity-prices), gold 1,202.56 USD/oz (LBMA averages, https://averagewiki.com/average-price-of-gold/)",
        f"customary Cu 99 % / Au 95 % scaled by {pk.BLISTER_PAYABLE_SCALE:.3f} so that a tonne of blister (98.5 % Cu, 92.4 g/t Au) nets the "
        "realised 9,171 USD/t after the RC: realised ÷ contained = 0.915. MCC's terms are not public and the press totals are rounded; "
        "other weightings give a scale of 0.95-0.99 (2003-22 average 0.985; a tonnage profile 0.97) and each ±5 g/t Au in the blister "
        "±0.02; silver (~1 % of value) is not modelled and sits inside these payables",
    )
    b.row("SmelterTerms", {"commodity": "GOLD_DORE", "tc_usd_per_dmt": 0.0})
    b.row("PayableMetals", {"commodity": "GOLD_DORE", "metal": "AU", "payable_share": pk.DORE_PAYABLE})
    b.src(
        "PayableMetals",
        "GOLD_DORE",
        "payable_share",
        pk.DORE_PAYABLE,
        "S",
        "Kaizen Gold, 'The Gold Refinery Settlement Process': 'Payable percentage — the contractual share of fine content paid for, commonly "
        "98–99.5% for gold' (https://kaizengold.com/knowledge/gold-refinery-settlement-process/)",
        "the top of the range: a refinery's refining charge per ounce is not counted (none found for mine doré)",
    )
    b.row("SmelterTerms", {"commodity": "SB_CONC", "tc_usd_per_dmt": 0.0})
    b.row("PayableMetals", {"commodity": "SB_CONC", "metal": "SB", "payable_share": pk.SB_CONC_PAYABLE})
    b.src(
        "PayableMetals",
        "SB_CONC",
        "payable_share",
        pk.SB_CONC_PAYABLE,
        "C",
        "生意社 (100ppi), 23 Sep 2025: '湖南地区1#锑锭均价172500元/吨' / '湖南地区50%锑精矿均价149000元/吨' (Hunan 1# antimony ingot "
        "172,500 CNY/t; 50 % antimony concentrate 149,000) (https://100ppi.dazpin.com/news/detail-20250923-4797329.html); the concentrate "
        "is quoted per metal tonne: '50%锑精矿市场报价区间在61500-62000元/金属吨' (100ppi, 10 Nov 2022, "
        "https://www.100ppi.com/news/detail-20221110-2362472.html)",
        "149,000 / 172,500 = 0.8638 of the ingot price for the Sb contained; generic figure (Chinese domestic market, both prices with VAT) "
        "applied to the buyer's price; another undated quote gives 203,500 / 247,500 = 0.822 (toutiao.toocle.com/detail-8418842.html); "
        "was 0.60 (A)",
    )


def metal_price(pk, commodity: str, buyer: str = "BUY_CHINA", tc: float | None = None, rc: float | None = None) -> float:
    """The CIF price per tonne the metal tables give `commodity` at `buyer` (model/metal_prices.py's
    formula, written out for the Sources sheet and the tests)."""
    au_t = pk.AU_PRICE_OZ * pk.OZ_PER_T
    if commodity == "RD_CONC":
        tc = pk.CU_TC if tc is None else tc
        rc = pk.CU_RC if rc is None else rc
        cu = pk.RD_CU_GRADE * pk.CU_PAYABLE * (pk.CU_PRICE - rc * pk.LB_PER_T)
        au = pk.RD_AU_GPT * 1e-6 * pk.AU_PAYABLE_CONC * (au_t - pk.AU_RC_OZ * pk.OZ_PER_T)
        return cu + au - tc
    if commodity == "CU_BLISTER":
        return pk.BLISTER_CU * pk.BLISTER_CU_PAYABLE * pk.CU_PRICE + pk.SAINDAK_AU_GPT * 1e-6 * pk.BLISTER_AU_PAYABLE * au_t - pk.BLISTER_RC
    if commodity == "CU_CATHODE":
        return float(pk.CU_PRICE)
    if commodity == "GOLD_DORE":
        return au_t * pk.DORE_PAYABLE
    if commodity == "SB_METAL":
        return SB_BY_BUYER[buyer][0]
    if commodity == "SB_CONC":
        return pk.SB_CONC_GRADE * pk.SB_CONC_PAYABLE * SB_BY_BUYER[buyer][0]
    raise KeyError(commodity)


def _explicit_prices(b, pk) -> dict[str, float]:
    """CIF China prices of the products without metal tables (Zn/Pb concentrate, chromite, REE)."""
    zn_t, pb_t = pk._duddar_conc()
    zn = ZN_PRICE * 0.50 * 0.85 - 150.0
    pb = PB_PRICE * 0.60 * 0.95 - 150.0
    znpb = round((zn_t * zn + pb_t * pb) / (zn_t + pb_t), 2)
    b.src(
        "Markets",
        "BUY_CHINA | ZNPB_CONC",
        "price_usd_per_t",
        znpb,
        "C",
        f"LME zinc {ZN_PRICE:,} USD/t (Q1-Q2 2025 averages 2,837 and 2,636, FocusEconomics https://www.focus-economics.com/commodities/base-metals/zinc/); "
        f"LME lead cash {PB_PRICE:,.0f} (Business Recorder, 'LME official prices', 2025 https://www.brecorder.com/news/40356787/lme-official-prices)",
        "50 % Zn concentrate 85 % payable, 60 % Pb concentrate 95 % payable, TC 150 USD/t (A); tonnage-weighted",
    )
    b.src(
        "Markets",
        "BUY_CHINA | CHROMITE",
        "price_usd_per_t",
        CHROMITE_CIF,
        "C",
        "SteelOrbis, 'Local Chinese chrome ore and ferrochrome prices - week 42, 2025': S. Africa Cr2O3 42 % concentrate 377 USD/t incl. 13 % VAT "
        "(https://www.steelorbis.com/steel-prices/steel-prices-market-analyses/scrap-and-raw-materials/local-chinese-chrome-ore-and-ferrochrome-prices-week-42-2025-1415364.htm)",
        "377 / 1.13; Muslim Bagh chromite taken at the 42 % grade",
    )
    ndpr = pk.NDPR_PRICE
    b.src(
        "Markets",
        "BUY_CHINA | NDPR_OXIDE",
        "price_usd_per_t",
        ndpr,
        "C",
        "facts Sheet 5: 605-608k CNY/t (SMM 31 Dec 2025) at 7 CNY/USD",
        "placeholder: no REE production in the base",
    )
    ree = round(pk.REE_CONC_USD_T_REO * pk.REE_TREO, 2)
    b.src(
        "Markets",
        "BUY_CHINA | REE_CONC",
        "price_usd_per_t",
        ree,
        "C",
        "Metalnomist, 'MP Materials sees significant boost in ...', Aug 2024: REO concentrate 'selling 5,839t at an average price of $4,183 per ton' "
        "(https://metalnomist.com/2024/08/mp-materials-sees-significant-boost-in.html)",
        f"4,183 USD/t REO × {pk.REE_TREO:.0%} TREO in the concentrate (Recipes REE_SEP); MP's Q2 2024 realised price, taken as CIF China; "
        "no REE production in the base",
    )
    return {"ZNPB_CONC": znpb, "CHROMITE": float(CHROMITE_CIF), "NDPR_OXIDE": ndpr, "REE_CONC": ree}


def _markets(b, pk, explicit: dict[str, float]) -> None:
    """Markets rows: every product at every buyer (metal-priced ones with a blank price), doré at the ports."""
    metal_priced = ("RD_CONC", "CU_BLISTER", "CU_CATHODE", "SB_CONC", "SB_METAL")
    for buyer in BUYERS:
        for commodity in metal_priced:
            b.row("Markets", {"node": buyer, "commodity": commodity})
    for commodity, price in explicit.items():
        b.row("Markets", {"node": "BUY_CHINA", "commodity": commodity, "price_usd_per_t": price})
    for port in DORE_MARKET_PORTS:
        b.row("Markets", {"node": port, "commodity": "GOLD_DORE"})
    b.src(
        "Markets",
        "every buyer × metal-bearing product; doré at the ports",
        "price_usd_per_t",
        "blank: priced from MetalPrices and smelter terms",
        "C",
        "the MetalContents, MetalPrices, SmelterTerms and PayableMetals rows",
        f"e.g. Reko Diq concentrate {metal_price(pk, 'RD_CONC'):,.0f} USD/t CIF China; zinc-lead, chromite and REE products sell in China only; "
        "no take-or-pay at Port Qasim (the earlier assumed 450 kt/yr minimum is dropped: RDMC's offtake terms are not public)",
    )


def _fiscal(b, pk, cheapest: dict[tuple[str, str], float]) -> None:
    """Royalties on Reko Diq concentrate and the export-processing surcharge."""
    fob = round(metal_price(pk, "RD_CONC") - cheapest[("PORT_QASIM", "BUY_CHINA")], 2)
    b.row("Royalties", {"commodity": "RD_CONC", "mine": "REKO_DIQ", "rate_share": RD_ROYALTY, "value_usd_per_t": fob})
    b.row("Royalties", {"commodity": "RD_CONC", "rate_share": RD_NSR, "value_usd_per_t": fob})
    b.src(
        "Royalties",
        "RD_CONC | REKO_DIQ",
        "rate_share",
        RD_ROYALTY,
        "S",
        f"Business Recorder, 'Minister informs NA: Reko Diq project to generate over $75bn in free cash flows', 16 May 2025 ({BR_NA}): 5 % royalty to Balochistan",
        "royalty base not stated: taken on the FOB value below",
    )
    b.src(
        "Royalties",
        "RD_CONC",
        "rate_share",
        RD_NSR,
        "S",
        f"Business Recorder, 16 May 2025 ({BR_NA}): 1 % net smelter return royalty to the federal government",
        "a blank mine: every producer of RD_CONC",
    )
    b.src(
        "Royalties",
        "RD_CONC",
        "value_usd_per_t",
        fob,
        "C",
        "CIF China concentrate price under the base terms less Supramax freight from Port Qasim",
        "NSR ≈ payable value less TC/RC and freight; a constant: the TCRC and copper scenarios leave it as it is",
    )
    b.row("ExportDuties", {"commodity": "RD_CONC", "rate_share": RD_EPZ_SURCHARGE})
    b.src(
        "ExportDuties",
        "RD_CONC",
        "rate_share",
        RD_EPZ_SURCHARGE,
        "S",
        f"Business Recorder, 16 May 2025 ({BR_NA}): 0.5 % export processing zone surcharge",
        "charged on the CIF sale price (the model's export value), 1 % above FOB",
    )


def build(b, pk) -> dict[str, float]:
    """Add the market, sea, metal and fiscal rows; return {commodity: cargo value USD/t (CIF China)}."""
    cheapest = _sea(b, pk)
    _metals(b, pk)
    explicit = _explicit_prices(b, pk)
    _markets(b, pk, explicit)
    _fiscal(b, pk, cheapest)
    values: dict[str, Any] = {c: round(metal_price(pk, c), 2) for c in ("RD_CONC", "CU_BLISTER", "CU_CATHODE", "GOLD_DORE")}
    values.update({c: round(metal_price(pk, c, "BUY_USA"), 2) for c in ("SB_CONC", "SB_METAL")})
    values.update(explicit)
    return values
