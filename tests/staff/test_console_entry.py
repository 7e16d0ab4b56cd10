"""Keying in a form at the staff console (kiosk/ui/staff/entry_panel.py), against a real
clinic on 127.0.0.1 over HTTPS (tests/clinic/entry_sample.py): a paper form typed in by
its answer codes reaches the queue marked paper with who entered it; answers the
clinic's engine refuses show beside their questions and nothing typed is lost."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import activate, care, open_patient, shown_texts, sign_in

from kiosk.ui.background import Background
from kiosk.ui.staff.console_window import StaffConsoleWindow
from kiosk.ui.staff.entry_model import typed_answer
from kiosk.ui.staff.entry_panel import EntryPanel
from tests.clinic.entry_sample import EntryClinic, build_clinic, close_clinic

pytestmark = [pytest.mark.staff, pytest.mark.clinic]

# Paula's paper form as the codes printed beside the ticked boxes (the demo's urgent
# answers): what a member of staff types, question by question.
TYPED = {
    ("what_matters", "main_concern"): "My breathing gets worse on the stairs.",
    ("social_welfare", "ends_meet"): "yes",
    ("social_welfare", "missed_meal"): "no",
    ("social_welfare", "stable_housing"): "yes",
    ("social_welfare", "support_network"): "yes",
    ("social_welfare", "feel_unsafe"): "yes",
    ("social_welfare", "carer_impact"): "no",
    ("social_welfare", "wants_help"): "yes",
    ("ons4", "life_satisfaction"): "3",
    ("ons4", "worthwhile"): "5",
    ("ons4", "happiness"): "4",
    ("ons4", "anxiety"): "8",
    ("about_you", "ethnicity"): "a",
    ("about_you", "carer"): "YES",
}


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[EntryClinic]:
    made = build_clinic(tmp_path, f"sqlite:///{tmp_path / 'clinic.db'}")
    yield made
    close_clinic(made)


@pytest.fixture
def window(qtbot: Any, clinic: EntryClinic) -> Iterator[StaffConsoleWindow]:
    client = clinic.client()
    made = StaffConsoleWindow(client, Background())
    qtbot.addWidget(made)
    made.resize(1366, 768)
    made.show()
    activate(qtbot, made)
    yield made
    made.close()
    made.background.wait()
    client.close()


def open_entry(qtbot: Any, window: StaffConsoleWindow, username: str) -> EntryPanel:
    """Sign in, press Ctrl+K, and wait until the forms and today's list are read."""
    sign_in(qtbot, window, username)
    qtbot.waitUntil(lambda: window.workspace is not None)
    assert window.entry_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.entry_dialog is not None)
    assert window.entry_dialog is not None
    panel = window.entry_dialog.panel
    qtbot.waitUntil(lambda: panel.pathway.count() > 0 and panel.appointment.count() > 1)
    return panel


