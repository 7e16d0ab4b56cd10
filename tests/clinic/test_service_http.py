"""The clinic service over real HTTPS on 127.0.0.1, on SQLite and on PostgreSQL:
enrolment, signed uploads exactly once, conflicts, revocation, staff roles, audit."""

from __future__ import annotations

import base64
import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry, HeldSubmission, Response, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.journey import Journey
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.sync.signing import (
    HEADER_SERVER_TIME,
    SignedHeaders,
    canonical_request,
    enrolment_answer,
    enrolment_proof,
    new_nonce,
)

pytestmark = pytest.mark.clinic
FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
OPEN_CLIENTS: list[httpx.Client] = []


def client(running: RunningServer, folder: Path) -> httpx.Client:
    made = httpx.Client(base_url=running.url, verify=tls(folder), timeout=10)
    OPEN_CLIENTS.append(made)
    return made


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[tuple[ClinicService, RunningServer]]:
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1", "localhost"])
    service = open_service(folder, PASSPHRASE, database_url, [FORMS])
    running = serve_in_thread(service, folder)
    yield service, running
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()
    running.stop()
    service.engine.dispose()


def tls(service_folder: Path) -> ssl.SSLContext:
    """Trust only the clinic's own certificate, hostname checked: what a tablet pins."""
    return ssl.create_default_context(cafile=str(service_folder / CERT_FILE))


class Tablet:
    """Just enough of a tablet to talk to the service by hand."""

    def __init__(self, running: RunningServer, folder: Path) -> None:
        self.identity = DeviceIdentity.generate()
        self.http = client(running, folder)
        self.offset = 0

    def enrol(self, code: str, fingerprint: str) -> httpx.Response:
        code_id, secret = code.split("-")
        key = self.identity.public_key_text()
        response = self.http.post(
            "/api/v1/enrol",
            json={
                "code_id": code_id,
                "device_key": key,
                "name": "Tablet 1",
                "proof": enrolment_proof(secret, key, fingerprint),
            },
        )
        if response.status_code == 201:
            assert response.json()["answer"] == enrolment_answer(
                secret, self.identity.device_id, fingerprint
            )
        return response

    def signed(self, method: str, path: str, body: bytes = b"", **tweak: object) -> httpx.Response:
        timestamp = int(tweak.get("timestamp", time.time() + self.offset))  # type: ignore[call-overload]
        nonce = str(tweak.get("nonce", new_nonce()))
        signature = self.identity.sign(canonical_request(method, path, body, timestamp, nonce))
        headers = SignedHeaders(self.identity.device_id, timestamp, nonce, signature).as_dict()
        return self.http.request(method, path, content=body, headers=headers)

    def upload(self, items: list[tuple[str, bytes]]) -> httpx.Response:
        body = json.dumps(
            {"submissions": [{"id": i, "envelope": base64.b64encode(e).decode()} for i, e in items]}
        ).encode()
        return self.signed("POST", "/api/v1/submissions", body)


def submissions(
    tmp_path: Path, clinic_key: str, count: int, answers: dict
) -> list[tuple[str, bytes]]:
    store = TabletStore.open(tmp_path / "tablet", ClinicPublicKey.from_text(clinic_key))
    library = FormLibrary.load(FORMS)
    for _ in range(count):
        journey = Journey(store, library, "cardiology", {})
        journey.link_patient({"method": "reception", "nhs_number": "9434765919"})
        for (form_id, item_id), value in answers.items():
            journey.answer(form_id, item_id, value)
        journey.submit()
    items = [(item.submission_id, item.envelope) for item in store.pending()]
    store.close()
    return items


