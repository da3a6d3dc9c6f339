"""Table rows as sheet XML: the data rows of an ordinary table are not given to openpyxl (a Cell
object and an XML element per value cost more than extracting the results); they are formatted
column by column and spliced into the sheet openpyxl saved, the same cells openpyxl would write
(numbers as '%.16g', text as inline strings, the quote prefix as a style), ~10x cheaper per cell.

`BODY_CHUNK_ROWS` is read when used (tests lower it through `supplyopt.io.results_workbook`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from supplyopt.io.workbook.cells import needs_guard, plain

BODY_CHUNK_ROWS = 20_000  # table rows turned into XML at a time
# zlib level of the table sheets: level 1 deflates a big sheet ~3x faster than the default 6 for a
# file ~20 % larger (a million-row Flows sheet: ~0.4 GB of XML).
BODY_COMPRESSLEVEL = 1
# ---------------------------------------------------------------- table bodies as XML


@dataclass
class Body:
    """A table's data rows (row 2 on) to splice into its sheet's XML after openpyxl has saved the
    workbook; openpyxl wrote the header row, widths, filter, frozen pane and the styles."""

    ws: Any
    df: pd.DataFrame
    styles: list[str]  # per column, the number format's style attribute (' s="3"') or ''
    quote: str  # style attribute of text carrying the quote prefix


SIMPLE_TYPES = (str, float, int, bool, type(None), type(pd.NA), np.floating, np.integer, np.bool_, np.str_)


def splicable(df: pd.DataFrame) -> bool:
    """True when every value is a number, bool, text or blank (what `body_cells` writes); dates,
    Decimals and other objects keep openpyxl's own conversion."""
    for j in range(df.shape[1]):
        col = df.iloc[:, j]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf":
            continue
        if not all(issubclass(t, SIMPLE_TYPES) for t in set(map(type, col.tolist()))):
            return False
    return True


def style_attr(ws, number_format: str | None = None, quote: bool = False) -> str:
    """The ' s="n"' attribute of a cell with this number format (or quote prefix), registering
    the style in the workbook the way a styled openpyxl cell would; '' for the default style."""
    if not (number_format or quote):
        return ""
    c = WriteOnlyCell(ws, None)
    if number_format:
        c.number_format = number_format
    if quote:
        c.quotePrefix = True
    return f' s="{c.style_id}"'


def xml_text(s: str) -> str:
    """Text (already through `text`) as an inline-string cell's content, escaped as lxml would
    (a CR stays a CR)."""
    esc = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    space = ' xml:space="preserve"' if s != s.strip() else ""
    return f"<is><t{space}>{esc}</t></is></c>"


def value_xml(v: Any, style: str, quote: str) -> str | None:
    """What follows '<c r="A2"' for one value (None: a blank cell, not written): numbers in
    openpyxl's '%.16g' with the column's format, text as text (quote prefix when a spreadsheet
    would take it for a formula or an error), like `cell`."""
    v = plain(v)
    if v is None:
        return None
    if isinstance(v, bool):
        return ' t="b"><v>1</v></c>' if v else ' t="b"><v>0</v></c>'
    if isinstance(v, (int, float)):
        return f'{style} t="n"><v>{v:.16g}</v></c>'
    if v == "":
        return None
    return f'{quote if needs_guard(v) else ""} t="inlineStr">{xml_text(v)}'


def text_only(values: list) -> bool:
    """Only text and blanks (None, NaN)? Such a column can be factorised by value; a column
    with numbers cannot (True, 1 and 1.0, or 0.0 and -0.0, would share one key)."""
    types = set(map(type, values))
    if types <= {str, type(None)}:
        return True
    return types <= {str, type(None), float} and all(v != v for v in values if v.__class__ is float)


def body_cells(col: pd.Series, letter: str, rows: range, style: str, quote: str) -> list[str]:
    """The <c> elements of one column over `rows` ('' where blank), one f-string per cell:
    numbers formatted in one comprehension, text converted once per distinct value."""
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iuf":
        x = col.to_numpy()
        ok = np.isfinite(x).tolist() if x.dtype.kind == "f" else [True] * len(x)
        tail = f'"{style} t="n"><v>'
        return [f'<c r="{letter}{r}{tail}{v:.16g}</v></c>' if good else "" for r, v, good in zip(rows, x.tolist(), ok)]
    values = col.tolist()
    if text_only(values):  # ids and names: few distinct values, each converted once
        codes, uniques = pd.factorize(col)
        frags = [value_xml(u, style, quote) for u in uniques] + [None]  # code -1 (blank) → None
        return [f'<c r="{letter}{r}"{f}' if (f := frags[c]) is not None else "" for r, c in zip(rows, codes.tolist())]
    out = []
    for r, v in zip(rows, values):
        frag = value_xml(v, style, quote)
        out.append("" if frag is None else f'<c r="{letter}{r}"{frag}')
    return out


def body_chunks(body: Body) -> Iterable[bytes]:
    """The <row> elements of the table's data, BODY_CHUNK_ROWS rows at a time, as UTF-8."""
    df = body.df
    letters = [get_column_letter(j + 1) for j in range(df.shape[1])]
    for start in range(0, len(df), BODY_CHUNK_ROWS):
        part = df.iloc[start : start + BODY_CHUNK_ROWS]
        rows = range(start + 2, start + 2 + len(part))
        cols = [body_cells(part.iloc[:, j], letters[j], rows, body.styles[j], body.quote) for j in range(len(letters))]
        xml = "".join([f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, zip(*cols))])
        yield xml.encode("utf-8", "replace")


def splice(saved: bytes, out: Path, bodies: list[Body]) -> None:
    """Copy the workbook openpyxl saved, writing each body's rows into its sheet's <sheetData>
    (after the header row), streamed so that a million-row table is never one string."""
    by_part = {b.ws.path.lstrip("/"): b for b in bodies}
    with zipfile.ZipFile(io.BytesIO(saved)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=BODY_COMPRESSLEVEL) as dst:
        for info in src.infolist():
            data = src.read(info)
            body = by_part.get(info.filename)
            if body is None:
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as f:
                f.write(head)
                for chunk in body_chunks(body):
                    f.write(chunk)
                f.write(b"</sheetData>" + tail)
