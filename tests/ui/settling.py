"""Waiting for a kiosk screen to finish laying itself out before it is measured.

A new page, a text-size change or a theme change re-lays a screen out over several
event-loop turns (each nested layout posts a request to its parent), so a fixed short
wait can measure a half-laid-out screen on a busy machine."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def settle(qtbot: Any, window: Any, timeout: int = 5000) -> None:
    """Wait for the window's background work, then until no widget on the current
    screen moves between two event-loop turns."""
    window.background.wait()
    last: list[object] = []

    def still() -> bool:
        qtbot.wait(1)
        now = [w.geometry().getRect() for w in window.currentWidget().findChildren(QWidget)]
        steady = now == last
        last[:] = now
        return steady

    qtbot.waitUntil(still, timeout=timeout)
