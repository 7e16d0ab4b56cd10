"""Staff sessions on the server: what makes a token stop working before it expires.

A token names its session and the session's token serial. Signing out, an
administrator disabling the user, changing their role or clinics, or resetting
their password ends the session (or every session of that user) here, at once,
on every service process sharing the database.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from kiosk.clinic.models import StaffSession

SESSIONS_KEPT_S = 30 * 24 * 3600
"""A session's row is kept for 30 days after its absolute end (for investigating an
account), then forgotten the next time that user signs in; the audit log keeps every
sign-in and sign-out for as long as the clinic keeps its audit."""


def end_sessions(db: Session, user_id: int, reason: str, at: str) -> int:
    """End every open session of ``user_id`` (``reason`` as in StaffSession.ended_reason);
    how many were open."""
    result = db.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=at, ended_reason=reason[:40])
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_other_sessions(
    db: Session, user_id: int, keep_session_id: str, reason: str, at: str
) -> int:
    """End every open session of ``user_id`` but ``keep_session_id`` (the one making the
    change: a user who changes their own password stays signed in there); how many."""
    result = db.execute(
        update(StaffSession)
        .where(
            StaffSession.user_id == user_id,
            StaffSession.ended_at.is_(None),
            StaffSession.id != keep_session_id,
        )
        .values(ended_at=at, ended_reason=reason[:40])
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_old_sessions(db: Session, user_id: int, now: float) -> int:
    """Forget ``user_id``'s sessions that ended more than SESSIONS_KEPT_S ago (every
    session has ended by its ``ends_at``, open or not); how many were forgotten."""
    result = db.execute(
        delete(StaffSession).where(
            StaffSession.user_id == user_id, StaffSession.ends_at < now - SESSIONS_KEPT_S
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
