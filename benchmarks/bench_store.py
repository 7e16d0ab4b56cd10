"""Tablet store benchmarks.

answer_save_p95_ms              one answer sealed and durably committed (95th percentile);
                                baseline: a bare sqlite3 INSERT of the same number of bytes
                                with the same WAL + synchronous=FULL commit, in the same run.
seal_submission_ms              submit a cardiology session (verify, build envelope, outbox)
db_bytes_per_1000_submissions   database size after 1,000 queued cardiology submissions
open_store_10k_ms               open a store holding 10,000 queued submissions (median)
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.store import TabletStore
from kiosk.store.database import DATABASE_FILE

FORMS = Path(__file__).resolve().parents[1] / "forms"
SAVES = 400
TEXT = "I get breathless on the stairs and worry about my job"


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _fill(journey: Journey, rng: random.Random) -> None:
    for form in journey.forms:
        for item_id, value in random_answers(form, rng).items():
            if item_id in journey.enabled_items(form.id):
                journey.answer(form.id, item_id, value)


def answer_save_p95_ms() -> dict[str, Any]:
    clinic = ClinicKeyPair.generate()
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder) / "store", clinic.public)
        session = store.start_session("cardiology", [])
        times = []
        for _ in range(SAVES):
            start = time.perf_counter()
            session.answer("what_matters", "main_concern", TEXT)
            times.append((time.perf_counter() - start) * 1000)
        with store.engine.connect() as connection:
            size = connection.execute(text("SELECT length(sealed) FROM records LIMIT 1")).scalar()
        session.abandon()
        store.close()
        bare = sqlite3.connect(Path(folder) / "bare.db", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("PRAGMA synchronous=FULL")
        bare.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
        payload = bytes(int(size or 0))
        base = []
        for _ in range(SAVES):
            start = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute("INSERT INTO t (body) VALUES (?)", (payload,))
            bare.execute("COMMIT")
            base.append((time.perf_counter() - start) * 1000)
        bare.close()
    value, baseline = _p95(times), _p95(base)
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": SAVES,
    }


def seal_submission_ms() -> dict[str, Any]:
    library = FormLibrary.load(FORMS)
    clinic = ClinicKeyPair.generate()
    rng = random.Random(7)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder), clinic.public)
        for _ in range(40):
            journey = Journey(store, library, "cardiology", {})
            _fill(journey, rng)
            start = time.perf_counter()
            journey.submit()
            times.append((time.perf_counter() - start) * 1000)
        store.close()
    return {"value": statistics.median(times), "unit": "ms", "n": len(times)}


def _queue(store: TabletStore, library: FormLibrary, count: int, rng: random.Random) -> None:
    for _ in range(count):
        journey = Journey(store, library, "cardiology", {})
        _fill(journey, rng)
        journey.submit()


def db_bytes_per_1000_submissions() -> dict[str, Any]:
    library = FormLibrary.load(FORMS)
    clinic = ClinicKeyPair.generate()
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder), clinic.public)
        _queue(store, library, 1000, random.Random(11))
        store.checkpoint()
        store.close()
        size = sum(p.stat().st_size for p in Path(folder).glob(DATABASE_FILE + "*"))
    return {"value": float(size), "unit": "bytes", "n": 1000}


def open_store_10k_ms() -> dict[str, Any]:
    library = FormLibrary.load(FORMS)
    clinic = ClinicKeyPair.generate()
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder), clinic.public)
        _queue(store, library, 200, random.Random(13))
        # Copy the 200 real envelopes under new ids up to 10,000 queued submissions.
        with store.engine.begin() as connection:
            rows = connection.execute(
                text(
                    "SELECT status, end_reason, created_at, envelope, envelope_hash, size"
                    " FROM outbox"
                )
            ).all()
            copies = [
                {
                    "id": uuid.uuid4().hex,
                    "status": r[0],
                    "reason": r[1],
                    "at": r[2],
                    "env": r[3],
                    "hash": r[4],
                    "size": r[5],
                }
                for i in range(10_000 - len(rows))
                for r in [rows[i % len(rows)]]
            ]
            connection.execute(
                text(
                    "INSERT INTO outbox (submission_id, status, end_reason, created_at, envelope, "
                    "envelope_hash, size, attempts) VALUES (:id, :status, :reason, :at, :env, "
                    ":hash, :size, 0)"
                ),
                copies,
            )
        assert store.counts()["outbox"] == 10_000
        store.close()
        times = []
        for _ in range(7):
            start = time.perf_counter()
            opened = TabletStore.open(Path(folder), clinic.public)
            times.append((time.perf_counter() - start) * 1000)
            opened.close()
    return {"value": statistics.median(times), "unit": "ms", "n": 10_000}


METRICS = {
    "answer_save_p95_ms": answer_save_p95_ms,
    "seal_submission_ms": seal_submission_ms,
    "db_bytes_per_1000_submissions": db_bytes_per_1000_submissions,
    "open_store_10k_ms": open_store_10k_ms,
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
