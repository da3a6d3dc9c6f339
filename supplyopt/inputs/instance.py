"""Instance: the validated, typed input tables, and the cross-table checks that make it so.

An `Instance` is immutable: scenarios build new instances (`Instance.replace`), never edit
one in place. `build_instance` runs every check and raises one `InputError` listing all
problems, each with sheet, spreadsheet row and column.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from supplyopt.errors import InputError, Problem, suggest
from supplyopt.inputs.coerce import ROW_COLUMN, CellError, RawTable, coerce_cell, coerce_table, to_frame
from supplyopt.inputs.economics_checks import check_economics
from supplyopt.inputs.numeric_range import check_numeric_range
from supplyopt.inputs.scenario_check import check_scenarios
from supplyopt.schema import SETTINGS, SETTINGS_BY_NAME, TABLES, TABLES_BY_NAME, Column

YIELD_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Instance:
    """Validated input: one DataFrame per schema table (with a `_row` column) plus settings."""

    tables: Mapping[str, pd.DataFrame]
    settings: Mapping[str, Any]
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def replace(self, tables: Mapping[str, pd.DataFrame] | None = None, settings: Mapping[str, Any] | None = None, **meta: Any) -> Instance:
        """A new instance with some tables or settings replaced (the original is untouched)."""
        new_tables = dict(self.tables)
        new_tables.update({k: v.copy() for k, v in (tables or {}).items()})
        new_settings = dict(self.settings)
        new_settings.update(settings or {})
        new_meta = dict(self.metadata)
        new_meta.update(meta)
        return Instance(MappingProxyType(new_tables), MappingProxyType(new_settings), self.source, MappingProxyType(new_meta))

    @property
    def periods(self) -> list[str]:
        return list(self["Periods"]["period"])

    def content_hash(self) -> str:
        """SHA-256 of the tables' contents (not of the file), for results provenance."""
        h = hashlib.sha256()
        for name in sorted(self.tables):
            df = self.tables[name].drop(columns=[ROW_COLUMN], errors="ignore")
            h.update(name.encode())
            h.update(df.to_csv(index=False, lineterminator="\n").encode())
        h.update(repr(sorted((k, str(v)) for k, v in self.settings.items())).encode())
        return h.hexdigest()


def build_instance(raw_tables: Mapping[str, RawTable], source: str = "") -> Instance:
    """Coerce raw tables per the schema and run every cross-table check.

    Raises InputError listing every problem found (cells, references, keys, network).
    """
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    problems += _missing_sheets(raw_tables)
    for table in TABLES:
        raw = raw_tables.get(table.name)
        if raw is None:
            frames[table.name] = to_frame([], table)
            continue
        df, cell_problems = coerce_table(raw, table)
        problems += cell_problems
        frames[table.name] = df
    settings, setting_problems = parse_settings(frames["Settings"])
    problems += setting_problems
    missing = {t.name for t in TABLES if t.name not in raw_tables}
    # a missing sheet is reported once: not again as "no rows" by the table checks
    problems += [p for p in check_tables(frames) if not (p.sheet in missing and p.row is None)]
    problems += _empty_required(frames, missing | {p.cause_of for p in problems if p.cause_of})
    problems += check_scenarios(frames)
    problems += check_numeric_range(frames)  # numbers too far apart for HiGHS (inputs/numeric_range.py)
    if not problems:
        # Network checks need clean references; importing here keeps network.py optional for io.
        from supplyopt.inputs.network import check_network

        inst = _make(frames, settings, source)
        problems += check_network(inst)
        if not problems:
            return inst
    raise InputError(problems)


def _missing_sheets(raw_tables: Mapping[str, RawTable]) -> list[Problem]:
    """A missing required sheet is an error; so is a misnamed optional one ('Refinery' for
    Refineries), since its rows would otherwise be silently ignored. Each other sheet is
    matched to at most one missing table, the closest."""
    missing = [t for t in TABLES if t.name not in raw_tables]
    claimed: dict[str, str] = {}  # table name -> the planner's sheet that looks like it
    for sheet in (name for name in raw_tables if name not in TABLES_BY_NAME):
        scored = [(difflib.SequenceMatcher(None, _sheet_key(sheet), _sheet_key(t.name)).ratio(), t.name) for t in missing]
        scored = [(r, name) for r, name in scored if r >= (0.6 if TABLES_BY_NAME[name].required else 0.85)]
        if scored:
            claimed.setdefault(max(scored)[1], sheet)
    problems = []
    for t in missing:
        sheet = claimed.get(t.name)
        if t.required:
            hint = f": is sheet '{sheet}' meant to be it? Rename it to '{t.name}'" if sheet else ""
            problems.append(Problem(t.name, None, None, "required sheet is missing" + hint, cause_of=t.name))
        elif sheet:
            problems.append(
                Problem(sheet, None, None, f"sheet name not recognised, so it would be ignored: did you mean '{t.name}'? Rename the sheet", cause_of=t.name)
            )
    return problems


