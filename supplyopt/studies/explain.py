"""Explain a decision: re-solve with one decision forced the other way and report what it costs
and what changes ("why not Gwadar?").

Sites: opened ↔ kept closed. Corridors: a used corridor is closed in every period; an unused
corridor with an upgrade gets that upgrade forced; an upgrade built ↔ not built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from supplyopt.errors import InputError, Problem, suggest
from supplyopt.inputs.instance import Instance
from supplyopt.model.data import BASE_SCENARIO, prepare
from supplyopt.results import Results
from supplyopt.solve.highs import SolveOptions
from supplyopt.studies.design import Design
from supplyopt.studies.pipeline import SolveRun, run_solve


@dataclass
class Explanation:
    question: str
    forced: str
    base_npv: float
    forced_npv: float | None
    status: str
    changes: list[str] = field(default_factory=list)
    cost_changes: pd.DataFrame | None = None
    forced_results: Results | None = None

    @property
    def npv_difference(self) -> float | None:
        return None if self.forced_npv is None else self.forced_npv - self.base_npv

    def __str__(self) -> str:
        lines = [self.question, f"Forced: {self.forced}."]
        if self.forced_npv is None:
            lines.append(f"With that forced there is no feasible plan ({self.status}).")
            return "\n".join(lines)
        diff = self.npv_difference
        verdict = "costs" if diff < 0 else "gains"
        lines.append(f"NPV {self.base_npv:,.0f} → {self.forced_npv:,.0f} USD: forcing it {verdict} {abs(diff):,.0f} USD.")
        if self.changes:
            lines.append("What changes:")
            lines += [f"  - {c}" for c in self.changes]
        return "\n".join(lines)


def _opened(results: Results) -> set[str]:
    ref = results["Refineries"]
    return set(ref.loc[ref["open"] == 1, "site"]) if len(ref) else set()


def _built(results: Results) -> set[str]:
    up = results["Upgrades"]
    return set(up.loc[up["built"].astype(bool), "upgrade"]) if len(up) else set()


def _corridor_tonnes(results: Results) -> pd.Series:
    f = results["Flows"]
    if "scenario" in f:
        f = f[f["scenario"] == BASE_SCENARIO]
    return f.groupby("corridor")["t_per_yr"].sum() if len(f) else pd.Series(dtype=float)


def explain(
    inst: Instance,
    base: Results | None = None,
    site: str | None = None,
    corridor: str | None = None,
    upgrade: str | None = None,
    options: SolveOptions = SolveOptions(),
) -> Explanation:
    """Solve (or take) the base plan, force one decision the other way, solve again, compare."""
    if sum(x is not None for x in (site, corridor, upgrade)) != 1:
        raise InputError("name exactly one of --site, --corridor or --upgrade")
    if base is None:
        base = run_solve(inst, options, with_shadow_prices=False).results
    d = prepare(inst)
    if site is not None:
        _known(site, d.sites, "Refineries", "site")
        if d.sites[site]["existing_modules"] > 0:
            raise InputError([Problem("Refineries", d.rows.get(("Refineries", site)), "site", f"'{site}' already exists: it cannot be forced closed")])
        is_open = site in _opened(base)
        d.forced_design[("site", site)] = not is_open
        question = f"Why is refinery site {site} {'opened' if is_open else 'not opened'}?"
        forced = f"site {site} {'kept closed' if is_open else 'opened'}"
        if not is_open and not d.site_periods[site]:  # forcing it open would be the trivial row 0 == 1
            why = "it cannot open within the horizon: see its earliest_period and lead_time_years"
            return Explanation(question, forced, base.summary["npv_usd"], None, why)
    elif upgrade is not None:
        _known(upgrade, d.upgrades, "Upgrades", "upgrade")
        built = upgrade in _built(base)
        d.forced_design[("upgrade", upgrade)] = not built
        question = f"Why is upgrade {upgrade} {'built' if built else 'not built'}?"
        forced = f"upgrade {upgrade} {'not built' if built else 'built'}"
    else:
        _known(corridor, d.corridor_capacity, "Corridors", "corridor")
        used = float(_corridor_tonnes(base).get(corridor, 0.0)) > 0
        if used:
            for s in d.scenarios:
                for p in d.periods:
                    d.factors[(s, "corridor", corridor, p)] = 0.0
            question, forced = f"Why is corridor {corridor} used?", f"corridor {corridor} closed in every period"
        else:
            ups = d.upgrades_of("corridor", corridor)
            if not ups:
                return Explanation(
                    f"Why is corridor {corridor} not used?",
                    "nothing (the corridor is open and has no upgrade to force)",
                    base.summary["npv_usd"],
                    base.summary["npv_usd"],
                    "optimal",
                    [f"{corridor} is open but carrying anything on it lowers NPV; its shadow prices show by how much per tonne."],
                )
            d.forced_design[("upgrade", ups[0])] = True
            question, forced = f"Why is corridor {corridor} not used?", f"upgrade {ups[0]} of corridor {corridor} built"
    run: SolveRun | None = None
    try:
        # Warm-started from the base plan's design: all but the forced decision still fit it.
        run = run_solve(inst, options, with_shadow_prices=False, diagnose_infeasible=False, model_data=d, warm=Design.from_results(base))
    except Exception as exc:  # infeasible/solver errors are an answer here, not a crash
        from supplyopt.errors import SupplyoptError

        if not isinstance(exc, SupplyoptError):
            raise
        return Explanation(question, forced, base.summary["npv_usd"], None, str(exc).split(":")[0])
    return _compare(question, forced, base, run.results)


def _known(name: str, valid, sheet: str, column: str) -> None:
    if name not in valid:
        raise InputError([Problem(sheet, None, column, f"'{name}' is not in {sheet}{suggest(name, valid)}")])


def _compare(question: str, forced: str, base: Results, new: Results) -> Explanation:
    changes = []
    for s in sorted(_opened(new) - _opened(base)):
        changes.append(f"refinery {s} opens")
    for s in sorted(_opened(base) - _opened(new)):
        changes.append(f"refinery {s} no longer opens")
    for u in sorted(_built(new) - _built(base)):
        changes.append(f"upgrade {u} is built")
    for u in sorted(_built(base) - _built(new)):
        changes.append(f"upgrade {u} is no longer built")
    a, b = _corridor_tonnes(base), _corridor_tonnes(new)
    delta = b.sub(a, fill_value=0.0)
    delta = delta[delta.abs() > 1e-3].sort_values(key=lambda x: -x.abs())
    for k, v in delta.head(8).items():
        changes.append(f"corridor {k}: {'+' if v > 0 else ''}{v:,.0f} t/yr summed over periods")
    ca = base["Costs"].groupby("label", sort=False)["present_value_usd"].sum()
    cb = new["Costs"].groupby("label", sort=False)["present_value_usd"].sum()
    costs = pd.DataFrame({"base_pv_usd": ca, "forced_pv_usd": cb}).fillna(0.0)
    costs["difference_usd"] = costs["forced_pv_usd"] - costs["base_pv_usd"]
    for label, row in costs[costs["difference_usd"].abs() > 0.5].sort_values("difference_usd", key=abs, ascending=False).head(6).iterrows():
        changes.append(f"{label}: NPV effect {row['difference_usd']:+,.0f} USD")
    return Explanation(question, forced, base.summary["npv_usd"], new.summary["npv_usd"], new.summary["status"], changes, costs.reset_index(names="term"), new)
