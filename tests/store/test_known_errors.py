"""Every known error of the store, provoked for real, with a plain message that
carries no traceback text and no patient data.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.errors import TamperedError
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.errors import (
    CorruptDatabaseError,
    DataDirUnwritableError,
    DiskFullError,
    NoClinicKeyError,
    ReceiptMismatchError,
    StoreError,
    known_errors,
)
from kiosk.store.store import TabletStore
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.store

FORMS = [{"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64}]
SECRET = "Mrs Secret-Patient 943 476 5919"  # must never appear in an error message


def assert_plain(error: BaseException, *must_mention: str) -> str:
    message = str(error)
    assert message.strip()
    for noise in (
        "Traceback",
        'File "',
        "sqlite3.",
        "sqlalchemy",
        "sqlalche.me",
        "[SQL:",
        "[parameters:",
        "Errno",
        SECRET,
        "Secret-Patient",
    ):
        assert noise not in message, message
    for words in must_mention:
        assert words.lower() in message.lower(), message
    # raised "from None": a printed traceback shows no internals beneath it
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return message


def sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path / "tablet.db", isolation_level=None)


def flip_byte(blob: bytes, position: int) -> bytes:
    changed = bytearray(blob)
    changed[position] ^= 0x01
    return bytes(changed)


# ------------------------------------------------------------------ no clinic key


def test_no_clinic_key(data_dir: Path) -> None:
    store = TabletStore.open(data_dir)  # not enrolled: opening is fine (staff can enrol)
    try:
        with pytest.raises(NoClinicKeyError) as caught:
            store.start_session("cardiology", FORMS)
        assert_plain(caught.value, "enrol", "clinic key")
        assert store.counts()["in_progress"] == 0
        assert store.events("session_started") == []
    finally:
        store.close()


# ------------------------------------------------------------------ tampered ciphertext


@pytest.mark.control("H-14-C2")
def test_a_tampered_record_is_quarantined_not_dropped(
    store: TabletStore, clinic: ClinicKeyPair, data_dir: Path
) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking")
    session.answer("what_matters", "worries", ["pain"])
    db = sqlite(data_dir)
    try:
        (sealed,) = db.execute(
            "SELECT sealed FROM records WHERE session_id = ? AND seq = 2", (session.id,)
        ).fetchone()
        tampered = flip_byte(sealed, 30)
        db.execute(
            "UPDATE records SET sealed = ? WHERE session_id = ? AND seq = 2",
            (tampered, session.id),
        )
    finally:
        db.close()

    session.submit()

    (quarantined,) = store.quarantined()
    assert quarantined["submission_id"] == session.id
    assert "record 2" in quarantined["reason"]
    assert "authentication" in quarantined["reason"]
    (logged,) = store.events("record_quarantined")
    assert logged["submission_id"] == session.id
    assert store.counts()["quarantined"] == 1
    db = sqlite(data_dir)
    try:
        (blob,) = db.execute("SELECT blob FROM quarantine").fetchone()
    finally:
        db.close()
    assert blob == tampered  # kept for investigation, byte for byte

    # and the clinic is told too: the submission still carries it, and it fails
    (item,) = store.pending()
    with pytest.raises(TamperedError, match="record 2"):
        open_envelope(item.envelope, clinic.private)


@pytest.mark.control("H-14-C2")
def test_a_record_from_another_session_is_quarantined(store: TabletStore, data_dir: Path) -> None:
    first = store.start_session("cardiology", FORMS)
    first.answer("what_matters", "priority", "walking")
    second = store.start_session("cardiology", FORMS)
    second.answer("what_matters", "priority", "sleep")
    db = sqlite(data_dir)
    try:
        (sealed,) = db.execute(
            "SELECT sealed FROM records WHERE session_id = ? AND seq = 2", (first.id,)
        ).fetchone()
        db.execute(
            "UPDATE records SET sealed = ? WHERE session_id = ? AND seq = 2", (sealed, second.id)
        )
    finally:
        db.close()
    first.submit()
    second.submit()
    assert [q["submission_id"] for q in store.quarantined()] == [second.id]


@pytest.mark.control("H-14-C2")
def test_a_tampered_outbox_envelope_is_quarantined(
    store: TabletStore, clinic: ClinicKeyPair, data_dir: Path
) -> None:
    ids = []
    for priority in ("walking", "sleep"):
        session = store.start_session("cardiology", FORMS)
        session.answer("what_matters", "priority", priority)
        ids.append(session.submit())
    db = sqlite(data_dir)
    try:
        (envelope,) = db.execute(
            "SELECT envelope FROM outbox WHERE submission_id = ?", (ids[0],)
        ).fetchone()
        altered = flip_byte(envelope, len(envelope) // 2)
        db.execute("UPDATE outbox SET envelope = ? WHERE submission_id = ?", (altered, ids[0]))
    finally:
        db.close()

    pending = store.pending()
    assert [item.submission_id for item in pending] == [ids[1]]
    open_envelope(pending[0].envelope, clinic.private)  # the other is untouched
    (quarantined,) = store.quarantined()
    assert quarantined["submission_id"] == ids[0]
    assert "altered" in quarantined["reason"]
    (logged,) = store.events("record_quarantined")
    assert logged["submission_id"] == ids[0]
    assert store.counts() == {"outbox": 1, "acknowledged": 0, "in_progress": 0, "quarantined": 1}
    db = sqlite(data_dir)
    try:
        (blob,) = db.execute("SELECT blob FROM quarantine").fetchone()
        (last_error,) = db.execute(
            "SELECT last_error FROM outbox WHERE submission_id = ?", (ids[0],)
        ).fetchone()
    finally:
        db.close()
    assert blob == altered
    assert "quarantined" in last_error
    # asking again does not quarantine it twice
    assert [item.submission_id for item in store.pending()] == [ids[1]]
    assert len(store.quarantined()) == 1


# ------------------------------------------------------------------ corrupt database


def _made_database(data_dir: Path, clinic: ClinicKeyPair) -> bytes:
    store = TabletStore.open(data_dir, clinic.public)
    try:
        for priority in ("walking", "sleep", "family"):
            session = store.start_session("cardiology", FORMS)
            session.answer("what_matters", "priority", priority * 500)
            session.submit()
        store.checkpoint()
    finally:
        store.close()
    for leftover in data_dir.glob("tablet.db-*"):
        leftover.unlink()
    return (data_dir / "tablet.db").read_bytes()


@pytest.mark.control("H-14-C3")
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda db: os.urandom(len(db)), id="not-sqlite-at-all"),
        pytest.param(lambda db: b"PK\x03\x04 a zip, not a database" * 50, id="another-file"),
        pytest.param(lambda db: os.urandom(100) + db[100:], id="header"),
        pytest.param(lambda db: db[:16] + os.urandom(84) + db[100:], id="header-fields"),
        pytest.param(
            lambda db: db[: len(db) // 2] + os.urandom(4096) + db[len(db) // 2 + 4096 :],
            id="middle",
        ),
        pytest.param(lambda db: db[:4096] + b"\xff" * (len(db) - 4096), id="all-but-page-1"),
        pytest.param(lambda db: db[: len(db) // 2 + 100], id="truncated"),
    ],
)
def test_a_corrupt_database_file(data_dir: Path, clinic: ClinicKeyPair, damage: Any) -> None:
    original = _made_database(data_dir, clinic)
    damaged = damage(original)
    (data_dir / "tablet.db").write_bytes(damaged)
    with pytest.raises(CorruptDatabaseError) as caught:
        TabletStore.open(data_dir, clinic.public)
    assert_plain(caught.value, "damaged", "do not delete")
    assert (data_dir / "tablet.db").read_bytes() == damaged  # left as it was, for investigation


@pytest.mark.control("H-14-C3")
@pytest.mark.parametrize("page", range(1, 16))
def test_damage_to_any_page_is_found_on_open(
    data_dir: Path, clinic: ClinicKeyPair, page: int
) -> None:
    original = _made_database(data_dir, clinic)
    pages = len(original) // 4096
    db = sqlite(data_dir)
    try:
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)  # every page is in use
    finally:
        db.close()
    if page >= pages:
        skip_or_fail(f"the database has only {pages} pages: page {page} is not tested")
    damaged = original[: page * 4096] + os.urandom(4096) + original[(page + 1) * 4096 :]
    (data_dir / "tablet.db").write_bytes(damaged)
    with pytest.raises(CorruptDatabaseError) as caught:
        TabletStore.open(data_dir, clinic.public)
    assert_plain(caught.value, "damaged")


def test_integrity_of_a_database_damaged_while_open(store: TabletStore, data_dir: Path) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking" * 2000)
    session.submit()
    store.checkpoint()
    assert store.integrity() == "ok"
    path = data_dir / "tablet.db"
    size = path.stat().st_size
    with path.open("r+b") as raw:
        for page in range(1, size // 4096):
            raw.seek(page * 4096)
            raw.write(os.urandom(4096))
    store.engine.dispose()  # no page cache: read the damaged file
    try:
        report = store.integrity()
    except CorruptDatabaseError as exc:
        assert_plain(exc, "damaged")
    else:
        assert report != "ok"


# ------------------------------------------------------------------ disk full


@pytest.fixture
def full_disk(store: TabletStore) -> Iterator[None]:
    """Every connection of the store may grow the file by no more pages."""

    def no_more_pages(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", no_more_pages)
    store.engine.dispose()
    try:
        yield
    finally:
        event.remove(store.engine, "connect", no_more_pages)
        store.engine.dispose()


@pytest.mark.control("H-08-C5")
def test_disk_full_while_saving_an_answer(
    store: TabletStore, clinic: ClinicKeyPair, request: pytest.FixtureRequest
) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking")
    request.getfixturevalue("full_disk")
    with pytest.raises(DiskFullError) as caught:
        session.answer("what_matters", "in_your_words", SECRET + " " + "x" * 50_000)
    assert_plain(caught.value, "full", "nothing already saved has been lost")


@pytest.mark.control("H-08-C5")
def test_the_answer_saved_before_the_disk_filled_is_kept(
    store: TabletStore, clinic: ClinicKeyPair
) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking")

    def no_more_pages(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", no_more_pages)
    store.engine.dispose()
    try:
        with pytest.raises(DiskFullError):
            session.answer("what_matters", "in_your_words", "x" * 50_000)
        with pytest.raises(DiskFullError):
            store.start_session("cardiology", FORMS * 2000)
    finally:
        event.remove(store.engine, "connect", no_more_pages)
        store.engine.dispose()

    # space freed: the session carries on where it was
    session.answer("what_matters", "worries", ["pain"])
    session.submit()
    (item,) = store.pending()
    submission = open_envelope(item.envelope, clinic.private)
    assert submission.answers() == {"what_matters": {"priority": "walking", "worries": ["pain"]}}
    assert store.counts()["in_progress"] == 0
    assert store.integrity() == "ok"


def test_no_space_from_the_operating_system(tmp_path: Path) -> None:
    with pytest.raises(DiskFullError) as caught, known_errors(tmp_path / "tablet.db"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert_plain(caught.value, "full")


# ------------------------------------------------------------------ data folder not writable


def test_the_data_folder_is_a_file(data_dir: Path, clinic: ClinicKeyPair) -> None:
    data_dir.write_text("not a folder")
    with pytest.raises(DataDirUnwritableError) as caught:
        TabletStore.open(data_dir, clinic.public)
    assert_plain(caught.value, str(data_dir), "cannot write")


def test_the_data_folder_is_inside_a_file(tmp_path: Path, clinic: ClinicKeyPair) -> None:
    (tmp_path / "plain-file").write_text("not a folder")
    with pytest.raises(DataDirUnwritableError) as caught:
        TabletStore.open(tmp_path / "plain-file" / "data", clinic.public)
    assert_plain(caught.value, "cannot write")


def test_the_database_is_a_folder(data_dir: Path, clinic: ClinicKeyPair) -> None:
    (data_dir / "tablet.db").mkdir(parents=True)
    with pytest.raises(DataDirUnwritableError) as caught:
        TabletStore.open(data_dir, clinic.public)
    assert_plain(caught.value, str(data_dir), "cannot write")


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM])
def test_permission_errors_from_the_operating_system(tmp_path: Path, code: int) -> None:
    with pytest.raises(DataDirUnwritableError) as caught, known_errors(tmp_path / "tablet.db"):
        raise PermissionError(code, os.strerror(code))
    assert_plain(caught.value, "cannot write")


def test_a_read_only_database(store: TabletStore, data_dir: Path) -> None:
    session = store.start_session("cardiology", FORMS)

    def read_only(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")

    event.listen(store.engine, "connect", read_only)
    store.engine.dispose()
    try:
        with pytest.raises(StoreError) as caught:
            session.answer("what_matters", "priority", SECRET)
    finally:
        event.remove(store.engine, "connect", read_only)
        store.engine.dispose()
    assert isinstance(caught.value, DataDirUnwritableError)
    assert_plain(caught.value, "cannot write")


# ------------------------------------------------------------------ newer schema


@pytest.mark.control("H-14-C3", "H-25-C3")
def test_a_database_made_by_a_newer_version(data_dir: Path, clinic: ClinicKeyPair) -> None:
    TabletStore.open(data_dir, clinic.public).close()
    db = sqlite(data_dir)
    try:
        db.execute("UPDATE alembic_version SET version_num = '9f3c2a1b7e00'")
    finally:
        db.close()
    with pytest.raises(CorruptDatabaseError) as caught:
        TabletStore.open(data_dir, clinic.public)
    message = assert_plain(caught.value, "newer version")
    assert "9f3c2a1b7e00" in message
    db = sqlite(data_dir)
    try:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("9f3c2a1b7e00",)
        ]
    finally:
        db.close()


# ------------------------------------------------------------------ receipts


@pytest.mark.control("H-08-C2")
def test_a_receipt_that_does_not_match(store: TabletStore, clinic: ClinicKeyPair) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking")
    session.submit()
    (item,) = store.pending()
    wrong = "sha256:" + "0" * 64
    with pytest.raises(ReceiptMismatchError) as caught:
        store.acknowledge(item.submission_id, wrong)
    assert_plain(caught.value, "does not match")
    # the envelope is kept, still waiting
    assert store.pending() == [item]
    assert store.counts()["outbox"] == 1
    assert store.counts()["acknowledged"] == 0
    assert store.events("submission_synced") == []
    open_envelope(store.pending()[0].envelope, clinic.private)
    store.acknowledge(item.submission_id, item.envelope_hash)
    assert store.pending() == []


def test_a_receipt_for_an_unknown_submission(store: TabletStore) -> None:
    with pytest.raises(StoreError) as caught:
        store.acknowledge("0" * 32, "sha256:" + "0" * 64)
    assert_plain(caught.value, "no submission")


def test_known_error_messages_are_json_safe() -> None:
    """Messages go to the staff console and logs as they are."""
    for error in (
        NoClinicKeyError("x"),
        CorruptDatabaseError("x"),
        DiskFullError("x"),
        DataDirUnwritableError("x"),
        ReceiptMismatchError("x"),
    ):
        assert isinstance(error, StoreError)
        assert json.loads(json.dumps(str(error))) == "x"
