"""A submission's link to a patient as staff read it, and the history of how it was
put right (re-linked, unlinked, voided: kiosk.clinic.link_corrections).

The link itself is the sealed dict the tablet sent (``submissions.identifiers``):
an appointment id with the numbers from the clinic list, or anonymous. Names are
never stored with it; they come from the day's clinic list when staff read it.
Each correction (``link_changes``) keeps the link before and after, and the reason,
sealed; rows are never deleted, so the history is complete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.clinic.errors import Invalid
from kiosk.clinic.models import ClinicListDay, LinkChange, Submission
from kiosk.clinic.plumbing import Plumbing
from kiosk.exchange.clinic_list import Appointment, ClinicListError, parse_csv
from kiosk.exchange.nhs_number import checked_nhs_number
from kiosk.vocabulary import ANONYMOUS, RECEPTION, VOID

_HOSPITAL_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,19}$")  # as on the clinic list


def named_patient(
    appointment_id: str | None, nhs_number: str | None, hospital_number: str | None
) -> list[tuple[str, str]]:
    """What staff named of a patient, (kind, value) without spaces around; blanks left out."""
    return [
        (kind, value.strip())
        for kind, value in (
            ("appointment", appointment_id),
            ("nhs_number", nhs_number),
            ("hospital_number", hospital_number),
        )
        if value is not None and value.strip()
    ]


def checked_number(kind: str, value: str) -> str:
    """An NHS number as its ten digits, or a hospital number as typed; Invalid (naming
    which) when it is not one."""
    if kind == "nhs_number":
        checked = checked_nhs_number(value)
        if checked is None:
            raise Invalid(
                "That is not a valid NHS number (10 digits with a check digit).",
                code="bad_nhs_number",
            )
        return checked
    if not _HOSPITAL_NUMBER.match(value):
        raise Invalid(
            "That is not a hospital number (3 to 20 letters, digits and dashes).",
            code="bad_hospital_number",
        )
    return value


def appointment_link(a: Appointment) -> dict[str, Any]:
    """The link staff make to an appointment (keying in a form, putting a link right):
    the same keys a tablet's reception hand-over sends (kiosk.journey.linking), linked
    by staff (``reception``)."""
    return {
        "method": RECEPTION,
        "appointment_id": a.appointment_id,
        "clinic": a.clinic,
        "time": a.time,
        "nhs_number": a.nhs_number,
        "hospital_number": a.hospital_number,
    }


def day_appointments(
    plumbing: Plumbing, db: Session, day: str, clinics: tuple[str, ...] | None = None
) -> dict[str, Appointment]:
    """The clinic list of ``day`` by appointment id, NHS number and hospital number;
    only the appointments of ``clinics`` (a scoped member's; None: every clinic), so a
    link is never read against another clinic's list."""
    row = db.get(ClinicListDay, day)
    if row is None:
        return {}
    try:
        text = plumbing.secrets.open(row.csv, f"clinic_lists/{day}")
        clinic_list = parse_csv(text, f"clinic list {day}", dt.date.fromisoformat(day))
    except (ClinicListError, ValueError):
        return {}
    out: dict[str, Appointment] = {}
    for a in clinic_list.appointments:
        if clinics is not None and a.clinic not in clinics:
            continue
        out[f"id:{a.appointment_id}"] = a
        if a.nhs_number:
            out[f"nhs:{a.nhs_number}"] = a
        if a.hospital_number:
            out[f"hospital:{a.hospital_number.upper()}"] = a
    return out


def patient_of(link: Any, appointments: Mapping[str, Appointment]) -> dict[str, Any] | None:
    """Who a link names, as staff read it (None: nobody named)."""
    if not isinstance(link, dict) or link.get("method") == ANONYMOUS:
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


def link_of(plumbing: Plumbing, row: Submission) -> Any:
    """The submission's link as stored (None: it came with none)."""
    if row.identifiers is None:
        return None
    return plumbing.secrets.open(row.identifiers, f"submissions/{row.id}/identifiers")


def version_of(db: Session, sid: str) -> int:
    """How many corrections the submission has had: the version a correction starts from."""
    return int(db.scalar(select(func.count()).where(LinkChange.submission_id == sid)) or 0)


def sealed_context(sid: str, number: int, part: str) -> str:
    """Where a correction's sealed part belongs (its number counts from 0, in order)."""
    return f"link_changes/{sid}/{number}/{part}"


def _side(
    plumbing: Plumbing, sealed: bytes | None, context: str, appointments: Mapping[str, Appointment]
) -> dict[str, Any] | None:
    if sealed is None:
        return None
    kept = plumbing.secrets.open(sealed, context)
    if not isinstance(kept, dict):
        return None
    return {
        "patient": patient_of(kept.get("link"), appointments),
        "clinic": kept.get("clinic"),
        "appointment_time": kept.get("appointment_time"),
    }


def history(
    plumbing: Plumbing, db: Session, row: Submission, clinics: tuple[str, ...] | None
) -> list[dict[str, Any]]:
    """Every correction of ``row``'s link, oldest first: what, when, by whom, why, and
    who was named before and after (``after`` is None for a void), read against the
    clinic list of ``clinics`` (the reader's)."""
    appointments = day_appointments(plumbing, db, row.day or "", clinics)
    changes = db.scalars(
        select(LinkChange).where(LinkChange.submission_id == row.id).order_by(LinkChange.id)
    ).all()
    out = []
    for number, change in enumerate(changes):
        context = sealed_context(row.id, number, "")
        out.append(
            {
                "action": change.action,
                "at": change.at,
                "by": change.by,
                "reason": plumbing.secrets.open(change.reason, context + "reason"),
                "before": _side(plumbing, change.before, context + "before", appointments),
                "after": _side(plumbing, change.after, context + "after", appointments),
            }
        )
    return out


def voided(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """When, by whom and why the submission was voided (None: it was not)."""
    for entry in entries:
        if entry["action"] == VOID:
            return {"at": entry["at"], "by": entry["by"], "reason": entry["reason"]}
    return None
