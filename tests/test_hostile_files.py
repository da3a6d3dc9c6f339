"""Hostile and broken input files: parsed safely, refused with a clear message, in bounded memory.

Workbooks arrive by e-mail from outside; supplyopt treats every .xlsx as untrusted:

- XML is parsed by openpyxl with defusedxml (checked here, not assumed), and before any parsing
  the reader refuses a workbook whose XML parts declare a DTD or entities (Excel never writes
  one): "billion laughs" entity expansion and external entities (XXE) are refused by name, also
  when the declaration hides beyond the first 4 KB (then defusedxml's refusal is reported);
- zip bombs are refused from the zip directory before decompression (total size, compression
  ratio); a member whose directory entry lies about its size fails its CRC check after at most the
  declared bytes; memory is measured in a subprocess;
- files that are not workbooks (empty, text/CSV, images, random bytes, other zips, truncated or
  corrupted workbooks) and password-protected workbooks (OLE2 container) get a clear message;
- macro workbooks (.xlsm) are read as data only: openpyxl never loads the VBA project (keep_vba
  is off, the vbaProject.bin part is not even opened) and nothing is ever executed; formulas are
  never evaluated (the cached value is read, so a DDE payload stays inert text).

Each case is also run through `supplyopt validate` in-process: exit code 2, no traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import defusedxml.ElementTree
import openpyxl
import pytest
from typer.testing import CliRunner

import instances as I
from supplyopt.cli import app
from supplyopt.errors import InputError
from supplyopt.io.read import read_input
from supplyopt.io.template import write_template

REPO = Path(__file__).resolve().parents[1]
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LOL = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)) + "]>"
).encode()
XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# ---------------------------------------------------------------------------------------------
# Building files
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    """A valid input workbook (refine_or_export, written by the template writer)."""
    return write_template(tmp_path_factory.mktemp("hostile") / "valid.xlsx", I.refine_or_export())


def sheet_part(path: Path, title: str) -> str:
    """Zip member name of the worksheet called `title` (our own file: plain ElementTree is fine)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get(f"{{{ns['r']}}}id") for s in wb.iterfind("m:sheets/m:sheet", ns) if s.get("name") == title)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def rewrite(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def with_dtd(xml: bytes, dtd: bytes, padding: int = 0, reference: bytes | None = None) -> bytes:
    """`xml` with `dtd` in its prolog (after `padding` bytes of comment) and, optionally, the first
    text node replaced by an entity reference."""
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    body = xml[decl_end:]
    if reference is not None:
        body = re.sub(rb"<t>[^<]*</t>", b"<t>" + reference + b"</t>", body, count=1)
    comment = b"<!--" + b" " * padding + b"-->" if padding else b""
    return xml[:decl_end] + comment + dtd + body


def patch_declared_size(path: Path, member: str, size: int) -> None:
    """Make the zip directory (local header and central directory) claim `member` unpacks to
    `size` bytes, whatever its compressed stream really holds."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        offset = z.getinfo(member).header_offset
    assert data[offset : offset + 4] == b"PK\x03\x04"
    data[offset + 22 : offset + 26] = size.to_bytes(4, "little")
    for m in re.finditer(rb"PK\x01\x02", bytes(data)):
        i = m.start()
        n = int.from_bytes(data[i + 28 : i + 30], "little")
        if bytes(data[i + 46 : i + 46 + n]) == member.encode():
            data[i + 24 : i + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def bomb_member(src: Path, dst: Path, member: str, megabytes: int) -> Path:
    """`src` with `member` padded by `megabytes` MB of spaces inside its root element (deflated to
    a few hundred kB: a zip bomb)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename != member:
                zout.writestr(item, data)
                continue
            cut = data.index(b"<sheetData>")
            with zout.open(item.filename, "w", force_zip64=True) as f:
                f.write(data[:cut])
                block = b" " * (1 << 20)
                for _ in range(megabytes):
                    f.write(block)
                f.write(data[cut:])
    return dst


# ---------------------------------------------------------------------------------------------
# The parser itself
# ---------------------------------------------------------------------------------------------


def test_openpyxl_uses_defusedxml():
    """defusedxml is installed and openpyxl uses it for every XML part it reads: the worksheet and
    shared-string readers (iterparse) and, unless lxml is present (then openpyxl's lxml parser has
    resolve_entities=False), the workbook, content types, styles and relationships (fromstring)."""
    import openpyxl.packaging.manifest
    import openpyxl.reader.excel
    import openpyxl.reader.strings
    import openpyxl.reader.workbook
    import openpyxl.styles.stylesheet
    import openpyxl.worksheet._reader
    import openpyxl.xml
    import openpyxl.xml.functions as fx

    assert openpyxl.xml.DEFUSEDXML, "defusedxml missing or disabled (OPENPYXL_DEFUSEDXML=False?)"
    assert fx.iterparse is defusedxml.ElementTree.iterparse
    assert openpyxl.worksheet._reader.iterparse is defusedxml.ElementTree.iterparse
    assert openpyxl.reader.strings.iterparse is defusedxml.ElementTree.iterparse
    if not openpyxl.xml.LXML:
        for module in (fx, openpyxl.reader.excel, openpyxl.reader.workbook, openpyxl.packaging.manifest, openpyxl.styles.stylesheet):
            assert module.fromstring is defusedxml.ElementTree.fromstring, module.__name__


# ---------------------------------------------------------------------------------------------
# Hostile workbooks: one table of cases, checked in-process, by the CLI and for memory
# ---------------------------------------------------------------------------------------------


def _cases(valid: Path, d: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, fragment the single problem's message must contain)."""
    nodes = sheet_part(valid, "Nodes")
    with zipfile.ZipFile(valid) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    cases: dict[str, tuple[Path, str]] = {}

    def case(name: str, path: Path, fragment: str) -> None:
        cases[name] = (path, fragment)

    refused = "declares XML entities"
    # Entity expansion and external entities, in each kind of part openpyxl reads.
    for part in (nodes, "xl/workbook.xml", "[Content_Types].xml", "_rels/.rels", "xl/styles.xml", "xl/_rels/workbook.xml.rels"):
        tag = re.sub(r"\W+", "_", part)
        case(f"billion_laughs_{tag}", rewrite(valid, d / f"lol_{tag}.xlsx", {part: with_dtd(parts[part], LOL, reference=b"&lol9;")}), refused)
    case("xxe_sheet", rewrite(valid, d / "xxe.xlsx", {nodes: with_dtd(parts[nodes], XXE, reference=b"&xxe;")}), refused)
    # Shared strings: the template writes inline text, so add a sharedStrings part that is parsed eagerly.
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?>' + LOL + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    )
    ct = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    case("billion_laughs_shared_strings", rewrite(valid, d / "lol_sst.xlsx", {"[Content_Types].xml": ct}, {"xl/sharedStrings.xml": sst}), refused)
    # The same, hidden beyond the reader's 4 KB look-ahead: defusedxml refuses it while parsing.
    case(
        "billion_laughs_padded_sheet",
        rewrite(valid, d / "lol_pad_sheet.xlsx", {nodes: with_dtd(parts[nodes], LOL, padding=8192, reference=b"&lol9;")}),
        refused,
    )
    case(
        "billion_laughs_padded_workbook",
        rewrite(valid, d / "lol_pad_wb.xlsx", {"xl/workbook.xml": with_dtd(parts["xl/workbook.xml"], LOL, padding=8192)}),
        refused,
    )
    case("xxe_padded_sheet", rewrite(valid, d / "xxe_pad.xlsx", {nodes: with_dtd(parts[nodes], XXE, padding=8192, reference=b"&xxe;")}), refused)
    case("prolog_of_2MB", rewrite(valid, d / "lol_2mb.xlsx", {nodes: with_dtd(parts[nodes], LOL, padding=2 * 1024 * 1024)}), "hides its start")
    utf16 = b'<?xml version="1.0" encoding="UTF-16"?>' + LOL + parts["xl/workbook.xml"].split(b"?>", 1)[-1]
    case("billion_laughs_utf16", rewrite(valid, d / "lol_utf16.xlsx", {"xl/workbook.xml": utf16.decode().encode("utf-16")}), refused)
    # A worksheet part not named .xml (openpyxl follows relationships and content types, not extensions).
    dat = nodes.replace(".xml", ".dat")
    renamed = {
        "[Content_Types].xml": parts["[Content_Types].xml"].replace(b"/" + nodes.encode(), b"/" + dat.encode()),
        "xl/_rels/workbook.xml.rels": parts["xl/_rels/workbook.xml.rels"].replace(nodes.removeprefix("xl/").encode(), dat.removeprefix("xl/").encode()),
    }
    with zipfile.ZipFile(valid) as z, zipfile.ZipFile(d / "lol_dat.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = renamed.get(item.filename, z.read(item.filename))
            name = item.filename
            if name == nodes:
                name, data = dat, with_dtd(data, LOL, reference=b"&lol9;")
            elif name == nodes.replace("worksheets/", "worksheets/_rels/") + ".rels":
                name = dat.replace("worksheets/", "worksheets/_rels/") + ".rels"
            out.writestr(name, data)
    case("billion_laughs_sheet_named_dat", d / "lol_dat.xlsx", refused)
    # Zip bombs.
    case("zip_bomb_ratio", bomb_member(valid, d / "bomb.xlsx", nodes, 120), "zip bomb")
    declared = rewrite(valid, d / "declared_huge.xlsx")
    patch_declared_size(declared, "xl/styles.xml", 600 * 1024 * 1024)
    case("zip_bomb_declared_600MB", declared, "zip bomb")
    liar = bomb_member(valid, d / "liar.xlsx", nodes, 64)
    patch_declared_size(liar, nodes, 2000)  # claims 2 kB, inflates to 64 MB
    case("zip_size_lie", liar, "damaged")
    # Not workbooks.
    (d / "empty.xlsx").write_bytes(b"")
    case("empty_file", d / "empty.xlsx", "empty")
    (d / "text.xlsx").write_text("node,kind\nMINE,mine\n", encoding="utf-8")
    case("csv_named_xlsx", d / "text.xlsx", "text file")
    (d / "image.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    case("png_named_xlsx", d / "image.xlsx", "not a valid .xlsx")
    (d / "random.xlsx").write_bytes(os.urandom(4096))
    case("random_bytes", d / "random.xlsx", "not a valid .xlsx")
    with zipfile.ZipFile(d / "other.xlsx", "w") as z:
        z.writestr("readme.txt", "a zip, but not a workbook")
    case("zip_not_workbook", d / "other.xlsx", "damaged or not a real .xlsx")
    (d / "truncated.xlsx").write_bytes(valid.read_bytes()[: valid.stat().st_size // 2])
    case("truncated", d / "truncated.xlsx", "not a valid .xlsx")
    corrupt = bytearray(valid.read_bytes())
    with zipfile.ZipFile(valid) as z:
        info = z.getinfo(nodes)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    corrupt[start + 10 : start + 60] = b"\xff" * 50  # damage the Nodes sheet's deflate stream
    (d / "corrupt.xlsx").write_bytes(bytes(corrupt))
    case("corrupt_member", d / "corrupt.xlsx", "damaged")
    # Password-protected workbooks are OLE2 containers (EncryptionInfo + EncryptedPackage).
    (d / "locked.xlsx").write_bytes(OLE2 + b"\x00" * 504 + b"EncryptionInfo EncryptedPackage".ljust(3584, b"\x00"))
    case("password_protected", d / "locked.xlsx", "password-protected")
    (d / "old.xls").write_bytes(OLE2 + b"\x00" * 4088)
    case("old_xls", d / "old.xls", "old .xls format")
    return cases


@pytest.fixture(scope="module")
def hostile(valid, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    return _cases(valid, tmp_path_factory.mktemp("cases"))


def test_every_case_is_refused_clearly(hostile):
    """Each hostile or broken file gives exactly one problem, naming the file (no row, no column)
    and saying what is wrong."""
    assert len(hostile) >= 20
    for name, (path, fragment) in hostile.items():
        with pytest.raises(InputError) as info:
            read_input(path)
        problems = info.value.problems
        assert len(problems) == 1, (name, [str(p) for p in problems])
        p = problems[0]
        assert p.sheet == path.name and p.row is None and p.column is None, (name, str(p))
        assert fragment in p.message, (name, p.message)
        assert "root:" not in p.message  # no /etc/passwd content leaks into messages


def test_entity_attacks_name_the_part(hostile):
    """The refusal names the part that declares entities (or, found while parsing, the sheet)."""
    path, _ = hostile["billion_laughs_xl_workbook_xml"]
    with pytest.raises(InputError, match=r"part 'xl/workbook\.xml'"):
        read_input(path)
    path, _ = hostile["billion_laughs_padded_sheet"]
    with pytest.raises(InputError, match=r"part 'xl/worksheets/sheet\d+\.xml'"):
        read_input(path)
    path, _ = hostile["billion_laughs_sheet_named_dat"]
    with pytest.raises(InputError, match=r"part 'xl/worksheets/sheet\d+\.dat'"):
        read_input(path)


def test_defusedxml_is_the_second_layer(hostile, monkeypatch):
    """With the reader's own DTD check switched off, the parser still refuses: worksheets are
    parsed with defusedxml (entities forbidden), and the refusal is reported as such, not as a
    damaged file; no entity is ever expanded (the read stays small and fast)."""
    import supplyopt.io.read as reader

    monkeypatch.setattr(reader, "_refuse_dtd", lambda p, z: None)
    for name in ("billion_laughs_padded_sheet", "xxe_padded_sheet"):
        path, _ = hostile[name]
        with pytest.raises(InputError, match="declares XML entities") as info:
            read_input(path)
        assert "root:" not in str(info.value)


def test_cli_validate_exit_2_without_traceback(hostile):
    runner = CliRunner()
    for name, (path, fragment) in hostile.items():
        res = runner.invoke(app, ["validate", str(path)])
        assert res.exit_code == 2, (name, res.output)
        assert isinstance(res.exception, SystemExit), (name, repr(res.exception))
        assert "Traceback" not in res.output, name
        assert fragment in " ".join(res.stderr.split()), (name, res.stderr)


MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from supplyopt.errors import InputError
    from supplyopt.io.read import read_input

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    read_input(sys.argv[1])  # warm up: imports, caches, a normal read
    out = {}
    for path in sys.argv[2:]:
        before, t = peak_mb(), time.perf_counter()
        try:
            read_input(path)
            message = "read"
        except InputError as exc:
            message = str(exc.problems[0])
        out[path] = {"growth_mb": peak_mb() - before, "seconds": time.perf_counter() - t, "message": message}
    print(json.dumps(out))
    """
)


def test_memory_and_time_are_bounded(valid, hostile):
    """In a fresh process, reading every hostile file after a normal read raises the peak memory
    by less than 64 MB in all (a billion-laughs expansion would need gigabytes, the zip bombs
    unpack to 120 MB and 600 MB) and each is refused within 5 s."""
    paths = [str(p) for p, _ in hostile.values()]
    proc = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(valid), *paths], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    total_growth = sum(r["growth_mb"] for r in report.values())
    assert total_growth < 64, report
    for path, r in report.items():
        assert r["seconds"] < 5, (path, r)
        assert r["message"] != "read", path


# ---------------------------------------------------------------------------------------------
# Macros and formulas: data only, never executed
# ---------------------------------------------------------------------------------------------

VBA_CT = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
VBA_REL = b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'


def make_xlsm(valid: Path, dst: Path) -> Path:
    """`valid` as a macro-enabled workbook with an (auto-open) VBA project part."""
    with zipfile.ZipFile(valid) as z:
        ct = z.read("[Content_Types].xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    ct = re.sub(rb'(PartName="/xl/workbook.xml" ContentType=")[^"]+"', rb'\1application/vnd.ms-excel.sheet.macroEnabled.main+xml"', ct)
    ct = ct.replace(b"<Default ", VBA_CT + b"<Default ", 1)
    rels = rels.replace(b"</Relationships>", VBA_REL + b"</Relationships>")
    vba = OLE2 + b'Attribute VB_Name = "ThisWorkbook"\nSub Workbook_Open()\nShell "calc.exe"\nEnd Sub\n'.ljust(4000, b"\x00")
    return rewrite(valid, dst, {"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels}, {"xl/vbaProject.bin": vba})


def test_xlsm_is_read_as_data_and_macros_never_loaded(valid, tmp_path, monkeypatch):
    """Decision: a macro-enabled workbook (.xlsm) is accepted and read as data only. openpyxl loads
    it without keep_vba, so it never opens the VBA project part (spied on here; the reader's own
    DTD check only peeks at its first bytes, as at every part's), let alone runs it; the instance
    equals the one from the plain .xlsx."""
    xlsm = make_xlsm(valid, tmp_path / "case.xlsm")
    with zipfile.ZipFile(xlsm) as z:
        assert b"macroEnabled" in z.read("[Content_Types].xml") and "xl/vbaProject.bin" in z.namelist()
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        frame, by_dtd_check = sys._getframe(1), False
        while frame is not None and not by_dtd_check:
            by_dtd_check, frame = frame.f_code.co_name == "_refuse_dtd", frame.f_back
        if not by_dtd_check:
            opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    inst = read_input(xlsm)
    monkeypatch.undo()
    assert opened and not any("vbaProject" in n for n in opened), opened
    assert inst.content_hash() == read_input(valid).content_hash()


def test_xlsm_solves_and_results_carry_no_macros(valid, tmp_path):
    """`supplyopt solve case.xlsm` works like the .xlsx; the results workbook has no VBA part and
    a plain (not macro-enabled) content type."""
    xlsm = make_xlsm(valid, tmp_path / "case.xlsm")
    out = tmp_path / "out.xlsx"
    res = CliRunner().invoke(app, ["solve", str(xlsm), "-o", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as z:
        assert not any("vba" in n.lower() for n in z.namelist())
        assert b"macroEnabled" not in z.read("[Content_Types].xml")


def test_formulas_are_never_evaluated(valid, tmp_path):
    """A cell holding a DDE/command formula is read as its cached value only: supplyopt opens
    workbooks with data_only=True and never evaluates anything. A formula without a cached value
    reads as a blank cell (here: a required cell, so a located problem)."""
    nodes = sheet_part(valid, "Nodes")
    with zipfile.ZipFile(valid) as z:
        xml = z.read(nodes)
    # row 2 is MINE: keep its cached value, add a hostile formula to it
    dde = re.sub(
        rb'<c r="A2"([^>]*)t="inlineStr"([^>]*)><is><t>MINE</t></is></c>', rb'<c r="A2"\1t="str"\2><f>cmd|\' /C calc\'!A0</f><v>MINE</v></c>', xml, count=1
    )
    assert dde != xml, "sheet XML layout changed: update the test"
    inst = read_input(rewrite(valid, tmp_path / "dde.xlsx", {nodes: dde}))
    assert "MINE" in set(inst["Nodes"]["node"])
    blank = re.sub(rb'<c r="A2"([^>]*)t="inlineStr"([^>]*)><is><t>MINE</t></is></c>', rb'<c r="A2"\1\2><f>HYPERLINK("http://x")</f></c>', xml, count=1)
    with pytest.raises(InputError) as info:
        read_input(rewrite(valid, tmp_path / "nocache.xlsx", {nodes: blank}))
    assert any((p.sheet, p.row, p.column) == ("Nodes", 2, "node") for p in info.value.problems)


# ---------------------------------------------------------------------------------------------
# Hostile CSV folders
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"\xff\xfe\x00\x01binary\x00\x00", "UTF-8"),
        (b"node,kind\n" + b"x" * (200 * 1024) + b",mine\n", "not a readable CSV"),
        (b'node,kind\n"unterminated,mine\n' + b"a" * (200 * 1024), "not a readable CSV"),
    ],
    ids=["binary", "huge_field", "unterminated_quote"],
)
def test_hostile_csv(tmp_path, content, fragment):
    from supplyopt.io.template import write_instance_csv

    folder = tmp_path / "case"
    write_instance_csv(folder, I.refine_or_export())
    (folder / "Nodes.csv").write_bytes(content)
    with pytest.raises(InputError) as info:
        read_input(folder)
    assert any(fragment in p.message for p in info.value.problems), [str(p) for p in info.value.problems]
    res = CliRunner().invoke(app, ["validate", str(folder)])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_valid_workbook_still_reads(valid):
    """The guards do not refuse a normal workbook (written by openpyxl, inline strings, comments,
    data validations)."""
    assert len(read_input(valid)["Nodes"]) == 3
    assert openpyxl.load_workbook(valid, read_only=True).sheetnames[0] == "README"
