"""Every Pyomo internal supplyopt relies on exists and behaves as assumed.

supplyopt reads some Pyomo private attributes for speed (supplyopt/solve/pyomo_internals.py) and
evaluates expression trees through node internals (`_args_`, `_apply_operation`: the results
extraction). They were written for pyomo==6.10.1. Each test checks one internal directly on
Pyomo's own objects; a failure says which internal a Pyomo upgrade broke.
"""

from __future__ import annotations

import weakref

import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.version import version as PYOMO_INSTALLED

from supplyopt.solve.pyomo_internals import (
    PYOMO_WRITTEN_FOR,
    ArrayConstraint,
    column_domains,
    column_own_bounds,
    fixed_column_values,
    matrix_arrays,
    persistent_highs_model,
    var_data_in_order,
)


def broke(internal: str, assumption: str) -> str:
    return (
        f"Pyomo internal {internal}: {assumption} no longer holds. A Pyomo upgrade broke it "
        f"(supplyopt was written for pyomo {PYOMO_WRITTEN_FOR}, installed {PYOMO_INSTALLED}); "
        "fix supplyopt/solve/pyomo_internals.py (or the results extraction) before unpinning."
    )


def test_pyomo_is_the_pinned_version():
    assert PYOMO_INSTALLED == PYOMO_WRITTEN_FOR, broke("(version)", f"the installed Pyomo is {PYOMO_WRITTEN_FOR}")


# --- variables ---------------------------------------------------------------------------------


def test_indexed_var_data_is_the_index_to_vardata_dict_in_index_order():
    m = pyo.ConcreteModel()
    m.x = pyo.Var([("b", 2), ("a", 1), ("c", 3)])
    assert isinstance(getattr(m.x, "_data", None), dict), broke("IndexedVar._data", "it is a dict")
    assert list(m.x._data) == list(m.x.index_set()), broke("IndexedVar._data", "its keys are the index set in order")
    assert all(d is m.x[k] for k, d in m.x._data.items()), broke("IndexedVar._data", "its values are the VarData objects")
    assert var_data_in_order(m.x) == [m.x[k] for k in m.x.index_set()], broke("IndexedVar._data", "var_data_in_order gives index order")


def test_vardata_domain_slot_is_the_domain_object():
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2], domain=pyo.NonNegativeIntegers)
    m.y = pyo.Var(domain=pyo.Binary)
    cols = [m.x[1], m.x[2], m.y]
    assert column_domains(cols) == [v.domain for v in cols], broke("VarData._domain", "it holds the variable's domain")
    assert column_domains(cols)[0] is column_domains(cols)[1], broke("VarData._domain", "variables of one Var share one domain object")
    assert column_domains(cols)[0].get_interval() == (0, None, 1), broke("VarData._domain", "domain.get_interval() is (lb, ub, step)")


def test_vardata_lb_ub_slots_are_the_variables_own_bounds():
    m = pyo.ConcreteModel()
    m.p = pyo.Param(initialize=7.0, mutable=True)
    m.x = pyo.Var([1, 2, 3], domain=pyo.NonNegativeReals)
    m.x[2].setlb(1.5)
    m.x[2].setub(4.0)
    m.x[3].setub(m.p)
    lbs, ubs = column_own_bounds([m.x[1], m.x[2], m.x[3]])
    assert lbs[0] is None and ubs[0] is None, broke("VarData._lb/_ub", "they are None when the variable has no own bound (domain bounds excluded)")
    assert (lbs[1], ubs[1]) == (1.5, 4.0), broke("VarData._lb/_ub", "they hold numeric bounds set by setlb/setub")
    assert lbs[2] is None and ubs[2] is not None and m.x[3].bounds == (0, 7.0), broke(
        "VarData._ub", "a Param bound is stored (not None) and .bounds evaluates it"
    )


def test_vardata_fixed_and_value_slots():
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2, 3])
    m.x[2].fix(3.25)
    m.x[3].set_value(1.0)
    assert list(fixed_column_values([m.x[1], m.x[2], m.x[3]])) == [(1, 3.25)], broke("VarData._fixed/_value", "they are the slots behind .fixed and .value")
    m.x[2].unfix()
    assert list(fixed_column_values([m.x[1], m.x[2], m.x[3]])) == [], broke("VarData._fixed", "unfix() clears it")


# --- MatrixConstraint --------------------------------------------------------------------------


