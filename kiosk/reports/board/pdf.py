"""The board report as an A4 PDF: what screening found, whom it reached, who got better.

Every number on the page is looked up in the published lines
(``publish.published_lines``), the same ones the CSV holds, so every figure
is suppressed as the rule printed on the first page says. docs/board-report.md
describes the contents. The sections are drawn by ``sections`` and ``equity``,
in the look of ``look``; this module puts them in order on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph  # type: ignore[import-untyped]

from kiosk.reports.board.compute import compute_figures
from kiosk.reports.board.equity import equity, routes
from kiosk.reports.board.figures import ALL_CLINICS, BoardFigures
from kiosk.reports.board.look import CONTENT_WIDTH, FOOTER_HEIGHT, GRID, MARGIN, board_styles
from kiosk.reports.board.publish import publish
from kiosk.reports.board.sections import funnel, limits, opening, outcomes, referrals
from kiosk.reports.board.wording import period_text
from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.pages import PageNumber, PageSetup, a4_pdf, rule
from kiosk.reports.textflow import escape


def figures_pdf(figures: BoardFigures, *, generated_on: dt.date | None = None) -> bytes:
    """The board report PDF (A4) from computed figures."""
    register_fonts()
    styles = board_styles()
    pub = publish(figures)
    generated = generated_on or dt.datetime.now(dt.UTC).date()
    story: list[Flowable] = [
        *opening(figures, pub, styles),
        *funnel(figures, pub, styles),
        *referrals(figures, pub, styles),
        *equity(figures, pub, styles, "imd_quintile"),
        *equity(figures, pub, styles, "ethnic_group"),
        *routes(figures, pub, styles),
        *outcomes(figures, pub, styles),
        *limits(styles),
    ]
    footer_text = (
        f"{figures.title} · {figures.clinic} · {period_text(figures.first, figures.last)}. "
        f"Anonymised aggregate figures, small numbers suppressed. Made {generated.isoformat()} "
        "by What Matters Kiosk."
    )

    def on_page(canvas: Canvas) -> None:
        canvas.saveState()
        y = MARGIN + FOOTER_HEIGHT - 2 * mm
        rule(canvas, MARGIN, y, CONTENT_WIDTH, GRID, 0.5)
        footer = Paragraph(escape(footer_text), styles["footer"])
        _, height = footer.wrapOn(canvas, CONTENT_WIDTH - 30 * mm, FOOTER_HEIGHT)
        footer.drawOn(canvas, MARGIN, y - 1.5 * mm - height)
        canvas.restoreState()

    page_number = PageNumber(
        LATIN.regular, 7.5, MARGIN + CONTENT_WIDTH, MARGIN + FOOTER_HEIGHT - 6 * mm
    )
    page = PageSetup(
        title=figures.title,
        lang="en-GB",
        side=MARGIN,
        top=MARGIN,
        bottom=MARGIN + FOOTER_HEIGHT,
        name="board",
        subject=f"{figures.clinic}, {figures.first} to {figures.last}",
        initial_font=(LATIN.regular, 9),
    )
    return a4_pdf(story, page, on_page=on_page, page_number=page_number)


def report_pdf(
    rows: Iterable[Mapping[str, str]],
    appointments: Iterable[Mapping[str, str]] | None = None,
    *,
    title: str,
    clinic: str = ALL_CLINICS,
    first: str,
    last: str,
    generated_on: dt.date | None = None,
) -> bytes:
    """The board report PDF straight from the export's rows (see ``compute_figures``)."""
    figures = compute_figures(
        rows, appointments, title=title, clinic=clinic, first=first, last=last
    )
    return figures_pdf(figures, generated_on=generated_on)
