"""Putting a submission's link right (hazards H-03, H-04: the wrong patient linked).

Staff may re-link a submission to another appointment on its day's clinic list, or
to a patient by NHS or hospital number; unlink it (anonymous); or void it as entered
in error. Each needs a reason. Each starts from the version the member of staff
read (the number of corrections so far), so two people at once never overwrite each
other unseen (``EditConflict`` with the current state).

A re-link re-computes everything the link decides: the sealed identifiers, the
patient key (so earlier visits and baselines follow the right patient), the
appointment key, the clinic and the appointment time. Unlinking keeps the clinic
(the patient answered there) and forgets the rest. Voiding is final: the
submission leaves every list, history, count and export (``scope.live``), but
nothing is deleted, and its own summary still opens and says who voided it, when
and why. The link before and after and the reason are kept sealed in
``link_changes``; the audit row holds ids and codes only, never the reason or a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from kiosk.clinic import link_history, scope
from kiosk.clinic.casework import refusals_audited
from kiosk.clinic.errors import EditConflict, Forbidden, Invalid, StateConflict
from kiosk.clinic.models import LinkChange, Submission
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.exchange.clinic_list import Appointment
from kiosk.vocabulary import (
    ANONYMOUS,
    LINK_CORRECTIONS,
    LINK_CORRECTORS,
    LINK_VOIDERS,
    RECEPTION,
    RELINK,
    UNLINK,
    VOID,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.clinic.members import StaffMember

MAX_REASON = 500
AUDIT_ACTION = "link_correction"
MISSING = "There is no such submission."


class LinkCorrections:
    """Re-link, unlink and void, each with a reason, from the version staff read."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

    def correct(
        self,
        member: StaffMember,
        sid: str,
        action: str,
        version: int,
        reason: str,
        *,
        appointment_id: str | None = None,
        nhs_number: str | None = None,
        hospital_number: str | None = None,
        remote: str | None = None,
    ) -> dict[str, Any]:
        """Put the link of ``sid`` right; its link state and history afterwards."""
        # (The console's StaffClient.correct_link takes the same fields: the other end.)
        with refusals_audited(self.plumbing, member, AUDIT_ACTION, sid, remote):
            if action not in LINK_CORRECTIONS:
                raise Invalid(f"action must be one of {', '.join(LINK_CORRECTIONS)}")
            allowed = LINK_VOIDERS if action == VOID else LINK_CORRECTORS
            if member.role not in allowed:
                raise Forbidden("Only clinicians and link workers may void a submission.")
            reason = reason.strip()
            if not reason:
                raise Invalid("Say why: a reason is needed.", code="reason_needed")
            if len(reason) > MAX_REASON:
                raise Invalid(f"A reason may be at most {MAX_REASON} characters.")
            target = self._target(action, appointment_id, nhs_number, hospital_number)
            conflict: EditConflict | None = None
            with self.plumbing.transaction() as db:
                # Take the row's write lock first (a no-op UPDATE), so the version read
                # below cannot change before this transaction commits (PostgreSQL: the
                # row lock; SQLite: the database's write lock).
                db.execute(
                    update(Submission)
                    .where(Submission.id == sid)
                    .values(voided_at=Submission.voided_at)
                    .execution_options(synchronize_session=False)
                )
                row = scope.submission(db, member, sid, MISSING)
                if row.voided_at is not None:
                    raise StateConflict(
                        f"This submission was voided as entered in error on {row.voided_at[:10]}."
                        " Voiding is final: it cannot be re-linked, unlinked or voided again.",
                        code="voided",
                    )
                current = link_history.version_of(db, sid)
                if current != version:
                    self.plumbing.audit(
                        db, member.actor, AUDIT_ACTION, "conflict", target=sid, remote=remote
                    )
                    conflict = EditConflict(self._state(db, member, row))
                else:
                    self._apply(db, member, row, action, target, reason, current)
                    self.plumbing.audit(
                        db,
                        member.actor,
                        AUDIT_ACTION,
                        f"ok: {action}",
                        target=sid,
                        remote=remote,
                        detail=f"by {target[0]}" if target else None,
                    )
                result = self._state(db, member, row)
            if conflict is not None:
                raise conflict
            return result

    # ------------------------------------------------------------ checks
    @staticmethod
    def _target(
        action: str, appointment_id: str | None, nhs_number: str | None, hospital_number: str | None
    ) -> tuple[str, str] | None:
        """What a re-link names (kind, value), checked; None for unlink and void."""
        named = link_history.named_patient(appointment_id, nhs_number, hospital_number)
        if action != RELINK:
            if named:
                raise Invalid("Only a re-link names an appointment or a patient.")
            return None
        if len(named) != 1:
            raise Invalid(
                "Name one of: an appointment on the clinic list, an NHS number or a"
                " hospital number.",
                code="patient_needed",
            )
        kind, value = named[0]
        if kind == "appointment":
            return kind, value
        return kind, link_history.checked_number(kind, value)

    # ------------------------------------------------------------ the change
    def _new_link(
        self, db: Session, member: StaffMember, row: Submission, target: tuple[str, str]
    ) -> tuple[dict[str, Any], Appointment | None]:
        # Only appointments of the member's own clinics: another clinic's list is not
        # theirs to read (nor to move a submission into).
        appointments = link_history.day_appointments(
            self.plumbing, db, row.day or "", member.clinics
        )
        kind, value = target
        if kind == "appointment":
            found = appointments.get(f"id:{value}")
            if found is None:
                raise Invalid(
                    f"There is no appointment {value[:40]} on the clinic list of {row.day}.",
                    code="unknown_appointment",
                )
            return link_history.appointment_link(found), found
        key = f"nhs:{value}" if kind == "nhs_number" else f"hospital:{value.upper()}"
        found = appointments.get(key)
        if found is not None:
            return link_history.appointment_link(found), found
        # A patient not on that day's list: linked by the number alone.
        return {"method": RECEPTION, kind: value}, None

    def _apply(
        self,
        db: Session,
        member: StaffMember,
        row: Submission,
        action: str,
        target: tuple[str, str] | None,
        reason: str,
        number: int,
    ) -> None:
        secrets = self.plumbing.secrets
        sid = row.id
        before = self._kept(row, link_history.link_of(self.plumbing, row))
        after: dict[str, Any] | None = None
        now = now_text()
        if action == VOID:
            row.voided_at = now
        else:
            if action == RELINK:
                assert target is not None
                link, appointment = self._new_link(db, member, row, target)
            else:
                link, appointment = {"method": ANONYMOUS}, None
            if link == before["link"] or (
                action == UNLINK and row.patient_key is None and row.appointment_key is None
            ):
                raise Invalid(
                    "The submission is already linked that way; nothing to change.",
                    code="unchanged",
                )
            nhs, hospital = link.get("nhs_number"), link.get("hospital_number")
            row.identifiers = secrets.seal(link, f"submissions/{sid}/identifiers")
            row.link_method = str(link["method"])
            row.patient_key = (
                secrets.patient_key("nhs", str(nhs))
                if nhs
                else secrets.patient_key("hospital", str(hospital))
                if hospital
                else None
            )
            row.appointment_key = (
                secrets.patient_key("appointment", appointment.appointment_id)
                if appointment is not None
                else None
            )
            # The patient answered at their clinic: a link without an appointment keeps it.
            row.clinic = appointment.clinic[:80] if appointment is not None else row.clinic
            row.appointment_time = appointment.time[:8] if appointment is not None else None
            after = self._kept(row, link)
        db.add(
            LinkChange(
                submission_id=sid,
                action=action,
                at=now,
                by=member.username,
                reason=secrets.seal(reason, link_history.sealed_context(sid, number, "reason")),
                before=secrets.seal(before, link_history.sealed_context(sid, number, "before")),
                after=(
                    secrets.seal(after, link_history.sealed_context(sid, number, "after"))
                    if after is not None
                    else None
                ),
            )
        )
        db.flush()

    @staticmethod
    def _kept(row: Submission, link: Any) -> dict[str, Any]:
        """One side of a correction as it is sealed: the link and where it placed the
        submission."""
        return {"link": link, "clinic": row.clinic, "appointment_time": row.appointment_time}

    def _state(self, db: Session, member: StaffMember, row: Submission) -> dict[str, Any]:
        """The submission's link as ``member`` reads it, with its history and version."""
        entries = link_history.history(self.plumbing, db, row, member.clinics)
        appointments = link_history.day_appointments(
            self.plumbing, db, row.day or "", member.clinics
        )
        return {
            "submission_id": row.id,
            "clinic": row.clinic,
            "appointment_time": row.appointment_time,
            "patient": link_history.patient_of(
                link_history.link_of(self.plumbing, row), appointments
            ),
            "voided": link_history.voided(entries),
            "link_version": len(entries),
            "link_history": entries,
        }
