"""The clinic service under hostile requests, over real HTTPS on 127.0.0.1:

- one signed request sent to two service processes on one database at the same
  moment is let in once and refused once as ``replayed``, audited;
- nonces are forgotten once their request could no longer be replayed;
- a forged ``X-Forwarded-For`` never reaches the audit log unless it came from a
  proxy named in clinic.toml;
- the interactive API pages are off unless clinic.toml turns them on;
- a download's file name cannot be used to inject a header parameter;
- an envelope whose header was changed beside one broken record is held, not stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.clinic.config import ServerOptions
from kiosk.clinic.models import AuditEntry, HeldSubmission, Nonce, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.journey import Journey
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.sync.signing import (
    CLOCK_WINDOW_S,
    SignedHeaders,
    canonical_request,
    enrolment_proof,
    new_nonce,
)

pytestmark = [pytest.mark.clinic, pytest.mark.security]
ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
ADMIN_PASSWORD = "a long staff password"
KIOSK = [sys.executable, "-m", "kiosk"]
CONFIG_PATH = "/api/v1/tablet/config"


# ------------------------------------------------------------------ helpers


def enrolled_tablet(service: ClinicService) -> DeviceIdentity:
    """A tablet enrolled with the service (the HTTP enrolment has its own tests)."""
    identity = DeviceIdentity.generate()
    code_id, secret = service.issue_code("user:test").split("-")
    key = identity.public_key_text()
    proof = enrolment_proof(secret, key, service.fingerprint)
    service.enrol(code_id, key, "Tablet 1", proof, None)
    return identity


def signed_headers(
    identity: DeviceIdentity,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    timestamp: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    when = int(time.time() if timestamp is None else timestamp)
    nonce = nonce or new_nonce()
    signature = identity.sign(canonical_request(method, path, body, when, nonce))
    return SignedHeaders(identity.device_id, when, nonce, signature).as_dict()


def audit_rows(service: ClinicService, **where: str) -> list[AuditEntry]:
    with service.transaction() as db:
        query = select(AuditEntry)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        return list(db.scalars(query))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Clinic:
    service: ClinicService
    running: RunningServer
    folder: Path

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.running.url,
            verify=ssl.create_default_context(cafile=str(self.folder / CERT_FILE)),
            timeout=20,
        )

    def admin(self, http: httpx.Client) -> dict[str, str]:
        token = http.post(
            "/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert token.status_code == 200, token.text
        return {"Authorization": f"Bearer {token.json()['token']}"}


@pytest.fixture
def start_clinic(tmp_path: Path) -> Iterator[Callable[..., Clinic]]:
    """A clinic on SQLite served in this process, with the server options given."""
    started: list[Clinic] = []

    def start(options: ServerOptions | None = None, database_url: str | None = None) -> Clinic:
        folder = tmp_path / f"clinic-{len(started)}"
        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        service = open_service(folder, PASSPHRASE, database_url, [FORMS])
        service.staff.add("admin", "administrator", ADMIN_PASSWORD, "user:setup")
        clinic = Clinic(service, serve_in_thread(service, folder, options=options), folder)
        started.append(clinic)
        return clinic

    yield start
    for clinic in started:
        clinic.running.stop()
        clinic.service.engine.dispose()


# ------------------------------------------------------------------ replays


@dataclass
class Process:
    url: str
    popen: subprocess.Popen[str]


@pytest.fixture
def two_processes(
    tmp_path: Path, database_url: str
) -> Iterator[tuple[ClinicService, list[str], Path]]:
    """Two `kiosk clinic serve` processes on one database (as behind a load balancer,
    or during a restart), and an in-process service on the same database to look in."""
    (tmp_path / "passphrase").write_bytes(PASSPHRASE + b"\n")
    config = tmp_path / "clinic.toml"
    config.write_text(
        f'[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n'
        f"database = {json.dumps(database_url)}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, database_url, [FORMS])
    processes = []
    for _ in range(2):
        port = free_port()
        popen = subprocess.Popen(
            [*KIOSK, "clinic", "serve", "--config", str(config), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "KIOSK_CLINIC_CONFIG": ""},
        )
        processes.append(Process(f"https://127.0.0.1:{port}", popen))
    context = ssl.create_default_context(cafile=str(folder / CERT_FILE))
    try:
        for process in processes:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{process.url}/api/v1/health", verify=context).is_success:
                        break
                except httpx.TransportError:
                    pass
                if process.popen.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the service did not start: {process.popen.stderr}")
                time.sleep(0.2)
        yield service, [p.url for p in processes], folder
    finally:
        for process in processes:
            process.popen.terminate()
        for process in processes:
            _out, err = process.popen.communicate(timeout=30)
            assert "Traceback" not in err, err
        service.engine.dispose()


def race(
    client: httpx.Client,
    headers: dict[str, str],
    barrier: threading.Barrier,
    answers: list[tuple[int, str | None]],
) -> None:
    """Send the request the moment every racer is ready; note the status and error."""
    barrier.wait()
    response = client.get(CONFIG_PATH, headers=headers)
    error = response.json().get("error") if response.status_code != 200 else None
    answers.append((response.status_code, error))


@pytest.mark.control("H-09-C2")
def test_one_nonce_sent_to_two_processes_at_once_is_let_in_exactly_once(
    two_processes: tuple[ClinicService, list[str], Path],
) -> None:
    """The attacker copies a signed request off the wire and races it against the
    original to a second service process. Whichever arrives second is refused as a
    replay (never a server error), and the refusal is audited."""
    service, urls, folder = two_processes
    identity = enrolled_tablet(service)
    context = ssl.create_default_context(cafile=str(folder / CERT_FILE))
    clients = [httpx.Client(base_url=url, verify=context, timeout=30) for url in urls]
    trials = 25
    try:
        for client in clients:  # connections open before the race starts
            assert client.get("/api/v1/health").is_success
        outcomes: list[list[tuple[int, str | None]]] = []
        for _ in range(trials):
            headers = signed_headers(identity, "GET", CONFIG_PATH)
            barrier = threading.Barrier(len(clients))
            answers: list[tuple[int, str | None]] = []
            threads = [
                threading.Thread(target=race, args=(client, headers, barrier, answers))
                for client in clients
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            outcomes.append(sorted(answers))
    finally:
        for client in clients:
            client.close()
    assert outcomes == [[(200, None), (401, "replayed")]] * trials
    replayed = audit_rows(service, action="signed_request", outcome="replayed")
    assert len(replayed) == trials
    assert {row.actor for row in replayed} == {f"device:{identity.device_id}"}
    assert {row.target for row in replayed} == {CONFIG_PATH}


def test_nonces_are_forgotten_once_their_request_is_too_old_to_replay(
    start_clinic: Callable[..., Clinic],
) -> None:
    clinic = start_clinic()
    service = clinic.service
    now = [time.time()]
    service.clock = lambda: now[0]
    identity = enrolled_tablet(service)
    with clinic.client() as http:
        first = new_nonce()
        response = http.get(
            CONFIG_PATH, headers=signed_headers(identity, "GET", CONFIG_PATH, nonce=first)
        )
        assert response.status_code == 200, response.text
        # Still needed while a replay of it would pass the clock check.
        now[0] += 2 * CLOCK_WINDOW_S - 5
        later = signed_headers(identity, "GET", CONFIG_PATH, timestamp=now[0])
        assert http.get(CONFIG_PATH, headers=later).status_code == 200
        replay = signed_headers(identity, "GET", CONFIG_PATH, timestamp=now[0], nonce=first)
        assert http.get(CONFIG_PATH, headers=replay).json()["error"] == "replayed"
        with service.transaction() as db:
            assert db.get(Nonce, (identity.device_id, first)) is not None
        # Past twice the clock window the next signed request forgets it.
        now[0] += 70
        last = signed_headers(identity, "GET", CONFIG_PATH, timestamp=now[0])
        assert http.get(CONFIG_PATH, headers=last).status_code == 200
    with service.transaction() as db:
        assert db.get(Nonce, (identity.device_id, first)) is None
        assert db.scalar(select(func.count()).select_from(Nonce)) == 2


# ------------------------------------------------------------------ client addresses


def refused_sign_in(clinic: Clinic, forged: str) -> list[str | None]:
    """A wrong password with a forged X-Forwarded-For; the addresses audited for it."""
    with clinic.client() as http:
        response = http.post(
            "/api/v1/auth/token",
            json={"username": "admin", "password": "not the password"},
            headers={"X-Forwarded-For": forged, "X-Forwarded-Proto": "http"},
        )
    assert response.status_code == 401
    return [row.remote for row in audit_rows(clinic.service, action="login")]


@pytest.mark.control("H-27-C4")
def test_a_forged_forwarded_for_is_not_believed(start_clinic: Callable[..., Clinic]) -> None:
    """By default no proxy is trusted, not even one on 127.0.0.1 (uvicorn's default):
    a client reaching the service through the TLS pass-through proxy, which
    connects from 127.0.0.1, cannot write another address into the audit log."""
    clinic = start_clinic()
    assert refused_sign_in(clinic, "203.0.113.9") == ["127.0.0.1"]


@pytest.mark.control("H-27-C4")
def test_a_configured_proxy_is_believed_and_no_one_else(
    start_clinic: Callable[..., Clinic],
) -> None:
    trusted = start_clinic(ServerOptions(trusted_proxies=("127.0.0.1/32",)))
    assert refused_sign_in(trusted, "203.0.113.9") == ["203.0.113.9"]
    elsewhere = start_clinic(ServerOptions(trusted_proxies=("192.0.2.7",)))
    assert refused_sign_in(elsewhere, "203.0.113.9") == ["127.0.0.1"]


def over_proxy_protocol(clinic: Clinic, port: int, header: bytes) -> bytes:
    """What nginx with ``proxy_protocol on;`` does: a header, then the client's TLS
    bytes untouched; here carrying a sign-in with a wrong password."""
    body = json.dumps({"username": "admin", "password": "not the password"}).encode()
    request = (
        b"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    context = ssl.create_default_context(cafile=str(clinic.folder / CERT_FILE))
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            raw.sendall(header)
            tls = Tls(raw, context)
            tls.send(request)
            while chunk := tls.receive():
                answer += chunk
        except (OSError, EOFError):  # ssl.SSLError and ConnectionError too: cut off
            pass
    return answer


class Tls:
    """TLS over a socket that has already carried something in clear (memory BIOs,
    so a connection the service cuts off leaves no half-made SSL socket behind)."""

    def __init__(self, raw: socket.socket, context: ssl.SSLContext) -> None:
        self.raw, self.incoming, self.outgoing = raw, ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname="127.0.0.1")
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.flush()
                self.fill()
        self.flush()

    def flush(self) -> None:
        if data := self.outgoing.read():
            self.raw.sendall(data)

    def fill(self) -> None:
        data = self.raw.recv(65536)
        if not data:
            raise EOFError
        self.incoming.write(data)

    def send(self, data: bytes) -> None:
        self.tls.write(data)
        self.flush()

    def receive(self) -> bytes:
        while True:
            try:
                return self.tls.read(65536)
            except ssl.SSLWantReadError:
                try:
                    self.fill()
                except EOFError:
                    return b""
            except ssl.SSLZeroReturnError:
                return b""


V1 = b"PROXY TCP4 203.0.113.9 127.0.0.1 56324 443\r\n"
V2 = (
    b"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c"
    + socket.inet_aton("198.51.100.4")
    + socket.inet_aton("127.0.0.1")
    + (40000).to_bytes(2, "big")
    + (443).to_bytes(2, "big")
)


def test_the_proxy_protocol_port_records_the_address_the_proxy_names(
    start_clinic: Callable[..., Clinic],
) -> None:
    """Behind nginx's TLS pass-through with ``proxy_protocol on;`` the audit log
    records the tablet's or console's own address, from a v1 or a v2 header."""
    port = free_port()
    clinic = start_clinic(ServerOptions(proxy_protocol_port=port))
    assert over_proxy_protocol(clinic, port, V1).startswith(b"HTTP/1.1 401")
    assert over_proxy_protocol(clinic, port, V2).startswith(b"HTTP/1.1 401")
    assert [row.remote for row in audit_rows(clinic.service, action="login")] == [
        "203.0.113.9",
        "198.51.100.4",
    ]
    # The ordinary HTTPS port is unchanged, and takes no PROXY header.
    assert refused_sign_in(clinic, "192.0.2.1")[-1] == "127.0.0.1"
    assert over_proxy_protocol(clinic, int(clinic.running.url.rsplit(":", 1)[1]), V1) == b""


@pytest.mark.control("H-27-C4")
def test_the_proxy_protocol_port_takes_headers_only_from_its_proxy(
    start_clinic: Callable[..., Clinic],
) -> None:
    """Anyone else reaching that port could claim any address: they are cut off
    before TLS, as is a connection that does not start with a valid header."""
    port = free_port()
    elsewhere = start_clinic(
        ServerOptions(proxy_protocol_port=port, proxy_protocol_from=("192.0.2.7",))
    )
    assert over_proxy_protocol(elsewhere, port, V1) == b""
    other_port = free_port()
    clinic = start_clinic(ServerOptions(proxy_protocol_port=other_port))
    for bad in (
        b"",  # TLS straight away
        b"GET / HTTP/1.1\r\n",
        b"PROXY TCP4 not-an-address 127.0.0.1 1 443\r\n",
        b"PROXY TCP4 " + b"1" * 200 + b"\r\n",  # longer than any v1 line
        V2[:14] + b"\xff\xff" + b"\x00" * 64,  # announces 64 KiB of header
    ):
        assert over_proxy_protocol(clinic, other_port, bad) == b""
    assert audit_rows(elsewhere.service, action="login") == []
    assert audit_rows(clinic.service, action="login") == []


# ------------------------------------------------------------------ API pages


@pytest.mark.control("H-27-C8")
@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_the_api_pages_are_off_unless_turned_on(
    start_clinic: Callable[..., Clinic], path: str
) -> None:
    off = start_clinic()
    with off.client() as http:
        assert http.get(path).status_code == 404
    on = start_clinic(ServerOptions(api_docs=True))
    with on.client() as http:
        assert http.get(path).status_code == 200


# ------------------------------------------------------------------ file names


@pytest.mark.control("H-27-C7")
def test_a_report_name_cannot_carry_a_second_file_name(
    start_clinic: Callable[..., Clinic],
) -> None:
    clinic = start_clinic()
    month = dt.date.today().isoformat()[:7]
    with clinic.client() as http:
        admin = clinic.admin(http)
        report = "/api/v1/admin/reports/board.csv"
        for project in ('x"; filename="evil.exe', "proj\r\nSet-Cookie: a=b", "wëlsh-ħ"):
            response = http.get(
                report, params={"first": month, "last": month, "project": project}, headers=admin
            )
            assert response.status_code == 422, (project, response.status_code)
            assert response.json()["error"] == "bad_value"
        good = http.get(
            report, params={"first": month, "last": month, "project": "Trial-2"}, headers=admin
        )
        assert good.status_code == 200
        assert good.headers["content-disposition"] == (
            f'attachment; filename="Trial-2-report-{month}-{month}.csv"'
        )
        export = http.get(
            "/api/v1/admin/exports/anonymised.csv",
            params={"project": 'a"b', "purpose": "a research project"},
            headers=admin,
        )
        assert export.status_code == 422


def test_a_non_ascii_file_name_gets_rfc_6266_filename_star() -> None:
    from kiosk.clinic.app import attachment

    header = attachment('Café "α"; filename=x.csv')["Content-Disposition"]
    assert header == (
        'attachment; filename="Caf_______filename_x.csv"; '
        "filename*=UTF-8''Caf%C3%A9%20%22%CE%B1%22%3B%20filename%3Dx.csv"
    )
    header.encode("latin-1")  # what an HTTP header must be
    assert attachment("plain-1.csv") == {
        "Content-Disposition": 'attachment; filename="plain-1.csv"'
    }


# ------------------------------------------------------------------ envelopes


def one_submission(tmp_path: Path, clinic_key: str) -> tuple[str, bytes]:
    store = TabletStore.open(tmp_path / "tablet", ClinicPublicKey.from_text(clinic_key))
    try:
        journey = Journey(store, FormLibrary.load(FORMS), "cardiology", {})
        journey.answer("social_welfare", "ends_meet", "yes")
        journey.submit()
        [item] = store.pending()
        return item.submission_id, item.envelope
    finally:
        store.close()


@pytest.mark.control("H-23-C3")
def test_a_changed_header_beside_a_broken_record_is_held_not_stored(
    start_clinic: Callable[..., Clinic], tmp_path: Path
) -> None:
    """A compromised tablet breaks one answer record so that the clinic opens the
    envelope leniently, and changes the clear pathway, hoping it is taken on trust."""
    clinic = start_clinic()
    identity = enrolled_tablet(clinic.service)
    sid, envelope = one_submission(tmp_path, clinic.service.keyring.public_texts()[0])
    document: dict[str, Any] = json.loads(envelope)
    answer = next(r for r in document["records"] if not r["name"].startswith("_"))
    sealed = bytearray(base64.b64decode(answer["sealed"]))
    sealed[20] ^= 0x01
    answer["sealed"] = base64.b64encode(bytes(sealed)).decode()
    document["pathway"] = "oncology"
    forged = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    body = json.dumps(
        {"submissions": [{"id": sid, "envelope": base64.b64encode(forged).decode()}]}
    ).encode()
    path = "/api/v1/submissions"
    with clinic.client() as http:
        response = http.post(
            path, content=body, headers=signed_headers(identity, "POST", path, body)
        )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == 422
    with clinic.service.transaction() as db:
        assert db.get(Submission, sid) is None
        held = db.scalars(select(HeldSubmission)).all()
    assert [(h.submission_id, h.envelope) for h in held] == [(sid, forged)]
    assert "header" in held[0].reason


def test_the_server_settings_are_read_and_checked(tmp_path: Path) -> None:
    from kiosk.clinic.config import ClinicConfig
    from kiosk.site.tomlfile import SettingsError

    path = tmp_path / "clinic.toml"
    path.write_text(
        '[clinic]\nfolder = "clinic"\n[server]\ntrusted_proxies = ["10.1.2.0/24"]\n'
        'api_docs = true\nproxy_protocol_port = 8444\nproxy_protocol_from = ["10.1.2.3"]\n',
        encoding="utf-8",
    )
    assert ClinicConfig.load(path).server_options == ServerOptions(
        ("10.1.2.0/24",), True, 8444, ("10.1.2.3/32",)
    )
    path.write_text('[clinic]\nfolder = "clinic"\n', encoding="utf-8")
    assert ClinicConfig.load(path).server_options == ServerOptions()
    for bad, says in (
        ('trusted_proxies = ["*"]', "is not an IP address or network"),
        ('trusted_proxies = "10.1.2.3"', "must be a list of addresses"),
        ('proxy_protocol_from = ["proxy.example"]', "is not an IP address or network"),
        ("proxy_protocol_port = 0", "whole number from 1 to 65535"),
        ('api_docs = "yes"', "true or false"),
    ):
        path.write_text(f'[clinic]\nfolder = "clinic"\n[server]\n{bad}\n', encoding="utf-8")
        with pytest.raises(SettingsError, match=says):
            ClinicConfig.load(path)
