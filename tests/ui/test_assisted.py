"""A member of staff completes the pathway with a patient on the tablet, by taps, in a
real window, and the clinic (a real service over HTTPS) stores it as assisted, by them.

Staff unlock the staff menu with the PIN, choose "Complete with a patient", give
their name, find and confirm the patient as reception does; the patient's usual
screens follow under an "Assisted by NAME" strip. The sealed envelope carries the
route record; once synced the clinic's submission says assisted and who. Afterwards
the tablet is back at the patient start screen with no marker and no name.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import select

from kiosk.cli.demo_patients import demo_list_csv
from kiosk.clinic.models import Submission
from kiosk.engine import FormLibrary
from kiosk.envelope.envelope import open_envelope
from kiosk.exchange.clinic_list import parse_csv
from kiosk.journey.journey import LINK_RECORD
from kiosk.store import TabletStore
from kiosk.ui.assisted import MARGIN, AssistedNameScreen
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import HandOverConfirmScreen, HandOverScreen
from kiosk.ui.screens import PrivacyScreen, ReviewScreen, ThanksScreen
from kiosk.vocabulary import ASSISTED, ROUTE_RECORD, TABLET
from tests.ui.taps import find_patient, linked_window, on, staff_menu, tap, to_the_questions

pytestmark = [pytest.mark.ui, pytest.mark.clinic]
STAFF = "Jo Okafor"


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any]) -> Any:
    return make_staff_clinic()


@pytest.fixture
def make(qtbot: Any, clinic: Any, library: FormLibrary) -> Iterator[Callable[..., KioskWindow]]:
    """A reception kiosk on the enrolled demo tablet's own store and today's demo list."""
    made: list[KioskWindow] = []
    today = dt.date.today()
    clinic_list = parse_csv(demo_list_csv(), "list.csv", today)

    def build(link: str = "reception") -> KioskWindow:
        window = linked_window(qtbot, clinic.tablet.store, library, link, clinic_list, today)
        made.append(window)
        return window

    yield build
    for window in made:
        window.background.wait()


def marker(window: KioskWindow) -> QLabel | None:
    """The "Assisted by" strip, if one is showing on the window."""
    found = window.findChild(QLabel, "assisted_marker")
    return found if found is not None and found.isVisible() else None


def complete_with(qtbot: Any, window: KioskWindow, name: str, number: str) -> None:
    """From the staff menu: the name, then the patient found and confirmed."""
    tap(qtbot, window, "assisted")
    on(qtbot, window, AssistedNameScreen)
    qtbot.keyClicks(window.currentWidget().findChild(QLineEdit, "staff_name"), name)
    tap(qtbot, window, "next")
    find_patient(qtbot, window, number)
    on(qtbot, window, HandOverConfirmScreen)
    tap(qtbot, window, "confirm")


def stored(clinic: Any, sid: str) -> Submission:
    with clinic.service.transaction() as db:
        row = db.scalar(select(Submission).where(Submission.id == sid))
        assert row is not None
        db.expunge(row)
        return row


@pytest.mark.control("H-04-C2", "H-04-C4")
def test_staff_complete_the_pathway_with_a_patient_and_the_clinic_stores_it_as_assisted(
    qtbot: Any, make: Callable[..., KioskWindow], clinic: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    window = make()
    staff_menu(qtbot, window)
    assert marker(window) is None
    complete_with(qtbot, window, f"  {STAFF}  ", "DEMO-0003")
    to_the_questions(qtbot, window)

    # The strip is above the questions, not over them: nothing of the screen is covered.
    strip = marker(window)
    assert strip is not None and strip.text() == f"Assisted by {STAFF}"
    assert window.currentWidget().geometry().top() >= strip.geometry().bottom()
    while not isinstance(window.currentWidget(), ReviewScreen):
        shown = window.currentWidget()
        assert marker(window) is not None
        tap(qtbot, window, "next")  # every question may be skipped
        qtbot.waitUntil(lambda shown=shown: window.currentWidget() is not shown)
    tap(qtbot, window, "submit")
    on(qtbot, window, ThanksScreen)
    assert marker(window) is not None

    window.background.wait()
    store: TabletStore = clinic.tablet.store
    [item] = store.pending()
    opened = open_envelope(item.envelope, clinic.service.keyring.private_keys())
    assert opened.record(ROUTE_RECORD) == {"route": ASSISTED, "by": STAFF}
    link = opened.record(LINK_RECORD)
    assert (link["method"], link["hospital_number"]) == ("reception", "DEMO-0003")
    # The staff name is sealed like an answer: only ciphertext on the tablet, never logged.
    files = store.db_path.parent.iterdir()
    on_disk = b"".join(p.read_bytes() for p in files if p.is_file())
    assert STAFF.encode() not in on_disk and b"Okafor" not in on_disk
    assert "Okafor" not in caplog.text

    tap(qtbot, window, "finish")
    assert window.currentWidget() is window.attract
    assert marker(window) is None
    assert window.assisted.by is None
    assert window.currentWidget().geometry().top() == 0  # the strip's room is given back

    clinic.tablet.sync()
    row = stored(clinic, opened.submission_id)
    assert (row.route, row.entered_by, row.status) == (ASSISTED, STAFF, "complete")


def test_a_name_is_required_and_cancelling_forgets_it(
    qtbot: Any, make: Callable[..., KioskWindow], clinic: Any
) -> None:
    window = make()
    staff_menu(qtbot, window)
    tap(qtbot, window, "assisted")
    on(qtbot, window, AssistedNameScreen)
    tap(qtbot, window, "next")
    screen = window.currentWidget()
    assert isinstance(screen, AssistedNameScreen)  # nothing typed: no further
    assert "Type your name or staff username" in screen.message.text()
    qtbot.keyClicks(screen.findChild(QLineEdit, "staff_name"), STAFF)
    tap(qtbot, window, "next")
    on(qtbot, window, HandOverScreen)
    tap(qtbot, window, "cancel")
    assert window.currentWidget() is window.attract
    assert marker(window) is None and window.assisted.by is None


@pytest.mark.control("H-04-C3")
def test_the_next_patient_alone_is_not_assisted(
    qtbot: Any, make: Callable[..., KioskWindow], clinic: Any
) -> None:
    """A session timed out while assisted leaves nothing behind: the next hand-over is the
    patient's alone, with no marker and no route record, stored as the tablet alone."""
    window = make()
    staff_menu(qtbot, window)
    complete_with(qtbot, window, STAFF, "DEMO-0003")
    to_the_questions(qtbot, window)
    assert marker(window) is not None
    window.reset("timed_out")
    window.background.wait()
    assert marker(window) is None

    staff_menu(qtbot, window)
    tap(qtbot, window, "hand_over")
    find_patient(qtbot, window, "DEMO-0002")
    on(qtbot, window, HandOverConfirmScreen)
    tap(qtbot, window, "confirm")
    assert window.currentWidget() is window.attract
    tap(qtbot, window, "start")
    to_the_questions(qtbot, window)
    assert marker(window) is None
    window.reset("abandoned")
    window.background.wait()

    keys = clinic.service.keyring.private_keys()
    opened = [open_envelope(item.envelope, keys) for item in clinic.tablet.store.pending()]
    assert [o.record(ROUTE_RECORD) for o in opened] == [{"route": ASSISTED, "by": STAFF}, None]
    clinic.tablet.sync()
    routes = [(stored(clinic, o.submission_id).route) for o in opened]
    assert routes == [ASSISTED, TABLET]


def test_anonymous_tablets_offer_no_assisted_completion(
    qtbot: Any, make: Callable[..., KioskWindow]
) -> None:
    window = make("anonymous")
    staff_menu(qtbot, window)
    assert window.currentWidget().findChild(QPushButton, "assisted") is None


def test_the_strip_follows_the_patients_language_and_reading_direction(
    qtbot: Any, make: Callable[..., KioskWindow]
) -> None:
    window = make()
    staff_menu(qtbot, window)
    complete_with(qtbot, window, STAFF, "DEMO-0003")
    on(qtbot, window, PrivacyScreen)  # this pathway offers one language: no choice screen
    strip = marker(window)
    assert strip is not None
    assert strip.geometry().left() == MARGIN  # English reads left to right
    window.choose_language("ar")  # as the language screen does for a patient's choice
    qtbot.waitUntil(lambda: strip.text() != f"Assisted by {STAFF}")
    assert STAFF in strip.text()
    # Arabic reads right to left: the strip moves to the right-hand edge.
    qtbot.waitUntil(lambda: strip.geometry().right() == window.width() - MARGIN - 1)
    assert window.currentWidget().geometry().top() > strip.geometry().bottom()
    window.reset("abandoned")
    window.background.wait()
