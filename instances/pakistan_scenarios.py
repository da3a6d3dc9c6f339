"""Scenarios and uncertain parameters of the Pakistan instance (rows of the Scenarios and
Uncertainties sheets; see `supplyopt.scenarios` for the format).

`scenario_rows()` gives the planners' standard comparisons against the base:

- REFINERY_PORT_QASIM / _GWADAR / _PASNI / _NOKKUNDI: the FWO-USSM refinery is built at that
  candidate site: the other three get max_modules 0, and at least one module's cathode
  (13,000 t/yr) must be sold from 2031 at the site's port (Gwadar for Pasni), so the site opens
  even where the base plan would not refine; NO_REFINERY: no site at all (concentrate exported);
- COPPER_HIGH / COPPER_LOW: copper 25 % above / below the 2025 average, passed on to cathode,
  blister (98.5 % Cu, ~95 % of its value is copper) and Reko Diq concentrate (copper is ~70 % of
  its FOB value after TC/RC; gold makes most of the rest): factors 1.25 / 1.24 / 1.18;
- N40_CLOSED_2029_30: the N-40 (R-02a..R-02d, Taftan-Nokkundi-Dalbandin-Nushki-Quetta) closed in
  the first two production years, 2029 and 2030;
- BOLAN_RAIL_QUARTER_2030: ML-3 through the Bolan pass (L-03a) closed for a quarter of 2030;
- GWADAR_EXPANSION: Gwadar gets a bulk terminal (4 Mt/yr, handling 6 USD/t) built by the port
  at no cost to the chain.

`uncertainty_rows()` declares the Monte-Carlo parameters: copper, gold and concentrate prices,
refinery capex, and an N-40 disruption draw. Factors are assumptions (flag A), not forecasts.
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
COPPER_FACTORS = {"CU_CATHODE": 1.0, "CU_BLISTER": 0.95, "RD_CONC": 0.72}  # copper's share of each product's FOB value (A)
COPPER_SWING = 0.25


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


def scenario_rows() -> list[dict[str, Any]]:
    """Rows of the Scenarios sheet."""
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
        for commodity, share in COPPER_FACTORS.items():
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
    return rows


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
        row("CU_PRICE", "", "Markets", "* | CU_BLISTER | *", "price_usd_per_t", "scale"),
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
