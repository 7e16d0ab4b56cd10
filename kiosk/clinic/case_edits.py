"""Staff changing a case: triage (status, owner, notes) and referrals, with conflict
detection.

Every change is audited. Saves name the version they started from; a stale version
is refused (``EditConflict``) with the current state, so two people editing one
item at once never overwrite each other unseen.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, select, update

from kiosk.clinic import scope
from kiosk.clinic.case_rows import referral_json, triage_json
from kiosk.clinic.casework import MAX_NOTES, refusals_audited
from kiosk.clinic.errors import EditConflict, Invalid, NotFound
from kiosk.clinic.models import Referral, Triage, User
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.vocabulary import AWAITING, REFERRAL_KINDS, REFERRAL_OUTCOMES, TRIAGE_STATUSES

if TYPE_CHECKING:
    from kiosk.clinic.members import StaffMember


def _day(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise Invalid(f"{what} must be a date like 2026-11-24") from None


def _changed(result: Any) -> CursorResult[Any]:
    """An UPDATE's result, for its row count."""
    return cast(CursorResult[Any], result)


class CaseEdits:
    """Triage and referrals saved only from the version the editor started with."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

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
        with refusals_audited(self.plumbing, member, "triage", sid, remote):
            if status not in TRIAGE_STATUSES:
                raise Invalid(f"status must be one of {', '.join(TRIAGE_STATUSES)}")
            if len(notes) > MAX_NOTES:
                raise Invalid(f"notes may be at most {MAX_NOTES} characters")
            owner = (owner or "").strip()[:64] or None
            conflict: EditConflict | None = None
            with self.plumbing.transaction() as db:
                scope.submission(db, member, sid, "There is no such submission.")
                if (
                    owner is not None
                    and db.scalar(select(User.id).where(User.username == owner)) is None
                ):
                    raise Invalid(f"there is no staff user called {owner}")
                sealed = self.plumbing.secrets.seal(notes, f"triage/{sid}/notes")
                fields = {
                    "status": status,
                    "owner": owner,
                    "notes": sealed,
                    "updated_at": now_text(),
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
                    self.plumbing.audit(
                        db, member.actor, "triage", f"ok: {status}", target=sid, remote=remote
                    )
                else:
                    self.plumbing.audit(
                        db, member.actor, "triage", "conflict", target=sid, remote=remote
                    )
                    conflict = EditConflict(triage_json(self.plumbing, row, sid))
                result = triage_json(self.plumbing, row, sid)
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
        with refusals_audited(self.plumbing, member, "referral_added", sid, remote):
            if kind not in REFERRAL_KINDS:
                raise Invalid(f"kind must be one of {', '.join(REFERRAL_KINDS)}")
            day = _day(referred_on, "referred_on")
            if day is None:
                raise Invalid("referred_on is needed")
            if len(notes) > MAX_NOTES:
                raise Invalid(f"notes may be at most {MAX_NOTES} characters")
            with self.plumbing.transaction() as db:
                scope.submission(db, member, sid, "There is no such submission.")
                now = now_text()
                row = Referral(
                    submission_id=sid,
                    kind=kind,
                    referred_on=day,
                    outcome=AWAITING,
                    outcome_on=None,
                    notes=None,
                    version=0,
                    created_by=member.username,
                    created_at=now,
                    updated_at=now,
                )
                db.add(row)
                db.flush()
                row.notes = self.plumbing.secrets.seal(notes, f"referrals/{row.id}/notes")
                self.plumbing.audit(
                    db, member.actor, "referral_added", f"ok: {kind}", target=sid, remote=remote
                )
                db.flush()
                return referral_json(self.plumbing, row)

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
        with refusals_audited(
            self.plumbing, member, "referral_updated", f"referral {referral_id}", remote
        ):
            if outcome not in REFERRAL_OUTCOMES:
                raise Invalid(f"outcome must be one of {', '.join(REFERRAL_OUTCOMES)}")
            day = _day(outcome_on, "outcome_on")
            if len(notes) > MAX_NOTES:
                raise Invalid(f"notes may be at most {MAX_NOTES} characters")
            with self.plumbing.transaction() as db:
                row = db.get(Referral, referral_id)
                if row is None:
                    raise NotFound("There is no such referral.")
                scope.submission(db, member, row.submission_id, "There is no such referral.")
                done = _changed(
                    db.execute(
                        update(Referral)
                        .where(Referral.id == referral_id, Referral.version == version)
                        .values(
                            outcome=outcome,
                            outcome_on=day,
                            notes=self.plumbing.secrets.seal(
                                notes, f"referrals/{referral_id}/notes"
                            ),
                            version=Referral.version + 1,
                            updated_at=now_text(),
                        )
                        .execution_options(synchronize_session=False)
                    )
                )
                db.expire_all()
                row = db.get(Referral, referral_id)
                assert row is not None
                conflict: EditConflict | None = None
                if done.rowcount == 1:
                    self.plumbing.audit(
                        db,
                        member.actor,
                        "referral_updated",
                        f"ok: {row.kind} {outcome}",
                        target=row.submission_id,
                        remote=remote,
                    )
                else:
                    self.plumbing.audit(
                        db,
                        member.actor,
                        "referral_updated",
                        "conflict",
                        target=row.submission_id,
                        remote=remote,
                    )
                    conflict = EditConflict(referral_json(self.plumbing, row))
                result = referral_json(self.plumbing, row)
            if conflict is not None:
                raise conflict
            return result
