"""Receiving submissions exactly once: each envelope is stored (re-scored), a duplicate,
a conflict, or held with its reason (kiosk.clinic.held), and answered with a receipt.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.clinic.errors import TooLarge, Unavailable
from kiosk.clinic.held import hold, reason_code, resolve
from kiosk.clinic.intake import Checked, Served, checked_answers
from kiosk.clinic.models import AuditEntry, Submission
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.scoring import Rows, Scoring
from kiosk.envelope.envelope import OpenedSubmission, envelope_hash, open_envelope, read_header
from kiosk.envelope.errors import EnvelopeError
from kiosk.vocabulary import MAX_BATCH

log = logging.getLogger(__name__)
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{32}$")
Opened = tuple[OpenedSubmission, Checked]  # and its answers as intake checked them


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
        reason; nothing one item does (not even a server error) affects the others.
        A batch is written in one transaction, so the database syncs to disk once per
        request; if that transaction fails as a whole (a bug in one item, the same id
        arriving at once on another connection), every item is stored again alone,
        in a transaction of its own, so the failure stays with the item that caused it."""
        check_batch(items)
        decoded = [_decoded(sid, encoded) for sid, encoded in items]
        envelopes = {
            sid: envelope
            for (sid, _), envelope in zip(items, decoded, strict=True)
            if isinstance(envelope, bytes)
        }
        if len(envelopes) < sum(isinstance(envelope, bytes) for envelope in decoded):
            # An id sent twice: the second copy is judged against the first, as stored.
            return [
                envelope if isinstance(envelope, Result)
                else self.receive_envelope(device_id, sid, envelope)
                for (sid, _), envelope in zip(items, decoded, strict=True)
            ]  # fmt: skip
        judged = self._store_batch(device_id, envelopes) if envelopes else {}
        return [
            envelope if isinstance(envelope, Result) else judged[sid]
            for (sid, _), envelope in zip(items, decoded, strict=True)
        ]

    def _store_batch(self, device_id: str, envelopes: dict[str, bytes]) -> dict[str, Result]:
        """Every envelope's result, all stored in one transaction (or each alone)."""
        actor = f"device:{device_id}"
        plumbing = self.plumbing
        try:
            served = plumbing.catalogue.served(plumbing.library)
            with plumbing.transaction() as db:
                query = select(Submission.id, Submission.envelope_hash).where(
                    Submission.id.in_(list(envelopes))
                )
                known = {sid: digest for sid, digest in db.execute(query)}
                results: dict[str, Result] = {}
                opened: list[tuple[Opened, bytes, str]] = []
                for sid, envelope in envelopes.items():
                    digest = envelope_hash(envelope)
                    verdict = self._judge(
                        db, device_id, sid, envelope, digest, actor, known.get(sid), served
                    )
                    if isinstance(verdict, Result):
                        results[sid] = verdict
                    else:
                        opened.append((verdict, envelope, digest))
                for result in self._record(db, device_id, opened, actor):
                    results[result.id] = result
                stored = {r.id: r.receipt for r in results.values() if r.status < 300 and r.receipt}
                resolve(db, stored, actor)
            return results
        except Exception as exc:  # one item's fault: find it by storing each alone
            log.warning(
                "a batch of %d could not be stored at once (%s); storing each alone",
                len(envelopes),
                type(exc).__name__,
            )
        return {
            sid: self.receive_envelope(device_id, sid, envelope)
            for sid, envelope in envelopes.items()
        }

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
        served = plumbing.catalogue.served(plumbing.library)
        with plumbing.transaction() as db:
            known = db.scalar(
                select(Submission.envelope_hash).where(Submission.id == submission_id)
            )
            verdict = self._judge(db, device_id, submission_id, envelope, digest, actor, known,
                                  served)  # fmt: skip
            if isinstance(verdict, Result):
                result = verdict
            else:
                [result] = self._record(db, device_id, [(verdict, envelope, digest)], actor)
            if result.status in (200, 201):
                resolve(db, {submission_id: digest}, actor)
        return result

    def _judge(
        self,
        db: Session,
        device_id: str,
        submission_id: str,
        envelope: bytes,
        digest: str,
        actor: str,
        known: str | None,
        served: Served,
    ) -> Result | Opened:
        """A duplicate's or a held envelope's result (held in ``db``'s transaction), or
        the opened submission and its checked answers, to be stored (:meth:`_record`).
        ``known``: the hash of the
        envelope already stored under this id, if any."""
        plumbing = self.plumbing
        if known is not None:
            if known == digest:
                plumbing.audit(db, actor, "submission", "duplicate", target=submission_id)
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
            reason, checked = f"unreadable: {exc}", Checked()
        else:
            held, checked = checked_answers(opened, plumbing.library, served)
            reason = held or ""
        if reason:
            self._hold(db, device_id, submission_id, envelope, digest, reason, actor)
            return Result(submission_id, 422, digest, reason.split(":")[0].replace(" ", "_"))
        return opened, checked

    def _record(
        self,
        db: Session,
        device_id: str,
        batch: list[tuple[Opened, bytes, str]],
        actor: str,
    ) -> list[Result]:
        """Store each (opened, envelope, hash) of ``batch``: every table's rows of the
        whole batch written by one INSERT (submissions first, then the rows that refer
        to them, then the audit rows), each submission's urgency known before its row
        is written."""
        scoring, plumbing = self.scoring, self.plumbing
        db.flush()  # what judging added (held rows, their audit) goes first, as before
        rows = Rows()
        audit = []
        results = []
        for (opened, checked), envelope, digest in batch:
            scoring.rows(db, device_id, opened, envelope, digest, checked, rows)
            sid = opened.submission_id
            audit.append(plumbing.audit_row(actor, "submission", "stored", target=sid))
            results.append(Result(sid, 201, digest))
        rows.write(db)
        if audit:
            db.execute(insert(AuditEntry.__table__), audit)  # type: ignore[arg-type]
        return results

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


def _decoded(submission_id: str, encoded: str) -> bytes | Result:
    """An item's envelope; a 422 if its id is not a submission id or it is not base64."""
    if not _SUBMISSION_ID.match(submission_id):
        return Result(submission_id[:64], 422)
    try:
        return base64.b64decode(encoded, validate=True)
    except ValueError:
        return Result(submission_id, 422)
