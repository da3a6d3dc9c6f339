"""`python -m supplyopt.cli ...` runs the `supplyopt` command."""

import sys

from supplyopt.cli.app import app

sys.exit(app())
