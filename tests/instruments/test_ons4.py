"""ONS4 personal wellbeing: the ONS bands at every edge, the two staff flags at
their thresholds, the exact ONS wording, and the OGL credit."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary

POSITIVE_ITEMS = ("life_satisfaction", "worthwhile", "happiness")
ITEMS = (*POSITIVE_ITEMS, "anxiety")

# ONS thresholds: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high.
POSITIVE_EDGES = [
    (0, "low"),
    (4, "low"),
    (5, "medium"),
    (6, "medium"),
    (7, "high"),
    (8, "high"),
    (9, "very_high"),
    (10, "very_high"),
]
# Anxiety: 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
ANXIETY_EDGES = [
    (0, "very_low"),
    (1, "very_low"),
    (2, "low"),
    (3, "low"),
    (4, "medium"),
    (5, "medium"),
    (6, "high"),
    (10, "high"),
]

ONS_WORDING = {
    "life_satisfaction": "Overall, how satisfied are you with your life nowadays?",
    "worthwhile": (
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?"
    ),
    "happiness": "Overall, how happy did you feel yesterday?",
    "anxiety": (
        'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", '
        "overall, how anxious did you feel yesterday?"
    ),
}
OGL_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)


@pytest.fixture(scope="module")
def form(library: FormLibrary) -> Form:
    return library.get("ons4")


@pytest.mark.control("H-07-C3")
@pytest.mark.parametrize("item", POSITIVE_ITEMS)
@pytest.mark.parametrize(("value", "band"), POSITIVE_EDGES)
def test_positive_item_bands_at_every_edge(form: Form, item: str, value: int, band: str) -> None:
    assert form.evaluate({item: value}).bands == {item: band}


@pytest.mark.control("H-07-C3")
@pytest.mark.parametrize(("value", "band"), ANXIETY_EDGES)
def test_anxiety_bands_at_every_edge(form: Form, value: int, band: str) -> None:
    assert form.evaluate({"anxiety": value}).bands == {"anxiety": band}


@pytest.mark.control("H-07-C3")
def test_every_point_of_every_scale_has_a_band(form: Form) -> None:
    for item in ITEMS:
        for value in range(11):
            assert item in form.evaluate({item: value}).bands, (item, value)


def test_unanswered_items_have_no_band_and_no_flag(form: Form) -> None:
    result = form.evaluate({})
    assert result.bands == {}
    assert result.flags == ()


@pytest.mark.control("H-01-C1")
@pytest.mark.parametrize(
    ("anxiety", "flagged"), [(0, False), (4, False), (5, False), (6, True), (10, True)]
)
def test_high_anxiety_flag_from_6(form: Form, anxiety: int, flagged: bool) -> None:
    result = form.evaluate({"anxiety": anxiety})
    assert [(f.id, f.severity) for f in result.flags] == (
        [("high_anxiety", "routine")] if flagged else []
    )


@pytest.mark.control("H-01-C1")
@pytest.mark.parametrize(
    ("life_satisfaction", "flagged"), [(0, True), (4, True), (5, False), (6, False), (10, False)]
)
def test_low_life_satisfaction_flag_up_to_4(
    form: Form, life_satisfaction: int, flagged: bool
) -> None:
    result = form.evaluate({"life_satisfaction": life_satisfaction})
    assert [(f.id, f.severity) for f in result.flags] == (
        [("low_life_satisfaction", "routine")] if flagged else []
    )


@pytest.mark.parametrize("item", ["worthwhile", "happiness"])
def test_low_worthwhile_or_happiness_alone_raise_no_flag(form: Form, item: str) -> None:
    assert form.evaluate({item: 0}).flags == ()


def test_both_flags_together_with_reasons_for_staff(form: Form) -> None:
    result = form.evaluate({"life_satisfaction": 4, "worthwhile": 9, "happiness": 7, "anxiety": 6})
    assert {f.id for f in result.flags} == {"high_anxiety", "low_life_satisfaction"}
    assert all(len(f.reason) > 20 for f in result.flags)


@pytest.mark.control("H-22-C2")
@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("value", [11, -1])
def test_out_of_range_answers_are_rejected(form: Form, item: str, value: int) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({item: value})
    assert caught.value.code == "out_of_range"
    assert caught.value.item_id == item


@pytest.mark.parametrize("item", ITEMS)
def test_scale_ends_are_accepted(form: Form, item: str) -> None:
    assert form.evaluate({item: 0}).answers[item] == 0
    assert form.evaluate({item: 10}).answers[item] == 10


@pytest.mark.control("H-18-C4")
@pytest.mark.parametrize("item", ITEMS)
def test_questions_use_the_exact_ons_wording(form: Form, item: str) -> None:
    assert form.text(item, "en") == ONS_WORDING[item]


@pytest.mark.parametrize(
    ("item", "low", "high"),
    [
        *[(item, "Not at all", "Completely") for item in POSITIVE_ITEMS],
        ("anxiety", "Not at all anxious", "Completely anxious"),
    ],
)
def test_scales_run_0_to_10_with_labelled_ends(form: Form, item: str, low: str, high: str) -> None:
    spec = form.items[item]
    assert (spec.type, spec.min, spec.max) == ("scale", 0, 10)
    anchors = {a.value: a.text["en"] for a in spec.anchors or ()}
    assert anchors == {0: low, 10: high}


@pytest.mark.control("H-18-C4")
def test_the_ogl_credit_is_in_the_licence(form: Form) -> None:
    licence = form.spec.licence
    assert licence.attribution == OGL_CREDIT
    assert "Open Government Licence v3.0" in licence.name
    assert not form.needs_site_licence
