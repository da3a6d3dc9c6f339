"""The rows of model/tightening.py and model/upgrade_cover.py: collected one by one and built as
one ArrayConstraint (`Rows`), and the strengthened right side of a linking row (`strengthened`)."""

from __future__ import annotations

import math

import numpy as np

from supplyopt.model.arrays import matrix_rows
from supplyopt.model.data import ModelData

TOL = 1e-9  # relative: a row is kept only when it is tighter by more than this


class Rows:
    """Rows Σ coef · var ≤ upper collected one by one, then one ArrayConstraint."""

    def __init__(self):
        self.keys, self.upper, self.cols, self.row, self.col, self.coef = [], [], [], [], [], []
        self.col_of: dict[int, int] = {}

    def add(self, key, terms, upper: float) -> None:
        r = len(self.keys)
        self.keys.append(key)
        self.upper.append(float(upper))
        for var, coef in terms:
            i = self.col_of.setdefault(id(var), len(self.cols))
            if i == len(self.cols):
                self.cols.append(var)
            self.row.append(r)
            self.col.append(i)
            self.coef.append(coef)

    def build(self):
        return matrix_rows(self.keys, self.cols, np.asarray(self.row), np.asarray(self.col), np.asarray(self.coef), None, self.upper)


def strengthened(cap, bound: float, m, d: ModelData, others=()):
    """(f·base, [(build var, −min(f·add, bound − f·base))]) when the row is tighter, else None.
    With `others` (the Capacities of other arcs, for the cover rows) the fixed part and the
    upgrade terms are those of all the capacities."""
    if cap is None or not math.isfinite(bound):
        return None
    caps = [cap, *others]
    fixed = sum(x.fixed for x in caps)
    build = [t for x in caps for t in x.build_terms(m, d)]
    full = fixed + sum(coef for _uq, coef in build)
    if bound >= full * (1 - TOL) or bound <= fixed:
        return None  # no tighter than the capacity, or no upgrade needed (the column bound holds it)
    terms = [(m.build[uq], -min(coef, bound - fixed)) for uq, coef in build]
    return (fixed, terms) if terms else None
