"""Money terms: every revenue and cost of the objective is a named, reported expression.

A constraint family that adds money calls `add_term`. Operating terms are indexed by
(scenario, period) and hold the undiscounted annual amount; design terms are indexed by
period and hold the amount spent in (or for) that period. Each term also has a present
value per index, so results can show both and the objective is the sum of present values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pyomo.environ as pyo

Kind = Literal["revenue", "operating", "fixed", "capex"]


@dataclass(frozen=True)
class MoneyTerm:
    name: str
    kind: Kind
    label: str
    nominal: pyo.Expression  # USD/yr (revenue, operating, fixed) or USD (capex)
    present_value: pyo.Expression  # USD, discounted to the base year (probability-weighted)

    @property
    def sign(self) -> int:
        return 1 if self.kind == "revenue" else -1

    @property
    def per_scenario(self) -> bool:
        return self.kind in ("revenue", "operating")


def add_term(m: pyo.ConcreteModel, name: str, kind: Kind, label: str, nominal: Callable, present_value: Callable | None = None) -> None:
    """Register term `name`. `nominal(s, p)` for operating/revenue terms, `nominal(p)` for
    fixed/capex terms. Default present value: probability × period discount factor × nominal
    for operating terms, discount factor × nominal for fixed terms; capex must give its own."""
    d = m.data
    if kind == "capex" and present_value is None:
        raise ValueError("capex terms must give their own present value")
    if kind in ("revenue", "operating"):
        index = [(s, p) for s in d.scenarios for p in d.periods]
        nom = pyo.Expression(index, rule=lambda _m, s, p: nominal(s, p))
        default_pv = lambda _m, s, p: d.probability[s] * d.flow_factor[p] * nom[s, p]  # noqa: E731
    else:
        nom = pyo.Expression(d.periods, rule=lambda _m, p: nominal(p))
        default_pv = lambda _m, p: d.flow_factor[p] * nom[p]  # noqa: E731
    setattr(m, f"term_{name}", nom)
    pv_rule = default_pv if present_value is None else (lambda _m, *idx: present_value(*idx))
    pv = pyo.Expression(nom.index_set(), rule=pv_rule)
    setattr(m, f"pv_{name}", pv)
    m.money_terms[name] = MoneyTerm(name, kind, label, nom, pv)
