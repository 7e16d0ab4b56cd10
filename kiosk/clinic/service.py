"""What the clinic service does, without HTTP: enrol tablets, check signed requests,
receive submissions exactly once, serve tablet configuration, and look after staff.

``app.py`` is a thin FastAPI layer over this; tests drive both.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clinic.audit_flood import AnonymousFlood
from kiosk.clinic.audit_flood import Row as AuditRow
from kiosk.clinic.intake import Catalogue, why_held
from kiosk.clinic.keyring import KeyRing
from kiosk.clinic.models import (
    AuditEntry,
    ClinicListDay,
    Device,
    EnrolmentCode,
    Flag,
    HeldSubmission,
    Nonce,
    Response,
    Submission,
    Triage,
)
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.clinic.staff import StaffAccounts, StaffMember
from kiosk.engine import FormLibrary, UnknownFormError
from kiosk.engine.answers import FREE_TEXT_TYPES
from kiosk.envelope.envelope import (
    END_RECORD,
    OpenedSubmission,
    envelope_hash,
    open_envelope,
    read_header,
)
from kiosk.envelope.errors import EnvelopeError
from kiosk.exchange.device_keys import device_id_of, parse_public_key_text, verify_signature
from kiosk.sync.signing import (
    CLOCK_WINDOW_S,
    SignedHeaders,
    canonical_request,
    enrolment_answer,
    enrolment_proof,
)

log = logging.getLogger(__name__)
LINK_RECORD = "_link/patient"
LANGUAGE_RECORD = "_session/language"
CODE_TTL_S = 15 * 60
FORGET_NONCES_EVERY_S = 60
MAX_BATCH = 50
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{32}$")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed


WANTS_HELP_FLAG = "wants_help"


def urgency_of(flags: list[tuple[str, str]]) -> int:
    """0: an urgent flag (feeling unsafe); 1: asked for help; 2: other flags; 3: none."""
    if any(severity == "urgent" for _id, severity in flags):
        return 0
    if any(flag_id == WANTS_HELP_FLAG for flag_id, _severity in flags):
        return 1
    return 2 if flags else 3


def local_day(timestamp: str) -> str | None:
    """The clinic's own calendar day of an ISO timestamp (the service's time zone)."""
    try:
        return dt.datetime.fromisoformat(timestamp).astimezone().date().isoformat()
    except (TypeError, ValueError):
        return None


def _fit(column: str, value: str | None) -> str | None:
    """``value`` cut to the length of the audit table's ``column``."""
    if value is None:
        return None
    length = getattr(AuditEntry.__table__.c[column].type, "length", None)
    return value[:length] if length else value


