"""Constraint families built from index arrays instead of one Pyomo expression per row.

The largest families (the mass balance: one row per node, commodity, period and scenario) are
regular enough to assemble as a sparse matrix with numpy. `matrix_rows` turns (row, column,
coefficient) triplets into a Pyomo `MatrixConstraint`: a real constraint component every Pyomo
writer and solver interface understands, whose rows cost a few bytes each until something asks
for a row's expression. `matrix.compile_model` copies its arrays straight into HiGHS's matrix.
"""

from __future__ import annotations

import weakref

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.matrix_constraint import MatrixConstraint, _MatrixConstraintData
from pyomo.core.expr.relational_expr import inequality


def columns_of(var: pyo.Var) -> list:
    """An indexed variable's data objects in index order, in one copy of Pyomo's own dict
    (`var.values()` looks each index up again: 0.2 s per 500k columns). Pyomo 6.10 is pinned."""
    data = list(var._data.values())
    if len(data) != len(var.index_set()):  # a sparse Var (dense=False) would not hold them all
        raise ValueError(f"{var.name}: not every index has a variable")
    return data


class ArrayRow(_MatrixConstraintData):
    """One row of an ArrayConstraint, with the ConstraintData API Pyomo 6.10's persistent
    interfaces call (`expr`, `to_bounded_expression`), which the older MatrixConstraint rows
    lack, and named by its key like any indexed constraint (`balance[base,MINE,CONC,P1]`)."""

    __slots__ = ()

    def __init__(self, index, component_ref):
        super().__init__(index, component_ref)
        self._expr = None  # the slot ConstraintData declares; the row's expression is built on demand

    def index(self):
        return self.parent_component()._keys[self._index]

    @property
    def expr(self):
        lower, body, upper = self.to_bounded_expression()
        if self.equality:
            return body == upper
        return inequality(lower, body, upper)

    def to_bounded_expression(self, evaluate_bounds=False):
        return self.lower, self.body, self.upper

    def set_value(self, expr):
        """Only the bounds of an array row can change: `expr` is (lower, body, upper) with this
        row's own body (what shadow-price probes pass); the body is not read."""
        lower, _body, upper = expr
        comp = self.parent_component()
        comp._lower[self._index] = lower
        comp._upper[self._index] = upper


class ArrayConstraint(MatrixConstraint):
    """Rows lower_i ≤ Σ_j A_ij x_j ≤ upper_i held as CSR arrays, indexed by key like a Pyomo
    Constraint (`con[key]`, `.items()`, `key in con`). Pyomo's MatrixConstraint with rows
    indexed 0…n−1 and the iteration API Pyomo 6.10's blocks call (`values(sort)`)."""

    def __init__(self, keys: list, *args):
        super().__init__(*args)
        self._keys = keys
        self._row_of: dict | None = None

    def construct(self, data=None):
        """Rows are made on first use (`_rows`): a model solved by the direct hand-off never
        needs them, and at 2M columns they cost as much as the matrix itself."""
        if self._constructed:
            return
        self._constructed = True
        self._data = None

    def _rows(self) -> tuple:
        if self._data is None:
            ref = weakref.ref(self)
            self._data = tuple(ArrayRow(i, ref) for i in range(len(self._keys)))
        return self._data

    def _position(self, key) -> int:
        if self._row_of is None:
            self._row_of = {k: i for i, k in enumerate(self._keys)}
        return self._row_of[key]

    def __len__(self):
        return len(self._keys)

    def __getitem__(self, key):
        return self._rows()[self._position(key)]

    def __contains__(self, key):
        try:
            self._position(key)
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self):
        return iter(self._keys)

    def keys(self, sort=None, ordered=None):
        return iter(self._keys)

    def values(self, sort=None, ordered=None):
        return iter(self._rows())

    def items(self, sort=None, ordered=None):
        return zip(self._keys, self._rows())


def matrix_rows(keys: list, columns: list, row: np.ndarray, col: np.ndarray, coef: np.ndarray, lower, upper) -> ArrayConstraint:
    """lower_i ≤ Σ_j coef · columns[col] ≤ upper_i for every row key i with a nonzero term.

    `row[k]`, `col[k]`, `coef[k]` is one term: positions into `keys` and `columns`. `lower` and
    `upper` are one bound for all rows or a list per key (None = unbounded). Repeated (row,
    column) pairs are summed, zero coefficients dropped, and rows left empty are skipped (as a
    rule returning Constraint.Skip would): the constraint's keys are a subsequence of `keys`.
    """
    row = np.asarray(row, dtype=np.int64)
    col = np.asarray(col, dtype=np.int64)
    coef = np.asarray(coef, dtype=float)
    if len(row):
        # one sort on a combined (row, column) key, then repeated pairs summed
        key = row * (int(col.max()) + 1) + col
        order = np.argsort(key)
        key, row, col, coef = key[order], row[order], col[order], coef[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        coef = np.add.reduceat(coef, starts)
        row, col = row[starts], col[starts]
    keep = coef != 0
    row, col, coef = row[keep], col[keep], coef[keep]
    first = np.r_[True, row[1:] != row[:-1]] if len(row) else np.zeros(0, dtype=bool)
    used = row[first].tolist()  # rows with a term, in key order
    indptr = np.r_[np.flatnonzero(first), len(row)].astype(np.int64)
    n = len(used)
    lows = [lower] * n if not isinstance(lower, list) else [lower[i] for i in used]
    ups = [upper] * n if not isinstance(upper, list) else [upper[i] for i in used]
    # numpy arrays, not lists: 8 bytes per entry instead of a Python object each (Pyomo reads
    # numpy scalars as numbers).
    return ArrayConstraint([keys[i] for i in used], coef, col, indptr, lows, ups, columns)
