"""One submission's answers to one form as a FHIR R4 QuestionnaireResponse.

See kiosk.reports.fhir and docs/exports.md ("FHIR R4").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.form import Form
from kiosk.engine.schema import Item
from kiosk.reports.fhir_enable_when import CODED_TYPES, code_system, scale_points
from kiosk.reports.fhir_questionnaire import (
    DEFAULT_BASE_URL,
    FREE_TEXT,
    HL7,
    coding,
    english_text,
    extension_url,
    questionnaire_url,
)
from kiosk.reports.fhir_validation import FhirError

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
DATA_ABSENT_REASON = f"{HL7}/data-absent-reason"
SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
IDENTIFYING = frozenset({"postcode", "nhs_number"})
STATUS = {"complete": "completed", "incomplete": "stopped"}
SELF_REPORTED = "Patient (self-reported)"


def questionnaire_response(
    form: Form,
    submission: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    base_url: str = DEFAULT_BASE_URL,
    identified: bool,
    include_free_text: bool | None = None,
) -> dict[str, Any]:
    """One submission's answers to one form as a FHIR R4 QuestionnaireResponse.

    ``identified``: the patient's NHS and hospital numbers (a contained Patient)
    and the exact time. Otherwise only pseudonyms, the month, and no postcode or
    NHS number answers. ``include_free_text`` defaults to ``identified``.
    """
    status = STATUS.get(submission.get("status", ""))
    if status is None:
        raise FhirError(
            f"submission status {submission.get('status')!r} is not complete or incomplete"
        )
    free_text = identified if include_free_text is None else include_free_text
    out: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if not identified:
        out["meta"] = {"security": [_security("PSEUDED", "pseudonymized")]}
    patient = submission.get("patient") or {}
    ids = (
        [
            (NHS_NUMBER_SYSTEM, patient.get("nhs_number")),
            (f"{base_url}/hospital-number", patient.get("hospital_number")),
        ]
        if identified
        else []
    )
    identifiers = [{"system": system, "value": str(value)} for system, value in ids if value]
    if identifiers or (identified and patient.get("date_of_birth")):
        contained: dict[str, Any] = {
            "resourceType": "Patient",
            "id": "patient",
            "identifier": identifiers,
        }
        if patient.get("date_of_birth"):
            contained["birthDate"] = str(patient["date_of_birth"])
        out["contained"] = [contained]
    language = submission.get("language")
    if language:
        out["extension"] = [
            {"url": extension_url(base_url, "answered-in-language"), "valueCode": language}
        ]
    if identified:
        out["identifier"] = {"system": f"{base_url}/submission", "value": str(submission["id"])}
    elif submission.get("pseudonym"):
        out["identifier"] = {
            "system": f"{base_url}/submission-pseudonym",
            "value": str(submission["pseudonym"]),
        }
    out["questionnaire"] = f"{questionnaire_url(form, base_url)}|{form.version}"
    out["status"] = status
    if "contained" in out:
        reference: dict[str, Any] = {"reference": "#patient", "type": "Patient"}
    elif patient.get("pseudonym"):
        pseudonym = {"system": f"{base_url}/patient-pseudonym", "value": str(patient["pseudonym"])}
        reference = {"type": "Patient", "identifier": pseudonym}
    else:
        reference = {}
    if reference:
        out["subject"] = reference
    out["authored"] = _authored(submission.get("started_at"), exact=identified)
    out["author"] = reference or {"type": "Patient", "display": SELF_REPORTED}
    out["source"] = out["author"]
    items, withheld = _response_items(form, answers, base_url, identified, free_text)
    if withheld:
        out.setdefault("meta", {"security": []})["security"].append(
            _security("REDACTED", "redacted")
        )
    if items:
        out["item"] = items
    return out


def _security(code: str, display: str) -> dict[str, str]:
    return {"system": SECURITY_SYSTEM, "code": code, "display": display}


def _authored(started_at: Any, *, exact: bool) -> str:
    try:
        moment = (
            started_at
            if isinstance(started_at, dt.datetime)
            else dt.datetime.fromisoformat(str(started_at))
        )
    except ValueError:
        raise FhirError(
            f"submission started_at {started_at!r} is not an ISO date and time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # the clinic stores UTC
    return moment.isoformat(timespec="seconds") if exact else moment.strftime("%Y-%m")


def _response_items(
    form: Form, answers: Mapping[str, Any], base_url: str, identified: bool, free_text: bool
) -> tuple[list[dict[str, Any]], bool]:
    unknown = [a for a in answers if a not in form.items or form.items[a].type == "info"]
    if unknown:
        raise FhirError(f"{unknown[0]!r} is not a question of form '{form.id}'")
    items, withheld = [], False
    for item in form.spec.items:
        value = answers.get(item.id)
        if value is None or (isinstance(value, list) and not value):
            continue
        if value != PREFER_NOT and (
            (item.type in IDENTIFYING and not identified)
            or (item.type in FREE_TEXT and not free_text)
        ):
            withheld = True
            continue
        text = english_text(item.text)[0]
        items.append(
            {
                "linkId": item.id,
                "text": text,
                "answer": _answers(form, item, value, base_url, identified),
            }
        )
    return items, withheld


def _answers(
    form: Form, item: Item, value: Any, base_url: str, identified: bool
) -> list[dict[str, Any]]:
    def wrong() -> FhirError:
        return FhirError(f"{item.id}: {value!r} is not an answer to this {item.type} question")

    system = code_system(base_url, form.id, item.id)
    if item.type in CODED_TYPES:
        values = value if isinstance(value, list) else [value]
        if item.type == "scale":
            allowed = [str(p) for p in scale_points(item)] + [PREFER_NOT]
            codes = [
                str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values
            ]
        else:
            allowed, codes = list(option_codes(item)), values
        if any(c not in allowed for c in codes) or (len(codes) > 1 and item.type != "multi_choice"):
            raise wrong()
        return [{"valueCoding": coding(form, item, code, system)} for code in codes]
    if value == PREFER_NOT:
        return [{"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-declined"}]}]
    if item.type == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise wrong()
        return [{"valueInteger": value}]
    if not isinstance(value, str):
        raise wrong()
    if item.type == "date":
        return [{"valueDate": value if identified else value[:7]}]
    return [{"valueString": value}]
