"""Blank paper forms: a pathway's questionnaires in one language, printed large.

For patients who cannot or will not use the tablet. The paper asks the same
items in the same order as the tablet, in the form files' own words (nothing is
reworded here), at 15 pt, with a tick box for each answer and that answer's
code printed small beside it, so whoever keys the form in at the staff console
types what the box says. Numbers, dates and the patient's own words get boxes
and writing lines. Each form ends with its licence credit, as the tablet shows
it. A form whose licence forbids copies (``proprietary``, such as a site's
PAM-13) is never printed: the sheet says it is answered on the tablet instead.
Forms that need a site licence are printed only when the library's caller says
the site has one (``licences``), exactly as the tablet refuses them otherwise.

The few words the paper adds itself (the header, "tick one box") come from
``paper_words`` in the form's language, English where it has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from kiosk.engine import Form, FormLibrary
from kiosk.engine.answers import PREFER_NOT, allows_prefer_not, option_codes
from kiosk.engine.errors import EngineError
from kiosk.engine.schema import Item
from kiosk.reports.errors import ReportError
from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.pages import (
    PAGE_HEIGHT,
    PageNumber,
    PageSetup,
    TableLook,
    a4_pdf,
    draw_stack,
    style,
    table,
)
from kiosk.reports.paper_words import PaperWords, paper_words
from kiosk.reports.textflow import text_flowable

BODY = 15.0  # large print: never below 14 pt for anything the patient reads
CODE = 8  # the option codes, for whoever keys the form in
MARGIN = 16 * mm
BOX = 7 * mm
INK = colors.black
GREY = colors.HexColor("#555555")


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick, big enough for a shaky pen."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return BOX, BOX

    def draw(self) -> None:
        self.canv.setLineWidth(1.2)
        self.canv.setStrokeColor(INK)
        self.canv.rect(0, 0, BOX, BOX)


class PaperFormError(ReportError):
    """A paper form that cannot be made: an unknown pathway, a language it lacks, a licence."""


@dataclass(frozen=True)
class PaperForm:
    """What one printed pathway holds: its forms in order, in one language."""

    pathway_id: str
    pathway_title: str
    language: str
    forms: tuple[Form, ...]
    withheld: tuple[Form, ...]  # proprietary forms: named, never printed


def paper_forms(
    library: FormLibrary, pathway_id: str, language: str, licences: Mapping[str, str]
) -> PaperForm:
    """The forms of ``pathway_id`` as the tablet would ask them, ready to print."""
    pathway = library.pathways.get(pathway_id)
    if pathway is None:
        known = ", ".join(sorted(library.pathways)) or "none"
        raise PaperFormError(f"no pathway '{pathway_id}' (known: {known})")
    try:
        forms = library.pathway_forms(pathway_id, licences)
    except EngineError as exc:
        raise PaperFormError(str(exc)) from None
    missing = [form.id for form in forms if language not in form.languages]
    if missing:
        raise PaperFormError(
            f"pathway '{pathway_id}' cannot be printed in '{language}': "
            f"{', '.join(missing)} has no '{language}' text"
        )
    printed = tuple(form for form in forms if not form.spec.licence.proprietary)
    withheld = tuple(form for form in forms if form.spec.licence.proprietary)
    return PaperForm(pathway.id, pathway.title, language, printed, withheld)


def offered_languages(
    library: FormLibrary, pathway_id: str, licences: Mapping[str, str], *, drafts: bool
) -> list[str]:
    """The languages the tablet offers for the pathway (drafts only when the clinic allows)."""
    try:
        return library.pathway_languages(pathway_id, licences, drafts=drafts)
    except EngineError as exc:
        raise PaperFormError(str(exc)) from None


def paper_form_pdf(paper: PaperForm) -> bytes:
    """The blank paper form as PDF bytes."""
    register_fonts()
    words = paper_words(paper.language)
    styles = _styles(words)
    content_width = 210 * mm - 2 * MARGIN
    story: list[Flowable] = []
    for index, form in enumerate(paper.forms):
        if index:
            story.append(CondPageBreak(90 * mm))
        story += _form(form, paper.language, words, styles, content_width)
    for form in paper.withheld:
        story.append(
            _words(
                words.text("withheld").format(title=form.spec.title.get(paper.language, form.id)),
                styles["note"],
                words,
            )
        )
    header = _header(paper, words, styles, content_width)
    footer = Paragraph(
        f"{paper.pathway_id} · {paper.language} · "
        + ", ".join(f"{form.id} {form.version}" for form in paper.forms),
        styles["footer"],
    )

    def on_page(canvas: Canvas) -> None:
        draw_stack(canvas, [header], MARGIN, PAGE_HEIGHT - MARGIN, content_width)
        draw_stack(canvas, [footer], MARGIN, MARGIN - 2 * mm, content_width * 0.7)

    page_number = PageNumber(
        LATIN.regular,
        14,
        210 * mm - MARGIN,
        MARGIN - 7 * mm,
        words=words.text("page") if words.latin else "{page} / {pages}",
    )
    setup = PageSetup(
        title=f"{paper.pathway_title} ({paper.language})",
        lang=paper.language,
        side=MARGIN,
        top=MARGIN + 22 * mm,
        bottom=MARGIN + 4 * mm,
        name="paper",
        subject="Blank paper questionnaire",
        initial_font=(LATIN.regular, BODY),
    )
    return a4_pdf(story, setup, on_page=on_page, page_number=page_number)


# ---------------------------------------------------------------- styles and words
def _styles(words: PaperWords) -> dict[str, ParagraphStyle]:
    return {
        "title": style("title", 22, 28, bold=True, spaceAfter=4),
        "lead": style("lead", BODY, BODY * 1.35, spaceAfter=8),
        "question": style("question", BODY, BODY * 1.35, bold=True, spaceBefore=10, spaceAfter=3),
        "body": style("body", BODY, BODY * 1.35, spaceAfter=2),
        "hint": style("hint", 14, 18, textColor=GREY, spaceAfter=3),
        "note": style("note", 14, 18, spaceBefore=8),
        "credit": style("credit", 14, 18, textColor=GREY, spaceBefore=10),
        "header": style("header", 14, 18),
        "code": style("code", CODE, CODE * 1.2, textColor=GREY),
        "number": style("number", 14, 17, alignment=TA_CENTER),
        "footer": style("footer", 8, 10, textColor=GREY),
        "form_ref": style("form_ref", CODE, CODE * 1.2, textColor=GREY, spaceAfter=4),
    }


def _words(text: str, style_: ParagraphStyle, words: PaperWords, *, bold: bool = False) -> Flowable:
    return text_flowable(text, style_, bold=bold, direction=words.direction)


def _header(
    paper: PaperForm, words: PaperWords, styles: dict[str, ParagraphStyle], width: float
) -> Flowable:
    """The blank name and appointment lines at the top of every page, and the pathway."""
    rows = [
        [
            _words(words.text("name"), styles["header"], words),
            "",
            _words(words.text("appointment"), styles["header"], words),
            "",
        ],
        [_words(paper.pathway_title, styles["header"], words, bold=True), "", "", ""],
    ]
    widths = [width * 0.14, width * 0.42, width * 0.2, width * 0.24]
    look = TableLook(lines="below", line_colour=colors.white, valign="BOTTOM", top=2, bottom=3)
    return table(
        rows,
        _ordered(widths, words),
        look,
        extra=[
            ("LINEBELOW", _cell(1, 0, words), _cell(1, 0, words), 0.8, INK),
            ("LINEBELOW", _cell(3, 0, words), _cell(3, 0, words), 0.8, INK),
            ("SPAN", _cell(0, 1, words), _cell(3, 1, words)),
        ],
    )


def _ordered(cells: Sequence[Any], words: PaperWords) -> list[Any]:
    """A row's cells in reading order: right to left where the language is."""
    return list(reversed(cells)) if words.direction == "rtl" else list(cells)


