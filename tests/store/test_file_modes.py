"""Database files are readable by their owner only (0600), however they were made:
outside the systemd units the umask is usually 022, which would leave ``tablet.db``
and ``clinic.db`` (and SQLite's -wal and -shm files beside them) readable by every
user of the machine."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.database import DATABASE_FILE, alembic_config
from kiosk.store.store import TabletStore

pytestmark = [pytest.mark.store, pytest.mark.security]
FORMS = [{"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64}]
ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = b"a clinic passphrase for tests"
# Files that hold no patient data and are meant to be readable: the clinic's public
# TLS certificate (tablets are shown it anyway) and the tablet's empty lock file.
PUBLIC = {"clinic-cert.pem", "tablet.lock"}


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask of a login shell, where `kiosk` commands are often first run."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` that may hold data, with its permission bits."""
    return {
        str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in PUBLIC
    }


def test_the_tablet_database_and_its_companions_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = TabletStore.open(data_dir, ClinicKeyPair.generate().public)
    try:
        session = store.start_session("cardiology", FORMS)
        session.answer("what_matters", "priority", "walking the dog")
        session.submit()
        found = modes(data_dir)  # while open: the -wal and -shm files are there too
    finally:
        store.close()
    assert {DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm"} <= set(found)
    assert {name: oct(mode) for name, mode in found.items() if mode != 0o600} == {}


def test_the_copy_taken_before_an_upgrade_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    clinic = ClinicKeyPair.generate()
    TabletStore.open(data_dir, clinic.public).close()
    engine = create_engine(f"sqlite:///{data_dir / DATABASE_FILE}")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
    finally:
        engine.dispose()
    TabletStore.open(data_dir, clinic.public).close()  # upgrades, after a copy
    found = modes(data_dir)
    assert any(name.startswith("backups/") for name in found), found
    assert {name: oct(mode) for name, mode in found.items() if mode != 0o600} == {}


def test_a_tablet_database_others_could_read_is_made_private(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "data"
    clinic = ClinicKeyPair.generate()
    TabletStore.open(data_dir, clinic.public).close()
    (data_dir / DATABASE_FILE).chmod(0o644)  # as an older version left it
    with caplog.at_level(logging.WARNING, logger="kiosk.store.database"):
        TabletStore.open(data_dir, clinic.public).close()
    assert stat.S_IMODE((data_dir / DATABASE_FILE).stat().st_mode) == 0o600
    assert "could be read by other users" in caplog.text


def test_the_clinic_folder_is_private_after_init_and_writes(tmp_path: Path) -> None:
    from kiosk.clinic.setup import init_clinic, open_service

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, None, [ROOT / "forms"])
    try:
        service.issue_code("user:test")
        service.staff.add("admin", "administrator", "a long staff password", "user:test")
        found = modes(folder)
    finally:
        service.engine.dispose()
    assert {"clinic.db", "clinic.db-wal", "clinic.db-shm"} <= set(found)
    assert {name: oct(mode) for name, mode in found.items() if mode != 0o600} == {}


def test_a_clinic_database_others_could_read_is_made_private(tmp_path: Path) -> None:
    from kiosk.clinic.setup import init_clinic, open_service

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    open_service(folder, PASSPHRASE, None, [ROOT / "forms"]).engine.dispose()
    (folder / "clinic.db").chmod(0o644)
    open_service(folder, PASSPHRASE, None, [ROOT / "forms"]).engine.dispose()
    assert stat.S_IMODE((folder / "clinic.db").stat().st_mode) == 0o600
