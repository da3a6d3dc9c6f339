"""A record folder appears complete or not at all (the folder counterpart of io/atomic.py).

`stage(target)` makes an empty hidden folder beside the target, unique to the process
(`.base.record.<random>.tmp`), to write into; `publish(staged, target)` renames it into place,
moving an existing record aside first (`os.replace` cannot replace a folder that has files) and
deleting it after; `discard` removes a staged or old folder. Between the two renames there is no
record: a reader then reads the workbook, which is always correct (a record is only used when its
sha256 matches the workbook). `check_replaceable` refuses, before anything is written, to replace
a folder that is not a record (a planner's own `base.record` folder is never deleted).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from supplyopt.errors import OutputError

__all__ = ["check_replaceable", "discard", "publish", "remove_old", "stage"]

RECORD_FILES = (".parquet", ".json")  # what a record folder holds, and all it may hold


def check_replaceable(target: Path) -> None:
    """OutputError unless `target` is absent or a real folder holding only record files."""
    if not (target.exists() or target.is_symlink()):
        return
    if target.is_symlink() or not target.is_dir():
        raise OutputError(f"{target} exists and is not a results record folder: move it away, or choose another output name.")
    try:
        entries = list(target.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot look into {target}: {exc.strerror or exc}.") from exc
    strange = [e.name for e in entries if e.is_symlink() or not e.is_file() or not e.name.endswith(RECORD_FILES)]
    if strange:
        raise OutputError(
            f"{target} is not only a results record (it holds {', '.join(sorted(strange)[:3])}): it is not replaced. Move it away, or choose another output name."
        )


def stage(target: Path) -> Path:
    """An empty folder in target's folder to write the record into before it is published."""
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write in the folder {target.parent}: {exc.strerror or exc}.") from exc
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):  # mkdtemp's folder is owner-only; a record is as readable as the workbook
        os.chmod(staged, 0o777 & ~umask)
    return staged


def discard(folder: Path | None) -> None:
    """Remove a staged or old record folder (best effort: a leftover is hidden and never read)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _aside(target: Path) -> Path | None:
    """Move an existing record out of the way; None when there is none."""
    if not target.exists():
        return None
    old = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.old")
    os.rename(target, old)
    return old


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # folders cannot be opened on Windows
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(staged: Path, target: Path) -> None:
    """Rename the complete `staged` folder to `target`, replacing an existing record."""
    try:
        old = _aside(target)
    except OSError as exc:
        discard(staged)
        raise OutputError(f"could not replace the results record {target}: {exc.strerror or exc}.") from exc
    try:
        os.rename(staged, target)
    except OSError as exc:
        if old is not None:
            with contextlib.suppress(OSError):
                os.rename(old, target)
        discard(staged)
        raise OutputError(f"could not put the results record {target} in place: {exc.strerror or exc}.") from exc
    discard(old)
    _fsync_dir(target.parent)


def remove_old(target: Path) -> None:
    """Remove a record that no longer belongs to its workbook (it would not be used anyway)."""
    with contextlib.suppress(OSError):
        discard(_aside(target))
