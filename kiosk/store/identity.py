"""The tablet's device identity: an Ed25519 key pair it signs its requests to the clinic with.

The pair is made once, when the tablet is enrolled with the clinic; the clinic
records the public half (:meth:`DeviceIdentity.public_key_text`). That text
form, the device id and signature checks are shared with the clinic
(:mod:`kiosk.exchange.device_keys`). There is
deliberately no "load or create" helper: a tablet that has lost its key must be
enrolled again, never silently given a new identity.

The private half is kept either in a file in the data folder
(:class:`FileKeyStore`, PKCS#8 PEM, mode 0600 from the moment it exists) or in
the operating system's keyring (:class:`KeyringKeyStore`, needs the optional
``keyring`` package). Every failure is a :class:`DeviceKeyError` with a plain
message that says what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.exchange.device_keys import device_id_of, public_key_text
from kiosk.site.files import PRIVATE, write_atomically
from kiosk.store.errors import DeviceKeyError

if TYPE_CHECKING:
    from types import ModuleType

KEY_FILE = "device.key"
KEYRING_SERVICE = "what-matters-kiosk"
KEYRING_NAME = "device-key"

_NOT_ENROLLED = (
    "This tablet is not enrolled: it has no device key ({where}). Enrol it with the clinic."
)


class DeviceIdentity:
    """The tablet's Ed25519 key pair. Its repr shows only the device id."""

    __slots__ = ("_private",)

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> DeviceIdentity:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes, where: str) -> DeviceIdentity:
        """Read an unencrypted PKCS#8 PEM private key; ``where`` names its place in errors."""
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            private = None
        if not isinstance(private, Ed25519PrivateKey):
            raise DeviceKeyError(
                f"{where} is not a device key (an unencrypted Ed25519 private key in PEM form). "
                "It may be damaged: enrol the tablet again to make a new key."
            )
        return cls(private)

    def to_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    @property
    def device_id(self) -> str:
        return device_id_of(self.public_key)

    def public_key_text(self) -> str:
        """``ed25519:`` and the raw public key in base64: what the clinic records at enrolment."""
        return public_key_text(self.public_key)

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for ``purpose``, derived (HKDF-SHA256) from the private key.

        Lets the tablet encrypt what it must read back itself (today's clinic
        list) without a second secret to keep: whoever lacks the device key
        cannot read it."""
        raw = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"wmk/" + purpose.encode()
        ).derive(raw)

    def sign(self, message: bytes) -> bytes:
        """A 64-byte Ed25519 signature of ``message``."""
        return self._private.sign(message)

    def __repr__(self) -> str:
        return f"DeviceIdentity(device_id={self.device_id!r})"


class DeviceKeyStore(Protocol):
    """Where the device's private key is kept."""

    def exists(self) -> bool: ...

    def create(self) -> DeviceIdentity: ...

    def load(self) -> DeviceIdentity: ...


# ---------------------------------------------------------------- file


_O_EXTRA = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
# Permission bits mean little on Windows (access is by ACL); the check is POSIX only.
_CHECK_MODE = os.name == "posix"


