"""Classic MILPs expressed in the input format, checked against brute-force enumeration.

Both problems are single period, discount_rate 0, objective = cost (see tests/instances.py for
how each is written as tables). The reference optimum enumerates every choice of the binary
decisions and solves the remaining continuous problem, a min-cost flow, exactly with networkx's
network simplex (integer data), independently of Pyomo and HiGHS. (scipy's linprog is not a
dependency of the project; a transportation LP is a min-cost flow, so nothing is lost.)
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from model_asserts import assert_decision, assert_objective, assert_plan_valid, assert_term, solve_records

import instances as I


def _min_cost_flow(supply: dict[str, float], demand: dict[str, float], arcs: list[tuple[str, str, float, float]]) -> float | None:
    """Exact min-cost flow (arcs: tail, head, unit cost, capacity; inf = uncapacitated), None if infeasible."""
    g = nx.DiGraph()
    for n, v in supply.items():
        g.add_node(n, demand=-int(v))
    for n, v in demand.items():
        g.add_node(n, demand=int(v))
    for a, b, c, u in arcs:
        attrs = {"weight": int(c)} if u == float("inf") else {"weight": int(c), "capacity": int(u)}
        g.add_edge(a, b, **attrs)
    try:
        cost, _ = nx.network_simplex(g)
    except nx.NetworkXUnfeasible:
        return None
    return float(cost)


# ---------------------------------------------------------------------------------------------
# (a) Capacitated facility location
# ---------------------------------------------------------------------------------------------


def facility_location_brute_force(fixed, capacity, demand, unit_cost) -> tuple[float, tuple[str, ...]]:
    """min over site subsets S of Σ_{j∈S} f_j + transportation(S), as (cost, S)."""
    best = (float("inf"), ())
    total = sum(demand.values())
    for k in range(1, len(fixed) + 1):
        for subset in itertools.combinations(sorted(fixed), k):
            arcs = [("SRC", j, 0, capacity[j]) for j in subset] + [(j, c, unit_cost[j][c], float("inf")) for j in subset for c in demand]
            t = _min_cost_flow({"SRC": total}, demand, arcs)
            if t is not None and sum(fixed[j] for j in subset) + t < best[0]:
                best = (sum(fixed[j] for j in subset) + t, subset)
    return best


def test_facility_location_brute_force_reference():
    """The reference enumeration on instances.CFL_* (total demand 100; capacities A 60, B 50,
    C 70, so no single site suffices), checked by hand:

    {B, C}: fixed 800 + 900 = 1,700. C − B unit costs: K1 +20, K2 +50, K3 +10, K4 −70, K5 +10.
        B (50 t) takes K2 25 @30 and K1 20 @70, and 5 of K3 @40: 750 + 1,400 + 200 = 2,350;
        C takes K4 30 @30, K3 10 @50, K5 10 @70: 900 + 500 + 700 = 2,100.  → 1,700 + 4,450 = 6,150
    {A, B, C}: fixed 2,700; every customer at its cheapest site (K1 A 40, K2 B 30, K3 B 40,
        K4 C 30, K5 A 50; loads A 30, B 40, C 30 within capacity):
        800 + 750 + 600 + 900 + 500 = 3,550 → 6,250
    {A, C}: 1,900 + 4,450 = 6,350;  {A, B}: 1,800 + 5,050 = 6,850.
    Optimum: open B and C, cost 6,150.
    """
    cost, sites = facility_location_brute_force(I.CFL_FIXED, I.CFL_CAPACITY, I.CFL_DEMAND, I.CFL_UNIT_COST)
    assert cost == 6150
    assert sites == ("B", "C")


def test_facility_location_matches_brute_force():
    ref_cost, ref_sites = facility_location_brute_force(I.CFL_FIXED, I.CFL_CAPACITY, I.CFL_DEMAND, I.CFL_UNIT_COST)
    s = solve_records(I.facility_location())
    r = s.results
    assert_objective(r, ref_cost)
    assert_objective(r, 6150)
    for j in I.CFL_FIXED:
        assert_decision(r, "Refineries", "open", int(j in ref_sites), site=j, period="P1")
    # Customers get exactly their demand; B is full (its capacity binds), as derived by hand.
    for k, dk in I.CFL_DEMAND.items():
        assert_decision(r, "Sales", "t_per_yr", dk, node=k, commodity="PROD", period="P1")
    assert_decision(r, "Refineries", "input_t_per_yr", 50, site="B", period="P1")
    assert_decision(r, "Refineries", "input_t_per_yr", 50, site="C", period="P1")
    assert_term(r, "refinery_capex", -1700)
    assert_term(r, "transport", -4450)
    assert_plan_valid(r, s.instance)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_small_facility_location_matches_brute_force(seed):
    """Random 4-site, 6-customer instances: supplyopt's optimum equals the enumeration's."""
    data = I.random_facility_location(n_sites=4, n_customers=6, seed=seed)
    # Integer unit costs keep network simplex exact.
    data["unit_cost"] = {j: {k: float(round(v)) for k, v in row.items()} for j, row in data["unit_cost"].items()}
    ref_cost, ref_sites = facility_location_brute_force(**data)
    s = solve_records(I.facility_location_records(**data))
    assert_objective(s.results, ref_cost)
    opened = set(s.results["Refineries"].query("open == 1")["site"])
    total = sum(data["fixed"][j] for j in opened)
    assert total + -s.results["Costs"].query("term == 'transport'")["present_value_usd"].sum() == pytest.approx(ref_cost, rel=1e-9)
    assert_plan_valid(s.results, s.instance)


# ---------------------------------------------------------------------------------------------
# (b) Fixed-charge network flow
# ---------------------------------------------------------------------------------------------


def fixed_charge_brute_force(supply, demand, arcs) -> tuple[float, tuple[int, ...]]:
    """min over arc subsets B of Σ_{a∈B} fixed_a + min-cost flow on B, as (cost, B)."""
    best = (float("inf"), ())
    for k in range(len(arcs) + 1):
        for subset in itertools.combinations(range(len(arcs)), k):
            t = _min_cost_flow(supply, demand, [arcs[i][:4] for i in subset])
            if t is not None and sum(arcs[i][4] for i in subset) + t < best[0]:
                best = (sum(arcs[i][4] for i in subset) + t, subset)
    return best


def test_fixed_charge_brute_force_reference():
    """The reference enumeration on instances.FCNF_* (supplies S1 40, S2 30; demands D1 30,
    D2 25, D3 15), checked by hand for the optimum and the runners-up:

    build S1-H, H-D1, H-D3, S2-D2, S2-D3 (fixed 100 + 60 + 50 + 110 + 30 = 350):
        S1 → H 40 @2 = 80, H → D1 30 @1 = 30, H → D3 10 @2 = 20, S2 → D2 25 @4 = 100,
        S2 → D3 5 @6 = 30                                       → 260;  total 610
    runner-up: S1-D3 instead of H-D3 (fixed 100 + 60 + 110 + 30 + 25 = 325; S1 → H 30 @2,
        H → D1 30 @1, S1 → D3 10 @7, S2 → D2 25 @4, S2 → D3 5 @6 = 60 + 30 + 70 + 100 + 30
        = 290)                                                     → 615
    only direct arcs S1-D1, S2-D2, S2-D3, S1-D3 (fixed 285; 150 + 100 + 30 + 70 = 350) → 635
    Optimum: 610, with the hub H carrying S1's 40 t.
    """
    cost, built = fixed_charge_brute_force(I.FCNF_SUPPLY, I.FCNF_DEMAND, I.FCNF_ARCS)
    assert cost == 610
    assert {I.FCNF_ARCS[i][:2] for i in built} == {("S1", "H"), ("H", "D1"), ("H", "D3"), ("S2", "D2"), ("S2", "D3")}


def test_fixed_charge_network_matches_brute_force():
    ref_cost, ref_built = fixed_charge_brute_force(I.FCNF_SUPPLY, I.FCNF_DEMAND, I.FCNF_ARCS)
    s = solve_records(I.fixed_charge_network())
    r = s.results
    assert_objective(r, ref_cost)
    assert_objective(r, 610)
    for i, (a, b, *_rest) in enumerate(I.FCNF_ARCS):
        assert_decision(r, "Upgrades", "built", i in ref_built, upgrade=f"U-{a}-{b}")
    expected_flows = {"S1-H": 40, "H-D1": 30, "H-D3": 10, "S2-D2": 25, "S2-D3": 5}
    for a, b, *_rest in I.FCNF_ARCS:
        k = f"{a}-{b}"
        assert_decision(r, "Flows", "t_per_yr", expected_flows.get(k, 0), corridor=k, commodity="G", period="P1")
    assert_term(r, "upgrade_capex", -350)
    assert_term(r, "transport", -260)
    assert_plan_valid(r, s.instance)
