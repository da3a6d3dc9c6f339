"""The catalogue of mineral systems (concentrate, products, recipe), transport modes, and the
period calendar of the synthetic instances."""

from __future__ import annotations

from typing import Any

# --- mineral systems: concentrate, products (code, name, export price USD/t, yield), recipe ----
SYSTEMS = (
    {
        "key": "CUAU",
        "conc": ("CUAU_CONC", "Copper-gold concentrate", 2400.0),
        "mine_t": (60e3, 500e3),
        "mine_cost": (0.45, 0.65),
        # Gold reports to the anode slimes (sold to a precious-metals refiner), not to a product
        # of a few grams per tonne: keeps the matrix coefficients within a sane range.
        "products": (
            ("CU_CATHODE", "Copper cathode", 9200.0, 0.26),
            ("ANODE_SLIME", "Au-bearing anode slimes", 2.2e5, 0.004),
            ("H2SO4", "Sulphuric acid", 60.0, 0.55),
        ),
        "recipe_cost": 560.0,
        "alt": ("CUAU_LEACH", 640.0, (("CU_CATHODE", 0.25), ("ANODE_SLIME", 0.0037))),
    },
    {
        "key": "PBZN",
        "conc": ("PBZN_CONC", "Lead-zinc concentrate", 1150.0),
        "mine_t": (20e3, 160e3),
        "mine_cost": (0.45, 0.65),
        "products": (
            ("ZN_INGOT", "Zinc ingot", 2800.0, 0.40),
            ("PB_BULLION", "Silver-bearing lead bullion", 3600.0, 0.14),
            ("H2SO4", "Sulphuric acid", 60.0, 0.35),
        ),
        "recipe_cost": 390.0,
        "alt": None,
    },
    {
        "key": "CR",
        "conc": ("CR_CONC", "Chromite concentrate", 290.0),
        "mine_t": (10e3, 120e3),
        "mine_cost": (0.4, 0.6),
        "products": (("FECR", "High-carbon ferrochrome", 1250.0, 0.43),),
        "recipe_cost": 240.0,
        "alt": None,
    },
    {
        "key": "FE",
        "conc": ("FE_CONC", "Iron ore concentrate", 115.0),
        "mine_t": (100e3, 900e3),
        "mine_cost": (0.4, 0.6),
        "products": (("PIG_IRON", "Pig iron", 430.0, 0.58),),
        "recipe_cost": 125.0,
        "alt": None,
    },
    {
        "key": "SB",
        "conc": ("SB_CONC", "Antimony concentrate", 9000.0),
        "mine_t": (2e3, 15e3),
        "mine_cost": (0.45, 0.65),
        "products": (("SB_METAL", "Antimony metal", 21000.0, 0.55),),
        "recipe_cost": 1900.0,
        "alt": None,
    },
    {
        "key": "BA",
        "conc": ("BARITE_ORE", "Barite ore", 95.0),
        "mine_t": (20e3, 200e3),
        "mine_cost": (0.35, 0.55),
        "products": (("BARITE_API", "API-grade barite", 215.0, 0.88),),
        "recipe_cost": 45.0,
        "alt": None,
    },
)

MODES = (("road", 0.05, 2.0), ("rail", 0.03, 4.0), ("pipeline", 0.012, 1.0))


def period_rows(n: int) -> list[dict[str, Any]]:
    """Periods rows: two single years, two of two years, then five-year periods, from 2026."""
    out, year = [], 2026
    for i in range(n):
        length = 1 if i < 2 else 2 if i < 4 else 5
        name = str(year) if length == 1 else f"{year}-{str(year + length - 1)[2:]}"
        out.append({"period": name, "start_year": year, "length_years": length})
        year += length
    return out


def renamed_system(s: dict[str, Any], i: int) -> dict[str, Any]:
    """System `s` as the i-th of the instance: beyond the catalogue, a copy with suffixed codes."""
    if i < len(SYSTEMS):
        return s
    tag = f"{i + 1}"
    conc = (f"{s['conc'][0]}_{tag}", f"{s['conc'][1]} ({tag})", s["conc"][2])
    products = tuple((f"{c}_{tag}", f"{n} ({tag})", p, y) for c, n, p, y in s["products"])
    alt = (s["alt"][0] + "_" + tag, s["alt"][1], tuple((f"{c}_{tag}", y) for c, y in s["alt"][2])) if s["alt"] else None
    return {**s, "key": f"{s['key']}{tag}", "conc": conc, "products": products, "alt": alt}
