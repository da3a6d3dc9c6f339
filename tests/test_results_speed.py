"""Issue 6, results extraction and workbook writing made cheaper: the fast paths give what the
slow ones gave. (Speed itself is measured in benchmarks/, never asserted here.)

- `extract_results` evaluates every named Expression once (memoised) and adds the big linear sums
  directly; its NPV, scenario NPVs, exposure totals, CVaR and cost table equal `pyo.value` of the
  model's own expressions, on one instance with every kind of money term: discounting over two
  periods of unequal length, a refinery with modules, an upgrade, a disruption scenario, CVaR,
  corridor and node risk with expected loss and security costs, escorted convoys and a soft
  contract minimum.
- The workbook's table rows, spliced into the sheet XML, are the cells openpyxl wrote one by one
  (values, types, number formats, quote prefix, widths, dimensions), for those results and for a
  hostile extra table (NaN, inf, NA, bools next to 1 and 1.0, -0.0, empty strings, whitespace,
  CR, markup, formula-like text, characters XML cannot hold); tables of dates keep openpyxl's
  cell writing; chunked and write-only writing give the same sheets.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pyomo.environ as pyo
import pytest
from risk_instances import rich_records

from supplyopt.io import results_workbook as rw
from supplyopt.io.memory import instance_from_records
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.model import build_model
from supplyopt.results import Results, extract_results
from supplyopt.solve.highs import OPTIMAL, SolveOptions, solve
from supplyopt.solve.solution import Solution

REL = 1e-9


@pytest.fixture(scope="module")
def solved():
    m = build_model(instance_from_records(rich_records()))
    report = solve(m, SolveOptions(mip_gap=0.0, threads=1))
    assert report.status == OPTIMAL
    return m, report, extract_results(m, report)


# ------------------------------------------------------------------------- extraction


def test_every_money_term_and_risk_table_is_exercised(solved):
    _, _, res = solved
    terms = set(res["Costs"]["term"])
    assert {"revenue", "transport", "mining", "processing", "port_handling", "security", "expected_loss", "escorts", "contract_shortfall"} <= terms
    assert {"refinery_capex", "refinery_fixed_opex"} & terms
    assert set(res["ScenarioOutcomes"]["scenario"]) == {"base", "SHORT_CLOSED"}
    assert set(res["RiskExposure"]["element_type"]) == {"corridor", "node"}
    assert len(res["Convoys"]) and len(res["Flows"])
    assert res["RiskExposure"]["expected_loss_usd_per_yr"].abs().sum() > 0


def test_kpis_and_scenario_table_equal_the_model_expressions(solved):
    m, _, res = solved
    d = m.data
    assert res.summary["npv_usd"] == pytest.approx(pyo.value(m.npv), rel=REL)
    assert res.summary["cvar_npv_usd"] == pytest.approx(pyo.value(m.cvar), rel=REL)
    expected_exposure = pyo.value(sum(d.probability[s] * m.exposure_total[s] for s in d.scenarios))
    assert expected_exposure > 0
    assert res.summary["risk_exposure_total"] == pytest.approx(expected_exposure, rel=REL)
    out = res["ScenarioOutcomes"].set_index("scenario")
    for s in d.scenarios:
        assert out.loc[s, "npv_usd"] == pytest.approx(pyo.value(m.scenario_npv[s]), rel=REL)
        assert out.loc[s, "exposure_total"] == pytest.approx(pyo.value(m.exposure_total[s]), rel=REL)
        revenue = sum(d.flow_factor[p] * pyo.value(m.term_revenue[s, p]) for p in d.periods)
        assert out.loc[s, "revenue_pv_usd"] == pytest.approx(revenue, rel=REL)


def test_cost_table_equals_each_terms_own_values(solved):
    m, _, res = solved
    d = m.data
    costs = res["Costs"].set_index(["term", "period"])
    for t in m.money_terms.values():
        for p in d.periods:
            if t.per_scenario:
                nominal = sum(d.probability[s] * pyo.value(t.nominal[s, p]) for s in d.scenarios)
                pv = sum(pyo.value(t.present_value[s, p]) for s in d.scenarios)
            else:
                nominal, pv = pyo.value(t.nominal[p]), pyo.value(t.present_value[p])
            assert costs.loc[(t.name, p), "nominal"] == pytest.approx(nominal, rel=REL, abs=1e-6), t.name
            assert costs.loc[(t.name, p), "present_value_usd"] == pytest.approx(t.sign * pv, rel=REL, abs=1e-6), t.name
    # NPV is the sum of the cost table's present values (revenue positive, costs negative)
    assert costs["present_value_usd"].sum() == pytest.approx(res.summary["npv_usd"], rel=REL)


def test_memoised_values_are_pyomos_floats_and_unset_variables_count_zero(solved):
    m, _, _ = solved
    sol = Solution()
    assert sol.val(m.npv) == pyo.value(m.npv)  # same operations in the same order: the same float
    assert sol.val(m.npv) == pyo.value(m.npv)  # second time from the memory
    for s in m.data.scenarios:
        assert sol.val(m.scenario_npv[s]) == pyo.value(m.scenario_npv[s])
    k = pyo.ConcreteModel()
    k.x = pyo.Var([1, 2])
    k.e = pyo.Expression(expr=3 * k.x[1] + 2 * k.x[2] + 1)
    assert Solution().val(k.e) == 0.0  # no value yet: 0, as pyo.value(..., exception=False) → None
    k.x[1].value, k.x[2].value = 1.5, 2.0
    assert Solution().val(k.e) == pyo.value(k.e) == 9.5
    assert Solution().val(7) == 7.0


# ------------------------------------------------------------------------- workbook


def hostile_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            # object dtype: pandas 3 with pyarrow would store strings as UTF-8, which a lone surrogate is not
            "item": pd.Series(["=1+1", " lead", "tail ", "a\rb\tc\nd", "<b>&amp;</b>", "", None, "#N/A", "x\ufffey\ud800", "ok"], dtype=object),
            "value_usd": [1234567.5, np.nan, np.inf, -np.inf, -0.0, 0.0, -0.4, 1e-9, 1e17, 3.0],
            "share": [0.5, 0.25, -0.0, 1.0, np.nan, 2.5, -1.5, 0.0, 1e-4, 0.125],
            "mixed": [True, 1, 1.0, False, 0, -0.0, "t", None, np.float64(2.5), np.int64(7)],
            "flag": [True, False] * 5,
            "count": np.arange(10, dtype="int64") - 3,
            "nullable": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
            "t_per_yr": np.linspace(-1e6, 1e6, 10),
        }
    )


def _cells(path) -> dict:
    """Every stored cell (blank ones skipped) with what a reader sees of it, per sheet, and each
    sheet's width, dimension, frozen pane and filter."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {
            c.coordinate: (c.value, c.data_type, c.number_format, c.quotePrefix, c.font.b, c.fill.fgColor.rgb)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        out[ws.title] = (cells, widths, ws.dimensions, ws.freeze_panes, ws.auto_filter.ref, ws.sheet_state, len(ws._charts))
    return out


