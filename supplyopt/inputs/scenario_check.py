"""Validation of the Scenarios and Uncertainties sheets when the input is read (before there is
an Instance): each scenario and each parameter's trial draw applied to the base tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from supplyopt.errors import Problem
from supplyopt.inputs.coerce import ROW_COLUMN
from supplyopt.inputs.override_apply import apply_changes
from supplyopt.inputs.overrides import RESERVED_NAMES, SCENARIOS, UNCERTAINTIES, Override, override_from_row, sorted_records
from supplyopt.inputs.uncertainties import parse_parameters


def check_scenarios(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Problems of the Scenarios and Uncertainties sheets against the base tables: unknown
    table, key or column; values that do not fit the column; scale/add without a number;
    results outside a column's bounds; distributions without their numbers."""
    problems: list[Problem] = []
    scen = frames.get(SCENARIOS)
    if scen is not None and len(scen):
        by_name: dict[str, list[Override]] = {}
        for rec in sorted_records(scen):
            name = rec["scenario"]
            if name is None or rec["table"] is None or rec["column"] is None:
                continue  # required cells: already reported
            if name.strip().lower() in RESERVED_NAMES:
                problems.append(Problem(SCENARIOS, rec[ROW_COLUMN], "scenario", f"'{name}' is a reserved name (base = no changes, all = every scenario)"))
                continue
            by_name.setdefault(name, []).append(override_from_row(rec, SCENARIOS, name))
        for overrides in by_name.values():
            problems += apply_changes(frames, overrides)[1]
    unc = frames.get(UNCERTAINTIES)
    if unc is not None and len(unc):
        params, param_problems = parse_parameters(unc)
        problems += param_problems
        for prm in params:
            trial = prm.trial_value()
            problems += apply_changes(frames, [dataclasses.replace(o, value=trial) for o in prm.overrides])[1]
    return problems