def _empty_required(frames: Mapping[str, pd.DataFrame], skip: set[str]) -> list[Problem]:
    """Every required table that is present but has no rows (a blank template lists them all);
    `skip`: tables already reported missing or unreadable."""
    return [
        Problem(t.name, None, None, "required table has no rows: fill in at least one row", cause_of=t.name)
        for t in TABLES
        if t.required and t.name not in skip and t.name != "Periods" and not len(frames[t.name])
    ]


def _sheet_key(name: str) -> str:
    """Sheet name for look-alike matching: no case, spaces or _, and singular ('Refinery' = Refineries)."""
    key = "".join(str(name).lower().split()).replace("_", "")
    if key.endswith("ies"):
        return key[:-3] + "y"
    return key[:-1] if key.endswith("s") else key


def _make(frames: dict[str, pd.DataFrame], settings: dict[str, Any], source: str) -> Instance:
    return Instance(MappingProxyType(dict(frames)), MappingProxyType(settings), source)


def parse_settings(df: pd.DataFrame) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    for rec in df.to_dict("records"):
        setting = SETTINGS_BY_NAME.get(rec["name"])
        if setting is None or rec["value"] is None:
            continue
        col = Column(setting.name, setting.type, setting.doc, min=setting.min, max=setting.max, enum=setting.enum)
        try:
            values[setting.name] = coerce_cell(rec["value"], col)
        except CellError as exc:
            problems.append(Problem("Settings", rec[ROW_COLUMN], "value", f"setting '{setting.name}': {exc}"))
    if values.get("objective") == "cost" and (values.get("cvar_weight") or 0) > 0:
        row = next((r[ROW_COLUMN] for r in df.to_dict("records") if r["name"] == "cvar_weight"), None)
        problems.append(Problem("Settings", row, "value", "cvar_weight > 0 needs objective = npv (CVaR is taken of NPV)"))
    return values, problems


def check_tables(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Keys, references, node roles, bounds across columns, recipes and period order."""
    problems: list[Problem] = []
    problems += _check_keys(frames)
    problems += _check_references(frames)
    problems += _check_roles(frames)
    problems += _check_min_max(frames)
    problems += _check_periods(frames["Periods"])
    problems += _check_recipes(frames)
    problems += _check_elements(frames)
    problems += _check_mode_costs(frames)
    problems += _check_disruptions(frames)
    problems += _check_refineries(frames["Refineries"])
    problems += check_economics(frames)
    return problems


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    """df.to_dict("records") (native Python values, None kept), without pandas' slow per-row path."""
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]


