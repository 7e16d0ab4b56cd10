"""The bundled Noto fonts, and which of them draws each piece of text.

Every PDF is set in fonts that ship with the kiosk (``resources/fonts``), so a
document looks the same and has the same glyphs on every machine:

- Noto Sans: Latin (including Welsh ŵ ŷ and Polish ą ę ł ż), Greek, Cyrillic,
  digits and punctuation;
- Noto Naskh Arabic: Arabic and Urdu;
- Noto Sans Bengali: Bengali.

A patient may type words of one script into a sheet in another language, so the
font is chosen per run of text (``split_runs``), by looking each character up in
the fonts' character maps. A character that no bundled font has (an emoji, a
Chinese character) is drawn as ``REPLACEMENT`` ("?") rather than as an empty box
or a blank.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]

from kiosk.reports.errors import ReportError
from kiosk.site import paths

FONT_DIR = paths.installed("resources") / "fonts"
# Where reportlab numbers glyphs that have no character (the BMP private use area).
PRIVATE_USE = (0xE000, 0xF8FF)

# What is drawn for a character that no bundled font has.
REPLACEMENT = "?"


class FontError(ReportError):
    """A bundled font file is missing or unreadable (the installation is damaged)."""


@dataclass(frozen=True)
class Family:
    """One bundled typeface, Regular and Bold."""

    key: str
    regular: str  # the name registered with reportlab
    bold: str
    regular_file: str
    bold_file: str
    shaped: bool  # needs OpenType shaping (joining forms, conjuncts)
    line_factor: float  # line height as a multiple of the font size, at least

    def name(self, bold: bool = False) -> str:
        return self.bold if bold else self.regular


LATIN = Family(
    "latin", "NotoSans", "NotoSans-Bold", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", False, 1.2
)
ARABIC = Family(
    "arabic",
    "NotoNaskhArabic",
    "NotoNaskhArabic-Bold",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
    True,
    1.65,
)
BENGALI = Family(
    "bengali",
    "NotoSansBengali",
    "NotoSansBengali-Bold",
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    True,
    1.45,
)
# In order of preference for characters several fonts have (digits, punctuation).
FAMILIES: tuple[Family, ...] = (LATIN, ARABIC, BENGALI)

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled fonts with reportlab (once per process; thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for family in FAMILIES:
            for name, file in (
                (family.regular, family.regular_file),
                (family.bold, family.bold_file),
            ):
                path = FONT_DIR / file
                try:
                    font = ttfonts.TTFont(name, str(path))
                    if family.shaped and shaping_available():
                        _number_unnamed_glyphs(font)
                    pdfmetrics.registerFont(font)
                except Exception as error:  # reportlab raises several kinds
                    raise FontError(f"cannot load the bundled font {path}: {error}") from error
            # Lets <b> in paragraph markup pick the bold face (there is no italic).
            for face in (family.regular, family.bold):
                addMapping(face, 0, 0, face)
                addMapping(face, 0, 1, face)
                addMapping(face, 1, 0, family.bold)
                addMapping(face, 1, 1, family.bold)
        _registered = True


def _number_unnamed_glyphs(font: Any) -> None:
    """Give every glyph with no character of its own (joining forms, ligatures,
    conjuncts) its private-use code now, in glyph order. reportlab otherwise numbers
    them as shaping first meets them, process-wide, so a PDF's text would depend on
    which documents the process drew before it (an Arabic form, then an Urdu sheet)."""
    hb = font.hbFont(1000)  # also makes font.hbAddPrivate available
    named = font.face.glyphToChar
    for glyph in range(font.hbFace.glyph_count):
        if glyph not in named:
            font.hbAddPrivate(hb.glyph_to_string(glyph), glyph, hb.get_glyph_h_advance(glyph))


def shaping_available() -> bool:
    """True when reportlab can shape text: reportlab 4.4 or later, with uharfbuzz."""
    return getattr(ttfonts, "uharfbuzz", None) is not None and hasattr(ttfonts, "shapeStr")


@cache
def coverage(family: Family) -> frozenset[int]:
    """The code points both faces of a family have a glyph for."""
    register_fonts()
    regular = pdfmetrics.getFont(family.regular).face.charToGlyph
    bold = pdfmetrics.getFont(family.bold).face.charToGlyph
    return frozenset(
        c
        for c, glyph in regular.items()
        if glyph and bold.get(c) and not PRIVATE_USE[0] <= c <= PRIVATE_USE[1]
    )


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] == "L"


def family_for(char: str, current: Family | None = None) -> Family | None:
    """The family to draw a character in, or None when no bundled font has it.

    Letters go to the first family that has them. Everything else (marks,
    digits, punctuation, joiners) stays in the current run's family when that
    has it, so "درد،" or "(Cymraeg)" is one run.
    """
    code = ord(char)
    if current is not None and not _is_letter(char) and code in coverage(current):
        return current
    for family in FAMILIES:
        if code in coverage(family):
            return family
    return None


def clean_text(text: str) -> str:
    """Normalise patient text for printing.

    NFC; line breaks become "\\n", tabs become spaces; other control and
    formatting characters are dropped (bidirectional embedding controls are not
    supported); zero-width joiners are kept, because Bengali and Urdu spelling
    uses them; every other character no bundled font has becomes REPLACEMENT.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\r\u2028\u2029\x0b\x0c\x85":
            out.append("\n")
        elif char == "\t":
            out.append(" ")
        elif category == "Cc":
            continue
        elif category == "Cf":
            if char in "\u200c\u200d":
                out.append(char)
            continue
        elif category == "Zs":
            out.append(" " if char != "\u00a0" else char)
        elif family_for(char) is None:
            out.append(REPLACEMENT)
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn in one family."""

    text: str
    family: Family


def split_runs(text: str) -> list[Run]:
    """Split cleaned text into runs, each in a family that has all its characters.

    Characters no family has should have been replaced by ``clean_text``; any
    left are replaced here too.
    """
    runs: list[Run] = []
    current: Family | None = None
    buffer: list[str] = []
    for char in text:
        family = family_for(char, current)
        if family is None:
            char, family = REPLACEMENT, family_for(REPLACEMENT, current)
            assert family is not None
        if family is not current and buffer:
            assert current is not None
            runs.append(Run("".join(buffer), current))
            buffer = []
        current = family
        buffer.append(char)
    if buffer:
        assert current is not None
        runs.append(Run("".join(buffer), current))
    return runs


def is_plain_latin(text: str) -> bool:
    """True when cleaned text needs nothing but Noto Sans, left to right."""
    latin = coverage(LATIN)
    return all(ord(c) in latin and not is_rtl_char(c) for c in text if c not in "\n\u200c\u200d")


def is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")
