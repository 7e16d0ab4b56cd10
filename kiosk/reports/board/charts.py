"""The board report's charts, drawn with reportlab.graphics in the bundled fonts.

Charts draw only published figures (rounded and suppressed); a suppressed
figure has no bar and its "*" is written where the bar would end. Nothing is
told by colour alone: every bar carries its number, the most deprived quintile
is marked "»" and labelled in bold, and the change chart says in words which
way is better. Every chart's numbers are also in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from kiosk.reports.fonts import LATIN, REPLACEMENT, clean_text, coverage, register_fonts

BAR = colors.HexColor("#005EB8")  # NHS blue: 6.9:1 against white
BAR_EMPHASIS = colors.HexColor("#003087")
AXIS = colors.HexColor("#425563")
TEXT = colors.black
LABEL_SIZE = 8
VALUE_SIZE = 8
SMALL_SIZE = 6.5


def latin(text: str) -> str:
    """Text for a chart: cleaned, one line, characters Noto Sans lacks drawn as "?"."""
    register_fonts()
    have = coverage(LATIN)
    cleaned = clean_text(text).replace("\n", " ")
    return "".join(c if ord(c) in have else REPLACEMENT for c in cleaned)


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with "…" to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose starting font is Noto Sans (reportlab's default is Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = LATIN.regular
    drawing.initialFontSize = LABEL_SIZE
    return drawing


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its length (None: no bar) and the text at its end."""

    label: str
    value: float | None
    text: str
    emphasis: bool = False


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: float,
    value_max: float | None = None,
    label_width: float = 150,
    bar_height: float = 10,
    gap: float = 5,
    axis_note: str = "",
) -> Drawing:
    """A horizontal bar chart: labels on the left, the value written after each bar."""
    register_fonts()
    regular, bold = LATIN.regular, LATIN.bold
    top_pad, bottom_pad = 4, 14 if axis_note else 4
    height = top_pad + bottom_pad + len(bars) * (bar_height + gap)
    drawing = _drawing(width, height)
    x0 = label_width + 6
    value_room = 40
    plot = max(width - x0 - value_room, 20)
    biggest = max((b.value for b in bars if b.value is not None), default=0.0)
    scale_max = value_max if value_max is not None else biggest
    scale_max = max(scale_max, biggest, 1e-9)
    y = height - top_pad
    for bar in bars:
        y -= bar_height + gap
        font = bold if bar.emphasis else regular
        label = fit(latin(bar.label), font, LABEL_SIZE, label_width)
        drawing.add(
            String(
                label_width,
                y + bar_height / 2 - LABEL_SIZE * 0.35,
                label,
                fontName=font,
                fontSize=LABEL_SIZE,
                textAnchor="end",
                fillColor=TEXT,
            )
        )
        length = 0.0
        if bar.value is not None and bar.value > 0:
            length = plot * bar.value / scale_max
            drawing.add(
                Rect(
                    x0,
                    y,
                    length,
                    bar_height,
                    fillColor=BAR_EMPHASIS if bar.emphasis else BAR,
                    strokeColor=None,
                )
            )
        drawing.add(
            String(
                x0 + length + 3,
                y + bar_height / 2 - VALUE_SIZE * 0.35,
                latin(bar.text),
                fontName=font,
                fontSize=VALUE_SIZE,
                fillColor=TEXT,
            )
        )
    drawing.add(Line(x0, bottom_pad, x0, height - top_pad, strokeColor=AXIS, strokeWidth=0.8))
    if axis_note:
        drawing.add(
            String(
                x0,
                2,
                latin(axis_note),
                fontName=regular,
                fontSize=SMALL_SIZE,
                fillColor=AXIS,
            )
        )
    return drawing


@dataclass(frozen=True)
class Interval:
    """One measure's mean change and 95% CI; None when not shown (``note`` says why)."""

    label: str
    better: str  # "higher" | "lower"
    mean: float | None
    low: float | None
    high: float | None
    note: str = ""


def nice_limit(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times 10^k at least ``value`` (1 for 0)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)


def _tick(value: float) -> str:
    text = f"{value:g}"
    return f"+{text}" if value > 0 else text


def change_chart(rows: Sequence[Interval], *, width: float, label_width: float = 150) -> Drawing:
    """Mean change with its 95% CI, one row per measure, each on its own scale.

    Measures have different ranges (0-10, 0-6, 0-100), so every row has its own
    axis, symmetric about zero, with its limits written under it.
    """
    register_fonts()
    regular, bold = LATIN.regular, LATIN.bold
    row_height = 30
    height = row_height * len(rows) + 6
    drawing = _drawing(width, height)
    x0 = label_width + 10
    plot = width - x0 - 10
    centre = x0 + plot / 2
    y_top = height - 3
    for index, row in enumerate(rows):
        base = y_top - (index + 1) * row_height
        axis_y = base + 14
        drawing.add(
            String(
                label_width,
                axis_y + 3,
                fit(latin(row.label), bold, LABEL_SIZE, label_width),
                fontName=bold,
                fontSize=LABEL_SIZE,
                textAnchor="end",
            )
        )
        drawing.add(
            String(
                label_width,
                axis_y - 7,
                f"{row.better} is better",
                fontName=regular,
                fontSize=SMALL_SIZE,
                textAnchor="end",
                fillColor=AXIS,
            )
        )
        if row.mean is None:
            drawing.add(
                String(
                    x0,
                    axis_y - 2,
                    fit(latin(row.note or "not shown"), regular, LABEL_SIZE, plot),
                    fontName=regular,
                    fontSize=LABEL_SIZE,
                )
            )
            continue
        low = row.low if row.low is not None else row.mean
        high = row.high if row.high is not None else row.mean
        limit = nice_limit(max(abs(low), abs(high), abs(row.mean)))

        def x(value: float, limit: float = limit) -> float:
            return centre + (plot / 2) * value / limit

        drawing.add(Line(x0, axis_y, x0 + plot, axis_y, strokeColor=AXIS, strokeWidth=0.6))
        for value in (-limit, 0.0, limit):
            drawing.add(Line(x(value), axis_y - 2.5, x(value), axis_y + 2.5, strokeColor=AXIS))
            drawing.add(
                String(
                    x(value),
                    axis_y - 10,
                    _tick(value),
                    fontName=regular,
                    fontSize=SMALL_SIZE,
                    textAnchor="middle",
                    fillColor=AXIS,
                )
            )
        drawing.add(Line(centre, axis_y - 6, centre, axis_y + 8, strokeColor=AXIS, strokeWidth=1))
        # "better" written at the end of the axis that is better.
        better_right = row.better == "higher"
        drawing.add(
            String(
                x0 + plot if better_right else x0,
                axis_y + 5,
                "better",
                fontName=regular,
                fontSize=SMALL_SIZE,
                textAnchor="end" if better_right else "start",
                fillColor=AXIS,
            )
        )
        drawing.add(Line(x(low), axis_y, x(high), axis_y, strokeColor=TEXT, strokeWidth=1.6))
        for end in (low, high):
            drawing.add(Line(x(end), axis_y - 4, x(end), axis_y + 4, strokeColor=TEXT))
        drawing.add(Circle(x(row.mean), axis_y, 3, fillColor=BAR, strokeColor=TEXT))
    return drawing
