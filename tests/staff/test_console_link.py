"""Putting a wrong link right from the console's summary, against a real clinic:
re-link to another appointment of the day and void as entered in error through the
dialog, its refusals in words, a change made meanwhile by someone else, and who is
offered the action at all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, care, open_patient, queue_ids, shown_texts

from kiosk.ui.staff.care_view import PatientPage
from kiosk.ui.staff.link_dialog import LinkDialog

pytestmark = [pytest.mark.staff, pytest.mark.clinic]
REASON = "She picked the wrong time at check-in; confirmed at the desk"


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    # Near the left edge: a radio button takes clicks on its circle and words only.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def open_dialog(qtbot, page: PatientPage) -> LinkDialog:
    button = page.summary.link_button
    assert button is not None and button.text() == "Put the link &right…"
    qtbot.waitUntil(button.isVisible)
    click(qtbot, button)
    dialog = page.summary.link_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(dialog.appointments.isEnabled)  # the day's list has come
    return dialog


def summary_texts(page: PatientPage) -> str:
    return "\n".join(page.summary.texts())


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_relink_through_the_dialog_names_the_patient_and_shows_the_history(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["routine"]
    window = consoles.open("clinician")
    page = open_patient(qtbot, window, sid)
    assert page.summary.summary["patient"]["name"] == "Jo Test"
    dialog = open_dialog(qtbot, page)
    assert "Jo Test" in dialog.now.text()
    # Nothing chosen, then no reason: each said in words, nothing sent.
    click(qtbot, dialog.continue_button)
    assert dialog.message.text() == "Choose where these answers belong."
    click(qtbot, dialog.to_appointment)
    index = dialog.appointments.findData("DEMO-2")
    assert index >= 0 and "Sam Sample" in dialog.appointments.itemText(index)
    dialog.appointments.setCurrentIndex(index)
    click(qtbot, dialog.continue_button)
    assert dialog.message.text() == "Say why: a reason is needed."
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(dialog.reason, REASON)
    click(qtbot, dialog.continue_button)
    # The confirmation names who the answers will move to, and from whom.
    confirm = dialog.confirm_text.text()
    assert "The answers will move to 10:00 · Heart clinic · Sam Sample." in confirm
    assert "Jo Test" in confirm and REASON in confirm
    with staff_clinic.client("linkworker") as other:
        assert other.summary(sid)["link_version"] == 0  # nothing saved before "Yes"
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(
        lambda: (
            page.summary.summary is not None
            and (page.summary.summary.get("patient") or {}).get("name") == "Sam Sample"
        )
    )
    assert page.summary.link_dialog is None  # closed, and deleted with the patient on it
    shown = summary_texts(page)
    assert "How the link was put right" in shown
    assert "clinician · Re-linked: from Jo Test" in shown
    assert "to Sam Sample · NHS 999 000 0026 (10:00 Heart clinic)" in shown
    assert f"Why: {REASON}" in shown
    with staff_clinic.client("linkworker") as other:
        saved = other.summary(sid)
    assert saved["patient"]["name"] == "Sam Sample" and saved["link_version"] == 1


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_void_through_the_dialog_takes_the_answers_off_the_queue(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["urgent"]
    window = consoles.open("linkworker")
    assert sid in queue_ids(window)
    page = open_patient(qtbot, window, sid)
    dialog = open_dialog(qtbot, page)
    click(qtbot, dialog.to_void)
    qtbot.keyClicks(dialog.reason, "Answers entered on the wrong tablet")
    click(qtbot, dialog.continue_button)
    assert "cannot be undone" in dialog.confirm_text.text()
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(
        lambda: page.summary.summary is not None and page.summary.summary["voided"] is not None
    )
    shown = summary_texts(page)
    assert "Voided as entered in error on" in shown and "by linkworker" in shown
    assert "Why: Answers entered on the wrong tablet." in shown
    assert page.summary.link_button is None  # voiding is final: nothing more to put right
    click(qtbot, page.back_button)
    qtbot.waitUntil(lambda: sid not in queue_ids(window) and len(queue_ids(window)) > 0)


def test_a_change_made_meanwhile_is_shown_not_overwritten(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["routine"]
    window = consoles.open("clinician")
    page = open_patient(qtbot, window, sid)
    dialog = open_dialog(qtbot, page)
    click(qtbot, dialog.to_nobody)
    qtbot.keyClicks(dialog.reason, "Not this patient's answers")
    click(qtbot, dialog.continue_button)
    with staff_clinic.client("linkworker") as other:
        other.correct_link(sid, "relink", 0, "the right patient", appointment_id="DEMO-2")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: "Someone else changed this link" in dialog.message.text())
    assert dialog.pages.currentIndex() == 0 and "Sam Sample" in dialog.now.text()
    with staff_clinic.client("linkworker") as other:
        assert other.summary(sid)["patient"]["name"] == "Sam Sample"  # kept, not overwritten
    # From the version now shown, the change goes through.
    click(qtbot, dialog.continue_button)
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(
        lambda: page.summary.summary is not None and page.summary.summary["link_version"] == 2
    )
    assert page.summary.summary["patient"] is None


def test_reception_is_not_offered_the_action(qtbot, consoles: Consoles, staff_clinic) -> None:
    """Receptionists see the queue without flags and open no summary, so no link is put
    right from their console (the clinic refuses them a void whoever asks)."""
    window = consoles.open("reception")
    workspace = care(window)
    assert workspace.patient is None
    assert not any("link right" in text for text in shown_texts(window))
