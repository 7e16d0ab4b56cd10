"""The clinic service under requests an attacker would send, over real HTTPS.

Each test starts the real service on 127.0.0.1 (``make_staff_clinic``: seeded
through the real tablet path) and talks to it as a hostile client would: with
raw sockets where an ordinary HTTP client would refuse to send what is needed.
"""

from __future__ import annotations

import base64
import csv
import io
import secrets
import socket
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select as sql_select
from sqlalchemy import text

from kiosk.clinic.limits import MAX_BODY, STAFF_BODY, UNSIGNED_BODY
from kiosk.clinic.models import AuditEntry

pytestmark = pytest.mark.security

MIB = 1024 * 1024
API = "/api/v1"


def raw_request(
    url: str,
    certificate: Path,
    method: str,
    path: str,
    *,
    body_size: int,
    chunked: bool = True,
    declared: int | None = None,
    headers: tuple[str, ...] = (),
) -> tuple[int | None, bytes, int]:
    """Send ``body_size`` bytes (in 64 KiB chunks, chunked or after a declared
    Content-Length) and stop as soon as an answer arrives or the server closes.
    (status or None, answer bytes, body bytes the client managed to send)."""
    where = urlsplit(url)
    context = ssl.create_default_context(cafile=str(certificate))
    sock = socket.create_connection((where.hostname, where.port), timeout=20)
    tls = context.wrap_socket(sock, server_hostname=where.hostname)
    head = [f"{method} {path} HTTP/1.1", f"Host: {where.hostname}", *headers]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {declared}")
    tls.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    piece = b"{" + b"x" * (64 * 1024 - 1)
    sent, answer, closed = 0, b"", False

    def read_waiting() -> None:
        """Whatever the server has sent so far (TLS session tickets are not an answer)."""
        nonlocal answer, closed
        tls.setblocking(False)
        try:
            while data := tls.recv(65536):
                answer += data
            closed = True
        except (ssl.SSLWantReadError, BlockingIOError):
            pass
        except OSError:
            closed = True
        finally:
            tls.settimeout(20)

    try:
        while sent < body_size and not answer and not closed:
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            tls.sendall(frame)
            sent += len(piece)
            read_waiting()
        if chunked and sent >= body_size:
            tls.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: it will not read the rest
    try:
        while not closed and (chunk := tls.recv(65536)):
            answer += chunk
            if b"\r\n\r\n" in answer and len(answer) > answer.index(b"\r\n\r\n") + 4:
                break
    except OSError:
        pass
    finally:
        tls.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    return status, answer, sent


def tls(clinic: Any) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(clinic.certificate))


