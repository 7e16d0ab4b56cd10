"""The base of the reports layer's known errors (the tree is drawn in ``kiosk.reports``)."""

from __future__ import annotations

from kiosk.errors import KnownError


class ReportError(KnownError):
    """Base class for known errors of making a document, an export format or a report."""
