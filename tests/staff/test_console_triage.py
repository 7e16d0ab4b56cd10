"""Triage, referrals and outcomes through the widgets; edits that collide; the audit trail."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, activate, care, open_patient

from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.care_view import PatientPage

pytestmark = pytest.mark.staff


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def type_notes(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, text)


def saved(page: PatientPage, text: str):
    return lambda: page.triage.message.text() == text


def test_triage_a_referral_and_its_outcome_reach_the_clinic_and_its_audit(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["urgent"]
    window = consoles.open("clinician")
    page = open_patient(qtbot, window, sid)
    triage = page.triage
    choose(triage.status, "in_review")
    click(qtbot, triage.assign_me)
    assert triage.owner.currentText() == "clinician"
    type_notes(qtbot, triage.notes, "Spoke to the patient. Safeguarding lead told.")
    qtbot.keyClick(triage.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    qtbot.waitUntil(saved(page, "Triage saved."))

    referrals = page.referrals
    choose(referrals.kind, "food_bank")
    qtbot.keyClicks(referrals.add_notes, "Tuesday morning slot")
    click(qtbot, referrals.add_button)
    qtbot.waitUntil(lambda: referrals.model.rowCount() == 1)
    assert referrals.model.rows[0][:3] == ["Food bank", _day(dt.date.today()), "Awaiting reply"]
    referrals.table.selectRow(0)
    choose(referrals.outcome, "attended")
    assert referrals.outcome_on.isEnabled()
    click(qtbot, referrals.outcome_button)
    qtbot.waitUntil(lambda: referrals.message.text() == "Outcome saved.")
    assert referrals.model.rows[0][2] == f"Attended ({_day(dt.date.today())})"

    with staff_clinic.client("linkworker") as fresh:
        summary = fresh.summary(sid)
    assert summary["triage"]["status"] == "in_review"
    assert summary["triage"]["owner"] == "clinician"
    assert summary["triage"]["notes"] == "Spoke to the patient. Safeguarding lead told."
    [referral] = summary["referrals"]
    assert (referral["kind"], referral["outcome"]) == ("food_bank", "attended")
    assert referral["outcome_on"] == dt.date.today().isoformat()
    assert referral["notes"] == "Tuesday morning slot"

    qtbot.keyClick(page, Qt.Key.Key_Escape)  # back to the queue, which shows the change
    queue = care(window).queue
    row = queue.model.row_of(sid)
    qtbot.waitUntil(lambda: queue.model.items[queue.model.row_of(sid)]["status"] == "in_review")
    assert queue.model.index(row, 6).data() == "In review"
    assert queue.model.index(row, 7).data() == "clinician"

    with staff_clinic.client("admin") as admin:
        entries = admin.audit(target=sid)
    done = {(e["actor"], e["action"]) for e in entries if e["outcome"].startswith("ok")}
    assert ("user:clinician", "read_summary") in done
    assert ("user:clinician", "triage") in done
    assert ("user:clinician", "referral_added") in done
    assert ("user:clinician", "referral_updated") in done
    # ... and the admin screen shows them, filtered by the submission.
    admin_window = consoles.open("admin")
    assert isinstance(admin_window.workspace, AdminView)
    view = admin_window.workspace
    with qtbot.waitSignal(view.loaded, check_params_cb=lambda what: what == "audit"):
        view.show_audit(target=sid)
    rows = view.audit.rows
    assert rows and all(row[3] == sid for row in rows)
    shown = {(row[1], row[2]) for row in rows}
    assert {("user:clinician", "triage"), ("user:clinician", "referral_added"),
            ("user:clinician", "read_summary")} <= shown  # fmt: skip
    assert view.audit_table.isVisible()
    with qtbot.waitSignal(view.loaded, check_params_cb=lambda what: what == "audit"):
        view.show_audit(actor="clinician")
    assert {row[1] for row in view.audit.rows} == {"user:clinician"}


def _day(day: dt.date) -> str:
    return day.strftime("%d %b %Y").lstrip("0")


@pytest.mark.control("H-13-C2")
def test_a_second_save_on_the_same_version_is_a_conflict_and_loses_nothing(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["wants_help"]
    first = consoles.open("clinician")
    second = consoles.open("linkworker")
    mine = open_patient(qtbot, second, sid)
    activate(qtbot, first)
    theirs = open_patient(qtbot, first, sid)

    # Both edit; the clinician saves first.
    choose(theirs.triage.status, "in_review")
    type_notes(qtbot, theirs.triage.notes, "A: asked about bus fares.")
    activate(qtbot, second)
    click(qtbot, mine.triage.assign_me)
    type_notes(qtbot, mine.triage.notes, "B: food bank referral made.")
    click(qtbot, theirs.triage.save_button)
    qtbot.waitUntil(saved(theirs, "Triage saved."))

    click(qtbot, mine.triage.save_button)
    triage = mine.triage
    qtbot.waitUntil(lambda: triage.theirs.isVisible())
    assert triage.message.text().startswith("clinician saved this patient's triage before you")
    assert triage.notes.toPlainText() == "B: food bank referral made."  # nothing typed is lost
    assert triage.owner.currentText() == "linkworker"
    assert triage.status.currentData() == "in_review"  # untouched here: theirs stands
    assert "Notes: A: asked about bus fares." in triage.theirs.text()
    with staff_clinic.client("admin") as admin:
        conflicts = [e for e in admin.audit(target=sid) if e["outcome"] == "conflict"]
    assert [e["actor"] for e in conflicts] == ["user:linkworker"]

    click(qtbot, triage.take_notes)
    assert triage.notes.toPlainText() == "A: asked about bus fares.\n\nB: food bank referral made."
    click(qtbot, triage.save_button)
    qtbot.waitUntil(saved(mine, "Triage saved."))
    assert not triage.theirs.isVisible()
    with staff_clinic.client("clinician") as fresh:
        stored = fresh.summary(sid)["triage"]
    assert stored["status"] == "in_review"
    assert stored["owner"] == "linkworker"
    assert "A: asked about bus fares." in stored["notes"]
    assert "B: food bank referral made." in stored["notes"]
    assert stored["version"] == 2


@pytest.mark.control("H-13-C3")
def test_a_referral_outcome_saved_twice_is_a_conflict_too(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    sid = staff_clinic.ids["routine"]
    with staff_clinic.client("clinician") as setup:
        setup.add_referral(sid, "social_prescriber", dt.date.today(), "")
    first = consoles.open("clinician")
    second = consoles.open("linkworker")
    mine = open_patient(qtbot, second, sid).referrals
    activate(qtbot, first)
    theirs = open_patient(qtbot, first, sid).referrals
    for panel, outcome in ((theirs, "accepted"), (mine, "did_not_attend")):
        panel.table.selectRow(0)
        choose(panel.outcome, outcome)
    click(qtbot, theirs.outcome_button)
    qtbot.waitUntil(lambda: theirs.message.text() == "Outcome saved.")
    click(qtbot, mine.outcome_button)
    qtbot.waitUntil(lambda: "Someone else changed this referral" in mine.message.text())
    assert mine.model.rows[0][2].startswith("Accepted")  # what they saved, in the list
    assert mine.outcome.currentData() == "did_not_attend"  # my choice, still chosen
    click(qtbot, mine.outcome_button)
    qtbot.waitUntil(lambda: mine.message.text() == "Outcome saved.")
    with staff_clinic.client("clinician") as fresh:
        [stored] = fresh.summary(sid)["referrals"]
    assert (stored["outcome"], stored["version"]) == ("did_not_attend", 2)
