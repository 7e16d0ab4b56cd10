"""Exports and reports on the administrator's screen, against the real clinic service:
the files land in the chosen folder whole (or not at all), identify nobody, and the
clinic audits each export with its purpose."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QDateEdit, QLineEdit
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, activate, clipped

from kiosk.cli.demo_patients import DEMO_PATIENTS
from kiosk.clinic.models import AuditEntry
from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.exports_panel import ExportsPanel

pytestmark = [pytest.mark.staff, pytest.mark.export]

PURPOSE = "Service evaluation for the 2026 board"
# Who the demo patients are (kiosk.cli.demo_patients.demo_list_csv): none may be exported.
FAMILY_NAMES = ["Example", "Sample", "Placeholder", "Dummy"]
IDENTIFIERS = [*FAMILY_NAMES, "Alex Example", "1950-03-03", "1971-12-24", "DEMO-0001"]
NHS_NUMBERS = sorted({p.nhs_number for p in DEMO_PATIENTS if p.nhs_number})


def open_exports(qtbot, consoles: Consoles) -> ExportsPanel:
    """The administrator signs in and goes to the exports tab with Alt+O."""
    window = consoles.open("admin")
    admin = window.workspace
    assert isinstance(admin, AdminView)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    panel = admin.exports
    assert admin.currentWidget().isAncestorOf(panel)
    assert panel.isVisible()
    return panel


def fill(panel: ExportsPanel, folder: Path, project: str = "wellbeing", purpose: str = PURPOSE):
    folder.mkdir(exist_ok=True)
    panel.project.setText(project)
    panel.purpose.setText(purpose)
    panel.set_folder(folder)


def finished(qtbot, panel: ExportsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith((".part", ".incoming"))]


def assert_busy_while_running(panel: ExportsPanel) -> None:
    assert panel.busy
    assert not any(button.isEnabled() for button in panel.buttons)
    assert panel.message.text() == "Exporting… this can take a few minutes for a large clinic."


def test_the_anonymised_export_writes_the_csv_dictionary_and_appointments(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    folder = tmp_path / "exports"
    fill(panel, folder)
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        panel.anonymised_button.click()
        assert_busy_while_running(panel)
    names = ["wellbeing-anonymised.csv", "wellbeing-dictionary.md", "appointments.csv"]
    assert done.args == [names]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert all(button.isEnabled() for button in panel.buttons)

    text = (folder / "wellbeing-anonymised.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][:4] == ["submission", "patient", "visit", "period"]
    assert len(rows) - 1 == len(staff_clinic.ids)
    for identifier in IDENTIFIERS + NHS_NUMBERS:
        assert identifier not in text
    assert "what_matters.main_concern" not in rows[0]  # free text only on request
    assert "submission" in (folder / "wellbeing-dictionary.md").read_text(encoding="utf-8")
    assert (folder / "appointments.csv").read_text().startswith("period,clinic")

    # One plain line: where, which files and how big.
    result = panel.message.text()
    assert result.startswith(f"Saved in {folder}: wellbeing-anonymised.csv (")
    size = (folder / "wellbeing-anonymised.csv").stat().st_size
    assert f"{size} bytes" in result or "kB" in result
    assert "wellbeing-dictionary.md (" in result and "appointments.csv (" in result
    assert panel.message.objectName() == "done"

    # The clinic audited it: who, what, and (in its detail) why.
    with staff_clinic.client("admin") as admin:
        entries = admin.audit(actor="user:admin")
    exports = [e for e in entries if e["action"] == "export"]
    assert {"ok: anonymised_csv", "ok: appointments"} <= {e["outcome"] for e in exports}
    assert any(e["target"] == "project wellbeing" for e in exports)
    with staff_clinic.service.transaction() as db:  # read only: the API leaves out the detail
        purposes = db.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == "export",
                AuditEntry.target == "project wellbeing",
                AuditEntry.outcome.startswith("started"),
            )
        ).all()
    assert purposes == [f"purpose: {PURPOSE}"]


@pytest.mark.control("H-17-C3")
def test_free_text_is_named_in_the_file_and_warned_about(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    assert not panel.free_text_warning.isVisible()
    qtbot.keyClick(panel, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Include free text
    qtbot.waitUntil(panel.free_text.isChecked)  # a mnemonic clicks after a short animation
    assert panel.free_text_warning.isVisible()
    assert panel.free_text_warning.text().startswith("Warning: ")  # a word, not a colour
    assert "can still identify them" in panel.free_text_warning.text()
    panel.shift_dates.setChecked(True)
    folder = tmp_path / "exports"
    fill(panel, folder, project="study.a")
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        panel.anonymised_button.click()
    assert done.args[0][0] == "study.a-anonymised-free-text.csv"
    text = (folder / "study.a-anonymised-free-text.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(staff_clinic.ids)
    assert "My breathing gets worse when I climb the stairs to my flat." in text
    assert all(row["date"] for row in rows if row["patient"])  # shifted days are given
    for number in NHS_NUMBERS:
        assert number not in text
    assert "free text" in (folder / "study.a-dictionary.md").read_text(encoding="utf-8").lower()
    panel.free_text.setChecked(False)
    assert not panel.free_text_warning.isVisible()


@pytest.mark.control("H-17-C5")
def test_a_too_short_purpose_shows_the_clinics_message_and_writes_nothing(
    qtbot, consoles: Consoles, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    folder = tmp_path / "exports"
    fill(panel, folder, purpose="research")
    with qtbot.waitSignal(panel.failed, timeout=30_000) as failed:
        panel.anonymised_button.click()
    message = "Say why the data is being exported (at least 10 characters)."
    assert failed.args == [message]
    assert panel.message.text() == message
    assert panel.message.objectName() == "message" and panel.message.property("problem")
    assert list(folder.iterdir()) == []
    assert all(button.isEnabled() for button in panel.buttons)


def test_what_is_missing_is_said_before_asking_the_clinic(
    qtbot, consoles: Consoles, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    panel.anonymised_button.click()
    assert panel.message.text().startswith("Enter a project name")
    panel.project.setText("../outside")
    panel.anonymised_button.click()
    assert panel.message.text().startswith("Enter a project name")
    panel.project.setText("wellbeing")
    panel.fhir_button.click()
    assert panel.message.text() == "Say why this data is being exported."
    panel.purpose.setText(PURPOSE)
    panel.pdf_button.click()
    assert panel.message.text() == "Choose a folder for the files first."
    (tmp_path / "exports").mkdir()
    panel.set_folder(tmp_path / "exports")
    panel.first_month.setDate(panel.last_month.date().addMonths(1))
    panel.csv_button.click()
    assert panel.message.text() == "The first month must not be after the last month."
    assert not panel.busy
    assert list((tmp_path / "exports").iterdir()) == []


def test_an_export_that_cannot_be_written_leaves_nothing(
    qtbot, consoles: Consoles, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    folder = tmp_path / "exports"
    fill(panel, folder)
    (folder / "appointments.csv.incoming").mkdir()  # the last of the three cannot be written
    with qtbot.waitSignal(panel.failed, timeout=60_000) as failed:
        panel.anonymised_button.click()
    assert failed.args[0].startswith(f"Could not write the files in {folder}")
    (folder / "appointments.csv.incoming").rmdir()
    assert list(folder.iterdir()) == []  # not the CSV or dictionary that did arrive


def test_the_controls_have_names_and_keys(qtbot, consoles: Consoles, tmp_path: Path) -> None:
    panel = open_exports(qtbot, consoles)
    controls = panel.findChildren(QLineEdit) + panel.findChildren(QAbstractButton)
    controls += panel.findChildren(QDateEdit)
    for widget in controls:
        if widget.objectName().startswith("qt_"):  # a part of a date box, not a control
            continue
        assert widget.accessibleName(), widget
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget
    assert all("&" in w.text() for w in panel.findChildren(QCheckBox))
    # Everything by keyboard: Alt+J, Alt+R to the fields, Alt+N to export.
    qtbot.keyClick(panel, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    assert panel.project.hasFocus()
    qtbot.keyClicks(panel.project, "by-keyboard")
    qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert panel.purpose.hasFocus()
    qtbot.keyClicks(panel.purpose, PURPOSE)
    (tmp_path / "exports").mkdir()
    panel.set_folder(tmp_path / "exports")
    with qtbot.waitSignal(panel.exported, timeout=60_000):
        qtbot.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert (tmp_path / "exports" / "by-keyboard-anonymised.csv").exists()


def test_the_exports_tab_fits_1366x768(qtbot, consoles: Consoles, tmp_path: Path) -> None:
    panel = open_exports(qtbot, consoles)
    window = panel.window()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        window.background.wait()
        qtbot.wait(200)  # children shown on a visible page are laid out by queued events
        if found := clipped(window):
            problems[name] = found

    check("empty")
    panel.free_text.setChecked(True)
    panel.identified.setChecked(True)
    fill(panel, tmp_path / ("a-long-folder-name-" * 6), project="p" * 64, purpose="x" * 400)
    check("warning and long values")
    panel.message.setText("Saved in " + str(tmp_path) + ": " + ", ".join(["file.csv (12 kB)"] * 12))
    check("a long result")
    assert not problems, problems
    scroll_bar = panel.parentWidget().parentWidget().verticalScrollBar()  # type: ignore[union-attr]
    assert scroll_bar.maximum() == 0  # all of it on one screen, nothing to scroll to


@pytest.mark.control("H-17-C7")
def test_an_anonymised_fhir_bundle_names_nobody(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    asked: list[str] = []
    panel.confirm = lambda _title, text: asked.append(text) or True
    folder = tmp_path / "exports"
    fill(panel, folder)
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        panel.fhir_button.click()
        assert_busy_while_running(panel)
    assert asked == []  # only an identified bundle asks first
    assert done.args == [["wellbeing-fhir.json"]]
    assert [p.name for p in folder.iterdir()] == ["wellbeing-fhir.json"]
    text = (folder / "wellbeing-fhir.json").read_text(encoding="utf-8")
    bundle = json.loads(text)
    assert bundle["resourceType"] == "Bundle"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") >= len(staff_clinic.ids)
    for identifier in IDENTIFIERS + NHS_NUMBERS:
        assert identifier not in text
    assert panel.message.text().startswith(f"Saved in {folder}: wellbeing-fhir.json (")
    with staff_clinic.client("admin") as admin:
        outcomes = {e["outcome"] for e in admin.audit(actor="user:admin")}
    assert "ok: fhir_anonymised" in outcomes


@pytest.mark.control("H-17-C7")
def test_an_identified_fhir_bundle_is_confirmed_first(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    folder = tmp_path / "exports"
    fill(panel, folder, project="gp-letters", purpose="Sending answers to the GP system")
    panel.identified.setChecked(True)
    asked: list[tuple[str, str]] = []
    panel.confirm = lambda title, text: bool(asked.append((title, text)))  # Cancel
    panel.fhir_button.click()
    [(title, text)] = asked
    assert title == "Export identified data?"
    assert "NHS numbers" in text
    assert "audit log" in text and "“Sending answers to the GP system”" in text
    assert panel.message.text() == "Nothing was exported."
    assert not panel.busy
    assert list(folder.iterdir()) == []

    panel.confirm = lambda _title, _text: True  # Yes
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        panel.fhir_button.click()
    assert done.args == [["gp-letters-fhir-identified.json"]]
    text = (folder / "gp-letters-fhir-identified.json").read_text(encoding="utf-8")
    assert json.loads(text)["resourceType"] == "Bundle"
    assert "9990000018" in text  # for a clinical system: who each answer belongs to
    assert leftovers(folder) == []
    with staff_clinic.client("admin") as admin:
        exports = [e for e in admin.audit(actor="user:admin") if e["action"] == "export"]
    outcomes = [e["outcome"] for e in exports]  # newest first; not the cancelled one
    assert outcomes == ["ok: fhir_identified", "started: fhir_identified"]
    with staff_clinic.service.transaction() as db:  # read only
        detail = db.scalars(
            select(AuditEntry.detail).where(AuditEntry.outcome == "started: fhir_identified")
        ).one()
    assert detail == "purpose: Sending answers to the GP system"


def test_the_board_report_is_saved_as_pdf_and_csv(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    panel = open_exports(qtbot, consoles)
    assert panel.first_month.displayFormat() == "MMM yyyy"
    folder = tmp_path / "exports"
    fill(panel, folder, purpose="")  # a report is aggregate figures: no purpose asked
    first = panel.first_month.date().toString("yyyy-MM")
    this_month = panel.last_month.date().toString("yyyy-MM")
    assert first < this_month
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        panel.pdf_button.click()
        assert_busy_while_running(panel)
    pdf = f"wellbeing-report-{first}-{this_month}.pdf"
    assert done.args == [[pdf]]
    assert (folder / pdf).read_bytes().startswith(b"%PDF")
    assert panel.message.text().startswith(f"Saved in {folder}: {pdf} (")

    panel.first_month.setDate(panel.last_month.date())
    panel.clinic.setText("Heart clinic")
    with qtbot.waitSignal(panel.exported, timeout=60_000) as done:
        qtbot.keyClick(panel, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # Report as CS&V
    name = f"wellbeing-report-{this_month}-{this_month}.csv"
    assert done.args == [[name]]
    text = (folder / name).read_text(encoding="utf-8")
    assert text.startswith("section,group_by,group,measure,statistic,value")
    for identifier in IDENTIFIERS + NHS_NUMBERS:
        assert identifier not in text
    assert sorted(p.name for p in folder.iterdir()) == sorted([pdf, name])
    with staff_clinic.client("admin") as admin:
        reports = [e for e in admin.audit(actor="user:admin") if e["action"] == "export"]
    assert [e["outcome"] for e in reports] == ["ok: board_report_csv", "ok: board_report_pdf"]
    assert reports[0]["target"] == f"Heart clinic {this_month}..{this_month}"