def _matrix_model(cls=None):
    """Rows: x1 + 2 x2 <= 4; 3 x2 == 6 (CSR), as a MatrixConstraint or an ArrayConstraint."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2], bounds=(0, 10))
    args = (np.array([1.0, 2.0, 3.0]), np.array([0, 1, 1]), np.array([0, 2, 3]), [None, 6.0], [4.0, 6.0], [m.x[1], m.x[2]])
    if cls is None:
        from pyomo.core.base.matrix_constraint import MatrixConstraint

        m.c = MatrixConstraint(*args)
    else:
        m.c = cls(["r1", "r2"], *args)
    return m


def test_matrix_constraint_keeps_its_arrays_in_private_attributes():
    from pyomo.core.base.matrix_constraint import MatrixConstraint

    m = _matrix_model()
    assert isinstance(m.c, MatrixConstraint)
    for name in ("_x", "_A_indptr", "_A_indices", "_A_data", "_lower", "_upper"):
        assert hasattr(m.c, name), broke(f"MatrixConstraint.{name}", "MatrixConstraint(A_data, A_indices, A_indptr, lb, ub, x) stores it")
    x, indptr, indices, data, lower, upper = matrix_arrays(m.c)
    assert x == (m.x[1], m.x[2]), broke("MatrixConstraint._x", "it is the tuple of variables")
    assert list(indptr) == [0, 2, 3] and list(indices) == [0, 1, 1] and list(data) == [1.0, 2.0, 3.0], broke(
        "MatrixConstraint._A_*", "they are the CSR arrays as given"
    )
    assert list(lower) == [None, 6.0] and list(upper) == [4.0, 6.0], broke("MatrixConstraint._lower/_upper", "they are the row bounds as given")


def test_matrix_constraint_rows_live_in_data_and_read_the_parent_arrays():
    from pyomo.core.base.matrix_constraint import _MatrixConstraintData

    m = _matrix_model()
    assert m.c._constructed, broke("MatrixConstraint._constructed", "it is the construction flag, set by construct()")
    assert isinstance(m.c._data, tuple) and len(m.c._data) == 2, broke("MatrixConstraint._data", "construct() stores the rows there as a tuple")
    row = m.c._data[0]
    assert isinstance(row, _MatrixConstraintData) and row._index == 0, broke("_MatrixConstraintData._index", "it is the row's position")
    assert "_expr" in pyo.Constraint._ComponentDataClass.__slots__, broke("ConstraintData._expr", "ConstraintData declares the _expr slot")
    m.x[1].set_value(1.0)
    m.x[2].set_value(1.5)
    assert pyo.value(row.body) == pytest.approx(4.0) and row.upper == 4.0 and row.lower is None, broke(
        "_MatrixConstraintData", "its body and bounds read the parent's arrays at _index"
    )
    m.c._upper[0] = 5.0
    assert m.c._data[0].upper == 5.0, broke("MatrixConstraint._upper", "rows read their bound from it (so changing it changes the row)")
    assert m.c._data[1].equality, broke("_MatrixConstraintData.equality", "lower == upper makes an equality row")
    fresh = _MatrixConstraintData(1, weakref.ref(m.c))
    assert fresh.parent_component() is m.c and fresh._index == 1, broke(
        "_MatrixConstraintData(index, component_ref)", "the constructor takes a row number and a weakref"
    )


def test_array_constraint_built_on_matrix_constraint_solves_and_probes():
    """ArrayConstraint (rows made on first use, keyed, bounds changeable) through Pyomo's
    persistent HiGHS interface, which reads rows through the API Pyomo 6.10's blocks call."""
    from pyomo.contrib.solver.solvers.highs import Highs

    m = _matrix_model(ArrayConstraint)
    m.obj = pyo.Objective(expr=m.x[1] + m.x[2], sense=pyo.maximize)
    assert m.c._data is None, broke("MatrixConstraint._data", "construct() may leave it unset (rows made on first use)")
    assert list(m.c.keys()) == ["r1", "r2"] and str(m.c["r2"].expr).replace(" ", "") == "3.0*x[2]==6.0"
    assert m.c["r1"].index() == "r1"
    opt = Highs()
    opt.solve(m)
    # By hand: r2 gives x2 = 2, then r1 leaves x1 <= 4 - 2*2 = 0: objective 2.
    assert (pyo.value(m.x[1]), pyo.value(m.x[2]), pyo.value(m.obj)) == pytest.approx((0.0, 2.0, 2.0))
    row = m.c["r1"]
    row.set_value((row.lower, row.body, 6.0))  # what shadow-price probes do
    assert matrix_arrays(m.c)[5][0] == 6.0, broke("MatrixConstraint._upper", "ArrayRow.set_value writes the new bound there")
    opt.solve(m)
    assert pyo.value(m.obj) == pytest.approx(4.0), broke("MatrixConstraint._upper", "a changed bound reaches the persistent solver")  # x1 = 6 - 4


