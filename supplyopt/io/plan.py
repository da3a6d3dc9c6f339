"""Write and read a solved plan: the results workbook (for planners) and its results record (for
programs), written together; read back from the record when it belongs to the workbook.

- `write_plan(results, path)` writes the workbook atomically (as `write_results_workbook`) and
  the record `path.record/` beside it. Both are written in temporary names first (the record in
  a hidden staging folder, while the workbook's temporary file is complete), so a failure leaves
  the old workbook and record as they were and no temporary file. Results the record cannot
  store exactly still get their workbook; the record is then left out (RecordSkippedWarning).
- `read_plan(path)` uses the record only when the workbook's sha256 is the one it recorded (a
  planner who e-mails or overwrites the workbook leaves a record that is not its own), and every
  file checks out; otherwise it reads the workbook (`extra['record_ignored']` says why), which
  raises InputError when the workbook is bad too.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from supplyopt.errors import OutputError
from supplyopt.io.atomic import atomic_write
from supplyopt.io.record import folder
from supplyopt.io.record.store import encode, read_record, record_path, sha256_file, write_record
from supplyopt.io.record.values import RecordInvalid, RecordUnsupported
from supplyopt.io.workbook.reader import read_results_workbook
from supplyopt.io.workbook.writer import build_workbook
from supplyopt.results import Results

__all__ = ["RecordSkippedWarning", "read_plan", "record_path", "write_plan"]


class RecordSkippedWarning(UserWarning):
    """The workbook was written but not its record (the Results hold what a record cannot store)."""


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def write_plan(results: Results, path: str | os.PathLike, *, overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write the results workbook at `path` and its record beside it; return the workbook's path.

    Same refusals as write_results_workbook (OutputError when `path` exists and `overwrite` is
    False, or is one of `protect`), and also when the record's folder exists but is not a record."""
    target = Path(path)
    protect = [Path(p) for p in protect if p is not None]
    record = record_path(target)
    if _same_path(record, target) or any(_same_path(record, p) for p in protect):
        raise OutputError(f"the results record of {target} would be {record}, which is the workbook or the input: choose another output name.")
    folder.check_replaceable(record)
    try:
        encoded, skipped = encode(results), None
    except RecordUnsupported as exc:
        encoded, skipped = None, str(exc)
    staged: list[Path] = []

    def write(tmp: Path) -> None:
        version = build_workbook(results, tmp)
        if encoded is None:
            return
        staged.append(folder.stage(record))
        workbook = {"name": target.name, "sha256": sha256_file(tmp), "bytes": tmp.stat().st_size, "format_version": version}
        write_record(staged[0], encoded, workbook)

    try:
        atomic_write(target, write, overwrite=overwrite, protect=protect)
    except BaseException:
        for s in staged:
            folder.discard(s)
        raise
    if staged:
        folder.publish(staged[0], record)
    else:
        folder.remove_old(record)
        warnings.warn(f"no results record beside {target} ({skipped}); studies will read the workbook instead.", RecordSkippedWarning, stacklevel=2)
    return target


def read_plan(path: str | os.PathLike) -> Results:
    """Results of a solved plan: from its record when that belongs to the workbook, else from the
    workbook (InputError, naming the file, when neither can be read)."""
    p = Path(path)
    record = record_path(p)
    ignored = None
    if p.is_file() and record.is_dir():
        try:
            return read_record(record, p)
        except RecordInvalid as exc:
            ignored = f"{record}: {exc}"
    results = read_results_workbook(p)
    if ignored:
        results.extra["record_ignored"] = ignored
    return results
