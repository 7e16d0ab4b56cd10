"""Today's clinic list kept on the tablet, for check-in and reception hand-over.

The list's format (:mod:`kiosk.exchange.clinic_list`) is shared with the
clinic; keeping it is the tablet's own business. The list is identifiable
(names, dates of birth, NHS numbers), so it is kept only as AES-GCM ciphertext
under a key derived from the tablet's device key
(:meth:`DeviceIdentity.derive_key`), bound to its day. Saving a day's list
removes the lists of earlier days, every store open forgets the lists of days
before today and the running kiosk does so again at midnight: yesterday's
patients do not linger. Freed pages are zeroed (``secure_delete``) and the
write-ahead log is emptied after each removal, and the copy of the database
kept before an upgrade holds no clinic list (store/database.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select

from kiosk.exchange.clinic_list import Appointment, ClinicList, ClinicListError
from kiosk.store.errors import StoreError
from kiosk.store.events import append_event, now
from kiosk.store.models import ClinicListRow
from kiosk.store.store import TabletStore

KEY_PURPOSE = "clinic-list/v1"


class StoredClinicListError(ClinicListError, StoreError):
    """The list kept on this tablet cannot be read (damaged, or another device key's).

    Both a clinic-list problem and a store problem, so whoever catches either sees it."""


class ClinicLists:
    """The encrypted clinic lists in a tablet store."""

    def __init__(self, store: TabletStore, key: bytes) -> None:
        self.store = store
        self._aead = AESGCM(key)

    @staticmethod
    def _aad(day: dt.date) -> bytes:
        return b"wmk clinic list " + day.isoformat().encode("ascii")

    def save(self, clinic_list: ClinicList) -> None:
        """Keep ``clinic_list`` (replacing that day's) and forget every earlier day's list."""
        body = json.dumps(
            [a.to_json() for a in clinic_list.appointments], separators=(",", ":")
        ).encode("utf-8")
        nonce = os.urandom(12)
        sealed = nonce + self._aead.encrypt(nonce, body, self._aad(clinic_list.day))
        day = clinic_list.day.isoformat()
        with self.store.transaction() as db:
            db.execute(delete(ClinicListRow).where(ClinicListRow.day <= day))
            db.add(ClinicListRow(day=day, sealed=sealed, updated_at=now()))
            append_event(db, "clinic_list_saved", day=day, count=len(clinic_list.appointments))
        self.store.checkpoint()  # the replaced lists' pages leave the write-ahead log too

    def for_day(self, day: dt.date) -> ClinicList | None:
        """The list for ``day``, or None if the tablet has none."""
        with self.store.transaction() as db:
            sealed = db.scalar(
                select(ClinicListRow.sealed).where(ClinicListRow.day == day.isoformat())
            )
        if sealed is None:
            return None
        try:
            body = self._aead.decrypt(sealed[:12], sealed[12:], self._aad(day))
            return ClinicList(day, tuple(Appointment.from_json(a) for a in json.loads(body)))
        except (InvalidTag, ValueError, KeyError, TypeError):
            raise StoredClinicListError(
                f"The clinic list for {day.isoformat()} on this tablet cannot be read: it is "
                "damaged or was saved under another device key. Load today's list again."
            ) from None

    def purge_before(self, day: dt.date) -> int:
        """Forget the lists of days before ``day``; how many were removed."""
        return self.store.purge_clinic_lists(before=day)
