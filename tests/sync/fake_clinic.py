"""A minimal clinic service for the tablet's sync tests: the server side of
docs/sync-protocol.md, as an httpx MockTransport handler.

It checks signatures, clocks and nonces as the real service must, stores
envelopes by id (opening each with the clinic's private key), answers
201/200/409/422 with receipts, serves the configuration with an ETag, and
enrols devices with one-time codes.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.x509.oid import NameOID

from kiosk.envelope.envelope import envelope_hash, open_envelope, read_header
from kiosk.envelope.errors import EnvelopeError
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.exchange.device_keys import device_id_of, parse_public_key_text, verify_signature
from kiosk.store.identity import DeviceIdentity
from kiosk.sync.signing import (
    CLOCK_WINDOW_S,
    HEADER_CONFIG_ETAG,
    HEADER_SERVER_TIME,
    SignedHeaders,
    canonical_request,
    certificate_fingerprint,
    enrolment_answer,
    enrolment_proof,
)

FORMS = Path(__file__).resolve().parents[2] / "forms"
CLINIC_LIST_CSV = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
    "hospital_number,pathway\n"
    "A-1001,09:30,Heart clinic,Smith,Jane,1950-03-03,9434765919,RX1-000123,cardiology\n"
)
Fault = Callable[[httpx.Request], httpx.Response | None]


def shipped_config(version: str = "v1", *, day: dt.date | None = None) -> dict[str, Any]:
    """A configuration holding the shipped forms and pathways, and a one-line clinic list."""
    forms = {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(FORMS.glob("*.yaml"))
        if p.name != "pathways.yaml"
    }
    return {
        "version": version,
        "clinic_keys": [],
        "pathways": (FORMS / "pathways.yaml").read_text(encoding="utf-8"),
        "forms": forms,
        "clinic_list": {"day": (day or dt.date.today()).isoformat(), "csv": CLINIC_LIST_CSV},
    }


def error(status: int, code: str, server_time: float | None = None) -> httpx.Response:
    headers = {} if server_time is None else {HEADER_SERVER_TIME: str(int(server_time))}
    body = {"error": code, "message": f"refused: {code}"}
    return httpx.Response(status, json=body, headers=headers)


def raising(kind: type[httpx.TransportError]) -> Fault:
    """A fault: the network fails this way (refused, timed out, reset...)."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise kind(f"simulated {kind.__name__}", request=request)

    return fail


