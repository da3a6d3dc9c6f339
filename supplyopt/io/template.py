"""Input workbooks from the schema: the blank template, and instances saved as workbooks or CSV.

`write_template(path)` writes the workbook a planner fills in: a README sheet, then one sheet per
schema table (in `schema.TABLES` order) with the exact column names, a note on every header
(`Column.header_note`), frozen headers, number formats and dropdowns (enum choices, and for
reference columns the key column of the referenced sheet, so a corridor's from_node is picked
from the Nodes sheet). With `records` the rows are written under the headers; the workbook
then reads back (`supplyopt.io.read.read_input`) into the same Instance as
`supplyopt.io.memory.instance_from_records(records)`.

Cell conventions (chosen so that reading back gives the same values):
- None / NaN are left blank; +inf is left blank where blank means unlimited (the column's
  default is unlimited), elsewhere written as the text "inf" so the reader still reports it.
- Text is always stored as text, never as a formula or an error value, even when it starts
  with '=', '+', '-', '@' or looks like "#N/A".
- yes/no columns are written as "yes" / "no".
- A float that Excel's 16-digit number format would not give back exactly (machine-made data
  such as 0.1 + 0.2) is written as its exact decimal text; the reader parses it back exactly.

Every write is atomic (temporary file in the target folder, then `os.replace`) and refuses to
replace an existing file unless `overwrite=True`.
"""

from __future__ import annotations

import csv
import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from supplyopt.errors import OutputError, suggest
from supplyopt.io.template_cells import csv_text, plain_value
from supplyopt.io.template_readme import write_readme
from supplyopt.io.template_sheets import (
    LISTS_SHEET,
    MONEY_TONNAGE_FORMAT,
    README_SHEET,
    TEXT_FORMAT,
    VALIDATION_ROWS,
    ChoiceLists,
    default_settings_rows,
    lookup_value,
    sheet_layout,
    write_plain_sheet,
    write_table_sheet,
)
from supplyopt.schema import TABLES, TABLES_BY_NAME

Records = Mapping[str, Sequence[Mapping[str, Any]]]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_template(
    path: str | Path,
    records: Records | None = None,
    extra_sheets: Records | None = None,
    overwrite: bool = False,
) -> Path:
    """Write an input workbook and return its path.

    records=None gives the blank template (headers only; the Settings sheet lists every setting
    with its default). With records ({table: [{column: value}, ...]}) the rows are written under
    the headers. `extra_sheets` ({sheet: [row dicts]}, e.g. "Sources") follow the tables as plain
    tables; the reader ignores them. Raises OutputError if the file exists and overwrite is False,
    or if it cannot be written.
    """
    target = _check_target(Path(path), ".xlsx", overwrite)
    _check_table_names(records)
    extra = dict(extra_sheets or {})
    _check_extra_sheet_names(extra)

    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = README_SHEET
    write_readme(readme)
    lists = ChoiceLists(wb)
    row_counts = {t.name: len((records or {}).get(t.name, ())) for t in TABLES}
    for table in TABLES:
        ws = wb.create_sheet(table.name)
        if records is None:
            rows = default_settings_rows() if table.name == "Settings" else []
        else:
            rows = list(records.get(table.name, ()))
        write_table_sheet(ws, table, rows, row_counts, lists)
    for name, rows in extra.items():
        write_plain_sheet(wb.create_sheet(name), list(rows))
    lists.finish()
    _atomic_save(target, lambda tmp: wb.save(tmp))
    return target


