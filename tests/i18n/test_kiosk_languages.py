"""Every patient in their own language: right-to-left screens turned round, read-aloud
offered per language, and a change of language part-way that keeps every answer.

The kiosk runs the real cardiology pathway with draft translations allowed (all
five are drafts so far) and the real i18n/ catalogues. Speech is Qt's "mock"
engine (tests/conftest.py), which has English, Norwegian and Finnish voices and
none for Welsh, Polish, Urdu, Bengali or Arabic.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.engine import FormLibrary
from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.schema import Item
from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.journey.journey import LANGUAGE_RECORD, LANGUAGE_STATUS_RECORD
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.language_screen import READ_ALOUD_SOURCE, LanguageScreen
from kiosk.ui.pictograms import Pictogram
from kiosk.ui.screens import QuestionScreen, ReviewScreen, ThanksScreen
from kiosk.ui.theme import stylesheet
from kiosk.ui.translations import DEFAULT_FOLDER, SOURCE_LANGUAGE, Translations
from tests.ui.settling import settle

pytestmark = pytest.mark.i18n

SHIPPED = sorted(p.stem.removeprefix("kiosk_") for p in DEFAULT_FOLDER.glob("kiosk_*.qm"))
RIGHT_TO_LEFT = [c for c in SHIPPED if QLocale(c).textDirection() == Qt.LayoutDirection.RightToLeft]
LEFT_TO_RIGHT = [c for c in SHIPPED if c not in RIGHT_TO_LEFT]


# ---------------------------------------------------------------- a kiosk to walk through
@pytest.fixture
def clinic() -> ClinicKeyPair:
    return ClinicKeyPair.generate()


@pytest.fixture
def tablet(tmp_path: Path, clinic: ClinicKeyPair) -> Iterator[TabletStore]:
    opened = TabletStore.open(tmp_path / "tablet", clinic.public)
    yield opened
    opened.close()


@pytest.fixture
def make_kiosk(
    qtbot: Any, tablet: TabletStore, library: FormLibrary
) -> Iterator[Callable[..., KioskWindow]]:
    """A shown 1280x800 kiosk on the cardiology pathway, draft translations allowed."""
    made: list[tuple[KioskWindow, Translations]] = []

    def make(**options: Any) -> KioskWindow:
        translations = options.pop("translations", None) or Translations(pseudo_locale=False)
        chosen = {"draft_translations": True, **options}
        forms = chosen.pop("library", library)
        pathway = chosen.pop("pathway", "cardiology")
        window = KioskWindow(
            tablet, forms, pathway, {}, Background(), StaffPin(tablet),
            translations=translations, **chosen,
        )  # fmt: skip
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        made.append((window, translations))
        return window

    yield make
    for window, translations in made:
        window.reset(None)
        window.background.wait()
        translations.use(SOURCE_LANGUAGE)


def tap(qtbot: Any, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None and button.isVisible(), f"no {name} button on the screen"
    before = window.currentWidget()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if name in ("next", "agree", "submit") or name.startswith("language"):
        qtbot.waitUntil(lambda: window.currentWidget() is not before)
    settle(qtbot, window)


def question(window: KioskWindow) -> QuestionScreen:
    screen = window.currentWidget()
    assert isinstance(screen, QuestionScreen), type(screen).__name__
    return screen


def item_of(window: KioskWindow, screen: QuestionScreen) -> Item:
    assert window.flow is not None
    return window.flow.item(screen.step)


def begin_in(qtbot: Any, window: KioskWindow, code: str) -> None:
    """From "Tap to start" to the first question, in ``code``."""
    tap(qtbot, window, "start")
    assert isinstance(window.currentWidget(), LanguageScreen)
    tap(qtbot, window, f"language_{code}")
    tap(qtbot, window, "agree")
    question(window)


def skip_to(qtbot: Any, window: KioskWindow, kind: str) -> QuestionScreen:
    """Next (nothing chosen) until the first question of type ``kind``."""
    while item_of(window, screen := question(window)).type != kind:
        tap(qtbot, window, "next")
    return screen


def centre_x(window: KioskWindow, widget: QWidget) -> int:
    return widget.mapTo(window, widget.rect().center()).x()


# ---------------------------------------------------------------- right to left
@pytest.mark.control("H-19-C5")
@pytest.mark.parametrize("code", RIGHT_TO_LEFT)
def test_a_right_to_left_language_turns_the_whole_kiosk_round(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow], code: str
) -> None:
    window = make_kiosk()
    begin_in(qtbot, window, code)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    screen = skip_to(qtbot, window, "scale")
    assert centre_x(window, screen.next) < centre_x(window, screen.back), "Next is on the left"
    scale = screen.input
    assert scale is not None
    buttons = scale.buttons  # type: ignore[attr-defined]
    assert centre_x(window, buttons[0]) > centre_x(window, buttons[10]), "0 is on the right"
    anchors = scale.anchor_labels  # type: ignore[attr-defined]
    assert centre_x(window, anchors[0]) > centre_x(window, anchors[10])
    assert screen.language_button is not None
    assert centre_x(window, screen.language_button) < window.width() // 2
    # The next patient starts in English, left to right.
    window.reset(None)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize("code", LEFT_TO_RIGHT)
def test_a_left_to_right_language_keeps_the_usual_order(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow], code: str
) -> None:
    window = make_kiosk()
    begin_in(qtbot, window, code)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    screen = skip_to(qtbot, window, "scale")
    assert centre_x(window, screen.next) > centre_x(window, screen.back)
    buttons = screen.input.buttons  # type: ignore[union-attr]
    assert centre_x(window, buttons[0]) < centre_x(window, buttons[10])


# ---------------------------------------------------------------- read aloud
def test_the_language_screen_says_which_languages_can_be_read_aloud(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow]
) -> None:
    window = make_kiosk()
    tap(qtbot, window, "start")
    screen = window.currentWidget()
    assert isinstance(screen, LanguageScreen)
    assert set(screen.buttons) == {SOURCE_LANGUAGE, *SHIPPED}
    # The mock engine speaks English only, of these.
    assert set(screen.markers) == {SOURCE_LANGUAGE}
    marker = screen.markers[SOURCE_LANGUAGE]
    assert marker.isVisible() and marker.label.text() == READ_ALOUD_SOURCE
    # Words and a picture, never colour alone.
    assert marker.findChild(Pictogram) is marker.pictogram and marker.pictogram.width() >= 16
    assert marker.accessibleName() == READ_ALOUD_SOURCE
    row = screen.buttons[SOURCE_LANGUAGE]
    assert abs(marker.mapTo(screen, QPoint(0, marker.height() // 2)).y()
               - row.mapTo(screen, QPoint(0, row.height() // 2)).y()) < row.height()  # fmt: skip


def test_no_read_aloud_where_there_is_no_voice_for_the_language(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow]
) -> None:
    window = make_kiosk()
    begin_in(qtbot, window, "cy")
    assert question(window).read_aloud is None
    window.reset(None)
    begin_in(qtbot, window, SOURCE_LANGUAGE)
    assert question(window).read_aloud is not None


NORWEGIAN_FORM = """\
format: 1
id: lytte
version: "1.0"
title: {en: Listening, nb: Lytting}
source: {name: A test form}
licence: {name: MIT, site_licence_required: false}
languages: {en: validated, nb: validated}
items:
  - id: glad
    type: scale
    min: 0
    max: 10
    anchors:
      - {value: 0, text: {en: Not at all, nb: Ikke i det hele tatt}}
      - {value: 10, text: {en: Very, nb: Veldig}}
    text: {en: How glad are you today?, nb: Hvor glad er du i dag?}
