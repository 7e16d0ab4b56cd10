"""Signed requests between a tablet and the clinic, and the enrolment proof.

Every request a tablet makes after enrolment carries four headers::

    X-Device-Id:  the device id (first 16 hex digits of its key's SHA-256)
    X-Timestamp:  seconds since the epoch, by the tablet's clock
    X-Nonce:      32 random hex digits, never used twice
    X-Signature:  base64 Ed25519 signature of the canonical text below

The canonical text is ``METHOD\\nPATH\\nSHA-256(body) in hex\\nTIMESTAMP\\nNONCE``
(PATH with its query string). The clinic refuses a timestamp more than
``CLOCK_WINDOW_S`` from its own clock (and says its time in ``X-Server-Time``,
so a tablet whose clock is hours out can correct itself) and a nonce it has
seen before.

Enrolment cannot be signed by a key the clinic does not know yet. Instead the
tablet proves it holds the one-time code without sending its secret half, and
binds the proof to the certificate it saw, so a man in the middle (who shows a
different certificate) is detected on both sides::

    proof = HMAC-SHA256(secret, "wmk-enrol/1|" + device public key + "|" + certificate fingerprint)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

CLOCK_WINDOW_S = 300
HEADER_DEVICE = "X-Device-Id"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
HEADER_SERVER_TIME = "X-Server-Time"
# On the clinic's answer to a batch: its configuration's current ETag, so a tablet that
# holds that one need not ask for it again in the same pass.
HEADER_CONFIG_ETAG = "X-Config-ETag"
ENROL_CONTEXT = "wmk-enrol/1"


def canonical_request(method: str, path: str, body: bytes, timestamp: int, nonce: str) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{digest}\n{timestamp}\n{nonce}".encode()


def new_nonce() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class SignedHeaders:
    device_id: str
    timestamp: int
    nonce: str
    signature: bytes

    def as_dict(self) -> dict[str, str]:
        return {
            HEADER_DEVICE: self.device_id,
            HEADER_TIMESTAMP: str(self.timestamp),
            HEADER_NONCE: self.nonce,
            HEADER_SIGNATURE: base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> SignedHeaders:
        """Read the four headers; ValueError says which is missing or malformed."""
        lowered = {k.lower(): v for k, v in headers.items()}
        values = {}
        for name in (HEADER_DEVICE, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE):
            value = lowered.get(name.lower())
            if not value:
                raise ValueError(f"the request is not signed: no {name} header")
            values[name] = value
        if not values[HEADER_TIMESTAMP].isdigit() or len(values[HEADER_TIMESTAMP]) > 12:
            raise ValueError(f"{HEADER_TIMESTAMP} must be whole seconds since the epoch")
        nonce = values[HEADER_NONCE]
        if len(nonce) != 32 or any(c not in "0123456789abcdef" for c in nonce):
            raise ValueError(f"{HEADER_NONCE} must be 32 lower-case hex digits")
        device = values[HEADER_DEVICE]
        if len(device) != 16 or any(c not in "0123456789abcdef" for c in device):
            raise ValueError(f"{HEADER_DEVICE} must be 16 lower-case hex digits")
        try:
            signature = base64.b64decode(values[HEADER_SIGNATURE], validate=True)
        except ValueError:
            raise ValueError(f"{HEADER_SIGNATURE} is not base64") from None
        if len(signature) != 64:
            raise ValueError(f"{HEADER_SIGNATURE} is not an Ed25519 signature")
        return cls(device, int(values[HEADER_TIMESTAMP]), nonce, signature)


def enrolment_proof(secret: str, device_public_key: str, certificate_fingerprint: str) -> str:
    message = f"{ENROL_CONTEXT}|{device_public_key}|{certificate_fingerprint}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def enrolment_answer(secret: str, device_id: str, certificate_fingerprint: str) -> str:
    """The clinic's proof back that it, too, knew the code (and saw the same certificate)."""
    message = f"{ENROL_CONTEXT}|ok|{device_id}|{certificate_fingerprint}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def certificate_fingerprint(der: bytes) -> str:
    """``sha256:`` and the hex SHA-256 of a certificate in DER form (what tablets pin)."""
    return "sha256:" + hashlib.sha256(der).hexdigest()
