"""TLS pinning against a real HTTPS server on 127.0.0.1: the tablet talks only to
the certificate it pinned, for the address it was given, and refuses before
sending anything otherwise."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
from pathlib import Path
from types import TracebackType

import httpx
import pytest

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import DeviceIdentity, FileKeyStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.errors import CertificateMismatchError, ClinicUnreachableError

from .fake_clinic import Certificate, FakeClinic

pytestmark = pytest.mark.clinic


class ClinicServer:
    """``clinic`` served over HTTPS on 127.0.0.1 with ``certificate``."""

    def __init__(self, clinic: FakeClinic, certificate: Certificate, folder: Path) -> None:
        cert_file, key_file = certificate.write(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        self.server = http.server.HTTPServer(("127.0.0.1", 0), _handler(clinic))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> ClinicServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)


def _handler(clinic: FakeClinic) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = 10  # a connection that never sends a request cannot hang the test

        def _serve(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = httpx.Request(
                self.command,
                f"https://{self.headers['Host']}{self.path}",
                headers=list(self.headers.items()),
                content=body,
            )
            response = clinic.handle(request)
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in {"content-length", "transfer-encoding", "connection"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def test_the_pinned_clinic_is_reached(
    fake: FakeClinic, certificate: Certificate, identity: DeviceIdentity, tmp_path: Path
) -> None:
    with (
        ClinicServer(fake, certificate, tmp_path / "server") as server,
        ClinicClient(server.url, identity, certificate=certificate.pem) as client,
    ):
        assert client.config() is not None
    assert fake.statuses() == [200]


@pytest.mark.control("H-23-C1")
def test_another_certificate_is_refused_before_anything_is_sent(
    fake: FakeClinic, certificate: Certificate, identity: DeviceIdentity, tmp_path: Path
) -> None:
    impostor = Certificate(["127.0.0.1"])
    with (
        ClinicServer(fake, impostor, tmp_path / "server") as server,
        ClinicClient(server.url, identity, certificate=certificate.pem) as client,
        pytest.raises(CertificateMismatchError, match="Nothing was sent"),
    ):
        client.config()
    assert fake.requests == []


@pytest.mark.control("H-23-C1")
def test_a_certificate_issued_under_the_pinned_one_is_still_not_it(
    fake: FakeClinic, identity: DeviceIdentity, tmp_path: Path
) -> None:
    """The handshake alone would accept it (the pinned certificate can sign);
    the fingerprint check after the handshake does not."""
    pinned = Certificate(["127.0.0.1"], ca=True, common_name="Clinic CA")
    issued = Certificate(["127.0.0.1"], ca=False, issuer=pinned)
    with (
        ClinicServer(fake, issued, tmp_path / "server") as server,
        ClinicClient(server.url, identity, certificate=pinned.pem) as client,
        pytest.raises(CertificateMismatchError, match="not the certificate pinned"),
    ):
        client.config()
    assert fake.requests == []


@pytest.mark.control("H-23-C1")
def test_the_pinned_certificate_must_name_the_address_used(
    fake: FakeClinic, identity: DeviceIdentity, tmp_path: Path
) -> None:
    elsewhere = Certificate(["clinic.example"])
    with (
        ClinicServer(fake, elsewhere, tmp_path / "server") as server,
        ClinicClient(server.url, identity, certificate=elsewhere.pem) as client,
        pytest.raises(CertificateMismatchError, match=r"not valid for '127\.0\.0\.1'"),
    ):
        client.config()
    assert fake.requests == []


def test_nobody_listening_is_unreachable(
    certificate: Certificate, identity: DeviceIdentity
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        ClinicClient(f"https://127.0.0.1:{port}", identity, certificate=certificate.pem) as client,
        pytest.raises(ClinicUnreachableError, match=r"127\.0\.0\.1"),
    ):
        client.config()


def test_enrolment_pins_the_certificate_the_clinic_shows(
    clinic_keys: ClinicKeyPair, certificate: Certificate, data_dir: Path, tmp_path: Path
) -> None:
    clinic = FakeClinic(clinic_keys, certificate.fingerprint)
    with ClinicServer(clinic, certificate, tmp_path / "server") as server:
        enrolment = enrol(server.url, clinic.issue_code(), data_dir, "Tablet 3")
        assert enrolment.certificate_fingerprint == certificate.fingerprint

        identity = FileKeyStore(data_dir).load()
        with enrolled_client(data_dir, identity) as client:
            client.config()
    assert clinic.statuses() == [201, 200]


@pytest.mark.control("H-23-C2")
def test_enrolment_through_an_interceptor_is_refused(
    clinic_keys: ClinicKeyPair, certificate: Certificate, data_dir: Path, tmp_path: Path
) -> None:
    """Something in between shows its own certificate: the clinic (which checks
    the proof against its real certificate) refuses, and nothing is kept."""
    clinic = FakeClinic(clinic_keys, certificate.fingerprint)
    interceptor = Certificate(["127.0.0.1"])
    with (
        ClinicServer(clinic, interceptor, tmp_path / "server") as server,
        pytest.raises(Exception, match="intercepting"),
    ):
        enrol(server.url, clinic.issue_code(), data_dir, "Tablet 3")
    assert not FileKeyStore(data_dir).exists()