def _check_keys(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in TABLES:
        seen: dict[tuple, int] = {}
        for rec in _rows(frames[table.name]):
            key = tuple(rec[k] for k in table.key)
            if any(k is None for k, c in zip(key, table.key) if table.column(c).required):
                continue
            if key in seen:
                shown = ", ".join(f"{c}={'(blank)' if v is None else v}" for c, v in zip(table.key, key))
                problems.append(Problem(table.name, rec[ROW_COLUMN], table.key[0], f"duplicate row ({shown}); first given in row {seen[key]}"))
            else:
                seen[key] = rec[ROW_COLUMN]
    return problems


def _check_references(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in TABLES:
        for col in table.columns:
            if not col.ref:
                continue
            target = frames[col.ref[0]]
            valid = set(target[col.ref[1]].dropna())
            for rec in _rows(frames[table.name]):
                v = rec[col.name]
                if v is not None and v not in valid:
                    problems.append(Problem(table.name, rec[ROW_COLUMN], col.name, f"'{v}' is not in {col.ref[0]}.{col.ref[1]}{suggest(v, valid)}"))
    return problems


_ROLES = {
    ("Mines", "mine"): ("mine",),
    ("Refineries", "site"): ("refinery",),
    ("Ports", "port"): ("port",),
    ("Markets", "node"): ("port", "market"),
}


def _check_roles(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    kinds: dict[str, str] = {}
    for node, kind in zip(frames["Nodes"]["node"], frames["Nodes"]["kind"]):
        kinds.setdefault(node, kind)  # a duplicated node is reported once, as a duplicate; its first row counts
    problems = []
    for (table, column), allowed in _ROLES.items():
        for rec in _rows(frames[table]):
            kind = kinds.get(rec[column])
            if kind is not None and kind not in allowed:
                problems.append(Problem(table, rec[ROW_COLUMN], column, f"node '{rec[column]}' is a {kind}; it must be a {' or '.join(allowed)} node"))
    for rec in _rows(frames["Corridors"]):
        if rec["from_node"] is not None and rec["from_node"] == rec["to_node"]:
            problems.append(Problem("Corridors", rec[ROW_COLUMN], "to_node", "a corridor must join two different nodes"))
    return problems


def _check_min_max(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in ("Mines", "Markets"):
        for rec in _rows(frames[table]):
            lo, hi = rec["min_t_per_yr"], rec["max_t_per_yr"]
            if not math.isnan(lo) and not math.isnan(hi) and lo > hi:
                problems.append(Problem(table, rec[ROW_COLUMN], "min_t_per_yr", f"minimum {lo:,.0f} is above maximum {hi:,.0f}"))
    return problems


def _check_periods(periods: pd.DataFrame) -> list[Problem]:
    problems = []
    recs = _rows(periods)
    if not recs:
        problems.append(Problem("Periods", None, None, "at least one period is needed", cause_of="Periods"))
    for prev, cur in zip(recs, recs[1:]):
        if None in (prev["start_year"], cur["start_year"], prev["length_years"]):
            continue
        if cur["start_year"] < prev["start_year"] + prev["length_years"]:
            problems.append(
                Problem(
                    "Periods",
                    cur[ROW_COLUMN],
                    "start_year",
                    f"periods must be in time order without overlap: starts {cur['start_year']}, "
                    f"but the previous period runs to {prev['start_year'] + prev['length_years'] - 1}",
                )
            )
    return problems


def _check_recipes(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    outputs = frames["RecipeOutputs"]
    totals: dict[str, float] = defaultdict(float)
    first_row: dict[str, int] = {}
    for rec in _rows(outputs):
        if rec["recipe"] is not None:
            first_row.setdefault(rec["recipe"], rec[ROW_COLUMN])  # has outputs, even if a yield cell is bad
            if not math.isnan(rec["yield"]):
                totals[rec["recipe"]] += rec["yield"]
    for recipe, total in totals.items():
        if total > 1 + YIELD_TOLERANCE:
            problems.append(
                Problem("RecipeOutputs", first_row[recipe], "yield", f"yields of recipe '{recipe}' add up to {total:g} > 1: mass would be made from nothing")
            )
    recipes = frames["Recipes"]
    for rec in _rows(recipes):
        if rec["recipe"] is not None and rec["recipe"] not in first_row:
            problems.append(Problem("Recipes", rec[ROW_COLUMN], "recipe", f"recipe '{rec['recipe']}' has no rows in RecipeOutputs"))
        for out in _rows(outputs[outputs["recipe"] == rec["recipe"]]):
            if out["output_commodity"] == rec["input_commodity"]:
                problems.append(Problem("RecipeOutputs", out[ROW_COLUMN], "output_commodity", "a recipe's output cannot be its own input"))
    return problems


_ELEMENT_SOURCES = {"corridor": ("Corridors", "corridor"), "port": ("Ports", "port"), "refinery": ("Refineries", "site"), "mine": ("Mines", "mine")}


def _check_elements(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    for table in ("Upgrades", "CapacityFactors", "DisruptionFactors"):
        for rec in _rows(frames[table]):
            etype, element = rec["element_type"], rec["element"]
            if etype is None or element is None:
                continue
            src_table, src_col = _ELEMENT_SOURCES[etype]
            valid = set(frames[src_table][src_col].dropna())
            if element not in valid:
                problems.append(Problem(table, rec[ROW_COLUMN], "element", f"{etype} '{element}' is not in {src_table}{suggest(element, valid)}"))
    return problems


def _check_disruptions(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    df = frames["Disruptions"]
    total = float(df["probability"].fillna(0).sum())
    if total > 1 + 1e-9:
        return [Problem("Disruptions", int(df[ROW_COLUMN].iloc[-1]), "probability", f"probabilities add up to {total:g} > 1")]
    return []


def _check_mode_costs(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    modes = set(frames["Modes"]["mode"].dropna())
    problems = []
    for rec in _rows(frames["Corridors"]):
        if rec["mode"] is None:
            continue
        for col in ("cost_usd_per_tkm",):
            if math.isnan(rec[col]) and rec["mode"] not in modes:
                problems.append(
                    Problem("Corridors", rec[ROW_COLUMN], col, f"blank, and the Modes sheet has no row for mode '{rec['mode']}' to take a default from")
                )
    return problems


def _check_refineries(df: pd.DataFrame) -> list[Problem]:
    problems = []
    for rec in _rows(df):
        if rec["existing_modules"] is not None and rec["max_modules"] is not None and rec["existing_modules"] > rec["max_modules"]:
            problems.append(
                Problem(
                    "Refineries", rec[ROW_COLUMN], "existing_modules", f"{rec['existing_modules']} existing modules exceed max_modules {rec['max_modules']}"
                )
            )
    return problems


def table_row_lookup(inst: Instance, table: str, **key: Any) -> int | None:
    """Spreadsheet row of the first record matching `key` (for messages), or None."""
    df = inst[table]
    mask = pd.Series(True, index=df.index)
    for col, val in key.items():
        mask &= df[col] == val
    rows = df.loc[mask, ROW_COLUMN]
    return int(rows.iloc[0]) if len(rows) else None


__all__ = ["Instance", "build_instance", "check_tables", "TABLES_BY_NAME", "table_row_lookup"]
