"""A Pyomo model as the arrays HiGHS takes in one call: columns, rows, a CSR matrix, costs.

`compile_model(m)` walks the model once. Column j is `form.columns[j]` (every variable of the
model, in declaration order); row i is `form.rows[i]` (every active constraint). Families built
as `MatrixConstraint` (the big, regular ones: see model/flows.py) are copied as arrays; the
others go through Pyomo's linear-expression walker. Only linear models are accepted.

This module never talks to HiGHS (highs.py does); it only knows Pyomo and numpy, and reads
Pyomo's private slots only through `pyomo_internals`.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.base.matrix_constraint import MatrixConstraint
from pyomo.repn.linear import LinearRepnVisitor

from supplyopt.model.arrays import columns_of
from supplyopt.solve.pyomo_internals import column_domains, column_own_bounds, fixed_column_values, matrix_arrays

INF = math.inf


class NonlinearModelError(ValueError):
    """A constraint or the objective is not linear (supplyopt builds only linear models)."""


@dataclass
class MatrixForm:
    """lower ≤ A x ≤ upper, col_lower ≤ x ≤ col_upper, optimise cost · x + offset."""

    columns: list  # VarData per column
    row_blocks: list  # per row a ConstraintData, or a whole MatrixConstraint for its rows in order
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
    def rows(self) -> list:
        """ConstraintData per row (made on demand for array-built families: only duals need them)."""
        out: list = []
        for block in self.row_blocks:
            if isinstance(block, MatrixConstraint):
                out.extend(block.values())
            else:
                out.append(block)
        return out

    @property
    def num_col(self) -> int:
        return len(self.columns)

    @property
    def num_row(self) -> int:
        return len(self.row_lower)

    @property
    def num_nz(self) -> int:
        return len(self.a_value)


def compile_model(m: pyo.ConcreteModel) -> MatrixForm:
    """The model's single active objective and active constraints as arrays (see module doc)."""
    with PauseGC():  # the walk allocates much and frees little: no cyclic-GC rescans of the model
        cols = _Columns(m)
        col_lower, col_upper, integer = _column_bounds(cols.columns)
        visitor = LinearRepnVisitor({})
        rows = _Rows(cols, visitor)
        for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
            if isinstance(comp, MatrixConstraint):
                rows.add_matrix(comp)
            else:
                for con in comp.values():
                    if con.active:
                        rows.add_expression(con)
        objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
        if len(objectives) != 1:
            raise ValueError(f"the model must have exactly one active objective, not {len(objectives)}")
        obj = objectives[0]
        linear, constant = _linear(visitor, obj.expr, obj)
        col_cost = np.zeros(len(cols.columns))
        for vid, coef in linear.items():
            col_cost[cols.of(vid, visitor)] += coef
        a_start, a_index, a_value = rows.csr()
    return MatrixForm(
        columns=cols.columns,
        row_blocks=rows.blocks,
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


class _Columns:
    """Column numbers. Each Var component is one block of consecutive columns in index order;
    a variable's number is its block's first column plus its position. The id → column map is
    filled one component at a time, only for components an expression names (at 2M columns a
    map of every variable costs more than the rest of the walk)."""

    def __init__(self, m: pyo.ConcreteModel):
        self.columns: list = []
        self.first: dict[int, int] = {}  # id(component) → its first column
        self.data: dict[int, list] = {}  # id(component) → its variables in order
        for comp in m.component_objects(pyo.Var, active=True, descend_into=True):
            data = columns_of(comp) if comp.is_indexed() else list(comp.values())
            self.first[id(comp)], self.data[id(comp)] = len(self.columns), data
            self.columns.extend(data)
        self._col_of: dict[int, int] = {}
        self._mapped: set[int] = set()

    def of(self, vid: int, visitor: LinearRepnVisitor) -> int:
        """Column of the variable with this id, as named in the visitor's results."""
        j = self._col_of.get(vid)
        if j is None:
            comp = visitor.var_map[vid].parent_component()
            self._map(comp)
            j = self._col_of[vid]
        return j

    def _map(self, comp) -> None:
        if id(comp) in self._mapped:
            return
        if id(comp) not in self.first:
            raise ValueError(f"variable {comp.name} is not a variable of this model")
        self._mapped.add(id(comp))
        first = self.first[id(comp)]
        self._col_of.update((id(v), first + i) for i, v in enumerate(self.data[id(comp)]))

    def positions(self, x: tuple) -> np.ndarray:
        """Columns of a MatrixConstraint's variables: a run that is a whole Var component in
        order (as model/arrays.py's callers pass them) by arithmetic, other variables one by one."""
        out = np.empty(len(x), dtype=np.int64)
        i = 0
        while i < len(x):
            comp = x[i].parent_component()
            data = self.data.get(id(comp))
            if data is None:
                raise ValueError(f"variable {x[i].name} is not a variable of this model")
            n = len(data)
            if x[i] is data[0] and len(x) - i >= n and all(map(operator.is_, x[i : i + n], data)):
                out[i : i + n] = self.first[id(comp)] + np.arange(n)
                i += n
            else:
                self._map(comp)
                out[i] = self._col_of[id(x[i])]
                i += 1
        return out


def _column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds and integrality per column: the tighter of the domain's and the variable's own
    bounds (as `VarData.bounds`); a fixed variable is a column with lower = upper = its value.

    Read from the variables' slots in a few passes with one domain lookup per distinct domain
    (VarData.bounds per variable costs 0.7 µs; at 2M columns that is most of the compile)."""
    n = len(columns)
    domains = column_domains(columns)
    code_of: dict[int, int] = {}
    codes = np.fromiter((code_of.setdefault(id(dom), len(code_of)) for dom in domains), dtype=np.int64, count=n)
    info = {}  # domain code → (integer, lower, upper)
    for dom in domains:
        k = code_of[id(dom)]
        if k not in info:
            dlb, dub, step = dom.get_interval()
            info[k] = (step == 1, -INF if dlb is None else dlb, INF if dub is None else dub)
    table = np.array([info[k] for k in range(len(info))], dtype=float).reshape(-1, 3)
    integer, lower, upper = table[codes, 0].astype(bool), table[codes, 1], table[codes, 2]
    for j, (lb, ub) in enumerate(zip(*column_own_bounds(columns))):
        if lb is not None or ub is not None:  # own bounds (numbers, or Params and expressions)
            own_lb, own_ub = columns[j].bounds
            lower[j] = -INF if own_lb is None else own_lb
            upper[j] = INF if own_ub is None else own_ub
    for j, value in fixed_column_values(columns):
        lower[j] = upper[j] = value
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

    def __init__(self, cols: _Columns, visitor: LinearRepnVisitor):
        self.cols = cols
        self.visitor = visitor
        self.blocks: list = []  # see MatrixForm.row_blocks
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.counts: list[np.ndarray] = []  # entries per row, block by block
        self.index: list[np.ndarray] = []
        self.value: list[np.ndarray] = []
        self._pending_idx: list[int] = []
        self._pending_val: list[float] = []
        self._pending_cnt: list[int] = []

    def add_expression(self, con) -> None:
        linear, shift = _linear(self.visitor, con.body, con)
        lo, up = pyo.value(con.lower), pyo.value(con.upper)
        self.blocks.append(con)
        self.lower.append(-INF if lo is None else lo - shift)
        self.upper.append(INF if up is None else up - shift)
        n = 0
        for vid, coef in linear.items():
            if coef:
                self._pending_idx.append(self.cols.of(vid, self.visitor))
                self._pending_val.append(coef)
                n += 1
        self._pending_cnt.append(n)

    def add_matrix(self, comp: MatrixConstraint) -> None:
        self._flush()
        x, a_indptr, a_indices, a_data, lower, upper = matrix_arrays(comp)
        xcol = self.cols.positions(x)
        indptr = np.asarray(a_indptr, dtype=np.int64)
        self.blocks.append(comp)  # its rows, in order (see MatrixForm.rows)
        self.lower.extend(-INF if b is None else b for b in lower)
        self.upper.extend(INF if b is None else b for b in upper)
        self.counts.append(np.diff(indptr))
        self.index.append(xcol[np.asarray(a_indices, dtype=np.int64)])
        self.value.append(np.asarray(a_data, dtype=float))

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
