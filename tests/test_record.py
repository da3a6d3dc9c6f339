"""The results record (issue 12 item 3): `write_plan` writes `base.xlsx` and `base.record/`
(summary.json + one Parquet file per table); `read_plan` gives back exactly the Results that were
written when the record belongs to the workbook, and the workbook's Results otherwise.

- Round trips: hand-made tables with known values (NaN, ±inf, -0.0, nullable Int64, mixed
  object columns, a lone surrogate, indexes) and a real solve, compared exactly, types included.
- A record is used only when it is the workbook's: an overwritten workbook, a tampered record
  (bad JSON, garbage Parquet, a missing file, a wrong dtype, a path outside the folder) make
  read_plan read the workbook; a bad workbook is still an InputError.
- Writes are atomic: a failure (read-only folder, a full disk while the record is written, a
  locked workbook) leaves the old workbook and record as they were and no temporary file.
- compare, map, stress and explain read the record (the workbook reader made to fail).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cli_helpers import invoke, said

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, InputError, OutputError
from supplyopt.io import plan as plan_module
from supplyopt.io.memory import instance_from_records
from supplyopt.io.plan import RecordSkippedWarning, read_plan, record_path, write_plan
from supplyopt.io.record.store import sha256_file
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.io.template import write_template
from supplyopt.results import Results
from supplyopt.studies.compare import load_results
from supplyopt.studies.pipeline import run_solve


def hostile() -> pd.DataFrame:
    """tests/test_results_speed.py's hostile table: a lone surrogate in an object column, mixed
    bools, ints and floats, -0.0, ±inf, NaN, nullable Int64."""
    return pd.DataFrame(
        {
            "item": pd.Series(["=1+1", " lead", "tail ", "a\rb\tc\nd", "<b>&amp;</b>", "", None, "#N/A", "x\ufffey\ud800", "ok"], dtype=object),
            "value_usd": [1234567.5, np.nan, np.inf, -np.inf, -0.0, 0.0, -0.4, 1e-9, 1e17, 3.0],
            "mixed": [True, 1, 1.0, False, 0, -0.0, "t", None, np.float64(2.5), np.int64(7)],
            "flag": [True, False] * 5,
            "count": np.arange(10, dtype="int64") - 3,
            "nullable": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 2**62], dtype="Int64"),
        }
    )


def known_results() -> Results:
    tables = {
        "Hostile": hostile(),
        "Flows": pd.DataFrame({"corridor": ["A", "B"], "t_per_yr": [1000.0, 250.0], "period": pd.Series(["P1", None], dtype="str")}),
        "Empty": pd.DataFrame({"site": pd.Series([], dtype=object), "t_per_yr": pd.Series([], dtype=float)}),
        "Text": pd.DataFrame({"none_blank": pd.Series(["a", None], dtype=object), "nan_blank": pd.Series(["a", np.nan], dtype=object)}),
        "Unlimited": pd.DataFrame({"capacity_t_per_yr": pd.Series([None, 5.0, np.nan, -0.0, np.inf], dtype=object)}),
        "Typed": pd.DataFrame(
            {
                "string": pd.array(["a", None], dtype="string"),
                "boolean": pd.array([True, None], dtype="boolean"),
                "Float64": pd.array([-0.0, None], dtype="Float64"),
                "uint8": np.array([0, 255], dtype="uint8"),
                "float32": np.array([np.nan, -np.inf], dtype="float32"),
                "when": pd.to_datetime(["2030-01-01 12:00", None]),
                "when_utc": pd.to_datetime(["2030-01-01", "2031-06-30"], utc=True),
                "big": pd.Series([2**70, pd.NA], dtype=object),
                "nat": pd.Series([pd.NaT, b"\x00raw"], dtype=object),
            }
        ),
        "Indexed": pd.DataFrame({"v": [1.0, 2.0]}, index=pd.Index(["x", "y"], name="k")),
        "Multi": pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["p", None])),
        "Shifted": pd.DataFrame({"v": [1, 2]}, index=pd.RangeIndex(5, 7)),
        "NoColumns": pd.DataFrame(index=range(3)),  # rows but no columns: the rows are in summary.json
        "Weird name/with: colon": pd.DataFrame({"v": [3]}),
        "weird name_with_ colon": pd.DataFrame({"v": [4]}),  # the same file name, but for the case
    }
    summary = {
        "status": "feasible (not proven optimal)",
        "npv_usd": 54_250.0,
        "gap": math.nan,
        "best_bound": math.inf,
        "worst": -math.inf,
        "zero": -0.0,
        "columns": 9,
        "cvar_npv_usd": None,
        "proven": False,
        "note": "x\ud800y",
        "periods": ["P1", "P2"],
        "pair": (1, 2),
        "weights": {"P1": 0.5},
        "np_float": np.float64(0.1),
        "np_int": np.int64(3),
    }
    return Results(tables, summary)


def assert_same_results(back: Results, res: Results) -> None:
    """Every table equal (values, dtypes, order, index, NaN and -0.0 included); every summary value
    equal and of the same type; tables and summary keys in the same order."""
    assert list(back.tables) == list(res.tables)
    for name, df in res.tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=True, check_index_type=True, check_column_type=True, obj=name)
        for j, col in enumerate(df.columns):
            if pd.api.types.is_object_dtype(df[col].dtype):
                assert [type(v) for v in back[name].iloc[:, j]] == [type(v) for v in df.iloc[:, j]], (name, col)
            elif isinstance(df[col].dtype, np.dtype) and df[col].dtype.kind == "f":  # -0.0 stays -0.0
                assert np.array_equal(np.signbit(back[name].iloc[:, j].to_numpy()), np.signbit(df.iloc[:, j].to_numpy())), (name, col)
    assert list(back.summary) == list(res.summary)
    for k, v in res.summary.items():
        b = back.summary[k]
        assert type(b) is type(v), k
        assert b == v or (b != b and v != v), k
        if isinstance(v, float):
            assert math.copysign(1, b) == math.copysign(1, v), k


@pytest.fixture
def written(tmp_path):
    res = known_results()
    path = write_plan(res, tmp_path / "base.xlsx")
    return res, path


def test_round_trip_of_known_values(written):
    res, path = written
    record = path.with_name("base.record")
    assert record_path(path) == record and record.is_dir()
    assert sorted(p.name for p in path.parent.iterdir()) == ["base.record", "base.xlsx"]
    files = sorted(p.name for p in record.iterdir())
    assert "summary.json" in files and "Hostile.parquet" in files and len(files) == len(res.tables) + 1
    back = read_plan(path)
    assert back.extra == {"source": str(path), "record": str(record), "format_version": 1}
    assert_same_results(back, res)
    item = back["Hostile"]["item"]
    assert item[8] == "x\ufffey\ud800" and item[6] is None  # the surrogate kept, not replaced
    assert [type(v) for v in back["Hostile"]["mixed"]][:3] == [bool, int, float]


def test_record_files_read_with_plain_pandas(written):
    res, path = written
    record = path.with_name("base.record")
    doc = json.loads((record / "summary.json").read_text())
    assert doc["format"] == "supplyopt-record" and doc["summary"]["npv_usd"] == 54_250.0
    assert doc["summary"]["gap"] == "nan" and doc["summary_types"]["gap"] == "float"
    flows = pd.read_parquet(record / "Flows.parquet")
    pd.testing.assert_frame_equal(flows, res["Flows"])
    assert str(pd.read_parquet(record / "Hostile.parquet")["nullable"].dtype) == "Int64"  # pandas' own metadata


def test_round_trip_of_a_real_solve(tmp_path):
    run = run_solve(instance_from_records(I.ports_and_contracts()))
    path = write_plan(run.results, tmp_path / "plan.xlsx")
    back = read_plan(path)
    assert back.extra.get("record") == str(record_path(path))
    assert_same_results(back, Results(run.results.tables, run.results.summary))
    via_workbook = read_results_workbook(path)  # the same tables as the workbook gives, closer
    for name, df in via_workbook.tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=False, rtol=1e-14, obj=name)


def test_record_of_another_workbook_is_not_used(written, tmp_path):
    res, path = written
    other = Results({"Flows": pd.DataFrame({"corridor": ["Z"], "t_per_yr": [7.0]})}, {"status": "optimal", "npv_usd": 1.0})
    write_results_workbook(other, path, overwrite=True)  # the planner overwrites the workbook only
    back = read_plan(path)
    assert back.summary["npv_usd"] == 1.0 and list(back.tables) == ["Flows"]
    assert "sha256 differs" in back.extra["record_ignored"]
    # a record copied beside another workbook of the same name is not used either
    shutil.copy(path, tmp_path / "copy.xlsx")
    shutil.copytree(path.with_name("base.record"), tmp_path / "copy.record")
    assert read_plan(tmp_path / "copy.xlsx").summary["npv_usd"] == 1.0


def _tamper_json(record, edit):
    doc = json.loads((record / "summary.json").read_text())
    edit(doc)
    (record / "summary.json").write_text(json.dumps(doc))


def _column_entry(doc, table, column):
    entry = next(t for t in doc["tables"] if t["name"] == table)
    return entry, next(c for c in entry["columns"] if c["name"] == column)


def _wrong_dtype(record):
    """Flows.parquet rewritten with t_per_yr as float32, its sha256 updated: only the type check
    can tell."""
    t = pq.read_table(record / "Flows.parquet")
    t = t.set_column(1, "t_per_yr", t.column(1).cast(pa.float32()))
    pq.write_table(t, record / "Flows.parquet")
    digest = sha256_file(record / "Flows.parquet")
    _tamper_json(record, lambda d: _column_entry(d, "Flows", "t_per_yr")[0].update(sha256=digest))


def _garbage_with_its_sha(record):
    """Flows.parquet replaced by garbage and summary.json updated to match: pyarrow must refuse it."""
    (record / "Flows.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    digest = sha256_file(record / "Flows.parquet")
    _tamper_json(record, lambda d: _column_entry(d, "Flows", "t_per_yr")[0].update(sha256=digest))


def _dtype_claimed(record):
    _tamper_json(record, lambda d: _column_entry(d, "Flows", "t_per_yr")[1].update(dtype="int64"))


TAMPERING = {
    "bad JSON": lambda r: (r / "summary.json").write_text('{"format": "supplyopt-record", '),
    "not an object": lambda r: (r / "summary.json").write_text("[1, 2]"),
    "not UTF-8": lambda r: (r / "summary.json").write_bytes(b"\xff\xfe\x00"),
    "garbage Parquet": lambda r: (r / "Flows.parquet").write_bytes(b"PAR1 not really"),
    "garbage Parquet, sha256 updated": _garbage_with_its_sha,
    "missing table file": lambda r: (r / "Flows.parquet").unlink(),
    "missing summary.json": lambda r: (r / "summary.json").unlink(),
    "wrong dtype in the file": _wrong_dtype,
    "wrong dtype in summary.json": _dtype_claimed,
    "unknown dtype": lambda r: _tamper_json(r, lambda d: _column_entry(d, "Flows", "t_per_yr")[1].update(dtype="complex128")),
    "path outside the folder": lambda r: _tamper_json(r, lambda d: d["tables"][0].update(file="../base.xlsx")),
    "summary type mismatch": lambda r: _tamper_json(r, lambda d: d["summary_types"].update(npv_usd="int")),
    "tables not a list": lambda r: _tamper_json(r, lambda d: d.update(tables={"a": 1})),
    "newer format": lambda r: _tamper_json(r, lambda d: d.update(format_version=99)),
    "rows do not match": lambda r: _tamper_json(r, lambda d: d["tables"][1].update(rows=5)),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampered_record_falls_back_to_the_workbook(written, how):
    res, path = written
    TAMPERING[how](path.with_name("base.record"))
    back = read_plan(path)
    assert "record_ignored" in back.extra and "record" not in back.extra, how
    expected = read_results_workbook(path)
    assert list(back.tables) == list(expected.tables)
    for name, df in expected.tables.items():
        pd.testing.assert_frame_equal(back[name], df, check_exact=True, obj=name)


def test_bad_workbook_with_a_record_is_an_input_error(written):
    _, path = written
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="not a supplyopt results workbook"):
        read_plan(path)
    path.unlink()
    with pytest.raises(InputError, match="file not found"):  # a record alone is never trusted
        read_plan(path)


def test_cli_tampered_record_and_bad_workbook_exit_2(tmp_path):
    src = write_template(tmp_path / "tiny.xlsx", I.tiny())
    out = tmp_path / "plan.xlsx"
    assert invoke("solve", src, "-o", out).exit_code == EXIT_OK
    (tmp_path / "plan.record" / "summary.json").write_text("{{{")
    res = invoke("map", out, "-o", tmp_path / "m.png")  # record ignored, workbook read: no coordinates
    assert res.exit_code == EXIT_INPUT and "no node has latitude/longitude" in said(res)  # read from the workbook
    out.write_bytes(b"garbage")
    res = invoke("explain", out, "--site", "REF")
    assert res.exit_code == EXIT_INPUT and "not a supplyopt results workbook" in said(res)


def _snapshot(folder):
    """Every file and folder (hidden ones too) below `folder`, with each file's bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


