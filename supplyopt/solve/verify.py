"""The plan HiGHS returned, checked against the model as supplyopt compiled it (tonnes and USD,
before any scaling): every row, every column bound, every integer column.

HiGHS's tolerances are absolute (primal feasibility 1e-7 in the units it was given), so a plan
can satisfy HiGHS and still break a capacity of 1e-8 t/yr by 100 %. `verify_plan` measures, per
row family (the Pyomo constraint component), the largest violation

    v_i = max(L_i − a_i·x, a_i·x − U_i, 0)

absolute and relative to the row's size s_i = max(|L_i|, |U_i| (finite), max_j |a_ij x_j|), and
a plan passes when every row, column bound and integer column is within

    v_i ≤ REL_TOL · s_i + ABS_TOL / mass        (rows and column bounds)
    |x_j − round(x_j)| ≤ INT_TOL                (integer columns)

where `mass` is the scaling's mass unit (HiGHS's own tolerance, 1e-7 in its units, is 1e-7 / mass
in tonnes: ABS_TOL allows ten times that). A plan that fails is never called optimal
(solve.highs gives it the status NOT_VERIFIED, naming the worst row).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pyomo.core.base.matrix_constraint import MatrixConstraint

from supplyopt.solve.compile import MatrixForm

REL_TOL = 1e-6  # relative to the row's size
ABS_TOL = 1e-6  # in HiGHS's units (ten times its primal feasibility tolerance)
INT_TOL = 1e-5  # integrality (ten times HiGHS's mip_feasibility_tolerance)


@dataclass
class Verification:
    """How well a plan meets the unscaled rows: worst violations overall and per row family."""

    ok: bool
    max_abs: float  # largest row or column-bound violation, in the row's own units
    max_rel: float  # largest violation relative to the row's size
    max_integrality: float  # largest distance of an integer column from an integer
    worst: str | None  # Pyomo name of the row (or column) with the largest excess over its tolerance
    families: dict[str, tuple[float, float]] = field(default_factory=dict)  # family → (max abs, max rel)

    def message(self) -> str:
        return (
            f"the plan HiGHS returned breaks {self.worst} by {self.max_abs:.3g} ({self.max_rel:.2%} of the row), "
            "more than the stated tolerance (docs/modelling.md, 'Numerical honesty')"
        )


def _row_family(form: MatrixForm) -> tuple[np.ndarray, list[str], list]:
    """Per row the index of its family (constraint component), the family names, and per row
    block its first row and block (for naming one row on demand)."""
    sizes, names, starts = [], [], []
    index_of: dict[str, int] = {}
    first = 0
    fam = []
    name_of: dict[int, str] = {}  # id(component) → its name (names are built on each call: slow)
    for block in form.row_blocks:
        n = len(block) if isinstance(block, MatrixConstraint) else 1
        comp = block if isinstance(block, MatrixConstraint) else block.parent_component()
        name = name_of.get(id(comp))
        if name is None:
            name = name_of[id(comp)] = comp.name
        k = index_of.setdefault(name, len(index_of))
        if k == len(names):
            names.append(name)
        fam.append(k)
        sizes.append(n)
        starts.append((first, block))
        first += n
    return np.repeat(np.asarray(fam, dtype=np.int64), sizes), names, starts


def _row_name(starts: list, i: int) -> str:
    for first, block in reversed(starts):
        if first <= i:
            if isinstance(block, MatrixConstraint):
                return list(block.values())[i - first].name
            return block.name
    return f"row {i}"


def verify_plan(form: MatrixForm, x: np.ndarray, mass: float = 1.0) -> Verification:
    """Check the plan x (column values in the compiled, unscaled units) against `form`."""
    x = np.asarray(x, dtype=float)
    n_row = form.num_row
    counts = np.diff(form.a_start)
    row_of_entry = np.repeat(np.arange(n_row), counts)
    terms = form.a_value * x[form.a_index]
    activity = np.bincount(row_of_entry, weights=terms, minlength=n_row)
    biggest = np.zeros(n_row)
    nonempty = counts > 0
    if terms.size:  # rows are contiguous runs of entries (CSR): one reduceat, not a scatter
        biggest[nonempty] = np.maximum.reduceat(np.abs(terms), form.a_start[:-1][nonempty])
    with np.errstate(invalid="ignore"):
        row_viol = np.maximum(np.maximum(form.row_lower - activity, activity - form.row_upper), 0.0)
        bound_size = np.maximum(
            np.where(np.isfinite(form.row_lower), np.abs(form.row_lower), 0), np.where(np.isfinite(form.row_upper), np.abs(form.row_upper), 0)
        )
        col_viol = np.maximum(np.maximum(form.col_lower - x, x - form.col_upper), 0.0)
        col_size = np.maximum(np.where(np.isfinite(form.col_lower), np.abs(form.col_lower), 0), np.abs(x))
    row_size = np.maximum(bound_size, biggest)
    abs_tol = ABS_TOL / mass
    row_excess = row_viol - (REL_TOL * row_size + abs_tol)
    col_excess = col_viol - (REL_TOL * col_size + abs_tol)
    gaps = np.abs(x - np.round(x))[form.integer]
    max_int = float(gaps.max()) if len(gaps) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        row_rel = np.where(row_viol > 0, row_viol / np.maximum(row_size, 1e-300), 0.0)
    fam, names, starts = _row_family(form)
    families = {}
    if n_row:
        fam_abs = np.zeros(len(names))
        fam_rel = np.zeros(len(names))
        np.maximum.at(fam_abs, fam, row_viol)
        np.maximum.at(fam_rel, fam, row_rel)
        families = {name: (float(a), float(r)) for name, a, r in zip(names, fam_abs, fam_rel)}
    worst_row = int(np.argmax(row_excess)) if n_row else None
    worst_col = int(np.argmax(col_excess)) if len(x) else None
    row_bad = worst_row is not None and row_excess[worst_row] > 0
    col_bad = worst_col is not None and col_excess[worst_col] > 0
    ok = not row_bad and not col_bad and max_int <= INT_TOL
    worst = None
    if row_bad and (not col_bad or row_excess[worst_row] >= col_excess[worst_col]):
        worst = _row_name(starts, worst_row)
    elif col_bad:
        worst = f"the bounds of {form.columns[worst_col].name}"
    elif max_int > INT_TOL:
        j = np.flatnonzero(form.integer)[int(np.argmax(gaps))]
        worst = f"the integrality of {form.columns[j].name}"
    max_abs = max(float(row_viol.max()) if n_row else 0.0, float(col_viol.max()) if len(x) else 0.0)
    max_rel = float(row_rel.max()) if n_row else 0.0
    return Verification(ok, max_abs, max_rel, max_int, worst, families)
