"""The day's whole clinic list, so nobody is missed: every appointment with how far
its patient has got (not started, checked in, started, finished), and the day's
submissions that match no appointment on the list.

A stage comes from two places, the furthest wins: the tablets' progress reports
(``appointment_progress``, kiosk.clinic.progress) and the submissions stored for the
appointment (``submissions.appointment_key``): a complete one is finished, an
incomplete one started. Voided submissions count for nothing. Nothing is decrypted
but the day's list itself; appointments are matched by their keyed HMAC.

Receptionists see the list without flags or urgency, as in the queue; a member
limited to some clinics sees only theirs (kiosk.clinic.scope). Every read is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic import scope
from kiosk.clinic.casework import URGENCY_LABELS
from kiosk.clinic.models import AppointmentProgress, Submission
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.progress import appointment_key, day_appointments, further
from kiosk.vocabulary import (
    APPOINTMENT_STAGES,
    CASEWORKERS,
    CLINIC_DAY_COUNTS,
    ENTRY_ROUTES,
    FINISHED,
    NOT_ON_LIST,
    NOT_STARTED,
    STARTED,
    TOTAL_COUNT,
)

if TYPE_CHECKING:
    from kiosk.clinic.casework import Casework
    from kiosk.clinic.members import StaffMember


class ClinicDay:
    """The day view of the clinic list (``GET /api/v1/clinic-day``)."""

    def __init__(self, plumbing: Plumbing, casework: Casework) -> None:
        self.plumbing = plumbing
        self.casework = casework  # flags in the queue's words

    def read(
        self, member: StaffMember, day: dt.date, *, remote: str | None = None
    ) -> dict[str, Any]:
        """The day's list as ``member`` may see it."""
        show_flags = member.role in CASEWORKERS
        day_text = day.isoformat()
        with self.plumbing.transaction() as db:
            listed = day_appointments(self.plumbing, db, day_text)
            listed = [a for a in listed if scope.sees(member, a.clinic)]
            keys = {appointment_key(self.plumbing.secrets, a.appointment_id): a for a in listed}
            progress = {
                row.appointment_key: row.stage
                for row in db.scalars(
                    select(AppointmentProgress).where(AppointmentProgress.day == day_text)
                )
            }
            submissions = db.execute(
                select(
                    Submission.id,
                    Submission.appointment_key,
                    Submission.status,
                    Submission.route,
                    Submission.urgency,
                    Submission.started_at,
                    Submission.clinic,
                    Submission.appointment_time,
                )
                .where(
                    Submission.day == day_text,
                    Submission.voided_at.is_(None),
                    scope.visible(member),
                )
                .order_by(Submission.started_at)
            ).all()
            by_key: dict[str, list[Any]] = {}
            unlisted = []
            for row in submissions:
                if row.appointment_key in keys:
                    by_key.setdefault(row.appointment_key, []).append(row)
                else:
                    unlisted.append(row)
            flags: dict[str, list[dict[str, Any]]] = {}
            if show_flags:
                finished = [r.id for r in submissions if r.status == "complete"]
                flags = self.casework.flags(db, finished)
            counts: Counter[str] = Counter()
            routes: Counter[str] = Counter()
            items = []
            for key, appointment in keys.items():
                rows = by_key.get(key, [])
                stage = progress.get(key, NOT_STARTED)
                if stage not in APPOINTMENT_STAGES:
                    stage = NOT_STARTED
                for row in rows:
                    stage = further(stage, FINISHED if row.status == "complete" else STARTED)
                    routes[row.route] += 1
                counts[TOTAL_COUNT] += 1
                counts[stage] += 1
                items.append(
                    {
                        "appointment_id": appointment.appointment_id,
                        "time": appointment.time,
                        "clinic": appointment.clinic,
                        "name": f"{appointment.given_name} {appointment.family_name}",
                        "stage": stage,
                        **self._answers(rows, flags, show_flags),
                    }
                )
            items.sort(key=lambda i: (i["time"], i["clinic"], i["name"]))
            others = []
            for row in unlisted:
                routes[row.route] += 1
                counts[NOT_ON_LIST] += 1
                others.append(
                    {
                        "time": row.appointment_time,
                        "clinic": row.clinic,
                        "stage": FINISHED if row.status == "complete" else STARTED,
                        "started_at": row.started_at,
                        **self._answers([row], flags, show_flags),
                    }
                )
            self.plumbing.audit(
                db,
                member.actor,
                "read_clinic_day",
                "ok",
                target=f"{day_text}: {len(items)} appointments, {len(others)} not on the list",
                remote=remote,
            )
        return {
            "day": day_text,
            "clinics": sorted({a.clinic for a in listed}),
            "counts": {k: counts.get(k, 0) for k in CLINIC_DAY_COUNTS},
            "routes": {r: routes.get(r, 0) for r in ENTRY_ROUTES},
            "appointments": items,
            "not_on_list": others,
        }

    def _answers(
        self, rows: list[Any], flags: dict[str, list[dict[str, Any]]], show_flags: bool
    ) -> dict[str, Any]:
        """What an appointment's submissions say: their ids (earliest first), the route
        of the latest, and for a caseworker the urgency and flags of the finished ones."""
        finished = [r for r in rows if r.status == "complete"]
        urgency = min((r.urgency for r in finished), default=None) if show_flags else None
        return {
            "submission_ids": [r.id for r in rows],
            "route": rows[-1].route if rows else None,
            "urgency": urgency,
            "urgency_label": None if urgency is None else URGENCY_LABELS[urgency],
            "flags": [f for r in finished for f in flags.get(r.id, [])] if show_flags else [],
        }
