"""Clinic lists from a FHIR R4 Bundle of Appointments (+ Patients): ``kiosk clinic
clinic-list CLINIC --fhir FILE`` and ``POST /api/v1/admin/clinic-list/fhir`` over real
HTTPS, on SQLite and PostgreSQL. Cancelled appointments are left out; a bad bundle is
refused naming its entry and field, and nothing is kept; only administrators may post.
The bundles are tests/exchange/fhir_sample.py's (not real people)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry, ClinicListDay
from kiosk.clinic.service import ClinicService
from kiosk.clinic.tls import CERT_FILE
from kiosk.exchange.clinic_list import parse_csv
from tests.conftest import FORMS, STAFF_PASSWORD, STAFF_USERS
from tests.exchange.fhir_sample import appointment, bundle, clinic_day, patient

pytestmark = [pytest.mark.clinic]

PASSPHRASE = b"a clinic passphrase for tests"
ROUTE = "/api/v1/admin/clinic-list/fhir"
TODAY = dt.date.today()
DAY = dt.date(2031, 1, 6)


@dataclass
class Clinic:
    service: ClinicService
    running: Any  # kiosk.clinic.setup.RunningServer
    folder: Path
    database_url: str

    def lists(self) -> dict[str, list[tuple[str, str, str, str]]]:
        """Every stored list: (appointment id, time, clinic, family name)."""
        out: dict[str, list[tuple[str, str, str, str]]] = {}
        with self.service.transaction() as db:
            for row in db.scalars(select(ClinicListDay).order_by(ClinicListDay.day)):
                text = self.service.plumbing.secrets.open(row.csv, f"clinic_lists/{row.day}")
                day = dt.date.fromisoformat(row.day)
                out[row.day] = [
                    (a.appointment_id, a.time, a.clinic, a.family_name)
                    for a in parse_csv(text, "stored", day).appointments
                ]
        return out

    def post(self, body: Any, username: str = "admin") -> httpx.Response:
        """The bundle posted by a signed-in member of staff over HTTPS."""
        trust = ssl.create_default_context(cafile=self.folder / CERT_FILE)
        with httpx.Client(base_url=self.running.url, verify=trust) as http:
            signed_in = http.post(
                "/api/v1/auth/token", json={"username": username, "password": STAFF_PASSWORD}
            )
            token = signed_in.json()["token"]
            return http.post(ROUTE, json=body, headers={"Authorization": f"Bearer {token}"})

    def audit(self, action: str) -> list[tuple[str, str, str | None]]:
        with self.service.transaction() as db:
            rows = db.scalars(select(AuditEntry).where(AuditEntry.action == action))
            return [(r.actor, r.outcome, r.target) for r in rows]


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[Clinic]:
    """A clinic served over HTTPS on 127.0.0.1, on SQLite and then a real PostgreSQL."""
    from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, database_url, [FORMS])
    for username, role in STAFF_USERS.items():
        service.staff.add(username, role, STAFF_PASSWORD, "user:setup")
    running = serve_in_thread(service, folder)
    yield Clinic(service, running, folder, database_url)
    running.stop()
    service.engine.dispose()


EXPECTED_DAY = [
    ("F-1", "09:30", "Heart clinic", "Quill"),
    ("F-2", "10:15", "Renal clinic", "Ogunbanjo"),
]  # F-3 was cancelled


# ------------------------------------------------------------------ the route


def test_an_administrator_posts_a_bundle_and_each_day_gets_its_list(clinic: Clinic) -> None:
    answer = clinic.post(clinic_day(DAY.isoformat()))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"days": [{"day": DAY.isoformat(), "appointments": 2}]}
    assert clinic.lists() == {DAY.isoformat(): EXPECTED_DAY}
    assert clinic.audit("import_clinic_list") == [("user:admin", "ok", DAY.isoformat())]


def test_todays_list_from_a_bundle_reaches_the_tablets(clinic: Clinic) -> None:
    assert clinic.post(clinic_day(TODAY.isoformat())).status_code == 200
    served = clinic.service.tablet_config()["clinic_list"]
    appointments = parse_csv(served["csv"], "served", TODAY).appointments
    assert [(a.appointment_id, a.nhs_number, a.hospital_number) for a in appointments] == [
        ("F-1", "9434765919", None),
        ("F-2", None, "RX1-000456"),
    ]


def test_a_bundle_replaces_the_days_it_names_and_leaves_the_others(clinic: Clinic) -> None:
    other = DAY + dt.timedelta(days=1)
    two_days = clinic_day(DAY.isoformat())
    two_days["entry"] += bundle(
        patient("p9", "Later", "Lou", "1970-01-01", local="RX1-9"),
        appointment("G-1", f"{other.isoformat()}T14:00", "p9"),
    )["entry"]
    answer = clinic.post(two_days)
    assert [d["appointments"] for d in answer.json()["days"]] == [2, 1]
    smaller = bundle(
        patient("p1", "Quill", "Winifred", "1950-03-03", nhs="9434765919"),
        appointment("F-1", f"{DAY.isoformat()}T16:00", "p1"),
    )
    assert clinic.post(smaller).json() == {"days": [{"day": DAY.isoformat(), "appointments": 1}]}
    assert clinic.lists() == {
        DAY.isoformat(): [("F-1", "16:00", "Heart clinic", "Quill")],
        other.isoformat(): [("G-1", "14:00", "Heart clinic", "Later")],
    }


def _without_start(b: dict[str, Any]) -> None:
    del b["entry"][3]["resource"]["start"]


def _bad_nhs_number(b: dict[str, Any]) -> None:
    b["entry"][0]["resource"]["identifier"][0]["value"] = "9434765918"


def _patient_elsewhere(b: dict[str, Any]) -> None:
    b["entry"][2]["resource"]["participant"][0]["actor"]["reference"] = "Patient/nowhere"


def _no_clinic(b: dict[str, Any]) -> None:
    b["entry"][3]["resource"]["participant"].pop()


def _bad_birth_date(b: dict[str, Any]) -> None:
    b["entry"][1]["resource"]["birthDate"] = "1962-02-30"


def _participants_not_a_list(b: dict[str, Any]) -> None:
    b["entry"][2]["resource"]["participant"] = 7


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_without_start, "entry[3].Appointment.start: must be a date and time"),
        (_bad_nhs_number, "entry[2].Appointment.participant.Patient.identifier"),
        (_patient_elsewhere, "entry[2].Appointment.participant[0].actor: the Patient is neither"),
        (_no_clinic, "entry[3].Appointment.participant: no Location (the clinic)"),
        (_bad_birth_date, "entry[3].Appointment.participant.Patient.birthDate"),
        (_participants_not_a_list, "entry[2].Appointment.participant: no Patient taking part"),
    ],
)
@pytest.mark.control("H-03-C9")
def test_a_bad_bundle_is_refused_naming_the_entry_and_field_and_nothing_is_kept(
    clinic: Clinic, spoil: Callable[[dict[str, Any]], None], words: str
) -> None:
    clinic.post(clinic_day(DAY.isoformat()))
    spoilt = copy.deepcopy(clinic_day((DAY + dt.timedelta(days=1)).isoformat()))
    spoilt["entry"] += bundle(  # a good appointment on DAY too: all days or none
        patient("p8", "Other", "Olive", "1980-01-01", local="RX1-8"),
        appointment("H-1", f"{DAY.isoformat()}T08:00", "p8"),
    )["entry"]
    spoil(spoilt)
    answer = clinic.post(spoilt)
    assert answer.status_code == 422
    assert answer.json()["error"] == "bad_bundle"
    assert answer.json()["message"].startswith(words), answer.json()["message"]
    for detail in ("Quill", "Ogunbanjo", "9434765918", "1962-02-30"):
        assert detail not in answer.text  # the sender's words, never the patient's
    assert clinic.lists() == {DAY.isoformat(): EXPECTED_DAY}
    assert ("user:admin", "bad_bundle", None) in clinic.audit("import_clinic_list")


@pytest.mark.parametrize(
    "body",
    [{"resourceType": "Patient"}, {"entry": []}, [], {"resourceType": "Bundle", "entry": 3}],
)
def test_what_is_not_a_bundle_is_malformed(clinic: Clinic, body: Any) -> None:
    answer = clinic.post(body)
    assert (answer.status_code, answer.json()["error"]) == (422, "malformed")
    assert clinic.lists() == {}


@pytest.mark.parametrize("username", ["clinician", "linkworker", "reception"])
def test_only_administrators_may_post_a_bundle(clinic: Clinic, username: str) -> None:
    answer = clinic.post(clinic_day(DAY.isoformat()), username=username)
    assert answer.status_code == 403
    assert clinic.lists() == {}


# ------------------------------------------------------------------ the command


def _command(clinic: Clinic, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(PASSPHRASE)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "clinic",
            "clinic-list",
            str(clinic.folder),
            *args,
            "--passphrase-file",
            str(passphrase),
            "--database",
            clinic.database_url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_sets_each_days_list_from_a_bundle_file(clinic: Clinic, tmp_path: Path) -> None:
    file = tmp_path / "bundle.json"
    file.write_text(json.dumps(clinic_day(DAY.isoformat())), encoding="utf-8")
    done = _command(clinic, tmp_path, str(file), "--fhir")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"clinic list for {DAY.isoformat()}: 2 appointments\n"
    assert clinic.lists() == {DAY.isoformat(): EXPECTED_DAY}
    assert clinic.audit("import_clinic_list") == [("cli", "ok", DAY.isoformat())]


def test_the_command_names_a_bad_bundles_entry_and_field_and_keeps_nothing(
    clinic: Clinic, tmp_path: Path
) -> None:
    spoilt = clinic_day(DAY.isoformat())
    _without_start(spoilt)
    file = tmp_path / "bundle.json"
    file.write_text(json.dumps(spoilt), encoding="utf-8")
    done = _command(clinic, tmp_path, str(file), "--fhir")
    assert done.returncode == 2
    assert "entry[3].Appointment.start: must be a date and time" in done.stderr
    assert "Traceback" not in done.stderr
    file.write_text("not json", encoding="utf-8")
    done = _command(clinic, tmp_path, str(file), "--fhir")
    assert done.returncode == 2 and "is not JSON" in done.stderr
    done = _command(clinic, tmp_path, str(file), "--fhir", "--day", "2031-01-06")
    assert done.returncode == 2 and "--day does not go with --fhir" in done.stderr
    assert clinic.lists() == {}
