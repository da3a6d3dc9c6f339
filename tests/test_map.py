"""Network map (issue 5): `supplyopt.io.map.draw_map` / `map_figure` and the CLI `map` command.

The map of a period draws every node with coordinates by kind (marker and colour of
report.KIND_STYLE, listed in the legend), one line per corridor whose ends have coordinates,
width 1 + 9 · sqrt(t / t_max) for the tonnes moved in the period (0.8, grey, when unused), colour
= the corridor's risk score on RdYlGn_r, a red star on each refinery opened by that period, a
scale bar labelled in km and the period in the title. PNG: A4 landscape (11.69 × 8.27 in) at
150 dpi. Issue 16: under the plan, the Natural Earth basemap (coast, borders, provinces) shipped
in supplyopt/data; labels that do not overlap; legend and risk colour bar beside the map.
Issue 14: the PNG is written through io/atomic.py (faults → exit 6, nothing left behind).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import openpyxl
import pytest
from cli_helpers import invoke
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from model_asserts import EXACT, solve_records

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK
from supplyopt.io.map import KIND_STYLE, MapError, draw_map, map_figure, map_period
from supplyopt.io.read import read_input
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.io.template import write_template
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.pipeline import run_solve

REPO = Path(__file__).resolve().parents[1]
A4_PIXELS = (int(11.69 * 150), int(8.27 * 150))  # (width, height) = (1753, 1240)
COORDS = {"MINE": (29.0, 64.0), "REF": (28.5, 65.0), "PORT": (25.0, 66.8)}  # (lat, lon)


def tiny_on_map(periods: int = 1) -> dict:
    """tests/instances.tiny() with coordinates, risk scores A 2 and B 1, and an unused rail C
    (MINE → PORT, 1,000 km × 0.1 = 100 USD/t: concentrate sold that way loses 55 USD/t).
    Optimum per period: A carries 1,000 t CONC, B 250 t CU, C nothing; REF opens in P1.
    periods=2: P1 (2026) and P2 (2027), same plan in both."""
    recs = I.tiny()
    for n in recs["Nodes"]:
        n["lat"], n["lon"] = COORDS[n["node"]]
    recs["Corridors"].append({"corridor": "C", "from_node": "MINE", "to_node": "PORT", "mode": "rail", "distance_km": 1000, "cost_usd_per_tkm": 0.1})
    recs["CorridorRisk"] = [{"corridor": "A", "risk_score": 2}, {"corridor": "B", "risk_score": 1}]
    if periods == 2:
        recs["Periods"] = [{"period": "P1", "start_year": 2026}, {"period": "P2", "start_year": 2027}]
    return recs


@pytest.fixture(scope="module")
def tiny_results():
    s = solve_records(tiny_on_map())
    assert s.report.objective == pytest.approx(54_250)
    return s.results


@pytest.fixture(scope="module")
def pakistan():
    """One solve of the Pakistan base plan (no shadow prices), shared by this module's tests."""
    inst = read_input(REPO / "instances" / "pakistan_base.xlsx")
    return run_solve(inst, SolveOptions(), with_shadow_prices=False).results


@pytest.fixture
def figure():
    figs = []

    def make(results, period=None):
        fig = map_figure(results, period)
        figs.append(fig)
        return fig

    yield make
    for f in figs:
        plt.close(f)


# ---------------------------------------------------------------------------------------------
# What a map shows, recomputed from the Results
# ---------------------------------------------------------------------------------------------


def _key(x0, y0, x1, y1) -> tuple:
    return tuple(round(float(v), 6) for v in (x0, y0, x1, y1))


def expected_lines(results, period: str) -> dict[tuple, list[float]]:
    """Line widths the map must draw, by (lon0, lat0, lon1, lat1) of the corridor's ends."""
    nodes = results["Nodes"].dropna(subset=["lat", "lon"])
    pos = {r.node: (float(r.lon), float(r.lat)) for r in nodes.itertuples()}
    flows = results["Flows"]
    if "scenario" in flows:
        flows = flows[flows["scenario"] == "base"]
    moved = flows[flows["period"] == period].groupby("corridor")["t_per_yr"].sum()
    t_max = float(moved.max())
    out: dict[tuple, list[float]] = defaultdict(list)
    for r in results["Corridors"].itertuples():
        if r.from_node in pos and r.to_node in pos:
            t = float(moved.get(r.corridor, 0.0))
            out[_key(*pos[r.from_node], *pos[r.to_node])].append(1.0 + 9.0 * math.sqrt(t / t_max) if t > 0 else 0.8)
    return out


