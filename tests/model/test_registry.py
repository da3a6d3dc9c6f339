"""The registry (model/registry.py) is the single list of constraint families: build_model builds
exactly its families, every Constraint component of a model belongs to the family that built it,
every limit the diagnosis and the shadow prices name is a registered one, and every result table
comes from a registered family. No supplyopt module imports another's private names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pyomo.environ as pyo
import pytest
from risk_instances import EXACT, rich_records

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model, prepare
from supplyopt.model.registry import FAMILIES, limits, tables
from supplyopt.results import extract_results
from supplyopt.solve.highs import OPTIMAL, solve
from supplyopt.studies import diagnose as diagnose_module
from supplyopt.studies.diagnose import diagnose, shadow_prices

SOURCE = Path(__file__).resolve().parents[2] / "supplyopt"

# Every formulation switched on: the rich instance (disruptions, CVaR, escorts, expected loss,
# node risk, an upgrade, a soft contract) plus a port capacity, an exposure budget, escort
# capacity and the shares.
SHARES = [
    {"name": "high_risk_threshold", "value": 1},
    {"name": "high_risk_max_share", "value": 0.9},
    {"name": "max_port_share", "value": 1},
    {"name": "max_corridor_share", "value": 1},
]


def everything() -> dict:
    recs = rich_records()
    recs["Settings"] = recs["Settings"] + SHARES
    recs["RiskLimits"] = [{"exposure_budget": 1e6, "max_convoys_per_yr": 100}]
    recs["Ports"] = [{**recs["Ports"][0], "capacity_t_per_yr": 10_000}]
    return with_economics(recs)


def with_economics(recs: dict) -> dict:
    """The economics families switched on too: CONC priced from its copper (25 % × 400 = 100 USD/t,
        its price in rich_records), copper disposable at the refinery (never worth it), a 1 % royalty and
    a ban on concentrate exports from P2, a sea leg to an overseas buyer of copper, imported concentrate at the port, a smelter circuit, a terminal value."""
    recs["Markets"][0]["price_usd_per_t"] = None
    recs["MetalContents"] = [{"commodity": "CONC", "metal": "CU", "grade": 25}]
    recs["MetalPrices"] = [{"metal": "CU", "price": 400, "price_unit": "USD/t"}]
    recs["Disposal"] = [{"node": "REF", "commodity": "CU", "cost_usd_per_t": 1000}]
    recs["Royalties"] = [{"commodity": "CONC", "rate_share": 0.01}]
    recs["ExportBans"] = [{"commodity": "CONC", "from_period": "P2"}]
    recs["Nodes"] = recs["Nodes"] + [{"node": "BUYER", "kind": "market"}]
    recs["Corridors"] = recs["Corridors"] + [
        {"corridor": "SEA", "from_node": "PORT", "to_node": "BUYER", "mode": "sea", "distance_km": 0, "cost_usd_per_tkm": 0}
    ]
    recs["Markets"] = recs["Markets"] + [{"node": "BUYER", "commodity": "CU", "price_usd_per_t": 650}]
    recs["Buyers"] = [{"node": "BUYER"}]
    recs["VesselClasses"] = [{"vessel_class": "V", "dwt_t": 1000, "draft_m": 5}, {"vessel_class": "BIG", "dwt_t": 200_000, "draft_m": 20}]
    recs["SeaFreight"] = [{"corridor": "SEA", "vessel_class": "V", "freight_usd_per_t": 40}, {"corridor": "SEA", "vessel_class": "BIG", "freight_usd_per_t": 1}]
    recs["PortLimits"] = [{"port": "PORT", "max_draft_m": 12.5}]
    recs["Feeds"] = [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 90, "max_t_per_yr": 100}]
    recs["Recipes"][0]["circuit"] = "CU"
    recs["CircuitSizes"] = [{"site": "REF", "circuit": "CU", "size": "S", "capacity_t_per_yr": 1000}]
    recs["Settings"] = recs["Settings"] + [{"name": "terminal_value_method", "value": "perpetuity"}]
    return recs


def _data(elastic: bool = False, forced: bool = False):
    d = prepare(instance_from_records(everything()))
    if elastic:  # as diagnose builds it
        d.default_shortfall_penalty, d.elastic = 1.0, True
    if forced:  # as explain builds it
        d.forced_design = {("site", "REF"): True, ("upgrade", "U-LONG1"): False}
    return d


def _constraints(m) -> list[str]:
    return [c.name for c in m.component_objects(pyo.Constraint, descend_into=True)]


def _built_by_family(d) -> tuple[pyo.ConcreteModel, dict[str, str]]:
    """The registry's families built one by one: constraint name → the family that added it."""
    m = pyo.ConcreteModel(name="supplyopt")
    m.data, m.money_terms = d, {}
    owner: dict[str, str] = {}
    for family in FAMILIES:
        before = set(_constraints(m))
        family.build(m, d)
        owner.update({name: family.name for name in _constraints(m) if name not in before})
    return m, owner


