"""Where a command's messages go: the terminal (or not, with -q), stderr instead of stdout (with
--json, so stdout holds the JSON alone), and a log file written beside the outputs.

Every console of the CLI writes through a `Tee`: it passes the text to the real stream (looked
up at each write, so test runners that swap sys.stdout still see it) and keeps a plain-text copy
(ANSI codes and progress-bar redraws left out) for the log. `session` holds the state of the
command being run; `command(fn)` wraps a command so that it takes -q/--quiet and -v/--verbose,
starts a fresh session, and writes the log when a command set one (`session.log_to(path)`).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import io
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

__all__ = ["Tee", "command", "emit_json", "session"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")


@dataclass
class Session:
    """The output settings and log of the command being run."""

    quiet: bool = False
    verbose: bool = False
    json: bool = False
    log_path: Path | None = None
    wrote: bool = False  # an output was written: only then is the log (a refused or interrupted run leaves nothing)
    protect: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def log_to(self, path: Path, protect=()) -> None:
        """Write this command's log to `path` when it ends (beside its outputs)."""
        self.log_path = Path(path)
        self.protect = [Path(p) for p in protect if p is not None]

    def written(self) -> None:
        """The command wrote (some of) its outputs: its log goes beside them."""
        self.wrote = True

    def note(self, text: str) -> None:
        """A line for the log only (not the terminal)."""
        self.lines.append(text if text.endswith("\n") else text + "\n")

    def log_text(self, argv: list[str]) -> str:
        head = f"supplyopt {' '.join(argv)}\nstarted {self.started:%Y-%m-%d %H:%M:%S} UTC\n\n"
        return head + _ANSI.sub("", "".join(self.lines))


session = Session()


class Tee(io.TextIOBase):
    """A console's file: the text goes to `stream` (stdout or stderr, looked up at each write)
    unless the session silences it, and always into the log."""

    def __init__(self, stream: str, file=None):
        self._name = stream
        self._file = file

    def _target(self):
        if self._file is not None:
            return None if session.quiet or session.json else self._file
        if self._name == "stdout":
            if session.quiet:
                return None
            return sys.stderr if session.json else sys.stdout
        return sys.stderr

    def write(self, s: str) -> int:
        session.lines.append(s)
        target = self._target()
        if target is not None:
            target.write(s)
        return len(s)

    def flush(self) -> None:
        target = self._target()
        if target is not None:
            target.flush()

    def isatty(self) -> bool:
        target = self._file if self._file is not None else (sys.stdout if self._name == "stdout" else sys.stderr)
        try:
            return target.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def encoding(self) -> str:
        return "utf-8"


def emit_json(data: Any) -> None:
    """`data` as JSON on stdout, alone (the messages went to stderr); kept in the log too."""
    text = json.dumps(_clean(data), indent=2, default=_plain, ensure_ascii=False, allow_nan=False)
    session.note(text)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _clean(v: Any) -> Any:
    """NaN and ±inf as null (JSON has neither); containers walked."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    if isinstance(v, (Path, dt.date, dt.datetime)):
        return str(v)
    return str(v)


def _write_log() -> None:
    """The command's log, through the guarded atomic writer; a log that cannot be written is
    a warning, never the command's failure (its outputs are already written)."""
    from supplyopt.errors import OutputError
    from supplyopt.io.atomic import atomic_write

    path = session.log_path
    if path is None or not session.wrote:
        return
    text = session.log_text(sys.argv[1:])
    try:
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), overwrite=True, protect=session.protect)
    except OutputError as exc:
        sys.stderr.write(f"Warning: no log written: {exc}\n")


_QUIET = inspect.Parameter("quiet", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool)
_VERBOSE = inspect.Parameter("verbose", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool)


def command(fn):
    """`fn` as a command that also takes -q/--quiet and -v/--verbose; each run starts a fresh
    session and ends by writing the log the command asked for."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, quiet: bool = False, verbose: bool = False, **kwargs):
        session.__init__(quiet=quiet, verbose=verbose and not quiet)
        try:
            return fn(*args, **kwargs)
        finally:
            _write_log()
            from supplyopt.studies.runner import shutdown

            shutdown()

    params = list(sig.parameters.values())
    params += [
        _QUIET.replace(default=typer.Option(False, "-q", "--quiet", help="Print nothing but errors and warnings (the log file keeps everything).")),
        _VERBOSE.replace(default=typer.Option(False, "-v", "--verbose", help="Print more: every stage of every solve.")),
    ]
    wrapper.__signature__ = sig.replace(parameters=params)
    return wrapper
