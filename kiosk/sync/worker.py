"""Store and forward: send the outbox to the clinic, take its configuration, retry.

:class:`Syncer` does one pass (:meth:`Syncer.sync_once`); :class:`SyncWorker`
runs passes on a daemon thread, waking at once when a patient submits
(:meth:`SyncWorker.wake`, safe to call from the UI thread: it only sets an
event) and otherwise every ``interval`` seconds, or after a backoff delay when
the clinic could not be used. It never gives up: a tablet that has been
offline for days sends everything once the clinic is back. Each pass first sends
the patients' progress reports (checked in, started) noted through
:meth:`SyncWorker.report_progress`; unlike submissions those are best effort and
short-lived (:mod:`kiosk.sync.progress`).

Nothing here logs answers or envelope contents: only submission ids, counts,
statuses and error codes.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.errors import StoreError
from kiosk.store.store import OutboxItem, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.config import apply_config, read_clinic_record
from kiosk.sync.errors import ClinicRefusedError, ConfigError, NotSentError, SyncError
from kiosk.sync.progress import ProgressQueue, send_progress
from kiosk.sync.wire import MAX_BODY_BYTES, Result
from kiosk.vocabulary import MAX_BATCH

log = logging.getLogger(__name__)

HOLD_SECONDS = 24 * 60 * 60
CONFLICT_NOTE = "conflict: kept at the clinic for review"
UNREADABLE_NOTE = "unreadable: the clinic could not read it; kept there for review"
HELD_NOTE = "held at the clinic for review"
TOO_LARGE_NOTE = "too large: the clinic refused it; will try again later"
RECEIPT_NOTE = "receipt mismatch: the clinic's receipt is not this envelope's; will send again"
_BODY_ROOM = MAX_BODY_BYTES - 64 * 1024  # the JSON around the envelopes
_ITEM_OVERHEAD = 64
_AHEAD = 2  # batches sent or queued at once: the one at the clinic and the next


@dataclass
class SyncReport:
    """What one pass did (counts and codes only)."""

    acknowledged: int = 0  # stored at the clinic, or held there with a receipt
    held_at_clinic: int = 0  # of those, held there for an administrator
    conflicts: int = 0
    unreadable: int = 0
    failed: int = 0
    held: int = 0
    progress_sent: int = 0  # progress reports the clinic took (kiosk.sync.progress)
    config: str = "not_checked"  # then "unchanged", "applied" or "refused"
    config_error: str | None = None
    error: str | None = None  # why the clinic could not be used, in plain words
    error_kind: str | None = None
    retry_in: float | None = None  # seconds, when the pass failed

    @property
    def ok(self) -> bool:
        return self.error is None


class Backoff:
    """Exponential backoff with full jitter: a random delay up to base * 2^(n-1), capped."""

    def __init__(self, rng: random.Random, *, base: float = 2.0, cap: float = 15 * 60.0) -> None:
        self.rng = rng
        self.base = base
        self.cap = cap
        self.failures = 0

    def ceiling(self) -> float:
        if self.failures == 0:
            return 0.0
        return min(self.cap, self.base * 2.0 ** min(self.failures - 1, 40))

    def next_delay(self) -> float:
        self.failures += 1
        return self.rng.uniform(0.0, self.ceiling())

    def reset(self) -> None:
        self.failures = 0


class Syncer:
    """One sync pass over ``store`` with ``client``. Not thread-safe: one thread uses it
    (during a pass, the requests that carry the outbox go from a thread of the pass's
    own, one at a time; the pass waits for it before it returns)."""

    def __init__(
        self,
        store: TabletStore,
        client: ClinicClient,
        data_dir: Path,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.data_dir = data_dir
        self.clock = clock
        self.backoff = Backoff(rng if rng is not None else random.Random())
        self._held: dict[str, float] = {}  # submission id -> when it may be sent again
        self.progress = ProgressQueue()  # how far today's patients got, best effort

    def close(self) -> None:
        self.client.close()

    def sync_once(self) -> SyncReport:
        report = SyncReport()
        try:
            report.progress_sent = send_progress(self.client, self.progress)
            self._send_outbox(report)
            self._refresh_config(report)
        except (SyncError, StoreError) as exc:
            report.error = str(exc)
            report.error_kind = _kind(exc)
        if report.ok:
            self.backoff.reset()
        else:
            report.retry_in = self.backoff.next_delay()
            log.warning("sync stopped (%s); next try in %.0f s", report.error_kind, report.retry_in)
        busy = report.acknowledged or report.conflicts or report.unreadable or report.failed
        log.log(
            logging.INFO if busy or report.config == "applied" else logging.DEBUG,
            "sync: %d acknowledged (%d held at the clinic), %d conflicts, %d unreadable, "
            "%d failed, %d held; config %s",
            report.acknowledged,
            report.held_at_clinic,
            report.conflicts,
            report.unreadable,
            report.failed,
            report.held,
            report.config,
        )
        return report

    # ------------------------------------------------------------ outbox

    def _send_outbox(self, report: SyncReport) -> None:
        now = self.clock()
        self._held = {sid: until for sid, until in self._held.items() if until > now}
        done: set[str] = set(self._held)  # tried this pass, or not to be sent yet
        held_seen: set[str] = set()
        waiting: deque[str] = deque()  # ids read from the outbox, not yet sent this pass
        # The next batch is read and queued while the clinic stores the one before, and
        # a batch's receipts are written while the clinic stores the next: the tablet's
        # work and the clinic's overlap. Batches still go one at a time on one
        # connection, in order; each is let go only on its own receipts.
        with _Uplink(self.client) as uplink:
            sent: deque[tuple[list[OutboxItem], Future[list[Result]]]] = deque()
            while True:
                while len(sent) < _AHEAD:
                    batch = self._take_batch(waiting, done, held_seen)
                    if not batch:
                        break
                    done.update(i.submission_id for i in batch)
                    sent.append((batch, uplink.send(batch)))
                if not sent:
                    break
                batch, answer = sent.popleft()
                self._settle_batch(batch, answer, report)
        report.held = len(held_seen)

    def _take_batch(
        self, waiting: deque[str], done: set[str], held_seen: set[str]
    ) -> list[OutboxItem]:
        """The next batch to send (empty when the outbox holds nothing more for this
        pass). The outbox's ids are read once and then each batch by id, so a long
        backlog costs a query per batch, not a read of the whole backlog per batch; the
        outbox is read again when those run out, to send what came in meanwhile."""
        while True:
            if not waiting:
                ids = self.store.pending_ids()
                held_seen.update(sid for sid in ids if sid in self._held)
                waiting.extend(sid for sid in ids if sid not in done)
                if not waiting:
                    return []
            ids = [waiting.popleft() for _ in range(min(MAX_BATCH, len(waiting)))]
            items = self.store.pending_items(ids)
            if not items:
                continue  # let go or quarantined since the ids were read
            batch = next_batch(items)
            waiting.extendleft(reversed([i.submission_id for i in items[len(batch) :]]))
            return batch

    def _settle_batch(
        self, batch: list[OutboxItem], answer: Future[list[Result]], report: SyncReport
    ) -> None:
        """Act on one batch's answer: let go of what the clinic acknowledged."""
        try:
            results = answer.result()
        except ClinicRefusedError as exc:
            if exc.status != 413:
                self._note_all(batch, exc)
                raise
            # Only an oversized envelope does this; set it aside so the rest still go.
            for item in batch:
                self._hold(item.submission_id, TOO_LARGE_NOTE)
            report.failed += len(batch)
            log.warning("batch of %d refused as too large; held", len(batch))
            return
        except SyncError as exc:
            self._note_all(batch, exc)
            raise
        # Every receipt of the batch acknowledged at once: one write to the tablet's disk.
        receipts = {
            item.submission_id: result.receipt
            for item, result in zip(batch, results, strict=True)
            if result.receipt is not None and result.status in (200, 201, 422)
        }
        mismatched = self.store.acknowledge_all(receipts)
        for item, result in zip(batch, results, strict=True):
            self._settle(item, result, report, item.submission_id in mismatched)

    def _settle(
        self, item: OutboxItem, result: Result, report: SyncReport, mismatched: bool
    ) -> bool:
        """Act on one result (``mismatched``: its receipt is not this envelope's); True
        when the submission was acknowledged."""
        sid = item.submission_id
        if result.status in (200, 201):
            if mismatched:
                self.store.record_attempt(sid, RECEIPT_NOTE)
                report.failed += 1
                log.warning("submission %s: receipt mismatch; kept", sid)
                return False
            report.acknowledged += 1
            return True
        if result.status == 422 and result.receipt is not None:
            # The clinic keeps this very envelope for an administrator (a receipt that
            # matches says so): resending could never change its answer, so let it go.
            self.store.record_attempt(sid, HELD_NOTE)
            if mismatched:
                self._hold(sid, UNREADABLE_NOTE)
                report.unreadable += 1
                log.warning("submission %s: held at the clinic, receipt mismatch; kept", sid)
                return False
            report.acknowledged += 1
            report.held_at_clinic += 1
            log.warning("submission %s: held at the clinic for review (%s)", sid, result.held)
            return True
        if result.status == 409:
            self._hold(sid, CONFLICT_NOTE)
            report.conflicts += 1
            log.warning("submission %s: conflict at the clinic; kept, not resent for 24 h", sid)
        else:
            self._hold(sid, UNREADABLE_NOTE)
            report.unreadable += 1
            log.warning("submission %s: unreadable at the clinic; kept, not resent for 24 h", sid)
        return False

    def _hold(self, submission_id: str, note: str) -> None:
        self.store.record_attempt(submission_id, note)
        self._held[submission_id] = self.clock() + HOLD_SECONDS

    def _note_all(self, batch: list[OutboxItem], exc: SyncError) -> None:
        note = f"{_kind(exc)}: {exc}"
        for item in batch:
            self.store.record_attempt(item.submission_id, note)

    # ------------------------------------------------------------ configuration

    def _refresh_config(self, report: SyncReport) -> None:
        record = read_clinic_record(self.data_dir)
        config = self.client.config(record.config_etag if record else None)
        if config is None:
            report.config = "unchanged"
            return
        try:
            apply_config(config, self.data_dir, self.store, self.client.identity)
        except ConfigError as exc:
            report.config = "refused"
            report.config_error = str(exc)
            log.warning("configuration %s not applied (%s)", config.version, exc.reason)
        else:
            report.config = "applied"


