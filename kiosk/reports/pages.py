"""The page kit every PDF is built with: the A4 page, its furniture, styles and tables.

A document says what it holds; this module says how an A4 page of the product
looks and is built:

- ``PageSetup`` and ``a4_pdf``: the page (A4, margins, one body frame), the
  document's metadata (title, language, author), and building the story to bytes
  with a hook that draws the header and footer of each page;
- ``PageNumber``: "Page N of M" (or "N / M"), drawn once the number of pages is
  known (``numbered_canvas``);
- ``draw_stack`` and ``rule``: flowables and lines drawn straight on the page,
  for headers and footers;
- ``style``: a paragraph style in the bundled fonts, sizes as parameters (the
  take-away sheet passes its large-print sizes);
- ``TableLook`` and ``table``: a table with a rule under each row or a full
  grid, a tinted header row repeated after a page break, and column widths.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Table,
    TableStyle,
)

from kiosk.reports.fonts import LATIN

PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
AUTHOR = "What Matters Kiosk"


# ---------------------------------------------------------------- the page
@dataclass(frozen=True)
class PageSetup:
    """An A4 page with one body frame, and the document's metadata.

    ``side`` is the left and right margin; ``top`` and ``bottom`` run from the
    edge of the paper to the body frame, so they include any header or footer.
    """

    title: str
    lang: str
    side: float
    top: float
    bottom: float
    name: str = "body"  # the page template's id
    subject: str | None = None
    # The font a page starts in; without it every page lists Helvetica (never
    # drawn) among its fonts.
    initial_font: tuple[str, float] | None = None

    @property
    def content_width(self) -> float:
        return PAGE_WIDTH - 2 * self.side

    @property
    def content_height(self) -> float:
        return PAGE_HEIGHT - self.top - self.bottom


def a4_pdf(
    story: list[Flowable],
    setup: PageSetup,
    *,
    on_page: Callable[[Canvas], None],
    page_number: Callable[[Canvas, int, int], None],
) -> bytes:
    """Lay ``story`` out on A4 pages as ``setup`` says and return the PDF.

    ``on_page(canvas)`` draws each page's header and footer;
    ``page_number(canvas, page, pages)`` draws its number once the count is known.
    """
    extra: dict[str, Any] = {}
    if setup.subject is not None:
        extra["subject"] = setup.subject
    if setup.initial_font is not None:
        extra["initialFontName"], extra["initialFontSize"] = setup.initial_font
    doc = BaseDocTemplate(
        io.BytesIO(),
        pagesize=A4,
        leftMargin=setup.side,
        rightMargin=setup.side,
        topMargin=setup.top,
        bottomMargin=setup.bottom,
        title=setup.title,
        author=AUTHOR,
        creator=AUTHOR,
        lang=setup.lang,
        **extra,
    )
    frame = Frame(
        setup.side,
        setup.bottom,
        setup.content_width,
        setup.content_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        on_page(canvas)

    doc.addPageTemplates([PageTemplate(id=setup.name, frames=[frame], onPage=draw)])
    return build(doc, story, numbered_canvas(page_number))


def numbered_canvas(
    draw_total: Callable[[Canvas, int, int], None],
) -> type[Canvas]:
    """A canvas class that calls ``draw_total(canvas, page, pages)`` on every page.

    Pages are held back until the document is complete, so each page can say
    how many there are.
    """

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                draw_total(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build(doc: BaseDocTemplate, story: list[Flowable], canvasmaker: type[Canvas]) -> bytes:
    """Lay out ``story`` in ``doc`` (whose file is a BytesIO) and return the PDF."""
    doc.build(story, canvasmaker=canvasmaker)
    buffer = doc.filename
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


# ---------------------------------------------------------------- page furniture
@dataclass(frozen=True)
class PageNumber:
    """Draws the page's number at (x, y): right-aligned there, or starting there."""

    font: str
    size: float
    x: float
    y: float
    align: Literal["right", "left"] = "right"
    words: str = "Page {page} of {pages}"
    # A one-page document says nothing when this is 2.
    from_pages: int = 1

    def __call__(self, canvas: Canvas, page: int, pages: int) -> None:
        if pages < self.from_pages:
            return
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        label = self.words.format(page=page, pages=pages)
        if self.align == "right":
            canvas.drawRightString(self.x, self.y, label)
        else:
            canvas.drawString(self.x, self.y, label)
        canvas.restoreState()


