"""Read aloud: a question screen offers it only where a voice speaks the patient's language.

The speech engine is Qt's "mock" (silent, English, Norwegian and Finnish voices,
about a tenth of a second per word), chosen the way a site would: through
KIOSK_SPEECH_ENGINE.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QPushButton

from kiosk.engine import FormLibrary
from kiosk.journey import Journey
from kiosk.journey.flow import Flow, Step
from kiosk.store import TabletStore
from kiosk.ui import speech
from kiosk.ui.screens import QuestionScreen
from kiosk.ui.speech import Speaker

pytestmark = pytest.mark.ui

WELSH_FORM = """\
format: 1
id: teimlo
version: "1.0"
title:
  cy: Sut rydych chi'n teimlo
source:
  name: A Welsh question for these tests
licence:
  name: MIT
  site_licence_required: false
languages:
  cy: draft
items:
  - id: bodlon
    type: scale
    min: 0
    max: 10
    anchors:
      - {value: 0, text: {cy: Dim o gwbl}}
      - {value: 10, text: {cy: Yn llwyr}}
    text:
      cy: Pa mor fodlon ydych chi â'ch bywyd y dyddiau hyn?
"""
WELSH_PATHWAY = """\
format: 1
pathways:
  - id: cymraeg
    title: Welsh test pathway
    forms: [teimlo]
