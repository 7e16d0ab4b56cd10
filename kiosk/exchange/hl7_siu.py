"""HL7 v2 scheduling messages (SIU) from a hospital's patient administration system:
one message read into an appointment change, and the acknowledgement it earns.

============  ==========================================  =====================
SIU trigger   what the hospital did                       change to the list
============  ==========================================  =====================
``S12``       booked a new appointment                    ``new``
``S13``       rescheduled it (another time or day)        ``modify``
``S14``       changed its details                         ``modify``
``S15``       cancelled it                                ``cancel``
``S17``       deleted it                                  ``delete``
============  ==========================================  =====================

Where each clinic-list column comes from (docs/hospital-feeds.md has the table
with examples): ``appointment_id`` SCH-2 (filler id) or else SCH-1 (placer id);
``time`` and the day: TQ1-7, SCH-11.4, AIS-4, AIL-6 or AIP-6 (the first given,
as the sender's wall-clock time); ``clinic``: AIL-3 (its description, PL.9, or
else its point of care, PL.1); ``family_name``/``given_name`` PID-5;
``birth_date`` PID-7; ``nhs_number`` the PID-3 repetition assigned by ``NHS``
(or of type ``NH``); ``hospital_number`` the first other PID-3 repetition;
``postcode`` PID-11.5; ``ethnicity`` PID-22.1 (NHS ethnic category).

Every problem is an :class:`Hl7Error` naming the segment and field; it never
quotes a patient's details, because its text goes back to the sender in the
acknowledgement's ERR segment and may be logged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import hl7
from stdnum.exceptions import ValidationError
from stdnum.gb import nhs

from kiosk.engine.answers import normalise_postcode
from kiosk.engine.errors import AnswerError
from kiosk.exchange.clinic_list import ETHNIC_CODES, Appointment
from kiosk.exchange.errors import Hl7Error

__all__ = [
    "KINDS",
    "TRIGGERS",
    "AppointmentChange",
    "Header",
    "acknowledgement",
    "read_header",
    "read_siu",
]

TRIGGERS = {"S12": "new", "S13": "modify", "S14": "modify", "S15": "cancel", "S17": "delete"}
KINDS = ("new", "modify", "cancel", "delete")
_HOSPITAL_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,19}$")
_DTM = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?([+-]\d{4})?$")
_MAX_ID = 64
_MAX_TEXT = 200  # a name or a clinic


@dataclass(frozen=True)
class Header:
    """The MSH fields an acknowledgement answers: who sent it, its control id, its type."""

    sending_application: str
    sending_facility: str
    receiving_application: str
    receiving_facility: str
    message_type: str  # e.g. "SIU^S12"
    control_id: str
    processing_id: str
    version: str

    @property
    def sender(self) -> str:
        """Who sent it, as duplicates are told apart: application and facility."""
        return f"{self.sending_application}^{self.sending_facility}"[:100]

    @property
    def trigger(self) -> str:
        return self.message_type.partition("^")[2]


@dataclass(frozen=True)
class AppointmentChange:
    """What one SIU message does to the clinic lists. ``day`` and ``appointment``
    are given for ``new`` and ``modify``; a cancel or delete may carry ``day``
    (where to look first) or not."""

    kind: str
    appointment_id: str
    day: dt.date | None
    appointment: Appointment | None

    def __repr__(self) -> str:  # no patient details
        return f"AppointmentChange({self.kind}, {self.appointment_id!r}, {self.day})"


def _parse(text: str) -> hl7.Message:
    try:
        message = hl7.parse(text.replace("\r\n", "\r").replace("\n", "\r"))
    except Exception:  # the parser's failures on hostile bytes are the sender's
        message = None
    if message is None or not _has(message, "MSH"):
        raise Hl7Error(
            "MSH: the message does not start with an MSH segment", location="MSH", code="AR"
        )
    return message


def _value(message: hl7.Message, segment: str, field: int, rep: int = 1, comp: int = 1) -> str:
    """One component's text (escapes undone), '' when the segment or field is absent."""
    try:
        value = message.extract_field(segment, 1, field, rep, comp, 1)
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        return ""
    return str(value).strip()


def read_header(text: str) -> Header:
    """The MSH fields; Hl7Error (AR) if there is no usable MSH or control id."""
    return _header(_parse(text))


