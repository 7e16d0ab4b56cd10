"""The staff PIN that lets staff leave kiosk mode and change settings.

Only an argon2id hash of the PIN is stored (in the ``staff_pin`` table), never
the PIN itself, and no log line or event ever contains it.

Wrong PINs lock the tablet for a growing time, and the lock survives restarts
because its state is in the database: the first :data:`FREE_FAILURES` wrong
PINs in a row cost nothing; the next and every further one locks for
``30 s * 2 ** (n - 5)`` (n = wrong PINs in a row), at most an hour. While locked,
:meth:`StaffPin.verify` raises :class:`PinLockedError` without looking at the
PIN. The right PIN clears the count.

:meth:`StaffPin.verify` returns ``False`` when no PIN has been set yet (nothing
can unlock a tablet that has no PIN; set one at enrolment). That is not
counted as a wrong PIN.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections.abc import Callable

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.store.errors import PinLockedError, StoreError
from kiosk.store.events import append_event
from kiosk.store.models import StaffPinRow
from kiosk.store.store import TabletStore

log = logging.getLogger(__name__)

PIN_ROW_ID = 1
MIN_DIGITS = 6
MAX_DIGITS = 12
FREE_FAILURES = 4
BASE_DELAY = 30.0
MAX_DELAY = 3600.0

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class DamagedPinError(StoreError):
    """The stored PIN hash cannot be read: the PIN must be set again."""


class WeakPinError(StoreError):
    """A staff PIN the rules refuse; the message says which rule and never echoes the PIN."""


def tablet_hasher() -> PasswordHasher:
    """argon2id at the OWASP minimum (19 MiB, 2 passes, 1 lane): affordable on a tablet."""
    return PasswordHasher(
        time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
    )


def check_pin_rules(pin: str) -> None:
    """Raise WeakPinError with a plain message if ``pin`` is not a usable staff PIN.

    A PIN is 6 to 12 digits, not all the same digit (111111) and not a straight
    run up or down (123456, 654321, or wrapping round such as 890123).
    """
    if not _DIGITS.fullmatch(pin):
        raise WeakPinError("A staff PIN must contain only the digits 0 to 9.")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise WeakPinError(f"A staff PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits long.")
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps == {0}:
        raise WeakPinError("A staff PIN must not be one digit repeated, such as 111111.")
    if steps in ({1}, {9}):
        raise WeakPinError(
            "A staff PIN must not be a straight run of digits, such as 123456 or 654321."
        )


def lock_seconds(failures: int) -> float:
    """How long the ``failures``-th wrong PIN in a row locks the tablet for."""
    if failures <= FREE_FAILURES:
        return 0.0
    doublings = min(failures - FREE_FAILURES - 1, 32)
    return min(BASE_DELAY * 2.0**doublings, MAX_DELAY)


class StaffPin:
    """The staff PIN of one tablet store.

    ``clock`` gives wall-clock seconds (the lock must outlast a restart, so not
    a monotonic clock); ``hasher`` defaults to :func:`tablet_hasher` and may be
    a cheaper one in tests.
    """

    def __init__(
        self,
        store: TabletStore,
        clock: Callable[[], float] = time.time,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._hasher = hasher if hasher is not None else tablet_hasher()
        self._lock = threading.Lock()

    def set_pin(self, pin: str) -> None:
        """Set (or change) the PIN; clears any lock. Raises WeakPinError for a weak PIN."""
        check_pin_rules(pin)
        pin_hash = self._hasher.hash(pin)
        with self._lock, self._store.transaction() as db:
            row = db.get(StaffPinRow, PIN_ROW_ID)
            if row is None:
                db.add(StaffPinRow(id=PIN_ROW_ID, pin_hash=pin_hash, failures=0, locked_until=0.0))
            else:
                row.pin_hash = pin_hash
                row.failures = 0
                row.locked_until = 0.0
            append_event(db, "staff_pin_changed")
        log.info("staff PIN changed")

    def is_set(self) -> bool:
        with self._store.transaction() as db:
            return db.get(StaffPinRow, PIN_ROW_ID) is not None

    def seconds_locked(self) -> float:
        """Seconds until a PIN may be tried again (0.0 when not locked)."""
        with self._store.transaction() as db:
            row = db.get(StaffPinRow, PIN_ROW_ID)
            if row is None:
                return 0.0
            return self._remaining(row, self._clock())

    def _remaining(self, row: StaffPinRow, now: float) -> float:
        left = row.locked_until - now
        if left <= 0:
            return 0.0
        longest = lock_seconds(row.failures)
        if left > longest:
            # The clock was put back: lock for the current delay from now, not until then.
            row.locked_until = now + longest
            left = longest
        return left

    def verify(self, pin: str) -> bool:
        """Whether ``pin`` is the staff PIN.

        Raises :class:`PinLockedError` while locked, without checking ``pin``.
        Returns ``False`` if no PIN is set. Raises :class:`DamagedPinError` if
        the stored hash cannot be read.
        """
        locked_for = 0.0
        with self._lock, self._store.transaction() as db:
            row = db.get(StaffPinRow, PIN_ROW_ID)
            if row is None:
                return False
            now = self._clock()
            locked_for = self._remaining(row, now)
            if locked_for > 0:
                ok = False
            else:
                ok = self._check(row.pin_hash, pin)
                if ok:
                    if self._hasher.check_needs_rehash(row.pin_hash):
                        row.pin_hash = self._hasher.hash(pin)
                    row.failures = 0
                    row.locked_until = 0.0
                    append_event(db, "staff_unlock")
                else:
                    row.failures += 1
                    append_event(db, "staff_pin_failed", count=row.failures)
                    delay = lock_seconds(row.failures)
                    if delay > 0:
                        row.locked_until = now + delay
                        append_event(db, "staff_pin_locked", seconds=int(delay))
                        log.warning(
                            "staff PIN locked for %d s after %d wrong PINs",
                            delay,
                            row.failures,
                        )
        if locked_for > 0:
            raise PinLockedError(locked_for)
        return ok

    def _check(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._hasher.verify(pin_hash, pin)
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            raise DamagedPinError(
                "The stored staff PIN is damaged and cannot be checked. Set a new staff PIN "
                "from the clinic's enrolment tool."
            ) from None
