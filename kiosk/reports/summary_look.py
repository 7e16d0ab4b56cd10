"""How the clinician summary looks: its page, type sizes, tints and tables.

Dense on purpose (9 pt body, 8-8.5 pt in tables) so a typical patient fits one
A4 page; built with the page kit (``kiosk.reports.pages``).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Table  # type: ignore[import-untyped]

from kiosk.reports.pages import PAGE_WIDTH, TableLook, style, table

MARGIN = 10 * mm
HEADER_HEIGHT = 17 * mm
FOOTER_HEIGHT = 8 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
COLUMN_GAP = 5 * mm

SEVERITY_TINT = {
    "urgent": colors.HexColor("#F6D5D8"),
    "high": colors.HexColor("#FBE3C4"),
    "routine": colors.HexColor("#E8E8E8"),
}
GRID = colors.HexColor("#B0B0B0")
GREY = colors.HexColor("#444444")
SEPARATOR = "  |  "

ROWS = TableLook(lines="below", line_colour=GRID)


def summary_styles() -> dict[str, ParagraphStyle]:
    return {
        "body": style("body", 9, 11),
        "cell": style("cell", 8.5, 9.7),
        "small": style("small", 8, 9.4),
        "credit": style("credit", 6.5, 8, textColor=GREY, spaceBefore=1),
        "h1": style("h1", 10.5, 13, bold=True, spaceBefore=4, spaceAfter=1.5, keepWithNext=1),
        "h1_columns": style("h1_columns", 10.5, 13, bold=True, spaceBefore=4, spaceAfter=1.5),
        "h2": style("h2", 9, 11, bold=True, spaceBefore=3.5, spaceAfter=1),
        "header": style("header", 8.5, 10.5),
        "name": style("name", 11.5, 14, bold=True),
        "title": style("title", 8.5, 10.5, bold=True, alignment=TA_RIGHT),
        "footer": style("footer", 7, 8.5, textColor=GREY),
    }


def rows_table(
    rows: list[list[Any]],
    widths: list[float],
    extra: list[tuple[Any, ...]] | None = None,
    header: bool = False,
) -> Table:
    """The summary's tables: a thin rule under each row; a header row has a heavy one."""
    if header:
        extra = [("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black), *(extra or [])]
    return table(rows, widths, ROWS, repeat_header=header, extra=extra or ())
