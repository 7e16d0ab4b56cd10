"""The next question's screen, built while the patient reads the current one.

Building a screen (its widgets, the window's style sheet applied to each, its
layout) takes longer than a frame, so the kiosk builds the screen Next is
expected to lead to once the current one is painted, again after each tap on an
answer (it may switch questions on or off: a tapped button repaints itself within
the tap, so this follows on the next turn of the event loop), and once more from
the answer given,
if need be, while that answer is being saved. When the save completes the
prepared screen is only swapped in, if it still fits.

A prepared screen fits only when everything it shows is what the patient would
see on a screen built then: the same question (skip logic decides which comes
next, from the answer saved), language, Language button and stored answer. One
that no longer fits is thrown away and the screen built afresh. A prepared screen
holds nothing of any other patient: it is dropped when a session ends.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

UNSEEN = "kiosk_unseen"
"""A widget property, true while :func:`show_unseen` shows a screen nobody sees."""


class ScreenAhead:
    """At most one screen built ahead, with what it was built for (``key``).

    ``hold`` puts a new screen, hidden, where it will be shown (so that it is styled
    and laid out now); ``drop`` deletes one that will not be shown."""

    def __init__(self, hold: Callable[[QWidget], None], drop: Callable[[QWidget], None]) -> None:
        self._hold, self._drop = hold, drop
        self._screen: QWidget | None = None
        self._key: Hashable = None

    @property
    def screen(self) -> QWidget | None:
        return self._screen

    def holds(self, key: Hashable) -> bool:
        return self._screen is not None and self._key == key

    def keep(self, screen: QWidget, key: Hashable) -> None:
        """Hold ``screen``, built for ``key``, in place of any earlier one."""
        self.drop()
        self._screen, self._key = screen, key
        self._hold(screen)

    def take(self, key: Hashable) -> QWidget | None:
        """The prepared screen if it was built for ``key``; otherwise it is dropped."""
        if not self.holds(key):
            self.drop()
            return None
        screen, self._screen, self._key = self._screen, None, None
        return screen

    def drop(self) -> None:
        screen, self._screen, self._key = self._screen, None, None
        if screen is not None:
            self._drop(screen)


class _Soon(QObject):
    """Calls back once, on a later turn of the event loop, unless ``widget`` is gone."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        # A timer of its own, a child of the widget's: nothing is called back once it is gone.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._call)

    def start(self) -> None:
        self._timer.start(0)

    def _call(self) -> None:
        callback, self._callback = self._callback, None
        self.deleteLater()
        if callback is not None:
            callback()


class _AfterPaint(_Soon):
    """Calls back once, on the turn of the event loop after ``widget`` is next painted."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget, callback)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._timer.isActive():
            watched.removeEventFilter(self)
            # After the paint, not inside it: the screen reaches the display first.
            self.start()
        return False


def after_next_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``widget`` has next been painted (never, if it is deleted first):
    work for later that must not hold up what the patient sees now."""
    _AfterPaint(widget, callback)


def soon(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` on a later turn of the event loop (never, if ``widget`` is deleted
    first): after a tap, whose button has already repainted itself."""
    _Soon(widget, callback).start()


def show_unseen(page: QWidget) -> None:
    """Show ``page`` and hide it again before anything can be painted: the work of a
    widget's first show (the moves and resizes held back while it was hidden, sent to
    every widget in it; the scroll area settling its scroll bars) is done now, and the
    swap that shows it later only shows it. Its ``showEvent`` sees the ``UNSEEN``
    property set meanwhile."""
    page.setProperty(UNSEEN, True)
    try:
        page.show()
        page.hide()
    finally:
        page.setProperty(UNSEEN, False)
