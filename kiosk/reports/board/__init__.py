"""The equity and outcomes report for the trust board, as a PDF and a tidy CSV.

From the anonymised CSV and the appointments CSV (docs/exports.md), for one
clinic or all and a run of months: the screening funnel, the same by IMD
quintile and ethnic group with response rates, and change in the measures
tracked over time. Every published count goes through the small-number rule
(``suppression``) in one place (``publish``). docs/board-report.md describes
the report.

```python
figures = compute_figures(rows, appointment_rows, title="...", clinic="Renal",
                          first="2025-04", last="2025-09")
pdf_bytes = figures_pdf(figures)
csv_text = figures_csv(figures)
```
"""

from kiosk.reports.board.compute import BoardReportError, compute_figures
from kiosk.reports.board.csv_out import figures_csv, report_csv
from kiosk.reports.board.figures import ALL_CLINICS, BoardFigures, Funnel, MeasureOutcome
from kiosk.reports.board.pdf import figures_pdf, report_pdf
from kiosk.reports.board.publish import Line, published_lines
from kiosk.reports.board.stats import PairedChange, paired_change
from kiosk.reports.board.suppression import SUPPRESSION_RULE, suppress_count, suppress_percent

__all__ = [
    "ALL_CLINICS",
    "SUPPRESSION_RULE",
    "BoardFigures",
    "BoardReportError",
    "Funnel",
    "Line",
    "MeasureOutcome",
    "PairedChange",
    "compute_figures",
    "figures_csv",
    "figures_pdf",
    "paired_change",
    "published_lines",
    "report_csv",
    "report_pdf",
    "suppress_count",
    "suppress_percent",
]
