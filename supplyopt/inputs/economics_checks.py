"""Cross-table checks of the economics tables: smelter terms, metal prices, by-products, fiscal
terms. Each problem names the sheet, row and column a planner must change."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from supplyopt.errors import Problem
from supplyopt.inputs.coerce import ROW_COLUMN

_MARKET_KINDS = ("port", "market")


def _records(frames: Mapping[str, pd.DataFrame], table: str) -> list[dict]:
    return frames[table].to_dict("records") if table in frames else []


def check_economics(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Every check of this module, in sheet order."""
    kinds = dict(zip(frames["Nodes"]["node"], frames["Nodes"]["kind"]))
    problems: list[Problem] = []
    problems += _check_metals(frames, kinds)
    problems += _check_fiscal(frames, kinds)
    problems += _check_sea(frames, kinds)
    problems += _check_terminal_value(frames)
    problems += _check_circuits(frames)
    return problems


def _check_circuits(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A circuit named in Recipes has sizes at its site (else the recipe could never run), and
    CircuitSizes name a circuit some recipe runs on."""
    sized = {(r["site"], r["circuit"]) for r in _records(frames, "CircuitSizes")}
    sites = list(frames["Refineries"]["site"])
    on: set[tuple[str, str]] = set()
    problems = []
    for rec in _records(frames, "Recipes"):
        if rec.get("circuit") is None:
            continue
        here = sites if rec["site"] is None else [rec["site"]]
        on |= {(j, rec["circuit"]) for j in here}
        missing = [j for j in here if (j, rec["circuit"]) not in sized]
        if missing and len(missing) == len(here):
            problems.append(Problem("Recipes", rec[ROW_COLUMN], "circuit", f"circuit '{rec['circuit']}' has no CircuitSizes row at {', '.join(missing)}"))
    for rec in _records(frames, "CircuitSizes"):
        if (rec["site"], rec["circuit"]) not in on:
            problems.append(
                Problem("CircuitSizes", rec[ROW_COLUMN], "circuit", f"no recipe at {rec['site']} runs on circuit '{rec['circuit']}' (Recipes.circuit)")
            )
    return problems


def _check_terminal_value(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A perpetuity needs discount_rate > terminal_growth_rate (else its value is infinite)."""
    cells = {rec["name"]: rec for rec in _records(frames, "Settings")}
    method = cells.get("terminal_value_method", {}).get("value")
    if str(method).strip().lower() != "perpetuity":
        return []

    def number(name: str, default: float) -> float | None:
        value = cells.get(name, {}).get("value")
        try:
            return default if value is None else float(value)
        except (TypeError, ValueError):
            return None  # reported by the settings check

    r, g = number("discount_rate", 0.08), number("terminal_growth_rate", 0.0)
    if r is None or g is None or r > g:
        return []
    rec = cells.get("terminal_growth_rate") or cells.get("discount_rate") or cells["terminal_value_method"]
    return [Problem("Settings", rec[ROW_COLUMN], "value", f"a perpetuity terminal value needs discount_rate ({r:g}) above terminal_growth_rate ({g:g})")]


def _check_sea(frames: Mapping[str, pd.DataFrame], kinds: dict[str, str]) -> list[Problem]:
    problems = []
    for rec in _records(frames, "Buyers"):
        kind = kinds.get(rec["node"])
        if kind is not None and kind != "market":
            problems.append(Problem("Buyers", rec[ROW_COLUMN], "node", f"node '{rec['node']}' is a {kind}; an overseas buyer is a market node"))
    modes = dict(zip(frames["Corridors"]["corridor"], frames["Corridors"]["mode"]))
    for rec in _records(frames, "SeaFreight"):
        mode = modes.get(rec["corridor"])
        if mode is not None and mode != "sea":
            problems.append(
                Problem("SeaFreight", rec[ROW_COLUMN], "corridor", f"corridor '{rec['corridor']}' is a {mode} corridor; sea freight needs mode sea")
            )
    return problems


def _check_metals(frames: Mapping[str, pd.DataFrame], kinds: dict[str, str]) -> list[Problem]:
    problems = []
    metals: dict[str, set[str]] = {}
    share: dict[str, float] = {}
    for rec in _records(frames, "MetalContents"):
        metals.setdefault(rec["commodity"], set()).add(rec["metal"])
        share[rec["commodity"]] = share.get(rec["commodity"], 0.0) + rec["grade"] * (0.01 if rec["grade_unit"] == "%" else 1e-6)
        if share[rec["commodity"]] > 1 + 1e-9:
            problems.append(Problem("MetalContents", rec[ROW_COLUMN], "grade", f"the metal contents of {rec['commodity']} add up to more than 100 %"))
    known = set().union(*metals.values()) if metals else set()
    for table in ("MetalPrices", "PayableMetals"):
        for rec in _records(frames, table):
            if rec["metal"] is not None and rec["metal"] not in known:
                problems.append(Problem(table, rec[ROW_COLUMN], "metal", f"metal '{rec['metal']}' is in no commodity's MetalContents"))
    for table in ("MetalPrices", "SmelterTerms", "PayableMetals"):
        for rec in _records(frames, table):
            kind = kinds.get(rec["node"])
            if rec["node"] is not None and kind is not None and kind not in _MARKET_KINDS:
                problems.append(Problem(table, rec[ROW_COLUMN], "node", f"node '{rec['node']}' is a {kind}; prices and terms hold at port or market nodes"))
    terms = {(r["node"], r["commodity"]) for r in _records(frames, "SmelterTerms")}
    for rec in _records(frames, "PayableMetals"):
        if rec["metal"] is not None and rec["metal"] not in metals.get(rec["commodity"], set()):
            problems.append(Problem("PayableMetals", rec[ROW_COLUMN], "metal", f"{rec['commodity']} has no {rec['metal']} in MetalContents"))
        if (rec["node"], rec["commodity"]) not in terms and (None, rec["commodity"]) not in terms:
            problems.append(
                Problem(
                    "PayableMetals", rec[ROW_COLUMN], "commodity", f"{rec['commodity']} has no SmelterTerms row for this node: its payables would be unused"
                )
            )
    for rec in _records(frames, "SmelterTerms"):
        if rec["commodity"] not in metals:
            problems.append(Problem("SmelterTerms", rec[ROW_COLUMN], "commodity", f"{rec['commodity']} has no MetalContents: nothing to price it from"))
    return problems


def _check_fiscal(frames: Mapping[str, pd.DataFrame], kinds: dict[str, str]) -> list[Problem]:
    problems = []
    regions = set(frames["Nodes"]["region"].dropna())
    for rec in _records(frames, "Royalties"):
        kind = kinds.get(rec["mine"])
        if rec["mine"] is not None and kind is not None and kind != "mine":
            problems.append(Problem("Royalties", rec[ROW_COLUMN], "mine", f"node '{rec['mine']}' is a {kind}; royalties are paid on mine output"))
        if rec["province"] is not None and rec["province"] not in regions:
            problems.append(Problem("Royalties", rec[ROW_COLUMN], "province", f"no node has region '{rec['province']}' (Nodes.region)"))
    for table in ("ExportDuties", "ExportBans"):
        for rec in _records(frames, table):
            if (rec["commodity"] is None) == (rec["kind"] is None):
                problems.append(Problem(table, rec[ROW_COLUMN], "commodity", "give either a commodity or a kind (product form), not both and not neither"))
    return problems
