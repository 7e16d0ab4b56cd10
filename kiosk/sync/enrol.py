"""Enrolling a tablet with the clinic, and the client for the clinic it enrolled with.

Enrolment (docs/sync-protocol.md) takes a one-time code ``CODEID-SECRET``. The
tablet takes the fingerprint of the certificate the clinic shows, makes its
device key, and proves it holds the code without sending the secret, bound to
that fingerprint. The clinic's answer must prove the same back, for the same
fingerprint; only then is the certificate pinned.

If anything fails once the device key exists, the key and every file written
so far are removed, so enrolment can simply be tried again (with a new code if
the clinic had already accepted this one).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kiosk.envelope.errors import EnvelopeError
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.site.files import write_atomically
from kiosk.store.identity import DeviceIdentity, FileKeyStore
from kiosk.store.store import CLINIC_KEY_FILE, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.config import (
    CERTIFICATE_FILE,
    CLINIC_FILE,
    ClinicRecord,
    apply_config,
    read_clinic_record,
    write_clinic_record,
)
from kiosk.sync.errors import (
    CertificateMismatchError,
    ClinicUnreachableError,
    EnrolmentError,
    NotEnrolledError,
    ProtocolError,
)
from kiosk.sync.https import pem_fingerprint
from kiosk.sync.signing import enrolment_answer, enrolment_proof
from kiosk.sync.wire import Config, parse_config

log = logging.getLogger(__name__)

FetchCertificate = Callable[[str, int], str]
_CODE = re.compile(r"([A-Za-z0-9]{1,8})-([A-Za-z0-9]{8,64})")
_DEVICE_ID = re.compile(r"[0-9a-f]{16}")
MAX_NAME = 100


@dataclass(frozen=True)
class Enrolment:
    url: str
    device_id: str
    certificate_fingerprint: str
    clinic_key_id: str
    config_version: str


def fetch_server_certificate(host: str, port: int) -> str:
    """The certificate ``host:port`` shows in its TLS handshake, as PEM (not verified:
    the enrolment proof is what tells whether it is the clinic's)."""
    try:
        return ssl.get_server_certificate((host, port), timeout=10)
    except OSError as exc:
        raise ClinicUnreachableError(
            f"Cannot reach the clinic at {host}:{port} ({exc.strerror or type(exc).__name__}). "
            "Check the address and that this tablet is on the clinic's network."
        ) from None


def parse_code(code: str) -> tuple[str, str]:
    """``CODEID-SECRET`` -> (code id, secret); EnrolmentError if it is not that shape."""
    match = _CODE.fullmatch(code.strip())
    if match is None:
        raise EnrolmentError(
            "That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and "
            "digits, a hyphen, then more letters and digits."
        )
    # Codes are issued in capitals; a code typed in lower case is the same code.
    return match.group(1).upper(), match.group(2).upper()


def clinic_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme != "https" or not parsed.host or parsed.query:
        raise EnrolmentError(
            f"The clinic's address must look like https://clinic.example:8443, not {url!r}."
        )
    return parsed.copy_with(fragment=None)


def enrol(
    url: str,
    code: str,
    data_dir: Path,
    name: str,
    *,
    fetch_certificate: FetchCertificate = fetch_server_certificate,
    transport: httpx.BaseTransport | None = None,
) -> Enrolment:
    """Enrol this tablet with the clinic at ``url`` using a one-time ``code``.

    Opens the tablet store (so the kiosk must not be running) to save today's
    clinic list. ``transport`` replaces the network in tests; the certificate
    then still comes from ``fetch_certificate``."""
    code_id, secret = parse_code(code)
    base = clinic_url(url)
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise EnrolmentError(f"Give the tablet a name of 1 to {MAX_NAME} printable characters.")
    keys = FileKeyStore(data_dir)
    if keys.exists() or (data_dir / CLINIC_FILE).exists():
        raise EnrolmentError(
            "This tablet is already enrolled (it has a device key or a clinic record). To enrol "
            "it again, first move its device.key and clinic.json aside."
        )
    certificate = fetch_certificate(base.host, base.port or 443)
    fingerprint = pem_fingerprint(certificate)
    store = TabletStore.open(data_dir)  # before the code is spent: fails if the kiosk runs
    try:
        identity = keys.create()
        undo = _Undo(data_dir, keys.path)
        try:
            proof = enrolment_proof(secret, identity.public_key_text(), fingerprint)
            with _client(base, identity, certificate, transport) as client:
                answer = client.enrol(code_id, name, proof)
            clinic_key, config = _check_answer(answer, identity, secret, fingerprint)
            record = ClinicRecord(
                url=str(base).rstrip("/"),
                device_id=identity.device_id,
                certificate_fingerprint=fingerprint,
                enrolled_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
            undo.write(CLINIC_KEY_FILE, (clinic_key.to_text() + "\n").encode("ascii"))
            undo.write(CERTIFICATE_FILE, certificate.strip().encode("ascii") + b"\n")
            undo.note(CLINIC_FILE)
            write_clinic_record(data_dir, record)
            store.clinic_key = clinic_key
            apply_config(config, data_dir, store, identity)
        except BaseException:
            undo.run()
            raise
    finally:
        store.close()
    log.info("enrolled as device %s with clinic key %s", identity.device_id, clinic_key.id)
    return Enrolment(record.url, identity.device_id, fingerprint, clinic_key.id, config.version)


def _client(
    base: httpx.URL,
    identity: DeviceIdentity,
    certificate: str,
    transport: httpx.BaseTransport | None,
) -> ClinicClient:
    if transport is not None:
        return ClinicClient(str(base), identity, transport=transport)
    return ClinicClient(str(base), identity, certificate=certificate)


def _check_answer(
    answer: dict[str, Any], identity: DeviceIdentity, secret: str, fingerprint: str
) -> tuple[ClinicPublicKey, Config]:
    device_id = answer.get("device_id")
    if not isinstance(device_id, str) or not _DEVICE_ID.fullmatch(device_id):
        raise ProtocolError("The clinic's answer to enrolment has no device id.")
    if device_id != identity.device_id:
        raise ProtocolError("The clinic recorded this tablet under another device's id.")
    if answer.get("certificate_fingerprint") != fingerprint:
        raise CertificateMismatchError(
            "The clinic saw a different certificate from the one this tablet was shown: "
            "something between them may be intercepting the connection. Ask IT; nothing "
            "was saved."
        )
    proof = answer.get("answer")
    expected = enrolment_answer(secret, device_id, fingerprint)
    if not isinstance(proof, str) or not hmac.compare_digest(
        proof.encode("utf-8"), expected.encode("ascii")
    ):
        raise CertificateMismatchError(
            "The answer did not prove that it came from the clinic that issued the code: "
            "something may be impersonating the clinic. Ask IT; nothing was saved."
        )
    keys = answer.get("clinic_keys")
    if not isinstance(keys, list) or not keys or not isinstance(keys[0], str):
        raise ProtocolError("The clinic's answer to enrolment has no clinic key.")
    try:
        clinic_key = ClinicPublicKey.from_text(keys[0])
    except EnvelopeError:
        raise ProtocolError("The clinic key in the enrolment answer is not a key.") from None
    return clinic_key, parse_config(answer.get("config"), None)


class _Undo:
    """The files a failed enrolment must remove (or put back as they were)."""

    def __init__(self, data_dir: Path, key_file: Path) -> None:
        self.data_dir = data_dir
        self._before: dict[Path, bytes | None] = {key_file: None}

    def note(self, name: str) -> None:
        path = self.data_dir / name
        if path not in self._before:
            self._before[path] = path.read_bytes() if path.is_file() else None

    def write(self, name: str, data: bytes) -> None:
        self.note(name)
        write_atomically(self.data_dir / name, data)

    def run(self) -> None:
        for path, before in self._before.items():
            try:
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomically(path, before)
            except OSError as exc:
                log.error("could not undo %s after a failed enrolment: %s", path.name, exc)


def enrolled_client(
    data_dir: Path, identity: DeviceIdentity, *, transport: httpx.BaseTransport | None = None
) -> ClinicClient:
    """A client for the clinic this tablet enrolled with, pinned to its certificate."""
    record = read_clinic_record(data_dir)
    if record is None or record.device_id != identity.device_id:
        raise NotEnrolledError()
    if transport is not None:
        return ClinicClient(record.url, identity, transport=transport)
    try:
        certificate = (data_dir / CERTIFICATE_FILE).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise CertificateMismatchError(
            f"The clinic certificate saved at enrolment ({CERTIFICATE_FILE}) cannot be read. "
            "Enrol the tablet again."
        ) from None
    if pem_fingerprint(certificate) != record.certificate_fingerprint:
        raise CertificateMismatchError(
            f"The saved clinic certificate ({CERTIFICATE_FILE}) is not the one pinned at "
            "enrolment. Enrol the tablet again."
        )
    return ClinicClient(record.url, identity, certificate=certificate)
