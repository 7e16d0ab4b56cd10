"""Database fixtures for the clinic service tests: SQLite, and a real PostgreSQL.

The clinic service runs on PostgreSQL, so its tests run against a real server,
not an imitation. Where the server is comes from ``KIOSK_TEST_POSTGRES_URL``
(a SQLAlchemy URL of any database the test user may connect to and create
databases from); unset, it is ``postgresql+psycopg://postgres@127.0.0.1:5432/test``.
``bash .ci/run`` sets it, starting a throwaway server if the machine has none.

Without a server, PostgreSQL tests are skipped, except when
``KIOSK_REQUIRE_POSTGRES=1`` (CI sets it): then they fail, so that CI can never
go green while quietly testing nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from tests.clinic.fresh_database import fresh_postgres_database

DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the server directly, so ``-m "not postgres"`` works."""
    for item in items:
        if {"postgres_url", "postgres_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def _no_server(reason: str) -> NoReturn:
    """Skip the test, or fail it where a server is required (CI)."""
    if "1" in (os.environ.get("KIOSK_REQUIRE_POSTGRES"), os.environ.get("KIOSK_CI")):
        pytest.fail(f"{reason} (KIOSK_REQUIRE_POSTGRES=1 or KIOSK_CI=1, so this is a failure)")
    pytest.skip(
        f"{reason}. `bash .ci/run` starts one; or set KIOSK_TEST_POSTGRES_URL "
        "to a server where this user may create databases"
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the server's maintenance database (for CREATE/DROP DATABASE)."""
    url = os.environ.get("KIOSK_TEST_POSTGRES_URL") or DEFAULT_SERVER_URL
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        engine = create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
    except ImportError as error:
        _no_server(f"cannot talk to PostgreSQL at {shown}: {error}")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except DBAPIError as error:
        engine.dispose()
        why = str(error.orig).strip().splitlines()[0]
        _no_server(f"no PostgreSQL server at {shown} ({why})")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url(postgres_server: Engine) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped after the test."""
    with fresh_postgres_database(postgres_server) as url:
        yield url


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, then a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'clinic.db'}"
    # Looked up only for the postgres case, so SQLite runs need no server.
    url: str = request.getfixturevalue("postgres_url")
    return url
