"""Back up a clinic, destroy it, restore it: every submission still opens."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text

from kiosk.cli.demo_patients import DEMO_PATIENTS
from kiosk.clinic.backup import BackupError, back_up, before_upgrade, restore
from kiosk.clinic.config import BackupPolicy
from kiosk.clinic.database import DatabaseError, alembic_config, head_revision
from kiosk.clinic.setup import open_service
from kiosk.clinic.staff import StaffMember

pytestmark = [pytest.mark.clinic, pytest.mark.release]
FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"


def readable(
    folder: Path,
    ids: dict[str, str],
    url: str | None = None,
    backups: BackupPolicy | None = None,
) -> dict[str, str]:
    """Open the clinic (upgrading it, with ``backups``, if its schema is older) and
    read every submission's summary (decrypts all)."""
    service = open_service(folder, PASSPHRASE, url, [FORMS], backups)
    try:
        reader = StaffMember("clinician", "clinician")
        return {
            key: service.casework.summary(reader, sid, None)["submission_id"]
            for key, sid in ids.items()
        }
    finally:
        service.engine.dispose()


@pytest.mark.control("H-25-C1")
def test_back_up_destroy_restore_and_every_submission_opens(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    archive = tmp_path / "backups" / "clinic.tar"
    report = back_up(folder, archive)  # while the service is running
    assert report.submissions == len(clinic.ids) and report.schema == head_revision()
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds the keys
    clinic.running.stop()
    clinic.service.engine.dispose()
    shutil.rmtree(folder)  # the server is lost
    restored = tmp_path / "restored"
    restore(archive, restored)
    assert readable(restored, clinic.ids) == clinic.ids
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, restored)


@pytest.mark.control("H-25-C1")
def test_a_damaged_backup_is_refused_and_nothing_is_written(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    archive = tmp_path / "clinic.tar"
    back_up(Path(clinic.certificate).parent, archive)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if info.name == "server.key":
                data = bytes(32)
            dst.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"server\.key is damaged"):
        restore(damaged, tmp_path / "restored")
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())
    (tmp_path / "junk.tar").write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match=r"cannot be read as a clinic backup"):
        restore(tmp_path / "junk.tar", tmp_path / "restored2")


