"""Every fault in a form file is reported as a Problem at its own line, naming the thing.

Form authors are clinicians: ``kiosk forms check`` must say where and what. Each
test writes a small form (HEADER is lines 1-7) and computes the expected line
from the text it wrote.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kiosk.engine import FormError, Problem, form_from_text, load_form

from .conftest import HEADER, FormWriter

# The keys of a 0-10 scale item, to splice into an indented test body right after
# "  - id: x" (the body is dedented as a whole, so its base indent is 8 spaces).
SCALE_0_10 = "    type: scale\n" + "".join(
    f"            {line}\n"
    for line in [
        "min: 0",
        "max: 10",
        "anchors:",
        "  - {value: 0, text: {en: Not at all}}",
        "  - {value: 10, text: {en: Completely}}",
    ]
)

TWO_ITEMS = """\
items:
  - id: first
    type: yes_no
    text: {en: First question}
  - id: second
    type: yes_no
    text: {en: Second question}
"""


def only(problems: list[Problem], *words: str) -> Problem:
    """The one problem whose message contains every word."""
    found = [p for p in problems if all(w in p.message for w in words)]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


# ---------------------------------------------------------------- a valid form


def test_a_small_valid_form_loads(forms: FormWriter) -> None:
    form = forms.load(TWO_ITEMS)
    assert form.id == "test_form"
    assert list(form.items) == ["first", "second"]
    assert form.path == forms.path
    assert form.line_of(("items", 1, "text")) == forms.line("Second question")


# ---------------------------------------------------------------- YAML itself


def test_yaml_syntax_error(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: first
            type: yes_no
              text: {en: First}
        """
    )
    assert problem.message.startswith("YAML syntax error:")
    assert "mapping values are not allowed" in problem.message
    assert problem.line == forms.line("text: {en: First}")


