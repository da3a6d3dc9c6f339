"""HTML report (issue 16 item 5): `supplyopt.io.html.write_html_report` and `supplyopt report`.

The page is one self-contained file: no external URL in any src/href, no remote script, style,
font or image, a Content-Security-Policy that forbids loading anything, and no fetch in its
script. Every string from the Results is HTML-escaped (a node named `<script>alert(1)</script>`
shows as text) and the script's JSON cannot close its element. The numbers shown are the
Results' (checked against the tiny case's hand-derived plan). The CLI exits 0 / 2 (results
unreadable) / 6 (output refused). A real headless Chromium renders it: a non-blank screenshot of
the window's size, and a DOM in which the page's script ran without error.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_helpers import invoke, said
from model_asserts import solve_records
from PIL import Image

import instances as I
from supplyopt.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, OutputError
from supplyopt.io.html import html_report, write_html_report
from supplyopt.io.map import short_label
from supplyopt.io.template import write_template

REPO = Path(__file__).resolve().parents[1]
HOSTILE_NODE = "<script>alert(1)</script>"
HOSTILE_REF = '"><img src=x onerror=alert(2)>'
HOSTILE_PORT = "Port & </script><b>harbour</b>"
HOSTILE_CORRIDOR = "=1+1 javascript:alert(3) '\"<svg onload=alert(4)>"
COORDS = {"MINE": (29.0, 64.0), "REF": (28.5, 65.0), "PORT": (25.0, 66.8)}  # (lat, lon)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRS = {"src", "srcset", "href", "xlink:href", "action", "formaction", "poster", "data", "background", "ping", "manifest", "cite"}


def tiny_hostile(periods: int = 2) -> dict:
    """tests/instances.tiny() on the map (as tests/test_map.py), over 2 periods with the same plan
    in each, and names that would be markup if not escaped. Hand-derived optimum per period (r =
    0): mine 1,000 t CONC (50,000 USD), A carries 1,000 t (100 km × 0.1 USD/t·km: 10,000 USD), the
    refinery smelts it (20,000 USD) into 250 t CU carried on B (2,500 USD), handled at the port
    (1,250 USD) and sold for 150,000 USD; C (rail MINE → PORT) carries nothing; the refinery is
    opened once, 10,000 + 2 × 1,000 USD. NPV = 2 × 150,000 − 2 × 83,750 − 12,000 = 120,500."""
    from test_map import tiny_on_map

    recs = tiny_on_map(periods)
    names = {"MINE": HOSTILE_NODE, "REF": HOSTILE_REF, "PORT": HOSTILE_PORT}
    for n in recs["Nodes"]:
        n["name"] = names[n["node"]]
    recs["Corridors"][0]["name"] = HOSTILE_CORRIDOR
    return recs


@pytest.fixture(scope="module")
def hostile():
    s = solve_records(tiny_hostile())
    assert s.report.objective == pytest.approx(120_500)
    return s.results


@pytest.fixture(scope="module")
def page(hostile) -> str:
    return html_report(hostile)


@pytest.fixture(scope="module")
def pakistan_page(tmp_path_factory, pakistan_base_results) -> Path:
    """The Pakistan base plan's report (tests/conftest.py: one solve per session)."""
    return write_html_report(pakistan_base_results, tmp_path_factory.mktemp("pk_html") / "plan.html")


