"""A FHIR R4 Bundle of Appointment resources (with their Patients) read into clinic lists.

Each Appointment becomes one row of its day's list:

=====================  ==========================================================
clinic-list column     from
=====================  ==========================================================
``appointment_id``     ``Appointment.identifier[0].value``, else ``Appointment.id``
``time``, the day      ``Appointment.start`` (its wall-clock time as written)
``clinic``             the ``Location`` participant's ``actor.display``, else the
                       Location resource's ``name`` (contained or in the bundle)
``family_name`` ...    the ``Patient`` participant: ``name[0].family``/``given[0]``,
                       ``birthDate``, ``identifier`` (system
                       ``https://fhir.nhs.uk/Id/nhs-number``: the NHS number; the
                       first other: the hospital number), ``address[0].postalCode``
``pathway``            ``Appointment.serviceType[0].coding[0].code`` when given
=====================  ==========================================================

Appointments that are ``cancelled``, ``noshow`` or ``entered-in-error`` are left
out. Every problem is a :class:`FhirBundleError` naming the entry and field
(``entry[3].Appointment.start: ...``), never a patient's details.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from kiosk.exchange.clinic_list import (
    COLUMNS,
    MAX_APPOINTMENTS,
    OPTIONAL_COLUMNS,
    ClinicList,
    ClinicListError,
    parse_csv,
    to_csv,
)
from kiosk.exchange.clinic_list import Appointment as Row
from kiosk.exchange.errors import FhirBundleError

__all__ = ["DROPPED_STATUSES", "NHS_NUMBER_SYSTEM", "clinic_lists_from_bundle"]

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
DROPPED_STATUSES = frozenset({"cancelled", "noshow", "entered-in-error"})
_START = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})")


def clinic_lists_from_bundle(text: str | bytes | dict[str, Any]) -> list[ClinicList]:
    """The clinic lists, one per day, that a Bundle's appointments make (sorted by day);
    ``text`` is the Bundle's JSON, or the Bundle already read from it."""
    if isinstance(text, dict):
        bundle: Any = text
    else:
        try:
            bundle = json.loads(text)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise FhirBundleError("the file is not JSON (a FHIR Bundle)") from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise FhirBundleError("resourceType: this is not a FHIR Bundle")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise FhirBundleError("entry: must be a list")
    index = _index(entries)
    days: dict[dt.date, list[Row]] = {}
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise FhirBundleError(f"entry[{i}].resource: missing")
        if resource.get("resourceType") != "Appointment":
            continue
        status = resource.get("status")
        if isinstance(status, str) and status in DROPPED_STATUSES:
            continue
        row = _appointment(resource, index, f"entry[{i}].Appointment")
        on_day = days.setdefault(row[0], [])
        if len(on_day) >= MAX_APPOINTMENTS:
            raise FhirBundleError(f"entry[{i}]: more than {MAX_APPOINTMENTS} appointments a day")
        if any(a.appointment_id == row[1].appointment_id for a in on_day):
            raise FhirBundleError(
                f"entry[{i}].Appointment.identifier: the appointment id appears twice on a day"
            )
        on_day.append(row[1])
    lists = []
    for day, rows in sorted(days.items()):
        clinic_list = ClinicList(day, tuple(rows))
        try:  # what the clinic keeps must read back as a clinic-list CSV
            parse_csv(to_csv(clinic_list), f"the list for {day.isoformat()}", day)
        except ClinicListError as exc:
            raise FhirBundleError(str(exc)) from None
        lists.append(clinic_list)
    return lists


def _index(entries: list[Any]) -> dict[str, dict[str, Any]]:
    """Resources in the bundle by ``Type/id`` and by ``fullUrl``."""
    index: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        resource = entry["resource"]
        if isinstance(resource.get("id"), str):
            index[f"{resource.get('resourceType')}/{resource['id']}"] = resource
        if isinstance(entry.get("fullUrl"), str):
            index[entry["fullUrl"]] = resource
    return index


