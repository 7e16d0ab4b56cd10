"""Envelope encryption of one patient session.

* Each session has a random 256-bit **data key**, held in memory only.
* At session start the data key is **wrapped** for the clinic's X25519 public
  key: an ephemeral X25519 key agreement, HKDF-SHA256 to a wrapping key, then
  AES-256-GCM. Only the clinic's private key can unwrap it.
* Each **record** (an answer, the patient link, the session's start and end)
  is sealed with AES-256-GCM under the data key. The associated data binds the
  submission id, the record's name (``form/item``) and its sequence number, so a
  record cannot be altered, moved to another session or reordered unnoticed.
* Plaintexts are padded to a multiple of 64 bytes so that a ciphertext's length
  does not give away a short answer ("yes" and "no" differ in length).
"""

from __future__ import annotations

import json
import os
import struct
from base64 import b64decode, b64encode
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.envelope.errors import TamperedError, WrongKeyError
from kiosk.envelope.keys import ClinicPublicKey, key_id

WRAP_ALGORITHM = "X25519-HKDF-SHA256-AES256GCM"
_WRAP_INFO = b"what-matters-kiosk/data-key-wrap/v1"
_PAD = 64
NONCE_BYTES = 12


@dataclass(frozen=True)
class WrappedKey:
    clinic_key_id: str
    ephemeral: bytes  # the ephemeral X25519 public key, raw
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict[str, str]:

        return {
            "alg": WRAP_ALGORITHM,
            "clinic_key_id": self.clinic_key_id,
            "ephemeral": b64encode(self.ephemeral).decode(),
            "nonce": b64encode(self.nonce).decode(),
            "ciphertext": b64encode(self.ciphertext).decode(),
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WrappedKey:

        return cls(
            clinic_key_id=str(data["clinic_key_id"]),
            ephemeral=b64decode(data["ephemeral"], validate=True),
            nonce=b64decode(data["nonce"], validate=True),
            ciphertext=b64decode(data["ciphertext"], validate=True),
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> WrappedKey:
        return cls.from_json(json.loads(raw))


def new_data_key() -> bytearray:
    """A fresh random 256-bit data key (a bytearray, so it can be wiped)."""
    return bytearray(os.urandom(32))


def wipe(key: bytearray) -> None:
    """Overwrite a data key in place (best effort: Python may hold copies)."""
    for index in range(len(key)):
        key[index] = 0


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes, submission_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral + recipient,
        info=_WRAP_INFO + b"|" + submission_id.encode(),
    ).derive(shared)


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def wrap_data_key(data_key: bytearray, clinic: ClinicPublicKey, submission_id: str) -> WrappedKey:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    shared = ephemeral.exchange(clinic.key)
    wrapping = _wrapping_key(shared, ephemeral_raw, _raw(clinic.key), submission_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(wrapping).encrypt(nonce, bytes(data_key), submission_id.encode())
    return WrappedKey(clinic.id, ephemeral_raw, nonce, sealed)


def unwrap_data_key(
    wrapped: WrappedKey, clinic_private: X25519PrivateKey, submission_id: str
) -> bytearray:
    """The data key, for the clinic. WrongKeyError if this key cannot open it."""
    public = clinic_private.public_key()
    if key_id(public) != wrapped.clinic_key_id:
        raise WrongKeyError(
            f"submission {submission_id} was sealed for clinic key {wrapped.clinic_key_id}, "
            f"not {key_id(public)}"
        )
    try:
        ephemeral = X25519PublicKey.from_public_bytes(wrapped.ephemeral)
        shared = clinic_private.exchange(ephemeral)
        wrapping = _wrapping_key(shared, wrapped.ephemeral, _raw(public), submission_id)
        key = AESGCM(wrapping).decrypt(wrapped.nonce, wrapped.ciphertext, submission_id.encode())
    except (InvalidTag, ValueError):
        raise WrongKeyError(
            f"the data key of submission {submission_id} does not open: wrong key or altered"
        ) from None
    return bytearray(key)


def associated_data(submission_id: str, name: str, seq: int) -> bytes:
    return f"{submission_id}|{name}|{seq}".encode()


def _pad(plain: bytes) -> bytes:
    framed = struct.pack(">I", len(plain)) + plain
    return framed + b"\x00" * (-len(framed) % _PAD)


def _unpad(padded: bytes) -> bytes:
    (length,) = struct.unpack(">I", padded[:4])
    if length > len(padded) - 4:
        raise ValueError("bad padding")
    return padded[4 : 4 + length]


def seal_record(data_key: bytearray, submission_id: str, name: str, seq: int, value: Any) -> bytes:
    """nonce || AES-256-GCM(JSON value, padded), bound to (submission, name, seq)."""
    plain = _pad(json.dumps({"v": value}, ensure_ascii=False, separators=(",", ":")).encode())
    nonce = os.urandom(NONCE_BYTES)
    aad = associated_data(submission_id, name, seq)
    return nonce + AESGCM(bytes(data_key)).encrypt(nonce, plain, aad)


def open_record(data_key: bytearray, submission_id: str, name: str, seq: int, sealed: bytes) -> Any:
    aad = associated_data(submission_id, name, seq)
    try:
        plain = AESGCM(bytes(data_key)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
        return json.loads(_unpad(plain))["v"]
    except (InvalidTag, ValueError, KeyError, struct.error):
        raise TamperedError(
            f"record {seq} ({name}) of submission {submission_id} failed authentication"
        ) from None
