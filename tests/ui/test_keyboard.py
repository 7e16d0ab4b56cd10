"""The on-screen keyboard of the free-text questions.

Keys type into the editor of the screen they are on, also on a screen built ahead
and swapped in after another text screen; every key is a real button that focus
reaches and that a screen reader names; and a key looks exactly as the window's
style sheet draws a button, in every state and theme, though it paints from a
picture of itself (kiosk.ui.keyboard).
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QPushButton, QWidget

from kiosk.ui.answer_inputs import DrawnButton
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen
from kiosk.ui.theme import apply_theme
from kiosk.ui.touch import TouchButton
from tests.ui.test_screenshots import committed, difference, render, tool

pytestmark = pytest.mark.ui


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, f"no button {name} on {type(window.currentWidget()).__name__}"
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_question(qtbot, window: KioskWindow) -> QuestionScreen:
    screen = window.currentWidget()
    tap(qtbot, window, "next")
    qtbot.waitUntil(lambda: window.currentWidget() is not screen)
    shown = window.currentWidget()
    assert isinstance(shown, QuestionScreen)
    return shown


def walk_to(qtbot, window: KioskWindow, item_id: str) -> QuestionScreen:
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    while window.currentWidget().step.item_id != item_id:
        next_question(qtbot, window)
    return window.currentWidget()


def type_on(qtbot, screen: QuestionScreen, letters: str) -> None:
    assert screen.keyboard is not None
    for letter in letters:
        key = screen.keyboard.space if letter == " " else screen.keyboard.keys[letter]
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)


def built_ahead(qtbot, window: KioskWindow) -> QWidget:
    """The screen waiting, hidden, behind the current one (built while the patient reads)."""

    def waiting() -> list[QWidget]:
        pages = [window.widget(index) for index in range(window.count())]
        return [p for p in pages if isinstance(p, QuestionScreen) and p is not window.page]

    qtbot.waitUntil(lambda: len(waiting()) == 1)
    return waiting()[0]


def test_keys_type_into_each_text_screen_in_turn(qtbot, window: KioskWindow) -> None:
    first = walk_to(qtbot, window, "main_concern")
    type_on(qtbot, first, "my knee")
    ahead = built_ahead(qtbot, window)
    second = next_question(qtbot, window)
    assert second is ahead  # the screen built ahead, swapped in after a text screen
    assert second.step.item_id == "hope_to_achieve"
    type_on(qtbot, second, "walk")
    third = next_question(qtbot, window)
    type_on(qtbot, third, "to dance")
    assert third.value() == "to dance"
    answers = window.flow.journey.answers("what_matters")
    assert answers["main_concern"] == "my knee"
    assert answers["hope_to_achieve"] == "walk"
    # Back to the second: its keys type after what it was given.
    tap(qtbot, window, "back")
    qtbot.waitUntil(lambda: window.currentWidget().step.item_id == "hope_to_achieve")
    again = window.currentWidget()
    type_on(qtbot, again, " far")
    assert again.value() == "walk far"


def test_every_key_is_a_named_button_that_focus_reaches(qtbot, window: KioskWindow) -> None:
    screen = walk_to(qtbot, window, "own_question")
    keyboard = screen.keyboard
    assert keyboard is not None
    keys = keyboard.all_keys()
    assert len(keys) == 43
    for key in keys:
        assert isinstance(key, QPushButton)
        assert key.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert key.accessibleName()
    assert keyboard.keys["q"].accessibleName() == "Type q"
    # Tab from the answer box, as a switch user steps: every key is met, in order.
    editor = screen.input.editor
    editor.setFocus()
    met: list[QWidget] = []
    for _ in range(len(keys)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        met.append(QApplication.focusWidget())
    assert met == keys
    # A switch user chooses the focused key with Space: it types into the answer.
    keyboard.keys["w"].setFocus()
    qtbot.keyClick(keyboard.keys["w"], Qt.Key.Key_Space)
    assert screen.value() == "w"


def picture(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def looks_same(first: QImage, second: QImage) -> bool:
    """No pixel noticeably different (the rounded corners' smoothing may differ by 1/255)."""
    found = difference(first, second)
    return found.changed == 0 and found.mean < 0.1


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_a_key_looks_as_the_style_sheet_draws_a_button(qtbot, high_contrast: bool) -> None:
    """In each look a key (or answer button) can take: plain, focused (switch access),
    pressed, chosen, and after the theme changes (text size, contrast) while on screen."""
    row = QWidget()
    qtbot.addWidget(row)
    line = QHBoxLayout(row)
    key, button = DrawnButton("g"), TouchButton("g")
    for each in (key, button):
        line.addWidget(each)
    apply_theme(row, high_contrast=high_contrast)
    row.resize(300, 100)
    row.show()
    qtbot.waitExposed(row)

    def same() -> None:
        assert key.size() == button.size()
        assert looks_same(picture(key), picture(button))

    same()
    plain = picture(button)
    focused = []
    for each in (key, button):
        each.setFocus()
        qtbot.waitUntil(each.hasFocus)
        focused.append(picture(each))
    assert looks_same(*focused)
    assert difference(focused[0], plain).changed > 0.2  # the focus look shows on the key
    button.clearFocus()
    same()
    key.setDown(True)
    button.setDown(True)
    same()
    key.setDown(False)
    button.setDown(False)
    for each in (key, button):  # a chosen answer (the buttons of a choice question)
        each.setCheckable(True)
        each.setChecked(True)
    same()
    for each in (key, button):
        each.setChecked(False)
    apply_theme(row, high_contrast=not high_contrast)  # the same size, other colours
    QApplication.processEvents()
    same()
    apply_theme(row, high_contrast=not high_contrast, text_size="large")
    QApplication.processEvents()
    same()
    key.setText("G")
    button.setText("G")
    same()


def test_a_keyboard_types_into_the_editor_it_was_given(qtbot) -> None:
    editor = QLineEdit()
    keyboard = OnScreenKeyboard(editor)
    qtbot.addWidget(keyboard)
    qtbot.addWidget(editor)
    for name in ("key_shift", "key_o", "key_k", "key_space", "key_?"):
        qtbot.mouseClick(keyboard.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    assert editor.text() == "Ok ?"


KEYBOARD_SCENES = [
    ("question-short_text", "normal"),
    ("question-long_text", "high-contrast"),
    ("question-postcode", "large-text"),
    ("question-integer", "normal"),
]


@pytest.fixture(scope="module")
def kiosk(qapp: Any):
    with tool.kiosk() as window:
        yield window


@pytest.mark.parametrize(
    ("scene", "variant"), KEYBOARD_SCENES, ids=[f"{s}-{v}" for s, v in KEYBOARD_SCENES]
)
def test_a_keyboard_screen_looks_like_its_committed_png(
    kiosk: KioskWindow, scene: str, variant: str
) -> None:
    name = tool.file_name(tool.scene(scene), tool.variant(variant))
    found = difference(render(kiosk, scene, variant), committed(name))
    assert found.within_tolerance, f"{name}: {found}"
