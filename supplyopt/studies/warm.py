"""Warm starts of the studies' re-solves from the base plan.

Frontier points, stress cases, explain and scenario runs re-solve a model whose design is close
to a plan already found. `SolveOptions.warm_start` (Pyomo variable name → value, handed to HiGHS
as a MIP start) carries that plan's design; these helpers build it. Only the design variables
are passed (sites opened, modules added, upgrades built): they are few and decide the rest, and
HiGHS completes the continuous part itself. The plan's escorted convoys (`Design.convoys`, read
from its Convoys table) go with them: on the Pakistan scenarios they took the HiGHS time of the
batch from 58.9 to 50.2 s (TWO_STAGE 9.2 → 3.6 s), and stress cases, whose design is fixed, start
from the undisrupted plan's (69 cases 40 → 26 s).

The option is feature-detected: on a SolveOptions without `warm_start`, `with_warm_start`
returns the options unchanged, so a study runs the same, only without the start.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from supplyopt.model.data import BASE_SCENARIO
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.design import Design

__all__ = ["DESIGN_VARS", "design_values", "supports_warm_start", "with_warm_start"]

DESIGN_VARS = ("open_new", "add_modules", "build")  # the model's design variables (model/refinery.py, model/upgrades.py)


def supports_warm_start() -> bool:
    return "warm_start" in {f.name for f in dataclasses.fields(SolveOptions)}


def with_warm_start(options: SolveOptions, values: Mapping[str, float] | None) -> SolveOptions:
    """`options` with `warm_start=values` when SolveOptions has that option and there are values."""
    if not values or not supports_warm_start():
        return options
    return dataclasses.replace(options, warm_start=dict(values))


def design_values(m, design: Design) -> dict[str, float]:
    """{Pyomo name of each design variable of model `m`: its value in `design`}: 1/0 for each
    site's open_new[j, p] and each upgrade's build[u, p], the modules added for add_modules[j, p]
    (0 where the design has none), and the design's convoys for the undisrupted case's convoys[base, k, p].
    Variables `m` does not have are left out."""
    values: dict[str, float] = {}
    if hasattr(m, "open_new"):
        for j, p in m.open_new:
            values[m.open_new[j, p].name] = 1.0 if design.opened.get(j) == p else 0.0
    if hasattr(m, "add_modules"):
        for j, p in m.add_modules:
            values[m.add_modules[j, p].name] = float(design.modules_added.get((j, p), 0))
    if hasattr(m, "build"):
        for u, p in m.build:
            values[m.build[u, p].name] = 1.0 if design.upgrades.get(u) == p else 0.0
    if hasattr(m, "convoys") and design.convoys:
        # The undisrupted case only: a two-stage model's disrupted cases need other convoys, and a
        # start that fixes them too leaves HiGHS no plan to complete (TWO_STAGE 3.6 s vs 8.8 s).
        for s, k, p in m.convoys:
            if s == BASE_SCENARIO and (k, p) in design.convoys:
                values[m.convoys[s, k, p].name] = float(design.convoys[(k, p)])
    return values
