"""Summary objects shaped exactly like GET /api/v1/submissions/{id} (docs/staff-api.md)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from typing import Any

import pytest

NHS_NUMBER = "9434765919"
NHS_FORMATTED = "943 476 5919"

FEEL_UNSAFE_REASON = (
    "Said they sometimes feel unsafe. Possible safeguarding concern: speak to the patient "
    "privately today and follow the safeguarding procedure."
)
WANTS_HELP_REASON = "Asked to talk to someone who may be able to help. Please speak to them today."
ENDS_MEET_REASON = "Has difficulty making ends meet at the end of the month (financial hardship)."

MAIN_CONCERN = "The pain in my lower back stops me walking my dog Bramble."
HOPE = "A plan for the pain, and to know if I need a scan."
WHY = "Walking is how I see my friends; I have stopped going out."
OWN_QUESTION = "Can I keep swimming on Tuesdays?"

ONS_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)


def _yes_no(
    item_id: str, question: str, answer: str, flag: dict[str, Any] | None = None
) -> dict[str, Any]:
    words = {"yes": "Yes", "no": "No", "prefer_not": "I don't want to answer"}[answer]
    return {
        "id": item_id,
        "question": question,
        "answer": answer,
        "answer_text": words,
        "flag": flag,
    }


def _scale(item_id: str, question: str, value: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "question": question,
        "answer": value,
        "answer_text": str(value),
        "flag": None,
    }


def _band(value: int, bands: list[tuple[str, int, int, str]]) -> tuple[str, str]:
    for code, low, high, label in bands:
        if low <= value <= high:
            return code, label
    raise ValueError(value)


ONS_BANDS = [
    ("low", 0, 4, "Low (0-4)"),
    ("medium", 5, 6, "Medium (5-6)"),
    ("high", 7, 8, "High (7-8)"),
    ("very_high", 9, 10, "Very high (9-10)"),
]
ANXIETY_BANDS = [
    ("very_low", 0, 1, "Very low (0-1)"),
    ("low", 2, 3, "Low (2-3)"),
    ("medium", 4, 5, "Medium (4-5)"),
    ("high", 6, 10, "High (6-10)"),
]


def _ons_score(
    item_id: str, label: str, value: int, bands: list[tuple[str, int, int, str]]
) -> dict[str, Any]:
    band, band_label = _band(value, bands)
    return {"id": item_id, "label": label, "value": value, "band": band, "band_label": band_label}


def make_summary() -> dict[str, Any]:
    """A pain clinic submission: three social-welfare flags, ONS4, MyCaW, SEMCD, history."""
    feel_unsafe = {
        "id": "feel_unsafe",
        "form_id": "social_welfare",
        "severity": "urgent",
        "reason": FEEL_UNSAFE_REASON,
    }
    wants_help = {
        "id": "wants_help",
        "form_id": "social_welfare",
        "severity": "high",
        "reason": WANTS_HELP_REASON,
    }
    ends_meet = {
        "id": "ends_meet",
        "form_id": "social_welfare",
        "severity": "routine",
        "reason": ENDS_MEET_REASON,
    }

    def item_flag(flag: dict[str, Any]) -> dict[str, Any]:
        return {k: flag[k] for k in ("id", "severity", "reason")}

    return {
        "submission_id": "3f2a9c0d5b7e41a8a6c1d2e3f4a5b6c7",
        "started_at": "2026-11-24T09:12:03.120+00:00",
        "received_at": "2026-11-24T09:20:44.001+00:00",
        "complete": True,
        "end_reason": "submitted",
        "pathway": "pain",
        "pathway_title": "Pain clinic",
        "language": "en",
        "clinic": "Pain clinic",
        "appointment_time": "09:30",
        "patient": {
            "name": "Alex Example",
            "birth_date": "1950-03-03",
            "nhs_number": NHS_NUMBER,
            "hospital_number": "RLH1234567",
        },
        "what_matters": [
            {
                "item_id": "main_concern",
                "question": "What is your main worry or problem today?",
                "answer": MAIN_CONCERN,
            },
            {
                "item_id": "hope_to_achieve",
                "question": "What would you like to get from your appointment today?",
                "answer": HOPE,
            },
            {"item_id": "why_important", "question": "Why does this matter to you?", "answer": WHY},
            {
                "item_id": "own_question",
                "question": "Is there anything else you want to ask?",
                "answer": OWN_QUESTION,
            },
        ],
        "questions_to_ask": ["What are my options?", "What happens next?"],
        # Deliberately not in severity order: the PDF sorts them.
        "flags": [ends_meet, feel_unsafe, wants_help],
        "forms": [
            {
                "form_id": "what_matters",
                "title": "What matters to you",
                "version": "1.0",
                "known": True,
                "credit": None,
                "items": [
                    {
                        "id": "main_concern",
                        "question": "What is your main worry or problem today?",
                        "answer": MAIN_CONCERN,
                        "answer_text": MAIN_CONCERN,
                        "flag": None,
                    },
                ],
                "scores": [],
            },
            {
                "form_id": "social_welfare",
                "title": "Things that affect your health",
                "version": "1.0",
                "known": True,
                "credit": "Questions from the Barts Health Social Welfare Screening Tool.",
                "items": [
                    _yes_no(
                        "ends_meet",
                        "Do you have difficulty making ends meet at the end of the month?",
                        "yes",
                        item_flag(ends_meet),
                    ),
                    _yes_no(
                        "missed_meal",
                        "Do you ever have to miss a meal because you don't have food?",
                        "no",
                    ),
                    _yes_no(
                        "stable_housing",
                        (
                            "In the past 2 months, have you been living in stable housing that you "
                            "own, rent, or stay in as part of a household?"
                        ),
                        "yes",
                    ),
                    _yes_no(
                        "support_network",
                        (
                            "If you were in trouble or felt alone, do you have family or friends "
                            "you can rely on for support?"
                        ),
                        "yes",
                    ),
                    _yes_no(
                        "feel_unsafe", "Do you ever feel unsafe?", "yes", item_flag(feel_unsafe)
                    ),
                    _yes_no(
                        "carer_impact",
                        "Do your personal health issues impact your role as a carer?",
                        "prefer_not",
                    ),
                    _yes_no(
                        "wants_help",
                        "Do you want to talk to someone who may be able to help?",
                        "yes",
                        item_flag(wants_help),
                    ),
                ],
                "scores": [
                    {
                        "id": "screen_positive",
                        "label": "Screen positive (any social need flagged)",
                        "value": True,
                        "band": None,
                        "band_label": None,
                    },
                ],
            },
            {
                "form_id": "ons4",
                "title": "How you feel about your life",
                "version": "1.0",
                "known": True,
                "credit": ONS_CREDIT,
                "items": [
                    _scale(
                        "life_satisfaction",
                        "Overall, how satisfied are you with your life nowadays?",
                        6,
                    ),
                    _scale(
                        "worthwhile",
                        (
                            "Overall, to what extent do you feel that the things you do in your "
                            "life are worthwhile?"
                        ),
                        7,
                    ),
                    _scale("happiness", "Overall, how happy did you feel yesterday?", 4),
                    _scale(
                        "anxiety",
                        (
                            'On a scale where 0 is "not at all anxious" and 10 is "completely '
                            'anxious", overall, how anxious did you feel yesterday?'
                        ),
                        3,
                    ),
                ],
                "scores": [
                    _ons_score("life_satisfaction", "Life satisfaction", 6, ONS_BANDS),
                    _ons_score("worthwhile", "Worthwhile", 7, ONS_BANDS),
                    _ons_score("happiness", "Happiness", 4, ONS_BANDS),
                    _ons_score("anxiety", "Anxiety", 3, ANXIETY_BANDS),
                ],
            },
            {
                "form_id": "mycaw",
                "title": "Your concerns and how you feel",
                "version": "1.0",
                "known": True,
                "credit": (
                    "MYCaW® is a registered trade mark of Meaningful Measures Ltd, used under "
                    "licence."
                ),
                "items": [
                    {
                        "id": "concern_1",
                        "question": (
                            "What worry or problem would you most like us to help you with?"
                        ),
                        "answer": "Back pain when walking",
                        "answer_text": "Back pain when walking",
                        "flag": None,
                    },
                    _scale("concern_1_score", "How much does this bother you now?", 5),
                    {
                        "id": "concern_2",
                        "question": "Is there a second worry or problem you would like help with?",
                        "answer": "Sleeping",
                        "answer_text": "Sleeping",
                        "flag": None,
                    },
                    _scale(
                        "concern_2_score",
                        "How much does this second worry or problem bother you now?",
                        4,
                    ),
                    _scale(
                        "wellbeing",
                        "How do you feel in yourself now? Think about your general wellbeing.",
                        3,
                    ),
                ],
                "scores": [
                    {
                        "id": "concern_1_score",
                        "label": "Concern 1 rating (0-6)",
                        "value": 5,
                        "band": None,
                        "band_label": None,
                    },
                    {
                        "id": "concern_2_score",
                        "label": "Concern 2 rating (0-6)",
                        "value": 4,
                        "band": None,
                        "band_label": None,
                    },
                    {
                        "id": "wellbeing",
                        "label": "Wellbeing (0-6, lower is better)",
                        "value": 3,
                        "band": None,
                        "band_label": None,
                    },
                ],
            },
            {
                "form_id": "semcd6",
                "title": "Managing your health",
                "version": "1.0",
                "known": True,
                "credit": (
                    "Self-Efficacy for Managing Chronic Disease 6-item Scale, Stanford Patient "
                    "Education Research Center."
                ),
                "items": [
                    _scale(
                        "fatigue",
                        (
                            "How confident do you feel that you can keep the fatigue caused by your"
                            " disease from interfering with the things you want to do?"
                        ),
                        6,
                    ),
                    _scale(
                        "pain",
                        (
                            "How confident do you feel that you can keep the physical discomfort or"
                            " pain of your disease from interfering with the things you want to do?"
                        ),
                        5,
                    ),
                    _scale(
                        "emotional_distress",
                        (
                            "How confident do you feel that you can keep the emotional distress "
                            "caused by your disease from interfering with the things you want to "
                            "do?"
                        ),
                        6,
                    ),
                    _scale(
                        "other_symptoms",
                        (
                            "How confident do you feel that you can keep any other symptoms or "
                            "health problems you have from interfering with the things you want to "
                            "do?"
                        ),
                        5,
                    ),
                    _scale(
                        "tasks",
                        (
                            "How confident do you feel that you can do the different tasks and "
                            "activities needed to manage your health condition so as to reduce your"
                            " need to see a doctor?"
                        ),
                        5,
                    ),
                    _scale(
                        "non_drug",
                        (
                            "How confident do you feel that you can do things other than just "
                            "taking medication to reduce how much your illness affects your "
                            "everyday life?"
                        ),
                        6,
                    ),
                ],
                "scores": [
                    {
                        "id": "semcd_mean",
                        "label": (
                            "SEMCD-6 self-efficacy (mean of 6 items, 1-10; higher is more "
                            "confident)"
                        ),
                        "value": 5.5,
                        "band": None,
                        "band_label": None,
                    },
                ],
            },
            {
                "form_id": "about_you",
                "title": "About you",
                "version": "1.0",
                "known": True,
                "credit": None,
                "items": [
                    {
                        "id": "ethnicity",
                        "question": "What is your ethnic group?",
                        "answer": "A",
                        "answer_text": "White: British",
                        "flag": None,
                    },
                    {
                        "id": "preferred_language",
                        "question": "What language would you like us to use when we talk to you?",
                        "answer": "Polish",
                        "answer_text": "Polish",
                        "flag": None,
                    },
                ],
                "scores": [],
            },
        ],
        "essentials": {
            "preferred_language": "Polish",
            "interpreter": "Yes",
            "accessibility_needs": ["Large print"],
            "carer": "No",
        },
        "history": [
            {
                "submission_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "started_at": "2026-03-03T10:02:00+00:00",
                "pathway": "pain",
                "measures": {
                    "ons4.life_satisfaction": 4,
                    "ons4.anxiety": 6,
                    "semcd6.semcd_mean": 4.0,
                },
            },
            {
                "submission_id": "3f2a9c0d5b7e41a8a6c1d2e3f4a5b6c7",
                "started_at": "2026-11-24T09:12:03.120+00:00",
                "pathway": "pain",
                "measures": {
                    "ons4.life_satisfaction": 6,
                    "ons4.anxiety": 3,
                    "semcd6.semcd_mean": 5.5,
                },
            },
        ],
        "change": [
            {
                "measure": "ons4.life_satisfaction",
                "label": "Life satisfaction (ONS4)",
                "baseline": 4,
                "baseline_at": "2026-03-03T10:02:00+00:00",
                "latest": 6,
                "latest_at": "2026-11-24T09:12:03.120+00:00",
                "change": 2,
                "better": "higher",
                "improved": True,
            },
            {
                "measure": "ons4.anxiety",
                "label": "Anxiety (ONS4)",
                "baseline": 6,
                "baseline_at": "2026-03-03T10:02:00+00:00",
                "latest": 3,
                "latest_at": "2026-11-24T09:12:03.120+00:00",
                "change": -3,
                "better": "lower",
                "improved": True,
            },
            {
                "measure": "semcd6.semcd_mean",
                "label": "Self-efficacy (SEMCD-6)",
                "baseline": 4.0,
                "baseline_at": "2026-03-03T10:02:00+00:00",
                "latest": 5.5,
                "latest_at": "2026-11-24T09:12:03.120+00:00",
                "change": 1.5,
                "better": "higher",
                "improved": True,
            },
        ],
        "triage": {
            "status": "in_review",
            "owner": "dr.patel",
            "notes": "Spoke to patient; safeguarding lead informed.",
            "version": 2,
            "updated_at": "2026-11-24T09:41:00+00:00",
            "updated_by": "dr.patel",
        },
        "referrals": [
            {
                "id": 1,
                "kind": "food_bank",
                "referred_on": "2026-11-24",
                "outcome": "awaiting",
                "outcome_on": None,
                "notes": "Voucher given",
                "version": 0,
                "created_by": "dr.patel",
            },
            {
                "id": 2,
                "kind": "safeguarding",
                "referred_on": "2026-11-24",
                "outcome": "accepted",
                "outcome_on": "2026-11-24",
                "notes": "",
                "version": 1,
                "created_by": "dr.patel",
            },
        ],
    }


@pytest.fixture
def summary() -> dict[str, Any]:
    return make_summary()


@pytest.fixture
def long_summary() -> dict[str, Any]:
    """The same patient with answers long enough to run over two pages."""
    data = make_summary()
    story = (
        "Since my fall last winter the pain goes down my left leg when I stand for long, "
        "and I worry that I will lose my job at the bakery because I cannot lift the trays. "
    )
    data["what_matters"][0]["answer"] = story * 30
    data["what_matters"][2]["answer"] = story * 12
    return data


@pytest.fixture
def anonymous_summary() -> dict[str, Any]:
    data = make_summary()
    data["patient"] = None
    return data


@pytest.fixture
def printed() -> dict[str, Any]:
    return {"printed_by": "dr.patel", "printed_at": dt.datetime(2026, 11, 24, 10, 5, tzinfo=dt.UTC)}


def with_answers(summary: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """A copy whose what-matters answers are replaced (by item id)."""
    data = copy.deepcopy(summary)
    for entry in data["what_matters"]:
        if entry["item_id"] in answers:
            entry["answer"] = answers[entry["item_id"]]
    return data


# ---------------------------------------------------------------- reading PDFs back
URDU_WORDS = {
    "main_concern": "میری کمر میں درد ہے اور میں رات کو سو نہیں سکتا۔",
    "hope_to_achieve": "درد کے لیے ایک منصوبہ، اور MRI کے بارے میں جاننا۔",
    "why_important": "میں اپنے پوتے کے ساتھ کھیلنا چاہتا ہوں۔",
    "own_question": "کیا میں 2 ہفتے بعد کام پر جا سکتا ہوں؟",
}
BENGALI_WORDS = {
    "main_concern": "আমার পিঠে ব্যথা। আমি রাতে ঘুমাতে পারি না।",
    "hope_to_achieve": "ব্যথার জন্য একটি পরিকল্পনা, আর স্ক্যান লাগবে কিনা জানা।",
    "why_important": "আমি আমার নাতির সাথে খেলতে চাই।",
    "own_question": "আমি কি কাজে ফিরতে পারব?",
}


@pytest.fixture
def urdu_summary() -> dict[str, Any]:
    data = with_answers(make_summary(), URDU_WORDS)
    data["language"] = "ur"
    return data


@pytest.fixture
def bengali_summary() -> dict[str, Any]:
    data = with_answers(make_summary(), BENGALI_WORDS)
    data["language"] = "bn"
    return data


class Pdf:
    """A PDF read back with pypdf: its text, fonts, and the glyphs it draws."""

    def __init__(self, data: bytes) -> None:
        from pypdf import PdfReader

        assert data.startswith(b"%PDF-")
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() for page in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """All text with every run of whitespace made one space."""
        return " ".join(self.text.split())

    def _fonts(self, page: Any) -> dict[str, Any]:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        return {str(name): ref.get_object() for name, ref in fonts.items()}

    def base_fonts(self) -> set[str]:
        """Embedded font names without the subset prefix ("NotoNaskhArabic-Regular")."""
        names = set()
        for page in self.reader.pages:
            for font in self._fonts(page).values():
                names.add(str(font["/BaseFont"]).lstrip("/").split("+")[-1])
        return names

    def font_sizes(self) -> list[float]:
        sizes: list[float] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip():
                sizes.append(float(size))

        for page in self.reader.pages:
            page.extract_text(visitor_text=visit)
        return sizes

    def text_positions(self, page_number: int = 0) -> list[tuple[float, str]]:
        """(x, text) of every text run drawn on a page, in drawing order."""
        runs: list[tuple[float, str]] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip():
                runs.append((float(tm[4]) * float(cm[0]) + float(cm[4]), text))

        self.reader.pages[page_number].extract_text(visitor_text=visit)
        return runs

    def drawn_glyphs(self) -> dict[str, list[tuple[str, str, int]]]:
        """Per embedded TrueType font: (glyph name, unicode, contours) of every code drawn."""
        from fontTools.ttLib import TTFont
        from pypdf.generic import ArrayObject, ContentStream

        result: dict[str, list[tuple[str, str, int]]] = {}
        for page in self.reader.pages:
            fonts = self._fonts(page)
            programs: dict[str, Any] = {}
            unicode_maps: dict[str, dict[int, str]] = {}
            for name, font in fonts.items():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or "/FontFile2" not in descriptor.get_object():
                    continue
                program = descriptor.get_object()["/FontFile2"].get_object().get_data()
                programs[name] = TTFont(io.BytesIO(program))
                cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                unicode_maps[name] = {
                    int(code, 16): bytes.fromhex(uni).decode("utf-16-be")
                    for code, uni in re.findall(
                        r"<([0-9A-Fa-f]{2})>\s*<((?:[0-9A-Fa-f]{4})+)>", cmap
                    )
                }
            current = None
            content = ContentStream(page.get_contents(), self.reader)
            for operands, operator in content.operations:
                if operator == b"Tf":
                    current = str(operands[0])
                    continue
                if operator not in (b"Tj", b"TJ", b"'", b'"'):
                    continue
                strings = operands[0] if isinstance(operands[0], ArrayObject) else [operands[-1]]
                if current not in programs:
                    # Text in a font the PDF does not carry depends on the reader's machine.
                    if any(isinstance(x, (str, bytes)) and len(x) for x in strings):
                        result.setdefault(f"not embedded: {current}", []).append(
                            (".notdef", "?", 0)
                        )
                    continue
                font = programs[current]
                cmap = font["cmap"].getcmap(1, 0).cmap
                base = str(fonts[current]["/BaseFont"]).lstrip("/").split("+")[-1]
                for string in strings:
                    if isinstance(string, (int, float)) or (
                        not hasattr(string, "original_bytes") and not isinstance(string, bytes)
                    ):
                        continue
                    raw = (
                        string.original_bytes
                        if hasattr(string, "original_bytes")
                        else bytes(string)
                    )
                    for code in raw:
                        glyph = cmap.get(code, ".notdef")
                        contours = font["glyf"][glyph].numberOfContours if glyph != ".notdef" else 0
                        result.setdefault(base, []).append(
                            (glyph, unicode_maps[current].get(code, ""), contours)
                        )
        return result

    def assert_no_missing_glyphs(self) -> None:
        """Every code drawn maps to a real glyph: no empty boxes, no blanks for letters."""
        drawn = self.drawn_glyphs()
        assert drawn
        for font, glyphs in drawn.items():
            for glyph, char, contours in glyphs:
                assert glyph != ".notdef", (font, char)
                assert char != "\x00", f"{font}: a character with no glyph was drawn"
                if char not in (" ", "\u00a0", "\u200c", "\u200d"):
                    assert contours != 0, (font, glyph, char)


@pytest.fixture
def read_pdf() -> Any:
    return Pdf
