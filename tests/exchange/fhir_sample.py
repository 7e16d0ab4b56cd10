"""FHIR R4 Bundles of Appointments as a hospital's systems send them, for the FHIR
clinic-list tests (tests/clinic/test_fhir_clinic_list.py) and the role matrix.
Test data: not real people."""

from __future__ import annotations

from typing import Any

NHS = "https://fhir.nhs.uk/Id/nhs-number"
LOCAL = "https://rx1.example.nhs.uk/Id/hospital-number"


def patient(
    pid: str, family: str, given: str, birth: str, *, nhs: str | None = None, local: str = ""
) -> dict[str, Any]:
    identifiers = [{"system": NHS, "value": nhs}] if nhs else []
    if local:
        identifiers.append({"system": LOCAL, "value": local})
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": identifiers,
        "name": [{"family": family, "given": [given]}],
        "birthDate": birth,
        "address": [{"postalCode": "LS1 4AP"}],
    }


def appointment(
    aid: str, start: str, pid: str, clinic: str = "Heart clinic", status: str = "booked"
) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": aid.lower(),
        "identifier": [{"system": "https://rx1.example.nhs.uk/Id/appointment", "value": aid}],
        "status": status,
        "start": start,
        "participant": [
            {"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"},
            {"actor": {"reference": "Location/card1", "display": clinic}, "status": "accepted"},
        ],
    }


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{r['resourceType'].lower()}-{r['id']}", "resource": r}
            for r in resources
        ],
    }


def clinic_day(day: str) -> dict[str, Any]:
    """Three appointments on ``day`` (YYYY-MM-DD), one of them cancelled."""
    return bundle(
        patient("p1", "Quill", "Winifred", "1950-03-03", nhs="9434765919"),
        patient("p2", "Ogunbanjo", "Ade", "1962-11-30", local="RX1-000456"),
        appointment("F-1", f"{day}T09:30:00+00:00", "p1"),
        appointment("F-2", f"{day}T10:15:00+00:00", "p2", clinic="Renal clinic"),
        appointment("F-3", f"{day}T11:00:00+00:00", "p2", status="cancelled"),
    )
