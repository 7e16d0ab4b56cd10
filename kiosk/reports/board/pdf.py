"""The board report as an A4 PDF: what screening found, whom it reached, who got better.

Every number on the page is looked up in the published lines
(``publish.published_lines``), the same ones the CSV holds, so every figure
is suppressed as the rule printed on the first page says. docs/board-report.md
describes the contents.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.reports.board.charts import Bar, Interval, bar_chart, change_chart
from kiosk.reports.board.compute import (
    ALL_CLINICS,
    CHART_STEPS,
    FUNNEL_STEPS,
    MIN_PAIRS,
    MOST_DEPRIVED,
    RATES,
    STEPS_BY_KEY,
    BoardFigures,
    compute_figures,
)
from kiosk.reports.board.publish import ALL, Published, publish
from kiosk.reports.board.suppression import NOT_APPLICABLE, SUPPRESSED, SUPPRESSION_RULE
from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.formatting import OUTCOME_WORDS, REFERRAL_WORDS, words
from kiosk.reports.pages import build, numbered_canvas
from kiosk.reports.textflow import escape

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
FOOTER_HEIGHT = 9 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#B0B0B0")
HEADER_TINT = colors.HexColor("#E8EDEE")
GREY = colors.HexColor("#425563")

ONS_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)
MARKER = "»"  # marks the most deprived quintile, with bold: never colour alone
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# What each rate's numerator and denominator count, in words.
RATE_WORDS = {
    "engaged": ("sessions started", "appointments in the clinic lists"),
    "completed": ("sessions completed", "sessions started"),
    "flagged": (
        "completed, screened sessions with a social need flagged",
        "completed sessions with the screen answered (screened completers)",
    ),
    "wants_help": (
        "screen-positive sessions where the patient wanted help",
        "screen-positive sessions",
    ),
    "financial_hardship": (
        "screen-positive sessions with difficulty making ends meet",
        "screen-positive sessions",
    ),
}


def month_text(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def period_text(first: str, last: str) -> str:
    if first == last:
        return month_text(first)
    return f"{month_text(first)} to {month_text(last)}"


def _styles() -> dict[str, ParagraphStyle]:
    font, bold = LATIN.regular, LATIN.bold
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, spaceAfter=2),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=font, fontSize=10.5, leading=13.5, spaceAfter=6
        ),
        "h1": ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=12.5,
            leading=15.5,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=2
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=11.8, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=9.6),
        "cell_bold": ParagraphStyle("cell_bold", fontName=bold, fontSize=8, leading=9.6),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5),
        "credit": ParagraphStyle(
            "credit", fontName=font, fontSize=7.5, leading=9.5, textColor=GREY, spaceBefore=2
        ),
        "footer": ParagraphStyle("footer", fontName=font, fontSize=7, leading=8.5, textColor=GREY),
    }


# ---------------------------------------------------------------- formatting
def as_percent(value: str) -> str:
    """A published percentage for the page: "45%", "*" or "n/a"."""
    return value if value in (SUPPRESSED, NOT_APPLICABLE) else f"{value}%"


def _bar_value(value: str) -> float | None:
    """A bar's length from a published figure; None for "*" and "n/a"."""
    if value in (SUPPRESSED, NOT_APPLICABLE):
        return None
    return float(value)


def _signed(value: str) -> str:
    return value if value.startswith("-") or float(value) == 0 else f"+{value}"


def _p_text(value: str) -> str:
    try:
        p = float(value)
    except ValueError:
        return value  # "*", "n/a", "not computed"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def imd_label(quintile: str) -> str:
    if quintile == MOST_DEPRIVED:
        return f"{MARKER} 1 (most deprived 20%)"
    if quintile == "5":
        return "5 (least deprived 20%)"
    return quintile


