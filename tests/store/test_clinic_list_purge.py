"""A clinic list lives on the tablet for its own day only: gone on the next open,
gone from the database's bytes, and never in the copies kept before an upgrade.

The list is ciphertext under a key derived from the device key, so a copy of
that ciphertext is as good as the list to whoever holds the tablet: these tests
look for the ciphertext itself, not only for names in clear."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.envelope.keys import ClinicKeyPair
from kiosk.exchange.clinic_list import parse_csv
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.store.database import BACKUPS_FOLDER, back_up_before_upgrade
from kiosk.store.identity import DeviceIdentity
from kiosk.store.models import ClinicListRow
from kiosk.store.store import TabletStore
from tests.store.conftest import find_in_files

pytestmark = [pytest.mark.store, pytest.mark.security]
FORMS = [{"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64}]
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,RX1-000123,\n"
)
IN_CLEAR = (b"Zebedee-Quill", b"Winifred", b"9434765919", b"RX1-000123", b"1950-03-03")


def sealed_of(store: TabletStore, day: dt.date) -> bytes:
    with store.transaction() as db:
        sealed = db.scalar(select(ClinicListRow.sealed).where(ClinicListRow.day == day.isoformat()))
    assert sealed is not None
    return bytes(sealed)


def pieces(ciphertext: bytes) -> list[bytes]:
    """Slices of the ciphertext, each long enough never to occur by chance."""
    return [ciphertext[i : i + 24] for i in range(0, len(ciphertext) - 24, 24)]


@pytest.mark.control("H-15-C4")
def test_a_list_from_nine_days_ago_is_gone_after_open(
    data_dir: Path, clinic: ClinicKeyPair
) -> None:
    today = dt.date.today()
    old_day = today - dt.timedelta(days=9)
    lists_key = DeviceIdentity.generate().derive_key(KEY_PURPOSE)
    store = TabletStore.open(data_dir, clinic.public)
    try:
        # The last list this tablet was sent: nine days ago (it has not synced since).
        ClinicLists(store, lists_key).save(parse_csv(LIST, "list.csv", old_day))
        old_sealed = sealed_of(store, old_day)
        assert ClinicLists(store, lists_key).for_day(old_day) is not None
    finally:
        store.close()

    store = TabletStore.open(data_dir, clinic.public)
    try:
        assert ClinicLists(store, lists_key).for_day(old_day) is None
        assert store.events("clinic_lists_purged")[-1]["count"] == 1
        # With the store still open (as the kiosk keeps it), neither the database nor
        # its write-ahead log holds the old list's ciphertext, nor anything in clear.
        assert find_in_files(data_dir, pieces(old_sealed)) == []
        assert find_in_files(data_dir, IN_CLEAR) == []
    finally:
        store.close()
    assert find_in_files(data_dir, pieces(old_sealed)) == []


def test_today_s_and_later_lists_stay(data_dir: Path, clinic: ClinicKeyPair) -> None:
    today = dt.date.today()
    lists_key = DeviceIdentity.generate().derive_key(KEY_PURPOSE)
    store = TabletStore.open(data_dir, clinic.public)
    try:
        ClinicLists(store, lists_key).save(parse_csv(LIST, "list.csv", today))
    finally:
        store.close()
    store = TabletStore.open(data_dir, clinic.public)
    try:
        assert ClinicLists(store, lists_key).for_day(today) is not None
        assert store.events("clinic_lists_purged") == []
    finally:
        store.close()


def long_list(appointments: int) -> str:
    """A clinic's day: this many made-up appointments (a big list spans many pages)."""
    rows = [LIST.splitlines()[1]] + [
        f"B-{n},10:{n % 60:02d},Heart clinic,Family{n},Given{n},1960-01-01,,H-{n:05d},"
        for n in range(appointments - 1)
    ]
    return LIST.splitlines()[0] + "\n" + "\n".join(rows) + "\n"


@pytest.mark.control("H-15-C4")
@pytest.mark.parametrize("appointments", [1, 600])
def test_a_purge_leaves_no_copy_of_the_list_in_the_files(
    store: TabletStore, appointments: int
) -> None:
    """Removing the row is not enough: SQLite keeps freed pages, and the write-ahead
    log keeps the pages as they were, until they are overwritten."""
    today = dt.date.today()
    lists = ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE))
    lists.save(parse_csv(long_list(appointments), "list.csv", today))
    sealed = sealed_of(store, today)
    assert find_in_files(store.data_dir, pieces(sealed)) != []  # the test can see it
    assert lists.purge_before(today + dt.timedelta(days=1)) == 1
    assert lists.for_day(today) is None
    assert find_in_files(store.data_dir, pieces(sealed)) == []


@pytest.mark.control("H-15-C4")
def test_the_copy_kept_before_an_upgrade_holds_no_clinic_list(store: TabletStore) -> None:
    today = dt.date.today()
    ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE)).save(
        parse_csv(LIST, "list.csv", today)
    )
    sealed = sealed_of(store, today)
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking to the shops")
    session.submit()

    copy = back_up_before_upgrade(store.engine, store.db_path, "0002", "0003")

    assert copy.parent == store.data_dir / BACKUPS_FOLDER
    assert list(copy.parent.iterdir()) == [copy]  # one file: no -wal, no partial copy
    db = sqlite3.connect(copy)
    try:
        assert db.execute("select count(*) from clinic_lists").fetchone()[0] == 0
        assert db.execute("select count(*) from outbox").fetchone()[0] == 1  # answers kept
    finally:
        db.close()
    assert find_in_files(copy.parent, pieces(sealed)) == []
    # The tablet itself still has today's list.
    assert sealed_of(store, today) == sealed


def test_a_copy_a_power_cut_left_half_made_is_removed_on_open(
    data_dir: Path, clinic: ClinicKeyPair
) -> None:
    TabletStore.open(data_dir, clinic.public).close()
    backups = data_dir / BACKUPS_FOLDER
    backups.mkdir()
    left = [backups / "tablet-before-0002-to-0003-x.db.partial", backups / "x.db.partial-journal"]
    for path in left:
        path.write_bytes(b"a half-made copy, perhaps with a clinic list in it")
    kept = backups / "tablet-before-0001-to-0002-20261101T000000000000Z.db"
    kept.write_bytes(b"a finished copy")
    TabletStore.open(data_dir, clinic.public).close()
    assert sorted(backups.iterdir()) == [kept]
