"""Security risk, one family per module, each switched by Settings (and by the presence of data in
CorridorRisk, NodeRisk and RiskLimits): security_cost, expected_loss, exposure (budget),
high_risk_share, diversification, escorts.

Sums with a term per tonne carried (security cost, expected loss, exposure) are accounting
columns, each defined per scenario and period by one array-built row, as flows.transport_cost:

    column_{s,p} − Σ_t rate_{e(t),p} · w_{c(t)} · x_t = 0

over the carriers t (see carriers.Carriers): every flow on its corridor and the tonnes every
node handles (carriers.node_cargo). Rates are ≥ 0 (schema: min 0), so the columns are
non-negative. Rows with a term per flow (high-risk share, export-leg corridor share, escorted
convoys) are array rows too. Flow j sits at j = (s · K + k) · P + p (scenario s, k = position
in d.arc_commodities, period p), as in flows.add_flows; no per-flow Pyomo expression is built.
"""
