"""A real clinic service on 127.0.0.1 over HTTPS, seeded through the real tablet path.

``staff_clinic`` starts a clinic (SQLite), adds one user per role, sets today's
clinic list and sends the demo patients from an enrolled tablet with signed
uploads (kiosk.cli.demo_patients): nothing writes the clinic database directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoPatient, DemoTablet, demo_list_csv
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.console.client import StaffClient
from kiosk.engine import FormLibrary

FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
PASSWORD = "a long staff password"
USERS = {
    "clinician": "clinician",
    "linkworker": "link_worker",
    "reception": "receptionist",
    "admin": "administrator",
}
LIBRARY = FormLibrary.load(FORMS)


@dataclass
class StaffClinic:
    service: ClinicService
    running: RunningServer
    certificate: Path
    tablet: DemoTablet
    ids: dict[str, str]  # demo patient key -> submission id

    @property
    def url(self) -> str:
        return self.running.url

    def client(self, username: str | None = None) -> StaffClient:
        """A staff client trusting the clinic's certificate; signed in if a username is given."""
        client = StaffClient(self.url, certificate=self.certificate)
        if username is not None:
            client.sign_in(username, PASSWORD)
        return client

    def send(self, *patients: DemoPatient) -> dict[str, str]:
        """More patients arrive: answered on the tablet and synced."""
        ids = self.tablet.send(patients)
        self.ids.update(ids)
        return ids


@pytest.fixture
def staff_clinic(tmp_path: Path) -> Iterator[StaffClinic]:
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, f"sqlite:///{folder / 'clinic.db'}", [FORMS])
    for username, role in USERS.items():
        service.staff.add(username, role, PASSWORD, "user:setup")
    service.set_clinic_list(dt.date.today(), demo_list_csv(), "user:setup")
    running = serve_in_thread(service, folder)
    tablet = DemoTablet.enrol(
        running.url, service.issue_code("user:setup"), tmp_path / "tablet", LIBRARY
    )
    try:
        ids = tablet.send(DEMO_PATIENTS)
        yield StaffClinic(service, running, folder / CERT_FILE, tablet, ids)
    finally:
        tablet.close()
        running.stop()
        service.engine.dispose()
