"""Ports (model/ports.py) with contracts (model/market.py), mode defaults, base year and capacity
factors: small instances whose optimal plans are derived by hand (the
arithmetic in each docstring; the discounting conventions are in tests/test_model_hand.py)."""

from __future__ import annotations

import pytest
from model_asserts import (
    assert_decision,
    assert_objective,
    assert_plan_valid,
    assert_term,
    solve_records,
)

import instances as I

# instances.ports_and_contracts: DF = capex factor = 1.1^-(2030 − 2029) = 1/1.1 (base_year 2029).
# Unit costs: H-M 100 × 0.1 + 1 = 11 (Modes defaults), H-A 50 × 0.1 + 1 = 6, H-B 100 × 0.02 = 2.
# Margin per tonne mined and sold: at A 100 − 11 − 6 − 3 − 60 = 20 (contract max 300 t/yr);
#                                  at B price_b − 11 − 2 − 8 − 60 = price_b − 81.
PORT_CASES = [
    # price_b 90 (B margin 9): without U-B sell 300 A + 400 B: 6,000 + 3,600 = 9,600/yr.
    # With U-B (B 1,000 t/yr) the corridor H-M (1,200 t/yr, used in its reverse direction) binds:
    # 300 A + 900 B: 6,000 + 8,100 = 14,100/yr; 14,100/1.1 − 2,200/1.1 = 11,900/1.1 > 9,600/1.1.
    # NPV = 119,000/11 ≈ 10,818.18.
    pytest.param(dict(price_b=90), 119_000 / 11, True, 300, 900, id="upgrade-port"),
    # price_b 70 (B margin −11): the mine's minimum 600 forces 300 t/yr to B at a loss:
    # 6,000 − 3,300 = 2,700/yr, no upgrade; NPV = 27,000/11 ≈ 2,454.55.
    pytest.param(dict(price_b=70), 27_000 / 11, False, 300, 300, id="mine-minimum-at-a-loss"),
    # H-M at half capacity (600 t/yr): 300 A + 300 B, the upgrade is useless:
    # 6,000 + 2,700 = 8,700/yr; NPV = 87,000/11 ≈ 7,909.09.
    pytest.param(dict(price_b=90, corridor_factor=0.5), 87_000 / 11, False, 300, 300, id="corridor-factor"),
]


@pytest.mark.parametrize("kwargs, npv, upgrade, sold_a, sold_b", PORT_CASES)
def test_ports_contracts_and_factors(kwargs, npv, upgrade, sold_a, sold_b):
    s = solve_records(I.ports_and_contracts(**kwargs))
    r = s.results
    d = s.model.data
    assert d.flow_factor["P1"] == pytest.approx(1 / 1.1, rel=1e-12)
    assert d.arc_unit_cost["H-M~r"] == pytest.approx(11, rel=1e-12)
    assert d.arc_unit_cost["H-A"] == pytest.approx(6, rel=1e-12)
    assert d.arc_unit_cost["H-B"] == pytest.approx(2, rel=1e-12)
    assert_objective(r, npv)
    assert_decision(r, "Upgrades", "built", upgrade, upgrade="U-B")
    assert_decision(r, "Sales", "t_per_yr", sold_a, node="PORT_A", commodity="CONC", period="P1")
    assert_decision(r, "Sales", "t_per_yr", sold_b, node="PORT_B", commodity="CONC", period="P1")
    assert_decision(r, "Flows", "t_per_yr", sold_a + sold_b, corridor="H-M", from_node="MINE", commodity="CONC", period="P1")
    assert_term(r, "upgrade_capex", -2200 / 1.1 if upgrade else 0.0)
    assert_plan_valid(r, s.instance)


def test_upgraded_port_capacity_is_one_bound():
    """ports_and_contracts(price_b=90) builds U-B (see PORT_CASES): PORT_B's capacity is
    400 + 600 = 1,000 t/yr, of which 900 are sold. PortUse, the shadow price's limit and the
    limit's wording (Ports row 3) all give that one bound, f · (base + added · built)."""
    from supplyopt.model.registry import limits
    from supplyopt.studies.diagnose import shadow_prices

    s = solve_records(I.ports_and_contracts(price_b=90))
    assert_decision(s.results, "PortUse", "capacity_t_per_yr", 1000, port="PORT_B", period="P1")
    assert_decision(s.results, "PortUse", "t_per_yr", 900, port="PORT_B", period="P1")
    assert_decision(s.results, "PortUse", "capacity_t_per_yr", 500, port="PORT_A", period="P1")
    prices = shadow_prices(s.model)
    row = prices[(prices["family"] == "port_capacity") & (prices["element"] == "base | PORT_B | P1")].iloc[0]
    assert (row["limit"], row["used"], row["sheet"], row["row"]) == (pytest.approx(1000), pytest.approx(900), "Ports", 3)
    (limit,) = [lim for lim in limits() if lim.name == "port_capacity"]
    assert limit.finding(s.model, s.model.data, ("base", "PORT_B", "P1")).what == "port PORT_B capacity 1,000 t/yr in P1"
