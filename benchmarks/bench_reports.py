"""PDF benchmarks.

pdf_summary_ms  render one clinician summary (a pain clinic submission with
                three flags, ONS4, MyCaW, SEMCD-6, change and referrals) to PDF
                bytes, median of runs (fonts registered before timing);
                baseline: one A4 page on a bare reportlab canvas with a paragraph
                in each face the summary embeds (Noto Sans regular and bold,
                subset and embedded as in the summary), in the same run. n: the
                summary's pages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
import time
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kiosk.reports import clinician_summary_pdf
from kiosk.reports.fonts import LATIN, register_fonts

RUNS = 15
PAGE = re.compile(rb"/Type /Page\b(?!s)")
PRINTED_AT = dt.datetime(2026, 11, 24, 10, 5, tzinfo=dt.UTC)


def _median_ms(action: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _item(item_id: str, question: str, answer: Any, text: str, flag: Any = None) -> dict[str, Any]:
    return {
        "id": item_id,
        "question": question,
        "answer": answer,
        "answer_text": text,
        "flag": flag,
    }


def sample_summary() -> dict[str, Any]:
    """A typical pain clinic summary, shaped like GET /api/v1/submissions/{id}."""
    flags = [
        (
            "feel_unsafe",
            "urgent",
            "Said they sometimes feel unsafe. Possible safeguarding concern.",
        ),
        ("wants_help", "high", "Asked to talk to someone who may be able to help."),
        ("ends_meet", "routine", "Has difficulty making ends meet at the end of the month."),
    ]
    flag_objects = {f: {"id": f, "severity": s, "reason": r} for f, s, r in flags}
    welfare_questions = {
        "ends_meet": "Do you have difficulty making ends meet at the end of the month?",
        "missed_meal": "Do you ever have to miss a meal because you don't have food?",
        "stable_housing": "In the past 2 months, have you been living in stable housing?",
        "support_network": "Do you have family or friends you can rely on for support?",
        "feel_unsafe": "Do you ever feel unsafe?",
        "carer_impact": "Do your personal health issues impact your role as a carer?",
        "wants_help": "Do you want to talk to someone who may be able to help?",
    }
    yes = {"ends_meet", "stable_housing", "support_network", "feel_unsafe", "wants_help"}
    welfare = [
        _item(i, q, "yes" if i in yes else "no", "Yes" if i in yes else "No", flag_objects.get(i))
        for i, q in welfare_questions.items()
    ]
    ons = [("life_satisfaction", 6, "Medium (5-6)"), ("worthwhile", 7, "High (7-8)")]
    ons += [("happiness", 4, "Low (0-4)"), ("anxiety", 3, "Low (2-3)")]
    semcd = ["fatigue", "pain", "emotional_distress", "other_symptoms", "tasks", "non_drug"]
    confident = "How confident do you feel that you can keep {} from interfering with things?"
    return {
        "submission_id": "3f2a9c0d5b7e41a8a6c1d2e3f4a5b6c7",
        "started_at": "2026-11-24T09:12:03.120+00:00",
        "complete": True,
        "end_reason": "submitted",
        "pathway_title": "Pain clinic",
        "clinic": "Pain clinic",
        "appointment_time": "09:30",
        "patient": {
            "name": "Alex Example",
            "birth_date": "1950-03-03",
            "nhs_number": "9434765919",
            "hospital_number": None,
        },
        "what_matters": [
            {
                "item_id": "main_concern",
                "question": "What is your main worry or problem today?",
                "answer": "The pain in my lower back stops me walking my dog.",
            },
            {
                "item_id": "hope_to_achieve",
                "question": "What would you like to get from your appointment today?",
                "answer": "A plan for the pain, and to know if I need a scan.",
            },
        ],
        "questions_to_ask": ["What are my options?", "What happens next?"],
        "flags": [{**flag_objects[f], "form_id": "social_welfare"} for f, _, _ in flags],
        "forms": [
            {
                "form_id": "social_welfare",
                "title": "Things that affect your health",
                "version": "1.0",
                "known": True,
                "credit": None,
                "items": welfare,
                "scores": [],
            },
            {
                "form_id": "ons4",
                "title": "How you feel about your life",
                "version": "1.0",
                "known": True,
                "credit": "Source: Office for National Statistics licensed under the Open "
                "Government Licence v.3.0",
                "items": [_item(i, f"ONS4 question about {i}?", v, str(v)) for i, v, _ in ons],
                "scores": [
                    {"id": i, "label": i, "value": v, "band": None, "band_label": b}
                    for i, v, b in ons
                ],
            },
            {
                "form_id": "semcd6",
                "title": "Managing your health",
                "version": "1.0",
                "known": True,
                "credit": None,
                "items": [_item(i, confident.format(i.replace("_", " ")), 5, "5") for i in semcd],
                "scores": [
                    {
                        "id": "semcd_mean",
                        "label": "SEMCD-6 mean",
                        "value": 5.5,
                        "band": None,
                        "band_label": None,
                    }
                ],
            },
        ],
        "essentials": {
            "preferred_language": "English",
            "interpreter": "No",
            "accessibility_needs": [],
            "carer": "No",
        },
        "change": [
            {
                "measure": "ons4.life_satisfaction",
                "label": "Life satisfaction (ONS4)",
                "baseline": 4,
                "baseline_at": "2026-03-03T10:02:00+00:00",
                "latest": 6,
                "latest_at": "2026-11-24T09:12:03+00:00",
                "change": 2,
                "better": "higher",
                "improved": True,
            }
        ],
        "triage": {
            "status": "new",
            "owner": None,
            "notes": "",
            "version": 0,
            "updated_at": None,
            "updated_by": None,
        },
        "referrals": [
            {
                "id": 1,
                "kind": "food_bank",
                "referred_on": "2026-11-24",
                "outcome": "awaiting",
                "outcome_on": None,
                "notes": "",
                "version": 0,
            }
        ],
    }


FLOOR_TEXT = (
    "What matters to me: the pain in my lower back stops me walking my dog. "
    "Needs attention: feels unsafe (urgent), wants help, money. SEMCD-6 mean 5.5; "
    "life satisfaction 4 -> 6, improved. Referred 24 Nov 2026 to the food bank."
)


def _same_fonts_page() -> bytes:
    """The floor: one A4 page, a paragraph in each face the summary embeds."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for face, top in ((LATIN.regular, 760), (LATIN.bold, 700)):
        paragraph = Paragraph(
            FLOOR_TEXT, ParagraphStyle(face, fontName=face, fontSize=9, leading=11)
        )
        _, height = paragraph.wrapOn(canvas, 450, 200)
        paragraph.drawOn(canvas, 72, top - height)
    canvas.save()
    return buffer.getvalue()


def pdf_summary_ms() -> dict[str, float | str]:
    register_fonts()
    summary = sample_summary()

    def render() -> bytes:
        return clinician_summary_pdf(summary, printed_by="bench", printed_at=PRINTED_AT)

    pages = len(PAGE.findall(render()))  # warm-up: fonts parsed, caches filled
    value = _median_ms(render, RUNS)
    baseline = _median_ms(_same_fonts_page, RUNS)
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": pages,
    }


METRICS = {"pdf_summary_ms": pdf_summary_ms}


def run(only: set[str] | None = None) -> dict[str, dict[str, float | str]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
