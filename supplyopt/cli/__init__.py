"""Command line: `supplyopt template|validate|solve|...` (see supplyopt.cli.app)."""

from supplyopt.cli.app import app, main

__all__ = ["app", "main"]
