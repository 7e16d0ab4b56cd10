"""The clinician summary's two columns: each form's answers and scores, change, triage.

Everything below the heading "Answers and scores" flows down two balanced
columns: one table per form (title, questions and answers, flags, scores,
credit), then change over time and triage with referrals.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]
from reportlab.platypus.flowables import BalancedColumns  # type: ignore[import-untyped]

from kiosk.reports import formatting as fmt
from kiosk.reports.bidi import base_direction
from kiosk.reports.summary_look import COLUMN_GAP, CONTENT_WIDTH, SEVERITY_TINT, rows_table
from kiosk.reports.textflow import text_flowable

# Free-text answers longer than this are printed under their question, full
# width, so that they can run on to the next page.
LONG_ANSWER = 300
# Share of a column for the question; answers are mostly short.
QUESTION_SHARE = 0.75


def question_and_answer(
    question: str, answer: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The question in bold, then the patient's words; right-to-left words get their own line."""
    if base_direction(answer) == "rtl":
        return [
            text_flowable(question, styles["body"], bold=True),
            text_flowable(answer, styles["body"]),
        ]
    return [text_flowable(answer, styles["body"], label=question)]


def _form_block(
    form: dict[str, Any], styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    """One form as a table: title, questions and answers, flags, scores, credit.

    Rows that belong together (the title and the first answer, a flagged answer
    and its reason, the last row and the credit) are never split between
    columns or pages.
    """
    name = " ".join(str(part) for part in (form.get("form_id"), form.get("version")) if part)
    title = f"{form.get('title') or form.get('form_id')} ({name})"
    out: list[Flowable] = []
    rows: list[list[Any]] = [[text_flowable(title, styles["h2"], bold=True), ""]]
    extra: list[tuple[Any, ...]] = [("SPAN", (0, 0), (1, 0)), ("NOSPLIT", (0, 0), (-1, 1))]
    if form.get("known") is False:
        rows.append(
            [
                Paragraph(
                    "Form definition not found here: answers shown as stored.", styles["small"]
                ),
                "",
            ]
        )
        extra.append(("SPAN", (0, 1), (1, 1)))
    scores = list(form.get("scores") or [])
    by_item = {s.get("id"): s for s in scores}
    widths = [width * QUESTION_SHARE, width * (1 - QUESTION_SHARE)]

    def flush() -> None:
        nonlocal rows, extra
        if rows:
            extra.append(("LINEBELOW", (0, 0), (-1, 0), 0, colors.white))
            out.append(rows_table(rows, widths, extra))
        rows, extra = [], []

    for item in form.get("items") or []:
        answer = fmt.answer_text(item)
        score = by_item.pop(item.get("id"), None)
        if score is not None and score.get("band_label"):
            answer = f"{answer} · {score['band_label']}"
        flag = item.get("flag")
        question = str(item.get("question") or item.get("id") or "")
        if len(answer) > LONG_ANSWER:
            flush()
            out.extend(question_and_answer(question, answer, styles))
            continue
        rows.append(
            [
                text_flowable(question, styles["cell"]),
                text_flowable(
                    answer, styles["cell"], bold=bool(flag), label="FLAG" if flag else None
                ),
            ]
        )
        if flag:
            row = len(rows) - 1
            severity = str(flag.get("severity"))
            reason = text_flowable(
                str(flag.get("reason") or ""),
                styles["small"],
                label=f"{fmt.severity_word(severity)}:",
            )
            rows.append([reason, ""])
            extra.append(("SPAN", (0, row + 1), (1, row + 1)))
            extra.append(("NOSPLIT", (0, row), (-1, row + 1)))
            extra.append(("LINEBELOW", (0, row), (-1, row), 0, colors.white))
            tint = SEVERITY_TINT.get(severity)
            if tint is not None:
                extra.append(("BACKGROUND", (0, row), (-1, row + 1), tint))
    for score in scores:
        if score.get("id") not in by_item:
            continue
        value = fmt.number_text(score.get("value"))
        if score.get("band_label"):
            value = f"{value} · {score['band_label']}"
        rows.append(
            [
                text_flowable(
                    str(score.get("label") or score.get("id")), styles["cell"], bold=True
                ),
                text_flowable(value, styles["cell"], bold=True),
            ]
        )
    if form.get("credit"):
        if not rows:
            rows.append([Spacer(0, 0), ""])
        rows.append([text_flowable(str(form["credit"]), styles["credit"]), ""])
        last = len(rows) - 1
        extra.append(("SPAN", (0, last), (1, last)))
        extra.append(("NOSPLIT", (0, last - 1), (-1, last)))
        extra.append(("LINEBELOW", (0, last), (-1, last), 0, colors.white))
    flush()
    return out


def answers_and_scores(
    forms: list[dict[str, Any]], summary: dict[str, Any], styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Each form, then change over time and triage, flowing down two columns."""
    # A point narrower than the column, so rounding never makes a table too wide.
    width = (CONTENT_WIDTH - COLUMN_GAP) / 2 - 1
    content: list[Flowable] = []
    for form in forms:
        content.extend(_form_block(form, styles, width))
    content.extend(_change(summary, styles, width))
    content.extend(_triage(summary, styles, width))
    return [
        # Not kept with the columns: keeping a heading with a flowable that
        # large makes reportlab lay the columns out several times over.
        Paragraph("Answers and scores", styles["h1_columns"]),
        BalancedColumns(
            content,
            nCols=2,
            innerPadding=COLUMN_GAP,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
    ]


def _bold_row(header: list[str], styles: dict[str, ParagraphStyle]) -> list[Any]:
    """A table's header row, each word in bold."""
    return [Paragraph(f"<b>{h}</b>", styles["small"]) for h in header]


def _change(
    summary: dict[str, Any], styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    changes = list(summary.get("change") or [])
    out: list[Flowable] = [Paragraph("Change over time", styles["h2"])]
    if not changes:
        out.append(Paragraph("No earlier answers to compare with.", styles["small"]))
        return out
    rows: list[list[Any]] = [_bold_row(["Measure", "First", "Latest", "Change"], styles)]
    for entry in changes:
        change = entry.get("change")
        if change == 0:
            result = "No change"
        elif entry.get("improved") is True:
            result = "Improved"
        elif entry.get("improved") is False:
            result = "Worse"
        else:
            result = "—"
        better = f"{entry['better']} is better" if entry.get("better") else ""
        rows.append(
            [
                text_flowable(
                    f"{entry.get('label') or entry.get('measure')}\n{better}", styles["small"]
                ),
                text_flowable(
                    f"{fmt.number_text(entry.get('baseline'))}\n{fmt.date_text(entry.get('baseline_at'))}",
                    styles["small"],
                ),
                text_flowable(
                    f"{fmt.number_text(entry.get('latest'))}\n{fmt.date_text(entry.get('latest_at'))}",
                    styles["small"],
                ),
                text_flowable(f"{fmt.signed(change)}\n{result}", styles["small"], bold=True),
            ]
        )
    shares = [0.34, 0.22, 0.22, 0.22]
    out.append(rows_table(rows, [width * s for s in shares], header=True))
    return out


def _triage(
    summary: dict[str, Any], styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    triage = summary.get("triage") or {}
    out: list[Flowable] = [Paragraph("Triage and referrals", styles["h2"])]
    changed = fmt.datetime_text(triage.get("updated_at"))
    if triage.get("updated_by"):
        changed += f" by {triage['updated_by']}"
    out.append(
        text_flowable(
            f"{fmt.words(fmt.STATUS_WORDS, triage.get('status'))}. "
            f"Owner: {triage.get('owner') or 'nobody yet'}. Last changed: {changed}.",
            styles["small"],
            label="Status:",
        )
    )
    if str(triage.get("notes") or "").strip():
        out.append(text_flowable(str(triage["notes"]), styles["small"], label="Notes:"))
    referrals = list(summary.get("referrals") or [])
    if not referrals:
        out.append(Paragraph("No referrals.", styles["small"]))
        return out
    rows: list[list[Any]] = [_bold_row(["Referral", "Referred", "Outcome", "Notes"], styles)]
    for referral in referrals:
        outcome = fmt.words(fmt.OUTCOME_WORDS, referral.get("outcome"))
        if referral.get("outcome_on"):
            outcome += f"\n{fmt.date_text(referral['outcome_on'])}"
        cells = [
            fmt.words(fmt.REFERRAL_WORDS, referral.get("kind")),
            fmt.date_text(referral.get("referred_on")),
            outcome,
            str(referral.get("notes") or ""),
        ]
        rows.append([text_flowable(c, styles["small"]) for c in cells])
    shares = [0.32, 0.22, 0.22, 0.24]
    out.append(rows_table(rows, [width * s for s in shares], header=True))
    return out
