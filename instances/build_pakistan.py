"""Write instances/pakistan_base.xlsx from the records in instances/pakistan.py.

    python instances/build_pakistan.py [output.xlsx]

The records are validated first (`instance_from_records`, the same checks as a workbook);
bad data stops the build with the InputError's sheet/row/column list. The workbook holds the
schema sheets plus a Sources sheet (one row per figure: table, row key, columns, value,
source, flag S/C/U/A, note). It overwrites its own previous output, and writes
instances/pakistan_economics_sources.csv beside it: the sourced figures that wait for the new
economics tables (instances/pakistan_economics.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pakistan  # noqa: E402
import pakistan_economics  # noqa: E402

from supplyopt.errors import InputError  # noqa: E402
from supplyopt.io.memory import instance_from_records  # noqa: E402
from supplyopt.io.template import write_template  # noqa: E402

DEFAULT_OUTPUT = HERE / "pakistan_base.xlsx"
ECONOMICS_CSV = HERE / "pakistan_economics_sources.csv"


def build(path: str | Path = DEFAULT_OUTPUT) -> Path:
    """Validate the Pakistan records and write them, with the Sources sheet, to `path`."""
    records = pakistan.records()
    instance_from_records(records, source="instances/pakistan.py")
    return write_template(path, records=records, extra_sheets={"Sources": pakistan.sources()}, overwrite=True)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    try:
        out = build(target)
    except InputError as exc:
        print(f"the Pakistan records do not validate:\n{exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    print(f"wrote {pakistan_economics.write_csv(ECONOMICS_CSV)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
