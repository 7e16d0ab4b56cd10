"""Refusals of anonymous requests, coalesced for the audit log.

Anyone can send requests without signing in; each is refused and audited. A
flood of them would otherwise write one audit row per request. Here the first
refusal from an address with a given outcome in a minute is written at once;
the rest in that minute are counted, and the count is written as one row when
the minute is over (at an anonymous refusal from anyone within ``SWEEP_S`` of it).

The minutes being counted live in the database (``anonymous_refusals``), so every
service process on it counts together: a flood spread over N processes still
writes one row per address and outcome a minute, plus one row of its count. Each
refusal is one ``UPDATE`` adding to its minute's count; an ended minute is taken
with ``DELETE ... RETURNING``, so exactly one process writes its count. The table
is bounded: beyond ``kept`` addresses in one minute, the others are counted
together under the address ``*``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.clinic.models import AnonymousRefusals

log = logging.getLogger(__name__)

WINDOW_S = 60.0
# How often a process looks for ended minutes while it only counts: a refusal that
# only adds to a count is then one UPDATE. Their counts are written within this
# many seconds of the minute's end (at the next anonymous refusal from anyone).
SWEEP_S = 5.0
KEPT = 1024
OVERFLOW = "*"
_REMOTE_LENGTH = 64
_OUTCOME_LENGTH = 40

Transaction = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Row:
    action: str
    target: str | None
    remote: str | None
    outcome: str
    detail: str | None = None


class AnonymousFlood:
    def __init__(self, transaction: Transaction, window_s: float = WINDOW_S, kept: int = KEPT):
        self._transaction = transaction
        self.window_s, self.kept = window_s, kept
        self._swept = float("-inf")  # when this process last took the ended minutes

    def admit(
        self, action: str, target: str | None, remote: str | None, outcome: str, now: float
    ) -> list[Row]:
        """The audit rows to write for this refusal: none while its minute is being
        counted; counts of minutes that have ended; this one if it opens a minute.
        If the counts cannot be reached, this refusal is written on its own."""
        try:
            return self._admitted(action, target, remote, outcome, now)
        except SQLAlchemyError as exc:
            log.error("anonymous refusals could not be counted (%s)", type(exc).__name__)
            return [Row(action, target, remote, outcome)]

    def _admitted(
        self, action: str, target: str | None, remote: str | None, outcome: str, now: float
    ) -> list[Row]:
        address, outcome = (remote or "")[:_REMOTE_LENGTH], outcome[:_OUTCOME_LENGTH]
        with self._transaction() as db:
            swept = now - self._swept >= SWEEP_S
            rows = self._ended(db, now) if swept else []
            if self._counted(db, address, outcome, now):
                return rows
            if not swept:  # a minute is about to open: the ended ones go first
                rows = self._ended(db, now)
            if self._open(db) >= self.kept:
                address = OVERFLOW
                if self._counted(db, address, outcome, now):
                    return rows
        try:
            with self._transaction() as db:
                db.add(
                    AnonymousRefusals(
                        remote=address,
                        outcome=outcome,
                        started=now,
                        action=action[:60],
                        target=None if target is None else target[:100],
                        count=0,
                    )
                )
        except IntegrityError:
            # Another process opened this minute a moment ago: count on it instead.
            with self._transaction() as db:
                if self._counted(db, address, outcome, now):
                    return rows
        rows.append(Row(action, target, address or None, outcome))
        return rows

    def _counted(self, db: Session, address: str, outcome: str, now: float) -> bool:
        """Add one to the minute open for (address, outcome); False if none is open."""
        result = db.execute(
            update(AnonymousRefusals)
            .where(
                AnonymousRefusals.remote == address,
                AnonymousRefusals.outcome == outcome,
                AnonymousRefusals.started > now - self.window_s,
            )
            .values(count=AnonymousRefusals.count + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _open(self, db: Session) -> int:
        return int(db.scalar(select(func.count()).select_from(AnonymousRefusals)) or 0)

    def _ended(self, db: Session, now: float) -> list[Row]:
        """The minutes that are over, taken out of the table (by this process alone):
        a row for each that counted more than its first refusal."""
        self._swept = now
        taken = db.execute(
            delete(AnonymousRefusals)
            .where(AnonymousRefusals.started <= now - self.window_s)
            .returning(
                AnonymousRefusals.action,
                AnonymousRefusals.target,
                AnonymousRefusals.remote,
                AnonymousRefusals.outcome,
                AnonymousRefusals.count,
                AnonymousRefusals.started,
            )
            .execution_options(synchronize_session=False)
        ).all()
        return [
            Row(
                action,
                target,
                remote or None,
                outcome,
                f"{count} more like this in the minute after the first "
                "(counted, not written one by one)",
            )
            for action, target, remote, outcome, count, _started in sorted(
                taken, key=lambda row: row[5]
            )
            if count
        ]
