"""Demo patients sent to a clinic through the real tablet path.

Each demo patient answers on a tablet store (sealed, durable), is linked the way
reception would link them, and is synced to the clinic over HTTPS with the
tablet's signed requests: the same path as a real waiting room. The demo clinic,
the staff console's tests and its screenshots use them; nothing writes the
clinic database directly. Who they are and what they answer is in
resources/demo/patients.json.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.cli.errors import CommandError
from kiosk.engine import FormLibrary
from kiosk.journey import Journey
from kiosk.site import paths
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.config import read_clinic_record
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.worker import Syncer
from kiosk.vocabulary import ANONYMOUS, RECEPTION


@dataclass(frozen=True)
class DemoPatient:
    """One visit: who (a row of the clinic list, or anonymous) and what they answered."""

    key: str
    pathway: str
    answers: Mapping[str, Mapping[str, Any]]
    nhs_number: str | None = None
    hospital_number: str | None = None
    appointment_id: str | None = None
    clinic: str | None = None
    time: str | None = None
    language: str = "en"
    baselines: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


DEMO_FILE = paths.installed("resources") / "demo" / "patients.json"


def _read_demo(path: Path) -> tuple[dict[str, str], tuple[DemoPatient, ...]]:
    """The demo's licence references and patients. Their answers name forms and items,
    so they are data beside the forms, not Python."""
    data = json.loads(path.read_text(encoding="utf-8"))
    patients = tuple(DemoPatient(**entry) for entry in data["patients"])
    return dict(data["licences"]), patients


DEMO_LICENCES, DEMO_PATIENTS = _read_demo(DEMO_FILE)


def demo_list_csv(patients: Sequence[DemoPatient] = DEMO_PATIENTS) -> str:
    """The clinic list that names the demo patients (made-up names and dates)."""
    names = {
        "DEMO-1": ("Example", "Alex", "1950-03-03"),
        "DEMO-2": ("Sample", "Sam", "1971-12-24"),
        "DEMO-3": ("Test", "Jo", "1988-06-15"),
        "DEMO-4": ("Placeholder", "Pat", "1962-01-30"),
        "DEMO-5": ("Dummy", "Dee", "1958-09-09"),
        "DEMO-6": ("Dummy", "Dee", "1958-09-09"),
    }
    rows = [
        "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
        "hospital_number,pathway"
    ]
    for p in patients:
        if p.appointment_id is None or p.appointment_id not in names:
            continue
        family, given, born = names[p.appointment_id]
        rows.append(
            f"{p.appointment_id},{p.time},{p.clinic},{family},{given},{born},"
            f"{p.nhs_number or ''},{p.hospital_number or ''},{p.pathway}"
        )
    return "\n".join(rows) + "\n"


class DemoTablet:
    """A tablet enrolled with a clinic, answering and syncing as a waiting room would."""

    def __init__(self, data_dir: Path, library: FormLibrary) -> None:
        self.data_dir = data_dir
        self.library = library
        self.store = TabletStore.open(data_dir)
        identity = FileKeyStore(data_dir).load()
        self.syncer = Syncer(self.store, enrolled_client(data_dir, identity), data_dir)

    @classmethod
    def enrol(
        cls, url: str, code: str, data_dir: Path, library: FormLibrary, name: str = "Demo tablet"
    ) -> DemoTablet:
        if read_clinic_record(data_dir) is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            enrol(url, code, data_dir, name)
        return cls(data_dir, library)

    def answer(self, patient: DemoPatient) -> str:
        """One visit, sealed on the tablet and queued; returns the submission id."""
        journey = Journey(
            self.store,
            self.library,
            patient.pathway,
            DEMO_LICENCES,
            language=patient.language,
            baselines=patient.baselines,
        )
        if patient.nhs_number or patient.hospital_number:
            journey.link_patient(
                {
                    "method": RECEPTION,
                    "appointment_id": patient.appointment_id,
                    "clinic": patient.clinic,
                    "time": patient.time,
                    "nhs_number": patient.nhs_number,
                    "hospital_number": patient.hospital_number,
                }
            )
        else:
            journey.link_patient({"method": ANONYMOUS})
        sid = journey.submission_id
        for form in journey.forms:
            for item_id, value in patient.answers.get(form.id, {}).items():
                if item_id in journey.enabled_items(form.id):
                    journey.answer(form.id, item_id, value)
        journey.submit()
        return sid

    def sync(self) -> None:
        report = self.syncer.sync_once()
        if not report.ok:
            raise CommandError(f"the demo tablet could not sync: {report.error}")

    def send(self, patients: Sequence[DemoPatient]) -> dict[str, str]:
        """Answer each patient's visit and sync; {patient key: submission id}."""
        ids = {patient.key: self.answer(patient) for patient in patients}
        self.sync()
        return ids

    def close(self) -> None:
        self.syncer.close()
        self.store.close()
