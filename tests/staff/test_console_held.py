"""Held submissions on the administrator's screen, against a real clinic service over
HTTPS fed by a real enrolled tablet: the administrator sees what is held, when, from
which tablet and why, and re-processes one after adding the pathway it needed."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import PASSWORD, Consoles, activate

from kiosk.cli.demo_patients import DEMO_LICENCES, DemoTablet
from kiosk.clinic.models import AuditEntry, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.console.client import StaffClient
from kiosk.engine import FormLibrary
from kiosk.journey.journey import LANGUAGE_RECORD, LINK_RECORD
from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.held_panel import HeldModel

pytestmark = pytest.mark.staff
FORMS = Path(__file__).resolve().parents[2] / "forms"


@dataclass
class HeldClinic:
    service: ClinicService
    running: RunningServer
    folder: Path
    forms: Path
    tablet: DemoTablet

    def client(self) -> StaffClient:
        return StaffClient(self.running.url, certificate=self.folder / CERT_FILE)

    def visit(self, pathway: str, answers: dict[str, dict[str, object]]) -> str:
        """A visit sealed on the tablet whose pathway or answers the clinic cannot accept."""
        forms = self.tablet.library.pathway_forms("cardiology", DEMO_LICENCES)
        session = self.tablet.store.start_session(
            pathway, [{"id": f.id, "version": f.version, "hash": f.hash} for f in forms]
        )
        session.record(LANGUAGE_RECORD, "en")
        session.record(LINK_RECORD, {"method": "anonymous"})
        for form_id, given in answers.items():
            for item_id, value in given.items():
                session.answer(form_id, item_id, value)
        session.submit({})
        return session.id


@pytest.fixture
def held_clinic(tmp_path: Path) -> Iterator[HeldClinic]:
    folder, forms = tmp_path / "clinic", tmp_path / "clinic-forms"
    init_clinic(folder, b"a clinic passphrase for tests", ["127.0.0.1"])
    shutil.copytree(FORMS, forms)
    service = open_service(folder, b"a clinic passphrase for tests", None, [forms])
    service.staff.add("admin", "administrator", PASSWORD, "user:setup")
    running = serve_in_thread(service, folder)
    tablet = DemoTablet.enrol(
        running.url, service.issue_code("user:setup"), tmp_path / "tablet", FormLibrary.load(FORMS)
    )
    yield HeldClinic(service, running, folder, forms, tablet)
    tablet.close()
    running.stop()
    service.engine.dispose()


@pytest.fixture
def consoles(qtbot, held_clinic: HeldClinic) -> Iterator[Consoles]:
    made = Consoles(qtbot, held_clinic)
    yield made
    made.close()


def test_the_table_names_its_columns_and_says_who_stored_a_resolved_one() -> None:
    model = HeldModel()
    entry = {
        "id": 7,
        "submission_id": "a" * 32,
        "pathway": None,
        "received_at": None,
        "device_id": "0123456789abcdef",
        "device_name": "Waiting room",
        "reason": "unknown pathway: 'x' is not a clinic pathway",
        "status": "resolved",
        "resolved_at": None,
        "resolved_by": "user:admin",
    }
    model.set_entries([entry])
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert (
        header[HeldModel.TABLET] == "From tablet" and header[HeldModel.REASON] == "Why it is held"
    )
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert shown[HeldModel.TABLET] == "Waiting room (0123456789abcdef)"
    assert shown[HeldModel.PATHWAY] == "(unreadable)"
    assert shown[HeldModel.STATUS].startswith("Stored") and "user:admin" in shown[HeldModel.STATUS]
    assert model.held_id(0) == 7 and model.index(0, 0).data(HeldModel.HeldIdRole) == 7


@pytest.mark.control("H-08-C7")
def test_an_administrator_sees_held_submissions_and_reprocesses_one_after_a_fix(
    qtbot, consoles: Consoles, held_clinic: HeldClinic
) -> None:
    fixable = held_clinic.visit("oncology", {"social_welfare": {"feel_unsafe": "yes"}})
    broken = held_clinic.visit("cardiology", {"what_matters": {"questions_to_ask": ["nope"]}})
    assert held_clinic.tablet.syncer.sync_once().held_at_clinic == 2

    window = consoles.open("admin")
    admin = window.workspace
    assert isinstance(admin, AdminView)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    panel = admin.held
    assert admin.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    rows = [
        [panel.model.index(r, c).data() for c in range(panel.model.columnCount())] for r in range(2)
    ]
    assert [row[HeldModel.SUBMISSION] for row in rows] == [fixable, broken]
    assert rows[0][HeldModel.TABLET].startswith("Demo tablet (")
    assert rows[0][HeldModel.REASON].startswith("unknown pathway: 'oncology'")
    assert rows[1][HeldModel.REASON].startswith("invalid answer: what_matters")
    assert all(row[HeldModel.STATUS] == "Held" for row in rows)

    pathways = held_clinic.forms / "pathways.yaml"
    pathways.write_text(
        pathways.read_text(encoding="utf-8")
        + "\n  - id: oncology\n    title: Oncology\n"
        + "    forms: [what_matters, social_welfare, ons4, about_you]\n",
        encoding="utf-8",
    )
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.reprocessed, timeout=30_000) as done:
        qtbot.mouseClick(panel.reprocess_button, Qt.MouseButton.LeftButton)
    assert [r["outcome"] for r in done.args[0]] == ["stored"]
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not panel.busy)
    assert panel.model.index(0, HeldModel.SUBMISSION).data() == broken
    assert panel.message.text() == "1 stored, 0 still held."

    with held_clinic.service.transaction() as db:
        assert set(db.scalars(select(Submission.id))) == {fixable}
        audited = list(
            db.scalars(select(AuditEntry.action).where(AuditEntry.actor == "user:admin"))
        )
    assert "reprocess_held" in audited and audited.count("read_held") >= 2

    with qtbot.waitSignal(panel.reprocessed, timeout=30_000) as again:
        qtbot.mouseClick(panel.reprocess_all_button, Qt.MouseButton.LeftButton)
    assert [r["outcome"] for r in again.args[0]] == ["held"]
    qtbot.waitUntil(lambda: not panel.busy)
    assert panel.message.text().startswith("0 stored, 1 still held. Still held: invalid answer")
