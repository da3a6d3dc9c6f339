"""Property-based tests (hypothesis) of output paths made from names planners choose (issue 14
item 1 and 6): scenario names of any text and length, -o names of any length, and targets that
already exist as folders, FIFOs or symlinks. Every outcome is a file written, or OutputError
(exit 6) before anything is written: never an OSError from the file system, never a name over
the limit, never a control character in a file name.

Budget: pure path functions and `check_outputs` (no solve), in the profiles of
test_property.py (derandomised under CI=true); about a second locally.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_property import _PROFILE, CI

from supplyopt.cli.common import FILE_PART_BYTES, check_outputs, file_part
from supplyopt.cli.scenario_batch import scenario_outputs
from supplyopt.errors import OutputError

EXAMPLES = 200 if CI else 40
budget = settings(_PROFILE, max_examples=EXAMPLES)

# Names as planners (and their spreadsheets) write them: any text, control characters and
# bidi marks, unicode that is several bytes a character, path separators, dots, very long.
names = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=400),
    st.builds(lambda a, n: a * n, st.sampled_from(["é", "x", "中", "🙂", "\x1b", "/", ".", " "]), st.integers(1, 300)),
)


@budget
@given(names)
def test_a_file_part_is_always_a_safe_short_name(name):
    part = file_part(name)
    assert part and len(part.encode()) <= FILE_PART_BYTES
    assert "/" not in part and "\x00" not in part and part not in (".", "..")
    assert not any(ord(c) < 32 or ord(c) == 127 for c in part)
    part.encode("utf-8")  # never half a character
    assert file_part(name) == part  # the same name, the same file


@budget
@given(st.lists(names, min_size=2, max_size=4, unique=True))
def test_long_names_stay_distinct(batch):
    """Two names cut to the same start still differ by their hash; short names that clean to
    the same part are refused together (OutputError), never written over each other."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            outs = scenario_outputs(Path(tmp) / "case", batch, Path(tmp) / "out")
        except OutputError:
            parts = [file_part(n) for n in batch]
            assert len(set(parts)) < len(parts)
            return
        assert len(set(outs.values())) == len(batch)
        for p in outs.values():
            assert len(os.fsencode(p.name)) <= 255
        check_outputs(outs.values(), False, [])  # every name fits the file system


@budget
@given(names, st.sampled_from(["missing", "file", "folder", "fifo", "symlink"]), st.booleans())
def test_an_output_path_is_written_or_refused_with_exit_6(name, existing, force):
    """-o FOLDER/<name>.xlsx: accepted exactly when it can be written (a fresh or --force-d
    regular file); refused with OutputError for an over-long name, a folder, a FIFO, or an
    existing file without --force. Never another exception."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = "".join(ch for ch in name if ch not in "/\x00") or "x"
        target = Path(tmp) / f"{raw}.xlsx"
        too_long = len(os.fsencode(target.name)) > 255 or len(os.fsencode(target.stem + "_map.png")) > 255
        made = False
        if not too_long and existing != "missing":
            if existing == "file":
                target.write_bytes(b"precious")
            elif existing == "folder":
                target.mkdir()
            elif existing == "fifo":
                os.mkfifo(target)
            else:
                (Path(tmp) / "elsewhere.xlsx").write_bytes(b"precious")
                target.symlink_to(Path(tmp) / "elsewhere.xlsx")
            made = True
        try:
            check_outputs([target], force, [])
        except OutputError as exc:
            assert too_long or (made and (existing in ("folder", "fifo") or not force)), str(exc)
            return
        assert not too_long
        assert not made or (force and existing in ("file", "symlink"))
