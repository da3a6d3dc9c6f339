"""Mass balance (model/balance.py) on instances.tiny(), rows and coefficients written out by hand."""

from __future__ import annotations

from model_asserts import assert_mass_balance, assert_objective, solve_records
from pyomo.repn import generate_standard_repn

import instances as I


def _row(m, key) -> dict[str, float]:
    repn = generate_standard_repn(m.balance[key].body)
    return {v.name: c for v, c in zip(repn.linear_vars, repn.linear_coefs)}


def test_tiny_balance_rows():
    """tiny(): MINE -A- REF -B- PORT, both corridors bidirectional (arcs A, A~r, B, B~r), SMELT
    turns CONC into 0.25 CU; every arc may carry both commodities (see test_sets), so there is a
    row per node and commodity, each = 0 (into n: +flow, out of n: −flow):
        MINE, CONC:  produce − A + A~r
        MINE, CU:             − A + A~r
        REF, CU:     A − A~r − B + B~r + 0.25 · process
        PORT, CU:    B − B~r − sell_CU
    At the optimum (1,000 t mined and refined, 250 t CU sold: NPV 54,250) every row holds."""
    s = solve_records(I.tiny())
    m = s.model
    assert [k[1:3] for k in m.balance] == [(n, c) for n in ("MINE", "REF", "PORT") for c in ("CONC", "CU")]
    assert all(m.balance[k].lower == m.balance[k].upper == 0 for k in m.balance)

    def f(a, c):
        return f"flow[base,{a},{c},P1]"

    assert _row(m, ("base", "MINE", "CONC", "P1")) == {f("A", "CONC"): -1, f("A~r", "CONC"): 1, "produce[base,MINE,CONC,P1]": 1}
    assert _row(m, ("base", "MINE", "CU", "P1")) == {f("A", "CU"): -1, f("A~r", "CU"): 1}
    assert _row(m, ("base", "REF", "CU", "P1")) == {
        f("A", "CU"): 1,
        f("A~r", "CU"): -1,
        f("B", "CU"): -1,
        f("B~r", "CU"): 1,
        "process[base,REF,SMELT,P1]": 0.25,
    }
    assert _row(m, ("base", "PORT", "CU", "P1")) == {f("B", "CU"): 1, f("B~r", "CU"): -1, "sell[base,PORT,CU,P1]": -1}
    assert_objective(s.results, 54_250)
    assert_mass_balance(s.results, s.instance)
