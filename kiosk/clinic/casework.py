"""Staff casework on the clinic database: today's queue, one patient's summary,
triage and referrals (with conflict detection), and the administrator's reads.

Every read of patient data and every change is audited. Saves name the version
they started from; a stale version is refused with 409 and the current state,
so two people editing one item at once never overwrite each other unseen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from kiosk.clinic import scope
from kiosk.clinic.models import (
    AuditEntry,
    ClinicListDay,
    Device,
    Flag,
    Referral,
    Response,
    Submission,
    Triage,
    User,
)
from kiosk.clinic.summary import (
    StoredResponse,
    change_over_time,
    essentials,
    flag_reasons,
    form_section,
    measures_of,
    what_matters,
)
from kiosk.engine import UnknownFormError
from kiosk.engine.form import SEVERITY_ORDER
from kiosk.exchange.clinic_list import Appointment, ClinicListError, parse_csv

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService
    from kiosk.clinic.staff import StaffMember

STATUSES = ("new", "in_review", "actioned", "no_action", "declined")
REFERRAL_KINDS = (
    "social_prescriber",
    "food_bank",
    "housing",
    "debt_benefits",
    "carers_support",
    "safeguarding",
    "gp",
    "other",
)
OUTCOMES = ("awaiting", "accepted", "declined", "attended", "did_not_attend", "closed")
URGENCY_LABELS = ("Urgent", "Wants help", "Flagged", "No flags")
CASEWORKERS = ("clinician", "link_worker")
MAX_NOTES = 10_000
_CHUNK = 500


def _refused(status: int, code: str, message: str) -> Exception:
    from kiosk.clinic.service import Refused

    return Refused(status, code, message)


def _now() -> str:
    from kiosk.clinic.service import now_text

    return now_text()


def _day(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise _refused(422, "bad_value", f"{what} must be a date like 2026-11-24") from None


def _changed(result: Any) -> CursorResult[Any]:
    """An UPDATE's result, for its row count."""
    return cast(CursorResult[Any], result)


