"""About you: every question optional, "I don't want to answer" always allowed,
NHS ethnic category codes, postcodes tidied, years of birth checked."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary

QUESTIONS = (
    "ethnicity",
    "postcode",
    "year_of_birth",
    "sex",
    "gender_identity",
    "preferred_language",
    "interpreter",
    "accessibility_needs",
    "accessibility_other",
    "carer",
)
# NHS Data Dictionary ethnic category codes (I, O, Q, T... are not used).
# Z "Not stated" is not a choice: "I don't want to answer" stands for it.
ETHNIC_CODES = [*"ABCDEFGHJKLMNPRS"]


@pytest.fixture(scope="module")
def form(library: FormLibrary) -> Form:
    return library.get("about_you")


# ---------------------------------------------------------------- optional


def test_an_empty_response_evaluates_fine(form: Form) -> None:
    result = form.evaluate({})
    assert result.answers == {}
    assert "accessibility_other" not in result.enabled
    assert (result.scores, result.flags) == ({}, ())


def test_no_question_is_required(form: Form) -> None:
    assert [item.id for item in form.spec.items] == list(QUESTIONS)
    assert not any(item.required for item in form.spec.items)


@pytest.mark.parametrize("item", QUESTIONS)
def test_every_question_accepts_i_dont_want_to_answer(form: Form, item: str) -> None:
    answers: dict[str, object] = {item: "prefer_not"}
    if item == "accessibility_other":
        answers["accessibility_needs"] = ["other"]
    if form.items[item].type == "multi_choice":
        answers[item] = ["prefer_not"]
    result = form.evaluate(answers)
    assert result.answers[item] == answers[item]
    assert result.flags == ()


# ---------------------------------------------------------------- ethnicity


def test_ethnicity_offers_the_nhs_codes(form: Form) -> None:
    options = form.items["ethnicity"].options or ()
    assert [o.code for o in options] == ETHNIC_CODES
    texts = {o.code: o.text["en"] for o in options}
    assert texts["A"] == "White: British"
    assert "Z" not in texts  # one way to decline, not two
    assert form.normalise("ethnicity", "prefer_not") == "prefer_not"


@pytest.mark.parametrize("code", ETHNIC_CODES)
def test_each_ethnic_category_is_accepted(form: Form, code: str) -> None:
    assert form.evaluate({"ethnicity": code}).answers["ethnicity"] == code


@pytest.mark.parametrize("code", ["I", "O", "T", "99", "a", "White British"])
def test_codes_not_in_the_list_are_refused(form: Form, code: str) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"ethnicity": code})
    assert caught.value.code == "not_an_option"


# ---------------------------------------------------------------- postcode


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("e11aa", "E1 1AA"),
        ("E1 1AA", "E1 1AA"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("dn551pt", "DN55 1PT"),
        ("w1a0ax", "W1A 0AX"),
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_postcodes_are_tidied(form: Form, typed: str, kept: str) -> None:
    assert form.evaluate({"postcode": typed}).answers["postcode"] == kept


@pytest.mark.parametrize("typed", ["E1", "hello", "12345", "QQ1 1AA", "E1 1AAA", "SW1A 1AA 1"])
def test_things_that_are_not_postcodes_are_refused(form: Form, typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"postcode": typed})
    assert caught.value.code == "not_a_postcode"


# ---------------------------------------------------------------- year of birth


@pytest.mark.parametrize(("typed", "kept"), [(1900, 1900), (2026, 2026), ("1958", 1958)])
def test_years_of_birth_from_1900_to_2026(form: Form, typed: object, kept: int) -> None:
    assert form.evaluate({"year_of_birth": typed}).answers["year_of_birth"] == kept


@pytest.mark.parametrize("year", [1899, 2027, 0, 58])
def test_years_out_of_range_are_refused(form: Form, year: int) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"year_of_birth": year})
    assert caught.value.code == "out_of_range"


def test_year_of_birth_says_what_to_type(form: Form) -> None:
    validation = form.items["year_of_birth"].validation
    assert validation is not None and validation.message is not None
    assert "1900" in validation.message["en"] and "2026" in validation.message["en"]


@pytest.mark.parametrize("typed", ["nineteen fifty", "1958.5", "19 58"])
def test_a_year_must_be_a_number(form: Form, typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"year_of_birth": typed})
    assert caught.value.code == "not_a_number"


# ---------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("item", "codes"),
    [
        ("sex", ["female", "male", "intersex"]),
        ("gender_identity", ["yes", "no"]),
    ],
)
def test_plain_choices(form: Form, item: str, codes: list) -> None:
    assert [o.code for o in form.items[item].options or ()] == codes
    for code in codes:
        assert form.evaluate({item: code}).answers[item] == code


@pytest.mark.parametrize("item", ["interpreter", "carer"])
@pytest.mark.parametrize("answer", ["yes", "no", "prefer_not"])
def test_yes_no_questions(form: Form, item: str, answer: str) -> None:
    assert form.evaluate({item: answer}).answers[item] == answer


def test_preferred_language_is_kept_in_their_words(form: Form) -> None:
    result = form.evaluate({"preferred_language": "  British   Sign Language "})
    assert result.answers["preferred_language"] == "British Sign Language"


# ---------------------------------------------------------------- accessibility


def test_several_needs_can_be_chosen(form: Form) -> None:
    result = form.evaluate({"accessibility_needs": ["wheelchair", "large_print", "bsl"]})
    assert result.answers["accessibility_needs"] == ["large_print", "bsl", "wheelchair"]


@pytest.mark.parametrize(
    "answer",
    [["none", "large_print"], ["hearing_loop", "none"], ["prefer_not", "bsl"]],
)
def test_none_cannot_be_combined_with_a_need(form: Form, answer: list) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"accessibility_needs": answer})
    assert caught.value.code == "exclusive_option"


def test_none_alone_is_fine(form: Form) -> None:
    assert form.evaluate({"accessibility_needs": ["none"]}).answers["accessibility_needs"] == [
        "none"
    ]


@pytest.mark.parametrize(
    ("needs", "asked"),
    [
        (None, False),
        (["none"], False),
        (["bsl"], False),
        (["other"], True),
        (["easy_read", "other"], True),
    ],
)
def test_something_else_is_asked_only_after_choosing_other(
    form: Form, needs: list | None, asked: bool
) -> None:
    answers = {} if needs is None else {"accessibility_needs": needs}
    assert ("accessibility_other" in form.enabled_items(answers)) is asked


def test_something_else_answered_without_choosing_other_is_refused(form: Form) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"accessibility_needs": ["bsl"], "accessibility_other": "A ramp"})
    assert caught.value.code == "disabled"
    result = form.evaluate({"accessibility_needs": ["other"], "accessibility_other": "A ramp"})
    assert result.answers["accessibility_other"] == "A ramp"
