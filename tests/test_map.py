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

import errno
import itertools
import math
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import openpyxl
import pytest
from cli_helpers import invoke
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from model_asserts import EXACT, solve_records

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, OutputError
from supplyopt.io import basemap
from supplyopt.io import map as map_module
from supplyopt.io.map import KIND_STYLE, MapError, draw_map, map_figure, map_period, sheet_fit_scale
from supplyopt.io.read import read_input
from supplyopt.io.results_workbook import read_results_workbook, write_results_workbook
from supplyopt.io.template import write_template
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
def pakistan(pakistan_base_results):
    """The Pakistan base plan (tests/conftest.py: one solve per session)."""
    return pakistan_base_results


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


# ---------------------------------------------------------------------------------------------
# Issue 16: the basemap, labels that do not overprint, legend and colour bar beside the map
# ---------------------------------------------------------------------------------------------

PROVINCES = {"Balochistan", "Sindh", "Punjab", "Khyber Pakhtunkhwa", "Gilgit-Baltistan", "Azad Kashmir", "Islamabad Capital Territory"}


def _in_ring(x: float, y: float, ring: list) -> bool:
    """Even-odd rule (ray casting)."""
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_basemap_file_is_small_offline_and_has_the_provinces():
    path = basemap.BASEMAP_FILE
    assert path.parent.name == "data" and path.stat().st_size < 200_000  # well under 1 MB
    base = basemap.load_basemap()
    assert "Natural Earth" in base["source"] and (REPO / "tools" / "make_basemap.py").is_file()
    assert base["window"] == [57.0, 21.0, 80.0, 38.0 + 1.0]
    assert {p["name"] for p in base["provinces"]} == PROVINCES
    for layer in ("land", "coastline", "borders", "province_lines"):
        assert base[layer], layer
        for line in base[layer]:
            assert all(56.9 <= x <= 80.1 and 20.9 <= y <= 39.1 for x, y in line), layer
    # Nodes of the Pakistan instance (their own coordinates, not the basemap's) fall in the right province
    nodes = read_input(REPO / "instances" / "pakistan_base.xlsx").tables["Nodes"].set_index("node")
    rings = {p["name"]: p["rings"] for p in base["provinces"]}
    for node, province in [
        ("QUETTA", "Balochistan"),
        ("KHUZDAR", "Balochistan"),
        ("TURBAT", "Balochistan"),
        ("ROHRI_RS", "Sindh"),
        ("KARACHI", "Sindh"),
        ("NOWSHERA", "Khyber Pakhtunkhwa"),
        ("CHITRAL_SB", "Khyber Pakhtunkhwa"),
    ]:
        x, y = float(nodes.at[node, "lon"]), float(nodes.at[node, "lat"])
        assert [name for name, rs in rings.items() if any(_in_ring(x, y, r) for r in rs)] == [province], node


def test_map_draws_the_basemap(pakistan, tiny_results, figure):
    for results in (pakistan, tiny_results):
        ax = figure(results).axes[0]
        gids = {c.get_gid() for c in ax.collections}
        assert {"basemap:coastline", "basemap:borders", "basemap:province_lines"} <= gids
        assert any(isinstance(c, PolyCollection) for c in ax.collections)  # the land fill
    names = {t.get_text() for t in ax.texts if t.get_gid() == "basemap:province"}
    assert "BALOCHISTAN" in names  # the tiny instance lies in Balochistan (lon 64-67, lat 25-29)


def visible_text_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_visible() and t.get_text().strip()], renderer


@pytest.mark.parametrize("which", ["busiest", "first"])
def test_pakistan_labels_do_not_overlap(pakistan, figure, which):
    """Every visible text (node and corridor labels, province names, the scale) is clear of every
    other and inside the map; no exceptions needed on the Pakistan base plan."""
    period = None if which == "busiest" else str(pakistan["Costs"]["period"].iloc[0])
    fig = figure(pakistan, period)
    boxes, renderer = visible_text_boxes(fig)
    labels = {text for text, _ in boxes}
    assert {"Karachi Port", "Port Qasim", "Taftan", "Reko Diq", "Chitral antimony", "Loe Shilman carbonatite"} <= labels
    clashes = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]
    assert clashes == []
    frame = fig.axes[0].get_window_extent(renderer)
    assert [t for t, b in boxes if not (frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1)] == []


