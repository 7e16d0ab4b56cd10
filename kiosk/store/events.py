"""The tablet's local, append-only event log. It never holds patient data.

Only a fixed set of event kinds is accepted, and details are limited to
counts, reasons and statuses, so nothing a patient typed can reach it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store.models import EventRow

KINDS = frozenset(
    {
        "store_opened",
        "session_started",
        "session_submitted",
        "session_abandoned",
        "session_timed_out",
        "session_recovered",
        "submission_synced",
        "record_quarantined",
        "staff_unlock",
        "staff_pin_failed",
        "staff_pin_locked",
        "staff_pin_changed",
        "clinic_list_saved",
        "clinic_lists_purged",
        "patient_linked",
        "check_in_failed",
        "check_in_missed",
    }
)
DETAIL_KEYS = frozenset(
    {"records", "bytes", "reason", "status", "count", "seconds", "schema", "day", "method"}
)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def append_event(
    db: Session, kind: str, submission_id: str | None = None, **detail: str | int | float
) -> None:
    """Add an event in the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    unknown = set(detail) - DETAIL_KEYS
    if unknown:
        raise ValueError(f"event details may not include {sorted(unknown)}")
    for value in detail.values():
        if isinstance(value, str) and len(value) > 60:
            raise ValueError("event details are short codes, never free text")
    db.add(
        EventRow(
            at=now(),
            kind=kind,
            submission_id=submission_id,
            detail=json.dumps(detail, sort_keys=True),
        )
    )


def read_events(db: Session, kind: str | None = None) -> list[dict[str, Any]]:
    query = select(EventRow).order_by(EventRow.id)
    if kind is not None:
        query = query.where(EventRow.kind == kind)
    return [
        {"at": e.at, "kind": e.kind, "submission_id": e.submission_id, **json.loads(e.detail)}
        for e in db.scalars(query)
    ]
