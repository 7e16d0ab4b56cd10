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
