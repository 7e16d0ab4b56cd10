"""Store and forward: the outbox reaches the clinic and is forgotten only against
a matching receipt; conflicts stay on the tablet; failures back off and never
give up; the worker thread wakes at once and stops promptly."""

from __future__ import annotations

import base64
import json
import logging
import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kiosk.engine import FormLibrary
from kiosk.envelope.envelope import envelope_hash
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.store import TabletStore
from kiosk.store.errors import StoreError
from kiosk.store.store import OutboxItem
from kiosk.sync.client import ClinicClient
from kiosk.sync.config import ClinicRecord
from kiosk.sync.worker import (
    CONFLICT_NOTE,
    HELD_NOTE,
    HOLD_SECONDS,
    UNREADABLE_NOTE,
    Backoff,
    Syncer,
    SyncReport,
    SyncWorker,
    next_batch,
)

from .conftest import Clock, Submit
from .fake_clinic import FakeClinic, Fault, error, raising

pytestmark = pytest.mark.clinic


@pytest.fixture
def clock() -> Clock:
    return Clock(time.time())


@pytest.fixture
def syncer(
    store: TabletStore, client: ClinicClient, data_dir: Path, clock: Clock, enrolled: ClinicRecord
) -> Syncer:
    return Syncer(store, client, data_dir, clock=clock, rng=random.Random(3))


def outbox_row(data_dir: Path, submission_id: str) -> tuple[int, str | None]:
    db = sqlite3.connect(data_dir / "tablet.db")
    try:
        row = db.execute(
            "SELECT attempts, last_error FROM outbox WHERE submission_id = ?", (submission_id,)
        ).fetchone()
    finally:
        db.close()
    return row[0], row[1]


def waiting(store: TabletStore) -> set[str]:
    return {item.submission_id for item in store.pending()}


# ---------------------------------------------------------------- receipts


@pytest.mark.control("H-08-C2")
def test_the_outbox_reaches_the_clinic_and_is_then_forgotten(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit
) -> None:
    sent = {submit(): None for _ in range(3)}
    envelopes = {item.submission_id: item.envelope for item in store.pending()}

    report = syncer.sync_once()

    assert report.ok and report.acknowledged == 3
    assert fake.envelopes == envelopes and set(sent) == set(envelopes)
    assert store.counts()["outbox"] == 0
    assert store.counts()["acknowledged"] == 3


