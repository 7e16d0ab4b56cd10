"""The patient's take-away sheet: their words, questions to ask, nothing identifying or clinical."""

from __future__ import annotations

import copy
import re

import pytest

from kiosk.reports import takeaway_pdf
from kiosk.reports.sheet_text import ASK_KEYS, CATALOGUE, ENGLISH, KEYS, sheet_language

pytestmark = pytest.mark.staff

QUESTIONS_TO_ASK = [
    "What are my options?",
    "What are the benefits and risks of each option for me?",
    "What happens next?",
    "Who do I contact if I have questions after I leave?",
    "Where can I go to get more information?",
]
AFTER = [
    "It's okay to change your mind.",
    "It's okay to go back and ask more.",
    "You can ask the professional to explain things differently, again, "
    "or to write information down.",
]


def test_the_sheet_has_their_words_and_the_questions_to_ask(summary, read_pdf) -> None:
    text = read_pdf(takeaway_pdf(summary)).flat
    assert "What matters to me" in text
    for entry in summary["what_matters"]:
        assert entry["answer"] in text
    for line in QUESTIONS_TO_ASK + AFTER:
        assert line in text
    # The two questions the patient chose are marked in words.
    assert text.count("You wanted to ask this.") == 2
    assert "What are my options? You wanted to ask this." in text


@pytest.mark.control("H-12-C1")
def test_the_sheet_has_nothing_identifying_or_clinical(summary, read_pdf) -> None:
    pdf = read_pdf(takeaway_pdf(summary))
    text = pdf.flat
    digits = re.sub(r"\D", "", pdf.text)
    assert "9434765919" not in digits
    for forbidden in (
        "Alex",
        "Example",
        "RLH1234567",
        "03-Mar-1950",
        "1950",
        "Pain clinic",
        "FLAG",
        "Urgent",
        "safeguarding",
        "ends meet",
        "Medium (5-6)",
        "5.5",
        "SEMCD",
        "ONS",
        "Polish",
    ):
        assert forbidden not in text, forbidden
    metadata = " ".join(str(v) for v in (pdf.reader.metadata or {}).values())
    assert "Alex" not in metadata


@pytest.mark.control("H-19-C7")
def test_large_print_is_at_least_16_points(summary, read_pdf) -> None:
    normal = read_pdf(takeaway_pdf(summary))
    large = read_pdf(takeaway_pdf(summary, large_print=True))
    assert min(normal.font_sizes()) == 12
    assert min(large.font_sizes()) >= 16
    assert len(large.pages) > len(normal.pages)
    assert large.flat.count("You wanted to ask this.") == 2


@pytest.mark.parametrize(
    ("fixture", "language", "font"),
    [
        ("urdu_summary", "ur", "NotoNaskhArabic"),
        ("bengali_summary", "bn", "NotoSansBengali"),
    ],
)
def test_sheets_in_urdu_and_bengali_embed_fonts_with_every_glyph(
    request, read_pdf, fixture, language, font
) -> None:
    data = request.getfixturevalue(fixture)
    for large_print in (False, True):
        pdf = read_pdf(takeaway_pdf(data, language=language, large_print=large_print))
        assert f"{font}-Regular" in pdf.base_fonts()
        assert f"{font}-Bold" in pdf.base_fonts()  # headings
        drawn = pdf.drawn_glyphs()
        assert len(drawn[f"{font}-Regular"]) > 50
        pdf.assert_no_missing_glyphs()


def test_right_to_left_sheets_are_right_aligned(summary, urdu_summary, read_pdf) -> None:
    page_width = 595.27
    english = read_pdf(takeaway_pdf(summary)).text_positions()
    urdu = read_pdf(takeaway_pdf(urdu_summary, language="ur")).text_positions()
    # The title is drawn first: at the left margin in English, against the right in Urdu.
    assert english[0][0] < 60
    assert urdu[0][0] > page_width / 2


