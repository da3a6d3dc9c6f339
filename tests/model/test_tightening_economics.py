"""The tightening family on instances with the economics tables: the same optimum as the weak
formulation. Feeds are sources of the reach bounds and Disposal rows sinks; an imported scrap feed
capped at the mines' supply was the bug this guards against, so the scrap and acid-disposal cases
are solved both ways at gap 0."""

from __future__ import annotations

import pytest
from test_feeds import scrap_tiny
from test_sea_legs import sea_records
from test_smelter_terms import metal_priced_tiny

import instances as I
from supplyopt.io.memory import instance_from_records
from supplyopt.model import build_model
from supplyopt.model.data import prepare
from supplyopt.model.reach import Reach, usable
from supplyopt.solve.highs import SolveOptions, solve

EXACT = SolveOptions(mip_gap=0.0)


def acid_disposal() -> dict:
    """tiny() whose smelting makes 0.5 t ACID per t, disposed of at REF for 10 USD/t (optimum 49,250,
    test_smelter_terms)."""
    recs = I.tiny()
    recs["Commodities"].append({"commodity": "ACID"})
    recs["RecipeOutputs"].append({"recipe": "SMELT", "output_commodity": "ACID", "yield": 0.5})
    recs["Disposal"] = [{"node": "REF", "commodity": "ACID", "cost_usd_per_t": 10}]
    return recs


@pytest.mark.parametrize(
    "records",
    [scrap_tiny, sea_records, lambda: sea_records(max_draft_m=10.0), metal_priced_tiny, acid_disposal],
    ids=["feeds", "sea", "sea-draft", "metal-priced", "disposal"],
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


def test_reach_bounds_count_feeds_and_keep_sea_legs():
    """The bounds stay on with feeds and sea legs; a feed node is a source of its commodity (400 t/yr
    of scrap at PORT and nothing mined there, so the scrap's first arc may carry 400)."""
    d = prepare(instance_from_records(scrap_tiny()))
    assert usable(d)
    assert usable(prepare(instance_from_records(sea_records())))
    reach = Reach(d)
    s, p = d.scenarios[0], d.periods[0]
    assert reach.sources(s, p)["SCRAP"][reach.pos["PORT"]] == pytest.approx(400)
    bounds = reach.arc_bounds(s, p)
    scrap_out = [v for (a, c), v in bounds.items() if c == "SCRAP" and d.arcs[a].tail == "PORT"]
    assert scrap_out and all(v == pytest.approx(400) for v in scrap_out)
