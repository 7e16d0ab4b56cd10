"""The one way the screens run slow work: off the UI thread, with callbacks.

``Background.run(work, on_done, on_error)`` runs ``work()`` on a worker thread
and calls ``on_done(result)`` or ``on_error(exception)`` back on the UI thread.
Work is run one piece at a time, in order, so answers are saved in the order
they were given.

The worker is one long-lived thread, started with the first piece of work and
waiting on a queue between pieces: handing it an answer to save is a wake-up,
not a thread pool's runnable and a signal object made, connected and
deleted for every piece. Results come back through one queued signal.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_Job = tuple[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]]


class _Results(QObject):
    """Lives on the UI thread; the worker emits ``ready`` and Qt queues the call there."""

    ready = Signal(object, object)  # (callback, its argument)


class _Worker:
    """The thread and its queue. Owned by Python, not by a Qt parent, so neither is
    deleted under a piece of work still running when the window goes."""

    def __init__(self, results: _Results) -> None:
        self.results = results
        self.jobs: deque[_Job] = deque()
        self.changed = threading.Condition()
        self.thread: threading.Thread | None = None

    def put(self, job: _Job) -> None:
        with self.changed:
            self.jobs.append(job)
            if self.thread is None:
                # A daemon: an idle worker never holds the process open; the kiosk waits
                # for work in hand (wait()) before it closes.
                self.thread = threading.Thread(target=self._loop, name="kiosk-background")
                self.thread.daemon = True
                self.thread.start()
            self.changed.notify_all()

    def _loop(self) -> None:
        while True:
            with self.changed:
                while not self.jobs:
                    self.changed.wait()
                work, on_done, on_error = self.jobs[0]
            try:
                outcome: tuple[Callable[[Any], None], Any] = (on_done, work())
            except Exception as exc:  # handed to on_error on the UI thread
                outcome = (on_error, exc)
            # Nothing of it stays on this thread once handed back (results may hold answers).
            del work, on_done, on_error
            self.results.ready.emit(*outcome)
            del outcome
            with self.changed:
                self.jobs.popleft()
                self.changed.notify_all()

    def wait(self, seconds: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: not self.jobs, timeout=seconds)


class Background(QObject):
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0
        self._results = _Results()
        self._results.ready.connect(self._deliver)
        self._worker = _Worker(self._results)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._worker.put((work, on_done, on_error))

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        callback(value)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait (up to ``msecs``) until every piece of work handed over has run; their
        callbacks come on the UI thread's next turns."""
        return self._worker.wait(msecs / 1000)
