"""What the sample clinics share (tests/clinic/entry_sample.py,
tests/clinic/clinic_day_sample.py): a clinic service over HTTPS on 127.0.0.1 with one
user per role, and one more kept to some clinics, today's clinic list set; staff
clients that trust its certificate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import FORMS, STAFF_PASSWORD, STAFF_USERS


@dataclass
class ServedClinic:
    service: Any  # kiosk.clinic.service.ClinicService
    running: Any  # kiosk.clinic.setup.RunningServer
    certificate: Path

    @property
    def url(self) -> str:
        return str(self.running.url)

    def client(self, username: str | None = None) -> Any:
        """A staff client trusting the clinic's certificate; signed in if a username is given."""
        from kiosk.console.client import StaffClient

        client = StaffClient(self.url, certificate=self.certificate)
        if username is not None:
            client.sign_in(username, STAFF_PASSWORD)
        return client


def serve_clinic(
    tmp_path: Path, database_url: str, list_csv: str, scoped: str, role: str, clinics: list[str]
) -> ServedClinic:
    """The clinic in ``tmp_path/clinic``; ``scoped`` (with ``role``) sees only ``clinics``."""
    from kiosk.clinic.scope import set_clinics
    from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
    from kiosk.clinic.tls import CERT_FILE

    folder = tmp_path / "clinic"
    passphrase = b"a clinic passphrase for tests"
    init_clinic(folder, passphrase, ["127.0.0.1"])
    service = open_service(folder, passphrase, database_url, [FORMS])
    for username, user_role in {**STAFF_USERS, scoped: role}.items():
        service.staff.add(username, user_role, STAFF_PASSWORD, "user:setup")
    set_clinics(service, scoped, clinics, "user:setup")
    service.set_clinic_list(dt.date.today(), list_csv, "user:setup")
    return ServedClinic(service, serve_in_thread(service, folder), folder / CERT_FILE)
