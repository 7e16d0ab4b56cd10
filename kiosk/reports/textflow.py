"""Paragraphs of patient text in any bundled script, safe from markup.

``text_flowable`` is the one way the PDFs put text they did not write
themselves (patient answers, names, staff notes) on the page:

- plain Latin text becomes a reportlab ``Paragraph`` whose text is escaped, so
  "<b>", "&" or "<font>" typed by a patient appear literally;
- anything else (Arabic, Urdu, Bengali, a mixture, right-to-left) becomes a
  ``ScriptParagraph``, which never parses markup: it splits the text into runs
  by font, shapes Arabic-script and Bengali runs with HarfBuzz (through
  reportlab's ``shapeStr``), breaks lines itself and orders pieces right to
  left where needed (``bidi``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph  # type: ignore[import-untyped]

from kiosk.reports import bidi
from kiosk.reports.fonts import (
    FAMILIES,
    LATIN,
    Family,
    clean_text,
    is_plain_latin,
    register_fonts,
    shaping_available,
    split_runs,
)


def escape(text: str) -> str:
    """Text made safe for reportlab paragraph markup; line breaks kept."""
    return _xml_escape(clean_text(text)).replace("\n", "<br/>")


def text_flowable(
    text: str,
    style: ParagraphStyle,
    *,
    bold: bool = False,
    direction: str | None = None,
    label: str | None = None,
) -> Flowable:
    """A paragraph showing ``text`` exactly as typed, in the fonts it needs.

    ``direction`` is "ltr", "rtl" or None (from the first strong character).
    ``label`` is an optional bold English lead-in ("Owner:") before the text.
    """
    register_fonts()
    cleaned = clean_text(text)
    if direction != "rtl" and is_plain_latin(cleaned) and (label is None or is_plain_latin(label)):
        body = _xml_escape(cleaned).replace("\n", "<br/>")
        if bold:
            body = f"<b>{body}</b>"
        if label:
            body = f"<b>{_xml_escape(label)}</b> {body}"
        return _LatinParagraph(body, style)
    if label:
        return ScriptParagraph(cleaned, style, bold=bold, direction=direction or "ltr", label=label)
    return ScriptParagraph(cleaned, style, bold=bold, direction=direction)


class _LatinParagraph(Paragraph):  # type: ignore[misc]
    """reportlab's Paragraph, its lines broken once for each width it is offered.

    A table lays its cells out again each time it is measured or split, and balanced
    columns measure and split tables many times over at the same widths; breaking
    the same words into the same lines was most of what a summary spent its time on.
    (ScriptParagraph keeps its lines per width in the same way.)"""

    _broken_at: float | None = None
    _broken: Any = None  # the lines broken then; reportlab drops them to have them redone

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._broken_at and self.__dict__.get("blPara") is self._broken:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._broken_at = availWidth if width == availWidth else None
        self._broken = self.__dict__.get("blPara")
        return width, height


@dataclass
class _Piece:
    """A run in one font and direction: what is drawn, and how wide it is."""

    text: str  # logical order
    glyphs: str  # what is drawn (a reportlab ShapedStr after shaping)
    font: str | None  # None for whitespace
    kind: str  # L, R, AL, EN, AN or N
    width: float
    shaped: bool
    level: int = 0

    @property
    def is_space(self) -> bool:
        return self.font is None


def _shaped_width(glyphs: Any, font: str, size: float) -> float:
    data = getattr(glyphs, "__shapeData__", None)
    if data is None:
        return float(pdfmetrics.stringWidth(glyphs, font, size))
    return float(sum(d.x_advance for d in data)) * size / 1000


def _make_piece(text: str, family: Family, bold: bool, size: float) -> _Piece:
    font = family.name(bold)
    kind = bidi.piece_kind(text)
    if family.shaped and kind in bidi.STRONG_KINDS:
        if shaping_available():
            glyphs = ttfonts.shapeStr(text, font, size)
            return _Piece(text, glyphs, font, kind, _shaped_width(glyphs, font, size), True)
        if kind in ("R", "AL"):
            # Without HarfBuzz: letters in visual order, unjoined (never expected:
            # uharfbuzz is a dependency).
            glyphs = bidi.mirrored(text[::-1])
            return _Piece(
                text, glyphs, font, kind, pdfmetrics.stringWidth(glyphs, font, size), True
            )
    return _Piece(text, text, font, kind, float(pdfmetrics.stringWidth(text, font, size)), False)


def _word_pieces(word: str, bold: bool, size: float) -> list[_Piece]:
    pieces = []
    for run in split_runs(word):
        for part in bidi.directional_parts(run.text):
            pieces.append(_make_piece(part, run.family, bold, size))
    return pieces


def _split_long_word(word: str, bold: bool, size: float, width: float) -> list[list[_Piece]]:
    """A word wider than the line, cut into lines' worth of characters.

    Cuts fall between characters, never before a combining mark, virama or
    joiner, so accents stay on their letters.
    """
    chunks: list[list[_Piece]] = []
    start = 0
    while start < len(word):
        best = start
        for end in range(start + 1, len(word) + 1):
            if end < len(word) and _attaches(word[end]):
                continue
            pieces = _word_pieces(word[start:end], bold, size)
            if sum(p.width for p in pieces) > width and best > start:
                break
            best = end
        chunks.append(_word_pieces(word[start:best], bold, size))
        start = best
    return chunks


def _attaches(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d\u09cd"


@dataclass
class _Line:
    pieces: list[_Piece]  # left to right
    width: float


class ScriptParagraph(Flowable):  # type: ignore[misc]
    """A paragraph of plain text in any bundled script, left-to-right or right-to-left.

    It takes the font size, leading, colour, alignment and spacing of a
    ``ParagraphStyle``; the font comes from the text. Lines are at least as tall
    as the scripts in them need (Arabic script has tall letters and deep tails).
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        *,
        bold: bool = False,
        direction: str | None = None,
        label: str | None = None,
    ) -> None:
        super().__init__()
        register_fonts()
        self.text = clean_text(text)
        self.style = style
        # A bold style (headings) makes every script bold, not only Latin.
        self.bold = bold or style.fontName in {f.bold for f in FAMILIES}
        self.label = clean_text(label) if label else None
        self.rtl = (direction or bidi.base_direction(self.text)) == "rtl"
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._size = float(style.fontSize)
        families = {run.family for run in split_runs(self.text + (self.label or ""))} or {LATIN}
        self._line_height = max(
            float(style.leading), max(f.line_factor for f in families) * self._size
        )
        self._space = float(pdfmetrics.stringWidth(" ", LATIN.regular, self._size))
        self._lines: list[_Line] | None = None
        self._laid_out_for: float | None = None

    # ------------------------------------------------------------- layout
    def _hard_lines(self, width: float) -> list[list[_Piece]]:
        """Each typed line as pieces in logical order, spaces included, levels set."""
        result = []
        first = True
        for typed in self.text.split("\n"):
            pieces: list[_Piece] = []
            words: list[tuple[str, bool]] = [(w, self.bold) for w in typed.split(" ") if w]
            if first and self.label:
                words = [(w, True) for w in self.label.split(" ") if w] + words
            first = False
            for word, bold in words:
                if pieces:
                    pieces.append(_Piece(" ", " ", None, "N", self._space, False))
                word_pieces = _word_pieces(word, bold, self._size)
                if sum(p.width for p in word_pieces) <= width:
                    pieces.extend(word_pieces)
                    continue
                for i, chunk in enumerate(_split_long_word(word, bold, self._size, width)):
                    if i:
                        pieces.append(_Piece("", "", None, "N", 0.0, False))
                    pieces.extend(chunk)
            levels = bidi.resolve_levels([p.kind for p in pieces], self.rtl)
            for piece, level in zip(pieces, levels, strict=True):
                piece.level = level
                if level % 2 and not piece.shaped and piece.font and piece.kind == "N":
                    piece.glyphs = bidi.mirrored(piece.text)
            result.append(pieces)
        return result

    def _layout(self, width: float) -> list[_Line]:
        lines: list[_Line] = []
        for pieces in self._hard_lines(width):
            current: list[_Piece] = []
            current_width = 0.0
            pending: list[_Piece] = []  # spaces since the last word
            word: list[_Piece] = []

            def flush_word() -> None:
                nonlocal current, current_width, pending, word
                if not word:
                    return
                word_width = sum(p.width for p in word)
                space_width = sum(p.width for p in pending)
                if current and current_width + space_width + word_width > width:
                    lines.append(self._line(current))
                    current, current_width = [], 0.0
                elif current:
                    current.extend(pending)
                    current_width += space_width
                current.extend(word)
                current_width += word_width
                pending, word = [], []

            for piece in pieces:
                if piece.is_space:
                    flush_word()
                    pending.append(piece)
                else:
                    word.append(piece)
            flush_word()
            lines.append(self._line(current))
        return lines

    def _line(self, logical: list[_Piece]) -> _Line:
        order = bidi.visual_order([p.level for p in logical])
        pieces = [logical[i] for i in order]
        return _Line(pieces, sum(p.width for p in pieces))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._lines is None or self._laid_out_for != availWidth:
            self._lines = self._layout(max(availWidth, self._size))
            self._laid_out_for = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self._line_height if self.text or self.label else 0.0
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fit = int((availHeight + 1e-6) // self._line_height)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        return [self._part(self._lines[:fit], True), self._part(self._lines[fit:], False)]

    def _part(self, lines: list[_Line], first: bool) -> ScriptParagraph:
        part = ScriptParagraph.__new__(ScriptParagraph)
        part.__dict__.update(self.__dict__)
        part._lines = lines
        part.spaceBefore = self.spaceBefore if first else 0
        part.spaceAfter = 0 if first else self.spaceAfter
        return part

    # ------------------------------------------------------------- drawing
    def _x(self, line: _Line) -> float:
        alignment = self.style.alignment
        if alignment == TA_CENTER:
            return (self.width - line.width) / 2
        # Right-to-left paragraphs start at the right: "left" (the default) and
        # "justify" mean the right edge there, and "right" the left edge.
        at_right = alignment == TA_RIGHT
        if self.rtl:
            at_right = alignment != TA_RIGHT
        return self.width - line.width if at_right else 0.0

    def draw(self) -> None:
        assert self._lines is not None
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.style.textColor)
        top = self.height
        # The baseline sits so that tall letters and deep tails both fit the line.
        drop = self._line_height / 2 + self._size * 0.32
        for line in self._lines:
            x = self._x(line)
            for piece in line.pieces:
                if piece.font and piece.glyphs:
                    text = canvas.beginText(x, top - drop)
                    text.setFont(piece.font, self._size)
                    text.textOut(piece.glyphs)
                    canvas.drawText(text)
                x += piece.width
            top -= self._line_height
        canvas.restoreState()
