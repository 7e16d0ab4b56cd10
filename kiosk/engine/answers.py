"""Check and normalise one answer to one item.

An answer arrives from a screen, a JSON file or the clinic; whatever its
source it goes through :func:`normalise_answer`, which either returns the
canonical form (a code, a list of codes, an int, stripped text, an ISO date,
a compact NHS number, a formatted postcode) or raises :class:`AnswerError`
naming the item and saying what was wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import nhs

from kiosk.engine.errors import AnswerError
from kiosk.engine.schema import Item

PREFER_NOT = "prefer_not"
"""The answer code for "I don't want to answer". Never an error, never a flag."""

Answer = str | int | list[str]

DEFAULT_MAX_LENGTH = {"short_text": 200, "long_text": 2000}
FREE_TEXT_TYPES = frozenset(DEFAULT_MAX_LENGTH)
"""The item types whose answers are the patient's own words."""
MAX_INTEGER = 999_999_999

# UK postcode, after removing spaces and upper-casing: outward code (2-4) + inward (3).
_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
# Control characters other than newline and tab have no place in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# Zero-width (non-)joiners change how letters join in Arabic-script and Indic words
# (Urdu, Arabic, Bengali: languages the kiosk speaks); between such letters they stay.
_JOINERS = frozenset("\u200c\u200d")
_JOINING_SCRIPTS = (
    (0x0600, 0x06FF),  # Arabic (Urdu)
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0x0900, 0x0DFF),  # Devanagari to Sinhala (Bengali)
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


def allows_prefer_not(item: Item) -> bool:
    """Whether "I don't want to answer" is offered: always on yes/no and sensitive items,
    unless the form says ``prefer_not: false``; elsewhere only when the form asks for it."""
    if item.type == "info":
        return False
    if item.type == "yes_no":
        return True
    if item.prefer_not is None:
        return item.sensitive
    return item.prefer_not


def normalise_answer(
    item: Item, raw: Any, *, today: dt.date | None = None, pattern: re.Pattern[str] | None = None
) -> Answer | None:
    """The canonical answer, or None when ``raw`` means "not answered"."""
    if raw is None:
        return None
    if item.type == "info":
        raise AnswerError(item.id, "not_a_question", "is an information page and takes no answer")
    if raw == PREFER_NOT and allows_prefer_not(item):
        return PREFER_NOT
    checker = _CHECKERS[item.type]
    return checker(item, raw, today or dt.date.today(), pattern)


