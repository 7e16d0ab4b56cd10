"""FHIR R4 Questionnaires, QuestionnaireResponses and Bundles (kiosk.reports.fhir)."""

from __future__ import annotations

import json
import operator
import random
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Form, FormLibrary, form_from_text
from kiosk.engine.sample import random_answers
from kiosk.reports import fhir
from kiosk.reports.errors import ReportError

pytestmark = pytest.mark.export

FORMS = Path(__file__).resolve().parents[2] / "forms"
LIBRARY = FormLibrary.load(FORMS)
ALL_FORMS = LIBRARY.forms()
BASE = fhir.DEFAULT_BASE_URL
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CONDITION_EXT = f"{BASE}/StructureDefinition/enable-when-condition"

NHS = "9434765919"
HOSPITAL = "RXH7734521Q"
BIRTH_DATE = "1951-07-23"
PATIENT_PSEUDONYM = "3f9a0c1e77b2d4a6"
SUBMISSION_ID = "c0ffee00-1234-4bcd-9def-0123456789ab"
SUBMISSION_PSEUDONYM = "a1b2c3d4e5f60718"


def submission(status: str = "complete", **patient: Any) -> dict[str, Any]:
    return {
        "id": SUBMISSION_ID,
        "pseudonym": SUBMISSION_PSEUDONYM,
        "started_at": "2024-05-03T10:11:12+01:00",
        "status": status,
        "language": "en",
        "patient": {
            "nhs_number": NHS,
            "hospital_number": HOSPITAL,
            "pseudonym": PATIENT_PSEUDONYM,
            "date_of_birth": BIRTH_DATE,
            **patient,
        },
    }


def form_ids(form: Form) -> str:
    return f"{form.id}-{form.version}"


def link_ids(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for item in items:
        out.append(item["linkId"])
        out.extend(link_ids(item.get("item", [])))
        for answer in item.get("answer", []):
            out.extend(link_ids(answer.get("item", [])))
    return out


def by_link_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource.get("item", [])}


def extensions(element: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in element.get("extension", []) if e["url"] == url]


# ---------------------------------------------------------------- Questionnaire


def test_there_are_forms_to_export() -> None:
    assert {"ons4", "social_welfare", "mycaw", "about_you"} <= {f.id for f in ALL_FORMS}


@pytest.mark.parametrize("form", ALL_FORMS, ids=form_ids)
def test_every_form_is_a_valid_questionnaire(form: Form) -> None:
    questionnaire = fhir.questionnaire(form)
    fhir.validate(questionnaire)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["url"] == f"{BASE}/Questionnaire/{form.id}"
    assert questionnaire["version"] == form.version
    assert questionnaire["status"] == "active"
    assert questionnaire["identifier"] == [{"system": f"{BASE}/form-hash", "value": form.hash}]
    assert questionnaire["name"][0].isupper() and questionnaire["name"].isidentifier()
    assert questionnaire["title"] == form.spec.title["en"]
    # The form's items, then its sum and mean scores as calculated items.
    computed = [s.id for s in form.spec.scores if s.kind in ("sum", "mean")]
    assert [item["linkId"] for item in questionnaire["item"]] == list(form.items) + computed
    # Nested items are help texts only: "<item id>-help", which no item id can be.
    nested = set(link_ids(questionnaire["item"])) - set(form.items) - set(computed)
    assert all(n.endswith("-help") and n[: -len("-help")] in form.items for n in nested)
    assert form.spec.licence.name in questionnaire["copyright"]
    json.dumps(questionnaire)  # plain JSON values only


@pytest.mark.parametrize("form", ALL_FORMS, ids=form_ids)
def test_item_types_and_prefer_not(form: Form) -> None:
    from kiosk.engine.answers import allows_prefer_not

    expected = {
        "info": "display", "yes_no": "choice", "single_choice": "choice",
        "multi_choice": "choice", "scale": "choice", "integer": "integer", "date": "date",
        "short_text": "string", "long_text": "text", "postcode": "string", "nhs_number": "string",
    }  # fmt: skip
    items = by_link_id(fhir.questionnaire(form))
    for item in form.spec.items:
        out = items[item.id]
        assert out["type"] == expected[item.type]
        assert out.get("repeats", False) == (item.type == "multi_choice")
        if item.type != "info":
            assert out["required"] == item.required
        codes = [o["valueCoding"]["code"] for o in out.get("answerOption", [])]
        if out["type"] == "choice":
            assert ("prefer_not" in codes) == allows_prefer_not(item)
            assert all(
                o["valueCoding"]["system"] == f"{BASE}/CodeSystem/{form.id}-{item.id}"
                and o["valueCoding"]["display"]
                for o in out["answerOption"]
            )
        elif allows_prefer_not(item):
            assert extensions(out, f"{BASE}/StructureDefinition/prefer-not-offered")


