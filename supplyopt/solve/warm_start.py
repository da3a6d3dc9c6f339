"""MIP starts: a solved model's design as {variable name: value} (`plan_values`), and such a
mapping handed to HiGHS before a run (`set_start`, used by solve.highs's direct route).

A start may be partial (only the design, say): HiGHS fixes what it is given, solves for the rest
and keeps the result as its first incumbent when it is feasible ('X' in its log: user solution).
Names are `str(var)` as Pyomo prints them, e.g. "open_new[REF_GWADAR,2031-35]"; names the model
does not have are ignored (a scenario may lack a site of the base).
"""

from __future__ import annotations

from collections.abc import Mapping

import highspy
import numpy as np
import pyomo.environ as pyo

from supplyopt.solve.compile import MatrixForm
from supplyopt.solve.scale import Scaling, scale_columns


def plan_values(m: pyo.ConcreteModel) -> dict[str, float]:
    """The design of a solved model: every integer variable (builds, openings, module counts,
    convoys) with a value, by name."""
    out = {}
    for v in m.component_data_objects(pyo.Var, active=True, descend_into=True):
        if v.is_integer() and v.value is not None:
            out[str(v)] = float(round(v.value))
    return out


def set_start(h: highspy.Highs, form: MatrixForm, scaling: Scaling, start: Mapping[str, float]) -> int:
    """Give HiGHS the start (in its scaled units); returns how many columns it names."""
    wanted = dict(start)
    prefixes = {name.split("[", 1)[0] for name in wanted}
    named: dict[int, bool] = {}  # id(component) → does the start name it (names are slow: skip the rest)
    index, value = [], []
    for j, v in enumerate(form.columns):
        comp = v.parent_component()
        if not named.setdefault(id(comp), comp.name in prefixes):
            continue
        name = str(v)
        if name in wanted:
            index.append(j)
            value.append(float(wanted[name]))
    if not index:
        return 0
    idx = np.asarray(index, dtype=np.int32)
    full = np.zeros(form.num_col)
    full[idx] = value
    scaled = scale_columns(form, scaling, full)[idx]
    h.setSolution(len(idx), idx, scaled)
    return len(idx)
