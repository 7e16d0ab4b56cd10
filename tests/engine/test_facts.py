"""Facts the product reads from a form (kiosk/engine/facts.py) and the earlier hash.

A form declares which flag means "wants help", which mark social needs, which
answers identify the patient, which numbers are measures; declaring them must
not cost a stored response its form.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.engine import FormLibrary, load_form
from kiosk.engine.facts import HELP_REQUEST, collect_measures, without_facts
from kiosk.engine.loader import content_hash

from .conftest import SHIPPED_FORMS, FormWriter, scale_item

WITH_FACTS = (
    "items:\n"
    + scale_item(
        "mood",
        extra="""\
        measure:
          id: demo.mood
          label: Mood (demo)
          better: higher
          chart: {title: Demo, top: 10, step: 5}
        """,
    )
    + """\
  - id: talk
    type: yes_no
    text: {en: Would you like to talk to someone?}
  - id: born
    type: integer
    sensitive: true
    identifying: true
    demographic: birth_year
    text: {en: Year of birth?}
flags:
  - id: talk
    severity: high
    category: help_request
    word: Wants help
    reason: Asked to talk to someone.
    when: talk = 'yes'
  - id: low_mood
    severity: routine
    category: isolation
    reason: Low mood.
    when: mood < 3
"""
)


def test_a_form_says_which_flags_mean_what(forms: FormWriter) -> None:
    form = forms.load(WITH_FACTS)
    assert form.help_flags == {"talk"}
    assert form.social_need_flags == {"low_mood"}
    assert form.identifying_items == {"born"}
    assert list(form.demographic_items) == ["birth_year"]
    flags = form.evaluate({"talk": "yes", "mood": 1}).flags
    assert {(f.id, f.category) for f in flags} == {
        ("talk", HELP_REQUEST),
        ("low_mood", "isolation"),
    }


def test_raised_flags_keep_their_json_as_before(forms: FormWriter) -> None:
    result = forms.load(WITH_FACTS).evaluate({"talk": "yes"})
    assert result.to_json()["flags"] == [
        {"id": "talk", "severity": "high", "reason": "Asked to talk to someone."}
    ]


def test_an_undeclared_fact_does_not_count_in_the_hash(forms: FormWriter) -> None:
    plain = forms.load("items:\n" + scale_item("mood"))
    assert plain.earlier_hash == plain.hash
    declared = forms.load(
        "items:\n" + scale_item("mood", extra="measure: {id: d.mood, label: M, better: higher}\n")
    )
    assert declared.hash != plain.hash
    assert declared.earlier_hash == plain.hash


def test_a_response_under_the_earlier_hash_finds_the_form_that_declares_facts(
    forms: FormWriter,
) -> None:
    form = forms.load(WITH_FACTS)
    assert form.earlier_hash == content_hash(without_facts(form.spec)) != form.hash
    library = FormLibrary([form])
    assert library.by_hash(form.earlier_hash) is form
    assert library.by_hash(form.hash) is form


def test_an_exact_hash_wins_over_an_earlier_one(tmp_path: Path) -> None:
    """An old version kept beside the new one is found by its own hash."""
    old = FormWriter(tmp_path).load("items:\n" + scale_item("mood"), name="old.yaml")
    new_text = "items:\n" + scale_item(
        "mood", extra="measure: {id: d.m, label: M, better: lower}\n"
    )
    new = FormWriter(tmp_path).load(new_text, name="new.yaml")
    library = FormLibrary([old, new])
    assert new.earlier_hash == old.hash
    assert library.by_hash(old.hash) is old


def test_shipped_forms_are_found_by_their_hash_before_facts_were_declared() -> None:
    library = FormLibrary.load(SHIPPED_FORMS)
    for form in library.forms():
        assert library.by_hash(form.earlier_hash) is form
        assert load_form(form.path).hash == form.hash  # type: ignore[arg-type]


def test_measures_merge_across_baseline_and_follow_up_in_pathway_order() -> None:
    library = FormLibrary.load(SHIPPED_FORMS)
    measures = library.measures()
    ids = [m.id for m in measures]
    # the order patients meet the forms: ONS4, then MYCaW, then SEMCD-6
    assert ids.index("ons4.anxiety") < ids.index("mycaw.concern_1") < ids.index("semcd6.semcd_mean")
    concern = next(m for m in measures if m.id == "mycaw.concern_1")
    assert [form for form, _kind, _name in concern.sources] == ["mycaw", "mycaw_followup"]
    assert concern.better == "lower" and concern.group == "mycaw"
    assert concern.chart is not None and (concern.chart.top, concern.chart.step) == (6, 2)
    assert collect_measures([]) == ()


def test_a_measure_needs_a_number(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: note
            type: short_text
            text: {en: Anything else?}
            measure: {id: d.note, label: Note, better: higher}
        """
    )
    assert problem.message == "item 'note' has no number to track"
    assert problem.line == forms.line("measure:")


def test_an_identifying_item_must_be_sensitive(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: born
            type: integer
            identifying: true
            text: {en: Year of birth?}
        """
    )
    assert (
        problem.message == "item 'born' identifies the patient, so it must also be sensitive: true"
    )


def test_one_item_per_demographic_and_one_declaration_per_measure(forms: FormWriter) -> None:
    problems = forms.problems(
        "items:\n"
        + scale_item("a", extra="measure: {id: d.same, label: A, better: higher}\n")
        + scale_item("b", extra="measure: {id: d.same, label: B, better: higher}\n")
        + """\
  - id: born
    type: integer
    sensitive: true
    demographic: birth_year
    text: {en: Year of birth?}
  - id: born_again
    type: integer
    sensitive: true
    demographic: birth_year
    text: {en: Year of birth again?}
"""
    )
    messages = {p.message for p in problems}
    assert messages == {"duplicate measure 'd.same'", "duplicate demographic 'birth_year'"}


def test_a_chart_step_fits_its_axis(forms: FormWriter) -> None:
    problem = forms.problem(
        "items:\n"
        + scale_item(
            "a",
            extra="measure: {id: d.a, label: A, better: higher,"
            " chart: {title: T, top: 4, step: 5}}\n",
        )
    )
    assert problem.message == "chart step is larger than its top"


def test_an_unknown_category_is_refused(forms: FormWriter) -> None:
    problem = forms.problem(
        "items:\n"
        + scale_item("a")
        + "flags:\n  - {id: f, severity: routine, category: hunger, reason: R, when: a > 5}\n"
    )
    assert "'hunger' is not allowed here" in problem.message
