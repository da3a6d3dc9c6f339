"""What a constraint family declares: `Family` (what it builds, the limits it imposes, the result
tables it contributes) and `Limit` (rows a planner can name). model/registry.py lists the families.

A limit's capacity (for capacity limits) is the bound written once in its family: the
constraint, the shadow prices, the bottlenecks and the result tables all use that one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyomo.environ as pyo

from supplyopt.model.data import BASE_SCENARIO, ModelData

if TYPE_CHECKING:
    from supplyopt.solve.solution import Solution

EPS = 1e-6  # t/yr (or USD/yr): values below this are solver noise and reported as 0


def clean(v: float) -> float:
    """v, or 0.0 when it is solver noise (|v| < EPS)."""
    return 0.0 if abs(v) < EPS else v


def scenario_suffix(d: ModelData, s: str) -> str:
    """', disruption s' for planner wording, '' in a deterministic run."""
    return "" if d.scenarios == [BASE_SCENARIO] else f", disruption {s}"


def capacity_use_rows(sol, etype: str, keys, capacity_of, totals: dict) -> list[dict]:
    """Rows (scenario, element, period, t/yr used, capacity, utilisation) of a capacity: the
    capacity is capacity_of(key) (an expression, or None when unlimited)."""
    rows = []
    for s, k, p in keys:
        rhs = capacity_of((s, k, p))
        cap = None if rhs is None else sol.val(rhs)
        used = totals.get((s, k, p), 0.0)
        rows.append(
            {"scenario": s, etype: k, "period": p, "t_per_yr": clean(used), "capacity_t_per_yr": cap, "utilisation": (clean(used / cap) if cap else None)}
        )
    return rows


@dataclass
class Finding:
    """A statement about one input row: sheet, spreadsheet row (None: the whole sheet) and what."""

    sheet: str
    row: int | None
    what: str  # what cannot be met, in planner terms

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" if self.row else self.sheet
        return f"{where}: {self.what}"


Key = tuple  # a constraint row's index, e.g. (scenario, corridor, period)


@dataclass(frozen=True)
class Limit:
    """Rows of constraint `name` that a planner can name and change: `sheet` is the input sheet,
    `row(d, key)` its spreadsheet row (None: a setting), `describe(m, d, key)` the wording.

    A capacity limit also gives `capacity(m, d, key)`: the bound as an expression of the design
    (or a number), and `users(m, d, key)`: the variables (t/yr) whose sum it bounds. Without
    them the limit's bound and use are the row's own upper bound and body."""

    name: str
    sheet: str
    row: Callable[[ModelData, Key], int | None]
    describe: Callable[[Any, ModelData, Key], str]
    capacity: Callable[[Any, ModelData, Key], Any] | None = None
    users: Callable[[Any, ModelData, Key], list] | None = None

    def finding(self, m, d: ModelData, key: Key) -> Finding:
        return Finding(self.sheet, self.row(d, key), self.describe(m, d, key))

    def limit_and_use(self, m, d: ModelData, key: Key, con) -> tuple[float | None, float | None]:
        """(bound, amount used) in planner units, at the model's current values."""
        if self.capacity is not None and self.users is not None:
            return pyo.value(self.capacity(m, d, key)), sum(pyo.value(x) for x in self.users(m, d, key))
        return (pyo.value(con.upper) if con.upper is not None else None), pyo.value(con.body)


def settings_limit(name: str, setting: str) -> Limit:
    """A limit set by one value on the Settings sheet (a share): worded by the setting, its value
    and the row's key."""
    return Limit(name, "Settings", lambda d, k: None, lambda m, d, k: f"{setting} = {d.risk_settings.get(setting)} ({', '.join(map(str, k))})")


@dataclass(frozen=True)
class Table:
    """Result table `name` made by `make(m, d, sol)` (None: no table in this run).
    `position` orders the results workbook's sheets: 0 costs, 10s design, 20s operations,
    30s capacity use, 40s risk, 50s scenarios, 60s the network, 70s shortfalls."""

    name: str
    make: Callable[[Any, ModelData, Solution], pd.DataFrame | None]
    position: int


@dataclass(frozen=True)
class Family:
    """One constraint family: `build(m, d)` adds its sets, variables, rows and money terms;
    `limits` are the rows a planner can name; `rows` every other Constraint component it may
    build (definitions, links, forced decisions); `tables` the result tables it contributes."""

    name: str
    build: Callable[[Any, ModelData], None]
    limits: tuple[Limit, ...] = ()
    rows: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def constraints(self) -> tuple[str, ...]:
        """Every Constraint component the family may build."""
        return tuple(lim.name for lim in self.limits) + self.rows
