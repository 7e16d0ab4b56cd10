"""The clinician summary for the record: one patient's answers on (usually) one A4 page.

Input is the summary object of ``GET /api/v1/submissions/{id}``
(docs/staff-api.md, "One patient's summary"). Every page repeats the patient's
identifiers, the clinic, the appointment, when they answered and "Page N of M".
The body, in order: what needs attention (every flag, urgent first, severity in
words), what matters to the patient in their own words, the about-you
essentials, each form's questions and answers with scores and bands, change
over time, and triage with referrals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, Spacer  # type: ignore[import-untyped]

from kiosk.reports import formatting as fmt
from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.pages import PAGE_HEIGHT, PageNumber, PageSetup, a4_pdf, draw_stack, rule
from kiosk.reports.summary_columns import answers_and_scores, question_and_answer
from kiosk.reports.summary_look import (
    CONTENT_WIDTH,
    FOOTER_HEIGHT,
    GRID,
    HEADER_HEIGHT,
    MARGIN,
    SEPARATOR,
    SEVERITY_TINT,
    rows_table,
    summary_styles,
)
from kiosk.reports.textflow import escape, text_flowable

# The four about-you essentials share one row in these proportions; any other
# number of essentials shares it equally.
ESSENTIAL_SHARES = {4: (0.32, 0.17, 0.34, 0.17)}

PAGE = PageSetup(
    title="Clinician summary",
    lang="en-GB",
    side=MARGIN,
    top=MARGIN + HEADER_HEIGHT,
    bottom=MARGIN + FOOTER_HEIGHT,
    name="summary",
)


def clinician_summary_pdf(
    summary: dict[str, Any], *, printed_by: str, printed_at: dt.datetime
) -> bytes:
    """The clinician summary of one submission as PDF bytes.

    ``summary`` is the object ``GET /api/v1/submissions/{id}`` returns;
    ``printed_by`` and ``printed_at`` go in every page's footer.
    """
    register_fonts()
    styles = summary_styles()
    forms = [f for f in summary.get("forms") or [] if not _shown_elsewhere(f, summary)]
    story = [
        *_needs_attention(summary, styles),
        *_what_matters(summary, styles),
        *_essentials(summary, styles),
        *answers_and_scores(forms, summary, styles),
    ]

    def on_page(canvas: Canvas) -> None:
        _draw_header(canvas, summary, styles)
        _draw_footer(canvas, summary, styles, printed_by, printed_at)

    page_number = PageNumber(
        LATIN.bold, 8.5, MARGIN + CONTENT_WIDTH, PAGE_HEIGHT - MARGIN - 21, align="right"
    )
    return a4_pdf(story, PAGE, on_page=on_page, page_number=page_number)


# ---------------------------------------------------------------- page furniture
def _patient_lines(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    patient = summary.get("patient")
    if not patient:
        name_line = text_flowable("Anonymous", styles["name"])
        ids = "No patient identifiers: anonymous session"
    else:
        # Left to right whatever the script: the header is laid out for English.
        name_line = text_flowable(
            patient.get("name") or "Name not known", styles["name"], direction="ltr"
        )
        ids = SEPARATOR.join(
            [
                f"Born {fmt.date_text(patient.get('birth_date'))}",
                f"NHS No. {fmt.nhs_number(patient.get('nhs_number'))}",
                f"Hospital No. {patient.get('hospital_number') or '—'}",
            ]
        )
    visit_parts = [
        str(summary.get("clinic") or "Clinic not known"),
        f"Appointment {summary.get('appointment_time') or '—'}",
        f"Answered {fmt.datetime_text(summary.get('started_at'))}",
    ]
    if summary.get("pathway_title") and summary.get("pathway_title") != summary.get("clinic"):
        visit_parts.append(str(summary["pathway_title"]))
    visit = SEPARATOR.join(visit_parts)
    return [
        name_line,
        text_flowable(ids, styles["header"], direction="ltr"),
        text_flowable(visit, styles["header"], direction="ltr"),
    ]


def _draw_header(
    canvas: Canvas, summary: dict[str, Any], styles: dict[str, ParagraphStyle]
) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - MARGIN
    title = Paragraph("What matters: clinician summary", styles["title"])
    draw_stack(canvas, [title], MARGIN + CONTENT_WIDTH - 60 * mm, top, 60 * mm)
    draw_stack(canvas, _patient_lines(summary, styles), MARGIN, top, CONTENT_WIDTH - 45 * mm)
    line_y = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT + 2.5 * mm
    rule(canvas, MARGIN, line_y, CONTENT_WIDTH, colors.black, 0.8)
    canvas.restoreState()


def _draw_footer(
    canvas: Canvas,
    summary: dict[str, Any],
    styles: dict[str, ParagraphStyle],
    printed_by: str,
    printed_at: dt.datetime,
) -> None:
    canvas.saveState()
    rule(canvas, MARGIN, MARGIN + FOOTER_HEIGHT - 2 * mm, CONTENT_WIDTH, GRID, 0.5)
    submission = str(summary.get("submission_id") or "")
    text = (
        f"Printed by {printed_by} on {fmt.datetime_text(printed_at)}. "
        "Confidential: contains patient information. "
        f"What Matters Kiosk, submission {submission[:8] or '—'}."
    )
    draw_stack(
        canvas,
        [text_flowable(text, styles["footer"], direction="ltr")],
        MARGIN,
        MARGIN + FOOTER_HEIGHT - 3 * mm,
        CONTENT_WIDTH,
    )
    canvas.restoreState()


# ---------------------------------------------------------------- sections
def sorted_flags(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Urgent first, then high, then routine; otherwise in the order given."""
    return sorted(flags, key=lambda f: fmt.SEVERITY_ORDER.get(str(f.get("severity")), 3))


