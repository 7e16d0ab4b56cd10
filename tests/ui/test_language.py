"""Language choice: each language named in itself; the screens and questions follow it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.engine import FormLibrary
from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey.journey import LANGUAGE_RECORD
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.language_screen import LanguageScreen
from kiosk.ui.screens import QuestionScreen
from kiosk.ui.translations import Translations

pytestmark = pytest.mark.ui

FORM = """\
format: 1
id: visit
version: "1.0"
title: {en: Your visit, cy: Eich ymweliad, ur: آپ کا دورہ}
source: {name: Test form}
licence: {name: Test licence, site_licence_required: false}
languages: {en: validated, cy: validated, ur: {ur_status}}
items:
  - id: travel
    type: single_choice
    text: {en: How did you travel here?, cy: Sut daethoch chi yma?, ur: آپ یہاں کیسے آئے؟}
    options:
      - {code: car, text: {en: By car, cy: Mewn car, ur: گاڑی سے}}
      - {code: bus, text: {en: By bus, cy: Ar y bws, ur: بس سے}}
"""
PATHWAYS = "format: 1\npathways:\n  - {id: visit, title: Visit, forms: [visit]}\n"
TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy_GB">
<context><name>PrivacyScreen</name>
<message><source>Your answers are private</source>
<translation>Mae eich atebion yn breifat</translation></message>
</context>
</TS>
"""


def lrelease() -> str:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    found = str(beside) if beside.exists() else shutil.which("pyside6-lrelease")
    assert found, "pyside6-lrelease comes with PySide6; it should be installed"
    return found


@pytest.fixture
def translations(tmp_path: Path) -> Translations:
    folder = tmp_path / "i18n"
    folder.mkdir()
    (folder / "kiosk_cy.ts").write_text(TS, encoding="utf-8")
    subprocess.run(
        [lrelease(), str(folder / "kiosk_cy.ts"), "-qm", str(folder / "kiosk_cy.qm")],
        check=True,
        capture_output=True,
    )
    # This test's own Welsh words count as checked; the shipped ones are drafts.
    (folder / "status.toml").write_text('[languages]\ncy = "validated"\n', encoding="utf-8")
    return Translations(folder)


def library(tmp_path: Path, ur_status: str) -> FormLibrary:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "visit.yaml").write_text(FORM.replace("{ur_status}", ur_status), encoding="utf-8")
    (forms / "pathways.yaml").write_text(PATHWAYS, encoding="utf-8")
    return FormLibrary.load(forms)


@pytest.fixture
def window(qtbot, tmp_path: Path, store: TabletStore, translations: Translations):
    win = KioskWindow(
        store,
        library(tmp_path, "draft"),
        "visit",
        {},
        Background(),
        StaffPin(store),
        translations=translations,
    )
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.background.wait()
    translations.use("en")


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None and button.isVisible(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def texts(window: KioskWindow) -> list[str]:
    return [label.text() for label in window.currentWidget().findChildren(QLabel)]


@pytest.mark.control("H-06-C1")
def test_languages_are_named_in_themselves_and_drafts_are_not_offered(
    qtbot, window: KioskWindow
) -> None:
    tap(qtbot, window, "start")
    screen = window.currentWidget()
    assert isinstance(screen, LanguageScreen)
    names = {b.objectName(): b.text() for b in screen.findChildren(QPushButton)}
    # Urdu is only a draft in this form, and has no screen translation: not offered.
    assert names == {"language_en": "English", "language_cy": "Cymraeg"}
    assert all(b.accessibleName() for b in screen.findChildren(QPushButton))


@pytest.mark.control("H-05-C3")
def test_the_chosen_language_is_used_and_recorded_then_reset(
    qtbot, window: KioskWindow, store: TabletStore, clinic: ClinicKeyPair
) -> None:
    tap(qtbot, window, "start")
    tap(qtbot, window, "language_cy")
    assert "Mae eich atebion yn breifat" in texts(window)
    tap(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    assert "Sut daethoch chi yma?" in texts(window)
    assert window.currentWidget().findChild(QPushButton, "option_bus").text() == "Ar y bws"
    window.reset("abandoned")
    window.background.wait()
    [item] = store.pending()
    assert open_envelope(item.envelope, clinic.private).record(LANGUAGE_RECORD) == "cy"
    # The next patient starts in English.
    tap(qtbot, window, "start")
    tap(qtbot, window, "language_en")
    assert "Your answers are private" in texts(window)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_right_to_left_language_turns_the_screens_round(
    qtbot, tmp_path: Path, store: TabletStore, translations: Translations
) -> None:
    (translations.folder / "kiosk_ur.qm").write_bytes(
        (translations.folder / "kiosk_cy.qm").read_bytes()
    )
    (translations.folder / "status.toml").write_text(
        '[languages]\ncy = "validated"\nur = "validated"\n', encoding="utf-8"
    )
    window = KioskWindow(
        store,
        library(tmp_path, "validated"),
        "visit",
        {},
        Background(),
        StaffPin(store),
        translations=translations,
    )
    qtbot.addWidget(window)
    window.show()
    try:
        tap(qtbot, window, "start")
        assert window.currentWidget().findChild(QPushButton, "language_ur").text() == "اردو"
        tap(qtbot, window, "language_ur")
        assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
        window.reset(None)
        assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    finally:
        window.background.wait()
        translations.use("en")


@pytest.mark.control("H-06-C1")
def test_draft_screen_words_are_offered_only_when_the_clinic_allows_drafts(
    qtbot, tmp_path: Path, store: TabletStore, translations: Translations
) -> None:
    (translations.folder / "status.toml").write_text('[languages]\ncy = "draft"\n', "utf-8")
    assert translations.available(drafts=False) == {"en"}
    assert translations.available() == {"en", "cy"}
    forms = library(tmp_path, "validated")
    for drafts, offered in ((False, ["en"]), (True, ["en", "cy"])):
        win = KioskWindow(
            store,
            forms,
            "visit",
            {},
            Background(),
            StaffPin(store),
            translations=translations,
            draft_translations=drafts,
        )
        qtbot.addWidget(win)
        # The form's Welsh is validated here: only the screens' status decides.
        assert [c for c in win.languages if c != "ur"] == offered
        win.background.wait()
