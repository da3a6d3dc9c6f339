"""The old name of the results workbook writer and reader, kept so that call sites keep working:
the code lives in the `supplyopt.io.workbook` package (see its docstring for the layout).

Besides the public names, this module still answers to the tunables and hooks the tests set on
it (`MAX_SHEET_ROWS`, `WRITE_ONLY_ROWS`, `BODY_CHUNK_ROWS`, the format versions, `_splicable`,
`_write_meta`, ...): reading one gives the package's current value, and setting one (as
`monkeypatch.setattr` does, and undoes) sets it in the package module that uses it.
"""

from __future__ import annotations

import sys
import types

from supplyopt.io.workbook import cells, layout, rows_xml, summary_sheet
from supplyopt.io.workbook.cells import GAP, MONEY, PERCENT, SECONDS, TONNES, UNIT_PRICE, column_format, guard_text
from supplyopt.io.workbook.layout import FORMAT, META, SUMMARY
from supplyopt.io.workbook.reader import read_results_workbook
from supplyopt.io.workbook.writer import write_results_workbook

__all__ = [
    "FORMAT",
    "GAP",
    "META",
    "MONEY",
    "PERCENT",
    "SECONDS",
    "SUMMARY",
    "TONNES",
    "UNIT_PRICE",
    "column_format",
    "guard_text",
    "read_results_workbook",
    "write_results_workbook",
]

# old name -> (module that owns it now, its name there)
_FORWARDED = {
    "FORMAT_VERSION": (layout, "FORMAT_VERSION"),
    "SPLIT_FORMAT_VERSION": (layout, "SPLIT_FORMAT_VERSION"),
    "MAX_SHEET_ROWS": (layout, "MAX_SHEET_ROWS"),
    "WRITE_ONLY_ROWS": (layout, "WRITE_ONLY_ROWS"),
    "WIDTH_SAMPLE_ROWS": (layout, "WIDTH_SAMPLE_ROWS"),
    "BODY_CHUNK_ROWS": (rows_xml, "BODY_CHUNK_ROWS"),
    "BODY_COMPRESSLEVEL": (rows_xml, "BODY_COMPRESSLEVEL"),
    "_splicable": (rows_xml, "splicable"),
    "_write_meta": (summary_sheet, "write_meta"),
    "_column_width": (cells, "column_width"),
    "_width": (cells, "width"),
}


def _forwarded(owner: types.ModuleType, attr: str) -> property:
    return property(lambda self: getattr(owner, attr), lambda self, value: setattr(owner, attr, value))


# A module's class may be replaced by a ModuleType subclass; its properties are the forwarded names
# (data descriptors, so that monkeypatch sets and restores them through the property).
_ForwardingModule = type("_ForwardingModule", (types.ModuleType,), {name: _forwarded(*where) for name, where in _FORWARDED.items()})
sys.modules[__name__].__class__ = _ForwardingModule
