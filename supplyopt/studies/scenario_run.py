"""One run of one scenario (and optionally one Monte-Carlo sample of it): apply the scenario's
changes to the base Instance, build the run's provenance once, and run the pipeline.

Shared by `supplyopt solve [--scenario]` and every task of a sweep, so that the same scenario
gives the same plan and the same Summary provenance either way. Reads and writes no files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from supplyopt.errors import SupplyoptError
from supplyopt.inputs.instance import Instance
from supplyopt.inputs.scenarios import apply_scenario, sample_instance
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.design import Design
from supplyopt.studies.pipeline import SolveRun, Stage, provenance, run_solve


@dataclass
class ScenarioRun:
    """What one scenario run produced. `error` is set (and `run` is None) when the scenario's
    changes did not apply, the model was infeasible or HiGHS gave no plan; `metadata` is the
    provenance built so far (what a Diagnosis workbook records)."""

    scenario: str
    sample: int | None
    instance: Instance | None  # the scenario (and sample) applied; None when it did not apply
    metadata: dict[str, Any]
    draws: dict[str, float] = field(default_factory=dict)
    run: SolveRun | None = None
    error: SupplyoptError | None = None

    @property
    def label(self) -> str:
        return self.scenario if self.sample is None else f"{self.scenario}#{self.sample}"

    @property
    def results(self):
        return None if self.run is None else self.run.results


def run_scenario(
    inst: Instance,
    scenario: str | None,
    options: SolveOptions = SolveOptions(),
    *,
    sample: int | None = None,
    sample_seed: int = 0,
    on_stage: Stage | None = None,
    warm: Design | None = None,
) -> ScenarioRun:
    """Apply `scenario` of the Scenarios sheet (None: the input as it is, no Scenarios row
    applied), then Monte-Carlo sample `sample` drawn with `sample_seed` when given, and solve
    (warm-started from the design `warm` when given: the base plan's).

    Never raises a SupplyoptError: it is returned in `ScenarioRun.error` (a sweep reports it in
    its row and goes on; the CLI prints it and maps it to an exit code)."""
    name = scenario or "base"
    meta: dict[str, Any] = {}
    draws: dict[str, float] = {}
    s_inst: Instance | None = None
    try:
        t = time.perf_counter()
        s_inst = inst if scenario is None else apply_scenario(inst, scenario)
        if sample is not None:
            s_inst, draws = sample_instance(s_inst, sample, sample_seed)
        overrides = s_inst.metadata.get("scenario_overrides") or ""
        if on_stage and scenario is not None:
            on_stage(f"Scenario {name}: {overrides or 'no changes (the base)'}", time.perf_counter() - t)
        label = name if sample is None else f"{name}#{sample}"
        meta = provenance(s_inst, options, scenario=label, overrides=overrides or None)
        if s_inst.metadata.get("scenario_description"):
            meta["scenario_description"] = s_inst.metadata["scenario_description"]
        if sample is not None:
            meta["sample"], meta["sample_seed"] = sample, sample_seed
            meta["sample_draws"] = s_inst.metadata.get("sample_draws", "")
        run = run_solve(s_inst, options, on_stage=on_stage, metadata=meta, warm=warm)
    except SupplyoptError as exc:
        return ScenarioRun(name, sample, s_inst, meta, draws, None, exc)
    return ScenarioRun(name, sample, s_inst, meta, draws, run)
