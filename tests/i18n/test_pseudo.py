"""Pseudo-localisation: accented, longer words show which text skipped ``tr()``.

The window is walked through every kiosk screen of tools/screenshots.py (the
same SCENES ``make screenshots`` draws) plus a few messages, with the pseudo
translator installed. Every visible label or button whose text holds a word
must then be pseudo-localised, except the words that are not the kiosk's own:
the form's text (translated in the forms, not by Qt), the languages named in
themselves on the language screen, and the patient's details from the clinic
list on the staff-only hand-over screen.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.engine import FormLibrary
from kiosk.engine.answers import option_codes
from kiosk.exchange.clinic_list import Appointment
from kiosk.journey.linking import LinkError
from kiosk.store import StaffPin, TabletStore
from kiosk.ui import pseudo
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import CheckInScreen, HandOverScreen
from kiosk.ui.pseudo import PSEUDO, PseudoTranslator, pseudo_localise
from kiosk.ui.screens import PrivacyScreen, big_button
from kiosk.ui.translations import SOURCE_LANGUAGE, Translations, native_name

pytestmark = pytest.mark.i18n

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: single keys (A, q) are not words
PSEUDO_SEGMENT = re.compile(r"\[[^\[\]]*~+\]")


# ---------------------------------------------------------------- the transformation
def test_words_come_out_accented_longer_and_in_brackets() -> None:
    shown = pseudo_localise("Next")
    assert shown.startswith("[") and shown.endswith("]")
    assert shown == "[Ňéxţ ~~]"
    long = "Please give the tablet back to reception."
    assert len(pseudo_localise(long)) >= 1.4 * len(long)


@pytest.mark.parametrize(
    "source, kept",
    [
        ("Question %1 of %2", ["%1", "%2"]),
        ("Try again in %L1 seconds", ["%L1"]),
        ("%n answers", ["%n"]),
        ("Hello {name}", ["{name}"]),
        ("<b>Bold</b> &amp; plain", ["<b>", "</b>", "&amp;"]),
    ],
)
def test_placeholders_tags_and_entities_are_kept(source: str, kept: list[str]) -> None:
    shown = pseudo_localise(source)
    for token in kept:
        assert token in shown
    assert shown.count("%") == source.count("%")


def test_mnemonics_keep_their_ampersand_and_letter() -> None:
    shown = pseudo_localise("&Next and Fish && Chips")
    assert "&N" in shown and "&&" in shown
    assert shown.replace("&&", "").count("&") == 1


def test_empty_text_stays_empty() -> None:
    assert pseudo_localise("") == ""


# ---------------------------------------------------------------- switching it on
@pytest.fixture
def restore_english(qapp: Any) -> Iterator[list[Translations]]:
    made: list[Translations] = []
    yield made
    for translations in made:
        translations.pseudo_locale = False
        translations.use(SOURCE_LANGUAGE)


def test_the_translator_pseudo_localises_every_context(qapp: Any) -> None:
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("AnyScreen", "Next") == pseudo_localise("Next")
    finally:
        QCoreApplication.removeTranslator(translator)
    assert QCoreApplication.translate("AnyScreen", "Next") == "Next"


@pytest.mark.parametrize("value, on", [("1", True), ("yes", True), ("0", False), ("", False)])
def test_the_environment_variable_switches_it_on(
    monkeypatch: pytest.MonkeyPatch, restore_english: list[Translations], value: str, on: bool
) -> None:
    monkeypatch.setenv(pseudo.ENVIRONMENT_VARIABLE, value)
    restore_english.append(Translations())
    expected = pseudo_localise("Next") if on else "Next"
    assert QCoreApplication.translate("QuestionScreen", "Next") == expected


def test_pseudo_is_a_language_code_too(restore_english: list[Translations]) -> None:
    translations = Translations(pseudo_locale=False)
    restore_english.append(translations)
    assert translations.use(PSEUDO)
    assert translations.current == SOURCE_LANGUAGE  # forms and read-aloud stay English
    assert QCoreApplication.translate("QuestionScreen", "Back") == pseudo_localise("Back")
    translations.use(SOURCE_LANGUAGE)
    assert QCoreApplication.translate("QuestionScreen", "Back") == "Back"


def test_pseudo_localised_english_survives_the_reset_to_english(
    restore_english: list[Translations],
) -> None:
    translations = Translations(pseudo_locale=True)
    restore_english.append(translations)
    translations.use("cy")
    assert QCoreApplication.translate("QuestionScreen", "Back") != pseudo_localise("Back")
    translations.use(SOURCE_LANGUAGE)  # what the window does for the next patient
    assert QCoreApplication.translate("QuestionScreen", "Back") == pseudo_localise("Back")


# ---------------------------------------------------------------- the whole kiosk
def _load_screenshots_tool() -> ModuleType:
    name = "kiosk_screenshots_tool"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


TOOL = _load_screenshots_tool()


def form_texts(library: FormLibrary, pathway: str) -> set[str]:
    """Every English text the pathway's forms (and the engine's own options) can put on screen."""
    texts: set[str] = set()
    for form in library.pathway_forms(pathway, {}):
        texts.add(form.spec.title[SOURCE_LANGUAGE])
        if form.spec.licence.attribution:
            texts.add(form.spec.licence.attribution)
        for item_id, item in form.items.items():
            texts.add(form.text(item_id, SOURCE_LANGUAGE))
            if item.help:
                texts.add(item.help[SOURCE_LANGUAGE])
            texts.update(a.text[SOURCE_LANGUAGE] for a in item.anchors or ())
            if item.type in ("single_choice", "yes_no", "multi_choice"):
                texts.update(
                    form.option_text(item_id, code, SOURCE_LANGUAGE) for code in option_codes(item)
                )
    return texts


def clinic_list_texts(appointment: Appointment) -> set[str]:
    """The patient's own details, as the staff-only hand-over screen shows them."""
    born = appointment.birth_date
    return {
        f"{appointment.given_name} {appointment.family_name}",
        QLocale(SOURCE_LANGUAGE).toString(QDate(born.year, born.month, born.day), "d MMMM yyyy"),
        f"{appointment.time}, {appointment.clinic}",
        appointment.hospital_number or "",
    }


