"""Constraint families built from index arrays instead of one Pyomo expression per row.

The largest families (the mass balance: one row per node, commodity, period and scenario) are
regular enough to assemble as a sparse matrix with numpy. `matrix_rows` turns (row, column,
coefficient) triplets into a Pyomo `MatrixConstraint`: a real constraint component every Pyomo
writer and solver interface understands, whose rows cost a few bytes each until something asks
for a row's expression. `matrix.compile_model` copies its arrays straight into HiGHS's matrix.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from pyomo.core.base.matrix_constraint import MatrixConstraint, _MatrixConstraintData
from pyomo.core.expr.relational_expr import inequality


class ArrayRow(_MatrixConstraintData):
    """One row of an ArrayConstraint, with the ConstraintData API Pyomo 6.10's persistent
    interfaces call (`expr`, `to_bounded_expression`), which the older MatrixConstraint rows lack."""

    __slots__ = ()

    def __init__(self, index, component_ref):
        super().__init__(index, component_ref)
        self._expr = None  # the slot ConstraintData declares; the row's expression is built on demand

    @property
    def expr(self):
        lower, body, upper = self.to_bounded_expression()
        if self.equality:
            return body == upper
        return inequality(lower, body, upper)

    def to_bounded_expression(self, evaluate_bounds=False):
        return self.lower, self.body, self.upper


class ArrayConstraint(MatrixConstraint):
    """Pyomo's MatrixConstraint with the iteration API that Pyomo 6.10's blocks call
    (`component_data_objects` asks for `values(sort)`, which the Mapping base does not take)
    and ArrayRow rows."""

    def construct(self, data=None):
        if self._constructed:
            return
        self._constructed = True
        ref = weakref.ref(self)
        self._data = tuple(ArrayRow(i, ref) for i in range(len(self._lower)))

    def keys(self, sort=None, ordered=None):
        return iter(range(len(self._data)))

    def values(self, sort=None, ordered=None):
        return iter(self._data)

    def items(self, sort=None, ordered=None):
        return enumerate(self._data)


@dataclass
class MatrixRows:
    """A built family: the constraint component and the key of each of its rows (row i ↔ keys[i])."""

    constraint: ArrayConstraint
    keys: list

    def row_of(self, key) -> int:
        """Position of the row with this key (slow: for diagnosis and tests, not for building)."""
        return self.keys.index(key)


def matrix_rows(keys: list, columns: list, row: np.ndarray, col: np.ndarray, coef: np.ndarray, lower: float | None, upper: float | None) -> MatrixRows:
    """lower ≤ Σ_j coef · columns[col] ≤ upper for every row key with at least one nonzero term.

    `row[k]`, `col[k]`, `coef[k]` is one term: positions into `keys` and `columns`. Repeated
    (row, column) pairs are summed, zero coefficients dropped, and rows left empty are skipped
    (as a rule returning Constraint.Skip would), so the result's keys are a subsequence of `keys`.
    """
    row = np.asarray(row, dtype=np.int64)
    col = np.asarray(col, dtype=np.int64)
    coef = np.asarray(coef, dtype=float)
    order = np.lexsort((col, row))
    row, col, coef = row[order], col[order], coef[order]
    if len(row):
        # sum repeated (row, col) pairs: a new run starts where either changes
        starts = np.flatnonzero(np.r_[True, (row[1:] != row[:-1]) | (col[1:] != col[:-1])])
        coef = np.add.reduceat(coef, starts)
        row, col = row[starts], col[starts]
    keep = coef != 0
    row, col, coef = row[keep], col[keep], coef[keep]
    used = np.unique(row)  # rows with a term, in key order
    new_row = np.searchsorted(used, row)
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(np.bincount(new_row, minlength=len(used)), out=indptr[1:])
    n = len(used)
    # numpy arrays, not lists: 8 bytes per entry instead of a Python object each (Pyomo reads
    # numpy scalars as numbers).
    con = ArrayConstraint(coef, col, indptr, [lower] * n, [upper] * n, columns)
    return MatrixRows(con, [keys[i] for i in used.tolist()])
