"""A solved model's values, read for results extraction: `Solution` reads each variable component
once and evaluates each named Expression once (memoised), with the same floats as `pyo.value`.

Lives in the solve layer because it reads Pyomo's expression internals (`_args_`,
`_apply_operation`) to add the money terms' big linear sums quickly.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
from pyomo.common.errors import TemplateExpressionError
from pyomo.common.numeric_types import native_numeric_types, native_types, nonpyomo_leaf_types
from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, SumExpression
from pyomo.core.expr.visitor import ExpressionValueVisitor, FixedExpressionError, NonConstantExpressionError

_MISSING = object()
_SUMS = (SumExpression, LinearExpression)
# What pyo.value(x, exception=False) turns into None instead of raising (pyomo's evaluate_expression).
_EVAL_ERRORS = (TemplateExpressionError, ValueError, TypeError, NonConstantExpressionError, FixedExpressionError)


def _is_var(obj, _known: dict = {}) -> bool:  # noqa: B006 (a cache of classes)
    cls = obj.__class__
    if cls not in _known:
        _known[cls] = issubclass(cls, VarData)
    return _known[cls]


def _sum_of_monomials(node) -> float | None:
    """Value of a sum whose terms are all `number * variable`, `variable` or `number` (the money
    terms' big sums), added in the same order as pyomo's visitor (so the same float) without its
    per-node overhead; None when a term is anything else (the visitor then walks it)."""
    terms = []
    add = terms.append
    numbers = native_numeric_types
    for a in node.args:
        cls = a.__class__
        if cls is MonomialTermExpression:
            c, v = a._args_
            if c.__class__ not in numbers or not _is_var(v):
                return None
            add(c * v.value)
        elif cls in numbers:
            add(a)
        elif _is_var(a):
            add(a.value)
        else:
            return None
    if not terms:
        return None
    it = iter(terms)
    return sum(it, start=next(it))  # as SumExpression._apply_operation


class Values(ExpressionValueVisitor):
    """pyo.value(x, exception=False) with a memory: each named Expression (a money term's nominal
    and present value, npv, scenario_npv, exposure_total) is evaluated once per extract, however
    many tables and KPIs read it. The cost table, the KPIs and the scenario table used to walk the
    same 50k-term sums four times (~80 % of extract). Same operations in the same order as pyomo's
    evaluation visitor, so the same floats."""

    def __init__(self):
        self.memo: dict[int, Any] = {}

    def visit(self, node, values):
        v = node._apply_operation(values)
        if node.is_named_expression_type():
            self.memo[id(node)] = v
        return v

    def visiting_potential_leaf(self, node):
        if node.__class__ in nonpyomo_leaf_types:
            return True, node
        if node.is_expression_type():
            if node.is_named_expression_type():
                v = self.memo.get(id(node), _MISSING)
                return (False, None) if v is _MISSING else (True, v)
            if isinstance(node, _SUMS):
                v = _sum_of_monomials(node)
                return (False, None) if v is None else (True, v)
            return False, None
        if node.is_numeric_type() or node.is_logical_type():
            return True, pyo.value(node, exception=False)
        return True, node

    def value(self, x) -> float:
        """Like the old `_val`: the value of x, 0.0 when it has none (unset variable)."""
        try:
            v = self.dfs_postorder_stack(x)
        except _EVAL_ERRORS:
            return 0.0
        if v is not None and v.__class__ not in native_types and v.is_numeric_type():
            v = pyo.value(v, exception=False)
        return 0.0 if v is None else float(v)


class Solution:
    """The solved model's values, each read once: variables by component, expressions memoised."""

    def __init__(self):
        self.values = Values()
        self._vars: dict[str, dict] = {}
        self.cache: dict[str, Any] = {}  # derived sums shared by several tables

    def val(self, x) -> float:
        return self.values.value(x)

    def vals(self, var) -> dict:
        """{index: value} of a variable component (None → 0.0), one pass per component."""
        name = var.name
        if name not in self._vars:
            self._vars[name] = {k: (0.0 if v is None else v) for k, v in var.extract_values().items()}
        return self._vars[name]