def shown_widgets(screen: QWidget) -> list[QWidget]:
    """The screen (it may be a single label) and every widget on it, where visible."""
    return [w for w in (screen, *screen.findChildren(QWidget)) if w.isVisible()]


def not_pseudo_localised(screen: QWidget, exempt: set[str]) -> list[str]:
    """Visible label and button texts with a word outside any pseudo-localised segment."""
    left = []
    for widget in shown_widgets(screen):
        if not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        text = widget.text().strip()
        if not WORD.search(text) or text in exempt:
            continue
        if widget.objectName().startswith("language_") and text == native_name(
            widget.objectName().removeprefix("language_")
        ):
            continue  # each language is named in itself, on purpose
        if all(part in exempt for part in text.split(", ")):
            continue  # a review answer of several chosen options
        if WORD.search(PSEUDO_SEGMENT.sub("", text)):
            left.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r}")
    return left


def nothing(*_args: object) -> None:
    return None


def anonymous_privacy() -> QWidget:
    return PrivacyScreen(nothing, nothing, nothing, anonymous=True)


def not_found(window: KioskWindow) -> None:
    screen = CheckInScreen(nothing, nothing)
    window._replace_page(screen)
    screen.not_found(2)


def hand_over_problem(window: KioskWindow) -> None:
    screen = HandOverScreen(nothing, nothing)
    window._replace_page(screen)
    screen.show_problem(LinkError("check_digit", "wrong check digit"))


# Beyond the screenshot scenes: messages and the other privacy text.
EXTRA_SCENES = (
    TOOL.Scene("privacy-anonymous", TOOL.page(anonymous_privacy)),
    TOOL.Scene("check-in-not-found", not_found),
    TOOL.Scene("hand-over-problem", hand_over_problem),
    TOOL.Scene("not-enrolled", lambda window: window.attract.set_waiting(False, enrolled=False)),
    TOOL.Scene("failure", lambda window: window.setCurrentWidget(window.failure)),
)  # fmt: skip
SCENES = (*TOOL.SCENES, *EXTRA_SCENES)


@pytest.fixture
def pseudo_window(
    qtbot: Any, store: TabletStore, library: FormLibrary, restore_english: list[Translations]
) -> Iterator[KioskWindow]:
    translations = Translations(pseudo_locale=True)
    restore_english.append(translations)
    window = KioskWindow(
        store,
        library,
        TOOL.PATHWAY,
        {},
        Background(),
        StaffPin(store),
        link="self_check_in",
        translations=translations,
    )
    qtbot.addWidget(window)
    window.resize(*TOOL.SIZE)
    window.show()
    yield window
    window.reset(None)
    TOOL.settle(window)


@pytest.fixture(scope="module")
def exempt(library: FormLibrary) -> set[str]:
    return form_texts(library, TOOL.PATHWAY) | clinic_list_texts(TOOL.NOBODY)


def show(window: KioskWindow, scene: Any) -> QWidget:
    window.reset(None)
    TOOL.settle(window)
    scene.show(window)
    TOOL.settle(window)
    screen = window.currentWidget()
    assert screen is not None
    return screen


@pytest.mark.parametrize("scene", SCENES, ids=lambda scene: scene.name)
def test_every_word_on_every_screen_goes_through_tr(
    pseudo_window: KioskWindow, exempt: set[str], scene: Any
) -> None:
    screen = show(pseudo_window, scene)
    assert not_pseudo_localised(screen, exempt) == []
    # The walk really ran pseudo-localised (an empty screen would prove nothing).
    shown = [w.text() for w in shown_widgets(screen) if isinstance(w, (QLabel, QAbstractButton))]
    assert any(PSEUDO_SEGMENT.search(text) for text in shown), shown


def test_form_text_and_language_names_are_left_alone(
    pseudo_window: KioskWindow, exempt: set[str]
) -> None:
    screen = show(pseudo_window, TOOL.scene("question-single_choice"))
    question = screen.findChild(QLabel, "question")
    assert question.text() in exempt and not PSEUDO_SEGMENT.search(question.text())
    languages = show(pseudo_window, TOOL.scene("language"))
    assert languages.findChild(QAbstractButton, "language_cy").text() == "Cymraeg"


def test_a_label_that_skips_tr_is_caught(pseudo_window: KioskWindow, exempt: set[str]) -> None:
    screen = show(pseudo_window, TOOL.scene("attract"))
    forgotten = QLabel("Words nobody marked for translation")
    forgotten.setObjectName("forgotten")
    screen.layout().addWidget(forgotten)
    QApplication.processEvents()
    assert not_pseudo_localised(screen, exempt) == [
        "QLabel 'forgotten': 'Words nobody marked for translation'"
    ]


def test_form_words_mixed_with_english_are_caught(
    pseudo_window: KioskWindow, exempt: set[str]
) -> None:
    screen = show(pseudo_window, TOOL.scene("question-yes_no"))
    title = screen.findChild(QLabel, "form_title").text()
    assert title in exempt
    screen.layout().addWidget(big_button(f"{title}: tap to change", "mixed"))
    QApplication.processEvents()
    assert not_pseudo_localised(screen, exempt) == [
        f"TouchButton 'mixed': {title + ': tap to change'!r}"
    ]
