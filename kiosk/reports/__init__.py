"""PDFs for the staff console: the clinician summary and the patient's take-away sheet.

Both are built from the summary object of ``GET /api/v1/submissions/{id}``
(docs/staff-api.md) and returned as bytes; printing and saving belong to the
console, which can use ``write_pdf`` to save atomically. docs/reports.md
describes what each document holds, the fonts and scripts, and the limits.

Known errors, each with a plain message::

    kiosk.errors.KnownError
    └── ReportError           (kiosk.reports.errors)
        ├── FontError         a bundled font is missing or unreadable (kiosk.reports.fonts)
        ├── FhirError         a FHIR resource that is not valid R4, or a value that
        │                     cannot be written as one (kiosk.reports.fhir)
        └── BoardReportError  the board report's input cannot be reported on: a bad
                              period, a missing column, a bad value (kiosk.reports.board)
"""

from kiosk.reports.fonts import FontError
from kiosk.reports.output import write_pdf
from kiosk.reports.summary import clinician_summary_pdf
from kiosk.reports.takeaway import takeaway_pdf

__all__ = ["FontError", "clinician_summary_pdf", "takeaway_pdf", "write_pdf"]
