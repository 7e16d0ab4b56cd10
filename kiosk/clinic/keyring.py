"""The clinic's X25519 key pairs: the newest is the one tablets seal to; every older
one is kept, because submissions sealed to it may still arrive or need reopening.

Keys live in ``DIR/keys/clinic-<id>.key`` (PKCS#8, encrypted with the clinic
passphrase, mode 0600). ``kiosk clinic keys rotate`` adds a new one; docs/clinic.md
describes rotation.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.envelope.keys import ClinicKeyPair, read_private_key, write_private_key

KEYS_FOLDER = "keys"


class KeyRing:
    def __init__(self, pairs: list[ClinicKeyPair]) -> None:
        if not pairs:
            raise ValueError("a key ring needs at least one key")
        self.pairs = pairs  # oldest first

    @classmethod
    def load(cls, folder: Path, passphrase: bytes) -> KeyRing:
        files = sorted((folder / KEYS_FOLDER).glob("clinic-*.key"), key=lambda p: p.stat().st_mtime)
        if not files:
            raise FileNotFoundError(
                f"there is no clinic key in {folder / KEYS_FOLDER}: run kiosk clinic init"
            )
        return cls([read_private_key(path, passphrase) for path in files])

    @classmethod
    def create(cls, folder: Path, passphrase: bytes) -> KeyRing:
        (folder / KEYS_FOLDER).mkdir(parents=True, exist_ok=True, mode=0o700)
        pair = ClinicKeyPair.generate()
        write_private_key(pair, folder / KEYS_FOLDER / f"clinic-{pair.id}.key", passphrase)
        return cls([pair])

    @staticmethod
    def rotate(folder: Path, passphrase: bytes) -> ClinicKeyPair:
        pair = ClinicKeyPair.generate()
        write_private_key(pair, folder / KEYS_FOLDER / f"clinic-{pair.id}.key", passphrase)
        return pair

    @property
    def current(self) -> ClinicKeyPair:
        return self.pairs[-1]

    def private_keys(self) -> dict[str, X25519PrivateKey]:
        return {pair.id: pair.private for pair in self.pairs}

    def public_texts(self) -> list[str]:
        """The current key first (the one tablets seal to), then the older ones."""
        return [pair.public.to_text() for pair in reversed(self.pairs)]