def _needs_attention(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Needs attention", styles["h1"])]
    if not summary.get("complete", True):
        reason = str(summary.get("end_reason") or "not finished").replace("_", " ")
        out.append(
            text_flowable(
                f"The patient did not finish the questions ({reason}). "
                "Answers shown are those given.",
                styles["body"],
                label="Incomplete:",
            )
        )
    flags = sorted_flags(list(summary.get("flags") or []))
    if not flags:
        out.append(Paragraph("No flags raised.", styles["body"]))
        return out
    rows, extra = [], []
    for row, flag in enumerate(flags):
        severity = str(flag.get("severity"))
        rows.append(
            [
                Paragraph(f"<b>{escape(fmt.severity_word(severity))}</b>", styles["cell"]),
                text_flowable(str(flag.get("reason") or ""), styles["cell"]),
            ]
        )
        tint = SEVERITY_TINT.get(severity)
        if tint is not None:
            extra.append(("BACKGROUND", (0, row), (0, row), tint))
    out.append(rows_table(rows, [17 * mm, CONTENT_WIDTH - 17 * mm], extra))
    return out


def _what_matters(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph("What matters to me (in the patient's own words)", styles["h1"])
    ]
    answered = [w for w in summary.get("what_matters") or [] if str(w.get("answer") or "").strip()]
    for entry in answered:
        out.extend(
            question_and_answer(str(entry.get("question") or ""), str(entry["answer"]), styles)
        )
        out.append(Spacer(0, 1.5))
    questions = [str(q) for q in summary.get("questions_to_ask") or []]
    if questions:
        out.append(
            text_flowable("; ".join(questions), styles["body"], label="Questions they want to ask:")
        )
    if not answered and not questions:
        out.append(Paragraph("Nothing written.", styles["body"]))
    return out


def _shown_elsewhere(form: dict[str, Any], summary: dict[str, Any]) -> bool:
    """A form with highlighted answers is shown by those only: the patient's own words
    at the top, the essentials in their row. The rest of such a form (equality
    monitoring: ethnicity, postcode, sex) is for checking the service is fair and, as
    the patient is told, does not change their care, so it is not printed. A summary
    that does not say which forms are highlighted is read by which answers it shows
    apart."""
    if "highlighted" in form:
        return bool(form["highlighted"])
    apart = set(summary.get("essentials") or {})
    apart |= {str(w.get("item_id")) for w in summary.get("what_matters") or []}
    return any(item.get("id") in apart for item in form.get("items") or [])


def _essentials(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    essentials = summary.get("essentials") or {}
    if not essentials:
        return []
    labels = summary.get("essential_labels") or {}
    cells = []
    for key, value in essentials.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or None
        label = f"{labels.get(key) or key.replace('_', ' ').capitalize()}:"
        shown = str(value) if value not in (None, "") else fmt.NOT_ANSWERED
        cells.append(text_flowable(shown, styles["cell"], label=label))
    shares = ESSENTIAL_SHARES.get(len(cells), (1 / len(cells),) * len(cells))
    widths = [CONTENT_WIDTH * share for share in shares]
    return [Paragraph("About you: essentials", styles["h1"]), rows_table([cells], widths)]
