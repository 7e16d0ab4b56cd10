"""The kiosk's timers: a warning when nobody has touched it, then a reset.

``idle`` runs while a patient (or staff member) is at the tablet and is put off
by every tap, key or touch; when it fires the window warns, and ``reset``
ends the session unless someone answers the warning. ``thanks`` and
``failure`` bring the attract screen back after the thank-you and "something
went wrong" screens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QInputEvent

ACTIVITY = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin})


def single_shot(parent: QObject, msecs: int, action: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(action)
    return timer


class IdleTimers(QObject):
    """The four single-shot timers, each calling its action; an application event
    filter restarts ``idle`` on activity while it runs."""

    def __init__(
        self,
        parent: QObject,
        *,
        idle_ms: int,
        reset_ms: int,
        thanks_ms: int,
        on_idle: Callable[[], object],
        on_reset: Callable[[], object],
        on_thanks: Callable[[], object],
        on_failure: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.idle = single_shot(self, idle_ms, on_idle)
        self.reset = single_shot(self, reset_ms, on_reset)
        self.thanks = single_shot(self, thanks_ms, on_thanks)
        self.failure = single_shot(self, thanks_ms, on_failure)

    def stop_all(self) -> None:
        for timer in (self.idle, self.reset, self.thanks, self.failure):
            timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of every widget (each paint, each show) passes through here.
        # event.type() makes a Python enum, some microseconds; the class test
        # first costs next to nothing. Taps, keys and touches are all input events.
        if isinstance(event, QInputEvent) and event.type() in ACTIVITY and self.idle.isActive():
            self.idle.start()
        return False
