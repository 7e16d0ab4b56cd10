"""A patient finishes the cardiology pathway by taps alone, in a real window (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import TabletStore
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen, ReviewScreen, ThanksScreen

pytestmark = pytest.mark.ui


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, f"no button {name} on {type(window.currentWidget()).__name__}"
    assert button.isEnabled() and button.isVisible()
    assert button.width() >= 48 and button.height() >= 48
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def page(window: KioskWindow):
    return window.currentWidget()


def start(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(page(window), QuestionScreen))


def answer_and_next(qtbot, window: KioskWindow, plan: dict[str, object]) -> None:
    """Answer the current question from the plan (or skip it), then wait for the next screen."""
    screen = page(window)
    assert isinstance(screen, QuestionScreen)
    choice = plan.get(screen.step.item_id)
    if isinstance(choice, str) and choice.startswith("type:"):
        editor = screen.findChild(QLineEdit) or screen.findChild(QPlainTextEdit)
        qtbot.keyClicks(editor, choice[5:])
    elif isinstance(choice, str):
        tap(qtbot, window, choice)
    tap(qtbot, window, "next")
    qtbot.waitUntil(lambda: page(window) is not screen)


def walk_to_review(qtbot, window: KioskWindow, plan: dict[str, object]) -> list[str]:
    asked = []
    while not isinstance(page(window), ReviewScreen):
        asked.append(page(window).step.item_id)
        answer_and_next(qtbot, window, plan)
    return asked


def text_of(window: KioskWindow, name: str) -> str:
    return " ".join(label.text() for label in page(window).findChildren(QLabel, name))


@pytest.mark.control("H-05-C2", "H-19-C6", "H-22-C3")
def test_cardiology_by_taps_with_skip_logic_review_change_and_submit(
    qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    start(qtbot, window)
    assert text_of(window, "progress").startswith("Question 1 of ")
    plan = {
        "main_concern": "type:My chest hurts on the stairs",
        "ends_meet": "option_no",
        "feel_unsafe": "option_no",
        "anxiety": "point_7",
    }
    asked = walk_to_review(qtbot, window, plan)
    assert "wants_help" not in asked  # nothing flagged: the question is skipped
    assert "My chest hurts on the stairs" in text_of(window, "review_answer")

    # Change an answer from the review screen: now wants_help is asked.
    tap(qtbot, window, "change_social_welfare_ends_meet")
    qtbot.waitUntil(lambda: isinstance(page(window), QuestionScreen))
    assert page(window).step.item_id == "ends_meet"
    plan.update(ends_meet="option_yes", wants_help="option_yes")
    asked = walk_to_review(qtbot, window, plan)
    assert "wants_help" in asked
    tap(qtbot, window, "submit")
    qtbot.waitUntil(lambda: isinstance(page(window), ThanksScreen))
    assert "A member of staff will talk to you today" in text_of(window, "next_steps")

    [item] = store.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert opened.status == "complete"
    assert opened.answers() == {
        "what_matters": {"main_concern": "My chest hurts on the stairs"},
        "social_welfare": {"ends_meet": "yes", "feel_unsafe": "no", "wants_help": "yes"},
        "ons4": {"anxiety": 7},
    }
    tap(qtbot, window, "finish")
    assert window.currentWidget() is window.attract
    assert window.page is None  # nothing of the session is left on screen


@pytest.mark.control("H-22-C1")
def test_changing_back_withdraws_a_question_that_no_longer_applies(
    qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    start(qtbot, window)
    plan: dict[str, object] = {"ends_meet": "option_yes", "wants_help": "option_yes"}
    walk_to_review(qtbot, window, plan)
    tap(qtbot, window, "change_social_welfare_ends_meet")
    qtbot.waitUntil(lambda: isinstance(page(window), QuestionScreen))
    plan.update(ends_meet="option_no")
    asked = walk_to_review(qtbot, window, plan)
    assert "wants_help" not in asked
    assert page(window).findChild(QPushButton, "change_social_welfare_wants_help") is None
    tap(qtbot, window, "submit")
    qtbot.waitUntil(lambda: isinstance(page(window), ThanksScreen))
    assert "will look at your answers with you" in text_of(window, "next_steps")
    [item] = store.pending()
    answers = open_envelope(item.envelope, clinic.private).answers()
    assert answers == {"social_welfare": {"ends_meet": "no"}}


@pytest.mark.control("H-19-C6", "H-22-C2")
def test_a_refused_answer_is_explained_beside_the_field(qtbot, window: KioskWindow) -> None:
    start(qtbot, window)
    while page(window).step.item_id != "postcode":
        answer_and_next(qtbot, window, {})
    screen = page(window)
    qtbot.keyClicks(screen.findChild(QLineEdit), "not a postcode")
    tap(qtbot, window, "next")
    qtbot.waitUntil(lambda: screen.message.text() != "")
    assert page(window) is screen
    assert "is not a UK postcode" in screen.message.text()


def test_prefer_not_is_offered_on_sensitive_items(
    qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    start(qtbot, window)
    while page(window).step.item_id != "feel_unsafe":
        answer_and_next(qtbot, window, {})
    screen = page(window)
    tap(qtbot, window, "prefer_not")
    qtbot.waitUntil(lambda: page(window) is not screen)
    walk_to_review(qtbot, window, {})
    assert "I don't want to answer" in text_of(window, "review_answer")


@pytest.mark.control("H-19-C6")
def test_every_sensitive_question_offers_i_dont_want_to_answer(qtbot, window: KioskWindow) -> None:
    start(qtbot, window)
    offered: dict[str, bool] = {}
    sensitive: set[str] = set()
    while isinstance(page(window), QuestionScreen):
        screen = page(window)
        item = window.flow.item(screen.step)
        button = screen.findChild(QPushButton, "prefer_not")
        offered[item.id] = button is not None and button.isVisible()
        if item.sensitive:
            sensitive.add(item.id)
        answer_and_next(qtbot, window, {})
    # The cardiology pathway asks free-text, screening and about-you questions.
    assert {"main_concern", "feel_unsafe", "ethnicity", "postcode"} <= sensitive
    assert all(offered[item] for item in sensitive)
    assert not offered["life_satisfaction"]  # ONS4 scales are not sensitive


def test_free_text_can_be_typed_on_the_screen_keyboard(
    qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    start(qtbot, window)
    while page(window).step.item_id != "main_concern":
        answer_and_next(qtbot, window, {})
    for key in (
        "key_shift",
        "key_m",
        "key_y",
        "key_space",
        "key_k",
        "key_n",
        "key_e",
        "key_e",
        "key_delete",
        "key_e",
        "key_?",
    ):
        tap(qtbot, window, key)
    assert page(window).value() == "My knee?"
    walk_to_review(qtbot, window, {})
    assert "My knee?" in text_of(window, "review_answer")
    tap(qtbot, window, "submit")
    qtbot.waitUntil(lambda: isinstance(page(window), ThanksScreen))
    [item] = store.pending()
    assert open_envelope(item.envelope, clinic.private).answers() == {
        "what_matters": {"main_concern": "My knee?"}
    }