def _table(
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
        style = styles["cell_bold"] if index in bold_rows else styles["cell"]
        data.append(
            [
                Paragraph(escape(cell), style) if column < text_columns else cell
                for column, cell in enumerate(row)
            ]
        )
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN.regular),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_TINT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (text_columns, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for index in bold_rows:
        commands.append(("FONTNAME", (0, index + 1), (-1, index + 1), LATIN.bold))
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


# ---------------------------------------------------------------- sections
def _opening(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    period = period_text(figures.first, figures.last)
    sources = (
        "Sources: the clinic service's anonymised export (one row per tablet session) "
        + (
            "and the appointment counts from the clinic lists, "
            if figures.appointments_known
            else "(no appointment counts were given, so response rates are not shown), "
        )
        + f"for {figures.clinic}, {period} ({figures.first} to {figures.last}). "
        "IMD quintiles come from the English Indices of Deprivation 2019 through the "
        "site's postcode lookup (quintile 1 = deciles 1 and 2, the most deprived 20%)."
    )
    story: list[Flowable] = [
        Paragraph(escape(figures.title), styles["title"]),
        Paragraph(escape(f"{figures.clinic} · {period}"), styles["subtitle"]),
        Paragraph("About these figures", styles["h2"]),
        Paragraph(escape(SUPPRESSION_RULE), styles["body"]),
        Paragraph(
            escape(
                "Each percentage names its denominator below. Charts are drawn from the "
                "published (rounded) figures; a suppressed figure has no bar."
            ),
            styles["body"],
        ),
        Paragraph(escape(sources), styles["body"]),
    ]
    if figures.has_ons4:
        story.append(Paragraph(escape(ONS_CREDIT), styles["credit"]))
    story += [Paragraph("Key figures", styles["h1"]), _rates_table(figures, pub, styles)]
    return story


def _rates_table(figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]) -> Table:
    rows = []
    for rate in RATES:
        if rate.denominator == "appointments" and not figures.appointments_known:
            continue
        numerator_words, denominator_words = RATE_WORDS[rate.key]
        rows.append(
            [
                rate.label,
                f"{pub.count(ALL, ALL, rate.numerator)} {numerator_words}",
                f"{pub.count(ALL, ALL, rate.denominator)} {denominator_words}",
                as_percent(pub.rate(ALL, ALL, rate.key)),
            ]
        )
    for key in ("triaged", "referred"):
        step = STEPS_BY_KEY[key]
        rows.append([step.label, f"{pub.count(ALL, ALL, key)} {step.counts}", "", ""])
    return _table(
        ["Figure", "Numerator", "Denominator", "Per cent"],
        rows,
        [32 * mm, 62 * mm, 64 * mm, 22 * mm],
        styles,
        text_columns=3,
    )


def _funnel(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    steps = [k for k in CHART_STEPS if k != "appointments" or figures.appointments_known]
    bars = [
        Bar(STEPS_BY_KEY[k].label, _bar_value(pub.count(ALL, ALL, k)), pub.count(ALL, ALL, k))
        for k in steps
    ]
    rows = [
        [step.label, step.counts, pub.count(ALL, ALL, step.key)]
        for step in FUNNEL_STEPS
        if step.key != "appointments" or figures.appointments_known
    ]
    return [
        Paragraph("What screening found: the funnel", styles["h1"]),
        Paragraph(
            escape(
                "Sessions at each step (counts rounded to the nearest 5; * is 1 to 7). "
                "A session is one patient's visit to the tablet."
            ),
            styles["body"],
        ),
        bar_chart(bars, width=CONTENT_WIDTH, axis_note="Number of sessions"),
        Spacer(1, 3),
        _table(
            ["Step", "What it counts", "Number"],
            rows,
            [48 * mm, 110 * mm, 22 * mm],
            styles,
            text_columns=2,
        ),
    ]


def _referrals(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Referrals and their outcomes", styles["h1"])]
    if not figures.referrals:
        story.append(Paragraph("No referrals were recorded in this period.", styles["body"]))
        return story
    outcomes = figures.referral_outcomes
    header = ["Referred to", *(words(OUTCOME_WORDS, o) for o in outcomes), "All"]
    rows = [
        [
            words(REFERRAL_WORDS, kind),
            *(pub.referrals(kind, o) for o in outcomes),
            pub.referrals(kind, ALL),
        ]
        for kind in figures.referral_kinds
    ]
    rows.append(
        ["All referrals", *(pub.referrals(ALL, o) for o in outcomes), pub.referrals(ALL, ALL)]
    )
    other = (CONTENT_WIDTH - 45 * mm) / (len(outcomes) + 1)
    story += [
        Paragraph(
            escape(
                "Each referral counts once, by the outcome recorded when the data were "
                "exported; one session may have several referrals."
            ),
            styles["body"],
        ),
        _table(
            header,
            rows,
            [45 * mm, *([other] * (len(outcomes) + 1))],
            styles,
            bold_rows=[len(rows) - 1],
        ),
    ]
    return story


def _below_overall(
    figures: BoardFigures, pub: Published, group_by: str, names: Sequence[str]
) -> str:
    """Which groups' published response rate is below the published overall rate."""
    overall = pub.rate(ALL, ALL, "engaged")
    if not figures.appointments_known:
        return "Response rates need the appointments file, which was not given."
    if overall in (SUPPRESSED, NOT_APPLICABLE):
        return "The overall response rate cannot be published, so groups are not compared."
    below = []
    for group, name in zip(figures_groups(figures, group_by), names, strict=True):
        rate = pub.rate(group_by, group, "engaged")
        if rate not in (SUPPRESSED, NOT_APPLICABLE) and int(rate) < int(overall):
            below.append(f"{name} ({rate}%)")
    if not below:
        return (
            f"No group's response rate is below the overall {overall}% "
            "(groups whose rate is suppressed or not applicable are not compared)."
        )
    return (
        f"Reached less than the overall {overall}% (sessions started / appointments): "
        + "; ".join(below)
        + ". Groups whose rate is suppressed or not applicable are not compared."
    )


def figures_groups(figures: BoardFigures, group_by: str) -> list[str]:
    return list(figures.by_imd if group_by == "imd_quintile" else figures.by_ethnic)


def _equity(
    figures: BoardFigures,
    pub: Published,
    styles: dict[str, ParagraphStyle],
    group_by: str,
) -> list[Flowable]:
    imd = group_by == "imd_quintile"
    groups = figures_groups(figures, group_by)
    names = [imd_label(g) if imd else g for g in groups]
    plain_names = [n.removeprefix(f"{MARKER} ") for n in names]
    emphasis = [imd and g == MOST_DEPRIVED for g in groups]
    heading = "Equity: deprivation (IMD quintile)" if imd else "Equity: ethnic group"
    story: list[Flowable] = [Paragraph(heading, styles["h1"])]
    if imd:
        q1 = MOST_DEPRIVED
        reach = (
            f"{pub.count(group_by, q1, 'started')} sessions were started from "
            f"{pub.count(group_by, q1, 'appointments')} appointments (response rate "
            f"{as_percent(pub.rate(group_by, q1, 'engaged'))}, against "
            f"{as_percent(pub.rate(ALL, ALL, 'engaged'))} for everyone); "
            if figures.appointments_known
            else f"{pub.count(group_by, q1, 'started')} sessions were started; "
        )
        story.append(
            Paragraph(
                escape(
                    "Quintile 1 is the most deprived 20% of neighbourhoods in England "
                    "(IMD 2019): the Core20 of NHS England's Core20PLUS5. It is marked "
                    f"{MARKER} and set in bold in this table and the charts. In quintile 1, "
                    + reach
                    + f"{as_percent(pub.rate(group_by, q1, 'flagged'))} of screened "
                    "completers were screen positive, against "
                    f"{as_percent(pub.rate(ALL, ALL, 'flagged'))} for everyone."
                ),
                styles["body"],
            )
        )
    else:
        story.append(
            Paragraph(
                escape(
                    "Broad ethnic group as the patient gave it; Not stated covers "
                    "declined and not asked."
                ),
                styles["body"],
            )
        )
    story.append(
        Paragraph(escape(_below_overall(figures, pub, group_by, plain_names)), styles["body"])
    )

    known = figures.appointments_known
    header = ["IMD quintile" if imd else "Ethnic group"]
    keys: list[tuple[str, str]] = []  # ("count" | "rate", key)
    if known:
        header += ["Appoint-\nments", "Started", "Response\nrate"]
        keys += [("count", "appointments"), ("count", "started"), ("rate", "engaged")]
    else:
        header += ["Started"]
        keys += [("count", "started")]
    header += [
        "Completed",
        "Screened\ncompleters",
        "Screen\npositive",
        "Screen\npositive %",
        "Wants\nhelp",
        "Referred",
    ]
    keys += [
        ("count", "completed"),
        ("count", "screened_completed"),
        ("count", "positive_completed"),
        ("rate", "flagged"),
        ("count", "wants_help"),
        ("count", "referred"),
    ]
    legend = (
        ("Response rate = sessions started / appointments. " if known else "")
        + "Screened completers = completed sessions with the screen answered; screen "
        "positive = those of them with a social need flagged; screen positive % = screen "
        "positive / screened completers. Wants help and referred count all sessions."
    )
    rows = []
    for group, name in zip(groups, names, strict=True):
        cells = [name]
        for kind, key in keys:
            if kind == "count":
                cells.append(pub.count(group_by, group, key))
            else:
                cells.append(as_percent(pub.rate(group_by, group, key)))
        rows.append(cells)
    rows.append(
        [
            "Everyone",
            *(
                pub.count(ALL, ALL, key) if kind == "count" else as_percent(pub.rate(ALL, ALL, key))
                for kind, key in keys
            ),
        ]
    )
    first = 33 * mm
    other = (CONTENT_WIDTH - first) / len(keys)
    bold_rows = [i for i, e in enumerate(emphasis) if e] + [len(rows) - 1]
    story += [
        _table(header, rows, [first, *([other] * len(keys))], styles, bold_rows=bold_rows),
        Paragraph(escape(legend), styles["credit"]),
    ]

    charts: list[tuple[str, str]] = [("flagged", "Screen positive % of screened completers")]
    if known:
        charts.insert(0, ("engaged", "Response rate: sessions started / appointments"))
    for key, caption in charts:
        bars = [
            Bar(
                name,
                _bar_value(pub.rate(group_by, g, key)),
                as_percent(pub.rate(group_by, g, key)),
                e,
            )
            for g, name, e in zip(groups, names, emphasis, strict=True)
        ]
        overall = pub.rate(ALL, ALL, key)
        bars.append(Bar("Everyone", _bar_value(overall), as_percent(overall)))
        story.append(
            KeepTogether(
                [
                    Paragraph(escape(caption), styles["h2"]),
                    bar_chart(
                        bars,
                        width=CONTENT_WIDTH,
                        value_max=100,
                        bar_height=8,
                        gap=4,
                        axis_note="Per cent (bar length 0-100%)",
                    ),
                ]
            )
        )
    return story


def _outcomes(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Outcomes: baseline against follow-up", styles["h1"])]
    if not figures.outcomes:
        story.append(
            Paragraph(escape("No measure tracked over time is in this export."), styles["body"])
        )
        return story
    story.append(
        Paragraph(
            escape(
                "Patients with a baseline (their first visit with a value) and a later "
                "follow-up (their latest later visit with a value) in this period; anonymous "
                "sessions cannot be followed and are left out. Change is follow-up minus "
                "baseline, so for a measure where lower is better a fall is an improvement. "
                "The 95% confidence interval (CI) of the mean change uses the t distribution; "
                "p is the two-sided Wilcoxon signed-rank test. With fewer than "
                f"{MIN_PAIRS} patients the number is suppressed and the statistics are not "
                "shown, to protect small numbers."
            ),
            styles["body"],
        )
    )
    rows = []
    notes = []
    intervals = []
    for outcome in figures.outcomes:
        m = outcome.measure.id
        label = pub.outcome(m, "label")
        mean_change = pub.outcome(m, "mean_change")
        shown = mean_change not in (SUPPRESSED, NOT_APPLICABLE)
        if shown:
            change_text = (
                f"{_signed(mean_change)} ({_signed(pub.outcome(m, 'ci_low'))} to "
                f"{_signed(pub.outcome(m, 'ci_high'))})"
            )
        else:
            change_text = mean_change
        rows.append(
            [
                label,
                f"{pub.outcome(m, 'better')}",
                pub.outcome(m, "n"),
                pub.outcome(m, "mean_baseline"),
                pub.outcome(m, "mean_follow_up"),
                change_text,
                _p_text(pub.outcome(m, "wilcoxon_p")),
            ]
        )
        note = pub.outcome(m, "note")
        if note:
            notes.append(f"{label}: {note}.")
        intervals.append(
            Interval(
                label,
                pub.outcome(m, "better"),
                float(mean_change) if shown else None,
                float(pub.outcome(m, "ci_low")) if shown else None,
                float(pub.outcome(m, "ci_high")) if shown else None,
                note="" if shown else _chart_note(pub.outcome(m, "n")),
            )
        )
    story.append(
        _table(
            [
                "Measure",
                "Better",
                "Patients (n)",
                "Mean baseline",
                "Mean follow-up",
                "Mean change (95% CI)",
                "Wilcoxon p",
            ],
            rows,
            [50 * mm, 15 * mm, 17 * mm, 19 * mm, 19 * mm, 40 * mm, 20 * mm],
            styles,
            text_columns=2,
        )
    )
    for note in notes:
        story.append(Paragraph(escape(note), styles["credit"]))
    story.append(
        KeepTogether(
            [
                Paragraph("Mean change with its 95% confidence interval", styles["h2"]),
                Paragraph(
                    escape(
                        "Dot: mean change; line: 95% CI; each measure on its own scale, "
                        "symmetric about zero (no change). The word 'better' marks the "
                        "better end."
                    ),
                    styles["body"],
                ),
                change_chart(intervals, width=CONTENT_WIDTH, label_width=185),
            ]
        )
    )
    if figures.has_ons4:
        story.append(Paragraph(escape(ONS_CREDIT), styles["credit"]))
    return story


def _chart_note(n: str) -> str:
    if n == "0":
        return "no patients with a baseline and a follow-up"
    return f"not shown: fewer than {MIN_PAIRS} patients"


def _limits(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    items = [
        "A session is counted where the patient answered; the appointments are counted from "
        "the clinic lists. Response rates above 100% can happen when sessions are not matched "
        "to a listed appointment, and a group's rate uses the group recorded on each side "
        "(the list's postcode and ethnicity against the patient's answers).",
        "Outcomes are before and after, with no comparison group: a change is not proof "
        "that the service caused it. Patients who did not return are not in them.",
        "Only visits inside the period count: a baseline before the first month is not seen.",
        "Rounded counts may not add up to their totals.",
    ]
    return [
        Paragraph("Notes and limits", styles["h1"]),
        *(Paragraph(escape(f"• {item}"), styles["body"]) for item in items),
    ]


# ---------------------------------------------------------------- document
def figures_pdf(figures: BoardFigures, *, generated_on: dt.date | None = None) -> bytes:
    """The board report PDF (A4) from computed figures."""
    register_fonts()
    styles = _styles()
    pub = publish(figures)
    generated = generated_on or dt.datetime.now(dt.UTC).date()
    story: list[Flowable] = [
        *_opening(figures, pub, styles),
        *_funnel(figures, pub, styles),
        *_referrals(figures, pub, styles),
        *_equity(figures, pub, styles, "imd_quintile"),
        *_equity(figures, pub, styles, "ethnic_group"),
        *_outcomes(figures, pub, styles),
        *_limits(styles),
    ]
    footer_text = (
        f"{figures.title} · {figures.clinic} · {period_text(figures.first, figures.last)}. "
        f"Anonymised aggregate figures, small numbers suppressed. Made {generated.isoformat()} "
        "by What Matters Kiosk."
    )

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        y = MARGIN + FOOTER_HEIGHT - 2 * mm
        canvas.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)
        footer = Paragraph(escape(footer_text), styles["footer"])
        _, height = footer.wrapOn(canvas, CONTENT_WIDTH - 30 * mm, FOOTER_HEIGHT)
        footer.drawOn(canvas, MARGIN, y - 1.5 * mm - height)
        canvas.restoreState()

    def page_number(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(LATIN.regular, 7.5)
        canvas.drawRightString(
            MARGIN + CONTENT_WIDTH, MARGIN + FOOTER_HEIGHT - 6 * mm, f"Page {page} of {pages}"
        )
        canvas.restoreState()

    doc = BaseDocTemplate(
        io.BytesIO(),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=figures.title,
        author="What Matters Kiosk",
        creator="What Matters Kiosk",
        subject=f"{figures.clinic}, {figures.first} to {figures.last}",
        lang="en-GB",
        # Otherwise every page lists Helvetica (never drawn) among its fonts.
        initialFontName=LATIN.regular,
        initialFontSize=9,
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        CONTENT_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="board", frames=[frame], onPage=on_page)])
    return build(doc, story, numbered_canvas(page_number))


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
