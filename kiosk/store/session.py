"""One patient's session on the tablet, sealed record by record.

Every record (an answer, the patient link, the session's start and end) is
sealed under the session's data key and committed durably before
:meth:`SealedSession.record` returns: once the screen has been told an answer
is saved, a power cut cannot lose it. The data key exists only in this
object's memory and is wiped when the session ends.

A record is one row, so it is stored by one INSERT run as a transaction of its
own (SQLite's autocommit): the same row, committed and synced to disk the same
way (WAL, ``synchronous=FULL``) as in an explicit transaction, without the ORM's
unit of work or a separate BEGIN and COMMIT. The save runs on the kiosk's
background thread; each call into SQLite it saves is a wait less for the UI
thread to hand back the interpreter.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, insert
from sqlalchemy.dialects import sqlite

from kiosk.envelope.envelope import END_RECORD
from kiosk.envelope.seal import seal_record, wipe
from kiosk.store.errors import StoreError, known_errors
from kiosk.store.events import now
from kiosk.store.models import RecordRow

log = logging.getLogger(__name__)
END_REASONS = ("submitted", "abandoned", "timed_out", "interrupted")
_INSERT_RECORD = insert(RecordRow).compile(dialect=sqlite.dialect())
_RECORD_SQL = str(_INSERT_RECORD)  # INSERT INTO records (session_id, seq, ...) VALUES (?, ...)
_RECORD_COLUMNS = tuple(_INSERT_RECORD.positiontup or ())


class SessionHost(Protocol):
    """What a session needs of the store that opened it (the store is handed in, so this
    module does not import the store module that imports it)."""

    db_path: Path
    engine: Engine

    def transaction(self) -> AbstractContextManager[Any]: ...

    def verify_records(self, session_id: str, data_key: bytearray) -> None: ...

    def seal_into_outbox(self, session_id: str, status: str, end_reason: str) -> None: ...


class SessionEndedError(StoreError):
    """The session has ended; nothing more can be recorded in it."""


class SealedSession:
    def __init__(self, store: SessionHost, session_id: str, data_key: bytearray) -> None:
        self._store = store
        self.id = session_id
        self._key: bytearray | None = data_key
        self._seq = 1  # record 1 is the sealed start record
        self._lock = threading.Lock()

    @property
    def ended(self) -> bool:
        return self._key is None

    def record(self, name: str, value: Any) -> int:
        """Seal and durably save one record; return its sequence number."""
        with self._lock:
            if self._key is None:
                raise SessionEndedError("this session has ended")
            seq = self._seq + 1
            sealed = seal_record(self._key, self.id, name, seq, value)
            row = {"session_id": self.id, "seq": seq, "name": name, "sealed": sealed}
            row["created_at"] = now()
            self._insert(tuple(row[column] for column in _RECORD_COLUMNS))
            self._seq = seq
            return seq

    def _insert(self, values: tuple[Any, ...]) -> None:
        """One row, committed durably by the one statement (see the module's notes)."""
        with known_errors(self._store.db_path):
            pooled = self._store.engine.raw_connection()
            try:
                connection = pooled.driver_connection
                assert isinstance(connection, sqlite3.Connection)
                level = connection.isolation_level
                connection.isolation_level = None  # autocommit: no BEGIN before the INSERT
                try:
                    connection.execute(_RECORD_SQL, values)
                finally:
                    connection.isolation_level = level
            finally:
                pooled.close()

    def answer(self, form_id: str, item_id: str, value: Any) -> int:
        """Record an answer (None withdraws an earlier one)."""
        return self.record(f"{form_id}/{item_id}", value)

    def submit(self, summary: dict[str, Any] | None = None) -> str:
        """Seal the session as complete and queue it for the clinic."""
        end = {"status": "complete", "end_reason": "submitted", "summary": summary or {}}
        self.record(END_RECORD, end)
        return self._end("complete", "submitted")

    def abandon(self, reason: str = "abandoned") -> str:
        """End without submitting (walked away, timed out): queued as incomplete."""
        if reason not in ("abandoned", "timed_out"):
            raise ValueError(f"unknown reason {reason!r}")
        # Sealed while the key is still here, so the clinic can tell that nothing
        # was cut off the end of this session.
        self.record(END_RECORD, {"status": "incomplete", "end_reason": reason})
        return self._end("incomplete", reason)

    def _end(self, status: str, reason: str) -> str:
        with self._lock:
            key, self._key = self._key, None
            if key is None:
                raise SessionEndedError("this session has already ended")
            try:
                self._store.verify_records(self.id, key)
            finally:
                wipe(key)
            self._store.seal_into_outbox(self.id, status, reason)
            log.info("session %s ended: %s", self.id, reason)
            return self.id

    def __del__(self) -> None:  # a forgotten session must not keep its key alive
        if getattr(self, "_key", None) is not None:
            wipe(self._key)  # type: ignore[arg-type]
