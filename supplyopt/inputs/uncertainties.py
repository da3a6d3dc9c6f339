"""Uncertain parameters of the Uncertainties sheet (Monte-Carlo): a distribution per parameter
and the overrides its draws feed; each parameter's random stream depends only on (seed, sample,
parameter name)."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from supplyopt.errors import Problem
from supplyopt.inputs.coerce import ROW_COLUMN, CellError, coerce_cell, is_blank
from supplyopt.inputs.overrides import KEY_SEP, NUMBER, UNCERTAINTIES, Override, override_from_row, sorted_records
from supplyopt.schema import DISTRIBUTIONS

DIST_FIELDS = ("low", "mode", "high", "sd", "values", "probabilities")


@dataclass(frozen=True)
class Parameter:
    """An uncertain parameter: a distribution, and where each draw goes."""

    name: str
    description: str
    distribution: str
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    sd: float | None = None
    values: tuple[float, ...] = ()
    probabilities: tuple[float, ...] = ()
    overrides: tuple[Override, ...] = ()

    def draw(self, rng: np.random.Generator) -> float:
        if self.distribution == "uniform":
            return float(rng.uniform(self.low, self.high))
        if self.distribution == "triangular":
            if self.low == self.high:
                return float(self.low)
            return float(rng.triangular(self.low, self.mode, self.high))
        if self.distribution == "normal":
            x = float(rng.normal(self.mode, self.sd))
            if self.low is not None:
                x = max(x, self.low)
            if self.high is not None:
                x = min(x, self.high)
            return x
        probs = np.array(self.probabilities, dtype=float) if self.probabilities else None
        if probs is not None:
            probs = probs / probs.sum()
        return float(self.values[int(rng.choice(len(self.values), p=probs))])

    def trial_value(self) -> float:
        """A representative value (to validate where the draws go)."""
        if self.distribution == "choice":
            return self.values[0]
        if self.distribution == "normal" or self.distribution == "triangular":
            return float(self.mode)
        return float(self.low)


def _split_numbers(text: Any) -> tuple[list[float] | None, str | None]:
    if is_blank(text):
        return [], None
    out = []
    for part in str(text).split(KEY_SEP):
        try:
            out.append(coerce_cell(part.strip(), NUMBER))
        except CellError as exc:
            return None, f"'{part.strip()}': {exc}"
    return out, None


def parse_parameters(df: pd.DataFrame) -> tuple[list[Parameter], list[Problem]]:
    """The parameters of an Uncertainties table, and the problems of its rows."""
    problems: list[Problem] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in sorted_records(df):
        if rec["parameter"] is not None and rec["table"] is not None and rec["column"] is not None:
            groups.setdefault(rec["parameter"], []).append(rec)
    params: list[Parameter] = []
    for name, recs in groups.items():
        first = recs[0]
        row = first[ROW_COLUMN]
        at = lambda col, msg, row=row, name=name: Problem(UNCERTAINTIES, row, col, f"parameter '{name}': {msg}")  # noqa: B023
        dist = first["distribution"]
        bad = False
        if dist is None:
            problems.append(at("distribution", f"give a distribution ({', '.join(DISTRIBUTIONS)}) on the parameter's first row"))
            continue
        for rec in recs[1:]:
            for f in ("distribution", *DIST_FIELDS):
                v = rec[f]
                if not is_blank(v) and not (v == first[f] or (isinstance(v, float) and isinstance(first[f], float) and math.isclose(v, first[f]))):
                    problems.append(
                        Problem(UNCERTAINTIES, rec[ROW_COLUMN], f, f"parameter '{name}': differs from its first row ({row}); leave it blank or repeat it")
                    )
                    bad = True
        num = {f: (None if is_blank(first[f]) else float(first[f])) for f in ("low", "mode", "high", "sd")}
        values, why = _split_numbers(first["values"])
        if values is None:
            problems.append(at("values", why))
            continue
        probs, why = _split_numbers(first["probabilities"])
        if probs is None:
            problems.append(at("probabilities", why))
            continue
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mode", "sd"), "choice": ()}[dist]
        missing = [f for f in need if num[f] is None]
        if missing:
            problems.append(at(missing[0], f"{dist} needs {', '.join(need)}"))
            continue
        lo, mode, hi = num["low"], num["mode"], num["high"]
        if dist in ("uniform", "triangular", "normal") and lo is not None and hi is not None and lo > hi:
            problems.append(at("high", f"high {hi:g} is below low {lo:g}"))
            continue
        if dist == "triangular" and not (lo <= mode <= hi):
            problems.append(at("mode", f"mode {mode:g} must lie between low {lo:g} and high {hi:g}"))
            continue
        if dist == "choice":
            if not values:
                problems.append(at("values", "choice needs values, e.g. '0 | 1'"))
                continue
            if probs and len(probs) != len(values):
                problems.append(at("probabilities", f"{len(probs)} probabilities for {len(values)} values"))
                continue
            if probs and (min(probs) < 0 or not math.isclose(sum(probs), 1.0, abs_tol=1e-6)):
                problems.append(at("probabilities", f"probabilities must be ≥ 0 and add up to 1 (they add up to {sum(probs):g})"))
                continue
        if bad:
            continue
        overrides = tuple(override_from_row(r, UNCERTAINTIES, name, value=0.0, clip=True) for r in recs)
        params.append(
            Parameter(
                name,
                next((r["description"] for r in recs if r["description"]), ""),
                dist,
                lo,
                mode,
                hi,
                num["sd"],
                tuple(values),
                tuple(probs),
                overrides,
            )
        )
    return params, problems


def parameter_rng(seed: int, sample: int, name: str) -> np.random.Generator:
    """The generator of one parameter in one sample: depends on nothing else."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(sample), zlib.crc32(name.encode())]))
