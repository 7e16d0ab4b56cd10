"""Shared fixtures for the kiosk's window tests: a real store, a real window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from shiboken6 import isValid

from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow

FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    return FormLibrary.load(FORMS)


@pytest.fixture
def clinic() -> ClinicKeyPair:
    return ClinicKeyPair.generate()


@pytest.fixture
def store(tmp_path: Path, clinic: ClinicKeyPair) -> Iterator[TabletStore]:
    opened = TabletStore.open(tmp_path / "tablet", clinic.public)
    yield opened
    opened.close()


@pytest.fixture
def make_window(
    qtbot: Any, store: TabletStore, library: FormLibrary
) -> Iterator[Callable[..., KioskWindow]]:
    """Build a cardiology kiosk window (not shown); keyword arguments go to KioskWindow."""
    made: list[KioskWindow] = []

    def make(**options: Any) -> KioskWindow:
        window = KioskWindow(
            store, library, "cardiology", {}, Background(), StaffPin(store), **options
        )
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        if not isValid(window):
            continue
        # A test may end with a short idle timer running: its reset must not fire after
        # the test, nor the helper's callbacks come once the window is deleted (the
        # deletions already posted stay queued: only the callbacks are delivered here).
        window.timers.stop_all()
        for _ in range(2):  # a callback may queue one more piece of work
            window.background.wait()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)


@pytest.fixture
def window(make_window: Callable[..., KioskWindow]) -> KioskWindow:
    """A shown 1280x800 kiosk window with the default timers."""
    win = make_window()
    win.resize(1280, 800)
    win.show()
    return win
