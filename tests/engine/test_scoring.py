"""Scores, bands, levels and flags: Form.evaluate, the one place responses are scored.

Also the identity of a form (its content hash) and the library of form versions.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.engine import AnswerError, Form, FormError, FormLibrary, UnknownFormError, load_form

from .conftest import HEADER, FormWriter, scale_item

# ---------------------------------------------------------------- sum and mean


def four_scales(scores: str) -> str:
    return (
        "items:\n"
        + "".join(scale_item(name, 0, 10) for name in ("a", "b", "c", "d"))
        + "scores:\n"
        + scores
    )


@pytest.fixture
def sums(forms: FormWriter) -> Form:
    return forms.load(
        four_scales(
            """\
  - id: total
    kind: sum
    items: [a, b, c, d]
  - id: total_of_three
    kind: sum
    items: [a, b, c, d]
    min_answered: 3
  - id: average
    kind: mean
    items: [a, b, c, d]
    min_answered: 2
  - id: average_whole
    kind: mean
    items: [a, b, c, d]
    min_answered: 1
    round: 0
  - id: average_tenths
    kind: mean
    items: [a, b, c, d]
    round: 1
"""
        )
    )


def test_sum_needs_every_item_by_default(sums: Form) -> None:
    scores = sums.evaluate({"a": 1, "b": 2, "c": 3, "d": 4}).scores
    assert scores["total"] == 10
    assert type(scores["total"]) is int
    assert sums.evaluate({"a": 1, "b": 2, "c": 3}).scores["total"] is None


def test_min_answered(sums: Form) -> None:
    assert sums.evaluate({"a": 1, "b": 2, "c": 3}).scores["total_of_three"] == 6
    assert sums.evaluate({"a": 1, "b": 2}).scores["total_of_three"] is None
    assert sums.evaluate({"a": 1, "b": 2}).scores["average"] == 1.5
    assert sums.evaluate({"a": 1}).scores["average"] is None


@pytest.mark.control("H-07-C4")
def test_not_scored_is_none_never_zero(sums: Form) -> None:
    scores = sums.evaluate({}).scores
    assert scores == {
        "total": None,
        "total_of_three": None,
        "average": None,
        "average_whole": None,
        "average_tenths": None,
    }
    assert sums.evaluate({"a": 0, "b": 0, "c": 0, "d": 0}).scores["total"] == 0


@pytest.mark.control("H-07-C4")
def test_mean_is_rounded_half_up(sums: Form) -> None:
    # 2.5 -> 3 (Python's round() would give 2), 3.5 -> 4
    assert sums.evaluate({"a": 2, "b": 3}).scores["average_whole"] == 3
    assert sums.evaluate({"a": 3, "b": 4}).scores["average_whole"] == 4
    assert sums.evaluate({"a": 2, "b": 2, "c": 3}).scores["average_whole"] == 2  # 2.333
    # 1.25 -> 1.3 and 1.75 -> 1.8 on one decimal place
    assert sums.evaluate({"a": 1, "b": 1, "c": 1, "d": 2}).scores["average_tenths"] == 1.3
    assert sums.evaluate({"a": 1, "b": 2, "c": 2, "d": 2}).scores["average_tenths"] == 1.8
    # two places by default: 7/3 = 2.333... -> 2.33, 20/3 = 6.666... -> 6.67
    assert sums.evaluate({"a": 2, "b": 2, "c": 3}).scores["average"] == 2.33
    assert sums.evaluate({"a": 6, "b": 7, "c": 7}).scores["average"] == 6.67


@pytest.mark.control("H-07-C4")
def test_prefer_not_counts_as_unanswered(forms: FormWriter) -> None:
    form = forms.load(
        "items:\n"
        + scale_item("a", 0, 10, "prefer_not: true\n")
        + scale_item("b", 0, 10)
        + "scores:\n  - id: total\n    kind: sum\n    items: [a, b]\n    min_answered: 1\n"
    )
    assert form.evaluate({"a": "prefer_not", "b": 4}).scores["total"] == 4
    assert form.evaluate({"a": "prefer_not"}).scores["total"] is None


def test_option_values_are_scored(forms: FormWriter) -> None:
    form = forms.load(
        """\
