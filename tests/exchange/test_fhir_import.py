"""`kiosk forms import-fhir`: FHIR R4 (SDC) Questionnaires into form files of ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk.engine.loader import form_from_text
from kiosk.exchange.fhir_import import FhirImportError, ImportedForm, import_questionnaire

pytestmark = pytest.mark.fhir

EXAMPLES = Path(__file__).parent / "fhir_examples"
EXT = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
LOINC = "http://loinc.org"


def questionnaire(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Questionnaire", "status": "active", "item": list(items), **extra}


def spec(imported: ImportedForm) -> dict[str, Any]:
    return yaml.safe_load(imported.text)


def items_by_id(imported: ImportedForm) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in spec(imported)["items"]}


def evaluate(imported: ImportedForm, answers: dict[str, Any]) -> dict[str, Any]:
    form = form_from_text(imported.text, "imported.yaml")
    return form.evaluate(answers, strict=False).to_json()


def option(code: str, display: str, weight: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"valueCoding": {"system": LOINC, "code": code, "display": display}}
    if weight is not None:
        out["extension"] = [{"url": EXT + "ordinalValue", "valueDecimal": weight}]
    return out


def boolean(link_id: str, **extra: Any) -> dict[str, Any]:
    return {"linkId": link_id, "text": f"Question {link_id}?", "type": "boolean", **extra}


# ---------------------------------------------------------------- each mapping


def test_each_item_type_maps_to_ours_with_required_codes_and_limits() -> None:
    imported = import_questionnaire(
        questionnaire(
            {
                "linkId": "section-1",
                "text": "About you",
                "type": "group",
                "item": [
                    {"linkId": "intro", "text": "Please answer.", "type": "display"},
                    boolean("smoker", required=True),
                    {
                        "linkId": "mood",
                        "text": "Mood?",
                        "type": "choice",
                        "code": [{"system": LOINC, "code": "44250-9", "display": "Interest"}],
                        "answerOption": [
                            option("LA6568-5", "Not at all", 0),
                            option("LA6569-3", "Several days", 1),
                        ],
                    },
                    {
                        "linkId": "pet",
                        "text": "Pet?",
                        "type": "open-choice",
                        "answerOption": [{"valueString": "Cat"}, {"valueString": "Dog"}],
                    },
                    {
                        "linkId": "age",
                        "text": "Age?",
                        "type": "integer",
                        "extension": [
                            {"url": EXT + "minValue", "valueInteger": 18},
                            {"url": EXT + "maxValue", "valueInteger": 120},
                        ],
                    },
                    {"linkId": "weight", "text": "Weight (kg)?", "type": "decimal"},
                    {"linkId": "name", "text": "Name?", "type": "string", "maxLength": 40},
                    {"linkId": "story", "text": "Tell us more", "type": "text"},
                    {"linkId": "seen", "text": "Last seen?", "type": "date"},
                    {
                        "linkId": "symptoms",
                        "text": "Symptoms?",
                        "type": "choice",
                        "repeats": True,
                        "answerOption": [option("a", "Cough"), option("b", "Fever")],
                    },
                ],
            }
        ),
        "mapped",
    )
    items = items_by_id(imported)
    assert [(i["id"], i["type"]) for i in spec(imported)["items"]] == [
        ("section_1", "info"),
        ("intro", "info"),
        ("smoker", "yes_no"),
        ("mood", "single_choice"),
        ("pet", "single_choice"),
        ("pet_other", "short_text"),
        ("age", "integer"),
        ("weight", "short_text"),
        ("name", "short_text"),
        ("story", "long_text"),
        ("seen", "date"),
        ("symptoms", "multi_choice"),
    ]
    assert items["section_1"]["text"] == {"en": "About you"}
    assert items["smoker"]["required"] is True and "required" not in items["mood"]
    assert items["mood"]["coding"] == {"system": LOINC, "code": "44250-9", "display": "Interest"}
    assert items["mood"]["options"][1] == {
        "code": "LA6569-3",
        "text": {"en": "Several days"},
        "value": 1,
        "coding": {"system": LOINC, "code": "LA6569-3", "display": "Several days"},
    }
    assert [o["code"] for o in items["pet"]["options"]] == ["Cat", "Dog", "other"]
    assert items["pet_other"]["enable_when"] == "pet = 'other'"
    assert items["age"]["validation"] == {"min": 18, "max": 120}
    assert items["name"]["validation"] == {"max_length": 40}
    form = form_from_text(imported.text, "mapped.yaml")
    assert form.evaluate({"weight": "72.5"}, strict=True).to_json()["form"] == "mapped"


def test_a_contained_answer_value_set_gives_the_options_and_their_weights() -> None:
    weight = (
        "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property"
    )
    valueset = {
        "resourceType": "ValueSet",
        "id": "freq",
        "status": "active",
        "expansion": {
            "contains": [
                {
                    "system": "urn:freq",
                    "code": code,
                    "display": display,
                    "extension": [
                        {
                            "url": weight,
                            "extension": [
                                {"url": "code", "valueCode": "itemWeight"},
                                {"url": "value", "valueDecimal": value},
                            ],
                        }
                    ],
                }
                for code, display, value in [("never", "Never", 0), ("most days", "Most days", 2.5)]
            ]
        },
    }
    imported = import_questionnaire(
        questionnaire(
            {"linkId": "q", "text": "How often?", "type": "choice", "answerValueSet": "#freq"},
            contained=[valueset],
        ),
        "contained",
    )
    options = items_by_id(imported)["q"]["options"]
    assert [(o["code"], o["value"], o["coding"]["code"]) for o in options] == [
        ("never", 0, "never"),
        ("most_days", 2.5, "most days"),
    ]


def test_the_form_is_marked_as_imported_with_its_source_and_copyright() -> None:
    imported = import_questionnaire(
        questionnaire(
            boolean("q"),
            url="http://example.org/Questionnaire/x",
            version="2.1",
            title="Example survey",
            copyright="(c) Example Org, free to use",
        ),
        "marked",
        label="x.json",
    )
    assert imported.text.startswith(
        "# Imported from a FHIR Questionnaire by `kiosk forms import-fhir`."
    )
    assert "# Source: http://example.org/Questionnaire/x|2.1" in imported.text
    data = spec(imported)
    assert data["version"] == "2.1"
    assert data["title"] == {"en": "Example survey"}
    assert data["source"]["url"] == "http://example.org/Questionnaire/x"
    assert "imported from x.json" in data["source"]["citation"]
    assert data["licence"]["attribution"] == "(c) Example Org, free to use"
    bare = spec(import_questionnaire(questionnaire(boolean("q")), "bare"))
    assert "confirm before use" in bare["licence"]["name"]


# ---------------------------------------------------------------- enableWhen


def conditional_questionnaire() -> dict[str, Any]:
    return questionnaire(
        boolean("q1"),
        {
            "linkId": "q2",
            "text": "Colour?",
            "type": "choice",
            "answerOption": [option("red", "Red"), option("blue", "Blue")],
        },
        {"linkId": "q3", "text": "How many?", "type": "integer"},
        boolean(
            "all",
            enableBehavior="all",
            enableWhen=[
                {"question": "q1", "operator": "=", "answerBoolean": True},
                {
                    "question": "q2",
                    "operator": "=",
                    "answerCoding": {"system": LOINC, "code": "blue"},
                },
            ],
        ),
        boolean(
            "any",
            enableBehavior="any",
            enableWhen=[
                {"question": "q1", "operator": "=", "answerBoolean": True},
                {"question": "q3", "operator": ">=", "answerInteger": 5},
            ],
        ),
        boolean(
            "unanswered",
            enableWhen=[{"question": "q3", "operator": "exists", "answerBoolean": False}],
        ),
        {
            "linkId": "grp",
            "type": "group",
            "enableWhen": [{"question": "q2", "operator": "!=", "answerCoding": {"code": "red"}}],
            "item": [boolean("inner")],
        },
    )


@pytest.mark.parametrize(
    ("answers", "enabled"),
    [
        ({}, {"unanswered", "inner"}),
        ({"q1": "yes", "q2": "blue"}, {"all", "any", "unanswered", "inner"}),
        ({"q1": "yes", "q2": "red", "q3": 2}, {"any"}),
        ({"q1": "no", "q2": "blue", "q3": 5}, {"any", "inner"}),
        ({"q1": "no", "q3": 4}, {"inner"}),
    ],
)
def test_enable_when_all_and_any_decide_as_the_questionnaire_does(
    answers: dict[str, Any], enabled: set[str]
) -> None:
    imported = import_questionnaire(conditional_questionnaire(), "conditional")
    shown = set(evaluate(imported, answers)["enabled"]) - {"q1", "q2", "q3"}
    assert shown == enabled


# ---------------------------------------------------------------- unsupported


UNSUPPORTED = [
    (
        {"linkId": "many", "text": "Names?", "type": "string", "repeats": True},
        "/item/1/repeats: repeating items are not supported",
    ),
    (
        {"linkId": "scan", "text": "Scan", "type": "attachment"},
        "/item/1/type: items of type 'attachment'",
    ),
    (
        {"linkId": "x", "text": "X", "type": "string", "initial": [{"valueString": "a"}]},
        "/item/1/initial: 'initial' is not carried over",
    ),
    (
        {
            "linkId": "x",
            "text": "X",
            "type": "string",
            "extension": [
                {
                    "url": SDC + "sdc-questionnaire-enableWhenExpression",
                    "valueExpression": {"language": "text/fhirpath", "expression": "true"},
                }
            ],
        },
        "/item/1/extension/0: FHIRPath expressions are not supported",
    ),
    (
        {"linkId": "x", "text": "X", "type": "choice", "answerValueSet": "http://example.org/vs"},
        "/item/1/answerValueSet: only a contained answerValueSet",
    ),
    (
        boolean("x", enableWhen=[{"question": "later", "operator": "=", "answerBoolean": True}]),
        "/item/1/enableWhen/0/question: 'later' is not an earlier question",
    ),
    (
        {
            "linkId": "grp",
            "type": "group",
            "repeats": True,
            "item": [boolean("inner")],
        },
        "/item/1/repeats: repeating groups are not supported",
    ),
]


@pytest.mark.parametrize(("item", "pointer"), UNSUPPORTED)
def test_what_cannot_be_carried_over_is_named_and_stops_the_import(
    item: dict[str, Any], pointer: str
) -> None:
    source = questionnaire(boolean("keep"), item)
    with pytest.raises(FhirImportError) as caught:
        import_questionnaire(source, "stopped")
    assert any(line.startswith(pointer) for line in caught.value.problems), caught.value.problems
    dropped = import_questionnaire(source, "stopped", drop_unsupported=True)
    assert any(line.startswith(pointer) for line in dropped.dropped)
    assert list(items_by_id(dropped)) == ["keep"]


def test_an_item_conditional_on_a_dropped_item_is_dropped_too() -> None:
    source = questionnaire(
        boolean("keep"),
        {"linkId": "scan", "text": "Scan", "type": "attachment"},
        boolean(
            "after", enableWhen=[{"question": "scan", "operator": "exists", "answerBoolean": True}]
        ),
    )
    dropped = import_questionnaire(source, "chain", drop_unsupported=True)
    assert dropped.dropped == [
        "/item/1/type: items of type 'attachment' are not supported",
        "/item/2/enableWhen/0/question: 'scan' is not an earlier question that is carried over",
    ]
    assert list(items_by_id(dropped)) == ["keep"]


def test_a_calculated_expression_that_is_not_a_sum_stops_the_import() -> None:
    calc = {
        "linkId": "bmi",
        "text": "BMI",
        "type": "decimal",
        "extension": [
            {
                "url": SDC + "sdc-questionnaire-calculatedExpression",
                "valueExpression": {"language": "text/fhirpath", "expression": "%w / (%h * %h)"},
            }
        ],
    }
    with pytest.raises(FhirImportError) as caught:
        import_questionnaire(questionnaire(boolean("q"), calc), "calc")
    assert caught.value.problems == [
        "/item/1/extension/0: the calculatedExpression '%w / (%h * %h)' is not a sum of item scores"
    ]


def test_a_calculated_sum_of_weights_becomes_a_sum_score() -> None:
    def scored(link_id: str) -> dict[str, Any]:
        return {
            "linkId": link_id,
            "text": link_id,
            "type": "choice",
            "answerOption": [option("n", "No", 0), option("y", "Yes", 3)],
        }

    total = {
        "linkId": "total",
        "text": "Total",
        "type": "integer",
        "code": [{"system": LOINC, "code": "0000-0"}],
        "extension": [
            {
                "url": SDC + "sdc-questionnaire-calculatedExpression",
                "valueExpression": {
                    "language": "text/fhirpath",
                    "expression": (
                        "%resource.item.where(linkId='a' or linkId='c')"
                        ".answer.value.ordinal().sum()"
                    ),
                },
            }
        ],
    }
    imported = import_questionnaire(
        questionnaire(scored("a"), scored("b"), scored("c"), total), "summed"
    )
    (score,) = spec(imported)["scores"]
    assert score == {
        "id": "total",
        "kind": "sum",
        "label": "Total",
        "items": ["a", "c"],
        "min_answered": 1,
        "coding": {"system": LOINC, "code": "0000-0"},
    }
    assert evaluate(imported, {"a": "y", "b": "y", "c": "n"})["scores"]["total"] == 3
    assert evaluate(imported, {})["scores"]["total"] is None


# ---------------------------------------------------------------- published examples


def published(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "complete"),
    [
        ("sdc-phq9.json", True),
        ("lforms-phq9.json", True),
        ("lforms-test-enablewhen.json", True),
        ("sdc-hunger-vital-sign.json", False),
        ("sdc-enableWhen.json", False),
        ("lforms-enableWhen-test.R4.json", False),
        ("sdc-all-data-types.json", False),
    ],
)
def test_each_published_example_imports_into_a_form_that_passes_the_checks(
    name: str, complete: bool
) -> None:
    source = published(name)
    if not complete:
        with pytest.raises(FhirImportError):
            import_questionnaire(source, "example")
    imported = import_questionnaire(source, "example", drop_unsupported=not complete)
    assert bool(imported.dropped) is not complete
    form = form_from_text(imported.text, f"{name}.yaml")
    assert len(form.spec.items) >= 2


def expected_total(source: dict[str, Any], chosen: dict[str, str]) -> float:
    """The PHQ-9 total as the Questionnaire defines it: the chosen answers' ordinal values."""
    total = 0.0
    for item in source["item"]:
        code = chosen.get(item["linkId"])
        for answer in item.get("answerOption", []):
            if code is not None and answer["valueCoding"]["code"] == code:
                total += next(
                    e["valueDecimal"]
                    for e in answer["extension"]
                    if e["url"].endswith("ordinalValue")
                )
    return total


