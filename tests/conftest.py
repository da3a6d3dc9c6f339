"""Session fixtures shared by the test modules (one build and solve per pytest worker, Calliope-style)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def pakistan_base_results():
    """The Pakistan base plan (instances/pakistan_base.xlsx, no shadow prices), solved once per
    worker and shared by the map, report and instance tests: each used to solve it on its own."""
    from supplyopt.io.read import read_input
    from supplyopt.solve.highs import SolveOptions
    from supplyopt.studies.pipeline import run_solve

    run = run_solve(read_input(REPO / "instances" / "pakistan_base.xlsx"), SolveOptions(), with_shadow_prices=False)
    assert run.results.summary["status"] == "optimal", run.results.summary
    return run.results