def _header(message: hl7.Message) -> Header:
    header = Header(
        sending_application=_value(message, "MSH", 3),
        sending_facility=_value(message, "MSH", 4),
        receiving_application=_value(message, "MSH", 5),
        receiving_facility=_value(message, "MSH", 6),
        message_type="^".join(
            part for part in (_value(message, "MSH", 9), _value(message, "MSH", 9, 1, 2)) if part
        )[:16],
        control_id=_value(message, "MSH", 10),
        processing_id=_value(message, "MSH", 11) or "P",
        version=_value(message, "MSH", 12) or "2.5",
    )
    if not header.control_id or len(header.control_id) > _MAX_ID:
        raise Hl7Error(
            f"MSH-10: the message control id must be 1 to {_MAX_ID} characters",
            location="MSH-10", code="AR",
        )  # fmt: skip
    return header


def read_siu(text: str) -> tuple[Header, AppointmentChange]:
    """The header and the change an SIU message makes; Hl7Error naming segment and field."""
    message = _parse(text)
    header = _header(message)
    kind_of = header.message_type.partition("^")
    if kind_of[0] != "SIU" or kind_of[2] not in TRIGGERS:
        raise Hl7Error(
            f"MSH-9: the clinic takes SIU^S12, S13, S14, S15 and S17 messages, "
            f"not {header.message_type or 'an empty type'}",
            location="MSH-9", code="AR",
        )  # fmt: skip
    kind = TRIGGERS[kind_of[2]]
    if not _has(message, "SCH"):
        raise Hl7Error("SCH: the message has no SCH (schedule) segment", location="SCH")
    appointment_id = _value(message, "SCH", 2) or _value(message, "SCH", 1)
    if not appointment_id:
        raise Hl7Error("SCH-2: no appointment id (SCH-2 filler or SCH-1 placer)", location="SCH-2")
    if len(appointment_id) > _MAX_ID or _control(appointment_id):
        raise Hl7Error(
            f"SCH-2: the appointment id must be 1 to {_MAX_ID} printable characters",
            location="SCH-2",
        )
    start = _start(message, required=kind in ("new", "modify"))
    if kind in ("cancel", "delete"):
        return header, AppointmentChange(kind, appointment_id, start and start.date(), None)
    assert start is not None
    appointment = Appointment(
        appointment_id=appointment_id,
        time=start.strftime("%H:%M"),
        clinic=_clinic(message),
        family_name=_text(message, "PID", 5, 1, "the family name"),
        given_name=_text(message, "PID", 5, 2, "the given name"),
        birth_date=_birth_date(message),
        **_numbers(message),
        pathway=None,
        postcode=_postcode(message),
        ethnicity=_ethnicity(message),
    )
    return header, AppointmentChange(kind, appointment_id, start.date(), appointment)


def _has(message: hl7.Message, segment: str) -> bool:
    return any(len(s) and str(s[0]) == segment for s in message)


def _control(value: str) -> bool:
    return any(ord(ch) < 32 for ch in value)


def _start(message: hl7.Message, *, required: bool) -> dt.datetime | None:
    places = (("TQ1", 7, 1), ("SCH", 11, 4), ("AIS", 4, 1), ("AIL", 6, 1), ("AIP", 6, 1))
    for segment, field, comp in places:
        value = _value(message, segment, field, 1, comp)
        if value:
            return _datetime(value, f"{segment}-{field}")
    if required:
        raise Hl7Error(
            "SCH-11: no start time (TQ1-7, SCH-11.4, AIS-4, AIL-6 or AIP-6)", location="SCH-11"
        )
    return None


def _datetime(value: str, where: str) -> dt.datetime:
    match = _DTM.match(value)
    if match is None:
        raise Hl7Error(
            f"{where}: the start time {value[:30]!r} is not YYYYMMDDHHMM[SS]", location=where
        )
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    try:
        return dt.datetime(year, month, day, hour, minute)  # the sender's wall-clock time
    except ValueError:
        raise Hl7Error(
            f"{where}: the start time {value!r} is not a real time", location=where
        ) from None


def _clinic(message: hl7.Message) -> str:
    clinic = _value(message, "AIL", 3, 1, 9) or _value(message, "AIL", 3, 1, 1)
    if not clinic:
        raise Hl7Error("AIL-3: no clinic (the location's description or point of care)",
                       location="AIL-3")  # fmt: skip
    if len(clinic) > _MAX_TEXT or _control(clinic):
        raise Hl7Error(f"AIL-3: the clinic must be 1 to {_MAX_TEXT} printable characters",
                       location="AIL-3")  # fmt: skip
    return clinic


def _text(message: hl7.Message, segment: str, field: int, comp: int, what: str) -> str:
    where = f"{segment}-{field}"
    if not _has(message, segment):
        raise Hl7Error(f"{segment}: the message has no {segment} segment", location=segment)
    value = _value(message, segment, field, 1, comp)
    if not value:
        raise Hl7Error(f"{where}: {what} is empty", location=where)
    if len(value) > _MAX_TEXT or _control(value):
        raise Hl7Error(f"{where}: {what} is too long or holds a control character", location=where)
    return value


