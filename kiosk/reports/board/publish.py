"""Every figure of the board report as published: suppressed, formatted, in one list.

This is the one place suppression is applied. ``published_lines`` turns the
unsuppressed ``BoardFigures`` into lines of (section, group_by, group,
measure, statistic, value); the CSV writes them as they are and the PDF looks
every number it prints (tables and charts) up in them, so the two cannot
disagree and nothing unsuppressed reaches either. docs/board-report.md
describes the layout.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from kiosk.reports.board.figures import (
    FUNNEL_STEPS,
    MIN_PAIRS,
    RATES,
    BoardFigures,
    Funnel,
    MeasureOutcome,
)
from kiosk.reports.board.stats import NOT_COMPUTED_FEW
from kiosk.reports.board.suppression import (
    NOT_APPLICABLE,
    SUPPRESSED,
    SUPPRESSION_RULE,
    is_small,
    suppress_count,
    suppress_percent,
)

ALL = "all"
NOT_COMPUTED = "not computed"
# The statistics of an outcome line, in order; "n" is a count.
OUTCOME_STATISTICS = (
    "mean_baseline",
    "mean_follow_up",
    "mean_change",
    "ci_low",
    "ci_high",
    "wilcoxon_p",
)
COUNT_STATISTICS = frozenset({"count", "n"})


class Line(NamedTuple):
    section: str
    group_by: str
    group: str
    measure: str
    statistic: str
    value: str


FIELDS = Line._fields


def number(value: float) -> str:
    """A mean or a change to 2 decimal places ("-0.00" printed as "0.00")."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def p_value(value: float) -> str:
    """A p-value to 4 significant figures."""
    return f"{value:.4g}"


def groups(figures: BoardFigures) -> Iterator[tuple[str, str, Funnel]]:
    """(group_by, group, funnel): everyone, then each IMD quintile, then each ethnic group."""
    yield ALL, ALL, figures.overall
    for quintile, funnel in figures.by_imd.items():
        yield "imd_quintile", quintile, funnel
    for group, funnel in figures.by_ethnic.items():
        yield "ethnic_group", group, funnel


def _funnel_lines(figures: BoardFigures) -> Iterator[Line]:
    for group_by, group, funnel in groups(figures):
        for step in FUNNEL_STEPS:
            count = funnel.count(step.key)
            value = NOT_APPLICABLE if count is None else suppress_count(count)
            yield Line("funnel", group_by, group, step.key, "count", value)


def _rate_lines(figures: BoardFigures) -> Iterator[Line]:
    for group_by, group, funnel in groups(figures):
        for rate in RATES:
            counts = funnel.rate(rate.key)
            value = NOT_APPLICABLE if counts is None else suppress_percent(*counts)
            yield Line("rate", group_by, group, rate.key, "percent", value)


def _referral_lines(figures: BoardFigures) -> Iterator[Line]:
    yield Line("referrals", ALL, ALL, ALL, "count", suppress_count(figures.total_referrals))
    for outcome, count in figures.referrals_by_outcome().items():
        yield Line("referrals", ALL, ALL, outcome, "count", suppress_count(count))
    for kind, count in figures.referrals_by_kind().items():
        yield Line("referrals", "kind", kind, ALL, "count", suppress_count(count))
        for outcome in figures.referral_outcomes:
            count = figures.referrals.get((kind, outcome), 0)
            yield Line("referrals", "kind", kind, outcome, "count", suppress_count(count))


def outcome_note(outcome: MeasureOutcome) -> str:
    """Why statistics are not shown or the p-value not computed; "" when all are shown."""
    n = outcome.change.n
    if n == 0:
        return "no patients with both a baseline and a later follow-up"
    if n < MIN_PAIRS:
        return (
            f"fewer than {MIN_PAIRS} patients with a baseline and a follow-up: "
            "statistics not shown, to protect small numbers"
        )
    if outcome.change.wilcoxon_p is None:
        return f"Wilcoxon test not computed: {outcome.change.wilcoxon_note or NOT_COMPUTED_FEW}"
    return ""


def _outcome_lines(figures: BoardFigures) -> Iterator[Line]:
    for outcome in figures.outcomes:
        measure, change = outcome.measure, outcome.change

        def line(statistic: str, value: str, measure_id: str = measure.id) -> Line:
            return Line("outcomes", ALL, ALL, measure_id, statistic, value)

        yield line("label", measure.label)
        yield line("better", measure.better)
        yield line("n", suppress_count(change.n))
        values = {
            "mean_baseline": change.mean_baseline,
            "mean_follow_up": change.mean_follow_up,
            "mean_change": change.mean_change,
            "ci_low": change.ci_low,
            "ci_high": change.ci_high,
        }
        for statistic in OUTCOME_STATISTICS:
            if not outcome.shown:
                text = SUPPRESSED if is_small(change.n) else NOT_APPLICABLE
            elif statistic == "wilcoxon_p":
                p = change.wilcoxon_p
                text = NOT_COMPUTED if p is None else p_value(p)
            else:
                value = values[statistic]
                assert value is not None and math.isfinite(value)
                text = number(value)
            yield line(statistic, text)
        yield line("note", outcome_note(outcome))


def published_lines(figures: BoardFigures) -> list[Line]:
    """Every published figure, suppressed: the report's one source of numbers."""
    meta = [
        ("title", figures.title),
        ("clinic", figures.clinic),
        ("first_month", figures.first),
        ("last_month", figures.last),
        ("appointments_known", "yes" if figures.appointments_known else "no"),
        ("suppression_rule", SUPPRESSION_RULE),
    ]
    return [
        *(Line("report", "", "", name, "text", value) for name, value in meta),
        *_funnel_lines(figures),
        *_rate_lines(figures),
        *_referral_lines(figures),
        *_outcome_lines(figures),
    ]


class Published:
    """The published lines, looked up by everything but their value."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self._values = {line[:5]: line.value for line in lines}

    def value(self, section: str, group_by: str, group: str, measure: str, statistic: str) -> str:
        return self._values[(section, group_by, group, measure, statistic)]

    def count(self, group_by: str, group: str, step: str) -> str:
        return self.value("funnel", group_by, group, step, "count")

    def rate(self, group_by: str, group: str, rate: str) -> str:
        return self.value("rate", group_by, group, rate, "percent")

    def outcome(self, measure: str, statistic: str) -> str:
        return self.value("outcomes", ALL, ALL, measure, statistic)

    def referrals(self, kind: str, outcome: str) -> str:
        group_by = ALL if kind == ALL else "kind"
        return self.value("referrals", group_by, kind, outcome, "count")


def publish(figures: BoardFigures) -> Published:
    return Published(published_lines(figures))
