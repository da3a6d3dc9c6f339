"""`supplyopt breakeven`: flip points derived by hand on refine_or_export.

refine_or_export (tests/instances.py, r = 0, one year): 2,000 t of CONC.
- Export unrefined: 2,000 × (90 s − 40 − 12 − 5 − 4) = 180,000 s − 122,000 (s = CONC price scale).
- Refine it all (2 modules): 600 t CU × (P − 5 − 4) − 2,000 × (40 + 12 + 25) − capex 30,000
  − modules 10,000 − fixed 2,000 − module opex 1,000 = 97,600 at P = 500.
  Refining's margin per tonne of CONC (0.3 (P − 9) − 25 − 5.5 module cost) beats exporting's
  (90 s − 9) across the ranges below, so the choice is all-or-nothing and the flips are where the
  two NPVs meet:
- CONC price: 180,000 s − 122,000 = 97,600 → s* = 1.22;
- refinery opening capex: 127,600 − C = 58,000 → C* = 69,600 = 2.32 × 30,000;
- CU price (set): 600 P − 202,400 = 58,000 → P* = 434;
- processing cost add a: 97,600 − 2,000 a = 58,000 → a* = 19.8 (never within 0..10);
- opening and module capex scaled together by s: 137,600 − 40,000 s = 58,000 → s* = 1.99.
"""

from __future__ import annotations

import openpyxl
import pytest
from cli_helpers import invoke, said
from model_asserts import EXACT

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, InputError
from supplyopt.io.memory import instance_from_records
from supplyopt.io.template import write_template
from supplyopt.studies.breakeven import BreakevenParameter, breakeven, parameters_from_uncertainties, parse_parameter_option, parse_parameter_options

TOL = 1e-4
CONC = "conc price: Markets; PORT | CONC; price_usd_per_t; scale; 0.5; 2"
CAPEX = "capex: Refineries; REF; open_capex_usd; scale; 0.5; 3"
CU = "cu price: Markets; PORT | CU; price_usd_per_t; set; 300; 600"
PROC = "processing: Recipes; SMELT; cost_usd_per_t; add; 0; 10"


@pytest.fixture(scope="module")
def inst():
    return instance_from_records(I.refine_or_export())


@pytest.fixture(scope="module")
def result(inst):
    params = [parse_parameter_option(inst, t, i) for i, t in enumerate((CONC, CAPEX, CU, PROC), start=1)]
    return breakeven(inst, params, EXACT, tolerance=TOL)


def _row(result, name):
    t = result.table()
    rows = t[t["parameter"] == name]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_base_value_of_each_operation(inst):
    """scale → 1, add → 0, set → the input's cell (CU at PORT is 500)."""
    assert [parse_parameter_option(inst, t).base for t in (CONC, CAPEX, CU, PROC)] == [1.0, 1.0, 500.0, 0.0]


def test_concentrate_price_flip_at_1_22(result):
    r = _row(result, "conc price")
    assert r["threshold"] == pytest.approx(1.22, abs=1.5 * TOL * 1.5)
    assert r["bracket_low"] <= 1.22 <= r["bracket_high"]
    assert r["decision_below"] == "refinery at REF"
    assert r["decision_above"] == "no refinery"
    assert r["npv_below_usd"] == pytest.approx(97_600)
    assert r["npv_above_usd"] == pytest.approx(180_000 * r["bracket_high"] - 122_000)
    assert r["npv_at_high_usd"] == pytest.approx(180_000 * 2 - 122_000)


def test_capex_flip_at_2_32(result):
    r = _row(result, "capex")
    assert r["threshold"] == pytest.approx(2.32, abs=2.5 * TOL * 1.5)
    assert (r["decision_below"], r["decision_above"]) == ("refinery at REF", "no refinery")
    assert r["npv_below_usd"] == pytest.approx(127_600 - 30_000 * r["bracket_low"])
    assert r["npv_above_usd"] == pytest.approx(58_000)


def test_set_parameter_flip_at_434(result):
    r = _row(result, "cu price")
    assert r["base_value"] == 500
    assert r["threshold"] == pytest.approx(434, abs=300 * TOL * 1.5)
    # the refinery opens above the threshold here: decisions are reported in the order of values
    assert (r["decision_below"], r["decision_above"]) == ("no refinery", "refinery at REF")
    assert r["npv_below_usd"] == pytest.approx(58_000)
    assert r["npv_above_usd"] == pytest.approx(600 * r["bracket_high"] - 202_400)


def test_parameter_that_never_flips_says_so(result):
    r = _row(result, "processing")
    assert r["threshold"] != r["threshold"]  # NaN: no threshold
    assert r["decision_below"] == r["decision_above"] == "refinery at REF"
    assert "never flips within 0..10" in r["statement"]
    assert r["npv_at_high_usd"] == pytest.approx(97_600 - 20_000)


