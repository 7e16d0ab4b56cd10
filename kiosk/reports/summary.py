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
import io
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import BalancedColumns  # type: ignore[import-untyped]

from kiosk.reports import formatting as fmt
from kiosk.reports.bidi import base_direction
from kiosk.reports.fonts import LATIN, register_fonts
from kiosk.reports.pages import build, numbered_canvas
from kiosk.reports.textflow import escape, text_flowable

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 10 * mm
HEADER_HEIGHT = 17 * mm
FOOTER_HEIGHT = 8 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
COLUMN_GAP = 5 * mm

# Forms shown elsewhere on the page: what_matters in the patient's own words at
# the top; about_you by its essentials only. Its equality-monitoring answers
# (ethnicity, postcode, sex) are for checking the service is fair and, as the
# patient is told, do not change their care, so they are not printed.
SHOWN_ELSEWHERE = frozenset({"what_matters", "about_you"})

# Free-text answers longer than this are printed under their question, full
# width, so that they can run on to the next page.
LONG_ANSWER = 300
# Share of a column for the question; answers are mostly short.
QUESTION_SHARE = 0.75

SEVERITY_TINT = {
    "urgent": colors.HexColor("#F6D5D8"),
    "high": colors.HexColor("#FBE3C4"),
    "routine": colors.HexColor("#E8E8E8"),
}
GRID = colors.HexColor("#B0B0B0")
SEPARATOR = "  |  "
GREY = colors.HexColor("#444444")


def _styles() -> dict[str, ParagraphStyle]:
    font, bold = LATIN.regular, LATIN.bold
    return {
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=11),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=9.7),
        "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=9.4),
        "credit": ParagraphStyle(
            "credit", fontName=font, fontSize=6.5, leading=8, textColor=GREY, spaceBefore=1
        ),
        "h1": ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=4,
            spaceAfter=1.5,
            keepWithNext=1,
        ),
        "h1_columns": ParagraphStyle(
            "h1_columns", fontName=bold, fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=1.5
        ),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=9, leading=11, spaceBefore=3.5, spaceAfter=1
        ),
        "header": ParagraphStyle("header", fontName=font, fontSize=8.5, leading=10.5),
        "name": ParagraphStyle("name", fontName=bold, fontSize=11.5, leading=14),
        "title": ParagraphStyle(
            "title", fontName=bold, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        "footer": ParagraphStyle("footer", fontName=font, fontSize=7, leading=8.5, textColor=GREY),
    }


def clinician_summary_pdf(
    summary: dict[str, Any], *, printed_by: str, printed_at: dt.datetime
) -> bytes:
    """The clinician summary of one submission as PDF bytes.

    ``summary`` is the object ``GET /api/v1/submissions/{id}`` returns;
    ``printed_by`` and ``printed_at`` go in every page's footer.
    """
    register_fonts()
    styles = _styles()
    story = [
        *_needs_attention(summary, styles),
        *_what_matters(summary, styles),
        *_essentials(summary, styles),
        *_forms(summary, styles),
    ]

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_header(canvas, summary, styles)
        _draw_footer(canvas, summary, styles, printed_by, printed_at)

    doc = BaseDocTemplate(
        io.BytesIO(),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title="Clinician summary",
        author="What Matters Kiosk",
        creator="What Matters Kiosk",
        lang="en-GB",
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        CONTENT_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="summary", frames=[frame], onPage=on_page)])
    return build(doc, story, numbered_canvas(_draw_page_number))


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


def _draw_stack(
    canvas: Canvas, flowables: list[Flowable], x: float, top: float, width: float
) -> float:
    for flowable in flowables:
        _, height = flowable.wrapOn(canvas, width, PAGE_HEIGHT)
        top -= height
        flowable.drawOn(canvas, x, top)
    return top


def _draw_header(
    canvas: Canvas, summary: dict[str, Any], styles: dict[str, ParagraphStyle]
) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - MARGIN
    title = Paragraph("What matters: clinician summary", styles["title"])
    _draw_stack(canvas, [title], MARGIN + CONTENT_WIDTH - 60 * mm, top, 60 * mm)
    _draw_stack(canvas, _patient_lines(summary, styles), MARGIN, top, CONTENT_WIDTH - 45 * mm)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.8)
    line_y = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT + 2.5 * mm
    canvas.line(MARGIN, line_y, MARGIN + CONTENT_WIDTH, line_y)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, page: int, pages: int) -> None:
    canvas.saveState()
    canvas.setFont(LATIN.bold, 8.5)
    canvas.drawRightString(
        MARGIN + CONTENT_WIDTH, PAGE_HEIGHT - MARGIN - 21, f"Page {page} of {pages}"
    )
    canvas.restoreState()


