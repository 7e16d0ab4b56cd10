"""Limits on signing in: a bounded number of password hashes at once (argon2id needs
64 MiB each), failure counts for usernames that do not exist (so they lock like real
ones), and failed sign-ins counted per source address.

The counts live in the database (``sign_in_counts``), so every service process on it
counts together: a guess sent to one process counts toward the lock-out on all. The
``PasswordGate`` is the one limit kept per process, on purpose: it protects that
process's own memory, so N processes may hash up to N times ``at_once`` passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kiosk.clinic.config import PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING
from kiosk.clinic.errors import Throttled
from kiosk.clinic.models import SignInCount

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCK_S = 15 * 60
PASSWORD_WAIT_S = 10.0
BUSY_RETRY_S = 5
_UNKNOWN_NAMES_KEPT = 10_000
SOURCE_FAILURES = 20
SOURCE_WINDOW_S = 15 * 60
_SOURCES_KEPT = 10_000
FORGET_NAMES_S = 24 * 3600


def _busy() -> Throttled:
    return Throttled(
        "The clinic is busy signing people in. Try again shortly.",
        code="busy",
        retry_after=BUSY_RETRY_S,
    )


class PasswordGate:
    """At most ``at_once`` password hashes at a time; ``waiting`` more may wait up to
    ``wait_s`` for a turn; anyone else is refused at once (``Throttled``, ``busy``)."""

    def __init__(
        self,
        at_once: int = PASSWORD_CHECKS_AT_ONCE,
        waiting: int = PASSWORD_CHECKS_WAITING,
        wait_s: float = PASSWORD_WAIT_S,
    ) -> None:
        self.at_once, self.waiting, self.wait_s = at_once, waiting, wait_s
        self._turns = threading.BoundedSemaphore(at_once)
        self._lock = threading.Lock()
        self._in_flight = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            if self._in_flight >= self.at_once + self.waiting:
                raise _busy()
            self._in_flight += 1
        try:
            if not self._turns.acquire(timeout=self.wait_s):
                raise _busy()
            try:
                yield
            finally:
                self._turns.release()
        finally:
            with self._lock:
                self._in_flight -= 1


Transaction = Callable[[], AbstractContextManager[Session]]


class _SharedCounts:
    """Counts in ``sign_in_counts`` under one ``kind``, shared by every service process
    on the database. Each try is one ``UPDATE ... RETURNING`` the database serialises
    (SQLite and PostgreSQL alike); a key's first try inserts its row, and if another
    process inserted it first the update is simply made again. Rows are kept by a
    keyed HMAC of the name or address; those whose time has passed are forgotten when
    a new one is added, and never more than ``kept`` stay."""

    kind = ""

    def __init__(self, transaction: Transaction, key: bytes, kept: int) -> None:
        self._transaction = transaction
        self._key = hmac.new(key, b"sign-in counts", hashlib.sha256).digest()
        self.kept = kept

    def _hashed(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def _where(self, hashed: str) -> ColumnElement[bool]:
        return and_(SignInCount.kind == self.kind, SignInCount.key == hashed)

    def _counted(self, hashed: str, values: dict[str, Any], now: float) -> Any:
        """The row after ``values`` are applied to it; a new row (one failure, from
        ``now``) if there was none."""
        statement = (
            update(SignInCount)
            .where(self._where(hashed))
            .values(values)
            .returning(SignInCount.failures, SignInCount.started, SignInCount.locked_until)
            .execution_options(synchronize_session=False)
        )
        for _ in range(3):
            with self._transaction() as db:
                row = db.execute(statement).first()
            if row is not None:
                return row
            self._forget(now)
            try:
                with self._transaction() as db:
                    db.add(SignInCount(kind=self.kind, key=hashed, failures=1, started=now,
                                       locked_until=0.0))  # fmt: skip
                return (1, now, 0.0)
            except IntegrityError:
                continue  # another process added it a moment ago: count on that row
        raise RuntimeError("a sign-in count could be neither updated nor added")

    def _forget(self, now: float) -> None:
        """Forget rows whose time has passed, and all but the newest ``kept``: on its
        own, as housekeeping (if two processes clash over it, the next new row tidies)."""
        try:
            with self._transaction() as db:
                self._forget_in(db, now)
        except OperationalError as exc:
            log.warning("old sign-in counts were not forgotten this time (%s)", type(exc).__name__)

    def _forget_in(self, db: Session, now: float) -> None:
        db.execute(delete(SignInCount).where(SignInCount.kind == self.kind, self._over(now)))
        oldest_kept = (
            select(SignInCount.started)
            .where(SignInCount.kind == self.kind)
            .order_by(SignInCount.started.desc())
            .offset(self.kept - 1)
            .limit(1)
            .scalar_subquery()
        )
        db.execute(
            delete(SignInCount).where(
                SignInCount.kind == self.kind, SignInCount.started < oldest_kept
            )
        )

    def _over(self, now: float) -> ColumnElement[bool]:
        raise NotImplementedError

    def count(self) -> int:
        """How many names or addresses are counted now."""
        with self._transaction() as db:
            return int(
                db.scalar(
                    select(func.count())
                    .select_from(SignInCount)
                    .where(SignInCount.kind == self.kind)
                )
                or 0
            )


class UnknownNames(_SharedCounts):
    """Failure counts for usernames that do not exist, so they lock like real ones.
    ``started`` is the latest try; a name nobody has tried for ``FORGET_NAMES_S`` and
    not locked is forgotten (a real account's count stays until it signs in; a day
    is far longer than anyone guessing slowly by hand would wait)."""

    kind = "name"

    def __init__(self, transaction: Transaction, key: bytes, kept: int = _UNKNOWN_NAMES_KEPT):
        super().__init__(transaction, key, kept)

    def take_try(self, username: str, now: float) -> int:
        """This try's number: above ``MAX_FAILURES`` the name is locked."""
        expired = and_(SignInCount.locked_until > 0, SignInCount.locked_until <= now)
        failures = SignInCount.failures
        row = self._counted(
            self._hashed(username),
            {
                "failures": case((expired, 1), else_=failures + 1),
                "locked_until": case(
                    (expired, 0.0),
                    (
                        and_(SignInCount.locked_until == 0, failures + 1 >= MAX_FAILURES),
                        now + LOCK_S,
                    ),
                    else_=SignInCount.locked_until,
                ),
                "started": now,
            },
            now,
        )
        return int(row[0])

    def _over(self, now: float) -> ColumnElement[bool]:
        return and_(SignInCount.started < now - FORGET_NAMES_S, SignInCount.locked_until <= now)


