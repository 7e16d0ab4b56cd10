"""Answers keyed in by staff: a completed paper form, or a pathway completed with the
patient at the console (``POST /api/v1/entries``).

An entry is checked with the same engine as the tablet's answers
(:func:`kiosk.engine.entry_check.entry_problems`: every problem at once, each
naming its form and item) and then stored *as a tablet's submission is*: the
clinic seals a real envelope for its own current key, opens it again and hands
it to :meth:`kiosk.clinic.scoring.Scoring.record`, which re-scores it, raises its
flags and sets its urgency exactly as for an envelope from a tablet. The route
(``paper`` or ``assisted``) and the member of staff who entered it are set in the
same transaction. Why not ``Receiving.receive_envelope``: it commits in its own
transaction (the submission would show for a moment as a tablet's) and holds a
failing envelope for an administrator, where a member of staff at the console
must be told at once.

The client chooses the entry's id (it becomes the submission id), so saving the
same entry twice (a double click, a retry after a dropped connection) stores it
once and answers the first save again. Audited by ids and codes only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from kiosk.clinic import scope
from kiosk.clinic.casework import URGENCY_LABELS, Casework, refusals_audited
from kiosk.clinic.errors import Forbidden, Invalid, StateConflict
from kiosk.clinic.link_history import appointment_link, checked_number, named_patient
from kiosk.clinic.models import Submission
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.progress import day_appointments
from kiosk.clinic.scoring import LANGUAGE_RECORD, LINK_RECORD, Scoring
from kiosk.engine import Form
from kiosk.engine.answers import option_codes
from kiosk.engine.entry_check import EntryProblem, entry_problems
from kiosk.envelope.envelope import (
    END_RECORD,
    START_RECORD,
    SealedRecord,
    build_envelope,
    envelope_hash,
    open_envelope,
)
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.envelope.seal import new_data_key, seal_record, wipe, wrap_data_key
from kiosk.exchange.clinic_list import Appointment
from kiosk.vocabulary import (
    ANONYMOUS,
    CASEWORKERS,
    ENTERERS,
    ENTRY_DEVICE,
    RECEPTION,
    STAFF_ENTRY_ROUTES,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.clinic.members import StaffMember

AUDIT_ACTION = "entry"
LANGUAGE_STATUS_RECORD = "_session/language_status"
_ENTRY_ID = re.compile(r"^[0-9a-f]{32}$")
OLDEST_DAYS = 366  # a paper form keyed in more than a year after it was filled is refused


class AnswersRefused(Invalid):
    """Answers the engine does not accept: every problem, each naming its form and item
    (the HTTP layer sends them as ``problems`` beside the message)."""

    code = "bad_answer"

    def __init__(self, problems: list[EntryProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """One keyed-in response, as the console sends it (schemas.NewEntry)."""

    entry_id: str
    pathway: str
    language: str
    route: str
    answers: Mapping[str, Mapping[str, Any]]
    complete: bool = True
    appointment_id: str | None = None
    nhs_number: str | None = None
    hospital_number: str | None = None
    clinic: str | None = None
    filled_on: dt.date | None = None  # the day the patient filled it in; None: now


class Entries:
    """Checks and stores keyed-in responses; lists the forms the console builds its screen
    from."""

    def __init__(self, plumbing: Plumbing, casework: Casework) -> None:
        self.plumbing = plumbing
        self.scoring = Scoring(plumbing)
        self.casework = casework  # the flags raised, in the queue's words

    # ------------------------------------------------------------ the forms
    def forms(self, member: StaffMember) -> dict[str, Any]:
        """Every pathway with its forms' definitions (the clinic's own files), so the
        console shows and checks them with the same engine."""
        if member.role not in ENTERERS:
            raise Forbidden("Your role cannot key in answers.")
        library = self.plumbing.library
        pathways = []
        forms: dict[str, dict[str, Any]] = {}
        for pathway in library.pathways.values():
            loaded = [library.get(form_id) for form_id in pathway.forms]
            if any(form.path is None for form in loaded):
                continue
            languages = set.intersection(*(set(form.spec.languages) for form in loaded))
            pathways.append(
                {
                    "id": pathway.id,
                    "title": pathway.title,
                    "forms": list(pathway.forms),
                    "languages": sorted(languages, key=lambda code: (code != "en", code)),
                }
            )
            for form in loaded:
                assert form.path is not None
                forms[form.id] = {
                    "hash": form.hash,
                    "text": form.path.read_text(encoding="utf-8"),
                    "items": [
                        {"id": item.id, "type": item.type, "codes": list(option_codes(item))}
                        for item in form.spec.items
                    ],
                }
        return {"pathways": pathways, "forms": forms}

    # ------------------------------------------------------------ an entry
    def enter(self, member: StaffMember, entry: Entry, remote: str | None = None) -> dict[str, Any]:
        """Check and store ``entry``; what was stored (``repeat``: stored before)."""
        target = entry.entry_id if _ENTRY_ID.match(entry.entry_id) else None
        with refusals_audited(self.plumbing, member, AUDIT_ACTION, target or "-", remote):
            if member.role not in ENTERERS:
                raise Forbidden("Your role cannot key in answers.")
            if target is None:
                raise Invalid("entry_id must be 32 lower-case hexadecimal characters")
            if entry.route not in STAFF_ENTRY_ROUTES:
                raise Invalid(f"route must be one of {', '.join(STAFF_ENTRY_ROUTES)}")
            forms = self._forms(entry)
            # Dates are checked against the day the form was filled in, as on a tablet then.
            problems = entry_problems(
                forms, entry.answers, complete=entry.complete, today=entry.filled_on
            )
            if problems:
                raise AnswersRefused(problems)
            started = self._started_at(entry)
            for _attempt in range(3):
                try:
                    return self._store(member, entry, forms, started, remote)
                except IntegrityError:
                    continue  # the same entry saved at the same moment: read it back
            raise StateConflict("The entry could not be saved; try again.")

    def _forms(self, entry: Entry) -> dict[str, Form]:
        library = self.plumbing.library
        pathway = library.pathways.get(entry.pathway)
        if pathway is None:
            raise Invalid(f"There is no pathway '{entry.pathway[:64]}'.", code="unknown_pathway")
        forms = {form_id: library.get(form_id) for form_id in pathway.forms}
        missing = [
            form_id for form_id, form in forms.items() if entry.language not in form.languages
        ]
        if missing:
            raise Invalid(
                f"The pathway's forms are not written in '{entry.language[:16]}'"
                f" ({', '.join(missing)}).",
                code="unknown_language",
            )
        return forms

    def _started_at(self, entry: Entry) -> str:
        now = dt.datetime.fromtimestamp(self.plumbing.clock()).astimezone()
        day = entry.filled_on
        if day is None or day == now.date():
            return now.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        if day > now.date():
            raise Invalid("The day the form was filled in cannot be in the future.")
        if (now.date() - day).days > OLDEST_DAYS:
            raise Invalid(f"The day the form was filled in is more than {OLDEST_DAYS} days ago.")
        # A paper form has a day, not a time: noon of that day, in the clinic's time zone.
        noon = dt.datetime.combine(day, dt.time(12), now.tzinfo)
        return noon.astimezone(dt.UTC).isoformat(timespec="milliseconds")

    # ------------------------------------------------------------ who the patient is
    def _link(
        self, db: Session, member: StaffMember, entry: Entry, day: str
    ) -> tuple[dict[str, Any], Appointment | None]:
        named = named_patient(entry.appointment_id, entry.nhs_number, entry.hospital_number)
        if len(named) > 1:
            raise Invalid(
                "Name at most one of: an appointment, an NHS number or a hospital number.",
                code="patient_needed",
            )
        if not named:
            return {"method": ANONYMOUS}, None
        kind, value = named[0]
        appointments = day_appointments(self.plumbing, db, day)
        if kind == "appointment":
            found = next((a for a in appointments if a.appointment_id == value), None)
            if found is None or not scope.sees(member, found.clinic):
                raise Invalid(
                    f"There is no appointment {value[:40]} on the clinic list of {day}.",
                    code="unknown_appointment",
                )
            return appointment_link(found), found
        value = checked_number(kind, value)
        if kind == "nhs_number":
            found = next((a for a in appointments if a.nhs_number == value), None)
        else:
            value = value.upper()
            found = next(
                (a for a in appointments if (a.hospital_number or "").upper() == value), None
            )
        if found is not None and scope.sees(member, found.clinic):
            return appointment_link(found), found
        return {"method": RECEPTION, kind: value}, None

    # ------------------------------------------------------------ storing
    def _store(
        self,
        member: StaffMember,
        entry: Entry,
        forms: dict[str, Form],
        started: str,
        remote: str | None,
    ) -> dict[str, Any]:
        plumbing = self.plumbing
        sid = entry.entry_id
        with plumbing.transaction() as db:
            existing = db.get(Submission, sid)
            if existing is not None:
                if existing.entered_by != member.username or existing.route != entry.route:
                    raise StateConflict(
                        "This entry id was used for another entry; start a new entry.",
                        code="entry_id_used",
                    )
                plumbing.audit(db, member.actor, AUDIT_ACTION, "repeat", target=sid, remote=remote)
                return self._answer(db, member, existing, repeat=True)
            day = started_day(started)
            link, appointment = self._link(db, member, entry, day)
            clinic = appointment.clinic if appointment is not None else _clinic(member, entry)
            if clinic is not None:
                link["clinic"] = clinic
            envelope = self._envelope(entry, forms, started, link)
            opened = open_envelope(envelope, plumbing.keyring.private_keys())
            self.scoring.record(db, ENTRY_DEVICE, opened, envelope, envelope_hash(envelope))
            row = db.get(Submission, sid)
            assert row is not None
            row.route = entry.route
            row.entered_by = member.username
            row.clinic = clinic[:80] if clinic else None
            db.flush()
            plumbing.audit(
                db, member.actor, AUDIT_ACTION, f"ok: {entry.route}", target=sid, remote=remote,
                detail=f"by {link['method']}",
            )  # fmt: skip
            return self._answer(db, member, row, repeat=False)

    def _envelope(
        self, entry: Entry, forms: dict[str, Form], started: str, link: dict[str, Any]
    ) -> bytes:
        """A real envelope, sealed for the clinic's current key as a tablet seals one."""
        sid = entry.entry_id
        public = ClinicPublicKey(self.plumbing.keyring.current.private.public_key())
        heads = [{"id": f.id, "version": f.version, "hash": f.hash} for f in forms.values()]
        drafts = any(f.spec.languages.get(entry.language) != "validated" for f in forms.values())
        values: list[tuple[str, Any]] = [
            (START_RECORD, {"pathway": entry.pathway, "forms": heads, "started_at": started}),
            (LANGUAGE_RECORD, entry.language),
            (LANGUAGE_STATUS_RECORD, "draft" if drafts else "validated"),
            (LINK_RECORD, link),
        ]
        for form_id, form in forms.items():
            given = entry.answers.get(form_id, {})
            for item in form.spec.items:  # in the form's order, as a patient answers
                if given.get(item.id) is not None:
                    answer = form.normalise(item.id, given[item.id], today=entry.filled_on)
                    values.append((f"{form_id}/{item.id}", answer))
        status = "complete" if entry.complete else "incomplete"
        end_reason = "submitted" if entry.complete else "abandoned"
        # No tablet's scores to compare: the clinic's own are the only ones (agrees: null).
        values.append((END_RECORD, {"status": status, "end_reason": end_reason, "summary": {}}))
        data_key = new_data_key()
        try:
            wrapped = wrap_data_key(data_key, public, sid)
            records = [
                SealedRecord(seq, name, seal_record(data_key, sid, name, seq, value))
                for seq, (name, value) in enumerate(values, start=1)
            ]
        finally:
            wipe(data_key)
        return build_envelope(
            submission_id=sid,
            status=status,
            end_reason=end_reason,
            started_at=started,
            ended_at=now_text(),
            pathway=entry.pathway,
            forms=heads,
            wrapped_key=wrapped,
            records=records,
        )

    def _answer(
        self, db: Session, member: StaffMember, row: Submission, *, repeat: bool
    ) -> dict[str, Any]:
        """What was stored. Flags and urgency for caseworkers only, as in the queue."""
        caseworker = member.role in CASEWORKERS
        return {
            "submission_id": row.id,
            "route": row.route,
            "entered_by": row.entered_by,
            "started_at": row.started_at,
            "complete": row.status == "complete",
            "urgency": row.urgency if caseworker else None,
            "urgency_label": URGENCY_LABELS.get(row.urgency) if caseworker else None,
            "flags": self.casework.flags(db, [row.id])[row.id] if caseworker else None,
            "repeat": repeat,
        }


def started_day(started: str) -> str:
    """The clinic's local day of an ISO time (as the queue files a submission)."""
    return dt.datetime.fromisoformat(started).astimezone().date().isoformat()


def _clinic(member: StaffMember, entry: Entry) -> str | None:
    """The clinic of an entry with no appointment: the one named, which a member kept
    to some clinics must name (or they could not see what they keyed in)."""
    clinic = (entry.clinic or "").strip() or None
    if member.clinics is not None:
        if clinic is None and len(member.clinics) == 1:
            return member.clinics[0]
        if clinic is None or clinic not in member.clinics:
            raise Invalid("Name one of your clinics for this entry.", code="clinic_needed")
    return clinic