def test_ons4_scales_carry_ordinal_values_and_the_ogl_credit() -> None:
    form = LIBRARY.get("ons4")
    questionnaire = fhir.questionnaire(form)
    assert form.spec.licence.attribution is not None
    assert form.spec.licence.attribution in questionnaire["copyright"]
    assert "Open Government Licence v3.0" in questionnaire["copyright"]
    for item in questionnaire["item"]:
        assert item["type"] == "choice"
        options = item["answerOption"]
        assert [o["valueCoding"]["code"] for o in options] == [str(n) for n in range(11)]
        ordinals = [extensions(o["valueCoding"], ORDINAL) for o in options]
        assert [e[0]["valueDecimal"] for e in ordinals] == list(range(11))
    first = questionnaire["item"][0]["answerOption"]
    assert first[0]["valueCoding"]["display"] == "0 - Not at all"
    assert first[10]["valueCoding"]["display"] == "10 - Completely"
    assert first[5]["valueCoding"]["display"] == "5"


def test_social_welfare_wants_help_is_enabled_by_any_social_need() -> None:
    questionnaire = fhir.questionnaire(LIBRARY.get("social_welfare"))
    wants_help = by_link_id(questionnaire)["wants_help"]
    assert wants_help["enableBehavior"] == "any"
    found = {
        (c["question"], c["operator"], c["answerCoding"]["code"]) for c in wants_help["enableWhen"]
    }
    assert found == {
        ("ends_meet", "=", "yes"),
        ("missed_meal", "=", "yes"),
        ("stable_housing", "=", "no"),
        ("support_network", "=", "no"),
        ("feel_unsafe", "=", "yes"),
        ("carer_impact", "=", "yes"),
    }
    assert extensions(wants_help, CONDITION_EXT) == [
        {"url": CONDITION_EXT, "valueString": "any_flag()"}
    ]
    # Every yes/no question offers "I don't want to answer".
    ends_meet = by_link_id(questionnaire)["ends_meet"]
    assert [o["valueCoding"]["code"] for o in ends_meet["answerOption"]] == [
        "yes",
        "no",
        "prefer_not",
    ]
    assert ends_meet["answerOption"][2]["valueCoding"]["display"] == "I don't want to answer"


def test_a_condition_fhir_cannot_express_is_kept_as_an_extension() -> None:
    questionnaire = fhir.questionnaire(LIBRARY.get("mycaw_followup"))
    item = by_link_id(questionnaire)["concern_1_score"]
    assert "enableWhen" not in item
    assert extensions(item, CONDITION_EXT) == [
        {"url": CONDITION_EXT, "valueString": "answered(baseline.concern_1)"}
    ]


def test_mycaw_states_its_site_licence() -> None:
    questionnaire = fhir.questionnaire(LIBRARY.get("mycaw"))
    assert "site licence is required" in questionnaire["copyright"]
    assert "Meaningful Measures" in questionnaire["copyright"]
    flag = extensions(questionnaire, f"{BASE}/StructureDefinition/site-licence-required")
    assert flag == [
        {"url": f"{BASE}/StructureDefinition/site-licence-required", "valueBoolean": True}
    ]
    ons4 = fhir.questionnaire(LIBRARY.get("ons4"))
    assert (
        extensions(ons4, f"{BASE}/StructureDefinition/site-licence-required")[0]["valueBoolean"]
        is False
    )
    assert "site licence is required" not in ons4["copyright"]


def test_base_url_is_used_throughout() -> None:
    base = "https://trust.example.nhs.uk/fhir"
    text = json.dumps(fhir.questionnaire(LIBRARY.get("social_welfare"), base_url=base))
    assert BASE not in text
    assert f"{base}/CodeSystem/social_welfare-ends_meet" in text


