"""The patient's take-away sheet, "What matters to me".

Printed for the patient to keep, so it may be left on a chair: it carries no
name, no NHS or hospital number, no clinic, no flags and no scores. It shows
what they wrote in their own words, the NHS "It's okay to ask" questions (the
ones they chose marked), what to do after the appointment, and room for notes.

The fixed words come from ``sheet_text`` in the patient's language (English
where there is none); right-to-left languages are set right to left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    HRFlowable,
    KeepTogether,
    Spacer,
)

from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.pages import PAGE_HEIGHT, PAGE_WIDTH, PageNumber, PageSetup, a4_pdf, style
from kiosk.reports.sheet_text import ASK_KEYS, KEYS, SheetLanguage, sheet_language, text
from kiosk.reports.textflow import text_flowable

# The patient's own words are headed in the sheet's language by the sheet text
# "q_" + the item's id, shown in the order of those keys; an answer the sheet has no
# heading for comes after them, under its question as the clinic words it.
ANSWER_HEADINGS = tuple(key for key in KEYS if key.startswith("q_"))

# How the kiosk's what_matters form and the NHS leaflet word each question
# (and the form's option codes), so the sheet can mark the ones chosen.
_ASK_WORDINGS = {
    "options": "ask_options",
    "what are my options?": "ask_options",
    "benefits_risks": "ask_benefits_risks",
    "what are the good and bad points of each option for me?": "ask_benefits_risks",
    "what are the benefits and risks of each option for me?": "ask_benefits_risks",
    "what_next": "ask_what_next",
    "what happens next?": "ask_what_next",
    "who_to_contact": "ask_who_to_contact",
    "who can i contact if i have questions after i leave?": "ask_who_to_contact",
    "who do i contact if i have questions after i leave?": "ask_who_to_contact",
    "more_information": "ask_more_information",
    "where can i find out more?": "ask_more_information",
    "where can i go to get more information?": "ask_more_information",
}


@dataclass(frozen=True)
class _Sizes:
    body: float
    title: float
    heading: float
    space: float  # after a paragraph
    margin: float
    note_lines: int


NORMAL = _Sizes(body=12, title=20, heading=15, space=5, margin=20 * mm, note_lines=4)
LARGE = _Sizes(body=16, title=26, heading=20, space=9, margin=16 * mm, note_lines=3)


def _styles(sizes: _Sizes) -> dict[str, ParagraphStyle]:
    body, leading, space = sizes.body, sizes.body * 1.35, sizes.space
    return {
        "body": style("body", body, leading, spaceAfter=space),
        "words": style("words", body, leading, spaceAfter=space * 1.6),
        "title": style("title", sizes.title, sizes.title * 1.25, bold=True, spaceAfter=space),
        "heading": style(
            "heading",
            sizes.heading,
            sizes.heading * 1.3,
            bold=True,
            spaceBefore=space * 2,
            spaceAfter=space,
            keepWithNext=1,
        ),
        "label": style("label", body, leading, bold=True, spaceAfter=1),
        "footer": style("footer", body, body * 1.2, textColor=colors.HexColor("#333333")),
    }


def takeaway_pdf(
    summary: dict[str, Any], *, language: str = "en", large_print: bool = False
) -> bytes:
    """The patient's take-away sheet as PDF bytes.

    ``language`` picks the sheet's fixed words (English where we have none);
    ``large_print`` sets body text at 16pt instead of 12pt, with more space.
    """
    register_fonts()
    sheet = sheet_language(language)
    sizes = LARGE if large_print else NORMAL
    styles = _styles(sizes)
    words = _Words(sheet, styles)
    story: list[Flowable] = [words("title", "title"), words("intro", "body")]
    story += _my_words(summary, words, styles)
    story += _questions(summary, words, styles)
    story += [words("h_after", "heading")]
    story += [
        words(key, "body", bullet=True)
        for key in ("after_change_mind", "after_ask_more", "after_explain")
    ]
    story += _notes(words, sizes)

    footer = words("footer", "footer")

    def on_page(canvas: Canvas) -> None:
        _, height = footer.wrapOn(canvas, PAGE_WIDTH - 2 * sizes.margin - 30 * mm, PAGE_HEIGHT)
        x = sizes.margin + (30 * mm if sheet.direction == "rtl" else 0)
        footer.drawOn(canvas, x, sizes.margin - height - 2 * mm)

    # "1 / 2" under the last line, on the side the text starts from; none on one page.
    rtl = sheet.direction == "rtl"
    page_number = PageNumber(
        LATIN.regular,
        sizes.body,
        sizes.margin if rtl else PAGE_WIDTH - sizes.margin,
        sizes.margin - sizes.body - 2 * mm,
        align="left" if rtl else "right",
        words="{page} / {pages}",
        from_pages=2,
    )
    page = PageSetup(
        title=sheet.text.get("title", "What matters to me"),
        lang=sheet.code,
        side=sizes.margin,
        top=sizes.margin,
        bottom=sizes.margin + sizes.body * 2,
        name="sheet",
    )
    return a4_pdf(story, page, on_page=on_page, page_number=page_number)


class _Words:
    """Fixed sheet text as flowables, each in the direction of the language it is in."""

    def __init__(self, sheet: SheetLanguage, styles: dict[str, ParagraphStyle]) -> None:
        self.sheet = sheet
        self.styles = styles

    def __call__(
        self, key: str, style: str, *, bold: bool = False, bullet: bool = False
    ) -> Flowable:
        words, language = text(self.sheet, key)
        if bullet:
            words = f"• {words}"
        return text_flowable(words, self.styles[style], bold=bold, direction=language.direction)

    def raw(self, key: str) -> str:
        return text(self.sheet, key)[0]


def _my_words(
    summary: dict[str, Any], words: _Words, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    out: list[Flowable] = [words("h_my_words", "heading")]
    entries = [e for e in summary.get("what_matters") or [] if str(e.get("answer") or "").strip()]
    order = list(ANSWER_HEADINGS)
    entries.sort(key=lambda e: order.index(key) if (key := _heading(e)) else len(order))
    if not entries:
        out.append(words("no_answers", "body"))
        return out
    for entry in entries:
        key = _heading(entry)
        heading = (
            words(key, "label")
            if key
            else text_flowable(str(entry.get("question") or ""), styles["label"], bold=True)
        )
        # The patient's own words, as typed: their direction comes from the text itself.
        answer = text_flowable(str(entry["answer"]), styles["words"], direction=None)
        out.append(KeepTogether([heading, answer]))
    return out


def _heading(entry: dict[str, Any]) -> str | None:
    """The sheet text heading an own-words answer, if the sheet has one for it."""
    key = f"q_{entry.get('item_id')}"
    return key if key in ANSWER_HEADINGS else None


def _questions(
    summary: dict[str, Any], words: _Words, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    chosen: set[str] = set()
    others: list[str] = []
    for question in summary.get("questions_to_ask") or []:
        key = _ASK_WORDINGS.get(str(question).strip().lower())
        if key:
            chosen.add(key)
        elif str(question).strip():
            others.append(str(question))
    out: list[Flowable] = [words("h_questions", "heading"), words("questions_intro", "body")]
    for key in ASK_KEYS:
        if key in chosen:
            out.append(
                KeepTogether([words(key, "label", bold=True, bullet=True), words("chosen", "body")])
            )
        else:
            out.append(words(key, "body", bullet=True))
    for question in others:
        out.append(
            KeepTogether(
                [
                    text_flowable(f"• {question}", styles["label"], bold=True),
                    words("chosen", "body"),
                ]
            )
        )
    return out


def _notes(words: _Words, sizes: _Sizes) -> list[Flowable]:
    lines: list[Flowable] = [words("h_notes", "heading")]
    for _ in range(sizes.note_lines):
        lines.append(Spacer(0, sizes.body * 1.8))
        lines.append(HRFlowable(width="100%", thickness=0.6, color=colors.HexColor("#888888")))
    return [KeepTogether(lines)]
