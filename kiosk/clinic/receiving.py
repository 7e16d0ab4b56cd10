"""Receiving submissions exactly once: each envelope is stored (re-scored), a duplicate,
a conflict, or held with its reason (kiosk.clinic.held), and answered with a receipt.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.clinic.errors import TooLarge, Unavailable
from kiosk.clinic.held import hold, reason_code, resolve
from kiosk.clinic.intake import why_held
from kiosk.clinic.models import Submission
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.scoring import Scoring
from kiosk.envelope.envelope import envelope_hash, open_envelope, read_header
from kiosk.envelope.errors import EnvelopeError
from kiosk.vocabulary import MAX_BATCH

log = logging.getLogger(__name__)
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Result:
    """One submission's verdict. ``held``: the kind of reason it is held at the clinic
    (then ``receipt`` says the clinic keeps this very envelope)."""

    id: str
    status: int
    receipt: str | None = None
    held: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.receipt is not None:
            out["receipt"] = self.receipt
        if self.held is not None:
            out["held"] = self.held
        return out


def check_batch(items: list[tuple[str, str]]) -> None:
    """TooLarge if a batch holds more than ``MAX_BATCH`` submissions."""
    if len(items) > MAX_BATCH:
        raise TooLarge(f"send at most {MAX_BATCH} submissions at once", code="batch_too_large")


class Receiving:
    """Stores each submission once, or holds it with its reason."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing
        self.scoring = Scoring(plumbing)

    def receive(self, device_id: str, items: list[tuple[str, str]]) -> list[Result]:
        """Store each (id, base64 envelope) exactly once; a result per item, in order.

        Each item is judged alone: stored, a duplicate, a conflict, or held with its
        reason; nothing one item does (not even a server error) affects the others."""
        check_batch(items)
        return [self.receive_one(device_id, sid, encoded) for sid, encoded in items]

    def receive_one(self, device_id: str, submission_id: str, encoded: str) -> Result:
        """One item of a batch, as sent: its id checked and its envelope decoded."""
        if not _SUBMISSION_ID.match(submission_id):
            return Result(submission_id[:64], 422)
        try:
            envelope = base64.b64decode(encoded, validate=True)
        except ValueError:
            return Result(submission_id, 422)
        return self.receive_envelope(device_id, submission_id, envelope)

    def receive_envelope(
        self,
        device_id: str,
        submission_id: str,
        envelope: bytes,
        *,
        actor: str | None = None,
    ) -> Result:
        """Store one envelope, or hold it with its reason: a fresh receipt, and the
        re-processing of a held one (``actor``: the administrator). Once it is stored
        (now or before), any held copy of this very envelope is marked resolved."""
        digest = envelope_hash(envelope)
        actor = actor or f"device:{device_id}"
        failure: Exception | None = None
        for _attempt in range(3):
            try:
                return self._store(device_id, submission_id, envelope, digest, actor)
            except IntegrityError as exc:
                failure = exc  # the same id arrived at the same moment on another connection
            except Exception as exc:  # a bug in one item must not stop the rest
                failure = exc
                break
        reason = f"error: {type(failure).__name__}"
        log.error("submission %s could not be stored (%s); held", submission_id, reason)
        try:
            with self.plumbing.transaction() as db:
                self._hold(db, device_id, submission_id, envelope, digest, reason, actor)
        except SQLAlchemyError:
            raise Unavailable("The clinic is busy; try again shortly.") from None
        return Result(submission_id, 422, digest, "error")

    def _store(
        self,
        device_id: str,
        submission_id: str,
        envelope: bytes,
        digest: str,
        actor: str,
    ) -> Result:
        plumbing = self.plumbing
        with plumbing.transaction() as db:
            existing = db.get(Submission, submission_id)
            if existing is not None:
                if existing.envelope_hash == digest:
                    plumbing.audit(db, actor, "submission", "duplicate", target=submission_id)
                    resolve(db, submission_id, digest, actor)
                    return Result(submission_id, 200, digest)
                conflict = "conflict: a different envelope under an existing id"
                self._hold(db, device_id, submission_id, envelope, digest, conflict, actor)
                return Result(submission_id, 409)
            try:
                header = read_header(envelope)
                if header.get("submission_id") != submission_id:
                    raise EnvelopeError("the envelope's own id is different")
                opened = open_envelope(envelope, plumbing.keyring.private_keys(), strict=False)
            except EnvelopeError as exc:
                reason = f"unreadable: {exc}"
            else:
                reason = why_held(opened, plumbing.library, plumbing.catalogue) or ""
            if reason:
                self._hold(db, device_id, submission_id, envelope, digest, reason, actor)
                return Result(submission_id, 422, digest, reason.split(":")[0].replace(" ", "_"))
            self.scoring.record(db, device_id, opened, envelope, digest)
            plumbing.audit(db, actor, "submission", "stored", target=submission_id)
            resolve(db, submission_id, digest, actor)
        return Result(submission_id, 201, digest)

    # hold()'s parameters again, plus the actor: held.hold keeps the envelope, this audits it.
    def _hold(
        self,
        db: Session,
        device_id: str,
        submission_id: str,
        envelope: bytes,
        digest: str,
        reason: str,
        actor: str,
    ) -> None:
        hold(db, device_id=device_id, submission_id=submission_id, envelope=envelope,
             digest=digest, reason=reason)  # fmt: skip
        self.plumbing.audit(db, actor, "submission", reason_code(reason), target=submission_id)
