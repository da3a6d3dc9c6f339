"""Every use of a Pyomo private attribute or class in supplyopt's model building and compile.

Written for pyomo==6.10.1 (pinned in pyproject.toml); each function or class below says which
internal it relies on. tests/test_pyomo_seam.py checks every one of them against the installed
Pyomo, and its failures name the internal: after a Pyomo upgrade, run it first.

Why use privates at all: the public API reads a variable or a row through several Python calls
each (0.2-0.7 µs), and at 2M columns that is most of the build and compile time.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import pyomo.environ as pyo
from pyomo.core.base.matrix_constraint import MatrixConstraint, _MatrixConstraintData
from pyomo.core.expr.relational_expr import inequality

PYOMO_WRITTEN_FOR = "6.10.1"


def var_data_in_order(var: pyo.Var) -> list:
    """An indexed variable's data objects in index order, in one copy of Pyomo's own dict
    (`var.values()` looks each index up again: 0.2 s per 500k columns)."""
    # pyomo 6.10.1: IndexedComponent._data is the {index: VarData} dict, filled in index order.
    return list(var._data.values())


def column_domains(columns: list) -> list:
    """Each variable's domain set object (the same object for variables sharing a domain)."""
    # pyomo 6.10.1: VarData._domain holds the domain set given to the Var (VarData.domain's slot).
    return [v._domain for v in columns]


def column_own_bounds(columns: list) -> tuple[list, list]:
    """(lower, upper) as set on each variable itself, None where it has none of its own (the
    domain's bounds are not included: see `VarData.bounds` for the combined ones)."""
    # pyomo 6.10.1: VarData._lb / VarData._ub hold the variable's own bounds (None when unset).
    return [v._lb for v in columns], [v._ub for v in columns]


def fixed_column_values(columns: list) -> Iterator[tuple[int, float]]:
    """(position, value) of every fixed variable."""
    # pyomo 6.10.1: VarData._fixed and VarData._value are the slots behind .fixed and .value.
    for j, v in enumerate(columns):
        if v._fixed:
            yield j, v._value


def matrix_arrays(comp: MatrixConstraint) -> tuple:
    """(variables, A_indptr, A_indices, A_data, lower, upper) of a MatrixConstraint: the CSR
    arrays and per-row bounds it was built from (None = unbounded)."""
    # pyomo 6.10.1: MatrixConstraint.__init__ stores its arguments as _x, _A_indptr, _A_indices,
    # _A_data, _lower and _upper, and its rows read them there.
    return comp._x, comp._A_indptr, comp._A_indices, comp._A_data, comp._lower, comp._upper


def persistent_highs_model(opt) -> object | None:
    """The highspy object inside Pyomo's persistent HiGHS interface (None before it exists)."""
    # pyomo 6.10.1: pyomo.contrib.solver.solvers.highs.Highs keeps its highspy.Highs in _solver_model.
    return getattr(opt, "_solver_model", None)


class ArrayRow(_MatrixConstraintData):
    """One row of an ArrayConstraint, with the ConstraintData API Pyomo 6.10's persistent
    interfaces call (`expr`, `to_bounded_expression`), which the older MatrixConstraint rows
    lack, and named by its key like any indexed constraint (`balance[base,MINE,CONC,P1]`)."""

    # pyomo 6.10.1: _MatrixConstraintData(index, component_ref) is a row of a MatrixConstraint; its
    # body and bounds read the parent's arrays at self._index; ConstraintData declares the _expr slot.
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

    # pyomo 6.10.1: MatrixConstraint(A_data, A_indices, A_indptr, lb, ub, x) keeps its rows in
    # self._data and its construction flag in self._constructed; blocks iterate components
    # through keys/values/items(sort=..., ordered=...).

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
