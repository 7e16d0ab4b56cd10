"""Nobody missed: the day's whole clinic list with each appointment's stage, over real
HTTPS on SQLite and PostgreSQL, the stages reported by an enrolled tablet's signed
requests and its synced submissions (tests/clinic/clinic_day_sample.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.clinic.models import AppointmentProgress, AuditEntry, Submission
from kiosk.console.client import Forbidden
from kiosk.sync.errors import ClinicRefusedError, NotEnrolledError
from kiosk.vocabulary import CHECKED_IN, STARTED

from .clinic_day_sample import HEART, RENAL, SCOPED, ClinicDayRig, build_rig, close_rig

pytestmark = [pytest.mark.clinic]


@pytest.fixture
def rig(tmp_path: Path, database_url: str) -> Iterator[ClinicDayRig]:
    """The sample day (clinic_day_sample.py) on SQLite, then on a real PostgreSQL."""
    made = build_rig(tmp_path, database_url)
    yield made
    close_rig(made)


def _by_name(day: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in day["appointments"]}


def test_every_appointment_is_listed_with_how_far_its_patient_got(rig: ClinicDayRig) -> None:
    with rig.client("clinician") as staff:
        day = staff.clinic_day()
    assert day["day"] == dt.date.today().isoformat()
    assert [(a["time"], a["name"], a["clinic"], a["stage"]) for a in day["appointments"]] == [
        ("09:00", "Nora Waiting", HEART, "not_started"),
        ("09:30", "Carl Checkedin", HEART, "checked_in"),
        ("10:00", "Stella Started", RENAL, "started"),
        ("10:30", "Fay Flagged", HEART, "finished"),
        ("11:00", "Nell Noflags", RENAL, "finished"),
    ]
    assert day["counts"] == {
        "total": 5, "not_started": 1, "checked_in": 1, "started": 1, "finished": 2,
        "not_on_list": 1,
    }  # fmt: skip
    assert day["routes"] == {"tablet": 4, "assisted": 0, "paper": 0}
    rows = _by_name(day)
    assert rows["Nora Waiting"]["submission_ids"] == []
    assert rows["Nora Waiting"]["route"] is None
    assert rows["Stella Started"]["submission_ids"] == [rig.ids["started"]]
    assert rows["Stella Started"]["flags"] == []  # not finished: nothing to act on yet
    flagged = rows["Fay Flagged"]
    assert flagged["submission_ids"] == [rig.ids["flagged"]]
    assert flagged["route"] == "tablet"
    assert flagged["urgency_label"] == "Urgent"
    assert "feel_unsafe" in [f["id"] for f in flagged["flags"]]
    calm = rows["Nell Noflags"]
    assert calm["flags"] == [] and calm["urgency_label"] == "No flags"
    # The anonymous survey matches nobody on the list: shown apart, not lost.
    assert [o["submission_ids"] for o in day["not_on_list"]] == [[rig.ids["anonymous"]]]
    # The summary opens from the id the day view gives.
    with rig.client("clinician") as staff:
        assert staff.summary(flagged["submission_ids"][0])["clinic"] == HEART


def test_the_read_is_audited(rig: ClinicDayRig) -> None:
    with rig.client("reception") as staff:
        staff.clinic_day()
    with rig.service.transaction() as db:
        row = db.scalars(select(AuditEntry).where(AuditEntry.action == "read_clinic_day")).one()
    assert (row.actor, row.outcome) == ("user:reception", "ok")
    assert "Nora" not in (row.target or "") and "A-1" not in (row.target or "")


def test_a_receptionist_sees_who_has_not_done_it_but_no_flags(rig: ClinicDayRig) -> None:
    with rig.client("reception") as staff:
        day = staff.clinic_day()
    assert day["counts"]["not_started"] == 1 and day["counts"]["finished"] == 2
    for row in [*day["appointments"], *day["not_on_list"]]:
        assert row["flags"] == []
        assert row["urgency"] is None and row["urgency_label"] is None
    assert _by_name(day)["Fay Flagged"]["stage"] == "finished"


def test_a_member_limited_to_one_clinic_sees_only_its_appointments(rig: ClinicDayRig) -> None:
    with rig.client(SCOPED) as staff:
        day = staff.clinic_day()
    assert [a["name"] for a in day["appointments"]] == [
        "Nora Waiting",
        "Carl Checkedin",
        "Fay Flagged",
    ]
    assert day["clinics"] == [HEART]
    assert day["counts"]["total"] == 3 and day["counts"]["started"] == 0
    assert day["not_on_list"] == []  # the anonymous survey belongs to no clinic of theirs


def test_an_administrator_may_not_read_the_list(rig: ClinicDayRig) -> None:
    with rig.client("admin") as staff, pytest.raises(Forbidden):
        staff.clinic_day()


def test_another_day_has_its_own_list(rig: ClinicDayRig) -> None:
    with rig.client("clinician") as staff:
        day = staff.clinic_day(dt.date.today() - dt.timedelta(days=1))
    assert day["appointments"] == [] and day["counts"]["total"] == 0


def test_the_clinic_keeps_the_appointments_key_never_its_id(rig: ClinicDayRig) -> None:
    with rig.service.transaction() as db:
        kept = {row.appointment_key: row.stage for row in db.scalars(select(AppointmentProgress))}
        keys = set(db.scalars(select(Submission.appointment_key)))
    assert sorted(kept.values()) == ["checked_in", "started"]
    assert all(len(key) == 64 and not key.startswith("A-") for key in kept)
    key = rig.service.secrets.patient_key("appointment", "A-3")
    assert kept[key] == "started" and key in keys


def test_a_stage_never_goes_backwards(rig: ClinicDayRig) -> None:
    assert rig.progress("A-3", CHECKED_IN) == "started"  # a late report changes nothing
    assert rig.progress("A-2", STARTED) == "started"
    assert rig.progress("A-2", CHECKED_IN) == "started"
    with rig.client("clinician") as staff:
        rows = _by_name(staff.clinic_day())
    assert rows["Carl Checkedin"]["stage"] == "started"
    assert rows["Stella Started"]["stage"] == "started"
    # Even a report of a stage the submission has passed leaves it finished.
    assert rig.progress("A-4", CHECKED_IN) == "checked_in"
    with rig.client("clinician") as staff:
        assert _by_name(staff.clinic_day())["Fay Flagged"]["stage"] == "finished"


def test_an_appointment_not_on_todays_list_is_refused(rig: ClinicDayRig) -> None:
    with pytest.raises(ClinicRefusedError) as refused:
        rig.progress("Z-9", CHECKED_IN)
    assert refused.value.status == 422 and refused.value.code == "not_on_todays_list"
    assert "not on today's clinic list" in str(refused.value)
    with pytest.raises(ClinicRefusedError) as bad_stage:
        rig.progress("A-1", "finished")  # only the clinic decides a patient finished
    assert bad_stage.value.status == 422
    with rig.service.transaction() as db:
        assert len(db.scalars(select(AppointmentProgress)).all()) == 2  # as before
        outcomes = set(
            db.scalars(
                select(AuditEntry.outcome).where(AuditEntry.action == "appointment_progress")
            )
        )
    assert outcomes == {"ok", "not_on_todays_list", "bad_value"}
    with rig.client("clinician") as staff:
        assert _by_name(staff.clinic_day())["Nora Waiting"]["stage"] == "not_started"


def test_a_revoked_tablet_is_refused(rig: ClinicDayRig) -> None:
    device = rig.tablet.syncer.client.identity.device_id
    assert rig.service.revoke(device, "user:admin")
    with pytest.raises(NotEnrolledError):
        rig.progress("A-1", CHECKED_IN)
    with rig.client("clinician") as staff:
        assert _by_name(staff.clinic_day())["Nora Waiting"]["stage"] == "not_started"


def test_a_voided_submission_does_not_count(rig: ClinicDayRig) -> None:
    with rig.service.transaction() as db:
        db.get(Submission, rig.ids["unflagged"]).voided_at = "2026-01-01T00:00:00+00:00"
    with rig.client("clinician") as staff:
        day = staff.clinic_day()
    assert _by_name(day)["Nell Noflags"]["stage"] == "not_started"
    assert _by_name(day)["Nell Noflags"]["submission_ids"] == []
    assert day["counts"]["finished"] == 1
