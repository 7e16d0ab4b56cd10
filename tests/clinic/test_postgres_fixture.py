"""The database fixtures give real, separate databases of both kinds."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, inspect, make_url, text

pytestmark = pytest.mark.clinic

BACKEND = {"sqlite": "sqlite", "postgres": "postgresql"}

# Databases handed out so far in this session, to check each is dropped afterwards.
handed_out: list[str] = []


def test_postgres_is_a_real_server(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert "PostgreSQL" in connection.execute(text("select version()")).scalar_one()
            assert connection.execute(text("show server_encoding")).scalar_one() == "UTF8"
    finally:
        engine.dispose()


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_its_own_empty_database(
    run: int, postgres_url: str, postgres_server: Engine
) -> None:
    name = make_url(postgres_url).database
    assert name not in handed_out
    with postgres_server.connect() as server:
        listed = set(server.execute(text("select datname from pg_database")).scalars())
    assert name in listed
    assert not listed & set(handed_out), "an earlier test's database was not dropped"
    handed_out.append(name)

    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            # Whichever run comes second would find the first one's table if shared.
            assert inspect(connection).get_table_names() == []
            connection.execute(text("create table marker (run integer)"))
            connection.execute(text("insert into marker values (:run)"), {"run": run})
    finally:
        engine.dispose()


def test_database_url_gives_each_backend(request: pytest.FixtureRequest, database_url: str) -> None:
    backend = request.node.callspec.params["database_url"]
    assert make_url(database_url).get_backend_name() == BACKEND[backend]
    assert (request.node.get_closest_marker("postgres") is not None) == (backend == "postgres")

    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            assert inspect(connection).get_table_names() == []
            connection.execute(text("create table answer (text varchar(40))"))
            connection.execute(text("insert into answer values (:t)"), {"t": "Ça va — 大丈夫"})
            assert connection.execute(text("select text from answer")).scalar_one() == (
                "Ça va — 大丈夫"
            )
    finally:
        engine.dispose()
