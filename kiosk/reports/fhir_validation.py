"""Checking FHIR resources before they leave the clinic.

The models of ``fhir.resources`` (its ``R4B`` package: FHIR 4.3.0, which is
R4 for every resource used here) check structure, cardinality, primitive
formats and choice types, but not codes. The required value sets of the
elements this project writes are checked here too, with a few invariants the
models leave out (unique ``linkId``, ``enableWhen`` naming an existing
question, unique ``fullUrl`` in a Bundle).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from kiosk.reports.errors import ReportError

FHIR_VERSION = "4.3.0 (R4B)"

PUBLICATION_STATUS = ("draft", "active", "retired", "unknown")
ITEM_TYPES = (
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
)  # fmt: skip
ENABLE_OPERATORS = ("exists", "=", "!=", ">", "<", ">=", "<=")
ENABLE_BEHAVIORS = ("all", "any")
RESPONSE_STATUS = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
BUNDLE_TYPES = (
    "document", "message", "transaction", "transaction-response", "batch", "batch-response",
    "history", "searchset", "collection",
)  # fmt: skip
GENDERS = ("male", "female", "other", "unknown")
REQUEST_STATUS = (
    "draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown",
)  # fmt: skip
REQUEST_INTENTS = (
    "proposal", "plan", "directive", "order", "original-order", "reflex-order",
    "filler-order", "instance-order", "option",
)  # fmt: skip
TASK_STATUS = (
    "draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
    "in-progress", "on-hold", "failed", "completed", "entered-in-error",
)  # fmt: skip
TASK_INTENTS = (
    "unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
    "instance-order", "option",
)  # fmt: skip


class FhirError(ReportError):
    """A resource cannot be built or is not valid FHIR; the message says why, plainly."""


def validate(resource: dict[str, Any]) -> None:
    """Raise FhirError naming the resource type and the first problem; else return."""
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        raise FhirError("not a FHIR resource: it has no resourceType")
    kind = resource["resourceType"]
    try:
        model = get_fhir_model_class(kind)
    except ValueError:
        raise FhirError(f"{kind!r} is not a FHIR resource type") from None
    try:
        model.model_validate(resource)
    except (ValueError, TypeError) as error:
        raise FhirError(f"{kind}: {_first_model_error(error)}") from None
    for problem in _problems(resource, ""):
        raise FhirError(f"{kind}: {problem}")


def _first_model_error(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        details = errors()
        if details:
            first = details[0]
            return f"{_path(first.get('loc', ()))}: {first.get('msg', 'invalid')}"
    return str(error).splitlines()[0]


def _path(location: tuple[Any, ...]) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(resource)"


def _code(value: Any, allowed: tuple[str, ...], where: str) -> Iterator[str]:
    if value is not None and value not in allowed:
        yield f"{where}: {value!r} is not one of {', '.join(allowed)}"


def _problems(resource: dict[str, Any], prefix: str) -> Iterator[str]:
    kind = resource.get("resourceType")
    for n, contained in enumerate(resource.get("contained") or []):
        yield from _problems(contained, f"{prefix}contained[{n}].")
    if kind == "Questionnaire":
        yield from _code(resource.get("status"), PUBLICATION_STATUS, f"{prefix}status")
        link_ids: dict[Any, Any] = {}
        for where, item in _items(resource.get("item") or [], f"{prefix}item"):
            link_id = item.get("linkId")
            if link_id in link_ids:
                yield f"{where}.linkId: {link_id!r} is used twice"
            link_ids[link_id] = item.get("type")
            yield from _code(item.get("type"), ITEM_TYPES, f"{where}.type")
            yield from _code(
                item.get("enableBehavior"), ENABLE_BEHAVIORS, f"{where}.enableBehavior"
            )
            conditions = item.get("enableWhen") or []
            if len(conditions) > 1 and "enableBehavior" not in item:
                yield f"{where}.enableBehavior: required with more than one enableWhen"
            for n, condition in enumerate(conditions):
                here = f"{where}.enableWhen[{n}]"
                yield from _code(condition.get("operator"), ENABLE_OPERATORS, f"{here}.operator")
                if condition.get("operator") == "exists" and "answerBoolean" not in condition:
                    yield f"{here}: the 'exists' operator takes answerBoolean"
        for where, item in _items(resource.get("item") or [], f"{prefix}item"):
            for n, condition in enumerate(item.get("enableWhen") or []):
                question = condition.get("question")
                if link_ids.get(question, "display") in ("display", "group"):
                    yield f"{where}.enableWhen[{n}].question: no question {question!r}"
    elif kind == "QuestionnaireResponse":
        yield from _code(resource.get("status"), RESPONSE_STATUS, f"{prefix}status")
    elif kind == "Patient":
        yield from _code(resource.get("gender"), GENDERS, f"{prefix}gender")
    elif kind == "ServiceRequest":
        yield from _code(resource.get("status"), REQUEST_STATUS, f"{prefix}status")
        yield from _code(resource.get("intent"), REQUEST_INTENTS, f"{prefix}intent")
    elif kind == "Task":
        yield from _code(resource.get("status"), TASK_STATUS, f"{prefix}status")
        yield from _code(resource.get("intent"), TASK_INTENTS, f"{prefix}intent")
    elif kind == "Bundle":
        yield from _code(resource.get("type"), BUNDLE_TYPES, f"{prefix}type")
        seen: set[str] = set()
        for n, entry in enumerate(resource.get("entry") or []):
            full_url = entry.get("fullUrl")
            if full_url is not None and full_url in seen:
                yield f"{prefix}entry[{n}].fullUrl: {full_url!r} is used twice"
            seen.add(full_url)
            if isinstance(entry.get("resource"), dict):
                yield from _problems(entry["resource"], f"{prefix}entry[{n}].resource.")


def _items(items: list[dict[str, Any]], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for n, item in enumerate(items):
        here = f"{where}[{n}]"
        yield here, item
        yield from _items(item.get("item") or [], f"{here}.item")