def test_persistent_highs_keeps_its_highspy_object_in_solver_model():
    import highspy
    from pyomo.contrib.solver.solvers.highs import Highs

    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 2))
    m.obj = pyo.Objective(expr=m.x, sense=pyo.maximize)
    opt = Highs()
    assert persistent_highs_model(opt) is None, broke("Highs._solver_model", "it does not exist (or is None) before a solve")
    opt.solve(m)
    assert isinstance(persistent_highs_model(opt), highspy.Highs), broke("Highs._solver_model", "it is the highspy.Highs object of the solve")


# --- expression nodes (results extraction) ------------------------------------------------------


def test_monomial_term_args_are_coefficient_then_variable():
    from pyomo.core.expr.numeric_expr import MonomialTermExpression

    m = pyo.ConcreteModel()
    m.x = pyo.Var(initialize=3.0)
    term = 2.5 * m.x
    assert term.__class__ is MonomialTermExpression, broke("MonomialTermExpression", "number * variable builds one")
    assert hasattr(term, "_args_"), broke("MonomialTermExpression._args_", "the node keeps its operands there")
    c, v = term._args_
    assert c == 2.5 and v is m.x, broke("MonomialTermExpression._args_", "it is (coefficient, variable)")


def test_sum_args_hold_the_terms_in_order():
    from pyomo.core.expr.numeric_expr import LinearExpression, SumExpression

    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2, 3], initialize=1.0)
    m.e = pyo.Expression(expr=m.x[1] ** 2)
    s = sum([2 * m.x[1], m.x[2], 4.0, m.e])
    assert isinstance(s, (SumExpression, LinearExpression)), broke("SumExpression", "sum() of terms builds one")
    assert list(s.args) == list(s._args_[: s.nargs()]), broke("SumExpression._args_", "its first nargs() entries are the terms, in order")


def test_apply_operation_computes_the_node_from_its_operand_values():
    from pyomo.core.expr.numeric_expr import MonomialTermExpression, ProductExpression, SumExpression

    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2], initialize=2.0)
    s = SumExpression([m.x[1], m.x[2], 1.0])
    assert hasattr(s, "_apply_operation"), broke("SumExpression._apply_operation", "it exists")
    assert s._apply_operation([0.1, 0.2, 0.3]) == sum([0.2, 0.3], start=0.1), broke(
        "SumExpression._apply_operation", "it adds the operand values left to right"
    )
    assert MonomialTermExpression((3.0, m.x[1]))._apply_operation([3.0, 2.0]) == 6.0, broke("MonomialTermExpression._apply_operation", "it multiplies")
    assert ProductExpression((m.x[1], m.x[2]))._apply_operation([1.5, 4.0]) == 6.0, broke("ProductExpression._apply_operation", "it multiplies")


def test_expression_value_visitor_calls_visit_with_apply_operation_values():
    """The results extraction subclasses ExpressionValueVisitor and evaluates nodes with
    `node._apply_operation(values)`: the same floats as pyo.value."""
    from pyomo.core.expr.visitor import ExpressionValueVisitor

    class Values(ExpressionValueVisitor):
        def visit(self, node, values):
            return node._apply_operation(values)

        def visiting_potential_leaf(self, node):
            if node.__class__ in (int, float):
                return True, node
            if node.is_expression_type():
                return False, None
            return True, pyo.value(node)

    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2], initialize={1: 0.1, 2: 0.7})
    m.e = pyo.Expression(expr=3 * m.x[1] + m.x[2] * m.x[1] + 0.2)
    expr = m.e + 2 * m.x[2]
    assert Values().dfs_postorder_stack(expr) == pyo.value(expr), broke(
        "ExpressionValueVisitor / _apply_operation", "a postorder walk with _apply_operation gives pyo.value's float"
    )


def test_linear_repn_visitor_results():
    from pyomo.repn.linear import LinearRepnVisitor

    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2])
    m.x[2].fix(5.0)
    visitor = LinearRepnVisitor({})
    repn = visitor.walk_expression(2 * (3 * m.x[1] + m.x[2] + 1))
    assert repn.nonlinear is None, broke("LinearRepn.nonlinear", "it is None for a linear expression")
    k = repn.multiplier
    linear = {visitor.var_map[vid].name: c * k for vid, c in repn.linear.items()}
    assert linear == {"x[1]": 6}, broke(
        "LinearRepn.linear/multiplier, LinearRepnVisitor.var_map", "coefficients by id(var), times multiplier; fixed vars are constants"
    )
    assert repn.constant * k == 12, broke("LinearRepn.constant", "it holds the constant (fixed variables included), times multiplier")
    assert visitor.walk_expression(m.x[1] * m.x[1]).nonlinear is not None, broke("LinearRepn.nonlinear", "it is set for a nonlinear expression")