def test_an_unknown_language_falls_back_to_english_with_words_as_typed(summary, read_pdf) -> None:
    data = copy.deepcopy(summary)
    data["what_matters"][0]["answer"] = "Boli mnie plecy, gdy idę na spacer: ą ę ł ż ó ś ć ń ź"
    text = read_pdf(takeaway_pdf(data, language="so")).flat
    assert "What matters to me" in text
    assert "Boli mnie plecy, gdy idę na spacer: ą ę ł ż ó ś ć ń ź" in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cy", ["Beth sy'n bwysig i mi", "Beth yw fy opsiynau?", "Mae'n iawn newid eich meddwl."]),
        ("pl", ["Co jest dla mnie ważne", "Jakie mam możliwości?", "Możesz zmienić zdanie."]),
        ("en-GB", ["What matters to me"]),
    ],
)
def test_latin_script_translations(summary, read_pdf, language, expected) -> None:
    data = copy.deepcopy(summary)
    data["what_matters"][1]["answer"] = "Dw i eisiau gwybod: ŵ ŷ â ê î ô û"
    pdf = read_pdf(takeaway_pdf(data, language=language))
    for line in expected:
        assert line in pdf.flat
    assert "Dw i eisiau gwybod: ŵ ŷ â ê î ô û" in pdf.flat
    pdf.assert_no_missing_glyphs()


@pytest.mark.control("H-21-C1")
def test_hostile_text_appears_literally(summary, read_pdf) -> None:
    hostile = "<b>not bold</b> & <font name=x> " + "W" * 300
    data = copy.deepcopy(summary)
    data["what_matters"][0]["answer"] = hostile
    data["questions_to_ask"] = ["<i>What about my tablets?</i> &"]
    pdf = read_pdf(takeaway_pdf(data))
    assert "<b>not bold</b> & <font name=x>" in pdf.flat
    assert "W" * 300 in "".join(pdf.text.split())
    assert "<i>What about my tablets?</i> &" in pdf.flat


def test_characters_no_font_has_become_question_marks(summary, read_pdf) -> None:
    # No bundled font has emoji or Chinese characters: each prints as "?"
    # (never an empty box or a blank), and the rest of the answer is kept.
    data = copy.deepcopy(summary)
    data["what_matters"][0]["answer"] = "Pain 😣 here 中文 and میری کمر"
    for language in ("en", "ur"):
        pdf = read_pdf(takeaway_pdf(data, language=language))
        pdf.assert_no_missing_glyphs()
    assert "Pain ? here ?? and" in read_pdf(takeaway_pdf(data)).flat


def test_no_answers_still_gives_the_questions(summary, read_pdf) -> None:
    data = copy.deepcopy(summary)
    data["what_matters"] = []
    data["questions_to_ask"] = []
    text = read_pdf(takeaway_pdf(data)).flat
    assert "You did not write any answers today." in text
    assert "You wanted to ask this." not in text
    assert "What happens next?" in text


def test_every_sheet_language_is_complete_and_marked() -> None:
    assert set(ENGLISH.text) == set(KEYS)
    assert set(ASK_KEYS) <= set(KEYS)
    assert set(CATALOGUE) == {"en", "cy", "pl", "ur", "bn", "ar"}
    for code, language in CATALOGUE.items():
        assert set(language.text) == set(KEYS), code
        assert language.status == ("source" if code == "en" else "draft")
        assert language.direction == ("rtl" if code in ("ur", "ar") else "ltr")
    assert sheet_language("ur_PK").code == "ur"
    assert sheet_language("xx").code == "en"
    assert sheet_language(None).code == "en"


@pytest.mark.parametrize("language", ["cy", "pl", "ur", "bn", "ar"])
def test_every_translation_prints_without_missing_glyphs(summary, read_pdf, language) -> None:
    pdf = read_pdf(takeaway_pdf(summary, language=language))
    pdf.assert_no_missing_glyphs()
    # The patient's English words are kept as typed, whatever the sheet's language.
    assert summary["what_matters"][0]["answer"] in pdf.flat
