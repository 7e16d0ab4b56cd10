"""Who the patient is: self check-in against today's clinic list, or reception hand-over.

Pure Python over a :class:`ClinicList`, so the rules are tested without a
window. Nothing here shows or returns another patient's name: self check-in
answers with one appointment (its time and clinic) or nothing.

Guessing is limited twice: three misses in one session, and a number of
misses per tablet in any hour and any day (``[check_in]`` in tablet.toml),
kept in the tablet's store by :class:`TabletMisses`, so neither starting a new
session nor restarting the kiosk gives more guesses. Reception hand-over is
never limited.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.gb import nhs

from kiosk.errors import KnownError
from kiosk.exchange.clinic_list import Appointment, ClinicList
from kiosk.site.settings import MISSES_PER_DAY, MISSES_PER_HOUR
from kiosk.store.store import TabletStore

MAX_CHECK_IN_TRIES = 3
MISS_EVENT = "check_in_missed"


class LinkError(KnownError):
    """Why a number or date cannot be used. ``code`` lets a screen show its own
    (translated) words; the message is the English fallback."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def initial_of(name: str) -> str:
    """The first letter of a name, without accents, in capitals ("Ó'Brien" -> "O")."""
    for ch in unicodedata.normalize("NFKD", name):
        if ch.isalpha():
            return ch.upper()
    return ""


def birth_date_from(day: str, month: str, year: str, today: dt.date) -> dt.date:
    """A date of birth typed as day, month and year; LinkError says what is wrong."""
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        raise LinkError("not_numbers", "Please type the day, month and year in numbers.")
    if len(year) != 4:
        raise LinkError("year_digits", "Please type the year with 4 numbers, like 1956.")
    try:
        born = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise LinkError(
            "no_such_date", "That date does not exist. Please check the day and month."
        ) from None
    if born > today or born.year < today.year - 125:
        raise LinkError("implausible_year", "Please check the year you were born.")
    return born


@dataclass(frozen=True)
class MissLimit:
    """How many failed self check-ins one tablet allows, across sessions."""

    per_hour: int = MISSES_PER_HOUR
    per_day: int = MISSES_PER_DAY

    def allowance(self, last_hour: int, last_day: int) -> int:
        """How many more misses are allowed, given those of the last hour and day."""
        return max(0, min(self.per_hour - last_hour, self.per_day - last_day))


class TabletMisses:
    """The tablet's failed self check-ins, as events in its store (append-only, so
    they cannot be taken back), counted over the last hour and the last day."""

    def __init__(
        self,
        store: TabletStore,
        limit: MissLimit,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.store, self.limit, self._clock = store, limit, clock

    def allowance(self) -> int:
        """How many more misses this tablet allows now (0: send patients to reception)."""
        now = self._clock()
        last_hour = self.store.count_events(MISS_EVENT, since=now - dt.timedelta(hours=1))
        last_day = self.store.count_events(MISS_EVENT, since=now - dt.timedelta(days=1))
        return self.limit.allowance(last_hour, last_day)

    def record(self) -> None:
        self.store.log_event(MISS_EVENT)


class CheckIn:
    """One patient's tries at self check-in: date of birth and first letter of the surname.

    A match must be exactly one appointment on today's list; two people sharing
    both (or no list at all) send the patient to reception, as do three misses,
    or as many as the tablet still allows (``allowed``, from :class:`TabletMisses`)."""

    def __init__(self, clinic_list: ClinicList | None, allowed: int = MAX_CHECK_IN_TRIES) -> None:
        self._list = clinic_list
        self.failures = 0
        self._allowed = max(0, min(MAX_CHECK_IN_TRIES, allowed))

    @property
    def exhausted(self) -> bool:
        return self._list is None or self.failures >= self._allowed

    def attempt(self, birth_date: dt.date, initial: str) -> Appointment | None:
        if self.exhausted:
            return None
        assert self._list is not None
        wanted = initial_of(initial)
        found = [
            a
            for a in self._list.appointments
            if a.birth_date == birth_date and initial_of(a.family_name) == wanted
        ]
        if len(found) == 1:
            return found[0]
        self.failures += 1
        if len(found) > 1:  # ambiguous: only reception can tell them apart
            self.failures = self._allowed
        return None

    def refuse(self) -> None:
        """The patient said a match was not their appointment: that counts as a miss."""
        self.failures += 1

    @property
    def tries_left(self) -> int:
        return 0 if self._list is None else max(0, self._allowed - self.failures)

    def forget(self) -> None:
        self._list = None


_SPACES = re.compile(r"[\s-]+")


def find_by_number(clinic_list: ClinicList | None, typed: str) -> Appointment:
    """Reception's look-up: an NHS number (check digit validated) or a hospital number."""
    if clinic_list is None:
        raise LinkError(
            "no_list", "This tablet has no clinic list for today. Load today's list first."
        )
    text = typed.strip()
    if not text:
        raise LinkError("empty", "Type the patient's NHS number or hospital number.")
    digits = _SPACES.sub("", text)
    if digits.isdigit() and len(digits) == 10:
        try:
            number = str(nhs.validate(digits))
        except ValidationError:
            raise LinkError(
                "check_digit",
                "That is not a valid NHS number: the check digit is wrong. Check each digit.",
            ) from None
        matches = [a for a in clinic_list.appointments if a.nhs_number == number]
    else:
        if digits.isdigit():
            raise LinkError(
                "nhs_length",
                "An NHS number has 10 digits. For a hospital number, type it as printed.",
            )
        wanted = text.casefold()
        matches = [
            a
            for a in clinic_list.appointments
            if a.hospital_number and a.hospital_number.casefold() == wanted
        ]
    if not matches:
        raise LinkError("not_on_list", "No one with that number is on today's clinic list.")
    if len(matches) > 1:
        raise LinkError(
            "duplicate",
            "That number is on today's list more than once. Check the list with the clinic.",
        )
    return matches[0]


@dataclass(frozen=True)
class PatientLink:
    """How this session's patient was identified, sealed into the session as a record.

    ``method``: a link mode (``kiosk.vocabulary.LINK_MODES``), or "unlinked" when a
    session began without one."""

    method: str
    appointment: Appointment | None = None

    def __repr__(self) -> str:
        return f"PatientLink({self.method!r})"

    def record(self) -> dict[str, Any]:
        if self.appointment is None:
            return {"method": self.method}
        a = self.appointment
        return {
            "method": self.method,
            "appointment_id": a.appointment_id,
            "clinic": a.clinic,
            "time": a.time,
            "nhs_number": a.nhs_number,
            "hospital_number": a.hospital_number,
        }
