"""Clinic scoping: the submissions a staff member may see.

A user may be limited to some clinics (``users.clinics``, a JSON list of clinic
names as the clinic list spells them; NULL: every clinic). Every read of patient
data (queue, summary, history, flags, exports) adds :func:`visible` to its query,
and every route that names one submission takes it through :func:`submission`,
so the rule lives here once.

- An unscoped member (``clinics is None``) sees every submission, as before.
- A scoped member sees only submissions whose clinic is one of theirs. A
  submission with no clinic (anonymous, or not matched to the clinic list) is
  seen by unscoped members only: nothing says which clinic it belongs to.
- A voided submission (entered in error) is in no list, history or export
  (:func:`live`, part of :func:`within`); only its own summary opens, for audit.
- Another clinic's submission answers exactly as a missing one (``NotFound``,
  the same words), so nothing leaks; the refusal is audited as ``out_of_scope``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.orm import Session

from kiosk.clinic.errors import Invalid, NotFound, Refusal
from kiosk.clinic.models import Submission, User
from kiosk.clinic.plumbing import Core, now_text
from kiosk.clinic.sessions import end_sessions

if TYPE_CHECKING:
    from kiosk.clinic.members import StaffMember

MAX_CLINIC_NAME = 80  # Submission.clinic's length
OUT_OF_SCOPE = "out_of_scope"  # the audit outcome of a refused request for another clinic

Clinics = tuple[str, ...] | None


def stored(clinics: Clinics) -> str | None:
    """The ``users.clinics`` column for a list of clinics (None: every clinic)."""
    return None if clinics is None else json.dumps(sorted(set(clinics)))


def live() -> ColumnElement[bool]:
    """The SQL condition for a submission that has not been voided as entered in error.
    A voided one is kept (nothing is deleted) and its own summary still opens through
    :func:`submission`, but no list, history, count or export shows it."""
    return Submission.voided_at.is_(None)


def within(clinics: Clinics) -> ColumnElement[bool]:
    """The SQL condition on a submission for a list of clinics: of one of them, and
    not voided (:func:`live`: every read that adds this leaves voided ones out)."""
    if clinics is None:
        return live()
    if not clinics:
        return false()
    # NULL (no clinic) is never in the list
    return and_(live(), Submission.clinic.in_(clinics))


def visible(member: StaffMember) -> ColumnElement[bool]:
    """The SQL condition for the submissions ``member`` may see: add it to every query."""
    return within(member.clinics)


def sees(member: StaffMember, clinic: str | None) -> bool:
    """Whether ``member`` may see a submission of ``clinic`` (the same rule as visible)."""
    return member.clinics is None or (clinic is not None and clinic in member.clinics)


def describe(clinics: Clinics) -> str:
    """Plain words for an audit detail."""
    if clinics is None:
        return "every clinic"
    return "only " + (", ".join(sorted(clinics)) if clinics else "no clinic")


class OutOfScope(NotFound):
    """Another clinic's submission: answered exactly as a missing one (``not_found``,
    the same words), audited as ``out_of_scope``."""

    audit_outcome = OUT_OF_SCOPE

    def __init__(self, missing: str) -> None:
        super().__init__(missing)


def submission(db: Session, member: StaffMember, sid: str, missing: str) -> Submission:
    """The submission ``sid`` if ``member`` may see it; otherwise ``NotFound`` with
    the words ``missing``, alike for a missing id (``NotFound``) and another clinic's
    (``OutOfScope``)."""
    row = db.scalar(select(Submission).where(Submission.id == sid))
    if row is None:
        raise NotFound(missing)
    if not sees(member, row.clinic):
        raise OutOfScope(missing)
    return row


def check_clinics(clinics: object) -> Clinics:
    """A list of clinic names as sent (None: every clinic), or ``Invalid``."""
    if clinics is None:
        return None
    if not isinstance(clinics, list | tuple) or not all(isinstance(n, str) for n in clinics):
        raise Invalid("clinics is a list of clinic names, or null for all")
    names = tuple(sorted({n.strip() for n in clinics}))
    if not names:
        raise Invalid(
            "name at least one clinic, or send null to let the user see every clinic",
        )
    if any(not n or not n.isprintable() for n in names):
        raise Invalid("a clinic name cannot be blank or hold control characters")
    if any(len(n) > MAX_CLINIC_NAME for n in names):
        raise Invalid(f"a clinic name is at most {MAX_CLINIC_NAME} characters")
    return names


def set_clinics(
    service: Core,
    username: str,
    clinics: object,
    actor: str,
    remote: str | None = None,
) -> Clinics:
    """Limit ``username`` to ``clinics`` (None: every clinic) and end all their
    sessions, so the new scope applies from their next sign-in. Audited as
    ``user_clinics_changed``, refusals too (an unknown user, a bad list)."""
    target = username[:64]
    try:
        names = check_clinics(clinics)
        with service.transaction() as db:
            user = db.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"There is no staff user called {target}.")
            user.clinics = stored(names)
            ended = end_sessions(db, user.id, "clinics_changed", now_text())
            service.audit(
                db,
                actor,
                "user_clinics_changed",
                "ok",
                target=target,
                remote=remote,
                detail=f"{describe(names)}; {ended} sessions ended",
            )
    except Refusal as refusal:
        service.audit_now(actor, "user_clinics_changed", refusal.code, target=target, remote=remote)
        raise
    return names
