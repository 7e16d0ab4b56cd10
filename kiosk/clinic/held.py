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
reason. Every list and every re-process is audited (kiosk.clinic.held_review).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.clinic.models import HeldSubmission
from kiosk.clinic.plumbing import now_text
from kiosk.envelope.envelope import read_header
from kiosk.envelope.errors import EnvelopeError

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


def resolve(db: Session, stored: Mapping[str, str], actor: str) -> None:
    """These envelopes (submission id -> envelope hash) are stored: any held copy of one
    is resolved (kept, with who and when). One query for a whole batch.

    Runs in the storing transaction, whether an administrator re-processed it or a
    tablet sent it again once the fault was fixed."""
    if not stored:
        return
    for row in db.scalars(
        select(HeldSubmission).where(
            HeldSubmission.submission_id.in_(list(stored)),
            HeldSubmission.status == HELD,
        )
    ):
        if stored[row.submission_id] == row.envelope_hash:
            row.status, row.resolved_at, row.resolved_by = RESOLVED, now_text(), actor[:100]