def draw_stack(
    canvas: Canvas, flowables: Iterable[Flowable], x: float, top: float, width: float
) -> float:
    """Draw flowables one under the other from ``top`` down; return where they end."""
    for flowable in flowables:
        _, height = flowable.wrapOn(canvas, width, PAGE_HEIGHT)
        top -= height
        flowable.drawOn(canvas, x, top)
    return top


def rule(canvas: Canvas, x: float, y: float, width: float, colour: Any, thickness: float) -> None:
    """A horizontal line across the page, such as the one above a footer."""
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(thickness)
    canvas.line(x, y, x + width, y)


# ---------------------------------------------------------------- styles
def style(
    name: str, size: float, leading: float, *, bold: bool = False, **extra: Any
) -> ParagraphStyle:
    """A paragraph style in the bundled Latin font; ``extra`` as ParagraphStyle takes it."""
    font = LATIN.bold if bold else LATIN.regular
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **extra)


# ---------------------------------------------------------------- tables
@dataclass(frozen=True)
class TableLook:
    """How a table is ruled and padded.

    ``lines`` is "below" (a rule under every row) or "grid" (every cell boxed);
    ``header_tint`` fills the first row; ``font`` sets text given as plain strings.
    """

    lines: Literal["below", "grid"]
    line_colour: Any
    line_width: float = 0.4
    valign: str = "TOP"
    top: float = 0.8
    bottom: float = 1.5
    side: float = 2.5
    header_tint: Any = None
    font: tuple[str, float] | None = None


class _Table(Table):  # type: ignore[misc]
    """reportlab's Table, laid out once for each size it is offered.

    Balanced columns (the clinician summary's) try many column heights, and each try
    lays out every table again at the same width, with the same result: most of a
    summary's time went there. A new style lays the table out afresh."""

    _laid_out_for: tuple[float, float] | None = None

    def _calc(self, availWidth: float, availHeight: float) -> None:
        if self._laid_out_for != (availWidth, availHeight):
            super()._calc(availWidth, availHeight)
            self._laid_out_for = (availWidth, availHeight)

    def setStyle(self, tblstyle: Any) -> None:
        self._laid_out_for = None
        super().setStyle(tblstyle)

    def deepcopy(self) -> _Table:
        """The copy balanced columns split on each try: one sharing the cells. Split
        between rows (these tables never split inside one), neither the table nor its
        cells change, and each part lays its cells out at the table's own widths;
        reportlab's full deep copy was most of what was left of a summary's time."""
        return copy.copy(self)


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    look: TableLook,
    *,
    repeat_header: bool = False,
    extra: Iterable[tuple[Any, ...]] = (),
) -> Table:
    """A left-aligned table that splits between rows; its first row repeats on each
    page when ``repeat_header``. ``extra`` are more TableStyle commands."""
    commands: list[tuple[Any, ...]] = []
    if look.font is not None:
        commands += [
            ("FONTNAME", (0, 0), (-1, -1), look.font[0]),
            ("FONTSIZE", (0, 0), (-1, -1), look.font[1]),
        ]
    if look.lines == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), look.line_width, look.line_colour))
    if look.header_tint is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), look.header_tint))
    commands += [
        ("VALIGN", (0, 0), (-1, -1), look.valign),
        ("LEFTPADDING", (0, 0), (-1, -1), look.side),
        ("RIGHTPADDING", (0, 0), (-1, -1), look.side),
        ("TOPPADDING", (0, 0), (-1, -1), look.top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.bottom),
    ]
    if look.lines == "below":
        commands.append(("LINEBELOW", (0, 0), (-1, -1), look.line_width, look.line_colour))
    built = _Table(
        [list(row) for row in rows],
        colWidths=list(widths),
        hAlign="LEFT",
        splitByRow=1,
        repeatRows=1 if repeat_header else 0,
    )
    built.setStyle(TableStyle([*commands, *extra]))
    return built