@pytest.mark.control("H-01-C3", "H-07-C1", "H-09-C1", "H-15-C6", "H-20-C1")
def test_a_tablet_enrols_uploads_exactly_once_and_is_revoked(
    clinic, tmp_path: Path, database_url: str
) -> None:
    service, running = clinic
    folder = tmp_path / "clinic"
    tablet = Tablet(running, folder)
    code = service.issue_code("cli")
    enrolled = tablet.enrol(code, service.fingerprint)
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    assert body["device_id"] == tablet.identity.device_id
    assert "cardiology" in body["config"]["pathways"]
    # The same code cannot be used twice.
    again = Tablet(running, folder).enrol(code, service.fingerprint)
    assert again.status_code == 403 and again.json()["error"] == "used_code"

    [(sid, envelope)] = submissions(
        tmp_path,
        body["clinic_keys"][0],
        1,
        {("social_welfare", "ends_meet"): "yes", ("social_welfare", "wants_help"): "yes"},
    )
    first = tablet.upload([(sid, envelope)])
    assert first.status_code == 200, first.text
    [result] = first.json()["results"]
    assert result["status"] == 201 and result["receipt"].startswith("sha256:")
    # A retry (the receipt was lost) gets the same receipt and stores nothing new.
    [repeat] = tablet.upload([(sid, envelope)]).json()["results"]
    assert repeat == {"id": sid, "status": 200, "receipt": result["receipt"]}
    # A different envelope under the same id: 409, and both are kept.
    other = envelope.replace(b'"status"', b'"status" ', 1)
    [clash] = tablet.upload([(sid, other)]).json()["results"]
    assert clash["status"] == 409 and "receipt" not in clash
    with service.transaction() as db:
        assert (
            db.scalar(select(Submission.envelope_hash).where(Submission.id == sid))
            == result["receipt"]
        )
        assert db.scalars(select(HeldSubmission.submission_id)).all() == [sid]
        responses = db.scalars(select(Response).where(Response.submission_id == sid)).all()
        welfare = next(r for r in responses if r.form_id == "social_welfare")
        assert welfare.tablet_agrees is True and welfare.form_known
        stored = db.get(Submission, sid)
        assert stored is not None and stored.patient_key and stored.link_method == "reception"
        # Identifiers and answers are ciphertext in the database.
        assert b"9434765919" not in (stored.identifiers or b"")
    assert service.counts()["flags"] >= 1

    # Revoked: every signed request is refused with 403, and audited.
    assert service.revoke(tablet.identity.device_id, "user:admin")
    refused = tablet.signed("GET", "/api/v1/tablet/config")
    assert refused.status_code == 403 and refused.json()["error"] == "not_enrolled"
    with service.transaction() as db:
        outcomes = db.scalars(select(AuditEntry.outcome)).all()
    assert {"stored", "duplicate", "conflict", "not_enrolled"} <= set(outcomes)


@pytest.mark.control("H-20-C2")
@pytest.mark.parametrize(
    ("tweak", "error"),
    [
        ({"timestamp": time.time() - 4 * 3600}, "clock_skew"),
        ({"bad": True}, "bad_signature"),
        ({"unsigned": True}, "unsigned"),
    ],
)
def test_bad_requests_are_refused_and_audited(clinic, tmp_path: Path, tweak, error) -> None:
    service, running = clinic
    tablet = Tablet(running, tmp_path / "clinic")
    assert tablet.enrol(service.issue_code("cli"), service.fingerprint).status_code == 201
    if tweak.get("unsigned"):
        response = tablet.http.get("/api/v1/tablet/config")
    elif tweak.get("bad"):
        good = tablet.signed("GET", "/api/v1/tablet/config")
        assert good.status_code == 200
        nonce = new_nonce()
        signature = tablet.identity.sign(b"something else")
        headers = SignedHeaders(
            tablet.identity.device_id, int(time.time()), nonce, signature
        ).as_dict()
        response = tablet.http.get("/api/v1/tablet/config", headers=headers)
    else:
        response = tablet.signed("GET", "/api/v1/tablet/config", **tweak)
    assert response.status_code == 401
    assert response.json()["error"] == error
    assert abs(int(response.headers[HEADER_SERVER_TIME]) - time.time()) < 60
    with service.transaction() as db:
        assert error in db.scalars(select(AuditEntry.outcome)).all()


