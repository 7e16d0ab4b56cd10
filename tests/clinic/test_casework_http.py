"""The staff API over real HTTPS (SQLite and PostgreSQL), seeded through the real
tablet path: queue order and counts, the summary, triage with referrals, edit
conflicts with no lost update, roles, and the audit rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.cli.demo_patients import DEMO_PATIENTS
from kiosk.clinic.models import Referral, Triage
from kiosk.console.client import (
    EditConflict,
    Forbidden,
    NotFound,
    SessionExpired,
    SignInError,
)

pytestmark = [pytest.mark.clinic, pytest.mark.staff]
PASSWORD = "a long staff password"
USERS = {
    "clinician": "clinician",
    "linkworker": "link_worker",
    "reception": "receptionist",
    "admin": "administrator",
}


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any], database_url: str) -> Any:
    """A seeded clinic (tests/conftest.py) on SQLite, then on a real PostgreSQL."""
    return make_staff_clinic(database_url)


@pytest.mark.control("H-02-C2")
def test_queue_puts_the_unsafe_patient_first_then_those_asking_for_help(clinic: Any) -> None:
    with clinic.client("clinician") as staff:
        queue = staff.queue()
    order = [item["submission_id"] for item in queue["items"]]
    ids = clinic.ids
    assert order[0] == ids["urgent"]
    assert order[1] == ids["wants_help"]
    # Other flags, then no flags; within each, by appointment time (none last).
    assert order[2:] == [
        ids["routine"], ids["pain_baseline"], ids["anonymous"],
        ids["no_flags"], ids["pain_followup"],
    ]  # fmt: skip
    first = queue["items"][0]
    assert first["urgency_label"] == "Urgent"
    assert first["patient"] == {
        "name": "Alex Example",
        "birth_date": "1950-03-03",
        "nhs_number": "9990000018",
        "hospital_number": "DEMO-0001",
    }
    assert first["clinic"] == "Heart clinic" and first["appointment_time"] == "09:30"
    assert [f["id"] for f in first["flags"]][:2] == ["feel_unsafe", "wants_help"]
    assert "safeguarding" in first["flags"][0]["reason"]
    anonymous = next(i for i in queue["items"] if i["submission_id"] == ids["anonymous"])
    assert anonymous["patient"] is None
    assert queue["counts"] == {
        "total": 7, "urgent": 1, "wants_help": 2, "flagged": 5,
        "new": 7, "in_review": 0, "actioned": 0, "no_action": 0, "declined": 0,
    }  # fmt: skip
    assert queue["clinics"] == ["Heart clinic", "Pain clinic", "Renal clinic"]


def test_queue_filters_keep_the_day_counts(clinic: Any) -> None:
    with clinic.client("linkworker") as staff:
        by_clinic = staff.queue(clinic="Pain clinic")
        assert {i["submission_id"] for i in by_clinic["items"]} == {
            clinic.ids["pain_baseline"],
            clinic.ids["pain_followup"],
        }
        assert by_clinic["counts"]["total"] == 2
        by_flag = staff.queue(flag="missed_meal")
        assert [i["submission_id"] for i in by_flag["items"]] == [clinic.ids["wants_help"]]
        assert by_flag["counts"]["total"] == 7
        assert staff.queue(day=dt.date.today() - dt.timedelta(days=1))["items"] == []


@pytest.mark.control("H-24-C1")
def test_receptionist_sees_who_is_waiting_but_no_flags_or_answers(clinic: Any) -> None:
    with clinic.client("reception") as desk:
        queue = desk.queue()
        assert len(queue["items"]) == 7
        assert all(i["flags"] == [] and i["urgency"] == 3 for i in queue["items"])
        assert queue["counts"]["urgent"] == 0
        with pytest.raises(Forbidden):
            desk.summary(clinic.ids["urgent"])
    with clinic.client("admin") as admin, pytest.raises(Forbidden):
        admin.queue()


@pytest.mark.control("H-01-C3")
def test_summary_explains_flags_and_shows_change_over_time(clinic: Any) -> None:
    with clinic.client("clinician") as staff:
        summary = staff.summary(clinic.ids["urgent"])
        follow_up = staff.summary(clinic.ids["pain_followup"])
    words = {w["item_id"]: w["answer"] for w in summary["what_matters"]}
    assert words["main_concern"].startswith("My breathing gets worse")
    assert summary["questions_to_ask"] == ["What are my options?", "What happens next?"]
    screening = next(f for f in summary["forms"] if f["form_id"] == "social_welfare")
    unsafe = next(i for i in screening["items"] if i["id"] == "feel_unsafe")
    assert unsafe["answer_text"] == "Yes" and unsafe["flag"]["severity"] == "urgent"
    calm = next(i for i in screening["items"] if i["id"] == "stable_housing")
    assert calm["flag"] is None
    ons4 = next(f for f in summary["forms"] if f["form_id"] == "ons4")
    life = next(s for s in ons4["scores"] if s["id"] == "life_satisfaction")
    assert (life["value"], life["band_label"]) == (3, "Low (0-4)")
    assert "Open Government Licence" in ons4["credit"]
    assert summary["essentials"] == {
        "preferred_language": "English",
        "interpreter": "No",
        "accessibility_needs": ["Large print"],
        "carer": "Yes",
    }
    assert summary["triage"]["status"] == "new" and summary["triage"]["version"] == 0
    # The pain patient came twice: baseline and follow-up, linked by NHS number.
    assert [h["pathway_title"] for h in follow_up["history"]] == [
        "Pain clinic",
        "Pain clinic, follow-up visit",
    ]
    assert [h["submission_id"] for h in follow_up["history"]] == [
        clinic.ids["pain_baseline"],
        clinic.ids["pain_followup"],
    ]
    change = {c["measure"]: c for c in follow_up["change"]}
    assert (change["ons4.life_satisfaction"]["baseline"],
            change["ons4.life_satisfaction"]["latest"]) == (4, 7)  # fmt: skip
    assert change["ons4.life_satisfaction"]["improved"] is True
    assert change["mycaw.concern_1"]["change"] == -3 and change["mycaw.concern_1"]["improved"]
    assert change["semcd6.semcd_mean"]["latest"] > change["semcd6.semcd_mean"]["baseline"]
    semcd = next(f for f in follow_up["forms"] if f["form_id"] == "semcd6")
    assert any(s["id"] == "semcd_mean" for s in semcd["scores"])
    with clinic.client("clinician") as staff, pytest.raises(NotFound):
        staff.summary("0" * 32)


@pytest.mark.control("H-07-C5")
def test_follow_up_is_rescored_against_the_patients_own_baseline(clinic: Any) -> None:
    with clinic.client("clinician") as staff:
        follow_up = staff.summary(clinic.ids["pain_followup"])
    mycaw = next(f for f in follow_up["forms"] if f["form_id"] == "mycaw_followup")
    scores = {s["id"]: s["value"] for s in mycaw["scores"]}
    assert scores["concern_1_change"] == 3  # 5 at baseline, 2 now: better by 3
    question = next(i for i in mycaw["items"] if i["id"] == "concern_1_score")
    assert question["answer"] == 2
    # The question staff read carries the patient's own words from the first visit.
    assert '"Back pain at night"' in question["question"]


@pytest.mark.control("H-13-C5", "H-24-C2")
def test_triage_referral_and_outcome_are_kept_and_audited(clinic: Any) -> None:
    sid = clinic.ids["wants_help"]
    with clinic.client("linkworker") as worker:
        saved = worker.save_triage(sid, 0, "in_review", "linkworker", "Spoke to Sam.")
        assert saved["version"] == 1 and saved["updated_by"] == "linkworker"
        referral = worker.add_referral(sid, "food_bank", dt.date.today(), "Voucher given")
        done = worker.update_referral(
            referral["id"], referral["version"], "attended", dt.date.today()
        )
        assert done["outcome"] == "attended" and done["version"] == 1
        worker.save_triage(sid, 1, "actioned", "linkworker", "Spoke to Sam. Food bank.")
    with clinic.client("clinician") as other:
        summary = other.summary(sid)
        queue = other.queue(status="actioned")
    assert summary["triage"]["status"] == "actioned"
    assert summary["triage"]["notes"] == "Spoke to Sam. Food bank."
    assert [(r["kind"], r["outcome"]) for r in summary["referrals"]] == [("food_bank", "attended")]
    assert [i["submission_id"] for i in queue["items"]] == [sid]
    assert queue["items"][0]["owner"] == "linkworker"
    # Notes are encrypted in the database, never plain.
    with clinic.service.transaction() as db:
        row = db.get(Triage, sid)
        referral_row = db.scalars(select(Referral)).one()
        assert row is not None and b"Food bank" not in row.notes
        assert referral_row.notes is not None and b"Voucher" not in referral_row.notes
    with clinic.client("admin") as admin:
        rows = admin.audit(target=sid)
    seen = [(r["actor"], r["action"], r["outcome"]) for r in reversed(rows)]
    assert seen == [
        ("device:" + seen[0][0].split(":")[1], "submission", "stored"),
        ("user:linkworker", "triage", "ok: in_review"),
        ("user:linkworker", "referral_added", "ok: food_bank"),
        ("user:linkworker", "referral_updated", "ok: food_bank attended"),
        ("user:linkworker", "triage", "ok: actioned"),
        ("user:clinician", "read_summary", "ok"),
    ]
    assert all(r["remote"] == "127.0.0.1" for r in rows if r["actor"].startswith("user:"))


@pytest.mark.control("H-13-C1")
def test_two_staff_saving_at_once_is_a_conflict_not_a_lost_update(clinic: Any) -> None:
    sid = clinic.ids["urgent"]
    with clinic.client("clinician") as first, clinic.client("linkworker") as second:
        first.save_triage(sid, 0, "in_review", "clinician", "Safeguarding lead called.")
        with pytest.raises(EditConflict) as conflict:
            second.save_triage(sid, 0, "no_action", None, "Nothing needed.")
        assert conflict.value.current["notes"] == "Safeguarding lead called."
        assert conflict.value.current["version"] == 1
        # Having seen it, the second person saves deliberately on top.
        second.save_triage(sid, 1, "actioned", "clinician", "Safeguarding lead called. Seen.")
        assert first.summary(sid)["triage"]["version"] == 2
        referral = first.add_referral(sid, "safeguarding", dt.date.today())
        first.update_referral(referral["id"], 0, "accepted", None)
        with pytest.raises(EditConflict):
            second.update_referral(referral["id"], 0, "closed", None)


@pytest.mark.control("H-13-C1")
def test_simultaneous_saves_from_many_threads_let_exactly_one_through(clinic: Any) -> None:
    sid = clinic.ids["routine"]
    clients = [clinic.client("clinician") for _ in range(6)]
    outcomes: list[str] = []
    start = threading.Barrier(len(clients))

    def save(index: int) -> None:
        start.wait()
        try:
            clients[index].save_triage(sid, 0, "in_review", None, f"note {index}")
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    with clinic.client("clinician") as staff:
        assert staff.summary(sid)["triage"]["version"] == 1
    for client in clients:
        client.close()


def test_bad_values_are_refused_plainly(clinic: Any) -> None:
    from kiosk.console.client import BadRequest

    sid = clinic.ids["routine"]
    with clinic.client("clinician") as staff:
        with pytest.raises(BadRequest, match="status must be one of"):
            staff.save_triage(sid, 0, "done", None, "")
        with pytest.raises(BadRequest, match="no staff user called nobody"):
            staff.save_triage(sid, 0, "in_review", "nobody", "")
        with pytest.raises(BadRequest, match="kind must be one of"):
            staff.add_referral(sid, "astrologer", dt.date.today())


@pytest.mark.control("H-16-C3")
def test_signing_in_refreshing_and_expired_sessions(clinic: Any) -> None:
    staff = clinic.client()
    with pytest.raises(SignInError, match="username or password is wrong"):
        staff.sign_in("clinician", "not the password")
    signed = staff.sign_in("clinician", PASSWORD)
    assert (signed.username, signed.role, signed.expires_in) == ("clinician", "clinician", 900)
    assert staff.refresh().token
    staff.user = dataclasses.replace(signed, token=signed.token[:-2] + "00")
    with pytest.raises(SessionExpired):
        staff.queue()
    staff.close()


@pytest.mark.control("H-24-C1")
def test_administrator_reads_users_devices_and_audit(clinic: Any) -> None:
    with clinic.client("admin") as admin:
        users = {u["username"]: u["role"] for u in admin.users()}
        assert users == USERS
        devices = admin.devices()
        assert len(devices) == 1 and devices[0]["revoked_at"] is None
        entries = admin.audit(actor="user:admin")
        assert entries and all(e["actor"] == "user:admin" for e in entries)
        with pytest.raises(Forbidden):
            admin.summary(clinic.ids["urgent"])


@pytest.mark.control("H-01-C5", "H-02-C2")
def test_a_new_arrival_joins_the_queue(clinic: Any) -> None:
    sid = clinic.tablet.send([dataclasses.replace(DEMO_PATIENTS[0], key="late")])["late"]
    with clinic.client("clinician") as staff:
        queue = staff.queue()
    assert [i["submission_id"] for i in queue["items"]][:2] == [clinic.ids["urgent"], sid]
    assert queue["counts"]["urgent"] == 2