def _short(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value not in (None, "") else None


class Refused(Exception):
    """A request the service refuses: HTTP status, an error code and plain words."""

    def __init__(
        self, status: int, code: str, message: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after  # seconds, sent as Retry-After


def _replayed() -> Refused:
    return Refused(401, "replayed", "This request was sent before.")


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


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


class ClinicService:
    def __init__(
        self,
        engine: Engine,
        library: FormLibrary,
        forms_folders: list[Path],
        keyring: KeyRing,
        server_secrets: ServerSecrets,
        certificate_fingerprint: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.library = library
        self.forms_folders = forms_folders
        self.keyring = keyring
        self.secrets = server_secrets
        self.fingerprint = certificate_fingerprint
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._anonymous = AnonymousFlood()  # coalesces anonymous refusals in the audit
        self.catalogue = Catalogue(forms_folders)  # pathways as served, for intake checks
        self._nonces_forgotten_at = float("-inf")  # the first signed request prunes
        self.staff = StaffAccounts(self, server_secrets.token_key)
        from kiosk.clinic.casework import Casework

        self.casework = Casework(self)
        from kiosk.clinic.accounts import Accounts

        self.accounts = Accounts(self)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as db:
            yield db

    def audit(
        self,
        db: Session,
        actor: str,
        action: str,
        outcome: str,
        *,
        target: str | None = None,
        remote: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Add an audit row to ``db``'s transaction: it is written with the work it
        records, or not at all. Every field is cut to its column's length here (a
        request's path can be any length)."""
        fields = {
            "actor": actor,
            "action": action,
            "target": target or None,
            "outcome": outcome,
            "remote": remote or None,
            "detail": detail or None,
        }
        db.add(AuditEntry(at=now_text(), **{k: _fit(k, v) for k, v in fields.items()}))

    def audit_now(self, actor: str, action: str, outcome: str, **where: str | None) -> None:
        """Audit a refusal (or anything not tied to a transaction) in its own
        transaction. Never the reason a request fails: if the row cannot be written
        the failure is logged and the request's own answer stands. Anonymous
        refusals are coalesced per address and outcome (kiosk.clinic.audit_flood)."""
        target, remote = where.get("target"), where.get("remote")
        rows = [AuditRow(action, target, remote, outcome, where.get("detail"))]
        if actor == "anonymous":
            rows = self._anonymous.admit(action, target, remote, outcome, self.clock())
        try:
            with self.transaction() as db:
                for row in rows:
                    self.audit(
                        db, actor, row.action, row.outcome,
                        target=row.target, remote=row.remote, detail=row.detail,
                    )  # fmt: skip
        except SQLAlchemyError as exc:
            log.error(
                "an audit row could not be written (%s); outcome %s", type(exc).__name__, outcome
            )

    # ------------------------------------------------------------ enrolment

    def issue_code(self, actor: str, ttl_s: int = CODE_TTL_S) -> str:
        """A one-time enrolment code ``CODEID-SECRET``; only its secret is kept, encrypted."""
        code_id = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
        secret = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        with self.transaction() as db:
            db.add(
                EnrolmentCode(
                    code_id=code_id,
                    secret=self.secrets.seal(secret, f"enrolment_codes/{code_id}"),
                    created_at=now_text(),
                    expires_at=self.clock() + ttl_s,
                )
            )
            self.audit(db, actor, "enrolment_code_issued", "ok", target=code_id)
        return f"{code_id}-{secret}"

    def enrol(
        self, code_id: str, device_key: str, name: str, proof: str, remote: str | None
    ) -> dict[str, Any]:
        try:
            public = parse_public_key_text(device_key)
        except ValueError:
            raise Refused(
                422, "bad_device_key", "device_key is not an ed25519 public key"
            ) from None
        device_id = device_id_of(public)
        with self.transaction() as db:
            code = db.get(EnrolmentCode, code_id.upper())
            refusal: Refused | None = None
            secret = ""
            if code is None:
                refusal = Refused(403, "unknown_code", "There is no such enrolment code.")
            else:
                secret = str(self.secrets.open(code.secret, f"enrolment_codes/{code.code_id}"))
                expected = enrolment_proof(secret, device_key, self.fingerprint)
                if code.used_at is not None:
                    refusal = Refused(403, "used_code", "This enrolment code has been used.")
                elif code.expires_at < self.clock():
                    refusal = Refused(
                        403, "expired_code", "This enrolment code has expired. Ask for a new one."
                    )
                elif not hmac.compare_digest(expected, proof):
                    refusal = Refused(
                        403,
                        "wrong_proof",
                        "The enrolment code is wrong, or something between the tablet and "
                        "the clinic shows a different certificate.",
                    )
            if refusal is None:
                assert code is not None
                code.used_at, code.used_by = now_text(), device_id
                existing = db.get(Device, device_id)
                if existing is not None:
                    db.delete(existing)
                    db.flush()
                db.add(
                    Device(
                        id=device_id,
                        public_key=device_key,
                        name=name[:80] or device_id,
                        enrolled_at=now_text(),
                    )
                )
                self.audit(db, f"device:{device_id}", "enrol", "ok", target=code_id, remote=remote)
        if refusal is not None:  # audited apart, so that a flood of guesses is coalesced
            self.audit_now("anonymous", "enrol", refusal.code, target=code_id, remote=remote)
            raise refusal
        return {
            "device_id": device_id,
            "certificate_fingerprint": self.fingerprint,
            "answer": enrolment_answer(secret, device_id, self.fingerprint),
            "clinic_keys": self.keyring.public_texts(),
            "config": self.tablet_config(),
        }

    def revoke(self, device_id: str, actor: str) -> bool:
        with self.transaction() as db:
            device = db.get(Device, device_id)
            if device is None or device.revoked_at is not None:
                self.audit(db, actor, "revoke_device", "not_found", target=device_id)
                return False
            device.revoked_at = now_text()
            self.audit(db, actor, "revoke_device", "ok", target=device_id)
        return True

    # ------------------------------------------------------------ signed requests

    def authenticate(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: Mapping[str, str],
        remote: str | None,
    ) -> str:
        """The device id of a correctly signed request; Refused (401/403) otherwise, audited."""
        try:
            signed = SignedHeaders.parse(headers)
        except ValueError as exc:
            self.audit_now("anonymous", "signed_request", "unsigned", target=path, remote=remote)
            raise Refused(401, "unsigned", str(exc)) from None
        actor = f"device:{signed.device_id}"
        refusal: Refused | None = None
        unknown = False  # a device id nobody enrolled: anyone can make one up
        try:
            with self.transaction() as db:
                device = db.get(Device, signed.device_id)
                unknown = device is None
                if device is None or device.revoked_at is not None:
                    refusal = Refused(403, "not_enrolled", "This tablet is not enrolled.")
                elif not verify_signature(
                    parse_public_key_text(device.public_key),
                    signed.signature,
                    canonical_request(method, path, body, signed.timestamp, signed.nonce),
                ):
                    refusal = Refused(401, "bad_signature", "The request's signature is wrong.")
                elif abs(signed.timestamp - self.clock()) > CLOCK_WINDOW_S:
                    refusal = Refused(
                        401, "clock_skew", "The tablet's clock is too far from the clinic's."
                    )
                elif db.get(Nonce, (signed.device_id, signed.nonce)) is not None:
                    refusal = _replayed()
                if refusal is not None and not unknown:
                    self.audit(
                        db, actor, "signed_request", refusal.code, target=path, remote=remote
                    )
                elif refusal is None:
                    assert device is not None
                    db.add(
                        Nonce(device_id=signed.device_id, nonce=signed.nonce, seen_at=self.clock())
                    )
                    device.last_seen_at = now_text()
                    db.flush()
        except IntegrityError:
            # The same nonce reached another connection (or service process) at the same
            # moment: the table's key lets only one of them in; this one is a replay.
            refusal = _replayed()
            self.audit_now(actor, "signed_request", refusal.code, target=path, remote=remote)
        if refusal is not None and unknown:  # coalesced like every anonymous refusal
            self.audit_now("anonymous", "signed_request", refusal.code, target=path, remote=remote)
        if refusal is not None:
            raise refusal
        if self.clock() - self._nonces_forgotten_at >= FORGET_NONCES_EVERY_S:
            self.forget_old_nonces()
        return signed.device_id

    def forget_old_nonces(self) -> int:
        """Forget nonces older than twice the clock window: a request that old is refused
        for its timestamp, so its nonce is no longer needed to refuse a replay. Runs at
        service start and at most once a minute from ``authenticate``; returns how many
        were forgotten. A failure is logged, never the reason a request fails."""
        now = self.clock()
        self._nonces_forgotten_at = now
        try:
            with self.transaction() as db:
                forgotten = db.execute(
                    delete(Nonce).where(Nonce.seen_at < now - 2 * CLOCK_WINDOW_S)
                )
        except SQLAlchemyError as exc:
            log.warning("old nonces could not be forgotten this time (%s)", type(exc).__name__)
            return 0
        return int(getattr(forgotten, "rowcount", 0) or 0)

    # ------------------------------------------------------------ configuration

    def set_clinic_list(self, day: dt.date, csv_text: str, actor: str) -> None:
        """Keep ``day``'s list (encrypted) and count its appointments by group.

        ClinicListError (naming the line) if the list is not valid."""
        from kiosk.clinic.imd import count_appointments
        from kiosk.exchange.clinic_list import parse_csv

        parsed = parse_csv(csv_text, f"the clinic list for {day.isoformat()}", day)
        with self.transaction() as db:
            count_appointments(db, parsed)
            row = db.get(ClinicListDay, day.isoformat())
            sealed = self.secrets.seal(csv_text, f"clinic_lists/{day.isoformat()}")
            if row is None:
                db.add(ClinicListDay(day=day.isoformat(), csv=sealed, updated_at=now_text()))
            else:
                row.csv, row.updated_at = sealed, now_text()
            self.audit(db, actor, "clinic_list_saved", "ok", target=day.isoformat())

    def tablet_config(self) -> dict[str, Any]:
        forms: dict[str, str] = {}
        pathways = ""
        for folder in self.forms_folders:
            for path in sorted(folder.glob("*.yaml")):
                if path.name == "pathways.yaml":
                    pathways = path.read_text(encoding="utf-8")
                else:
                    forms[path.name] = path.read_text(encoding="utf-8")
        today = dt.date.today().isoformat()
        clinic_list = None
        with self.transaction() as db:
            row = db.get(ClinicListDay, today)
            if row is not None:
                csv_text = self.secrets.open(row.csv, f"clinic_lists/{today}")
                clinic_list = {"day": today, "csv": csv_text}
        body = {
            "clinic_keys": self.keyring.public_texts(),
            "pathways": pathways,
            "forms": forms,
            "clinic_list": clinic_list,
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
        return {"version": digest, **body}

    # ------------------------------------------------------------ submissions

    def receive(self, device_id: str, items: list[tuple[str, str]]) -> list[Result]:
        """Store each (id, base64 envelope) exactly once; a result per item, in order.

        Each item is judged alone: stored, a duplicate, a conflict, or held with its
        reason; nothing one item does (not even a server error) affects the others."""
        if len(items) > MAX_BATCH:
            raise Refused(413, "batch_too_large", f"send at most {MAX_BATCH} submissions at once")
        return [self._receive_one(device_id, sid, encoded) for sid, encoded in items]

    def _receive_one(self, device_id: str, submission_id: str, encoded: str) -> Result:
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
            with self.transaction() as db:
                self._hold(db, device_id, submission_id, envelope, digest, reason, actor)
        except SQLAlchemyError:
            raise Refused(503, "busy", "The clinic is busy; try again shortly.") from None
        return Result(submission_id, 422, digest, "error")

    def _store(
        self,
        device_id: str,
        submission_id: str,
        envelope: bytes,
        digest: str,
        actor: str,
    ) -> Result:
        from kiosk.clinic.held import resolve

        with self.transaction() as db:
            existing = db.get(Submission, submission_id)
            if existing is not None:
                if existing.envelope_hash == digest:
                    self.audit(db, actor, "submission", "duplicate", target=submission_id)
                    resolve(db, submission_id, digest, actor)
                    return Result(submission_id, 200, digest)
                conflict = "conflict: a different envelope under an existing id"
                self._hold(db, device_id, submission_id, envelope, digest, conflict, actor)
                return Result(submission_id, 409)
            try:
                header = read_header(envelope)
                if header.get("submission_id") != submission_id:
                    raise EnvelopeError("the envelope's own id is different")
                opened = open_envelope(envelope, self.keyring.private_keys(), strict=False)
            except EnvelopeError as exc:
                reason = f"unreadable: {exc}"
            else:
                reason = why_held(opened, self.library, self.catalogue) or ""
            if reason:
                self._hold(db, device_id, submission_id, envelope, digest, reason, actor)
                return Result(submission_id, 422, digest, reason.split(":")[0].replace(" ", "_"))
            self._record(db, device_id, opened, envelope, digest)
            self.audit(db, actor, "submission", "stored", target=submission_id)
            resolve(db, submission_id, digest, actor)
        return Result(submission_id, 201, digest)

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
        from kiosk.clinic.held import hold, reason_code

        hold(db, device_id=device_id, submission_id=submission_id, envelope=envelope,
             digest=digest, reason=reason)  # fmt: skip
        self.audit(db, actor, "submission", reason_code(reason), target=submission_id)

    def _record(
        self, db: Session, device_id: str, opened: OpenedSubmission, envelope: bytes, digest: str
    ) -> None:
        sid = opened.submission_id
        link = opened.record(LINK_RECORD)
        patient_key = None
        if isinstance(link, dict):
            if link.get("nhs_number"):
                patient_key = self.secrets.patient_key("nhs", str(link["nhs_number"]))
            elif link.get("hospital_number"):
                patient_key = self.secrets.patient_key("hospital", str(link["hospital_number"]))
        language = opened.record(LANGUAGE_RECORD)
        link_fields = link if isinstance(link, dict) else {}
        submission = Submission(
            id=sid,
            device_id=device_id,
            envelope=envelope,
            envelope_hash=digest,
            received_at=now_text(),
            status=opened.status,
            end_reason=opened.end_reason,
            pathway=opened.pathway,
            started_at=opened.started_at,
            language=str(language)[:16] if language else None,
            link_method=str(link.get("method"))[:20] if isinstance(link, dict) else None,
            patient_key=patient_key,
            identifiers=(
                self.secrets.seal(link, f"submissions/{sid}/identifiers")
                if isinstance(link, dict)
                else None
            ),
            failed_records=len(opened.failed),
            day=local_day(opened.started_at),
            clinic=_short(link_fields.get("clinic"), 80),
            appointment_time=_short(link_fields.get("time"), 8),
            urgency=3,
        )
        db.add(submission)
        db.flush()
        db.add(Triage(submission_id=sid, status="new", owner=None, notes=None, version=0,
                      updated_at=submission.received_at, updated_by="clinic"))  # fmt: skip
        end = opened.record(END_RECORD)
        tablet_summary = end.get("summary", {}) if isinstance(end, dict) else {}
        answers = opened.answers()
        raised: list[tuple[str, str]] = []
        for entry in opened.forms:
            form_id = str(entry.get("id"))
            raised += self._record_form(
                db, sid, entry, answers.get(form_id, {}), tablet_summary, patient_key
            )
        submission.urgency = urgency_of(raised)

    def baseline_answers(
        self,
        db: Session,
        patient_key: str | None,
        form_id: str,
        items: list[str],
        before: str | None = None,
        where: Any = None,
    ) -> dict[str, Any]:
        """The patient's latest answers to a follow-up form's baseline form (those
        given before ``before``, an ISO time, if set; ``where``: a further condition on
        the submission, e.g. the reader's clinic scope)."""
        if patient_key is None:
            return {}
        query = (
            select(Response.submission_id, Response.answers)
            .join(Submission, Submission.id == Response.submission_id)
            .where(Submission.patient_key == patient_key, Response.form_id == form_id)
        )
        if before is not None:
            query = query.where(Submission.started_at < before)
        if where is not None:
            query = query.where(where)
        row = db.execute(query.order_by(Submission.started_at.desc()).limit(1)).first()
        if row is None:
            return {}
        answers = self.secrets.open(row.answers, f"responses/{row.submission_id}/{form_id}")
        return {k: v for k, v in answers.items() if k in items} if isinstance(answers, dict) else {}

    def _record_form(
        self,
        db: Session,
        sid: str,
        entry: Mapping[str, Any],
        answers: dict[str, Any],
        tablet_summary: Mapping[str, Any],
        patient_key: str | None,
    ) -> list[tuple[str, str]]:
        """Store one form's response; the (flag id, severity) pairs it raised."""
        form_id = str(entry.get("id"))
        scores: dict[str, Any] = {}
        bands: dict[str, Any] = {}
        agrees: bool | None = None
        raised_flags: list[tuple[str, str]] = []
        try:
            form = self.library.by_hash(str(entry.get("hash")))
            known = True
        except UnknownFormError:
            form, known = None, False  # kept encrypted; re-scored once the version is loaded
        if form is not None:
            baseline = None
            if form.spec.baseline is not None:
                spec = form.spec.baseline
                baseline = self.baseline_answers(db, patient_key, spec.form, list(spec.items))
            result = form.evaluate(answers, baseline=baseline, strict=False)
            # Free text as the engine keeps it (no invisible format characters), even
            # from a tablet that sent it uncleaned: staff read only what was typed.
            answers = {
                k: form.normalise(k, v) if form.items[k].type in FREE_TEXT_TYPES else v
                for k, v in answers.items()
            }
            scores, bands = dict(result.scores), dict(result.bands)
            ours = result.to_json()
            theirs = tablet_summary.get(form_id)
            if theirs is not None:
                agrees = all(ours[k] == theirs.get(k) for k in ("scores", "bands", "flags"))
                if not agrees:
                    log.warning("tablet and clinic scores differ for %s in %s", form_id, sid)
            raised = now_text()
            for flag in result.flags:
                raised_flags.append((flag.id, flag.severity))
                db.add(
                    Flag(
                        submission_id=sid,
                        form_id=form_id,
                        flag_id=flag.id,
                        severity=flag.severity,
                        raised_at=raised,
                    )
                )
        db.add(
            Response(
                submission_id=sid,
                form_id=form_id,
                form_version=str(entry.get("version")),
                form_hash=str(entry.get("hash")),
                form_known=known,
                scores=json.dumps(scores, sort_keys=True),
                bands=json.dumps(bands, sort_keys=True),
                answers=self.secrets.seal(answers, f"responses/{sid}/{form_id}"),
                tablet_agrees=agrees,
            )
        )
        return raised_flags

    # ------------------------------------------------------------ staff reads

    def open_flags(self, member: StaffMember, remote: str | None) -> list[dict[str, Any]]:
        """Flags raised today and before, newest first, of the clinics ``member`` may see
        (audited: this is patient data)."""
        from kiosk.clinic.scope import visible

        actor = member.actor
        with self.transaction() as db:
            rows = db.execute(
                select(Flag, Submission.pathway, Submission.patient_key)
                .join(Submission, Submission.id == Flag.submission_id)
                .where(visible(member))
                .order_by(Flag.raised_at.desc())
                .limit(500)
            ).all()
            self.audit(db, actor, "read_flags", "ok", target=f"{len(rows)} flags", remote=remote)
            return [
                {
                    "submission_id": flag.submission_id,
                    "form_id": flag.form_id,
                    "flag": flag.flag_id,
                    "severity": flag.severity,
                    "raised_at": flag.raised_at,
                    "pathway": pathway,
                }
                for flag, pathway, _key in rows
            ]

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.transaction() as db:
            return {
                "submissions": db.scalar(select(func.count()).select_from(Submission)) or 0,
                "held": db.scalar(select(func.count()).select_from(HeldSubmission)) or 0,
                "devices": db.scalar(select(func.count()).select_from(Device)) or 0,
                "flags": db.scalar(select(func.count()).select_from(Flag)) or 0,
            }
