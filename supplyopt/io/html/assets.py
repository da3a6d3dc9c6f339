"""The report's style sheet and script, inlined into the page (nothing is fetched).

The script only reads the page's own JSON (`#plan-data`) and writes text with textContent, never
innerHTML, so no string from the Results is ever parsed as markup. What it does: the period
selector (buttons, ←/→ keys, `#period=NAME` in the address), redrawing the map's corridors and
refinery stars for the period, showing that period's bars and table column, and the hover box
over corridors and nodes. Errors are recorded on <html data-js-error> (the browser test reads it)."""

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;background:#f2f4f7}
header{background:#12355b;color:#fff;padding:16px 28px 14px}
header h1{margin:0;font-size:22px;font-weight:600}
header .sub{color:#c9d6e6;font-size:13px;margin-top:2px}
main{max-width:1380px;margin:0 auto;padding:0 20px 40px}
h2{font-size:18px;margin:26px 0 8px;color:#12355b}
h3{font-size:14px;margin:4px 0 6px;color:#334e68}
.muted{color:#7b8794}
.warn{background:#fff3cd;border:1px solid #e0b441;color:#7a4f01;border-radius:8px;padding:10px 14px;margin:14px 0 0}
.cards{display:grid;grid-template-columns:1.3fr 1fr 1fr 1fr 1fr 1fr;gap:12px;margin:14px 0 6px}
.card{background:#fff;border-radius:8px;padding:10px 14px;box-shadow:0 1px 2px rgba(16,42,67,.12)}
.card .k{font-size:12px;color:#52606d}
.card .v{font-size:21px;font-weight:600;margin-top:2px;overflow-wrap:anywhere}
.card .v.small{font-size:15px}
.card .s{font-size:12px;color:#52606d;margin-top:2px}
.badge{display:inline-block;border-radius:12px;padding:1px 10px;font-size:15px}
.badge.ok{background:#d7f0dd;color:#12632a}.badge.bad{background:#fde2cf;color:#8a3b00}
.periodbar{position:sticky;top:0;z-index:5;background:rgba(242,244,247,.95);padding:8px 0;display:flex;flex-wrap:wrap;gap:6px;align-items:center;border-bottom:1px solid #d9dee4}
.periodbar .k{font-weight:600;margin-right:4px}
.periodbar button{border:1px solid #9aa5b1;background:#fff;border-radius:16px;padding:3px 12px;cursor:pointer;font:inherit;color:#1f2933}
.periodbar button.on{background:#12355b;color:#fff;border-color:#12355b}
#period-note{margin-left:10px;color:#334e68}
.mapgrid{display:grid;grid-template-columns:minmax(0,800px) minmax(0,1fr);gap:16px;margin-top:12px;align-items:start}
.panel{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(16,42,67,.12)}
#map-wrap{position:relative}
#map{width:100%;height:auto;display:block;border-radius:4px}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #9aa5b1;border-radius:6px;padding:6px 9px;font-size:12.5px;line-height:1.35;box-shadow:0 2px 8px rgba(0,0,0,.22);max-width:360px;z-index:3}
#tip b{display:block;margin-bottom:2px}
.maplegend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:#334e68;margin-top:8px;align-items:center}
.maplegend svg{vertical-align:middle}
.ramp{display:inline-block;width:120px;height:10px;border-radius:3px;vertical-align:middle;margin:0 4px}
line.cor{stroke-linecap:round;opacity:.9}line.cor.dashed{stroke-linecap:butt}
line.cor.hover{opacity:1;filter:drop-shadow(0 0 2px #000)}
line.hit{stroke:transparent;stroke-width:14;cursor:pointer}
.node{stroke:#fff;stroke-width:1.2;cursor:pointer}
.star{fill:#d7191c;stroke:#000;stroke-width:1;cursor:pointer}.legend-star{stroke:#000;stroke-width:1.4}
.label{font-size:12px;font-weight:600;fill:#1f2933;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;pointer-events:none}
.label.minor{font-size:10px;font-weight:400;fill:#52606d}
.province{font-size:11px;fill:#9a9a9a;font-style:italic;letter-spacing:1px;pointer-events:none}
.per{display:none}.per.on{display:block}
.chart,.bars{width:100%;height:auto;display:block}
.grid{stroke:#e4e7eb}.axis0{stroke:#52606d;stroke-width:1.2}
.tick{font-size:12px;fill:#52606d}.axis-label{font-size:12px;fill:#52606d}
g.sel .period{font-weight:700;fill:#12355b}.band{fill:transparent}g.sel .band{fill:#fff4d6}
.net{fill:#111}.net-label{font-size:11.5px;fill:#111;font-weight:600}
.bar{fill:#2f6fb0}.track{fill:#e1e9f3}
.bar-label{font-size:12px;fill:#1f2933}.bar-sub{font-size:10px;fill:#7b8794}.bar-value{font-size:11.5px;fill:#1f2933}
.legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12.5px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.swatch.diamond{background:#111;transform:rotate(45deg) scale(.8)}
.scroll{overflow-x:auto}
table.data{border-collapse:collapse;width:100%;font-size:12.5px;background:#fff}
table.data th{background:#e9eef4;text-align:left;font-weight:600;padding:5px 6px;white-space:nowrap}
table.data td{padding:4px 6px;border-bottom:1px solid #e4e7eb;vertical-align:top}
table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.data td.name{min-width:200px;max-width:250px}table.data .route{font-size:11.5px;color:#52606d}
table.data tr.total td{font-weight:700;border-top:2px solid #52606d}
table.data .sel{background:#fff4d6}table.data td.zero{color:#aab4be}table.data td.full{color:#b42318;font-weight:700}
table.data th.sel{background:#f7dc8f}
.note{font-size:12.5px;color:#52606d;margin:6px 0 0}
details{margin-top:8px}
footer{max-width:1380px;margin:0 auto;padding:0 20px 30px;font-size:12px;color:#7b8794}
@media print{.periodbar{position:static}#tip{display:none}body{background:#fff}}
"""

JS = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("error", function (ev) { root.setAttribute("data-js-error", String(ev.message || "error")); });
  var D = JSON.parse(document.getElementById("plan-data").textContent);
  var P = D.periods, cur = D.shown, UNUSED = "#bdbdbd";
  var byC = {}, byN = {};
  ((D.map && D.map.cors) || []).forEach(function (c) { byC[c.k] = c; });
  ((D.map && D.map.nodes) || []).forEach(function (n) { byN[n.k] = n; });
  function each(sel, fn) { Array.prototype.forEach.call(document.querySelectorAll(sel), fn); }

  function show(i) {
    if (!(i >= 0 && i < P.length)) return;
    cur = i;
    each("[data-period]", function (b) {
      var on = +b.getAttribute("data-period") === i;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    each(".per", function (el) { el.classList.toggle("on", +el.getAttribute("data-p") === i); });
    each("[data-col]", function (el) { el.classList.toggle("sel", +el.getAttribute("data-col") === i); });
    var g = document.querySelector("#map .corridors"), used = [];
    each("line.cor", function (ln) {
      var c = byC[ln.getAttribute("data-c")], w = c ? c.w[i] : 0;
      ln.setAttribute("stroke", w > 0 ? c.col : UNUSED);
      ln.setAttribute("stroke-width", w > 0 ? w : 1);
      if (c && c.d[i]) ln.setAttribute("stroke-dasharray", c.d[i]); else ln.removeAttribute("stroke-dasharray");
      ln.classList.toggle("used", w > 0);
      if (w > 0) used.push([w, ln]);
    });
    // Used corridors on top of unused ones, the widest first so narrow ones stay visible.
    used.sort(function (a, b) { return b[0] - a[0]; });
    used.forEach(function (u) { g.appendChild(u[1]); });
    each("path.star", function (s) {
      var n = byN[s.getAttribute("data-n")];
      if (n && n.star && n.star[i]) s.removeAttribute("display"); else s.setAttribute("display", "none");
    });
    each(".period-name", function (el) { el.textContent = P[i]; });
    var note = document.getElementById("period-note");
    if (note) note.textContent = D.notes[i] || "";
  }

  function setHash() {
    try { history.replaceState(null, "", "#period=" + encodeURIComponent(P[cur])); } catch (err) { /* file:// may refuse */ }
  }
  function fromHash() {
    var m = /[#&]period=([^&]*)/.exec(location.hash);
    if (!m) return null;
    var i = P.indexOf(decodeURIComponent(m[1]));
    return i >= 0 ? i : null;
  }
  each("[data-period]", function (b) {
    b.addEventListener("click", function () { show(+b.getAttribute("data-period")); setHash(); });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === "ArrowRight" && cur < P.length - 1) { show(cur + 1); setHash(); }
    if (ev.key === "ArrowLeft" && cur > 0) { show(cur - 1); setHash(); }
  });
  window.addEventListener("hashchange", function () { var h = fromHash(); if (h !== null) show(h); });

  var tip = document.getElementById("tip"), wrap = document.getElementById("map-wrap"), lit = null;
  function light(ln) { if (lit) lit.classList.remove("hover"); lit = ln; if (ln) ln.classList.add("hover"); }
  function fill(t) {
    tip.textContent = "";
    var h = document.createElement("b");
    h.textContent = t.h;
    tip.appendChild(h);
    t.f.concat(t.p[cur] || []).forEach(function (s) {
      var d = document.createElement("div");
      d.textContent = s;
      tip.appendChild(d);
    });
  }
  if (wrap && tip) {
    wrap.addEventListener("mousemove", function (ev) {
      var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
      var id = el ? el.getAttribute("data-tip") : "";
      var item = id.charAt(0) === "c" ? byC[id.slice(1)] : id.charAt(0) === "n" ? byN[id.slice(1)] : null;
      if (!item) { tip.hidden = true; light(null); return; }
      fill(item.tip);
      light(id.charAt(0) === "c" ? document.querySelector('line.cor[data-c="' + item.k + '"]') : null);
      tip.hidden = false;
      var r = wrap.getBoundingClientRect(), x = ev.clientX - r.left + 14, y = ev.clientY - r.top + 14;
      if (x + tip.offsetWidth > r.width) x = Math.max(ev.clientX - r.left - tip.offsetWidth - 14, 0);
      if (y + tip.offsetHeight > r.height) y = Math.max(ev.clientY - r.top - tip.offsetHeight - 14, 0);
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    });
    wrap.addEventListener("mouseleave", function () { tip.hidden = true; light(null); });
  }

  var h = fromHash();
  show(h === null ? cur : h);
  root.setAttribute("data-js", "ready");
})();
"""
