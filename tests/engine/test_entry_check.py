"""Every problem with a keyed-in response at once, each naming its form and item
(kiosk.engine.entry_check): what the staff console shows beside each item and what
the clinic refuses before it stores an entry."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.engine import Form, FormLibrary
from kiosk.engine.entry_check import DISABLED, REQUIRED, UNKNOWN_FORM, entry_problems, form_problems

from .conftest import SHIPPED_FORMS, FormWriter, scale_item

pytestmark = [pytest.mark.clinic]


@pytest.fixture
def asked(forms: FormWriter) -> Form:
    """A form with a required scale, a yes/no that opens a follow-up, and a date."""
    return forms.load(
        "items:\n"
        + scale_item("pain", extra="required: true\n")
        + """\
  - id: smokes
    type: yes_no
    text: {en: Do you smoke?}
  - id: how_many
    type: integer
    validation: {min: 1, max: 80}
    text: {en: How many a day?}
    enable_when: smokes == 'yes'
  - id: last_visit
    type: date
    validation: {max: today}
    text: {en: When did you last see a doctor?}
"""
    )


def _where(problems: list[object]) -> list[tuple[str | None, str]]:
    return [(p.item_id, p.code) for p in problems]  # type: ignore[attr-defined]


def test_good_answers_have_no_problems(asked: Form) -> None:
    answers = {"pain": 4, "smokes": "yes", "how_many": 10, "last_visit": "2026-01-02"}
    assert form_problems(asked, answers, complete=True, today=dt.date(2026, 6, 1)) == []


def test_every_problem_is_named_at_once_in_the_forms_order(asked: Form) -> None:
    answers = {"last_visit": "2099-01-01", "smokes": "maybe", "pain": 11}
    problems = form_problems(asked, answers, complete=True, today=dt.date(2026, 6, 1))
    assert [p.item_id for p in problems] == ["pain", "smokes", "last_visit"]
    assert all(p.form_id == "test_form" for p in problems)
    assert all(p.message for p in problems)
    assert "form 'test_form', item 'pain'" in str(problems[0])


def test_an_answer_skip_logic_does_not_ask_is_refused(asked: Form) -> None:
    problems = form_problems(asked, {"pain": 3, "smokes": "no", "how_many": 5}, complete=False)
    assert _where(problems) == [("how_many", DISABLED)]
    assert "not asked" in problems[0].message


def test_a_required_answer_left_empty_matters_only_on_a_complete_form(asked: Form) -> None:
    assert _where(form_problems(asked, {"smokes": "no"}, complete=True)) == [("pain", REQUIRED)]
    assert form_problems(asked, {"smokes": "no"}, complete=False) == []


def test_an_item_the_form_does_not_have_is_named(asked: Form) -> None:
    problems = form_problems(asked, {"pain": 2, "shoe_size": 9}, complete=True)
    assert _where(problems) == [("shoe_size", "unknown_item")]


def test_dates_are_checked_against_the_day_the_form_was_filled_in(asked: Form) -> None:
    answers = {"pain": 2, "last_visit": "2026-03-01"}
    assert form_problems(asked, answers, complete=True, today=dt.date(2026, 4, 1)) == []
    late = form_problems(asked, answers, complete=True, today=dt.date(2026, 2, 1))
    assert [p.item_id for p in late] == ["last_visit"]


def test_a_pathways_problems_name_their_forms() -> None:
    library = FormLibrary.load(SHIPPED_FORMS)
    forms = {form_id: library.get(form_id) for form_id in ("social_welfare", "ons4")}
    problems = entry_problems(
        forms,
        {
            "social_welfare": {"feel_unsafe": "sometimes"},
            "ons4": {"anxiety": 12},
            "nonsense": {"x": 1},
        },
        complete=True,
    )
    assert [(p.form_id, p.item_id) for p in problems] == [
        ("nonsense", None),
        ("social_welfare", "feel_unsafe"),
        ("ons4", "anxiety"),
    ]
    assert problems[0].code == UNKNOWN_FORM
    assert problems[2].to_json() == {
        "form": "ons4",
        "item": "anxiety",
        "code": problems[2].code,
        "message": problems[2].message,
    }
