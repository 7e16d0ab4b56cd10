"""The tablet's encrypted, crash-safe store.

What a patient enters is sealed for the clinic the moment it is given and
committed durably before the screen moves on. The tablet keeps in clear only
ids, times, form ids, versions, hashes and sync state. See docs/storage.md.
"""

from kiosk.store.errors import (
    CorruptDatabaseError,
    DataDirUnwritableError,
    DeviceKeyError,
    DiskFullError,
    NoClinicKeyError,
    PinLockedError,
    StoreError,
)
from kiosk.store.identity import DeviceIdentity, FileKeyStore, KeyringKeyStore
from kiosk.store.lock import StoreInUseError
from kiosk.store.pin import StaffPin
from kiosk.store.store import TabletStore

__all__ = [
    "CorruptDatabaseError",
    "DataDirUnwritableError",
    "DeviceIdentity",
    "DeviceKeyError",
    "DiskFullError",
    "FileKeyStore",
    "KeyringKeyStore",
    "NoClinicKeyError",
    "PinLockedError",
    "StaffPin",
    "StoreError",
    "StoreInUseError",
    "TabletStore",
]