items:
  - id: often
    type: single_choice
    text: {en: "How often?"}
    options:
      - {code: never, value: 0, text: {en: Never}}
      - {code: sometimes, value: 1.5, text: {en: Sometimes}}
      - {code: always, value: 3, text: {en: Always}}
      - {code: unsure, text: {en: Not sure}}
"""
        + scale_item("b", 0, 10)
        + """\
scores:
  - id: total
    kind: sum
    items: [often, b]
    min_answered: 1
"""
    )
    assert form.evaluate({"often": "sometimes", "b": 2}).scores["total"] == 3.5
    assert form.evaluate({"often": "unsure", "b": 2}).scores["total"] == 2  # no value
    assert form.evaluate({"often": "unsure"}).scores["total"] is None


# ---------------------------------------------------------------- condition and change


def test_condition_scores(forms: FormWriter) -> None:
    form = forms.load(
        """\
items:
  - id: smoker
    type: yes_no
    text: {en: "Do you smoke?"}
"""
        + scale_item("pain", 0, 10)
        + """\
scores:
  - id: needs_review
    kind: condition
    when: smoker = 'yes' or pain >= 7
  - id: all_well
    kind: condition
    when: smoker = 'no' and pain < 3
"""
    )
    assert form.evaluate({"smoker": "yes"}).scores == {"needs_review": 1, "all_well": 0}
    assert form.evaluate({"pain": 8}).scores == {"needs_review": 1, "all_well": 0}
    assert form.evaluate({"smoker": "no", "pain": 2}).scores == {"needs_review": 0, "all_well": 1}
    assert form.evaluate({}).scores == {"needs_review": 0, "all_well": 0}


def test_change_from_baseline(forms: FormWriter) -> None:
    form = forms.load(
        "baseline:\n  form: first_visit\n  items: [wellbeing]\n"
        "items:\n"
        + scale_item("wellbeing", 0, 6)
        + """\
scores:
  - id: wellbeing_change
    kind: change
    baseline: baseline.wellbeing
    followup: wellbeing
"""
    )
    assert form.evaluate({"wellbeing": 2}, baseline={"wellbeing": 5}).scores == {
        "wellbeing_change": 3
    }
    assert form.evaluate({"wellbeing": 2}).scores == {"wellbeing_change": None}
    assert form.evaluate({}, baseline={"wellbeing": 5}).scores == {"wellbeing_change": None}
    assert form.evaluate({"wellbeing": 2}, baseline={"wellbeing": "5"}).scores == {
        "wellbeing_change": None  # baseline values must be numbers
    }


# ---------------------------------------------------------------- lookup and levels


CONVERSION = {
    0: 0.0,
    1: 47.0,
    2: 47.05,
    3: 47.1,
    4: 55.1,
    5: 55.2,
    6: 72.4,
    7: 72.45,
    8: 72.5,
    9: 100.0,
}
"""Synthetic raw -> converted values chosen to sit on and between the level edges."""

EXPECTED_LEVEL = {0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}


def levels_form(table: str) -> str:
    return (
        """\
items:
  - id: raw
    type: integer
    text: {en: Raw score}
    validation: {min: 0, max: 20}
scores:
  - id: converted
    kind: lookup
    of: raw
"""
        + table
        + """\
  - id: level
    kind: levels
    of: converted
    level_step: 0.1
    levels:
      - {level: 1, min: 0, max: 47.0}
      - {level: 2, min: 47.1, max: 55.1}
      - {level: 3, min: 55.2, max: 72.4}
      - {level: 4, min: 72.5, max: 100}