BILINGUAL_FORM = """
format: 1
id: bilingual
version: "2.1"
title: {en: Your visit, cy: Eich ymweliad}
source: {name: Tests}
licence: {name: Test licence}
languages: {en: validated, cy: draft}
items:
  - id: travel
    type: single_choice
    text: {en: How did you travel?, cy: Sut wnaethoch chi deithio?}
    help: {en: Choose one., cy: Dewiswch un.}
    options:
      - {code: bus, value: 1, text: {en: By bus, cy: Ar fws}}
      - {code: car, value: 2, text: {en: By car, cy: Mewn car}}
  - id: mood
    type: scale
    min: 1
    max: 5
    anchors:
      - {value: 1, text: {en: Low, cy: Isel}}
      - {value: 5, text: {en: High, cy: Uchel}}
    text: {en: Your mood?, cy: Eich hwyliau?}
"""


def test_other_languages_travel_as_translation_extensions() -> None:
    form = form_from_text(BILINGUAL_FORM, "bilingual.yaml")
    questionnaire = fhir.questionnaire(form)
    fhir.validate(questionnaire)
    translation = "http://hl7.org/fhir/StructureDefinition/translation"

    def welsh(element: dict[str, Any]) -> str:
        [ext] = element["extension"]
        assert ext["url"] == translation
        parts = {e["url"]: e for e in ext["extension"]}
        assert parts["lang"]["valueCode"] == "cy"
        return str(parts["content"]["valueString"])

    assert questionnaire["title"] == "Your visit"
    assert welsh(questionnaire["_title"]) == "Eich ymweliad"
    assert questionnaire["name"] == "Bilingual"
    travel, mood = questionnaire["item"]
    assert welsh(travel["_text"]) == "Sut wnaethoch chi deithio?"
    [help_item] = travel["item"]
    assert help_item["linkId"] == "travel-help" and help_item["type"] == "display"
    assert welsh(help_item["_text"]) == "Dewiswch un."
    bus = travel["answerOption"][0]["valueCoding"]
    assert (bus["display"], welsh(bus["_display"])) == ("By bus", "Ar fws")
    assert extensions(bus, ORDINAL) == [{"url": ORDINAL, "valueDecimal": 1}]
    high = mood["answerOption"][4]["valueCoding"]
    assert (high["display"], welsh(high["_display"])) == ("5 - High", "5 - Uchel")
    response = fhir.questionnaire_response(
        form, {**submission(), "language": "cy"}, {"travel": "car", "mood": 5}, identified=True
    )
    fhir.validate(response)
    assert extensions(response, f"{BASE}/StructureDefinition/answered-in-language") == [
        {"url": f"{BASE}/StructureDefinition/answered-in-language", "valueCode": "cy"}
    ]


# ---------------------------------------------------------------- enableWhen, checked


CONDITIONS_FORM = """
format: 1
id: conditions
version: "1"
title: {en: Conditions}
source: {name: Tests}
licence: {name: Test licence}
languages: {en: validated}
items:
  - id: a
    type: yes_no
    text: {en: A?}
  - id: s
    type: scale
    min: 0
    max: 10
    anchors:
      - {value: 0, text: {en: Low}}
      - {value: 10, text: {en: High}}
    text: {en: S?}
    bands:
      - {code: low, min: 0, max: 4}
      - {code: high, min: 5, max: 10}
  - id: c
    type: single_choice
    prefer_not: true
    options:
      - {code: x, text: {en: X}}
      - {code: y, text: {en: Y}}
      - {code: z, text: {en: Z}}
    text: {en: C?}
  - id: m
    type: multi_choice
    options:
      - {code: p, text: {en: P}}
      - {code: q, text: {en: Q}}
      - {code: r, text: {en: R}}
      - {code: none, text: {en: None of these}, exclusive: true}
    text: {en: M?}
  - id: n
    type: integer
    prefer_not: true
    validation: {min: 0, max: 10}
    bands:
      - {code: low, min: 0, max: 4}
      - {code: high, min: 5, max: 10}
    text: {en: N?}
  - id: t
    type: short_text
    text: {en: T?}
TARGETS
scores:
  - id: total
    kind: sum
    items: [s, n]
    min_answered: 1
flags:
  - {id: f1, severity: routine, reason: A is yes., when: a = 'yes'}
  - {id: f2, severity: routine, reason: S is high., when: s >= 8}
"""

