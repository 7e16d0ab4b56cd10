"""Several service processes on one PostgreSQL database: ``kiosk clinic serve
--workers 2`` beside a second ``kiosk clinic serve``, as a trust runs them, over real
HTTPS. Whichever process a request reaches, the answer is the same: each
submission is stored once, a nonce is let in once, failed sign-ins count toward
the same lock-outs, anonymous refusals are coalesced once; and a service process
killed outright is replaced while the others keep answering.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import init_clinic, open_service
from kiosk.clinic.sign_in_limits import MAX_FAILURES, SOURCE_FAILURES
from kiosk.clinic.tls import CERT_FILE
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.enrol import enrol
from tests.clinic.serve_processes import (
    API,
    FORMS,
    KIOSK,
    PASSPHRASE,
    Served,
    free_port,
    make_submissions,
    serve,
)
from tests.clinic.signing import client_from, next_address, signed_headers

pytestmark = [pytest.mark.clinic, pytest.mark.security, pytest.mark.slow]
CONFIG_PATH = f"{API}/tablet/config"


@dataclass
class Clinic:
    service: ClinicService  # in this process, to look in the database
    folder: Path
    config: Path

    @property
    def certificate(self) -> Path:
        return self.folder / CERT_FILE

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))


@pytest.fixture
def clinic(tmp_path: Path, postgres_url: str) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, postgres_url, [FORMS])
    (tmp_path / "passphrase").write_bytes(PASSPHRASE + b"\n")
    config = tmp_path / "clinic.toml"
    config.write_text(
        f'[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n'
        f"database = {json.dumps(postgres_url)}\n[backups]\nbefore_upgrade = false\n",
        encoding="utf-8",
    )
    try:
        yield Clinic(service, folder, config)
    finally:
        service.engine.dispose()


@contextmanager
def serving(clinic: Clinic, workers: int, server: str = "") -> Iterator[Served]:
    """``kiosk clinic serve --workers N`` in a process of its own, until SIGTERM;
    ``server``: lines for the settings file's [server] section."""
    port = free_port()
    config = clinic.config.with_name(f"clinic-{port}.toml")
    config.write_text(f"{clinic.config.read_text()}[server]\n{server}", encoding="utf-8")
    with serve(config, clinic.certificate, port=port, workers=workers) as served:
        yield served


def two_services(clinic: Clinic) -> Any:
    """One parent with two service processes, and a second parent with one."""
    return serving(clinic, 2), serving(clinic, 1)


def stored_ids(service: ClinicService) -> list[str]:
    with service.transaction() as db:
        return list(db.scalars(select(Submission.id)))


@pytest.mark.control("H-09-C1")
def test_the_same_batches_sent_to_two_services_at_once_are_stored_once(
    clinic: Clinic, tmp_path: Path
) -> None:
    first, second = two_services(clinic)
    with first as one, second as other:
        data_dir = tmp_path / "tablet"
        enrol(one.url, clinic.service.issue_code("user:test"), data_dir, "Tablet 1")
        identity = FileKeyStore(data_dir).load()
        store = TabletStore.open(data_dir)
        try:
            make_submissions(store, 9)
            pending = [(item.submission_id, item.envelope) for item in store.pending()]
        finally:
            store.close()
        pem = clinic.certificate.read_text(encoding="ascii")
        clients = [ClinicClient(url, identity, certificate=pem) for url in (one.url, other.url)]
        answers: dict[int, list[Any]] = {0: [], 1: []}
        for start in range(0, len(pending), 3):
            batch = pending[start : start + 3]
            barrier = threading.Barrier(2)

            def send(n: int, batch: list[tuple[str, bytes]] = batch, barrier: Any = barrier):
                barrier.wait()
                answers[n].extend(clients[n].upload(batch))

            threads = [threading.Thread(target=send, args=(n,)) for n in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        for client in clients:
            client.close()
    ids = [sid for sid, _envelope in pending]
    for n in (0, 1):  # a receipt for every submission, from both services
        assert [result.id for result in answers[n]] == ids
        assert all(result.receipt for result in answers[n]), answers[n]
    statuses = {
        sid: sorted(r.status for n in (0, 1) for r in answers[n] if r.id == sid) for sid in ids
    }
    assert set(map(tuple, statuses.values())) == {(200, 201)}, statuses  # stored by one
    assert sorted(stored_ids(clinic.service)) == sorted(ids)


@pytest.mark.control("H-09-C2")
def test_a_nonce_let_in_by_one_service_is_refused_by_the_other(
    clinic: Clinic, tmp_path: Path
) -> None:
    first, second = two_services(clinic)
    with first as one, second as other:
        data_dir = tmp_path / "tablet"
        enrol(one.url, clinic.service.issue_code("user:test"), data_dir, "Tablet 1")
        identity = FileKeyStore(data_dir).load()
        headers = signed_headers(identity, "GET", CONFIG_PATH)
        with httpx.Client(verify=clinic.tls(), timeout=30) as http:
            assert http.get(f"{one.url}{CONFIG_PATH}", headers=headers).status_code == 200
            again = http.get(f"{other.url}{CONFIG_PATH}", headers=headers)
    assert (again.status_code, again.json()["error"]) == (401, "replayed")


@pytest.mark.control("H-27-C3")
def test_failed_sign_ins_on_one_service_count_on_the_other(clinic: Clinic) -> None:
    """An unknown username locks after ``MAX_FAILURES`` tries however they are spread;
    one address is slowed down after ``SOURCE_FAILURES`` failures however spread. With
    counts kept in each process's memory neither would happen here."""
    first, second = two_services(clinic)
    with first as one, second as other:
        urls = [one.url, other.url]
        with client_from(one.url, clinic.certificate, next_address()) as http:
            tries = [
                http.post(
                    f"{urls[n % 2]}{API}/auth/token",
                    json={"username": "nobody", "password": f"guess {n}"},
                )
                for n in range(MAX_FAILURES + 2)
            ]
        assert [t.status_code for t in tries] == [401] * MAX_FAILURES + [429, 429]
        assert {t.json()["error"] for t in tries[MAX_FAILURES:]} == {"locked"}
        with client_from(one.url, clinic.certificate, next_address()) as http:
            for n in range(SOURCE_FAILURES):
                answer = http.post(
                    f"{urls[n % 2]}{API}/auth/token",
                    json={"username": f"name{n}", "password": "a guess"},
                )
                assert answer.status_code == 401, (n, answer.text)
            for url in urls:
                answer = http.post(
                    f"{url}{API}/auth/token", json={"username": "name99", "password": "x"}
                )
                assert (answer.status_code, answer.json()["error"]) == (429, "slow_down")


@pytest.mark.control("H-27-C5")
def test_an_anonymous_flood_over_two_services_is_audited_once(clinic: Clinic) -> None:
    first, second = two_services(clinic)
    address = next_address()
    with first as one, second as other, client_from(one.url, clinic.certificate, address) as http:
        for n in range(40):
            url = (one.url, other.url)[n % 2]
            assert http.get(f"{url}{API}/queue").status_code == 401
    with clinic.service.transaction() as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.remote == address)))
    assert [(r.actor, r.action, r.outcome) for r in rows] == [
        ("anonymous", f"{API}/queue", "no_token")
    ]