def test_failure_while_the_record_is_written_leaves_everything_as_it_was(written, monkeypatch):
    res, path = written
    before = _snapshot(path.parent)
    calls = []
    real = pq.write_table

    def full_disk(table, where, *args, **kwargs):
        calls.append(where)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(table, where, *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        write_plan(known_results(), path, overwrite=True)
    assert _snapshot(path.parent) == before  # old workbook and record, byte for byte; no temp files


@pytest.mark.parametrize("error", [OSError(13, "Permission denied"), KeyboardInterrupt()])
def test_failure_when_the_workbook_is_renamed_removes_the_staged_record(written, monkeypatch, error):
    res, path = written
    before = _snapshot(path.parent)
    real = os.replace

    def locked(a, b):
        if str(b) == str(path):
            raise error
        return real(a, b)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises((OutputError, KeyboardInterrupt)):
        write_plan(known_results(), path, overwrite=True)
    assert _snapshot(path.parent) == before


@pytest.mark.skipif(sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0), reason="needs POSIX permissions, not root")
def test_read_only_folder_is_an_output_error_and_leaves_nothing(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="cannot write in the folder"):
            write_plan(known_results(), folder / "base.xlsx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_record_folder_that_cannot_be_made_leaves_nothing(written, monkeypatch):
    """As a read-only folder does for a user who is not root: the staging folder cannot be made
    after the workbook's temporary file is complete."""
    res, path = written
    before = _snapshot(path.parent)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(OutputError, match="Permission denied"):
        write_plan(known_results(), path, overwrite=True)
    assert _snapshot(path.parent) == before


def test_rewrite_replaces_the_record(written):
    _, path = written
    new = Results({"Flows": pd.DataFrame({"corridor": ["N"], "t_per_yr": [-0.0]})}, {"status": "optimal"})
    write_plan(new, path, overwrite=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["base.record", "base.xlsx"]  # the old record moved aside and deleted
    assert sorted(p.name for p in path.with_name("base.record").iterdir()) == ["Flows.parquet", "summary.json"]
    assert_same_results(read_plan(path), new)
    with pytest.raises(OutputError, match="exists"):  # same refusals as write_results_workbook
        write_plan(new, path)
    with pytest.raises(OutputError, match="input"):
        write_plan(new, path, overwrite=True, protect=[path])


def test_a_folder_that_is_not_a_record_is_never_replaced(tmp_path):
    mine = tmp_path / "base.record"
    mine.mkdir()
    (mine / "notes.docx").write_bytes(b"the planner's own file")
    with pytest.raises(OutputError, match="not only a results record"):
        write_plan(known_results(), tmp_path / "base.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.record"] and (mine / "notes.docx").exists()


def test_results_a_record_cannot_hold_get_a_workbook_and_no_record(written):
    _, path = written
    odd = Results({"Durations": pd.DataFrame({"wait": pd.to_timedelta([1, 2], unit="D")})}, {"status": "optimal"})
    with pytest.warns(RecordSkippedWarning, match="timedelta64"):
        write_plan(odd, path, overwrite=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["base.xlsx"]  # the stale record removed
    assert read_plan(path).extra["source"] == str(path)


# ------------------------------------------------------------------ the studies read the record


COORDS = {"MINE": (35.9, 74.3), "REF": (31.5, 74.3), "PORT": (24.8, 67.0)}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    d = tmp_path_factory.mktemp("record_cli")
    recs = I.tiny()
    for n in recs["Nodes"]:
        n["lat"], n["lon"] = COORDS[n["node"]]
    src = write_template(d / "tiny.xlsx", recs)
    res = invoke("solve", src, "-o", d / "plan.xlsx")
    assert res.exit_code == EXIT_OK, res.output
    assert record_path(d / "plan.xlsx").is_dir()
    return d / "plan.xlsx"


@pytest.fixture
def no_workbook_reading(monkeypatch):
    def refuse(path):
        raise AssertionError(f"the workbook {path} was read although its record is there")

    monkeypatch.setattr(plan_module, "read_results_workbook", refuse)


def test_compare_reads_the_record(solved, no_workbook_reading):
    (name, res, source), *_ = load_results([solved])
    assert res.extra["record"] == str(record_path(solved)) and res.summary["npv_usd"] == pytest.approx(54_250)
    assert invoke("compare", solved, solved, "-o", solved.with_name("cmp.xlsx"), "--force").exit_code == EXIT_OK


def test_map_reads_the_record(solved, no_workbook_reading):
    res = invoke("map", solved, "-o", solved.with_name("from_record.png"), "--force")
    assert res.exit_code == EXIT_OK, res.output
    assert solved.with_name("from_record.png").is_file()


def test_stress_reads_the_record(solved, no_workbook_reading):
    res = invoke("stress", solved, "-o", solved.with_name("stress.xlsx"), "--force")
    assert res.exit_code == EXIT_OK, res.output


def test_explain_reads_the_record(solved, no_workbook_reading):
    res = invoke("explain", solved, "--site", "REF")
    assert res.exit_code == EXIT_OK, res.output
    assert "NPV 54,250 → 25,000 USD" in said(res)