"""
    )


def test_lookup_inline_table_and_levels_on_a_tenth_grid(forms: FormWriter) -> None:
    inline = "    table:\n" + "".join(
        f"      {raw}: {value}\n" for raw, value in CONVERSION.items()
    )
    form = forms.load(levels_form(inline))
    for raw, value in CONVERSION.items():
        scores = form.evaluate({"raw": raw}).scores
        assert scores["converted"] == value
        assert scores["level"] == EXPECTED_LEVEL[raw], (
            f"{value} should be level {EXPECTED_LEVEL[raw]}"
        )
    # a raw score not in the table is not scored, and neither is its level
    assert form.evaluate({"raw": 15}).scores == {"converted": None, "level": None}
    assert form.evaluate({}).scores == {"converted": None, "level": None}


def test_lookup_table_from_a_csv_file(forms: FormWriter) -> None:
    rows = "".join(f"{raw},{value}\n" for raw, value in CONVERSION.items())
    (forms.folder / "conversion.csv").write_text(
        "raw,converted\n# a synthetic table written by the test\n" + rows, encoding="utf-8"
    )
    form = forms.load(levels_form("    table_file: conversion.csv\n"))
    assert form.evaluate({"raw": 2}).scores == {"converted": 47.05, "level": 2}
    assert form.evaluate({"raw": 8}).scores == {"converted": 72.5, "level": 4}
    assert form.evaluate({"raw": 11}).scores == {"converted": None, "level": None}


def test_the_csv_table_is_part_of_the_content_hash(forms: FormWriter) -> None:
    table = forms.folder / "conversion.csv"
    table.write_text("0,10\n1,20\n", encoding="utf-8")
    first = forms.load(levels_form("    table_file: conversion.csv\n")).hash
    table.write_text("0,10\n1,21\n", encoding="utf-8")
    assert forms.load(levels_form("    table_file: conversion.csv\n")).hash != first


def test_levels_round_half_up_at_the_edges(forms: FormWriter) -> None:
    values = [0, 47.0, 47.04, 47.05, 47.1, 55.1, 55.14, 55.15, 55.2, 72.4, 72.44, 72.45, 72.5, 100]
    table = "    table:\n" + "".join(f"      {i}: {v}\n" for i, v in enumerate(values))
    form = forms.load(levels_form(table))
    levels = [form.evaluate({"raw": i}).scores["level"] for i in range(len(values))]
    assert dict(zip(values, levels, strict=True)) == {
        0: 1,
        47.0: 1,
        47.04: 1,
        47.05: 2,
        47.1: 2,
        55.1: 2,
        55.14: 2,
        55.15: 3,
        55.2: 3,
        72.4: 3,
        72.44: 3,
        72.45: 4,
        72.5: 4,
        100: 4,
    }


def test_a_value_outside_every_level_has_no_level(forms: FormWriter) -> None:
    form = forms.load(levels_form("    table: {0: -1, 1: 100.1, 2: 100.04}\n"))
    assert form.evaluate({"raw": 0}).scores["level"] is None
    assert form.evaluate({"raw": 1}).scores["level"] is None
    assert form.evaluate({"raw": 2}).scores["level"] == 4  # 100.04 rounds to 100.0


# ---------------------------------------------------------------- bands


def test_bands_on_items_and_scores(forms: FormWriter) -> None:
    form = forms.load(
        "items:\n"
        + scale_item(
            "worry",
            0,
            10,
            """\
            bands:
              - {code: low, min: 0, max: 3}
              - {code: high, min: 4, max: 10}
            """,
        )
        + scale_item("sleep", 0, 10)
        + """\
scores:
  - id: average
    kind: mean
    items: [worry, sleep]
    round: 2
    band_step: 0.1
    bands:
      - {code: fine, min: 0, max: 4.9}
      - {code: poor, min: 5.0, max: 10}
  - id: total
    kind: sum
    items: [worry, sleep]
    bands:
      - {code: ok, min: 0, max: 9}
      - {code: bad, min: 10, max: 20}
flags:
  - id: worried
    severity: routine
    reason: Worried.
    when: band(worry) = 'high' and band(average) = 'poor'
