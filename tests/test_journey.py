"""The journey's plain-language helpers, without a window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.engine import AnswerError, FormLibrary
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.journey.flow import Flow, Step
from kiosk.store import TabletStore

FORMS = Path(__file__).resolve().parents[1] / "forms"


@pytest.fixture
def journey(tmp_path: Path) -> Iterator[Journey]:
    store = TabletStore.open(tmp_path, ClinicKeyPair.generate().public)
    yield Journey(store, FormLibrary.load(FORMS), "cardiology", {})
    store.close()


@pytest.mark.control("H-22-C3")
def test_answers_are_shown_in_the_patients_words(journey: Journey) -> None:
    journey.answer("social_welfare", "ends_meet", "yes")
    journey.answer("social_welfare", "missed_meal", "prefer_not")
    journey.answer("what_matters", "questions_to_ask", ["what_next", "options"])
    journey.answer("ons4", "anxiety", 4)
    assert journey.answer_text("social_welfare", "ends_meet") == "Yes"
    assert journey.answer_text("social_welfare", "missed_meal") == "I don't want to answer"
    assert journey.answer_text("what_matters", "questions_to_ask") == (
        "What are my options?, What happens next?"
    )
    assert journey.answer_text("ons4", "anxiety") == "4"
    assert journey.answer_text("ons4", "happiness") is None


def test_the_forms_own_message_is_used_beside_the_field(journey: Journey) -> None:
    with pytest.raises(AnswerError) as refused:
        journey.answer("about_you", "year_of_birth", 1850)
    custom = journey.form("about_you").items["year_of_birth"].validation
    assert custom is not None and custom.message is not None
    assert journey.problem_text(refused.value) == custom.message["en"]
    with pytest.raises(AnswerError) as refused:
        journey.answer("ons4", "anxiety", 11)
    assert journey.problem_text(refused.value) == "11 is outside its scale of 0 to 10"


def test_following_foresees_the_question_next_shows_without_saving(journey: Journey) -> None:
    flow = Flow(journey)
    flow.go_to(Step("social_welfare", "carer_impact"))
    steps, index = flow.following()
    assert steps[index] == Step("ons4", "life_satisfaction")  # nothing flagged: no offer of help
    steps, index = flow.following("yes")  # a flag: the offer of help comes next
    assert steps[index] == Step("social_welfare", "wants_help")
    assert (index + 1, len(steps)) == (flow.position()[0] + 1, flow.position()[1] + 1)
    assert journey.answers("social_welfare") == {}  # only foreseen, nothing saved
    with pytest.raises(AnswerError):
        flow.following("perhaps")

    journey.answer("social_welfare", "carer_impact", "yes")
    flow.next()
    assert flow.current == steps[index] and flow.position() == (index + 1, len(steps))
