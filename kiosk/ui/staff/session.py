"""One signed-in user's session: calls to the clinic off the UI thread, and idleness.

Every screen makes its calls through :meth:`Session.run`, which hands the work
to the one :class:`~kiosk.ui.background.Background` and brings the answer back
on the UI thread. Once the session ends (lock, sign-out) answers still on their
way are dropped, so nothing reaches a screen that has been taken down, and a
``SessionExpired`` from any call ends the session in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.console.client import SessionExpired, SignedIn, StaffClient
from kiosk.ui.background import Background


class Session(QObject):
    """``expired(message)`` when the clinic no longer accepts the token."""

    expired = Signal(str)

    def __init__(self, client: StaffClient, background: Background, user: SignedIn) -> None:
        super().__init__()
        self.client = client
        self.background = background
        self.user = user
        self.ended = False

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> str:
        return self.user.role

    def end(self) -> None:
        self.ended = True

    def run(
        self,
        owner: QObject,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """``work()`` in the background; ``on_done``/``on_error`` only while the session
        lasts and ``owner`` (the screen asking) still exists."""

        def wanted() -> bool:
            return not self.ended and shiboken6.isValid(owner)

        def done(result: Any) -> None:
            if wanted():
                on_done(result)

        def failed(exc: Exception) -> None:
            if isinstance(exc, SessionExpired):
                if not self.ended:
                    self.expired.emit(str(exc))
            elif wanted():
                on_error(exc)

        self.background.run(work, done, failed)


# Input that counts as someone using the console. Mouse moves count too: reading a
# long summary with the mouse on the scroll bar is use.
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
}


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``idle_after_s`` without input to ``window``.

    Installed as an event filter on the application, it sees input to every widget
    and counts only what reaches this window (another console window is another
    session). ``last_input`` (``time.monotonic()``) tells whether the user has been
    active, for refreshing the token."""

    def __init__(self, window: QWidget, idle_after_s: float, on_idle: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(idle_after_s * 1000)))
        self._timer.timeout.connect(on_idle)

    def start(self) -> None:
        self.last_input = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in _INPUT
            and self._timer.isActive()
            and isinstance(watched, QWidget)
            and self._ours(watched)
        ):
            self.last_input = time.monotonic()
            self._timer.start()
        return False

    def _ours(self, widget: QWidget) -> bool:
        """In this window, or in a dialog it opened (choosing a file, a printer)."""
        top: QWidget | None = widget.window()
        while top is not None and top is not self.window:
            parent = top.parentWidget()
            top = parent.window() if parent is not None else None
        return top is self.window