def drawn_lines(ax, keys) -> dict[tuple, list[float]]:
    out: dict[tuple, list[float]] = defaultdict(list)
    for line in ax.lines:
        x, y = line.get_xdata(), line.get_ydata()
        k = _key(x[0], y[0], x[-1], y[-1])
        if k in keys:
            out[k].append(line.get_linewidth())
    return out


def scatters(ax) -> list[PathCollection]:
    """The marker collections (the basemap adds line and polygon collections, which have no sizes)."""
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def assert_map_shows(fig, results, period: str) -> None:
    ax = fig.axes[0]  # the map; fig.axes[1] is the risk colour bar (issue 16), nothing else
    assert len(fig.axes) == 2 and fig.axes[1].get_xlabel().startswith("corridor risk score")
    assert period in ax.get_title()

    # one line per corridor with coordinates, width ∝ sqrt(flow)
    want = expected_lines(results, period)
    got = drawn_lines(ax, set(want))
    assert set(got) == set(want)
    for k in want:
        assert sorted(got[k]) == pytest.approx(sorted(want[k])), k

    # node markers per kind, every kind in the legend
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {s["label"] for s in KIND_STYLE.values()} <= set(legend)
    nodes = results["Nodes"].dropna(subset=["lat", "lon"])
    markers = {tuple(round(v, 6) for v in to_rgba(c.get_facecolor()[0])): c for c in scatters(ax) if list(c.get_sizes()) == [45]}
    for kind, sub in nodes.groupby("kind"):
        coll = markers[tuple(round(v, 6) for v in to_rgba(KIND_STYLE[kind]["color"]))]
        assert sorted(map(tuple, coll.get_offsets().tolist())) == sorted(zip(sub["lon"], sub["lat"])), kind

    # a star on each refinery opened by the period
    ref = results["Refineries"]
    opened = set(ref.loc[(ref["period"] == period) & (ref["open"] == 1), "site"])
    stars = [c for c in scatters(ax) if list(c.get_sizes()) == [420]]
    pos = {r.node: (float(r.lon), float(r.lat)) for r in nodes.itertuples()}
    assert sorted(tuple(o) for c in stars for o in c.get_offsets().tolist()) == sorted(pos[j] for j in opened if j in pos)
    assert ("refinery opened" in legend) == bool(opened)

    # scale bar: 'N km' over a black bar N km long at the map's mean latitude
    labels = [t.get_text() for t in ax.texts if re.fullmatch(r"\d+ km", t.get_text())]
    assert len(labels) == 1
    km = int(labels[0].split()[0])
    km_per_deg = 111.32 * math.cos(math.radians(float(nodes["lat"].mean())))
    bars = [ln for ln in ax.lines if ln.get_color() == "black" and len(ln.get_xdata()) == 2]
    assert any(abs(ln.get_xdata()[1] - ln.get_xdata()[0]) * km_per_deg == pytest.approx(km) for ln in bars)


def test_small_map_elements(tiny_results, figure):
    r = tiny_results
    assert map_period(r, None) == "P1"
    fig = figure(r)
    assert_map_shows(fig, r, "P1")
    ax = fig.axes[0]
    lon = {n: c[1] for n, c in COORDS.items()}
    lat = {n: c[0] for n, c in COORDS.items()}
    by_ends = {_key(*ln.get_xdata()[:1], *ln.get_ydata()[:1], *ln.get_xdata()[-1:], *ln.get_ydata()[-1:]): ln for ln in ax.lines}
    a = by_ends[_key(lon["MINE"], lat["MINE"], lon["REF"], lat["REF"])]
    b = by_ends[_key(lon["REF"], lat["REF"], lon["PORT"], lat["PORT"])]
    c = by_ends[_key(lon["MINE"], lat["MINE"], lon["PORT"], lat["PORT"])]
    # A: 1,000 t (the widest, 10); B: 250 t → 1 + 9 · sqrt(0.25) = 5.5; C unused: thin grey
    assert (a.get_linewidth(), b.get_linewidth(), c.get_linewidth()) == pytest.approx((10.0, 5.5, 0.8))
    cmap = plt.get_cmap("RdYlGn_r")
    assert to_rgba(a.get_color()) == pytest.approx(cmap(1.0)) and to_rgba(b.get_color()) == pytest.approx(cmap(0.5))
    assert to_rgba(c.get_color()) == pytest.approx(to_rgba("#bdbdbd")) and c.get_linestyle() == "--"  # rail
    stars = [cl for cl in scatters(ax) if list(cl.get_sizes()) == [420]]
    assert [tuple(o) for cl in stars for o in cl.get_offsets().tolist()] == [(lon["REF"], lat["REF"])]
    texts = [t.get_text() for t in ax.texts]
    assert "A\n1.0 kt" in texts and "B\n250 t" in texts
    assert "50 km" in texts  # 2.8° of longitude at 27.5° N ≈ 276 km across


