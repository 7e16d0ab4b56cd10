"""A record is stored durably before SealedSession.record returns, and only then."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import pytest
from sqlalchemy import event

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.store import TabletStore


def _watch(store: TabletStore) -> tuple[list[str], list[sqlite3.Connection]]:
    """The SQL run from now on, and the database connections it ran on."""
    statements: list[str] = []
    connections: list[sqlite3.Connection] = []

    def checked_out(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)
        connections.append(dbapi_connection)

    event.listen(store.engine, "checkout", checked_out)
    return statements, connections


def _seen_from_outside(store: TabletStore, session_id: str) -> list[tuple[int, str]]:
    """The records stored under ``session_id``, as another connection (another process)
    sees them."""
    with closing(sqlite3.connect(store.db_path)) as other:
        return other.execute(
            "SELECT seq, name FROM records WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()


def test_an_answer_is_committed_with_a_full_sync_before_record_returns(
    store: TabletStore, clinic: ClinicKeyPair
) -> None:
    session = store.start_session("cardiology", [])
    statements, connections = _watch(store)
    seq = session.answer("what_matters", "priority", "walking to the shops")
    # Committed: another connection sees it at once; nothing is left open.
    assert _seen_from_outside(store, session.id) == [
        (1, "_session/start"),
        (seq, "what_matters/priority"),
    ]
    assert connections and not any(c.in_transaction for c in connections)
    # One statement, its own transaction: synced to disk in full (WAL, synchronous=FULL).
    assert [s.split()[0] for s in statements] == ["INSERT"]
    for connection in connections:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert connection.isolation_level == ""  # given back to the pool as it was lent
    session.submit()
    [item] = store.pending()
    assert open_envelope(item.envelope, clinic.private).answers() == {
        "what_matters": {"priority": "walking to the shops"}
    }


def test_a_record_the_database_refuses_is_not_counted_and_the_next_is_stored(
    store: TabletStore,
) -> None:
    session = store.start_session("cardiology", [])
    first = session.answer("what_matters", "priority", "sleep")
    _statements, connections = _watch(store)
    session._seq -= 1  # the next record would take the number already stored
    with pytest.raises(sqlite3.IntegrityError):
        session.answer("what_matters", "priority", "walking")
    assert all(c.isolation_level == "" and not c.in_transaction for c in connections)
    session._seq += 1
    second = session.answer("what_matters", "priority", "walking")
    assert second == first + 1
    assert [seq for seq, _ in _seen_from_outside(store, session.id)] == [1, first, second]
