"""Putting a wrong link right over real HTTPS, on SQLite and PostgreSQL, against a
clinic seeded through the real tablet path: re-link, unlink and void, each with a
reason and from the version staff read; who may; clinic scope; the history in the
summary; a voided submission gone from the queue, flags, history, exports and the
board report while nothing is deleted; audit rows with ids and codes only."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.cli.demo_patients import DEMO_PATIENTS
from kiosk.clinic.members import StaffMember
from kiosk.clinic.models import AuditEntry, Flag, LinkChange, Response, Submission
from kiosk.clinic.scope import set_clinics
from kiosk.console.client import BadRequest, EditConflict, Forbidden, NotFound, SessionExpired
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.clinic]
REASON = "Jo Test picked the wrong appointment at check-in; confirmed with her at the desk"
PURPOSE = "Checking voided submissions leave the exports"


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any], database_url: str) -> Any:
    """A seeded clinic (tests/conftest.py) on SQLite, then on a real PostgreSQL."""
    return make_staff_clinic(database_url)


def rows_of(clinic: Any, model: Any) -> int:
    with clinic.service.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_relink_moves_the_answers_and_the_history_to_the_right_patient(clinic: Any) -> None:
    ids = clinic.ids
    with clinic.client("clinician") as staff:
        before = staff.summary(ids["routine"])
        assert before["patient"]["name"] == "Jo Test"
        assert (before["link_version"], before["link_history"], before["voided"]) == (0, [], None)
        # Sam Sample (DEMO-2) came once; these answers were really theirs too.
        assert [h["submission_id"] for h in staff.summary(ids["wants_help"])["history"]] == [
            ids["wants_help"]
        ]
        state = staff.correct_link(ids["routine"], "relink", 0, REASON, appointment_id="DEMO-2")
        assert state["patient"]["name"] == "Sam Sample"
        after = staff.summary(ids["routine"])
        theirs = staff.summary(ids["wants_help"])
        queue = staff.queue()
        day = staff.clinic_day()
    assert after["patient"] == {
        "name": "Sam Sample",
        "birth_date": "1971-12-24",
        "nhs_number": "9990000026",
        "hospital_number": "DEMO-0002",
    }
    assert (after["clinic"], after["appointment_time"]) == ("Heart clinic", "10:00")
    assert after["link_version"] == 1
    [change] = after["link_history"]
    assert (change["action"], change["by"], change["reason"]) == ("relink", "clinician", REASON)
    assert change["before"]["patient"]["name"] == "Jo Test"
    assert change["before"]["appointment_time"] == "10:30"
    assert change["after"]["patient"]["name"] == "Sam Sample"
    assert change["after"]["appointment_time"] == "10:00"
    # Sam's history now holds both visits; the queue names Sam for both.
    assert sorted(h["submission_id"] for h in theirs["history"]) == sorted(
        [ids["routine"], ids["wants_help"]]
    )
    named = {i["submission_id"]: i["patient"] for i in queue["items"]}
    assert named[ids["routine"]]["name"] == "Sam Sample"
    # The clinic day shows the answers under Sam's appointment, no longer under Jo's.
    answered = {a["name"]: a["submission_ids"] for a in day["appointments"]}
    assert ids["routine"] in answered["Sam Sample"]
    assert ids["routine"] not in answered["Jo Test"]


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_relink_by_nhs_or_hospital_number_and_unlink(clinic: Any) -> None:
    ids = clinic.ids
    with clinic.client("linkworker") as staff:
        # A patient on the day's list, found by NHS number (spaces as people type it).
        state = staff.correct_link(ids["anonymous"], "relink", 0, "named at the desk",
                                   nhs_number="943 476 5919")  # fmt: skip
        assert state["patient"]["name"] == "Pat Placeholder"
        assert (state["clinic"], state["appointment_time"]) == ("Renal clinic", "11:00")
        # By hospital number, any case.
        state = staff.correct_link(ids["anonymous"], "relink", 1, "wrong Pat",
                                   hospital_number="demo-0003")  # fmt: skip
        assert state["patient"]["name"] == "Jo Test"
        # A patient not on the day's list: linked by the number alone.
        state = staff.correct_link(ids["anonymous"], "relink", 2, "not on today's list",
                                   nhs_number="4010232137")  # fmt: skip
        assert state["patient"] == {
            "name": None,
            "birth_date": None,
            "nhs_number": "4010232137",
            "hospital_number": None,
        }
        # Unlinked: anonymous again, the clinic it was answered at kept.
        state = staff.correct_link(ids["urgent"], "unlink", 0, "not this patient's answers")
        assert state["patient"] is None
        assert (state["clinic"], state["appointment_time"]) == ("Heart clinic", None)
        summary = staff.summary(ids["urgent"])
        assert summary["patient"] is None
        [change] = summary["link_history"]
        assert change["action"] == "unlink" and change["after"]["patient"] is None
        assert change["before"]["patient"]["name"] == "Alex Example"
        with pytest.raises(BadRequest) as unchanged:
            staff.correct_link(ids["urgent"], "unlink", 1, "again")
        assert unchanged.value.code == "unchanged"
    with clinic.service.transaction() as db:
        row = db.get(Submission, ids["urgent"])
        assert (row.patient_key, row.appointment_key, row.link_method) == (
            None,
            None,
            "anonymous",
        )
        relinked = db.get(Submission, ids["anonymous"])
        assert relinked.patient_key == clinic.service.secrets.patient_key("nhs", "4010232137")


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_mistakes_in_a_correction_are_refused_in_plain_words(clinic: Any) -> None:
    sid = clinic.ids["routine"]
    with clinic.client("clinician") as staff:
        cases = [
            ({"action": "relink", "reason": "  ", "appointment_id": "DEMO-2"}, "reason_needed"),
            ({"action": "relink", "reason": "x" * 501, "appointment_id": "DEMO-2"}, "bad_value"),
            ({"action": "relink", "reason": "r", "appointment_id": "DEMO-99"},
             "unknown_appointment"),
            ({"action": "relink", "reason": "r", "nhs_number": "9990000019"}, "bad_nhs_number"),
            ({"action": "relink", "reason": "r", "hospital_number": "a b"},
             "bad_hospital_number"),
            ({"action": "relink", "reason": "r"}, "patient_needed"),
            ({"action": "unlink", "reason": "r", "nhs_number": "9434765919"}, "bad_value"),
            ({"action": "merge", "reason": "r"}, "bad_value"),
        ]  # fmt: skip
        for body, code in cases:
            sent = {"version": 0, **body}
            action, reason = sent.pop("action"), sent.pop("reason")
            with pytest.raises(BadRequest) as refused:
                staff.correct_link(sid, action, sent.pop("version"), reason, **sent)
            assert refused.value.code == code, body
        with pytest.raises(BadRequest, match="not a valid NHS number"):
            staff.correct_link(sid, "relink", 0, "r", nhs_number="9990000019")
        with pytest.raises(NotFound):
            staff.correct_link("no-such-submission", "void", 0, "r")
        # Nothing changed.
        assert staff.summary(sid)["link_version"] == 0
    assert rows_of(clinic, LinkChange) == 0


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_a_stale_version_is_refused_with_the_current_state(clinic: Any) -> None:
    sid = clinic.ids["routine"]
    with clinic.client("clinician") as first, clinic.client("linkworker") as second:
        version = first.summary(sid)["link_version"]
        assert second.summary(sid)["link_version"] == version
        first.correct_link(sid, "relink", version, "right patient", appointment_id="DEMO-2")
        with pytest.raises(EditConflict) as stale:
            second.correct_link(sid, "unlink", version, "should be anonymous")
    current = stale.value.current
    assert current["link_version"] == 1 and current["patient"]["name"] == "Sam Sample"
    assert [c["action"] for c in current["link_history"]] == ["relink"]


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_two_at_once_from_one_version_one_wins(clinic: Any) -> None:
    """Two staff at the same moment from version 0: exactly one correction is stored,
    the other is refused with what the first saved (no lost update)."""
    sid = clinic.ids["routine"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def correct(username: str, appointment: str) -> None:
        with clinic.client(username) as staff:
            barrier.wait()
            try:
                staff.correct_link(sid, "relink", 0, "at once", appointment_id=appointment)
                outcomes.append("saved")
            except EditConflict:
                outcomes.append("conflict")

    threads = [
        threading.Thread(target=correct, args=("clinician", "DEMO-2")),
        threading.Thread(target=correct, args=("linkworker", "DEMO-1")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert rows_of(clinic, LinkChange) == 1


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_who_may_correct_and_clinic_scope(clinic: Any) -> None:
    ids = clinic.ids
    with clinic.client("reception") as desk:
        # Reception links at the desk: they may re-link and unlink, not void.
        state = desk.correct_link(ids["routine"], "relink", 0, "desk", appointment_id="DEMO-2")
        assert state["link_version"] == 1
        with pytest.raises(Forbidden, match="void"):
            desk.correct_link(ids["routine"], "void", 1, "entered in error")
    with clinic.client("admin") as admin, pytest.raises(Forbidden):
        admin.correct_link(ids["routine"], "void", 1, "entered in error")
    service = clinic.service
    service.staff.add("renal", "clinician", STAFF_PASSWORD, "user:setup")
    set_clinics(service, "renal", ["Renal clinic"], "user:setup")
    with clinic.client("renal") as renal:
        # Another clinic's submission answers as a missing one.
        with pytest.raises(NotFound):
            renal.correct_link(ids["routine"], "void", 1, "entered in error")
        # Nor may another clinic's appointment be named (nor its name learnt).
        with pytest.raises(BadRequest) as other:
            renal.correct_link(ids["no_flags"], "relink", 0, "r", appointment_id="DEMO-1")
        assert other.value.code == "unknown_appointment"
        state = renal.correct_link(ids["no_flags"], "relink", 0, "r", nhs_number="9990000018")
        assert state["patient"]["name"] is None  # the number alone: no name from Heart clinic
        assert state["clinic"] == "Renal clinic"
    with service.transaction() as db:
        refused = set(
            db.execute(
                select(AuditEntry.actor, AuditEntry.outcome).where(
                    AuditEntry.action == "link_correction"
                )
            )
        )
    assert {
        ("user:reception", "ok: relink"),
        ("user:reception", "forbidden"),
        ("user:renal", "out_of_scope"),
        ("user:renal", "unknown_appointment"),
        ("user:renal", "ok: relink"),
    } <= refused


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_a_voided_submission_leaves_every_list_export_and_report(
    clinic: Any, tmp_path: Path
) -> None:
    ids = clinic.ids
    extra = dataclasses.replace(DEMO_PATIENTS[3], key="no_flags_again")
    clinic.send(extra)  # eight visits: the board report's "started" is 10, not "*"
    month = dt.date.today().isoformat()[:7]
    clinician = StaffMember("clinician", "clinician")

    def exports(tag: str) -> tuple[list[dict[str, str]], str, dict[str, str]]:
        with clinic.client("admin") as admin:
            admin.export_anonymised(tmp_path / f"{tag}.csv", "void-check", PURPOSE)
            admin.export_appointments(tmp_path / f"{tag}-appointments.csv")
            admin.export_fhir(tmp_path / f"{tag}.json", "void-check", PURPOSE, identified=True)
            admin.board_report(tmp_path / f"{tag}-board.csv", "void-check", month, month,
                               kind="csv")  # fmt: skip
        with (tmp_path / f"{tag}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with (tmp_path / f"{tag}-board.csv").open(encoding="utf-8", newline="") as handle:
            board = {
                r["measure"]: r["value"]
                for r in csv.DictReader(handle)
                if (r["section"], r["group_by"], r["statistic"]) == ("funnel", "all", "count")
            }
        return rows, (tmp_path / f"{tag}.json").read_text(encoding="utf-8"), board

    rows, bundle, board = exports("before")
    assert len(rows) == 8 and board["started"] == "10"
    assert "9990000018" in bundle  # the urgent patient's NHS number (identified bundle)
    submissions, responses, flags = (
        rows_of(clinic, Submission),
        rows_of(clinic, Response),
        rows_of(clinic, Flag),
    )

    def answered_today() -> set[str]:
        with clinic.client("clinician") as staff:
            day = staff.clinic_day()
        return {s for a in day["appointments"] for s in a["submission_ids"]} | {
            s for a in day["not_on_list"] for s in a["submission_ids"]
        }

    assert ids["urgent"] in answered_today()
    with clinic.client("clinician") as staff:
        assert staff.summary(ids["pain_followup"])["change"]  # change from the baseline
        staff.correct_link(ids["urgent"], "void", 0, "answers entered on the wrong tablet")
        staff.correct_link(ids["pain_baseline"], "void", 0, "a test visit by staff")
        queue = staff.queue()
        voided = staff.summary(ids["urgent"])
        follow_up = staff.summary(ids["pain_followup"])
        with pytest.raises(BadRequest) as final:
            staff.correct_link(ids["urgent"], "relink", 1, "undo", appointment_id="DEMO-1")
    # The queue and its counts: the urgent patient is gone (nobody urgent now).
    listed = {i["submission_id"] for i in queue["items"]}
    assert ids["urgent"] not in listed and ids["pain_baseline"] not in listed
    assert queue["counts"]["total"] == 6 and queue["counts"]["urgent"] == 0
    # Open flags.
    flagged = {f["submission_id"] for f in clinic.service.open_flags(clinician, None)}
    assert ids["urgent"] not in flagged and ids["routine"] in flagged
    # The patient's history and change over time no longer count the voided baseline.
    assert [h["submission_id"] for h in follow_up["history"]] == [ids["pain_followup"]]
    assert follow_up["change"] == []  # one visit left: no change to show
    # Voiding is final, and said so.
    assert final.value.code == "voided" and "final" in str(final.value)
    # The voided submission's own summary still opens and says who, when and why.
    assert voided["voided"]["by"] == "clinician"
    assert voided["voided"]["reason"] == "answers entered on the wrong tablet"
    assert voided["voided"]["at"][:10] == dt.date.today().isoformat()
    assert voided["flags"] and [h["submission_id"] for h in voided["history"]] == [ids["urgent"]]
    # Exports and the board report.
    rows, bundle, board = exports("after")
    assert len(rows) == 6 and board["started"] == "*"  # 6: suppressed as a small number
    assert "9990000018" not in bundle
    assert json.loads(bundle)["resourceType"] == "Bundle"
    # The appointments themselves were booked: the appointments export counts them still.
    assert (tmp_path / "after-appointments.csv").read_text(encoding="utf-8") == (
        tmp_path / "before-appointments.csv"
    ).read_text(encoding="utf-8")
    # The clinic day: the voided answers are under no appointment and not "not on the list".
    answered = answered_today()
    assert ids["urgent"] not in answered and ids["pain_baseline"] not in answered
    assert ids["routine"] in answered
    # Nothing deleted.
    assert (rows_of(clinic, Submission), rows_of(clinic, Response), rows_of(clinic, Flag)) == (
        submissions,
        responses,
        flags,
    )


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_the_audit_holds_ids_and_codes_never_names_or_reasons(clinic: Any) -> None:
    ids = clinic.ids
    with clinic.client("clinician") as staff:
        staff.correct_link(ids["routine"], "relink", 0, REASON, appointment_id="DEMO-2")
        staff.correct_link(ids["routine"], "unlink", 1, REASON)
        staff.correct_link(ids["routine"], "void", 2, REASON)
        with pytest.raises(EditConflict):
            staff.correct_link(ids["wants_help"], "void", 5, REASON)
    with clinic.service.transaction() as db:
        audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "link_correction")).all()
        kept = db.scalars(select(LinkChange).order_by(LinkChange.id)).all()
        assert [(c.action, c.by) for c in kept] == [
            ("relink", "clinician"),
            ("unlink", "clinician"),
            ("void", "clinician"),
        ]
        # The reason and the links are sealed in the database, never in clear.
        for change in kept:
            for part in (change.reason, change.before or b"", change.after or b""):
                assert b"Jo Test" not in part and b"9990000026" not in part
    assert [(a.outcome, a.target) for a in audit] == [
        ("ok: relink", ids["routine"]),
        ("ok: unlink", ids["routine"]),
        ("ok: void", ids["routine"]),
        ("conflict", ids["wants_help"]),
    ]
    words = " ".join(f"{a.target} {a.outcome} {a.detail}" for a in audit)
    for secret in ("Jo", "Test", "Sam", "Sample", "9990000026", "DEMO-2", "desk", "check-in"):
        assert secret not in words, secret


@pytest.mark.control("H-03-C8", "H-04-C5")
def test_a_leavers_session_corrects_nothing(clinic: Any) -> None:
    """A member of staff disabled (a leaver) mid-session: their next correction is refused
    and nothing is stored."""
    sid = clinic.ids["routine"]
    with clinic.client("linkworker") as staff:
        assert staff.summary(sid)["link_version"] == 0
        clinic.service.accounts.disable("linkworker", "user:admin")
        with pytest.raises(SessionExpired):
            staff.correct_link(sid, "unlink", 0, "not this patient's answers")
    assert rows_of(clinic, LinkChange) == 0
    with clinic.client("clinician") as staff:
        assert staff.summary(sid)["patient"]["name"] == "Jo Test"
