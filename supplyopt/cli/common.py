"""What every command shares: the consoles, turning errors into messages and exit codes, the
checked --gap / --time-limit options, output checks before any solve, number formatting."""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import typer
from rich.console import Console

from supplyopt.cli.output import Tee, session
from supplyopt.errors import InputError, SupplyoptError

console = Console(file=Tee("stdout"))
err = Console(file=Tee("stderr"), stderr=True)

INTERRUPTED = "interrupted (Ctrl-C)"  # SolveReport.termination after Ctrl-C (supplyopt.solve.highs)


FOLLOW_SHOWN = 3  # knock-on problems shown under a root cause in the terminal


def fail(exc: SupplyoptError) -> None:
    """Print a planner-readable error and exit with its code (no traceback)."""
    if isinstance(exc, InputError):
        err.print(f"[bold red]Input problems[/] ({len(exc.problems)}):")
        # Root causes first; what follows from each is folded under it (a few shown, then a count).
        for line in exc.lines(follow_limit=FOLLOW_SHOWN):
            err.print(line, markup=False, highlight=False, soft_wrap=True)
    else:
        err.print(f"[bold red]{type(exc).__name__.replace('Error', ' error')}:[/] ", end="")
        err.print(str(exc), markup=False, highlight=False)
        diagnosis = getattr(exc, "diagnosis", None)
        if diagnosis:
            err.print(str(diagnosis), markup=False, highlight=False)
    raise typer.Exit(exc.exit_code)


def guard(fn):
    """Run fn, turning supplyopt errors into messages + exit codes and Ctrl-C into exit 130."""
    try:
        return fn()
    except SupplyoptError as exc:
        fail(exc)
    except KeyboardInterrupt:
        err.print("[yellow]Interrupted.[/]")
        raise typer.Exit(130) from None


def notice(text: str) -> None:
    """A note for the planner (a map not drawn, a file kept): stderr, silenced by -q, always logged."""
    if session.quiet:
        session.note(text)
    else:
        err.print(text, markup=False, highlight=False)


def warn(text: str) -> None:
    err.print(f"[bold yellow]Warning:[/] {text}", highlight=False)


# ---------------------------------------------------------------------------------------------
# Checked options: a bad value is a usage error (exit 2) before anything is read or solved
# ---------------------------------------------------------------------------------------------


def _check_gap(value: float) -> float:
    if value is None or not math.isfinite(value) or value < 0:
        raise typer.BadParameter(f"{value} is not a gap: give a number ≥ 0, e.g. 0.01 for 1 %.")
    return value


def _check_time_limit(value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise typer.BadParameter(f"{value} is not a time limit: give a positive number of seconds (leave it out for no limit).")
    return value


def gap_option(help: str = "Relative MIP gap of each solve (0.01 = 1 %)."):
    return typer.Option(1e-4, "--gap", help=help + " A number ≥ 0.", callback=_check_gap)


def time_limit_option(help: str):
    return typer.Option(None, "--time-limit", help=help + " Positive seconds.", callback=_check_time_limit)


def scheduler_option():
    return typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster when the batch is worth it)."
    )


def workers_option():
    return typer.Option(
        None, "--workers", min=1, help="Processes that solve cases, this one included (default: one per core); the local cluster gets the rest."
    )


def serial_option():
    return typer.Option(False, "--serial", help="Run the cases in this process, one after another (no Dask).")


# ---------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------


def check_outputs(outs: Iterable[Path], force: bool, protect: Iterable[Path | str | None] = ()) -> None:
    """Refuse now (exit 6), before any solve, an output that exists without --force, is a folder,
    sits below a file, or would overwrite one of `protect` (the inputs)."""
    from supplyopt.io.atomic import check_target

    protect = list(protect)
    for out in outs:
        check_target(out, overwrite=force, protect=protect)
        if out.suffix.lower() == ".xlsx":
            # The map beside a plan (kept or replaced, so any existing one is fine); its name is one
            # byte longer than the record folder's (<stem>_map.png vs <stem>.record), so it checks both.
            check_target(out.with_name(out.stem + "_map.png"), overwrite=True, protect=protect)


def stem_of(input: Path) -> str:
    return input.stem if input.is_file() else input.name


FILE_PART_BYTES = 120  # a scenario's part of a file name: leaves room for the stem, suffixes and temp names


def file_part(name: str, limit: int = FILE_PART_BYTES) -> str:
    """`name` made safe for a file name: control characters dropped, anything but letters,
    digits, '.', '-' and '_' turned into '_', and a name longer than `limit` UTF-8 bytes cut
    (never inside a character) and given the first 8 hex digits of the full name's SHA-256, so
    two long names that share their start still give two files."""
    import hashlib
    import unicodedata

    clean = "".join(ch for ch in str(name) if unicodedata.category(ch)[0] != "C")
    part = re.sub(r"[^\w.-]+", "_", clean).strip("_.") or "scenario"
    if len(part.encode()) <= limit:
        return part
    digest = hashlib.sha256(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    cut = part.encode()[: limit - len(digest) - 1].decode("utf-8", "ignore").rstrip("_.")
    return f"{cut}_{digest}"


def money(v) -> str:
    return "—" if v is None or v != v else f"{v:,.0f}"


@contextlib.contextmanager
def progress_console():
    """Console for the progress lines and HiGHS's log. While HiGHS runs, Pyomo points file
    descriptors 1 and 2 at a pipe and tees the log to us, so printing to sys.stdout then fed the
    pipe ('I/O operation on closed file', --log showed nothing): print to a copy of stdout
    (of stderr with --json, so that stdout holds the JSON alone; nothing with -q). Its lines
    reach the log through SolveProgress's `log` hook, not through this console (spinners)."""
    stream = sys.stderr if session.json else sys.stdout
    try:
        fd = os.dup(stream.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file (CliRunner, notebooks): Pyomo leaves it alone
        yield Console(file=stream, quiet=session.quiet)
        return
    with open(fd, "w", encoding=getattr(stream, "encoding", None) or "utf-8", errors="replace") as f:
        yield Console(file=f, quiet=session.quiet)
