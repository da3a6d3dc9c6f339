"""Read an input workbook (.xlsx) or a folder of CSV files into an Instance.

Both formats go through the same schema coercion and checks (`build_instance`).
Workbooks are opened read-only with cached values (formulas are never evaluated);
openpyxl parses the XML with defusedxml when it is installed, which it is here.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import openpyxl

from supplyopt.errors import InputError, Problem
from supplyopt.inputs.coerce import RawTable
from supplyopt.inputs.instance import Instance, build_instance
from supplyopt.schema import TABLES_BY_NAME

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # refuse zip bombs before parsing
MAX_COMPRESSION_RATIO = 200
MAX_PROLOG_BYTES = 1024 * 1024  # an XML part's prolog (declaration, comments) longer than this is refused
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def read_input(path: str | Path) -> Instance:
    """Instance from an .xlsx workbook or a folder of <Table>.csv files; InputError otherwise."""
    return build_instance(read_raw_tables(path), source=str(path))


def read_raw_tables(path: str | Path) -> dict[str, RawTable]:
    """RawTables keyed by table name; sheets/files that are not tables appear under their own
    name with no rows (so a misspelt sheet name can be pointed out)."""
    p = Path(path)
    if not p.exists():
        raise InputError([Problem(str(p), None, None, "file or folder not found")])
    try:
        refuse_special_file(p)
        if p.is_dir():
            return read_csv_folder(p)
        if p.suffix.lower() in EXCEL_SUFFIXES:
            return read_workbook(p)
    except OSError as exc:  # permission denied, file locked by Excel, disk errors
        raise InputError([Problem(p.name, None, None, f"cannot read it: {exc.strerror or exc} (is it open in another program?)")]) from None
    if p.suffix.lower() == ".xls":
        raise InputError([Problem(p.name, None, None, "old .xls format is not supported: save the workbook as .xlsx")])
    raise InputError([Problem(p.name, None, None, "not an input: give an .xlsx workbook or a folder of CSV files")])


def refuse_special_file(p: Path) -> None:
    """InputError for a path that is neither a regular file nor a folder (a FIFO, socket or device):
    reading one would block for ever or read a device, so it is refused before it is opened."""
    mode = os.stat(p).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError([Problem(p.name, None, None, "not a regular file (a pipe, socket or device): give an .xlsx workbook or a folder of CSV files")])


def check_workbook_file(p: Path) -> None:
    """The checks every workbook gets before it is parsed, inputs and results alike: a regular file,
    a real zip, no zip bomb, no XML entity declarations. InputError otherwise."""
    refuse_special_file(p)
    _check_zip(p)


def _canonical_sheet(name: str) -> str | None:
    key = name.strip().lower().replace(" ", "")
    for table in TABLES_BY_NAME:
        if table.lower() == key:
            return table
    return None


def _check_zip(p: Path) -> None:
    try:
        _check_zip_size(p)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:  # damaged, encrypted parts
        raise InputError([Problem(p.name, None, None, f"cannot open workbook: it is damaged or not a valid .xlsx file ({exc})")]) from None


def _check_zip_size(p: Path) -> None:
    if not zipfile.is_zipfile(p):
        raise InputError([Problem(p.name, None, None, f"cannot open workbook: {_not_zip_hint(p)}")])
    with zipfile.ZipFile(p) as z:
        total = sum(i.file_size for i in z.infolist())
        packed = sum(i.compress_size for i in z.infolist()) or 1
        if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO and total > 50 * 1024 * 1024:
            raise InputError([Problem(p.name, None, None, f"refused: the workbook unpacks to {total / 1e6:,.0f} MB (a zip bomb or far too large)")])
        _refuse_dtd(p, z)


def _refuse_dtd(p: Path, z: zipfile.ZipFile) -> None:
    """Excel never writes a DTD; one in a workbook part can only serve entity expansion
    ('billion laughs') or external entities. Refused here with a clear message, before any XML is
    parsed and whichever parser openpyxl uses (defusedxml refuses entities as 'invalid XML'; lxml,
    when installed, leaves them unexpanded). Every part is looked at, whatever its name (openpyxl
    follows the relationships, not file extensions); only its prolog is read."""
    for info in z.infolist():
        if info.is_dir():
            continue
        with z.open(info) as f:
            verdict = _prolog_verdict(f)
        if verdict:
            raise InputError([Problem(p.name, None, None, _DTD_MESSAGE.format(part=info.filename, what=verdict))])


def _prolog_verdict(f) -> str | None:
    """None when the XML part's root element follows a plain prolog (declaration, comments,
    processing instructions, whitespace); else what is wrong with the prolog."""
    buf, pos, eof = b"", 0, False
    while True:
        while True:  # step over complete prolog items
            while pos < len(buf) and buf[pos] in b" \t\r\n":
                pos += 1
            if pos >= len(buf) or (len(buf) - pos < 4 and not eof):
                break  # need more bytes to tell
            if buf.startswith(b"<!--", pos):
                end, step = buf.find(b"-->", pos + 4), 3
            elif buf.startswith(b"<?", pos):
                end, step = buf.find(b"?>", pos + 2), 2
            elif buf.startswith(b"<!", pos):
                return "declares XML entities (<!DOCTYPE>/<!ENTITY>)"
            else:
                return None  # the root element (or not XML at all: the parser says so)
            if end < 0:
                break
            pos = end + step
        if eof:
            return None
        if len(buf) > MAX_PROLOG_BYTES:
            return f"hides its start behind more than {MAX_PROLOG_BYTES // (1024 * 1024)} MB of comments"
        chunk = f.read(4096 if not buf else 64 * 1024)
        eof = not chunk
        chunk = chunk.replace(b"\0", b"")  # UTF-16 parts: drop the zero bytes
        if not buf:
            for bom in _BOMS:
                chunk = chunk.removeprefix(bom)
        buf += chunk


_DTD_MESSAGE = (
    "refused: part '{part}' of the workbook {what}, which Excel never writes; "
    "the file may be crafted to exhaust memory or read other files. Re-save it from Excel, or rebuild it from the template"
)


def _not_zip_hint(p: Path) -> str:
    with open(p, "rb") as f:
        head = f.read(512)
    if not head:
        return "the file is empty (0 bytes)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: encrypted .xlsx, or old .xls renamed
        return "it may be password-protected (encrypted workbooks cannot be read: save a copy without a password) or an old .xls workbook renamed (save it as .xlsx)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not a valid .xlsx file"
    return "it is a text file (CSV?) named .xlsx, not an Excel workbook: open it in Excel and save as .xlsx, or give a folder of CSV files"


def _defused(exc: BaseException | None) -> BaseException | None:
    """The defusedxml refusal (entities, DTD, external reference) behind an openpyxl error, if any."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, DefusedXmlException):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


