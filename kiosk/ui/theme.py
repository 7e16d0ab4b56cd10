"""The kiosk's look: a calm NHS-like theme and a high-contrast one, at three text sizes.

The Qt style sheets live in ``resources/theme``. They carry font-size placeholders
(``@TEXT@``, ``@QUESTION@``, ``@TITLE@``, ``@SMALL@``) that :func:`stylesheet` fills
in for the chosen text size. :func:`contrast_ratio` and :func:`color_pairs` let the
tests hold every colour the sheets declare to WCAG contrast.

Text is set in fonts bundled in ``resources/fonts``, so the kiosk looks the same
on every tablet (and the screenshots are comparable) whatever fonts the system
has: Andika for Latin script (its letters are hard to mistake for one another),
Noto Sans for anything else Latin, Greek or Cyrillic, Noto Naskh Arabic for Urdu
and Arabic, Noto Sans Bengali for Bengali. The style sheet names them all, the
patient's script first (:func:`font_families`); Qt takes each character from the
first family that has it, so no text depends on the tablet's own fonts.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.site import paths

log = logging.getLogger(__name__)

RESOURCES = paths.installed("resources")
THEME_DIR = RESOURCES / "theme"
STANDARD_SHEET = "kiosk.qss"
HIGH_CONTRAST_SHEET = "kiosk-high-contrast.qss"

FONT_DIR = RESOURCES / "fonts"
FONT_FAMILY = "Andika"  # the family the style sheets name; the others are added to it
FONT_FILES = (
    "Andika-Regular.ttf",
    "Andika-Bold.ttf",
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
)
# Every bundled family, in the order Qt tries them for a character: Andika's
# plain letters first, Noto Sans for the Latin, Greek and Cyrillic Andika lacks.
FONT_FAMILIES = ("Andika", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Bengali")
# A script whose own font must lead, so that its digits, punctuation and line
# height come from the same design as its letters.
SCRIPT_FAMILIES = {
    QLocale.Script.ArabicScript: "Noto Naskh Arabic",  # Urdu, Arabic (and Persian, Pashto)
    QLocale.Script.BanglaScript: "Noto Sans Bengali",
}

TEXT_SIZES = {"normal": 20, "large": 26, "extra_large": 32}  # px, body text


def font_sizes(text_size: str) -> dict[str, int]:
    """Placeholder -> pixel size for one text size."""
    try:
        text = TEXT_SIZES[text_size]
    except KeyError:
        raise ValueError(
            f"unknown text size {text_size!r}; choose one of {', '.join(TEXT_SIZES)}"
        ) from None
    return {
        "@TEXT@": text,
        "@QUESTION@": round(text * 1.2),
        "@TITLE@": round(text * 1.5),
        "@SMALL@": max(18, round(text * 0.9)),
    }


def sheet_path(high_contrast: bool) -> Path:
    return THEME_DIR / (HIGH_CONTRAST_SHEET if high_contrast else STANDARD_SHEET)


def font_families(language: str = "en") -> list[str]:
    """The bundled families for text in ``language``: its script's font first, then the rest.

    Every family is listed whatever the language, because a screen mixes scripts
    (the language screen names each language in itself; a Welsh answer may hold an
    English word)."""
    first = SCRIPT_FAMILIES.get(QLocale(language).script())
    if first is None:
        return list(FONT_FAMILIES)
    return [first, *(family for family in FONT_FAMILIES if family != first)]


def stylesheet(high_contrast: bool = False, text_size: str = "normal", language: str = "en") -> str:
    """The style sheet for a theme, text size and language, placeholders filled in."""
    sizes = font_sizes(text_size)
    qss = sheet_path(high_contrast).read_text(encoding="utf-8")
    for placeholder, px in sizes.items():
        qss = qss.replace(placeholder, str(px))
    families = ", ".join(f'"{family}"' for family in font_families(language))
    return qss.replace(f'font-family: "{FONT_FAMILY}"', f"font-family: {families}")


def apply_theme(
    app_or_widget: QApplication | QWidget,
    high_contrast: bool = False,
    text_size: str = "normal",
    language: str = "en",
) -> None:
    """Style a whole application, or one window and its children."""
    load_fonts()
    app_or_widget.setStyleSheet(stylesheet(high_contrast, text_size, language))


# ---------------------------------------------------------------- font

_font_ids: dict[str, int] = {}
_reported: set[str] = set()


def load_fonts() -> bool:
    """Register the bundled fonts with Qt, once; True if every face is available.

    A missing or unreadable file is logged (once) and otherwise ignored: Qt then
    draws with the system's sans-serif, which is a worse look but not a broken kiosk.
    Needs a QGuiApplication; without one nothing is registered and this says False.
    """
    if QGuiApplication.instance() is None:
        return False
    _steady_rendering()
    ok = True
    for name in FONT_FILES:
        font_id = _font_ids.get(name)
        # Qt forgets application fonts when the QApplication goes (a new one starts
        # with none), so a cached id is trusted only while it still names a family.
        if font_id is not None and QFontDatabase.applicationFontFamilies(font_id):
            continue
        _font_ids.pop(name, None)
        path = FONT_DIR / name
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id == -1:
            ok = False
            if name not in _reported:
                _reported.add(name)
                log.warning("cannot load the font %s; using the system font instead", path)
            continue
        _font_ids[name] = font_id
    return ok


def _steady_rendering() -> None:
    """Fix the glyph rendering choices that Qt otherwise takes from each machine's fontconfig.

    Light (vertical-only) hinting is what Debian's fontconfig gives by default;
    greyscale rather than sub-pixel smoothing also stays right on a tablet that is
    turned to portrait. Only the application font's rendering hints are set: the
    family and sizes come from the style sheet.
    """
    font = QGuiApplication.font()
    if (
        font.hintingPreference() == QFont.HintingPreference.PreferVerticalHinting
        and font.styleStrategy() & QFont.StyleStrategy.NoSubpixelAntialias
    ):
        return
    font.setHintingPreference(QFont.HintingPreference.PreferVerticalHinting)
    font.setStyleStrategy(font.styleStrategy() | QFont.StyleStrategy.NoSubpixelAntialias)
    QGuiApplication.setFont(font)


# ---------------------------------------------------------------- contrast

_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _channels(hex_colour: str) -> tuple[float, float, float]:
    digits = hex_colour.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6 or not re.fullmatch(r"[0-9a-fA-F]{6}", digits):
        raise ValueError(f"not a #RGB or #RRGGBB colour: {hex_colour!r}")
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg_hex: str, bg_hex: str) -> float:
    """WCAG 2 contrast ratio, from 1.0 to 21.0 (order of the colours does not matter)."""
    lighter, darker = sorted((relative_luminance(fg_hex), relative_luminance(bg_hex)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# ---------------------------------------------------------------- parsing

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_BORDERS = (
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "outline",
    "outline-color",
)


def rules(qss: str) -> list[tuple[str, dict[str, str]]]:
    """(selector list, declarations) for each rule, comments removed."""
    found = []
    for selector, body in _RULE.findall(_COMMENT.sub("", qss)):
        declarations: dict[str, str] = {}
        for part in body.split(";"):
            name, sep, value = part.partition(":")
            if sep:
                declarations[name.strip().lower()] = value.strip()
        found.append((" ".join(selector.split()), declarations))
    return found


def _colour(value: str | None) -> str | None:
    if value is None:
        return None
    match = _HEX.search(value)
    return match.group(0).upper() if match else None


def _background(declarations: dict[str, str]) -> str | None:
    return _colour(declarations.get("background-color") or declarations.get("background"))


def _page(parsed: list[tuple[str, dict[str, str]]]) -> tuple[str, str]:
    """The base text colour and background, from the ``QWidget`` (or ``*``) rule."""
    for selector, declarations in parsed:
        names = {s.strip() for s in selector.split(",")}
        fg, bg = _colour(declarations.get("color")), _background(declarations)
        if names & {"QWidget", "*"} and fg and bg:
            return fg, bg
    raise ValueError("the style sheet has no QWidget rule with both color and background")


def color_pairs(qss: str) -> list[tuple[str, str, str]]:
    """Every (selector, text colour, background colour) pair a style sheet declares.

    A rule that sets only one of the two is paired with the page's other colour
    (the ``QWidget`` rule), which is what it inherits. Sub-controls (``::handle``)
    show no text and are left out. Selection colours make a pair of their own.
    """
    parsed = rules(qss)
    page_fg, page_bg = _page(parsed)
    pairs: list[tuple[str, str, str]] = []
    for selector, declarations in parsed:
        fg, bg = _colour(declarations.get("color")), _background(declarations)
        if (fg or bg) and "::" not in selector:
            pairs.append((selector, fg or page_fg, bg or page_bg))
        sel_fg = _colour(declarations.get("selection-color"))
        sel_bg = _colour(declarations.get("selection-background-color"))
        if sel_fg or sel_bg:
            pairs.append((f"{selector} (selection)", sel_fg or page_fg, sel_bg or page_bg))
    return pairs


def border_colours(qss: str) -> list[tuple[str, str, str]]:
    """Every (selector, visible border colour, page background) a style sheet declares."""
    parsed = rules(qss)
    _, page_bg = _page(parsed)
    found: list[tuple[str, str, str]] = []
    for selector, declarations in parsed:
        for name in _BORDERS:
            value = declarations.get(name)
            colour = _colour(value)
            if value is None or colour is None:
                continue
            if {"0", "0px", "none"} & set(value.lower().split()):
                continue  # no border drawn
            found.append((f"{selector} {{{name}}}", colour, page_bg))
    return found
