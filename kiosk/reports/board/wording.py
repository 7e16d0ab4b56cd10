"""The board report's words for published figures: months, percentages, signs, p values.

Every figure arrives as published (``publish``): a number as text, or "*"
(suppressed) or "n/a"; these turn one into what the page prints.
"""

from __future__ import annotations

from kiosk.reports.board.figures import MIN_PAIRS, MOST_DEPRIVED
from kiosk.reports.board.suppression import NOT_APPLICABLE, SUPPRESSED

ONS_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)
MARKER = "»"  # marks the most deprived quintile, with bold: never colour alone
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# What each rate's numerator and denominator count, in words.
RATE_WORDS = {
    "engaged": ("sessions started", "appointments in the clinic lists"),
    "completed": ("sessions completed", "sessions started"),
    "flagged": (
        "completed, screened sessions with a social need flagged",
        "completed sessions with the screen answered (screened completers)",
    ),
    "wants_help": (
        "screen-positive sessions where the patient wanted help",
        "screen-positive sessions",
    ),
    "financial_hardship": (
        "screen-positive sessions with difficulty making ends meet",
        "screen-positive sessions",
    ),
}


def month_text(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def period_text(first: str, last: str) -> str:
    if first == last:
        return month_text(first)
    return f"{month_text(first)} to {month_text(last)}"


def as_percent(value: str) -> str:
    """A published percentage for the page: "45%", "*" or "n/a"."""
    return value if value in (SUPPRESSED, NOT_APPLICABLE) else f"{value}%"


def bar_value(value: str) -> float | None:
    """A bar's length from a published figure; None for "*" and "n/a"."""
    if value in (SUPPRESSED, NOT_APPLICABLE):
        return None
    return float(value)


def signed(value: str) -> str:
    return value if value.startswith("-") or float(value) == 0 else f"+{value}"


def p_text(value: str) -> str:
    try:
        p = float(value)
    except ValueError:
        return value  # "*", "n/a", "not computed"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def imd_label(quintile: str) -> str:
    if quintile == MOST_DEPRIVED:
        return f"{MARKER} 1 (most deprived 20%)"
    if quintile == "5":
        return "5 (least deprived 20%)"
    return quintile


def chart_note(n: str) -> str:
    if n == "0":
        return "no patients with a baseline and a follow-up"
    return f"not shown: fewer than {MIN_PAIRS} patients"
