"""The clinic-list CSV: who is expected at a clinic on a day, as tablet and clinic exchange it.

The clinic keeps a day's list and sends it to its tablets (sync); a tablet may
also load one from a CSV file with ``kiosk tablet clinic-list import``::

    appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway
    A-1001,09:30,Heart clinic,Smith,Jane,1950-03-03,9434765919,RX1-000123,cardiology

``nhs_number``, ``hospital_number`` and ``pathway`` may be empty (but not both
numbers). Two optional columns, ``postcode`` and ``ethnicity`` (an NHS ethnic
category code, ``Z`` for not stated), let the clinic count whom it is reaching
by deprivation and ethnic group. Every problem is a :class:`ClinicListError`
naming the file and line.

The list is identifiable (names, dates of birth, NHS numbers): how each side
keeps it is its own business (the tablet: ``kiosk.store.clinic_list``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import asdict, dataclass
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.gb import nhs

from kiosk.engine.answers import normalise_postcode
from kiosk.engine.errors import AnswerError
from kiosk.exchange.errors import ClinicListError

__all__ = [
    "COLUMNS",
    "ETHNIC_CODES",
    "MAX_APPOINTMENTS",
    "OPTIONAL_COLUMNS",
    "Appointment",
    "ClinicList",
    "ClinicListError",
    "parse_csv",
    "to_csv",
]

COLUMNS = (
    "appointment_id",
    "time",
    "clinic",
    "family_name",
    "given_name",
    "birth_date",
    "nhs_number",
    "hospital_number",
    "pathway",
)
OPTIONAL_COLUMNS = ("postcode", "ethnicity")
ETHNIC_CODES = frozenset("ABCDEFGHJKLMNPRSZ")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_HOSPITAL_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,19}$")
MAX_APPOINTMENTS = 2000


@dataclass(frozen=True)
class Appointment:
    appointment_id: str
    time: str
    clinic: str
    family_name: str
    given_name: str
    birth_date: dt.date
    nhs_number: str | None = None
    hospital_number: str | None = None
    pathway: str | None = None
    postcode: str | None = None
    ethnicity: str | None = None

    def __repr__(self) -> str:  # never a name or number in a log or traceback
        return f"Appointment({self.appointment_id!r})"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Appointment:
        return cls(**{**data, "birth_date": dt.date.fromisoformat(data["birth_date"])})


@dataclass(frozen=True)
class ClinicList:
    day: dt.date
    appointments: tuple[Appointment, ...]

    def __repr__(self) -> str:
        return f"ClinicList({self.day.isoformat()}, {len(self.appointments)} appointments)"


def parse_csv(text: str, source: str, day: dt.date) -> ClinicList:
    """A clinic list from CSV text; ClinicListError naming ``source:line`` for any problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None:
        raise ClinicListError(f"{source}:1: the file is empty; the first line names the columns")
    missing = [c for c in COLUMNS if c not in reader.fieldnames]
    unknown = [c for c in reader.fieldnames if c not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        raise ClinicListError(f"{source}:1: the columns are wrong ({detail})")
    appointments: list[Appointment] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if len(appointments) >= MAX_APPOINTMENTS:
            raise ClinicListError(f"{source}:{line}: more than {MAX_APPOINTMENTS} appointments")
        if None in row:
            raise ClinicListError(f"{source}:{line}: more values than columns")
        appointment = _appointment(row, f"{source}:{line}")
        if appointment.appointment_id in seen:
            raise ClinicListError(
                f"{source}:{line}: appointment_id {appointment.appointment_id!r} appears twice"
            )
        seen.add(appointment.appointment_id)
        appointments.append(appointment)
    return ClinicList(day, tuple(appointments))


def to_csv(clinic_list: ClinicList) -> str:
    """The list as CSV that :func:`parse_csv` reads back to the same appointments
    (the optional columns always written), in time order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + OPTIONAL_COLUMNS)
    for a in sorted(clinic_list.appointments, key=lambda a: (a.time, a.appointment_id)):
        values = {**a.to_json(), "time": a.time}
        writer.writerow(
            ["" if values[c] is None else values[c] for c in COLUMNS + OPTIONAL_COLUMNS]
        )
    return out.getvalue()


def _appointment(row: dict[str, str | None], where: str) -> Appointment:
    values = {key: (row.get(key) or "").strip() for key in COLUMNS + OPTIONAL_COLUMNS}
    for key in ("appointment_id", "time", "clinic", "family_name", "given_name", "birth_date"):
        if not values[key]:
            raise ClinicListError(f"{where}: {key} is empty")
    if any(ord(ch) < 32 for value in values.values() for ch in value):
        raise ClinicListError(f"{where}: a value holds a control character")
    if not _TIME.match(values["time"]):
        raise ClinicListError(f"{where}: time must be HH:MM (24-hour), not {values['time']!r}")
    try:
        birth_date = dt.date.fromisoformat(values["birth_date"])
    except ValueError:
        raise ClinicListError(f"{where}: birth_date must be YYYY-MM-DD") from None
    nhs_number = values["nhs_number"].replace(" ", "") or None
    if nhs_number is not None:
        try:
            nhs_number = str(nhs.validate(nhs_number))
        except ValidationError:
            raise ClinicListError(
                f"{where}: nhs_number is not a valid NHS number (10 digits, check digit)"
            ) from None
    hospital_number = values["hospital_number"] or None
    if hospital_number is not None and not _HOSPITAL_NUMBER.match(hospital_number):
        raise ClinicListError(
            f"{where}: hospital_number must be 3 to 20 letters, digits or hyphens"
        )
    if nhs_number is None and hospital_number is None:
        raise ClinicListError(f"{where}: give an nhs_number or a hospital_number")
    postcode = values["postcode"] or None
    if postcode is not None:
        try:
            postcode = normalise_postcode("postcode", postcode)
        except AnswerError:
            raise ClinicListError(f"{where}: postcode is not a UK postcode") from None
    ethnicity = values["ethnicity"].upper() or None
    if ethnicity is not None and ethnicity not in ETHNIC_CODES:
        raise ClinicListError(
            f"{where}: ethnicity must be an NHS ethnic category code (A to S, or Z)"
        )
    return Appointment(
        appointment_id=values["appointment_id"],
        time=values["time"],
        clinic=values["clinic"],
        family_name=values["family_name"],
        given_name=values["given_name"],
        birth_date=birth_date,
        nhs_number=nhs_number,
        hospital_number=hospital_number,
        pathway=values["pathway"] or None,
        postcode=postcode,
        ethnicity=ethnicity,
    )
