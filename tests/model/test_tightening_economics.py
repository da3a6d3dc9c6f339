"""The tightening family on instances with the economics tables: the same optimum as the weak
formulation. Feeds, disposal and sea legs add sources and sinks the reach bounds do not know of,
so the bounds stand down there (reach.OTHER_SOURCES_AND_SINKS); an imported scrap feed capped at
the mines' supply was the bug this guards against."""

from __future__ import annotations

import pytest
from test_feeds import scrap_tiny
from test_sea_legs import sea_records
from test_smelter_terms import metal_priced_tiny

from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.model.data import prepare
from supplyopt.model.reach import usable
from supplyopt.solve.highs import SolveOptions, solve

EXACT = SolveOptions(mip_gap=0.0)


@pytest.mark.parametrize(
    "records", [scrap_tiny, sea_records, lambda: sea_records(max_draft_m=10.0), metal_priced_tiny], ids=["feeds", "sea", "sea-draft", "metal-priced"]
)
def test_tight_and_weak_give_the_same_optimum(records):
    inst = instance_from_records(records())
    values = []
    for formulation in ("weak", "tight"):
        m = build_model(inst, formulation=formulation)
        report = solve(m, EXACT)
        assert report.has_plan
        values.append(report.objective)
    assert values[1] == pytest.approx(values[0], rel=1e-9)


def test_reach_bounds_stand_down_for_feeds_and_sea_legs():
    assert not usable(prepare(instance_from_records(scrap_tiny())))
    assert not usable(prepare(instance_from_records(sea_records())))
