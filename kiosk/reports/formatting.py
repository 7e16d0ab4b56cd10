"""Dates, NHS numbers and coded values in the words staff read on paper.

The words here are the paper's for the codes of :mod:`kiosk.vocabulary`, keyed by
them; every code has its words (tests/test_vocabulary.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.exchange.nhs_number import format_nhs_number
from kiosk.vocabulary import SEVERITIES

NOT_ANSWERED = "Not answered"

SEVERITY_WORDS = {"urgent": "Urgent", "high": "High", "routine": "Routine"}
SEVERITY_ORDER: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}

STATUS_WORDS = {
    "new": "New",
    "in_review": "In review",
    "actioned": "Actioned",
    "no_action": "No action needed",
    "declined": "Patient declined",
}
REFERRAL_WORDS = {
    "social_prescriber": "Social prescriber or link worker",
    "food_bank": "Food bank",
    "housing": "Housing",
    "debt_benefits": "Debt or benefits advice",
    "carers_support": "Carers' support",
    "safeguarding": "Safeguarding lead",
    "gp": "GP",
    "other": "Other",
}
OUTCOME_WORDS = {
    "awaiting": "Awaiting reply",
    "accepted": "Accepted",
    "declined": "Patient declined",
    "attended": "Attended",
    "did_not_attend": "Did not attend",
    "closed": "Closed",
}

try:
    _LOCAL: dt.tzinfo | None = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # no time zone database: times shown as sent
    _LOCAL = None


def words(mapping: dict[str, str], code: Any) -> str:
    """A coded value in words; an unknown code in sentence case; none as a dash."""
    if code is None or code == "":
        return "—"
    text = str(code)
    return mapping.get(text, text.replace("_", " ").capitalize())


def severity_word(severity: Any) -> str:
    return words(SEVERITY_WORDS, severity)


def nhs_number(value: Any) -> str:
    """An NHS number as 3-3-4 digits ("943 476 5919"), "—" if there is none."""
    return format_nhs_number(value, missing="—")


def _parse(value: Any) -> dt.datetime | dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value)
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def local(moment: dt.datetime) -> dt.datetime:
    """A time in UK local time when it carries a time zone."""
    if moment.tzinfo is not None and _LOCAL is not None:
        return moment.astimezone(_LOCAL)
    return moment


def date_text(value: Any) -> str:
    """ "03-Mar-1950" (the NHS style for dates); a dash when missing; odd values as given."""
    parsed = _parse(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if isinstance(parsed, dt.datetime):
        parsed = local(parsed).date()
    return parsed.strftime("%d-%b-%Y")


def datetime_text(value: Any) -> str:
    """ "24-Nov-2026 09:12", in UK time; a date alone when there is no time."""
    parsed = _parse(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if not isinstance(parsed, dt.datetime):
        return parsed.strftime("%d-%b-%Y")
    return local(parsed).strftime("%d-%b-%Y %H:%M")


def number_text(value: Any) -> str:
    """A score: whole numbers without ".0", others to two places at most."""
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("Yes" if value else "No")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def signed(value: Any) -> str:
    """A change with its sign: "+3", "-1.5", "0"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = number_text(value)
        return f"+{text}" if value > 0 else text
    return number_text(value)


def answer_text(item: dict[str, Any]) -> str:
    """An item's answer in words, from answer_text, else the stored value."""
    text = item.get("answer_text")
    if isinstance(text, list):
        text = ", ".join(str(t) for t in text)
    if text not in (None, ""):
        return str(text)
    answer = item.get("answer")
    if answer is None or answer == "" or answer == []:
        return NOT_ANSWERED
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    return number_text(answer)