"""
    )
    result = form.evaluate({"worry": 4, "sleep": 5})  # mean 4.5
    assert result.scores == {"average": 4.5, "total": 9}
    assert result.bands == {"worry": "high", "average": "fine", "total": "ok"}
    assert result.flags == ()
    result = form.evaluate({"worry": 5, "sleep": 6})  # mean 5.5, total 11
    assert result.bands == {"worry": "high", "average": "poor", "total": "bad"}
    assert [f.id for f in result.flags] == ["worried"]
    # unanswered: no band at all (not a band of 'None')
    assert form.evaluate({"sleep": 3}).bands == {}


@pytest.mark.control("H-07-C3")
def test_a_mean_between_whole_number_bands_rounds_half_up(forms: FormWriter) -> None:
    form = forms.load(
        "items:\n"
        + scale_item("a", 0, 10)
        + scale_item("b", 0, 10)
        + """\
scores:
  - id: average
    kind: mean
    items: [a, b]
    round: 1
    band_step: 1.0
    bands:
      - {code: low, min: 0, max: 4}
      - {code: high, min: 5, max: 10}
"""
    )
    assert form.evaluate({"a": 4, "b": 5}).bands == {"average": "high"}  # 4.5 -> 5
    assert form.evaluate({"a": 4, "b": 4}).bands == {"average": "low"}


# ---------------------------------------------------------------- flags


FLAGS = """\
items:
  - id: unsafe
    type: yes_no
    text: {en: "Do you feel unsafe?"}
  - id: hungry
    type: yes_no
    text: {en: "Do you miss meals?"}
  - id: help
    type: yes_no
    text: {en: "Would you like help?"}
    enable_when: any_flag()
flags:
  - id: hungry
    severity: routine
    reason: Misses meals.
    when: hungry = 'yes'
  - id: help
    severity: high
    reason: Asked for help.
    when: help = 'yes'
  - id: unsafe
    severity: urgent
    reason: Feels unsafe.
    when: unsafe = 'yes'
"""


@pytest.mark.control("H-02-C1")
def test_flags_are_ordered_urgent_high_routine(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    result = form.evaluate({"unsafe": "yes", "hungry": "yes", "help": "yes"})
    assert [(f.id, f.severity) for f in result.flags] == [
        ("unsafe", "urgent"),
        ("help", "high"),
        ("hungry", "routine"),
    ]
    assert result.flags[0].reason == "Feels unsafe."
    assert result.to_json()["flags"][0] == {
        "id": "unsafe",
        "severity": "urgent",
        "reason": "Feels unsafe.",
    }


@pytest.mark.control("H-22-C5")
def test_prefer_not_never_raises_a_flag(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    result = form.evaluate({"unsafe": "prefer_not", "hungry": "prefer_not"})
    assert result.flags == ()
    assert result.enabled == ("unsafe", "hungry")


def test_any_flag_skip_logic(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    assert form.enabled_items({}) == ("unsafe", "hungry")
    assert form.enabled_items({"hungry": "yes"}) == ("unsafe", "hungry", "help")
    assert form.enabled_items({"unsafe": "no", "hungry": "no"}) == ("unsafe", "hungry")


# ---------------------------------------------------------------- strict and non-strict


@pytest.mark.control("H-22-C1")
def test_strict_evaluation_refuses_answers_to_disabled_items(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"hungry": "no", "help": "yes"})
    assert caught.value.item_id == "help"
    assert caught.value.code == "disabled"


def test_non_strict_evaluation_drops_them(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    result = form.evaluate({"hungry": "no", "help": "yes"}, strict=False)
    assert dict(result.answers) == {"hungry": "no"}
    assert result.enabled == ("unsafe", "hungry")
    assert result.flags == ()  # the dropped answer raises nothing


def test_a_chain_of_skips(forms: FormWriter) -> None:
    form = forms.load(
        """\
        items:
          - id: a
            type: yes_no
            text: {en: A}
          - id: b
            type: yes_no
            text: {en: B}
            enable_when: a = 'yes'
          - id: c
            type: yes_no
            text: {en: C}
            enable_when: b = 'yes'
          - id: d
            type: yes_no
            text: {en: D}
            enable_when: b != 'yes'
        """
    )
    assert form.enabled_items({"a": "yes", "b": "yes", "c": "no"}) == ("a", "b", "c")
    # a patient goes back and changes a: b and c are no longer asked, d now is
    changed = form.evaluate({"a": "no", "b": "yes", "c": "no"}, strict=False)
    assert changed.enabled == ("a", "d")
    assert dict(changed.answers) == {"a": "no"}
    with pytest.raises(AnswerError, match="not asked"):
        form.evaluate({"a": "no", "b": "yes"})
    # an answer of None to a disabled item is no answer at all
    assert form.evaluate({"a": "no", "b": None}).enabled == ("a", "d")


@pytest.mark.control("H-10-C1")
def test_scored_response_json(forms: FormWriter) -> None:
    form = forms.load(FLAGS)
    result = form.evaluate({"unsafe": "yes"})
    data = result.to_json()
    assert data == {
        "form": "test_form",
        "version": "1.0",
        "hash": form.hash,
        "scores": {},
        "bands": {},
        "flags": [{"id": "unsafe", "severity": "urgent", "reason": "Feels unsafe."}],
        "enabled": ["unsafe", "hungry", "help"],
    }
    json.dumps(data)


# ---------------------------------------------------------------- content hash


HASHED = """\
items:
  - id: mood
    type: single_choice
    text: {en: "How is your mood?"}
    options:
      - {code: good, text: {en: Good}}
      - {code: bad, text: {en: Bad}}
