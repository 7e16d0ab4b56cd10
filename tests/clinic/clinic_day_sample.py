"""A clinic day for the day view's tests (tests/clinic/test_clinic_day.py and the
console's tests/staff/test_today_panel.py): five appointments on today's list, each
patient at another stage, reached through the real tablet path over HTTPS.

- A-1 09:00 Heart clinic, Nora Waiting: not started (nothing arrived)
- A-2 09:30 Heart clinic, Carl Checkedin: checked in (the tablet said so)
- A-3 10:00 Renal clinic, Stella Started: started (checked in, started, then an
  incomplete submission: the session timed out)
- A-4 10:30 Heart clinic, Fay Flagged: finished, urgent flags (the demo's urgent answers)
- A-5 11:00 Renal clinic, Nell Noflags: finished, no flags

and an anonymous survey, which matches no appointment ("not on the list").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from kiosk.cli.demo_patients import DEMO_LICENCES, DEMO_PATIENTS, DemoTablet
from kiosk.journey import Journey
from kiosk.vocabulary import CHECKED_IN, RECEPTION, STARTED
from tests.clinic.served_clinic import ServedClinic, serve_clinic
from tests.conftest import FORMS

HEART, RENAL = "Heart clinic", "Renal clinic"
DEMO = {p.key: p for p in DEMO_PATIENTS}
LIST_CSV = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
    "hospital_number,pathway\n"
    "A-1,09:00,Heart clinic,Waiting,Nora,1950-01-01,,H-0001,cardiology\n"
    "A-2,09:30,Heart clinic,Checkedin,Carl,1951-02-02,,H-0002,cardiology\n"
    "A-3,10:00,Renal clinic,Started,Stella,1952-03-03,,H-0003,cardiology\n"
    "A-4,10:30,Heart clinic,Flagged,Fay,1953-04-04,,H-0004,cardiology\n"
    "A-5,11:00,Renal clinic,Noflags,Nell,1954-05-05,,H-0005,cardiology\n"
)
FLAGGED_VISIT = dataclasses.replace(
    DEMO["urgent"], key="flagged", appointment_id="A-4", clinic=HEART, time="10:30",
    nhs_number=None, hospital_number="H-0004",
)  # fmt: skip
UNFLAGGED_VISIT = dataclasses.replace(
    DEMO["no_flags"], key="unflagged", appointment_id="A-5", clinic=RENAL, time="11:00",
    nhs_number=None, hospital_number="H-0005", pathway="cardiology",
)  # fmt: skip
SCOPED = "heartonly"  # a link worker limited to the heart clinic


@dataclass
class ClinicDayRig(ServedClinic):
    tablet: DemoTablet
    ids: dict[str, str]  # "started", "flagged", "unflagged", "anonymous" -> submission id

    def progress(self, appointment_id: str, stage: str) -> str:
        """The tablet's signed progress report, as its sync client sends it."""
        return str(self.tablet.syncer.client.progress(appointment_id, stage))


def _started_then_timed_out(tablet: DemoTablet) -> str:
    """Stella begins on the tablet, answers one question, then walks away."""
    journey = Journey(tablet.store, tablet.library, "cardiology", DEMO_LICENCES)
    journey.link_patient(
        {"method": RECEPTION, "appointment_id": "A-3", "clinic": RENAL, "time": "10:00",
         "nhs_number": None, "hospital_number": "H-0003"}
    )  # fmt: skip
    form = journey.forms[0]
    item, value = next(
        (item, value)
        for item, value in DEMO["no_flags"].answers.get(form.id, {}).items()
        if item in journey.enabled_items(form.id)
    )
    journey.answer(form.id, item, value)
    sid = journey.submission_id
    journey.abandon("timed_out")
    return sid


def build_rig(tmp_path: Path, database_url: str) -> ClinicDayRig:
    from kiosk.engine import FormLibrary

    served = serve_clinic(tmp_path, database_url, LIST_CSV, SCOPED, "link_worker", [HEART])
    service, running = served.service, served.running
    tablet = DemoTablet.enrol(
        running.url, service.issue_code("user:setup"), tmp_path / "tablet", FormLibrary.load(FORMS)
    )
    rig = ClinicDayRig(service, running, served.certificate, tablet, {})
    rig.progress("A-2", CHECKED_IN)
    rig.progress("A-3", CHECKED_IN)
    rig.progress("A-3", STARTED)
    rig.ids["started"] = _started_then_timed_out(tablet)
    rig.ids.update(tablet.send([FLAGGED_VISIT, UNFLAGGED_VISIT, DEMO["anonymous"]]))
    return rig


def close_rig(rig: ClinicDayRig) -> None:
    rig.tablet.close()
    rig.running.stop()
    rig.service.engine.dispose()