def test_pakistan_base_map_png(pakistan, tmp_path):
    out = draw_map(pakistan, tmp_path / "pakistan_map.png")
    assert out == tmp_path / "pakistan_map.png" and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = mpimg.imread(out).shape[:2]
    assert (width, height) == A4_PIXELS
    assert [p.name for p in tmp_path.iterdir()] == ["pakistan_map.png"]  # no temporary file left


def test_pakistan_base_map_elements(pakistan, figure):
    flows = pakistan["Flows"]
    flows = flows[flows["scenario"] == "base"] if "scenario" in flows else flows
    busiest = str(flows.groupby("period", sort=False)["t_per_yr"].sum().idxmax())
    assert map_period(pakistan, None) == busiest
    assert_map_shows(figure(pakistan), pakistan, busiest)
    first = str(pakistan["Costs"]["period"].iloc[0])
    assert_map_shows(figure(pakistan, first), pakistan, first)


def test_no_coordinates_is_a_map_error(tmp_path):
    s = solve_records(I.tiny())  # no lat/lon anywhere
    with pytest.raises(MapError, match="no node has latitude/longitude"):
        draw_map(s.results, tmp_path / "m.png")
    assert not list(tmp_path.iterdir())
    with pytest.raises(MapError, match="period 'P9' is not in the results"):
        map_figure(solve_records(tiny_on_map()).results, "P9")


# ---------------------------------------------------------------------------------------------
# CLI: solve writes <out>_map.png and a Map sheet; map --all-periods; map errors exit 2
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved_cli(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("map_cli")
    src = write_template(d / "case.xlsx", tiny_on_map(periods=2))
    res = invoke("solve", src, "-o", d / "plan.xlsx")
    assert res.exit_code == EXIT_OK, res.output
    return d / "plan.xlsx"


def test_cli_solve_writes_map_png_and_sheet(solved_cli):
    png = solved_cli.with_name("plan_map.png")
    assert png.is_file()
    height, width = mpimg.imread(png).shape[:2]
    assert (width, height) == A4_PIXELS
    wb = openpyxl.load_workbook(solved_cli)
    try:
        assert "Map" in wb.sheetnames
        assert len(wb["Map"]._images) == 1
    finally:
        wb.close()
    assert read_results_workbook(solved_cli).summary["status"] == "optimal"


def test_cli_map_all_periods(solved_cli):
    res = invoke("map", solved_cli, "--all-periods")
    assert res.exit_code == EXIT_OK, res.output
    written = sorted(p.name for p in solved_cli.parent.glob("plan_map_*.png"))
    assert written == ["plan_map_P1.png", "plan_map_P2.png"]
    for name in written:
        assert mpimg.imread(solved_cli.with_name(name)).shape[:2] == A4_PIXELS[::-1]
    assert res.output.count("Map written") == 2


def test_cli_map_unknown_period_exits_2(solved_cli, tmp_path):
    res = invoke("map", solved_cli, "--period", "P9", "-o", tmp_path / "m.png")
    assert res.exit_code == EXIT_INPUT
    assert "P9" in res.output and not (tmp_path / "m.png").exists()


def test_cli_map_without_coordinates_exits_2(tmp_path):
    run = run_solve(solve_records(I.tiny()).instance, EXACT, with_shadow_prices=False)
    plan = write_results_workbook(run.results, tmp_path / "plan.xlsx")
    res = invoke("map", plan)
    assert res.exit_code == EXIT_INPUT
    assert "no node has latitude/longitude" in " ".join(res.output.split())
    assert not plan.with_name("plan_map.png").exists()
