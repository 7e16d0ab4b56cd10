"""The purge of acknowledged envelopes whose retention has ended: it searches an index
of only the envelopes kept for retention (migration 0003, also added to tablets
upgraded from 0001 or 0002), forgets exactly the expired acknowledged ones, and never
a patient's answers still waiting to be sent."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.dialects import sqlite

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.database import DATABASE_FILE, alembic_config
from kiosk.store.store import TabletStore, expired_envelopes

from .test_outbox import column, submit

pytestmark = pytest.mark.store

INDEX = "ix_outbox_retained_envelopes"


def stamp(days: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat(timespec="seconds")


def set_delete_after(data_dir: Path, submission_id: str, when: str) -> None:
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    try:
        db.execute(
            "UPDATE outbox SET delete_after = ? WHERE submission_id = ?", (when, submission_id)
        )
        db.commit()
    finally:
        db.close()


def purge_plan(store: TabletStore) -> str:
    statement = expired_envelopes(stamp(0)).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}").all()
    return " / ".join(str(row[-1]) for row in rows)


def indexes(data_dir: Path) -> set[str]:
    found = column(data_dir, "SELECT name FROM sqlite_master WHERE type = 'index'")
    return {str(name) for (name,) in found}


def test_the_purge_searches_only_the_envelopes_kept_for_retention(store: TabletStore) -> None:
    # Not a scan of the outbox, nor of every receipt the tablet has ever kept
    # (ix_outbox_acknowledged_at): an index of the rows that can be purged.
    assert f"USING INDEX {INDEX} (delete_after" in purge_plan(store)


def test_the_purge_forgets_exactly_the_expired_acknowledged_envelopes(
    retaining_store: TabletStore, data_dir: Path
) -> None:
    store = retaining_store
    expired, kept, waiting, waiting_dated = (submit(store, n) for n in ("a", "b", "c", "d"))
    store.acknowledge_all({i.submission_id: i.envelope_hash for i in (expired, kept)})
    set_delete_after(data_dir, expired.submission_id, stamp(-1))
    # Not something the tablet does: even a row that says so is never purged while
    # the clinic has not acknowledged it.
    set_delete_after(data_dir, waiting_dated.submission_id, stamp(-1))

    assert store.purge_expired() == 1
    envelopes = dict(column(data_dir, "SELECT submission_id, envelope FROM outbox"))
    assert envelopes == {
        expired.submission_id: None,
        kept.submission_id: kept.envelope,
        waiting.submission_id: waiting.envelope,
        waiting_dated.submission_id: waiting_dated.envelope,
    }
    still_to_send = {i.submission_id for i in store.pending()}
    assert still_to_send == {waiting.submission_id, waiting_dated.submission_id}
    assert store.purge_expired() == 0


def downgraded(data_dir: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{data_dir / DATABASE_FILE}")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


@pytest.mark.parametrize("earlier", ["0001", "0002"])
def test_an_upgraded_tablet_gets_the_index_and_purges_as_before(
    earlier: str, data_dir: Path, clinic: ClinicKeyPair
) -> None:
    store = TabletStore.open(data_dir, clinic.public, retention_days=7)
    try:
        expired, waiting = submit(store, "a"), submit(store, "b")
        store.acknowledge(expired.submission_id, expired.envelope_hash)
    finally:
        store.close()
    downgraded(data_dir, earlier)
    assert INDEX not in indexes(data_dir)
    set_delete_after(data_dir, expired.submission_id, stamp(-1))

    store = TabletStore.open(data_dir, clinic.public, retention_days=7)  # upgrades, purges
    try:
        assert column(data_dir, "SELECT version_num FROM alembic_version") == [("0003",)]
        assert INDEX in indexes(data_dir)
        assert f"USING INDEX {INDEX}" in purge_plan(store)
        envelopes = dict(column(data_dir, "SELECT submission_id, envelope FROM outbox"))
        assert envelopes == {expired.submission_id: None, waiting.submission_id: waiting.envelope}
        assert [i.submission_id for i in store.pending()] == [waiting.submission_id]
    finally:
        store.close()
