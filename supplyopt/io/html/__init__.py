"""The HTML report of a solved plan (`supplyopt report RESULTS -o plan.html`).

`write_html_report(results, path, overwrite=..., protect=...)` writes one self-contained page,
made from Results only: the plan summary, revenue and costs by period (inline SVG), flows by
corridor and by port (tables and bars), and an interactive map over the offline basemap with a
period selector and hover texts. It works offline: inline CSS, SVG and script only, and a
Content-Security-Policy that forbids loading anything. Every string from the Results is
HTML-escaped, and the script's data is JSON that cannot close its <script> element.

Modules: page (assembly, writing), view (what is shown, from Results), tables, charts, mapsvg,
assets (style sheet and script), fmt (escaping and number formats)."""

from supplyopt.io.html.page import html_report, write_html_report

__all__ = ["html_report", "write_html_report"]