TRANSLATABLE = [
    "a = 'yes'",
    "a != 'yes'",
    "not a = 'no'",
    "a in ('yes', 'prefer_not')",
    "a not in ('yes')",
    "answered(t)",
    "not answered(c)",
    "answered(n)",
    "s >= 6",
    "s < 3",
    "not s > 4",
    "s != 5",
    "5 = s",
    "3 > s",
    "band(s) = 'high'",
    "band(s) != 'high'",
    "not band(s) = 'low'",
    "n >= 5",
    "n < 3",
    "n = 4",
    "n != 4",
    "not n = 4",
    "band(n) = 'high'",
    "c = 'x'",
    "c != 'prefer_not'",
    "c in ('x', 'y')",
    "c not in ('x', 'y')",
    "includes(m, 'p', 'q')",
    "not includes(m, 'r')",
    "flagged(f1)",
    "flagged(f1, f2)",
    "any_flag()",
    "not any_flag()",
    "a = 'yes' and c = 'x'",
    "a = 'yes' or s >= 9",
    "not (a = 'yes' or c = 'x')",
    "a = 'yes' and n >= 3 and n <= 7",
    "t = 'help'",
]
UNTRANSLATABLE = [
    "a = 'yes' and (c = 'x' or c = 'y')",
    "a = 'yes' or band(n) = 'high'",
    "total >= 10",
    "band(n) != 'high'",
    "not n > 4",
    "a = 'yes' and flagged(f2)",
]


def conditions_form() -> Form:
    targets = "\n".join(
        f"  - id: target_{n}\n    type: info\n    text: {{en: Target {n}}}\n"
        f"    enable_when: {json.dumps(expression)}"
        for n, expression in enumerate(TRANSLATABLE + UNTRANSLATABLE)
    )
    return form_from_text(CONDITIONS_FORM.replace("TARGETS", targets), "conditions.yaml")


def _fhir_value(answer: dict[str, Any]) -> Any:
    if "valueCoding" in answer:
        coding = answer["valueCoding"]
        return (coding["system"], coding["code"])
    for key in ("valueInteger", "valueString", "valueDate"):
        if key in answer:
            return answer[key]
    return None  # an answer without a value: "I don't want to answer" on a non-choice item


def _expected_value(condition: dict[str, Any]) -> Any:
    if "answerCoding" in condition:
        coding = condition["answerCoding"]
        return (coding["system"], coding["code"])
    for key in ("answerInteger", "answerString", "answerDate"):
        if key in condition:
            return condition[key]
    raise AssertionError(condition)


ORDER = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def fhir_enabled(item: dict[str, Any], response: dict[str, Any]) -> bool:
    """The FHIR R4 enableWhen rules (questionnaire-enable-operator), read literally."""
    answers = {i["linkId"]: i["answer"] for i in response.get("item", [])}
    results = []
    for condition in item["enableWhen"]:
        given = answers.get(condition["question"], [])
        values = [_fhir_value(a) for a in given]
        op = condition["operator"]
        if op == "exists":
            results.append(bool(given) == condition["answerBoolean"])
            continue
        wanted = _expected_value(condition)
        if op == "=":
            results.append(any(v == wanted for v in values))
        elif op == "!=":
            results.append(not any(v == wanted for v in values))
        else:
            numbers = [v for v in values if isinstance(v, int)]
            results.append(any(ORDER[op](v, wanted) for v in numbers))
    behaviour = item.get("enableBehavior", "all")
    assert len(results) == 1 or "enableBehavior" in item
    return all(results) if behaviour == "all" else any(results)


def test_translated_conditions_agree_with_the_engine() -> None:
    form = conditions_form()
    questionnaire = fhir.questionnaire(form)
    fhir.validate(questionnaire)
    items = by_link_id(questionnaire)
    translated = {i for i, item in items.items() if "enableWhen" in item}
    expected = {f"target_{n}" for n in range(len(TRANSLATABLE))}
    assert translated == expected
    for n, expression in enumerate(TRANSLATABLE + UNTRANSLATABLE):
        ext = extensions(items[f"target_{n}"], CONDITION_EXT)
        assert ext == [{"url": CONDITION_EXT, "valueString": expression}]
    rng = random.Random(7)
    sources = {"a", "s", "c", "m", "n", "t"}
    for _ in range(400):
        answers = random_answers(form, rng, skip=0.3, prefer_not=0.2)
        answers = {k: v for k, v in answers.items() if k in sources}
        if rng.random() < 0.3:
            answers["t"] = "help"
        enabled = set(form.enabled_items(answers))
        response = fhir.questionnaire_response(form, submission(), answers, identified=True)
        for link_id in sorted(translated):
            assert fhir_enabled(items[link_id], response) == (link_id in enabled), (
                link_id,
                form.items[link_id].enable_when,
                answers,
            )


