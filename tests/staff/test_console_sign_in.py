"""Signing in to the staff console, and what each role sees afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, care, open_patient, ready, shown_texts, sign_in

from kiosk.console.client import StaffClient
from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.queue_model import QueueModel

pytestmark = pytest.mark.staff


def test_signing_in_shows_who_and_their_role(qtbot, consoles: Consoles) -> None:
    window = consoles.open()
    assert window.workspace is None
    assert "Sign in" in window.sign_in_page.button.text().replace("&", "")
    sign_in(qtbot, window, "clinician")
    qtbot.waitUntil(lambda: ready(window))
    assert "clinician (Clinician)" in window.windowTitle()
    assert window.who.text() == "Signed in as clinician (Clinician)"
    assert window.sign_out_button.isVisible()
    window.sign_out_button.click()
    assert window.workspace is None
    assert window.windowTitle() == "Staff console: What Matters Kiosk"
    assert window.sign_in_page.isVisible()


def test_a_wrong_password_says_so_in_plain_words(qtbot, consoles: Consoles) -> None:
    window = consoles.open()
    sign_in(qtbot, window, "clinician", "not the password")
    message = window.sign_in_page.message
    qtbot.waitUntil(lambda: bool(message.text()))
    assert message.isVisible()
    assert message.text() == "The username or password is wrong."
    assert window.workspace is None
    assert window.sign_in_page.password.text() == ""  # to type again
    assert window.sign_in_page.button.isEnabled()


@pytest.mark.control("H-16-C5")
def test_a_locked_account_says_so(qtbot, consoles: Consoles) -> None:
    window = consoles.open()
    message = window.sign_in_page.message
    for _ in range(6):
        message.clear()
        sign_in(qtbot, window, "linkworker", "not the password")
        qtbot.waitUntil(lambda: bool(message.text()))
    assert message.text().startswith("Too many wrong passwords")
    assert "Traceback" not in message.text()


def test_an_unreachable_clinic_says_so(qtbot, consoles: Consoles) -> None:
    window = consoles.open(client=StaffClient("https://127.0.0.1:9"))
    sign_in(qtbot, window, "clinician")
    message = window.sign_in_page.message
    qtbot.waitUntil(lambda: bool(message.text()), timeout=15_000)
    assert message.text().startswith("Cannot reach the clinic service")
    assert "\n" not in message.text()


@pytest.mark.control("H-24-C1")
def test_a_receptionist_sees_the_queue_without_flags_and_cannot_open_a_summary(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("reception")
    queue = care(window).queue
    assert window.workspace is not None and window.workspace.patient is None
    assert queue.table.isColumnHidden(QueueModel.FLAGS)
    assert queue.table.isColumnHidden(QueueModel.URGENCY)
    assert not queue.flag.isVisible()
    assert not queue.open_button.isVisible()
    shown = " ".join(shown_texts(window))
    for word in ("Urgent", "Wants help", "Flagged", "Feels unsafe"):
        assert word not in shown
    assert "Alex Example · NHS 999 000 0018" in [
        queue.model.index(r, QueueModel.PATIENT).data() for r in range(queue.model.rowCount())
    ]
    # Enter on a row opens nothing.
    queue.table.setFocus()
    queue.table.selectRow(0)
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    assert window.workspace.currentWidget() is queue


@pytest.mark.control("H-24-C1")
def test_an_administrator_sees_the_admin_screen_not_the_queue(qtbot, consoles: Consoles) -> None:
    window = consoles.open("admin")
    assert isinstance(window.workspace, AdminView)
    assert window.workspace.isVisible()
    users = window.workspace.users
    assert {users.key(r) for r in range(users.rowCount())} >= {"clinician", "admin", "reception"}
    qtbot.waitUntil(lambda: window.workspace.devices.rowCount() == 1)
    assert "Alex Example" not in " ".join(shown_texts(window))


def test_a_clinician_opens_a_summary_with_enter(qtbot, consoles: Consoles, staff_clinic) -> None:
    window = consoles.open("linkworker")
    page = open_patient(qtbot, window, staff_clinic.ids["urgent"])
    assert page.isVisible()
    assert "Alex Example" in page.summary.texts()
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert care(window).currentWidget() is care(window).queue
    assert page.summary.texts() == []  # the patient's page is cleared on leaving it
