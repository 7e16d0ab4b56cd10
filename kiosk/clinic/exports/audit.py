"""Every export is audited twice: who, what and why when it starts (in the request's
own transaction, so an export that cannot be audited does not start), and how it
ended when its stream stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.clinic.exports.anonymity import ExportOptions
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.scope import describe

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService


def start_export(
    service: ClinicService,
    options: ExportOptions,
    actor: str,
    *,
    what: str = "anonymised_csv",
    remote: str | None = None,
) -> Exporter:
    """An exporter, after writing who, what and why to the audit table ("started: ...").
    Stream it through ``exporter.run`` (``run.csv(exporter)``, ``run.fhir(chunks)``) so
    that its outcome is audited too when the stream ends."""
    exporter = Exporter(service, options)
    flags = [
        name
        for name, on in (
            ("free text", options.include_free_text),
            ("shifted dates", options.shift_dates),
        )
        if on
    ]
    target = f"project {options.project}" + (f" with {', '.join(flags)}" if flags else "")
    detail = f"purpose: {options.purpose.strip()}"
    if options.clinics is not None:  # a scoped administrator exports their clinics only
        detail += f"; clinics: {describe(options.clinics)}"
    # In the request's own transaction: an export that cannot be audited does not start.
    with service.transaction() as db:
        service.audit(
            db,
            actor,
            "export",
            "started: " + what,
            target=target,
            remote=remote,
            detail=detail,
        )
    exporter.run = ExportRun(service, actor, what, target, remote)
    return exporter


@dataclass(frozen=True)
class ExportRun:
    """An export that has been audited as started; ``stream`` audits how it ended:
    "ok" with how many rows or entries went out, or "failed" if the stream broke
    (an error, or the other end went away), with what had gone out by then."""

    service: ClinicService
    actor: str
    what: str
    target: str
    remote: str | None

    def stream(self, chunks: Iterator[str], count: Any, unit: str) -> Iterator[str]:
        pieces, outcome = 0, "failed"
        try:
            for piece in chunks:
                pieces += 1
                yield piece
            outcome = "ok"
        finally:
            self.service.audit_now(
                self.actor,
                "export",
                f"{outcome}: {self.what}",
                target=self.target,
                remote=self.remote,
                detail=f"{count(pieces)} {unit}",
            )

    def fhir(self, chunks: Iterator[str]) -> Iterator[str]:
        """A bundle from ``exports.fhir.fhir_chunks``: one piece per entry, with its
        opening and end."""
        return self.stream(chunks, lambda pieces: max(pieces - 2, 0), "entries")

    def csv(self, exporter: Exporter) -> Iterator[str]:
        return self.stream(exporter.csv_chunks(), lambda _p: exporter.rows_written, "rows")
