"""Process death: a child process running patient sessions is killed with SIGKILL at
200 random points. After each kill the store reopens intact, every answer the
child had been told was saved is in the outbox (sealed), and nothing is duplicated.

What this proves: the kiosk process may die at any instruction (a crash, the OOM
killer, a kill from the shell) and recovery loses nothing it promised. What it does
not prove: survival of a power cut. SIGKILL ends the process but leaves the
operating system's page cache, which still reaches the disk, so these kills would
pass even if commits were never flushed. Durability across a power cut comes from
every connection running WAL with ``synchronous=FULL`` (SQLite fsyncs the WAL before
a commit returns); ``test_every_connection_runs_wal_with_synchronous_full`` below and
``tests/store/test_outbox.py::test_every_connection_is_durable`` prove that.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import TabletStore, database

pytestmark = [pytest.mark.store, pytest.mark.slow]

KILLS = 200
ROOT = Path(__file__).resolve().parents[2]

# The child runs sessions for ever, printing one line per answer *after* the
# store has returned from saving it: those are the answers it was promised.
CHILD = r"""
import json, random, sys
from pathlib import Path
from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.journey import Journey
from kiosk.store import TabletStore, database

data_dir, key_text, seed, forms = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
library = FormLibrary.load(Path(forms))
store = TabletStore.open(Path(data_dir), ClinicPublicKey.from_text(key_text))
rng = random.Random(seed)
print("ready", flush=True)
while True:
    journey = Journey(store, library, "cardiology", {})
    for form in journey.forms:
        for item_id, value in random_answers(form, rng).items():
            if item_id not in journey.enabled_items(form.id):
                continue
            saved = journey.answer(form.id, item_id, value)
            print(json.dumps([journey.submission_id, form.id, item_id, saved]), flush=True)
    if rng.random() < 0.2:
        journey.abandon("timed_out")
    else:
        sid = journey.submit().submission_id
        print(json.dumps(["submitted", sid]), flush=True)
"""


def run_child_and_kill(data_dir: Path, key_text: str, seed: int, delay: float) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), key_text, str(seed), str(ROOT / "forms")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first == "ready\n", first + (child.stderr.read() if child.stderr else "")
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "Traceback" not in err, err
    return out.splitlines()


@pytest.mark.control("H-08-C1", "H-09-C3")
def test_killed_at_random_points_nothing_promised_is_lost(tmp_path: Path) -> None:
    clinic = ClinicKeyPair.generate()
    data_dir = tmp_path / "data"
    rng = random.Random(4242)
    seen_submissions: set[str] = set()
    promised_total = 0
    for kill in range(KILLS):
        lines = run_child_and_kill(data_dir, clinic.public.to_text(), kill, rng.uniform(0, 0.25))
        promised: dict[str, dict[tuple[str, str], object]] = {}
        for line in lines:
            entry = json.loads(line)
            if entry[0] == "submitted":
                continue
            session_id, form_id, item_id, value = entry
            promised.setdefault(session_id, {})[(form_id, item_id)] = value
        promised_total += sum(len(v) for v in promised.values())

        store = TabletStore.open(data_dir, clinic.public)  # recovery runs here
        try:
            assert store.integrity() == "ok"
            assert store.counts()["in_progress"] == 0
            opened = {}
            for item in store.pending(limit=10_000):
                submission = open_envelope(item.envelope, clinic.private)
                assert submission.submission_id not in seen_submissions, "duplicated"
                seqs = [seq for seq, _name, _value in submission.records]
                assert seqs == list(range(1, len(seqs) + 1))
                opened[submission.submission_id] = submission
                seen_submissions.add(submission.submission_id)
                store.acknowledge(item.submission_id, item.envelope_hash)
            for session_id, answers in promised.items():
                assert session_id in opened, f"kill {kill}: session {session_id} lost"
                latest: dict[tuple[str, str], object] = {}
                for _seq, name, value in opened[session_id].records:
                    if not name.startswith("_"):
                        form_id, _, item_id = name.partition("/")
                        latest[(form_id, item_id)] = value
                for key, value in answers.items():
                    assert latest.get(key) == value, f"kill {kill}: {key} lost"
        finally:
            store.close()
    assert promised_total > KILLS  # the kills did land in the middle of real work


def test_every_connection_runs_wal_with_synchronous_full(tmp_path: Path) -> None:
    """The store's own connection set-up turns on WAL and synchronous=FULL, whatever the
    SQLite library's compiled defaults: a connection that starts with synchronous=OFF
    and a rollback journal (what a build with other defaults gives) comes out durable.
    (The library here defaults to FULL already, so only this fails if the PRAGMA goes.)"""
    raw = sqlite3.connect(tmp_path / "tablet.db")
    try:
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA journal_mode=DELETE")
        database._pragmas(raw, None)
        assert raw.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()
    clinic = ClinicKeyPair.generate()
    store = TabletStore.open(tmp_path / "data", clinic.public)
    try:
        with store.engine.connect() as first, store.engine.connect() as second:
            for connection in (first, second):
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA synchronous").scalar() == 2
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()