@pytest.fixture(scope="module")
def with_hostile(solved) -> Results:
    _, _, res = solved
    return Results({**res.tables, "Hostile": hostile_table()}, dict(res.summary))


def test_spliced_rows_are_the_cells_openpyxl_wrote(with_hostile, tmp_path, monkeypatch):
    fast = write_results_workbook(with_hostile, tmp_path / "fast.xlsx")
    with monkeypatch.context() as mp:
        mp.setattr(rw, "_splicable", lambda df: False)  # every table cell by cell, through openpyxl
        slow = write_results_workbook(with_hostile, tmp_path / "slow.xlsx")
    a, b = _cells(fast), _cells(slow)
    assert list(a) == list(b)
    for sheet in a:
        assert a[sheet] == b[sheet], sheet
    hostile = a["Hostile"][0]
    assert hostile["A2"][:2] == ("=1+1", "s") and hostile["A2"][3]  # text, quote prefix
    assert hostile["A5"][0] == "a\rb\tc\nd"
    assert hostile["A10"][0] == "x\ufffdy\ufffd"  # XML cannot hold U+FFFE or a lone surrogate
    back = read_results_workbook(fast)
    for name, df in with_hostile.tables.items():
        pd.testing.assert_frame_equal(back[name], read_results_workbook(slow)[name], check_exact=True, obj=name)
        if name != "Hostile":
            pd.testing.assert_frame_equal(back[name], df, check_exact=False, rtol=1e-14, obj=name)


def test_chunked_and_write_only_writing_give_the_same_sheets(with_hostile, tmp_path, monkeypatch):
    plain = _cells(write_results_workbook(with_hostile, tmp_path / "plain.xlsx"))
    with monkeypatch.context() as mp:
        mp.setattr(rw, "BODY_CHUNK_ROWS", 3)
        assert _cells(write_results_workbook(with_hostile, tmp_path / "chunked.xlsx")) == plain
    with monkeypatch.context() as mp:
        mp.setattr(rw, "WRITE_ONLY_ROWS", 1)
        streamed = _cells(write_results_workbook(with_hostile, tmp_path / "streamed.xlsx"))
    # write-only sheets carry no row/column cache openpyxl could report: compare what is stored
    assert {k: v[0] for k, v in streamed.items()} == {k: v[0] for k, v in plain.items()}
    assert {k: v[2:] for k, v in streamed.items()} == {k: v[2:] for k, v in plain.items()}


def test_a_table_of_dates_keeps_openpyxls_cell_writing(tmp_path):
    df = pd.DataFrame({"when": [dt.datetime(2030, 1, 1, 12), dt.datetime(2031, 6, 30)], "t_per_yr": [1.0, 2.0]})
    assert not rw._splicable(df)
    assert rw._splicable(hostile_table())
    path = write_results_workbook(Results({"Dates": df}, {"status": "optimal"}), tmp_path / "dates.xlsx")
    ws = openpyxl.load_workbook(path)["Dates"]
    assert ws["A2"].value == dt.datetime(2030, 1, 1, 12) and ws["A2"].is_date
    pd.testing.assert_frame_equal(read_results_workbook(path)["Dates"], df)


@pytest.mark.parametrize("column", list(hostile_table().columns))
def test_column_widths_from_distinct_values_equal_measuring_every_value(column):
    col = hostile_table()[column]
    for fmt in (None, rw.MONEY, rw.UNIT_PRICE, rw.PERCENT, rw.GAP, rw.SECONDS):
        assert rw._column_width(column, col, fmt) == rw._width(column, col.tolist(), fmt), fmt
