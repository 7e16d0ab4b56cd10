"""The tablet's encrypted, crash-safe store.

What a patient enters is sealed for the clinic the moment it is given and
committed durably before the screen moves on. The tablet keeps in clear only
ids, times, form ids, versions, hashes and sync state. See docs/storage.md.

Known errors, each with a plain message and no patient data::

    kiosk.errors.KnownError
    └── StoreError                  (kiosk.store.errors)
        ├── NoClinicKeyError        the tablet has no clinic key to seal for (not enrolled)
        ├── CorruptDatabaseError    the database file is damaged or not a database
        ├── DiskFullError           no space left to save
        ├── DataDirUnwritableError  the data folder cannot be written
        ├── DeviceKeyError          the device key is missing, unreadable or too open
        ├── PinLockedError          too many wrong PINs: wait (``seconds`` left)
        ├── ReceiptMismatchError    the clinic's receipt is not this envelope's hash
        ├── StoreInUseError         another program has the store open (kiosk.store.lock)
        ├── SessionEndedError       the session has ended (kiosk.store.session)
        ├── WeakPinError            a staff PIN the rules refuse (kiosk.store.pin)
        ├── DamagedPinError         the stored PIN cannot be read: set it again
        │                           (kiosk.store.pin)
        └── StoredClinicListError   the clinic list kept on this tablet cannot be read;
                                    also a kiosk.exchange ClinicListError
                                    (kiosk.store.clinic_list)
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
