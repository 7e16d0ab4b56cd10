"""The equity and outcomes report (docs/board-report.md), computed from the
anonymised CSV itself so every figure can be checked against an export, and the
appointments CSV it is read with, both limited to a scoped administrator's clinics.
The figures and the PDF are made in kiosk.reports.board.
"""

from __future__ import annotations

import csv
import io
import tempfile
from typing import TYPE_CHECKING, Any

from kiosk.clinic.exports.anonymity import ExportError, ExportOptions
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.imd import appointments_csv
from kiosk.clinic.scope import describe

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService


def board_report(
    service: ClinicService,
    *,
    first: str,
    last: str,
    clinic: str | None,
    kind: str,
    actor: str,
    remote: str | None = None,
    clinics: tuple[str, ...] | None = None,
) -> bytes:
    """The equity and outcomes report (docs/board-report.md), as a PDF or CSV, computed
    from the anonymised CSV itself, so every figure can be checked against an export.
    BoardReportError (kiosk.reports' known error) for a bad period."""
    from kiosk.reports.board import ALL_CLINICS, compute_figures, figures_csv, figures_pdf

    if kind not in ("pdf", "csv"):
        raise ExportError("a report is a pdf or a csv")
    options = ExportOptions("board-report", "the equity and outcomes report", clinics=clinics)
    exporter = Exporter(service, options)
    with service.transaction() as db:
        appointments = list(csv.DictReader(io.StringIO(appointments_csv(db))))
    if clinics is not None:  # a scoped administrator's report counts their clinics only
        appointments = [a for a in appointments if a.get("clinic") in clinics]
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        for piece in exporter.csv_chunks():
            spool.write(piece)
        spool.seek(0)
        figures = compute_figures(
            csv.DictReader(spool),
            appointments,
            title="Personalised care screening: reach, equity and outcomes",
            clinic=clinic or ALL_CLINICS,
            first=first,
            last=last,
            measures=service.library.measures(),
        )
    with service.transaction() as db:
        service.audit(
            db,
            actor,
            "export",
            f"ok: board_report_{kind}",
            target=f"{clinic or ALL_CLINICS} {first}..{last}"[:100],
            remote=remote,
            detail="aggregate figures, small numbers suppressed"
            + ("" if clinics is None else f"; clinics: {describe(clinics)}"),
        )
    return figures_pdf(figures) if kind == "pdf" else figures_csv(figures).encode("utf-8")


def scoped_appointments_csv(db: Any, clinics: tuple[str, ...] | None) -> str:
    """The appointments CSV (counts by month, clinic and group), only of ``clinics``
    for an administrator limited to some clinics (None: every clinic)."""
    text = appointments_csv(db)
    if clinics is None:
        return text
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows[:1] + [row for row in rows[1:] if row[1] in clinics])
    return out.getvalue()
