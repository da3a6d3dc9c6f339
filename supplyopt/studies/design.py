"""The design of a plan: the decisions every scenario shares (sites opened, modules added,
upgrades built), read from Results or a solved model, described for planners, and fixed on a
model (stress tests re-solve the operations of a fixed design)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from supplyopt.errors import InputError, Problem
from supplyopt.model.data import ModelData

__all__ = ["Design", "fix_design"]


# --------------------------------------------------------------------------------------------


def _int(v: Any) -> int:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return 0
    return int(round(float(v)))


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


@dataclass(frozen=True)
class Design:
    """Design decisions shared by every scenario: new sites opened (site → period), modules added
    ((site, period) → count; existing sites too) and upgrades built (upgrade → first period in
    service). `convoys` ((corridor, period) → escorted convoys a year) is the plan's operation, not
    its design: carried only as a MIP start for re-solves (studies/warm.py), never fixed or compared."""

    opened: Mapping[str, str] = field(default_factory=dict)
    modules_added: Mapping[tuple[str, str], int] = field(default_factory=dict)
    upgrades: Mapping[str, str] = field(default_factory=dict)
    convoys: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)

    @classmethod
    def from_results(cls, results: Any) -> Design:
        """From a Results object's Refineries (site, period, opened_this_period, modules_added)
        and Upgrades (upgrade, built, in_service_from) tables, in memory or read from a workbook."""
        opened: dict[str, str] = {}
        added: dict[tuple[str, str], int] = {}
        upgrades: dict[str, str] = {}
        tables = results.tables
        if "Refineries" in tables:
            for rec in tables["Refineries"].to_dict("records"):
                site, period = str(rec["site"]), str(rec["period"])
                if _int(rec.get("opened_this_period")) == 1:
                    opened[site] = period
                n = _int(rec.get("modules_added"))
                if n:
                    added[(site, period)] = n
        if "Upgrades" in tables:
            for rec in tables["Upgrades"].to_dict("records"):
                if not _blank(rec.get("in_service_from")) and bool(rec.get("built")):
                    upgrades[str(rec["upgrade"])] = str(rec["in_service_from"])
        convoys: dict[tuple[str, str], int] = {}
        if "Convoys" in tables:  # the most over the plan's scenarios (two-stage cases), per corridor and period
            for rec in tables["Convoys"].to_dict("records"):
                key = (str(rec["corridor"]), str(rec["period"]))
                convoys[key] = max(convoys.get(key, 0), _int(rec.get("convoys_per_yr")))
        return cls(opened, added, upgrades, convoys)

    @classmethod
    def from_model(cls, m: pyo.ConcreteModel) -> Design:
        """From the values of a solved model's open_new, add_modules and build variables."""

        def vals(var) -> dict:
            return {k: (v or 0.0) for k, v in var.extract_values().items()}

        opened = {j: p for (j, p), v in vals(m.open_new).items() if round(v) == 1}
        added = {(j, p): round(v) for (j, p), v in vals(m.add_modules).items() if round(v) > 0}
        upgrades = {u: p for (u, p), v in vals(m.build).items() if round(v) == 1}
        convoys: dict[tuple[str, str], int] = {}
        for (_s, k, p), v in vals(m.convoys).items() if hasattr(m, "convoys") else ():
            convoys[(k, p)] = max(convoys.get((k, p), 0), round(v))
        return cls(opened, added, upgrades, convoys)

    def describe_sites(self) -> str:
        """'REF: open P1, +2 modules P1' per site (sites with no decision left out), or 'none'."""
        sites = list(dict.fromkeys([*self.opened, *(j for j, _ in self.modules_added)]))
        parts = []
        for j in sites:
            bits = [f"open {self.opened[j]}"] if j in self.opened else []
            bits += [f"+{n} module{'s' if n != 1 else ''} {p}" for (jj, p), n in self.modules_added.items() if jj == j]
            parts.append(f"{j}: " + ", ".join(bits))
        return "; ".join(parts) or "none"

    def describe_upgrades(self) -> str:
        return ", ".join(f"{u} ({p})" for u, p in self.upgrades.items()) or "none"


def fix_design(m: pyo.ConcreteModel, design: Design) -> None:
    """Fix open_new, add_modules and build to the design (0 where the design has nothing).

    Raises InputError when the design names a site, upgrade or period the model has no decision
    for (a design from another input, or an earliest period / lead time that forbids it)."""
    d: ModelData = m.data
    problems: list[Problem] = []
    for j, p in design.opened.items():
        if (j, p) not in m.open_new:
            why = "is not a new refinery site of this input" if j not in d.sites else f"cannot open in period {p} in this input"
            problems.append(Problem("Refineries", None, "site", f"design: site '{j}' {why}"))
    for (j, p), n in design.modules_added.items():
        if (j, p) not in m.add_modules:
            problems.append(Problem("Refineries", None, "modules_added", f"design: site '{j}' cannot add modules in period {p} in this input"))
        elif n > m.add_modules[j, p].ub:
            problems.append(Problem("Refineries", None, "modules_added", f"design: {n} modules at '{j}' in {p} exceed this input's max_modules"))
    for u, p in design.upgrades.items():
        if (u, p) not in m.build:
            why = "is not in this input's Upgrades" if u not in d.upgrades else f"cannot be in service from {p} in this input"
            problems.append(Problem("Upgrades", None, "upgrade", f"design: upgrade '{u}' {why}"))
    if problems:
        raise InputError(problems)
    for j, p in m.open_new:
        m.open_new[j, p].fix(1 if design.opened.get(j) == p else 0)
    for j, p in m.add_modules:
        m.add_modules[j, p].fix(design.modules_added.get((j, p), 0))
    for u, p in m.build:
        m.build[u, p].fix(1 if design.upgrades.get(u) == p else 0)