def test_uncertainties_sheet_parameters():
    recs = I.refine_or_export()
    recs["Uncertainties"] = [
        {
            "parameter": "CONC_PRICE",
            "distribution": "uniform",
            "low": 0.5,
            "high": 2.0,
            "table": "Markets",
            "key": "PORT | CONC",
            "column": "price_usd_per_t",
            "operation": "scale",
        }
    ]
    inst = instance_from_records(recs)
    params = parameters_from_uncertainties(inst)
    assert [(p.name, p.low, p.high, p.base) for p in params] == [("CONC_PRICE", 0.5, 2.0, 1.0)]
    r = breakeven(inst, params, EXACT, tolerance=1e-3)
    assert r.table().iloc[0]["threshold"] == pytest.approx(1.22, abs=2e-3)


def test_bad_parameter_option_names_the_option(inst):
    with pytest.raises(InputError, match="--parameter"):
        parse_parameter_option(inst, "Markets; PORT | CONC; price_usd_per_t; scale; 2")
    with pytest.raises(InputError, match="low must be below high"):
        parse_parameter_option(inst, "Markets; PORT | CONC; price_usd_per_t; scale; 2; 1")
    with pytest.raises(InputError, match="NOPE.* is not in Commodities"):
        parse_parameter_option(inst, "Markets; PORT | NOPE; price_usd_per_t; scale; 1; 2")
    with pytest.raises(InputError, match="no parameters"):
        breakeven(inst, [], EXACT)
    # A whole-number column is refused before any solve (it used to fail at every non-integer point).
    with pytest.raises(InputError, match="'max_modules' holds whole numbers"):
        parse_parameter_option(inst, "Refineries; REF; max_modules; scale; 0.5; 2")


def test_grid_without_bisection_when_decision_is_constant(inst):
    p = BreakevenParameter("flat", parse_parameter_option(inst, PROC).overrides, 0.0, 10.0, 0.0)
    r = breakeven(inst, [p], EXACT, points=3)
    assert sorted(q.value for q in r.parameters[0].points) == [0.0, 5.0, 10.0]


def test_cli_writes_table_tornado_and_points(tmp_path):
    src = write_template(tmp_path / "roe.xlsx", I.refine_or_export())
    out = tmp_path / "be.xlsx"
    res = invoke("breakeven", src, "-o", out, "--parameter", CONC, "--parameter", PROC, "--tolerance", "0.001")
    assert res.exit_code == EXIT_OK, said(res)
    assert "never flips within 0..10" in said(res)
    wb = openpyxl.load_workbook(out)
    assert {"Summary", "Breakeven", "Tornado", "Points"} <= set(wb.sheetnames)
    assert len(wb["Tornado"]._charts) == 1
    header = [c.value for c in wb["Breakeven"][1]]
    for col in ("parameter", "base_value", "threshold", "decision_below", "decision_above", "npv_below_usd", "npv_above_usd"):
        assert col in header
    thr = wb["Breakeven"].cell(row=2, column=header.index("threshold") + 1).value
    assert thr == pytest.approx(1.22, abs=3e-3)
    again = invoke("breakeven", src, "-o", out, "--parameter", CONC)
    assert again.exit_code != EXIT_OK  # no overwrite without --force


def test_cli_bad_parameter_is_exit_2(tmp_path):
    src = write_template(tmp_path / "roe.xlsx", I.refine_or_export())
    res = invoke("breakeven", src, "-o", tmp_path / "be.xlsx", "--parameter", "Markets; PORT | CONC; price; scale; 1; 2")
    assert res.exit_code == EXIT_INPUT
    assert "--parameter" in said(res) and "price" in said(res)


def test_options_with_one_name_move_together(inst):
    """Opening capex 30,000 and two modules at 5,000 scaled by one s: the flip at s* = 1.99."""
    texts = ["capex: Refineries; REF; open_capex_usd; scale; 0.5; 3", "capex: Refineries; REF; module_capex_usd; scale; 0.5; 3"]
    params = parse_parameter_options(inst, texts)
    assert len(params) == 1 and len(params[0].overrides) == 2
    r = breakeven(inst, params, EXACT, tolerance=TOL)
    row = r.table().iloc[0]
    assert row["threshold"] == pytest.approx(1.99, abs=2.5 * TOL * 1.5)
    assert row["npv_above_usd"] == pytest.approx(58_000)
    with pytest.raises(InputError, match="range 0.5..3 before"):
        parse_parameter_options(inst, [texts[0], texts[1].replace("0.5; 3", "0.5; 2")])


def test_a_bracket_with_two_flips_finds_both(monkeypatch):
    """Three designs along one parameter (none below 0.3, one site to 0.6, two above): a grid of
    just the two ends sees one change, and the bisection must still find both flips."""
    import supplyopt.studies.breakeven as be

    def fake_point(inst, param, value, options):
        sites = () if value < 0.3 else ("A",) if value < 0.6 else ("A", "B")
        return be.Point(param.name, value, be.Decision(sites=sites), "optimal", 100.0 * value)

    monkeypatch.setattr(be, "solve_point", fake_point)
    param = be.BreakevenParameter("p", (), 0.0, 1.0, None)
    result = be.search_parameter(None, param, EXACT, points=2, tolerance=0.01)
    assert [(f.below.decision.sites, f.above.decision.sites) for f in result.flips] == [((), ("A",)), (("A",), ("A", "B"))]
    assert [round(f.threshold, 2) for f in result.flips] == [0.3, 0.6]
