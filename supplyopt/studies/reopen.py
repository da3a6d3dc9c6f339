"""Reopen a solved plan for a study of it (stress, explain): read the plan back, find and re-read
the input it was solved from, apply the plan's scenario (and Monte-Carlo sample), and check that
the input is still the one the plan was made from.

The check compares the plan's `instance_sha256` (the hash of the instance solved, scenario
applied) with the re-built instance's. On a mismatch `ReopenedPlan.changes` names what changed,
as far as the plan can tell: the input tables whose per-table hashes differ
(`input_tables_sha256`), and the rows and cells of the network and the markets that differ
between the plan's own Nodes, Corridors and Sales tables and the re-built instance.
"""

from __future__ import annotations

import math
import numbers
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from supplyopt.errors import InputError, Problem
from supplyopt.inputs.instance import Instance
from supplyopt.results import Results
from supplyopt.studies.pipeline import parse_digests, table_digests

MAX_CHANGES = 8  # cell differences listed; the rest are counted


def read_plan_results(path: str | os.PathLike) -> Results:
    """The plan's Results, read back from what `supplyopt solve` wrote (the one place a study
    reads a plan)."""
    from supplyopt.io.plan import read_plan

    return read_plan(path)


@dataclass
class ReopenedPlan:
    path: Path  # what the plan was read from
    results: Results
    input: Path
    instance: Instance  # the current input with the plan's scenario (and sample) applied
    scenario: str
    changes: list[str] = field(default_factory=list)  # empty: the input is the plan's

    @property
    def input_changed(self) -> bool:
        return bool(self.changes)

    def warning(self, consequence: str) -> str:
        """'<input> has changed since <plan> was made: <changes>. <consequence>' ('' if unchanged)."""
        if not self.changes:
            return ""
        return (
            f"{self.input} has changed since {self.path} was made (its contents no longer hash to the plan's): " + "; ".join(self.changes) + f". {consequence}"
        )


def reopen_plan(path: str | os.PathLike, input: str | os.PathLike | None = None) -> ReopenedPlan:
    """The plan at `path`, re-joined with its input (`input`, default the Summary's `input` row).

    Raises InputError (exit 2) when no input is recorded or given, when it is missing or is not
    a regular file or folder (a FIFO or device would block the read), when it no longer reads,
    or when the plan's scenario no longer applies to it."""
    path = Path(path)
    results = read_plan_results(path)
    summary = results.summary
    source = Path(input) if input is not None else (Path(str(summary["input"])) if summary.get("input") else None)
    if source is None:
        raise InputError([Problem(str(path), None, "input", "the Summary records no input: give it with --input")])
    _require_readable(source, path, given=input is not None)
    from supplyopt.io.read import read_input

    inst = read_input(source)
    scenario = str(summary.get("scenario") or "base")
    inst, scenario = _apply_plan_scenario(inst, summary, scenario)
    recorded = summary.get("instance_sha256")
    changes = describe_changes(results, inst) if recorded and recorded != inst.content_hash() else []
    return ReopenedPlan(path, results, source, inst, scenario, changes)


def _require_readable(source: Path, plan: Path, given: bool) -> None:
    where = "--input" if given else f"the input recorded in {plan}"
    try:
        mode = os.stat(source).st_mode
    except OSError:
        raise InputError([Problem(str(source), None, None, f"{where} was not found" + ("" if given else ": give it with --input"))]) from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(
            [Problem(str(source), None, None, f"{where} is not a regular file or folder (a pipe or device?): give the input workbook with --input")]
        )


def _apply_plan_scenario(inst: Instance, summary: dict[str, Any], scenario: str) -> tuple[Instance, str]:
    """The plan's scenario (and Monte-Carlo sample, label 'NAME#k') applied to `inst`."""
    from supplyopt.inputs.scenarios import apply_scenario, sample_instance

    sample = summary.get("sample")
    has_sample = sample not in (None, "") and not (isinstance(sample, float) and math.isnan(sample))
    name = scenario.rsplit("#", 1)[0] if has_sample and "#" in scenario else scenario
    if name != "base" or summary.get("scenario_overrides"):
        inst = apply_scenario(inst, name)
    if has_sample:
        inst, _draws = sample_instance(inst, int(sample), int(summary.get("sample_seed") or 0))
    return inst, scenario


