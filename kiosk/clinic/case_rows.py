"""A submission's stored rows as staff see them, opened where sealed: its triage, its
referrals and its responses (for the queue's casework, the summary and the edits).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.clinic.models import Referral, Response, Triage
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.summary import StoredResponse
from kiosk.vocabulary import NEW


def _opened(plumbing: Plumbing, sealed: bytes | None, context: str) -> Any:
    return None if sealed is None else plumbing.secrets.open(sealed, context)


def triage_json(plumbing: Plumbing, row: Triage | None, sid: str) -> dict[str, Any]:
    """A submission's triage as staff see it (a missing row is a new one)."""
    if row is None:
        return {
            "status": NEW,
            "owner": None,
            "notes": "",
            "version": 0,
            "updated_at": None,
            "updated_by": None,
        }
    return {
        "status": row.status,
        "owner": row.owner,
        "notes": _opened(plumbing, row.notes, f"triage/{sid}/notes") or "",
        "version": row.version,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
    }


def referral_json(plumbing: Plumbing, row: Referral) -> dict[str, Any]:
    """One referral as staff see it."""
    return {
        "id": row.id,
        "submission_id": row.submission_id,
        "kind": row.kind,
        "referred_on": row.referred_on,
        "outcome": row.outcome,
        "outcome_on": row.outcome_on,
        "notes": _opened(plumbing, row.notes, f"referrals/{row.id}/notes") or "",
        "version": row.version,
        "created_by": row.created_by,
    }


def stored_responses(plumbing: Plumbing, db: Session, sid: str) -> list[StoredResponse]:
    """A submission's responses, their answers opened, in the order they were stored."""
    out = []
    for row in db.scalars(
        select(Response).where(Response.submission_id == sid).order_by(Response.id)
    ):
        answers = _opened(plumbing, row.answers, f"responses/{sid}/{row.form_id}")
        out.append(
            StoredResponse(
                form_id=row.form_id,
                form_version=row.form_version,
                form_hash=row.form_hash,
                known=row.form_known,
                scores=json.loads(row.scores),
                bands=json.loads(row.bands),
                answers=answers if isinstance(answers, dict) else {},
            )
        )
    return out
