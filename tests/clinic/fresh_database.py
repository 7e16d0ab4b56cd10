"""A fresh, empty PostgreSQL database for a test or a module of tests, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


@contextmanager
def fresh_postgres_database(server: Engine) -> Iterator[str]:
    """The SQLAlchemy URL of a new database on ``server``; dropped on the way out, with
    any connection still open to it ended first."""
    name = f"kiosk_test_{uuid.uuid4().hex[:16]}"
    # template0 is empty by definition (template1 may carry extensions); UTF8
    # because patients answer in many languages.
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    try:
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            version = connection.execute(text("show server_version_num")).scalar_one()
            if int(version) >= 130000:
                # FORCE ends connections a test's engine still holds open.
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                connection.execute(
                    text(
                        "select pg_terminate_backend(pid) from pg_stat_activity where datname = :n"
                    ),
                    {"n": name},
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
