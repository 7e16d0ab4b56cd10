"""The tablet store: sessions in progress, the outbox, events, quarantine.

Open it with :meth:`TabletStore.open`. On every open, sessions left unfinished
by a crash or power cut are sealed as ``incomplete`` and queued for the clinic:
nothing entered is lost, and nothing becomes readable. Every open also forgets
the clinic lists of days before today (the kiosk does it again at midnight).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Update, delete, func, select, text, update
from sqlalchemy.orm import Session, defer, sessionmaker

from kiosk.envelope.envelope import (
    START_RECORD,
    SealedRecord,
    build_envelope,
    envelope_hash,
)
from kiosk.envelope.errors import TamperedError
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.envelope.seal import WrappedKey, new_data_key, open_record, seal_record, wrap_data_key
from kiosk.store.database import DATABASE_FILE, integrity_check, migrate, open_engine
from kiosk.store.errors import (
    NoClinicKeyError,
    ReceiptMismatchError,
    StoreError,
    known_errors,
)
from kiosk.store.events import append_event, now, read_events
from kiosk.store.lock import DirectoryLock
from kiosk.store.models import (
    ClinicListRow,
    EventRow,
    OutboxRow,
    QuarantineRow,
    RecordRow,
    SessionRow,
)
from kiosk.store.session import SealedSession

log = logging.getLogger(__name__)
CLINIC_KEY_FILE = "clinic.pub"
_IDS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


def expired_envelopes(stamp: str) -> Update:
    """Forget the envelopes the clinic acknowledged whose ``delete_after`` is not after
    ``stamp``. The partial index ``ix_outbox_retained_envelopes`` holds exactly the rows
    with both a ``delete_after`` and an envelope, so the search reads only those, not
    every receipt the tablet has kept. ``acknowledged_at`` is checked as well: a
    patient's answers not yet held by the clinic are never purged, whatever else a row
    says."""
    return (
        update(OutboxRow)
        .where(
            OutboxRow.delete_after.is_not(None),
            OutboxRow.envelope.is_not(None),
            OutboxRow.delete_after <= stamp,
            OutboxRow.acknowledged_at.is_not(None),
        )
        .values(envelope=None)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class OutboxItem:
    submission_id: str
    status: str
    envelope: bytes
    envelope_hash: str
    attempts: int


class TabletStore:
    def __init__(
        self, data_dir: Path, clinic_key: ClinicPublicKey | None, retention_days: int = 0
    ) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / DATABASE_FILE
        self.clinic_key = clinic_key
        self.retention_days = retention_days
        self._lock: DirectoryLock | None = None
        self.engine = open_engine(self.db_path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        clinic_key: ClinicPublicKey | None = None,
        *,
        retention_days: int = 0,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> TabletStore:
        """Open (creating or upgrading) the store, recover unfinished sessions and
        forget the clinic lists of days before ``today()``."""
        if clinic_key is None and (data_dir / CLINIC_KEY_FILE).is_file():
            clinic_key = ClinicPublicKey.load(data_dir / CLINIC_KEY_FILE)
        lock = DirectoryLock(data_dir)
        lock.acquire()
        try:
            store = cls(data_dir, clinic_key, retention_days)
        except BaseException:
            lock.release()
            raise
        store._lock = lock
        try:
            migrate(store.engine, store.db_path)
            store.recover()
            store.purge_expired()
            store.purge_clinic_lists(before=today())
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def inspect(cls, data_dir: Path) -> TabletStore:
        """Open for reading only (counts, events): no lock, no migration, no recovery.

        Safe while the kiosk is running."""
        if not (data_dir / DATABASE_FILE).is_file():
            raise StoreError(f"there is no tablet store in {data_dir}")
        clinic_key = None
        if (data_dir / CLINIC_KEY_FILE).is_file():
            clinic_key = ClinicPublicKey.load(data_dir / CLINIC_KEY_FILE)
        return cls(data_dir, clinic_key)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with known_errors(self.db_path), self._sessions.begin() as db:
            yield db

    # ------------------------------------------------------------ sessions

    def start_session(self, pathway: str, forms: Sequence[dict[str, str]]) -> SealedSession:
        """Begin a patient session: a new data key, wrapped for the clinic at once."""
        if self.clinic_key is None:
            raise NoClinicKeyError(
                "This tablet has no clinic key to protect answers with. "
                "Enrol it with the clinic before patients use it."
            )
        session_id = uuid.uuid4().hex
        data_key = new_data_key()
        wrapped = wrap_data_key(data_key, self.clinic_key, session_id)
        started = now()
        forms_list = [dict(f) for f in forms]
        start = {"pathway": pathway, "forms": forms_list, "started_at": started}
        sealed = seal_record(data_key, session_id, START_RECORD, 1, start)
        with self.transaction() as db:
            db.add(
                SessionRow(
                    id=session_id,
                    pathway=pathway,
                    forms=json.dumps(forms_list),
                    started_at=started,
                    wrapped_key=wrapped.to_bytes(),
                    clinic_key_id=wrapped.clinic_key_id,
                )
            )
            db.flush()
            db.add(
                RecordRow(
                    session_id=session_id,
                    seq=1,
                    name=START_RECORD,
                    sealed=sealed,
                    created_at=started,
                )
            )
            append_event(db, "session_started", session_id)
        return SealedSession(self, session_id, data_key)

    def verify_records(self, session_id: str, data_key: bytearray) -> None:
        """Check every stored record of a live session; quarantine any that fail."""
        with self.transaction() as db:
            rows = db.scalars(
                select(RecordRow).where(RecordRow.session_id == session_id).order_by(RecordRow.seq)
            ).all()
            for row in rows:
                try:
                    open_record(data_key, session_id, row.name, row.seq, row.sealed)
                except TamperedError:
                    self._quarantine(
                        db, session_id, f"record {row.seq} failed authentication", row.sealed
                    )

    def seal_into_outbox(self, session_id: str, status: str, end_reason: str) -> None:
        """Move a session's sealed records into one outbox envelope, in one transaction."""
        with self.transaction() as db:
            self._seal(db, session_id, status, end_reason)

    def _seal(self, db: Session, session_id: str, status: str, end_reason: str) -> None:
        session = db.get(SessionRow, session_id)
        if session is None:
            raise StoreError(f"session {session_id} is not in progress")
        records = db.scalars(
            select(RecordRow).where(RecordRow.session_id == session_id).order_by(RecordRow.seq)
        ).all()
        envelope = build_envelope(
            submission_id=session_id,
            status=status,
            end_reason=end_reason,
            started_at=session.started_at,
            ended_at=now(),
            pathway=session.pathway,
            forms=json.loads(session.forms),
            wrapped_key=WrappedKey.from_bytes(session.wrapped_key),
            records=[SealedRecord(r.seq, r.name, r.sealed) for r in records],
        )
        db.add(
            OutboxRow(
                submission_id=session_id,
                status=status,
                end_reason=end_reason,
                created_at=now(),
                envelope=envelope,
                envelope_hash=envelope_hash(envelope),
                size=len(envelope),
                attempts=0,
            )
        )
        db.execute(delete(RecordRow).where(RecordRow.session_id == session_id))
        db.delete(session)
        kind = {
            "submitted": "session_submitted",
            "timed_out": "session_timed_out",
            "interrupted": "session_recovered",
        }.get(end_reason, "session_abandoned")
        append_event(db, kind, session_id, records=len(records), status=status)

    def recover(self) -> int:
        """Seal every session a crash left open as incomplete. Returns how many."""
        with self.transaction() as db:
            open_ids = db.scalars(select(SessionRow.id)).all()
            for session_id in open_ids:
                self._seal(db, session_id, "incomplete", "interrupted")
            append_event(db, "store_opened", count=len(open_ids))
        if open_ids:
            log.warning("sealed %d unfinished session(s) as incomplete", len(open_ids))
        return len(open_ids)

    # ------------------------------------------------------------ outbox

    def pending(self, limit: int = 100) -> list[OutboxItem]:
        """Submissions waiting for the clinic, oldest first; tampered ones are quarantined."""
        return self.pending_items(self.pending_ids(limit))

    def pending_ids(self, limit: int | None = None) -> list[str]:
        """The ids of the submissions waiting for the clinic, oldest first (all of them
        unless ``limit``). Reads no envelope: a sync pass takes the list once and then
        reads each batch by id, so a long backlog is not read again for every batch."""
        query = (
            select(OutboxRow.submission_id)
            .where(OutboxRow.acknowledged_at.is_(None), OutboxRow.envelope.is_not(None))
            .order_by(OutboxRow.created_at)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.transaction() as db:
            return list(db.scalars(query).all())

    def pending_items(self, submission_ids: Sequence[str]) -> list[OutboxItem]:
        """Those of ``submission_ids`` still waiting for the clinic, in the order given;
        tampered ones are quarantined (and left out)."""
        items = []
        with self.transaction() as db:
            rows: dict[str, OutboxRow] = {}
            for start in range(0, len(submission_ids), _IDS_PER_QUERY):
                chunk = list(submission_ids[start : start + _IDS_PER_QUERY])
                rows.update(
                    (row.submission_id, row)
                    for row in db.scalars(
                        select(OutboxRow).where(
                            OutboxRow.submission_id.in_(chunk),
                            OutboxRow.acknowledged_at.is_(None),
                            OutboxRow.envelope.is_not(None),
                        )
                    )
                )
            for submission_id in submission_ids:
                row = rows.get(submission_id)
                if row is None:
                    continue
                assert row.envelope is not None
                if envelope_hash(row.envelope) != row.envelope_hash:
                    self._quarantine(db, row.submission_id, "outbox envelope altered", row.envelope)
                    row.envelope = None
                    row.last_error = "quarantined: the stored envelope was altered"
                    continue
                items.append(
                    OutboxItem(
                        row.submission_id, row.status, row.envelope, row.envelope_hash, row.attempts
                    )
                )
        return items

    def record_attempt(self, submission_id: str, error: str | None) -> None:
        with self.transaction() as db:
            row = db.get(OutboxRow, submission_id)
            if row is not None:
                row.attempts += 1
                row.last_error = None if error is None else error[:200]

    def acknowledge(self, submission_id: str, receipt: str) -> None:
        """The clinic holds it: keep only the receipt (or keep for the retention period)."""
        if self.acknowledge_all({submission_id: receipt}):
            raise ReceiptMismatchError(
                f"the clinic's receipt for {submission_id} does not match what was sent"
            )

    def acknowledge_all(self, receipts: Mapping[str, str]) -> set[str]:
        """The clinic holds these (submission id -> receipt), acknowledged in one
        transaction and one checkpoint; the ids whose receipt is not their envelope's,
        left as they were."""
        mismatched: set[str] = set()
        with self.transaction() as db:
            rows = db.scalars(
                select(OutboxRow)
                .where(OutboxRow.submission_id.in_(list(receipts)))
                .options(defer(OutboxRow.envelope))  # set to NULL below, never read
            ).all()
            found = {row.submission_id: row for row in rows}
            for submission_id, receipt in receipts.items():
                row = found.get(submission_id)
                if row is None:
                    raise StoreError(f"no submission {submission_id} in the outbox")
                if row.acknowledged_at is not None:
                    continue
                if receipt != row.envelope_hash:
                    mismatched.add(submission_id)
                    continue
                row.acknowledged_at = now()
                if self.retention_days > 0:
                    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=self.retention_days)
                    row.delete_after = until.isoformat(timespec="seconds")
                else:
                    row.envelope = None
                append_event(db, "submission_synced", submission_id, bytes=row.size)
        if self.purge_expired() == 0:  # purge_expired checkpoints when it deletes
            self.checkpoint()
        return mismatched

    def purge_expired(self) -> int:
        """Delete the acknowledged envelopes whose retention has ended; how many."""
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            purged = db.execute(expired_envelopes(stamp)).rowcount  # type: ignore[attr-defined]
        if purged:
            self.checkpoint()
        return int(purged)

    def purge_clinic_lists(self, before: dt.date) -> int:
        """Forget the clinic lists of days before ``before``; how many were removed.

        ``secure_delete`` zeroes the freed pages and the checkpoint folds the
        write-ahead log (which still holds the pages as they were) into the
        database and empties it, so no earlier copy of the ciphertext stays
        readable in either file."""
        with self.transaction() as db:
            days = db.scalars(
                select(ClinicListRow.day).where(ClinicListRow.day < before.isoformat())
            ).all()
            if days:
                db.execute(delete(ClinicListRow).where(ClinicListRow.day.in_(days)))
                append_event(db, "clinic_lists_purged", count=len(days))
        if days:
            self.checkpoint()
            log.info("forgot %d earlier day(s)' clinic lists", len(days))
        return len(days)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database so deleted pages are overwritten."""
        with known_errors(self.db_path), self.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def counts(self) -> dict[str, int]:
        with self.transaction() as db:
            waiting = db.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.acknowledged_at.is_(None), OutboxRow.envelope.is_not(None))
            )
            acknowledged = db.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.acknowledged_at.is_not(None))
            )
            sessions = db.scalar(select(func.count()).select_from(SessionRow))
            quarantined = db.scalar(select(func.count()).select_from(QuarantineRow))
        return {
            "outbox": waiting or 0,
            "acknowledged": acknowledged or 0,
            "in_progress": sessions or 0,
            "quarantined": quarantined or 0,
        }

    # ------------------------------------------------------------ quarantine, events

    def _quarantine(self, db: Session, submission_id: str, reason: str, blob: bytes) -> None:
        db.add(QuarantineRow(at=now(), submission_id=submission_id, reason=reason, blob=blob))
        append_event(db, "record_quarantined", submission_id, reason="failed_check")
        log.error("quarantined data of submission %s: %s", submission_id, reason)

    def quarantined(self) -> list[dict[str, Any]]:
        with self.transaction() as db:
            return [
                {"submission_id": q.submission_id, "reason": q.reason, "at": q.at}
                for q in db.scalars(select(QuarantineRow).order_by(QuarantineRow.id))
            ]

    def log_event(self, kind: str, submission_id: str | None = None, **detail: str | int) -> None:
        """Append an event (short codes and counts only; never patient data)."""
        with self.transaction() as db:
            append_event(db, kind, submission_id, **detail)

    def count_events(self, kind: str, since: dt.datetime) -> int:
        """How many events of ``kind`` were logged at or after ``since`` (aware, any zone)."""
        stamp = since.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        with self.transaction() as db:
            count = db.scalar(
                select(func.count())
                .select_from(EventRow)
                .where(EventRow.kind == kind, EventRow.at >= stamp)
            )
        return int(count or 0)

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self.transaction() as db:
            return read_events(db, kind)

    def integrity(self) -> str:
        with known_errors(self.db_path):
            return integrity_check(self.engine)
