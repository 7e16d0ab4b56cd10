"""Limits on signing in: a bounded number of password hashes at once (argon2id needs
64 MiB each), failure counts for usernames that do not exist (so they lock like real
ones), and failed sign-ins counted per source address.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.clinic.config import PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING
from kiosk.clinic.errors import Throttled

MAX_FAILURES = 5
LOCK_S = 15 * 60
PASSWORD_WAIT_S = 10.0
BUSY_RETRY_S = 5
_UNKNOWN_NAMES_KEPT = 10_000
SOURCE_FAILURES = 20
SOURCE_WINDOW_S = 15 * 60
_SOURCES_KEPT = 10_000


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


class UnknownNames:
    """Failure counts for usernames that do not exist, so they lock like real ones
    (bounded: the oldest are forgotten first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tries: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def take_try(self, username: str, now: float) -> int:
        with self._lock:
            failures, locked_until = self._tries.pop(username, (0, 0.0))
            if 0 < locked_until <= now:
                failures, locked_until = 0, 0.0
            failures += 1
            if failures >= MAX_FAILURES and locked_until == 0:
                locked_until = now + LOCK_S
            self._tries[username] = (failures, locked_until)
            while len(self._tries) > _UNKNOWN_NAMES_KEPT:
                self._tries.popitem(last=False)
            return failures


class Sources:
    """Failed sign-ins per source address in a fixed window (bounded: the oldest
    addresses are forgotten first). A try is taken before the password is checked
    and given back if the sign-in succeeds, so parallel guesses get no extra tries."""

    def __init__(self, limit: int = SOURCE_FAILURES, window_s: float = SOURCE_WINDOW_S):
        self.limit, self.window_s = limit, window_s
        self._lock = threading.Lock()
        self._tries: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def take_try(self, source: str, now: float) -> int | None:
        """None if the try is allowed (and counted), else seconds until the window ends."""
        with self._lock:
            count, started = self._tries.pop(source, (0, now))
            if now - started >= self.window_s:
                count, started = 0, now
            if count >= self.limit:
                self._tries[source] = (count, started)
                return max(1, int(started + self.window_s - now + 0.999))
            self._tries[source] = (count + 1, started)
            while len(self._tries) > _SOURCES_KEPT:
                self._tries.popitem(last=False)
            return None

    def give_back(self, source: str) -> None:
        with self._lock:
            if source in self._tries:
                count, started = self._tries[source]
                self._tries[source] = (max(0, count - 1), started)
