"""Clinic scoping over real HTTPS (SQLite and PostgreSQL), on the clinic seeded through
the real tablet path: a user limited to the renal clinic sees the renal queue, flags,
history and exports only; another clinic's patient answers exactly as a missing one
(404) and the attempt is audited as ``out_of_scope``; an unscoped user sees all, as
before; changing a user's clinics ends their sessions."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kiosk.cli.demo_patients import DEMO_PATIENTS
from kiosk.clinic.models import AuditEntry, Referral, Triage
from kiosk.clinic.scope import set_clinics
from kiosk.console.client import NotFound
from tests.conftest import STAFF_PASSWORD, StaffClinic

from .signing import client_from

pytestmark = [
    pytest.mark.clinic,
    pytest.mark.staff,
    pytest.mark.security,
    pytest.mark.control("H-24-C3"),
]
API = "/api/v1"
RENAL = "Renal clinic"
URGENT = next(p for p in DEMO_PATIENTS if p.key == "urgent")
# The urgent (heart clinic) patient seen again in the renal clinic: one patient, two clinics.
URGENT_RENAL = dataclasses.replace(
    URGENT, key="urgent_renal", clinic=RENAL, appointment_id="DEMO-R1", time="11:00"
)
MISSING = "S" + "0" * 25  # an id that exists nowhere


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any], database_url: str) -> StaffClinic:
    """The seeded clinic plus a renal visit of the urgent patient; the link worker and a
    second administrator ("renaladmin") are limited to the renal clinic."""
    clinic = make_staff_clinic(database_url)
    clinic.send(URGENT_RENAL)
    service: Any = clinic.service
    service.staff.add("renaladmin", "administrator", STAFF_PASSWORD, "user:setup")
    for username in ("linkworker", "renaladmin"):
        set_clinics(service, username, [RENAL], "user:setup")
    return clinic


@contextmanager
def http(clinic: StaffClinic, username: str) -> Iterator[httpx.Client]:
    """A raw HTTPS client signed in as ``username`` (to compare exact answers)."""
    with client_from(clinic.url, clinic.certificate) as client:
        answer = client.post(
            f"{API}/auth/token", json={"username": username, "password": STAFF_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        yield client


def audit_of(clinic: StaffClinic, actor: str) -> list[tuple[str, str | None, str]]:
    with clinic.service.transaction() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(AuditEntry).where(AuditEntry.actor == actor))
        return [(r.action, r.target, r.outcome) for r in rows]


def renal_ids(clinic: StaffClinic) -> set[str]:
    return {clinic.ids["no_flags"], clinic.ids["urgent_renal"]}


def test_a_scoped_link_worker_sees_only_their_clinics_queue_and_flags(clinic: StaffClinic) -> None:
    with clinic.client("linkworker") as worker:
        queue = worker.queue()
        assert {i["submission_id"] for i in queue["items"]} == renal_ids(clinic)
        assert queue["clinics"] == [RENAL]
        assert queue["counts"]["total"] == 2
        assert queue["counts"]["urgent"] == 1  # the renal visit, not the heart one
        # Asking for another clinic's queue by name shows nothing of it.
        assert worker.queue(clinic="Heart clinic")["items"] == []
    with http(clinic, "linkworker") as raw:
        flags = raw.get(f"{API}/flags").json()["flags"]
    assert flags, "the renal visit raised flags"
    assert {f["submission_id"] for f in flags} == {clinic.ids["urgent_renal"]}

    # An unscoped clinician sees every clinic, and the anonymous visit, as before.
    with clinic.client("clinician") as clinician:
        everything = {i["submission_id"] for i in clinician.queue()["items"]}
    assert everything == set(clinic.ids.values())
    with http(clinic, "clinician") as raw:
        all_flags = {f["submission_id"] for f in raw.get(f"{API}/flags").json()["flags"]}
    assert clinic.ids["urgent"] in all_flags and clinic.ids["urgent_renal"] in all_flags


def test_another_clinics_patient_is_not_found_and_audited(clinic: StaffClinic) -> None:
    heart, anonymous = clinic.ids["urgent"], clinic.ids["anonymous"]
    today = dt.date.today()
    with clinic.client("clinician") as clinician:  # a referral on the heart patient
        referral = clinician.add_referral(heart, "food_bank", today, "by the clinician")
        triage_version = clinician.summary(heart)["triage"]["version"]
    with http(clinic, "linkworker") as raw:
        # The same answer, word for word, as for an id that does not exist.
        missing = raw.get(f"{API}/submissions/{MISSING}")
        for sid in (heart, anonymous):
            answer = raw.get(f"{API}/submissions/{sid}")
            assert (answer.status_code, answer.json()) == (404, missing.json())
        calls = [
            ("PUT", f"{API}/submissions/{heart}/triage",
             {"version": triage_version, "status": "actioned", "owner": None, "notes": "x"}),
            ("POST", f"{API}/submissions/{heart}/referrals",
             {"kind": "housing", "referred_on": today.isoformat(), "notes": ""}),
            ("PUT", f"{API}/referrals/{referral['id']}",
             {"version": referral["version"], "outcome": "closed", "outcome_on": None,
              "notes": "closed by someone else's link worker"}),
        ]  # fmt: skip
        for method, path, body in calls:
            answer = raw.request(method, path, json=body)
            assert answer.status_code == 404, (path, answer.text)
            assert answer.json()["error"] == "not_found"
        missing_referral = raw.put(f"{API}/referrals/999999", json=calls[2][2])
        assert answer.json() == missing_referral.json()
    # Nothing changed, and every attempt is on record as out of scope.
    with clinic.service.transaction() as db:  # type: ignore[attr-defined]
        assert db.get(Triage, heart).status == "new"
        kept = db.scalars(select(Referral).where(Referral.submission_id == heart)).all()
        assert [(r.kind, r.outcome) for r in kept] == [("food_bank", "awaiting")]
    seen = audit_of(clinic, "user:linkworker")
    for action, target in (
        ("read_summary", heart),
        ("read_summary", anonymous),
        ("triage", heart),
        ("referral_added", heart),
        ("referral_updated", f"referral {referral['id']}"),
    ):
        assert (action, target, "out_of_scope") in seen, (action, seen)
    assert ("read_summary", MISSING, "not_found") in seen

    # The same ids work for an unscoped clinician.
    with clinic.client("clinician") as clinician:
        assert clinician.summary(heart)["clinic"] == "Heart clinic"
        clinician.save_triage(heart, triage_version, "in_review", None, "seen")
        clinician.update_referral(referral["id"], referral["version"], "accepted", today)
    with clinic.client("linkworker") as worker, pytest.raises(NotFound):
        worker.summary(heart)


def test_a_scoped_summary_shows_only_their_clinics_history(clinic: StaffClinic) -> None:
    renal, heart = clinic.ids["urgent_renal"], clinic.ids["urgent"]
    with clinic.client("linkworker") as worker:
        summary = worker.summary(renal)
    assert summary["clinic"] == RENAL
    assert [h["submission_id"] for h in summary["history"]] == [renal]
    with clinic.client("clinician") as clinician:
        history = [h["submission_id"] for h in clinician.summary(renal)["history"]]
    assert set(history) == {renal, heart}


def test_changing_a_users_clinics_ends_their_sessions(clinic: StaffClinic) -> None:
    with http(clinic, "linkworker") as worker, http(clinic, "admin") as admin:
        assert worker.get(f"{API}/queue").status_code == 200
        path = f"{API}/admin/users/linkworker/clinics"
        for body, error in (
            ({"clinics": []}, "bad_value"),
            ({"clinics": ["x" * 81]}, "bad_value"),
        ):
            answer = admin.put(path, json=body)
            assert (answer.status_code, answer.json()["error"]) == (422, error)
        answer = admin.put(f"{API}/admin/users/nobody/clinics", json={"clinics": None})
        assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
        # Refused changes left the old scope and the session alone.
        assert worker.get(f"{API}/queue").status_code == 200
        answer = admin.put(path, json={"clinics": [RENAL, "Heart clinic"]})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"username": "linkworker", "clinics": ["Heart clinic", RENAL]}
        after = worker.get(f"{API}/queue")
        assert (after.status_code, after.json()["error"]) == (401, "not_signed_in")
    with clinic.client("linkworker") as again:  # the new scope from the next sign-in
        assert {i["clinic"] for i in again.queue()["items"]} == {RENAL, "Heart clinic"}
    with http(clinic, "clinician") as clinician:  # a non-administrator may not
        answer = clinician.put(f"{API}/admin/users/clinician/clinics", json={"clinics": [RENAL]})
        assert (answer.status_code, answer.json()["error"]) == (403, "forbidden")
    outcomes = [
        (target, outcome)
        for action, target, outcome in audit_of(clinic, "user:admin")
        if action == "user_clinics_changed"
    ]
    assert outcomes == [
        ("linkworker", "bad_value"),
        ("linkworker", "bad_value"),
        ("nobody", "not_found"),
        ("linkworker", "ok"),
    ]


def test_a_scoped_administrators_exports_hold_their_clinics_only(
    clinic: StaffClinic, tmp_path: Path
) -> None:
    purpose = "renal service evaluation"
    with clinic.client("renaladmin") as admin:
        admin.export_anonymised(tmp_path / "renal.csv", "renal", purpose)
        admin.export_fhir(tmp_path / "renal.json", "renal", purpose, identified=True)
        admin.export_appointments(tmp_path / "appointments.csv")
        month = dt.date.today().strftime("%Y-%m")
        admin.board_report(tmp_path / "board.csv", "renal", month, month, kind="csv")
    rows = read_csv(tmp_path / "renal.csv")
    assert len(rows) == 2 and {r["clinic"] for r in rows} == {RENAL}
    bundle = json.loads((tmp_path / "renal.json").read_text(encoding="utf-8"))
    text = json.dumps(bundle)
    assert URGENT.nhs_number in text  # the renal visit of the urgent patient
    for other in DEMO_PATIENTS:  # nobody seen only in another clinic
        if other.clinic != RENAL and other.nhs_number and other.nhs_number != URGENT.nhs_number:
            assert other.nhs_number not in text, other.key
    appointments = read_csv(tmp_path / "appointments.csv")
    assert appointments and {a["clinic"] for a in appointments} == {RENAL}
    # Each export says in its audit row that it was limited, and to what.
    exports = [e for e in audit_of_details(clinic, "user:renaladmin") if e[0] == "export"]
    started = [d for _a, o, d in exports if o.startswith("started")]
    assert len(started) == 2 and all("clinics: only Renal clinic" in d for d in started)
    assert any(
        o == "ok: board_report_csv" and "clinics: only Renal clinic" in d for _a, o, d in exports
    )

    # An unscoped administrator's export holds every clinic, as before.
    with clinic.client("admin") as admin:
        admin.export_anonymised(tmp_path / "all.csv", "all", purpose)
    every = read_csv(tmp_path / "all.csv")
    assert len(every) == len(clinic.ids)
    assert {"Heart clinic", "Pain clinic", RENAL} <= {r["clinic"] for r in every}


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def audit_of_details(clinic: StaffClinic, actor: str) -> list[tuple[str, str, str]]:
    with clinic.service.transaction() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(AuditEntry).where(AuditEntry.actor == actor))
        return [(r.action, r.outcome, r.detail or "") for r in rows]


def test_set_clinics_from_the_command_line(clinic: StaffClinic, capsys: Any) -> None:
    from kiosk.cli.main import main

    service: Any = clinic.service
    assert main(_cli(clinic, "clinician", "Pain clinic")) == 0
    assert "clinician now sees Pain clinic" in capsys.readouterr().out
    with clinic.client("clinician") as clinician:
        assert {i["clinic"] for i in clinician.queue()["items"]} == {"Pain clinic"}
    assert main(_cli(clinic, "clinician")) == 2  # neither names nor --all
    assert "or give --all" in capsys.readouterr().err
    assert main(_cli(clinic, "nobody", "--all")) == 2
    assert "no staff user called nobody" in capsys.readouterr().err
    assert main(_cli(clinic, "clinician", "--all")) == 0
    with clinic.client("clinician") as clinician:
        assert len(clinician.queue()["items"]) == len(clinic.ids)
    with service.transaction() as db:
        rows = db.scalars(
            select(AuditEntry).where(
                AuditEntry.actor == "cli", AuditEntry.action == "user_clinics_changed"
            )
        ).all()
        assert [(r.target, r.outcome) for r in rows] == [
            ("clinician", "ok"),
            ("nobody", "not_found"),
            ("clinician", "ok"),
        ]


def _cli(clinic: StaffClinic, *words: str) -> list[str]:
    """``kiosk clinic users set-clinics DIR ... --passphrase-file F --database URL``."""
    folder = clinic.certificate.parent
    passphrase = folder.parent / f"{folder.name}-passphrase"
    passphrase.write_bytes(b"a clinic passphrase for tests")  # as tests/conftest.py made it
    engine: Any = clinic.service.engine  # type: ignore[attr-defined]
    url = engine.url.render_as_string(hide_password=False)
    return [
        "clinic", "users", "set-clinics", str(folder), *words,
        "--passphrase-file", str(passphrase), "--database", url,
    ]  # fmt: skip
