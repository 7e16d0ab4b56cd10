"""Every shipped form's FHIR Questionnaire in a real client: NLM's LHC-Forms in headless Chromium.

tools/lhc-forms/fill.mjs renders each exported Questionnaire in LHC-Forms (npm ``lforms``,
pinned in tools/lhc-forms/package-lock.json) with seeded random answers filled in, and
hands back LHC-Forms' own QuestionnaireResponse and the items it shows; it also answers
some responses by hand in the rendered form (clicking options, typing). Our engine, given
the same answers, must keep the same answers, enable the same items and compute the same
scores (the SDC calculatedExpression of a sum or mean). docs/exports.md ("Checked with
LHC-Forms") gives the count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Form, FormLibrary
from kiosk.engine.answers import PREFER_NOT, allows_prefer_not, option_codes
from kiosk.engine.errors import AnswerError
from kiosk.engine.sample import random_answer, random_answers
from kiosk.reports import fhir
from kiosk.reports.fhir_enable_when import CODED_TYPES, scale_points
from kiosk.reports.fhir_questionnaire import score_items
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.fhir

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "lhc-forms"
LIBRARY = FormLibrary.load(ROOT / "forms")
FORMS = LIBRARY.forms()
RESPONSES_PER_FORM = 12
BY_HAND_PER_FORM = 3
CONDITION_EXT = f"{fhir.DEFAULT_BASE_URL}/StructureDefinition/enable-when-condition"
SUBMISSION = {
    "id": "c0ffee00-1234-4bcd-9def-0123456789ab",
    "started_at": "2024-05-03T10:11:12+01:00",
    "status": "complete",
    "language": "en",
    "patient": {"nhs_number": "9434765919", "hospital_number": "RXH7734521Q", "pseudonym": "p"},
}


def chromium() -> str | None:
    """The browser: $CHROMIUM if set, else Debian's chromium on PATH."""
    return shutil.which(os.environ.get("CHROMIUM") or "chromium")


