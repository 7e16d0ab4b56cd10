"""What the staff summary reads from the forms instead of naming them
(kiosk/clinic/summary.py): help-request flags, flag words, highlighted answers,
measures and how they are charted."""

from __future__ import annotations

from pathlib import Path

from kiosk.clinic.summary import (
    StoredResponse,
    change_over_time,
    essentials,
    flag_words,
    help_flags,
    measures_of,
    what_matters,
)
from kiosk.engine import FormLibrary

FORMS = Path(__file__).resolve().parents[2] / "forms"


def _response(library: FormLibrary, form_id: str, answers: dict[str, object]) -> StoredResponse:
    form = library.get(form_id)
    return StoredResponse(form_id, form.version, form.earlier_hash, True, {}, {}, answers)


def test_help_flags_and_words_come_from_the_forms() -> None:
    library = FormLibrary.load(FORMS)
    assert help_flags(library) == {("social_welfare", "wants_help")}
    words = flag_words(library)
    assert words[("social_welfare", "ends_meet")] == "Money"
    assert words[("ons4", "high_anxiety")] == "Anxiety"


def test_highlighted_answers_are_found_by_what_the_form_declares() -> None:
    library = FormLibrary.load(FORMS)
    responses = [
        _response(
            library,
            "what_matters",
            {"main_concern": "My breathing.", "questions_to_ask": ["options"]},
        ),
        _response(library, "about_you", {"interpreter": "yes", "accessibility_needs": ["none"]}),
    ]
    found = what_matters(library, responses)
    assert [w["item_id"] for w in found["what_matters"]] == ["main_concern"]
    assert len(found["questions_to_ask"]) == 1
    shown = essentials(library, responses)
    assert list(shown) == ["preferred_language", "interpreter", "accessibility_needs", "carer"]
    assert shown["preferred_language"] is None and shown["interpreter"] == "Yes"
    assert isinstance(shown["accessibility_needs"], list)


def test_change_over_time_sends_the_declared_chart() -> None:
    library = FormLibrary.load(FORMS)
    measures = library.measures()
    visits = [
        measures_of([_response(library, "mycaw", {"wellbeing": 5})], measures),
        measures_of([_response(library, "mycaw_followup", {"wellbeing": 2})], measures),
    ]
    assert visits == [{"mycaw.wellbeing": 5}, {"mycaw.wellbeing": 2}]
    history = [{"started_at": f"2026-0{n + 1}-01", "measures": m} for n, m in enumerate(visits)]
    (row,) = change_over_time(history, measures)
    assert (row["improved"], row["better"], row["group"]) == (True, "lower", "mycaw")
    assert row["chart"] == {"title": "Concerns and wellbeing (MYCaW)", "top": 6, "step": 2}
