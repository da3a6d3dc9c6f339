"""Stress test of a fixed design, on a chain whose cases are derived by hand.

    MINE --M-R (10 USD/t)--> REF --R-P (10 USD/t)--> PORT
                                 --R-P2 (300 km × 0.1 = 30 USD/t)--> PORT

One period of one year, r = 0. MINE: up to 1,000 t/yr CONC at 10 USD/t. REF (new): opening
10,000 USD, modules of 1,000 t/yr input at 5,000 USD (max 2). SMELT: CONC → CU, yield 0.5,
20 USD/t input. PORT buys CU at 400 USD/t with a contract minimum of 400 t/yr. Disruption
REF_HALF (probability 0.1) halves REF's capacity.

Optimal plan: open REF + 1 module (P1), 1,000 t through M-R and SMELT, 500 t CU on R-P:
    revenue 500 × 400 = 200,000; mining 10,000; M-R 10,000; SMELT 20,000; R-P 5,000;
    capex 15,000 → NPV 140,000.
Stress penalty: 10 × the highest price = 4,000 USD/t.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from supplyopt.cli import app
from supplyopt.errors import EXIT_OK, EXIT_OUTPUT, InputError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.template import write_instance_csv
from supplyopt.model import build_model
from supplyopt.results import extract_results
from supplyopt.solve.highs import INFEASIBLE, OPTIMAL, SolveOptions, solve
from supplyopt.studies.stress import Design, stress

EXACT = SolveOptions(mip_gap=0.0, threads=1)


def _road(k: str, a: str, b: str, km: float) -> dict[str, Any]:
    return {"corridor": k, "from_node": a, "to_node": b, "mode": "road", "distance_km": km, "cost_usd_per_tkm": 0.1, "bidirectional": False}


def chain(years: int = 1, mine_min: float = 0) -> dict[str, list[dict[str, Any]]]:
    return {
        "Settings": [{"name": "discount_rate", "value": 0}],
        "Periods": [{"period": "P1", "start_year": 2030, "length_years": years}],
        "Commodities": [{"commodity": "CONC"}, {"commodity": "CU"}],
        "Nodes": [{"node": "MINE", "kind": "mine"}, {"node": "REF", "kind": "refinery"}, {"node": "PORT", "kind": "port"}],
        "Corridors": [_road("M-R", "MINE", "REF", 100), _road("R-P", "REF", "PORT", 100), _road("R-P2", "REF", "PORT", 300)],
        "Mines": [{"mine": "MINE", "commodity": "CONC", "min_t_per_yr": mine_min, "max_t_per_yr": 1000, "cost_usd_per_t": 10}],
        "Refineries": [{"site": "REF", "open_capex_usd": 10_000, "module_size_t_per_yr": 1000, "module_capex_usd": 5000, "max_modules": 2}],
        "Recipes": [{"recipe": "SMELT", "input_commodity": "CONC", "cost_usd_per_t": 20}],
        "RecipeOutputs": [{"recipe": "SMELT", "output_commodity": "CU", "yield": 0.5}],
        "Ports": [{"port": "PORT"}],
        "Markets": [{"node": "PORT", "commodity": "CU", "price_usd_per_t": 400, "min_t_per_yr": 400}],
        "Disruptions": [{"disruption": "REF_HALF", "probability": 0.1, "description": "Refinery at half capacity"}],
        "DisruptionFactors": [{"disruption": "REF_HALF", "element_type": "refinery", "element": "REF", "factor": 0.5}],
    }


def solved_design(records) -> tuple[Any, Design, float]:
    inst = instance_from_records(records)
    m = build_model(inst)
    report = solve(m, EXACT)
    assert report.status == OPTIMAL
    results = extract_results(m, report)
    return inst, Design.from_results(results), results.summary["npv_usd"]


@pytest.fixture(scope="module")
def one_year():
    inst, design, npv = solved_design(chain())
    return inst, design, npv, stress(inst, design, EXACT)


def test_design_read_from_results(one_year):
    _, design, npv, _ = one_year
    assert npv == pytest.approx(140_000)
    assert design == Design({"REF": "P1"}, {("REF", "P1"): 1}, {})
    assert design.describe_sites() == "REF: open P1, +1 module P1"


def test_every_disruption_and_corridor_closure_is_a_case(one_year):
    _, _, _, res = one_year
    assert res.baseline.case == "undisrupted" and res.baseline.npv_usd == pytest.approx(140_000)
    assert [c.case for c in res.cases] == ["REF_HALF", "close M-R", "close R-P", "close R-P2"]
    assert res.penalty_usd_per_t == pytest.approx(4_000)  # 10 × 400 USD/t
    assert all(c.status == OPTIMAL for c in res.cases)


def test_closing_the_only_route_shows_unmet_contract_and_npv_loss(one_year):
    # close M-R: no CONC reaches REF, no CU: the 400 t/yr contract is entirely unmet.
    # NPV = −15,000 (the design's capex is spent; the stress penalty is not money) → loss 155,000.
    _, _, _, res = one_year
    case = {c.case: c for c in res.cases}["close M-R"]
    assert case.unmet_contracts_t == pytest.approx(400)
    assert case.npv_usd == pytest.approx(-15_000)
    assert case.npv_loss_usd == pytest.approx(155_000)
    # The solver's objective does carry the penalty: −15,000 − 400 × 4,000.
    assert case.objective == pytest.approx(-15_000 - 400 * 4_000)
    rows = res.unmet[res.unmet["case"] == "close M-R"]
    assert rows[["node", "commodity", "period"]].values.tolist() == [["PORT", "CU", "P1"]]
    assert rows["shortfall_t_per_yr"].iloc[0] == pytest.approx(400)


def test_regret_table_is_sorted_by_npv_loss(one_year):
    # REF_HALF: 500 t input → 250 t CU, 150 t short. NPV = 250 × 400 − (500 × 10 + 500 × 10
    #   + 500 × 20 + 250 × 10) − 15,000 = 100,000 − 22,500 − 15,000 = 62,500 → loss 77,500.
    # close R-P: CU on R-P2 at 30 instead of 10: 500 × 20 = 10,000 loss, contract met.
    # close R-P2: unused, no loss.
    _, _, _, res = one_year
    table = res.table()
    assert table["case"].tolist() == ["close M-R", "REF_HALF", "close R-P", "close R-P2"]
    assert table["npv_loss_usd"].tolist() == pytest.approx([155_000, 77_500, 10_000, 0])
    assert table["unmet_contracts_t"].tolist() == pytest.approx([400, 150, 0, 0])
    assert table["npv_loss_share"].iloc[0] == pytest.approx(155_000 / 140_000)
    assert table.set_index("case").loc["REF_HALF", "probability"] == pytest.approx(0.1)


def test_unmet_tonnes_count_every_year_of_the_period():
    # The period lasts 2 years (r = 0): operating money doubles, capex does not.
    # Undisrupted: 2 × 155,000 − 15,000 = 295,000. close M-R: 400 t/yr × 2 years = 800 t unmet,
    # NPV −15,000, loss 310,000.
    inst, design, npv = solved_design(chain(years=2))
    assert npv == pytest.approx(295_000)
    res = stress(inst, design, EXACT)
    case = {c.case: c for c in res.cases}["close M-R"]
    assert (case.unmet_contracts_t, case.unmet_contracts_t_per_yr_peak) == (pytest.approx(800), pytest.approx(400))
    assert case.npv_loss_usd == pytest.approx(310_000)


def test_the_design_is_fixed_not_re_optimised():
    # With no refinery in the design nothing can be sold: NPV 0, contract unmet even undisrupted,
    # although opening REF would earn 140,000.
    inst = instance_from_records(chain())
    res = stress(inst, Design(), EXACT)
    assert res.baseline.npv_usd == pytest.approx(0)
    assert res.baseline.unmet_contracts_t == pytest.approx(400)


def test_a_design_from_another_input_is_an_input_error():
    inst = instance_from_records(chain())
    with pytest.raises(InputError, match="NOPE"):
        stress(inst, Design({"NOPE": "P1"}, {}, {}), EXACT)
    with pytest.raises(InputError, match="U-X"):
        stress(inst, Design({}, {}, {"U-X": "P1"}), EXACT)


def test_a_mine_minimum_that_cannot_leave_is_reported_infeasible():
    # Mine minimum 500 t/yr: with M-R closed the ore has nowhere to go; only that case fails,
    # and it heads the regret table (no plan is worse than any loss).
    inst, design, _ = solved_design(chain(mine_min=500))
    res = stress(inst, design, EXACT)
    by_case = {c.case: c for c in res.cases}
    assert by_case["close M-R"].status == INFEASIBLE and by_case["close M-R"].npv_usd is None
    assert by_case["close R-P"].npv_loss_usd == pytest.approx(10_000)
    assert res.table()["case"].iloc[0] == "close M-R"


# --------------------------------------------------------------------------------------------
# Command line: solve → results workbook → stress → regret workbook
# --------------------------------------------------------------------------------------------


def write_csv_folder(folder: Path, recs: dict[str, list[dict[str, Any]]]) -> Path:
    """The records as a CSV input folder (one <Table>.csv each), written like a planner's."""
    write_instance_csv(folder, recs)
    return folder


