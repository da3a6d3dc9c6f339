"""Atomic file writing: a file appears complete or not at all, and the input is never written.

`atomic_write(path, write_fn, overwrite=..., protect=...)` lets `write_fn` write a temporary file
in the target's folder, flushes it to disk, then renames it over the target in one step
(`os.replace`). A crash, a full disk or Ctrl-C while writing leaves the old file untouched and
no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from supplyopt.errors import OutputError

__all__ = ["atomic_write"]


def _resolved(p: Path) -> Path:
    try:
        return p.expanduser().resolve(strict=False)
    except (OSError, RuntimeError):  # unreadable parent, symlink loop
        return p.absolute()


def _same_file(a: Path, b: Path) -> bool:
    """True when a and b name the same file (same path after resolving, or same inode)."""
    if _resolved(a) == _resolved(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # either does not exist (yet)
        return False


def _new_file_mode() -> int:
    """Permissions a plain `open(path, 'w')` would give (mkstemp's are owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def atomic_write(path: str | os.PathLike, write_fn: Callable[[Path], object], *, overwrite: bool, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write `path` atomically through `write_fn(tmp_path)` and return `path`.

    Refuses (OutputError) when `path` is one of `protect` (the input), or exists and `overwrite`
    is False. Creates the parent folder when missing. On any failure, including
    KeyboardInterrupt, the temporary file is removed and an existing target keeps its bytes.
    OSErrors while writing or renaming become OutputError; other exceptions propagate.
    """
    target = Path(path)
    for p in protect:
        if p is not None and _same_file(target, Path(p)):
            raise OutputError(f"refusing to overwrite the input workbook {p}: choose another output file than {target}.")
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name for the output, e.g. {target / 'results.xlsx'}.")
    exists = target.exists() or target.is_symlink()
    if exists and not overwrite:
        raise OutputError(f"{target} exists: use --force to overwrite it, or choose another output file.")

    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {folder} for {target.name}: {_why(exc)}.") from exc
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: {folder} is not a folder.")

    try:
        mode = stat.S_IMODE(target.stat().st_mode) if exists else _new_file_mode()
    except OSError:
        mode = _new_file_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in the folder {folder}: {_why(exc)}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            write_fn(tmp)
            _fsync_file(tmp)
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode)
        except OSError as exc:
            raise OutputError(f"could not write {target}: {_why(exc)}.") from exc
        try:
            os.replace(tmp, target)
        except OSError as exc:
            hint = " Is it open in Excel? Close it and run again." if isinstance(exc, PermissionError) else ""
            raise OutputError(f"could not replace {target}: {_why(exc)}.{hint}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)
    return target
