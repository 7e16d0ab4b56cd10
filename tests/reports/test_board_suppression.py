"""Small-number suppression at its edges, for counts and percentages."""

from __future__ import annotations

import pytest

from kiosk.reports.board.suppression import (
    SUPPRESSION_RULE,
    round_half_up,
    suppress_count,
    suppress_percent,
)

pytestmark = pytest.mark.export


@pytest.mark.parametrize(
    ("count", "published"),
    [
        (0, "0"),
        (1, "*"),
        (2, "*"),
        (7, "*"),
        (8, "10"),
        (9, "10"),
        (10, "10"),
        (11, "10"),
        (12, "10"),
        (13, "15"),
        (14, "15"),
        (15, "15"),
        (17, "15"),
        (18, "20"),
        (22, "20"),
        (23, "25"),
        (1000, "1000"),
        (1002, "1000"),
        (1003, "1005"),
    ],
)
def test_counts(count: int, published: str) -> None:
    assert suppress_count(count) == published


@pytest.mark.control("H-17-C4")
def test_every_count_is_zero_star_or_a_multiple_of_five_within_two() -> None:
    for count in range(3000):
        published = suppress_count(count)
        if count == 0:
            assert published == "0"
        elif count <= 7:
            assert published == "*"
        else:
            value = int(published)
            assert value % 5 == 0 and abs(value - count) <= 2 and value >= 10


@pytest.mark.parametrize("bad", [-1, 1.0, "3", True])
def test_not_a_count(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        suppress_count(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("numerator", "denominator", "published"),
    [
        (0, 0, "n/a"),
        (0, 10, "0"),
        (0, 8, "0"),
        (1, 10, "*"),  # numerator suppressed
        (7, 100, "*"),
        (8, 100, "8"),  # from the unrounded counts: 8/100, not 10/100
        (8, 8, "100"),
        (5, 7, "*"),  # both suppressed
        (0, 7, "*"),  # denominator suppressed
        (13, 22, "59"),  # 59.09...: unrounded, not 15/20 = 75
        (12, 13, "92"),
        (1, 200, "*"),
        (9, 200, "5"),  # 4.5 rounds half up
        (11, 200, "6"),  # 5.5 rounds half up
        (250, 1000, "25"),
        (15, 9, "167"),  # a rate over 100% is possible (unmatched sessions)
    ],
)
def test_percentages(numerator: int, denominator: int, published: str) -> None:
    assert suppress_percent(numerator, denominator) == published


def test_round_half_up() -> None:
    from fractions import Fraction

    assert [round_half_up(Fraction(n, 2)) for n in range(7)] == [0, 1, 1, 2, 2, 3, 3]


def test_the_rule_in_words() -> None:
    assert "0 is shown as 0" in SUPPRESSION_RULE
    assert "1 to 7 are shown as *" in SUPPRESSION_RULE
    assert "rounded to the nearest 5" in SUPPRESSION_RULE
    assert "unrounded counts" in SUPPRESSION_RULE
