"""supplyopt: optimise Pakistan's critical-minerals export chain (Pyomo MILP solved by HiGHS)."""

__version__ = "0.1.0"
