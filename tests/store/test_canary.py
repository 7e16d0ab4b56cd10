"""Canaries: patient details made unique to each test are fed through the store,
then looked for in every file under the data directory (the database, its WAL
and shared-memory files, journals, temp files) in UTF-8 and UTF-16, and in
everything logged. They must be nowhere in clear, after a submission and after
a crash in the middle of a session.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine.sample import random_nhs_number, random_postcode
from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store.errors import DiskFullError
from kiosk.store.session import SealedSession
from kiosk.store.store import TabletStore

pytestmark = pytest.mark.store

FORMS = [
    {"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64},
    {"id": "registration", "version": "1.0.0", "hash": "sha256:" + "d" * 64},
]
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
Scan = Callable[[Path, list[bytes]], list[tuple[str, bytes]]]


@dataclass(frozen=True)
class Canary:
    token: str
    name: str
    nhs_number: str
    date_of_birth: str
    postcode: str
    free_text: str

    @property
    def nhs_spaced(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}"

    @property
    def link(self) -> dict[str, str]:
        return {
            "nhs_number": self.nhs_number,
            "name": self.name,
            "date_of_birth": self.date_of_birth,
            "postcode": self.postcode,
        }

    def strings(self) -> list[str]:
        return [
            self.token,
            self.name,
            self.nhs_number,
            self.nhs_spaced,
            self.date_of_birth,
            self.postcode,
            self.free_text,
            self.free_text[:40],
        ]

    def needles(self) -> list[bytes]:
        return [s.encode(encoding) for s in self.strings() for encoding in ENCODINGS]

    def found_in(self, text: str) -> list[str]:
        return [s for s in self.strings() if s in text]


@pytest.fixture
def canary() -> Canary:
    unique = uuid.uuid4()
    rng = random.Random(unique.int)
    token = f"Canary-{unique.hex}"
    born = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 70))
    return Canary(
        token=token,
        name=f"{token} Zoë Ahmed",
        nhs_number=random_nhs_number(rng),
        date_of_birth=born.isoformat(),
        postcode=random_postcode(rng),
        free_text=f"میرا نام {token} ہے — أنا قلق 😟 about my {unique.hex[:8]} tablets",
    )


@pytest.fixture(autouse=True)
def sqlite_temp_files_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any temp file SQLite makes lands where the scan looks."""
    monkeypatch.setenv("SQLITE_TMPDIR", str(tmp_path))


def fill_in(session: SealedSession, canary: Canary) -> None:
    session.record("_link/patient", canary.link)
    session.answer("registration", "nhs_number", canary.nhs_number)
    session.answer("registration", "nhs_number_as_typed", canary.nhs_spaced)
    session.answer("registration", "name", canary.name)
    session.answer("registration", "date_of_birth", canary.date_of_birth)
    session.answer("registration", "postcode", canary.postcode)
    session.answer("what_matters", "in_your_words", canary.free_text)
    session.answer("what_matters", "in_your_words", canary.free_text + " (edited)")
    session.answer("what_matters", "worries", ["pain", canary.token])


def assert_nowhere(
    canary: Canary, root: Path, scan_files: Scan, logged: str, *elsewhere: Any
) -> None:
    assert scan_files(root, canary.needles()) == []
    assert canary.found_in(logged) == []
    for thing in elsewhere:
        assert canary.found_in(json.dumps(thing, default=str, ensure_ascii=False)) == []
        assert canary.found_in(repr(thing)) == []


def assert_opened_with_canary(store: TabletStore, clinic: ClinicKeyPair, canary: Canary) -> None:
    """Positive control: the canary really went in, and the clinic gets it back."""
    (item,) = store.pending()
    submission = open_envelope(item.envelope, clinic.private)
    assert submission.record("_link/patient") == canary.link
    assert submission.answers()["registration"]["nhs_number"] == canary.nhs_number
    assert submission.answers()["what_matters"]["in_your_words"] == canary.free_text + " (edited)"


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), str(record.exc_text)]
    return "\n".join(parts)


# ------------------------------------------------------------------ in process


def test_sanity_the_scan_finds_a_canary_written_in_clear(
    tmp_path: Path, canary: Canary, scan_files: Scan
) -> None:
    for encoding in ENCODINGS:
        (tmp_path / f"clear-{encoding}.txt").write_bytes(canary.free_text.encode(encoding))
    assert len(scan_files(tmp_path, canary.needles())) >= 3 * len(ENCODINGS)


