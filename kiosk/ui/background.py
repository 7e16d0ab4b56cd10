"""The one way the screens run slow work: off the UI thread, with callbacks.

``Background.run(work, on_done, on_error)`` runs ``work()`` on a worker thread
and calls ``on_done(result)`` or ``on_error(exception)`` back on the UI thread.
Work is run one piece at a time, in order, so answers are saved in the order
they were given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals

    @Slot()
    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to on_error on the UI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Background(QObject):
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._keep: set[_Signals] = set()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        signals = _Signals()
        self._keep.add(signals)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            # Drop the connections: Qt holds them, and they hold the callbacks (and the
            # screens those refer to), which would otherwise never be freed.
            signals.done.disconnect()
            signals.failed.disconnect()
            signals.deleteLater()
            self._keep.discard(signals)
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)
            callback(value)

        signals.done.connect(lambda result: finish(on_done, result))
        signals.failed.connect(lambda exc: finish(on_error, exc))
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Task(work, signals))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
