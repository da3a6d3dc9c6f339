"""Input tables: cells → typed tables, cross-table checks, the network, scenarios."""
