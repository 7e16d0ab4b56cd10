"""How the board report looks: its page, type sizes and grid tables.

Built with the page kit (``kiosk.reports.pages``): A4, 15 mm margins, a footer
on every page; tables are full grids with a tinted header row that repeats
after a page break, text on the left and numbers on the right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, Table  # type: ignore[import-untyped]

from kiosk.reports.fonts import LATIN
from kiosk.reports.pages import PAGE_WIDTH, TableLook, style, table
from kiosk.reports.textflow import escape

MARGIN = 15 * mm
FOOTER_HEIGHT = 9 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#B0B0B0")
HEADER_TINT = colors.HexColor("#E8EDEE")
GREY = colors.HexColor("#425563")

GRID_LOOK = TableLook(
    lines="grid",
    line_colour=GRID,
    valign="MIDDLE",
    top=2,
    bottom=2.5,
    header_tint=HEADER_TINT,
    font=(LATIN.regular, 8),
)


def board_styles() -> dict[str, ParagraphStyle]:
    return {
        "title": style("title", 17, 21, bold=True, spaceAfter=2),
        "subtitle": style("subtitle", 10.5, 13.5, spaceAfter=6),
        "h1": style("h1", 12.5, 15.5, bold=True, spaceBefore=9, spaceAfter=3, keepWithNext=1),
        "h2": style("h2", 10, 12.5, bold=True, spaceBefore=6, spaceAfter=2),
        "body": style("body", 9, 11.8, spaceAfter=3),
        "cell": style("cell", 8, 9.6),
        "cell_bold": style("cell_bold", 8, 9.6, bold=True),
        "head": style("head", 7, 8.5, bold=True),
        "credit": style("credit", 7.5, 9.5, textColor=GREY, spaceBefore=2),
        "footer": style("footer", 7, 8.5, textColor=GREY),
    }


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    styles: dict[str, ParagraphStyle],
    *,
    bold_rows: Iterable[int] = (),
    text_columns: int = 1,
) -> Table:
    """A grid table: wrapped header, text in the first columns, numbers on the right."""
    bold_rows = set(bold_rows)
    data: list[list[object]] = [[Paragraph(escape(h), styles["head"]) for h in header]]
    for index, row in enumerate(rows):
        cell_style = styles["cell_bold"] if index in bold_rows else styles["cell"]
        data.append(
            [
                Paragraph(escape(cell), cell_style) if column < text_columns else cell
                for column, cell in enumerate(row)
            ]
        )
    extra: list[tuple[object, ...]] = [("ALIGN", (text_columns, 1), (-1, -1), "RIGHT")]
    for index in bold_rows:
        extra.append(("FONTNAME", (0, index + 1), (-1, index + 1), LATIN.bold))
    return table(data, widths, GRID_LOOK, repeat_header=True, extra=extra)
