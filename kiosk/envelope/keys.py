"""The clinic's X25519 key pair, as the tablet and the clinic see it.

The tablet holds only :class:`ClinicPublicKey`. The private half stays at the
clinic (encrypted at rest there); tests make their own pair.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from kiosk.envelope.errors import EnvelopeError
from kiosk.site.files import write_atomically


def key_id(public: X25519PublicKey) -> str:
    """A short, stable id for a public key: the first 16 hex digits of its SHA-256."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class ClinicPublicKey:
    key: X25519PublicKey

    @property
    def id(self) -> str:
        return key_id(self.key)

    def to_text(self) -> str:
        raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return "x25519:" + base64.b64encode(raw).decode("ascii")

    @classmethod
    def from_text(cls, text: str) -> ClinicPublicKey:
        prefix, _, body = text.strip().partition(":")
        try:
            if prefix != "x25519":
                raise ValueError("not an x25519 key")
            raw = base64.b64decode(body, validate=True)
            return cls(X25519PublicKey.from_public_bytes(raw))
        except ValueError as exc:
            raise EnvelopeError(f"not a clinic public key ({exc})") from None

    @classmethod
    def load(cls, path: Path) -> ClinicPublicKey:
        try:
            return cls.from_text(path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError) as exc:
            raise EnvelopeError(f"cannot read clinic public key {path}: {exc}") from None


@dataclass(frozen=True)
class ClinicKeyPair:
    private: X25519PrivateKey

    @classmethod
    def generate(cls) -> ClinicKeyPair:
        return cls(X25519PrivateKey.generate())

    @property
    def public(self) -> ClinicPublicKey:
        return ClinicPublicKey(self.private.public_key())

    @property
    def id(self) -> str:
        return self.public.id


def write_private_key(pair: ClinicKeyPair, path: Path, passphrase: bytes) -> None:
    """Save the clinic's private key encrypted with ``passphrase`` (PKCS#8), mode 0600.

    Refuses to overwrite: an old clinic key must be kept to open older submissions.
    """
    if len(passphrase) < 12:
        raise EnvelopeError("the passphrase must be at least 12 characters")
    pem = pair.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    try:
        write_atomically(path, pem, replace=False)  # never over an older key
    except FileExistsError:
        raise EnvelopeError(f"{path} already exists; keep it (older submissions need it)") from None
    except OSError as exc:
        raise EnvelopeError(f"cannot write {path}: {exc.strerror or exc}") from None


def read_private_key(path: Path, passphrase: bytes) -> ClinicKeyPair:
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise EnvelopeError(f"cannot read clinic key {path}: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (ValueError, TypeError):
        raise EnvelopeError(
            f"cannot open clinic key {path}: wrong passphrase or not a key file"
        ) from None
    if not isinstance(key, X25519PrivateKey):
        raise EnvelopeError(f"{path} is not an X25519 clinic key")
    return ClinicKeyPair(key)