class Conflict(Exception):
    """Someone else saved first; ``current`` is what they saved."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("Someone else saved this first.")
        self.current = current


class Casework:
    def __init__(self, service: ClinicService) -> None:
        self.service = service
        self.reasons = flag_reasons(service.library)
        self.titles = {p.id: p.title for p in service.library.pathways.values()}

    # ------------------------------------------------------------ helpers
    @contextmanager
    def _refusals_audited(
        self, member: StaffMember, action: str, target: str, remote: str | None
    ) -> Iterator[None]:
        """Audit a refusal (404, 422) after its transaction has rolled back, so the
        row is kept; a refusal's audit is never the reason the request fails."""
        from kiosk.clinic.service import Refused

        try:
            yield
        except Refused as refusal:
            # Another clinic's submission answers as a missing one but is audited apart.
            outcome = getattr(refusal, "audit_outcome", refusal.code)
            self.service.audit_now(member.actor, action, outcome, target=target, remote=remote)
            raise

    def _open(self, sealed: bytes | None, context: str) -> Any:
        return None if sealed is None else self.service.secrets.open(sealed, context)

    def _appointments(self, db: Session, day: str) -> dict[str, Appointment]:
        """The clinic list of ``day`` by appointment id, NHS number and hospital number."""
        row = db.get(ClinicListDay, day)
        if row is None:
            return {}
        try:
            text = self.service.secrets.open(row.csv, f"clinic_lists/{day}")
            clinic_list = parse_csv(text, f"clinic list {day}", dt.date.fromisoformat(day))
        except (ClinicListError, ValueError):
            return {}
        out: dict[str, Appointment] = {}
        for a in clinic_list.appointments:
            out[f"id:{a.appointment_id}"] = a
            if a.nhs_number:
                out[f"nhs:{a.nhs_number}"] = a
            if a.hospital_number:
                out[f"hospital:{a.hospital_number.upper()}"] = a
        return out

    @staticmethod
    def _patient(link: Any, appointments: Mapping[str, Appointment]) -> dict[str, Any] | None:
        if not isinstance(link, dict) or link.get("method") == "anonymous":
            return None
        nhs, hospital = link.get("nhs_number"), link.get("hospital_number")
        match = (
            appointments.get(f"id:{link.get('appointment_id')}")
            or (appointments.get(f"nhs:{nhs}") if nhs else None)
            or (appointments.get(f"hospital:{str(hospital).upper()}") if hospital else None)
        )
        if not nhs and not hospital and match is None:
            return None
        return {
            "name": f"{match.given_name} {match.family_name}" if match else None,
            "birth_date": match.birth_date.isoformat() if match else None,
            "nhs_number": nhs or (match.nhs_number if match else None),
            "hospital_number": hospital or (match.hospital_number if match else None),
        }

    def _flags(self, db: Session, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in ids}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for flag in db.scalars(select(Flag).where(Flag.submission_id.in_(chunk))):
                out[flag.submission_id].append(
                    {
                        "id": flag.flag_id,
                        "form_id": flag.form_id,
                        "severity": flag.severity,
                        "reason": self.reasons.get((flag.form_id, flag.flag_id), flag.flag_id),
                    }
                )
        for flags in out.values():
            flags.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["id"]))
        return out

    def _triage_json(self, row: Triage | None, sid: str) -> dict[str, Any]:
        if row is None:
            return {
                "status": "new",
                "owner": None,
                "notes": "",
                "version": 0,
                "updated_at": None,
                "updated_by": None,
            }
        return {
            "status": row.status,
            "owner": row.owner,
            "notes": self._open(row.notes, f"triage/{sid}/notes") or "",
            "version": row.version,
            "updated_at": row.updated_at,
            "updated_by": row.updated_by,
        }

    def _referral_json(self, row: Referral) -> dict[str, Any]:
        return {
            "id": row.id,
            "submission_id": row.submission_id,
            "kind": row.kind,
            "referred_on": row.referred_on,
            "outcome": row.outcome,
            "outcome_on": row.outcome_on,
            "notes": self._open(row.notes, f"referrals/{row.id}/notes") or "",
            "version": row.version,
            "created_by": row.created_by,
        }

    # ------------------------------------------------------------ the queue
    def queue(
        self,
        member: StaffMember,
        day: dt.date,
        *,
        clinic: str | None = None,
        status: str | None = None,
        flag: str | None = None,
        remote: str | None = None,
    ) -> dict[str, Any]:
        if status is not None and status not in STATUSES:
            raise _refused(422, "bad_value", f"status must be one of {', '.join(STATUSES)}")
        show_flags = member.role in CASEWORKERS
        day_text = day.isoformat()
        with self.service.transaction() as db:
            query = (
                select(
                    Submission.id,
                    Submission.started_at,
                    Submission.received_at,
                    Submission.status,
                    Submission.pathway,
                    Submission.clinic,
                    Submission.appointment_time,
                    Submission.urgency,
                    Submission.identifiers,
                    Triage.status,
                    Triage.owner,
                    Triage.version,
                )
                .outerjoin(Triage, Triage.submission_id == Submission.id)
                .where(Submission.day == day_text, scope.visible(member))
            )
            rows = db.execute(query).all()
            clinics = sorted({r[5] for r in rows if r[5]})
            if clinic:
                rows = [r for r in rows if r[5] == clinic]
            ids = [r[0] for r in rows]
            flags = self._flags(db, ids) if show_flags else {}
            appointments = self._appointments(db, day_text)
            counts: Counter[str] = Counter()
            items = []
            for (
                sid,
                started,
                received,
                complete,
                pathway,
                clinic_name,
                time,
                urgency,
                identifiers,
                t_status,
                owner,
                version,
            ) in rows:
                item_status = t_status or "new"
                item_flags = flags.get(sid, [])
                counts["total"] += 1
                counts[item_status] += 1
                if show_flags:
                    counts["urgent"] += urgency == 0
                    counts["wants_help"] += any(f["id"] == "wants_help" for f in item_flags)
                    counts["flagged"] += bool(item_flags)
                if status and item_status != status:
                    continue
                if flag and not any(f["id"] == flag for f in item_flags):
                    continue
                link = self._open(identifiers, f"submissions/{sid}/identifiers")
                shown_urgency = urgency if show_flags else 3
                items.append(
                    {
                        "submission_id": sid,
                        "started_at": started,
                        "received_at": received,
                        "complete": complete == "complete",
                        "pathway": pathway,
                        "pathway_title": self.titles.get(pathway, pathway),
                        "clinic": clinic_name,
                        "appointment_time": time,
                        "patient": self._patient(link, appointments),
                        "urgency": shown_urgency,
                        "urgency_label": URGENCY_LABELS[shown_urgency],
                        "flags": item_flags,
                        "status": item_status,
                        "owner": owner,
                        "version": version or 0,
                    }
                )
            items.sort(
                key=lambda i: (
                    i["urgency"],
                    i["appointment_time"] is None,
                    i["appointment_time"] or "",
                    i["started_at"],
                )
            )
            self.service.audit(
                db,
                member.actor,
                "read_queue",
                "ok",
                target=f"{day_text}: {len(items)} items",
                remote=remote,
            )
        keys = ("total", "urgent", "wants_help", "flagged", *STATUSES)
        return {
            "day": day_text,
            "clinics": clinics,
            "counts": {k: counts.get(k, 0) for k in keys},
            "items": items,
        }

    # ------------------------------------------------------------ one summary
    def _responses(self, db: Session, sid: str) -> list[StoredResponse]:
        out = []
        for row in db.scalars(
            select(Response).where(Response.submission_id == sid).order_by(Response.id)
        ):
            answers = self._open(row.answers, f"responses/{sid}/{row.form_id}")
            out.append(
                StoredResponse(
                    form_id=row.form_id,
                    form_version=row.form_version,
                    form_hash=row.form_hash,
                    known=row.form_known,
                    scores=json.loads(row.scores),
                    bands=json.loads(row.bands),
                    answers=answers if isinstance(answers, dict) else {},
                )
            )
        return out

    def _history(
        self,
        db: Session,
        member: StaffMember,
        patient_key: str | None,
        sid: str,
        responses: list[StoredResponse],
    ) -> list[dict[str, Any]]:
        if patient_key is None:
            rows: Iterable[tuple[str, str, str]] = db.execute(
                select(Submission.id, Submission.started_at, Submission.pathway).where(
                    Submission.id == sid
                )
            ).all()
        else:
            rows = db.execute(
                select(Submission.id, Submission.started_at, Submission.pathway)
                .where(Submission.patient_key == patient_key, scope.visible(member))
                .order_by(Submission.started_at)
            ).all()
        history = []
        for other, started, pathway in rows:
            theirs = responses if other == sid else self._responses(db, other)
            history.append(
                {
                    "submission_id": other,
                    "started_at": started,
                    "pathway": pathway,
                    "pathway_title": self.titles.get(pathway, pathway),
                    "measures": measures_of(theirs),
                }
            )
        return history

    def _baseline_for(
        self, db: Session, member: StaffMember, row: Submission, response: StoredResponse
    ) -> dict[str, Any] | None:
        try:
            form = self.service.library.by_hash(response.form_hash)
        except UnknownFormError:
            return None
        spec = form.spec.baseline
        if spec is None:
            return None
        return self.service.baseline_answers(
            db,
            row.patient_key,
            spec.form,
            list(spec.items),
            before=row.started_at,
            where=scope.visible(member),
        )

    def summary(self, member: StaffMember, sid: str, remote: str | None) -> dict[str, Any]:
        with self._refusals_audited(member, "read_summary", sid, remote):
            return self._summary(member, sid, remote)

    def _summary(self, member: StaffMember, sid: str, remote: str | None) -> dict[str, Any]:
        with self.service.transaction() as db:
            row = scope.submission(db, member, sid, "There is no such submission.")
            link = self._open(row.identifiers, f"submissions/{sid}/identifiers")
            responses = self._responses(db, sid)
            flags = self._flags(db, [sid])[sid]
            library = self.service.library
            history = self._history(db, member, row.patient_key, sid, responses)
            referrals = db.scalars(
                select(Referral).where(Referral.submission_id == sid).order_by(Referral.id)
            ).all()
            out = {
                "submission_id": sid,
                "started_at": row.started_at,
                "received_at": row.received_at,
                "complete": row.status == "complete",
                "end_reason": row.end_reason,
                "pathway": row.pathway,
                "pathway_title": self.titles.get(row.pathway, row.pathway),
                "language": row.language or "en",
                "clinic": row.clinic,
                "appointment_time": row.appointment_time,
                "patient": self._patient(link, self._appointments(db, row.day or "")),
                **what_matters(library, responses),
                "flags": flags,
                "forms": [
                    form_section(library, r, flags, self._baseline_for(db, member, row, r))
                    for r in responses
                ],
                "essentials": essentials(library, responses),
                "history": history,
                "change": change_over_time(history),
                "triage": self._triage_json(db.get(Triage, sid), sid),
                "referrals": [self._referral_json(r) for r in referrals],
            }
            self.service.audit(db, member.actor, "read_summary", "ok", target=sid, remote=remote)
        return out

    # ------------------------------------------------------------ triage
    def save_triage(
        self,
        member: StaffMember,
        sid: str,
        version: int,
        status: str,
        owner: str | None,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        with self._refusals_audited(member, "triage", sid, remote):
            return self._save_triage(member, sid, version, status, owner, notes, remote)

    def _save_triage(
        self,
        member: StaffMember,
        sid: str,
        version: int,
        status: str,
        owner: str | None,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        if status not in STATUSES:
            raise _refused(422, "bad_value", f"status must be one of {', '.join(STATUSES)}")
        if len(notes) > MAX_NOTES:
            raise _refused(422, "bad_value", f"notes may be at most {MAX_NOTES} characters")
        owner = (owner or "").strip()[:64] or None
        conflict: Conflict | None = None
        with self.service.transaction() as db:
            scope.submission(db, member, sid, "There is no such submission.")
            if (
                owner is not None
                and db.scalar(select(User.id).where(User.username == owner)) is None
            ):
                raise _refused(422, "bad_value", f"there is no staff user called {owner}")
            sealed = self.service.secrets.seal(notes, f"triage/{sid}/notes")
            fields = {
                "status": status,
                "owner": owner,
                "notes": sealed,
                "updated_at": _now(),
                "updated_by": member.username,
            }
            # One statement that only succeeds from the version the editor started
            # with: two saves at once cannot both pass (no lost update). Every
            # submission has its triage row from the moment it arrives.
            done = _changed(
                db.execute(
                    update(Triage)
                    .where(Triage.submission_id == sid, Triage.version == version)
                    .values(version=Triage.version + 1, **fields)
                    .execution_options(synchronize_session=False)
                )
            )
            saved = done.rowcount == 1
            db.expire_all()
            row = db.get(Triage, sid)
            if saved:
                self.service.audit(
                    db, member.actor, "triage", f"ok: {status}", target=sid, remote=remote
                )
            else:
                self.service.audit(
                    db, member.actor, "triage", "conflict", target=sid, remote=remote
                )
                conflict = Conflict(self._triage_json(row, sid))
            result = self._triage_json(row, sid)
        if conflict is not None:
            raise conflict
        return result

    def add_referral(
        self,
        member: StaffMember,
        sid: str,
        kind: str,
        referred_on: str,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        with self._refusals_audited(member, "referral_added", sid, remote):
            return self._add_referral(member, sid, kind, referred_on, notes, remote)

    def _add_referral(
        self,
        member: StaffMember,
        sid: str,
        kind: str,
        referred_on: str,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        if kind not in REFERRAL_KINDS:
            raise _refused(422, "bad_value", f"kind must be one of {', '.join(REFERRAL_KINDS)}")
        day = _day(referred_on, "referred_on")
        if day is None:
            raise _refused(422, "bad_value", "referred_on is needed")
        if len(notes) > MAX_NOTES:
            raise _refused(422, "bad_value", f"notes may be at most {MAX_NOTES} characters")
        with self.service.transaction() as db:
            scope.submission(db, member, sid, "There is no such submission.")
            now = _now()
            row = Referral(
                submission_id=sid,
                kind=kind,
                referred_on=day,
                outcome="awaiting",
                outcome_on=None,
                notes=None,
                version=0,
                created_by=member.username,
                created_at=now,
                updated_at=now,
            )
            db.add(row)
            db.flush()
            row.notes = self.service.secrets.seal(notes, f"referrals/{row.id}/notes")
            self.service.audit(
                db, member.actor, "referral_added", f"ok: {kind}", target=sid, remote=remote
            )
            db.flush()
            return self._referral_json(row)

    def update_referral(
        self,
        member: StaffMember,
        referral_id: int,
        version: int,
        outcome: str,
        outcome_on: str | None,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        with self._refusals_audited(member, "referral_updated", f"referral {referral_id}", remote):
            return self._update_referral(
                member, referral_id, version, outcome, outcome_on, notes, remote
            )

    def _update_referral(
        self,
        member: StaffMember,
        referral_id: int,
        version: int,
        outcome: str,
        outcome_on: str | None,
        notes: str,
        remote: str | None,
    ) -> dict[str, Any]:
        if outcome not in OUTCOMES:
            raise _refused(422, "bad_value", f"outcome must be one of {', '.join(OUTCOMES)}")
        day = _day(outcome_on, "outcome_on")
        if len(notes) > MAX_NOTES:
            raise _refused(422, "bad_value", f"notes may be at most {MAX_NOTES} characters")
        with self.service.transaction() as db:
            row = db.get(Referral, referral_id)
            if row is None:
                raise _refused(404, "not_found", "There is no such referral.")
            scope.submission(db, member, row.submission_id, "There is no such referral.")
            done = _changed(
                db.execute(
                    update(Referral)
                    .where(Referral.id == referral_id, Referral.version == version)
                    .values(
                        outcome=outcome,
                        outcome_on=day,
                        notes=self.service.secrets.seal(notes, f"referrals/{referral_id}/notes"),
                        version=Referral.version + 1,
                        updated_at=_now(),
                    )
                    .execution_options(synchronize_session=False)
                )
            )
            db.expire_all()
            row = db.get(Referral, referral_id)
            assert row is not None
            conflict: Conflict | None = None
            if done.rowcount == 1:
                self.service.audit(
                    db,
                    member.actor,
                    "referral_updated",
                    f"ok: {row.kind} {outcome}",
                    target=row.submission_id,
                    remote=remote,
                )
            else:
                self.service.audit(
                    db,
                    member.actor,
                    "referral_updated",
                    "conflict",
                    target=row.submission_id,
                    remote=remote,
                )
                conflict = Conflict(self._referral_json(row))
            result = self._referral_json(row)
        if conflict is not None:
            raise conflict
        return result

    # ------------------------------------------------------------ administration
    def audit_entries(
        self,
        member: StaffMember,
        *,
        target: str | None,
        actor: str | None,
        limit: int,
        remote: str | None,
    ) -> list[dict[str, Any]]:
        with self.service.transaction() as db:
            query = (
                select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))
            )
            if target:
                query = query.where(AuditEntry.target.startswith(target[:100], autoescape=True))
            if actor:
                query = query.where(AuditEntry.actor == actor[:100])
            entries = [
                {
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "outcome": e.outcome,
                    "remote": e.remote,
                    "detail": e.detail,
                }
                for e in db.scalars(query)
            ]
            self.service.audit(db, member.actor, "read_audit", "ok", target=target, remote=remote)
        return entries

    def devices(self, member: StaffMember, remote: str | None = None) -> list[dict[str, Any]]:
        with self.service.transaction() as db:
            devices = [
                {
                    "id": d.id,
                    "name": d.name,
                    "enrolled_at": d.enrolled_at,
                    "last_seen_at": d.last_seen_at,
                    "revoked_at": d.revoked_at,
                }
                for d in db.scalars(select(Device).order_by(Device.enrolled_at))
            ]
            self.service.audit(
                db,
                member.actor,
                "read_devices",
                "ok",
                target=f"{len(devices)} tablets",
                remote=remote,
            )
        return devices

    def count_today(self) -> int:
        with self.service.transaction() as db:
            today = dt.date.today().isoformat()
            return db.scalar(select(func.count()).where(Submission.day == today)) or 0
