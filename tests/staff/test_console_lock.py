"""Locking after inactivity, unlocking, refreshing the token, and an expired session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, care, open_patient, shown_texts, sign_in

from kiosk.console.client import SignedIn

pytestmark = pytest.mark.staff
PATIENT_DATA = ("Alex Example", "999 000 0018", "My breathing", "Sam Sample", "Anonymous")


def nothing_identifiable(window) -> None:
    shown = " ".join([*shown_texts(window), window.windowTitle()])
    for text in PATIENT_DATA:
        assert text not in shown
    # Not merely hidden: no label anywhere in the window still holds them.
    held = " ".join(label.text() for label in window.findChildren(QLabel))
    for text in PATIENT_DATA:
        assert text not in held


@pytest.mark.control("H-13-C4", "H-16-C1")
def test_inactivity_locks_and_the_same_user_returns_to_the_same_place(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("clinician", lock_after_s=1)
    sid = staff_clinic.ids["urgent"]
    page = open_patient(qtbot, window, sid)
    page.triage.notes.setFocus()
    qtbot.keyClicks(page.triage.notes, "Not saved yet")
    assert "Alex Example" in page.summary.texts()

    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert window.workspace is None
    assert window.sign_in_page.isVisible()
    assert window.sign_in_page.title.text() == "The console is locked"
    assert window.sign_in_page.username.text() == "clinician"
    assert window.sign_in_page.password.hasFocus()
    assert "Patient" not in window.windowTitle()
    nothing_identifiable(window)

    sign_in(qtbot, window, "clinician")
    qtbot.waitUntil(lambda: window.workspace is not None)
    workspace = care(window)
    assert workspace.patient is not None
    qtbot.waitUntil(lambda: workspace.patient.summary.summary is not None)
    assert workspace.currentWidget() is workspace.patient
    assert workspace.patient.submission_id == sid
    assert "Alex Example" in workspace.patient.summary.texts()
    assert workspace.patient.triage.notes.toPlainText() == "Not saved yet"  # nothing typed lost
    qtbot.waitUntil(lambda: workspace.queue.selected_id() == sid)


@pytest.mark.control("H-16-C2")
def test_a_different_user_unlocking_starts_afresh(qtbot, consoles: Consoles, staff_clinic) -> None:
    # Long enough to open the patient on a busy machine before the console locks.
    window = consoles.open("clinician", lock_after_s=3)
    open_patient(qtbot, window, staff_clinic.ids["wants_help"])
    qtbot.waitUntil(lambda: window.locked, timeout=8_000)
    sign_in(qtbot, window, "linkworker")
    qtbot.waitUntil(lambda: window.workspace is not None and not window.locked)
    workspace = care(window)
    assert workspace.currentWidget() is workspace.queue
    assert workspace.patient is not None and workspace.patient.submission_id is None
    assert "linkworker (Link worker)" in window.windowTitle()


@pytest.mark.control("H-16-C1")
def test_input_keeps_the_console_unlocked(qtbot, consoles: Consoles) -> None:
    window = consoles.open("clinician", lock_after_s=1.5)
    table = care(window).queue.table
    for _ in range(8):
        qtbot.wait(300)
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)  # then nobody touches it


def test_the_token_is_refreshed_while_the_user_is_active(qtbot, consoles: Consoles) -> None:
    window = consoles.open("clinician", token_refresh_s=0.5)
    refreshes: list[SignedIn] = []
    original = window.client.refresh

    def counted() -> SignedIn:
        refreshes.append(original())
        return refreshes[-1]

    window.client.refresh = counted  # type: ignore[method-assign]
    table = care(window).queue.table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: len(refreshes) >= 1, timeout=5_000)
    assert refreshes[0].username == "clinician"
    assert window.client.user == refreshes[-1]


@pytest.mark.control("H-16-C3")
def test_an_expired_session_locks_with_a_plain_message(qtbot, consoles: Consoles) -> None:
    window = consoles.open("clinician")
    user = window.client.user
    assert user is not None
    window.client.user = SignedIn(user.username, user.role, "no longer valid", 900)
    qtbot.keyClick(care(window).queue.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.locked)
    message = window.sign_in_page.message.text()
    assert message == "Your session has ended. Sign in again."
    nothing_identifiable(window)
    sign_in(qtbot, window, "clinician")
    qtbot.waitUntil(
        lambda: window.workspace is not None and care(window).queue.model.rowCount() > 0
    )