def _appointment(
    resource: dict[str, Any], index: dict[str, dict[str, Any]], where: str
) -> tuple[dt.date, Row]:
    appointment_id = _first_identifier(resource) or resource.get("id")
    if not isinstance(appointment_id, str) or not appointment_id.strip():
        raise FhirBundleError(f"{where}.identifier: no appointment id (identifier or id)")
    start = resource.get("start")
    match = _START.match(start) if isinstance(start, str) else None
    if match is None:
        raise FhirBundleError(f"{where}.start: must be a date and time (YYYY-MM-DDThh:mm...)")
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise FhirBundleError(f"{where}.start: not a real date") from None
    contained = {
        f"#{r['id']}": r
        for r in _list(resource.get("contained"))
        if isinstance(r, dict) and isinstance(r.get("id"), str)
    }
    patient, clinic = None, None
    for p, participant in enumerate(_list(resource.get("participant"))):
        actor = participant.get("actor") if isinstance(participant, dict) else None
        if not isinstance(actor, dict):
            continue
        reference = actor.get("reference")
        if not isinstance(reference, str | None):
            raise FhirBundleError(f"{where}.participant[{p}].actor.reference: must be text")
        target = contained.get(reference) or index.get(reference) if reference else None
        kind = (target or {}).get("resourceType") or str(reference or "").split("/")[0]
        if kind == "Patient":
            if target is None:
                raise FhirBundleError(
                    f"{where}.participant[{p}].actor: the Patient is neither contained "
                    "nor in the bundle"
                )
            patient = target
        elif kind == "Location":
            clinic = actor.get("display") or (target or {}).get("name")
    if patient is None:
        raise FhirBundleError(f"{where}.participant: no Patient taking part")
    if not isinstance(clinic, str) or not clinic.strip():
        raise FhirBundleError(f"{where}.participant: no Location (the clinic) with a name")
    pathway = _first(_first(resource.get("serviceType")).get("coding")).get("code")
    fields = _patient(patient, f"{where}.participant.Patient")
    row = {
        "appointment_id": appointment_id.strip(),
        "time": f"{match.group(2)}:{match.group(3)}",
        "clinic": clinic.strip(),
        "pathway": pathway if isinstance(pathway, str) else "",
        **fields,
    }
    text = to_csv(ClinicList(day, ())) + _csv_line(row)
    try:
        return day, parse_csv(text, where, day).appointments[0]
    except ClinicListError as exc:
        raise FhirBundleError(_fhir_words(str(exc), where)) from None


def _first_identifier(resource: dict[str, Any]) -> str | None:
    identifiers = resource.get("identifier")
    if isinstance(identifiers, list) and identifiers and isinstance(identifiers[0], dict):
        value = identifiers[0].get("value")
        return value if isinstance(value, str) else None
    return None


def _patient(patient: dict[str, Any], where: str) -> dict[str, str]:
    name = _first(patient.get("name"))
    given = name.get("given") or [""]
    nhs_number, hospital_number = "", ""
    for identifier in _list(patient.get("identifier")):
        if not isinstance(identifier, dict) or not isinstance(identifier.get("value"), str):
            continue
        if identifier.get("system") == NHS_NUMBER_SYSTEM:
            nhs_number = identifier["value"]
        elif not hospital_number:
            hospital_number = identifier["value"]
    address = _first(patient.get("address"))
    values = {
        "family_name": name.get("family"),
        "given_name": given[0] if isinstance(given, list) and given else "",
        "birth_date": patient.get("birthDate"),
        "nhs_number": nhs_number,
        "hospital_number": hospital_number,
        "postcode": address.get("postalCode"),
    }
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise FhirBundleError(f"{where}: {key} must be text")
    return {key: value or "" for key, value in values.items()}


def _list(value: Any) -> list[Any]:
    """A FHIR list (anything else, as from a hostile sender, as no items)."""
    return value if isinstance(value, list) else []


def _first(value: Any) -> dict[str, Any]:
    """The first element of a FHIR list when it is an object, else an empty one."""
    items = _list(value)
    return items[0] if items and isinstance(items[0], dict) else {}


def _csv_line(row: dict[str, str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [row.get(c, "") for c in COLUMNS + OPTIONAL_COLUMNS]
    )
    return out.getvalue()


def _fhir_words(message: str, where: str) -> str:
    """A clinic-list CSV complaint (``where:2: birth_date ...``) in FHIR's names."""
    why = message.split(":2: ", 1)[-1]
    for column, path in _FHIR_PATHS.items():
        if why.startswith(column) or f" {column} " in f" {why} ":
            return f"{where}.{path}: {why}"
    return f"{where}: {why}"


_FHIR_PATHS = {
    "hospital_number": "participant.Patient.identifier",
    "nhs_number": "participant.Patient.identifier",
    "birth_date": "participant.Patient.birthDate",
    "family_name": "participant.Patient.name.family",
    "given_name": "participant.Patient.name.given",
    "postcode": "participant.Patient.address.postalCode",
    "appointment_id": "identifier",
    "clinic": "participant.Location",
}
