"""Staff accounts as an administrator manages them: list, add, disable, enable,
reset a password, change a role. Every change and every refusal is audited.

Disabling a user, changing their role or resetting their password ends all their
sessions in the same transaction (kiosk/clinic/sessions.py), so whatever token
they hold stops working at once, on every service process.

There is always an active administrator. Disabling or demoting one is a single
``UPDATE`` whose ``WHERE`` counts the active administrators (the target itself
must not be the last); on PostgreSQL the active administrators' rows are locked
first (``SELECT ... FOR UPDATE``), so two administrators disabling each other at
once are served one after the other and the second sees the first's change. On
SQLite the ``UPDATE`` is the transaction's first statement and takes the write
lock before it reads, which serialises the same way.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from kiosk.clinic.errors import Invalid, NotFound, Refusal, StateConflict
from kiosk.clinic.models import AppointmentCount, User
from kiosk.clinic.passwords import check_new_password
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.sessions import end_sessions
from kiosk.clinic.staff import _USERNAME, StaffAccounts
from kiosk.vocabulary import ACTIVE, ADMINISTRATOR, DISABLED, ROLES

log = logging.getLogger(__name__)

# A one-time password people can read out and type: no 0/o, 1/l/i; 16 of 31 letters
# and digits (79 bits), in groups of four.
_OTP_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
_OTP_GROUPS, _OTP_GROUP = 4, 4
MAX_CLINICS = 100
CLINIC_NAME_LENGTH = 80


def one_time_password() -> str:
    groups = (
        "".join(secrets.choice(_OTP_LETTERS) for _ in range(_OTP_GROUP)) for _ in range(_OTP_GROUPS)
    )
    return "-".join(groups)


def _clinics_of(user: User) -> list[str] | None:
    if user.clinics is None:
        return None
    try:
        names = json.loads(user.clinics)
    except ValueError:
        log.error("a user's clinic list is not JSON; shown as no clinics")
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


class Accounts:
    def __init__(self, plumbing: Plumbing, staff: StaffAccounts) -> None:
        self.plumbing = plumbing
        self.staff = staff

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _audited(self, actor: str, action: str, target: str, remote: str | None) -> Iterator[None]:
        """Audit a refusal raised inside (outcome: its error code), then let it go on."""
        try:
            yield
        except Refusal as refusal:
            self.plumbing.audit_now(actor, action, refusal.code, target=target[:64], remote=remote)
            raise

    def _user_id(self, db: Session, username: str) -> int:
        user_id = db.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            raise NotFound(f"There is no user {username[:64]}.")
        return int(user_id)

    def _lock_administrators(self, db: Session) -> None:
        """PostgreSQL: hold the active administrators' rows until this transaction ends.
        (SQLite's write lock, taken by the UPDATE that follows, already does this.)"""
        if db.get_bind().dialect.name != "sqlite":
            db.execute(
                select(User.id)
                .where(User.role == ADMINISTRATOR, User.disabled.is_(False))
                .with_for_update()
            ).all()

    @staticmethod
    def _not_the_last_administrator() -> Any:
        """A WHERE condition: the row is not an active administrator, or another is."""
        other = aliased(User)
        active = (
            select(func.count(other.id))
            .where(other.role == ADMINISTRATOR, other.disabled.is_(False))
            .scalar_subquery()
        )
        return or_(User.role != ADMINISTRATOR, User.disabled.is_(True), active > 1)

    def _changed_or_refused(self, db: Session, username: str, changed: Any) -> int:
        row = changed.first()
        if row is not None:
            return int(row[0])
        self._user_id(db, username)  # NotFound if there is no such user
        raise StateConflict(
            f"{username} is the only active administrator; make someone else an "
            "administrator first.",
            code="last_administrator",
        )

    def _clinic_names(self, db: Session) -> list[str]:
        return list(db.scalars(select(AppointmentCount.clinic).distinct().limit(1000)))

    def _check_password(self, db: Session, password: str, username: str) -> None:
        reason = check_new_password(password, username, clinic_names=self._clinic_names(db))
        if reason is not None:
            raise Invalid(reason, code="weak_password")

    # ------------------------------------------------------------ reads

    def list_users(self, actor: str, remote: str | None = None) -> list[dict[str, Any]]:
        now = self.plumbing.clock()
        with self.plumbing.transaction() as db:
            users = [
                {
                    "username": u.username,
                    "role": u.role,
                    "state": DISABLED if u.disabled else ACTIVE,
                    "must_change_password": bool(u.must_change_password),
                    "locked": u.locked_until > now,
                    "last_sign_in": u.last_sign_in_at,
                    "created_at": u.created_at,
                    "clinics": _clinics_of(u),
                }
                for u in db.scalars(select(User).order_by(User.username))
            ]
            self.plumbing.audit(
                db, actor, "read_users", "ok", target=f"{len(users)} users", remote=remote
            )
        return users

    # ------------------------------------------------------------ changes

    def add(
        self,
        username: str,
        role: str,
        password: str,
        actor: str,
        *,
        clinics: list[str] | None = None,
        remote: str | None = None,
    ) -> None:
        with self._audited(actor, "add_user", username, remote):
            if not _USERNAME.match(username):
                raise Invalid(
                    "A username is 2-64 lower-case letters, digits, . _ -", code="bad_username"
                )
            if role not in ROLES:
                raise Invalid(f"The role must be one of {', '.join(ROLES)}.", code="bad_role")
            if clinics is not None and (
                len(clinics) > MAX_CLINICS
                or any(not c.strip() or len(c) > CLINIC_NAME_LENGTH for c in clinics)
            ):
                raise Invalid(
                    f"Clinics are up to {MAX_CLINICS} names of 1-{CLINIC_NAME_LENGTH} "
                    "characters, or null for every clinic.",
                )
            staff = self.staff
            exists = StateConflict(f"There is already a user {username}.", code="user_exists")
            with self.plumbing.transaction() as db:
                self._check_password(db, password, username)
                if db.scalar(select(User.id).where(User.username == username)) is not None:
                    raise exists
            with staff.gate.turn():  # outside any transaction: hashing takes a while
                password_hash = staff.hasher.hash(password)
            try:
                with self.plumbing.transaction() as db:
                    db.add(
                        User(
                            username=username,
                            role=role,
                            password_hash=password_hash,
                            created_at=now_text(),
                            clinics=None if clinics is None else json.dumps(sorted(set(clinics))),
                        )
                    )
                    self.plumbing.audit(
                        db, actor, "add_user", "ok", target=f"{username} ({role})", remote=remote
                    )
            except IntegrityError:  # added by someone else meanwhile (the name is unique)
                raise exists from None

    def disable(self, username: str, actor: str, remote: str | None = None) -> None:
        with (
            self._audited(actor, "user_disabled", username, remote),
            self.plumbing.transaction() as db,
        ):
            self._lock_administrators(db)
            changed = db.execute(
                update(User)
                .where(User.username == username, self._not_the_last_administrator())
                .values(disabled=True)
                .returning(User.id)
                .execution_options(synchronize_session=False)
            )
            user_id = self._changed_or_refused(db, username, changed)
            ended = end_sessions(db, user_id, "disabled", now_text())
            self.plumbing.audit(
                db,
                actor,
                "user_disabled",
                "ok",
                target=username,
                remote=remote,
                detail=f"{ended} sessions ended",
            )

    def enable(self, username: str, actor: str, remote: str | None = None) -> None:
        with (
            self._audited(actor, "user_enabled", username, remote),
            self.plumbing.transaction() as db,
        ):
            changed = db.execute(
                update(User)
                .where(User.username == username)
                .values(disabled=False, failures=0, locked_until=0.0)
                .returning(User.id)
                .execution_options(synchronize_session=False)
            ).first()
            if changed is None:
                raise NotFound(f"There is no user {username[:64]}.")
            self.plumbing.audit(db, actor, "user_enabled", "ok", target=username, remote=remote)

    def set_role(self, username: str, role: str, actor: str, remote: str | None = None) -> None:
        with self._audited(actor, "role_changed", username, remote):
            if role not in ROLES:
                raise Invalid(f"The role must be one of {', '.join(ROLES)}.", code="bad_role")
            with self.plumbing.transaction() as db:
                if role != ADMINISTRATOR:
                    self._lock_administrators(db)
                keeps = self._not_the_last_administrator() if role != ADMINISTRATOR else true()
                changed = db.execute(
                    update(User)
                    .where(User.username == username, keeps)
                    .values(role=role)
                    .returning(User.id)
                    .execution_options(synchronize_session=False)
                )
                user_id = self._changed_or_refused(db, username, changed)
                ended = end_sessions(db, user_id, "role_changed", now_text())
                self.plumbing.audit(
                    db,
                    actor,
                    "role_changed",
                    f"ok: {role}",
                    target=username,
                    remote=remote,
                    detail=f"{ended} sessions ended",
                )

    def reset_password(self, username: str, actor: str, remote: str | None = None) -> str:
        """A one-time password for ``username`` (shown once, never stored or logged):
        it must be changed at the next sign-in; every session of theirs ends."""
        staff = self.staff
        password = one_time_password()
        with self._audited(actor, "password_reset", username, remote):
            with staff.gate.turn():
                password_hash = staff.hasher.hash(password)
            with self.plumbing.transaction() as db:
                changed = db.execute(
                    update(User)
                    .where(User.username == username)
                    .values(
                        password_hash=password_hash,
                        must_change_password=True,
                        failures=0,
                        locked_until=0.0,
                    )
                    .returning(User.id)
                    .execution_options(synchronize_session=False)
                ).first()
                if changed is None:
                    raise NotFound(f"There is no user {username[:64]}.")
                ended = end_sessions(db, int(changed[0]), "password_reset", now_text())
                self.plumbing.audit(
                    db,
                    actor,
                    "password_reset",
                    "ok",
                    target=username,
                    remote=remote,
                    detail=f"{ended} sessions ended",
                )
        return password
