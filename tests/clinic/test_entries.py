"""Answers keyed in at the console (GET /entry-forms, POST /entries), over real HTTPS
on SQLite and PostgreSQL: checked by the tablet's engine, stored and scored as a
tablet's submission, with the route and who entered it (tests/clinic/entry_sample.py)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry, Submission
from kiosk.console.client import AnswersRefused, BadRequest, Forbidden
from kiosk.engine import form_from_text
from kiosk.engine.answers import option_codes

from .entry_sample import (
    HEART,
    NHS_NUMBER,
    RENAL,
    SCOPED,
    URGENT_ANSWERS,
    EntryClinic,
    build_clinic,
    close_clinic,
)

pytestmark = [pytest.mark.clinic]


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[EntryClinic]:
    made = build_clinic(tmp_path, database_url)
    yield made
    close_clinic(made)


def entry(**changes: Any) -> dict[str, Any]:
    """Paula's paper form (the demo's urgent answers), for appointment E-1."""
    body: dict[str, Any] = {
        "entry_id": uuid.uuid4().hex,
        "pathway": "cardiology",
        "language": "en",
        "route": "paper",
        "answers": copy.deepcopy(URGENT_ANSWERS),
        "appointment_id": "E-1",
    }
    body.update(changes)
    return body


def refused(clinic: EntryClinic, username: str, body: dict[str, Any]) -> AnswersRefused:
    with clinic.client(username) as staff, pytest.raises(AnswersRefused) as caught:
        staff.add_entry(body)
    return caught.value


def test_a_paper_form_lands_in_the_queue_marked_paper_with_who_entered_it(
    clinic: EntryClinic,
) -> None:
    body = entry()
    with clinic.client("linkworker") as staff:
        stored = staff.add_entry(body)
        queue = staff.queue()
        day = staff.clinic_day()
        summary = staff.summary(stored["submission_id"])
    assert stored["submission_id"] == body["entry_id"]
    assert (stored["route"], stored["entered_by"], stored["repeat"]) == (
        "paper",
        "linkworker",
        False,
    )
    # Scored by the clinic's engine exactly as a tablet's: the urgent flag, the urgency.
    assert "feel_unsafe" in [f["id"] for f in stored["flags"]]
    assert stored["urgency_label"] == "Urgent"
    [item] = [i for i in queue["items"] if i["submission_id"] == body["entry_id"]]
    assert item["urgency_label"] == "Urgent"
    assert item["clinic"] == HEART
    assert summary["clinic"] == HEART
    assert (summary["route"], summary["entered_by"]) == ("paper", "linkworker")
    paula = next(a for a in day["appointments"] if a["appointment_id"] == "E-1")
    assert (paula["stage"], paula["route"]) == ("finished", "paper")
    assert day["routes"]["paper"] == 1
    with clinic.service.transaction() as db:
        row = db.get(Submission, body["entry_id"])
        assert (row.route, row.entered_by, row.device_id) == ("paper", "linkworker", "console")
        assert row.patient_key is not None  # linked to Paula by her NHS number


def test_completed_with_the_patient_is_stored_as_assisted(clinic: EntryClinic) -> None:
    with clinic.client("clinician") as staff:
        stored = staff.add_entry(entry(route="assisted", appointment_id="E-2"))
        day = staff.clinic_day()
    assert (stored["route"], stored["entered_by"]) == ("assisted", "clinician")
    alan = next(a for a in day["appointments"] if a["appointment_id"] == "E-2")
    assert (alan["stage"], alan["route"]) == ("finished", "assisted")


def test_the_same_entry_saved_twice_is_stored_once(clinic: EntryClinic) -> None:
    body = entry()
    with clinic.client("clinician") as staff:
        first = staff.add_entry(body)
        again = staff.add_entry(body)
        queue = staff.queue()
    assert again["repeat"] is True and first["repeat"] is False
    assert again["submission_id"] == first["submission_id"]
    assert [i["submission_id"] for i in queue["items"]] == [body["entry_id"]]
    with clinic.service.transaction() as db:
        assert len(db.scalars(select(Submission)).all()) == 1


def test_an_entry_id_is_not_anothers_to_reuse(clinic: EntryClinic) -> None:
    body = entry()
    with clinic.client("clinician") as staff:
        staff.add_entry(body)
    with clinic.client("linkworker") as staff, pytest.raises(BadRequest) as caught:
        staff.add_entry(body)
    assert caught.value.code == "entry_id_used"


def test_each_kind_of_bad_answer_is_named_by_form_and_item(clinic: EntryClinic) -> None:
    body = entry()
    body["answers"]["social_welfare"]["feel_unsafe"] = "sometimes"  # not an option
    body["answers"]["ons4"]["anxiety"] = 11  # out of range
    body["answers"]["ons4"]["happiness"] = "four"  # not a number
    body["answers"]["about_you"]["year_of_birth"] = "1800"  # out of range
    body["answers"]["about_you"]["shoe_size"] = 9  # no such item
    body["answers"]["pets"] = {"dog": "yes"}  # no such form in the pathway
    problem = refused(clinic, "clinician", body)
    named = {(p["form"], p["item"]) for p in problem.problems}
    assert named == {
        ("social_welfare", "feel_unsafe"),
        ("ons4", "anxiety"),
        ("ons4", "happiness"),
        ("about_you", "year_of_birth"),
        ("about_you", "shoe_size"),
        ("pets", None),
    }
    assert problem.code == "bad_answer"
    assert "item 'anxiety'" in str(problem)
    with clinic.service.transaction() as db:
        assert db.scalars(select(Submission)).all() == []


def test_an_answer_skip_logic_does_not_ask_is_refused(clinic: EntryClinic) -> None:
    body = entry()
    # wants_help is asked only when another answer raised a flag: none here.
    body["answers"]["social_welfare"].update(feel_unsafe="no", ends_meet="no")
    problem = refused(clinic, "clinician", body)
    assert [(p["form"], p["item"], p["code"]) for p in problem.problems] == [
        ("social_welfare", "wants_help", "disabled")
    ]


@pytest.mark.control("H-04-C6")
def test_a_patient_is_named_by_a_valid_nhs_number_only(clinic: EntryClinic) -> None:
    bad = NHS_NUMBER[:-1] + str((int(NHS_NUMBER[-1]) + 1) % 10)  # wrong check digit
    with clinic.client("reception") as staff:
        with pytest.raises(BadRequest) as caught:
            staff.add_entry(entry(appointment_id=None, nhs_number=bad))
        assert caught.value.code == "bad_nhs_number"
        stored = staff.add_entry(entry(appointment_id=None, nhs_number="943 476 5919"))
        day = staff.clinic_day()
    # The number matched Paula's appointment on today's list: linked to it.
    paula = next(a for a in day["appointments"] if a["appointment_id"] == "E-1")
    assert paula["submission_ids"] == [stored["submission_id"]]


@pytest.mark.control("H-04-C6")
def test_an_appointment_that_is_not_on_the_list_is_refused(clinic: EntryClinic) -> None:
    with clinic.client("clinician") as staff, pytest.raises(BadRequest) as caught:
        staff.add_entry(entry(appointment_id="E-99"))
    assert caught.value.code == "unknown_appointment"


def test_a_receptionist_keys_in_without_seeing_flags(clinic: EntryClinic) -> None:
    with clinic.client("reception") as staff:
        stored = staff.add_entry(entry())
    assert stored["entered_by"] == "reception"
    assert stored["flags"] is None and stored["urgency"] is None


@pytest.mark.control("H-04-C6")
def test_a_member_kept_to_one_clinic_keys_in_only_for_it(clinic: EntryClinic) -> None:
    with clinic.client(SCOPED) as staff:
        with pytest.raises(BadRequest) as caught:
            staff.add_entry(entry(appointment_id="E-1"))  # the heart clinic's
        assert caught.value.code == "unknown_appointment"
        stored = staff.add_entry(entry(appointment_id="E-3", pathway="cardiology"))
    with clinic.service.transaction() as db:
        assert db.get(Submission, stored["submission_id"]).clinic == RENAL


def test_an_administrator_may_not_key_in(clinic: EntryClinic) -> None:
    with clinic.client("admin") as staff:
        with pytest.raises(Forbidden):
            staff.add_entry(entry())
        with pytest.raises(Forbidden):
            staff.entry_forms()


def test_hostile_text_is_kept_as_typed_and_never_audited(clinic: EntryClinic) -> None:
    hostile = "'); DROP TABLE submissions; -- <script>alert(1)</script> ‮"
    body = entry()
    body["answers"]["what_matters"]["main_concern"] = hostile
    with clinic.client("clinician") as staff:
        stored = staff.add_entry(body)
        summary = staff.summary(stored["submission_id"])
    shown = str(summary)
    assert "DROP TABLE submissions" in shown and "<script>" in shown
    with clinic.service.transaction() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "entry")).all()
    assert [(r.actor, r.outcome) for r in rows] == [("user:clinician", "ok: paper")]
    assert all("DROP" not in f"{r.target}{r.detail}" for r in rows)
    assert all("Paula" not in f"{r.target}{r.detail}" for r in rows)


def test_a_paper_form_filled_in_days_ago_is_filed_on_that_day(clinic: EntryClinic) -> None:
    filled = dt.date.today() - dt.timedelta(days=3)
    with clinic.client("clinician") as staff:
        stored = staff.add_entry(entry(appointment_id=None, filled_on=filled.isoformat()))
        with pytest.raises(BadRequest):
            staff.add_entry(entry(filled_on=(dt.date.today() + dt.timedelta(days=1)).isoformat()))
        queue = staff.queue(filled)
    assert [i["submission_id"] for i in queue["items"]] == [stored["submission_id"]]


def test_the_forms_to_key_in_carry_the_codes_the_paper_prints(clinic: EntryClinic) -> None:
    with clinic.client("reception") as staff:
        offered = staff.entry_forms()
    cardiology = next(p for p in offered["pathways"] if p["id"] == "cardiology")
    assert cardiology["forms"] == ["what_matters", "social_welfare", "ons4", "about_you"]
    assert cardiology["languages"][0] == "en" and "cy" in cardiology["languages"]
    about_you = offered["forms"]["about_you"]
    form = form_from_text(about_you["text"], "about_you")
    assert form.hash == about_you["hash"]
    ethnicity = next(i for i in about_you["items"] if i["id"] == "ethnicity")
    assert ethnicity["codes"] == list(option_codes(form.items["ethnicity"]))