def test_stress_command_writes_the_regret_workbook(tmp_path):
    src = write_csv_folder(tmp_path / "case", chain())
    runner = CliRunner()
    plan = tmp_path / "plan.xlsx"
    res = runner.invoke(app, ["solve", str(src), "-o", str(plan), "--gap", "0"])
    assert res.exit_code == EXIT_OK, res.output
    out = tmp_path / "stress.xlsx"
    res = runner.invoke(app, ["stress", str(plan), "-o", str(out)])  # input from the Summary
    assert res.exit_code == EXIT_OK, res.output
    assert "close M-R" in res.output
    wb = openpyxl.load_workbook(out)
    assert {"Summary", "Regret", "Unmet", "Design"} <= set(wb.sheetnames)
    ws = wb["Regret"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert [r["case"] for r in rows] == ["close M-R", "REF_HALF", "close R-P", "close R-P2"]
    assert rows[0]["npv_loss_usd"] == pytest.approx(155_000)
    assert rows[0]["unmet_contracts_t"] == pytest.approx(400)
    assert len(ws._charts) == 1
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["undisrupted_npv_usd"] == pytest.approx(140_000)
    assert summary["input"] == str(src)
    # No overwrite without --force; the file is left as it was.
    before = out.read_bytes()
    res = runner.invoke(app, ["stress", str(plan), "--input", str(src), "-o", str(out)])
    assert res.exit_code == EXIT_OUTPUT
    assert out.read_bytes() == before
    res = runner.invoke(app, ["stress", str(plan), "--input", str(src), "-o", str(out), "--force"])
    assert res.exit_code == EXIT_OK, res.output
