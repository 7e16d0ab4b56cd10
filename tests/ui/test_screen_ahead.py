"""The next screen is built while the patient reads, and shown only if it still fits.

A screen built ahead of Next is never shown when the answer changes which question
comes next, never outlives the session it was built in, and the review built ahead
of the last answer shows that answer once it is saved.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen, ReviewScreen

pytestmark = pytest.mark.ui

SECRET = "Dizzy when I climb the stairs to the flat"


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, f"no button {name} on {type(window.currentWidget()).__name__}"
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def on_question(qtbot, window: KioskWindow, item_id: str) -> QuestionScreen:
    qtbot.waitUntil(
        lambda: (
            isinstance(window.currentWidget(), QuestionScreen)
            and window.currentWidget().step.item_id == item_id
        )
    )
    return window.currentWidget()


def built_ahead(qtbot, window: KioskWindow, item_id: str) -> QuestionScreen:
    """The hidden screen waiting behind the current one, for ``item_id``."""

    def waiting() -> list[QuestionScreen]:
        # The window's pages, not findChildren: that would also find pages on their way out.
        pages = [window.widget(index) for index in range(window.count())]
        return [
            page
            for page in pages
            if isinstance(page, QuestionScreen)
            and page is not window.currentWidget()
            and page.step.item_id == item_id
        ]

    qtbot.waitUntil(lambda: len(waiting()) == 1)
    return waiting()[0]


def progress(window: KioskWindow) -> str:
    return window.currentWidget().findChild(QLabel, "progress").text()


def walk_to(qtbot, window: KioskWindow, item_id: str, answers: dict[str, str]) -> None:
    """Start, then Next through every question (tapping ``answers``) up to ``item_id``."""
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    while window.currentWidget().step.item_id != item_id:
        screen = window.currentWidget()
        if screen.step.item_id in answers:
            tap(qtbot, window, answers[screen.step.item_id])
        tap(qtbot, window, "next")
        qtbot.waitUntil(lambda screen=screen: window.currentWidget() is not screen)


class _Shown:
    """Every page the window has made current, from now on."""

    def __init__(self, window: KioskWindow) -> None:
        self.pages: list[QWidget] = []
        window.currentChanged.connect(lambda index: self.pages.append(window.widget(index)))

    def includes(self, page: QWidget) -> bool:
        return any(shown is page for shown in self.pages)


@pytest.mark.parametrize("pause", [True, False], ids=["read-after-tap", "next-at-once"])
def test_an_answer_that_adds_a_question_never_shows_the_screen_built_without_it(
    qtbot, window: KioskWindow, pause: bool
) -> None:
    walk_to(qtbot, window, "carer_impact", {"ends_meet": "option_no", "feel_unsafe": "option_no"})
    # Nothing flagged so far: Next would skip "do you want help" and go on to the next form.
    ahead = built_ahead(qtbot, window, "life_satisfaction")
    shown = _Shown(window)
    number, total = window.flow.position()
    tap(qtbot, window, "option_yes")  # a flag: "do you want help" is asked after all
    if pause:
        qtbot.wait(50)
    tap(qtbot, window, "next")
    on_question(qtbot, window, "wants_help")
    assert progress(window) == f"Question {number + 1} of {total + 1}"
    assert not shown.includes(ahead)
    qtbot.waitUntil(lambda: not shiboken6.isValid(ahead))  # thrown away, not kept


def test_going_on_as_expected_shows_the_screen_built_ahead(qtbot, window: KioskWindow) -> None:
    walk_to(qtbot, window, "carer_impact", {"ends_meet": "option_no", "feel_unsafe": "option_no"})
    ahead = built_ahead(qtbot, window, "life_satisfaction")
    number, total = window.flow.position()
    tap(qtbot, window, "option_no")
    tap(qtbot, window, "next")
    on_question(qtbot, window, "life_satisfaction")
    assert window.currentWidget() is ahead
    assert progress(window) == f"Question {number + 1} of {total}"


def test_back_and_a_reset_leave_no_screen_built_ahead_in_sight(qtbot, window: KioskWindow) -> None:
    walk_to(qtbot, window, "hope_to_achieve", {})
    qtbot.keyClicks(window.currentWidget().findChild(QPlainTextEdit), SECRET)
    tap(qtbot, window, "next")
    on_question(qtbot, window, "why_important")
    skipped = built_ahead(qtbot, window, "reminder")
    shown = _Shown(window)
    tap(qtbot, window, "back")  # not the screen built for Next
    on_question(qtbot, window, "hope_to_achieve")
    assert not shown.includes(skipped)
    built_ahead(qtbot, window, "why_important")
    tap(qtbot, window, "back")
    on_question(qtbot, window, "main_concern")
    # Behind the current screen, the next one waits with the patient's answer in it.
    ahead = built_ahead(qtbot, window, "hope_to_achieve")
    assert ahead.findChild(QPlainTextEdit).toPlainText() == SECRET

    window.reset("timed_out")
    qtbot.waitUntil(lambda: not shiboken6.isValid(ahead))
    assert window.findChildren(QuestionScreen) == []
    editors = window.findChildren(QPlainTextEdit)
    assert all(SECRET not in editor.toPlainText() for editor in editors)


def test_the_review_built_ahead_shows_the_last_answer_saved(qtbot, window: KioskWindow) -> None:
    walk_to(qtbot, window, "carer", {})
    qtbot.waitUntil(  # the review waits behind the last question, built before its answer
        lambda: any(window.indexOf(review) >= 0 for review in window.findChildren(ReviewScreen))
    )
    tap(qtbot, window, "option_yes")
    tap(qtbot, window, "next")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), ReviewScreen))
    review = window.currentWidget()
    assert review.answers[("about_you", "carer")].text() == "Yes"
    assert review.answers[("about_you", "interpreter")].text() == "Not answered"


def test_a_tap_that_adds_a_question_has_its_screen_built_before_next(
    qtbot, window: KioskWindow
) -> None:
    walk_to(qtbot, window, "carer_impact", {"ends_meet": "option_no", "feel_unsafe": "option_no"})
    built_ahead(qtbot, window, "life_satisfaction")
    tap(qtbot, window, "option_yes")  # a flag: "do you want help" is asked after all
    # On the next turns of the event loop, the screen Next now leads to is built behind
    # this one (a tapped button repaints itself within the tap: no later paint of it may
    # be waited for, nor anything else the patient might do).
    qtbot.wait(100)
    pages = [window.widget(index) for index in range(window.count())]
    [ahead] = [p for p in pages if isinstance(p, QuestionScreen) and p.step.item_id == "wants_help"]
    tap(qtbot, window, "next")
    on_question(qtbot, window, "wants_help")
    assert window.currentWidget() is ahead


@pytest.mark.parametrize("reset", [False, True], ids=["next", "reset-before-paint"])
def test_the_screen_left_is_deleted_even_when_a_reset_comes_before_the_next_paints(
    qtbot, window: KioskWindow, reset: bool
) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    walk_to(qtbot, window, "hope_to_achieve", {})
    qtbot.keyClicks(window.currentWidget().findChild(QPlainTextEdit), SECRET)
    left = window.currentWidget()
    tap(qtbot, window, "next")
    window.background.wait()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)  # saved: the swap, no paint
    assert window.currentWidget() is not left and window.indexOf(left) < 0
    if reset:
        window.reset("timed_out")
    qtbot.waitUntil(lambda: not shiboken6.isValid(left))
    editors = window.findChildren(QPlainTextEdit)
    assert all(SECRET not in editor.toPlainText() for editor in editors)