@pytest.mark.control("H-15-C2")
@pytest.mark.parametrize("ending", ["submit", "abandon", "timed_out", "interrupted"])
def test_no_canary_in_files_or_logs_after_a_session(
    tmp_path: Path,
    data_dir: Path,
    clinic: ClinicKeyPair,
    canary: Canary,
    scan_files: Scan,
    caplog: pytest.LogCaptureFixture,
    ending: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    store = TabletStore.open(data_dir, clinic.public)
    try:
        session = store.start_session("cardiology", FORMS)
        fill_in(session, canary)
        assert_nowhere(canary, tmp_path, scan_files, logged_text(caplog))  # mid-session
        if ending == "submit":
            session.submit({"note": canary.token})
        elif ending == "abandon":
            session.abandon()
        elif ending == "timed_out":
            session.abandon("timed_out")
        else:
            store.close()
            store = TabletStore.open(data_dir, clinic.public)
        assert_nowhere(
            canary,
            tmp_path,
            scan_files,
            logged_text(caplog),
            store.events(),
            store.counts(),
            store.quarantined(),
        )
        assert_opened_with_canary(store, clinic, canary)
        (item,) = store.pending()
        store.acknowledge(item.submission_id, item.envelope_hash)
        assert_nowhere(canary, tmp_path, scan_files, logged_text(caplog), store.events())
    finally:
        store.close()
    assert_nowhere(canary, tmp_path, scan_files, logged_text(caplog))


def test_no_canary_when_a_record_is_quarantined(
    tmp_path: Path,
    store: TabletStore,
    clinic: ClinicKeyPair,
    data_dir: Path,
    canary: Canary,
    scan_files: Scan,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    session = store.start_session("cardiology", FORMS)
    fill_in(session, canary)
    with sqlite3.connect(data_dir / "tablet.db") as db:
        (sealed,) = db.execute(
            "SELECT sealed FROM records WHERE session_id = ? AND seq = 2", (session.id,)
        ).fetchone()
        damaged = bytearray(sealed)
        damaged[-1] ^= 0x55
        db.execute(
            "UPDATE records SET sealed = ? WHERE session_id = ? AND seq = 2",
            (bytes(damaged), session.id),
        )
    db.close()
    session.submit()
    assert len(store.quarantined()) == 1
    assert_nowhere(
        canary,
        tmp_path,
        scan_files,
        logged_text(caplog),
        store.events(),
        store.quarantined(),
    )


def test_no_canary_in_a_known_error_raised_while_saving_it(
    tmp_path: Path,
    store: TabletStore,
    canary: Canary,
    scan_files: Scan,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The disk fills while the patient's details are being saved."""
    from sqlalchemy import event

    caplog.set_level(logging.DEBUG)
    session = store.start_session("cardiology", FORMS)

    def no_more_pages(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 1")

    event.listen(store.engine, "connect", no_more_pages)
    store.engine.dispose()
    try:
        with pytest.raises(DiskFullError) as caught:
            session.record("_link/patient", {**canary.link, "padding": "x" * 20_000})
    finally:
        event.remove(store.engine, "connect", no_more_pages)
        store.engine.dispose()
    assert canary.found_in(str(caught.value)) == []
    assert canary.found_in(repr(caught.value.args)) == []
    assert_nowhere(canary, tmp_path, scan_files, logged_text(caplog))


# ------------------------------------------------------------------ a crash, in a child process

CHILD = r"""
import json, logging, sys, time
from pathlib import Path
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.store.store import TabletStore

logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
args = json.loads(sys.argv[1])
store = TabletStore.open(Path(args["data_dir"]), ClinicPublicKey.from_text(args["key"]))
session = store.start_session("cardiology", args["forms"])
session.record("_link/patient", args["link"])
for form_id, item_id, value in args["answers"]:
    session.answer(form_id, item_id, value)
print("answers saved", session.id, flush=True)
time.sleep(120)
print("not killed", flush=True)
"""


@pytest.mark.control("H-15-C2")
def test_no_canary_after_a_crash_mid_session(
    tmp_path: Path,
    data_dir: Path,
    clinic: ClinicKeyPair,
    canary: Canary,
    scan_files: Scan,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = [
        ["registration", "nhs_number", canary.nhs_number],
        ["registration", "nhs_number_as_typed", canary.nhs_spaced],
        ["registration", "name", canary.name],
        ["registration", "date_of_birth", canary.date_of_birth],
        ["registration", "postcode", canary.postcode],
        ["what_matters", "in_your_words", canary.free_text],
        ["what_matters", "in_your_words", canary.free_text + " (edited)"],
    ]
    args = {
        "data_dir": str(data_dir),
        "key": clinic.public.to_text(),
        "forms": FORMS,
        "link": canary.link,
        "answers": answers,
    }
    # The canary is in the child's argv (its stand-in for the touch screen) but
    # must reach neither its output nor the files.
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SQLITE_TMPDIR": str(tmp_path)},
    )
    assert child.stdout is not None
    line = child.stdout.readline().decode()
    try:
        assert line.startswith("answers saved "), line + (
            child.stderr.read().decode() if child.stderr else ""
        )
    finally:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    session_id = line.split()[-1]
    child_output = (line.encode() + out + err).decode("utf-8", "replace")
    assert "Traceback" not in child_output
    assert "not killed" not in child_output

    # as the power cut left it: an open session, a WAL full of sealed records
    assert any(name.endswith("-wal") for name in _files(data_dir))
    assert_nowhere(canary, tmp_path, scan_files, child_output)

    store = TabletStore.open(data_dir, clinic.public)  # recovery seals it as incomplete
    try:
        (item,) = store.pending()
        assert item.submission_id == session_id
        assert item.status == "incomplete"
        submission = open_envelope(item.envelope, clinic.private)
        assert submission.record("_link/patient") == canary.link
        assert submission.answers()["registration"]["name"] == canary.name
        assert submission.end_reason == "interrupted"
        assert_nowhere(
            canary,
            tmp_path,
            scan_files,
            logged_text(caplog),
            store.events(),
            store.counts(),
            store.quarantined(),
        )
        store.acknowledge(item.submission_id, item.envelope_hash)
    finally:
        store.close()
    assert_nowhere(canary, tmp_path, scan_files, logged_text(caplog))


def _files(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*") if p.is_file()]