"""
NORWEGIAN_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nb_NO">
<context><name>LanguageScreen</name>
<message><source>Can be read aloud</source><translation>Kan leses høyt</translation></message>
</context>
<context><name>QuestionScreen</name>
<message><source>Read aloud</source><translation>Les høyt</translation></message>
</context>
</TS>
"""


@pytest.mark.control("H-19-C3")
def test_speech_uses_a_voice_of_the_patients_language(
    qtbot: Any, tmp_path: Path, lrelease: str, make_kiosk: Callable[..., KioskWindow]
) -> None:
    forms, i18n = tmp_path / "forms", tmp_path / "i18n"
    forms.mkdir()
    i18n.mkdir()
    (forms / "lytte.yaml").write_text(NORWEGIAN_FORM, encoding="utf-8")
    (forms / "pathways.yaml").write_text(
        "format: 1\npathways:\n  - {id: lytte, title: Listening, forms: [lytte]}\n",
        encoding="utf-8",
    )
    (i18n / "kiosk_nb.ts").write_text(NORWEGIAN_TS, encoding="utf-8")
    subprocess.run(
        [lrelease, str(i18n / "kiosk_nb.ts"), "-qm", str(i18n / "kiosk_nb.qm")],
        check=True,
        capture_output=True,
    )
    window = make_kiosk(
        library=FormLibrary.load(forms),
        pathway="lytte",
        translations=Translations(i18n, pseudo_locale=False),
    )
    tap(qtbot, window, "start")
    languages = window.currentWidget()
    assert isinstance(languages, LanguageScreen)
    # Each language says it in its own words, whatever language the screen is in.
    assert {code: m.label.text() for code, m in languages.markers.items()} == {
        "en": "Can be read aloud",
        "nb": "Kan leses høyt",
    }
    tap(qtbot, window, "language_nb")
    tap(qtbot, window, "agree")
    button = question(window).read_aloud
    assert button is not None and button.text() == "Les høyt"
    engine = window.speaker.findChild(QTextToSpeech)
    assert engine is not None
    heard: list[str] = []
    engine.sayingWord.connect(lambda word, *_: heard.append(word))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(heard) >= 2)
    assert engine.locale().language() == QLocale.Language.NorwegianBokmal
    assert engine.voice().locale().language() == QLocale.Language.NorwegianBokmal
    assert heard[:2] == ["Hvor", "glad"]
    window.speaker.stop()


