"""Barts Social Welfare Screening Tool: which answer raises which flag, and when
"Do you want to talk to someone?" is asked."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary

# item -> the answer that flags it (domain brief). The flag id equals the item id.
FLAGGING_ANSWER = {
    "ends_meet": "yes",
    "missed_meal": "yes",
    "stable_housing": "no",
    "support_network": "no",
    "feel_unsafe": "yes",
    "carer_impact": "yes",
}
SCREEN_ITEMS = tuple(FLAGGING_ANSWER)
SEVERITY = {item: "routine" for item in SCREEN_ITEMS} | {"feel_unsafe": "urgent"}
ANSWERS = ("yes", "no", "prefer_not")


def _opposite(item: str) -> str:
    return "no" if FLAGGING_ANSWER[item] == "yes" else "yes"


ALL_FLAGGING = dict(FLAGGING_ANSWER)
NONE_FLAGGING = {item: _opposite(item) for item in SCREEN_ITEMS}
ALL_PREFER_NOT = dict.fromkeys(SCREEN_ITEMS, "prefer_not")
NOT_FLAGGED_RESPONSES = {
    "nothing answered": {},
    "no flagging answers": NONE_FLAGGING,
    "all prefer_not": ALL_PREFER_NOT,
}


@pytest.fixture(scope="module")
def form(library: FormLibrary) -> Form:
    return library.get("social_welfare")


@pytest.mark.control("H-01-C1")
@pytest.mark.parametrize(
    ("item", "answer"),
    [(item, answer) for item in SCREEN_ITEMS for answer in ANSWERS],
    ids=[f"{item}={answer}" for item in SCREEN_ITEMS for answer in ANSWERS],
)
def test_each_answer_raises_exactly_its_own_flag(form: Form, item: str, answer: str) -> None:
    result = form.evaluate({item: answer})
    flagged = answer == FLAGGING_ANSWER[item]
    assert [(f.id, f.severity) for f in result.flags] == (
        [(item, SEVERITY[item])] if flagged else []
    )
    assert result.scores == {"screen_positive": 1 if flagged else 0}
    assert ("wants_help" in result.enabled) is flagged


@pytest.mark.control("H-01-C1")
@pytest.mark.parametrize("item", SCREEN_ITEMS)
def test_prefer_not_is_a_valid_answer_and_never_flags(form: Form, item: str) -> None:
    result = form.evaluate({item: "prefer_not"})
    assert result.answers[item] == "prefer_not"
    assert result.flags == ()


def test_prefer_not_to_every_question_flags_nothing(form: Form) -> None:
    result = form.evaluate(ALL_PREFER_NOT)
    assert result.flags == ()
    assert result.scores == {"screen_positive": 0}


@pytest.mark.control("H-02-C1")
def test_feel_unsafe_is_urgent_and_staff_see_it_first(form: Form) -> None:
    result = form.evaluate({**ALL_FLAGGING, "wants_help": "yes"})
    assert result.flags[0].id == "feel_unsafe"
    assert result.flags[0].severity == "urgent"
    assert result.flags[1].id == "wants_help"
    assert result.flags[1].severity == "high"
    assert {f.id for f in result.flags[2:]} == set(SCREEN_ITEMS) - {"feel_unsafe"}
    assert {f.severity for f in result.flags[2:]} == {"routine"}


@pytest.mark.control("H-02-C1")
def test_feel_unsafe_comes_first_even_when_answered_last(form: Form) -> None:
    # Dict order of the answers must not matter: severity decides.
    answers = {"carer_impact": "yes", "ends_meet": "yes", "feel_unsafe": "yes"}
    result = form.evaluate(answers)
    assert result.flags[0].id == "feel_unsafe"


@pytest.mark.control("H-01-C4")
def test_every_flag_has_a_reason_for_staff(form: Form) -> None:
    result = form.evaluate({**ALL_FLAGGING, "wants_help": "yes"})
    assert len(result.flags) == 7
    assert all(len(f.reason) > 20 for f in result.flags)


# ---------------------------------------------------------------- wants_help


@pytest.mark.parametrize("item", SCREEN_ITEMS)
def test_wants_help_is_asked_when_that_question_flagged(form: Form, item: str) -> None:
    answers = {**NONE_FLAGGING, item: FLAGGING_ANSWER[item]}
    assert "wants_help" in form.enabled_items(answers)


@pytest.mark.parametrize("answers", NOT_FLAGGED_RESPONSES.values(), ids=NOT_FLAGGED_RESPONSES)
def test_wants_help_is_not_asked_when_nothing_flagged(form: Form, answers: dict) -> None:
    assert "wants_help" not in form.enabled_items(answers)


@pytest.mark.parametrize("item", SCREEN_ITEMS)
def test_wants_help_yes_raises_a_high_flag(form: Form, item: str) -> None:
    result = form.evaluate({item: FLAGGING_ANSWER[item], "wants_help": "yes"})
    raised = {f.id: f.severity for f in result.flags}
    assert raised == {item: SEVERITY[item], "wants_help": "high"}


@pytest.mark.parametrize("answer", ["no", "prefer_not"])
def test_wants_help_other_answers_raise_no_extra_flag(form: Form, answer: str) -> None:
    result = form.evaluate({"ends_meet": "yes", "wants_help": answer})
    assert [f.id for f in result.flags] == ["ends_meet"]


@pytest.mark.parametrize("answers", NOT_FLAGGED_RESPONSES.values(), ids=NOT_FLAGGED_RESPONSES)
def test_answering_wants_help_when_not_asked_is_refused(form: Form, answers: dict) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({**answers, "wants_help": "yes"})
    assert caught.value.code == "disabled"
    assert caught.value.item_id == "wants_help"


@pytest.mark.control("H-22-C1")
def test_a_changed_answer_drops_wants_help_when_not_strict(form: Form) -> None:
    # The patient flagged, said yes to help, then went back and changed the answer.
    result = form.evaluate({"ends_meet": "no", "wants_help": "yes"}, strict=False)
    assert "wants_help" not in result.answers
    assert result.flags == ()


# ---------------------------------------------------------------- screen_positive


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, 0),
        (NONE_FLAGGING, 0),
        (ALL_PREFER_NOT, 0),
        ({"stable_housing": "no"}, 1),
        ({"support_network": "yes"}, 0),
        (ALL_FLAGGING, 1),
    ],
    ids=["empty", "none flagging", "all prefer_not", "one flag", "support yes", "all flagging"],
)
def test_screen_positive_is_1_or_0(form: Form, answers: dict, expected: int) -> None:
    assert form.evaluate(answers).scores["screen_positive"] == expected
