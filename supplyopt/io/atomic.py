"""Atomic file writing: a file appears complete or not at all, and the input is never written.

`atomic_write(path, write_fn, overwrite=..., protect=...)` lets `write_fn` write a temporary file
in the target's folder, flushes it to disk, then renames it over the target in one step
(`os.replace`). `write_bytes_atomic(path, data, ...)` does the same for bytes already in memory
(the map PNG). A crash, a full disk or Ctrl-C while writing leaves the old file untouched and
no temporary file behind. The temporary name is unique to the writer (mkstemp), so two runs
writing the same target both succeed and the last rename wins.

`check_target(path, overwrite=..., protect=...)` refuses, before any work is done, a target that
could not be written: the input itself, a folder, a FIFO or device, an existing file without
overwrite, a name longer than the file system allows, or a folder path running through a file.
Every refusal and every OSError is an OutputError (exit 6) naming the path.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from supplyopt.errors import OutputError

__all__ = ["atomic_write", "check_target", "write_bytes_atomic"]

NAME_MAX_FALLBACK = 255  # bytes: ext4, XFS, APFS, NTFS (in UTF-16 units)
_TMP_EXTRA = len(".tmp.") + 8 + 1  # ".<name>.<8 random chars>.tmp<suffix>" beyond the name and suffix


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


def _name_max(folder: Path) -> int:
    """The longest file name (bytes) the nearest existing ancestor's file system allows."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return int(os.pathconf(probe, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf
        return NAME_MAX_FALLBACK


def _tmp_prefix(target: Path, name_max: int) -> str:
    """mkstemp prefix '.<name>.', shortened so that the temporary name fits the file system."""
    room = name_max - len(os.fsencode(target.suffix)) - _TMP_EXTRA
    name = target.name
    while len(os.fsencode(name)) > room and name:
        name = name[:-1]
    return f".{name}."


def _check_folder(folder: Path, target: Path) -> None:
    """Every existing part of the folder path must be a folder (a file in the way is refused)."""
    try:
        for part in [folder, *folder.parents]:
            if part.exists() or part.is_symlink():
                if not part.is_dir():
                    raise OutputError(f"cannot write {target}: {part} is a file, not a folder. Choose another output folder.")
                return
    except OSError as exc:  # e.g. a folder name longer than the file system allows
        raise OutputError(f"cannot write {target}: {_why(exc)}.") from exc


def check_target(path: str | os.PathLike, *, overwrite: bool, protect: Iterable[str | os.PathLike | None] = (), what: str = "the input workbook") -> Path:
    """Refuse (OutputError) a target that cannot or must not be written; return it as a Path.

    Refused: one of `protect` (the input); a folder; an existing FIFO, device or socket; an
    existing file when `overwrite` is False; a name longer than the file system's limit
    (PC_NAME_MAX, 255 bytes where unknown); a folder path with a file in it. A missing folder is
    fine (atomic_write creates it). The one check of every output path: the CLI calls it for every
    output before it solves, and every writer calls it again before it writes."""
    target = Path(path)
    for p in protect:
        if p is not None and _same_file(target, Path(p)):
            raise OutputError(f"refusing to overwrite {what} {p}: choose another output file than {target}.")
    limit = _name_max(target.parent)
    size = len(os.fsencode(target.name))
    if size > limit:
        raise OutputError(f"the file name {target.name[:40]}... is {size} bytes long; this folder allows at most {limit}: choose a shorter name.")
    try:
        is_dir = target.is_dir()
    except OSError as exc:  # a path the system cannot even look up
        raise OutputError(f"cannot write {target}: {_why(exc)}.") from exc
    if is_dir:
        raise OutputError(f"{target} is a folder: give a file name for the output, e.g. {target / ('results' + (target.suffix or '.xlsx'))}.")
    _check_folder(target.parent, target)
    try:
        st = target.lstat()
    except FileNotFoundError:
        st = None
    except OSError as exc:  # e.g. a component that is a file: NotADirectoryError
        raise OutputError(f"cannot write {target}: {_why(exc)}.") from exc
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise OutputError(f"{target} is not a regular file (a pipe, device or socket): choose another output file.")
    if st is not None and not overwrite:
        raise OutputError(f"{target} exists: use --force to overwrite it, or choose another output file.")
    return target


def write_bytes_atomic(path: str | os.PathLike, data: bytes, *, overwrite: bool, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write `data` to `path` atomically (see atomic_write) and return `path`."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data), overwrite=overwrite, protect=protect)


def atomic_write(path: str | os.PathLike, write_fn: Callable[[Path], object], *, overwrite: bool, protect: Iterable[str | os.PathLike] = ()) -> Path:
    """Write `path` atomically through `write_fn(tmp_path)` and return `path`.

    Refuses (OutputError) what check_target refuses. Creates the parent folder when missing.
    On any failure, including KeyboardInterrupt, the temporary file is removed and an existing
    target keeps its bytes. OSErrors while writing or renaming become OutputError; other
    exceptions propagate.
    """
    target = check_target(path, overwrite=overwrite, protect=protect)
    exists = target.exists() or target.is_symlink()
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
        fd, tmp_name = tempfile.mkstemp(prefix=_tmp_prefix(target, _name_max(folder)), suffix=f".tmp{target.suffix}", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {target} (no new file can be made in {folder}): {_why(exc)}.") from exc
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
