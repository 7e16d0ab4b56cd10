"""What an anonymised export may show, and how.

Pseudonyms are HMAC-SHA256 under a per-project key derived from the server key,
so one project's exports link to each other, other projects' do not, and
nobody without the server key can reverse or recompute them. Identifiers are
never read: the patient pseudonym comes from the stored patient key (itself a
keyed HMAC), IMD from the postcode answer through the site's lookup, and age
from the year of birth, banded. Dates are shifted per patient only when asked;
free text leaves only when asked, scrubbed and defused. Which answers record a
demographic fact, or screen for social needs, the forms declare (ExportFacts).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from kiosk.clinic.errors import Invalid
from kiosk.clinic.scrub import scrub
from kiosk.engine import FormLibrary
from kiosk.engine.answers import PREFER_NOT
from kiosk.engine.facts import social_need_flags
from kiosk.reports.csv_cells import safe_cell

FREE_TEXT_TYPES = frozenset({"short_text", "long_text"})
AGE_BANDS = (
    (16, "16-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65-74"),
    (75, "75-84"),
    (85, "85+"),
)


class ExportError(Invalid):
    """An export that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ExportOptions:
    project: str
    purpose: str
    include_free_text: bool = False
    shift_dates: bool = False
    # The clinics the exporting user is limited to (kiosk/clinic/scope.py); None: all.
    clinics: tuple[str, ...] | None = None

    def check(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", self.project):
            raise ExportError(
                "a project name is 1-64 letters, digits, dots, hyphens or underscores"
            )
        if len(self.purpose.strip()) < 10:
            raise ExportError("say why the data is being exported (at least 10 characters)")


class Pseudonyms:
    """Stable within a project, different across projects, not reversible."""

    def __init__(self, export_key: bytes, project: str) -> None:
        key = hmac.new(export_key, b"project:" + project.encode(), hashlib.sha256).digest()
        # HMAC-SHA256 (RFC 2104) with the key's padded blocks hashed once: an export
        # makes one pseudonym per submission, and hmac.digest() sets the key up again
        # for each, more than half of its time.
        block = key.ljust(64, b"\0")  # a 32-byte key: shorter than SHA-256's block
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def _digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def of(self, kind: str, value: str) -> str:
        return self._digest(f"{kind}:{value}".encode()).hex()[:16]

    def day_shift(self, value: str) -> int:
        digest = self._digest(f"shift:{value}".encode())
        return int.from_bytes(digest[:4], "big") % 361 - 180


@dataclass(frozen=True)
class ExportFacts:
    """What the export needs to know about the instruments, as the forms declare it.

    Items recording a ``demographic`` are never exported as themselves: the
    age_band, imd_*, ethnicity and sex columns replace them. ``screens``: forms with
    social-need flags (answering one counts as screened)."""

    demographic: dict[str, tuple[str, str]]  # kind -> (form id, item id)
    screens: frozenset[str]
    social_needs: frozenset[str]
    help_requests: frozenset[str]
    money: frozenset[str]

    @classmethod
    def of(cls, library: FormLibrary) -> ExportFacts:
        demographic: dict[str, tuple[str, str]] = {}
        screens: set[str] = set()
        needs: set[str] = set()
        helps: set[str] = set()
        money: set[str] = set()
        for form in library.forms():
            for kind, item in form.demographic_items.items():
                demographic.setdefault(kind, (form.id, item.id))
            if form.social_need_flags:
                screens.add(form.id)
            needs |= form.social_need_flags
            helps |= form.help_flags
            money |= social_need_flags(form.spec, "money")
        return cls(demographic, frozenset(screens), frozenset(needs), frozenset(helps),
                   frozenset(money))  # fmt: skip

    def answer(self, answers: dict[str, dict[str, Any]], kind: str) -> Any:
        """The answer recording this demographic fact, if any."""
        form_id, item_id = self.demographic.get(kind, ("", ""))
        return answers.get(form_id, {}).get(item_id)


def age_band(year_of_birth: Any, answered_year: int) -> str:
    if year_of_birth == PREFER_NOT:
        return PREFER_NOT
    if not isinstance(year_of_birth, int):
        return ""
    age = answered_year - year_of_birth
    if age < 16:
        return "under 16"
    band = ""
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            band = name
    return band


def answer_cell(value: Any, *, free_text: bool) -> Any:
    """An answer or score as a CSV cell: empty if none, lists ;-separated, free text
    scrubbed of identifiers and defused."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    if free_text and isinstance(value, str) and value != PREFER_NOT:
        return defuse(scrub(value))
    return value


def defuse(text: str) -> str:
    """Patient text a spreadsheet would run as a formula starts with an apostrophe."""
    return str(safe_cell(text))
