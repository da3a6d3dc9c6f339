"""Terminal progress for a solve: stage lines with timings and a live HiGHS status line."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

# A HiGHS MIP progress row ends with: BestBound BestSol Gap ... Time
_MIP_ROW = re.compile(r"^\s*\S?\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+(\S+)\s+(\S+)\s+(\S+)\s+.*?(\d+\.\d+)s\s*$")


class SolveProgress:
    """Context manager: `stage(text)` starts a spinner, `done(text, secs)` prints a ✓ line,
    and HiGHS log lines update the spinner with bound, incumbent and gap."""

    def __init__(self, console: Console, show_log: bool = False, log: Callable[[str], None] | None = None):
        self.console = console
        self.show_log = show_log
        self._log = log  # also given every stage line and ✓ line as plain text (a log file)
        self._status = None
        self._t0 = time.perf_counter()
        self._stage_start = self._t0

    def __enter__(self) -> SolveProgress:
        if not self.show_log:
            self._status = self.console.status("Starting")
            self._status.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._status is not None:
            self._status.__exit__(*exc)

    def stage(self, text: str) -> None:
        self._stage_start = time.perf_counter()
        if self._log:
            self._log(f"… {text}")
        if self._status is not None:
            self._status.update(escape(text) + " …")
        else:
            self.console.print(f"… {escape(text)}")

    def done(self, text: str, seconds: float | None = None) -> None:
        secs = time.perf_counter() - self._stage_start if seconds is None else seconds
        if self._log:
            self._log(f"✓ {text} ({secs:.1f} s)")
        # Markup of the console's own only: stage text holds input names such as 'Settings[escorts]'.
        self.console.print(f"[green]✓[/] {escape(text)} [dim]({secs:.1f} s)[/]")
        self._stage_start = time.perf_counter()

    def _on_log_line(self, line: str) -> None:
        if self.show_log:
            self.console.print(line, markup=False, highlight=False)
            return
        m = _MIP_ROW.match(line)
        if m and self._status is not None:
            bound, best, gap, secs = m.groups()
            self._status.update(f"HiGHS branch and bound: best plan {best}, bound {bound}, gap {gap} ({secs} s)")

    def log_sink(self) -> LineLog:
        return LineLog(self._on_log_line)


class LineLog(io.TextIOBase):
    """File-like sink that hands each complete HiGHS log line to a callback (for progress)."""

    def __init__(self, callback):
        self._buf = ""
        self._cb = callback

    def write(self, s: str) -> int:
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            self._cb(line)
        return len(s)

    def flush(self) -> None:
        pass
