"""Text for the HTML report: escaping (every string from Results goes through `e`), the number
formats a planner reads, and JSON that is safe inside a <script> element."""

from __future__ import annotations

import html
import json
import math
import numbers
from typing import Any


def e(value: Any) -> str:
    """`value` as HTML text or attribute value: & < > " ' escaped, so a name such as
    `<script>alert(1)</script>` shows as those characters and never runs."""
    return html.escape("" if value is None else str(value), quote=True)


def number(value: Any) -> float | None:
    """A finite float, else None (NaN, inf, text, None, booleans)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def usd(value: Any) -> str:
    """Whole US dollars with thousands separators, ASCII minus (pastes into Excel as a number)."""
    v = number(value)
    return "—" if v is None else f"{v:,.0f}"


def tonnes(value: Any) -> str:
    """Tonnes as a whole number with thousands separators."""
    v = number(value)
    return "—" if v is None else f"{v:,.0f}"


def short_tonnes(value: Any) -> str:
    """Tonnes for a label: 1.13 Mt, 186 kt, 5.2 kt, 950 t."""
    v = number(value) or 0.0
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.2f} Mt"
    if abs(v) >= 1e4:
        return f"{v / 1e3:,.0f} kt"
    if abs(v) >= 1e3:
        return f"{v / 1e3:,.1f} kt"
    return f"{v:,.0f} t"


def short_usd(value: Any) -> str:
    """USD for a label: 32.38 bn, 94.1 M, 12,736."""
    v = number(value) or 0.0
    if abs(v) >= 1e9:
        return f"{v / 1e9:,.2f} bn"
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} M"
    return f"{v:,.0f}"


def percent(value: Any, digits: int = 1) -> str:
    """A fraction as a percentage: 0.25 → '25.0 %'; small gaps keep their first digits."""
    v = number(value)
    if v is None:
        return "—"
    p = v * 100
    if p != 0 and abs(p) < 0.1:
        return f"{p:.2g} %"
    return f"{p:.{digits}f} %"


def _plain(value: Any) -> Any:
    """JSON-ready: NaN and inf become null (JSON.parse refuses them), numpy scalars plain."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return number(value)
    return str(value)


def script_json(data: Any) -> str:
    """JSON for a <script type="application/json"> element: < > & and the two JavaScript line
    separators as \\u escapes, so no string can close the element or open another."""
    text = json.dumps(_plain(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text