def test_yaml_unclosed_bracket(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: first
            type: yes_no
            text: {en: First
          - id: second
        """
    )
    assert "YAML syntax error" in problem.message
    assert forms.line("text: {en: First") <= problem.line <= forms.line("- id: second")


def test_duplicate_key(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: first
            type: yes_no
            text: {en: First}
            type: scale
        """
    )
    assert problem.message == "key 'type' appears twice in the same block"
    assert problem.line == forms.line("type: scale")


def test_duplicate_top_level_key(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + 'version: "2.0"\n')
    assert problem.message == "key 'version' appears twice in the same block"
    assert problem.line == forms.line('version: "2.0"')


def test_unknown_key_with_a_suggestion(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: first
            type: yes_no
            text: {en: First}
          - id: second
            type: yes_no
            text: {en: Second}
            enable_wen: first = 'yes'
        """
    )
    assert problem.message == (
        "items[second]: unknown key 'enable_wen' (did you mean 'enable_when'?)"
    )
    assert problem.line == forms.line("enable_wen")


def test_unknown_key_without_a_close_match(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "colour: blue\n")
    assert problem.message == "unknown key 'colour'"
    assert problem.line == forms.line("colour: blue")


def test_missing_item_id(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: first
            type: yes_no
            text: {en: First}
          - type: yes_no
            text: {en: Second}
        """
    )
    assert problem.message == "items[2]: 'id' is missing"
    assert problem.line == forms.line("- type: yes_no")


def test_missing_top_level_key(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        format: 1
        id: test_form
        version: "1.0"
        title: {en: A test form}
        source: {name: The test suite}
        languages: {en: validated}
        items: []
        """,
        header=False,
    )
    assert problem.message == "'licence' is missing"
    assert problem.line == 1


def test_version_must_be_quoted(forms: FormWriter) -> None:
    problem = forms.problem(HEADER.replace('"1.0"', "1.0") + TWO_ITEMS, header=False)
    assert problem.message == "version: must be text in quotes, e.g. version: '1.0'"
    assert problem.line == 3


def test_bad_id(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS.replace("id: second", "id: Second-Q"))
    assert "'Second-Q' is not a valid id" in problem.message
    assert problem.message.startswith("items[Second-Q].id:")
    assert problem.line == forms.line("id: Second-Q")


def test_duplicate_item_id(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS.replace("id: second", "id: first"))
    assert problem.message == "duplicate item 'first'"
    assert problem.line == forms.line("id: first", occurrence=2)


def test_duplicate_option_code(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: colour
            type: single_choice
            text: {en: "Colour?"}
            options:
              - code: red
                text: {en: Red}
              - code: blue
                text: {en: Blue}
              - code: red
                text: {en: Also red}
        """
    )
    assert problem.message == "duplicate option code in item 'colour': 'red'"
    assert problem.line == forms.line("code: red", occurrence=2)


def test_score_id_that_is_an_item_id(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
scores:
  - id: first
    kind: condition
    when: first = 'yes'
"""
    )
    assert problem.message == "score id 'first' is already an item id"
    assert problem.line == forms.line("  - id: first", occurrence=2)


# ---------------------------------------------------------------- enable_when


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "nowhere = 'yes'",
            "enable_when: 'nowhere' is not an item or score of this form",
        ),
        (
            "third = 'yes'",
            "enable_when: 'third' comes later; a question can only depend on earlier answers",
        ),
        (
            "second = 'yes'",
            "enable_when: 'second' is this question itself; "
            "a question can only depend on earlier answers",
        ),
        (
            "first = 'maybe'",
            "enable_when: 'maybe' is not an option of 'first' (options: yes, no, prefer_not)",
        ),
        (
            "first in ('yes', 'perhaps')",
            "enable_when: 'perhaps' is not an option of 'first' (options: yes, no, prefer_not)",
        ),
        (
            "first >= 2",
            "enable_when: 'first' is a choice; compare it with = or != (or 'in')",
        ),
        (
            "first",
            "enable_when: 'first' alone is not a condition; compare it, e.g. first = 'yes'",
        ),
        (
            "flagged(nothing)",
            "enable_when: 'nothing' is not a flag of this form",
        ),
    ],
)
def test_enable_when_faults(forms: FormWriter, condition: str, message: str) -> None:
    problem = forms.problem(
        f"""\
        items:
          - id: first
            type: yes_no
            text: {{en: First}}
          - id: second
            type: yes_no
            text: {{en: Second}}
            enable_when: {condition}
          - id: third
            type: yes_no
            text: {{en: Third}}
        """
    )
    assert problem.message == message
    assert problem.line == forms.line("enable_when:")


def test_enable_when_on_a_score_of_later_answers(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + """\
            text: {en: A}
          - id: b
            type: yes_no
            text: {en: B}
            enable_when: total >= 5
          - id: c
        """
        + SCALE_0_10
        + """\
            text: {en: C}
        scores:
          - id: total
            kind: sum
            items: [a, c]
        """
    )
    assert problem.message == (
        "enable_when: score 'total' uses answers that come later; it cannot decide this question"
    )
    assert problem.line == forms.line("enable_when")


def test_enable_when_on_a_flag_of_later_answers(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS.replace(
            "    text: {en: First question}\n",
            "    text: {en: First question}\n    enable_when: flagged(worried)\n",
        )
        + """\
flags:
  - id: worried
    severity: high
    reason: Worried.
    when: second = 'yes'
"""
    )
    assert problem.message == (
        "enable_when: flag 'worried' depends on answers that come later; "
        "it cannot decide this question"
    )
    assert problem.line == forms.line("enable_when")


def test_a_flag_id_need_not_be_an_item_id(forms: FormWriter) -> None:
    """Flags have a namespace of their own: flagged(x) names a flag, not an item."""
    form = forms.load(
        TWO_ITEMS.replace(
            "    text: {en: Second question}\n",
            "    text: {en: Second question}\n    enable_when: flagged(worried)\n",
        )
        + """\
scores:
  - id: any_worry
    kind: condition
    when: flagged(worried)
flags:
  - id: worried
    severity: high
    reason: Worried.
    when: first = 'yes'
"""
    )
    assert form.evaluate({"first": "yes", "second": "no"}).scores == {"any_worry": 1}
    assert form.enabled_items({"first": "no"}) == ("first",)


# ---------------------------------------------------------------- scores and flags


def test_score_naming_an_unknown_item(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + """\
            text: {en: A}
        scores:
          - id: total
            kind: sum
            items:
              - a
              - b
        """
    )
    assert problem.message == "score 'total' names 'b', which is not an item"
    assert problem.line == forms.line("- b")


def test_score_of_a_non_numeric_item(forms: FormWriter) -> None:
    problems = forms.problems(
        TWO_ITEMS
        + """\
scores:
  - id: total
    kind: sum
    items: [first, second]
"""
    )
    assert [(p.line, p.message) for p in problems] == [
        (forms.line("items: [first, second]"), "score 'total': item 'first' has no numeric value"),
        (forms.line("items: [first, second]"), "score 'total': item 'second' has no numeric value"),
    ]


def test_lookup_of_an_unknown_score(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
scores:
  - id: converted
    kind: lookup
    of: raw
    table: {0: 0, 1: 50}
"""
    )
    assert problem.message == "score 'converted' names 'raw', which is not an item or score"
    assert problem.line == forms.line("of: raw")


@pytest.mark.control("H-01-C2")
def test_flag_naming_an_unknown_item(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
flags:
  - id: worried
    severity: high
    reason: Worried.
    when: thrid = 'yes'
"""
    )
    assert problem.message == "when: 'thrid' is not an item or score of this form"
    assert problem.line == forms.line("when: thrid")


@pytest.mark.control("H-01-C2")
def test_flag_with_unknown_severity(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
flags:
  - id: worried
    severity: critical
    reason: Worried.
    when: first = 'yes'
"""
    )
    assert "'critical' is not allowed here; expected 'urgent', 'high' or 'routine'" in (
        problem.message
    )
    assert problem.line == forms.line("severity: critical")


def test_unknown_item_type(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS.replace(
            "type: yes_no\n    text: {en: Second", "type: sliding_scale\n    text: {en: Second"
        )
    )
    assert problem.message == (
        "items[second].type: unknown item type 'sliding_scale' (known: info, single_choice, "
        "multi_choice, yes_no, scale, integer, short_text, long_text, date, nhs_number, postcode)"
    )
    assert problem.line == forms.line("sliding_scale")


def test_unknown_score_kind(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + """\
            text: {en: A}
        scores:
          - id: total
            kind: total
            items: [a]
        """
    )
    assert problem.message == (
        "scores[total]: unknown score kind 'total' "
        "(known: sum, mean, condition, lookup, levels, change)"
    )
    assert problem.line == forms.line("kind: total")


def test_score_without_a_kind(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "scores:\n  - id: total\n    items: [first]\n")
    assert problem.message == "scores[total]: 'kind' is missing"
    assert problem.line == forms.line("- id: total")


def test_invalid_expression(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
flags:
  - id: worried
    severity: high
    reason: Worried.
    when: first = 'yes' and
"""
    )
    assert problem.message == (
        "when: invalid expression: expected a value but found the end of the expression "
        "(at column 18)"
    )
    assert problem.line == forms.line("when: first")


def test_invalid_expression_written_as_a_block(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
scores:
  - id: positive
    kind: condition
    when: >-
      first = 'yes' or
      second = 'maybe
"""
    )
    assert problem.message.startswith("when: invalid expression: text in quotes is not closed")
    assert problem.line == forms.line("when: >-")


def test_circular_score_definitions(forms: FormWriter) -> None:
    problems = forms.problems(
        TWO_ITEMS
        + """\
scores:
  - id: one
    kind: condition
    when: two = 1
  - id: two
    kind: condition
    when: one = 1
"""
    )
    problem = only(problems, "circular definition")
    assert problem.message == "circular definition: score 'one' -> score 'two' -> score 'one'"
    assert problem.line == forms.line("scores:")


def test_circular_flag_definitions(forms: FormWriter) -> None:
    problems = forms.problems(
        TWO_ITEMS
        + """\
flags:
  - id: one
    severity: high
    reason: One.
    when: flagged(two)
  - id: two
    severity: high
    reason: Two.
    when: flagged(one) or first = 'yes'
"""
    )
    problem = only(problems, "circular definition")
    assert problem.message == "circular definition: flag 'one' -> flag 'two' -> flag 'one'"
    assert problem.line == forms.line("flags:")


def test_score_that_refers_to_itself(forms: FormWriter) -> None:
    problems = forms.problems(
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + """\
            text: {en: A}
        scores:
          - id: looped
            kind: lookup
            of: looped
            table: {0: 1}
        """
    )
    problem = only(problems, "circular")
    assert problem.message == "circular definition: score 'looped' -> score 'looped'"
    assert problem.line == forms.line("scores:")


def test_circular_through_a_score_and_a_flag(forms: FormWriter) -> None:
    problems = forms.problems(
        TWO_ITEMS
        + """\
scores:
  - id: worried_score
    kind: condition
    when: flagged(worried)
flags:
  - id: worried
    severity: high
    reason: Worried.
    when: worried_score = 1
"""
    )
    only(problems, "circular definition", "worried_score", "flag 'worried'")


# ---------------------------------------------------------------- bands


def banded_scale(bands: str) -> str:
    return (
        """\
        items:
          - id: mood
        """
        + SCALE_0_10
        + """\
            text: {en: "Mood?"}
            bands:
        """.rstrip(" ")
        + bands
    )


@pytest.mark.control("H-07-C6")
def test_bands_with_a_gap(forms: FormWriter) -> None:
    problem = forms.problem(
        banded_scale(
            """\
              - {code: low, min: 0, max: 3}
              - {code: mid, min: 5, max: 7}
              - {code: high, min: 8, max: 10}
            """
        )
    )
    assert problem.message == (
        "gap between band 'low' (to 3) and band 'mid' (from 5): 4 falls in no band"
    )
    assert problem.line == forms.line("code: mid")


@pytest.mark.control("H-07-C6")
def test_bands_that_overlap(forms: FormWriter) -> None:
    problem = forms.problem(
        banded_scale(
            """\
              - {code: low, min: 0, max: 4}
              - {code: mid, min: 4, max: 7}
              - {code: high, min: 8, max: 10}
            """
        )
    )
    assert problem.message == "band 'mid' (from 4) overlaps band 'low' (to 4)"
    assert problem.line == forms.line("code: mid")


@pytest.mark.control("H-07-C6")
def test_bands_that_do_not_cover_the_scale(forms: FormWriter) -> None:
    problems = forms.problems(
        banded_scale(
            """\
              - {code: low, min: 1, max: 4}
              - {code: high, min: 5, max: 9}
            """
        )
    )
    assert [(p.line, p.message) for p in problems] == [
        (forms.line("code: low"), "the bands start at 1, but values start at 0"),
        (forms.line("code: high"), "the bands end at 9, but values go up to 10"),
    ]


def test_band_off_the_grid_and_backwards(forms: FormWriter) -> None:
    problems = forms.problems(
        banded_scale(
            """\
              - {code: low, min: 0, max: 4.5}
              - {code: high, min: 10, max: 5}
            """
        )
    )
    only(problems, "band 'low': 4.5 is not on the 1 grid")
    backwards = only(problems, "runs backwards")
    assert backwards.line == forms.line("code: high")


def test_band_step_one_point_zero_is_the_whole_number_grid(forms: FormWriter) -> None:
    problems = forms.problems(
        banded_scale(
            """\
              - {code: low, min: 0, max: 4.5}
              - {code: high, min: 5.5, max: 10}
            """
        ).replace("            bands:", "            band_step: 1.0\n            bands:")
    )
    only(problems, "band 'low': 4.5 is not on the 1 grid")


def test_bands_on_a_text_item(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: note
            type: short_text
            text: {en: Note}
            bands:
              - {code: all, min: 0, max: 10}
        """
    )
    assert problem.message == "item 'note' (short_text) has no numbers to band"
    assert problem.line == forms.line("bands:")


def test_levels_with_a_gap_on_a_tenth_grid(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + """\
            text: {en: A}
        scores:
          - id: level
            kind: levels
            of: a
            level_step: 0.1
            levels:
              - {level: 1, min: 0, max: 4.9}
              - {level: 2, min: 5.1, max: 10}
        """
    )
    assert problem.message == (
        "gap between band '1' (to 4.9) and band '2' (from 5.1): 5.0 falls in no band"
    )
    assert problem.line == forms.line("level: 2")


def test_non_finite_band_bounds_are_refused(forms: FormWriter) -> None:
    problem = forms.problem(
        banded_scale(
            """\
              - {code: low, min: 0, max: 4}
              - {code: high, min: 5, max: .inf}
            """
        )
    )
    assert problem.message == "items[mood].bands[2].max: input should be a finite number"
    assert problem.line == forms.line(".inf")


# ---------------------------------------------------------------- languages


@pytest.mark.control("H-06-C4")
def test_declared_language_missing_a_text(forms: FormWriter) -> None:
    problems = forms.problems(
        HEADER.replace(
            "languages: {en: validated}", "languages: {en: validated, cy: draft}"
        ).replace("{en: A test form}", "{en: A test form, cy: Ffurflen brawf}")
        + """\
items:
  - id: note
    type: short_text
    text:
      en: Anything else?
      cy: Unrhyw beth arall?
  - id: age
    type: integer
    text:
      en: How old are you?
""",
        header=False,
    )
    problem = only(problems, "no 'cy' text")
    assert problem.message == "no 'cy' text, but the form declares cy"
    assert problem.line == forms.line("text:", occurrence=2)
    assert len(problems) == 1


def test_text_in_an_undeclared_language(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: note
            type: short_text
            text: {en: "Anything else?", pl: "Coś jeszcze?"}
        """
    )
    assert problem.message == "text in 'pl', which is not declared under languages"
    assert problem.line == forms.line("Coś jeszcze")


def test_language_without_standard_yes_no_text(forms: FormWriter) -> None:
    problems = forms.problems(
        HEADER.replace(
            "languages: {en: validated}", "languages:\n  en: validated\n  xx: draft\n"
        ).replace("{en: A test form}", "{en: A test form, xx: Xx}")
        + """\
items:
  - id: q
    type: yes_no
    text: {en: Question, xx: Xx}
""",
        header=False,
    )
    problem = only(problems, "standard yes / no")
    assert problem.line == forms.line("xx: draft")


# ---------------------------------------------------------------- item keys


def test_options_on_a_scale_item(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: pain
        """
        + SCALE_0_10
        + """\
            text: {en: "Pain?"}
            options:
              - {code: a, text: {en: A}}
        """
    )
    assert problem.message == "item 'pain' (scale) cannot have options"
    assert problem.line == forms.line("options:")


def test_options_on_a_yes_no_item(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: q
            type: yes_no
            text: {en: "Q?"}
            options:
              - {code: yes, text: {en: Yes}}
              - {code: no, text: {en: No}}
        """
    )
    assert problem.message == (
        "item 'q' (yes_no) cannot have options (its answers are always yes, no, prefer_not)"
    )
    assert problem.line == forms.line("options:")


def test_scale_without_anchors(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: pain
            type: scale
            min: 0
            max: 10
            text: {en: "Pain?"}
        """
    )
    assert problem.message == "item 'pain' (scale) needs labelled anchors (at least its two ends)"
    assert problem.line == forms.line("- id: pain")


def test_scale_anchor_outside_the_scale(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: pain
        """
        + SCALE_0_10
        + """\
              - {value: 11, text: {en: Beyond}}
            text: {en: "Pain?"}
        """
    )
    assert problem.message == "anchor 11 is outside the scale"
    assert problem.line == forms.line("value: 11")


def test_scale_without_min_and_max(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: pain
            type: scale
            anchors: [{value: 0, text: {en: None}}]
            text: {en: "Pain?"}
        """
    )
    assert problem.message == "item 'pain' (scale) needs min and max"
    assert problem.line == forms.line("- id: pain")


def test_single_choice_needs_two_options(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: q
            type: single_choice
            text: {en: "Q?"}
            options:
              - {code: only, text: {en: Only}}
        """
    )
    assert problem.message == "item 'q' (single_choice) needs at least 2 options"
    assert problem.line == forms.line("options:")


def test_validation_that_does_not_suit_the_type(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: q
            type: integer
            text: {en: "Q?"}
            validation:
              min: 0
              pattern: '[0-9]+'
        """
    )
    assert problem.message == "item 'q' (integer) cannot have validation pattern"
    assert problem.line == forms.line("pattern:")


def test_invalid_pattern(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: q
            type: short_text
            text: {en: "Q?"}
            validation:
              pattern: '[0-9'
        """
    )
    assert problem.message.startswith("invalid pattern:")
    assert problem.line == forms.line("pattern:")


def test_bad_date_bound(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: seen
            type: date
            text: {en: "When?"}
            validation:
              min: 2023-02-30
        """
    )
    assert problem.message == "date min must be YYYY-MM-DD or 'today'"
    assert problem.line == forms.line("2023-02-30")


def test_unquoted_date_bounds_are_dates(forms: FormWriter) -> None:
    form = forms.load(
        """\
        items:
          - id: seen
            type: date
            text: {en: "When?"}
            validation:
              min: 2023-01-01
              max: today
        """
    )
    assert form.normalise("seen", "2023-01-01") == "2023-01-01"


@pytest.mark.control("H-18-C2")
def test_proprietary_without_site_licence_required(forms: FormWriter) -> None:
    problem = forms.problem(
        HEADER.replace(
            "licence: {name: Written for the tests}",
            "licence:\n  name: Someone else's\n  proprietary: true\n",
        )
        + TWO_ITEMS,
        header=False,
    )
    assert problem.message == "a proprietary form must also set site_licence_required: true"
    assert problem.line == forms.line("proprietary: true")


# ---------------------------------------------------------------- lookup tables


def lookup_form(table_file: str) -> str:
    return (
        """\
        items:
          - id: a
        """
        + SCALE_0_10
        + f"""\
            text: {{en: A}}
        scores:
          - id: converted
            kind: lookup
            of: a
            table_file: {table_file}
        """
    )


def test_lookup_table_file_missing(forms: FormWriter) -> None:
    problem = forms.problem(lookup_form("nowhere.csv"))
    assert problem.message.startswith("cannot read lookup table ")
    assert "nowhere.csv" in problem.message
    assert problem.line == forms.line("table_file:")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("raw,converted\n0,10\n1,ten\n", "table.csv line 3: expected 'raw,converted' numbers"),
        ("0,10\n1\n", "table.csv line 2: expected 'raw,converted' numbers"),
        ("0,10\n1.5,20\n", "table.csv line 2: expected 'raw,converted' numbers"),
        ("0,10\n1,inf\n", "table.csv line 2: expected 'raw,converted' numbers"),
        ("0,10\n1,nan\n", "table.csv line 2: expected 'raw,converted' numbers"),
        ("0,10\n0,20\n", "table.csv line 2: raw score 0 appears twice"),
        ("raw,converted\n# nothing yet\n", "lookup table table.csv has no rows"),
        ("", "lookup table table.csv has no rows"),
    ],
)
def test_lookup_table_file_malformed(forms: FormWriter, content: str, message: str) -> None:
    (forms.folder / "table.csv").write_text(content, encoding="utf-8")
    problem = forms.problem(lookup_form("table.csv"))
    assert problem.message == message
    assert problem.line == forms.line("table_file:")


def test_lookup_table_file_not_utf8(forms: FormWriter) -> None:
    (forms.folder / "table.csv").write_bytes(b"0,10\n1,\xff\xfe\n")
    problem = forms.problem(lookup_form("table.csv"))
    assert problem.message == "lookup table table.csv is not UTF-8 text"
    assert problem.line == forms.line("table_file:")


def test_lookup_needs_exactly_one_table(forms: FormWriter) -> None:
    problem = forms.problem(lookup_form("table.csv").replace("table_file: table.csv", "label: x"))
    assert problem.message == "lookup score 'converted' needs exactly one of table or table_file"
    assert problem.line == forms.line("- id: converted")


# ---------------------------------------------------------------- yes and no stay text


def test_yes_and_no_stay_strings(forms: FormWriter) -> None:
    form = forms.load(
        """\
        items:
          - id: agree
            type: single_choice
            text: {en: "Agree?"}
            options:
              - code: yes
                text: {en: Yes}
              - code: no
                text: {en: No}
              - code: on
                text: {en: On}
              - code: off
                text: {en: Off}
          - id: why
            type: short_text
            text: {en: "Why?"}
            enable_when: agree in ('yes', 'no')
        """
    )
    codes = [o.code for o in form.items["agree"].options or ()]
    assert codes == ["yes", "no", "on", "off"]
    assert all(type(code) is str for code in codes)
    assert form.items["agree"].options[0].text == {"en": "Yes"}  # type: ignore[index]
    assert form.enabled_items({"agree": "yes"}) == ("agree", "why")
    assert form.enabled_items({"agree": "off"}) == ("agree",)


def test_a_key_named_yes_stays_a_string(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "yes: please\n")
    assert problem.message == "unknown key 'yes'"


def test_true_and_false_are_still_booleans(forms: FormWriter) -> None:
    form = forms.load(
        TWO_ITEMS.replace(
            "type: yes_no\n    text: {en: First",
            "type: yes_no\n    sensitive: true\n    text: {en: First",
        )
    )
    assert form.items["first"].sensitive is True


def test_a_boolean_where_a_code_belongs(forms: FormWriter) -> None:
    problem = forms.problem(
        """\
        items:
          - id: agree
            type: single_choice
            text: {en: "Agree?"}
            options:
              - {code: true, text: {en: Yes}}
              - {code: no, text: {en: No}}
        """
    )
    assert problem.message == "items[agree].options[1].code: input should be a valid string"
    assert problem.line == forms.line("code: true")


# ---------------------------------------------------------------- everything at once


def test_every_problem_is_reported_at_once(forms: FormWriter) -> None:
    problems = forms.problems(
        """\
        items:
          - id: first
            type: yes_no
            text: {en: First}
          - id: first
            type: yes_no
            text: {en: Again}
            enable_when: nowhere = 'yes'
          - id: pain
            type: scale
            min: 0
            max: 10
            text: {en: Pain}
        scores:
          - id: total
            kind: sum
            items: [pain, missing]
        flags:
          - id: hurt
            severity: high
            reason: Hurts.
            when: pain >= 11
        """
    )
    assert [(p.line, p.message) for p in problems] == sorted(
        [
            (forms.line("id: first", 2), "duplicate item 'first'"),
            (
                forms.line("enable_when"),
                "enable_when: 'nowhere' is not an item or score of this form",
            ),
            (
                forms.line("- id: pain"),
                "item 'pain' (scale) needs labelled anchors (at least its two ends)",
            ),
            (
                forms.line("items: [pain, missing]"),
                "score 'total' names 'missing', which is not an item",
            ),
            (forms.line("when: pain"), "when: 11 is outside the scale of 'pain' (0 to 10)"),
        ]
    )


def test_every_shape_problem_is_reported_at_once(forms: FormWriter) -> None:
    problems = forms.problems(
        """\
        items:
          - id: first
            type: yes_no
            txt: {en: First}
          - id: second
            type: dial
            text: {en: Second}
        """
    )
    messages = {p.line: p.message for p in problems}
    assert messages[forms.line("txt:")] == "items[first]: unknown key 'txt' (did you mean 'text'?)"
    assert messages[forms.line("- id: first")] == "items[first]: 'text' is missing"
    assert messages[forms.line("type: dial")].startswith("items[second].type: unknown item type")


def test_problems_are_sorted_and_printable(forms: FormWriter) -> None:
    path = forms.write(TWO_ITEMS + "colour: blue\nshade: dark\n")
    with pytest.raises(FormError) as caught:
        load_form(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:{forms.line('colour')}: unknown key 'colour'",
        f"{path}:{forms.line('shade')}: unknown key 'shade'",
    ]


# ---------------------------------------------------------------- hostile and odd files


def test_alias_bomb_is_refused_quickly(forms: FormWriter) -> None:
    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        bomb.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    start = time.perf_counter()
    problems = forms.problems(HEADER + TWO_ITEMS + "\n".join(bomb) + "\n", header=False)
    assert time.perf_counter() - start < 10
    assert [p.line for p in problems] == [1]
    assert "repeated anchors" in problems[0].message


def test_an_anchor_that_contains_itself(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "extra: &loop [*loop]\n")
    assert problem.line == 1
    assert "anchor refers to itself" in problem.message


def test_absurdly_deep_nesting_is_refused(forms: FormWriter) -> None:
    depth = 50_000
    problem = forms.problem(TWO_ITEMS + "extra: " + "[" * depth + "]" * depth + "\n")
    assert "nested more than 100 levels deep" in problem.message
    assert problem.line == forms.line("extra:")


@pytest.mark.parametrize(
    "value",
    ["!!float abc", "!!int twelve", "!!timestamp 2023-02-30", "!!python/object:os.system x"],
)
def test_values_yaml_cannot_build(forms: FormWriter, value: str) -> None:
    problem = forms.problem(TWO_ITEMS + f"extra: {value}\n")
    assert problem.message.startswith("cannot read value")
    assert problem.line == forms.line("extra:")


def test_keys_yaml_cannot_build(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "? !!python/name:os.system\n: x\n")
    assert problem.message == "cannot read this key"
    assert problem.line == forms.line("? !!python")


def test_a_list_as_a_key(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "? [a, b]\n: x\n")
    assert problem.message == "a key must be plain text"
    assert problem.line == forms.line("? [a, b]")


def test_not_utf8(forms: FormWriter) -> None:
    path = forms.folder / "latin1.yaml"
    path.write_bytes((HEADER + "# Caf\xe9\n").encode("latin-1"))
    with pytest.raises(FormError) as caught:
        load_form(path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (str(path), 1)
    assert problem.message.startswith("not UTF-8 text")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(forms: FormWriter, text: str) -> None:
    problem = forms.problem(text, header=False)
    assert problem.line == 1
    assert problem.message == "the file must be a YAML mapping of keys to values"


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_not_a_mapping(forms: FormWriter, text: str) -> None:
    problem = forms.problem(text, header=False)
    assert (problem.line, problem.message) == (
        1,
        "the file must be a YAML mapping of keys to values",
    )


def test_two_documents(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS + "---\nid: other\n")
    assert "YAML syntax error" in problem.message
    assert problem.line == forms.line("---")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormError) as caught:
        load_form(tmp_path / "nowhere.yaml")
    [problem] = caught.value.problems
    assert problem.line == 1
    assert problem.message.startswith("cannot read file")


def test_form_from_text_uses_the_label() -> None:
    with pytest.raises(FormError) as caught:
        form_from_text(HEADER + "items: []\ncolour: red\n", "label.yaml")
    assert [str(p) for p in caught.value.problems] == ["label.yaml:9: unknown key 'colour'"]


# ---------------------------------------------------------------- impossible or useless definitions


@pytest.mark.parametrize(
    ("item_type", "bounds", "message"),
    [
        ("integer", "{min: 10, max: 5}", "validation min 10 is above max 5"),
        ("date", "{min: '2024-02-01', max: '2024-01-31'}", "validation min 2024-02-01 is above"),
    ],
)
def test_validation_min_above_max(
    forms: FormWriter, item_type: str, bounds: str, message: str
) -> None:
    problem = forms.problem(
        f"""\
        items:
          - id: q
            type: {item_type}
            text: {{en: "Q?"}}
            validation: {bounds}
        """
    )
    assert message in problem.message
    assert problem.message.endswith("so no answer is possible")
    assert problem.line == forms.line("validation:")


def test_lookup_of_an_item_without_numbers(forms: FormWriter) -> None:
    problem = forms.problem(
        TWO_ITEMS
        + """\
scores:
  - id: converted
    kind: lookup
    of: first
    table: {0: 0}
"""
    )
    assert problem.message == "score 'converted': 'first' has no numeric value"
    assert problem.line == forms.line("of: first")


def test_a_control_character_in_the_file(forms: FormWriter) -> None:
    problem = forms.problem(TWO_ITEMS.replace("Second question", "Second\x07question"))
    assert problem.message == "YAML syntax error: character U+0007 is not allowed in a form file"
    assert problem.line == forms.line("Second\x07question")