def _choice(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    codes = option_codes(item)
    if not isinstance(raw, str) or raw not in codes:
        raise AnswerError(
            item.id, "not_an_option", f"{raw!r} is not one of its options ({', '.join(codes)})"
        )
    return raw


def _multi(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer | None:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise AnswerError(item.id, "not_a_list", "takes a list of option codes")
    if not raw:
        return None
    codes = option_codes(item)
    unknown = [c for c in raw if c not in codes]
    if unknown:
        raise AnswerError(
            item.id,
            "not_an_option",
            f"{unknown[0]!r} is not one of its options ({', '.join(codes)})",
        )
    if len(set(raw)) != len(raw):
        raise AnswerError(item.id, "repeated_option", "lists the same option twice")
    exclusive = {o.code for o in item.options or () if o.exclusive} | {PREFER_NOT}
    if len(raw) > 1 and exclusive.intersection(raw):
        only = sorted(exclusive.intersection(raw))[0]
        raise AnswerError(
            item.id, "exclusive_option", f"{only!r} cannot be chosen with other options"
        )
    order = {code: i for i, code in enumerate(codes)}
    return sorted(raw, key=order.__getitem__)


def _integer_value(item: Item, raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerError(item.id, "not_a_number", "takes a whole number")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", raw):
        raw = int(raw)
    if not isinstance(raw, int):
        raise AnswerError(item.id, "not_a_number", f"takes a whole number, not {raw!r}")
    if abs(raw) > MAX_INTEGER:  # as for text: at most 9 digits (bigger ones break scoring)
        raise AnswerError(item.id, "out_of_range", "takes a whole number of at most 9 digits")
    return raw


def _scale(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    value = _integer_value(item, raw)
    low, high = item.min, item.max
    assert low is not None and high is not None  # guaranteed by the form checks
    if not low <= value <= high:
        raise AnswerError(
            item.id, "out_of_range", f"{value} is outside its scale of {low} to {high}"
        )
    return value


def _integer(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    value = _integer_value(item, raw)
    rule = item.validation
    if rule is not None:
        if isinstance(rule.min, int | float) and value < rule.min:
            raise AnswerError(
                item.id, "out_of_range", f"{value} is below the minimum of {rule.min}"
            )
        if isinstance(rule.max, int | float) and value > rule.max:
            raise AnswerError(
                item.id, "out_of_range", f"{value} is above the maximum of {rule.max}"
            )
    return value


def _text(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer | None:
    if not isinstance(raw, str):
        raise AnswerError(item.id, "not_text", "takes text")
    # Remove control and format characters first: removing one later could leave a
    # letter and its accent uncombined (not NFC), or two spaces side by side.
    text = unicodedata.normalize("NFC", without_format_characters(_CONTROL.sub("", raw)))
    if item.type == "short_text":
        text = " ".join(text.split())
    text = text.strip()
    if not text:
        return None
    limit = max_length(item)
    if len(text) > limit:
        raise AnswerError(
            item.id, "too_long", f"is {len(text)} characters long; the most allowed is {limit}"
        )
    if pattern is not None and not pattern.fullmatch(text):
        raise AnswerError(item.id, "pattern", "does not match the expected format")
    return text


def without_format_characters(text: str) -> str:
    """``text`` without invisible format characters (Unicode category Cf).

    They have no place in what a patient typed and staff read: a bidirectional
    override (U+202A-U+202E, U+2066-U+2069) makes text display in another order
    than it was typed, and a zero-width character (U+200B-U+200D, U+2060, U+FEFF)
    or a soft hyphen splits a number or word invisibly, hiding an NHS number from
    the export's scrub. A zero-width joiner or non-joiner between two letters of
    an Arabic-script or Indic word is kept, since there it shapes the word."""
    if text.isascii() or not any(unicodedata.category(ch) == "Cf" for ch in text):
        return text  # no ASCII character is a format character
    kept = [ch for ch in text if ch in _JOINERS or unicodedata.category(ch) != "Cf"]
    return "".join(
        ch
        for i, ch in enumerate(kept)
        if ch not in _JOINERS or (_shapes(kept, i - 1) and _shapes(kept, i + 1))
    )


def _shapes(chars: list[str], index: int) -> bool:
    """Whether ``chars[index]`` is a letter or mark of a script joiners shape."""
    if not 0 <= index < len(chars):
        return False
    ch = chars[index]
    return unicodedata.category(ch)[0] in "LM" and any(
        low <= ord(ch) <= high for low, high in _JOINING_SCRIPTS
    )


def _date(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    if isinstance(raw, dt.date):
        raw = raw.isoformat()
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        raise AnswerError(item.id, "not_a_date", f"takes a date as YYYY-MM-DD, not {raw!r}")
    try:
        value = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise AnswerError(item.id, "not_a_date", f"{raw!r} is not a real date") from None
    rule = item.validation
    if rule is not None:
        earliest = date_bound(rule.min, today)
        latest = date_bound(rule.max, today)
        if earliest is not None and value < earliest:
            raise AnswerError(item.id, "out_of_range", f"{value} is before {earliest}")
        if latest is not None and value > latest:
            raise AnswerError(item.id, "out_of_range", f"{value} is after {latest}")
    return value.isoformat()


def _nhs_number(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise AnswerError(item.id, "not_an_nhs_number", "takes a 10-digit NHS number")
    try:
        return str(nhs.validate(str(raw)))
    except StdnumError:
        raise AnswerError(
            item.id, "not_an_nhs_number", "is not a valid NHS number (10 digits, check digit)"
        ) from None


def _postcode(item: Item, raw: Any, today: dt.date, pattern: re.Pattern[str] | None) -> Answer:
    if not isinstance(raw, str):
        raise AnswerError(item.id, "not_a_postcode", "takes a UK postcode")
    return normalise_postcode(item.id, raw)


def normalise_postcode(item_id: str, raw: str) -> str:
    """``" sw1a1aa "`` -> ``"SW1A 1AA"``; raise AnswerError if not a UK postcode."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not _POSTCODE.fullmatch(compact):
        raise AnswerError(item_id, "not_a_postcode", f"{raw.strip()!r} is not a UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def date_bound(bound: object, today: dt.date) -> dt.date | None:
    """A validation min/max for a date item: ``today``, an ISO date, or nothing."""
    if bound is None:
        return None
    if bound == "today":
        return today
    if isinstance(bound, dt.date):
        return bound
    return dt.date.fromisoformat(str(bound))


def max_length(item: Item) -> int:
    if item.validation is not None and item.validation.max_length is not None:
        return item.validation.max_length
    return DEFAULT_MAX_LENGTH.get(item.type, 200)


YES_NO_CODES = ("yes", "no", PREFER_NOT)


def option_codes(item: Item) -> tuple[str, ...]:
    """Every answer code the item accepts (including prefer_not where offered)."""
    if item.type == "yes_no":
        return YES_NO_CODES
    codes = tuple(o.code for o in item.options or ())
    if allows_prefer_not(item) and PREFER_NOT not in codes:
        codes = (*codes, PREFER_NOT)
    return codes


def numeric_value(item: Item, answer: Answer | None) -> float | int | None:
    """The value scoring uses: a scale point, or a single choice's option value."""
    if answer is None or answer == PREFER_NOT:
        return None
    if isinstance(answer, int):
        return answer
    if isinstance(answer, str) and item.options:
        for option in item.options:
            if option.code == answer:
                return option.value
    return None


_CHECKERS = {
    "single_choice": _choice,
    "yes_no": _choice,
    "multi_choice": _multi,
    "scale": _scale,
    "integer": _integer,
    "short_text": _text,
    "long_text": _text,
    "date": _date,
    "nhs_number": _nhs_number,
    "postcode": _postcode,
}
