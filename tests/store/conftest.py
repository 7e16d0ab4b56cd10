"""Fixtures for the encrypted tablet store tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.store import TabletStore

FileScan = Callable[[Path, Iterable[bytes]], list[tuple[str, bytes]]]


@pytest.fixture
def clinic() -> ClinicKeyPair:
    """A fresh test clinic key pair (the private half never goes near the tablet)."""
    return ClinicKeyPair.generate()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clinic: ClinicKeyPair) -> Iterator[TabletStore]:
    """An open tablet store enrolled with ``clinic``; closed after the test."""
    opened = TabletStore.open(data_dir, clinic.public)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def retaining_store(data_dir: Path, clinic: ClinicKeyPair) -> Iterator[TabletStore]:
    """An open tablet store that keeps acknowledged envelopes for 7 days."""
    opened = TabletStore.open(data_dir, clinic.public, retention_days=7)
    try:
        yield opened
    finally:
        opened.close()


def all_files(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (database, -wal, -shm, journals, temp files)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def find_in_files(root: Path, needles: Iterable[bytes]) -> list[tuple[str, bytes]]:
    """(file, needle) for every needle found in any file under ``root``."""
    wanted = [n for n in needles if n]
    return [
        (name, needle)
        for name, data in all_files(root).items()
        for needle in wanted
        if needle in data
    ]


@pytest.fixture
def scan_files() -> FileScan:
    """``scan_files(root, needles)`` -> the (file, needle) pairs found under ``root``."""
    return find_in_files
