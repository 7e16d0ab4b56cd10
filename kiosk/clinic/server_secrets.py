"""The service's own secrets, all derived from one key file (mode 0600).

From a 32-byte server key (``server.key``) HKDF derives separate keys for
column encryption, the pseudonymous patient key and staff tokens, so one file
is backed up and protected, and no key is used for two jobs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.clinic.errors import ClinicError
from kiosk.site.files import write_atomically

SERVER_KEY_FILE = "server.key"


class SecretError(ClinicError):
    pass


def _derive(root: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"wmk-clinic/" + purpose.encode()
    ).derive(root)


@dataclass(frozen=True)
class ServerSecrets:
    column_key: bytes
    patient_secret: bytes
    token_key: bytes
    export_key: bytes  # per-project pseudonym keys are derived from this

    @classmethod
    def from_root(cls, root: bytes) -> ServerSecrets:
        return cls(
            _derive(root, "columns"),
            _derive(root, "patient"),
            _derive(root, "tokens"),
            _derive(root, "exports"),
        )

    @classmethod
    def load_or_create(cls, folder: Path) -> ServerSecrets:
        path = folder / SERVER_KEY_FILE
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(path, secrets.token_bytes(32), replace=False)  # never replaced
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise SecretError(f"{path} may be read by others: chmod 600 {path}")
        root = path.read_bytes()
        if len(root) != 32:
            raise SecretError(f"{path} is not a server key (32 bytes); restore it from backup")
        return cls.from_root(root)

    # ------------------------------------------------------------ columns
    def seal(self, value: Any, context: str) -> bytes:
        """Encrypt a JSON value for one column of one row (``context`` binds it there)."""
        nonce = os.urandom(12)
        body = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        return nonce + AESGCM(self.column_key).encrypt(nonce, body, context.encode())

    def sealer(self) -> Callable[[Any, str], bytes]:
        """:meth:`seal` with one cipher object for many values (a batch's columns): the
        same ciphertext format, a fresh nonce for each value."""
        cipher = AESGCM(self.column_key)

        def seal(value: Any, context: str) -> bytes:
            nonce = os.urandom(12)
            body = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
            return nonce + cipher.encrypt(nonce, body, context.encode())

        return seal

    def open(self, sealed: bytes, context: str) -> Any:
        try:
            body = AESGCM(self.column_key).decrypt(sealed[:12], sealed[12:], context.encode())
        except (InvalidTag, ValueError):
            raise SecretError(f"an encrypted value ({context}) failed its check") from None
        return json.loads(body)

    def opener(self) -> Callable[[bytes, str], Any]:
        """``open`` with its cipher made once, for reading many values in a row (an
        export): ``open`` makes one per value, a tenth of a large export's time."""
        cipher = AESGCM(self.column_key)

        def opened(sealed: bytes, context: str) -> Any:
            try:
                body = cipher.decrypt(sealed[:12], sealed[12:], context.encode())
            except (InvalidTag, ValueError):
                raise SecretError(f"an encrypted value ({context}) failed its check") from None
            return json.loads(body.decode())  # seal() writes UTF-8: no need to detect it

        return opened

    def batch_opener(self) -> Callable[[Sequence[tuple[bytes, str]]], list[Any]]:
        """Many values opened together (an export's batch of responses): one cipher,
        and the bodies decoded as one JSON array, so a million small values cost one
        parse each, not one parser call each. The same values :meth:`open` gives, in
        order; the same SecretError, naming the first value that failed its check."""
        decrypt = AESGCM(self.column_key).decrypt

        def open_all(values: Sequence[tuple[bytes, str]]) -> list[Any]:
            try:
                bodies = [decrypt(s[:12], s[12:], context.encode()) for s, context in values]
            except (InvalidTag, ValueError):
                for sealed, context in values:  # which one: say so, as open() does
                    self.open(sealed, context)
                raise  # pragma: no cover - one of them failed above
            # seal() writes each body as one compact JSON value in UTF-8.
            decoded: list[Any] = json.loads("[" + b",".join(bodies).decode() + "]")
            return decoded

        return open_all

    # ------------------------------------------------------------ patient key
    def patient_key(self, kind: str, number: str) -> str:
        """Keyed HMAC of an NHS or hospital number: links visits without revealing who."""
        message = f"{kind}:{number.strip().upper()}".encode()
        return hmac.new(self.patient_secret, message, hashlib.sha256).hexdigest()