# ---------------------------------------------------------------- QuestionnaireResponse


@pytest.mark.parametrize("form", ALL_FORMS, ids=form_ids)
@pytest.mark.parametrize("seed", range(6))
def test_responses_to_every_form_are_valid(form: Form, seed: int) -> None:
    questionnaire = fhir.questionnaire(form)
    known = set(link_ids(questionnaire["item"]))
    rng = random.Random(seed)
    answers = random_answers(form, rng, prefer_not=0.15)
    status = "complete" if seed % 2 == 0 else "incomplete"
    for identified in (True, False):
        response = fhir.questionnaire_response(
            form, submission(status), answers, identified=identified
        )
        fhir.validate(response)
        assert response["questionnaire"] == f"{questionnaire['url']}|{form.version}"
        assert response["status"] == ("completed" if status == "complete" else "stopped")
        assert set(link_ids(response.get("item", []))) <= known
        assert response["author"]
        text = json.dumps(response)
        if identified:
            assert response["identifier"] == {
                "system": f"{BASE}/submission",
                "value": SUBMISSION_ID,
            }
            assert response["authored"] == "2024-05-03T10:11:12+01:00"
            [patient] = response["contained"]
            assert {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS} in patient[
                "identifier"
            ]
            assert patient["birthDate"] == BIRTH_DATE
            assert response["subject"] == {"reference": "#patient", "type": "Patient"}
            assert response["author"] == response["subject"]
            # every answer given is there
            assert {i["linkId"] for i in response.get("item", [])} == set(answers)
        else:
            for canary in (NHS, HOSPITAL, BIRTH_DATE, SUBMISSION_ID, "1951-07", "10:11"):
                assert canary not in text
            assert "contained" not in response
            assert response["authored"] == "2024-05"
            assert response["identifier"]["value"] == SUBMISSION_PSEUDONYM
            assert response["subject"]["identifier"]["value"] == PATIENT_PSEUDONYM
            assert response["meta"]["security"][0]["code"] == "PSEUDED"
            free = {i.id for i in form.spec.items if i.type in ("short_text", "long_text")}
            for item in response.get("item", []):
                if item["linkId"] in free:
                    assert item["answer"] == [
                        {
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                    "valueCode": "asked-declined",
                                }
                            ]
                        }
                    ]  # only "I don't want to answer" is kept from a free-text item