def test_the_imported_lforms_phq9_scores_as_its_calculated_expression_defines() -> None:
    source = published("lforms-phq9.json")
    imported = import_questionnaire(source, "phq9")
    questions = [i["linkId"] for i in source["item"]][:9]
    chosen = dict(
        zip(questions, ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"] * 3, strict=False)
    )
    answers = {"q_" + link.strip("/").replace("-", "_"): code for link, code in chosen.items()}
    result = evaluate(imported, answers)
    assert result["scores"] == {"q_44261_6": expected_total(source, chosen)} == {"q_44261_6": 12}
    one = evaluate(imported, {"q_44250_9": "LA6571-9"})
    assert one["scores"]["q_44261_6"] == 3


def test_the_imported_sdc_phq9_sums_the_weights_its_value_set_declares() -> None:
    imported = import_questionnaire(published("sdc-phq9.json"), "phq9")
    answers = {f"h1_t1_q{n}": "Nearly_every_day" for n in range(1, 10)}
    # The IG's expansion weighs "Nearly every day" 4 (the PHQ-9 says 3): its weights are kept.
    assert evaluate(imported, answers)["scores"] == {"h1_ts": 36}
    assert items_by_id(imported)["h1_t1"]["type"] == "info"


def test_the_command_writes_a_form_that_kiosk_forms_check_accepts(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data")}

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )

    made = kiosk("forms", "import-fhir", str(EXAMPLES / "sdc-phq9.json"), "--id", "phq9")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "phq9.yaml").is_file()
    checked = kiosk("forms", "check", "phq9.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    hvs = str(EXAMPLES / "sdc-hunger-vital-sign.json")
    stopped = kiosk("forms", "import-fhir", hvs, "--id", "hvs")
    assert stopped.returncode == 1
    assert "/item/2/extension/4: the calculatedExpression" in stopped.stderr
    assert not (tmp_path / "hvs.yaml").exists()
    dropped = kiosk("forms", "import-fhir", hvs, "--id", "hvs", "--drop-unsupported")
    assert dropped.returncode == 0, dropped.stderr
    assert "dropped /item/2/extension/4" in dropped.stdout
    assert kiosk("forms", "check", "hvs.yaml").returncode == 0