flags:
  - id: low
    severity: routine
    reason: Low mood.
    when: mood = 'bad'
"""

REFORMATTED = """\
# The same form, laid out differently, with comments.
id: test_form
format: 1
version: '1.0'
languages:
  en: validated          # the only language
licence:
  name: "Written for the tests"
source:
  name: The test suite
title:
  en: >-
    A test form

items:
- id: mood
  text:
    en: 'How is your mood?'
  type: single_choice
  options:
  - code: good
    text:
      en: Good
  - text: {en: "Bad"}
    code: bad
flags: [{id: low, severity: routine, when: "mood = 'bad'", reason: Low mood.}]
"""


def test_content_hash_ignores_layout_and_comments(forms: FormWriter) -> None:
    original = forms.load(HASHED)
    copy = forms.load(REFORMATTED, name="copy.yaml", header=False)
    assert original.hash == copy.hash
    assert original.hash.startswith("sha256:")
    assert len(original.hash) == len("sha256:") + 64


@pytest.mark.control("H-10-C1")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("How is your mood?", "How is your mood today?"),
        ("{en: Good}", "{en: Very good}"),
        ("reason: Low mood.", "reason: Low mood!"),
        ("when: mood = 'bad'", "when: mood != 'good'"),
        ("{code: bad,", "{code: poor,"),
        ("type: single_choice", "type: single_choice\n    sensitive: true"),
    ],
)
def test_content_hash_changes_with_any_text(forms: FormWriter, old: str, new: str) -> None:
    original = forms.load(HASHED)
    changed_body = HASHED.replace(old, new)
    if "code: poor" in new:
        changed_body = changed_body.replace("mood = 'bad'", "mood = 'poor'")
    assert changed_body != HASHED
    changed = forms.load(changed_body, name="changed.yaml")
    assert changed.hash != original.hash


@pytest.mark.control("H-10-C1")
def test_content_hash_changes_with_header_text(forms: FormWriter) -> None:
    original = forms.load(HASHED)
    retitled = forms.load(
        HEADER.replace("A test form", "A test form.") + HASHED, name="retitled.yaml", header=False
    )
    assert retitled.hash != original.hash


# ---------------------------------------------------------------- the library


def versioned(version: str, question: str = "How are you?") -> str:
    return HEADER.replace('"1.0"', f'"{version}"') + (
        f"items:\n  - id: q\n    type: yes_no\n    text: {{en: '{question}'}}\n"
    )


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "test_form_v1.yaml").write_text(versioned("1.0", "Version one?"), encoding="utf-8")
    (folder / "test_form_v1_9.yaml").write_text(versioned("1.9", "Version 1.9?"), encoding="utf-8")
    (folder / "test_form_v1_10.yaml").write_text(
        versioned("1.10", "Version 1.10?"), encoding="utf-8"
    )
    (folder / "other.yaml").write_text(
        versioned("3").replace("id: test_form", "id: other"), encoding="utf-8"
    )
    return folder


def test_library_gets_the_latest_version(library_dir: Path) -> None:
    library = FormLibrary.load(library_dir)
    assert library.ids() == ["other", "test_form"]
    latest = library.get("test_form")
    assert latest.version == "1.10"  # versions compare as numbers, not text
    assert [f.version for f in library.forms()] == ["3", "1.10"]


def test_library_gets_a_version(library_dir: Path) -> None:
    library = FormLibrary.load(library_dir)
    assert library.get("test_form", "1.0").spec.items[0].text == {"en": "Version one?"}
    assert library.get("test_form", "1.9").version == "1.9"
    with pytest.raises(UnknownFormError, match=r"form 'test_form' has no version 2\.0"):
        library.get("test_form", "2.0")


@pytest.mark.control("H-10-C2")
def test_library_finds_a_form_by_its_hash(library_dir: Path) -> None:
    library = FormLibrary.load(library_dir)
    old = library.get("test_form", "1.0")
    assert library.by_hash(old.hash) is old
    with pytest.raises(UnknownFormError, match="no form definition with hash sha256:0000"):
        library.by_hash("sha256:" + "0" * 64)


def test_library_unknown_form(library_dir: Path) -> None:
    library = FormLibrary.load(library_dir)
    with pytest.raises(
        UnknownFormError, match="no form with id 'nope' \\(known: other, test_form\\)"
    ):
        library.get("nope")
    assert isinstance(UnknownFormError("x"), Exception)


@pytest.mark.control("H-10-C2")
def test_an_old_response_is_rescored_by_its_own_definition(library_dir: Path) -> None:
    library = FormLibrary.load(library_dir)
    stored = library.get("test_form", "1.0").evaluate({"q": "yes"}).to_json()
    form = library.by_hash(stored["hash"])
    assert (form.id, form.version) == ("test_form", "1.0")


@pytest.mark.control("H-10-C2")
def test_library_refuses_one_version_defined_twice(library_dir: Path) -> None:
    shutil.copy(library_dir / "test_form_v1.yaml", library_dir / "copy.yaml")
    with pytest.raises(FormError) as caught:
        FormLibrary.load(library_dir)
    [problem] = caught.value.problems
    assert problem.path == str(library_dir / "test_form_v1.yaml") or problem.path == str(
        library_dir / "copy.yaml"
    )
    assert "version 1.0 is also defined in" in problem.message
    assert problem.line == 3


def test_library_reports_every_broken_file(library_dir: Path) -> None:
    (library_dir / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    (library_dir / "empty.yaml").write_text("", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        FormLibrary.load(library_dir)
    assert {Path(p.path).name for p in caught.value.problems} == {"broken.yaml", "empty.yaml"}


def test_library_from_two_folders(library_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site_form.yaml").write_text(
        versioned("1").replace("id: test_form", "id: site_form"), encoding="utf-8"
    )
    library = FormLibrary.load(library_dir, site)
    assert library.ids() == ["other", "site_form", "test_form"]


def test_load_form_and_library_agree(library_dir: Path) -> None:
    direct = load_form(library_dir / "other.yaml")
    assert FormLibrary.load(library_dir).get("other").hash == direct.hash
