"""Linking a patient: self check-in, reception hand-over and anonymous surveys, by taps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.exchange.clinic_list import parse_csv
from kiosk.journey.journey import LINK_RECORD
from kiosk.store import TabletStore
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import (
    CheckInScreen,
    FoundScreen,
    HandOverConfirmScreen,
    SeeReceptionScreen,
)
from kiosk.ui.screens import QuestionScreen
from tests.ui.taps import find_patient, linked_window, on, shown_text, staff_menu, tap

pytestmark = pytest.mark.ui
FORMS = Path(__file__).resolve().parents[2] / "forms"
TODAY = dt.date(2026, 11, 23)
LIST = parse_csv(
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,,\n"
    "A-2,10:15,Heart clinic,Okonkwo,Ada,1971-12-24,,RX1-000123,survey\n",
    "list.csv",
    TODAY,
)
NAMES = ("Zebedee", "Winifred", "Okonkwo", "Ada ")


@pytest.fixture
def make(qtbot, store: TabletStore, library):
    made = []

    def build(link: str, clinic_list=LIST) -> KioskWindow:
        window = linked_window(qtbot, store, library, link, clinic_list, TODAY)
        made.append(window)
        return window

    yield build
    for window in made:
        window.background.wait()


def type_birth_date(qtbot, window: KioskWindow, digits: str, letter: str) -> None:
    for digit in digits:
        tap(qtbot, window, f"digit_{digit}")
    tap(qtbot, window, "next")
    tap(qtbot, window, f"letter_{letter}")


def submitted_link(qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair):
    """Leave the questions (the session ends as abandoned) and open what the clinic gets."""
    on(qtbot, window, QuestionScreen)
    window.reset("abandoned")
    window.background.wait()
    [item] = store.pending()
    return open_envelope(item.envelope, clinic.private)


@pytest.mark.control("H-03-C2")
def test_self_check_in_finds_the_appointment_without_showing_a_name(
    qtbot, make, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    window = make("self_check_in")
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    on(qtbot, window, CheckInScreen)
    type_birth_date(qtbot, window, "03031950", "Z")
    on(qtbot, window, FoundScreen)
    assert "09:30" in shown_text(window) and "Heart clinic" in shown_text(window)
    assert not any(name in shown_text(window) for name in NAMES)
    tap(qtbot, window, "yes")
    opened = submitted_link(qtbot, window, store, clinic)
    assert opened.record(LINK_RECORD) == {
        "method": "self_check_in",
        "appointment_id": "A-1",
        "clinic": "Heart clinic",
        "time": "09:30",
        "nhs_number": "9434765919",
        "hospital_number": None,
    }
    assert opened.pathway == "cardiology"


@pytest.mark.control("H-03-C2")
def test_three_misses_say_please_see_reception(qtbot, make, store: TabletStore) -> None:
    window = make("self_check_in")
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    on(qtbot, window, CheckInScreen)
    type_birth_date(qtbot, window, "04031950", "Z")
    assert "You can try 2 more times." in shown_text(window)
    type_birth_date(qtbot, window, "03031950", "A")
    assert "You can try 1 more time." in shown_text(window)
    type_birth_date(qtbot, window, "03031950", "Z")  # right, but this patient says "No"
    on(qtbot, window, FoundScreen)
    tap(qtbot, window, "no")
    on(qtbot, window, SeeReceptionScreen)
    assert "Please see reception" in shown_text(window)
    assert not any(name in shown_text(window) for name in NAMES)
    window.background.wait()
    assert store.events("check_in_failed")[-1]["count"] == 3
    assert store.pending() == []  # no session was started for anyone
    tap(qtbot, window, "finish")
    assert window.currentWidget() is window.attract


@pytest.mark.control("H-03-C4")
def test_an_impossible_date_is_explained_beside_the_field(qtbot, make) -> None:
    window = make("self_check_in")
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    on(qtbot, window, CheckInScreen)
    for digit in "31021950":
        tap(qtbot, window, f"digit_{digit}")
    tap(qtbot, window, "next")
    screen = window.currentWidget()
    assert "That date does not exist" in screen.birth_message.text()
    assert screen.pages.currentWidget() is screen.birth_page


@pytest.mark.control("H-03-C3", "H-11-C4")
def test_no_clinic_list_sends_the_patient_to_reception(qtbot, make) -> None:
    window = make("self_check_in", clinic_list=None)
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    on(qtbot, window, SeeReceptionScreen)


def hand_over(qtbot, window: KioskWindow, number: str) -> None:
    staff_menu(qtbot, window)
    tap(qtbot, window, "hand_over")
    find_patient(qtbot, window, number)


@pytest.mark.control("H-04-C2", "H-04-C3")
def test_reception_hands_over_after_checking_name_and_birth_date(
    qtbot, make, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    window = make("reception")
    assert not window.attract.start.isVisible()
    assert "Please ask at reception" in shown_text(window)
    hand_over(qtbot, window, "rx1-000123")
    on(qtbot, window, HandOverConfirmScreen)
    assert "Ada Okonkwo" in shown_text(window) and "24 December 1971" in shown_text(window)
    tap(qtbot, window, "confirm")
    assert window.currentWidget() is window.attract
    assert window.attract.start.isVisible()
    assert not any(name in shown_text(window) for name in NAMES)
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    opened = submitted_link(qtbot, window, store, clinic)
    assert opened.record(LINK_RECORD)["method"] == "reception"
    assert opened.record(LINK_RECORD)["hospital_number"] == "RX1-000123"
    assert opened.pathway == "survey"  # the appointment's own pathway
    # The next patient must be handed over again.
    assert window.currentWidget() is window.attract
    assert not window.attract.start.isVisible()


@pytest.mark.control("H-04-C1")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "the check digit is wrong"),
        ("4010232137", "No one with that number is on today's clinic list."),
    ],
)
def test_reception_is_told_what_is_wrong_with_a_number(qtbot, make, typed, message) -> None:
    window = make("reception")
    hand_over(qtbot, window, typed)
    screen = window.currentWidget()
    qtbot.waitUntil(lambda: screen.message.text() != "")
    assert message in screen.message.text()
    assert window.currentWidget() is screen


@pytest.mark.control("H-04-C3")
def test_a_handed_over_tablet_left_alone_resets(qtbot, make) -> None:
    window = make("reception")
    hand_over(qtbot, window, "9434765919")
    on(qtbot, window, HandOverConfirmScreen)
    tap(qtbot, window, "confirm")
    assert window.idle.isActive()
    window.warn()
    window.reset_timer.timeout.emit()
    assert window.currentWidget() is window.attract
    assert not window.attract.start.isVisible()


def test_anonymous_surveys_ask_no_name_and_link_nothing(
    qtbot, make, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    window = make("anonymous")
    tap(qtbot, window, "start")
    assert "We do not ask your name" in shown_text(window)
    tap(qtbot, window, "agree")
    opened = submitted_link(qtbot, window, store, clinic)
    assert opened.record(LINK_RECORD) == {"method": "anonymous"}


@pytest.mark.control("H-20-C3")
def test_a_revoked_tablet_starts_no_one(qtbot, make) -> None:
    window = make("self_check_in")
    window.enrolment_lost.emit()
    assert "This tablet is not enrolled" in shown_text(window)
    assert not window.attract.start.isVisible()
