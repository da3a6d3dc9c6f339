"""One guarded write path (issue 14, 1a): io/atomic.py's check_target, atomic_write and write_bytes_atomic.

Every fault a planner's output path can have becomes an OutputError (exit 6) naming the path,
and nothing is left behind: no temporary file, no half-written target, the old target's bytes
intact. The tests run as root, for whom chmod stops nothing, so read-only media and full disks are
simulated by making the system call raise the OSError it would raise (EROFS, ENOSPC, EIO).
Concurrent writers of one target each use their own temporary name: all finish, the last rename
wins, the target is always one writer's complete bytes.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from supplyopt.errors import EXIT_OUTPUT, OutputError
from supplyopt.io import atomic
from supplyopt.io.atomic import atomic_write, check_target, write_bytes_atomic

REPO = Path(__file__).resolve().parents[1]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_output_error_is_exit_6():
    assert OutputError.exit_code == EXIT_OUTPUT == 6


def test_writes_bytes_and_creates_a_missing_folder(tmp_path):
    """Decision kept from before: a missing output folder is created (planners name new folders)."""
    target = tmp_path / "new" / "deeper" / "map.png"
    assert write_bytes_atomic(target, b"png bytes", overwrite=False) == target
    assert target.read_bytes() == b"png bytes" and names(target.parent) == ["map.png"]


def test_parent_that_is_a_file(tmp_path):
    blocker = tmp_path / "results"
    blocker.write_text("I am a file")
    for target in (blocker / "map.png", blocker / "sub" / "map.png"):
        with pytest.raises(OutputError, match=r"results is a file, not a folder"):
            check_target(target, overwrite=True)
        with pytest.raises(OutputError, match=r"is a file, not a folder"):
            write_bytes_atomic(target, b"x", overwrite=True)
    assert names(tmp_path) == ["results"] and blocker.read_text() == "I am a file"


def test_target_that_is_a_folder(tmp_path):
    (tmp_path / "m.png").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_bytes_atomic(tmp_path / "m.png", b"x", overwrite=True)
    assert names(tmp_path) == ["m.png"] and not list((tmp_path / "m.png").iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_target_that_is_a_fifo(tmp_path):
    fifo = tmp_path / "m.png"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_bytes_atomic(fifo, b"x", overwrite=True)  # would block forever if opened for writing
    assert names(tmp_path) == ["m.png"] and fifo.is_fifo()


def test_name_longer_than_the_file_system_allows(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    too_long = tmp_path / ("m" * (limit - 3) + ".png")  # limit + 1 bytes
    with pytest.raises(OutputError, match=rf"is {limit + 1} bytes long; this folder allows at most {limit}"):
        write_bytes_atomic(too_long, b"x", overwrite=True)
    accents = tmp_path / ("é" * ((limit + 1) // 2) + ".png")  # fewer characters than the limit, more bytes
    assert len(accents.name) < limit < len(os.fsencode(accents.name))
    with pytest.raises(OutputError, match="bytes long"):
        write_bytes_atomic(accents, b"x", overwrite=True)
    assert names(tmp_path) == []


def test_name_at_the_limit_is_written(tmp_path):
    """The temporary name is shortened to fit, so a name of exactly PC_NAME_MAX bytes still works."""
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    target = tmp_path / ("m" * (limit - 4) + ".png")
    assert len(os.fsencode(target.name)) == limit
    write_bytes_atomic(target, b"png", overwrite=True)
    assert names(tmp_path) == [target.name] and target.read_bytes() == b"png"


def test_existing_target_without_overwrite_and_the_input(tmp_path):
    target = tmp_path / "m.png"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="exists: use --force"):
        write_bytes_atomic(target, b"new", overwrite=False)
    with pytest.raises(OutputError, match="refusing to overwrite the input"):
        write_bytes_atomic(tmp_path / "." / "m.png", b"new", overwrite=True, protect=[target])
    assert target.read_bytes() == b"old" and names(tmp_path) == ["m.png"]


def _raiser(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("where", "code", "message"),
    [
        ("write", errno.ENOSPC, "could not write .*No space left on device"),
        ("fsync", errno.EIO, "could not write .*Input/output error"),
        ("replace", errno.ENOSPC, "could not replace .*No space left on device"),
        ("replace", errno.EROFS, "could not replace .*Read-only file system"),
        ("mkstemp", errno.EROFS, "cannot write .*no new file can be made in .*Read-only file system"),
    ],
)
def test_os_errors_become_output_errors_and_leave_nothing(tmp_path, monkeypatch, where, code, message):
    target = tmp_path / "m.png"
    target.write_bytes(b"old map")
    if where == "write":
        monkeypatch.setattr(Path, "write_bytes", _raiser(code))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", _raiser(code))
    elif where == "replace":
        monkeypatch.setattr(os, "replace", _raiser(code))
    else:
        monkeypatch.setattr(tempfile, "mkstemp", _raiser(code))
    with pytest.raises(OutputError, match=message) as info:
        write_bytes_atomic(target, b"new map", overwrite=True)
    monkeypatch.undo()
    assert str(target) in str(info.value)
    assert names(tmp_path) == ["m.png"] and target.read_bytes() == b"old map"


def test_folder_that_cannot_be_created(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "mkdir", _raiser(errno.EROFS))
    with pytest.raises(OutputError, match="cannot create the folder .*Read-only file system"):
        atomic_write(tmp_path / "new" / "m.png", lambda p: p.write_bytes(b"x"), overwrite=True)
    monkeypatch.undo()
    assert names(tmp_path) == []


def test_threads_writing_one_target(tmp_path):
    """4 threads x 25 writes of distinct payloads: all succeed, the target is one whole payload."""
    target = tmp_path / "m.png"
    payloads = {(t, i): f"writer {t} round {i} ".encode() * 200 for t in range(4) for i in range(25)}
    errors: list[BaseException] = []

    def run(t):
        try:
            for i in range(25):
                write_bytes_atomic(target, payloads[t, i], overwrite=True)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert target.read_bytes() in set(payloads.values())
    assert names(tmp_path) == ["m.png"]


WRITER = """
import sys
from supplyopt.io.atomic import write_bytes_atomic
me = sys.argv[2]
for i in range(30):
    write_bytes_atomic(sys.argv[1], (me + str(i) + ";").encode() * 5000, overwrite=True)
"""


def test_two_processes_writing_one_target(tmp_path):
    target = tmp_path / "m.png"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(target), me], env=env, stderr=subprocess.PIPE) for me in "ab"]
    outs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    body = target.read_bytes().decode()
    chunk = body[: body.index(";") + 1]
    assert chunk[0] in "ab" and body == chunk * 5000  # one writer's complete bytes
    assert names(tmp_path) == ["m.png"]


def test_temporary_name_fits_and_is_hidden(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    target = tmp_path / ("m" * (limit - 4) + ".png")
    prefix = atomic._tmp_prefix(target, limit)
    longest = prefix + "x" * 8 + ".tmp" + target.suffix
    assert prefix.startswith(".") and len(os.fsencode(longest)) <= limit
