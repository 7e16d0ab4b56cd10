"""A compromised tablet sends free text full of invisible characters: the clinic keeps
and shows staff only the words, as the engine keeps them (real HTTPS, real sync)."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.journey import Journey

pytestmark = [pytest.mark.clinic, pytest.mark.security]
HOSTILE = "I feel \u202eemoh ta efasnu\u202c, call 943\u200b476\u200b5919\ufeff"


@pytest.mark.control("H-21-C2")
def test_invisible_characters_from_a_tablet_never_reach_staff(make_staff_clinic) -> None:
    clinic = make_staff_clinic(None)
    tablet = clinic.tablet
    journey = Journey(tablet.store, tablet.library, "cardiology", {})
    journey.link_patient({"method": "anonymous"})
    # As a tampered tablet would: sealed as typed, skipping the tablet's own cleaning.
    journey._live().answer("what_matters", "main_concern", HOSTILE)
    sid = journey.submit().submission_id
    report = tablet.syncer.sync_once()
    assert report.ok and report.acknowledged == 1, report

    with clinic.client("clinician") as staff:
        summary = staff.summary(sid)

    [answer] = [
        item
        for section in summary["forms"]
        for item in section["items"]
        if item["id"] == "main_concern"
    ]
    assert answer["answer"] == "I feel emoh ta efasnu, call 9434765919"
    shown = str(answer["answer"]) + str(answer["answer_text"])
    assert not any(unicodedata.category(ch) == "Cf" for ch in shown)
