"""Per-family model tests: the shared builders (instances, model_asserts, risk_instances) live in tests/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
