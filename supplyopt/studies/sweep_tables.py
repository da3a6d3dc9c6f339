"""The tables of a sweep, from its rows (one dict per task, see `supplyopt.studies.sweep.run_task`):
one row per task, the NPV histogram, how often each refinery site is chosen, NPV statistics."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

OK_STATUSES = ("optimal", "feasible (not proven optimal)")  # tasks with a plan


def _fmt_dict(d: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in d.items())


def sweep_table(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per task: status, NPV, key decisions, draws (one column per parameter), error."""
    out = []
    for r in rows:
        rec = {
            "task": r["task"],
            "scenario": r["scenario"],
            "sample": r.get("sample"),
            "status": r.get("status"),
            "npv_usd": r.get("npv_usd"),
            "refineries_open": ", ".join(r.get("sites") or []) or ("none" if r.get("status") in OK_STATUSES else ""),
            "modules_last_period": _fmt_dict({k: v for k, v in (r.get("modules") or {}).items() if v}),
            "upgrades_built": _fmt_dict(r.get("upgrades") or {}),
            "risk_exposure_total": r.get("risk_exposure_total"),
            "revenue_pv_usd": r.get("revenue_pv_usd"),
            "capex_pv_usd": r.get("capex_pv_usd"),
            "gap": r.get("gap"),
            "seconds": r.get("seconds"),
        }
        for k, v in (r.get("draws") or {}).items():
            rec[f"draw {k}"] = v
        rec["error"] = r.get("error", "")
        out.append(rec)
    df = pd.DataFrame(out)
    if len(df):
        df = df[[c for c in df.columns if c != "error"] + ["error"]]
    return df


def npv_histogram(rows: Sequence[dict[str, Any]], bins: int | None = None) -> pd.DataFrame:
    npv = np.array([r["npv_usd"] for r in rows if r.get("status") in OK_STATUSES and r.get("npv_usd") is not None], dtype=float)
    if not len(npv):
        return pd.DataFrame(columns=["npv_from_usd", "npv_to_usd", "bin", "count"])
    n = bins or int(min(20, max(5, math.ceil(math.sqrt(len(npv))))))
    lo, hi = float(npv.min()), float(npv.max())
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(npv, bins=n, range=(lo, hi))
    return pd.DataFrame(
        {
            "npv_from_usd": edges[:-1],
            "npv_to_usd": edges[1:],
            "bin": [f"{_short(a, hi)} – {_short(b, hi)}" for a, b in zip(edges[:-1], edges[1:])],
            "count": counts.astype(int),
        }
    )


def _short(x: float, scale: float) -> str:
    """x in the unit that suits `scale` (the largest value): 1.2 bn, 350.5 M, 12.3 k."""
    big = max(abs(scale), abs(x))
    for div, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if big >= div:
            return f"{x / div:,.1f}{unit}"
    return f"{x:,.0f}"


def site_frequency(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    ok = [r for r in rows if r.get("status") in OK_STATUSES]
    sites = sorted({s for r in rows for s in (r.get("modules") or {})} | {s for r in ok for s in r.get("sites") or []})
    recs = []
    for s in sites:
        chosen = sum(1 for r in ok if s in (r.get("sites") or []))
        mods = [r["modules"].get(s, 0) for r in ok if s in (r.get("sites") or []) and r.get("modules")]
        recs.append(
            {
                "site": s,
                "times_chosen": chosen,
                "share_of_solved": chosen / len(ok) if ok else None,
                "mean_modules_when_chosen": float(np.mean(mods)) if mods else None,
            }
        )
    recs.append(
        {
            "site": "(no refinery)",
            "times_chosen": sum(1 for r in ok if not r.get("sites")),
            "share_of_solved": (sum(1 for r in ok if not r.get("sites")) / len(ok)) if ok else None,
        }
    )
    return pd.DataFrame(recs, columns=["site", "times_chosen", "share_of_solved", "mean_modules_when_chosen"])


def npv_statistics(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    npv = np.array([r["npv_usd"] for r in rows if r.get("status") in OK_STATUSES and r.get("npv_usd") is not None], dtype=float)
    if not len(npv):
        return {}
    return {
        "npv_mean_usd": float(npv.mean()),
        "npv_std_usd": float(npv.std(ddof=1)) if len(npv) > 1 else 0.0,
        "npv_min_usd": float(npv.min()),
        "npv_p05_usd": float(np.percentile(npv, 5)),
        "npv_p50_usd": float(np.percentile(npv, 50)),
        "npv_p95_usd": float(np.percentile(npv, 95)),
        "npv_max_usd": float(npv.max()),
    }
