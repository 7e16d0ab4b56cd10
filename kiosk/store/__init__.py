"""The tablet's encrypted, crash-safe store.

What a patient enters is sealed for the clinic the moment it is given and
committed durably before the screen moves on. The tablet keeps in clear only
ids, times, form ids, versions, hashes and sync state. See docs/storage.md.
"""

from kiosk.store.errors import (
    CorruptDatabaseError,
    DataDirUnwritableError,
    DiskFullError,
    NoClinicKeyError,
    PinLockedError,
    StoreError,
    TamperedRecordError,
)
from kiosk.store.store import TabletStore

__all__ = [
    "CorruptDatabaseError",
    "DataDirUnwritableError",
    "DiskFullError",
    "NoClinicKeyError",
    "PinLockedError",
    "StoreError",
    "TabletStore",
    "TamperedRecordError",
]
