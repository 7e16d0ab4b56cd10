"""Tablets' reports of how far an appointment's patient has got today (checked in,
started), before any submission arrives (``POST /api/v1/tablet/progress``).

Only an appointment on today's clinic list is accepted, and only a stage a tablet
can see (kiosk.vocabulary.TABLET_STAGES). The appointment id is kept as its keyed
HMAC, never as itself; a stage never goes backwards (a late "checked in" after
"started" changes nothing). Every report is audited, without the appointment.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.clinic.errors import Invalid
from kiosk.clinic.models import AppointmentProgress, ClinicListDay
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.exchange.clinic_list import Appointment, ClinicListError, parse_csv
from kiosk.vocabulary import APPOINTMENT_STAGES, TABLET_STAGES

NOT_ON_TODAYS_LIST = "not_on_todays_list"  # the refusal's code on the wire
MAX_APPOINTMENT_ID = 64
APPOINTMENT_KIND = "appointment"  # the kind of keyed HMAC an appointment id is kept as


def further(a: str, b: str) -> str:
    """The further of two stages (kiosk.vocabulary.APPOINTMENT_STAGES, furthest last)."""
    return a if APPOINTMENT_STAGES.index(a) >= APPOINTMENT_STAGES.index(b) else b


def day_appointments(plumbing: Plumbing, db: Session, day: str) -> list[Appointment]:
    """The clinic list of ``day`` (YYYY-MM-DD) as stored; empty when there is none, or
    it cannot be read (the list was checked when it was saved)."""
    row = db.get(ClinicListDay, day)
    if row is None:
        return []
    try:
        text = plumbing.secrets.open(row.csv, f"clinic_lists/{day}")
        return list(parse_csv(text, f"clinic list {day}", dt.date.fromisoformat(day)).appointments)
    except (ClinicListError, ValueError):
        return []


def appointment_key(secrets: ServerSecrets, appointment_id: str) -> str:
    """The keyed HMAC an appointment id is stored as (never the id itself)."""
    return secrets.patient_key(APPOINTMENT_KIND, appointment_id)


class Progress:
    """Keeps each of today's appointments' furthest stage, as tablets report it."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

    def report(
        self, device_id: str, appointment_id: str, stage: str, remote: str | None = None
    ) -> str:
        """Record ``stage`` for today's appointment ``appointment_id``; the stage now
        kept (further than ``stage`` if the patient had already got further).
        ``Invalid`` for a stage a tablet cannot report or an appointment not on
        today's list; audited either way."""
        actor = f"device:{device_id}"
        try:
            if stage not in TABLET_STAGES:
                raise Invalid(f"stage must be one of {', '.join(TABLET_STAGES)}")
            try:
                return self._store(device_id, appointment_id, stage, remote)
            except IntegrityError:  # another report for it arrived at the same moment
                return self._store(device_id, appointment_id, stage, remote)
        except Invalid as refusal:
            self.plumbing.audit_now(
                actor, "appointment_progress", refusal.code, target=stage[:20], remote=remote
            )
            raise

    def _store(self, device_id: str, appointment_id: str, stage: str, remote: str | None) -> str:
        plumbing = self.plumbing
        today = dt.date.today().isoformat()
        with plumbing.transaction() as db:
            listed = {a.appointment_id for a in day_appointments(plumbing, db, today)}
            if appointment_id not in listed:
                raise Invalid(
                    "This appointment is not on today's clinic list.", code=NOT_ON_TODAYS_LIST
                )
            key = appointment_key(plumbing.secrets, appointment_id)
            row = db.get(AppointmentProgress, key)
            now = now_text()
            if row is None:
                row = AppointmentProgress(
                    appointment_key=key, day=today, stage=stage, updated_at=now, device_id=device_id
                )
                db.add(row)
                db.flush()
            elif row.day != today or further(stage, row.stage) != row.stage:
                row.day, row.stage, row.updated_at, row.device_id = today, stage, now, device_id
            plumbing.audit(
                db, f"device:{device_id}", "appointment_progress", "ok", target=row.stage,
                remote=remote,
            )  # fmt: skip
            return row.stage