def audit_rows(clinic: Any, **where: str) -> list[AuditEntry]:
    with clinic.service.transaction() as db:
        query = sql_select(AuditEntry).order_by(AuditEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        return list(db.scalars(query))


def token_of(clinic: Any, username: str) -> dict[str, str]:
    with clinic.client(username) as client:
        return {"Authorization": f"Bearer {client.user.token}"}


@pytest.fixture
def sqlite_clinic(make_staff_clinic: Callable[..., Any]) -> Any:
    return make_staff_clinic()


@pytest.mark.control("H-27-C1")
def test_a_60_mib_chunked_body_is_refused_after_little_of_it_is_read(sqlite_clinic: Any) -> None:
    clinic = sqlite_clinic
    for method, path, limit in (
        ("POST", f"{API}/submissions", MAX_BODY),  # signed: the tablets' batches
        ("POST", f"{API}/auth/token", UNSIGNED_BODY),  # anyone may call it
        ("POST", f"{API}/enrol", UNSIGNED_BODY),
        ("PUT", f"{API}/submissions/{'a' * 32}/triage", STAFF_BODY),
    ):
        status, answer, sent = raw_request(
            clinic.url, clinic.certificate, method, path, body_size=60 * MIB
        )
        assert status == 413, (path, answer[:300])
        assert b'"error": "too_large"' in answer
        # Answered long before the 60 MiB were sent: the server stopped reading.
        assert sent < limit + 16 * MIB, (path, sent)
    # Audited as anonymous; refusals from one address within a minute are coalesced.
    [row] = audit_rows(clinic, outcome="too_large")
    assert (row.actor, row.action, row.remote) == ("anonymous", f"{API}/submissions", "127.0.0.1")


def test_the_longest_notes_staff_may_write_still_fit_the_limit(sqlite_clinic: Any) -> None:
    """The limit refuses floods, never real work: 10,000 characters of notes, each
    sent as a JSON escape pair (the worst case), are saved."""
    import json

    from kiosk.clinic.casework import MAX_NOTES

    clinic = sqlite_clinic
    sid = next(iter(clinic.ids.values()))
    body = json.dumps({"version": 0, "status": "in_review", "notes": "\U0001f600" * MAX_NOTES})
    assert len(body) > 100_000
    headers = {**token_of(clinic, "clinician"), "Content-Type": "application/json"}
    with httpx.Client(verify=tls(clinic), base_url=clinic.url) as http:
        saved = http.put(f"{API}/submissions/{sid}/triage", headers=headers, content=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["notes"] == "\U0001f600" * MAX_NOTES


@pytest.mark.control("H-27-C1")
def test_a_declared_length_over_the_limit_is_refused_before_the_body(sqlite_clinic: Any) -> None:
    clinic = sqlite_clinic
    status, answer, sent = raw_request(
        clinic.url,
        clinic.certificate,
        "POST",
        f"{API}/auth/token",
        body_size=0,
        chunked=False,
        declared=60 * MIB,
        headers=("Content-Type: application/json",),
    )
    assert status == 413 and b"too_large" in answer and sent == 0


@pytest.mark.control("H-27-C1")
def test_a_content_length_that_lies_does_not_let_the_body_in(sqlite_clinic: Any) -> None:
    """A small declared length, then 60 MiB: the server reads what was declared and
    takes the rest as a broken next request; it never reads the 60 MiB."""
    clinic = sqlite_clinic
    status, answer, sent = raw_request(
        clinic.url,
        clinic.certificate,
        "POST",
        f"{API}/auth/token",
        body_size=60 * MIB,
        chunked=False,
        declared=1000,
        headers=("Content-Type: application/json",),
    )
    assert status in (400, 422), answer[:300]
    assert sent < 20 * MIB
    # And the service still answers everyone else.
    with httpx.Client(verify=tls(clinic)) as http:
        assert http.get(f"{clinic.url}{API}/health").status_code == 200


@pytest.mark.control("H-27-C6")
def test_a_bearer_token_with_non_ascii_bytes_is_refused_not_a_crash(sqlite_clinic: Any) -> None:
    clinic = sqlite_clinic
    token = token_of(clinic, "clinician")["Authorization"].encode()
    with httpx.Client(verify=tls(clinic), base_url=clinic.url) as http:
        for raw in (b"Bearer \xe9\xff\x80", token + b"\xe9", b"Bearer abc.\xc3\xa9"):
            answer = http.get(f"{API}/queue", headers={"Authorization": raw})
            assert answer.status_code == 401, (raw, answer.text)
            assert answer.json()["error"] == "not_signed_in"
    assert audit_rows(clinic, action=f"{API}/queue", outcome="no_token")


@pytest.mark.control("H-27-C5")
def test_refusals_and_reads_are_audited_and_long_paths_fit(
    make_staff_clinic: Callable[..., Any], database_url: str
) -> None:
    clinic = make_staff_clinic(database_url)
    long_id = "a" * 5000
    with httpx.Client(verify=tls(clinic), base_url=clinic.url, timeout=30) as http:
        # A long path, signed out: 401 (not 500), and the audit row fits its columns.
        anonymous = http.get(f"{API}/submissions/{long_id}")
        assert anonymous.status_code == 401, anonymous.text
        [row] = [r for r in audit_rows(clinic, outcome="no_token") if long_id[:40] in r.action]
        assert row.action.startswith(f"{API}/submissions/aaa") and len(row.action) == 60

        clinician = token_of(clinic, "clinician")
        missing = http.get(f"{API}/submissions/{long_id}", headers=clinician)
        assert missing.status_code == 404
        assert audit_rows(clinic, action="read_summary", outcome="not_found")

        # Triage and referral saves that are refused are audited with who and what.
        sid = next(iter(clinic.ids.values()))
        no_such = http.put(
            f"{API}/submissions/{'0' * 32}/triage",
            headers=clinician,
            json={"version": 0, "status": "actioned"},
        )
        assert no_such.status_code == 404
        bad = http.put(
            f"{API}/submissions/{sid}/triage",
            headers=clinician,
            json={"version": 0, "status": "finished"},
        )
        assert bad.status_code == 422
        malformed = http.put(
            f"{API}/submissions/{sid}/triage", headers=clinician, json={"version": -1}
        )
        assert malformed.status_code == 422
        wrong_kind = http.post(
            f"{API}/submissions/{sid}/referrals",
            headers=clinician,
            json={"kind": "astrology", "referred_on": "2026-11-24"},
        )
        assert wrong_kind.status_code == 422
        no_referral = http.put(
            f"{API}/referrals/999999",
            headers=clinician,
            json={"version": 0, "outcome": "accepted"},
        )
        assert no_referral.status_code == 404
        refusals = {
            (r.action, r.outcome, r.target) for r in audit_rows(clinic, actor="user:clinician")
        }
        assert ("triage", "not_found", "0" * 32) in refusals
        assert ("triage", "bad_value", sid) in refusals
        assert (f"{API}/submissions/{sid}/triage", "malformed", None) in refusals
        assert ("referral_added", "bad_value", sid) in refusals
        assert ("referral_updated", "not_found", "referral 999999") in refusals

        # An administrator's reads of users, tablets and the data dictionary.
        admin = token_of(clinic, "admin")
        assert http.get(f"{API}/admin/users", headers=admin).status_code == 200
        assert http.get(f"{API}/admin/devices", headers=admin).status_code == 200
        dictionary = http.get(
            f"{API}/admin/exports/dictionary.md", params={"project": "p1"}, headers=admin
        )
        assert dictionary.status_code == 200
        reads = {(r.action, r.outcome) for r in audit_rows(clinic, actor="user:admin")}
        assert {("read_users", "ok"), ("read_devices", "ok"), ("read_dictionary", "ok")} <= reads


@pytest.mark.control("H-27-C5")
def test_an_export_is_audited_as_started_then_with_its_outcome(
    make_staff_clinic: Callable[..., Any], database_url: str
) -> None:
    clinic = make_staff_clinic(database_url)
    admin = token_of(clinic, "admin")
    params = {"project": "audit-check", "purpose": "checking the audit of exports"}
    with httpx.Client(verify=tls(clinic), base_url=clinic.url, timeout=60) as http:
        exported = http.get(f"{API}/admin/exports/anonymised.csv", params=params, headers=admin)
        assert exported.status_code == 200
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        bundle = http.get(f"{API}/admin/exports/fhir.json", params=params, headers=admin)
        assert bundle.status_code == 200
    entries = len(bundle.json()["entry"])
    exports = [(r.outcome, r.detail) for r in audit_rows(clinic, action="export")]
    assert exports == [
        ("started: anonymised_csv", "purpose: checking the audit of exports"),
        ("ok: anonymised_csv", f"{len(rows)} rows"),
        ("started: fhir_anonymised", "purpose: checking the audit of exports"),
        ("ok: fhir_anonymised", f"{entries} entries"),
    ]
    assert len(rows) == len(clinic.ids)


def test_an_export_that_breaks_off_is_audited_as_failed(sqlite_clinic: Any) -> None:
    from kiosk.clinic.exports.anonymity import ExportOptions
    from kiosk.clinic.exports.audit import start_export

    clinic = sqlite_clinic
    options = ExportOptions("broken", "checking a broken-off export")
    exporter = start_export(clinic.service, options, "user:admin")
    assert exporter.run is not None
    stream = exporter.run.csv(exporter)
    next(stream)
    stream.close()  # the administrator's connection went away mid-stream
    outcomes = [r.outcome for r in audit_rows(clinic, action="export")]
    assert outcomes == ["started: anonymised_csv", "failed: anonymised_csv"]


@pytest.mark.control("H-27-C5")
def test_an_anonymous_flood_writes_a_bounded_number_of_audit_rows(
    make_staff_clinic: Callable[..., Any], database_url: str
) -> None:
    clinic = make_staff_clinic(database_url)
    before = len(audit_rows(clinic, actor="anonymous"))
    from kiosk.store.identity import DeviceIdentity

    key = DeviceIdentity.generate().public_key_text()
    guess = {"code_id": "ZZZZ", "device_key": key, "proof": "0" * 64}
    with httpx.Client(verify=tls(clinic), base_url=clinic.url) as http:
        for n in range(500):
            assert http.get(f"{API}/queue", params={"n": n}).status_code == 401
        for _ in range(50):  # guessing enrolment codes
            assert http.post(f"{API}/enrol", json=guess).status_code == 403
        for _ in range(50):  # signed by tablets nobody enrolled: any 16 hex digits
            made_up = {
                "X-Device-Id": secrets.token_hex(8),
                "X-Timestamp": str(int(time.time())),
                "X-Nonce": secrets.token_hex(16),
                "X-Signature": base64.b64encode(bytes(64)).decode(),
            }
            assert http.get(f"{API}/tablet/config", headers=made_up).status_code == 403
        flood = audit_rows(clinic, actor="anonymous")[before:]
        assert [(r.action, r.outcome) for r in flood] == [
            (f"{API}/queue", "no_token"),
            ("enrol", "unknown_code"),
            ("signed_request", "not_enrolled"),
        ]
        # A minute later the count of the rest is written, in one row each.
        real_clock = clinic.service.clock
        clinic.service.clock = lambda: real_clock() + 61
        assert http.get(f"{API}/flags").status_code == 401
    flood = audit_rows(clinic, actor="anonymous")[before:]
    assert len(flood) == 7
    counts = sorted(r.detail or "" for r in flood[3:6])
    assert [c.split(" more like this")[0] for c in counts] == ["49", "49", "499"]
    assert flood[6].action == f"{API}/flags"


@pytest.mark.control("H-27-C5")
def test_a_broken_audit_table_does_not_turn_a_refusal_into_a_server_error(
    make_staff_clinic: Callable[..., Any], database_url: str
) -> None:
    clinic = make_staff_clinic(database_url)
    clinician, admin = token_of(clinic, "clinician"), token_of(clinic, "admin")
    with clinic.service.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit RENAME TO audit_away"))
    with httpx.Client(verify=tls(clinic), base_url=clinic.url, timeout=30) as http:
        assert http.get(f"{API}/queue").status_code == 401
        assert http.get(f"{API}/submissions/{'a' * 32}", headers=clinician).status_code == 404
        wrong = http.post(f"{API}/auth/token", json={"username": "admin", "password": "x"})
        assert wrong.status_code == 401
        assert (
            http.put(
                f"{API}/submissions/{'0' * 32}/triage",
                headers=clinician,
                json={"version": 0, "status": "actioned"},
            ).status_code
            == 404
        )
        # Where the audit is the control, nothing happens unaudited: no export streams.
        export = http.get(
            f"{API}/admin/exports/anonymised.csv",
            params={"project": "p", "purpose": "an export that cannot be audited"},
            headers=admin,
        )
        assert export.status_code == 500 and "submission" not in export.text
    with clinic.service.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_away RENAME TO audit"))
    with httpx.Client(verify=tls(clinic), base_url=clinic.url) as http:
        assert http.get(f"{API}/queue", headers=clinician).status_code == 200
