"""A FHIR R4 Bundle of Appointments read into clinic lists: where each column comes
from, what is left out, and every problem named by entry and field, whatever the
shape of what was sent (tests/exchange/fhir_sample.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from kiosk.exchange.errors import FhirBundleError
from kiosk.exchange.fhir_appointments import clinic_lists_from_bundle
from tests.exchange.fhir_sample import appointment, bundle, clinic_day, patient

DAY = "2026-12-08"


def test_a_day_s_appointments_fill_every_column_and_cancelled_ones_are_left_out() -> None:
    [clinic_list] = clinic_lists_from_bundle(json.dumps(clinic_day(DAY)))
    assert clinic_list.day == dt.date(2026, 12, 8)
    assert [a.to_json() for a in clinic_list.appointments] == [
        {
            "appointment_id": "F-1", "time": "09:30", "clinic": "Heart clinic",
            "family_name": "Quill", "given_name": "Winifred", "birth_date": "1950-03-03",
            "nhs_number": "9434765919", "hospital_number": None, "pathway": None,
            "postcode": "LS1 4AP", "ethnicity": None,
        },
        {
            "appointment_id": "F-2", "time": "10:15", "clinic": "Renal clinic",
            "family_name": "Ogunbanjo", "given_name": "Ade", "birth_date": "1962-11-30",
            "nhs_number": None, "hospital_number": "RX1-000456", "pathway": None,
            "postcode": "LS1 4AP", "ethnicity": None,
        },
    ]  # fmt: skip


@pytest.mark.parametrize("status", ["cancelled", "noshow", "entered-in-error"])
def test_appointments_that_will_not_happen_are_left_out(status: str) -> None:
    b = bundle(
        patient("p1", "Quill", "Winifred", "1950-03-03", local="RX1-1"),
        appointment("F-1", f"{DAY}T09:30", "p1", status=status),
    )
    assert clinic_lists_from_bundle(b) == []


def test_a_contained_patient_a_full_url_and_a_location_s_name_are_followed() -> None:
    contained = appointment("F-1", f"{DAY}T09:30", "x")
    contained["contained"] = [patient("pc", "Inside", "Ivy", "1940-01-01", local="RX1-2")]
    contained["participant"][0]["actor"]["reference"] = "#pc"
    by_url = appointment("F-2", f"{DAY}T10:00", "x")
    by_url["participant"][0]["actor"]["reference"] = "urn:uuid:patient-pu"
    del by_url["participant"][1]["actor"]["display"]
    by_url["serviceType"] = [{"coding": [{"code": "cardiology"}]}]
    location = {"resourceType": "Location", "id": "card1", "name": "Cardiac clinic"}
    b = bundle(patient("pu", "Url", "Uma", "1941-02-02", local="RX1-3"), location, contained)
    b["entry"].append({"resource": by_url})
    [clinic_list] = clinic_lists_from_bundle(b)
    assert [(a.family_name, a.clinic, a.pathway) for a in clinic_list.appointments] == [
        ("Inside", "Heart clinic", None),
        ("Url", "Cardiac clinic", "cardiology"),
    ]


def test_each_day_gets_its_own_list_in_day_order() -> None:
    b = bundle(
        patient("p1", "Quill", "Winifred", "1950-03-03", local="RX1-1"),
        appointment("F-2", "2026-12-09T09:00", "p1"),
        appointment("F-1", f"{DAY}T16:00", "p1"),
    )
    assert [(c.day.isoformat(), len(c.appointments)) for c in clinic_lists_from_bundle(b)] == [
        (DAY, 1),
        ("2026-12-09", 1),
    ]


def test_an_appointment_id_twice_on_a_day_is_named() -> None:
    b = clinic_day(DAY)
    b["entry"][3]["resource"]["identifier"][0]["value"] = "F-1"
    with pytest.raises(FhirBundleError, match=r"^entry\[3\]\.Appointment\.identifier: .* twice"):
        clinic_lists_from_bundle(b)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "the file is not JSON"),
        (b"\xff\xfe", "the file is not JSON"),
        ("[]", "resourceType: this is not a FHIR Bundle"),
        ('{"resourceType": "Bundle", "entry": {}}', "entry: must be a list"),
        ('{"resourceType": "Bundle", "entry": [3]}', r"entry\[0\]\.resource: missing"),
        ("[" * 100_000 + "]" * 100_000, "the file is not JSON"),
    ],
)
def test_what_is_not_a_bundle_is_refused(text: str | bytes, words: str) -> None:
    with pytest.raises(FhirBundleError, match=words):
        clinic_lists_from_bundle(text)


HOSTILE: list[tuple[str, Any]] = [
    ("participant", 7),
    ("participant", [7, "x", {"actor": 3}]),
    ("participant", [{"actor": {"reference": ["Patient/p1"]}}]),
    ("contained", "nope"),
    ("serviceType", "nope"),
    ("serviceType", [{"coding": 5}]),
    ("identifier", {"value": "F-1"}),
    ("status", ["cancelled"]),
    ("start", 20261208),
]


@pytest.mark.parametrize(("key", "value"), HOSTILE)
def test_strange_shapes_are_refused_by_entry_and_field_never_a_crash(key: str, value: Any) -> None:
    b = copy.deepcopy(clinic_day(DAY))
    b["entry"][2]["resource"][key] = value
    try:
        clinic_lists_from_bundle(b)
    except FhirBundleError as exc:
        assert str(exc).startswith("entry[2]")
