"""The outbox and the database around it: acknowledged ciphertext is deleted (now
or after the retention period) and overwritten on disk, the event log is
append-only and holds no answers, every connection is durable, and the schema
is the Alembic migrations' head.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import kiosk.store.store as store_module
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.database import alembic_config
from kiosk.store.errors import StoreError
from kiosk.store.events import append_event
from kiosk.store.models import Base
from kiosk.store.store import OutboxItem, TabletStore

pytestmark = pytest.mark.store

FORMS = [{"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64}]
Scan = Callable[[Path, list[bytes]], list[tuple[str, bytes]]]


def submit(store: TabletStore, *answers: object) -> OutboxItem:
    session = store.start_session("cardiology", FORMS)
    for index, value in enumerate(answers):
        session.answer("what_matters", f"item_{index}", value)
    session.submit()
    (item,) = [i for i in store.pending() if i.submission_id == session.id]
    return item


def column(data_dir: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(data_dir / "tablet.db")
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def ciphertext_pieces(envelope: bytes, size: int = 32) -> list[bytes]:
    """Pieces of every sealed record and of the wrapped key, as stored anywhere:
    raw (the records table) and base64 (the envelope, the sessions table)."""
    document = json.loads(envelope)
    texts = [r["sealed"] for r in document["records"]]
    texts += [document["key"]["ciphertext"], document["key"]["ephemeral"]]
    pieces = []
    for encoded in texts:
        raw = base64.b64decode(encoded)
        pieces += [raw[i : i + size] for i in range(0, len(raw) - size + 1, size)]
        data = encoded.encode()
        pieces += [data[i : i + size] for i in range(0, len(data) - size + 1, size)]
    return pieces


# ------------------------------------------------------------------ pending


def test_the_waiting_ids_are_read_once_and_each_batch_by_id(store: TabletStore) -> None:
    first, second, third = (submit(store, "walking"), submit(store, "sleep"), submit(store))
    ids = store.pending_ids()
    assert ids == [i.submission_id for i in store.pending()] and len(ids) == 3

    store.acknowledge_all({second.submission_id: second.envelope_hash})

    # Asked for in any order, the ones still waiting come back in that order, whole;
    # the one let go meanwhile and an id the tablet never had are left out.
    asked = [third.submission_id, second.submission_id, "0" * 32, first.submission_id]
    assert store.pending_items(asked) == [third, first]
    assert store.pending_ids() == [first.submission_id, third.submission_id]
    assert store.pending_ids(limit=1) == [first.submission_id]


# ------------------------------------------------------------------ acknowledge


def test_a_batch_of_receipts_lets_go_only_of_the_matching_ones(store: TabletStore) -> None:
    matching, wrong, untouched = (submit(store, "walking"), submit(store, "sleep"), submit(store))

    mismatched = store.acknowledge_all(
        {matching.submission_id: matching.envelope_hash, wrong.submission_id: "sha256:" + "0" * 64}
    )

    assert mismatched == {wrong.submission_id}
    assert {i.submission_id for i in store.pending()} == {
        wrong.submission_id,
        untouched.submission_id,
    }
    assert store.counts()["acknowledged"] == 1
    # A late duplicate reply for one already let go changes nothing.
    assert store.acknowledge_all({matching.submission_id: "sha256:" + "1" * 64}) == set()


def test_a_batch_naming_a_submission_the_tablet_never_had_lets_go_of_nothing(
    store: TabletStore,
) -> None:
    item = submit(store, "walking")

    with pytest.raises(StoreError):
        store.acknowledge_all({item.submission_id: item.envelope_hash, "no-such-id": "sha256:x"})

    assert store.pending() == [item]  # one transaction: all or nothing, so only a resend


def test_acknowledge_deletes_the_ciphertext(store: TabletStore, data_dir: Path) -> None:
    item = submit(store, "walking", ["pain"])
    other = submit(store, "sleep")
    assert store.counts()["outbox"] == 2

    store.acknowledge(item.submission_id, item.envelope_hash)

    assert store.counts() == {"outbox": 1, "acknowledged": 1, "in_progress": 0, "quarantined": 0}
    assert store.pending() == [other]
    rows = column(
        data_dir,
        "SELECT envelope, envelope_hash, acknowledged_at, delete_after FROM outbox "
        "WHERE submission_id = ?",
        item.submission_id,
    )
    ((envelope, receipt, acknowledged_at, delete_after),) = rows
    assert envelope is None
    assert receipt == item.envelope_hash  # the receipt is kept
    assert acknowledged_at is not None
    assert delete_after is None
    (synced,) = store.events("submission_synced")
    assert synced["submission_id"] == item.submission_id
    assert synced["bytes"] == len(item.envelope)


@pytest.mark.control("H-15-C3")
def test_acknowledged_ciphertext_is_gone_from_every_file(
    store: TabletStore, data_dir: Path, scan_files: Scan
) -> None:
    item = submit(store, "walking", "x" * 10_000, ["pain", "money"])
    kept = submit(store, "sleep", "y" * 10_000)
    gone, stays = ciphertext_pieces(item.envelope), ciphertext_pieces(kept.envelope)
    assert len(gone) > 300
    assert scan_files(data_dir, gone), "before: the scan must find the ciphertext"

    store.acknowledge(item.submission_id, item.envelope_hash)  # checkpoints too
    store.checkpoint()

    assert scan_files(data_dir, gone) == []
    assert len(scan_files(data_dir, stays)) > len(stays) // 2, "the other one is still there"
    assert store.integrity() == "ok"


@pytest.mark.control("H-09-C3")
def test_acknowledging_twice_is_harmless(store: TabletStore) -> None:
    item = submit(store, "walking")
    store.acknowledge(item.submission_id, item.envelope_hash)
    counts = store.counts()
    store.acknowledge(item.submission_id, item.envelope_hash)
    store.acknowledge(item.submission_id, "sha256:" + "0" * 64)  # a late duplicate reply
    assert store.counts() == counts
    assert len(store.events("submission_synced")) == 1
    assert store.pending() == []


def test_send_attempts_are_counted(store: TabletStore, data_dir: Path) -> None:
    item = submit(store, "walking")
    store.record_attempt(item.submission_id, "connection refused " * 40)
    store.record_attempt(item.submission_id, None)
    (pending,) = store.pending()
    assert pending.attempts == 2
    ((last_error,),) = column(data_dir, "SELECT last_error FROM outbox")
    assert last_error is None
    store.record_attempt("0" * 32, "unknown submissions are ignored")


# ------------------------------------------------------------------ retention


def test_retention_keeps_acknowledged_ciphertext_until_it_expires(
    retaining_store: TabletStore, data_dir: Path
) -> None:
    store = retaining_store
    item = submit(store, "walking")
    store.acknowledge(item.submission_id, item.envelope_hash)

    ((envelope, delete_after),) = column(data_dir, "SELECT envelope, delete_after FROM outbox")
    assert envelope == item.envelope
    until = dt.datetime.fromisoformat(str(delete_after))
    assert dt.timedelta(days=6, hours=23) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(days=7)
    assert store.pending() == []  # acknowledged: not sent again
    assert store.counts()["outbox"] == 0
    assert store.counts()["acknowledged"] == 1
    assert store.purge_expired() == 0

    past = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat(timespec="seconds")
    db = sqlite3.connect(data_dir / "tablet.db")
    try:
        db.execute("UPDATE outbox SET delete_after = ?", (past,))
        db.commit()
    finally:
        db.close()
    assert store.purge_expired() == 1
    assert column(data_dir, "SELECT envelope FROM outbox") == [(None,)]
    assert store.purge_expired() == 0


def test_expired_ciphertext_is_purged_when_the_store_opens(
    data_dir: Path,
    clinic: ClinicKeyPair,
    monkeypatch: pytest.MonkeyPatch,
    scan_files: Scan,
) -> None:
    store = TabletStore.open(data_dir, clinic.public, retention_days=7)
    try:
        item = submit(store, "walking", "x" * 5_000)
        store.acknowledge(item.submission_id, item.envelope_hash)
    finally:
        store.close()
    gone = ciphertext_pieces(item.envelope)

    class EightDaysOn(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> EightDaysOn:  # type: ignore[override]
            return super().now(tz) + dt.timedelta(days=8)  # type: ignore[return-value]

    # reopened today: still kept
    store = TabletStore.open(data_dir, clinic.public, retention_days=7)
    store.close()
    assert column(data_dir, "SELECT envelope FROM outbox") == [(item.envelope,)]

    monkeypatch.setattr(
        store_module,
        "dt",
        types.SimpleNamespace(datetime=EightDaysOn, timedelta=dt.timedelta, UTC=dt.UTC),
    )
    store = TabletStore.open(data_dir, clinic.public, retention_days=7)
    try:
        assert column(data_dir, "SELECT envelope FROM outbox") == [(None,)]
        assert scan_files(data_dir, gone) == []
    finally:
        store.close()


# ------------------------------------------------------------------ the event log


@pytest.mark.control("H-14-C4")
def test_the_event_log_is_append_only(store: TabletStore, data_dir: Path) -> None:
    submit(store, "walking")
    before = store.events()
    assert len(before) >= 3
    db = sqlite3.connect(data_dir / "tablet.db")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE events SET kind = 'staff_unlock'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM events")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
        db.rollback()
    finally:
        db.close()
    with store.engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text("UPDATE events SET detail = '{}'"))
    assert store.events() == before


def test_events_never_hold_answer_values(store: TabletStore, data_dir: Path) -> None:
    values = ["Answer-Value-1f0c", "یہ میرا جواب ہے", "9434765919", 987654321]
    session = store.start_session("cardiology", FORMS)
    for index, value in enumerate(values):
        session.answer("what_matters", f"item_{index}", value)
    session.record("_link/patient", {"name": "Answer-Value-Name"})
    session.submit({"note": "Answer-Value-Summary"})
    abandoned = store.start_session("cardiology", FORMS)
    abandoned.answer("what_matters", "item_0", "Answer-Value-Abandoned")
    abandoned.abandon("timed_out")
    (item, _) = store.pending()
    store.acknowledge(item.submission_id, item.envelope_hash)

    logged = json.dumps(store.events(), ensure_ascii=False)
    raw = json.dumps(column(data_dir, "SELECT * FROM events"), ensure_ascii=False)
    for text_ in (logged, raw):
        assert "Answer-Value" not in text_
        assert "یہ میرا جواب ہے" not in text_
        assert "9434765919" not in text_
        assert "987654321" not in text_
        assert "item_" not in text_  # not even which items were answered
    kinds = [e["kind"] for e in store.events()]
    assert kinds == [
        "store_opened",
        "session_started",
        "session_submitted",
        "session_started",
        "session_timed_out",
        "submission_synced",
    ]


def test_the_event_log_refuses_free_text(store: TabletStore) -> None:
    with store.transaction() as db:
        with pytest.raises(ValueError, match="unknown event kind"):
            append_event(db, "patient_said")
        with pytest.raises(ValueError, match="may not include"):
            append_event(db, "session_started", answer="yes")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="never free text"):
            append_event(db, "record_quarantined", reason="x" * 61)


# ------------------------------------------------------------------ durability and schema


@pytest.mark.control("H-08-C1")
def test_every_connection_is_durable(store: TabletStore) -> None:
    with store.engine.connect() as first, store.engine.connect() as second:
        for connection in (first, second):
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA secure_delete").scalar() == 1
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
    with store.transaction() as db:
        assert db.execute(text("PRAGMA synchronous")).scalar() == 2
        assert db.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_the_schema_is_built_by_the_migrations(store: TabletStore, data_dir: Path) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    assert column(data_dir, "SELECT version_num FROM alembic_version") == [(head,)]
    tables = {name for (name,) in column(data_dir, "SELECT name FROM sqlite_master")}
    assert set(Base.metadata.tables) <= tables
    assert {"events_no_update", "events_no_delete"} <= tables  # the triggers
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []  # models match migrations


def test_reopening_does_not_migrate_again(
    store: TabletStore, data_dir: Path, clinic: ClinicKeyPair
) -> None:
    submit(store, "walking")
    store.close()
    reopened = TabletStore.open(data_dir, clinic.public)
    try:
        assert len(reopened.pending()) == 1
        assert len(column(data_dir, "SELECT * FROM alembic_version")) == 1
    finally:
        reopened.close()