def test_names_are_unique():
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)
    declared = [c for f in FAMILIES for c in f.constraints]
    assert len(set(declared)) == len(declared)
    assert len({t.name for t in tables()}) == len(tables())


@pytest.mark.parametrize("elastic, forced", [(False, False), (True, False), (False, True)], ids=["plain", "elastic", "forced"])
def test_every_constraint_belongs_to_the_family_that_built_it(elastic, forced):
    d = _data(elastic, forced)
    m, owner = _built_by_family(d)
    assert _constraints(build_model(_data(elastic, forced))) == _constraints(m)  # build_model is the registry loop
    declared = {c: f.name for f in FAMILIES for c in f.constraints}
    assert {name: declared.get(name) for name in owner} == owner


def test_every_declared_constraint_is_built_by_some_instance():
    """No stale declaration: the three variants build every declared Constraint component."""
    built = set()
    for elastic, forced in [(False, False), (True, False), (False, True)]:
        built |= set(_built_by_family(_data(elastic, forced))[1])
    assert built == {c for f in FAMILIES for c in f.constraints}


@pytest.fixture(scope="module")
def solved():
    m = build_model(_data())
    report = solve(m, EXACT)
    assert report.status == OPTIMAL
    return m, report


def test_shadow_prices_name_exactly_the_registered_limits(solved):
    m, _ = solved
    prices = shadow_prices(m, EXACT)
    assert set(prices["family"]) - {"contract_bound"} == {lim.name for lim in limits()}


def test_result_tables_are_the_registered_ones(solved):
    m, report = solved
    res = extract_results(m, report)
    registered = [t.name for t in tables()]
    assert list(res.tables) == [name for name in registered if name in res.tables]
    assert set(registered) - set(res.tables) == set()  # this instance makes every table


def test_diagnosis_reads_its_limits_from_the_registry(monkeypatch):
    """instances.infeasible_contract with corridor M-P limited to 700 t/yr (Corridors row 2):
    the minimum 1,500 is 800 t/yr short and the corridor binds, worded by its registered limit.
    With the registry's limits hidden, diagnose names no corridor: it has no list of its own."""
    recs = I.infeasible_contract()
    recs["Corridors"] = [{**recs["Corridors"][0], "capacity_t_per_yr": 700}]
    inst = instance_from_records(recs)
    found = [(f.sheet, f.row, f.what) for f in diagnose(inst, EXACT).binding]
    assert ("Corridors", 2, "corridor M-P capacity 700 t/yr in P1") in found
    monkeypatch.setattr(diagnose_module, "limits", lambda: [])
    assert [f for f in diagnose(inst, EXACT).binding if f.sheet == "Corridors"] == []


def test_no_module_imports_another_modules_private_names():
    bad = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("supplyopt"):
                bad += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert bad == []
