"""Small-number suppression: the one rule every published figure goes through.

The NHS Digital rule for published aggregates: 0 stays 0, a count of 1 to 7 is
shown as "*", and every other count is rounded to the nearest 5. Counts are
whole numbers, so a count is never exactly half way between two multiples of 5
(n / 5 ends in .0, .2, .4, .6 or .8): 12 -> 10, 13 -> 15, 22 -> 20, 23 -> 25.

A percentage is worked out from the unrounded counts, as a whole number (a
half rounded up), and is shown as "*" when either count is 1 to 7. A
percentage of nothing (a denominator of 0) is "n/a".

``kiosk.reports.board.publish`` applies these functions to every figure once;
the PDF and the CSV both print what it gives them.
"""

from __future__ import annotations

from fractions import Fraction

SUPPRESSED = "*"
NOT_APPLICABLE = "n/a"
SMALL_MAX = 7  # counts 1..SMALL_MAX are suppressed
ROUND_TO = 5

SUPPRESSION_RULE = (
    "Small numbers are suppressed: 0 is shown as 0, counts of 1 to 7 are shown as *, "
    "and all other counts are rounded to the nearest 5. Percentages are worked out "
    "from the unrounded counts and are shown as * when either count is 1 to 7."
)


def is_small(count: int) -> bool:
    """True for a count that must not be published (1 to 7)."""
    return 1 <= count <= SMALL_MAX


def suppress_count(count: int) -> str:
    """A count as published: "0", "*" for 1-7, otherwise the nearest multiple of 5."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"a count must be an int, not {type(count).__name__}")
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    if count == 0:
        return "0"
    if is_small(count):
        return SUPPRESSED
    # n + 2 // 5: 8, 9 -> 10; 10, 11, 12 -> 10; 13 -> 15 (never a tie for integers).
    return str(ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO))


def percent(numerator: int, denominator: int) -> Fraction | None:
    """The exact percentage, or None for a denominator of 0."""
    if denominator == 0:
        return None
    return Fraction(100 * numerator, denominator)


def round_half_up(value: Fraction) -> int:
    """A non-negative fraction to the nearest whole number, a half going up."""
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def suppress_percent(numerator: int, denominator: int) -> str:
    """A percentage as published: whole number (no % sign), "*" or "n/a".

    "*" when either count is 1 to 7; "n/a" when the denominator is 0.
    """
    for count in (numerator, denominator):
        if count < 0:
            raise ValueError(f"a count cannot be negative: {count}")
    if is_small(numerator) or is_small(denominator):
        return SUPPRESSED
    value = percent(numerator, denominator)
    if value is None:
        return NOT_APPLICABLE
    return str(round_half_up(value))
