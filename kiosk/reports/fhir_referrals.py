"""What staff did about a submission, as FHIR R4: referrals as ServiceRequest, triage as Task.

A referral (kind, date, outcome) becomes a ServiceRequest coded in SNOMED CT
where ``resources/fhir/referral-codes.yaml`` gives a checked concept for its
kind, and always in the product's own referral-kind CodeSystem. The triage of a
submission becomes a Task whose focus is the submission's QuestionnaireResponse.
Notes, staff names and the clinic's record ids stay out unless ``identified``;
anonymised, dates are the month only, as in the QuestionnaireResponse.
docs/exports.md ("Referrals and triage") says what each element holds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from kiosk.reports.fhir_questionnaire import DEFAULT_BASE_URL
from kiosk.reports.fhir_validation import FhirError
from kiosk.site.paths import installed
from kiosk.vocabulary import REFERRAL_KINDS

REFERRAL_CODES_FILE = "fhir/referral-codes.yaml"

# A referral's outcome as the request's state: still to happen (active), done
# (completed) or ended without the service being given (revoked).
REQUEST_STATUS = {
    "awaiting": "active",
    "accepted": "active",
    "declined": "revoked",  # the patient declined
    "attended": "completed",
    "did_not_attend": "revoked",
    "closed": "completed",
}
# A submission's triage as the Task's state; businessStatus carries our own word.
TASK_STATUS = {
    "new": "requested",
    "in_review": "in-progress",
    "actioned": "completed",
    "no_action": "completed",
    "declined": "cancelled",  # the patient declined
}


def service_request(
    referral: Mapping[str, Any],
    subject: Mapping[str, Any],
    responses: Sequence[str],
    *,
    identified: bool,
    base_url: str = DEFAULT_BASE_URL,
    resources: Path | None = None,
) -> dict[str, Any]:
    """One referral as a ServiceRequest.

    ``referral``: ``id``, ``kind``, ``referred_on`` (YYYY-MM-DD) and ``outcome``;
    ``subject``: the Patient reference the submission's QuestionnaireResponses use;
    ``responses``: their references (``urn:uuid:...`` in a Bundle), the reason."""
    kind, outcome = referral.get("kind"), referral.get("outcome")
    if kind not in REFERRAL_KINDS:
        raise FhirError(f"referral kind {kind!r} is not one of {', '.join(REFERRAL_KINDS)}")
    if outcome not in REQUEST_STATUS:
        raise FhirError(f"referral outcome {outcome!r} is not one of {', '.join(REQUEST_STATUS)}")
    codings = []
    snomed = referral_codes(resources).get(str(kind))
    if snomed is not None:
        codings.append(snomed)
    codings.append({"system": f"{base_url}/CodeSystem/referral-kind", "code": kind})
    out: dict[str, Any] = {"resourceType": "ServiceRequest"}
    if identified:
        out["identifier"] = [{"system": f"{base_url}/referral", "value": str(referral["id"])}]
    out |= {
        "status": REQUEST_STATUS[outcome],
        "intent": "order",
        "code": {"coding": codings, "text": _words(kind)},
        "subject": dict(subject),
        "authoredOn": _day(referral.get("referred_on"), exact=identified),
    }
    if responses:
        out["reasonReference"] = [
            {"reference": r, "type": "QuestionnaireResponse"} for r in responses
        ]
    out["extension"] = [
        {"url": f"{base_url}/StructureDefinition/referral-outcome", "valueCode": outcome}
    ]
    return out


def triage_task(
    triage: Mapping[str, Any],
    subject: Mapping[str, Any],
    response: str,
    *,
    identified: bool,
    base_url: str = DEFAULT_BASE_URL,
) -> dict[str, Any]:
    """One submission's triage as a Task (``triage``: ``status``, ``updated_at``);
    ``response``: the reference of the QuestionnaireResponse it is about."""
    status = triage.get("status")
    if status not in TASK_STATUS:
        raise FhirError(f"triage status {status!r} is not one of {', '.join(TASK_STATUS)}")
    moment = _day(triage.get("updated_at"), exact=identified)
    return {
        "resourceType": "Task",
        "status": TASK_STATUS[status],
        "businessStatus": {
            "coding": [{"system": f"{base_url}/CodeSystem/triage-status", "code": status}],
            "text": _words(status),
        },
        "intent": "order",
        "code": {"text": "Triage of the patient's answers"},
        "focus": {"reference": response, "type": "QuestionnaireResponse"},
        "for": dict(subject),
        "authoredOn": moment,
        "lastModified": moment,
    }


def referral_codes(resources: Path | None = None) -> dict[str, dict[str, str]]:
    """Referral kind -> its SNOMED CT Coding, for the kinds that have one."""
    return _load((resources or installed("resources")) / REFERRAL_CODES_FILE)


@functools.cache
def _load(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        system = str(data["system"])
        out = {
            str(kind): {"system": system, "code": str(c["code"]), "display": str(c["display"])}
            for kind, c in (data.get("codes") or {}).items()
        }
    except (OSError, yaml.YAMLError) as error:
        raise FhirError(f"{path}: the referral codes cannot be read ({error})") from None
    except (KeyError, TypeError, AttributeError):
        raise FhirError(f"{path}: needs system, and codes: KIND: {{code, display}}") from None
    unknown = sorted(set(out) - set(REFERRAL_KINDS))
    if unknown:
        raise FhirError(f"{path}: {', '.join(unknown)} is not a referral kind")
    return out


def _words(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _day(value: Any, *, exact: bool) -> str:
    text = str(value or "")
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        raise FhirError(f"{value!r} is not a date (YYYY-MM-DD)")
    return text[:10] if exact else text[:7]
