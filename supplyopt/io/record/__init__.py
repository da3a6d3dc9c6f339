"""The results record: the Parquet tables and JSON summary written beside every results workbook
(`base.xlsx` → `base.record/`), what compare, map, stress and explain read back (200k flow rows:
0.05 s against 12 s for the workbook, benchmarks/records.py). Modules: `store` (the folder's
files, reading with every check), `columns` (one table ⇄ one Parquet table, exactly), `values`
(summary values and mixed object values with type tags), `folder` (staged, then renamed into
place). supplyopt.io.plan is the API."""
