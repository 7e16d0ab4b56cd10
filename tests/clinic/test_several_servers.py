"""Several clinic servers behind one load balancer, against one PostgreSQL database,
set up as docs/deployment.md ("More than one server") says: the first server's clinic
folder made with ``kiosk clinic init``, copied with its passphrase file to the second,
each with its own ``clinic.toml`` and PROXY protocol port, and a pass-through TCP
balancer in front (round robin, a PROXY v1 line naming the client, TLS untouched, a
server that refuses the connection passed over for the next, as nginx ``stream``
does). Whichever server a connection reaches: a tablet enrolled through one syncs
through the balancer and each submission is stored once; a staff sign-in made on one
is good on the other; a nonce let in by one is refused by the other; failed sign-ins
count toward the same lock-outs; and a server killed outright in the middle of a
tablet's sync loses nothing, the tablet finishing through the other.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from kiosk.clinic.models import AuditEntry, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import open_service
from kiosk.clinic.sign_in_limits import MAX_FAILURES, SOURCE_FAILURES
from kiosk.clinic.tls import CERT_FILE
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.wire import SUBMISSIONS_PATH
from kiosk.sync.worker import Syncer
from kiosk.vocabulary import AUTH_SIGN_OUT, AUTH_TOKEN, MAX_BATCH
from tests.clinic.fresh_database import fresh_postgres_database
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
PASSWORD = "a long enough staff password"


# ---------------------------------------------------------------- the balancer


@dataclass
class Forwarded:
    """One client connection the balancer passed on: to which server, from where, and
    how many of the client's bytes it has sent that server so far."""

    server: int
    client: str
    sent: int = 0


@dataclass
class Balancer:
    """A pass-through TCP load balancer, as nginx ``stream`` with ``proxy_protocol on;``
    runs one: each new connection to the next server in turn (on its PROXY protocol
    port), a PROXY v1 line naming the client first, then the bytes both ways untouched
    (it decrypts nothing); a server that refuses the connection is passed over for the
    next one (nginx's ``proxy_next_upstream``)."""

    ports: list[int]
    connections: list[Forwarded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"https://127.0.0.1:{self.port}"
        self._turn = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        address, port = client.getpeername()[:2]
        upstream = None
        for _ in self.ports:
            with self._lock:
                server, self._turn = self._turn % len(self.ports), self._turn + 1
            try:
                upstream = socket.create_connection(("127.0.0.1", self.ports[server]), timeout=5)
                break
            except OSError:
                continue
        if upstream is None:
            client.close()
            return
        upstream.settimeout(None)
        record = Forwarded(server, address)
        with self._lock:
            self.connections.append(record)
        upstream.sendall(f"PROXY TCP4 {address} 127.0.0.1 {port} {self.port}\r\n".encode())

        def pump(source: socket.socket, sink: socket.socket, counted: bool) -> None:
            try:
                while chunk := source.recv(65536):
                    sink.sendall(chunk)
                    if counted:
                        record.sent += len(chunk)
                sink.shutdown(socket.SHUT_WR)
            except OSError:  # one side went away: so does the other
                for side in (source, sink):
                    side.close()

        back = threading.Thread(target=pump, args=(upstream, client, False), daemon=True)
        back.start()
        pump(client, upstream, True)
        back.join()
        client.close()
        upstream.close()

    def since(self, start: int) -> list[Forwarded]:
        with self._lock:
            return self.connections[start:]


# ---------------------------------------------------------------- two servers


@dataclass
class Trust:
    service: ClinicService  # in this process, to look in the shared database
    certificate: Path
    servers: list[Served]
    balancer: Balancer

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))


@pytest.fixture(scope="module")
def database(postgres_server: Engine) -> Iterator[str]:
    """One fresh PostgreSQL database for the module's servers, dropped after."""
    with fresh_postgres_database(postgres_server) as url:
        yield url