# ---------------------------------------------------------------- changing language part-way
def chosen_value(item: Item) -> Any:
    """An answer a patient might give, in codes: these stay the same in every language."""
    codes = [code for code in option_codes(item) if code != PREFER_NOT]
    return {
        "yes_no": "yes",
        "single_choice": codes[0] if codes else None,
        "multi_choice": codes[:2],
        "scale": 7,
        "short_text": "Gwyn",
        "long_text": "Sleeping badly",
    }.get(item.type)


def answer_with(qtbot: Any, window: KioskWindow, value: Any) -> None:
    screen = question(window)
    if screen.input is not None and value is not None:
        screen.input.set_value(value)
    tap(qtbot, window, "next")


@pytest.mark.control("H-06-C3")
def test_changing_language_part_way_keeps_every_answer(
    qtbot: Any,
    make_kiosk: Callable[..., KioskWindow],
    library: FormLibrary,
    tablet: TabletStore,
    clinic: ClinicKeyPair,
) -> None:
    window = make_kiosk()
    begin_in(qtbot, window, SOURCE_LANGUAGE)
    flow = window.flow
    assert flow is not None
    journey = flow.journey
    # Answer in English up to the first ONS4 scale, then choose on it without saving.
    while item_of(window, screen := question(window)).type != "scale":
        answer_with(qtbot, window, chosen_value(item_of(window, screen)))
    given = {form.id: journey.answers(form.id) for form in journey.forms}
    assert sum(map(len, given.values())) >= 8
    assert question(window).read_aloud is not None  # English has a voice
    step = question(window).step
    question(window).input.set_value(7)  # type: ignore[union-attr]

    tap(qtbot, window, "language")
    languages = window.currentWidget()
    assert isinstance(languages, LanguageScreen)
    assert languages.buttons[SOURCE_LANGUAGE].isChecked()  # where the patient is now
    tap(qtbot, window, "language_cy")

    screen = question(window)
    assert screen.step == step
    form, item = journey.form(step.form_id), item_of(window, screen)
    assert screen.findChild(QLabel, "question").text() == form.text(item.id, "cy")
    assert screen.findChild(QLabel, "form_title").text() == form.spec.title["cy"]
    assert screen.value() == 7, "a choice not yet saved survives the change"
    assert screen.read_aloud is None  # no Welsh voice
    assert journey.language == "cy" and window.language == "cy"
    assert {f.id: journey.answers(f.id) for f in journey.forms} == given

    # Saved, then back past it: earlier answers are still chosen, their words now Welsh.
    tap(qtbot, window, "next")
    tap(qtbot, window, "back")
    assert question(window).value() == 7
    tap(qtbot, window, "back")
    earlier = question(window)
    assert earlier.value() == given[earlier.step.form_id][earlier.step.item_id]
    chosen = earlier.input.buttons[earlier.value()]  # type: ignore[union-attr]
    assert chosen.isChecked() and chosen.text() == journey.answer_text(
        earlier.step.form_id, earlier.step.item_id
    )
    tap(qtbot, window, "next")
    while isinstance(window.currentWidget(), QuestionScreen):
        tap(qtbot, window, "next")
    review = window.currentWidget()
    assert isinstance(review, ReviewScreen)
    assert review.language_button is not None
    shown = [label.text() for label in review.findChildren(QLabel, "review_answer")]
    for form_id, answers in given.items():
        for item_id in answers:
            words = journey.answer_text(form_id, item_id)
            assert words in shown, f"{form_id}/{item_id}: {words!r} not on the review screen"
    yes_no = journey.form("social_welfare")
    assert yes_no.option_text("ends_meet", "yes", "cy") in shown
    assert yes_no.option_text("ends_meet", "yes", "en") not in shown
    assert {f.id: journey.answers(f.id) for f in journey.forms} == {
        **given,
        "ons4": {"life_satisfaction": 7},
    }

    tap(qtbot, window, "submit")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), ThanksScreen))
    [pending] = tablet.pending()
    opened = open_envelope(pending.envelope, clinic.private)
    assert opened.record(LANGUAGE_RECORD) == "cy"
    assert opened.record(LANGUAGE_STATUS_RECORD) == "draft"
    assert opened.record("social_welfare/ends_meet") == "yes"
    assert opened.record("what_matters/main_concern") == "Sleeping badly"


