"""HTML tables of the report: revenue and costs by term and period, flows by corridor and by port,
the full summary. Every cell's text is escaped; number cells keep the exact value in `data-value`
(what a test or a script compares), and the period columns carry `data-col` for the selector."""

from __future__ import annotations

from supplyopt.io.html.fmt import e, percent, tonnes
from supplyopt.io.html.view import CostTerm, SummaryRow, Use

NAME_CHARS = 48
FULL = 0.999  # used to capacity  # longer names are cut, the full name kept as the cell's hover text


def num(text: str, value: float | None, col: int | None = None, extra: str = "") -> str:
    if value == 0:
        extra += " zero"
    col_attr = f' data-col="{col}"' if col is not None else ""
    val = "" if value is None else f' data-value="{value!r}"'
    return f'<td class="num{extra}"{col_attr}{val}>{e(text)}</td>'


def capacity(cap: float | None) -> str:
    return "no limit" if cap is None else tonnes(cap)


def peak(util: float | None) -> str:
    """Peak use; a corridor or port used to its capacity (a bottleneck) stands out."""
    return num(percent(util), util, extra=" full" if util is not None and util >= FULL else "")


def period_heads(periods: list[str], shown: int) -> str:
    return "".join(f'<th class="num{" sel" if i == shown else ""}" data-col="{i}">{e(p)}</th>' for i, p in enumerate(periods))


def cut(name: str) -> str:
    if len(name) <= NAME_CHARS:
        return f"<span>{e(name)}</span>"
    return f'<span title="{e(name)}">{e(name[: NAME_CHARS - 1])}…</span>'


def table_unit(values: list[float]) -> tuple[float, str]:
    """Million USD for a plan of ten million or more, else thousand USD, else USD."""
    big = max((abs(v) for v in values), default=0.0)
    return (1e6, "million USD") if big >= 1e7 else (1e3, "thousand USD") if big >= 1e4 else (1.0, "USD")


def cost_table(terms: list[CostTerm], periods: list[str], shown: int) -> str:
    """Its heading and the present value of each term by period, its total, and the net row
    (= NPV), in million USD (thousand USD or USD for a small plan; the exact USD in data-value)."""
    div, unit = table_unit([v for t in terms for v in t.pv] + [t.total for t in terms])
    digits = 1 if div > 1 else 0

    def money(v: float) -> str:
        return f"{v / div:,.{digits}f}"

    head = f'<tr><th>Term</th><th>Kind</th>{period_heads(periods, shown)}<th class="num">Total</th></tr>'
    rows = []
    for t in terms:
        cells = "".join(num(money(v), v, i, " sel" if i == shown else "") for i, v in enumerate(t.pv))
        rows.append(f'<tr data-term="{e(t.term)}"><td>{e(t.label)}</td><td>{e(t.kind)}</td>{cells}{num(money(t.total), t.total)}</tr>')
    net = [sum(t.pv[i] for t in terms) for i in range(len(periods))]
    cells = "".join(num(money(v), v, i, " sel" if i == shown else "") for i, v in enumerate(net))
    rows.append(f'<tr class="total" data-term="net"><td>Net (sum = NPV)</td><td></td>{cells}{num(money(sum(net)), sum(net))}</tr>')
    title = f'<h3 style="margin-top:14px">Present value by term and period ({unit})</h3>'
    return f'{title}<div class="scroll"><table class="data" id="cost-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def corridor_table(cors: list[Use], periods: list[str], shown: int) -> str:
    """Corridors that carry anything, busiest first: tonnes per year by period and peak use;
    the unused ones listed under it."""
    used = sorted((c for c in cors if c.total > 0), key=lambda c: -c.total)
    head = (
        '<tr><th>Corridor</th><th>Name and route</th><th>Mode</th><th class="num">Risk score</th>'
        f'<th class="num">Capacity (t/yr)</th>{period_heads(periods, shown)}<th class="num">Peak use</th></tr>'
    )
    rows = []
    for c in used:
        cap = max((v for v in c.capacity if v is not None), default=None)
        risk = c.info.get("risk")
        cells = "".join(num(tonnes(v), v, i, " sel" if i == shown else "") for i, v in enumerate(c.t))
        rows.append(
            f'<tr data-corridor="{e(c.code)}"><td>{e(c.code)}</td><td class="name">{cut(c.name)}<div class="route">{e(c.info["route"])}</div></td><td>{e(c.info["mode"])}</td>'
            f"{num('—' if risk is None else f'{risk:.3g}', risk)}{num(capacity(cap), cap)}{cells}{peak(c.peak_utilisation)}</tr>"
        )
    unused = [c for c in cors if c.total <= 0]
    tail = ""
    if unused:
        items = ", ".join(f"{e(c.code)} ({e(c.info['route'])})" for c in unused)
        many = f"{len(unused)} corridors carry" if len(unused) > 1 else "1 corridor carries"
        tail = f'<details><summary>{many} nothing in any period</summary><p class="note">{items}</p></details>'
    if not used:
        return '<p class="muted">No corridor carries anything.</p>' + tail
    body = "".join(rows)
    return f'<div class="scroll"><table class="data" id="corridor-table"><thead>{head}</thead><tbody>{body}</tbody></table></div>{tail}'


def port_table(ports: list[Use], periods: list[str], shown: int) -> str:
    """Tonnes per year through each port by period, its capacity and peak use."""
    if not ports:
        return '<p class="muted">No port in the plan.</p>'
    head = f'<tr><th>Port</th><th>Name</th><th class="num">Capacity (t/yr)</th>{period_heads(periods, shown)}<th class="num">Peak use</th></tr>'
    rows = []
    for p in sorted(ports, key=lambda u: -u.total):
        cap = max((v for v in p.capacity if v is not None), default=None)
        cells = "".join(num(tonnes(v), v, i, " sel" if i == shown else "") for i, v in enumerate(p.t))
        rows.append(f'<tr data-port="{e(p.code)}"><td>{e(p.code)}</td><td>{e(p.name)}</td>{num(capacity(cap), cap)}{cells}{peak(p.peak_utilisation)}</tr>')
    return f'<div class="scroll"><table class="data" id="port-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def summary_table(rows: list[SummaryRow], provenance: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr data-key="{e(r.key)}"><td>{e(r.label)}</td><td>{e(r.text)}</td></tr>' for r in rows)
    body += "".join(f"<tr><td>{e(label)}</td><td>{e(value)}</td></tr>" for label, value in provenance)
    return f'<table class="data" id="summary-table"><thead><tr><th>Item</th><th>Value</th></tr></thead><tbody>{body}</tbody></table>'
