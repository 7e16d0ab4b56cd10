"""Clinic lists kept up to date by the hospital: HL7 v2 SIU messages applied one at a
time, and FHIR Appointment Bundles imported whole (docs/hospital-feeds.md).

A message is stored (sealed) with its acknowledgement in the same transaction that
applies it, and only then acknowledged, so nothing acknowledged is lost. A repeat of
a (sender, control id) is answered with the stored acknowledgement, byte for byte,
and not applied again. Changes are serialised: one at a time in this process, and
the day rows they touch locked (``SELECT ... FOR UPDATE``) against other processes
on PostgreSQL; two messages that still collide are retried.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.clinic.models import ClinicListDay, Hl7Message
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.tablet_config import TabletConfig
from kiosk.exchange.clinic_list import Appointment, ClinicList, ClinicListError, parse_csv, to_csv
from kiosk.exchange.errors import FhirBundleError, Hl7Error
from kiosk.exchange.fhir_appointments import clinic_lists_from_bundle
from kiosk.exchange.hl7_siu import AppointmentChange, Header, acknowledgement, read_header, read_siu

log = logging.getLogger(__name__)

ATTEMPTS = 5  # a message that collides with another is tried again this many times
# How far back a moved or cancelled appointment is looked for: past days are history.
LOOK_BACK = dt.timedelta(days=1)


class ClinicListUpdates:
    """The hospital's changes to the clinic lists, applied exactly once."""

    def __init__(self, plumbing: Plumbing, config: TabletConfig) -> None:
        self.plumbing = plumbing
        self.config = config
        self._one_at_a_time = threading.Lock()

    # ------------------------------------------------------------------ HL7 v2
    def receive_hl7(self, text: str) -> str:
        """The acknowledgement for one message, given only once the message and its
        outcome are committed (AR, not stored, when even that failed: send it again)."""
        try:
            header = read_header(text)
        except Hl7Error as exc:  # no control id to answer or to tell repeats by
            return acknowledgement(None, exc.code, self._ack_id(), self._now(), error=exc)
        last: SQLAlchemyError | None = None
        for _attempt in range(ATTEMPTS):
            try:
                with self._one_at_a_time, self.plumbing.transaction() as db:
                    return self._receive_in(db, header, text)
            except (IntegrityError, OperationalError) as exc:  # a collision: try again
                last = exc
            except SQLAlchemyError as exc:
                last = exc
                break
        log.error("an HL7 message could not be stored (%s)", type(last).__name__)
        failure = Hl7Error("the clinic could not store the message; send it again", code="AR")
        return acknowledgement(header, "AR", self._ack_id(), self._now(), error=failure)

    def _receive_in(self, db: Session, header: Header, text: str) -> str:
        stored = db.scalar(
            select(Hl7Message.ack).where(
                Hl7Message.sender == header.sender, Hl7Message.control_id == header.control_id
            )
        )
        if stored is not None:
            return stored
        actor = f"hl7:{header.sender}"[:64]
        error: Hl7Error | None = None
        try:
            _, change = read_siu(text)
            self._apply(db, change, actor, f"{header.message_type} {header.control_id}")
        except Hl7Error as exc:
            error = exc
        code = error.code if error is not None else "AA"
        ack = acknowledgement(header, code, self._ack_id(), self._now(), error=error)
        db.add(
            Hl7Message(
                sender=header.sender,
                control_id=header.control_id,
                received_at=now_text(),
                message_type=header.message_type,
                message=self.plumbing.secrets.seal(
                    text, f"hl7_messages/{header.sender}/{header.control_id}"
                ),
                ack_code=code,
                ack=ack,
            )
        )
        db.flush()  # a repeat arriving at the same moment fails here and is retried
        return ack

    def _apply(self, db: Session, change: AppointmentChange, actor: str, detail: str) -> None:
        """Work out every changed day from the stored lists first, then write: an
        Hl7Error leaves nothing written."""
        lists = self._locked_lists(db, change.day, change.appointment_id)
        where = {
            day: i
            for day, (_row, kept) in lists.items()
            for i, a in enumerate(kept.appointments)
            if a.appointment_id == change.appointment_id
        }
        changed: dict[dt.date, ClinicList] = {}
        for day, i in where.items():  # the appointment leaves every day it was on ...
            kept = lists[day][1]
            if change.appointment is None or day != change.day:
                left = kept.appointments[:i] + kept.appointments[i + 1 :]
                changed[day] = replace(kept, appointments=left)
        new, day_of = change.appointment, change.day
        if new is not None and day_of is not None:  # ... and comes to its own day
            kept = lists[day_of][1]
            rest = tuple(a for a in kept.appointments if a.appointment_id != new.appointment_id)
            changed[day_of] = replace(kept, appointments=_in_order((*rest, new)))
        texts = {day: to_csv(clinic_list) for day, clinic_list in sorted(changed.items())}
        for day, text in texts.items():  # every day checked before any is written
            try:
                parse_csv(text, f"the clinic list for {day.isoformat()}", day)
            except ClinicListError as exc:
                raise Hl7Error(
                    f"SCH: the day's list cannot take it ({exc})", location="SCH"
                ) from None
        for day, text in texts.items():
            self.config.save_in(db, changed[day], text, actor, row=lists[day][0], detail=detail)

    def _locked_lists(
        self, db: Session, day: dt.date | None, appointment_id: str
    ) -> dict[dt.date, tuple[ClinicListDay | None, ClinicList]]:
        """The stored lists a change may touch (its own day, and those holding the
        appointment), their rows locked, in day order."""
        since = (dt.date.today() - LOOK_BACK).isoformat()
        which = ClinicListDay.day >= since
        if day is not None:
            which = which | (ClinicListDay.day == day.isoformat())
        query = select(ClinicListDay).where(which)
        # Only lists whose text holds the id are read in full (parsing every day's list
        # for every message is most of the work); an id CSV would quote is looked for
        # everywhere.
        plain = not any(ch in appointment_id for ch in '",\r\n')
        lists: dict[dt.date, tuple[ClinicListDay | None, ClinicList]] = {}
        for row in db.scalars(query.order_by(ClinicListDay.day).with_for_update()):
            on = dt.date.fromisoformat(row.day)
            text = self.plumbing.secrets.open(row.csv, f"clinic_lists/{row.day}")
            if on == day or not plain or appointment_id in text:
                lists[on] = (row, parse_csv(text, f"the clinic list for {row.day}", on))
        if day is not None and day not in lists:
            lists[day] = (None, ClinicList(day, ()))
        return lists

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.plumbing.clock())

    @staticmethod
    def _ack_id() -> str:
        return uuid.uuid4().hex[:20]

    # ------------------------------------------------------------------ FHIR
    def import_fhir(
        self, bundle: str | bytes | dict[str, Any], actor: str, remote: str | None = None
    ) -> list[ClinicList]:
        """Set each day's list from a FHIR Bundle of appointments (every day it names
        replaced whole, as a CSV upload would; all days or none); FhirBundleError naming
        entry and field, audited as refused."""
        try:
            lists = clinic_lists_from_bundle(bundle)
        except FhirBundleError:
            self.plumbing.audit_now(actor, "import_clinic_list", "bad_bundle", remote=remote)
            raise
        with self.plumbing.transaction() as db:
            for clinic_list in lists:
                self.config.save_in(db, clinic_list, to_csv(clinic_list), actor, detail="fhir")
            days = f"{len(lists)} days" if len(lists) != 1 else lists[0].day.isoformat()
            self.plumbing.audit(
                db, actor, "import_clinic_list", "ok", target=days, remote=remote, detail="fhir"
            )
        return lists


def _in_order(appointments: tuple[Appointment, ...]) -> tuple[Appointment, ...]:
    return tuple(sorted(appointments, key=lambda a: (a.time, a.appointment_id)))
