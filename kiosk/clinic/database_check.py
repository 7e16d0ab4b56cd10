"""The clinic database as ``kiosk clinic check-config`` reports it: reachable or not,
and its schema against this version's; nothing is made, migrated or changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kiosk.clinic.database import DatabaseError, head_revision, refuse_newer, schema_revision


@dataclass(frozen=True)
class DatabaseCheck:
    """What was found: ``state`` when the database is usable, else ``problem``."""

    shown: str  # the database URL with its password hidden
    state: str | None = None
    problem: str | None = None


def check_database(database_url: str) -> DatabaseCheck:
    """Connect to the database (a missing SQLite file is not made) and read its schema."""
    url = make_url(database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return DatabaseCheck(shown, state="made on first start")
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        current = schema_revision(engine)
        refuse_newer(current)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return DatabaseCheck(shown, problem=f"cannot connect ({reason})")
    except DatabaseError as exc:
        return DatabaseCheck(shown, problem=str(exc))
    finally:
        engine.dispose()
    head = head_revision()
    if current is None:
        state = "empty; the schema is made on first start"
    elif current == head:
        state = f"schema {current}, up to date"
    else:
        state = f"schema {current}; upgraded to {head} on next start, after a backup"
    return DatabaseCheck(shown, state=state)
