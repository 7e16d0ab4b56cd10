"""FHIR R4 resources: each form as a Questionnaire, each submission as QuestionnaireResponses.

Plain dicts in FHIR JSON shape, checked by :func:`validate` with the models of
``fhir.resources`` (its R4B package, which is R4 for Questionnaire,
QuestionnaireResponse, Patient and Bundle). docs/exports.md ("FHIR R4") says
what each resource holds, how item types map, how conditions become
``enableWhen`` and what anonymised output leaves out.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from kiosk.reports.fhir_questionnaire import DEFAULT_BASE_URL, questionnaire, questionnaire_url
from kiosk.reports.fhir_response import NHS_NUMBER_SYSTEM, questionnaire_response
from kiosk.reports.fhir_validation import FHIR_VERSION, FhirError, validate

__all__ = [
    "DEFAULT_BASE_URL",
    "FHIR_VERSION",
    "NHS_NUMBER_SYSTEM",
    "FhirError",
    "bundle",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_url",
    "validate",
]


def bundle(resources: list[dict[str, Any]], *, kind: str = "collection") -> dict[str, Any]:
    """A Bundle of the resources: ``collection``, or ``transaction`` (each entry a POST)."""
    if kind not in ("collection", "transaction"):
        raise FhirError(f"bundle kind {kind!r} is not collection or transaction")
    entries = []
    for resource in resources:
        if not isinstance(resource, dict) or "resourceType" not in resource:
            raise FhirError("every bundle entry must be a FHIR resource with a resourceType")
        entry: dict[str, Any] = {
            "fullUrl": f"urn:uuid:{uuid.uuid4()}",
            "resource": copy.deepcopy(resource),
        }
        if kind == "transaction":
            request = {"method": "POST", "url": resource["resourceType"]}
            if resource["resourceType"] == "Questionnaire":
                request["ifNoneExist"] = f"url={resource['url']}&version={resource['version']}"
            entry["request"] = request
        entries.append(entry)
    return {"resourceType": "Bundle", "type": kind, "entry": entries}
