"""A device's Ed25519 public key as tablet and clinic exchange it.

The tablet makes its key pair at enrolment (``kiosk.store.identity`` keeps the
private half); the clinic records the public half as text (``ed25519:<base64>``)
and checks every signed request against it. A device is known by a short id
derived from its public key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.exchange.errors import DeviceKeyTextError

KEY_PREFIX = "ed25519"


def raw_public(public: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def device_id_of(public: Ed25519PublicKey) -> str:
    """A short, stable id for a device: the first 16 hex digits of its public key's SHA-256."""
    return hashlib.sha256(raw_public(public)).hexdigest()[:16]


def public_key_text(public: Ed25519PublicKey) -> str:
    """``ed25519:`` and the raw public key in base64: what the clinic records at enrolment."""
    return f"{KEY_PREFIX}:" + base64.b64encode(raw_public(public)).decode("ascii")


def parse_public_key_text(text: str) -> Ed25519PublicKey:
    """The public key written by :func:`public_key_text`; :class:`DeviceKeyTextError`
    if it is not one."""
    prefix, _, body = text.strip().partition(":")
    if prefix != KEY_PREFIX:
        raise DeviceKeyTextError("not a device public key (not an ed25519 key)")
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(body, validate=True))
    except ValueError as exc:  # the library's own refusal of bad base64 or a bad length
        raise DeviceKeyTextError(f"not a device public key ({exc})") from None


def verify_signature(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is the device's signature of ``message``."""
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