def write_instance_csv(folder: str | Path, records: Records | None = None, overwrite: bool = False) -> list[Path]:
    """Write one UTF-8 <Table>.csv (header row first) per schema table into `folder`.

    The folder is created if needed; tables without records get a header-only file, and with
    records=None the Settings file lists every setting with its default. Refuses (OutputError)
    to replace any existing <Table>.csv unless overwrite=True; each file is written atomically.
    Files carry a UTF-8 byte-order mark so that Excel shows non-ASCII names correctly.
    Note that CSV has no way to mark text as literal: a spreadsheet opening the file may treat
    text starting with '=' as a formula (the supplyopt reader never does).
    """
    if isinstance(folder, Mapping):
        raise TypeError("write_instance_csv(folder, records): the first argument is the folder (arguments swapped?)")
    out = Path(folder)
    _check_table_names(records)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder: give a folder for the CSV tables")
    targets = [out / f"{t.name}.csv" for t in TABLES]
    existing = [p.name for p in targets if p.exists()]
    if existing and not overwrite:
        raise OutputError(f"{out} already has {', '.join(existing)}; choose another folder or allow overwriting (--force)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {out}: {exc.strerror or exc}") from None
    for table, target in zip(TABLES, targets):
        if records is None:
            rows = default_settings_rows() if table.name == "Settings" else []
        else:
            rows = list(records.get(table.name, ()))
        header, cols, keys = sheet_layout(table, rows)
        lines = [header] + [[csv_text(lookup_value(rec, keys[i]), cols[i]) for i in range(len(header))] for rec in rows]

        def save(tmp: str, lines: list[list[str]] = lines) -> None:
            with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
                csv.writer(fh).writerows(lines)

        _atomic_save(target, save, suffix=".csv", check_exists=not overwrite)
    return targets


def records_from_instance(inst: Any) -> dict[str, list[dict[str, Any]]]:
    """{table: [row dicts]} of an Instance's tables (without `_row`), e.g. to save it as a workbook.

    `write_template(path, records_from_instance(inst))` then reads back into the same tables
    (rows renumbered from spreadsheet row 2).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        df = inst.tables.get(table.name)
        if df is None:
            continue
        cols = [c for c in table.column_names if c in df.columns]
        out[table.name] = [{c: plain_value(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]
    return out


# ---------------------------------------------------------------------------------------------
# Checks and atomic writes
# ---------------------------------------------------------------------------------------------


def _check_target(path: Path, suffix: str, overwrite: bool) -> Path:
    if path.suffix.lower() != suffix:
        raise OutputError(f"{path}: the file name must end in {suffix}")
    if path.is_dir():
        raise OutputError(f"{path} is a folder, not a file name")
    if path.exists() and not overwrite:
        raise OutputError(f"{path} already exists; choose another name or allow overwriting (--force)")
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {path.parent} does not exist")
    return path


def _check_table_names(records: Records | None) -> None:
    unknown = [name for name in (records or {}) if name not in TABLES_BY_NAME]
    if unknown:
        hints = "".join(suggest(name, TABLES_BY_NAME) for name in unknown)
        raise OutputError(f"not input tables: {', '.join(map(str, unknown))}{hints}; pass other sheets as extra_sheets")


def _sheet_key(name: str) -> str:
    return name.strip().lower().replace(" ", "")


def _check_extra_sheet_names(extra: Mapping[str, Any]) -> None:
    reserved = {_sheet_key(t.name) for t in TABLES} | {_sheet_key(README_SHEET), _sheet_key(LISTS_SHEET)}
    seen: set[str] = set()
    for name in extra:
        key = _sheet_key(str(name))
        if key in reserved:
            raise OutputError(f"extra sheet '{name}' clashes with a sheet supplyopt writes (README, Lists or an input table)")
        if key in seen:
            raise OutputError(f"extra sheet '{name}' is given twice")
        seen.add(key)
        if not name or len(name) > 31 or any(ch in name for ch in "[]:*?/\\") or name.startswith("'") or name.endswith("'"):
            raise OutputError(f"extra sheet name '{name}' is not allowed by Excel (1-31 characters, none of [ ] : * ? / \\)")


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, else 0666 less the user's umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _atomic_save(target: Path, save: Any, suffix: str = ".xlsx", check_exists: bool = False) -> None:
    """save(tmp_path) into a temporary file next to target, then move it into place."""
    if check_exists and target.exists():
        raise OutputError(f"{target} already exists; choose another name or allow overwriting (--force)")
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}-", suffix=suffix, delete=False) as tmp:
            tmp_name = tmp.name
        save(tmp_name)
        # NamedTemporaryFile makes the file owner-only (0600): give it the mode a plain open()
        # would, under the user's umask (or the replaced file's), so colleagues can open it.
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
        tmp_name = None
    except PermissionError as exc:
        raise OutputError(f"cannot write {target}: permission denied ({exc.strerror}); if the file is open in Excel, close it and try again") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


__all__ = [
    "write_template",
    "write_instance_csv",
    "records_from_instance",
    "README_SHEET",
    "LISTS_SHEET",
    "VALIDATION_ROWS",
    "MONEY_TONNAGE_FORMAT",
    "TEXT_FORMAT",
]