class Sources(_SharedCounts):
    """Failed sign-ins per source address in a fixed window. A try is taken before the
    password is checked and given back if the sign-in succeeds, so parallel guesses
    get no extra tries, on any number of service processes."""

    kind = "source"

    def __init__(
        self,
        transaction: Transaction,
        key: bytes,
        limit: int = SOURCE_FAILURES,
        window_s: float = SOURCE_WINDOW_S,
        kept: int = _SOURCES_KEPT,
    ) -> None:
        super().__init__(transaction, key, kept)
        self.limit, self.window_s = limit, window_s

    def take_try(self, source: str, now: float) -> int | None:
        """None if the try is allowed (and counted), else seconds until the window ends.
        A refused try is not counted: the count stops one above ``limit``."""
        restart = SignInCount.started <= now - self.window_s
        failures = SignInCount.failures
        failures, started, _lock = self._counted(
            self._hashed(source),
            {
                "failures": case(
                    (restart, 1), (failures >= self.limit, self.limit + 1), else_=failures + 1
                ),
                "started": case((restart, now), else_=SignInCount.started),
            },
            now,
        )
        if failures <= self.limit:
            return None
        return max(1, int(started + self.window_s - now + 0.999))

    def give_back(self, source: str) -> None:
        failures = SignInCount.failures
        with self._transaction() as db:
            db.execute(
                update(SignInCount)
                .where(self._where(self._hashed(source)))
                .values(
                    failures=case(
                        (failures > self.limit, self.limit - 1),
                        (failures > 0, failures - 1),
                        else_=0,
                    )
                )
                .execution_options(synchronize_session=False)
            )

    def _over(self, now: float) -> ColumnElement[bool]:
        return SignInCount.started <= now - self.window_s
