"""SEMCD-6 (Stanford): the score is the mean of the six items, to 2 decimal
places, and is not scored when more than two items are missing."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary

ITEMS = ("fatigue", "pain", "emotional_distress", "other_symptoms", "tasks", "non_drug")
# Distinct answers, so a wrong item in the score would change the mean.
ANSWERS = {
    "fatigue": 3,
    "pain": 8,
    "emotional_distress": 5,
    "other_symptoms": 10,
    "tasks": 1,
    "non_drug": 7,
}
MISSING_SETS = [
    frozenset(missing)
    for n in range(len(ITEMS) + 1)
    for missing in itertools.combinations(ITEMS, n)
]


@pytest.fixture(scope="module")
def form(library: FormLibrary) -> Form:
    return library.get("semcd6")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([1, 1, 1, 1, 1, 1], 1.0),
        ([10, 10, 10, 10, 10, 10], 10.0),
        ([1, 2, 3, 4, 5, 6], 3.5),
        ([7, 8, 8, 9, 10, 10], 8.67),  # 52 / 6 = 8.666...
        ([1, 1, 1, 1, 1, 2], 1.17),  # 7 / 6 = 1.1666...
        ([2, 2, 2, 2, 2, 3], 2.17),  # 13 / 6 = 2.1666...
        ([5, 5, 5, 5, 5, 6], 5.17),  # 31 / 6
        ([9, 9, 9, 9, 9, 8], 8.83),  # 53 / 6 = 8.8333...
    ],
)
def test_score_is_the_mean_rounded_to_2_places(form: Form, answers: list, expected: float) -> None:
    result = form.evaluate(dict(zip(ITEMS, answers, strict=True)))
    assert result.scores == {"semcd_mean": expected}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"fatigue": 1, "pain": 2, "emotional_distress": 2, "other_symptoms": 2}, 1.75),
        ({"fatigue": 3, "pain": 3, "tasks": 3, "non_drug": 4, "other_symptoms": 4}, 3.4),
        ({"pain": 10, "tasks": 9, "non_drug": 9, "fatigue": 9}, 9.25),
        ({"pain": 1, "tasks": 1, "non_drug": 2, "fatigue": 2, "other_symptoms": 1}, 1.4),
    ],
)
def test_mean_of_the_answered_items_only(form: Form, answers: dict, expected: float) -> None:
    assert form.evaluate(answers).scores["semcd_mean"] == expected


@pytest.mark.control("H-07-C4")
@pytest.mark.parametrize(
    "missing", MISSING_SETS, ids=["+".join(sorted(m)) or "none" for m in MISSING_SETS]
)
def test_scored_with_up_to_two_missing_and_not_with_three_or_more(
    form: Form, missing: frozenset
) -> None:
    given = {item: value for item, value in ANSWERS.items() if item not in missing}
    score = form.evaluate(given).scores["semcd_mean"]
    if len(missing) > 2:
        assert score is None
    else:
        exact = Decimal(sum(given.values())) / Decimal(len(given))
        expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert score is not None
        assert Decimal(str(score)) == expected


def test_not_scored_is_none_never_zero(form: Form) -> None:
    assert form.evaluate({}).scores == {"semcd_mean": None}
    assert form.evaluate({"fatigue": 1, "pain": 1, "tasks": 1}).scores == {"semcd_mean": None}


@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("value", [0, 11])
def test_answers_outside_1_to_10_are_rejected(form: Form, item: str, value: int) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({item: value})
    assert caught.value.code == "out_of_range"
    assert caught.value.item_id == item


@pytest.mark.parametrize("item", ITEMS)
def test_each_item_is_a_1_to_10_confidence_scale(form: Form, item: str) -> None:
    spec = form.items[item]
    assert (spec.type, spec.min, spec.max) == ("scale", 1, 10)
    anchors = {a.value: a.text["en"] for a in spec.anchors or ()}
    assert anchors == {1: "Not at all confident", 10: "Totally confident"}
    assert form.text(item, "en").startswith("How confident do you feel that you can ")


@pytest.mark.control("H-18-C4")
def test_fatigue_item_has_the_published_wording(form: Form) -> None:
    assert form.text("fatigue", "en") == (
        "How confident do you feel that you can keep the fatigue caused by your disease "
        "from interfering with the things you want to do?"
    )


def test_free_to_use_needs_no_site_licence(form: Form) -> None:
    assert not form.needs_site_licence
    assert "Stanford" in form.spec.source.name