class FileKeyStore:
    """The private key as PKCS#8 PEM in ``data_dir / "device.key"``, mode 0600.

    :meth:`create` writes a temporary file in the same folder (made with
    ``O_CREAT | O_EXCL`` and mode 0600, so it is never readable by others even
    for an instant), fsyncs it, then links it into place, which fails rather
    than overwrite a key already there (:func:`kiosk.site.files.write_atomically`
    with ``replace=False``). :meth:`load` refuses a key that the group or others
    may read or write.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / KEY_FILE

    def exists(self) -> bool:
        return self.path.exists() or self.path.is_symlink()

    def create(self) -> DeviceIdentity:
        """Make and store a new key pair. Refuses if the tablet already has a key."""
        if self.exists():
            raise self._already()
        identity = DeviceIdentity.generate()
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Linked into place, never renamed over: a key already there is kept.
            write_atomically(self.path, identity.to_pem(), mode=PRIVATE, replace=False)
        except FileExistsError:
            raise self._already() from None
        except OSError as exc:
            raise DeviceKeyError(
                f"Cannot write the device key {self.path}: {exc.strerror or exc}. Check that "
                "the data folder exists and that this app may write to it."
            ) from None
        return identity

    def _already(self) -> DeviceKeyError:
        return DeviceKeyError(
            f"This tablet already has a device key ({self.path}); it was not replaced. "
            "To enrol the tablet again, first move the old key aside."
        )

    def load(self) -> DeviceIdentity:
        """The stored identity; a plain DeviceKeyError if missing, unreadable, damaged or open."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _O_EXTRA)
        except FileNotFoundError:
            raise DeviceKeyError(_NOT_ENROLLED.format(where=f"no file {self.path}")) from None
        except OSError as exc:
            raise self._unreadable(exc) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise DeviceKeyError(
                    f"{self.path} is not a device key file. Move it aside and enrol the "
                    "tablet again."
                )
            loose = stat.S_IMODE(info.st_mode) & 0o077
            if _CHECK_MODE and loose:
                raise DeviceKeyError(
                    f"The device key {self.path} can be read or changed by other users "
                    f"(mode {stat.S_IMODE(info.st_mode):04o}). Make it private to this app's user "
                    f"with: chmod 600 {self.path}"
                )
            chunks = []
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
        except OSError as exc:
            raise self._unreadable(exc) from None
        finally:
            os.close(fd)
        return DeviceIdentity.from_pem(b"".join(chunks), f"The file {self.path}")

    def _unreadable(self, exc: OSError) -> DeviceKeyError:
        return DeviceKeyError(
            f"Cannot read the device key {self.path}: {exc.strerror or exc}. Check that the file "
            "belongs to the user this app runs as, and that its mode is 600."
        )


# ---------------------------------------------------------------- keyring


def _import_keyring() -> ModuleType:
    # An optional extra, so imported only when a keyring store is used.
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise DeviceKeyError(
            "Cannot use the system keyring: the keyring package is not installed. Install "
            "what-matters-kiosk[keyring], or keep the device key in a file instead."
        ) from None
    return keyring


class KeyringKeyStore:
    """The private key's PEM text in the operating system's keyring (optional ``keyring`` extra)."""

    def __init__(self, service: str = KEYRING_SERVICE, name: str = KEYRING_NAME) -> None:
        self.service = service
        self.name = name

    @property
    def _where(self) -> str:
        return f"keyring entry {self.name!r} of service {self.service!r}"

    def _get(self) -> str | None:
        keyring = _import_keyring()
        try:
            value = keyring.get_password(self.service, self.name)
        except keyring.errors.KeyringError as exc:
            raise self._keyring_failed("read", exc) from None
        return value if isinstance(value, str) else None

    def _keyring_failed(self, action: str, exc: Exception) -> DeviceKeyError:
        return DeviceKeyError(
            f"Cannot {action} the device key in the system keyring ({self._where}): {exc}. "
            "Check that the keyring is available and unlocked for this app's user."
        )

    def exists(self) -> bool:
        return self._get() is not None

    def create(self) -> DeviceIdentity:
        """Make and store a new key pair. Refuses if the keyring already holds one."""
        if self._get() is not None:
            raise DeviceKeyError(
                f"This tablet already has a device key ({self._where}); it was not replaced. "
                "To enrol the tablet again, first remove the old key from the keyring."
            )
        keyring = _import_keyring()
        identity = DeviceIdentity.generate()
        try:
            keyring.set_password(self.service, self.name, identity.to_pem().decode("ascii"))
        except keyring.errors.KeyringError as exc:
            raise self._keyring_failed("save", exc) from None
        return identity

    def load(self) -> DeviceIdentity:
        text = self._get()
        if text is None:
            raise DeviceKeyError(_NOT_ENROLLED.format(where=f"no {self._where}"))
        try:
            data = text.encode("ascii")
        except UnicodeEncodeError:
            data = b""
        return DeviceIdentity.from_pem(data, f"The {self._where}")