def test_answers_are_codings_integers_and_strings() -> None:
    form = LIBRARY.get("about_you")
    raw = {
        "ethnicity": "A",
        "postcode": "sw1a1aa",
        "year_of_birth": "prefer_not",
        "accessibility_needs": ["other", "large_print"],
        "accessibility_other": "A quiet room, please",
        "interpreter": "prefer_not",
    }
    answers = {k: form.normalise(k, v) for k, v in raw.items()}
    response = fhir.questionnaire_response(form, submission(), answers, identified=True)
    fhir.validate(response)
    items = by_link_id(response)
    assert set(items) == set(raw)
    system = f"{BASE}/CodeSystem/about_you-"
    [ethnicity] = items["ethnicity"]["answer"]
    translated = ethnicity["valueCoding"].pop("_display")  # the form's other languages
    assert ethnicity == {
        "valueCoding": {"system": system + "ethnicity", "code": "A", "display": "White: British"}
    }
    assert "Gwyn: Prydeinig" in json.dumps(translated, ensure_ascii=False)
    assert items["postcode"]["answer"] == [{"valueString": "SW1A 1AA"}]
    declined = {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason"}
    assert items["year_of_birth"]["answer"] == [
        {"extension": [{**declined, "valueCode": "asked-declined"}]}
    ]
    codes = [a["valueCoding"]["code"] for a in items["accessibility_needs"]["answer"]]
    assert codes == ["large_print", "other"]
    assert items["accessibility_other"]["answer"] == [{"valueString": "A quiet room, please"}]
    coding = items["interpreter"]["answer"][0]["valueCoding"]
    assert "Dydw i ddim eisiau ateb" in json.dumps(coding.pop("_display"), ensure_ascii=False)
    assert coding == {
        "system": system + "interpreter",
        "code": "prefer_not",
        "display": "I don't want to answer",
    }
    # Anonymised: no postcode; the declined year of birth is kept (it says nothing).
    anonymised = by_link_id(
        fhir.questionnaire_response(form, submission(), answers, identified=False)
    )
    assert "postcode" not in anonymised and "accessibility_other" not in anonymised
    assert "year_of_birth" in anonymised and "SW1A" not in json.dumps(anonymised)


def test_scale_answers_are_codings_with_their_point() -> None:
    form = LIBRARY.get("ons4")
    answers = {"life_satisfaction": 7, "worthwhile": 0, "anxiety": 10}
    response = fhir.questionnaire_response(form, submission(), answers, identified=False)
    fhir.validate(response)
    items = by_link_id(response)
    assert items["life_satisfaction"]["answer"] == [
        {
            "valueCoding": {
                "system": f"{BASE}/CodeSystem/ons4-life_satisfaction",
                "code": "7",
                "display": "7",
            }
        }
    ]
    assert items["anxiety"]["answer"][0]["valueCoding"]["display"] == "10 - Completely anxious"
    assert "happiness" not in items


def test_free_text_only_when_asked_for() -> None:
    form = LIBRARY.get("what_matters")
    concern = "My back pain stops me walking the dog"
    item_id = next(i.id for i in form.spec.items if i.type == "long_text")
    answers = {item_id: concern}
    anonymised = fhir.questionnaire_response(form, submission(), answers, identified=False)
    assert concern not in json.dumps(anonymised)
    assert "item" not in anonymised
    assert [s["code"] for s in anonymised["meta"]["security"]] == ["PSEUDED", "REDACTED"]
    asked = fhir.questionnaire_response(
        form, submission(), answers, identified=False, include_free_text=True
    )
    assert concern in json.dumps(asked)
    identified = fhir.questionnaire_response(form, submission(), answers, identified=True)
    assert by_link_id(identified)[item_id]["answer"] == [{"valueString": concern}]
    withheld = fhir.questionnaire_response(
        form, submission(), answers, identified=True, include_free_text=False
    )
    assert concern not in json.dumps(withheld)
    fhir.validate(withheld)


def test_anonymous_sessions_and_missing_pseudonyms() -> None:
    form = LIBRARY.get("ons4")
    anonymous = {**submission(), "patient": None}
    del anonymous["pseudonym"]
    for identified in (True, False):
        response = fhir.questionnaire_response(
            form, anonymous, {"happiness": 3}, identified=identified
        )
        fhir.validate(response)
        assert "subject" not in response
        assert response["author"] == {"type": "Patient", "display": "Patient (self-reported)"}
    anonymised = fhir.questionnaire_response(form, anonymous, {}, identified=False)
    assert "identifier" not in anonymised  # never the raw submission id
    assert SUBMISSION_ID not in json.dumps(anonymised)


def test_identified_with_hospital_number_only() -> None:
    form = LIBRARY.get("ons4")
    sub = submission(nhs_number=None, date_of_birth=None)
    response = fhir.questionnaire_response(form, sub, {"happiness": 3}, identified=True)
    fhir.validate(response)
    [patient] = response["contained"]
    assert patient["identifier"] == [{"system": f"{BASE}/hospital-number", "value": HOSPITAL}]
    assert "birthDate" not in patient


def test_naive_times_are_taken_as_utc() -> None:
    form = LIBRARY.get("ons4")
    sub = {**submission(), "started_at": "2024-12-31T23:59:59"}
    response = fhir.questionnaire_response(form, sub, {}, identified=True)
    assert response["authored"] == "2024-12-31T23:59:59+00:00"
    assert fhir.questionnaire_response(form, sub, {}, identified=False)["authored"] == "2024-12"


@pytest.mark.parametrize(
    ("answers", "status", "message"),
    [
        ({"nonsense": 1}, "complete", "'nonsense' is not a question of form 'ons4'"),
        ({"happiness": 11}, "complete", "happiness: 11 is not an answer"),
        ({"happiness": "often"}, "complete", "happiness: 'often' is not an answer"),
        ({}, "finished", "submission status 'finished'"),
    ],
)
def test_bad_input_is_refused_plainly(answers: dict[str, Any], status: str, message: str) -> None:
    with pytest.raises(fhir.FhirError, match=message):
        fhir.questionnaire_response(
            LIBRARY.get("ons4"), submission(status), answers, identified=True
        )


# ---------------------------------------------------------------- Bundle and validate


def test_a_bundle_of_questionnaires_and_responses_is_valid() -> None:
    resources = []
    for n, form in enumerate(ALL_FORMS[:4]):
        resources.append(fhir.questionnaire(form))
        answers = random_answers(form, random.Random(n))
        resources.append(fhir.questionnaire_response(form, submission(), answers, identified=True))
        resources.append(fhir.questionnaire_response(form, submission(), answers, identified=False))
    bundle = fhir.bundle(resources)
    fhir.validate(bundle)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls)) == len(resources)
    assert all(url.startswith("urn:uuid:") for url in urls)
    assert [entry["resource"] for entry in bundle["entry"]] == resources
    # The same resource twice still gets two distinct fullUrls.
    twice = fhir.bundle([resources[0], resources[0]])
    assert twice["entry"][0]["fullUrl"] != twice["entry"][1]["fullUrl"]