def test_a_killed_service_process_is_replaced_and_the_others_keep_answering(
    clinic: Clinic,
) -> None:
    with serving(clinic, 2) as served:
        before = served.children()
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        for _ in range(20):  # a new connection each time: any process may take it
            assert httpx.get(f"{served.url}{API}/health", verify=clinic.tls()).is_success
        deadline = time.monotonic() + 60
        while len(served.children() - {victim}) < 2:
            assert time.monotonic() < deadline, served.children()
            time.sleep(0.2)
        for _ in range(10):
            assert httpx.get(f"{served.url}{API}/health", verify=clinic.tls()).is_success


def signed_in_over_proxy_protocol(port: int, certificate: Path, client: str) -> bytes:
    """What nginx with ``proxy_protocol on;`` sends: a header naming ``client``, then
    the client's TLS untouched; here carrying a sign-in at an unknown username."""
    body = json.dumps({"username": f"nobody{client.replace('.', '')}", "password": "x"}).encode()
    request = (
        b"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    context = ssl.create_default_context(cafile=str(certificate))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        raw.sendall(f"PROXY TCP4 {client} 127.0.0.1 56324 443\r\n".encode())
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(request)
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    return answer


@pytest.mark.control("H-27-C4")
def test_the_proxy_protocol_port_is_served_by_every_process(clinic: Clinic) -> None:
    """Behind nginx's TLS pass-through the audit log still records each client's own
    address, whichever of the service processes takes the connection."""
    port = free_port()
    clients = [f"203.0.113.{n}" for n in range(1, 9)]
    with serving(clinic, 2, f"proxy_protocol_port = {port}\n"):
        for client in clients:
            answer = signed_in_over_proxy_protocol(port, clinic.certificate, client)
            assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    with clinic.service.transaction() as db:
        remotes = list(db.scalars(select(AuditEntry.remote).where(AuditEntry.action == "login")))
    assert remotes == clients


def test_more_than_one_process_on_sqlite_is_refused(tmp_path: Path) -> None:
    (tmp_path / "passphrase").write_bytes(PASSPHRASE)
    config = tmp_path / "clinic.toml"
    config.write_text(
        '[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n[server]\nworkers = 3\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [*KIOSK, "clinic", "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIOSK_CLINIC_CONFIG": ""},
        check=False,
    )
    assert done.returncode == 2
    assert "3 service processes need PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
    checked = subprocess.run(
        [*KIOSK, "clinic", "check-config", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIOSK_CLINIC_CONFIG": ""},
        check=False,
    )
    assert checked.returncode == 2
    assert "[server] workers: 3 service processes need PostgreSQL" in checked.stderr
