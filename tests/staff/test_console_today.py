"""The console's "Today" panel: the day's whole clinic list with how far each patient
has got, against a real clinic (the day of tests/clinic/clinic_day_sample.py: one
appointment in each stage, two finished, one anonymous survey not on the list)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QTableView

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, care, clipped, settle, sign_in

from kiosk.ui.staff.console_window import StaffConsoleWindow
from kiosk.ui.staff.today_model import TodayModel
from kiosk.ui.staff.today_panel import TodayPanel
from kiosk.vocabulary import CHECKED_IN
from tests.clinic.clinic_day_sample import ClinicDayRig, build_rig, close_rig

pytestmark = [pytest.mark.staff, pytest.mark.clinic]
NOT_ON_LIST = "Not on the clinic list"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ClinicDayRig]:
    made = build_rig(tmp_path, f"sqlite:///{tmp_path / 'clinic.db'}")
    yield made
    close_rig(made)


@pytest.fixture
def consoles(qtbot: Any, rig: ClinicDayRig) -> Iterator[Consoles]:
    made = Consoles(qtbot, rig)
    yield made
    made.close()


def today(qtbot: Any, window: StaffConsoleWindow) -> TodayPanel:
    """Ctrl+2, as a user would; the panel once it has the day's list."""
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    panel = care(window).today
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.rowCount() > 0)
    return panel


def column(panel: TodayPanel, col: int) -> list[str]:
    model = panel.model
    return [model.index(row, col).data() for row in range(model.rowCount())]


def row_named(panel: TodayPanel, name: str) -> int:
    return column(panel, TodayModel.PATIENT).index(name)


def counts(panel: TodayPanel) -> list[str]:
    return [label.text() for label in [*panel.count_labels.values(), *panel.route_labels.values()]]


def test_every_appointment_is_listed_with_how_far_its_patient_got(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("clinician")
    assert window.lists_bar.isVisible() and window.lists_bar.queue_action.isChecked()
    panel = today(qtbot, window)
    assert window.lists_bar.today_action.isChecked()
    assert column(panel, TodayModel.TIME) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "No time",
    ]  # fmt: skip
    assert column(panel, TodayModel.PATIENT) == [
        "Nora Waiting", "Carl Checkedin", "Stella Started", "Fay Flagged", "Nell Noflags",
        NOT_ON_LIST,
    ]  # fmt: skip
    assert column(panel, TodayModel.STAGE) == [
        "Not started", "Checked in", "Started", "Finished", "Finished", "Finished",
    ]  # fmt: skip
    assert counts(panel) == [
        "Appointments: 5", "Not started: 1", "Checked in: 1", "Started: 1", "Finished: 2",
        "Not on the list: 1", "Tablet: 4", "Assisted by staff: 0", "Paper: 0",
    ]  # fmt: skip
    # A stage is a word and a shape, never colour alone: four stages, four pictures.
    images = [
        panel.model.index(row, TodayModel.STAGE)
        .data(Qt.ItemDataRole.DecorationRole)
        .pixmap(20, 20)
        .toImage()
        for row in range(4)
    ]
    assert all(images[i] != images[j] for i in range(4) for j in range(i + 1, 4))
    # Flags and urgency for the finished only.
    fay, stella = row_named(panel, "Fay Flagged"), row_named(panel, "Stella Started")
    assert column(panel, TodayModel.URGENCY)[fay] == "Urgent"
    assert "Feels unsafe" in column(panel, TodayModel.FLAGS)[fay]
    assert column(panel, TodayModel.URGENCY)[stella] == ""
    assert column(panel, TodayModel.FLAGS)[stella] == ""
    assert column(panel, TodayModel.ROUTE)[fay] == "Tablet"
    assert column(panel, TodayModel.ROUTE)[0] == ""  # Nora: nothing arrived


