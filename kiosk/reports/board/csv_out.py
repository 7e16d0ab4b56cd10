"""The board report as a long, tidy CSV: one published figure per line.

Columns: ``section,group_by,group,measure,statistic,value`` (docs/board-report.md).
Every value comes from ``publish.published_lines``, so it is suppressed exactly
as in the PDF.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from kiosk.reports.board.compute import compute_figures
from kiosk.reports.board.figures import ALL_CLINICS, BoardFigures
from kiosk.reports.board.publish import FIELDS, published_lines
from kiosk.reports.csv_cells import safe_row


def figures_csv(figures: BoardFigures) -> str:
    """The published figures as CSV text (RFC 4180, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for line in published_lines(figures):
        writer.writerow(safe_row(line))
    return buffer.getvalue()


def report_csv(
    rows: Iterable[Mapping[str, str]],
    appointments: Iterable[Mapping[str, str]] | None = None,
    *,
    title: str,
    clinic: str = ALL_CLINICS,
    first: str,
    last: str,
) -> str:
    """The board report CSV straight from the export's rows (see ``compute_figures``)."""
    return figures_csv(
        compute_figures(rows, appointments, title=title, clinic=clinic, first=first, last=last)
    )