_Job = tuple[list[tuple[str, bytes]], Future[list[Result]]]


class _Uplink:
    """Sends batches to the clinic one after another, in order, on a daemon thread of its
    own, so the caller can prepare the next batch and write the last one's receipts
    meanwhile. Once a batch fails (other than as too large) nothing queued behind it
    is sent, as if the batches went one by one; leaving the ``with`` block waits for
    the request in flight, so the client is the caller's again."""

    def __init__(self, client: ClinicClient) -> None:
        self._client = client
        self._stopped = threading.Event()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync-upload", daemon=True)
        self._thread.start()

    def __enter__(self) -> _Uplink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._jobs.put(None)
        self._thread.join()

    def send(self, batch: list[OutboxItem]) -> Future[list[Result]]:
        answer: Future[list[Result]] = Future()
        self._jobs.put(([(i.submission_id, i.envelope) for i in batch], answer))
        return answer

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            pairs, answer = job
            if self._stopped.is_set():
                answer.set_exception(NotSentError("not sent: the batch before it failed"))
                continue
            try:
                results = self._client.upload(pairs)
            except ClinicRefusedError as exc:
                if exc.status != 413:
                    self._stopped.set()
                answer.set_exception(exc)
            except BaseException as exc:
                self._stopped.set()
                answer.set_exception(exc)
            else:
                answer.set_result(results)


