"""PDF benchmarks.

pdf_summary_ms  render one clinician summary (a pain clinic submission with
                three flags, ONS4, MyCaW, SEMCD-6, change and referrals) to PDF
                bytes, median of runs (fonts registered before timing);
                baseline: a bare reportlab canvas with one paragraph, in the
                same run.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kiosk.reports import clinician_summary_pdf
from kiosk.reports.fonts import register_fonts

RUNS = 15
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


def _bare_paragraph() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    paragraph = Paragraph(
        "What matters to me: the pain in my lower back stops me walking my dog.",
        ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12),
    )
    paragraph.wrapOn(canvas, 450, 700)
    paragraph.drawOn(canvas, 72, 700)
    canvas.save()
    return buffer.getvalue()


def pdf_summary_ms() -> dict[str, float | str]:
    register_fonts()
    summary = sample_summary()

    def render() -> None:
        clinician_summary_pdf(summary, printed_by="bench", printed_at=PRINTED_AT)

    render()  # warm-up: fonts parsed, caches filled
    value = _median_ms(render, RUNS)
    baseline = _median_ms(_bare_paragraph, RUNS)
    return {"value": value, "unit": "ms", "baseline": baseline, "ratio": value / baseline}


METRICS = {"pdf_summary_ms": pdf_summary_ms}


def run(only: set[str] | None = None) -> dict[str, dict[str, float | str]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
