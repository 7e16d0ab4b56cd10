"""A tablet whose scoring is wrong (a bug, an old copy, a compromised tablet) says a
patient raised no flag; the clinic re-scores the answers with its own engine, raises
the flag itself, records the disagreement and shows staff its own flag, over real
HTTPS, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.cli.demo_patients import DemoPatient
from kiosk.clinic.models import Response
from kiosk.store.session import SealedSession

pytestmark = [pytest.mark.clinic, pytest.mark.security]

QUIET_TABLET = DemoPatient(
    key="tablet_says_no_flag",
    pathway="cardiology",
    answers={
        "what_matters": {"main_concern": "Heating the flat this winter."},
        "social_welfare": {
            "ends_meet": "yes",  # the form flags this (routine) and ...
            "missed_meal": "no",
            "stable_housing": "yes",
            "support_network": "yes",
            "wants_help": "yes",  # ... this (high): the patient asked for help
        },
    },
)


def _without_flags(summary: dict[str, Any] | None) -> dict[str, Any]:
    """What a tablet that scores wrongly would seal: every form with no flag."""
    return {form_id: {**result, "flags": []} for form_id, result in (summary or {}).items()}


@pytest.mark.control("H-01-C3", "H-07-C2")
def test_the_clinic_raises_the_flag_the_tablet_left_out_and_staff_see_it(
    make_staff_clinic: Callable[..., Any],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clinic = make_staff_clinic(database_url)
    real_submit = SealedSession.submit

    def quiet_submit(self: SealedSession, summary: dict[str, Any] | None = None) -> str:
        return real_submit(self, _without_flags(summary))

    monkeypatch.setattr(SealedSession, "submit", quiet_submit)
    with caplog.at_level(logging.WARNING, logger="kiosk.clinic.service"):
        sid = clinic.send(QUIET_TABLET)[QUIET_TABLET.key]
    monkeypatch.undo()

    # The clinic's own scoring disagrees with the tablet's, and says so.
    with clinic.service.transaction() as db:
        agrees = {
            r.form_id: r.tablet_agrees
            for r in db.scalars(select(Response).where(Response.submission_id == sid))
        }
    assert agrees["social_welfare"] is False
    assert any(
        record.levelno == logging.WARNING
        and "tablet and clinic scores differ for social_welfare" in record.getMessage()
        for record in caplog.records
    ), [r.getMessage() for r in caplog.records]
    # No patient data in that warning: only the form and the submission id.
    assert not any("Heating" in record.getMessage() for record in caplog.records)

    # Staff see the clinic's flags, through the real HTTP queue and summary.
    with clinic.client("clinician") as staff:
        queue = staff.queue()
        summary = staff.summary(sid)
    [item] = [i for i in queue["items"] if i["submission_id"] == sid]
    assert {f["id"] for f in item["flags"]} == {"ends_meet", "wants_help"}
    assert item["urgency_label"] == "Wants help"  # straight after anyone feeling unsafe
    assert {f["id"] for f in summary["flags"]} == {"ends_meet", "wants_help"}
    assert all(f["reason"] and f["reason"] != f["id"] for f in summary["flags"])
