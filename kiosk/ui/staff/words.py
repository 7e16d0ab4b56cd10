"""Plain words for what the staff API gives as codes, numbers and timestamps.

Everything here is shown to staff, so it goes through Qt's translation
(context ``StaffConsole``). Nothing here holds patient data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate

from kiosk import vocabulary as codes
from kiosk.console.client import ConsoleError
from kiosk.exchange.nhs_number import format_nhs_number

log = logging.getLogger(__name__)
CONTEXT = "StaffConsole"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# The console's words for the codes of kiosk.vocabulary, keyed by them (every code has
# its words: tests/test_vocabulary.py). Marked for pyside6-lupdate (QT_TRANSLATE_NOOP
# returns the text); tr() translates them where they are shown.
# Tables of one shape on purpose: each maps a code to its words for staff.
ROLES = {
    codes.RECEPTIONIST: str(QT_TRANSLATE_NOOP("StaffConsole", "Receptionist")),
    codes.CLINICIAN: str(QT_TRANSLATE_NOOP("StaffConsole", "Clinician")),
    codes.LINK_WORKER: str(QT_TRANSLATE_NOOP("StaffConsole", "Link worker")),
    codes.ADMINISTRATOR: str(QT_TRANSLATE_NOOP("StaffConsole", "Administrator")),
}
STATUSES = {
    "new": str(QT_TRANSLATE_NOOP("StaffConsole", "New")),
    "in_review": str(QT_TRANSLATE_NOOP("StaffConsole", "In review")),
    "actioned": str(QT_TRANSLATE_NOOP("StaffConsole", "Actioned")),
    "no_action": str(QT_TRANSLATE_NOOP("StaffConsole", "No action needed")),
    "declined": str(QT_TRANSLATE_NOOP("StaffConsole", "Patient declined")),
}
REFERRAL_KINDS = {
    "social_prescriber": str(QT_TRANSLATE_NOOP("StaffConsole", "Social prescriber or link worker")),
    "food_bank": str(QT_TRANSLATE_NOOP("StaffConsole", "Food bank")),
    "housing": str(QT_TRANSLATE_NOOP("StaffConsole", "Housing")),
    "debt_benefits": str(QT_TRANSLATE_NOOP("StaffConsole", "Debt or benefits advice")),
    "carers_support": str(QT_TRANSLATE_NOOP("StaffConsole", "Carers' support")),
    "safeguarding": str(QT_TRANSLATE_NOOP("StaffConsole", "Safeguarding lead")),
    "gp": str(QT_TRANSLATE_NOOP("StaffConsole", "GP")),
    "other": str(QT_TRANSLATE_NOOP("StaffConsole", "Other")),
}
REFERRAL_OUTCOMES = {
    "awaiting": str(QT_TRANSLATE_NOOP("StaffConsole", "Awaiting reply")),
    "accepted": str(QT_TRANSLATE_NOOP("StaffConsole", "Accepted")),
    "declined": str(QT_TRANSLATE_NOOP("StaffConsole", "Patient declined")),
    "attended": str(QT_TRANSLATE_NOOP("StaffConsole", "Attended")),
    "did_not_attend": str(QT_TRANSLATE_NOOP("StaffConsole", "Did not attend")),
    "closed": str(QT_TRANSLATE_NOOP("StaffConsole", "Closed")),
}
URGENCIES = {
    codes.URGENT: str(QT_TRANSLATE_NOOP("StaffConsole", "Urgent")),
    codes.WANTS_HELP: str(QT_TRANSLATE_NOOP("StaffConsole", "Wants help")),
    codes.FLAGGED: str(QT_TRANSLATE_NOOP("StaffConsole", "Flagged")),
    codes.NO_FLAGS: str(QT_TRANSLATE_NOOP("StaffConsole", "No flags")),
}
SEVERITIES = {
    "urgent": str(QT_TRANSLATE_NOOP("StaffConsole", "Urgent")),
    "high": str(QT_TRANSLATE_NOOP("StaffConsole", "High")),
    "routine": str(QT_TRANSLATE_NOOP("StaffConsole", "Routine")),
}


def role(code: str) -> str:
    return tr(ROLES.get(code, code))


def status(code: str) -> str:
    return tr(STATUSES.get(code, code))


def urgency(level: int) -> str:
    return tr(URGENCIES.get(level, URGENCIES[codes.NO_FLAGS]))


def severity(code: str) -> str:
    return tr(SEVERITIES.get(code, code.capitalize()))


def referral_kind(code: str) -> str:
    return tr(REFERRAL_KINDS.get(code, code))


def referral_outcome(code: str) -> str:
    return tr(REFERRAL_OUTCOMES.get(code, code))


def route_line(route: str | None, entered_by: str | None) -> str:
    """How a submission came in, when not on the tablet alone: a paper form keyed in, or
    completed with the patient, and by whom (kiosk.vocabulary ENTRY_ROUTES)."""
    by = entered_by or tr("unknown")
    if route == codes.PAPER:
        return tr("paper form, keyed in by %1").replace("%1", by)
    if route == codes.ASSISTED:
        return tr("completed with %1").replace("%1", by)
    return ""


def flag_word(flag_id: str, declared: str | None = None) -> str:
    """A flag's short words, as its form declares them (the clinic sends each flag's
    ``word``); a flag declared without one is named after its id."""
    return tr(declared) if declared else flag_id.replace("_", " ").capitalize()


def nhs_number(number: str | None) -> str:
    """``9434765919`` as NHS numbers are read: ``943 476 5919``; nothing if none."""
    return format_nhs_number(number)


def patient_line(patient: Mapping[str, Any] | None) -> str:
    """Name and NHS number (or hospital number) on one line; "Anonymous" without a patient."""
    if not patient:
        return QCoreApplication.translate("StaffConsole", "Anonymous")
    name = patient.get("name") or QCoreApplication.translate(
        "StaffConsole", "Name not on today's list"
    )
    if patient.get("nhs_number"):
        return (
            QCoreApplication.translate("StaffConsole", "%1 · NHS %2")
            .replace("%1", name)
            .replace("%2", nhs_number(patient["nhs_number"]))
        )
    if patient.get("hospital_number"):
        return (
            QCoreApplication.translate("StaffConsole", "%1 · Hospital %2")
            .replace("%1", name)
            .replace("%2", patient["hospital_number"])
        )
    return str(name)


def _parse(value: str | None) -> dt.datetime | dt.date | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone() if parsed.tzinfo else parsed


def day(value: str | dt.date | None) -> str:
    """``24 Nov 2026`` (or an empty string for no date)."""
    parsed = _parse(value) if isinstance(value, str) or value is None else value
    return parsed.strftime("%d %b %Y").lstrip("0") if parsed else ""


def moment(value: str | None, *, seconds: bool = False) -> str:
    """``24 Nov 2026 09:12`` (or ``09:12:03``) in this computer's time zone."""
    parsed = _parse(value)
    if isinstance(parsed, dt.datetime):
        return parsed.strftime("%d %b %Y %H:%M:%S" if seconds else "%d %b %Y %H:%M").lstrip("0")
    return day(value)


def problem(exc: BaseException) -> str:
    """What to tell staff about a failed operation: a known problem's own words, never a
    traceback; anything else is a bug, logged in full for whoever maintains the console."""
    if isinstance(exc, ConsoleError):
        return str(exc)
    log.error("unexpected failure in the staff console", exc_info=exc)
    return QCoreApplication.translate(
        "StaffConsole", "Something went wrong in the console, and it was logged. Please try again."
    )


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)
