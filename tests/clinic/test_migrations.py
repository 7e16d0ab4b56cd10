"""The clinic database's migrations: they match the models, and an older database
with data in it is brought up to date without losing anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from kiosk.clinic.database import alembic_config, open_database
from kiosk.clinic.models import Base

pytestmark = [pytest.mark.clinic, pytest.mark.release]


def test_the_models_match_the_migrations(database_url: str) -> None:
    engine = open_database(database_url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.control("H-25-C2")
def test_a_first_version_database_with_submissions_is_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    old = create_engine(url)
    with old.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for sid, started, severity, flag in (
            ("a" * 32, "2026-11-20T09:00:00.000+00:00", "urgent", "feel_unsafe"),
            ("b" * 32, "2026-11-21T10:00:00.000+00:00", "high", "wants_help"),
            ("c" * 32, "2026-11-21T11:00:00.000+00:00", None, None),
        ):
            connection.execute(
                text(
                    "insert into submissions (id, device_id, envelope, envelope_hash, "
                    "received_at, status, end_reason, pathway, started_at, failed_records) "
                    "values (:i, 'dev', x'00', 'h', :s, 'complete', 'submitted', "
                    "'cardiology', :s, 0)"
                ),
                {"i": sid, "s": started},
            )
            if flag:
                connection.execute(
                    text(
                        "insert into flags (submission_id, form_id, flag_id, severity, "
                        "raised_at) values (:i, 'social_welfare', :f, :v, :s)"
                    ),
                    {"i": sid, "f": flag, "v": severity, "s": started},
                )
    old.dispose()
    engine = open_database(url)  # migrates to the newest schema on opening
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "select s.id, s.day, s.urgency, t.status, t.version from submissions s "
                    "join triage t on t.submission_id = s.id order by s.id"
                )
            ).all()
            flags = connection.execute(text("select count(*) from flags")).scalar_one()
    finally:
        engine.dispose()
    assert [(r[0][0], r[1] is not None, r[2], r[3], r[4]) for r in rows] == [
        ("a", True, 0, "new", 0),
        ("b", True, 1, "new", 0),
        ("c", True, 3, "new", 0),
    ]
    assert flags == 2  # nothing cascaded away while the table changed
