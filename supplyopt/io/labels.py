"""What a planner reads for a code name: one label with its unit for every summary key and result
column that the workbooks show (Summary, report sheets, charts, the comparison's KPIs), and the
one notation for risk exposure. Every workbook writer takes its words from here, so the same
quantity is never labelled two ways.

Risk exposure is Σ risk score × tonnes: per period a rate (`RISK_EXPOSURE_RATE`, score·t/yr);
summed over the horizon (years × rate, probability-weighted over scenarios) a total
(`RISK_EXPOSURE_UNIT`, score·t).
"""

from __future__ import annotations

RISK_EXPOSURE_UNIT = "score·t"
RISK_EXPOSURE_RATE = "score·t/yr"

# code name -> (label, unit); the unit may be '' (a name, a count, a status).
LABELS: dict[str, tuple[str, str]] = {
    # summary
    "status": ("Solve status", ""),
    "termination": ("Why HiGHS stopped", ""),
    "objective": ("Objective", ""),
    "objective_value": ("Objective value", "USD"),
    "best_bound": ("Best bound on the objective", "USD"),
    "gap": ("MIP gap", "share"),
    "npv_usd": ("NPV", "USD"),
    "revenue_pv_usd": ("Revenue (PV)", "USD"),
    "operating_cost_pv_usd": ("Operating costs (PV)", "USD"),
    "fixed_cost_pv_usd": ("Fixed costs (PV)", "USD"),
    "capex_pv_usd": ("Capex (PV)", "USD"),
    "security_cost_pv_usd": ("Security costs (PV)", "USD"),
    "expected_loss_pv_usd": ("Expected loss (PV)", "USD"),
    "cvar_npv_usd": ("CVaR of NPV", "USD"),
    "state_take_pv_usd": ("State take: royalties and duties (PV), inside operating costs", "USD"),
    "risk_exposure_total": ("Risk exposure, whole horizon", RISK_EXPOSURE_UNIT),
    "refineries_open": ("Refineries opened", ""),
    "upgrades_built": ("Upgrades built", ""),
    "exports_t_per_yr": ("Exports, all ports (mean over periods)", "t/yr"),
    "scenarios": ("Scenarios in the model", ""),
    "scenario": ("Scenario", ""),
    "scenario_overrides": ("Scenario changes", ""),
    "description": ("Scenario description", ""),
    "diagnosis": ("Diagnosis", ""),
    "solve_seconds": ("Solve time", "s"),
    "build_seconds": ("Model build time", "s"),
    "time_limit_s": ("Time limit", "s"),
    "mip_gap_tolerance": ("MIP gap tolerance", "share"),
    "seed": ("HiGHS random seed", ""),
    "columns": ("Model columns", "count"),
    "rows": ("Model rows", "count"),
    "input": ("Input file", ""),
    "input_sha256": ("Input file hash (SHA-256)", ""),
    "instance_sha256": ("Instance hash (SHA-256)", ""),
    "input_tables_sha256": ("Input table hashes", ""),
    "input_schema": ("Input schema hash", ""),
    "run_at_utc": ("Run at (UTC)", ""),
    "version_supplyopt": ("supplyopt version", ""),
    "version_pyomo": ("Pyomo version", ""),
    "version_highspy": ("highspy version", ""),
    "version_pandas": ("pandas version", ""),
    "version_python": ("Python version", ""),
    # result columns (charts and report sheets)
    "t_per_yr": ("Tonnes per year", "t/yr"),
    "exposure": ("Risk exposure", RISK_EXPOSURE_RATE),
    "risk_score": ("Risk score", "score"),
    "present_value_usd": ("Present value", "USD"),
    "revenue_usd_per_yr": ("Sales revenue", "USD/yr"),
    "utilisation": ("Utilisation (input ÷ capacity)", "share"),
}


def label(key: str) -> str:
    """'NPV (USD)': the label with its unit in brackets; a key without a label is shown as is."""
    name, unit = LABELS.get(str(key), (str(key), ""))
    return f"{name} ({unit})" if unit and unit != "count" else name


def unit(key: str) -> str:
    """The unit of a summary key or result column ('' when it has none or is unknown)."""
    return LABELS.get(str(key), ("", ""))[1]
