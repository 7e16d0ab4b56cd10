"""The tablet's device identity (Ed25519) and where its private key is kept."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import keyring.errors
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backend import KeyringBackend
from keyring.backends import fail

from kiosk.exchange.device_keys import device_id_of, parse_public_key_text, verify_signature
from kiosk.store.errors import DeviceKeyError
from kiosk.store.identity import DeviceIdentity, FileKeyStore, KeyringKeyStore

pytestmark = pytest.mark.store


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its secrets in a dict."""

    priority = -1  # never chosen by discovery, only installed with set_keyring

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Install a MemoryKeyring with keyring.set_keyring; the previous backend is restored."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend


def assert_signs(identity: DeviceIdentity, other: DeviceIdentity) -> None:
    message = b"POST /v1/submissions\n2026-11-23T10:00:00Z\nsha256:abc"
    signature = identity.sign(message)
    assert len(signature) == 64
    assert verify_signature(other.public_key, signature, message)
    assert verify_signature(parse_public_key_text(other.public_key_text()), signature, message)
    assert not verify_signature(other.public_key, signature, message + b"!")


# ---------------------------------------------------------------- identity


def test_public_key_text_and_device_id() -> None:
    identity = DeviceIdentity.generate()
    text = identity.public_key_text()
    assert text.startswith("ed25519:")
    assert parse_public_key_text(text) == identity.public_key
    assert len(identity.device_id) == 16
    assert int(identity.device_id, 16) >= 0
    assert identity.device_id == device_id_of(identity.public_key)
    assert DeviceIdentity.generate().device_id != identity.device_id
    assert repr(identity) == f"DeviceIdentity(device_id={identity.device_id!r})"


def test_pem_round_trip() -> None:
    identity = DeviceIdentity.generate()
    again = DeviceIdentity.from_pem(identity.to_pem(), "test")
    assert again.device_id == identity.device_id
    assert_signs(again, identity)


# ---------------------------------------------------------------- file key store


def test_create_then_load_round_trips(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path / "data")
    assert not keys.exists()
    created = keys.create()
    assert keys.exists()
    loaded = FileKeyStore(tmp_path / "data").load()
    assert loaded.device_id == created.device_id
    assert loaded.public_key_text() == created.public_key_text()
    assert_signs(loaded, created)
    assert_signs(created, loaded)


def test_the_key_file_is_private_pkcs8_pem(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path)
    keys.create()
    path = tmp_path / "device.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert [p.name for p in tmp_path.iterdir()] == ["device.key"]  # no temporary file left


@pytest.mark.control("H-15-C5")
def test_the_key_file_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        FileKeyStore(tmp_path).create()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "device.key").stat().st_mode) == 0o600


def test_the_key_file_is_never_open_to_others_while_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file the store creates is opened exclusively with mode 0600."""
    seen: list[tuple[str, int, int]] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777, **kw: object) -> int:
        if flags & os.O_CREAT:
            seen.append((os.fspath(path), flags, mode))
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(os, "open", spy)
    FileKeyStore(tmp_path).create()
    assert seen, "the key was not written through os.open"
    for _path, flags, mode in seen:
        assert flags & os.O_EXCL
        assert mode == 0o600


def test_create_twice_refuses_and_keeps_the_first_key(tmp_path: Path) -> None:
    keys = FileKeyStore(tmp_path)
    first = keys.create()
    before = (tmp_path / "device.key").read_bytes()
    with pytest.raises(DeviceKeyError, match="already has a device key"):
        keys.create()
    assert (tmp_path / "device.key").read_bytes() == before
    assert keys.load().device_id == first.device_id
    assert [p.name for p in tmp_path.iterdir()] == ["device.key"]


def test_create_refuses_a_key_that_appears_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two enrolments racing: the loser fails instead of replacing the winner's key."""
    keys = FileKeyStore(tmp_path)
    monkeypatch.setattr(FileKeyStore, "exists", lambda self: False)
    (tmp_path / "device.key").write_bytes(b"the other key")
    with pytest.raises(DeviceKeyError, match="already has a device key"):
        keys.create()
    assert (tmp_path / "device.key").read_bytes() == b"the other key"
    assert [p.name for p in tmp_path.iterdir()] == ["device.key"]


@pytest.mark.control("H-15-C5")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606, 0o700 | 0o004])
def test_load_refuses_a_key_others_may_read_or_write(tmp_path: Path, mode: int) -> None:
    keys = FileKeyStore(tmp_path)
    keys.create()
    path = tmp_path / "device.key"
    path.chmod(mode)
    with pytest.raises(DeviceKeyError, match="other users") as caught:
        keys.load()
    assert f"chmod 600 {path}" in str(caught.value)
    assert f"{mode:04o}" in str(caught.value)
    path.chmod(0o600)
    assert keys.load().device_id