class FakeClinic:
    def __init__(
        self, keys: ClinicKeyPair, fingerprint: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.keys = keys
        self.fingerprint = fingerprint
        self.clock = clock
        self.devices: dict[str, Ed25519PublicKey] = {}
        self.codes: dict[str, tuple[str, float]] = {}
        self.used: set[str] = set()
        self.nonces: set[str] = set()
        self.envelopes: dict[str, bytes] = {}
        self.batches: list[list[str]] = []
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []
        self.fault: Fault | None = None
        self.wrong_receipt: set[str] = set()
        self.tamper_enrolment: Callable[[dict[str, Any]], None] | None = None
        self.config = shipped_config()
        self.config["clinic_keys"] = [keys.public.to_text()]
        self.announce = False  # answer batches with the configuration's ETag, as the clinic does

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def admit(self, identity: DeviceIdentity) -> None:
        self.devices[identity.device_id] = identity.public_key

    def issue_code(self, *, valid_for: float = 900.0) -> str:
        code_id, secret = secrets.token_hex(2).upper(), secrets.token_hex(6).upper()
        self.codes[code_id] = (secret, self.clock() + valid_for)
        return f"{code_id}-{secret}"

    @property
    def etag(self) -> str:
        return f'"{self.config["version"]}"'

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]

    # ------------------------------------------------------------ dispatch

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self._dispatch(request)
        self.responses.append(response)
        return response

    def statuses(self) -> list[int]:
        return [r.status_code for r in self.responses]

    def _dispatch(self, request: httpx.Request) -> httpx.Response:
        if self.fault is not None:
            response = self.fault(request)
            if response is not None:
                return response
        route = (request.method, request.url.path)
        if route == ("POST", "/api/v1/enrol"):
            return self._enrol(request)
        refusal = self._refuse_unsigned(request)
        if refusal is not None:
            return refusal
        if route == ("POST", "/api/v1/submissions"):
            return self._submissions(request)
        if route == ("GET", "/api/v1/tablet/config"):
            if request.headers.get("If-None-Match") == self.etag:
                return httpx.Response(304)
            return httpx.Response(200, json=self.config, headers={"ETag": self.etag})
        return error(404, "not_found")

    def _refuse_unsigned(self, request: httpx.Request) -> httpx.Response | None:
        now = self.clock()
        try:
            signed = SignedHeaders.parse(request.headers)
        except ValueError:
            return error(401, "unsigned", now)
        public = self.devices.get(signed.device_id)
        if public is None:
            return error(403, "not_enrolled", now)
        message = canonical_request(
            request.method,
            request.url.raw_path.decode("ascii"),
            request.content,
            signed.timestamp,
            signed.nonce,
        )
        if not verify_signature(public, signed.signature, message):
            return error(401, "bad_signature", now)
        if abs(signed.timestamp - now) > CLOCK_WINDOW_S:
            return error(401, "clock_skew", now)
        if signed.nonce in self.nonces:
            return error(401, "replayed", now)
        self.nonces.add(signed.nonce)
        return None

    # ------------------------------------------------------------ submissions

    def _submissions(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        ids = [s["id"] for s in body["submissions"]]
        self.batches.append(ids)
        results = [
            self._store(s["id"], base64.b64decode(s["envelope"])) for s in body["submissions"]
        ]
        headers = {HEADER_CONFIG_ETAG: self.etag} if self.announce else {}
        return httpx.Response(200, json={"results": results}, headers=headers)

    def _store(self, submission_id: str, envelope: bytes) -> dict[str, Any]:
        try:
            if read_header(envelope)["submission_id"] != submission_id:
                return {"id": submission_id, "status": 422}
            open_envelope(envelope, self.keys.private)
        except EnvelopeError:
            return {"id": submission_id, "status": 422}
        held = self.envelopes.get(submission_id)
        if held is not None and held != envelope:
            return {"id": submission_id, "status": 409}
        status = 200 if held is not None else 201
        self.envelopes[submission_id] = envelope
        receipt = envelope_hash(envelope)
        if submission_id in self.wrong_receipt:
            receipt = "sha256:" + "0" * 64
        return {"id": submission_id, "status": status, "receipt": receipt}

    # ------------------------------------------------------------ enrolment

    def _enrol(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        now = self.clock()
        code = self.codes.get(body["code_id"])
        if code is None:
            return error(403, "unknown_code", now)
        secret, expires = code
        if body["code_id"] in self.used:
            return error(403, "used_code", now)
        if now > expires:
            return error(403, "expired_code", now)
        expected = enrolment_proof(secret, body["device_key"], self.fingerprint)
        if body["proof"] != expected:
            return error(403, "wrong_proof", now)
        self.used.add(body["code_id"])
        public = parse_public_key_text(body["device_key"])
        device_id = device_id_of(public)
        self.devices[device_id] = public
        answer = {
            "device_id": device_id,
            "certificate_fingerprint": self.fingerprint,
            "answer": enrolment_answer(secret, device_id, self.fingerprint),
            "clinic_keys": self.config["clinic_keys"],
            "config": self.config,
        }
        if self.tamper_enrolment is not None:
            self.tamper_enrolment(answer)
        return httpx.Response(201, json=answer)


# ---------------------------------------------------------------- certificates


class Certificate:
    """A test certificate and its key; ``ca`` certificates may sign others."""

    def __init__(
        self,
        hosts: list[str],
        *,
        ca: bool = True,
        issuer: Certificate | None = None,
        common_name: str | None = None,
    ) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name or hosts[0])])
        alt: list[x509.GeneralName] = []
        for host in hosts:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                alt.append(x509.DNSName(host))
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer.cert.subject if issuer else name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        self.cert: x509.Certificate = builder.sign(
            issuer.key if issuer else self.key, hashes.SHA256()
        )

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.cert.public_bytes(serialization.Encoding.DER))

    def write(self, folder: Path) -> tuple[Path, Path]:
        """(certificate file, key file) for a server's ssl context."""
        folder.mkdir(parents=True, exist_ok=True)
        cert_file = folder / f"{self.fingerprint[7:23]}.pem"
        key_file = cert_file.with_suffix(".key")
        cert_file.write_text(self.pem, encoding="ascii")
        key_file.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_file, key_file