def test_not_finished_yet_keeps_those_still_waiting(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("linkworker")
    panel = today(qtbot, window)
    check = panel.findChild(QCheckBox)
    assert check is not None and check.accessibleName() == "Show only patients not finished yet"
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert column(panel, TodayModel.PATIENT) == ["Nora Waiting", "Carl Checkedin", "Stella Started"]
    assert counts(panel)[0] == "Appointments: 5"  # the counts are still the whole day's
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 6


def test_refresh_shows_a_patient_checking_in(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("reception")
    panel = today(qtbot, window)
    assert column(panel, TodayModel.STAGE)[0] == "Not started"
    rig.progress("A-1", CHECKED_IN)  # Nora is handed a tablet at reception
    with qtbot.waitSignal(panel.refreshed):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert column(panel, TodayModel.STAGE)[0] == "Checked in"
    assert "Checked in: 2" in counts(panel)


def test_a_finished_patient_opens_where_the_queue_opens_them(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("clinician")
    panel = today(qtbot, window)
    workspace = care(window)
    # A patient who sent nothing has nothing to open: said so, and the list stays.
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert workspace.currentWidget() is panel
    assert "sent no answers" in panel.message.text()

    panel.table.selectRow(row_named(panel, "Fay Flagged"))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    page = workspace.patient
    assert page is not None
    qtbot.waitUntil(
        lambda: (
            page.summary.summary is not None
            and page.summary.summary["submission_id"] == rig.ids["flagged"]
        )
    )
    assert workspace.currentWidget() is page
    assert page.back_button.accessibleName() == "Back to today's list"
    assert not window.lists_bar.isVisible()  # the patient's page has every line of the screen
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert workspace.currentWidget() is panel
    assert panel.selected_id() == rig.ids["flagged"]  # back where they were
    # Ctrl+1: the queue, as before.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert workspace.currentWidget() is workspace.queue


def test_a_receptionist_sees_who_has_not_done_it_but_no_flags(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("reception")
    panel = today(qtbot, window)
    assert panel.table.isColumnHidden(TodayModel.URGENCY)
    assert panel.table.isColumnHidden(TodayModel.FLAGS)
    assert set(column(panel, TodayModel.URGENCY)) == {""}
    assert set(column(panel, TodayModel.FLAGS)) == {""}
    assert column(panel, TodayModel.STAGE)[:3] == ["Not started", "Checked in", "Started"]
    assert not panel.open_button.isVisible()
    panel.table.setFocus()
    panel.table.selectRow(row_named(panel, "Fay Flagged"))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert care(window).currentWidget() is panel  # no summaries for reception
    assert care(window).patient is None


def test_the_panel_reads_well(qtbot: Any, consoles: Consoles, rig: ClinicDayRig) -> None:
    window = consoles.open("clinician")
    panel = today(qtbot, window)
    table = panel.findChild(QTableView)
    assert table is not None and table.accessibleName() == "Today's whole clinic list"
    for label in [*panel.count_labels.values(), *panel.route_labels.values()]:
        assert label.accessibleName() and label.text().startswith(label.accessibleName())
    for button in panel.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.accessibleName(), button.text()
    assert panel.findChild(QLabel, "title").text() == "Today's whole clinic list"
    settle(qtbot, window)
    assert clipped(panel) == []
    # Signing out takes the list down: nothing of it stays in the window.
    window.sign_out()
    assert window.workspace is None and not window.lists_bar.isVisible()


def test_unlocking_returns_to_todays_list(
    qtbot: Any, consoles: Consoles, rig: ClinicDayRig
) -> None:
    window = consoles.open("clinician", lock_after_s=1)
    today(qtbot, window)
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert window.workspace is None and not window.lists_bar.isVisible()
    sign_in(qtbot, window, "clinician")
    qtbot.waitUntil(lambda: window.workspace is not None and not window.locked)
    panel = care(window).today
    assert care(window).currentWidget() is panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 6)
    assert window.lists_bar.today_action.isChecked()
