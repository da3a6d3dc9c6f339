"""Check an output path before the work that fills it (a solve can take hours): refuse now what
`supplyopt.io.atomic.atomic_write` would refuse after it, with the same OutputError (exit 6)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from supplyopt.errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name one file (through symlinks and hard links as far as can be told)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_output(path: str | os.PathLike, *, overwrite: bool, protect: Iterable[str | os.PathLike | None] = (), what: str = "the input") -> Path:
    """`path`, if it may be written: not one of `protect` (the inputs), not a folder, not existing
    unless `overwrite`, and its nearest existing parent a folder. Raises OutputError otherwise."""
    target = Path(path)
    for p in protect:
        if p is not None and same_file(target, Path(p)):
            raise OutputError(f"refusing to overwrite {what} {p}: choose another output file than {target}.")
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name for the output, e.g. {target / 'results.xlsx'}.")
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise OutputError(f"{target} exists: use --force to overwrite it, or choose another output file.")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot write {target}: {parent} is not a folder.")
    return target
