"""NHS numbers as people read them: ``9434765919`` is written ``943 476 5919``.

The one way the product shows an NHS number: on the tablet's hand-over screen, in
the staff console and on paper. The number itself is checked where it enters (the
clinic list, an answer) with its check digit; this only groups the digits.
"""

from __future__ import annotations

from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.gb import nhs


def format_nhs_number(value: Any, missing: str = "") -> str:
    """Ten digits (spaces allowed) as 3-3-4 digits; ``missing`` for None; anything else
    as given, so a value that is not an NHS number is never made to look like one."""
    if value is None:
        return missing
    text = str(value)
    digits = text.replace(" ", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return text
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def checked_nhs_number(value: str) -> str | None:
    """Ten digits with the right check digit (spaces allowed) as ten digits; None for
    anything else."""
    try:
        return str(nhs.validate(value.replace(" ", "")))
    except ValidationError:
        return None