# ---------------------------------------------------------------------------------------------
# What changed
# ---------------------------------------------------------------------------------------------


def describe_changes(plan: Results, inst: Instance) -> list[str]:
    """What differs between the input `plan` was made from and `inst`, as far as the plan tells:
    tables whose hashes differ, then network and market rows and cells (at most MAX_CHANGES)."""
    out: list[str] = []
    old = parse_digests(plan.summary.get("input_tables_sha256"))
    if old:
        new = table_digests(inst)
        changed = [t for t in sorted(set(old) | set(new)) if old.get(t) != new.get(t)]
        if changed:
            out.append("tables that differ: " + ", ".join(f"{t}{'' if t in old else ' (new rows)'}{'' if t in new else ' (now empty)'}" for t in changed))
    cells = _cell_changes(plan, inst)
    out += cells[:MAX_CHANGES]
    if len(cells) > MAX_CHANGES:
        out.append(f"and {len(cells) - MAX_CHANGES} more rows or cells")
    if not out:
        out.append("the difference is not in the network or market rows the plan records (the plan's hashes differ from the input's)")
    return out


def _cell_changes(plan: Results, inst: Instance) -> list[str]:
    from supplyopt.model.corridors import corridor_table
    from supplyopt.model.data import BASE_SCENARIO, prepare
    from supplyopt.model.flows import node_table

    d = prepare(inst)
    markets = pd.DataFrame(
        [
            {"node": n, "commodity": c, "period": p, "price_usd_per_t": r["price"], "min_t_per_yr": r["min"], "max_t_per_yr": r["max"]}
            for (n, c, p), r in d.markets.items()
        ],
        columns=["node", "commodity", "period", "price_usd_per_t", "min_t_per_yr", "max_t_per_yr"],
    )
    sales = plan.tables.get("Sales")
    if sales is not None and "scenario" in sales and len(sales):
        sales = sales[sales["scenario"] == (BASE_SCENARIO if (sales["scenario"] == BASE_SCENARIO).any() else sales["scenario"].iloc[0])]
    out: list[str] = []
    out += _diff("Nodes", plan.tables.get("Nodes"), node_table(None, d, None), ["node"])
    out += _diff("Corridors", plan.tables.get("Corridors"), corridor_table(None, d, None), ["corridor"])
    out += _diff("Markets", sales, markets, ["node", "commodity", "period"])
    return out


def _diff(sheet: str, old: pd.DataFrame | None, new: pd.DataFrame, keys: list[str]) -> list[str]:
    """'Sheet KEY column: old → new' for every cell of `new`'s columns that differs, and rows
    added or removed (keys compared as text)."""
    if old is None or not set(keys) <= set(old.columns):
        return []
    cols = [c for c in new.columns if c not in keys and c in old.columns]
    before = {_key(r, keys): r for r in old.to_dict("records")}
    after = {_key(r, keys): r for r in new.to_dict("records")}
    out = [f"{sheet} {k}: row removed" for k in before if k not in after]
    out += [f"{sheet} {k}: row added" for k in after if k not in before]
    for k, rec in after.items():
        if k in before:
            out += [f"{sheet} {k} {c}: {_show(before[k].get(c))} → {_show(rec.get(c))}" for c in cols if not _same(before[k].get(c), rec.get(c))]
    return out


def _key(rec: dict[str, Any], keys: list[str]) -> str:
    return " | ".join(str(rec[k]) for k in keys)


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def _same(a: Any, b: Any) -> bool:
    if _blank(a) or _blank(b):
        return _blank(a) and _blank(b)
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def _show(v: Any) -> str:
    if _blank(v):
        return "blank"
    return f"{v:,.6g}" if isinstance(v, float) else str(v)