def test_load_without_a_key_says_not_enrolled(tmp_path: Path) -> None:
    with pytest.raises(DeviceKeyError, match=r"^This tablet is not enrolled") as caught:
        FileKeyStore(tmp_path / "missing").load()
    assert "Enrol it with the clinic" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage\x00\xff",
        b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n",
    ],
)
def test_load_refuses_a_file_that_is_not_a_key(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "device.key"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(DeviceKeyError, match="is not a device key"):
        FileKeyStore(tmp_path).load()


def test_load_refuses_a_key_of_another_kind(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    path = tmp_path / "device.key"
    path.write_bytes(
        X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(DeviceKeyError, match="is not a device key"):
        FileKeyStore(tmp_path).load()


def test_load_refuses_an_encrypted_key(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / "device.key"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    path.chmod(0o600)
    with pytest.raises(DeviceKeyError, match="is not a device key"):
        FileKeyStore(tmp_path).load()


def test_load_refuses_a_folder_in_place_of_the_key(tmp_path: Path) -> None:
    (tmp_path / "device.key").mkdir(mode=0o700)
    with pytest.raises(DeviceKeyError, match="is not a device key file"):
        FileKeyStore(tmp_path).load()


def test_create_says_when_the_folder_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DeviceKeyError, match="Cannot write the device key"):
        FileKeyStore(blocker / "data").create()


# ---------------------------------------------------------------- keyring key store


def test_keyring_create_then_load_round_trips(memory_keyring: MemoryKeyring) -> None:
    keys = KeyringKeyStore(name="tablet-7")
    assert not keys.exists()
    created = keys.create()
    assert keys.exists()
    stored = memory_keyring.secrets[("what-matters-kiosk", "tablet-7")]
    assert stored.startswith("-----BEGIN PRIVATE KEY-----\n")
    loaded = KeyringKeyStore(name="tablet-7").load()
    assert loaded.device_id == created.device_id
    assert_signs(loaded, created)


def test_keyring_create_twice_refuses(memory_keyring: MemoryKeyring) -> None:
    keys = KeyringKeyStore()
    first = keys.create()
    with pytest.raises(DeviceKeyError, match="already has a device key"):
        keys.create()
    assert keys.load().device_id == first.device_id


def test_keyring_entries_are_separate_by_service_and_name(memory_keyring: MemoryKeyring) -> None:
    KeyringKeyStore(name="a").create()
    with pytest.raises(DeviceKeyError, match="not enrolled"):
        KeyringKeyStore(name="b").load()
    with pytest.raises(DeviceKeyError, match="not enrolled"):
        KeyringKeyStore(service="other", name="a").load()


def test_keyring_without_a_key_says_not_enrolled(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(DeviceKeyError, match=r"^This tablet is not enrolled"):
        KeyringKeyStore().load()


@pytest.mark.parametrize("text", ["garbage", "ключ"])
def test_keyring_refuses_an_entry_that_is_not_a_key(
    memory_keyring: MemoryKeyring, text: str
) -> None:
    memory_keyring.set_password("what-matters-kiosk", "device-key", text)
    with pytest.raises(DeviceKeyError, match="is not a device key"):
        KeyringKeyStore().load()


def test_keyring_failures_are_plain_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(DeviceKeyError, match="Cannot read the device key in the system keyring"):
        KeyringKeyStore().load()
    with pytest.raises(DeviceKeyError, match="system keyring"):
        KeyringKeyStore().create()


def test_keyring_not_installed_is_a_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    keys = KeyringKeyStore()  # constructing it needs no keyring
    with pytest.raises(DeviceKeyError, match="the keyring package is not installed"):
        keys.load()
    with pytest.raises(DeviceKeyError, match="the keyring package is not installed"):
        keys.create()


def test_load_says_when_the_key_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unreadable case, also when the tests run as root."""
    keys = FileKeyStore(tmp_path)
    keys.create()
    real_open = os.open

    def denied(path: str | os.PathLike[str], flags: int, *args: object, **kw: object) -> int:
        if os.fspath(path) == os.fspath(keys.path):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(DeviceKeyError, match=r"Cannot read the device key .*Permission denied"):
        keys.load()


@pytest.mark.parametrize("code", [errno.EPERM, errno.EXDEV])
def test_create_works_where_hard_links_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_links(*args: object, **kw: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    keys = FileKeyStore(tmp_path)
    created = keys.create()
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600
    assert keys.load().device_id == created.device_id
    with pytest.raises(DeviceKeyError, match="already has a device key"):
        keys.create()
    assert [p.name for p in tmp_path.iterdir()] == ["device.key"]
