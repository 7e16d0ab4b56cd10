"""How far today's patients have got, told to the clinic best effort (checked in, started).

The kiosk notes a stage (:meth:`ProgressQueue.add`, safe from the UI thread: it only
appends under a lock) and the sync thread sends what is waiting at the start of each
pass (:func:`send_progress`). Progress is a courtesy to the staff watching the day's
list, never worth holding a patient up for, so unlike submissions it is not kept for
ever: a report waits in memory only (never in the tablet's store, never logged: an
appointment id is the patient's), at most ``KEEP_SECONDS`` and ``MAX_TRIES`` passes,
and at most ``MAX_WAITING`` reports at once, the oldest let go first. A report the
clinic refuses (an appointment no longer on its list) is let go at once. The
submission itself, which is never dropped, tells the clinic the patient finished.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.sync.client import ClinicClient
from kiosk.sync.errors import (
    CertificateMismatchError,
    ClinicUnreachableError,
    NotEnrolledError,
    SyncError,
)
from kiosk.vocabulary import TABLET_STAGES

log = logging.getLogger(__name__)

KEEP_SECONDS = 60 * 60.0  # after an hour a "checked in" or "started" says little
MAX_TRIES = 10
MAX_WAITING = 100


@dataclass
class _Report:
    appointment_id: str
    stage: str
    noted_at: float
    tries: int = 0


class ProgressQueue:
    """Progress reports waiting to be sent; in memory only, bounded, short-lived."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting: list[_Report] = []
        self.dropped = 0  # let go unsent (too old, too many tries, too many waiting)

    def add(self, appointment_id: str, stage: str) -> None:
        """Note that the patient of ``appointment_id`` reached ``stage`` (returns at once)."""
        if stage not in TABLET_STAGES:
            raise ValueError(f"a tablet reports only {', '.join(TABLET_STAGES)}, not {stage!r}")
        with self._lock:
            self._waiting.append(_Report(appointment_id, stage, self._clock()))
            excess = len(self._waiting) - MAX_WAITING
            if excess > 0:
                del self._waiting[:excess]
                self.dropped += excess

    def drop(self) -> None:
        """One report taken and not put back was let go."""
        with self._lock:
            self.dropped += 1

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)

    def take(self) -> list[_Report]:
        """Everything still worth sending, oldest first; the rest is let go."""
        now = self._clock()
        with self._lock:
            waiting, self._waiting = self._waiting, []
            fresh = [r for r in waiting if now - r.noted_at < KEEP_SECONDS and r.tries < MAX_TRIES]
            self.dropped += len(waiting) - len(fresh)
        return fresh

    def put_back(self, reports: list[_Report]) -> None:
        """Reports not sent this pass go back in front of any noted meanwhile."""
        with self._lock:
            self._waiting[:0] = reports
            excess = len(self._waiting) - MAX_WAITING
            if excess > 0:
                del self._waiting[:excess]
                self.dropped += excess


def send_progress(client: ClinicClient, queue: ProgressQueue) -> int:
    """Send the waiting reports, in the order noted; how many the clinic took.

    A clinic that cannot be reached (or not trusted, or that no longer knows this
    tablet) ends the attempt: the reports go back, one try the poorer, and the error
    is raised for the sync pass to report. A report the clinic refuses or answers
    oddly is let go."""
    reports = queue.take()
    sent = 0
    for index, report in enumerate(reports):
        try:
            client.progress(report.appointment_id, report.stage)
        except (ClinicUnreachableError, CertificateMismatchError, NotEnrolledError):
            unsent = reports[index:]
            for waiting in unsent:
                waiting.tries += 1
            queue.put_back(unsent)
            raise
        except SyncError as exc:
            queue.drop()
            log.info("a progress report was refused (%s)", getattr(exc, "code", type(exc).__name__))
        else:
            sent += 1
    if reports:
        log.debug("progress: %d of %d reports sent", sent, len(reports))
    return sent
