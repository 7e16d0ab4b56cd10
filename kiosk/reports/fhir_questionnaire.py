"""A form version as a FHIR R4 Questionnaire.

See kiosk.reports.fhir and docs/exports.md ("FHIR R4").
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any

from kiosk.engine.answers import PREFER_NOT, allows_prefer_not, max_length, option_codes
from kiosk.engine.expressions import ExpressionError
from kiosk.engine.form import Form
from kiosk.engine.schema import Item, MeanScore, Score, SumScore
from kiosk.reports.fhir_enable_when import (
    CODED_TYPES,
    Untranslatable,
    code_system,
    enable_when,
    scale_points,
)

DEFAULT_BASE_URL = "https://whatmatterskiosk.example/fhir"
HL7 = "http://hl7.org/fhir/StructureDefinition"
ORDINAL_VALUE = f"{HL7}/ordinalValue"
OPTION_EXCLUSIVE = f"{HL7}/questionnaire-optionExclusive"
DISPLAY_CATEGORY = f"{HL7}/questionnaire-displayCategory"
TRANSLATION = f"{HL7}/translation"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"

ITEM_TYPES = {
    "info": "display",
    "yes_no": "choice",
    "single_choice": "choice",
    "multi_choice": "choice",
    "scale": "choice",
    "integer": "integer",
    "date": "date",
    "short_text": "string",
    "long_text": "text",
    "postcode": "string",
    "nhs_number": "string",
}
FREE_TEXT = frozenset({"short_text", "long_text"})


def questionnaire(form: Form, *, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """One form version as a FHIR R4 Questionnaire."""
    spec = form.spec
    title, title_ext = english_text(spec.title)
    licence = spec.licence
    notes = [licence.attribution] if licence.attribution else []
    notes.append(f"Licence: {licence.name}" + (f" <{licence.url}>" if licence.url else ""))
    if licence.site_licence_required:
        notes.append(
            "A site licence is required: this form may be used only where the site has "
            "recorded its licence reference."
        )
    if licence.proprietary:
        notes.append("The text and scoring may not be redistributed.")
    description = english_text(spec.description)[0] if spec.description else title
    source = spec.source
    cited = "; ".join(x for x in (source.citation, source.url) if x)
    out: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "language": "en" if "en" in form.languages else next(iter(form.languages)),
        "extension": [
            {
                "url": extension_url(base_url, "site-licence-required"),
                "valueBoolean": licence.site_licence_required,
            },
        ],
        "url": questionnaire_url(form, base_url),
        "identifier": [{"system": f"{base_url}/form-hash", "value": form.hash}],
        "version": form.version,
        "name": "".join(part.capitalize() for part in form.id.split("_")),
        "title": title,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": source.name,
        "description": description + (f"\n\nSource: {source.name} ({cited})" if cited else ""),
        "copyright": "\n\n".join(notes),
        "item": [_item(form, n, item, base_url) for n, item in enumerate(spec.items)]
        + score_items(form, base_url),
    }
    if title_ext:
        out["_title"] = title_ext
    return out


def questionnaire_url(form: Form, base_url: str = DEFAULT_BASE_URL) -> str:
    return f"{base_url}/Questionnaire/{form.id}"


def extension_url(base_url: str, name: str) -> str:
    return f"{base_url}/StructureDefinition/{name}"


def english_text(text: Mapping[str, str]) -> tuple[str, dict[str, Any] | None]:
    """English text, and the other languages as translation extensions (or None)."""
    english = text.get("en", next(iter(text.values())))
    others = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": words},
            ],
        }
        for language, words in text.items()
        if language != "en"
    ]
    return english, ({"extension": others} if others else None)


def _item(form: Form, position: int, item: Item, base_url: str) -> dict[str, Any]:
    text, text_ext = english_text(item.text)
    out: dict[str, Any] = {"linkId": item.id, "text": text, "type": ITEM_TYPES[item.type]}
    if text_ext:
        out["_text"] = text_ext
    extensions: list[dict[str, Any]] = []
    if item.type != "info":
        out["required"] = item.required
    if item.type == "multi_choice":
        out["repeats"] = True
    if item.type in CODED_TYPES:
        out["answerOption"] = _answer_options(form, item, base_url)
    elif allows_prefer_not(item):
        extensions.append(
            {"url": extension_url(base_url, "prefer-not-offered"), "valueBoolean": True}
        )
    if item.type in FREE_TEXT:
        rule = item.validation
        out["maxLength"] = max_length(item)
        if rule and rule.pattern:
            extensions.append({"url": f"{HL7}/regex", "valueString": rule.pattern})
    if item.type in ("integer", "date") and item.validation is not None:
        extensions.extend(_bounds(item))
    if item.sensitive:
        extensions.append({"url": extension_url(base_url, "sensitive"), "valueBoolean": True})
    if item.enable_when is not None:
        extensions.append(
            {
                "url": extension_url(base_url, "enable-when-condition"),
                "valueString": item.enable_when,
            }
        )
        try:
            translated = enable_when(form, position, base_url)
        except (Untranslatable, ExpressionError):
            pass  # the extension above carries it; docs/exports.md says so
        else:
            out["enableWhen"] = translated.conditions
            if translated.behavior:
                out["enableBehavior"] = translated.behavior
    if item.help:
        help_text, help_ext = english_text(item.help)
        help_item: dict[str, Any] = {
            "extension": [
                {
                    "url": DISPLAY_CATEGORY,
                    "valueCodeableConcept": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/questionnaire-display-category",
                                "code": "help",
                            }
                        ]
                    },
                }
            ],
            "linkId": f"{item.id}-help",
            "text": help_text,
            "type": "display",
        }
        if help_ext:
            help_item["_text"] = help_ext
        out["item"] = [help_item]
    if extensions:
        out["extension"] = extensions
    return out


def _answer_options(form: Form, item: Item, base_url: str) -> list[dict[str, Any]]:
    system = code_system(base_url, form.id, item.id)
    options = []
    if item.type == "scale":
        codes: list[str] = [str(p) for p in scale_points(item)]
        if allows_prefer_not(item):
            codes.append(PREFER_NOT)
    else:
        codes = list(option_codes(item))
    values = {o.code: o.value for o in item.options or ()}
    exclusive = {o.code for o in item.options or () if o.exclusive} | {PREFER_NOT}
    for code in codes:
        answer = coding(form, item, code, system)
        value = int(code) if item.type == "scale" and code != PREFER_NOT else values.get(code)
        if value is not None:
            answer["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": value}]
        option: dict[str, Any] = {"valueCoding": answer}
        if item.type == "multi_choice" and code in exclusive:
            option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
        options.append(option)
    return options


def coding(form: Form, item: Item, code: str, system: str) -> dict[str, Any]:
    """The Coding of one answer code (a scale point's code is its number)."""
    if item.type == "scale" and code != PREFER_NOT:
        anchors = {a.value: a.text for a in item.anchors or ()}
        anchor = anchors.get(int(code))
        words = {lang: f"{code} - {text}" for lang, text in anchor.items()} if anchor else None
    else:
        words = {}
        for language in form.languages:
            with contextlib.suppress(KeyError):
                words[language] = form.option_text(item.id, code, language)
    display, display_ext = english_text(words) if words else (code, None)
    out: dict[str, Any] = {"system": system, "code": code, "display": display}
    if display_ext:
        out["_display"] = display_ext
    return out


def score_items(form: Form, base_url: str = DEFAULT_BASE_URL) -> list[dict[str, Any]]:
    """Sum and mean scores as read-only items computed by an SDC calculatedExpression.

    Other kinds (conditions on flags, changes from a baseline, lookups, levels) have no
    FHIRPath here; docs/exports.md lists what is carried.
    """
    out = []
    for score in form.spec.scores:
        expression = _score_expression(form, score)
        if expression is None:
            continue
        label = score.label or score.id
        out.append(
            {
                "extension": [
                    {
                        "url": CALCULATED,
                        "valueExpression": {"language": "text/fhirpath", "expression": expression},
                    },
                    {"url": extension_url(base_url, "score"), "valueCode": score.kind},
                ],
                "linkId": score.id,
                "text": label,
                "type": "decimal",
                "readOnly": True,
            }
        )
    return out


def _score_expression(form: Form, score: Score) -> str | None:
    """FHIRPath for a sum or mean of items' numbers; None when it cannot be said."""
    if not isinstance(score, SumScore | MeanScore):
        return None
    parts = []
    for name in score.items:
        item = form.items.get(name)
        if item is None:
            return None  # a score of scores
        answers = f"%resource.item.where(linkId = '{name}').answer.value"
        if item.type in ("scale", "integer"):
            # A scale point's code is its number; "prefer not" converts to nothing.
            parts.append(f"{answers}.code.toDecimal()" if item.type == "scale" else answers)
        elif item.type in ("single_choice", "yes_no") and item.options:
            chain = "{}"
            for option in reversed(item.options):
                if option.value is not None:
                    chain = f"iif(code = '{option.code}', {option.value}, {chain})"
            parts.append(f"{answers}.select({chain})")
        else:
            return None
    values = parts[0] + "".join(f".combine({p})" for p in parts[1:])
    needed = score.min_answered or len(parts)
    if isinstance(score, MeanScore):
        result = f"(({values}).sum() / ({values}).count()).round({score.round})"
    else:
        result = f"({values}).sum()"
    return f"iif(({values}).count() >= {needed}, {result}, {{}})"


def _bounds(item: Item) -> list[dict[str, Any]]:
    rule = item.validation
    assert rule is not None
    out = []
    for key, bound in (("minValue", rule.min), ("maxValue", rule.max)):
        if item.type == "integer" and isinstance(bound, int | float):
            whole = math.ceil(bound) if key == "minValue" else math.floor(bound)
            out.append({"url": f"{HL7}/{key}", "valueInteger": whole})
        elif item.type == "date" and isinstance(bound, str) and bound != "today":
            out.append({"url": f"{HL7}/{key}", "valueDate": bound})
    return out
