"""The results workbook: a planner's report of one solved plan, which `compare`, `map`, `stress`
and `explain` read back when its results record is missing or does not match (supplyopt.io.plan).

Modules: `writer` (sheet order, atomic write), `layout` (sheet names, markers, which sheets a table
fills), `cells` (formats, values, text never a formula, widths), `rows_xml` (table rows spliced
into the sheet XML), `summary_sheet` (Summary and the hidden meta sheet), `reports`
(CostSummary, SalesSummary), `charts` (Charts, Map), `reader`.

Sheets, in order:

- `Summary`: title, a warning row when the plan is not proven optimal, then an `item | value`
  table with every key of `Results.summary` in order (money with thousands separators, gaps as %,
  times in s); below it, after a blank row, the marker rows `format = supplyopt-results` and
  `format_version = 1`.
- `Costs`: the long-form cost table (one row per money term and period), as in `Results`.
- `CostSummary` (report only): present value by term (rows) and period (columns), a total
  column, the net present value row, and a bar chart of present value by term.
- one sheet per remaining table in `Results.tables` order (Refineries, Upgrades, Flows, ...;
  tables added later are written the same way), header in row 1;
  `SalesSummary` (report only) follows `Sales`: revenue by node and period, with a chart.
  A table longer than a sheet holds (`MAX_SHEET_ROWS` data rows under the header: Excel's
  1,048,576 rows) continues on the sheets right after it, `Flows (2)`, `Flows (3)`, ..., each with
  the same header, frozen pane, filter, widths and formats; the Summary then says so in a note
  below the marker rows, and the workbook is `format_version = 2` (a version-1 reader would read
  only the first sheet and pad the table with blank rows; it refuses the workbook instead).
- `_supplyopt` (hidden): which sheet holds which table (and, for a table continued on more sheets,
  each sheet with its row count), row counts, column dtypes and summary value types, so that
  `read_results_workbook` gives back equal tables (one table however many sheets it fills).

Every table sheet is an Excel Table (T_<sheet>; its filter buttons) with a bold filled header,
frozen header row, fitted column widths and number formats from the column name ('#,##0' for
tonnes and USD, '0.0%' for utilisation, share and gap), else from its dtype (0/1 decisions
yes/no, integers, two decimals: `cells.table_format`); it prints landscape on A4, one page wide,
its header repeated on every page. The Summary's third column ('meaning') gives each item's
label and unit from `supplyopt.io.labels`. The reader treats the workbook as untrusted input
(`io.read.check_workbook_file` first, then typed checks per cell: `typed`). Text is always stored as text, never as a formula (a node named `=HYPERLINK(...)`
stays text); NaN, inf and None are blank cells. Workbooks whose largest table has more than
`WRITE_ONLY_ROWS` rows are streamed with openpyxl's write-only mode (same layout).

Speed: openpyxl makes the workbook (header rows, styles, report sheets, charts, meta) but not the
tables' data rows: those are formatted column by column straight into each sheet's XML and spliced
in after openpyxl has saved (`rows_xml.splice`), the same cells openpyxl would write (numbers as '%.16g',
text as inline strings, the quote prefix as a style), ~10x cheaper per cell.
"""
