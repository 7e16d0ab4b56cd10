"""What one patient leaves on a shared tablet must not reach the next: no context
menu on patient inputs, no clipboard across a reset, no clinic list past its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
)

from kiosk.engine import FormLibrary
from kiosk.exchange.clinic_list import parse_csv
from kiosk.journey.linking import MissLimit
from kiosk.store import StaffPin, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.store.identity import DeviceIdentity
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import (
    CheckInScreen,
    HandOverConfirmScreen,
    HandOverScreen,
    SeeReceptionScreen,
    StaffMenu,
)
from kiosk.ui.screens import QuestionScreen, ReviewScreen, ThanksScreen

pytestmark = [pytest.mark.ui, pytest.mark.security]
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,,\n"
)
SECRET = "Canary words only this patient typed"
PIN = "284619"
HOUR = dt.timedelta(hours=1)
_CTRL, _SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
COPY_KEYS = [(Qt.Key.Key_C, _CTRL), (Qt.Key.Key_Insert, _CTRL)]
CUT_KEYS = [(Qt.Key.Key_X, _CTRL), (Qt.Key.Key_Delete, _SHIFT)]
PASTE_KEYS = [(Qt.Key.Key_V, _CTRL), (Qt.Key.Key_Insert, _SHIFT)]


@pytest.mark.control("H-15-C4")
def test_the_running_kiosk_forgets_yesterday_s_list_after_midnight(
    qtbot, store: TabletStore, make_window: Callable[..., KioskWindow]
) -> None:
    clock = [dt.date.today()]
    lists = ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE))
    lists.save(parse_csv(LIST, "list.csv", clock[0]))
    make_window(today=lambda: clock[0], day_check_ms=20)
    qtbot.wait(100)  # several checks in the same day: the list stays
    assert lists.for_day(clock[0]) is not None

    clock[0] += dt.timedelta(days=1)  # midnight passes while the kiosk runs

    qtbot.waitUntil(lambda: lists.for_day(clock[0] - dt.timedelta(days=1)) is None, timeout=3000)
    assert store.events("clinic_lists_purged")[-1]["count"] == 1


# ---------------------------------------------------------------- context menus, clipboard


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, f"no {name} on {type(window.currentWidget()).__name__}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def start(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))


def next_question(qtbot, window: KioskWindow) -> None:
    screen = window.currentWidget()
    tap(qtbot, window, "next")
    qtbot.waitUntil(lambda: window.currentWidget() is not screen)


def to_item(qtbot, window: KioskWindow, item_id: str) -> QLineEdit | QPlainTextEdit:
    while window.currentWidget().step.item_id != item_id:
        next_question(qtbot, window)
    page = window.currentWidget()
    editor = page.findChild(QPlainTextEdit) or page.findChild(QLineEdit)
    assert editor is not None
    return editor


def open_menus() -> list[QMenu]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]


def assert_no_context_menu(qtbot, editor: QLineEdit | QPlainTextEdit) -> None:
    """Right-click, long-press or the Menu key: whichever way a menu is asked for."""
    target = editor.viewport() if isinstance(editor, QPlainTextEdit) else editor
    assert editor.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert target.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert not target.acceptDrops()
    centre = target.rect().center()
    qtbot.mouseClick(target, Qt.MouseButton.RightButton, pos=centre)
    for reason in (QContextMenuEvent.Reason.Mouse, QContextMenuEvent.Reason.Keyboard):
        QApplication.sendEvent(
            target, QContextMenuEvent(reason, centre, target.mapToGlobal(centre))
        )
    qtbot.wait(20)
    assert open_menus() == [], f"a menu opened on {editor.objectName()}"
    assert QApplication.activePopupWidget() is None


@pytest.mark.control("H-05-C7")
def test_no_patient_text_box_has_a_context_menu(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    window = make_window()
    window.resize(1280, 800)
    window.show()
    start(qtbot, window)
    long_text = to_item(qtbot, window, "main_concern")
    assert isinstance(long_text, QPlainTextEdit)
    assert_no_context_menu(qtbot, long_text)
    short_text = to_item(qtbot, window, "postcode")
    assert isinstance(short_text, QLineEdit)
    assert_no_context_menu(qtbot, short_text)


@pytest.mark.control("H-05-C7")
def test_no_check_in_or_hand_over_box_has_a_context_menu(qtbot) -> None:
    for screen in (
        CheckInScreen(lambda *_: None, lambda: None),
        HandOverScreen(lambda _: None, lambda: None),
    ):
        qtbot.addWidget(screen)
        screen.show()
        fields = screen.findChildren(QLineEdit)
        assert fields, type(screen).__name__
        for field in fields:
            if field.isVisible():
                assert_no_context_menu(qtbot, field)
            else:  # the date pad's fields when another page shows: the same guard
                assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


@pytest.mark.control("H-05-C7")
def test_the_keyboard_cannot_copy_or_paste_patient_text(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    window = make_window()
    window.show()
    start(qtbot, window)
    editor = to_item(qtbot, window, "main_concern")
    clipboard = QApplication.clipboard()
    clipboard.clear()
    qtbot.keyClicks(editor, SECRET)
    editor.selectAll()
    for key, modifier in COPY_KEYS + CUT_KEYS:
        qtbot.keyClick(editor, key, modifier)
    assert clipboard.text() == ""
    assert editor.toPlainText() == SECRET  # Cut did not cut either
    clipboard.setText("text copied elsewhere")
    editor.clear()
    for key, modifier in PASTE_KEYS:
        qtbot.keyClick(editor, key, modifier)
    assert editor.toPlainText() == ""


@pytest.mark.control("H-05-C7")
def test_a_reset_empties_the_clipboard_so_the_next_patient_pastes_nothing(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    window = make_window(idle_ms=300, reset_ms=300)
    window.show()
    start(qtbot, window)
    editor = to_item(qtbot, window, "main_concern")
    qtbot.keyClicks(editor, SECRET)
    editor.selectAll()
    editor.copy()  # however it got there (a selection, an accessibility tool, ...)
    assert QApplication.clipboard().text() == SECRET

    # The patient walks away: the warning, then the reset.
    qtbot.waitUntil(lambda: window.currentWidget() is window.timeout, timeout=3000)
    qtbot.waitUntil(lambda: window.currentWidget() is window.attract, timeout=3000)
    assert QApplication.clipboard().text() == ""

    start(qtbot, window)  # the next patient
    editor = to_item(qtbot, window, "main_concern")
    editor.paste()
    assert editor.toPlainText() == ""


@pytest.mark.control("H-05-C7")
@pytest.mark.parametrize("ending", ["finish", "staff"])
def test_every_other_ending_empties_the_clipboard_too(
    qtbot, make_window: Callable[..., KioskWindow], ending: str
) -> None:
    window = make_window()
    window.show()
    start(qtbot, window)
    QApplication.clipboard().setText(SECRET)
    if ending == "finish":
        while not isinstance(window.currentWidget(), ReviewScreen):
            next_question(qtbot, window)
        tap(qtbot, window, "submit")
        qtbot.waitUntil(lambda: isinstance(window.currentWidget(), ThanksScreen))
    else:
        window.reset("abandoned")  # what the staff menu's "Back to the start" calls
    assert QApplication.clipboard().text() == ""


# ---------------------------------------------------------------- guesses per tablet


def shown_text(window: KioskWindow) -> str:
    return " ".join(
        label.text() for label in window.currentWidget().findChildren(QLabel) if label.isVisible()
    )


def begin_check_in(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), CheckInScreen | SeeReceptionScreen))


def guess(qtbot, window: KioskWindow, digits: str, letter: str) -> None:
    for digit in digits:
        tap(qtbot, window, f"digit_{digit}")
    tap(qtbot, window, "next")
    tap(qtbot, window, f"letter_{letter}")


@pytest.mark.control("H-03-C7")
def test_the_tablet_stops_taking_guesses_and_says_see_reception(
    qtbot, store: TabletStore, library: FormLibrary
) -> None:
    pin = StaffPin(store, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    pin.set_pin(PIN)
    today = dt.date.today()
    clinic_list = parse_csv(LIST, "list.csv", today)
    window = KioskWindow(
        store,
        library,
        "cardiology",
        {},
        Background(),
        pin,
        link="self_check_in",
        clinic_list=lambda: clinic_list,
        today=lambda: today,
        miss_limit=MissLimit(per_hour=4, per_day=30),
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()

    begin_check_in(qtbot, window)  # patient 1: three wrong guesses
    for _ in range(3):
        guess(qtbot, window, "04031950", "Z")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), SeeReceptionScreen))
    tap(qtbot, window, "finish")

    begin_check_in(qtbot, window)  # patient 2 (or patient 1 again): one more, not three
    assert isinstance(window.currentWidget(), CheckInScreen)
    guess(qtbot, window, "05031950", "Z")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), SeeReceptionScreen))
    tap(qtbot, window, "finish")
    window.background.wait()
    assert store.count_events("check_in_missed", dt.datetime.now(dt.UTC) - HOUR) == 4

    begin_check_in(qtbot, window)  # the right person now: self check-in is closed
    assert isinstance(window.currentWidget(), SeeReceptionScreen)
    assert window.currentWidget() is not window.failure
    assert "Please see reception" in shown_text(window)
    assert "wrong" not in shown_text(window).casefold()
    tap(qtbot, window, "finish")

    # Reception hands the tablet over as usual.
    tap(qtbot, window, "staff")
    for digit in PIN:
        tap(qtbot, window, f"digit_{digit}")
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), StaffMenu))
    tap(qtbot, window, "hand_over")
    qtbot.keyClicks(window.currentWidget().findChild(QLineEdit, "number"), "9434765919")
    tap(qtbot, window, "find")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), HandOverConfirmScreen))
    tap(qtbot, window, "confirm")
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    window.reset("abandoned")
    window.background.wait()
