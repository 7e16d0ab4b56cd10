"""What matters to you: the patient's answers are kept in their own words, and
the questions to ask come from the NHS "It's okay to ask" list."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary

LONG_TEXT = ("main_concern", "hope_to_achieve", "why_important")
INFO = ("intro", "reminder", "closing")
QUESTION_CODES = ["options", "benefits_risks", "what_next", "who_to_contact", "more_information"]


@pytest.fixture(scope="module")
def form(library: FormLibrary) -> Form:
    return library.get("what_matters")


@pytest.mark.control("H-21-C2")
@pytest.mark.parametrize("item", LONG_TEXT)
@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("My knee hurts when I go up the stairs.", "My knee hurts when I go up the stairs."),
        ("  i cant sleep!!   ", "i cant sleep!!"),  # spelling and case untouched
        ("Get back to\nmy allotment", "Get back to\nmy allotment"),  # lines kept
        ("Dw i eisiau cerdded eto", "Dw i eisiau cerdded eto"),
        ("আমার বুকে ব্যথা", "আমার বুকে ব্যথা"),
        ("cafe\u0301", "caf\u00e9"),  # the same letters, one Unicode form (NFC)
        ("pain\x07 in my chest", "pain in my chest"),  # a stray control character
    ],
)
def test_long_answers_are_kept_in_the_patients_own_words(
    form: Form, item: str, typed: str, kept: str
) -> None:
    assert form.evaluate({item: typed}).answers[item] == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  When can I   drive again?  ", "When can I drive again?"),
        ("Is it\tmy heart?", "Is it my heart?"),
        ("What's my BP?", "What's my BP?"),
    ],
)
def test_own_question_only_has_its_spacing_tidied(form: Form, typed: str, kept: str) -> None:
    assert form.evaluate({"own_question": typed}).answers["own_question"] == kept


@pytest.mark.parametrize("item", [*LONG_TEXT, "own_question"])
def test_blank_answers_count_as_not_answered(form: Form, item: str) -> None:
    assert item not in form.evaluate({item: "   \n  "}).answers


@pytest.mark.parametrize("item", LONG_TEXT)
def test_long_answers_up_to_1000_characters(form: Form, item: str) -> None:
    assert len(form.evaluate({item: "a" * 1000}).answers[item]) == 1000
    with pytest.raises(AnswerError) as caught:
        form.evaluate({item: "a" * 1001})
    assert caught.value.code == "too_long"


@pytest.mark.parametrize("item", [*LONG_TEXT, "own_question"])
def test_free_text_is_marked_sensitive(form: Form, item: str) -> None:
    assert form.items[item].sensitive


def test_questions_to_ask_are_the_five_end_of_appointment_questions(form: Form) -> None:
    item = form.items["questions_to_ask"]
    assert item.type == "multi_choice"
    assert [o.code for o in item.options or ()] == QUESTION_CODES


def test_chosen_questions_are_kept_in_the_order_shown(form: Form) -> None:
    result = form.evaluate({"questions_to_ask": ["who_to_contact", "options", "what_next"]})
    assert result.answers["questions_to_ask"] == ["options", "what_next", "who_to_contact"]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (["options", "options"], "repeated_option"),
        (["options", "second_opinion"], "not_an_option"),
        ("options", "not_a_list"),
    ],
)
def test_questions_to_ask_refuses_what_is_not_offered(
    form: Form, answer: object, code: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"questions_to_ask": answer})
    assert caught.value.code == code


@pytest.mark.parametrize("item", INFO)
def test_information_pages_take_no_answer(form: Form, item: str) -> None:
    assert form.items[item].type == "info"
    with pytest.raises(AnswerError) as caught:
        form.evaluate({item: "ok"})
    assert caught.value.code == "not_a_question"


def test_every_question_is_optional_and_nothing_is_scored_or_flagged(form: Form) -> None:
    empty = form.evaluate({})
    assert empty.enabled == tuple(form.items)
    assert (empty.scores, empty.bands, empty.flags) == ({}, {}, ())
    full = form.evaluate(
        {
            "main_concern": "Chest pain",
            "hope_to_achieve": "Know what it is",
            "why_important": "I look after my grandson",
            "questions_to_ask": QUESTION_CODES,
            "own_question": "Can I still swim?",
        }
    )
    assert (full.scores, full.bands, full.flags) == ({}, {}, ())
    assert not any(item.required for item in form.spec.items)
