"""FHIR answer options (answerOption, a contained ValueSet) and their weights.

Part of :mod:`kiosk.exchange.fhir_import`: each option is read into an
:data:`Entry` (answer kind, value, display, weight, coding); the weight comes
from the ``ordinalValue`` / ``itemWeight`` extensions or, in a ValueSet
expansion, from its ``itemWeight`` property.
"""

from __future__ import annotations

from typing import Any

EXT = "http://hl7.org/fhir/StructureDefinition/"
WEIGHTS = (EXT + "ordinalValue", EXT + "itemWeight", EXT + "iso21090-CO-value")
EXPANSION_PROPERTY = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property"
)


def coding(value: dict[str, Any]) -> dict[str, str]:
    out = {"system": value.get("system") or "urn:unknown", "code": str(value.get("code"))}
    if value.get("display"):
        out["display"] = value["display"]
    return out


def option_key(answer_key: str, value: Any) -> tuple[str, str] | None:
    if answer_key == "answerCoding" and isinstance(value, dict):
        return ("coding", str(value.get("code")))
    if answer_key == "answerString":
        return ("string", str(value))
    if answer_key == "answerInteger":
        return ("integer", str(value))
    return None


Entry = tuple[str, str, str, float | None, dict[str, str] | None]
"""(answer kind, value, display text, weight, coding)."""


def weight_of(extensions: list[dict[str, Any]]) -> float | None:
    for ext in extensions:
        if ext.get("url") in WEIGHTS:
            return _number(ext)
        if ext.get("url") == EXPANSION_PROPERTY:
            parts = {e.get("url"): e for e in ext.get("extension", [])}
            if parts.get("code", {}).get("valueCode") in ("itemWeight", "ordinalValue", "weight"):
                return _number(parts.get("value", {}))
    return None


def answer_option(option: dict[str, Any]) -> Entry | None:
    weight = weight_of(option.get("extension", []))
    if "valueCoding" in option:
        value = option["valueCoding"]
        weight = weight if weight is not None else weight_of(value.get("extension", []))
        code = str(value.get("code"))
        return ("coding", code, value.get("display") or code, weight, coding(value))
    if "valueString" in option:
        return ("string", option["valueString"], option["valueString"], weight, None)
    if "valueInteger" in option:
        number = str(option["valueInteger"])
        return ("integer", number, number, weight, None)
    return None


def expansion_options(valueset: dict[str, Any]) -> list[Entry]:
    contains = valueset.get("expansion", {}).get("contains")
    if contains:
        return [
            (
                "coding",
                str(c.get("code")),
                c.get("display") or str(c.get("code")),
                weight_of(c.get("extension", [])),
                coding(c),
            )
            for c in contains
        ]
    out: list[Entry] = []
    for include in valueset.get("compose", {}).get("include", []):
        for concept in include.get("concept", []):
            value = {"system": include.get("system"), **concept}
            out.append(
                (
                    "coding",
                    str(concept.get("code")),
                    concept.get("display") or str(concept.get("code")),
                    weight_of(concept.get("extension", [])),
                    coding(value),
                )
            )
    return out


def _number(extension: dict[str, Any]) -> float | None:
    value = extension.get("valueDecimal", extension.get("valueInteger"))
    return float(value) if isinstance(value, int | float) else None
