"""Supply side of the synthetic instances: mines (capacities, costs, ramp-ups, expansions) and
refinery candidates with their poly-metallic recipes and co-products."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from supplyopt.synthetic.draft import Draft
from supplyopt.synthetic.geography import round_to


def add_mines(d: Draft) -> tuple[list[dict[str, Any]], dict[tuple[str, str], float]]:
    """Mines rows, and each (mine, concentrate)'s smallest capacity over the periods (the
    contract witness routes no more than that)."""
    rng, pnames, systems, factors, mines = d.rng, d.pnames, d.systems, d.factors, d.mines
    mine_rows: list[dict[str, Any]] = []
    mine_min_cap: dict[tuple[str, str], float] = {}  # smallest capacity over periods (witness)
    for code, sys_idx in mines:
        ramp = rng.random() < 0.2
        if ramp:
            factors.append({"element_type": "mine", "element": code, "period": pnames[0], "factor": 0.5})
        for k, si in enumerate(sys_idx):
            s = systems[si]
            conc, _name, price = s["conc"]
            lo, hi = s["mine_t"]
            cap = round_to(float(np.exp(rng.uniform(math.log(lo), math.log(hi)))) * (0.4 if k else 1.0), 1e3)
            cost = round(price * rng.uniform(*s["mine_cost"]), 2)
            mine_rows.append({"mine": code, "commodity": conc, "max_t_per_yr": cap, "cost_usd_per_t": cost})
            smallest = cap * (0.5 if ramp else 1.0)
            if len(pnames) > 2 and rng.random() < 0.25:  # expansion from a later period
                p = int(rng.integers(2, len(pnames)))
                mine_rows.append({"mine": code, "commodity": conc, "period": pnames[p], "max_t_per_yr": round_to(cap * 1.5, 1e3), "cost_usd_per_t": cost})
            mine_min_cap[(code, conc)] = smallest
    return mine_rows, mine_min_cap


def add_refineries(d: Draft) -> tuple[list[dict[str, Any]], int]:
    """Refineries rows (one existing site from size M on) and the longest lead time in years."""
    prm, rng, pnames, factors = d.prm, d.rng, d.pnames, d.factors
    site_codes, site_anchor, port_codes = d.site_codes, d.site_anchor, d.port_codes
    refineries: list[dict[str, Any]] = []
    lead_max = 0
    for i, code in enumerate(site_codes):
        at_port = site_anchor[code] in port_codes
        lead = int(rng.integers(1, 4))
        lead_max = max(lead_max, lead)
        existing = 1 if (prm.existing_site and i == 0) else 0
        refineries.append(
            {
                "site": code,
                "open_capex_usd": 0.0 if existing else round_to(rng.uniform(1.5e8, 3.5e8) * (0.9 if at_port else 1.1), 1e6),
                "fixed_opex_usd_per_yr": round_to(rng.uniform(8e6, 1.6e7), 1e5),
                "module_size_t_per_yr": round_to(rng.uniform(1.0e5, 2.5e5), 1e4),
                "module_capex_usd": round_to(rng.uniform(1.2e8, 2.4e8), 1e6),
                "module_opex_usd_per_yr": round_to(rng.uniform(2e6, 5e6), 1e5),
                "max_modules": int(rng.integers(3, 7)),
                "existing_modules": existing,
                "lead_time_years": lead,
                # Mine-mouth sites need power and water first: some cannot start before period 2.
                "earliest_period": pnames[1] if (not at_port and not existing and len(pnames) > 1 and rng.random() < 0.5) else None,
            }
        )
    if site_codes and len(pnames) > 1:
        factors.append({"element_type": "refinery", "element": site_codes[-1], "period": pnames[-1], "factor": 0.8})
    return refineries, lead_max


def add_recipes(d: Draft) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Recipes and RecipeOutputs rows: a smelting recipe per system (cheaper at some port sites)
    and, where the system has one, a leaching alternative at mine-mouth sites only."""
    rng, systems, site_codes, site_anchor = d.rng, d.systems, d.site_codes, d.site_anchor
    port_codes, hub_codes = d.port_codes, d.hub_codes

    recipes: list[dict[str, Any]] = []
    recipe_outputs: list[dict[str, Any]] = []
    for s in systems:
        conc = s["conc"][0]
        rname = f"{s['key']}_SMELT"
        recipes.append({"recipe": rname, "input_commodity": conc, "cost_usd_per_t": s["recipe_cost"]})
        for pcode, _n, _p, y in s["products"]:
            recipe_outputs.append({"recipe": rname, "output_commodity": pcode, "yield": y})
        # Port-side sites have cheaper power and reagents: a site-specific cost row.
        for code in site_codes:
            if site_anchor[code] in port_codes and rng.random() < 0.5:
                recipes.append({"recipe": rname, "site": code, "input_commodity": conc, "cost_usd_per_t": round(s["recipe_cost"] * 0.9, 2)})
        if s["alt"]:
            aname, acost, outs = s["alt"]
            aname = aname if s["key"] in aname else f"{s['key']}_{aname}"
            for code in site_codes:
                if site_anchor[code] in hub_codes:  # leaching at the mine mouth only
                    recipes.append({"recipe": aname, "site": code, "input_commodity": conc, "cost_usd_per_t": acost})
            if any(site_anchor[c] in hub_codes for c in site_codes):
                for pcode, y in outs:
                    recipe_outputs.append({"recipe": aname, "output_commodity": pcode, "yield": y})
    return recipes, recipe_outputs
