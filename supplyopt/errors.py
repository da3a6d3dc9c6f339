"""Errors a planner can see, and the exit codes the CLI maps them to."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    # A root cause: the table this problem leaves unread (a missing or misnamed sheet, a header row
    # that is not in row 1). Problems that mention that table follow from it and are folded under it.
    cause_of: str | None = field(default=None, compare=False)

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
        problems = [Problem("input", None, None, problems)] if isinstance(problems, str) else list(problems)
        unique = {p: p for p in problems}  # equal problems once; a root-cause mark wins
        unique.update({p: p for p in problems if p.cause_of})
        self.groups: list[tuple[Problem, list[Problem]]] = _grouped(sorted(unique.values(), key=_problem_order))
        # Root causes first, each followed by what follows from it; then the rest in sheet order.
        self.problems: list[Problem] = [p for root, follows in self.groups for p in (root, *follows)]
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(self.lines()))

    def lines(self, follow_limit: int | None = None) -> list[str]:
        """The problems as text lines, root causes first with what follows from each indented under
        it (at most `follow_limit` of those shown, with a count of the rest)."""
        return _lines(self.groups, follow_limit)


def _problem_order(p: Problem) -> tuple:
    return (p.sheet, p.row if p.row is not None else -1, p.column or "", p.message)


def _grouped(problems: list[Problem]) -> list[tuple[Problem, list[Problem]]]:
    """(root cause, the problems that follow from it) first, then (problem, []) for the rest.

    A problem follows from a root cause when it sits on the unread table's sheet, or names that
    table in its message ("'GWADAR' is not in Ports"), once the table cannot be read."""
    roots = [p for p in problems if p.cause_of]
    first_root: dict[str, Problem] = {}
    for r in roots:
        first_root.setdefault(r.cause_of, r)
    follows: dict[Problem, list[Problem]] = {r: [] for r in roots}
    rest = []
    for p in problems:
        if p.cause_of:
            continue
        owner = next((r for t, r in first_root.items() if p.sheet == t or re.search(rf"\b{re.escape(t)}\b", p.message)), None)
        (follows[owner] if owner else rest).append(p)
    return [(r, follows[r]) for r in roots] + [(p, []) for p in rest]


def _lines(groups: list[tuple[Problem, list[Problem]]], follow_limit: int | None = None) -> list[str]:
    lines = []
    for root, follows in groups:
        lines.append(f"  - {root}")
        if follows:
            n = len(follows)
            lines.append(f"      {n} problem{'s' if n != 1 else ''} follow from it:")
            shown = follows if follow_limit is None else follows[:follow_limit]
            lines += [f"      · {p}" for p in shown]
            if len(shown) < n:
                lines.append(f"      · ... and {n - len(shown)} more of the same cause")
    return lines


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
