"""Running the CLI in-process in tests: no traceback may reach the planner."""

from __future__ import annotations

from typer.testing import CliRunner

from supplyopt.cli import app


def invoke(*args):
    """Run `supplyopt ARGS` in-process; fail the test on any escaping exception or traceback."""
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, repr(res.exception), res.output)
    assert "Traceback" not in res.output
    return res


def said(res) -> str:
    """The command's output (a result or a string) with line breaks and runs of spaces collapsed."""
    text = res if isinstance(res, str) else res.output
    return " ".join(text.split())