# A cell holding a formula: <c r="B7" ...><f>A7*2</f><v>14</v></c>. Without a <v> (or with an empty
# one, as openpyxl writes) it has no saved value, which is read as blank: for a capacity, unlimited.
_FORMULA_CELL = re.compile(rb"<c\b([^>]*)(?<!/)>((?:(?!</c>).)*?<f\b(?:(?!</c>).)*?)</c>", re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_SAVED_VALUE = re.compile(rb"<v>[^<]+</v>")


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its XML part name, from workbook.xml and its relationships."""
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}  # unusual layout: openpyxl's own parse reports what is wrong
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return parts


def formulas_without_values(p: Path) -> dict[str, list[tuple[int, str]]]:
    """Per sheet title, the (row, column letter) of every formula cell saved without a value."""
    found: dict[str, list[tuple[int, str]]] = {}
    with zipfile.ZipFile(p) as z:
        for title, part in _sheet_parts(z).items():
            try:
                xml = z.read(part)
            except KeyError:
                continue
            if b"<f" not in xml:
                continue  # the usual case: no formulas at all
            for cell in _FORMULA_CELL.finditer(xml):
                if _SAVED_VALUE.search(cell.group(2)):
                    continue
                ref = _CELL_REF.search(cell.group(1))
                if ref:
                    found.setdefault(title, []).append((int(ref.group(2)), ref.group(1).decode()))
    return found


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _unsaved_formula_problems(p: Path, tables: dict[str, RawTable], titles: dict[str, str]) -> list[Problem]:
    """A problem at every cell of a table column that holds a formula with no saved value."""
    problems = []
    for title, cells in formulas_without_values(p).items():
        table = titles.get(title)
        if table is None or table not in tables:
            continue  # README, Sources and notes sheets are not read
        header = {_column_letter(i): name for i, name in enumerate(tables[table].header)}
        for row, letter in cells:
            column = header.get(letter)
            if row == 1 or not column:
                continue  # header row or an unnamed column: not read either
            problems.append(
                Problem(
                    table,
                    row,
                    column,
                    "holds a formula with no saved value (the program that wrote the file did not calculate it), "
                    "so it would be read as blank; open and save the workbook in Excel or LibreOffice, or type the value",
                )
            )
    return problems


def read_workbook(p: Path) -> dict[str, RawTable]:
    check_workbook_file(p)
    try:
        # keep_vba=False: macros are never loaded, let alone run.
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for corrupt files
        if _defused(exc):
            raise InputError([Problem(p.name, None, None, _DTD_MESSAGE.format(part="(found while parsing)", what="declares XML entities"))]) from None
        raise InputError(
            [Problem(p.name, None, None, f"cannot open workbook: it is damaged or not a real .xlsx file; re-save it from Excel ({type(exc).__name__}: {exc})")]
        ) from None
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    titles: dict[str, str] = {}  # sheet title → table it was read as
    title = ""
    try:
        for ws in wb.worksheets:
            title = ws.title
            table = _canonical_sheet(ws.title)
            if table is None:
                # README, Sources and notes sheets are the planner's own: kept by name only,
                # unread, so that a misspelt table sheet ('Corridor') can be pointed out.
                tables.setdefault(ws.title, RawTable(ws.title, [], [], []))
                continue
            if table in tables:
                problems.append(Problem(ws.title, None, None, f"a second sheet for table {table}"))
                continue
            if hasattr(ws, "reset_dimensions"):  # chartsheets have none
                # The stored size (<dimension>) can be wrong in files from other tools; never trust it.
                ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            first = next(rows, None)
            header = [("" if v is None else str(v)) for v in first] if first is not None else []
            body, numbers = [], []
            for number, r in enumerate(rows, start=2):
                if any(v is not None for v in r):  # empty (e.g. formatted) rows: not kept, so memory follows the data
                    body.append(list(r))
                    numbers.append(number)
            tables[table] = RawTable(table, header, body, numbers)
            titles[ws.title] = table
    except Exception as exc:  # sheets are parsed lazily: a damaged sheet fails here, not in load_workbook
        if _defused(exc):
            raise InputError([Problem(p.name, None, None, _DTD_MESSAGE.format(part=f"sheet {title}", what="declares XML entities"))]) from None
        raise InputError(
            [Problem(p.name, None, None, f"cannot read sheet '{title}': the workbook is damaged; re-save it from Excel ({type(exc).__name__}: {exc})")]
        ) from None
    finally:
        wb.close()
    problems += _unsaved_formula_problems(p, tables, titles)
    if problems:
        raise InputError(problems)
    return tables


def read_csv_folder(p: Path) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for f in sorted(p.iterdir()):
        if f.suffix.lower() != ".csv" or not f.is_file():
            continue
        table = _canonical_sheet(f.stem)
        if table is None:
            tables.setdefault(f.stem, RawTable(f.stem, [], [], []))  # not a table: kept by name only
            continue
        try:
            with open(f, newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.reader(fh))
        except UnicodeDecodeError:
            raise InputError([Problem(f.name, None, None, "not UTF-8 text: save the CSV as UTF-8")]) from None
        except csv.Error as exc:  # e.g. a field beyond csv's size limit: a binary file saved as .csv
            raise InputError([Problem(f.name, None, None, f"not a readable CSV file ({exc})")]) from None
        header = rows[0] if rows else []
        if table in tables:
            raise InputError([Problem(f.name, None, None, f"a second file for table {table}")])
        tables[table] = RawTable(table, header, rows[1:], list(range(2, 1 + len(rows))))
    if not any(name in TABLES_BY_NAME for name in tables):
        names = ", ".join(f"{t}.csv" for t, table in TABLES_BY_NAME.items() if table.required)
        raise InputError([Problem(p.name, None, None, f"no table files found in this folder (expected CSV files named after the tables: {names}, ...)")])
    return tables
