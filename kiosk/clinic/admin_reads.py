"""Reads of the service as a whole: the audit log, enrolled tablets and open flags
(each read audited), and counts for the command line and the demo.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kiosk.clinic.models import AuditEntry, Device, Flag, HeldSubmission, Submission
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.scope import live, visible

if TYPE_CHECKING:
    from kiosk.clinic.members import StaffMember


class AdminReads:
    """Service-wide reads for administrators and clinicians."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

    def audit_entries(
        self,
        member: StaffMember,
        *,
        target: str | None,
        actor: str | None,
        limit: int,
        remote: str | None,
    ) -> list[dict[str, Any]]:
        with self.plumbing.transaction() as db:
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
            self.plumbing.audit(db, member.actor, "read_audit", "ok", target=target, remote=remote)
        return entries

    def devices(self, member: StaffMember, remote: str | None = None) -> list[dict[str, Any]]:
        with self.plumbing.transaction() as db:
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
            self.plumbing.audit(
                db,
                member.actor,
                "read_devices",
                "ok",
                target=f"{len(devices)} tablets",
                remote=remote,
            )
        return devices

    def count_today(self) -> int:
        with self.plumbing.transaction() as db:
            today = dt.date.today().isoformat()
            return db.scalar(select(func.count()).where(Submission.day == today, live())) or 0

    def open_flags(self, member: StaffMember, remote: str | None) -> list[dict[str, Any]]:
        """Flags raised today and before, newest first, of the clinics ``member`` may see
        (audited: this is patient data)."""
        with self.plumbing.transaction() as db:
            rows = db.execute(
                select(Flag, Submission.pathway, Submission.patient_key)
                .join(Submission, Submission.id == Flag.submission_id)
                .where(visible(member))
                .order_by(Flag.raised_at.desc())
                .limit(500)
            ).all()
            self.plumbing.audit(
                db, member.actor, "read_flags", "ok", target=f"{len(rows)} flags", remote=remote
            )
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
        """How many submissions, held submissions, tablets and flags the clinic holds."""
        with self.plumbing.transaction() as db:
            return {
                "submissions": db.scalar(select(func.count()).select_from(Submission)) or 0,
                "held": db.scalar(select(func.count()).select_from(HeldSubmission)) or 0,
                "devices": db.scalar(select(func.count()).select_from(Device)) or 0,
                "flags": db.scalar(select(func.count()).select_from(Flag)) or 0,
            }
