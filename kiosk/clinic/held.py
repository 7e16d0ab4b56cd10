"""Submissions held at the clinic: kept aside with a reason, shown to an administrator,
and re-processed after a fix.

A submission is held when it cannot be stored as it is: it does not open, its id
conflicts with a different stored envelope, its pathway, language or an answer is
not one the clinic's forms allow (:mod:`kiosk.clinic.intake`), or storing it
failed ("error: <exception type>"). The envelope is kept whole, so nothing a
patient answered is lost, and the tablet is given a receipt for it so it stops
resending (docs/sync-protocol.md).

Re-processing runs the envelope through the same path as a fresh receipt, with
the clinic's forms read again from its forms folders (an administrator may have
added a form version or a pathway). Stored: the held row is marked resolved,
with who and when; nothing is ever deleted. Held again: the row keeps the new
reason. Every list and every re-process is audited.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from kiosk.clinic.models import Device, HeldSubmission
from kiosk.clinic.service import Refused, now_text
from kiosk.engine import EngineError, FormLibrary
from kiosk.envelope.envelope import read_header
from kiosk.envelope.errors import EnvelopeError

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

log = logging.getLogger(__name__)
HELD = "held"
RESOLVED = "resolved"


def reason_code(reason: str) -> str:
    """The kind of a reason ("invalid answer", "unknown pathway", "error", ...)."""
    return reason.split(":", 1)[0][:40]


def pathway_of(envelope: bytes) -> str | None:
    """The pathway an envelope's clear header names, if it can be read."""
    try:
        pathway = read_header(envelope).get("pathway")
    except EnvelopeError:
        return None
    if not isinstance(pathway, str) or not pathway:
        return None
    return "".join(c if c.isprintable() else "?" for c in pathway)[:64]


def hold(
    db: Session,
    *,
    device_id: str,
    submission_id: str,
    envelope: bytes,
    digest: str,
    reason: str,
) -> None:
    """Keep ``envelope`` aside with ``reason``; the same envelope held again keeps one row
    (with the newest reason)."""
    row = db.scalar(
        select(HeldSubmission).where(
            HeldSubmission.submission_id == submission_id,
            HeldSubmission.envelope_hash == digest,
            HeldSubmission.status == HELD,
        )
    )
    if row is not None:
        row.reason = reason[:200]
        return
    db.add(
        HeldSubmission(
            submission_id=submission_id,
            device_id=device_id,
            envelope=envelope,
            envelope_hash=digest,
            reason=reason[:200],
            received_at=now_text(),
            status=HELD,
            pathway=pathway_of(envelope),
        )
    )


def resolve(db: Session, submission_id: str, digest: str, actor: str) -> None:
    """This envelope is stored: any held copy of it is resolved (kept, with who and when).

    Runs in the storing transaction, whether an administrator re-processed it or a
    tablet sent it again once the fault was fixed."""
    for row in db.scalars(
        select(HeldSubmission).where(
            HeldSubmission.submission_id == submission_id,
            HeldSubmission.envelope_hash == digest,
            HeldSubmission.status == HELD,
        )
    ):
        row.status, row.resolved_at, row.resolved_by = RESOLVED, now_text(), actor[:100]


class HeldReview:
    """An administrator's view of held submissions, and re-processing them."""

    def __init__(self, service: ClinicService) -> None:
        self.service = service

    def entries(
        self, actor: str, *, include_resolved: bool = False, remote: str | None = None
    ) -> list[dict[str, Any]]:
        """Held submissions, oldest first (what, when, from which tablet, why); audited."""
        query = (
            select(HeldSubmission, Device.name)
            .options(defer(HeldSubmission.envelope))  # up to 8 MiB each: never listed
            .outerjoin(Device, Device.id == HeldSubmission.device_id)
            .order_by(HeldSubmission.id)
        )
        if not include_resolved:
            query = query.where(HeldSubmission.status == HELD)
        with self.service.transaction() as db:
            rows = db.execute(query).all()
            self.service.audit(
                db, actor, "read_held", "ok", target=f"{len(rows)} held", remote=remote
            )
            return [_entry(row, name) for row, name in rows]

    def reprocess(self, actor: str, held_id: int, remote: str | None = None) -> dict[str, Any]:
        """Run one held submission through the receipt path again; audited.

        Refused 404 if there is no such held row, 409 if it was stored already."""
        with self.service.transaction() as db:
            row = db.get(HeldSubmission, held_id)
            refusal = None
            if row is None:
                refusal = Refused(404, "not_found", "There is no such held submission.")
            elif row.status != HELD:
                refusal = Refused(409, "resolved", "This held submission was stored already.")
            if refusal is not None:
                self.service.audit(db, actor, "reprocess_held", refusal.code,
                                   target=str(held_id), remote=remote)  # fmt: skip
        if refusal is not None:
            raise refusal
        self._reload_forms()
        return self._reprocess(actor, held_id, remote)

    def reprocess_all(self, actor: str, remote: str | None = None) -> list[dict[str, Any]]:
        """Re-process every held submission, oldest first; one result each."""
        with self.service.transaction() as db:
            ids = list(
                db.scalars(
                    select(HeldSubmission.id)
                    .where(HeldSubmission.status == HELD)
                    .order_by(HeldSubmission.id)
                )
            )
        self._reload_forms()
        return [self._reprocess(actor, held_id, remote) for held_id in ids]

    def _reprocess(self, actor: str, held_id: int, remote: str | None) -> dict[str, Any]:
        """One envelope at a time, so re-processing many never holds them all in memory."""
        with self.service.transaction() as db:
            row = db.get(HeldSubmission, held_id)
            assert row is not None
        result = self.service.receive_envelope(
            row.device_id, row.submission_id, row.envelope, actor=actor
        )
        with self.service.transaction() as db:
            current = db.get(HeldSubmission, held_id)
            assert current is not None
            stored = current.status == RESOLVED
            outcome = "stored" if stored else f"held: {reason_code(current.reason)}"
            detail = f"held submission {held_id}; answered {result.status}"
            self.service.audit(db, actor, "reprocess_held", outcome[:40],
                               target=row.submission_id, remote=remote, detail=detail)  # fmt: skip
            return {
                "id": held_id,
                "submission_id": row.submission_id,
                "outcome": "stored" if stored else "held",
                "reason": None if stored else current.reason,
            }

    def _reload_forms(self) -> None:
        """Read the forms folders again: the fix may be a new form version or pathway."""
        try:
            self.service.library = FormLibrary.load(*self.service.forms_folders)
        except (EngineError, OSError) as exc:
            log.warning("forms not reloaded for re-processing (%s)", type(exc).__name__)


def _entry(row: HeldSubmission, device_name: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "submission_id": row.submission_id,
        "pathway": row.pathway,
        "received_at": row.received_at,
        "device_id": row.device_id,
        "device_name": device_name,
        "reason": row.reason,
        "status": row.status,
        "resolved_at": row.resolved_at,
        "resolved_by": row.resolved_by,
    }