def settings(database: str, port: int, proxy_port: int) -> str:
    """A server's clinic.toml: the same on every server but for its ports (here all
    servers share 127.0.0.1, where a trust's each have their own [server] host)."""
    return (
        f'[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n'
        f"database = {json.dumps(database)}\n"
        f'[server]\nhost = "127.0.0.1"\nport = {port}\nproxy_protocol_port = {proxy_port}\n'
        f"[backups]\nbefore_upgrade = false\n"
    )


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[Trust]:
    first, second = (tmp_path_factory.mktemp(name) for name in ("server-a", "server-b"))
    proxy_ports = [free_port(), free_port()]
    (first / "passphrase").write_bytes(PASSPHRASE + b"\n")
    (first / "clinic.toml").write_text(settings(database, free_port(), proxy_ports[0]))
    made = subprocess.run(
        [*KIOSK, "clinic", "init", "--config", str(first / "clinic.toml"),
         "--host", "127.0.0.1"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "KIOSK_CLINIC_CONFIG": ""},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # The second server: the clinic folder and the passphrase file copied exactly as
    # they are (modes kept), its own settings file.
    shutil.copytree(first / "clinic", second / "clinic", copy_function=shutil.copy2)
    shutil.copy2(first / "passphrase", second / "passphrase")
    (second / "clinic.toml").write_text(settings(database, free_port(), proxy_ports[1]))
    certificate = first / "clinic" / CERT_FILE
    assert (second / "clinic" / CERT_FILE).read_bytes() == certificate.read_bytes()
    with ExitStack() as stack:
        # One at a time: the first upgrades the new database as it starts.
        servers = [
            stack.enter_context(serve(folder / "clinic.toml", certificate))
            for folder in (first, second)
        ]
        service = open_service(first / "clinic", PASSPHRASE, database, [FORMS])
        stack.callback(service.engine.dispose)
        balancer = Balancer(proxy_ports)
        stack.callback(balancer.close)
        yield Trust(service, certificate, servers, balancer)


def enrolled_tablet(trust: Trust, data_dir: Path, url: str) -> Any:
    enrol(url, trust.service.issue_code("user:test"), data_dir, "Tablet 1")
    return FileKeyStore(data_dir).load()


def stored(service: ClinicService) -> list[tuple[str, str]]:
    with service.transaction() as db:
        return sorted(
            (sid, digest)
            for sid, digest in db.execute(select(Submission.id, Submission.envelope_hash))
        )


# ---------------------------------------------------------------- the tests


@pytest.mark.control("H-09-C1")
def test_a_tablet_syncs_through_the_balancer_to_both_servers_and_each_submission_is_stored_once(
    trust: Trust, tmp_path: Path
) -> None:
    balancer = trust.balancer
    data_dir = tmp_path / "tablet"
    identity = enrolled_tablet(trust, data_dir, balancer.url)
    start = len(balancer.connections)
    store = TabletStore.open(data_dir)
    sent: list[tuple[str, bytes]] = []
    made: dict[str, str] = {}
    try:
        rng = random.Random(3)
        for _ in range(4):  # four syncs, each on a connection of its own
            make_submissions(store, 3, rng)
            pending = store.pending()
            sent += [(item.submission_id, item.envelope) for item in pending]
            made |= {item.submission_id: item.envelope_hash for item in pending}
            syncer = Syncer(store, enrolled_client(data_dir, identity), data_dir)
            report = syncer.sync_once()
            syncer.close()
            assert report.ok and report.acknowledged == 3, report
            assert store.pending() == []
    finally:
        store.close()
    syncs = balancer.since(start)
    assert len(syncs) == 4 and {c.server for c in syncs} == {0, 1}, syncs
    # Everything sent again, to each server: each already holds what the other stored.
    pem = trust.certificate.read_text(encoding="ascii")
    for _ in (0, 1):
        client = ClinicClient(balancer.url, identity, certificate=pem)
        try:
            again = client.upload(sent)
        finally:
            client.close()
        assert [(r.id, r.status) for r in again] == [(sid, 200) for sid, _ in sent]
        assert all(r.receipt for r in again)
    assert {c.server for c in balancer.since(start)[-2:]} == {0, 1}
    assert stored(trust.service) == sorted(made.items())


def test_a_staff_sign_in_made_on_one_server_is_good_on_the_other(trust: Trust) -> None:
    trust.service.staff.add("clinician1", "clinician", PASSWORD, "test")
    one, other = (served.url for served in trust.servers)
    with httpx.Client(verify=trust.tls(), timeout=30) as http:
        signed_in = http.post(
            f"{one}{API}{AUTH_TOKEN}", json={"username": "clinician1", "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        bearer = {"Authorization": f"Bearer {signed_in.json()['token']}"}
        assert http.get(f"{other}{API}/queue", headers=bearer).status_code == 200
        assert http.post(f"{other}{API}{AUTH_SIGN_OUT}", headers=bearer).status_code == 204
        after = http.get(f"{one}{API}/queue", headers=bearer)
    assert after.status_code == 401  # signed out on the other: out on both


@pytest.mark.control("H-09-C2")
def test_a_nonce_let_in_by_one_server_is_refused_by_the_other(trust: Trust, tmp_path: Path) -> None:
    one, other = (served.url for served in trust.servers)
    identity = enrolled_tablet(trust, tmp_path / "tablet", one)
    headers = signed_headers(identity, "GET", CONFIG_PATH)
    with httpx.Client(verify=trust.tls(), timeout=30) as http:
        assert http.get(f"{one}{CONFIG_PATH}", headers=headers).status_code == 200
        again = http.get(f"{other}{CONFIG_PATH}", headers=headers)
    assert (again.status_code, again.json()["error"]) == (401, "replayed")
    # Through the balancer: two connections, one to each server.
    start = len(trust.balancer.connections)
    headers = signed_headers(identity, "GET", CONFIG_PATH)
    answers = []
    for _ in (0, 1):
        with httpx.Client(verify=trust.tls(), timeout=30) as http:
            answers.append(http.get(f"{trust.balancer.url}{CONFIG_PATH}", headers=headers))
    assert {c.server for c in trust.balancer.since(start)} == {0, 1}
    assert [a.status_code for a in answers] == [200, 401]
    assert answers[1].json()["error"] == "replayed"


@pytest.mark.control("H-27-C3", "H-27-C4")
def test_failed_sign_ins_through_the_balancer_count_on_both_servers(trust: Trust) -> None:
    """Each try on a connection of its own, so they alternate between the servers; the
    servers know the client by the balancer's PROXY line, so its address is limited and
    audited, not the balancer's."""
    balancer, start = trust.balancer, len(trust.balancer.connections)

    def sign_in(address: str, username: str) -> httpx.Response:
        with client_from(balancer.url, trust.certificate, address) as http:
            return http.post(f"{API}{AUTH_TOKEN}", json={"username": username, "password": "x"})

    guesser = next_address()
    tries = [sign_in(guesser, "nobody") for _ in range(MAX_FAILURES + 2)]
    assert [t.status_code for t in tries] == [401] * MAX_FAILURES + [429, 429]
    assert {t.json()["error"] for t in tries[MAX_FAILURES:]} == {"locked"}
    spreader = next_address()
    for n in range(SOURCE_FAILURES):
        answer = sign_in(spreader, f"name{n}")
        assert answer.status_code == 401, (n, answer.text)
    for _ in (0, 1):
        answer = sign_in(spreader, "name99")
        assert (answer.status_code, answer.json()["error"]) == (429, "slow_down")
    connections = balancer.since(start)
    assert {c.server for c in connections} == {0, 1}
    assert {c.client for c in connections} == {guesser, spreader}
    with trust.service.transaction() as db:
        remotes = set(db.scalars(select(AuditEntry.remote).where(AuditEntry.action == "login")))
    assert {guesser, spreader} <= remotes  # named by the balancer, not the balancer's own


def test_a_request_sent_with_the_end_of_the_tls_handshake_is_answered(trust: Trust) -> None:
    """A balancer may pass the client's last handshake bytes and its first request on
    in one piece; the server behind it answers that request (it used to fail it with an
    error of its own before it had started HTTP on the connection)."""
    port = trust.balancer.ports[0]
    request = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = trust.tls().wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"PROXY TCP4 203.0.113.7 127.0.0.1 50000 443\r\n")
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                raw.sendall(outgoing.read())
                incoming.write(raw.recv(65536))
        tls.write(request)
        raw.sendall(outgoing.read())  # the handshake's end and the request, at once
        answer = b""
        while b"\r\n\r\n" not in answer:  # the status line and headers
            try:
                answer += tls.read(65536)
            except ssl.SSLWantReadError:
                incoming.write(raw.recv(65536))
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]


@pytest.mark.control("H-09-C1")
def test_a_server_killed_in_the_middle_of_a_sync_loses_nothing(
    trust: Trust, tmp_path: Path
) -> None:
    """SIGKILL to the server taking a tablet's second batch while its body is on the
    way; the tablet's next pass reaches the other server (the balancer passes over the
    dead one) and finishes: every submission stored once, byte for byte, none left."""
    balancer = trust.balancer
    data_dir = tmp_path / "tablet"
    identity = enrolled_tablet(trust, data_dir, balancer.url)
    store = TabletStore.open(data_dir)
    killed: list[tuple[int, int]] = []  # the server, the connections made before

    class KillDuringTheSecondBatch(httpx.BaseTransport):
        def __init__(self) -> None:
            self.real = httpx.HTTPTransport(verify=trust.tls())
            self.uploads = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith(SUBMISSIONS_PATH):
                self.uploads += 1
                if self.uploads == 2:
                    connection = balancer.connections[-1]  # the tablet's, the newest
                    threading.Thread(target=kill_when_sent, args=(connection,)).start()
            return self.real.handle_request(request)

        def close(self) -> None:
            self.real.close()

    def kill_when_sent(connection: Forwarded) -> None:
        """Once part of the batch (but not the whole) has reached the server."""
        start, deadline = connection.sent, time.monotonic() + 30
        while connection.sent < start + 16 * 1024 and time.monotonic() < deadline:
            time.sleep(0.001)
        killed.append((connection.server, len(balancer.connections)))
        victim = trust.servers[connection.server].popen
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)

    try:
        make_submissions(store, MAX_BATCH + 10, random.Random(5))
        made = {item.submission_id: item.envelope_hash for item in store.pending(limit=1000)}
        assert len(made) == MAX_BATCH + 10
        syncer = Syncer(
            store, enrolled_client(data_dir, identity, transport=KillDuringTheSecondBatch()),
            data_dir,
        )  # fmt: skip
        reports = []
        while store.pending() and len(reports) < 5:
            reports.append(syncer.sync_once())
        syncer.close()
        assert store.pending() == []
    finally:
        store.close()
    [(victim, until)] = killed
    assert trust.servers[victim].popen.returncode == -signal.SIGKILL
    assert not reports[0].ok, reports[0]  # the pass the kill interrupted
    assert reports[0].acknowledged == MAX_BATCH  # the first batch, before the kill
    assert reports[-1].ok
    assert sum(r.acknowledged for r in reports) == len(made)
    ours = dict(stored(trust.service))
    assert {sid: ours.get(sid) for sid in made} == made
    later = balancer.since(until)
    assert later and {c.server for c in later} == {1 - victim}
