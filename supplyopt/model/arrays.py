"""Constraint families built from index arrays instead of one Pyomo expression per row.

The largest families (the mass balance: one row per node, commodity, period and scenario) are
regular enough to assemble as a sparse matrix with numpy. `matrix_rows` turns (row, column,
coefficient) triplets into a Pyomo `MatrixConstraint`: a real constraint component every Pyomo
writer and solver interface understands, whose rows cost a few bytes each until something asks
for a row's expression. `solve.compile.compile_model` copies its arrays straight into HiGHS's
matrix. The Pyomo privates this needs live in `supplyopt.solve.pyomo_internals`.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from supplyopt.solve.pyomo_internals import ArrayConstraint, var_data_in_order

__all__ = ["ArrayConstraint", "columns_of", "matrix_rows"]


def columns_of(var: pyo.Var) -> list:
    """An indexed variable's data objects in index order (one copy of Pyomo's own dict: see
    `solve.pyomo_internals.var_data_in_order`); ValueError when some index has no variable."""
    data = var_data_in_order(var)
    if len(data) != len(var.index_set()):  # a sparse Var (dense=False) would not hold them all
        raise ValueError(f"{var.name}: not every index has a variable")
    return data


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
