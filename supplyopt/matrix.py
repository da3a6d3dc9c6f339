"""A Pyomo model as the arrays HiGHS takes in one call: columns, rows, a CSR matrix, costs.

`compile_model(m)` walks the model once. Column j is `form.columns[j]` (every variable of the
model, in declaration order); row i is `form.rows[i]` (every active constraint). Families built
as `MatrixConstraint` (the big, regular ones: see model/flows.py) are copied as arrays; the
others go through Pyomo's linear-expression walker. Only linear models are accepted.

This module never talks to HiGHS (solve.py does); it only knows Pyomo and numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.matrix_constraint import MatrixConstraint
from pyomo.repn.linear import LinearRepnVisitor

from supplyopt.model.arrays import columns_of

INF = math.inf


class NonlinearModelError(ValueError):
    """A constraint or the objective is not linear (supplyopt builds only linear models)."""


@dataclass
class MatrixForm:
    """lower ≤ A x ≤ upper, col_lower ≤ x ≤ col_upper, optimise cost · x + offset."""

    columns: list  # VarData per column
    rows: list  # ConstraintData per row
    col_cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    row_lower: np.ndarray
    row_upper: np.ndarray
    a_start: np.ndarray  # CSR: row i's entries are a_index/a_value[a_start[i]:a_start[i+1]]
    a_index: np.ndarray
    a_value: np.ndarray
    maximise: bool
    offset: float

    @property
    def num_col(self) -> int:
        return len(self.columns)

    @property
    def num_row(self) -> int:
        return len(self.rows)

    @property
    def num_nz(self) -> int:
        return len(self.a_value)


def compile_model(m: pyo.ConcreteModel) -> MatrixForm:
    """The model's single active objective and active constraints as arrays (see module doc)."""
    columns = [v for comp in m.component_objects(pyo.Var, active=True, descend_into=True) for v in (columns_of(comp) if comp.is_indexed() else comp.values())]
    col_of = {id(v): j for j, v in enumerate(columns)}
    col_lower, col_upper, integer = _column_bounds(columns)
    visitor = LinearRepnVisitor({})
    rows = _Rows(col_of)
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        if isinstance(comp, MatrixConstraint):
            rows.add_matrix(comp)
        else:
            for con in comp.values():
                if con.active:
                    rows.add_expression(con, visitor)
    objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if len(objectives) != 1:
        raise ValueError(f"the model must have exactly one active objective, not {len(objectives)}")
    obj = objectives[0]
    linear, constant = _linear(visitor, obj.expr, obj)
    col_cost = np.zeros(len(columns))
    for vid, coef in linear.items():
        col_cost[col_of[vid]] += coef
    a_start, a_index, a_value = rows.csr()
    return MatrixForm(
        columns=columns,
        rows=rows.data,
        col_cost=col_cost,
        col_lower=col_lower,
        col_upper=col_upper,
        integer=integer,
        row_lower=np.asarray(rows.lower, dtype=float),
        row_upper=np.asarray(rows.upper, dtype=float),
        a_start=a_start,
        a_index=a_index,
        a_value=a_value,
        maximise=obj.sense == pyo.maximize,
        offset=constant,
    )


def _column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds and integrality per column; a fixed variable is a column with lower = upper."""
    n = len(columns)
    lower, upper, integer = np.empty(n), np.empty(n), np.zeros(n, dtype=bool)
    domain_info: dict[int, tuple[bool, float, float]] = {}  # one lookup per distinct domain
    for j, v in enumerate(columns):
        if v.fixed:
            lower[j] = upper[j] = v.value
            continue
        dom = v.domain
        info = domain_info.get(id(dom))
        if info is None:
            info = domain_info[id(dom)] = (v.is_integer(), *v.domain.bounds())
        lb, ub = v.bounds  # the tighter of the domain's and the variable's own bounds
        lower[j] = -INF if lb is None else lb
        upper[j] = INF if ub is None else ub
        integer[j] = info[0]
    return lower, upper, integer


def _linear(visitor: LinearRepnVisitor, expr, owner) -> tuple[dict[int, float], float]:
    """(coefficient by id(variable), constant) of a linear expression; fixed variables are constants.
    `owner` (a constraint or objective) is named only in the error: names are slow to build."""
    repn = visitor.walk_expression(expr)
    if repn.nonlinear is not None:
        raise NonlinearModelError(f"{owner.name} is not linear")
    k = repn.multiplier  # the walker may leave a common factor outside (its result is not copied: never mutate it)
    if k != 1:
        return {vid: c * k for vid, c in repn.linear.items()}, float(repn.constant * k)
    return repn.linear, float(repn.constant)


class _Rows:
    """Rows collected as CSR pieces; MatrixConstraint blocks are appended whole."""

    def __init__(self, col_of: dict[int, int]):
        self.col_of = col_of
        self.data: list = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.counts: list[np.ndarray] = []  # entries per row, block by block
        self.index: list[np.ndarray] = []
        self.value: list[np.ndarray] = []
        self._pending_idx: list[int] = []
        self._pending_val: list[float] = []
        self._pending_cnt: list[int] = []

    def add_expression(self, con, visitor: LinearRepnVisitor) -> None:
        linear, shift = _linear(visitor, con.body, con)
        lo, up = pyo.value(con.lower), pyo.value(con.upper)
        self.data.append(con)
        self.lower.append(-INF if lo is None else lo - shift)
        self.upper.append(INF if up is None else up - shift)
        col_of = self.col_of
        n = 0
        for vid, coef in linear.items():
            if coef:
                self._pending_idx.append(col_of[vid])
                self._pending_val.append(coef)
                n += 1
        self._pending_cnt.append(n)

    def add_matrix(self, comp: MatrixConstraint) -> None:
        self._flush()
        col_of = self.col_of
        xcol = np.fromiter((col_of[id(v)] for v in comp._x), dtype=np.int64, count=len(comp._x))
        indptr = np.asarray(comp._A_indptr, dtype=np.int64)
        self.data.extend(comp.values())
        self.lower.extend(-INF if x is None else x for x in comp._lower)
        self.upper.extend(INF if x is None else x for x in comp._upper)
        self.counts.append(np.diff(indptr))
        self.index.append(xcol[np.asarray(comp._A_indices, dtype=np.int64)])
        self.value.append(np.asarray(comp._A_data, dtype=float))

    def _flush(self) -> None:
        if self._pending_cnt:
            self.counts.append(np.asarray(self._pending_cnt, dtype=np.int64))
            self.index.append(np.asarray(self._pending_idx, dtype=np.int64))
            self.value.append(np.asarray(self._pending_val, dtype=float))
            self._pending_idx, self._pending_val, self._pending_cnt = [], [], []

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._flush()
        counts = np.concatenate(self.counts) if self.counts else np.zeros(0, dtype=np.int64)
        start = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        index = np.concatenate(self.index) if self.index else np.zeros(0, dtype=np.int64)
        value = np.concatenate(self.value) if self.value else np.zeros(0)
        return start, index.astype(np.int32), value
