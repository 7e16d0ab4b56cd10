"""The export's free-text scrub against numbers written to slip past it: any
separators, any grouping, invisible characters inside, digits of another script."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.gb import nhs

from kiosk.clinic.scrub import REMOVED, scrub

pytestmark = [pytest.mark.export, pytest.mark.security]
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEPARATORS = [
    " ",
    "  ",
    ".",
    "/",
    "-",
    " - ",
    "\t",
    "\u00a0",
    "\u202f",
    "\u2007",
    "\u2013",
    "\u2212",
]
FORMAT_CHARACTERS = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u00ad",  # soft hyphen
    *(chr(c) for c in range(0x202A, 0x202F)),  # bidirectional embeddings and overrides
    *(chr(c) for c in range(0x2066, 0x206A)),  # bidirectional isolates
]
WORDS = ["my", "number", "is", "please", "call", "me", "on", "thanks", "NHS", "no.", "(", ")"]


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    """Any valid NHS number: nine digits and their check digit."""
    body = "".join(draw(st.lists(st.sampled_from(string.digits), min_size=9, max_size=9)))
    valid = [body + check for check in string.digits if nhs.is_valid(body + check)]
    assume(valid)  # a body whose check digit would be 10 is never issued
    return valid[0]


@st.composite
def written(draw: st.DrawFn, number: str) -> str:
    """``number`` as someone might type it to get it past a filter."""
    pieces = [number[0]]
    for digit in number[1:]:
        between = ""
        if draw(st.booleans()):
            between += draw(st.sampled_from(SEPARATORS))
        between += "".join(draw(st.lists(st.sampled_from(FORMAT_CHARACTERS), max_size=2)))
        pieces.append(between + digit)
    return "".join(pieces)


@pytest.mark.control("H-17-C3")
@given(data=st.data(), number=nhs_numbers())
@SOME
def test_any_nhs_number_however_written_is_removed(data: st.DataObject, number: str) -> None:
    disguised = data.draw(written(number))
    before = " ".join(data.draw(st.lists(st.sampled_from(WORDS), max_size=4)))
    after = " ".join(data.draw(st.lists(st.sampled_from(WORDS), max_size=4)))
    text = f"{before} {disguised} {after}"

    scrubbed = scrub(text)

    assert REMOVED in scrubbed
    digits = "".join(ch for ch in scrubbed if ch.isdigit())
    assert number not in digits, scrubbed
    assert not any(ch in scrubbed for ch in FORMAT_CHARACTERS)


@pytest.mark.parametrize(
    "text",
    [
        "943.476.5919",
        "943/476/5919",
        "943  476  5919",
        "943\u00a0476\u00a05919",
        "9\u200b4\u200b3\u200b4\u200b7\u200b6\u200b5\u200b9\u200b1\u200b9",
        "\u202e9195674349\u202c",  # shown reversed, stored in order: still removed
        "943-476-5919",
        "94 34 76 59 19",
        "\u09ef\u09ea\u09e9 \u09ea\u09ed\u09ec \u09eb\u09ef\u09e7\u09ef",  # in Bengali digits
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",  # full-width
    ],
)
@pytest.mark.control("H-17-C3")
def test_the_reported_disguises_are_removed(text: str) -> None:
    assert scrub(f"my number is {text} thanks") == f"my number is {REMOVED} thanks"


def test_two_numbers_side_by_side_are_both_removed() -> None:
    assert scrub("9434765919 9434765919") == f"{REMOVED} {REMOVED}"
    assert scrub("12/03/2024 943 476 5919") == f"12/03/2024 {REMOVED}"


def test_phone_numbers_however_split_are_removed() -> None:
    assert scrub("ring 07700.900.123") == f"ring {REMOVED}"
    assert scrub("ring 020 7946 0958 or +44 7700 900123") == f"ring {REMOVED} or {REMOVED}"


@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    year=st.integers(1900, 2100),
    separator=st.sampled_from(["/", ".", "-", " "]),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
@SOME
def test_dates_and_times_are_left_alone(
    day: int, month: int, year: int, separator: str, hour: int, minute: int
) -> None:
    date = separator.join((f"{day:02d}", f"{month:02d}", str(year)))
    text = f"Seen on {date} at {hour}:{minute:02d}, about 3 times a week since {year}"
    assert scrub(text) == text


def test_ordinary_text_is_left_alone() -> None:
    rng = random.Random(7)
    for _ in range(200):
        words = [rng.choice(["I", "walk", "10000", "steps", "2", "times", "at", "9:30"])]
        text = " ".join(words * rng.randint(1, 5))
        assert scrub(text) == text
    text = "Appointment 12/03/2024, then 19.03.2024 and 26-03-2024; ward 7B, bed 12."
    assert scrub(text) == text
    urdu = "میں\u200cنے"  # a non-joiner that shapes an Urdu word stays
    assert scrub(urdu) == urdu


@given(
    st.text(alphabet=st.characters(exclude_categories=("Nd", "Cf", "Cs"), exclude_characters="@"))
)
@SOME
def test_text_without_digits_or_emails_is_left_alone(text: str) -> None:
    # No digit, no @, nothing invisible: nothing to remove (a postcode needs digits).
    assert scrub(text) == text
