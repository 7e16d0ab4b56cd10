"""Kiosk mode: only the staff PIN leaves it; five wrong PINs lock with a delay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import StaffMenu

pytestmark = pytest.mark.ui
FORMS = Path(__file__).resolve().parents[2] / "forms"
RIGHT = "284619"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kiosk(qtbot, tmp_path: Path) -> Iterator[tuple[KioskWindow, Clock]]:
    store = TabletStore.open(tmp_path / "tablet", ClinicKeyPair.generate().public)
    clock = Clock()
    pin = StaffPin(
        store, clock=clock, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    pin.set_pin(RIGHT)
    background = Background()
    window = KioskWindow(
        store, FormLibrary.load(FORMS), "cardiology", {}, background, pin, kiosk_mode=True
    )
    qtbot.addWidget(window)
    window.show()
    yield window, clock
    background.wait()
    window._may_close = True  # let the test harness close it
    store.close()


def tap(qtbot, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def enter(qtbot, window: KioskWindow, digits: str) -> None:
    for digit in digits:
        tap(qtbot, window, f"digit_{digit}")
    assert window.pin_pad.shown.text() == "●" * len(digits)  # never the digits themselves
    tap(qtbot, window, "ok")
    qtbot.waitUntil(lambda: window.pin_pad.ok.isEnabled())


@pytest.mark.control("H-26-C1")
def test_closing_is_refused_in_kiosk_mode(qtbot, kiosk) -> None:
    window, _clock = kiosk
    window.close()
    assert window.isVisible()


def test_the_right_pin_releases_the_kiosk(qtbot, kiosk) -> None:
    window, _clock = kiosk
    tap(qtbot, window, "staff")
    assert window.currentWidget() is window.pin_pad
    enter(qtbot, window, RIGHT)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), StaffMenu))
    window.close()
    assert window.isVisible()  # the menu alone does not leave kiosk mode
    with qtbot.waitSignal(window.staff_unlocked, timeout=5000):
        tap(qtbot, window, "close_kiosk")
    window.close()
    assert not window.isVisible()


@pytest.mark.control("H-05-C6", "H-16-C4")
def test_an_unlocked_menu_left_alone_locks_again(qtbot, kiosk) -> None:
    window, _clock = kiosk
    tap(qtbot, window, "staff")
    enter(qtbot, window, RIGHT)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), StaffMenu))
    window.warn()  # what the idle timer does
    window.reset_timer.timeout.emit()
    assert window.currentWidget() is window.attract
    window.close()
    assert window.isVisible()


@pytest.mark.control("H-04-C4", "H-16-C4")
def test_five_wrong_pins_lock_with_a_delay(qtbot, kiosk) -> None:
    window, clock = kiosk
    tap(qtbot, window, "staff")
    for _ in range(5):
        enter(qtbot, window, "999999")
        assert window.pin_pad.message.text() == "That PIN is not right."
    enter(qtbot, window, RIGHT)  # even the right PIN is not looked at while locked
    assert window.pin_pad.message.text() == "Too many wrong PINs. Try again in 30 seconds."
    window.close()
    assert window.isVisible()
    clock.now += 31
    enter(qtbot, window, RIGHT)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), StaffMenu))


def test_cancel_returns_to_the_start(qtbot, kiosk) -> None:
    window, _clock = kiosk
    tap(qtbot, window, "staff")
    tap(qtbot, window, "digit_1")
    tap(qtbot, window, "cancel")
    assert window.currentWidget() is window.attract
    tap(qtbot, window, "staff")
    assert window.pin_pad.shown.text() == ""


@pytest.mark.control("H-26-C1")
@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_shortcuts_that_would_leave_the_kiosk_are_swallowed(qtbot, kiosk, key, modifier) -> None:
    window, _clock = kiosk
    fired: list[str] = []
    # What a desktop or a stray shortcut would do with the key: close or leave full screen.
    shortcut = QShortcut(QKeySequence(key | modifier), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append("shortcut"))
    qtbot.keyClick(window.attract.start, key, modifier)
    assert fired == []
    assert window.isVisible() and window.currentWidget() is window.attract


def test_the_same_shortcuts_work_once_staff_have_unlocked(qtbot, kiosk) -> None:
    window, _clock = kiosk
    fired: list[str] = []
    shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append("shortcut"))
    tap(qtbot, window, "staff")
    enter(qtbot, window, RIGHT)
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), StaffMenu))
    tap(qtbot, window, "close_kiosk")
    qtbot.keyClick(window.attract.start, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["shortcut"]  # proves the check above could fail


@pytest.mark.control("H-26-C1")
def test_kiosk_mode_is_full_screen_and_frameless(qtbot, kiosk) -> None:
    window, _clock = kiosk
    window.enter_kiosk_mode()
    qtbot.waitUntil(window.isFullScreen)
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert not flags & Qt.WindowType.WindowCloseButtonHint