"""


@pytest.fixture
def mock_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "mock")


@pytest.fixture
def speaker(qtbot: Any, mock_voice: None) -> Iterator[Speaker]:
    made = Speaker()
    yield made
    made.stop()
    made.deleteLater()


@pytest.fixture
def question(qtbot: Any, store: TabletStore, library: FormLibrary) -> Callable[..., QuestionScreen]:
    """A shown cardiology question screen at ``form_id/item_id``."""

    def show(form_id: str, item_id: str, speaker: Speaker | None) -> QuestionScreen:
        flow = Flow(Journey(store, library, "cardiology", {}))
        flow.go_to(Step(form_id, item_id))
        screen = QuestionScreen(flow, lambda _: None, lambda: None, speaker=speaker)
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        screen.show()
        return screen

    return show


def read_aloud(screen: QuestionScreen) -> QPushButton | None:
    return screen.findChild(QPushButton, "read_aloud")


def tap(qtbot: Any, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def words_heard(speaker: Speaker) -> list[str]:
    """Every word the engine says from now on, as it says it."""
    engine = speaker.findChild(QTextToSpeech)
    assert engine is not None, "no speech engine was loaded"
    heard: list[str] = []
    engine.sayingWord.connect(lambda word, *_: heard.append(word))
    return heard


def test_a_question_offers_read_aloud_as_a_named_touch_target(
    question: Callable[..., QuestionScreen], speaker: Speaker
) -> None:
    button = read_aloud(question("social_welfare", "feel_unsafe", speaker))
    assert button is not None and button.isVisible()
    assert button.text() == "Read aloud"
    assert button.accessibleName() == "Read aloud"
    assert button.accessibleDescription().strip()
    assert button.width() >= 48 and button.height() >= 48


@pytest.mark.control("H-19-C3")
def test_tapping_read_aloud_speaks_the_question_and_its_answers(
    qtbot: Any, question: Callable[..., QuestionScreen], speaker: Speaker
) -> None:
    screen = question("social_welfare", "feel_unsafe", speaker)
    button = read_aloud(screen)
    assert button is not None
    heard = words_heard(speaker)
    with qtbot.waitSignal(speaker.speaking_changed, check_params_cb=lambda on: on):
        tap(qtbot, button)
    assert button.text() == "Stop reading"
    assert button.accessibleName() == "Stop reading"
    with qtbot.waitSignal(speaker.speaking_changed, timeout=10_000):
        pass  # until the voice finishes by itself
    assert heard == ["Do", "you", "ever", "feel", "unsafe", "Yes", "No"]
    assert button.text() == "Read aloud"


@pytest.mark.control("H-19-C3")
def test_a_scale_is_read_with_its_labelled_ends(
    qtbot: Any, question: Callable[..., QuestionScreen], speaker: Speaker
) -> None:
    button = read_aloud(question("ons4", "happiness", speaker))
    assert button is not None
    heard = words_heard(speaker)
    tap(qtbot, button)
    qtbot.waitUntil(lambda: speaker.is_speaking())
    qtbot.waitUntil(lambda: not speaker.is_speaking(), timeout=10_000)
    assert heard[:6] == ["Overall", "how", "happy", "did", "you", "feel"]
    assert heard[-6:] == ["0", "Not", "at", "all", "10", "Completely"]


def test_tapping_again_stops_the_voice(
    qtbot: Any, question: Callable[..., QuestionScreen], speaker: Speaker
) -> None:
    button = read_aloud(question("ons4", "worthwhile", speaker))
    assert button is not None
    heard = words_heard(speaker)
    tap(qtbot, button)
    qtbot.waitUntil(lambda: len(heard) >= 2)
    with qtbot.waitSignal(speaker.speaking_changed, check_params_cb=lambda on: not on):
        tap(qtbot, button)
    assert not speaker.is_speaking()
    assert button.text() == "Read aloud"
    stopped_at = len(heard)
    qtbot.wait(400)  # several words' time
    assert len(heard) == stopped_at


def test_leaving_the_screen_silences_it(
    qtbot: Any, question: Callable[..., QuestionScreen], speaker: Speaker
) -> None:
    screen = question("ons4", "worthwhile", speaker)
    button = read_aloud(screen)
    assert button is not None
    tap(qtbot, button)
    qtbot.waitUntil(lambda: speaker.is_speaking())
    screen.deleteLater()  # as the window replaces a question
    qtbot.waitUntil(lambda: not speaker.is_speaking())
    # The next question's button works, and the gone screen hears nothing of it.
    button = read_aloud(question("ons4", "happiness", speaker))
    assert button is not None
    tap(qtbot, button)
    qtbot.waitUntil(lambda: button.text() == "Stop reading")


def test_the_spoken_words_are_never_logged(
    qtbot: Any,
    question: Callable[..., QuestionScreen],
    speaker: Speaker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    button = read_aloud(question("social_welfare", "feel_unsafe", speaker))
    assert button is not None
    tap(qtbot, button)
    qtbot.waitUntil(lambda: not speaker.is_speaking(), timeout=10_000)
    assert "unsafe" not in caplog.text


@pytest.mark.control("H-19-C3")
def test_no_button_without_a_voice_for_the_patients_language(
    qtbot: Any, tmp_path: Path, store: TabletStore, speaker: Speaker
) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "teimlo.yaml").write_text(WELSH_FORM, encoding="utf-8")
    (forms / "pathways.yaml").write_text(WELSH_PATHWAY, encoding="utf-8")
    flow = Flow(Journey(store, FormLibrary.load(forms), "cymraeg", {}, language="cy"))
    screen = QuestionScreen(flow, lambda _: None, lambda: None, speaker=speaker)
    qtbot.addWidget(screen)
    screen.show()
    assert read_aloud(screen) is None
    assert screen.next.isVisible()  # the rest of the screen is as ever


def test_the_mock_speaks_only_the_languages_it_has_voices_for(speaker: Speaker) -> None:
    assert speaker.can_speak("en")
    assert speaker.can_speak("fi")
    assert not speaker.can_speak("cy")
    assert not speaker.can_speak("ur")
    assert not speaker.can_speak("not a language")


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_an_engine_that_does_not_exist_means_no_button(
    qtbot: Any,
    question: Callable[..., QuestionScreen],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    if how == "environment":
        monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "no-such-engine")
        missing = Speaker()
    else:
        missing = Speaker("no-such-engine")
    assert not missing.can_speak("en")
    missing.say("Is this heard?", "en")  # harmless
    missing.stop()
    assert not missing.is_speaking()
    assert read_aloud(question("ons4", "worthwhile", missing)) is None


def test_without_the_speech_module_nothing_can_be_spoken(
    qtbot: Any, mock_voice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech, "AVAILABLE", False)
    assert not Speaker().can_speak("en")


def test_the_mock_is_never_chosen_unless_named(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class OnlyTheMock(QTextToSpeech):
        @staticmethod
        def availableEngines() -> list[str]:
            return ["mock"]

    monkeypatch.delenv("KIOSK_SPEECH_ENGINE", raising=False)
    monkeypatch.setattr(speech, "QTextToSpeech", OnlyTheMock)
    assert not Speaker().can_speak("en")
    assert Speaker("mock").can_speak("en")


def test_no_speaker_means_no_button(question: Callable[..., QuestionScreen]) -> None:
    assert read_aloud(question("ons4", "worthwhile", None)) is None


def test_a_screen_built_ahead_and_thrown_away_unseen_does_not_silence_the_shown_one(
    qtbot: Any,
    question: Callable[..., QuestionScreen],
    speaker: Speaker,
    store: TabletStore,
    library: FormLibrary,
) -> None:
    from kiosk.ui.ahead import show_unseen

    screen = question("ons4", "worthwhile", speaker)
    button = read_aloud(screen)
    assert button is not None
    tap(qtbot, button)
    qtbot.waitUntil(lambda: speaker.is_speaking())
    # The next question, built and put through its first show behind this one, as the
    # window does while the patient reads; then not needed after all.
    flow = Flow(Journey(store, library, "cardiology", {}))
    ahead = QuestionScreen(
        flow, lambda _: None, lambda: None, speaker=speaker, step=Step("ons4", "happiness")
    )
    ahead.setParent(screen)
    show_unseen(ahead)
    assert ahead.isHidden()
    ahead.deleteLater()
    qtbot.wait(100)
    assert speaker.is_speaking()
    assert button.text() == "Stop reading"
