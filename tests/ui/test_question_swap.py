"""Next, from the tap to the next question: what is drawn on the way, and what is left.

The screen left is not drawn again while its answer is saved (only Next, pressed and
then disabled), and it is deleted once the next question is painted, or within a
second when nothing paints.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen

pytestmark = pytest.mark.ui


class _PaintedOn(QObject):
    """The widgets of ``screen`` painted from now on, by object name (an event filter)."""

    def __init__(self, screen: QWidget) -> None:
        super().__init__()
        self.screen = screen
        self.names: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and shiboken6.isValid(self.screen)
            and (watched is self.screen or self.screen.isAncestorOf(watched))
        ):
            self.names.append(watched.objectName() or type(watched).__name__)
        return False


def walk_to(qtbot, window: KioskWindow, item_id: str) -> QuestionScreen:
    qtbot.mouseClick(window.attract.start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.privacy.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    while window.currentWidget().step.item_id != item_id:
        screen = window.currentWidget()
        qtbot.mouseClick(screen.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda screen=screen: window.currentWidget() is not screen)
    return window.currentWidget()


@pytest.mark.parametrize("item_id", ["hope_to_achieve", "ends_meet"], ids=["text", "yes_no"])
def test_tapping_next_draws_nothing_of_the_screen_left_but_next(
    qtbot, window: KioskWindow, item_id: str
) -> None:
    screen = walk_to(qtbot, window, item_id)
    qtbot.wait(50)  # read: everything built ahead and painted
    painted = _PaintedOn(screen)
    QApplication.instance().installEventFilter(painted)
    try:
        qtbot.mouseClick(screen.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.currentWidget() is not screen)
        qtbot.waitUntil(lambda: not shiboken6.isValid(screen))
    finally:
        QApplication.instance().removeEventFilter(painted)
    # Next shows it is pressed, then that it is waiting; the screen under it (the
    # question, its answer, the keys) stays as it is drawn.
    assert "next" in painted.names
    assert set(painted.names) <= {"next", "QuestionScreen"}, painted.names


def test_the_screen_left_is_deleted_even_when_nothing_paints(qtbot, window: KioskWindow) -> None:
    window.hide()  # a hidden window paints nothing: the next screen is never painted
    first, second = QWidget(), QWidget()
    window._replace_page(first)
    window._replace_page(second)
    qtbot.waitUntil(lambda: not shiboken6.isValid(first), timeout=3000)
    assert shiboken6.isValid(second)


class _PaintsOf(QObject):
    """How many times ``widget`` is painted in each frame from now on (a frame: one update
    request to the window, whose paints it sends before it returns)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget = widget
        self.frame = 0
        self.frames: dict[int, int] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self.frame += 1
        elif event.type() == QEvent.Type.Paint and watched is self.widget:
            self.frames[self.frame] = self.frames.get(self.frame, 0) + 1
        return False


@pytest.mark.parametrize("item_id", ["main_concern", "ends_meet"], ids=["text", "yes_no"])
def test_the_next_question_is_painted_once(qtbot, window: KioskWindow, item_id: str) -> None:
    screen = walk_to(qtbot, window, item_id)
    qtbot.wait(50)  # read: the next screen is built ahead
    ahead = window.questions._ahead.screen if window.questions._ahead else None
    assert isinstance(ahead, QuestionScreen)
    paints = _PaintsOf(ahead)
    QApplication.instance().installEventFilter(paints)
    try:
        qtbot.mouseClick(screen.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.currentWidget() is ahead and bool(paints.frames))
    finally:
        QApplication.instance().removeEventFilter(paints)
    first = min(paints.frames)
    assert paints.frames[first] == 1  # in the frame that shows it (the stack painted it twice)


def test_focus_moves_onto_the_next_question_for_keyboard_users(qtbot, window: KioskWindow) -> None:
    screen = walk_to(qtbot, window, "ends_meet")
    screen.next.setFocus()
    qtbot.keyClick(screen.next, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.currentWidget() is not screen)
    shown = window.currentWidget()
    assert shown.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert shown.isAncestorOf(QApplication.focusWidget())
