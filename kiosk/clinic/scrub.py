"""Free text made fit for an anonymised export: NHS numbers, phone numbers, email
addresses and postcodes replaced by ``[removed]``.

Patients write numbers as they like: ``943 476 5919``, ``943.476.5919``,
``943/476/5919``, with double or non-breaking spaces, or with invisible
characters inside. So invisible format characters (Unicode Cf: zero-width
spaces and joiners, bidirectional overrides, soft hyphens; the engine's
``without_format_characters``, as for every free-text answer) are removed first,
and numbers are read as groups of digits joined by any run of separators
(spaces of every kind, dots, slashes, dashes, commas, underscores):

- any ten digits written in one group, or as 3 + 3 + 4 (3 + 7, 6 + 4), are
  removed (an NHS number, or a ten-digit phone number), as are eleven digits
  starting with 0 (a UK phone number);
- any other run of groups holding ten digits that pass the NHS number check
  digit is removed too, however it was split.

A date (``12/03/2024``: eight digits) or a time is left alone; so is a run of
groups of ten digits that is neither shaped like a number nor a valid NHS
number. Digits in any script count (Bengali, Arabic-Indic, full-width).
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.gb import nhs

from kiosk.engine.answers import without_format_characters

REMOVED = "[removed]"
_SEPARATOR = r"[\s.,/\\_\-\u00b7\u2010-\u2015\u2212]"
_DIGIT_RUN = re.compile(rf"\d+(?:{_SEPARATOR}+\d+)*")
_GROUP = re.compile(r"\d+")
_NUMBER_SHAPES = frozenset({(10,), (3, 7), (6, 4), (3, 3, 4)})
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email addresses
    re.compile(r"(?:\+44\s?\(?0?\)?|\b0)\d(?:[\s-]?\d){8,9}\b"),  # UK phone numbers
    re.compile(
        r"\b(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
        r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])\s*[0-9][ABD-HJLNP-UW-Z]{2}\b",
        re.IGNORECASE,
    ),  # UK postcodes
)


def scrub(text: str) -> str:
    """Free text with NHS numbers, phone numbers, emails and postcodes removed."""
    text = without_format_characters(text)
    text = _DIGIT_RUN.sub(_without_numbers, text)
    for pattern in _PATTERNS:
        text = pattern.sub(REMOVED, text)
    return text


def _without_numbers(run: re.Match[str]) -> str:
    """One run of digit groups with every number in it replaced by REMOVED."""
    groups = [(g.start(), g.end(), _ascii_digits(g.group())) for g in _GROUP.finditer(run[0])]
    spans: list[tuple[int, int]] = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 11:
                break
            shape = tuple(len(g[2]) for g in groups[first : last + 1])
            if _is_number(digits, shape):
                spans.append((groups[first][0], groups[last][1]))
    if not spans:
        return run[0]
    pieces, at = [], 0
    for start, end in _merged(spans):
        pieces += [run[0][at:start], REMOVED]
        at = end
    pieces.append(run[0][at:])
    return "".join(pieces)


def _is_number(digits: str, shape: tuple[int, ...]) -> bool:
    if len(digits) == 11:
        return digits.startswith("0")  # a UK phone number, however it is split
    return len(digits) == 10 and (shape in _NUMBER_SHAPES or nhs.is_valid(digits))


def _ascii_digits(group: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) for ch in group)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
