"""Upgrading the tablet database: a copy of the old one is kept first, and what
patients had answered is still there afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.database import DATABASE_FILE, alembic_config
from kiosk.store.store import TabletStore

pytestmark = [pytest.mark.store, pytest.mark.release]
FORMS = [{"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64}]
SECRET = "I look after my dad and worry about money"


def schema_of(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("select version_num from alembic_version").fetchone()[0])
    finally:
        db.close()


def rows(path: Path, table: str) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])
    finally:
        db.close()


def previous_version_store(data_dir: Path, clinic: ClinicKeyPair) -> int:
    """A tablet database as the previous release left it (schema 0001) with a
    finished and an unfinished session in it; returns the number of sessions."""
    store = TabletStore.open(data_dir, clinic.public)
    try:
        done = store.start_session("cardiology", FORMS)
        done.answer("what_matters", "priority", SECRET)
        done.submit()
        store.start_session("cardiology", FORMS).answer("what_matters", "priority", "walking")
    finally:
        store.close()
    engine = create_engine(f"sqlite:///{data_dir / DATABASE_FILE}")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
    finally:
        engine.dispose()
    assert schema_of(data_dir / DATABASE_FILE) == "0001"
    return rows(data_dir / DATABASE_FILE, "sessions")


@pytest.mark.control("H-25-C2")
def test_an_upgrade_keeps_a_copy_of_the_old_database_first(
    tmp_path: Path, clinic: ClinicKeyPair, scan_files: object
) -> None:
    data_dir = tmp_path / "data"
    sessions = previous_version_store(data_dir, clinic)
    store = TabletStore.open(data_dir, clinic.public)
    try:
        counts = store.counts()
    finally:
        store.close()
    assert schema_of(data_dir / DATABASE_FILE) == "0003"
    # Both patients' answers survived the upgrade and wait to be sent (the
    # interrupted session sealed as incomplete, as on any start).
    assert counts["outbox"] == 2 and counts["in_progress"] == 0, counts
    copies = sorted((data_dir / "backups").iterdir())
    assert [p.name[: len("tablet-before-0001-to-0003-")] for p in copies] == [
        "tablet-before-0001-to-0003-"
    ]
    copy = copies[0]
    assert schema_of(copy) == "0001" and rows(copy, "sessions") == sessions
    assert copy.stat().st_mode & 0o777 == 0o600
    assert (data_dir / "backups").stat().st_mode & 0o777 == 0o700
    # The copy is as unreadable as the database: no answer in plain text.
    assert scan_files(data_dir / "backups", [SECRET.encode()]) == []  # type: ignore[operator]
    # Opening an up-to-date database takes no further copy.
    TabletStore.open(data_dir, clinic.public).close()
    assert sorted((data_dir / "backups").iterdir()) == copies


def test_only_the_newest_three_copies_are_kept(tmp_path: Path, clinic: ClinicKeyPair) -> None:
    data_dir = tmp_path / "data"
    previous_version_store(data_dir, clinic)
    for _ in range(4):
        TabletStore.open(data_dir, clinic.public).close()
        engine = create_engine(f"sqlite:///{data_dir / DATABASE_FILE}")
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        engine.dispose()
    TabletStore.open(data_dir, clinic.public).close()
    assert len(list((data_dir / "backups").iterdir())) == 3
