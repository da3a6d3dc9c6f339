"""Errors a planner can see, and the exit codes the CLI maps them to."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Exit codes (documented in the README).
EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER = 4
EXIT_NOT_OPTIMAL = 5  # time/gap limit or interruption: a plan was written but not proven optimal
EXIT_OUTPUT = 6


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as the planner sees it in Excel."""

    sheet: str
    row: int | None  # spreadsheet row number (header is row 1), None for sheet-level problems
    column: str | None
    message: str

    def __str__(self) -> str:
        where = printable(self.sheet)
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column '{printable(self.column)}'"
        return f"{where}: {printable(self.message)}"


# C0 and C1 control characters other than newline: an ESC from a cell would otherwise reach the
# planner's terminal as a live escape sequence (colours, cursor moves, a changed window title).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """`text` with control characters shown as escapes (\\x1b), safe to print to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


class SupplyoptError(Exception):
    """Base class of every error supplyopt reports to a planner."""

    exit_code = 1


class InputError(SupplyoptError):
    """The input has one or more problems; all are listed."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("input", None, None, problems)]
        self.problems: list[Problem] = sorted(set(problems), key=_problem_order)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


def _problem_order(p: Problem) -> tuple:
    return (p.sheet, p.row if p.row is not None else -1, p.column or "", p.message)


class InfeasibleError(SupplyoptError):
    """The model has no feasible plan; `diagnosis` explains why in planner terms when known."""

    exit_code = EXIT_INFEASIBLE

    def __init__(self, message: str, diagnosis: object | None = None):
        super().__init__(message)
        self.diagnosis = diagnosis


class SolverError(SupplyoptError):
    """HiGHS failed, or returned a status that gives no usable plan."""

    exit_code = EXIT_SOLVER


class OutputError(SupplyoptError):
    """An output could not be written (exists without --force, would overwrite the input, ...)."""

    exit_code = EXIT_OUTPUT


def suggest(value: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' when a close match exists, else ''."""
    choices = [str(c) for c in choices]
    lower = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(str(value).lower(), list(lower), n=1, cutoff=0.6)
    return f" (did you mean '{lower[match[0]]}'?)" if match else ""
