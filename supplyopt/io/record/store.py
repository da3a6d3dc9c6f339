"""The results record on disk: a folder beside the workbook, `base.xlsx` → `base.record/`, holding
`summary.json` (format marker, the workbook's sha256, the summary, one manifest entry per table)
and one `<Table>.parquet` per table. docs/results-record.md describes it for pandas users.

`write_record` fills a (staging) folder; `read_record` gives Results back only when the record
belongs to the workbook beside it (its sha256 matches) and every file is what summary.json says
(each Parquet file's sha256 too); otherwise RecordInvalid says why, and the caller reads the
workbook. The record is untrusted input like the workbook: nothing in it is executed or pickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from supplyopt.io.record.columns import frame_from_arrow, frame_to_arrow
from supplyopt.io.record.values import RecordInvalid, RecordUnsupported, summary_from_json, summary_to_json
from supplyopt.results import Results

__all__ = ["FORMAT", "FORMAT_VERSION", "SUMMARY_FILE", "Encoded", "encode", "read_record", "record_path", "sha256_file", "write_record"]

FORMAT = "supplyopt-record"
FORMAT_VERSION = 1
SUMMARY_FILE = "summary.json"
SUFFIX = ".record"
MAX_SUMMARY_BYTES = 64 * 2**20  # summary.json is a few kB; refuse to parse a huge one
TABLE_FILE = re.compile(r"[A-Za-z0-9_-]{1,64}\.parquet")  # no separators, no leading dot


def record_path(workbook: str | os.PathLike) -> Path:
    """The record folder of a results workbook: `results/base.xlsx` → `results/base.record`."""
    p = Path(workbook)
    return p.with_name(p.stem + SUFFIX) if p.suffix else p.with_name(p.name + SUFFIX)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _file_names(names: list[str]) -> list[str]:
    """A Parquet file name per table: the name itself when it is a plain word, else a cleaned one;
    distinct ignoring case (Windows and macOS folders are case-insensitive)."""
    used: set[str] = set()
    out = []
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:56] or "table"
        cand, k = base, 2
        while cand.lower() in used:
            cand, k = f"{base}_{k}", k + 1
        used.add(cand.lower())
        out.append(cand + ".parquet")
    return out


@dataclass
class Encoded:
    """The record of one Results, encoded before anything is written: (name, Parquet table,
    manifest entry) per table, and the summary's JSON values and type tags."""

    tables: list[tuple[str, pa.Table, dict[str, Any]]]
    summary: dict[str, Any]
    summary_types: dict[str, str]


def encode(results: Results) -> Encoded:
    """The record of `results`; RecordUnsupported when it holds what a record cannot store exactly."""
    tables = []
    for name, table in results.tables.items():
        if type(name) is not str:
            raise RecordUnsupported(f"table name {name!r} is not text")
        df = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
        arrow, meta = frame_to_arrow(df, f"table {name!r}")
        tables.append((name, arrow, meta))
    values, tags = summary_to_json(dict(results.summary))
    return Encoded(tables, values, tags)


def write_record(folder: Path, record: Encoded, workbook: dict[str, Any]) -> None:
    """Write `record` into the empty `folder`, each file flushed to disk. `workbook` is
    {name, sha256, bytes, format_version} of the workbook it belongs to."""
    entries = []
    for (name, arrow, meta), file in zip(record.tables, _file_names([n for n, _, _ in record.tables])):
        path = folder / file
        pq.write_table(arrow, path)
        entries.append({"name": name, "file": file, "sha256": sha256_file(path), **meta})
        _fsync(path)
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workbook": workbook,
        "summary": record.summary,
        "summary_types": record.summary_types,
        "tables": entries,
    }
    path = folder / SUMMARY_FILE
    path.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n", encoding="ascii")
    _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / SUMMARY_FILE
    try:
        if path.stat().st_size > MAX_SUMMARY_BYTES:
            raise RecordInvalid(f"{SUMMARY_FILE} is larger than any record writes")
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise RecordInvalid(f"it has no {SUMMARY_FILE}") from None
    except (OSError, ValueError) as exc:  # ValueError: not JSON (UnicodeDecodeError too)
        raise RecordInvalid(f"{SUMMARY_FILE} cannot be read ({type(exc).__name__}: {exc})") from None
    if type(doc) is not dict or doc.get("format") != FORMAT:
        raise RecordInvalid(f"{SUMMARY_FILE} lacks the 'format: {FORMAT}' marker")
    if doc.get("format_version") != FORMAT_VERSION:
        raise RecordInvalid(f"format_version {doc.get('format_version')!r} is not one this supplyopt reads ({FORMAT_VERSION})")
    if type(doc.get("workbook")) is not dict or type(doc.get("tables")) is not list:
        raise RecordInvalid(f"{SUMMARY_FILE} lacks 'workbook' or 'tables'")
    return doc


def _read_table(folder: Path, entry: Any) -> tuple[str, pd.DataFrame]:
    if type(entry) is not dict or type(entry.get("name")) is not str or type(entry.get("file")) is not str:
        raise RecordInvalid("a table entry lacks its name or file")
    name, file = entry["name"], entry["file"]
    if not TABLE_FILE.fullmatch(file):
        raise RecordInvalid(f"table {name!r}: {file!r} is not a file name a record uses")
    try:
        data = (folder / file).read_bytes()
    except OSError as exc:
        raise RecordInvalid(f"table {name!r}: {file} cannot be read ({exc.strerror or exc})") from None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise RecordInvalid(f"table {name!r}: {file} is not the file that was written (sha256 differs)")
    try:
        table = pq.read_table(pa.BufferReader(data))
        return name, frame_from_arrow(table, entry)
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        # A Parquet file is parsed by pyarrow, a table rebuilt by pandas: whatever a damaged or
        # hand-made file makes them raise is a record not to use (RecordInvalid is a ValueError).
        why = str(exc) if isinstance(exc, RecordInvalid) else f"{type(exc).__name__}: {exc}"
        raise RecordInvalid(f"table {name!r} ({file}): {why}") from None


def read_record(folder: Path, workbook: Path) -> Results:
    """Results from the record `folder` of `workbook`; RecordInvalid (with the reason) when the
    record is not the workbook's or is damaged."""
    doc = _manifest(folder)
    recorded = doc["workbook"]
    try:
        same = recorded.get("bytes") == workbook.stat().st_size and recorded.get("sha256") == sha256_file(workbook)
    except OSError as exc:
        raise RecordInvalid(f"the workbook cannot be read ({exc.strerror or exc})") from None
    if not same:
        raise RecordInvalid(f"it belongs to another version of {workbook.name} (sha256 differs)")
    if type(recorded.get("format_version")) is not int:
        raise RecordInvalid("it does not record the workbook's format_version")
    summary = summary_from_json(doc.get("summary"), doc.get("summary_types"))
    tables: dict[str, pd.DataFrame] = {}
    for entry in doc["tables"]:
        name, df = _read_table(folder, entry)
        if name in tables:
            raise RecordInvalid(f"table {name!r} is recorded twice")
        tables[name] = df
    extra = {"source": str(workbook), "record": str(folder), "format_version": recorded.get("format_version")}
    return Results(tables, summary, None, extra)
