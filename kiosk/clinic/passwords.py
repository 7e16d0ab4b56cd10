"""The one password policy, wherever a staff password is set (NCSC's advice).

A password is long enough (``MIN_LENGTH`` characters; a few ordinary words will
do) and is not one people commonly choose: no composition rules (no "one capital,
one digit, one symbol"), which only push people to ``Password1!``.

"Common" means one of the 30,000 most used passwords in leaked password sets, as
bundled by the ``zxcvbn`` package (MIT licence; its ``passwords`` frequency list,
from the Dropbox zxcvbn project), including the same with digits or symbols
wrapped round it (``Password2026!``) or repeated (``qwertyqwerty``). A password
that holds the username or a clinic's name is refused too: an attacker who knows
whom they are guessing for tries those first.

Each refusal is a plain reason the person setting the password can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

MIN_LENGTH = 12
MAX_LENGTH = 256  # the sign-in body's limit; argon2's work is bounded too
_FEW_DISTINCT = 4  # "aaaaaaaaaaaa", "121212121212"
_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")
_EDGE_DIGITS = re.compile(r"^[0-9]+|[0-9]+$")
_SHORTEST_NAME = 3  # shorter names ("al") sit inside too many good passwords to refuse them

COMMON = "This is one of the most common passwords; choose another (three random words work well)."


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(FREQUENCY_LISTS["passwords"])


def _squashed(text: str) -> str:
    """Lower case, letters and digits only: "J.Smith 2026" -> "jsmith2026"."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def _repeated_unit(text: str) -> str:
    """The shortest piece ``text`` is a repeat of ("abcabcabc" -> "abc")."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def _is_common(password: str) -> bool:
    common = _common_passwords()
    lowered = password.casefold().strip()
    squashed = _squashed(password)
    core = _EDGE_DIGITS.sub("", squashed)
    candidates = {lowered, squashed, core, _repeated_unit(squashed), _repeated_unit(core)}
    if any(c in common for c in candidates if c):
        return True
    return len(set(squashed)) < _FEW_DISTINCT


def check_new_password(
    password: str, username: str, *, clinic_names: Iterable[str] = ()
) -> str | None:
    """None if ``password`` may be set for ``username``; else the plain reason it may not."""
    if len(password) < MIN_LENGTH:
        return f"A password must be at least {MIN_LENGTH} characters (a few words will do)."
    if len(password) > MAX_LENGTH:
        return f"A password must be at most {MAX_LENGTH} characters."
    squashed = _squashed(password)
    name = _squashed(username)
    if len(name) >= _SHORTEST_NAME and name in squashed:
        return "A password must not contain your username."
    for clinic in clinic_names:
        clinic_name = _squashed(clinic)
        if len(clinic_name) >= _SHORTEST_NAME and clinic_name in squashed:
            return "A password must not contain the clinic's name."
    if _is_common(password):
        return COMMON
    return None
