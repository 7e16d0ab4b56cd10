"""The clinic database: SQLite by default, PostgreSQL through a database URL (psycopg 3)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from kiosk.clinic.errors import ClinicError
from kiosk.site.files import private_database_file

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseError(ClinicError):
    """The clinic database cannot be used; the message says why."""


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# Called with the current and the new schema revision before an existing database
# is upgraded (the automatic backup); an exception stops the upgrade.
BeforeUpgrade = Callable[[str, str], object]


def open_database(url: str, before_upgrade: BeforeUpgrade | None = None) -> Engine:
    """An engine for ``url``, schema brought up to date (after ``before_upgrade``,
    if the database has an older schema). DatabaseError in plain words."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{url!r} is not a database URL (e.g. sqlite:///clinic.db)") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError("the clinic database must be SQLite or PostgreSQL")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and "mode=memory" not in url:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            try:
                private_database_file(Path(parsed.database))
            except OSError as exc:
                raise DatabaseError(
                    f"cannot open the clinic database {parsed.database}: {exc.strerror or exc}"
                ) from None
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # Twenty connections at most, as before, but all kept once opened: with ten kept
        # and ten more on overflow, every burst of tablets (a clinic's morning) opened and
        # closed ten PostgreSQL connections, each a new server process.
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=20, max_overflow=0)
    try:
        migrate(engine, before_upgrade)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "unknown"
        raise DatabaseError(
            f"cannot open the clinic database {parsed.render_as_string(hide_password=True)}: "
            f"{reason}"
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def schema_revision(engine: Engine) -> str | None:
    """The database's schema revision (None: an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def migrate(engine: Engine, before_upgrade: BeforeUpgrade | None = None) -> None:
    """Bring the schema up to date. A database made by a newer version is refused
    and left as it is; an older one is first handed to ``before_upgrade``."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    current = schema_revision(engine)
    refuse_newer(current, script)
    head = script.get_current_head()
    if current == head:
        return
    if current is not None and before_upgrade is not None:
        try:
            before_upgrade(current, str(head))
        except Exception as exc:
            raise DatabaseError(
                f"the clinic database needs an upgrade (schema {current} to {head}), but the "
                f"backup before it failed, so nothing was changed: {exc}"
            ) from None
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # A migration that rebuilds a table must never cascade deletes into the
            # tables that refer to it; the pragma only changes outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                _upgrade(connection, config, script)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def refuse_newer(current: str | None, script: ScriptDirectory | None = None) -> None:
    """DatabaseError if ``current`` is a schema revision this version does not know."""
    script = script or ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"the clinic database was made by a newer version of What Matters Kiosk "
            f"(schema {current}; this version knows up to {script.get_current_head()}). "
            "Install that version or newer; the database was not changed"
        )


def _upgrade(connection: Connection, config: Config, script: ScriptDirectory) -> None:
    current = MigrationContext.configure(connection).get_current_revision()
    refuse_newer(current, script)
    if current != script.get_current_head():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
