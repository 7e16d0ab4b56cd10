"""`kiosk clinic check-config`'s look at the database: found as it is, never changed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from kiosk.clinic.database import head_revision, open_database
from kiosk.clinic.database_check import check_database


def test_a_database_not_made_yet_is_made_on_first_start(tmp_path: Path) -> None:
    found = check_database(f"sqlite:///{tmp_path / 'clinic.db'}")
    assert (found.state, found.problem) == ("made on first start", None)
    assert not (tmp_path / "clinic.db").exists()


def test_an_empty_database_gets_its_schema_on_first_start(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "clinic.db").close()
    found = check_database(f"sqlite:///{tmp_path / 'clinic.db'}")
    assert found.state == "empty; the schema is made on first start"


def test_an_up_to_date_database_names_its_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    open_database(url).dispose()
    found = check_database(url)
    assert found.state == f"schema {head_revision()}, up to date"
    assert found.shown == url


def test_a_database_from_a_newer_version_is_a_problem_and_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    open_database(url).dispose()
    with closing(sqlite3.connect(tmp_path / "clinic.db")) as db, db:
        db.execute("update alembic_version set version_num = 'f00dfeedbeef'")
    found = check_database(url)
    assert found.state is None
    assert found.problem is not None and "made by a newer version" in found.problem
    with closing(sqlite3.connect(tmp_path / "clinic.db")) as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [
            ("f00dfeedbeef",)
        ]


def test_a_server_that_cannot_be_reached_is_a_problem_with_its_password_hidden() -> None:
    found = check_database("postgresql://clinic:secret@127.0.0.1:9/clinic?connect_timeout=2")
    assert found.problem is not None and found.problem.startswith("cannot connect (")
    assert "secret" not in found.shown and "***" in found.shown
