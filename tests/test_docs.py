"""docs/input-format.md is generated from the schema, cannot drift, and its worked example is valid."""

from __future__ import annotations

import re
from pathlib import Path

from helpers_template import assert_same_instance

from supplyopt.io.docs import EXAMPLE_BEGIN, EXAMPLE_END, main, render_input_format, worked_example
from supplyopt.io.memory import instance_from_records
from supplyopt.schema import SETTINGS, TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "input-format.md"


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def parse_example(markdown: str) -> dict[str, list[dict[str, str | None]]]:
    """The worked example's tables as records of text cells (blank cells → None), as a planner
    would copy them into sheets."""
    body = markdown.split(EXAMPLE_BEGIN, 1)[1].split(EXAMPLE_END, 1)[0]
    records: dict[str, list[dict[str, str | None]]] = {}
    table = None
    header: list[str] = []
    for line in body.splitlines():
        if line.startswith("#### "):
            table = line[5:].strip()
            records[table] = []
            header = []
        elif line.startswith("|") and table is not None:
            cells = _split_row(line)
            if not header:
                header = cells
            elif set("".join(cells)) <= {"-"}:
                continue
            else:
                records[table].append({h: (c or None) for h, c in zip(header, cells)})
    return records


def test_committed_doc_matches_the_schema():
    assert DOC.read_text(encoding="utf-8") == render_input_format(), "docs/input-format.md is stale: run `python -m supplyopt.io.docs`"


def test_worked_example_in_the_doc_validates():
    parsed = parse_example(DOC.read_text(encoding="utf-8"))
    assert list(parsed) == [t.name for t in TABLES]
    assert all(parsed[t.name] for t in TABLES), "every table has example rows"
    inst = instance_from_records(parsed)  # raises InputError if invalid
    assert_same_instance(inst, instance_from_records(worked_example()))
    assert list(inst["Nodes"]["kind"]) == ["mine", "refinery", "port", "market"]  # the market: an overseas buyer (sea legs)


def test_every_table_column_and_setting_is_documented():
    text = render_input_format()
    for table in TABLES:
        section = text.split(f"\n### {table.name}\n", 1)[1].split("\n### ", 1)[0]
        assert table.doc in section
        sheet_line = next(line for line in section.splitlines() if line.startswith(f"Sheet `{table.name}`"))
        assert ("; **required**;" if table.required else "; optional;") in sheet_line
        assert ", ".join(f"`{k}`" for k in table.key) in sheet_line
        for col in table.columns:
            row = next(line for line in section.splitlines() if line.startswith(f"| `{col.name}` |"))
            if col.unit:
                assert col.unit in row
            if col.ref:
                assert f"sheet {col.ref[0]}" in row
            for choice in col.enum:
                assert f"`{choice}`" in row
            assert ("**required**" in row) == col.required
    settings = text.split("\n## Settings\n", 1)[1]
    for s in SETTINGS:
        assert f"| `{s.name}` |" in settings and s.doc in settings
    assert "every period" in text and "USD" in text and "km" in text


def test_main_writes_and_checks(tmp_path, capsys):
    out = tmp_path / "input-format.md"
    assert main([str(out), "--check"]) == 1
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_input_format()
    assert main([str(out), "--check"]) == 0
