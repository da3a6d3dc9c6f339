"""Flows and the transport cost (model/flows.py) on instances.tiny(), derived by hand."""

from __future__ import annotations

from model_asserts import assert_decision, assert_term, solve_records

import instances as I


def test_tiny_flows_and_transport_cost():
    """tiny(): A and B are 100 km × 0.1 USD/(t·km) = 10 USD/t. The optimum moves 1,000 t CONC on
    A and 250 t CU on B: transport = 10,000 + 2,500 = 12,500 USD/yr (r = 0, one year), one Flows
    row per flow carried, and the Nodes table lists the three nodes in input order."""
    s = solve_records(I.tiny())
    r = s.results
    assert_term(r, "transport", -12_500)
    assert_decision(r, "Flows", "cost_usd_per_yr", 10_000, corridor="A", commodity="CONC")
    assert_decision(r, "Flows", "cost_usd_per_yr", 2_500, corridor="B", commodity="CU")
    assert list(zip(r["Flows"]["corridor"], r["Flows"]["commodity"])) == [("A", "CONC"), ("B", "CU")]
    assert list(r["Nodes"]["node"]) == ["MINE", "REF", "PORT"]
    assert s.model.transport_cost["base", "P1"].value == 12_500
