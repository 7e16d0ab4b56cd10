"""Every control a patient or staff member can reach has an accessible name,
is at least 48 x 48 px, and can be reached by keyboard (switch access)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen, ReviewScreen, ThanksScreen

pytestmark = pytest.mark.ui
INTERACTIVE = (QAbstractButton, QLineEdit, QPlainTextEdit)


def check_screen(screen: QWidget, seen: set[str]) -> None:
    for control in screen.findChildren(QWidget):
        if not isinstance(control, INTERACTIVE) or not control.isVisibleTo(screen):
            continue
        where = f"{type(screen).__name__}/{control.objectName()}"
        assert control.accessibleName().strip(), f"{where} has no accessible name"
        assert control.focusPolicy() != Qt.FocusPolicy.NoFocus, f"{where} cannot take focus"
        if isinstance(control, QPushButton):
            hint = control.minimumSizeHint().expandedTo(control.minimumSize())
            assert hint.height() >= 48, f"{where} is shorter than 48 px"
        seen.add(
            next(
                k.__name__
                for k in (QPushButton, QLineEdit, QPlainTextEdit, QAbstractButton)
                if isinstance(control, k)
            )
        )


@pytest.mark.control("H-19-C4")
def test_every_screen_of_a_journey_is_accessible(qtbot, window: KioskWindow) -> None:
    seen: set[str] = set()
    for screen in (window.attract, window.privacy, window.timeout, window.pin_pad):
        check_screen(screen, seen)
    qtbot.mouseClick(window.attract.start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.privacy.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    while isinstance(window.currentWidget(), QuestionScreen):
        screen = window.currentWidget()
        check_screen(screen, seen)
        qtbot.mouseClick(screen.next, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda s=screen: window.currentWidget() is not s)
    assert isinstance(window.currentWidget(), ReviewScreen)
    check_screen(window.currentWidget(), seen)
    qtbot.mouseClick(window.currentWidget().submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), ThanksScreen))
    check_screen(window.currentWidget(), seen)
    assert {"QPushButton", "QLineEdit", "QPlainTextEdit"} <= seen  # the walk met every kind


@pytest.mark.control("H-19-C4")
def test_a_question_can_be_answered_by_keyboard_alone(qtbot, window: KioskWindow) -> None:
    qtbot.mouseClick(window.attract.start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.privacy.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    first = window.currentWidget()
    first.next.setFocus()
    qtbot.keyClick(first.next, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.currentWidget() is not first)


@pytest.mark.control("H-05-C3", "H-19-C1")
def test_text_size_and_contrast_apply_and_reset_for_the_next_patient(
    qtbot, window: KioskWindow
) -> None:
    from PySide6.QtWidgets import QLabel

    from kiosk.ui.theme import TEXT_SIZES, stylesheet

    qtbot.mouseClick(window.attract.start, Qt.MouseButton.LeftButton)
    for name in ("text_extra_large", "high_contrast"):
        button = window.privacy.findChild(QPushButton, name)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.styleSheet() == stylesheet(True, "extra_large")
    qtbot.mouseClick(window.privacy.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    question = window.currentWidget().findChild(QLabel, "question")
    question.ensurePolished()
    assert question.font().pixelSize() > TEXT_SIZES["extra_large"]  # questions are bigger still
    label_fits = question.heightForWidth(question.width()) <= question.height() + 1
    assert label_fits, "the question text is clipped at extra large size"
    window.reset("abandoned")
    assert window.styleSheet() == stylesheet(False, "normal")
    assert not window.privacy.contrast.isChecked()


@pytest.mark.control("H-19-C4")
def test_language_check_in_and_staff_screens_are_accessible(qtbot, window: KioskWindow) -> None:
    from tests.ui.test_layout import linking_screens

    seen: set[str] = set()
    for build in linking_screens().values():
        window._replace_page(build())
        check_screen(window.currentWidget(), seen)
    assert {"QPushButton", "QLineEdit"} <= seen