def _birth_date(message: hl7.Message) -> dt.date:
    value = _text(message, "PID", 7, 1, "the birth date")
    try:
        if not re.fullmatch(r"\d{8}(\d{2,6}([.]\d+)?)?([+-]\d{4})?", value):
            raise ValueError
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise Hl7Error("PID-7: the birth date is not a date (YYYYMMDD)", location="PID-7") from None


def _numbers(message: hl7.Message) -> dict[str, str | None]:
    nhs_number: str | None = None
    hospital_number: str | None = None
    for rep in range(1, _repetitions(message, "PID", 3) + 1):
        number = _value(message, "PID", 3, rep, 1).replace(" ", "")
        if not number:
            continue
        authority = _value(message, "PID", 3, rep, 4).upper()
        kind = _value(message, "PID", 3, rep, 5).upper()
        if authority == "NHS" or kind == "NH":
            try:
                nhs_number = str(nhs.validate(number))
            except ValidationError:
                raise Hl7Error(
                    f"PID-3: repetition {rep} is not a valid NHS number (10 digits, check digit)",
                    location="PID-3",
                ) from None
        elif hospital_number is None:
            if not _HOSPITAL_NUMBER.match(number):
                raise Hl7Error(
                    f"PID-3: repetition {rep}, the hospital number, must be 3 to 20 letters, "
                    "digits or hyphens",
                    location="PID-3",
                )
            hospital_number = number
    if nhs_number is None and hospital_number is None:
        raise Hl7Error("PID-3: no NHS number or hospital number", location="PID-3")
    return {"nhs_number": nhs_number, "hospital_number": hospital_number}


def _repetitions(message: hl7.Message, segment: str, field: int) -> int:
    """How many repetitions a field has (at most 20 are read)."""
    count = 0
    for rep in range(1, 21):
        try:
            message.extract_field(segment, 1, field, rep, 1, 1)
        except (IndexError, KeyError, ValueError, TypeError, AttributeError):
            break
        count = rep
    return count


def _postcode(message: hl7.Message) -> str | None:
    value = _value(message, "PID", 11, 1, 5)
    if not value:
        return None
    try:
        return normalise_postcode("postcode", value)
    except AnswerError:
        raise Hl7Error("PID-11: the postcode (PID-11.5) is not a UK postcode",
                       location="PID-11") from None  # fmt: skip


def _ethnicity(message: hl7.Message) -> str | None:
    value = _value(message, "PID", 22).upper()
    if not value:
        return None
    if value not in ETHNIC_CODES:
        raise Hl7Error("PID-22: the ethnic group is not an NHS ethnic category code (A to S, or Z)",
                       location="PID-22")  # fmt: skip
    return value


# ------------------------------------------------------------------ acknowledgements

_ERROR_CODES = {"AE": "102^Data type error^HL70357", "AR": "200^Unsupported message type^HL70357"}


def escape(text: str) -> str:
    """Text fit for one HL7 field: delimiters escaped, control characters dropped."""
    out = text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\")
    out = out.replace("&", "\\T\\").replace("~", "\\R\\")
    return "".join(ch for ch in out if ord(ch) >= 32)


def acknowledgement(
    header: Header | None,
    code: str,
    control_id: str,
    at: dt.datetime,
    *,
    error: Hl7Error | None = None,
) -> str:
    """An original-mode ACK: MSH (sender and receiver swapped), MSA, and an ERR
    segment naming the segment and field when ``error`` has one. Segments end in CR."""
    h = header or Header("", "", "", "", "", "", "P", "2.5")
    trigger = escape(h.trigger)
    msh = "|".join(
        [
            "MSH",
            "^~\\&",
            escape(h.receiving_application) or "WHAT-MATTERS",
            escape(h.receiving_facility),
            escape(h.sending_application),
            escape(h.sending_facility),
            at.strftime("%Y%m%d%H%M%S"),
            "",
            f"ACK^{trigger}^ACK" if trigger else "ACK",
            escape(control_id),
            escape(h.processing_id),
            escape(h.version),
        ]
    )
    reason = escape(str(error)) if error is not None else ""
    segments = [msh, "|".join(["MSA", code, escape(h.control_id), reason][: 4 if reason else 3])]
    if error is not None:
        segment, _, field = (error.location or "").partition("-")
        location = f"{segment}^1^{field}" if field else segment
        segments.append(f"ERR||{location}|{_ERROR_CODES[code]}|E||||{reason}")
    return "\r".join(segments) + "\r"
