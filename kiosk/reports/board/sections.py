"""The board report's sections, equity apart: opening, key figures, funnel, referrals,
outcomes and the notes on limits. Each returns flowables; every number comes
from the published lines (``Published``).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from kiosk.reports.board.charts import Bar, Interval, bar_chart, change_chart
from kiosk.reports.board.figures import (
    CHART_STEPS,
    FUNNEL_STEPS,
    MIN_PAIRS,
    RATES,
    STEPS_BY_KEY,
    BoardFigures,
)
from kiosk.reports.board.look import CONTENT_WIDTH, grid_table
from kiosk.reports.board.publish import ALL, Published
from kiosk.reports.board.suppression import NOT_APPLICABLE, SUPPRESSED, SUPPRESSION_RULE
from kiosk.reports.board.wording import (
    ONS_CREDIT,
    RATE_WORDS,
    as_percent,
    bar_value,
    chart_note,
    p_text,
    period_text,
    signed,
)
from kiosk.reports.formatting import OUTCOME_WORDS, REFERRAL_WORDS, words
from kiosk.reports.textflow import escape


def opening(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    period = period_text(figures.first, figures.last)
    sources = (
        "Sources: the clinic service's anonymised export (one row per session: on the "
        "tablet, with staff or on paper) "
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
    return grid_table(
        ["Figure", "Numerator", "Denominator", "Per cent"],
        rows,
        [32 * mm, 62 * mm, 64 * mm, 22 * mm],
        styles,
        text_columns=3,
    )


def funnel(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    steps = [k for k in CHART_STEPS if k != "appointments" or figures.appointments_known]
    bars = [
        Bar(STEPS_BY_KEY[k].label, bar_value(pub.count(ALL, ALL, k)), pub.count(ALL, ALL, k))
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
                "A session is one patient's visit to the tablet, or a paper form keyed in."
            ),
            styles["body"],
        ),
        bar_chart(bars, width=CONTENT_WIDTH, axis_note="Number of sessions"),
        Spacer(1, 3),
        grid_table(
            ["Step", "What it counts", "Number"],
            rows,
            [48 * mm, 110 * mm, 22 * mm],
            styles,
            text_columns=2,
        ),
    ]


def referrals(
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
        grid_table(
            header,
            rows,
            [45 * mm, *([other] * (len(outcomes) + 1))],
            styles,
            bold_rows=[len(rows) - 1],
        ),
    ]
    return story


def outcomes(
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
                f"{signed(mean_change)} ({signed(pub.outcome(m, 'ci_low'))} to "
                f"{signed(pub.outcome(m, 'ci_high'))})"
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
                p_text(pub.outcome(m, "wilcoxon_p")),
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
                note="" if shown else chart_note(pub.outcome(m, "n")),
            )
        )
    story.append(
        grid_table(
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


def limits(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
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
