"""Every language's text is drawn from the kiosk's bundled fonts, and fits.

The window is walked through every screen a patient meets (language, privacy,
each question of the cardiology pathway, review, the language choice again, the
time-out warning, thank-you, check-in and "see reception") in each shipped
language. Each character of every visible label and button must be in the
character map of a bundled font (read with fontTools from resources/fonts, so
no font of the test machine can stand in), and Qt must take it from one of the
bundled families the theme names for that widget, never from the system's
fallback, which on a tablet without those fonts draws empty boxes.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QRawFont
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.engine import FormLibrary
from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.schema import Item
from kiosk.exchange.clinic_list import Appointment
from kiosk.store import StaffPin, TabletStore
from kiosk.ui import theme
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import CheckInScreen, FoundScreen, SeeReceptionScreen
from kiosk.ui.screens import QuestionScreen, ReviewScreen
from kiosk.ui.translations import DEFAULT_FOLDER, SOURCE_LANGUAGE, Translations
from tests.ui.settling import settle

pytestmark = pytest.mark.i18n

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [
    SOURCE_LANGUAGE,
    *sorted(p.stem.removeprefix("kiosk_") for p in DEFAULT_FOLDER.glob("kiosk_*.qm")),
]
# Letters each language needs that a Latin-only font could lack.
SAMPLE_LETTERS = {"cy": "ŵŷâêîôû", "pl": "ąęłżśćńóź"}


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# The same clipping check as every screen at every text size (tests/ui/test_layout.py).
clipped: Callable[[QWidget], list[str]] = _load(
    "kiosk_layout_checks", ROOT / "tests" / "ui" / "test_layout.py"
).clipped


# ---------------------------------------------------------------- the bundled fonts
@cache
def cmaps() -> dict[str, set[int]]:
    """Bundled family -> the code points its regular and bold files both have."""
    found: dict[str, set[int]] = {}
    for name in theme.FONT_FILES:
        with TTFont(theme.FONT_DIR / name) as font:
            family = font["name"].getBestFamilyName()
            points = set(font.getBestCmap())
        found[family] = found[family] & points if family in found else points
    return found


def drawn(text: str) -> list[str]:
    """The characters that need a glyph (not spaces, line breaks or direction marks)."""
    return [ch for ch in text if unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf")]


@cache
def raw(family: str) -> QRawFont:
    return QRawFont.fromFont(QFont(family))


def glyph_problems(widget: QWidget, text: str) -> list[str]:
    """Characters of ``text`` that the widget's font would not take from a bundled font."""
    families = widget.font().families() or [widget.font().family()]
    unknown = [f for f in families if f not in cmaps()]
    if unknown:
        return [f"names fonts that are not bundled: {unknown}"]
    primary = QRawFont.fromFont(widget.font()).familyName()
    if primary not in cmaps():
        return [f"resolves to the system's {primary!r}, not a bundled font"]
    problems = []
    for ch in sorted(set(drawn(text))):
        in_files = [f for f in families if ord(ch) in cmaps()[f]]
        in_qt = [
            f for f in families if raw(f).familyName() == f and raw(f).supportsCharacter(ord(ch))
        ]
        if not in_files or not in_qt:
            problems.append(f"{ch!r} (U+{ord(ch):04X}) is in none of {families}")
    return problems


# ---------------------------------------------------------------- walking the kiosk
@pytest.fixture
def translations(qapp: Any) -> Iterator[Translations]:
    loaded = Translations(pseudo_locale=False)
    yield loaded
    loaded.use(SOURCE_LANGUAGE)