def test_without_a_choice_of_language_there_is_no_language_button(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow]
) -> None:
    window = make_kiosk(draft_translations=False)  # every translation is still a draft
    assert window.languages == [SOURCE_LANGUAGE]
    tap(qtbot, window, "start")
    tap(qtbot, window, "agree")
    assert question(window).language_button is None
    assert window.currentWidget().findChild(QPushButton, "language") is None


@pytest.mark.control("H-06-C2")
def test_the_journey_records_each_language_and_the_lowest_status(
    tablet: TabletStore, library: FormLibrary, clinic: ClinicKeyPair
) -> None:
    journey = Journey(tablet, library, "cardiology", {}, language="en")
    journey.answer("social_welfare", "ends_meet", "no")
    journey.change_language("ur")
    journey.change_language("en")  # earlier answers were given to draft Urdu words
    assert journey.language == "en"
    assert journey.answers("social_welfare") == {"ends_meet": "no"}
    with pytest.raises(ValueError, match="not written in 'xx'"):
        journey.change_language("xx")
    journey.abandon()
    [pending] = tablet.pending()
    records = open_envelope(pending.envelope, clinic.private).records
    said = [value for _seq, name, value in records if name == LANGUAGE_RECORD]
    status = [value for _seq, name, value in records if name == LANGUAGE_STATUS_RECORD]
    assert said == ["en", "ur", "en"]
    assert status == ["validated", "draft", "draft"]


@pytest.mark.control("H-05-C3")
def test_the_next_patient_starts_in_english_in_the_default_look(
    qtbot: Any, make_kiosk: Callable[..., KioskWindow]
) -> None:
    window = make_kiosk()
    begin_in(qtbot, window, "ur")
    window.set_text_size("large")
    window.privacy.contrast.setChecked(True)
    assert window.high_contrast
    tap(qtbot, window, "language")
    tap(qtbot, window, "language_bn")
    assert window.privacy.contrast.isChecked(), "the remade privacy screen shows the look"
    window.reset(None)
    assert (window.language, window.text_size, window.high_contrast) == ("en", "normal", False)
    assert window.styleSheet() == stylesheet()
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
