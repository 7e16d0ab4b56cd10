"""What one patient leaves on a shared tablet must not reach the next: no context
menu on patient inputs, no clipboard across a reset, no clinic list past its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QPushButton

from kiosk.store import TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists, parse_csv
from kiosk.store.identity import DeviceIdentity
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import CheckInScreen, HandOverScreen
from kiosk.ui.screens import QuestionScreen, ReviewScreen, ThanksScreen

pytestmark = [pytest.mark.ui, pytest.mark.security]
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,,\n"
)
SECRET = "Canary words only this patient typed"
_CTRL, _SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
COPY_KEYS = [(Qt.Key.Key_C, _CTRL), (Qt.Key.Key_Insert, _CTRL)]
CUT_KEYS = [(Qt.Key.Key_X, _CTRL), (Qt.Key.Key_Delete, _SHIFT)]
PASTE_KEYS = [(Qt.Key.Key_V, _CTRL), (Qt.Key.Key_Insert, _SHIFT)]


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