def choose(combo: Any, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def key_in(qtbot: Any, panel: EntryPanel, typed: dict[tuple[str, str], str]) -> None:
    for (form_id, item_id), text in typed.items():
        edit = panel.row(form_id, item_id).edit
        edit.setFocus()
        edit.clear()
        qtbot.keyClicks(edit, text)


@pytest.mark.control("H-04-C6")
def test_a_paper_form_keyed_in_by_its_codes_reaches_the_queue_marked_paper(
    qtbot: Any, window: StaffConsoleWindow, clinic: EntryClinic
) -> None:
    panel = open_entry(qtbot, window, "linkworker")
    choose(panel.appointment, "E-1")
    choose(panel.pathway, "cardiology")
    assert panel.paper.isChecked()
    key_in(qtbot, panel, TYPED)
    # Typing a code ticks its answer, shown in words beside the box.
    assert panel.row("social_welfare", "feel_unsafe").ticked.text() == "✓ Yes"
    assert "White" in panel.row("about_you", "ethnicity").ticked.text()
    qtbot.keyClick(panel, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.message.text() == "Saved the paper form.", timeout=10_000)
    assert "Flags raised:" in panel.result.text() and "(Urgent)" in panel.result.text()
    assert panel.row("ons4", "anxiety").edit.text() == ""  # ready for the next form
    queue = care(window).queue.model
    qtbot.waitUntil(lambda: queue.rowCount() == 1, timeout=10_000)
    line = queue.index(0, queue.PATIENT).data()
    assert "Paula" in line and "paper form, keyed in by linkworker" in line
    with clinic.client("clinician") as staff:
        [item] = staff.queue()["items"]
    assert (item["route"], item["entered_by"], item["urgency_label"]) == (
        "paper",
        "linkworker",
        "Urgent",
    )
    # The summary says so too.
    window.entry_dialog.close()
    page = open_patient(qtbot, window, item["submission_id"])
    qtbot.waitUntil(
        lambda: any("paper form, keyed in by linkworker" in t for t in shown_texts(page))
    )


def test_a_bad_value_is_shown_at_its_question_and_nothing_is_lost(
    qtbot: Any, window: StaffConsoleWindow, clinic: EntryClinic
) -> None:
    panel = open_entry(qtbot, window, "reception")
    choose(panel.appointment, "E-2")
    choose(panel.pathway, "cardiology")
    panel.assisted.setChecked(True)
    typed = {**TYPED, ("ons4", "anxiety"): "12", ("social_welfare", "feel_unsafe"): "sometimes"}
    key_in(qtbot, panel, typed)
    assert panel.row("social_welfare", "feel_unsafe").ticked.text() == "? not one of the codes"
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    anxiety = panel.row("ons4", "anxiety")
    unsafe = panel.row("social_welfare", "feel_unsafe")
    qtbot.waitUntil(lambda: bool(anxiety.problem.text()), timeout=10_000)
    assert unsafe.problem.text() and not panel.row("ons4", "worthwhile").problem.text()
    assert "nothing was saved yet" in panel.message.text()
    # Everything typed is still there.
    assert anxiety.edit.text() == "12"
    assert (
        panel.row("what_matters", "main_concern").edit.text()
        == TYPED[("what_matters", "main_concern")]
    )
    with clinic.client("clinician") as staff:
        assert staff.queue()["items"] == []
    # Put right and saved again: stored once, completed with the patient, no flags for
    # a receptionist to see.
    key_in(
        qtbot,
        panel,
        {
            ("ons4", "anxiety"): "2",
            ("social_welfare", "feel_unsafe"): "no",
            ("social_welfare", "ends_meet"): "no",
        },
    )
    assert not anxiety.problem.text()
    # wants_help is no longer asked once nothing raised a flag: the screen says so.
    wants_help = panel.row("social_welfare", "wants_help")
    qtbot.waitUntil(lambda: "Not asked" in wants_help.not_asked.text())
    wants_help.edit.clear()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.text() == "Saved the form.", timeout=10_000)
    assert panel.result.text() == "The clinical team will see any flags in the queue."
    with clinic.client("clinician") as staff:
        [item] = staff.queue()["items"]
    assert (item["route"], item["entered_by"]) == ("assisted", "reception")


def test_signing_out_takes_the_form_down(
    qtbot: Any, window: StaffConsoleWindow, clinic: EntryClinic
) -> None:
    panel = open_entry(qtbot, window, "clinician")
    choose(panel.pathway, "cardiology")
    key_in(qtbot, panel, {("ons4", "anxiety"): "8"})
    window.sign_out()
    assert window.entry_dialog is None
    assert not window.entry_button.isVisible()


def test_an_administrator_has_no_key_in_screen(
    qtbot: Any, window: StaffConsoleWindow, clinic: EntryClinic
) -> None:
    sign_in(qtbot, window, "admin")
    qtbot.waitUntil(lambda: window.workspace is not None)
    assert not window.entry_button.isVisible()
    window.key_in()
    assert window.entry_dialog is None


@pytest.mark.parametrize(
    ("item_type", "text", "sent"),
    [
        ("yes_no", " YES ", "yes"),
        ("scale", "7", 7),
        ("scale", "seven", "seven"),
        ("multi_choice", "options, what_next", ["options", "what_next"]),
        ("short_text", "  ", None),
    ],
)
def test_what_is_typed_is_sent_as_the_clinic_reads_it(
    item_type: str, text: str, sent: object
) -> None:
    from kiosk.engine import FormLibrary
    from tests.conftest import FORMS

    library = FormLibrary.load(FORMS)
    item = next(
        i
        for form in library.forms()
        for i in form.spec.items
        if i.type == item_type and (item_type != "multi_choice" or i.id == "questions_to_ask")
    )
    assert typed_answer(item, text) == sent


def test_a_form_filled_in_on_another_day_offers_that_days_appointments(
    qtbot: Any, window: StaffConsoleWindow, clinic: EntryClinic
) -> None:
    panel = open_entry(qtbot, window, "clinician")
    panel.filled_on.setDate(panel.filled_on.date().addDays(-1))
    qtbot.waitUntil(lambda: panel.appointment.count() == 1)  # no list that day
    assert panel.appointment.currentData() is None
    panel.assisted.setChecked(True)  # completed with the patient: today's list
    qtbot.waitUntil(lambda: panel.appointment.count() == 4)