@pytest.mark.control("H-09-C2", "H-20-C2")
@pytest.mark.security
def test_a_replayed_request_is_refused(clinic, tmp_path: Path) -> None:
    service, running = clinic
    tablet = Tablet(running, tmp_path / "clinic")
    tablet.enrol(service.issue_code("cli"), service.fingerprint)
    nonce = new_nonce()
    assert tablet.signed("GET", "/api/v1/tablet/config", nonce=nonce).status_code == 200
    replay = tablet.signed("GET", "/api/v1/tablet/config", nonce=nonce)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed"


@pytest.mark.control("H-20-C4")
def test_expired_and_wrong_codes_are_refused(clinic, tmp_path: Path) -> None:
    service, running = clinic
    tablet = Tablet(running, tmp_path / "clinic")
    expired = service.issue_code("cli", ttl_s=-1)
    assert tablet.enrol(expired, service.fingerprint).json()["error"] == "expired_code"
    code_id, _secret = service.issue_code("cli").split("-")
    wrong = tablet.enrol(f"{code_id}-WRONGSECRET1", service.fingerprint)
    assert wrong.status_code == 403 and wrong.json()["error"] == "wrong_proof"
    # A certificate in the middle: the proof binds the fingerprint the tablet saw.
    good = service.issue_code("cli")
    mitm = tablet.enrol(good, "sha256:" + "0" * 64)
    assert mitm.json()["error"] == "wrong_proof"
    assert tablet.enrol("ZZZZ-ABCDEFGHJKLM", service.fingerprint).json()["error"] == (
        "unknown_code"
    )


@pytest.mark.control("H-16-C5", "H-24-C2")
def test_staff_roles_and_lock_out(clinic, tmp_path: Path) -> None:
    service, running = clinic
    http = client(running, tmp_path / "clinic")
    service.staff.add("ada", "clinician", "correct horse battery", "cli")
    service.staff.add("root", "administrator", "another long secret", "cli")
    token = http.post(
        "/api/v1/auth/token", json={"username": "ada", "password": "correct horse battery"}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert http.get("/api/v1/flags", headers=auth).status_code == 200
    forbidden = http.post("/api/v1/admin/enrolment-codes", headers=auth)
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "forbidden"
    assert http.get("/api/v1/flags").status_code == 401
    for _ in range(5):
        wrong = http.post("/api/v1/auth/token", json={"username": "root", "password": "nope"})
        assert wrong.status_code == 401
    locked = http.post(
        "/api/v1/auth/token", json={"username": "root", "password": "another long secret"}
    )
    assert locked.status_code == 429 and locked.json()["error"] == "locked"
    with service.transaction() as db:
        actions = {(a.actor, a.action, a.outcome) for a in db.scalars(select(AuditEntry))}
    assert ("user:ada", "read_flags", "ok") in actions
    assert ("user:ada", "/api/v1/admin/enrolment-codes", "forbidden") in actions


@pytest.mark.control("H-08-C4")
def test_oversized_and_malformed_bodies(clinic, tmp_path: Path) -> None:
    service, running = clinic
    tablet = Tablet(running, tmp_path / "clinic")
    tablet.enrol(service.issue_code("cli"), service.fingerprint)
    malformed = tablet.signed("POST", "/api/v1/submissions", b'{"submissions": "no"}')
    assert malformed.status_code == 422 and malformed.json()["error"] == "malformed"
    huge = tablet.signed("POST", "/api/v1/submissions", b"x" * (9 * 1024 * 1024))
    assert huge.status_code == 413
    [bad] = tablet.upload([("f" * 32, b"not an envelope")]).json()["results"]
    assert bad["status"] == 422
    with service.transaction() as db:
        outcomes = set(db.scalars(select(AuditEntry.outcome)))
    assert {"malformed", "too_large", "unreadable"} <= outcomes