class Page(HTMLParser):
    """The page as html.parser reads it: elements (tag, attrs), text, scripts and styles; raises
    on an end tag that does not close the innermost open element."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self.stack: list[str] = []
        self.feed(text)
        self.close()
        assert self.stack == [], f"unclosed elements {self.stack}"

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append((dict(self.elements[-1][1]) if self.elements[-1][0] == "script" else {}, data))
        elif self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    def by_id(self, ident: str) -> dict:
        found = [a for _, a in self.elements if a.get("id") == ident]
        assert len(found) == 1, ident
        return found[0]


def text_of(page: str, ident: str) -> str:
    """Text of the element with id `ident` (no nested elements of the same tag)."""
    m = re.search(rf'<(\w+)[^>]*\bid="{re.escape(ident)}"[^>]*>(.*?)</\1>', page, re.S)
    assert m, ident
    return "".join(Page(m.group(2)).text)


def cell(page: str, row_attr: str, key: str, col: int | None) -> tuple[str, float]:
    """(shown text, data-value) of the period `col` cell (None: the row's last number cell)."""
    m = re.search(rf'<tr[^>]*\b{row_attr}="{re.escape(key)}"[^>]*>(.*?)</tr>', page, re.S)
    assert m, key
    cells = re.findall(r'<td class="num[^"]*"( data-col="(\d+)")?( data-value="([^"]*)")?>([^<]*)</td>', m.group(1))
    picked = [c for c in cells if (c[1] == str(col) if col is not None else True)]
    c = picked[0] if col is not None else picked[-1]
    return c[4], float(c[3])


def assert_self_contained(text: str) -> Page:
    doc = Page(text)
    tags = {t for t, _ in doc.elements}
    assert {"html", "head", "body", "svg"} <= tags or {"html", "head", "body"} <= tags
    assert not tags & {"link", "img", "iframe", "object", "embed", "audio", "video", "source", "image", "use", "base", "form"}
    for tag, attrs in doc.elements:
        for name, value in attrs.items():
            if name in URL_ATTRS:
                assert name == "href" and (value or "").startswith("#"), (tag, name, value)
            assert not name.startswith("on"), (tag, name)  # no inline handlers: the one script adds them
            assert "url(" not in (value or "") or re.fullmatch(r".*url\(#[\w-]+\).*", value), (tag, name, value)
    scripts = [a for t, a in doc.elements if t == "script"]
    assert len(scripts) == 2 and all("src" not in a for a in scripts)
    assert [a.get("type") for a in scripts] == ["application/json", None]
    code = "".join(d for a, d in doc.scripts if a.get("type") is None)
    for banned in ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(", "importScripts", "innerHTML", "document.write", "eval("):
        assert banned not in code, banned
    css = "".join(doc.styles)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    csp = [a["content"] for t, a in doc.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src" not in csp[0]
    return doc


# ---------------------------------------------------------------------------------------------
# Self-contained, escaped, the Results' numbers
# ---------------------------------------------------------------------------------------------


def test_page_is_self_contained_and_parses(page):
    assert_self_contained(page)
    assert not re.search(r"https?://", page)  # no address at all (the names hold none)


def test_pakistan_page_is_self_contained(pakistan_page):
    text = pakistan_page.read_text(encoding="utf-8")
    doc = assert_self_contained(text)
    assert not re.search(r"https?://", text)
    assert "Balochistan".upper() in "".join(doc.text)  # the offline basemap's province names are drawn
    assert len(text) < 600_000


def test_every_name_is_text_not_markup(page, hostile):
    doc = Page(page)
    shown = "".join(doc.text)
    # Read back by the parser as the very characters: the corridor's name in its table, the
    # nodes' map labels (their names up to a bracket, at most 24 characters).
    for name in (HOSTILE_CORRIDOR, short_label("MINE", HOSTILE_NODE), short_label("PORT", HOSTILE_PORT), short_label("REF", HOSTILE_REF)):
        assert name in shown, name
    assert HOSTILE_NODE not in page and "<img" not in page and "<svg onload" not in page and "<b>harbour" not in page
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "&lt;script&gt;alert" in page  # the mine's map label, escaped
    data_text = next(d for a, d in doc.scripts if a.get("type") == "application/json")
    assert "<" not in data_text and ">" not in data_text and "&" not in data_text
    data = json.loads(data_text)
    heads = {n["tip"]["h"] for n in data["map"]["nodes"]}
    assert f"{HOSTILE_NODE} (MINE)" in heads and f"{HOSTILE_PORT} (PORT)" in heads and f"{HOSTILE_REF} (REF)" in heads
    assert data["map"]["cors"][0]["tip"]["h"] == f"A: {HOSTILE_CORRIDOR}"


def test_numbers_shown_are_the_results(page, hostile):
    npv = hostile.summary["npv_usd"]
    assert npv == pytest.approx(120_500)
    assert text_of(page, "npv") == f"{npv:,.0f}" == "120,500"
    # The transport term, hand-derived: 10,000 (A) + 2,500 (B) per period, a cost (negative).
    text, value = cell(page, "data-term", "transport", None)
    assert value == pytest.approx(-25_000) and text == "-25.0"  # thousand USD (a small plan)
    assert "Present value by term and period (thousand USD)" in page
    assert value == hostile["Costs"].query("term == 'transport'")["present_value_usd"].sum()
    text, value = cell(page, "data-term", "net", None)
    assert value == pytest.approx(npv)
    # Corridor A carries the 1,000 t of concentrate in each period, B the 250 t of copper.
    for col in (0, 1):
        assert cell(page, "data-corridor", "A", col) == ("1,000", pytest.approx(1_000))
        assert cell(page, "data-corridor", "B", col) == ("250", pytest.approx(250))
    assert 'data-corridor="C"' not in page and "1 corridor carries nothing in any period" in page
    assert cell(page, "data-port", "PORT", 0) == ("250", pytest.approx(250))


def test_summary_labels_with_units(page):
    shown = " ".join(Page(page).text)
    for label in ("NPV (USD)", "MIP gap", "Best bound on the objective (USD)", "Refineries opened", "Upgrades built", "Risk exposure, whole horizon (score·t)"):
        assert label in shown, label
    assert "npv_usd" not in shown and "risk_exposure_total" not in shown


def test_no_coordinates_no_map(tmp_path):
    results = solve_records(I.tiny()).results
    page = html_report(results)
    assert_self_contained(page)
    assert 'id="map"' not in page and "No node has latitude/longitude" in page
    assert text_of(page, "npv") == "54,250"


# ---------------------------------------------------------------------------------------------
# Writing: through io/atomic.py
# ---------------------------------------------------------------------------------------------


def test_write_refusals(hostile, tmp_path):
    out = write_html_report(hostile, tmp_path / "plan.html")
    before = out.read_bytes()
    with pytest.raises(OutputError, match="exists"):
        write_html_report(hostile, out)
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write_html_report(hostile, out, overwrite=True, protect=[out])
    with pytest.raises(OutputError, match="folder"):
        write_html_report(hostile, tmp_path, overwrite=True)
    assert out.read_bytes() == before
    assert write_html_report(hostile, out, overwrite=True).read_bytes() == before  # same plan, same page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html"]


# ---------------------------------------------------------------------------------------------
# CLI: supplyopt report RESULTS -o plan.html
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("report_cli")
    src = write_template(d / "case.xlsx", tiny_hostile())
    res = invoke("solve", src, "-o", d / "plan.xlsx")
    assert res.exit_code == EXIT_OK, res.output
    return d / "plan.xlsx"


def test_cli_report(solved, tmp_path):
    out = tmp_path / "plan.html"
    res = invoke("report", solved, "-o", out)
    assert res.exit_code == EXIT_OK, res.output
    assert "Report written" in said(res) and out.is_file()
    text = out.read_text(encoding="utf-8")
    assert_self_contained(text)
    assert text_of(text, "npv") == "120,500"
    before = out.read_bytes()
    res = invoke("report", solved, "-o", out)
    assert res.exit_code == EXIT_OUTPUT and "--force" in said(res) and out.read_bytes() == before
    assert invoke("report", solved, "-o", out, "--force").exit_code == EXIT_OK


def test_cli_report_default_name_beside_the_workbook(solved):
    res = invoke("report", solved, "--force")
    assert res.exit_code == EXIT_OK, res.output
    assert solved.with_suffix(".html").is_file()


def test_cli_report_never_overwrites_the_workbook_or_input(solved):
    before = solved.read_bytes()
    res = invoke("report", solved, "-o", solved, "--force")
    assert res.exit_code == EXIT_OUTPUT and solved.read_bytes() == before
    src = solved.with_name("case.xlsx")
    before = src.read_bytes()
    res = invoke("report", solved, "-o", src, "--force")
    assert res.exit_code == EXIT_OUTPUT and src.read_bytes() == before


def test_cli_report_bad_results_exit_2(solved, tmp_path):
    res = invoke("report", tmp_path / "missing.xlsx", "-o", tmp_path / "a.html")
    assert res.exit_code == EXIT_INPUT and not (tmp_path / "a.html").exists()
    res = invoke("report", solved.with_name("case.xlsx"), "-o", tmp_path / "b.html")  # an input, not results
    assert res.exit_code == EXIT_INPUT and not (tmp_path / "b.html").exists()


def test_cli_report_unwritable_output_exit_6(solved, tmp_path):
    (tmp_path / "file").write_text("x")
    res = invoke("report", solved, "-o", tmp_path / "file" / "plan.html")
    assert res.exit_code == EXIT_OUTPUT


# ---------------------------------------------------------------------------------------------
# A real browser: headless Chromium
# ---------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1400, 1000)


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={tmp_path / 'profile'}", "--no-first-run", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def screenshot(tmp_path: Path, page: Path) -> Image.Image:
    png = tmp_path / "out.png"
    res = chromium(tmp_path, page.as_uri(), f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars")
    assert png.is_file(), res.stderr[-2000:]
    return Image.open(png).convert("RGB")


def dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    res = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
    assert res.returncode == 0 and "<html" in res.stdout, res.stderr[-2000:]
    return res.stdout


def assert_script_ran(text: str) -> None:
    """The page's script ran to its end and recorded no error on <html>."""
    root = re.search(r"<html([^>]*)>", text).group(1)
    assert 'data-js="ready"' in root and "data-js-error" not in root, root


browser = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (make test installs it)")


@pytest.mark.browser
@browser
def test_chromium_renders_the_pakistan_page(pakistan_page, tmp_path):
    img = screenshot(tmp_path, pakistan_page)
    assert img.size == WINDOW
    colours = img.resize((350, 250)).getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 300  # header, cards, basemap, coloured corridors
    most = max(colours)[0] / (350 * 250)
    assert most < 0.6  # not one blank colour
    text = dom(tmp_path, pakistan_page)
    assert_script_ran(text)
    note = re.search(r'<span id="period-note">([^<]+)</span>', text)
    assert note and "corridors in use" in note.group(1)  # filled in by the page's script


@pytest.mark.browser
@browser
def test_chromium_runs_the_period_selector(hostile, tmp_path):
    page = write_html_report(hostile, tmp_path / "plan.html")
    img = screenshot(tmp_path, page)
    assert img.size == WINDOW and len(img.getcolors(maxcolors=1 << 20) or []) > 100
    for period, index in (("P1", 0), ("P2", 1)):
        text = dom(tmp_path, page, f"#period={period}")
        assert_script_ran(text)
        note = re.search(r'<span id="period-note">([^<]+)</span>', text).group(1)
        assert note.startswith(f"{period}: 250 t/yr sold, 250 t/yr through ports, 2 corridors in use")
        pressed = re.findall(r'<button type="button" data-period="(\d)" class="on" aria-pressed="true">', text)
        assert pressed == [str(index)]
        assert re.search(rf'<div class="per on" data-p="{index}">', text)
    # The hostile names stayed text in the live page: no element the names would have made.
    assert "<img" not in text and "alert(1)</script>" not in text


HOVER = """<script>
(function () {
  var el = document.querySelector('line.hit[data-tip="c0"]'), r = el.getBoundingClientRect();
  el.dispatchEvent(new MouseEvent("mousemove", {bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2}));
})();
</script>"""


@pytest.mark.browser
@browser
def test_chromium_hover_box_shows_the_corridor_as_text(hostile, tmp_path):
    """A mouse over corridor A (an event sent by a test-only script added to a copy of the page)
    opens the hover box with A's name, as text, and its tonnes in the period shown."""
    page = write_html_report(hostile, tmp_path / "plan.html")
    hovered = tmp_path / "hovered.html"
    hovered.write_text(page.read_text(encoding="utf-8").replace("</body>", HOVER + "</body>"), encoding="utf-8")
    text = dom(tmp_path, hovered)
    assert_script_ran(text)
    box = re.search(r'<div id="tip"([^>]*)>(.*)</div></div><div class="maplegend"', text, re.S)
    assert box and "hidden" not in box.group(1), text[-3000:]
    inner = box.group(2)
    assert "<svg" not in inner and "<img" not in inner  # the name stayed text
    shown = "".join(Page(inner).text)
    assert shown.startswith(f"A: {HOSTILE_CORRIDOR}")
    assert "1,000 t/yr" in shown and "CONC 1.0 kt" in shown


def test_solve_html_writes_the_page_beside_the_workbook(tmp_path):
    """solve --html: the plan's page beside its workbook, checked before the solve like every output."""
    from cli_helpers import invoke

    from supplyopt.io.template import write_template

    src = write_template(tmp_path / "case.xlsx", tiny_hostile())
    res = invoke("solve", src, "-o", tmp_path / "r.xlsx", "--html")
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "120,500" in page and "http://" not in page and "https://" not in page
    taken = tmp_path / "s.html"
    taken.write_text("precious")
    res = invoke("solve", src, "-o", tmp_path / "s.xlsx", "--html")
    assert res.exit_code == 6 and taken.read_text() == "precious" and not (tmp_path / "s.xlsx").exists()
