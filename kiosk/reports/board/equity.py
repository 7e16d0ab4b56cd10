"""The board report's equity sections: whom screening reached, by deprivation or ethnic group.

One table per grouping (every count and rate of the funnel), the groups whose
response rate is below the overall rate in words, and bar charts of the rates;
then how completed sessions were done (the tablet alone, with staff, on paper)
by each grouping (``routes``). The most deprived quintile is marked "»" and set
in bold, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, KeepTogether, Paragraph  # type: ignore[import-untyped]

from kiosk.reports.board.charts import Bar, bar_chart
from kiosk.reports.board.figures import MOST_DEPRIVED, BoardFigures
from kiosk.reports.board.look import CONTENT_WIDTH, grid_table
from kiosk.reports.board.publish import ALL, Published
from kiosk.reports.board.routes import ROUTE_STEPS
from kiosk.reports.board.suppression import NOT_APPLICABLE, SUPPRESSED
from kiosk.reports.board.wording import MARKER, as_percent, bar_value, imd_label
from kiosk.reports.textflow import escape


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


def equity(
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
        grid_table(header, rows, [first, *([other] * len(keys))], styles, bold_rows=bold_rows),
        Paragraph(escape(legend), styles["credit"]),
    ]

    charts: list[tuple[str, str]] = [("flagged", "Screen positive % of screened completers")]
    if known:
        charts.insert(0, ("engaged", "Response rate: sessions started / appointments"))
    for key, caption in charts:
        bars = [
            Bar(
                name,
                bar_value(pub.rate(group_by, g, key)),
                as_percent(pub.rate(group_by, g, key)),
                e,
            )
            for g, name, e in zip(groups, names, emphasis, strict=True)
        ]
        overall = pub.rate(ALL, ALL, key)
        bars.append(Bar("Everyone", bar_value(overall), as_percent(overall)))
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


def routes(
    figures: BoardFigures, pub: Published, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Completed sessions by route for each IMD quintile and ethnic group: do staff and
    paper reach the people the tablet alone does not?"""
    known = figures.appointments_known
    keys = (["appointments"] if known else []) + ["completed"] + [k for k, _l, _c in ROUTE_STEPS]
    header = (
        (["Appoint-\nments"] if known else [])
        + ["Completed"]
        + ["Tablet\nalone", "With\nstaff", "On\npaper"]
    )
    story: list[Flowable] = [
        Paragraph("Routes: the tablet alone, with staff, on paper", styles["h1"]),
        Paragraph(
            escape(
                "Completed sessions by how they were done: by the patient on the tablet "
                "alone, by a member of staff with the patient (on the tablet or the staff "
                "console), or on a paper form keyed in by staff. Compare the groups the "
                "tablet alone reaches least with those reached with staff or on paper."
            ),
            styles["body"],
        ),
    ]
    first = 45 * mm
    other = (CONTENT_WIDTH - first) / len(keys)
    for group_by, title, caption in (
        ("imd_quintile", "IMD quintile", "By IMD quintile"),
        ("ethnic_group", "Ethnic group", "By ethnic group"),
    ):
        groups = figures_groups(figures, group_by)
        imd = group_by == "imd_quintile"
        rows = [
            [imd_label(g) if imd else g, *(pub.count(group_by, g, k) for k in keys)] for g in groups
        ]
        rows.append(["Everyone", *(pub.count(ALL, ALL, k) for k in keys)])
        bold = [i for i, g in enumerate(groups) if imd and g == MOST_DEPRIVED] + [len(rows) - 1]
        story.append(
            KeepTogether(
                [
                    Paragraph(escape(caption), styles["h2"]),
                    grid_table(
                        [title, *header],
                        rows,
                        [first, *([other] * len(keys))],
                        styles,
                        bold_rows=bold,
                    ),
                ]
            )
        )
    return story