def _draw_footer(
    canvas: Canvas,
    summary: dict[str, Any],
    styles: dict[str, ParagraphStyle],
    printed_by: str,
    printed_at: dt.datetime,
) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.line(
        MARGIN,
        MARGIN + FOOTER_HEIGHT - 2 * mm,
        MARGIN + CONTENT_WIDTH,
        MARGIN + FOOTER_HEIGHT - 2 * mm,
    )
    submission = str(summary.get("submission_id") or "")
    text = (
        f"Printed by {printed_by} on {fmt.datetime_text(printed_at)}. "
        "Confidential: contains patient information. "
        f"What Matters Kiosk, submission {submission[:8] or '—'}."
    )
    _draw_stack(
        canvas,
        [text_flowable(text, styles["footer"], direction="ltr")],
        MARGIN,
        MARGIN + FOOTER_HEIGHT - 3 * mm,
        CONTENT_WIDTH,
    )
    canvas.restoreState()


# ---------------------------------------------------------------- sections
def _table(
    rows: list[list[Any]],
    widths: list[float],
    extra: list[tuple[Any, ...]] | None = None,
    header: bool = False,
) -> Table:
    table = Table(
        rows, colWidths=widths, hAlign="LEFT", splitByRow=1, repeatRows=1 if header else 0
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
    ]
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


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
    out.append(_table(rows, [17 * mm, CONTENT_WIDTH - 17 * mm], extra))
    return out


def _question_and_answer(
    question: str, answer: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The question in bold, then the patient's words; right-to-left words get their own line."""
    if base_direction(answer) == "rtl":
        return [
            text_flowable(question, styles["body"], bold=True),
            text_flowable(answer, styles["body"]),
        ]
    return [text_flowable(answer, styles["body"], label=question)]


def _what_matters(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph("What matters to me (in the patient's own words)", styles["h1"])
    ]
    answered = [w for w in summary.get("what_matters") or [] if str(w.get("answer") or "").strip()]
    for entry in answered:
        out.extend(
            _question_and_answer(str(entry.get("question") or ""), str(entry["answer"]), styles)
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


def _essentials(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    essentials = summary.get("essentials") or {}
    needs = essentials.get("accessibility_needs")
    if isinstance(needs, list):
        needs = ", ".join(str(n) for n in needs) or None
    fields = [
        ("Preferred language:", essentials.get("preferred_language")),
        ("Interpreter:", essentials.get("interpreter")),
        ("Accessibility needs:", needs),
        ("Carer:", essentials.get("carer")),
    ]
    cells = [
        text_flowable(str(v) if v not in (None, "") else fmt.NOT_ANSWERED, styles["cell"], label=k)
        for k, v in fields
    ]
    widths = [CONTENT_WIDTH * share for share in (0.32, 0.17, 0.34, 0.17)]
    return [Paragraph("About you: essentials", styles["h1"]), _table([cells], widths)]


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
            out.append(_table(rows, widths, extra))
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
            out.extend(_question_and_answer(question, answer, styles))
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


def _forms(summary: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Each form, then change over time and triage, flowing down two columns."""
    # A point narrower than the column, so rounding never makes a table too wide.
    width = (CONTENT_WIDTH - COLUMN_GAP) / 2 - 1
    content: list[Flowable] = []
    for form in summary.get("forms") or []:
        if form.get("form_id") not in SHOWN_ELSEWHERE:
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


def _change(
    summary: dict[str, Any], styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    changes = list(summary.get("change") or [])
    out: list[Flowable] = [Paragraph("Change over time", styles["h2"])]
    if not changes:
        out.append(Paragraph("No earlier answers to compare with.", styles["small"]))
        return out
    header = ["Measure", "First", "Latest", "Change"]
    rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", styles["small"]) for h in header]]
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
    out.append(
        _table(
            rows,
            [width * s for s in shares],
            [("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)],
            header=True,
        )
    )
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
    header = ["Referral", "Referred", "Outcome", "Notes"]
    rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", styles["small"]) for h in header]]
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
    out.append(
        _table(
            rows,
            [width * s for s in shares],
            [("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)],
            header=True,
        )
    )
    return out