def test_the_command_line_backs_up_and_restores(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    base = [sys.executable, "-m", "kiosk", "clinic"]
    done = subprocess.run(
        [*base, "backup", str(folder), "--out", str(tmp_path / "b.tar")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(clinic.ids)} submissions and the key files backed up" in done.stdout
    done = subprocess.run(
        [*base, "restore", str(tmp_path / "b.tar"), "--to", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "is not empty" in done.stderr
    done = subprocess.run(
        [*base, "restore", str(tmp_path / "b.tar"), "--to", str(tmp_path / "new")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert readable(tmp_path / "new", clinic.ids) == clinic.ids


# ------------------------------------------------ PostgreSQL, and upgrades


def another_empty_database(request: pytest.FixtureRequest, url: str, folder: Path) -> str:
    """Where a restore goes: a new PostgreSQL database, or None-equivalent for SQLite
    (the database file comes back inside the restored folder)."""
    if not url.startswith("postgresql"):
        return f"sqlite:///{folder / 'clinic.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"kiosk_restore_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))

    def drop() -> None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    request.addfinalizer(drop)
    return str(make_url(url).set(database=name).render_as_string(hide_password=False))


def schema_at(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def stop(clinic: Any) -> None:
    clinic.running.stop()
    clinic.service.engine.dispose()


@pytest.mark.control("H-25-C1")
def test_back_up_destroy_restore_on_either_database(
    make_staff_clinic: Callable[..., Any],
    database_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    clinic = make_staff_clinic(database_url)
    folder = Path(clinic.certificate).parent
    archive = tmp_path / "clinic.tar"
    report = back_up(folder, archive, database_url)  # while the service runs
    assert report.submissions == len(clinic.ids) == len(DEMO_PATIENTS)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    kind = "clinic.pgdump" if database_url.startswith("postgresql") else "clinic.db"
    assert kind in names and "server.key" in names and "manifest.json" in names
    stop(clinic)
    shutil.rmtree(folder)  # the server and its disk are lost
    target = tmp_path / "restored"
    new_url = another_empty_database(request, database_url, target)
    restored = restore(archive, target, new_url)
    assert restored.submissions == len(clinic.ids)
    assert readable(target, clinic.ids, new_url) == clinic.ids
    if database_url.startswith("postgresql"):
        # A database already in use is never overwritten.
        with pytest.raises(BackupError, match="is not empty: restore into a new, empty database"):
            restore(archive, tmp_path / "elsewhere", new_url)
        assert not (tmp_path / "elsewhere").exists()


def downgrade_to(url: str, revision: str) -> None:
    """Leave the database as the previous release left it."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                config = alembic_config()
                config.attributes["connection"] = connection
                command.downgrade(config, revision)
    finally:
        engine.dispose()


@pytest.mark.control("H-25-C2")
def test_an_upgrade_from_the_previous_schema_backs_up_first_and_keeps_every_submission(
    make_staff_clinic: Callable[..., Any],
    database_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    clinic = make_staff_clinic(database_url)
    folder = Path(clinic.certificate).parent
    stop(clinic)
    downgrade_to(database_url, "0002")
    assert schema_at(database_url) == "0002"
    policy = BackupPolicy(tmp_path / "backups", before_upgrade=True, keep=2)

    # The new version starts: it backs up, then upgrades.
    assert readable(folder, clinic.ids, database_url, policy) == clinic.ids
    assert schema_at(database_url) == head_revision()
    made = sorted((tmp_path / "backups").iterdir())
    assert [p.name.startswith(f"before-upgrade-0002-to-{head_revision()}-") for p in made] == [True]
    assert made[0].stat().st_mode & 0o777 == 0o600
    # Starting again takes no further backup: the database is up to date.
    assert readable(folder, clinic.ids, database_url, policy) == clinic.ids
    assert sorted((tmp_path / "backups").iterdir()) == made

    # The automatic backup is a whole clinic at the old schema: restore it, and the
    # software upgrades it again with every submission readable.
    target = tmp_path / "from-automatic"
    new_url = another_empty_database(request, database_url, target)
    assert restore(made[0], target, new_url).schema == "0002"
    assert schema_at(new_url) == "0002"
    assert readable(target, clinic.ids, new_url) == clinic.ids


def test_only_the_newest_automatic_backups_are_kept(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    stop(clinic)
    policy = BackupPolicy(tmp_path / "backups", keep=2)
    mine = tmp_path / "backups" / "by-hand.tar"
    back_up(folder, mine)
    for _ in range(3):
        before_upgrade(folder, None, policy, "0002", "0003")
    automatic = sorted((tmp_path / "backups").glob("before-upgrade-*.tar"))
    assert len(automatic) == 2
    assert mine.exists()  # a backup taken by hand is never removed


@pytest.mark.control("H-25-C2")
def test_a_failed_backup_stops_the_upgrade_and_changes_nothing(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    stop(clinic)
    url = f"sqlite:///{folder / 'clinic.db'}"
    downgrade_to(url, "0002")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    with pytest.raises(DatabaseError) as caught:
        open_service(folder, PASSPHRASE, None, [FORMS], BackupPolicy(blocked))
    message = str(caught.value)
    assert f"needs an upgrade (schema 0002 to {head_revision()})" in message
    assert "backup before it failed, so nothing was changed" in message
    assert schema_at(url) == "0002"


@pytest.mark.control("H-25-C3")
def test_a_database_from_a_newer_version_is_refused_plainly(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    stop(clinic)
    url = f"sqlite:///{folder / 'clinic.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("update alembic_version set version_num = '0099'"))
    engine.dispose()
    before = (folder / "clinic.db").read_bytes()
    with pytest.raises(DatabaseError, match=r"made by a newer version of What Matters Kiosk"):
        open_service(folder, PASSPHRASE, None, [FORMS], BackupPolicy(tmp_path / "b"))
    assert (folder / "clinic.db").read_bytes() == before
    assert not (tmp_path / "b").exists()
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(PASSPHRASE)
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "kiosk", "clinic", "serve", str(folder)),
            *("--passphrase-file", str(passphrase)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "newer version" in done.stderr and "Traceback" not in done.stderr
