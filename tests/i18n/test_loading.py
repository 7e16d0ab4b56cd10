"""Each language's compiled file loads and puts its own words on the screens."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.ui.linking_screens import CheckInScreen
from kiosk.ui.screens import ThanksScreen
from kiosk.ui.translations import DEFAULT_FOLDER, SOURCE_LANGUAGE, Translations

pytestmark = pytest.mark.i18n

LANGUAGES = sorted(p.stem.removeprefix("kiosk_") for p in DEFAULT_FOLDER.glob("kiosk_*.ts"))


def translation(code: str, context: str, source: str) -> str:
    root = ET.parse(Path(DEFAULT_FOLDER) / f"kiosk_{code}.ts").getroot()
    for found in root.iter("context"):
        if found.findtext("name") == context:
            for message in found.iter("message"):
                if message.findtext("source") == source:
                    return message.findtext("translation") or ""
    raise LookupError(f"kiosk_{code}.ts has no {source!r} in {context}")


def nothing(*_args: object) -> None:
    return None


@pytest.fixture
def translations(qapp: object) -> object:
    loaded = Translations(pseudo_locale=False)
    yield loaded
    loaded.use(SOURCE_LANGUAGE)


def test_every_shipped_language_is_available(translations: Translations) -> None:
    assert set(LANGUAGES) | {SOURCE_LANGUAGE} == translations.available()


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_language_puts_its_own_words_on_the_screens(
    qtbot: object, translations: Translations, code: str
) -> None:
    assert translations.use(code)
    assert translations.current == code
    screen = CheckInScreen(nothing, nothing)
    qtbot.addWidget(screen)  # type: ignore[attr-defined]
    shown = screen.findChild(QPushButton, "next").text()
    assert shown != "Next"
    assert shown == translation(code, "CheckInScreen", "Next")
    thanks = ThanksScreen(False, nothing)
    qtbot.addWidget(thanks)  # type: ignore[attr-defined]
    assert thanks.done.text() == translation(code, "ThanksScreen", "Finish")


def test_english_comes_back_after_another_language(
    qtbot: object, translations: Translations
) -> None:
    translations.use(LANGUAGES[0])
    translations.use(SOURCE_LANGUAGE)
    screen = CheckInScreen(nothing, nothing)
    qtbot.addWidget(screen)  # type: ignore[attr-defined]
    assert screen.findChild(QPushButton, "next").text() == "Next"
