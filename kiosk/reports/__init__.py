"""Documents made from plain values: no database, no HTTP, no Qt.

- The clinician summary and the patient's take-away sheet (``summary``,
  ``takeaway``), PDFs built from the summary object of
  ``GET /api/v1/submissions/{id}`` (docs/staff-api.md) on one page kit
  (``pages``, ``textflow``, ``fonts``, ``bidi``) and returned as bytes; printing
  and saving belong to the console, which can use ``write_pdf`` to save
  atomically. docs/reports.md describes what each holds, the fonts and scripts.
- The equity and outcomes report for the board, as a PDF and a tidy CSV, from the
  anonymised CSV (:mod:`kiosk.reports.board`; docs/board-report.md).
- FHIR R4 resources: forms as Questionnaires, answers as QuestionnaireResponses,
  checked before they leave the clinic (``fhir`` and ``fhir_*``; docs/exports.md).
- ``csv_cells``: every CSV cell the product writes, defused against spreadsheet
  formulas.

Known errors, each with a plain message::

    kiosk.errors.KnownError
    └── ReportError           (kiosk.reports.errors)
        ├── FontError         a bundled font is missing or unreadable (kiosk.reports.fonts)
        ├── FhirError         a FHIR resource that is not valid R4, or a value that
        │                     cannot be written as one (kiosk.reports.fhir)
        ├── PaperFormError    a blank paper form that cannot be made: an unknown
        │                     pathway, a language it lacks (kiosk.reports.paper_form)
        └── BoardReportError  the board report's input cannot be reported on: a bad
                              period, a missing column, a bad value (kiosk.reports.board)
"""

from kiosk.reports.fonts import FontError
from kiosk.reports.output import write_pdf
from kiosk.reports.summary import clinician_summary_pdf
from kiosk.reports.takeaway import takeaway_pdf

__all__ = ["FontError", "clinician_summary_pdf", "takeaway_pdf", "write_pdf"]
