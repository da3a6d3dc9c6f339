"""Scenarios and uncertain parameters: named changes to an Instance that give a new Instance.

The `Scenarios` sheet holds only the changes from the base. Each row names a scenario, a table, a
row key, a column, an operation and a value:

- key: the table's key columns joined with ' | ' in key order ('REKO_DIQ | CU_CONC | 2030'; a
  blank period is written empty, 'REKO_DIQ | CU_CONC | '), the setting name for Settings. '*'
  alone matches every row; '*' as one part matches any value there ('* | CU_CATHODE | *').
- operation: `set` (the cell becomes the value, read like a cell of that column), `scale` (the
  cell times the value) or `add` (the cell plus the value). A scenario's rows apply in sheet order.
- per-period tables: a key naming a period that has no row of its own changes a copy of the
  blank-period row (blank period = every period, an explicit row overrides it); `set` may add a
  row to a table keyed by period (CapacityFactors, Markets, ...) and to Settings.

`apply_scenario(inst, name)` returns a new Instance (`Instance.replace`); the base is never changed
and keeps its Scenarios and Uncertainties tables, so scenarios travel with the Instance. The
result is checked again (`check_tables`, `check_network`): a change that breaks the instance is
an InputError naming the Scenarios row that made it. `check_scenarios(frames)` validates the
sheets themselves when the input is read (unknown table, key or column; a value that does not
fit; scale/add without a number; results out of a column's bounds), each problem with its row.

The `Uncertainties` sheet declares parameters for Monte-Carlo sweeps: each parameter has a
distribution and one or more rows saying where its draw goes (table, key, column, operation, as
above). `sample_instance(inst, sample, seed)` draws every parameter with a numpy Generator seeded
by (seed, sample, parameter name) and applies the draws, so one sample is the same whichever
process draws it and whatever other parameters exist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import pandas as pd

from supplyopt.errors import InputError, Problem, suggest
from supplyopt.inputs.instance import check_tables, parse_settings
from supplyopt.inputs.network import check_network
from supplyopt.inputs.override_apply import apply_changes, blame
from supplyopt.inputs.overrides import (
    ALL,
    BASE,
    SCENARIOS,
    UNCERTAINTIES,
    Override,
    describe_overrides,
    override_from_row,
    sorted_records,
)
from supplyopt.inputs.scenario_check import check_scenarios
from supplyopt.inputs.uncertainties import Parameter, parameter_rng, parse_parameters

__all__ = [
    "BASE",
    "ALL",
    "Override",
    "Parameter",
    "scenario_names",
    "scenario_description",
    "scenario_overrides",
    "describe_overrides",
    "resolve_scenarios",
    "apply_scenario",
    "apply_overrides",
    "check_scenarios",
    "uncertain_parameters",
    "draw_sample",
    "sample_instance",
]


# ---------------------------------------------------------------------------------------------
# Scenario names and rows
# ---------------------------------------------------------------------------------------------


def scenario_names(inst) -> list[str]:
    """Scenario names in the order they first appear in the Scenarios sheet."""
    names: list[str] = []
    for rec in sorted_records(inst.tables.get(SCENARIOS, pd.DataFrame())):
        if rec["scenario"] is not None and rec["scenario"] not in names:
            names.append(rec["scenario"])
    return names


def scenario_description(inst, name: str) -> str:
    """The scenario's description: its rows' descriptions, each once, joined by '; '."""
    parts: list[str] = []
    for rec in sorted_records(inst.tables.get(SCENARIOS, pd.DataFrame())):
        if rec["scenario"] == name and rec["description"] and rec["description"] not in parts:
            parts.append(rec["description"])
    return "; ".join(parts)


def scenario_overrides(inst, name: str) -> list[Override]:
    """The scenario's changes in sheet order (InputError when no scenario has the name)."""
    _require_known(inst, [name])
    return [override_from_row(rec, SCENARIOS, rec["scenario"]) for rec in sorted_records(inst[SCENARIOS]) if rec["scenario"] == name]


def resolve_scenarios(inst, names: Iterable[str]) -> list[str]:
    """Names as asked, 'all' expanded to the base and every scenario, each once, in order.

    Raises InputError naming every unknown scenario (with the closest name)."""
    out: list[str] = []
    for name in names:
        for n in [BASE, *scenario_names(inst)] if name.strip().lower() == ALL else [name.strip()]:
            if n not in out:
                out.append(n)
    _require_known(inst, out)
    return out


def _require_known(inst, names: Iterable[str]) -> None:
    known = scenario_names(inst)
    problems = [
        Problem(SCENARIOS, None, "scenario", f"no scenario named '{n}'{suggest(n, known) or (' (the input has none)' if not known else '')}")
        for n in names
        if n != BASE and n not in known
    ]
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------------------------------------
# Applying changes
# ---------------------------------------------------------------------------------------------


def apply_scenario(inst, name: str):
    """A new Instance with the scenario's changes (the base itself for 'base').

    The new instance's metadata records `scenario`, `scenario_description` and
    `scenario_overrides`. Raises InputError, naming Scenarios rows, when a change does not
    apply or leaves an invalid instance."""
    if name == BASE and BASE not in scenario_names(inst):
        return inst.replace(scenario=BASE, scenario_description="", scenario_overrides="")
    overrides = scenario_overrides(inst, name)
    return apply_overrides(
        inst, overrides, scenario=name, scenario_description=scenario_description(inst, name), scenario_overrides=describe_overrides(overrides)
    )


def apply_overrides(inst, overrides: list[Override], **meta: Any):
    """A new Instance with `overrides` applied in order, re-checked; `meta` goes to its metadata."""
    changed, problems, touched = apply_changes(inst.tables, overrides)
    if problems:
        raise InputError(problems)
    settings = dict(inst.settings)
    merged = {**inst.tables, **changed}
    found: list[Problem] = []
    if "Settings" in changed:
        settings, setting_problems = parse_settings(changed["Settings"])
        found += setting_problems
    found += check_tables(merged)
    new = inst.replace(tables=changed, settings=settings, **meta)
    if not found:
        found += check_network(new)
    if found:
        raise InputError([blame(p, touched, overrides) for p in found])
    return new


def uncertain_parameters(inst) -> list[Parameter]:
    """The Uncertainties sheet's parameters in sheet order (InputError if it has problems)."""
    df = inst.tables.get(UNCERTAINTIES)
    if df is None or not len(df):
        return []
    params, problems = parse_parameters(df)
    if problems:
        raise InputError(problems)
    return params


def draw_sample(inst, sample: int, seed: int) -> dict[str, float]:
    """{parameter: drawn value} of sample number `sample` (0, 1, ...) for `seed`."""
    return {p.name: p.draw(parameter_rng(seed, sample, p.name)) for p in uncertain_parameters(inst)}


def sample_instance(inst, sample: int, seed: int):
    """(new Instance with the sample's draws applied, {parameter: drawn value})."""
    params = uncertain_parameters(inst)
    if not params:
        raise InputError([Problem(UNCERTAINTIES, None, None, "no uncertain parameters: fill the Uncertainties sheet to run Monte-Carlo samples")])
    draws = {p.name: p.draw(parameter_rng(seed, sample, p.name)) for p in params}
    overrides = [dataclasses.replace(o, value=draws[p.name]) for p in params for o in p.overrides]
    label = inst.metadata.get("scenario", BASE)
    new = apply_overrides(
        inst,
        overrides,
        sample=sample,
        sample_seed=seed,
        sample_draws=", ".join(f"{k}={v:.6g}" for k, v in draws.items()),
        scenario=label,
    )
    return new, draws
