"""The staff client's calls for staff work: the queue, the day's clinic list, a
submission's summary, triage and referrals, putting a link right, and answers keyed
in from paper or with the patient (docs/staff-api.md).

Each builds its route from :mod:`kiosk.vocabulary` and goes through the client's one
transport (``StaffClient._call``), where refusals become the console's known errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

# The same route names the clinic's staff router imports: both ends of the wire.
from kiosk.console.transport_stub import Transport
from kiosk.vocabulary import (
    CLINIC_DAY,
    ENTRIES,
    ENTRY_FORMS,
    QUEUE,
    REFERRAL,
    SUBMISSION,
    SUBMISSION_LINK,
    SUBMISSION_REFERRALS,
    SUBMISSION_TRIAGE,
)


class CaseworkCalls(Transport):
    """Mixed into :class:`kiosk.console.client.StaffClient`, which does the talking."""

    # ------------------------------------------------------------ staff work
    def queue(
        self,
        day: dt.date | None = None,
        *,
        clinic: str | None = None,
        status: str | None = None,
        flag: str | None = None,
    ) -> dict[str, Any]:
        params = {
            "day": day.isoformat() if day else None,
            "clinic": clinic,
            "status": status,
            "flag": flag,
        }
        return self._call("GET", QUEUE, params={k: v for k, v in params.items() if v})

    def clinic_day(self, day: dt.date | None = None) -> dict[str, Any]:
        """The day's whole clinic list (default today) with each appointment's stage."""
        params = {"day": day.isoformat()} if day else {}
        return self._call("GET", CLINIC_DAY, params=params)

    def summary(self, submission_id: str) -> dict[str, Any]:
        return self._call("GET", SUBMISSION.format(submission_id=submission_id))

    def save_triage(
        self, submission_id: str, version: int, status: str, owner: str | None, notes: str
    ) -> dict[str, Any]:
        return self._call(
            "PUT",
            SUBMISSION_TRIAGE.format(submission_id=submission_id),
            {"version": version, "status": status, "owner": owner, "notes": notes},
        )

    def add_referral(
        self, submission_id: str, kind: str, referred_on: dt.date, notes: str = ""
    ) -> dict[str, Any]:
        return self._call(
            "POST",
            SUBMISSION_REFERRALS.format(submission_id=submission_id),
            {"kind": kind, "referred_on": referred_on.isoformat(), "notes": notes},
        )

    def update_referral(
        self,
        referral_id: int,
        version: int,
        outcome: str,
        outcome_on: dt.date | None,
        notes: str = "",
    ) -> dict[str, Any]:
        return self._call(
            "PUT",
            REFERRAL.format(referral_id=referral_id),
            {
                "version": version,
                "outcome": outcome,
                "outcome_on": outcome_on.isoformat() if outcome_on else None,
                "notes": notes,
            },
        )

    # ------------------------------------------------------------ putting a link right
    def correct_link(
        self,
        submission_id: str,
        action: str,
        version: int,
        reason: str,
        *,
        appointment_id: str | None = None,
        nhs_number: str | None = None,
        hospital_number: str | None = None,
    ) -> dict[str, Any]:
        """Re-link (naming one of the three), unlink or void (vocabulary
        LINK_CORRECTIONS) from the summary's ``link_version``; the link state after."""
        return self._call(
            "POST",
            SUBMISSION_LINK.format(submission_id=submission_id),
            {
                "action": action,
                "version": version,
                "reason": reason,
                "appointment_id": appointment_id,
                "nhs_number": nhs_number,
                "hospital_number": hospital_number,
            },
        )

    # ------------------------------------------------------------ answers keyed in
    def entry_forms(self) -> dict[str, Any]:
        """The pathways staff may key in and their forms' files (docs/staff-api.md)."""
        return self._call("GET", ENTRY_FORMS)

    def add_entry(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        """Save a keyed-in pathway (the body of ``POST /entries``); what was stored.
        ``AnswersRefused`` names every answer the engine refused."""
        return self._call("POST", ENTRIES, dict(entry))
