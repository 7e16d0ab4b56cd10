"""The clinician summary: identifiers on every page, every flag in words, the patient's words."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from kiosk.reports import clinician_summary_pdf
from kiosk.reports.summary import sorted_flags

pytestmark = pytest.mark.staff

NHS_FORMATTED = "943 476 5919"
REASONS = {
    "Urgent": "Said they sometimes feel unsafe. Possible safeguarding concern",
    "High": "Asked to talk to someone who may be able to help.",
    "Routine": "Has difficulty making ends meet at the end of the month",
}


def render(summary: dict[str, Any], printed: dict[str, Any], read_pdf: Any) -> Any:
    return read_pdf(clinician_summary_pdf(summary, **printed))


def test_a_typical_summary_fits_on_one_page(summary, printed, read_pdf) -> None:
    assert len(render(summary, printed, read_pdf).pages) == 1


def test_the_patients_own_words_are_there(summary, printed, read_pdf) -> None:
    text = render(summary, printed, read_pdf).flat
    for entry in summary["what_matters"]:
        assert entry["answer"] in text
    assert "What are my options?; What happens next?" in text


@pytest.mark.control("H-01-C4", "H-02-C4")
def test_every_flag_has_its_severity_in_words_and_reason_urgent_first(
    summary, printed, read_pdf
) -> None:
    text = render(summary, printed, read_pdf).flat
    attention = text[text.index("Needs attention") : text.index("What matters to me")]
    positions = []
    for word, reason in REASONS.items():
        assert f"{word} {reason}" in attention
        positions.append(attention.index(reason))
    assert positions == sorted(positions)
    # Flagged answers are marked in words, with the reason beside them.
    assert text.count("FLAG Yes") == 3
    assert "Urgent: Said they sometimes feel unsafe." in text


def test_scores_bands_credits_change_and_triage(summary, printed, read_pdf) -> None:
    text = render(summary, printed, read_pdf).flat
    for expected in (
        "6 · Medium (5-6)",
        "7 · High (7-8)",
        "4 · Low (0-4)",
        "3 · Low (2-3)",
        "SEMCD-6 self-efficacy",
        "5.5",
        "Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
        "MYCaW® is a registered trade mark",
        "Back pain when walking",
        "Life satisfaction (ONS4)",
        "+2 Improved",
        "-3 Improved",
        "+1.5 Improved",
        "Status: In review.",
        "Owner: dr.patel.",
        "Food bank 24-Nov-2026 Awaiting reply Voucher given",
        "Safeguarding lead",
        "Accepted",
        "Preferred language: Polish",
        "Interpreter: Yes",
        "Accessibility needs: Large print",
    ):
        assert expected in text, expected


@pytest.mark.control("H-12-C3")
def test_equality_monitoring_answers_are_not_printed(summary, printed, read_pdf) -> None:
    assert "White: British" not in render(summary, printed, read_pdf).text


@pytest.mark.control("H-03-C5", "H-12-C2")
def test_header_and_page_numbers_on_every_page(long_summary, printed, read_pdf) -> None:
    pdf = render(long_summary, printed, read_pdf)
    assert len(pdf.pages) >= 2
    for number, page in enumerate(pdf.pages, start=1):
        flat = " ".join(page.split())
        assert "Alex Example" in flat
        assert f"NHS No. {NHS_FORMATTED}" in flat
        assert "Born 03-Mar-1950" in flat
        assert "Hospital No. RLH1234567" in flat
        assert "Pain clinic | Appointment 09:30 | Answered 24-Nov-2026 09:12" in flat
        assert f"Page {number} of {len(pdf.pages)}" in flat
        assert "Printed by dr.patel on 24-Nov-2026 10:05" in flat
    # The long answer is all there, across the pages.
    assert (
        long_summary["what_matters"][0]["answer"].split()[-12:]
        == pdf.flat.split("What would you like")[0].split()[-12:]
    )


@pytest.mark.control("H-12-C3")
def test_anonymous_sessions_say_so(anonymous_summary, printed, read_pdf) -> None:
    pdf = render(anonymous_summary, printed, read_pdf)
    assert "Anonymous" in pdf.pages[0]
    assert "NHS No." not in pdf.text


@pytest.mark.control("H-21-C1")
@pytest.mark.parametrize("place", ["answer", "name", "notes", "reason"])
def test_hostile_text_appears_literally(summary, printed, read_pdf, place) -> None:
    hostile = '<b>not bold</b> & <font name=x> &amp; <para> "quoted" ]]>'
    data = copy.deepcopy(summary)
    if place == "answer":
        data["what_matters"][0]["answer"] = hostile
    elif place == "name":
        data["patient"]["name"] = hostile
    elif place == "notes":
        data["triage"]["notes"] = hostile
    else:
        data["flags"][0]["reason"] = hostile
    assert hostile in render(data, printed, read_pdf).flat


@pytest.mark.control("H-21-C3")
def test_very_long_words_are_broken_not_lost(summary, printed, read_pdf) -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6
    data = copy.deepcopy(summary)
    data["what_matters"][0]["answer"] = f"{word} and more"
    data["forms"][3]["items"][0]["answer"] = word
    data["forms"][3]["items"][0]["answer_text"] = word
    text = "".join(render(data, printed, read_pdf).text.split())
    assert text.count(word) == 2


@pytest.mark.control("H-21-C3")
def test_patient_words_in_urdu_are_set_in_naskh(urdu_summary, printed, read_pdf) -> None:
    pdf = render(urdu_summary, printed, read_pdf)
    assert "NotoNaskhArabic-Regular" in pdf.base_fonts()
    pdf.assert_no_missing_glyphs()


def test_a_minimal_summary_still_prints(printed, read_pdf) -> None:
    minimal = {
        "submission_id": "0" * 32,
        "complete": False,
        "end_reason": "timed_out",
        "patient": None,
    }
    text = render(minimal, printed, read_pdf).flat
    assert "No flags raised." in text
    assert "did not finish the questions (timed out)" in text
    assert "No earlier answers to compare with." in text
    assert "No referrals." in text


def test_unknown_codes_are_shown_in_words(summary, printed, read_pdf) -> None:
    data = copy.deepcopy(summary)
    data["flags"].append({"id": "x", "form_id": "x", "severity": "very_odd", "reason": "Odd flag."})
    data["referrals"][0]["kind"] = "dietitian"
    text = render(data, printed, read_pdf).flat
    assert "Very odd Odd flag." in text
    assert "Dietitian" in text


@pytest.mark.control("H-02-C4")
def test_flags_are_sorted_urgent_high_routine() -> None:
    flags = [{"severity": s} for s in ("routine", "strange", "high", "urgent", "routine")]
    assert [f["severity"] for f in sorted_flags(flags)] == [
        "urgent",
        "high",
        "routine",
        "routine",
        "strange",
    ]


@pytest.mark.control("H-12-C3")
def test_no_identifiers_in_the_pdf_metadata(summary, printed, read_pdf) -> None:
    pdf = render(summary, printed, read_pdf)
    metadata = " ".join(str(v) for v in (pdf.reader.metadata or {}).values())
    assert "Alex" not in metadata
    assert not re.search(r"943\s?476\s?5919", metadata)


def test_a_name_in_arabic_script_stays_in_the_header_at_the_left(
    summary, printed, read_pdf
) -> None:
    data = copy.deepcopy(summary)
    data["patient"]["name"] = "محمد علی Khan"
    pdf = render(data, printed, read_pdf)
    assert "NotoNaskhArabic-Bold" in pdf.base_fonts()
    # Set left to right like the rest of the header: the Urdu first, then "Khan",
    # near the left margin (right-aligned, it would start past the middle).
    khan = [x for x, text in pdf.text_positions() if text.strip() == "Khan"]
    assert khan and khan[0] < 150
    pdf.assert_no_missing_glyphs()