@pytest.fixture
def kiosk(
    qtbot: Any, store: TabletStore, library: FormLibrary, translations: Translations
) -> Iterator[KioskWindow]:
    window = KioskWindow(
        store, library, "cardiology", {}, Background(), StaffPin(store),
        translations=translations, draft_translations=True,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    window.reset(None)
    window.background.wait()


def every_screen_value(item: Item) -> Any:
    """An answer that brings in every question skip logic can add ("yes", "other")."""
    codes = [code for code in option_codes(item) if code != PREFER_NOT]
    if item.type == "yes_no":
        return "yes"
    if item.type == "multi_choice":
        return ["other"] if "other" in codes else codes[:1]
    return None


APPOINTMENT = Appointment(
    "A-1", "09:30", "Cardiology outpatients", "Sample", "Sam", dt.date(1950, 3, 3),
    "9434765919", "RX1-000123",
)  # fmt: skip


def nothing(*_args: object) -> None:
    return None


def walk(qtbot: Any, window: KioskWindow, code: str, check: Callable[[str], None]) -> set[str]:
    """Show every patient screen in ``code``, calling ``check(name)`` on each; the item ids met."""
    window.start()
    settle(qtbot, window)
    check("language")
    window.choose_language(code)
    assert window.language == code
    check("privacy")
    window.begin()
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    met: set[str] = set()
    while isinstance(screen := window.currentWidget(), QuestionScreen):
        assert window.flow is not None
        met.add(screen.step.item_id)
        settle(qtbot, window)
        check(f"question {screen.step.item_id}")
        window.answer(every_screen_value(window.flow.item(screen.step)))
        qtbot.waitUntil(lambda s=screen: window.currentWidget() is not s)
    assert isinstance(window.currentWidget(), ReviewScreen)
    check("review")
    window.ask_language()
    check("language, part-way")
    window.change_language(code)
    settle(qtbot, window)
    window.warn()
    check("time-out warning")
    window.still_here()
    window.submit()
    settle(qtbot, window)
    check("thank you")
    for name, build in (
        ("check-in", lambda: CheckInScreen(nothing, nothing)),
        ("appointment found", lambda: FoundScreen(APPOINTMENT, nothing, nothing)),
        ("see reception", lambda: SeeReceptionScreen(nothing)),
    ):
        window._replace_page(build())
        check(name)
    window.setCurrentWidget(window.failure)
    check("failure")
    return met


def texts(screen: QWidget) -> Iterator[tuple[QWidget, str]]:
    for widget in (screen, *screen.findChildren(QWidget)):
        if widget.isVisible() and isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
            yield widget, widget.text()


# ---------------------------------------------------------------- the tests
def test_the_theme_names_every_bundled_family_the_scripts_own_first(qapp: Any) -> None:
    assert set(theme.FONT_FAMILIES) == set(cmaps())
    assert theme.load_fonts()
    for code, first in [("en", "Andika"), ("cy", "Andika"), ("pl", "Andika"),
                        ("ur", "Noto Naskh Arabic"), ("ar", "Noto Naskh Arabic"),
                        ("bn", "Noto Sans Bengali")]:  # fmt: skip
        families = theme.font_families(code)
        assert families[0] == first and sorted(families) == sorted(theme.FONT_FAMILIES)
        assert f"font-family: {', '.join(map(repr, families))}".replace("'", '"') in (
            theme.stylesheet(language=code)
        )
    for code, letters in SAMPLE_LETTERS.items():
        assert all(ord(ch) in cmaps()["Andika"] for ch in letters), code


def test_the_check_finds_a_character_no_bundled_font_has(qapp: Any) -> None:
    label = QLabel("Tamil: தமிழ்")
    label.setFont(QFont(theme.font_families()))
    assert theme.load_fonts()
    problems = glyph_problems(label, label.text())
    assert problems and all("is in none of" in p for p in problems)
    assert glyph_problems(label, "Cymraeg: ŵ ŷ; اردو; বাংলা") == []
    system = QLabel("x")
    system.setFont(QFont(["DejaVu Sans", "Andika"]))
    assert glyph_problems(system, "x")


@pytest.mark.control("H-19-C5")
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_character_on_every_screen_comes_from_a_bundled_font(
    qtbot: Any, kiosk: KioskWindow, code: str
) -> None:
    problems: dict[str, list[str]] = {}
    seen = ""

    def check(name: str) -> None:
        nonlocal seen
        for widget, text in texts(kiosk.currentWidget()):
            seen += text
            found = glyph_problems(widget, text)
            if found:
                problems[f"{name}: {type(widget).__name__}#{widget.objectName()}"] = found

    met = walk(qtbot, kiosk, code, check)
    assert {"wants_help", "accessibility_other", "life_satisfaction"} <= met
    assert not problems, problems
    script = QLocale(code).script()
    if script != QLocale.Script.LatinScript:  # the walk really showed the language's script
        first = theme.font_families(code)[0]
        assert sum(ord(ch) in cmaps()[first] and ch.isalpha() and not ch.isascii()
                   for ch in seen) > 500  # fmt: skip
    if code in SAMPLE_LETTERS:  # the walk met the letters a Latin-only font might lack
        assert set(SAMPLE_LETTERS[code]) & set(seen), f"none of {SAMPLE_LETTERS[code]} shown"


@pytest.mark.control("H-19-C1")
@pytest.mark.parametrize("size", ["large", "extra_large"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_screen_fits_its_words_at_large_text(
    qtbot: Any, kiosk: KioskWindow, code: str, size: str
) -> None:
    kiosk.set_text_size(size)
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        settle(qtbot, kiosk)
        found = clipped(kiosk.currentWidget())
        if found:
            problems[name] = found

    walk(qtbot, kiosk, code, check)
    assert not problems, problems
