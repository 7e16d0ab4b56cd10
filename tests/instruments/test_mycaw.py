"""MYCaW: concerns in the patient's own words, shown back at follow-up; change =
first visit minus now (positive = improvement); the form needs a site licence."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Form, FormLibrary, LicenceRequiredError

# (follow-up score, baseline score it is compared with, change score)
PAIRS = [
    ("concern_1_score", "concern_1_score", "concern_1_change"),
    ("concern_2_score", "concern_2_score", "concern_2_change"),
    ("wellbeing", "wellbeing", "wellbeing_change"),
]
FULL_BASELINE = {
    "concern_1": "Pain in my lower back at night",
    "concern_2": "Not sleeping",
    "concern_1_score": 5,
    "concern_2_score": 4,
    "wellbeing": 4,
}


@pytest.fixture(scope="module")
def baseline_form(library: FormLibrary) -> Form:
    return library.get("mycaw")


@pytest.fixture(scope="module")
def followup(library: FormLibrary) -> Form:
    return library.get("mycaw_followup")


# ---------------------------------------------------------------- first visit


def test_first_visit_keeps_concerns_in_the_patients_words(baseline_form: Form) -> None:
    result = baseline_form.evaluate(
        {"concern_1": "  can't walk to the shops  ", "concern_1_score": 6, "wellbeing": 3}
    )
    assert result.answers["concern_1"] == "can't walk to the shops"
    assert result.flags == ()


@pytest.mark.parametrize("n", [1, 2])
def test_a_concern_is_rated_only_once_written(baseline_form: Form, n: int) -> None:
    assert f"concern_{n}_score" not in baseline_form.enabled_items({})
    assert f"concern_{n}_score" in baseline_form.enabled_items({f"concern_{n}": "Tired"})
    with pytest.raises(AnswerError) as caught:
        baseline_form.evaluate({f"concern_{n}_score": 3})
    assert caught.value.code == "disabled"


@pytest.mark.parametrize("item", ["concern_1_score", "concern_2_score", "wellbeing"])
@pytest.mark.parametrize("value", [-1, 7])
def test_ratings_outside_0_to_6_are_rejected(baseline_form: Form, item: str, value: int) -> None:
    answers = {"concern_1": "a", "concern_2": "b", item: value}
    with pytest.raises(AnswerError) as caught:
        baseline_form.evaluate(answers)
    assert caught.value.code == "out_of_range"


@pytest.mark.parametrize(
    ("item", "low", "high"),
    [
        ("concern_1_score", "Not bothering me at all", "Bothers me greatly"),
        ("concern_2_score", "Not bothering me at all", "Bothers me greatly"),
        ("wellbeing", "As good as it could be", "As bad as it could be"),
    ],
)
@pytest.mark.parametrize("form_id", ["mycaw", "mycaw_followup"])
def test_scales_run_0_to_6_with_their_anchors(
    library: FormLibrary, form_id: str, item: str, low: str, high: str
) -> None:
    spec = library.get(form_id).items[item]
    assert (spec.type, spec.min, spec.max) == ("scale", 0, 6)
    assert {a.value: a.text["en"] for a in spec.anchors or ()} == {0: low, 6: high}


# ---------------------------------------------------------------- change scores


@pytest.mark.control("H-07-C5")
@pytest.mark.parametrize(("item", "baseline_item", "change"), PAIRS)
@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(5, 2, 3), (2, 5, -3), (4, 4, 0), (6, 0, 6), (0, 6, -6), (1, 0, 1)],
)
def test_change_is_first_visit_minus_now(
    followup: Form,
    item: str,
    baseline_item: str,
    change: str,
    before: int,
    after: int,
    expected: int,
) -> None:
    baseline = {**FULL_BASELINE, baseline_item: before}
    result = followup.evaluate({item: after}, baseline=baseline)
    assert result.scores[change] == expected


@pytest.mark.control("H-07-C5")
def test_positive_change_means_improvement(followup: Form) -> None:
    # Back pain bothered them 5/6, now 2/6: better, so the change is +3.
    result = followup.evaluate(
        {"concern_1_score": 2, "concern_2_score": 4, "wellbeing": 2}, baseline=FULL_BASELINE
    )
    assert result.scores == {"concern_1_change": 3, "concern_2_change": 0, "wellbeing_change": 2}


@pytest.mark.parametrize(("item", "baseline_item", "change"), PAIRS)
def test_no_change_when_the_follow_up_is_missing(
    followup: Form, item: str, baseline_item: str, change: str
) -> None:
    others = {i: 3 for i, _, _ in PAIRS if i != item}
    result = followup.evaluate(others, baseline=FULL_BASELINE)
    assert result.scores[change] is None


@pytest.mark.parametrize(("item", "baseline_item", "change"), PAIRS)
def test_no_change_when_the_first_visit_is_missing(
    followup: Form, item: str, baseline_item: str, change: str
) -> None:
    baseline = {k: v for k, v in FULL_BASELINE.items() if k != baseline_item}
    result = followup.evaluate({item: 2}, baseline=baseline)
    assert result.scores[change] is None


def test_no_change_scores_without_any_baseline(followup: Form) -> None:
    result = followup.evaluate({"wellbeing": 3})
    assert result.scores == dict.fromkeys(
        ["concern_1_change", "concern_2_change", "wellbeing_change"]
    )


def test_a_whole_course_first_visit_then_follow_up(baseline_form: Form, followup: Form) -> None:
    first = baseline_form.evaluate(
        {"concern_1": "Breathless on the stairs", "concern_1_score": 6, "wellbeing": 5}
    )
    later = followup.evaluate({"concern_1_score": 3, "wellbeing": 4}, baseline=first.answers)
    assert later.enabled[:1] == ("concern_1_score",)
    assert "concern_2_score" not in later.enabled  # no second concern was written
    assert later.scores == {"concern_1_change": 3, "concern_2_change": None, "wellbeing_change": 1}


# ---------------------------------------------------------------- shown back in their words


@pytest.mark.parametrize(
    "concern",
    [
        "Pain in my lower back at night",
        "i cant get up the stairs!!",
        'My "good" knee {the left one}',
        "Poen yn fy nghefn",
        "ঘুমাতে পারি না",
    ],
)
def test_follow_up_shows_the_concern_back_exactly(followup: Form, concern: str) -> None:
    text = followup.text("concern_1_score", "en", baseline={"concern_1": concern})
    assert f'"{concern}"' in text
    assert text.startswith("At your first visit you wrote:")
    assert "{baseline." not in text


def test_follow_up_shows_the_second_concern_back(followup: Form) -> None:
    text = followup.text("concern_2_score", "en", baseline=FULL_BASELINE)
    assert '"Not sleeping"' in text


@pytest.mark.parametrize("n", [1, 2])
def test_a_concern_is_re_rated_only_if_one_was_written(followup: Form, n: int) -> None:
    item = f"concern_{n}_score"
    without = {k: v for k, v in FULL_BASELINE.items() if k != f"concern_{n}"}
    assert item in followup.enabled_items({}, baseline=FULL_BASELINE)
    assert item not in followup.enabled_items({}, baseline=without)
    with pytest.raises(AnswerError) as caught:
        followup.evaluate({item: 2}, baseline=without)
    assert caught.value.code == "disabled"


def test_follow_up_asks_about_other_things_and_what_mattered(followup: Form) -> None:
    result = followup.evaluate(
        {"other_things": "My daughter moved away.", "most_important": "Being listened to."}
    )
    assert result.answers["other_things"] == "My daughter moved away."
    assert result.answers["most_important"] == "Being listened to."
    assert followup.items["other_things"].sensitive
    assert followup.items["most_important"].sensitive


# ---------------------------------------------------------------- licence


@pytest.mark.control("H-18-C1")
@pytest.mark.parametrize("form_id", ["mycaw", "mycaw_followup"])
def test_mycaw_needs_a_site_licence(library: FormLibrary, form_id: str) -> None:
    form = library.get(form_id)
    assert form.needs_site_licence
    assert "Meaningful Measures" in form.spec.licence.name
    assert "Paterson" in (form.spec.source.citation or "")
    assert "2007" in (form.spec.source.citation or "")


@pytest.mark.control("H-18-C1")
def test_pain_pathway_refuses_to_start_without_the_licence(library: FormLibrary) -> None:
    with pytest.raises(LicenceRequiredError, match="mycaw"):
        library.pathway_forms("pain", licences={})


def test_pain_pathway_starts_once_the_licence_is_recorded(library: FormLibrary) -> None:
    forms = library.pathway_forms("pain", licences={"mycaw": "REF-1"})
    assert [f.id for f in forms] == [
        "what_matters",
        "social_welfare",
        "ons4",
        "mycaw",
        "semcd6",
        "about_you",
    ]


@pytest.mark.parametrize("pathway", ["cardiology", "renal", "survey"])
def test_pathways_without_mycaw_need_no_licence(library: FormLibrary, pathway: str) -> None:
    assert library.pathway_forms(pathway, licences={})


def test_one_site_licence_covers_baseline_and_follow_up(library) -> None:
    followup = library.get("mycaw_followup")
    assert followup.licence_key == "mycaw"
    assert not followup.is_enabled({})
    assert followup.is_enabled({"mycaw": "MM-0042"})
    forms = library.pathway_forms("pain_followup", licences={"mycaw": "MM-0042"})
    assert "mycaw_followup" in [f.id for f in forms]