def _cell(column: int, row: int, words: PaperWords, columns: int = 4) -> tuple[int, int]:
    return (columns - 1 - column, row) if words.direction == "rtl" else (column, row)


# ---------------------------------------------------------------- a form
def _form(
    form: Form,
    language: str,
    words: PaperWords,
    styles: dict[str, ParagraphStyle],
    width: float,
) -> list[Flowable]:
    spec = form.spec
    out: list[Flowable] = [
        _words(spec.title[language], styles["title"], words, bold=True),
        Paragraph(f"{form.id} {form.version}", styles["form_ref"]),
    ]
    if spec.description:
        out.append(_words(spec.description[language], styles["lead"], words))
    number = 0
    for item in spec.items:
        if item.type == "info":
            out.append(_words(form.text(item.id, language), styles["lead"], words))
            continue
        number += 1
        out.append(KeepTogether(_item(form, item, number, language, words, styles, width)))
    if spec.licence.attribution:
        out.append(_words(spec.licence.attribution, styles["credit"], words))
    return out


def _item(
    form: Form,
    item: Item,
    number: int,
    language: str,
    words: PaperWords,
    styles: dict[str, ParagraphStyle],
    width: float,
) -> list[Flowable]:
    question = f"{number}. {form.text(item.id, language)}"
    out: list[Flowable] = [_words(question, styles["question"], words, bold=True)]
    if item.help:
        out.append(_words(item.help[language], styles["hint"], words))
    if item.enable_when:
        out.append(_words(words.text("only_some"), styles["hint"], words))
    if item.type in ("single_choice", "yes_no"):
        out.append(_words(words.text("tick_one"), styles["hint"], words))
        out.append(_choices(form, item, language, words, styles, width))
    elif item.type == "multi_choice":
        out.append(_words(words.text("tick_any"), styles["hint"], words))
        out.append(_choices(form, item, language, words, styles, width))
    elif item.type == "scale":
        out.append(_words(words.text("tick_one"), styles["hint"], words))
        out += _scale(form, item, language, words, styles, width)
    elif item.type in ("integer", "postcode"):
        out.append(_boxes(8 if item.type == "postcode" else 4, styles, words))
    elif item.type == "nhs_number":
        out.append(_boxes(10, styles, words, groups=(3, 3, 4)))
    elif item.type == "date":
        out.append(_words(words.text("date"), styles["hint"], words))
        out.append(_boxes(8, styles, words, groups=(2, 2, 4)))
    else:  # short_text, long_text: lines to write on
        out += _lines(2 if item.type == "short_text" else 5)
    if item.type not in ("single_choice", "yes_no", "multi_choice") and allows_prefer_not(item):
        out.append(
            _choice_table([_prefer_not_row(form, item, language, words, styles)], words, width)
        )
    return out