def test_a_transaction_bundle_posts_each_resource() -> None:
    form = LIBRARY.get("ons4")
    bundle = fhir.bundle(
        [
            fhir.questionnaire(form),
            fhir.questionnaire_response(form, submission(), {"happiness": 3}, identified=True),
        ],
        kind="transaction",
    )
    fhir.validate(bundle)
    first, second = (entry["request"] for entry in bundle["entry"])
    assert first == {
        "method": "POST",
        "url": "Questionnaire",
        "ifNoneExist": f"url={BASE}/Questionnaire/ons4&version={form.version}",
    }
    assert second == {"method": "POST", "url": "QuestionnaireResponse"}
    with pytest.raises(fhir.FhirError, match="bundle kind 'document'"):
        fhir.bundle([], kind="document")


def test_validate_rejects_a_bad_status() -> None:
    response = fhir.questionnaire_response(
        LIBRARY.get("ons4"), submission(), {"happiness": 3}, identified=True
    )
    response["status"] = "finished"
    with pytest.raises(fhir.FhirError) as caught:
        fhir.validate(response)
    message = str(caught.value)
    assert message.startswith("QuestionnaireResponse: status: 'finished' is not one of")
    assert isinstance(caught.value, ReportError)  # what callers catch: a known error
    with pytest.raises(fhir.FhirError, match=r"entry\[0\]\.resource\.status: 'finished'"):
        fhir.validate(fhir.bundle([response]))


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ({"status": "completed"}, "no resourceType"),
        ({"resourceType": "Nonsense"}, "'Nonsense' is not a FHIR resource type"),
        ({"resourceType": "QuestionnaireResponse"}, r"QuestionnaireResponse: status: .*required"),
        (
            {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "May"},
            "QuestionnaireResponse: authored:",
        ),
        (
            {"resourceType": "QuestionnaireResponse", "status": "completed", "colour": "red"},
            "QuestionnaireResponse: colour: Extra inputs are not permitted",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "item": [{"linkId": "a", "answer": [{"valueInteger": "many"}]}],
            },
            r"item\[0\]\.answer\[0\]\.valueInteger",
        ),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [
                    {"linkId": "a", "type": "choice"},
                    {"linkId": "a", "type": "string"},
                ],
            },
            r"item\[1\]\.linkId: 'a' is used twice",
        ),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [
                    {
                        "linkId": "b",
                        "type": "string",
                        "enableWhen": [
                            {"question": "zz", "operator": "exists", "answerBoolean": True}
                        ],
                    }
                ],
            },
            r"enableWhen\[0\]\.question: no question 'zz'",
        ),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [{"linkId": "a", "type": "coding"}],
            },
            r"item\[0\]\.type: 'coding' is not one of",
        ),
        ({"resourceType": "Bundle", "type": "pile"}, "Bundle: type: 'pile' is not one of"),
    ],
)
def test_validate_names_the_problem(resource: dict[str, Any], message: str) -> None:
    with pytest.raises(fhir.FhirError, match=message):
        fhir.validate(resource)
