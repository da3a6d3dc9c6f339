"""CONTRIBUTING.md's "Adding a constraint family" example is real: its schema table, module and
registry line, run as written, give the hand-derived plan with the new limit named everywhere."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
from model_asserts import EXACT, assert_decision, assert_objective

import instances as I
from supplyopt import schema
from supplyopt.inputs import instance as instance_module
from supplyopt.io.memory import instance_from_records
from supplyopt.model import registry
from supplyopt.studies.pipeline import run_solve

CONTRIBUTING = Path(__file__).resolve().parents[2] / "CONTRIBUTING.md"


def _blocks() -> list[str]:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text.split("## Adding a constraint family", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture
def with_example(monkeypatch):
    """The example's table added to the schema the reader checks, its module to the registry."""
    table_src, module_src, registry_line = _blocks()
    table = eval(table_src, vars(schema))  # as written in schema.py, with its names
    monkeypatch.setattr(instance_module, "TABLES", instance_module.TABLES + (table,))
    monkeypatch.setattr(instance_module, "TABLES_BY_NAME", {**instance_module.TABLES_BY_NAME, table.name: table})
    module = types.ModuleType("supplyopt.model.export_quota")
    exec(compile(module_src, "CONTRIBUTING.md: export_quota.py", "exec"), module.__dict__)
    shown: dict = {"export_quota": module}
    exec(registry_line, vars(registry) | shown, shown)  # the registry excerpt, `...` for the lines as they are
    _, before, new, after, _ = shown["FAMILIES"]
    families = list(registry.FAMILIES)
    at = families.index(before) + 1
    assert families[at] is after  # the excerpt matches the registry around the new line
    monkeypatch.setattr(registry, "FAMILIES", tuple(families[:at] + [new] + families[at:]))
    return module


def test_export_quota_example(with_example):
    """tiny() with an export quota of 200 t/yr of CU (ExportQuotas row 2, blank period = every
    period). Per tonne of CONC: refined 0.25 × 600 − 20 − 10 − 0.25 × (10 + 5) − 50 = 66.25,
    exported 100 − 10 − 10 − 5 − 50 = 25. 200 t CU = 800 t CONC refined on 2 modules (12,000
    capex): 800 × 66.25 − 12,000 = 41,000, the other 200 t exported: 5,000 → NPV 46,000.
    One more tonne of quota refines 4 t more instead of exporting them (modules fixed, 1,200 t/yr
    of room): 4 × (66.25 − 25) = 165 USD, the quota's shadow price."""
    recs = I.tiny()
    recs["ExportQuotas"] = [{"commodity": "CU", "quota_t_per_yr": 200}]
    run = run_solve(instance_from_records(recs), EXACT)
    r = run.results
    assert_objective(r, 46_000)
    assert_decision(r, "Sales", "t_per_yr", 200, node="PORT", commodity="CU")
    assert_decision(r, "ExportQuotaUse", "t_per_yr", 200, commodity="CU", period="P1")
    assert_decision(r, "ExportQuotaUse", "quota_t_per_yr", 200, commodity="CU", period="P1")
    prices = r["ShadowPrices"]
    row = prices[prices["family"] == "export_quota"].iloc[0]
    assert (row["sheet"], row["row"], row["limit"], row["used"]) == ("ExportQuotas", 2, 200, pytest.approx(200))
    assert row["npv_per_unit_usd"] == pytest.approx(165)
    assert list(r.tables).index("ExportQuotaUse") == list(r.tables).index("PortUse") + 1


def test_example_quota_names_its_row_in_the_diagnosis(with_example):
    """tiny() with a CU quota of 200 t/yr and a CU contract minimum of 300: infeasible; the
    quota (ExportQuotas row 2) is what binds the 100 t/yr shortfall."""
    from supplyopt.studies.diagnose import diagnose

    recs = I.tiny()
    recs["ExportQuotas"] = [{"commodity": "CU", "quota_t_per_yr": 200}]
    recs["Markets"][1]["min_t_per_yr"] = 300
    diag = diagnose(instance_from_records(recs), EXACT)
    assert [(f.sheet, f.row) for f in diag.violations] == [("Markets", 3)]
    assert ("ExportQuotas", 2, "export quota 200 t/yr of CU in P1") in [(f.sheet, f.row, f.what) for f in diag.binding]
