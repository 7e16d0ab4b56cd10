"""Self check-in and reception look-up against today's clinic list (no window needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.exchange.clinic_list import Appointment, ClinicList
from kiosk.journey.linking import (
    CheckIn,
    LinkError,
    MissLimit,
    PatientLink,
    TabletMisses,
    birth_date_from,
    find_by_number,
    initial_of,
)
from kiosk.store import TabletStore

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime.now(dt.UTC)


def appointment(n: int, family: str, born: dt.date, **numbers: str) -> Appointment:
    return Appointment(f"A-{n}", f"1{n}:00", "Heart clinic", family, "Pat", born, **numbers)


LIST = ClinicList(
    TODAY,
    (
        appointment(1, "Ó'Brien", dt.date(1950, 3, 3), nhs_number="9434765919"),
        appointment(2, "Smith", dt.date(1971, 12, 24), hospital_number="RX1-000123"),
        appointment(3, "Shah", dt.date(1980, 1, 1), nhs_number="9434765870"),
        appointment(4, "Singh", dt.date(1980, 1, 1), nhs_number="9434765838"),
    ),
)


def test_initials_ignore_accents_and_punctuation() -> None:
    assert [initial_of(n) for n in ("Ó'Brien", "'t Hooft", "smith", "Ölmez")] == list("OTSO")


@pytest.mark.control("H-03-C1")
def test_check_in_finds_exactly_one_appointment() -> None:
    check_in = CheckIn(LIST)
    found = check_in.attempt(dt.date(1950, 3, 3), "o")
    assert found is not None and found.appointment_id == "A-1"
    assert check_in.failures == 0


@pytest.mark.control("H-03-C2")
def test_three_misses_send_the_patient_to_reception() -> None:
    check_in = CheckIn(LIST)
    for tries in (1, 2):
        assert check_in.attempt(dt.date(1950, 3, 3), "B") is None
        assert check_in.failures == tries and not check_in.exhausted
    assert check_in.attempt(dt.date(1950, 3, 4), "O") is None
    assert check_in.exhausted
    # Even the right answer is refused now: the patient must see reception.
    assert check_in.attempt(dt.date(1950, 3, 3), "O") is None


@pytest.mark.control("H-03-C1")
def test_two_people_sharing_date_and_initial_go_to_reception() -> None:
    check_in = CheckIn(LIST)
    assert check_in.attempt(dt.date(1980, 1, 1), "S") is None
    assert check_in.exhausted


@pytest.mark.control("H-03-C3")
def test_no_list_means_reception() -> None:
    assert CheckIn(None).exhausted


@pytest.mark.control("H-03-C4")
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "1950", "does not exist"),
        ("1", "1", "50", "4 numbers"),
        ("1", "", "1950", "in numbers"),
        ("1", "1", "2030", "check the year"),
        ("1", "1", "1850", "check the year"),
    ],
)
def test_an_impossible_birth_date_is_explained(day, month, year, message) -> None:
    with pytest.raises(LinkError, match=message):
        birth_date_from(day, month, year, TODAY)


def test_birth_date() -> None:
    assert birth_date_from("03", "3", "1950", TODAY) == dt.date(1950, 3, 3)


def test_reception_finds_by_nhs_or_hospital_number() -> None:
    assert find_by_number(LIST, "943 476 5919").appointment_id == "A-1"
    assert find_by_number(LIST, "rx1-000123").appointment_id == "A-2"


@pytest.mark.control("H-04-C1")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "check digit is wrong"),
        ("12345", "10 digits"),
        ("4010232137", "No one with that number"),
        ("RX9-999999", "No one with that number"),
        ("  ", "Type the patient's NHS number"),
    ],
)
def test_reception_look_up_explains_a_miss(typed: str, message: str) -> None:
    with pytest.raises(LinkError, match=message):
        find_by_number(LIST, typed)


def test_no_list_is_explained() -> None:
    with pytest.raises(LinkError, match="no clinic list for today"):
        find_by_number(None, "9434765919")


@pytest.mark.control("H-03-C6")
def test_the_sealed_link_holds_numbers_not_names() -> None:
    record = PatientLink("reception", LIST.appointments[0]).record()
    assert record["nhs_number"] == "9434765919" and record["appointment_id"] == "A-1"
    assert "O'Brien" not in str(record) and "Ó'Brien" not in str(record)
    assert PatientLink("anonymous").record() == {"method": "anonymous"}


# ---------------------------------------------------------------- guesses per tablet


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TabletStore]:
    opened = TabletStore.open(tmp_path / "tablet", ClinicKeyPair.generate().public)
    yield opened
    opened.close()


def session(misses: TabletMisses) -> CheckIn:
    """A new patient's check-in, allowed what the tablet still allows."""
    return CheckIn(LIST, misses.allowance())


def miss(check_in: CheckIn, misses: TabletMisses) -> None:
    """A wrong guess, counted for the tablet as the kiosk counts it."""
    assert check_in.attempt(dt.date(1950, 3, 3), "Z") is None
    misses.record()


@pytest.mark.security
@pytest.mark.control("H-03-C7")
def test_new_sessions_and_a_restart_give_no_more_guesses(store: TabletStore) -> None:
    limit = MissLimit(per_hour=5, per_day=20)
    misses = TabletMisses(store, limit)
    first = session(misses)
    for _ in range(3):
        miss(first, misses)
    assert first.exhausted  # three in one session, as before
    second = session(misses)
    assert second.tries_left == 2  # not three: the tablet has allowed 3 of its 5
    miss(second, misses)

    data_dir = store.data_dir
    store.close()  # the kiosk restarts
    store = TabletStore.open(data_dir)
    try:
        misses = TabletMisses(store, limit)
        third = session(misses)
        assert third.tries_left == 1
        miss(third, misses)
        fourth = session(misses)
        assert fourth.exhausted and fourth.tries_left == 0
        # The right answer is not accepted by self check-in any more ...
        assert fourth.attempt(dt.date(1950, 3, 3), "O") is None
        # ... but reception can still find the patient.
        assert find_by_number(LIST, "943 476 5919").appointment_id == "A-1"
        assert store.count_events("check_in_missed", since=NOW - dt.timedelta(days=1)) == 5
    finally:
        store.close()


@pytest.mark.security
@pytest.mark.control("H-03-C7")
def test_the_limits_are_over_the_last_hour_and_the_last_day(store: TabletStore) -> None:
    clock = [dt.datetime.now(dt.UTC)]
    misses = TabletMisses(store, MissLimit(per_hour=2, per_day=3), clock=lambda: clock[0])
    for _ in range(2):
        misses.record()
    assert misses.allowance() == 0
    clock[0] += dt.timedelta(minutes=61)  # an hour later: one more (the day allows 3)
    assert misses.allowance() == 1
    misses.record()
    clock[0] += dt.timedelta(minutes=61)
    assert misses.allowance() == 0  # the day's 3 are used
    clock[0] += dt.timedelta(hours=23)
    assert misses.allowance() == 2


def test_a_limit_allows_what_both_windows_leave() -> None:
    limit = MissLimit(per_hour=10, per_day=30)
    assert limit.allowance(0, 0) == 10
    assert limit.allowance(4, 25) == 5
    assert limit.allowance(12, 12) == 0
    assert CheckIn(LIST, 10).tries_left == 3  # never more than three in one session
    assert CheckIn(LIST, 0).exhausted
