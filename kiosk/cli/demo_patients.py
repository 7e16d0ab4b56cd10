"""Demo patients sent to a clinic through the real tablet path.

Each demo patient answers on a tablet store (sealed, durable), is linked the way
reception would link them, and is synced to the clinic over HTTPS with the
tablet's signed requests: the same path as a real waiting room. The demo clinic,
the staff console's tests and its screenshots use them; nothing writes the
clinic database directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.engine import FormLibrary
from kiosk.journey import Journey
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.config import read_clinic_record
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.worker import Syncer

DEMO_LICENCES = {"mycaw": "DEMO-MYCAW-LICENCE"}


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


WHAT_MATTERS = {
    "main_concern": "My breathing gets worse when I climb the stairs to my flat.",
    "hope_to_achieve": "To know if I can keep working part time.",
    "why_important": "I look after my grandson after school.",
    "questions_to_ask": ["options", "what_next"],
    "own_question": "Can I still drive?",
}
CALM = {
    "ends_meet": "no",
    "missed_meal": "no",
    "stable_housing": "yes",
    "support_network": "yes",
    "feel_unsafe": "no",
    "carer_impact": "no",
}
ABOUT = {
    "ethnicity": "A",
    "preferred_language": "English",
    "interpreter": "no",
    "accessibility_needs": ["large_print"],
    "carer": "yes",
}

DEMO_PATIENTS: tuple[DemoPatient, ...] = (
    DemoPatient(
        key="urgent",
        pathway="cardiology",
        nhs_number="9990000018",
        hospital_number="DEMO-0001",
        appointment_id="DEMO-1",
        clinic="Heart clinic",
        time="09:30",
        answers={
            "what_matters": WHAT_MATTERS,
            "social_welfare": {
                **CALM,
                "ends_meet": "yes",
                "feel_unsafe": "yes",
                "wants_help": "yes",
            },
            "ons4": {"life_satisfaction": 3, "worthwhile": 5, "happiness": 4, "anxiety": 8},
            "about_you": ABOUT,
        },
    ),
    DemoPatient(
        key="wants_help",
        pathway="cardiology",
        nhs_number="9990000026",
        hospital_number="DEMO-0002",
        appointment_id="DEMO-2",
        clinic="Heart clinic",
        time="10:00",
        answers={
            "what_matters": {"main_concern": "Paying for the bus to my appointments."},
            "social_welfare": {**CALM, "missed_meal": "yes", "wants_help": "yes"},
            "ons4": {"life_satisfaction": 6, "worthwhile": 7, "happiness": 6, "anxiety": 3},
            "about_you": {**ABOUT, "preferred_language": "Polish", "interpreter": "yes"},
        },
    ),
    DemoPatient(
        key="routine",
        pathway="cardiology",
        hospital_number="DEMO-0003",
        appointment_id="DEMO-3",
        clinic="Heart clinic",
        time="10:30",
        answers={
            "what_matters": {"main_concern": "Whether my new tablets cause the dizziness."},
            "social_welfare": {**CALM, "support_network": "no", "wants_help": "no"},
            "ons4": {"life_satisfaction": 7, "worthwhile": 8, "happiness": 7, "anxiety": 2},
            "about_you": {**ABOUT, "accessibility_needs": ["none"], "carer": "no"},
        },
    ),
    DemoPatient(
        key="no_flags",
        pathway="cardiology",
        nhs_number="9434765919",
        appointment_id="DEMO-4",
        clinic="Renal clinic",
        time="11:00",
        answers={
            "what_matters": {"main_concern": "Getting my results."},
            "social_welfare": CALM,
            "ons4": {"life_satisfaction": 9, "worthwhile": 9, "happiness": 8, "anxiety": 1},
            "about_you": {**ABOUT, "accessibility_needs": ["none"], "carer": "no"},
        },
    ),
    DemoPatient(
        key="pain_baseline",
        pathway="pain",
        nhs_number="4698194180",
        appointment_id="DEMO-5",
        clinic="Pain clinic",
        time="11:30",
        answers={
            "what_matters": {"main_concern": "The pain in my back stops me sleeping."},
            "social_welfare": CALM,
            "ons4": {"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 7},
            "mycaw": {
                "concern_1": "Back pain at night",
                "concern_1_score": 5,
                "concern_2": "Feeling low",
                "concern_2_score": 4,
                "wellbeing": 4,
            },
            "semcd6": {
                "fatigue": 3,
                "pain": 2,
                "emotional_distress": 4,
                "other_symptoms": 3,
                "tasks": 4,
                "non_drug": 3,
            },
            "about_you": {**ABOUT, "accessibility_needs": ["none"], "carer": "no"},
        },
    ),
    DemoPatient(
        key="pain_followup",
        pathway="pain_followup",
        nhs_number="4698194180",
        appointment_id="DEMO-6",
        clinic="Pain clinic",
        time="12:00",
        baselines={
            "mycaw_followup": {
                "concern_1": "Back pain at night",
                "concern_2": "Feeling low",
                "concern_1_score": 5,
                "concern_2_score": 4,
                "wellbeing": 4,
            },
        },
        answers={
            "what_matters": {"main_concern": "Whether the exercises are working."},
            "mycaw_followup": {"concern_1_score": 2, "concern_2_score": 3, "wellbeing": 2},
            "ons4": {"life_satisfaction": 7, "worthwhile": 7, "happiness": 6, "anxiety": 4},
            "semcd6": {
                "fatigue": 6,
                "pain": 6,
                "emotional_distress": 7,
                "other_symptoms": 6,
                "tasks": 7,
                "non_drug": 6,
            },
        },
    ),
    DemoPatient(
        key="anonymous",
        pathway="survey",
        answers={
            "social_welfare": {**CALM, "stable_housing": "no", "wants_help": "no"},
            "ons4": {"life_satisfaction": 5, "worthwhile": 6, "happiness": 5, "anxiety": 5},
        },
    ),
)


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
                    "method": "reception",
                    "appointment_id": patient.appointment_id,
                    "clinic": patient.clinic,
                    "time": patient.time,
                    "nhs_number": patient.nhs_number,
                    "hospital_number": patient.hospital_number,
                }
            )
        else:
            journey.link_patient({"method": "anonymous"})
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
            raise RuntimeError(f"the demo tablet could not sync: {report.error}")

    def send(self, patients: Sequence[DemoPatient]) -> dict[str, str]:
        """Answer each patient's visit and sync; {patient key: submission id}."""
        ids = {patient.key: self.answer(patient) for patient in patients}
        self.sync()
        return ids

    def close(self) -> None:
        self.syncer.close()
        self.store.close()