def _choices(
    form: Form,
    item: Item,
    language: str,
    words: PaperWords,
    styles: dict[str, ParagraphStyle],
    width: float,
) -> Flowable:
    rows = []
    for code in option_codes(item):
        text = form.option_text(item.id, code, language)
        rows.append(_choice_row(text, code, words, styles))
    return _choice_table(rows, words, width)


def _prefer_not_row(
    form: Form, item: Item, language: str, words: PaperWords, styles: dict[str, ParagraphStyle]
) -> list[Any]:
    return _choice_row(form.option_text(item.id, PREFER_NOT, language), PREFER_NOT, words, styles)


def _choice_row(
    text: str, code: str, words: PaperWords, styles: dict[str, ParagraphStyle]
) -> list[Any]:
    return _ordered(
        [TickBox(), _words(text, styles["body"], words), Paragraph(code, styles["code"])],
        words,
    )


def _choice_table(rows: list[list[Any]], words: PaperWords, width: float) -> Table:
    """One answer a row: an empty tick box, the answer's words, its code in small print."""
    widths = _ordered([BOX + 4 * mm, width - BOX - 30 * mm, 26 * mm], words)
    look = TableLook(lines="below", line_colour=colors.white, valign="MIDDLE", top=2.5, bottom=2.5)
    return table(rows, widths, look)


def _scale(
    form: Form,
    item: Item,
    language: str,
    words: PaperWords,
    styles: dict[str, ParagraphStyle],
    width: float,
) -> list[Flowable]:
    """A row of numbered boxes, lowest to highest, the anchors' words under the ends."""
    assert item.min is not None and item.max is not None
    points = list(range(item.min, item.max + 1))
    cell = min(width / len(points), 16 * mm)
    numbers = [Paragraph(str(point), styles["number"]) for point in points]
    boxes = [Spacer(1, cell * 0.7) for _ in points]
    look = TableLook(lines="below", line_colour=colors.white, valign="MIDDLE", top=2, bottom=2)
    grid = table(
        [numbers, boxes],
        [cell] * len(points),
        look,
        extra=[("BOX", (i, 1), (i, 1), 1.2, INK) for i in range(len(points))],
    )
    out: list[Flowable] = [grid]
    for anchor in item.anchors or ():
        out.append(_words(f"{anchor.value} = {anchor.text[language]}", styles["hint"], words))
    return out


def _boxes(
    count: int,
    styles: dict[str, ParagraphStyle],
    words: PaperWords,
    groups: Sequence[int] = (),
) -> Table:
    """A row of boxes, one per character, with a gap between groups (dates, NHS numbers)."""
    cells: list[Any] = []
    widths: list[float] = []
    boxed: list[int] = []
    for size in groups or (count,):
        if cells:
            cells.append("")
            widths.append(4 * mm)
        for _ in range(size):
            boxed.append(len(cells))
            cells.append(Spacer(1, BOX))
            widths.append(BOX + 1 * mm)
    look = TableLook(lines="below", line_colour=colors.white)
    return table([cells], widths, look, extra=[("BOX", (i, 0), (i, 0), 1.2, INK) for i in boxed])


def _lines(count: int) -> list[Flowable]:
    out: list[Flowable] = []
    for _ in range(count):
        out.append(Spacer(0, BODY * 1.7))
        out.append(HRFlowable(width="100%", thickness=0.7, color=GREY))
    return out
