"""Held submissions as an administrator sees them: listed (what, when, from which
tablet, why) and re-processed through the same path as a fresh receipt, with the
forms folders read again first (the fix may be a new form version or pathway).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from kiosk.clinic.errors import NotFound, Refusal, StateConflict
from kiosk.clinic.held import HELD, RESOLVED, reason_code
from kiosk.clinic.models import Device, HeldSubmission
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.receiving import Receiving
from kiosk.engine import EngineError, FormLibrary

log = logging.getLogger(__name__)


class HeldReview:
    """An administrator's view of held submissions, and re-processing them."""

    def __init__(self, plumbing: Plumbing, receiving: Receiving) -> None:
        self.plumbing = plumbing
        self.receiving = receiving

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
        with self.plumbing.transaction() as db:
            rows = db.execute(query).all()
            self.plumbing.audit(
                db, actor, "read_held", "ok", target=f"{len(rows)} held", remote=remote
            )
            return [_entry(row, name) for row, name in rows]

    def reprocess(self, actor: str, held_id: int, remote: str | None = None) -> dict[str, Any]:
        """Run one held submission through the receipt path again; audited.

        NotFound if there is no such held row, StateConflict if it was stored already."""
        with self.plumbing.transaction() as db:
            row = db.get(HeldSubmission, held_id)
            refusal: Refusal | None = None
            if row is None:
                refusal = NotFound("There is no such held submission.")
            elif row.status != HELD:
                refusal = StateConflict("This held submission was stored already.", code="resolved")
            if refusal is not None:
                self.plumbing.audit(db, actor, "reprocess_held", refusal.code,
                                   target=str(held_id), remote=remote)  # fmt: skip
        if refusal is not None:
            raise refusal
        self._reload_forms()
        return self._reprocess(actor, held_id, remote)

    def reprocess_all(self, actor: str, remote: str | None = None) -> list[dict[str, Any]]:
        """Re-process every held submission, oldest first; one result each."""
        with self.plumbing.transaction() as db:
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
        with self.plumbing.transaction() as db:
            row = db.get(HeldSubmission, held_id)
            assert row is not None
        result = self.receiving.receive_envelope(
            row.device_id, row.submission_id, row.envelope, actor=actor
        )
        with self.plumbing.transaction() as db:
            current = db.get(HeldSubmission, held_id)
            assert current is not None
            stored = current.status == RESOLVED
            outcome = "stored" if stored else f"held: {reason_code(current.reason)}"
            detail = f"held submission {held_id}; answered {result.status}"
            self.plumbing.audit(db, actor, "reprocess_held", outcome[:40],
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
            self.plumbing.library = FormLibrary.load(*self.plumbing.forms_folders)
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
