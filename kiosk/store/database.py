"""Open the tablet database: SQLite in WAL mode with full, durable commits.

``synchronous=FULL`` in WAL mode makes every commit durable before it returns,
so an answer acknowledged to the screen survives a power cut. ``secure_delete``
overwrites deleted content, so acknowledged ciphertext does not linger in free
pages. The schema is built and upgraded by the Alembic migrations.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

from kiosk.site.files import private_database_file
from kiosk.store.errors import CorruptDatabaseError, known_errors

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
DATABASE_FILE = "tablet.db"


def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_engine(path: Path) -> Engine:
    """An engine for the database at ``path`` with the durability pragmas on every connection."""
    with known_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        private_database_file(path)
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _pragmas)
    try:
        with known_errors(path), engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
            # Damage away from the schema page only shows when its pages are read:
            # find it now, not when a patient's answers are being saved.
            check = connection.exec_driver_sql("PRAGMA quick_check").scalar()
        if check != "ok":
            raise CorruptDatabaseError(
                f"The database {path} is damaged. Keep the file for investigation and restore "
                "from backup; do not delete it."
            )
    except BaseException:
        engine.dispose()
        raise
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


BACKUPS_FOLDER = "backups"
KEEP_BACKUPS = 3


def migrate(engine: Engine, path: Path) -> None:
    """Bring the schema to the newest revision (tests build it this way too).

    Before an existing database is upgraded, a copy of it is kept in
    ``backups/`` beside it (the newest three), holding the same ciphertext as the
    database itself except the clinic lists. A database made by a newer version
    is refused, unchanged."""
    with known_errors(path):
        remove_partial_copies(path.parent / BACKUPS_FOLDER)
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    with known_errors(path), engine.connect() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
    if before is not None and before in known and before != head:
        with known_errors(path):
            back_up_before_upgrade(engine, path, before, str(head))
    with known_errors(path), engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None and current not in known:
            raise CorruptDatabaseError(
                f"The database {path} was made by a newer version of this software "
                f"(schema {current}). Install the newer version; the file is unchanged."
            )
        if current != head:
            log.info("upgrading tablet database from %s to %s", current, head)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def back_up_before_upgrade(engine: Engine, path: Path, current: str, head: str) -> Path:
    """A consistent copy of the database (SQLite's online backup), mode 0600, without
    the clinic lists.

    Copies may be kept for months, and a clinic list (names, dates of birth, NHS
    numbers) may stay on the tablet only on its own day, so the list rows are
    removed from the copy, and the copy rebuilt so no freed page still holds
    them, before it gets its final name: a copy under a backup's name never
    holds a clinic list, even after a power cut part-way. The list is the
    clinic's to send again; nothing a patient entered is left out."""
    folder = path.parent / BACKUPS_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    remove_partial_copies(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copy = folder / f"{path.stem}-before-{current}-to-{head}-{stamp}.db"
    partial = copy.with_name(copy.name + ".partial")
    partial.touch(mode=0o600, exist_ok=False)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
            _without_clinic_lists(target)
        finally:
            target.close()
    finally:
        raw.close()
    partial.replace(copy)
    log.info("tablet database backed up before upgrading from %s to %s", current, head)
    by_age = sorted(folder.glob(f"{path.stem}-before-*.db"), key=lambda p: p.stem[-22:])
    for old in by_age[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return copy


def remove_partial_copies(folder: Path) -> None:
    """Remove copies a power cut left half made: they may still hold a clinic list."""
    for partial in folder.glob("*.db.partial*"):
        partial.unlink(missing_ok=True)


def _without_clinic_lists(copy: sqlite3.Connection) -> None:
    """Remove every clinic list from ``copy``; rebuild it so no free page keeps one."""
    # One self-contained file: no -wal beside it, and no rollback journal on disk holding
    # the rows being deleted (an interrupted copy is thrown away, so none is needed).
    copy.execute("PRAGMA journal_mode=MEMORY")
    copy.execute("PRAGMA secure_delete=ON")
    has_lists = copy.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'clinic_lists'"
    ).fetchone()[0]
    if has_lists:
        copy.execute("DELETE FROM clinic_lists")
        copy.commit()
    copy.execute("VACUUM")


def integrity_check(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("PRAGMA integrity_check")).scalar())
