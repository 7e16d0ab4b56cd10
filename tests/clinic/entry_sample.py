"""A clinic for the keyed-in entry tests (tests/clinic/test_entries.py and the
console's tests/staff/test_console_entry.py): served over HTTPS, today's list of
three appointments, no tablet (answers come in at the console only).

- E-1 09:00 Heart clinic, Paula Paper, NHS 943 476 5919, hospital number H-0101
- E-2 09:30 Heart clinic, Alan Assisted, hospital number H-0102
- E-3 10:00 Renal clinic, Rita Renal, hospital number H-0103
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.clinic.served_clinic import ServedClinic, serve_clinic

HEART, RENAL = "Heart clinic", "Renal clinic"
NHS_NUMBER = "9434765919"
LIST_CSV = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
    "hospital_number,pathway\n"
    f"E-1,09:00,{HEART},Paper,Paula,1950-01-01,{NHS_NUMBER},H-0101,cardiology\n"
    f"E-2,09:30,{HEART},Assisted,Alan,1951-02-02,,H-0102,cardiology\n"
    f"E-3,10:00,{RENAL},Renal,Rita,1952-03-03,,H-0103,renal\n"
)
SCOPED = "renalonly"  # a receptionist limited to the renal clinic
# The demo's urgent answers (resources/demo/patients.json), as a paper form gives them.
URGENT_ANSWERS: dict[str, dict[str, Any]] = {
    "what_matters": {"main_concern": "My breathing gets worse on the stairs."},
    "social_welfare": {
        "ends_meet": "yes",
        "missed_meal": "no",
        "stable_housing": "yes",
        "support_network": "yes",
        "feel_unsafe": "yes",
        "carer_impact": "no",
        "wants_help": "yes",
    },
    "ons4": {"life_satisfaction": 3, "worthwhile": 5, "happiness": 4, "anxiety": 8},
    "about_you": {"ethnicity": "A", "interpreter": "no", "carer": "yes"},
}


EntryClinic = ServedClinic


def build_clinic(tmp_path: Path, database_url: str) -> EntryClinic:
    return serve_clinic(tmp_path, database_url, LIST_CSV, SCOPED, "receptionist", [RENAL])


def close_clinic(clinic: EntryClinic) -> None:
    clinic.running.stop()
    clinic.service.engine.dispose()
