"""Every export is audited twice: who, what and why when it starts (in the request's
own transaction, so an export that cannot be audited does not start), and how it
ended when its stream stops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.clinic.exports.anonymity import ExportOptions
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.exports.run import ExportRun
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
