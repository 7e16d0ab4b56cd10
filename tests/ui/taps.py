"""Driving a kiosk window by taps, as a patient or a member of staff would: the steps
the linking, assisted and progress tests share (tests/ui/test_linking.py,
tests/ui/test_assisted.py, tests/ui/test_tablet_progress.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kiosk.exchange.clinic_list import ClinicList
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.language_screen import LanguageScreen
from kiosk.ui.linking_screens import HandOverScreen, StaffMenu
from kiosk.ui.screens import PrivacyScreen, QuestionScreen

PIN = "284619"


def linked_window(
    qtbot: Any,
    store: TabletStore,
    library: Any,
    link: str,
    clinic_list: ClinicList | None,
    today: dt.date,
) -> KioskWindow:
    """A shown 1280x800 cardiology kiosk linking patients by ``link``, with the staff
    PIN set (hashed cheaply) and ``clinic_list`` as today's list."""
    pin = StaffPin(store, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    pin.set_pin(PIN)
    window = KioskWindow(
        store, library, "cardiology", {}, Background(), pin, link=link,
        clinic_list=lambda: clinic_list, today=lambda: today,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def tap(qtbot: Any, window: KioskWindow, name: str) -> None:
    button = window.currentWidget().findChild(QPushButton, name)
    assert button is not None, f"no {name} on {type(window.currentWidget()).__name__}"
    assert button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def on(qtbot: Any, window: KioskWindow, kind: type) -> None:
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), kind))


def shown_text(window: KioskWindow) -> str:
    return " ".join(
        label.text() for label in window.currentWidget().findChildren(QLabel) if label.isVisible()
    )


def staff_menu(qtbot: Any, window: KioskWindow) -> None:
    """The staff button, the PIN, then the staff menu."""
    tap(qtbot, window, "staff")
    for digit in PIN:
        tap(qtbot, window, f"digit_{digit}")
    tap(qtbot, window, "ok")
    on(qtbot, window, StaffMenu)


def find_patient(qtbot: Any, window: KioskWindow, number: str) -> None:
    """On the hand-over screen: the number typed, then Find."""
    on(qtbot, window, HandOverScreen)
    qtbot.keyClicks(window.currentWidget().findChild(QLineEdit, "number"), number)
    tap(qtbot, window, "find")


def to_the_questions(qtbot: Any, window: KioskWindow) -> None:
    """Once started: English if the language is asked, then agreeing to the privacy page."""
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), (LanguageScreen, PrivacyScreen)))
    if isinstance(window.currentWidget(), LanguageScreen):
        tap(qtbot, window, "language_en")
    on(qtbot, window, PrivacyScreen)
    tap(qtbot, window, "agree")
    on(qtbot, window, QuestionScreen)
