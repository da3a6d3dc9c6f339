"""The synthetic instance generator and the highspy floor (benchmarks/highspy_floor.py)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import sys
from pathlib import Path

import pyomo.environ as pyo
import pytest

from supplyopt.io.memory import instance_from_records
from supplyopt.io.read import read_input
from supplyopt.model import build_model
from supplyopt.model.data import prepare
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve
from supplyopt.synthetic.generate import SIZES, generate, params_for, write_instance

FLOOR_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "highspy_floor.py"
GAP = 1e-7  # both solves proven (near) optimal, so their objectives must agree to 1e-6


def _floor():
    spec = importlib.util.spec_from_file_location("highspy_floor", FLOOR_PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def small():
    records = generate("S", seed=0)
    inst = instance_from_records(records)
    m = build_model(inst)
    report = solve(m, SolveOptions(mip_gap=GAP))
    return records, inst, m, report


def test_small_instance_validates_and_solves_to_optimality(small):
    records, _inst, m, report = small
    assert report.status == OPTIMAL
    assert report.objective > 0  # mining and exporting pay; the plan is not "do nothing"
    # Realistic shape: a few thousand columns, few integer decisions, contracts in force.
    assert 4_000 <= m.nvariables() <= 6_500
    assert any(r.get("min_t_per_yr", 0) > 0 for r in records["Markets"])
    assert any(c.get("capacity_t_per_yr") == 0.0 for c in records["Corridors"])  # planned links
    assert {c["mode"] for c in records["Corridors"]} >= {"road", "rail"}


def test_floor_matches_supplyopt_on_small(small):
    _records, inst, m, report = small
    floor = _floor()
    out = floor.solve_floor(prepare(inst), mip_gap=GAP)
    assert out["status"] == "Optimal"
    assert out["columns"] == m.nvariables()
    # the floor mirrors the formulation without model/tightening.py's valid inequalities
    assert out["rows"] == build_model(inst, formulation="weak").nconstraints()
    assert out["integer_columns"] == sum(1 for v in m.component_data_objects(pyo.Var) if v.is_integer())
    assert math.isclose(out["objective"], report.objective, rel_tol=1e-6)


def test_same_seed_same_records_other_seed_other_records():
    a, b, c = generate("S", seed=3), generate("S", seed=3), generate("S", seed=4)
    assert a == b
    assert a != c


def test_overrides_and_unknown_parameters():
    records = generate("S", seed=1, n_periods=2, n_systems=1)
    assert [p["period"] for p in records["Periods"]] == ["2026", "2027"]
    assert {r["commodity"] for r in records["Commodities"]} == {"CUAU_CONC", "CU_CATHODE", "ANODE_SLIME", "H2SO4"}
    instance_from_records(records)  # still valid
    with pytest.raises(TypeError, match="n_mines"):
        params_for("S", n_mines=3)
    with pytest.raises(ValueError, match="unknown size"):
        generate("XXL")
    assert set(SIZES) == {"S", "M", "L", "XL"}


def test_csv_folder_round_trip(tmp_path):
    records = generate("S", seed=2)
    folder = write_instance(records, tmp_path / "inst")
    assert (folder / "Corridors.csv").exists()
    assert read_input(folder).content_hash() == instance_from_records(records).content_hash()


def test_small_solves_to_the_same_objective_through_every_handoff_route(small):
    """S through Pyomo's persistent HiGHS interface gives the direct route's optimum (and the
    floor's, above): the routes hand HiGHS the same model."""
    _records, inst, _m, report = small
    m = build_model(inst)
    persistent = solve(m, SolveOptions(mip_gap=GAP, handoff="persistent"))
    assert report.status == persistent.status == OPTIMAL
    assert math.isclose(persistent.objective, report.objective, rel_tol=1e-6)
    assert math.isclose(pyo.value(m.npv), report.objective, rel_tol=1e-6)


# sha256 of the canonical JSON of the records, taken from the generator before it was split into
# modules (issue 12): a refactor that changes what a seed draws changes these.
RECORDS_SHA256 = {
    ("S", 0): "7c4c2060e0235ed5cc72814cd3695a26f24c7e1a3157e2dfe07857a1ea589a83",
    ("M", 1): "2bdef5d6e8e2ab78fa8881922e49bb25303ade4974a584f75f3970a69d51720d",
}


@pytest.mark.parametrize(("size", "seed"), sorted(RECORDS_SHA256))
def test_records_are_those_of_the_generator_before_the_split(size, seed):
    records = generate(size, seed=seed)
    digest = hashlib.sha256(json.dumps(records, sort_keys=True, allow_nan=True).encode()).hexdigest()
    assert digest == RECORDS_SHA256[(size, seed)]
