"""Units for HiGHS: the compiled matrix in a mass unit and a money unit chosen so its numbers sit
where HiGHS works well, and the exact way back to tonnes and USD.

HiGHS warns, and its tolerances (primal feasibility 1e-7, absolute) start to bite, when costs or
bounds leave about [1e-4, 1e6]: Pakistan's costs reach 7e8 and its capacities 4e6, and a capacity
of 2e-8 t/yr is below the feasibility tolerance (HiGHS reads it as zero). So the model HiGHS sees
is the same model in other units, both powers of two so that every number is scaled exactly:

- mass: every continuous column is measured in units of 2^-k tonnes (x' = 2^k x) and every row
  is multiplied by 2^k. Continuous entries are unchanged, entries of integer columns (a module's
  tonnes, a build's capacity) and every row and continuous-column bound are multiplied by 2^k.
  Integer columns keep their unit (a count is a count).
- money: the objective is multiplied by 2^g (costs and offset).

    scaled:   min Σ_cont (2^g c_j / 2^k) x'_j + Σ_int 2^g c_j x_j
              2^k L ≤ Σ_cont a_ij x'_j + Σ_int 2^k a_ij x_j ≤ 2^k U

Back (exact: only powers of two): x = x' / 2^k (continuous), objective = obj' / 2^g, row duals
y = 2^k y' / 2^g, reduced costs d = 2^k d' / 2^g (continuous) or d' / 2^g (integer).

The exponents are chosen from the numbers themselves (`choose_scaling`): the smallest change that
brings the bounds and costs into a comfortable window, or, when their range is wider than HiGHS's
window, the exponent that centres them in it. The persistent hand-off does not scale (it is the
reference the scaled direct route is tested against).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from supplyopt.solve.compile import MatrixForm

# HiGHS 1.15 warns about costs and bounds outside [1e-4, 1e6] (measured: benchmarks/README.md).
HIGHS_WINDOW = (1e-4, 1e6)
# Where supplyopt aims, a margin inside HiGHS's window, when the numbers allow it.
COMFORT_WINDOW = (1e-2, 1e5)


@dataclass(frozen=True)
class Scaling:
    """Mass and money units as powers of two: continuous columns and rows × 2^mass_exp,
    objective × 2^money_exp. Scaling() is the identity."""

    mass_exp: int = 0
    money_exp: int = 0

    @property
    def identity(self) -> bool:
        return self.mass_exp == 0 and self.money_exp == 0

    @property
    def mass(self) -> float:
        return math.ldexp(1.0, self.mass_exp)

    @property
    def money(self) -> float:
        return math.ldexp(1.0, self.money_exp)


def _magnitudes(values: np.ndarray) -> np.ndarray:
    a = np.abs(values[np.isfinite(values)])
    return a[a > 0]


def _fit(values: np.ndarray) -> int:
    """The power-of-two exponent k closest to 0 that puts 2^k × values inside COMFORT_WINDOW; when
    none does, the k that centres them in HIGHS_WINDOW (in log scale)."""
    if not len(values):
        return 0
    low, high = math.log2(values.min()), math.log2(values.max())
    k_min, k_max = math.log2(COMFORT_WINDOW[0]) - low, math.log2(COMFORT_WINDOW[1]) - high
    if math.ceil(k_min) <= math.floor(k_max):
        return int(min(max(0, math.ceil(k_min)), math.floor(k_max)))
    centre = (math.log2(HIGHS_WINDOW[0]) - low + math.log2(HIGHS_WINDOW[1]) - high) / 2
    return int(round(centre))


def choose_scaling(form: MatrixForm) -> Scaling:
    """Units for this matrix: the mass exponent from the row bounds and continuous column
    bounds, then the money exponent from the costs in that mass unit."""
    cont = ~form.integer
    bounds = _magnitudes(np.concatenate([form.row_lower, form.row_upper, form.col_lower[cont], form.col_upper[cont]]))
    k = _fit(bounds)
    costs = form.col_cost * np.where(cont, math.ldexp(1.0, -k), 1.0)
    g = _fit(_magnitudes(costs))
    return Scaling(k, g)


def _column_factor(form: MatrixForm, s: Scaling) -> np.ndarray:
    """x' = factor × x per column: 2^k for continuous columns, 1 for integer ones."""
    return np.where(form.integer, 1.0, s.mass)


def scale_form(form: MatrixForm, s: Scaling) -> MatrixForm:
    """The same model in the units `s` (a new MatrixForm; columns and rows are shared)."""
    if s.identity:
        return form
    col = _column_factor(form, s)
    entry = s.mass / col[form.a_index]  # 1 on continuous columns, 2^k on integer ones
    return dataclasses.replace(
        form,
        col_cost=form.col_cost * (s.money / col),
        col_lower=form.col_lower * col,
        col_upper=form.col_upper * col,
        row_lower=form.row_lower * s.mass,
        row_upper=form.row_upper * s.mass,
        a_value=form.a_value * entry,
        offset=form.offset * s.money,
    )


def unscale_columns(form: MatrixForm, s: Scaling, values) -> np.ndarray:
    """Column values in tonnes (and counts) from HiGHS's scaled values."""
    x = np.asarray(values, dtype=float)
    return x if s.identity else x / _column_factor(form, s)


def unscale_objective(s: Scaling, value: float | None) -> float | None:
    """An objective value (or bound) in USD from its scaled value."""
    if value is None or s.identity:
        return value
    return value / s.money


def unscale_row_duals(s: Scaling, duals) -> np.ndarray:
    """∂objective/∂rhs in USD per row unit, from the scaled duals."""
    y = np.asarray(duals, dtype=float)
    return y if s.identity else y * (s.mass / s.money)


def unscale_reduced_costs(form: MatrixForm, s: Scaling, values) -> np.ndarray:
    """∂objective/∂column bound in USD per column unit, from the scaled reduced costs."""
    d = np.asarray(values, dtype=float)
    return d if s.identity else d * (_column_factor(form, s) / s.money)


def scale_columns(form: MatrixForm, s: Scaling, values) -> np.ndarray:
    """Column values in HiGHS's units (for a warm start) from tonnes and counts."""
    x = np.asarray(values, dtype=float)
    return x if s.identity else x * _column_factor(form, s)


def coefficient_ranges(form: MatrixForm) -> dict[str, tuple[float, float] | None]:
    """(smallest, largest) nonzero magnitude of the matrix, costs, column bounds and row bounds,
    as HiGHS prints them under 'Coefficient ranges'."""

    def span(values) -> tuple[float, float] | None:
        a = _magnitudes(np.asarray(values, dtype=float))
        return (float(a.min()), float(a.max())) if len(a) else None

    return {
        "matrix": span(form.a_value),
        "cost": span(form.col_cost),
        "bound": span(np.concatenate([form.col_lower, form.col_upper])),
        "rhs": span(np.concatenate([form.row_lower, form.row_upper])),
    }
