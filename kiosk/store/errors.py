"""Known errors of the tablet store, each with a plain message and no patient data.

The whole tree, with the classes defined beside the code that raises them, is
drawn in ``kiosk.store``.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc

from kiosk.errors import KnownError


class StoreError(KnownError):
    """Base class for known errors of the tablet store."""


class NoClinicKeyError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class DiskFullError(StoreError):
    pass


class DataDirUnwritableError(StoreError):
    pass


class DeviceKeyError(StoreError):
    pass


class ReceiptMismatchError(StoreError):
    pass


class PinLockedError(StoreError):
    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.0, seconds)
        super().__init__(f"Too many wrong PINs. Try again in {int(self.seconds + 0.999)} seconds.")


def _classify(message: str, path: Path) -> StoreError | None:
    text = message.lower()
    if "full" in text:
        return DiskFullError(
            f"The tablet's storage is full: cannot save to {path}. Free some space; "
            "nothing already saved has been lost."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DataDirUnwritableError(
            f"Cannot write to the data folder {path.parent}. Check that it exists and that "
            "this app may write to it."
        )
    if "disk i/o error" in text:
        return DataDirUnwritableError(
            f"The tablet's storage failed while reading or writing {path}. "
            "Restart the tablet; if it happens again, the storage may be failing."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return CorruptDatabaseError(
            f"The database {path} is damaged. Keep the file for investigation and restore "
            "from backup; do not delete it."
        )
    return None


@contextmanager
def known_errors(path: Path) -> Iterator[None]:
    """Turn database and file-system failures into the plain errors above."""
    try:
        yield
    except (sa_exc.OperationalError, sa_exc.DatabaseError) as exc:
        known = _classify(str(exc.orig), path)
        if known is None:
            raise
        raise known from None
    except sqlite3.DatabaseError as exc:
        known = _classify(str(exc), path)
        if known is None:
            raise
        raise known from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _classify("full", path) from None  # type: ignore[misc]
        # EEXIST/ENOTDIR/EISDIR: a file stands where the data folder should be, or a
        # folder where the database file should be.
        if exc.errno in (
            errno.EROFS,
            errno.EACCES,
            errno.EPERM,
            errno.ENOTDIR,
            errno.EEXIST,
            errno.EISDIR,
        ):
            raise _classify("readonly", path) from None  # type: ignore[misc]
        raise