@pytest.mark.control("H-08-C2")
def test_a_wrong_receipt_leaves_the_submission_on_the_tablet(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    doubted, fine = submit(), submit()
    fake.wrong_receipt = {doubted}

    report = syncer.sync_once()

    assert (report.acknowledged, report.failed) == (1, 1)
    assert waiting(store) == {doubted}
    attempts, note = outbox_row(data_dir, doubted)
    assert attempts == 1 and note is not None and note.startswith("receipt mismatch")

    fake.wrong_receipt = set()
    report = syncer.sync_once()
    assert report.acknowledged == 1 and waiting(store) == set()
    assert fine in fake.envelopes


@pytest.mark.control("H-08-C3")
def test_an_answer_lost_on_the_way_back_costs_only_a_resend(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit
) -> None:
    sid = submit()

    def store_then_drop(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/api/v1/submissions":
            fake.fault = None
            fake.handle(request)
            raise httpx.ReadError("connection reset", request=request)
        return None

    fake.fault = store_then_drop
    assert not syncer.sync_once().ok
    assert sid in fake.envelopes and waiting(store) == {sid}

    report = syncer.sync_once()
    assert report.acknowledged == 1 and waiting(store) == set()
    assert fake.statuses()[-2:] == [200, 200]  # the resend, "stored before", then config


@pytest.mark.control("H-08-C4")
def test_a_conflict_keeps_the_tablet_copy_and_is_not_resent_for_a_day(
    syncer: Syncer,
    store: TabletStore,
    fake: FakeClinic,
    submit: Submit,
    data_dir: Path,
    clock: Clock,
) -> None:
    sid, other = submit(), submit()
    fake.envelopes[sid] = b"a different envelope under the same id"

    report = syncer.sync_once()

    assert (report.conflicts, report.acknowledged) == (1, 1)
    assert waiting(store) == {sid}
    assert outbox_row(data_dir, sid) == (1, CONFLICT_NOTE)
    assert fake.envelopes[sid] == b"a different envelope under the same id"

    fake.batches.clear()
    clock.now += HOLD_SECONDS - 60
    report = syncer.sync_once()
    assert report.held == 1 and fake.batches == []
    assert other not in waiting(store)

    clock.now += 120
    syncer.sync_once()
    assert fake.batches == [[sid]]
    assert waiting(store) == {sid}


@pytest.mark.control("H-08-C4")
def test_a_submission_the_clinic_cannot_open_is_kept_and_held(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    sid = submit()
    fake.keys = ClinicKeyPair.generate()  # the clinic lost the key it was sealed for

    report = syncer.sync_once()

    assert report.unreadable == 1 and waiting(store) == {sid}
    assert outbox_row(data_dir, sid) == (1, UNREADABLE_NOTE)
    fake.batches.clear()
    assert syncer.sync_once().held == 1 and fake.batches == []


def held_at_clinic(receipt_of: Callable[[bytes], str] | None = None) -> Fault:
    """A clinic that holds every submission for review, with a receipt (as today's
    clinic answers a submission it keeps aside): 422, the envelope's hash, and why."""

    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path != "/api/v1/submissions":
            return None
        items = json.loads(request.content)["submissions"]
        return httpx.Response(
            200,
            json={
                "results": [
                    {
                        "id": item["id"],
                        "status": 422,
                        "receipt": (receipt_of or envelope_hash)(
                            base64.b64decode(item["envelope"])
                        ),
                        "held": "invalid_answer",
                    }
                    for item in items
                ]
            },
        )

    return answer


@pytest.mark.control("H-08-C4")
def test_a_submission_the_clinic_holds_with_a_receipt_is_let_go_and_not_resent(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    sid = submit()
    fake.fault = held_at_clinic()

    report = syncer.sync_once()

    assert report.ok and (report.acknowledged, report.held_at_clinic) == (1, 1)
    assert waiting(store) == set()
    assert outbox_row(data_dir, sid)[1] == HELD_NOTE
    fake.batches.clear()
    fake.fault = None
    syncer.sync_once()
    assert fake.batches == []  # the clinic keeps it: never sent again


@pytest.mark.control("H-08-C4")
def test_a_held_answer_whose_receipt_is_not_this_envelope_keeps_the_tablet_copy(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    sid = submit()
    fake.fault = held_at_clinic(lambda _envelope: "sha256:" + "0" * 64)

    report = syncer.sync_once()

    assert (report.acknowledged, report.held_at_clinic, report.unreadable) == (0, 0, 1)
    assert waiting(store) == {sid}
    assert outbox_row(data_dir, sid) == (2, UNREADABLE_NOTE)


@pytest.mark.control("H-08-C2", "H-08-C4")
def test_one_pass_of_a_mixed_batch_lets_go_of_exactly_what_the_clinic_holds(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    new, again, held, held_wrong, wrong, conflict, unreadable = (submit() for _ in range(7))
    envelopes = {item.submission_id: item.envelope for item in store.pending()}
    fake.envelopes[again] = envelopes[again]  # stored by an earlier, lost answer: 200
    fake.envelopes[conflict] = b"another version"  # 409
    fake.wrong_receipt = {wrong}
    rewrite = {
        held: {"status": 422, "receipt": envelope_hash(envelopes[held]), "held": "invalid_answer"},
        held_wrong: {"status": 422, "receipt": "sha256:" + "0" * 64, "held": "invalid_answer"},
        unreadable: {"status": 422},
    }

    def mixed(request: httpx.Request) -> httpx.Response | None:
        if request.url.path != "/api/v1/submissions":
            return None
        fake.fault = None
        try:
            results = fake.handle(request).json()["results"]
        finally:
            fake.fault = mixed
        for result in results:
            if result["id"] in rewrite:
                result.pop("receipt", None)
                result.update(rewrite[result["id"]])
        return httpx.Response(200, json={"results": results})

    fake.fault = mixed

    report = syncer.sync_once()

    assert len(fake.batches) == 1  # all seven went in one request
    assert (report.acknowledged, report.held_at_clinic) == (3, 1)
    assert (report.failed, report.conflicts, report.unreadable) == (1, 1, 2)
    assert waiting(store) == {held_wrong, wrong, conflict, unreadable}
    assert store.counts()["acknowledged"] == 3
    assert outbox_row(data_dir, held)[1] == HELD_NOTE
    assert outbox_row(data_dir, held_wrong) == (2, UNREADABLE_NOTE)
    assert outbox_row(data_dir, conflict) == (1, CONFLICT_NOTE)
    assert outbox_row(data_dir, unreadable) == (1, UNREADABLE_NOTE)
    attempts, note = outbox_row(data_dir, wrong)
    assert attempts == 1 and note is not None and note.startswith("receipt mismatch")
    assert {new, again} <= set(fake.envelopes)

    # The wrong receipt is put right: only that one goes again (the rest are held back).
    fake.wrong_receipt = set()
    fake.batches.clear()
    assert syncer.sync_once().acknowledged == 1
    assert fake.batches == [[wrong]]
    assert waiting(store) == {held_wrong, conflict, unreadable}


@pytest.mark.control("H-11-C3")
def test_the_outbox_goes_in_batches_of_at_most_fifty(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, library: FormLibrary
) -> None:
    for _ in range(53):
        Journey(store, library, "cardiology", {}).abandon("timed_out")  # sealed as incomplete

    report = syncer.sync_once()

    assert [len(batch) for batch in fake.batches] == [50, 3]
    assert report.acknowledged == 53 and store.counts()["outbox"] == 0


@pytest.mark.control("H-11-C3")
def test_a_batch_also_stays_under_the_body_limit() -> None:
    def item(n: int, size: int) -> OutboxItem:
        return OutboxItem(f"{n:032x}", "complete", b"x" * size, "sha256:", 0)

    big = [item(n, 3 * 1024 * 1024) for n in range(5)]
    assert len(next_batch(big)) == 1  # two would be 8 MiB once in base64
    small = [item(n, 10_000) for n in range(80)]
    assert len(next_batch(small)) == 50
    huge = [item(0, 9 * 1024 * 1024), item(1, 10)]
    assert len(next_batch(huge)) == 1  # sent alone; the clinic decides


def test_a_batch_refused_as_too_large_is_set_aside_and_the_rest_still_go(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit
) -> None:
    first = submit()
    rest = [submit() for _ in range(2)]

    def too_large_once(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/api/v1/submissions":
            fake.fault = None
            return error(413, "too_large")
        return None

    fake.fault = too_large_once
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kiosk.sync.worker.MAX_BATCH", 1)
        report = syncer.sync_once()

    assert report.ok and report.failed == 1 and report.acknowledged == 2
    assert waiting(store) == {first} and all(sid in fake.envelopes for sid in rest)


# ---------------------------------------------------------------- failures


@pytest.mark.control("H-08-C3", "H-11-C1")
@pytest.mark.parametrize(
    "fault",
    [
        raising(httpx.ConnectError),
        raising(httpx.ReadTimeout),
        lambda request: error(503, "unavailable"),
    ],
    ids=["refused", "timeout", "503"],
)
def test_an_unreachable_clinic_leaves_the_outbox_intact(
    syncer: Syncer,
    store: TabletStore,
    fake: FakeClinic,
    submit: Submit,
    data_dir: Path,
    fault: Fault,
) -> None:
    ids = {submit(), submit()}
    fake.fault = fault

    report = syncer.sync_once()

    assert not report.ok and report.error_kind == "ClinicUnreachableError"
    assert report.error is not None and "try again" in report.error
    assert report.retry_in is not None and 0 <= report.retry_in <= 2
    assert waiting(store) == ids and fake.envelopes == {}
    for sid in ids:
        attempts, note = outbox_row(data_dir, sid)
        assert attempts == 1 and note is not None and note.startswith("ClinicUnreachableError")


@pytest.mark.control("H-20-C3")
def test_a_revoked_tablet_keeps_its_outbox_and_says_so(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit
) -> None:
    sid = submit()
    fake.devices.clear()

    report = syncer.sync_once()

    assert report.error == "This tablet is not enrolled"
    assert waiting(store) == {sid}


@pytest.mark.control("H-11-C1")
def test_after_days_offline_everything_is_sent(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, submit: Submit, clock: Clock
) -> None:
    sid = submit()
    fake.fault = raising(httpx.ConnectError)
    total = 0.0
    while total < 3 * 24 * 3600:
        report = syncer.sync_once()
        assert report.retry_in is not None and report.retry_in <= 15 * 60
        total += max(report.retry_in, 1.0)
        clock.now += max(report.retry_in, 1.0)

    fake.fault = None
    report = syncer.sync_once()

    assert report.ok and report.acknowledged == 1 and set(fake.envelopes) == {sid}
    assert syncer.backoff.failures == 0


# ---------------------------------------------------------------- backoff


@pytest.mark.control("H-11-C2")
def test_backoff_grows_exponentially_to_the_cap() -> None:
    backoff = Backoff(random.Random(1))
    ceilings = []
    for _ in range(12):
        backoff.next_delay()
        ceilings.append(backoff.ceiling())
    assert ceilings == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


def test_backoff_is_full_jitter_between_zero_and_the_ceiling() -> None:
    backoff = Backoff(random.Random(2))
    for _ in range(9):
        backoff.next_delay()  # ceiling now 512 s
    delays = []
    for _ in range(400):
        backoff.failures = 8  # the next delay has ceiling 512 s
        delays.append(backoff.next_delay())
    assert all(0 <= d <= 512 for d in delays)
    assert min(delays) < 50 and max(delays) > 460  # spread over the whole range
    assert 200 < sum(delays) / len(delays) < 312


def test_backoff_resets_on_success_and_survives_any_number_of_failures() -> None:
    backoff = Backoff(random.Random(3))
    for _ in range(100_000):
        assert backoff.next_delay() <= 900
    backoff.reset()
    backoff.next_delay()
    assert backoff.ceiling() == 2


@pytest.mark.control("H-11-C2")
def test_a_sync_that_works_again_resets_the_backoff(syncer: Syncer, fake: FakeClinic) -> None:
    fake.fault = raising(httpx.ConnectError)
    for _ in range(6):
        syncer.sync_once()
    assert syncer.backoff.ceiling() == 64

    fake.fault = None
    report = syncer.sync_once()
    assert report.ok and report.retry_in is None and syncer.backoff.failures == 0


# ---------------------------------------------------------------- privacy


def test_sync_logs_no_envelope_or_patient_data(
    syncer: Syncer,
    store: TabletStore,
    fake: FakeClinic,
    submit: Submit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    conflicted = submit()
    submit()
    fake.envelopes[conflicted] = b"something else"
    pieces = []
    for item in store.pending():
        records = json.loads(item.envelope)["records"]
        pieces += [r["sealed"][:24] for r in records]

    with caplog.at_level(logging.DEBUG):
        report = syncer.sync_once()

    assert report.conflicts == 1 and report.config == "applied"
    assert conflicted in caplog.text  # ids are what staff need to follow one up
    for secret in [*pieces, "Smith", "Jane", "9434765919", "RX1-000123"]:
        assert secret not in caplog.text


# ---------------------------------------------------------------- the thread


@pytest.fixture
def reports() -> queue.Queue[SyncReport]:
    return queue.Queue()


def test_the_worker_syncs_at_start_and_again_at_once_when_woken(
    syncer: Syncer, store: TabletStore, submit: Submit, reports: queue.Queue[SyncReport]
) -> None:
    worker = SyncWorker(syncer, interval=3600, on_report=reports.put)
    worker.start()
    try:
        assert reports.get(timeout=10).ok
        submit()
        worker.wake()
        report = reports.get(timeout=10)
        assert report.acknowledged == 1 and store.counts()["outbox"] == 0
        assert worker.last_report is report
    finally:
        worker.stop()
        worker.join(10)
    assert not worker.is_alive()


@pytest.mark.control("H-11-C2")
def test_wake_and_stop_never_wait_for_a_sync_in_progress(
    syncer: Syncer, fake: FakeClinic, reports: queue.Queue[SyncReport]
) -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx.Request) -> httpx.Response | None:
        entered.set()
        release.wait(10)
        return None

    fake.fault = slow
    worker = SyncWorker(syncer, interval=3600, on_report=reports.put)
    worker.start()
    try:
        assert entered.wait(10)
        started = time.monotonic()
        worker.wake()
        worker.stop()
        assert time.monotonic() - started < 0.1
    finally:
        release.set()
        worker.join(10)
    assert not worker.is_alive()
    assert reports.qsize() == 1  # stopped after the pass in flight; no further pass


@pytest.mark.control("H-08-C3")
def test_a_bug_in_a_pass_does_not_end_syncing(
    syncer: Syncer, reports: queue.Queue[SyncReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def broken() -> SyncReport:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return SyncReport()

    monkeypatch.setattr(syncer, "sync_once", broken)
    monkeypatch.setattr(syncer.backoff, "next_delay", lambda: 0.01)
    worker = SyncWorker(syncer, interval=3600, on_report=reports.put)
    worker.start()
    try:
        first = reports.get(timeout=10)
        assert first.error_kind == "bug" and first.retry_in == 0.01
        assert reports.get(timeout=10).ok
    finally:
        worker.stop()
        worker.join(10)


# ---------------------------------------------------------------- batches in flight


def queue_visits(store: TabletStore, library: FormLibrary, count: int) -> list[str]:
    """``count`` visits walked away from (sealed as incomplete): their ids, oldest first."""
    for _ in range(count):
        Journey(store, library, "cardiology", {}).abandon("timed_out")
    ids = [item.submission_id for item in store.pending(limit=count)]
    assert len(ids) == count
    return ids


def test_the_clinic_gets_the_next_batch_while_the_tablet_writes_the_receipts(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, library: FormLibrary
) -> None:
    queue_visits(store, library, 120)
    acknowledge_all = store.acknowledge_all
    seen_while_writing: list[int] = []

    def slow_to_write(receipts: dict[str, str]) -> set[str]:
        # The receipts of the first batch are not written until the second batch has
        # reached the clinic (or five seconds pass): the tablet does not wait idle.
        deadline = time.monotonic() + 5
        while len(fake.batches) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_while_writing.append(len(fake.batches))
        return acknowledge_all(receipts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "acknowledge_all", slow_to_write)
        report = syncer.sync_once()

    assert seen_while_writing[0] == 2
    assert report.ok and report.acknowledged == 120
    assert [len(batch) for batch in fake.batches] == [50, 50, 20]
    assert store.counts()["outbox"] == 0


def test_a_connection_dropped_with_the_next_batch_queued_loses_and_doubles_nothing(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, library: FormLibrary, data_dir: Path
) -> None:
    ids = queue_visits(store, library, 120)
    posts = {"count": 0}

    def store_the_second_then_drop(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/api/v1/submissions":
            posts["count"] += 1
            if posts["count"] == 2:
                fake.fault = None
                fake.handle(request)  # stored at the clinic; the answer never arrives
                raise httpx.ReadError("connection reset", request=request)
        return None

    fake.fault = store_the_second_then_drop
    report = syncer.sync_once()

    # The first batch's receipts were written; the second is kept, noted, and the
    # third, queued behind it, was never sent.
    assert not report.ok and report.acknowledged == 50
    assert [len(batch) for batch in fake.batches] == [50, 50]
    assert waiting(store) == set(ids[50:])
    assert outbox_row(data_dir, ids[50])[0] == 1 and outbox_row(data_dir, ids[100]) == (0, None)

    report = syncer.sync_once()

    assert report.ok and report.acknowledged == 70 and waiting(store) == set()
    assert [len(batch) for batch in fake.batches] == [50, 50, 50, 20]
    assert fake.statuses().count(200) >= 3  # the resent batch was "stored before"
    stored_once = [sid for batch in fake.batches for sid in batch]
    assert sorted(stored_once) == sorted(ids + ids[50:100])  # only the lost batch twice
    assert set(fake.envelopes) == set(ids)


def test_a_store_failure_while_the_next_batch_is_out_ends_the_pass_and_loses_nothing(
    syncer: Syncer, store: TabletStore, fake: FakeClinic, library: FormLibrary
) -> None:
    ids = queue_visits(store, library, 120)
    acknowledge_all = store.acknowledge_all
    calls = {"count": 0}

    def disk_full_once(receipts: dict[str, str]) -> set[str]:
        calls["count"] += 1
        if calls["count"] == 1:
            deadline = time.monotonic() + 5  # the second batch is out by then
            while len(fake.batches) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            raise StoreError("database or disk is full")
        return acknowledge_all(receipts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "acknowledge_all", disk_full_once)
        report = syncer.sync_once()
        # Nothing let go without its receipts written; no batch after the one that
        # was already out went.
        assert not report.ok and report.error_kind == "StoreError"
        assert {item.submission_id for item in store.pending(limit=200)} == set(ids)
        assert len(fake.batches) == 2

        report = syncer.sync_once()

    assert report.ok and report.acknowledged == 120 and waiting(store) == set()
    assert set(fake.envelopes) == set(ids)