def test_legend_and_colour_bar_beside_the_map(pakistan, figure):
    fig = figure(pakistan)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax, cax = fig.axes
    frame, legend, bar = ax.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer), cax.get_window_extent(renderer)
    page = fig.bbox
    for box in (legend, bar):
        assert box.x0 > frame.x1  # right of the map, not on it
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1  # on the page
    assert not legend.overlaps(bar)
    max_risk = float(pakistan["Corridors"]["max_risk_score"].max())
    assert cax.get_xlim() == pytest.approx((0.0, max_risk))


def test_sheet_fit_scale():
    """1753 x 1240 px at 96 px/in is 18.26 x 12.92 in; an A4 landscape page less 0.5 in margins
    and 0.85 in above the picture leaves 10.69 x 6.42 in: scale min(0.585, 0.497) = 0.497."""
    assert sheet_fit_scale() == pytest.approx(min(10.69 * 96 / 1753, 6.42 * 96 / 1240))
    assert sheet_fit_scale() == pytest.approx(0.497, abs=5e-4)
    assert 1753 * sheet_fit_scale() / 96 <= 11.69 - 1.0 and 1240 * sheet_fit_scale() / 96 <= 8.27 - 1.0 - 0.85 + 1e-9


# ---------------------------------------------------------------------------------------------
# Issue 14 (1a): the PNG goes through io/atomic.py; every fault is exit 6 with nothing left
# ---------------------------------------------------------------------------------------------


def test_map_path_faults_are_output_errors_before_drawing(tiny_results, tmp_path, monkeypatch):
    def no_drawing(*args, **kwargs):
        raise AssertionError("the path must be checked before the map is drawn")

    monkeypatch.setattr(map_module, "map_figure", no_drawing)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir.png").mkdir()
    os.mkfifo(tmp_path / "fifo.png")
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    cases = {
        tmp_path / "afile" / "m.png": "is a file, not a folder",
        tmp_path / "adir.png": "is a folder",
        tmp_path / "fifo.png": "not a regular file",
        tmp_path / ("m" * limit + ".png"): "bytes long",
    }
    for path, message in cases.items():
        with pytest.raises(OutputError, match=message):
            draw_map(tiny_results, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.png", "afile", "fifo.png"]
    (tmp_path / "old.png").write_bytes(b"old")
    with pytest.raises(OutputError, match="exists: use --force"):
        draw_map(tiny_results, tmp_path / "old.png", overwrite=False)
    with pytest.raises(OutputError, match="refusing to overwrite the input"):
        draw_map(tiny_results, tmp_path / "old.png", protect=[tmp_path / "old.png"])


def test_full_disk_while_writing_the_map(tiny_results, tmp_path, monkeypatch):
    out = tmp_path / "m.png"
    out.write_bytes(b"old map")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="No space left on device"):
        draw_map(tiny_results, out)
    monkeypatch.undo()
    assert out.read_bytes() == b"old map" and [p.name for p in tmp_path.iterdir()] == ["m.png"]


def test_cli_map_unwritable_output_exits_6(solved_cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir.png").mkdir()
    for out in (tmp_path / "afile" / "m.png", tmp_path / "adir.png"):
        res = invoke("map", solved_cli, "-o", out, "--force")
        assert res.exit_code == EXIT_OUTPUT, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.png", "afile"]


def test_two_concurrent_map_runs_on_one_png(solved_cli, tmp_path):
    """The fault measured before: two `map` runs writing one PNG (3 of 6 pairs crashed)."""
    out = tmp_path / "same.png"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "supplyopt.cli", "map", str(solved_cli), "-o", str(out), "--force"]
    for _ in range(2):
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
        outs = [p.communicate(timeout=300)[0].decode() for p in procs]
        assert [p.returncode for p in procs] == [EXIT_OK, EXIT_OK], outs
        assert mpimg.imread(out).shape[:2] == A4_PIXELS[::-1]
        assert [p.name for p in tmp_path.iterdir()] == ["same.png"]


def test_same_plan_same_png_bytes(tiny_results, tmp_path):
    """Label placement is bounded by iterations, not seconds: two draws give identical files, and
    a layout looked up (the second draw) is the layout placed afresh (the cache emptied)."""
    from supplyopt.io import map as map_module

    a, b = draw_map(tiny_results, tmp_path / "a.png"), draw_map(tiny_results, tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert map_module._LAYOUTS  # the second draw found the first one's layout
    map_module._LAYOUTS.clear()
    c = draw_map(tiny_results, tmp_path / "c.png")
    assert c.read_bytes() == a.read_bytes()