def next_batch(items: list[OutboxItem]) -> list[OutboxItem]:
    """The first items that fit in one request: at most MAX_BATCH, under the body limit."""
    batch: list[OutboxItem] = []
    size = 0
    for item in items[:MAX_BATCH]:
        cost = 4 * ((len(item.envelope) + 2) // 3) + _ITEM_OVERHEAD  # base64 and JSON
        if batch and size + cost > _BODY_ROOM:
            break
        batch.append(item)
        size += cost
    return batch


def _kind(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__}/{code}" if isinstance(code, str) else type(exc).__name__


class SyncWorker(threading.Thread):
    """Runs :meth:`Syncer.sync_once` on a daemon thread until :meth:`stop`.

    Owns the syncer's client once started (closes it on the way out). Stop and
    join the worker before closing the store. ``on_report`` is called on this
    thread: a Qt caller must pass the report on through a signal."""

    def __init__(
        self,
        syncer: Syncer,
        *,
        interval: float = 60.0,
        on_report: Callable[[SyncReport], None] | None = None,
    ) -> None:
        super().__init__(name="kiosk-sync", daemon=True)
        self.syncer = syncer
        self.interval = interval
        self.on_report = on_report
        self.last_report: SyncReport | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()  # not _stop: Thread uses that name itself

    def wake(self) -> None:
        """Sync now (returns at once; safe from any thread)."""
        self._wake.set()

    def report_progress(self, appointment_id: str, stage: str) -> None:
        """Tell the clinic, best effort, how far the patient of one of today's
        appointments has got (returns at once; safe from any thread)."""
        self.syncer.progress.add(appointment_id, stage)
        self._wake.set()

    def stop(self) -> None:
        """End the loop (returns at once; a request in flight finishes or times out first)."""
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                # Cleared before the pass, so a wake() during it means one more pass.
                self._wake.clear()
                report = self._pass()
                delay = self.interval if report.retry_in is None else report.retry_in
                self._wake.wait(delay)
        finally:
            self.syncer.close()

    def _pass(self) -> SyncReport:
        try:
            report = self.syncer.sync_once()
        except Exception:
            # A bug must not end syncing for good: log it and retry after a backoff.
            log.exception("sync pass failed unexpectedly")
            report = SyncReport(error="Sync failed unexpectedly.", error_kind="bug")
            report.retry_in = self.syncer.backoff.next_delay()
        self.last_report = report
        if self.on_report is not None:
            try:
                self.on_report(report)
            except Exception:
                log.exception("the sync report callback failed")
        return report