def tool_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (Debian's nodejs; make test installs it)"
    if chromium() is None:
        return "chromium is not installed (Debian's chromium; make test installs it)"
    for package in ("lforms", "playwright-core"):
        if not (TOOL / "node_modules" / package / "package.json").is_file():
            return f"npm package {package} is missing (make test runs npm ci in {TOOL})"
    return None


def random_response(form: Form, rng: random.Random, today: dt.date) -> dict[str, Any]:
    """Answers to every question, some skipped (few or many), some "I don't want to
    answer"; the skip logic is left to the client. Prefer-not is offered as an answer
    option on coded questions only: elsewhere FHIR carries it as a data-absent reason,
    with no value."""
    raw: dict[str, Any] = {}
    skip = rng.choice((0.1, 0.3, 0.7))
    for item in form.spec.items:
        if item.type == "info" or rng.random() < skip:
            continue
        if item.type in CODED_TYPES and allows_prefer_not(item) and rng.random() < 0.08:
            raw[item.id] = PREFER_NOT
            continue
        value = random_answer(item, rng, today)
        if value is not None:
            raw[item.id] = value
    return raw


def offered_codes(item: Any) -> list[str]:
    """A coded question's answer codes, in the order the Questionnaire offers them."""
    if item.type != "scale":
        return list(option_codes(item))
    codes = [str(p) for p in scale_points(item)]
    return [*codes, PREFER_NOT] if allows_prefer_not(item) else codes


def hand_plan(
    form: Form, rng: random.Random, today: dt.date
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What a patient will answer in the rendered form, question by question (an option's
    place in LHC-Forms' list, or the text to type), and those answers as the engine's."""
    steps: list[dict[str, Any]] = []
    intended: dict[str, Any] = {}
    skip = rng.choice((0.1, 0.4))
    for item in form.spec.items:
        if item.type == "info" or rng.random() < skip:
            continue
        if item.type in CODED_TYPES:
            codes = offered_codes(item)
            ordinary = [c for c in codes if c != PREFER_NOT]
            if item.type == "multi_choice":
                ordinary = [o.code for o in item.options or () if not o.exclusive] or ordinary
            code = rng.choice(codes if rng.random() < 0.1 else ordinary)
            steps.append({"linkId": item.id, "pick": codes.index(code)})
            if item.type == "multi_choice":
                intended[item.id] = [code]
            elif item.type == "scale" and code != PREFER_NOT:
                intended[item.id] = int(code)
            else:
                intended[item.id] = code
            continue
        value = random_answer(item, rng, today)
        if value is not None:
            steps.append({"linkId": item.id, "text": str(value)})
            intended[item.id] = value
    return steps, intended


def baseline_for(form: Form, rng: random.Random, today: dt.date) -> dict[str, Any] | None:
    """A follow-up form's baseline: the baseline form answered in full (see
    test_an_untranslated_condition_is_shown_always)."""
    if form.spec.baseline is None:
        return None
    first = LIBRARY.get(form.spec.baseline.form)
    answers = random_answers(first, rng, skip=0, prefer_not=0, today=today)
    return dict(first.evaluate(answers, today=today).answers) | {
        k: v for k, v in first.evaluate(answers, today=today).scores.items() if v is not None
    }


def from_fhir(form: Form, response: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A QuestionnaireResponse's answers as the engine takes them, and its score items."""
    scores = {s["linkId"] for s in score_items(form)}
    answers: dict[str, Any] = {}
    computed: dict[str, Any] = {}
    for entry in response.get("item", []):
        link, values = entry["linkId"], []
        for answer in entry.get("answer", []):
            if "valueCoding" in answer:
                code = answer["valueCoding"]["code"]
                scale = form.items[link].type == "scale" and code != PREFER_NOT
                values.append(int(code) if scale else code)
            else:
                (value,) = (v for k, v in answer.items() if k.startswith("value"))
                values.append(value)
        if link in scores:
            computed[link] = values[0] if values else None
        elif values:
            multi = form.items[link].type == "multi_choice"
            answers[link] = values if multi else values[0]
    return answers, computed


@cache
def lhc_runs() -> dict[str, Any]:
    """Every form and response through LHC-Forms, in one browser."""
    today = dt.date.today()
    jobs, inputs, hand = [], {}, {}
    for form in FORMS:
        rng = random.Random(f"lhc-forms:{form.id}")
        baseline = baseline_for(form, rng, today)
        raws = [random_response(form, rng, today) for _ in range(RESPONSES_PER_FORM)]
        plans = [hand_plan(form, rng, today) for _ in range(BY_HAND_PER_FORM)]
        inputs[form.id] = (baseline, raws)
        hand[form.id] = [intended for _, intended in plans]
        jobs.append(
            {
                "questionnaire": fhir.questionnaire(form),
                "responses": [
                    fhir.questionnaire_response(form, SUBMISSION, raw, identified=True)
                    for raw in raws
                ],
                "by_hand": [steps for steps, _ in plans],
            }
        )
    out = fill(jobs)
    ids = [f.id for f in FORMS]
    return {
        "version": out["version"],
        "inputs": inputs,
        "results": dict(zip(ids, out["results"], strict=True)),
        "offered": dict(zip(ids, out["offered"], strict=True)),
        "hand": hand,
        "by_hand": dict(zip(ids, out["by_hand"], strict=True)),
        "today": today,
    }


def fill(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """tools/lhc-forms/fill.mjs on these Questionnaires and responses."""
    env = dict(os.environ, CHROMIUM=chromium() or "")
    done = subprocess.run(
        ["node", str(TOOL / "fill.mjs")],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, Any] = json.loads(done.stdout)
    assert out["errors"] == [], out["errors"]
    return out


def disagreements(form: Form, baseline: Any, raw: dict[str, Any], lhc: dict[str, Any]) -> list:
    """How LHC-Forms and the engine differ on one response (empty when they agree)."""
    runs = lhc_runs()
    ours = form.evaluate(raw, baseline=baseline, strict=False, today=runs["today"])
    answers, computed = from_fhir(form, lhc["response"])
    problems = []
    kept = {k: sorted(v) if isinstance(v, list) else v for k, v in ours.answers.items()}
    theirs = {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}
    if kept != theirs:
        problems.append(("answers kept", kept, theirs))
    shown = [link for link in lhc["enabled"] if link in form.items]
    if list(ours.enabled) != shown:
        problems.append(("items enabled", list(ours.enabled), shown))
    # The answers LHC-Forms kept, scored by the engine, give the scores LHC-Forms computed.
    again = form.evaluate(answers, baseline=baseline, strict=True, today=runs["today"])
    for score_id, value in computed.items():
        if again.scores[score_id] != value:
            problems.append(("score " + score_id, again.scores[score_id], value))
    return problems


def hand_disagreements(
    form: Form, baseline: Any, intended: dict[str, Any], lhc: dict[str, Any]
) -> list[Any]:
    """How a response answered by hand in LHC-Forms and the engine differ (empty: agree)."""
    answers, computed = from_fhir(form, lhc["response"])
    problems: list[Any] = []
    entered = {k: intended[k] for k in lhc["answered"]}
    if answers != entered:
        problems.append(("answers recorded", entered, answers))
    try:
        ours = form.evaluate(answers, baseline=baseline, strict=True, today=lhc_runs()["today"])
    except AnswerError as e:  # LHC-Forms let the patient answer a question we do not ask
        return [*problems, ("answer refused", str(e))]
    shown = [link for link in lhc["enabled"] if link in form.items]
    if list(ours.enabled) != shown:
        problems.append(("items enabled", list(ours.enabled), shown))
    passed_over = set(intended) - set(lhc["answered"])
    if passed_over & set(ours.enabled):
        problems.append(("not on screen, but asked", sorted(passed_over & set(ours.enabled))))
    for score_id, value in computed.items():
        if ours.scores[score_id] != value:
            problems.append(("score " + score_id, ours.scores[score_id], value))
    return problems


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    missing = tool_missing()
    if missing:
        skip_or_fail(missing)
    return lhc_runs()


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_lhc_forms_and_the_engine_agree(runs: dict[str, Any], form: Form) -> None:
    baseline, raws = runs["inputs"][form.id]
    results = runs["results"][form.id]
    assert len(results) == len(raws) == RESPONSES_PER_FORM
    for n, (raw, lhc) in enumerate(zip(raws, results, strict=True)):
        assert disagreements(form, baseline, raw, lhc) == [], f"response {n}: {raw}"


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_answered_by_hand_in_lhc_forms(runs: dict[str, Any], form: Form) -> None:
    """Responses answered in the rendered form, option by option and typed, only where
    the question is on screen: LHC-Forms records what was entered, and the engine, given
    those answers, asks the same questions and computes the same scores."""
    baseline = runs["inputs"][form.id][0]
    results = runs["by_hand"][form.id]
    assert len(results) == BY_HAND_PER_FORM
    for n, (intended, lhc) in enumerate(zip(runs["hand"][form.id], results, strict=True)):
        assert lhc["answered"], f"response {n}: nothing could be answered"
        assert hand_disagreements(form, baseline, intended, lhc) == [], f"response {n}"


LHC_TYPES = {
    "integer": "INT",
    "date": "DT",
    "short_text": "ST",
    "long_text": "TX",
    "postcode": "ST",
    "nhs_number": "ST",
}


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_lhc_forms_offers_the_engines_answers(runs: dict[str, Any], form: Form) -> None:
    """Each question as LHC-Forms puts it to the patient: the answer codes the engine
    takes (scale points, options, "I don't want to answer" where offered), one or
    many, required as the form says."""
    offered = runs["offered"][form.id]
    for item in form.spec.items:
        shown = offered[item.id]
        if item.type == "info":
            assert shown["type"] == "TITLE", item.id
            continue
        if item.type in CODED_TYPES:
            expected = ("CODING", offered_codes(item))
        else:
            expected = (LHC_TYPES[item.type], [])
        assert (shown["type"], shown["codes"]) == expected, item.id
        assert shown["repeats"] == (item.type == "multi_choice"), item.id
        assert shown["required"] == item.required, item.id
    for score in score_items(form):
        assert offered[score["linkId"]]["type"] == "REAL"


def test_the_responses_exercise_skip_logic_and_scores(runs: dict[str, Any]) -> None:
    """The check is worth something: some items were switched off by LHC-Forms itself,
    and scores were computed by it, some of them 'not scored'."""
    hidden, scored, unscored = 0, 0, 0
    for form in FORMS:
        for lhc in runs["results"][form.id]:
            hidden += len(set(form.items) - set(lhc["enabled"]))
            _, computed = from_fhir(form, lhc["response"])
            for score in score_items(form):
                if computed.get(score["linkId"]) is None:
                    unscored += 1
                else:
                    scored += 1
    assert hidden >= 5
    assert scored > 5
    assert unscored > 0


def test_the_count_of_forms_and_responses_that_agree(
    runs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    agree = sum(
        not disagreements(form, runs["inputs"][form.id][0], raw, lhc)
        for form in FORMS
        for raw, lhc in zip(runs["inputs"][form.id][1], runs["results"][form.id], strict=True)
    )
    by_hand = sum(
        not hand_disagreements(form, runs["inputs"][form.id][0], intended, lhc)
        for form in FORMS
        for intended, lhc in zip(runs["hand"][form.id], runs["by_hand"][form.id], strict=True)
    )
    total = len(FORMS) * (RESPONSES_PER_FORM + BY_HAND_PER_FORM)
    with capsys.disabled():
        print(
            f"\nLHC-Forms {runs['version']}: {len(FORMS)} forms, {agree + by_hand} of {total} "
            f"responses agree with the engine ({by_hand} of them answered by hand in the form)"
        )
    assert agree + by_hand == total


def test_an_untranslated_condition_is_shown_always(runs: dict[str, Any]) -> None:
    """The known difference: a condition FHIR cannot say (mycaw_followup's questions on
    the baseline's concerns) has no enableWhen, so LHC-Forms shows the item always, where
    the engine asks it only when the baseline has that concern."""
    form = LIBRARY.get("mycaw_followup")
    questionnaire = fhir.questionnaire(form)
    untranslated = [
        item["linkId"]
        for item in questionnaire["item"]
        if any(e["url"] == CONDITION_EXT for e in item.get("extension", []))
        and "enableWhen" not in item
    ]
    assert untranslated
    raws = runs["inputs"][form.id][1]
    without = form.evaluate(raws[0], baseline={}, strict=False, today=runs["today"])
    shown = runs["results"][form.id][0]["enabled"]
    assert set(untranslated) <= set(shown)
    assert not set(untranslated) & set(without.enabled)


def test_not_equal_holds_while_the_question_is_unanswered(runs: dict[str, Any]) -> None:
    """The export relies on it (docs/exports.md, enableWhen): LHC-Forms reads FHIR's '!='
    as the form language does, true when the question has no answer at all."""
    a = {"system": "urn:test", "code": "yes"}
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "a",
                "text": "A",
                "type": "choice",
                "answerOption": [{"valueCoding": a}, {"valueCoding": {**a, "code": "no"}}],
            },
            {
                "linkId": "b",
                "text": "B",
                "type": "integer",
                "enableWhen": [{"question": "a", "operator": "!=", "answerCoding": a}],
            },
        ],
    }

    def response(*items: dict[str, Any]) -> dict[str, Any]:
        return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": list(items)}

    b = {"linkId": "b", "answer": [{"valueInteger": 3}]}
    unanswered, other, same = fill(
        [
            {
                "questionnaire": questionnaire,
                "responses": [
                    response(b),
                    response({"linkId": "a", "answer": [{"valueCoding": {**a, "code": "no"}}]}, b),
                    response({"linkId": "a", "answer": [{"valueCoding": a}]}, b),
                ],
            }
        ]
    )["results"][0]
    assert unanswered["enabled"] == ["a", "b"]
    assert other["enabled"] == ["a", "b"]
    assert same["enabled"] == ["a"]
