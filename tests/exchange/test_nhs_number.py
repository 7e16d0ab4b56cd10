"""NHS numbers are shown one way everywhere: on the tablet, in the console, on paper."""

from __future__ import annotations

import pytest

from kiosk.exchange.nhs_number import format_nhs_number
from kiosk.reports.formatting import nhs_number as printed


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("9434765919", "943 476 5919"),
        ("943 476 5919", "943 476 5919"),
        (9434765919, "943 476 5919"),
        ("", ""),
        ("12345", "12345"),
        ("943-476-5919", "943-476-5919"),  # not made to look like a number it may not be
        ("９４３４７６５９１９", "９４３４７６５９１９"),  # full-width digits are not ASCII digits
    ],
)
def test_ten_digits_are_grouped_and_anything_else_is_shown_as_given(
    value: object, shown: str
) -> None:
    assert format_nhs_number(value) == shown


def test_none_is_what_each_place_shows_for_no_number() -> None:
    assert format_nhs_number(None) == ""
    assert format_nhs_number(None, missing="—") == "—"
    assert printed(None) == "—"
    assert printed("9434765919") == "943 476 5919"
