"""Cost–risk frontier on an instance whose frontier is derived by hand.

One period of one year, r = 0. MINE must deliver exactly 1,000 t/yr of CONC (contract minimum
1,000 at PORT = mine maximum), earning 100 − 10 = 90 USD/t before transport.

    SHORT  MINE → PORT  10 USD/t, risk score 5, unlimited
    LONG   MINE → PORT  20 USD/t, risk score 1, capacity 0 unless upgrade U-LONG
                        (+1,000 t/yr for 2,000 USD) is built

With x t/yr on SHORT the exposure is 5x + (1,000 − x) = 1,000 + 4x.
    unconstrained: x = 1,000, E_max = 5,000, NPV_max = 90,000 − 10,000 = 80,000 (no upgrade)
    least exposure: x = 0 (upgrade built), E_min = 1,000
    budget ε < 5,000: x = (ε − 1,000) / 4 and U-LONG is needed:
        NPV(ε) = 90,000 − 10 x − 20 (1,000 − x) − 2,000 = 68,000 + 10 x
    ε = 5,000 / 4,000 / 3,000 / 2,000 / 1,000 → x = 1,000 / 750 / 500 / 250 / 0
        NPV = 80,000 / 75,500 / 73,000 / 70,500 / 68,000
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pyomo.environ as pyo
import pytest
from typer.testing import CliRunner

import supplyopt.studies.frontier as frontier_module
from supplyopt.cli import app
from supplyopt.errors import EXIT_OK, EXIT_OUTPUT
from supplyopt.io.memory import instance_from_records
from supplyopt.io.template import write_instance_csv
from supplyopt.solve.highs import OPTIMAL, SolveOptions
from supplyopt.studies.frontier import FrontierPoint, _check_monotone, frontier

EXACT = SolveOptions(mip_gap=0.0, threads=1)


def _road(k: str, km: float, **extra: Any) -> dict[str, Any]:
    return {"corridor": k, "from_node": "MINE", "to_node": "PORT", "mode": "road", "distance_km": km, "cost_usd_per_tkm": 0.1, "bidirectional": False, **extra}


def records() -> dict[str, list[dict[str, Any]]]:
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2030}],
        "Commodities": [{"commodity": "CONC", "cargo_value_usd_per_t": 1000}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("SHORT", 100), _road("LONG", 200, capacity_t_per_yr=0)],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "max_t_per_yr": 1000, "cost_usd_per_t": 10}],
        "Markets": [{"node": "PORT", "commodity": "CONC", "price_usd_per_t": 100, "min_t_per_yr": 1000}],
        "Upgrades": [{"upgrade": "U-LONG", "element_type": "corridor", "element": "LONG", "capex_usd": 2000, "added_capacity_t_per_yr": 1000}],
        "CorridorRisk": [{"corridor": "SHORT", "risk_score": 5}, {"corridor": "LONG", "risk_score": 1}],
    }


@pytest.fixture(scope="module")
def result():
    return frontier(instance_from_records(records()), 5, EXACT)


def test_endpoints_are_e_max_and_e_min(result):
    assert (result.e_max, result.e_min, result.npv_max) == (pytest.approx(5_000), pytest.approx(1_000), pytest.approx(80_000))
    first, last = result.points[0], result.points[-1]
    assert first.exposure_budget == pytest.approx(5_000) and first.exposure == pytest.approx(5_000)
    assert last.exposure_budget == pytest.approx(1_000) and last.exposure == pytest.approx(1_000)


def test_budgets_are_evenly_spaced_and_npv_matches_the_hand_frontier(result):
    table = result.table()
    assert table["exposure_budget"].tolist() == pytest.approx([5_000, 4_000, 3_000, 2_000, 1_000])
    assert table["npv_usd"].tolist() == pytest.approx([80_000, 75_500, 73_000, 70_500, 68_000])
    assert (table["status"] == OPTIMAL).all()


def test_interior_point_by_hand(result):
    # ε = 3,000: 1,000 + 4x ≤ 3,000 → x = 500 t on SHORT, 500 t on LONG (upgrade built).
    # NPV = 90,000 − 5,000 − 10,000 − 2,000 = 73,000; given up 7,000 for 2,000 exposure cut:
    # 3.5 USD per score·t.
    p = result.points[2]
    assert p.exposure == pytest.approx(3_000)
    assert p.npv_usd == pytest.approx(73_000)
    assert p.npv_given_up_usd == pytest.approx(7_000)
    assert p.npv_given_up_per_exposure == pytest.approx(3.5)
    assert p.upgrades == "U-LONG (P1)"
    assert p.design.upgrades == {"U-LONG": "P1"}


def test_the_design_changes_along_the_frontier(result):
    assert [p.upgrades for p in result.points] == ["none"] + ["U-LONG (P1)"] * 4
    assert result.points[0].npv_given_up_per_exposure is None  # nothing cut yet


def test_frontier_is_monotone(result):
    assert result.monotone and not result.notes
    npvs = [p.npv_usd for p in result.points]
    assert all(b <= a + 1e-6 for a, b in zip(npvs, npvs[1:]))


def test_one_model_is_built_and_re_solved(monkeypatch):
    built = []
    real = frontier_module.build_model

    def counting(inst):
        m = real(inst)
        built.append(m)
        return m

    monkeypatch.setattr(frontier_module, "build_model", counting)
    res = frontier(instance_from_records(records()), 3, EXACT)
    assert len(built) == 1
    m = built[0]
    assert isinstance(m.frontier_eps, pyo.Param) and m.frontier_eps.mutable
    assert pyo.value(m.frontier_eps) == pytest.approx(1_000)  # the last budget set
    assert [p.npv_usd for p in res.points] == pytest.approx([80_000, 73_000, 68_000])


def test_monotonicity_check_tolerates_the_mip_gap_and_reports_larger_reversals():
    def pts(*objs):
        return [FrontierPoint(i + 1, 0.0, OPTIMAL, 0.0, o, o, 0.0, None, "", "", 0.0) for i, o in enumerate(objs)]

    ok, notes = _check_monotone(pts(100_000, 100_005, 90_000), "maximise", 1e-4)  # 5 ≤ 1e-4 × 100,005
    assert ok and not notes
    within = pts(100_000, 100_005, 90_000)
    _check_monotone(within, "maximise", 1e-4)
    assert "within the MIP gap" in within[1].note
    ok, notes = _check_monotone(pts(100_000, 101_000, 90_000), "maximise", 1e-4)
    assert not ok and "point 1 was not solved to optimality" in notes[0]
    ok, _ = _check_monotone(pts(100, 120, 150), "minimise", 1e-4)  # cost mode: cost rises
    assert ok


def test_fewer_than_two_points_is_refused():
    with pytest.raises(ValueError):
        frontier(instance_from_records(records()), 1, EXACT)


def write_csv_folder(folder: Path, recs: dict[str, list[dict[str, Any]]]) -> Path:
    """The records as a CSV input folder (one <Table>.csv each), written like a planner's."""
    write_instance_csv(folder, recs)
    return folder


def test_frontier_command_writes_table_and_chart(tmp_path):
    src = write_csv_folder(tmp_path / "case", records())
    out = tmp_path / "frontier.xlsx"
    runner = CliRunner()
    res = runner.invoke(app, ["frontier", str(src), "-o", str(out), "--points", "3", "--gap", "0"])
    assert res.exit_code == EXIT_OK, res.output
    assert "73,000" in res.output
    wb = openpyxl.load_workbook(out)
    ws = wb["Frontier"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["point", "exposure_budget", "status", "exposure", "npv_usd", "objective", "npv_given_up_usd", "npv_given_up_per_exposure"]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2, max_row=4)]
    assert [r["npv_usd"] for r in rows] == pytest.approx([80_000, 73_000, 68_000])
    assert [r["exposure"] for r in rows] == pytest.approx([5_000, 3_000, 1_000])
    assert len(ws._charts) == 1
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["monotone"] == "yes" and summary["exposure_max"] == pytest.approx(5_000)
    before = out.read_bytes()
    res = runner.invoke(app, ["frontier", str(src), "-o", str(out), "--points", "3"])
    assert res.exit_code == EXIT_OUTPUT
    assert out.read_bytes() == before
