"""One progress bar for every batch command (solve --scenario, frontier, stress, sweep,
breakeven): what it is doing, k of N, elapsed and time left, and the last case's outcome.

    with batch_progress("Stress", total) as bar:
        ...
        bar.advance(f"{case}: {status}", ok=status == "optimal")

Each finished case is also printed as one line above the bar (with -v, or when it did not end
well) and always written to the log. The bar draws on a copy of stdout (stderr with --json,
nothing with -q: cli.common.progress_console), so HiGHS's captured output never swallows it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from supplyopt.cli.common import progress_console
from supplyopt.cli.output import session

__all__ = ["BatchBar", "batch_progress"]


class BatchBar:
    """The handle of a running bar: `advance(text, ok)` after each case, `set(completed)`."""

    def __init__(self, bar: Progress, job, title: str, total: int):
        self._bar, self._job, self.title, self.total = bar, job, title, total
        self.completed = 0

    def advance(self, text: str, ok: bool = True, steps: int = 1) -> None:
        self.completed += steps
        mark = "✓" if ok else "✗"
        session.note(f"{mark} [{self.completed}/{self.total}] {text}")
        if session.verbose or not ok:
            style = "green" if ok else "yellow"
            self._bar.console.print(f"[{style}]{mark}[/] {escape(text)}", highlight=False)
        self._bar.update(self._job, completed=self.completed, last=escape(text if len(text) <= 60 else text[:59] + "…"))

    def grow(self, total: int) -> None:
        """A new estimate of the total (breakeven's bisection adds solves as it finds flips)."""
        self.total = total
        self._bar.update(self._job, total=total)

    def set(self, completed: int, text: str = "") -> None:
        self.completed = completed
        self._bar.update(self._job, completed=completed, last=escape(text))


@contextlib.contextmanager
def batch_progress(title: str, total: int) -> Iterator[BatchBar]:
    """A rich progress bar for `total` cases titled `title` (see the module docstring)."""
    session.note(f"{title}: {total} case(s)")
    with progress_console() as pcon:
        with Progress(
            TextColumn(f"[bold]{escape(title)}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"),
            console=pcon,
            transient=False,
            disable=session.quiet,
        ) as bar:
            yield BatchBar(bar, bar.add_task(title, total=total, last=""), title, total)
