"""Terminal (continuing) value: the plan's last-period operating margin continued after the horizon.

With Settings terminal_value_method = perpetuity, growth g < discount rate r, last period L
ending in year Y:

    M_s = Σ revenue_{s,L} − Σ operating_{s,L} − Σ fixed_L                  (USD/yr; capex excluded)
    TV_s = M_s · Σ_{y>Y} (1 + g)^(y−Y) (1 + r)^−(y − base) = M_s · (1 + r)^−(Y − base) · (1 + g)/(r − g)

a linear revenue term `terminal_value` (present value TV_s per scenario; its nominal is TV_s
spread over the last period, TV_s / DF_L, so that nominal × DF_L is its present value as for
every operating term). It is built last but one, from every term the other families registered.
A negative last-period margin gives a negative terminal value (a perpetuity of losses).
"""

from __future__ import annotations

import pyomo.environ as pyo

from supplyopt.model.data import ModelData
from supplyopt.model.family import Family
from supplyopt.model.terms import add_term


def factor(d: ModelData) -> float:
    """(1 + r)^−(Y − base) · (1 + g)/(r − g): present value of 1 USD/yr of margin after the horizon."""
    r, g = d.discount_rate, float(d.settings.get("terminal_growth_rate") or 0.0)
    last = d.periods[-1]
    end_year = d.start_year[last] + d.length[last] - 1
    return (1 + r) ** -(end_year - d.base_year) * (1 + g) / (r - g)


def add_terminal_value(m: pyo.ConcreteModel, d: ModelData) -> None:
    if d.settings.get("terminal_value_method", "none") != "perpetuity":
        return
    last, k = d.periods[-1], factor(d)
    terms = list(m.money_terms.values())

    def margin(s: str):
        parts = [t.sign * t.nominal[s, last] for t in terms if t.per_scenario]
        parts += [t.sign * t.nominal[last] for t in terms if t.kind == "fixed"]
        return pyo.quicksum(parts)

    add_term(
        m,
        "terminal_value",
        "revenue",
        "Terminal value (perpetuity of the last period's margin)",
        lambda s, p: k / d.flow_factor[p] * margin(s) if p == last else 0,
    )


FAMILY = Family("terminal_value", add_terminal_value)
