"""A session's route record (kiosk.exchange.entry_route): the tablet seals what the
clinic reads, under one rule for the name of the member of staff."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.exchange.entry_route import assisted_record, read_route, staff_name
from kiosk.vocabulary import ASSISTED, ENTERED_BY_MAX, PAPER, TABLET

pytestmark = [pytest.mark.clinic]


def test_no_record_is_the_tablet_alone() -> None:
    assert read_route(None) == (TABLET, None)


def test_an_assisted_record_reads_back_with_the_name_tidied() -> None:
    record = assisted_record("  Sam   Nurse ")
    assert record == {"route": ASSISTED, "by": "Sam Nurse"}
    assert read_route(record) == (ASSISTED, "Sam Nurse")


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * (ENTERED_BY_MAX + 1), "Sam\x00Nurse", "Sam\u202eNurse", 42, None]
)
def test_a_name_that_is_not_one_is_refused(name: Any) -> None:
    assert staff_name(name) is None
    if isinstance(name, str):
        with pytest.raises(ValueError, match="staff name"):
            assisted_record(name)


@pytest.mark.parametrize(
    "record",
    [
        {"route": PAPER, "by": "Sam"},  # a tablet never says paper
        {"route": ASSISTED},
        {"route": ASSISTED, "by": ""},
        {"route": ASSISTED, "by": "Sam", "extra": 1},
        "assisted",
        ["assisted", "Sam"],
    ],
)
def test_a_record_no_tablet_makes_is_not_read(record: Any) -> None:
    assert read_route(record) is None


def test_the_longest_name_is_kept_whole() -> None:
    name = "y" * ENTERED_BY_MAX
    assert read_route(assisted_record(name)) == (ASSISTED, name)
