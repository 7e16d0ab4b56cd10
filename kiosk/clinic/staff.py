"""Staff accounts: roles, argon2id passwords, lock-out, short-lived signed tokens,
sessions that end on the server.

Tokens (kiosk.clinic.staff_tokens) are signed under a key derived from the server
key, valid for ``TOKEN_TTL_S``, and name the server-side session (``staff_sessions``)
and its token serial. A token is accepted only
while its session is open, has not passed the session's absolute end (``[staff]
session_hours`` after signing in; refreshing never extends it) and carries the
session's current serial: refreshing adds one to the serial, so the token before
stops working at once, on every service process sharing the database. Signing
out, an own password change (the user's other sessions) and an administrator's
disable, role change or reset end sessions (kiosk/clinic/sessions.py). Five wrong
passwords in a row lock the account for ``LOCK_S``; every login attempt is audited.

A per-source throttle stands beside the per-account lock: ``SOURCE_FAILURES``
failed sign-ins from one address within ``SOURCE_WINDOW_S`` and that address is
refused ``Throttled`` ``slow_down`` (with ``retry_after``) before any password is
checked, whatever username it tries; other addresses are unaffected.

A sign-in takes its try from the database before the password is checked: one
``UPDATE ... RETURNING`` adds it to the account's failure count (the database
serialises these, on SQLite and PostgreSQL alike, across any number of service
processes), and only a try within ``MAX_FAILURES`` is checked at all. Success
gives the tries back. So no number of guesses sent at once gets more than
``MAX_FAILURES`` password checks. Unknown usernames and source addresses are counted
the same way, in the database too (``sign_in_counts``), so they answer like real ones
(``bad_login``, then ``locked``) and count on every service process alike.

argon2id needs 64 MiB for every hash it works out; ``PasswordGate``
(kiosk.clinic.sign_in_limits, with the per-address and unknown-name counts) lets only a
few run at once in each service process, a few more wait a short time, and the rest are refused
``Throttled`` ``busy`` with ``retry_after``, so a flood of sign-ins cannot exhaust memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, select, update

from kiosk.clinic.config import SESSION_HOURS
from kiosk.clinic.errors import Invalid, StateConflict, Throttled, Unauthenticated
from kiosk.clinic.members import StaffMember
from kiosk.clinic.models import StaffSession, User
from kiosk.clinic.passwords import check_new_password
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.sessions import end_other_sessions, forget_old_sessions
from kiosk.clinic.sign_in_limits import LOCK_S, MAX_FAILURES, PasswordGate, Sources, UnknownNames
from kiosk.clinic.staff_tokens import signed_token, verified_claims
from kiosk.vocabulary import ROLES

TOKEN_TTL_S = 15 * 60
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


def iso_time(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def _not_signed_in() -> Unauthenticated:
    return Unauthenticated("Sign in first.")


class StaffAccounts:
    def __init__(self, plumbing: Plumbing, token_key: bytes, hasher: PasswordHasher | None = None):
        self.plumbing = plumbing
        self._key = token_key
        self.hasher = hasher or PasswordHasher()
        self.gate = PasswordGate()
        self._unknown = UnknownNames(plumbing.transaction, token_key)
        self.sources = Sources(plumbing.transaction, token_key)
        self.session_hours = SESSION_HOURS

    def limit_password_checks(self, at_once: int, waiting: int) -> None:
        """How many password hashes may run at once, and how many may wait
        (``[server] password_checks_at_once`` / ``password_checks_waiting``)."""
        self.gate = PasswordGate(at_once, waiting)

    def add(self, username: str, role: str, password: str, actor: str) -> None:
        if not _USERNAME.match(username):
            raise Invalid(
                "a username is 2-64 lower-case letters, digits, . _ -", code="bad_username"
            )
        if role not in ROLES:
            raise Invalid(f"role must be one of {', '.join(ROLES)}", code="bad_role")
        if (weak := check_new_password(password, username)) is not None:
            raise Invalid(weak, code="weak_password")
        with self.plumbing.transaction() as db:
            if db.scalar(select(User.id).where(User.username == username)) is not None:
                raise StateConflict(f"there is already a user {username}", code="user_exists")
            with self.gate.turn():
                password_hash = self.hasher.hash(password)
            db.add(
                User(
                    username=username,
                    role=role,
                    password_hash=password_hash,
                    created_at=now_text(),
                )
            )
            self.plumbing.audit(db, actor, "add_user", "ok", target=f"{username} ({role})")

    def login(self, username: str, password: str, remote: str | None) -> str:
        """Sign in: a fresh session (ending ``session_hours`` from now) and its first token."""
        now = self.plumbing.clock()
        actor = f"user:{username[:64]}"
        source = remote or "unknown"
        wait = self.sources.take_try(source, now)
        if wait is not None:
            self.plumbing.audit_now(actor, "login", "slow_down", remote=remote)
            raise Throttled(
                "Too many failed sign-ins from this computer. Try again later.",
                code="slow_down",
                retry_after=wait,
            )
        try:
            with self.gate.turn():
                outcome, taken = self._attempt(username, password, now)
        except Throttled as busy:
            self.sources.give_back(source)  # not a failed sign-in: nothing was checked
            self.plumbing.audit_now(actor, "login", busy.code, remote=remote)
            raise
        if outcome != "ok":
            self.plumbing.audit_now(actor, "login", outcome, remote=remote)
            if outcome == "locked":
                raise Throttled("Too many wrong passwords. Try again in 15 minutes.", code="locked")
            raise Unauthenticated("The username or password is wrong.", code="bad_login")
        self.sources.give_back(source)
        session = secrets.token_hex(16)
        ends_at = now + self.session_hours * 3600
        with self.plumbing.transaction() as db:
            db.execute(
                update(User)
                .where(User.id == taken.id)
                .values(failures=0, locked_until=0.0, last_sign_in_at=now_text())
            )
            forget_old_sessions(db, taken.id, now)
            db.add(
                StaffSession(
                    id=session,
                    user_id=taken.id,
                    started_at=iso_time(now),
                    ends_at=ends_at,
                    token_serial=0,
                    remote=(remote or "")[:64] or None,
                )
            )
            self.plumbing.audit(db, actor, "login", "ok", remote=remote)
        return signed_token(
            self._key, username, taken.role, session, 0, min(now + TOKEN_TTL_S, ends_at)
        )

    def _attempt(self, username: str, password: str, now: float) -> tuple[str, Any]:
        """(audit outcome, the account's row): "ok", "wrong_password",
        "wrong_password_locked" (the last try), "locked" (no try left: the password was
        not checked), "unknown_user" (row None)."""
        taken = self._take_try(username, now)
        if taken is None or taken.disabled:
            if self._unknown.take_try(username, now) > MAX_FAILURES:
                return "locked", None
            self.hasher.hash(password)  # the same work as a real check: no user enumeration
            return "unknown_user", None
        if taken.failures > MAX_FAILURES:
            return "locked", taken
        try:
            self.hasher.verify(taken.password_hash, password)
        except (VerificationError, InvalidHashError):
            last = taken.failures >= MAX_FAILURES
            return ("wrong_password_locked" if last else "wrong_password"), taken
        return "ok", taken

    def _take_try(self, username: str, now: float) -> Any:
        """Count this try against the account before its password is checked, in one
        statement the database serialises; the account's row after it (None if there
        is no such user). The try that reaches ``MAX_FAILURES`` sets the lock at once;
        a lock that has run out starts the count again."""
        locked = User.locked_until > now
        expired = and_(User.locked_until > 0, User.locked_until <= now)
        statement = (
            update(User)
            .where(User.username == username)
            .values(
                failures=case(
                    (and_(locked, User.failures < MAX_FAILURES), MAX_FAILURES + 1),
                    (locked, User.failures + 1),
                    (expired, 1),
                    else_=User.failures + 1,
                ),
                locked_until=case(
                    (locked, User.locked_until),
                    (expired, 0.0),
                    (User.failures + 1 >= MAX_FAILURES, now + LOCK_S),
                    else_=User.locked_until,
                ),
            )
            .returning(User.id, User.failures, User.password_hash, User.role, User.disabled)
            .execution_options(synchronize_session=False)
        )
        with self.plumbing.transaction() as db:
            return db.execute(statement).first()

    def issue(self, member: StaffMember, remote: str | None = None) -> str:
        """A fresh token for someone already signed in (the console refreshes while in
        use): the session's serial goes up by one, so the token before is refused from
        now on; the session's end stays where it is. A member with no session yet (the
        command line, tests) gets a new one. ``Unauthenticated`` if the session has
        ended, passed its end or moved on (another refresh got there first)."""
        now = self.plumbing.clock()
        if member.session is None:
            return self._start_session(member, now, remote)
        row = self._refreshed(member, now)
        if row is None:
            raise _not_signed_in()
        serial, ends_at = row
        return signed_token(
            self._key,
            member.username,
            member.role,
            member.session,
            serial,
            min(now + TOKEN_TTL_S, ends_at),
        )

    def _refreshed(self, member: StaffMember, now: float) -> tuple[int, float] | None:
        statement = (
            update(StaffSession)
            .where(
                StaffSession.id == member.session,
                StaffSession.token_serial == member.serial,
                StaffSession.ended_at.is_(None),
                StaffSession.ends_at > now,
            )
            .values(token_serial=StaffSession.token_serial + 1)
            .returning(StaffSession.token_serial, StaffSession.ends_at)
            .execution_options(synchronize_session=False)
        )
        with self.plumbing.transaction() as db:
            row = db.execute(statement).first()
        return None if row is None else (int(row[0]), float(row[1]))

    def _start_session(self, member: StaffMember, now: float, remote: str | None) -> str:
        session = secrets.token_hex(16)
        ends_at = now + self.session_hours * 3600
        with self.plumbing.transaction() as db:
            user_id = db.scalar(select(User.id).where(User.username == member.username))
            if user_id is None:
                raise _not_signed_in()
            db.add(
                StaffSession(
                    id=session,
                    user_id=user_id,
                    started_at=iso_time(now),
                    ends_at=ends_at,
                    token_serial=0,
                    remote=(remote or "")[:64] or None,
                )
            )
        return signed_token(
            self._key, member.username, member.role, session, 0, min(now + TOKEN_TTL_S, ends_at)
        )

    def sign_out(self, member: StaffMember, remote: str | None) -> None:
        """End the member's session on the server: every token of it is refused from now."""
        now = self.plumbing.clock()
        with self.plumbing.transaction() as db:
            db.execute(
                update(StaffSession)
                .where(StaffSession.id == member.session, StaffSession.ended_at.is_(None))
                .values(ended_at=iso_time(now), ended_reason="signed_out")
                .execution_options(synchronize_session=False)
            )
            self.plumbing.audit(db, member.actor, "sign_out", "ok", remote=remote)

    def change_password(
        self, member: StaffMember, current: str, new: str, remote: str | None
    ) -> str:
        """The member changes their own password: the current one must be right (a wrong
        one counts against the account like a wrong sign-in); the new one must pass the
        password policy. Clears a forced change, ends the member's other sessions and
        answers a fresh token for this one."""
        now = self.plumbing.clock()
        action = "change_password"
        try:
            with self.gate.turn():
                outcome, taken = self._attempt(member.username, current, now)
        except Throttled as busy:
            self.plumbing.audit_now(member.actor, action, busy.code, remote=remote)
            raise
        if outcome == "locked":
            self.plumbing.audit_now(member.actor, action, "locked", remote=remote)
            raise Throttled("Too many wrong passwords. Try again in 15 minutes.", code="locked")
        if outcome != "ok":
            self.plumbing.audit_now(member.actor, action, "bad_password", remote=remote)
            raise Unauthenticated("Your current password is wrong.", code="bad_password")
        reason = check_new_password(new, member.username)
        if reason is None and new == current:
            reason = "The new password must be different from the current one."
        if reason is not None:
            with self.plumbing.transaction() as db:  # the right current password: tries back
                db.execute(
                    update(User).where(User.id == taken.id).values(failures=0, locked_until=0.0)
                )
            self.plumbing.audit_now(member.actor, action, "weak_password", remote=remote)
            raise Invalid(reason, code="weak_password")
        with self.gate.turn():
            password_hash = self.hasher.hash(new)
        with self.plumbing.transaction() as db:
            db.execute(
                update(User)
                .where(User.id == taken.id)
                .values(
                    password_hash=password_hash,
                    must_change_password=False,
                    failures=0,
                    locked_until=0.0,
                )
            )
            ended = end_other_sessions(
                db, taken.id, member.session or "", "password_changed", iso_time(now)
            )
            self.plumbing.audit(
                db, member.actor, action, f"ok: {ended} other sessions ended", remote=remote
            )
        fresh = StaffMember(member.username, member.role, member.clinics, member.session,
                            member.serial)  # fmt: skip
        return self.issue(fresh, remote)

    def check(self, token: str) -> StaffMember | None:
        """The staff member a token belongs to, or None if it is forged or expired, its
        session has ended, passed its end or been refreshed since, or the user is
        disabled or has another role now. One read by the session's primary key."""
        claims = verified_claims(self._key, token, self.plumbing.clock())
        if claims is None:
            return None
        now = self.plumbing.clock()
        statement = (
            select(
                StaffSession.token_serial,
                StaffSession.ends_at,
                StaffSession.ended_at,
                User.username,
                User.role,
                User.disabled,
                User.must_change_password,
                User.clinics,
            )
            .join(User, User.id == StaffSession.user_id)
            .where(StaffSession.id == claims["s"])
        )
        with self.plumbing.transaction() as db:
            row = db.execute(statement).first()
        if row is None or row.ended_at is not None or row.ends_at <= now:
            return None
        if row.token_serial != claims["n"] or row.username != claims.get("u"):
            return None
        if row.disabled or row.role != claims.get("r"):
            return None
        return StaffMember(
            row.username,
            row.role,
            _clinics(row.clinics),
            session=claims["s"],
            serial=claims["n"],
            must_change_password=bool(row.must_change_password),
        )

    def session_end(self, member: StaffMember) -> float | None:
        with self.plumbing.transaction() as db:
            return db.scalar(select(StaffSession.ends_at).where(StaffSession.id == member.session))


def _clinics(stored: str | None) -> tuple[str, ...] | None:
    """users.clinics: a JSON list of clinic names, or NULL for every clinic. Anything
    unreadable limits the user to no clinic at all (never to every clinic)."""
    if stored is None:
        return None
    try:
        names = json.loads(stored)
    except ValueError:
        return ()
    if not isinstance(names, list):
        return ()
    return tuple(str(name) for name in names)
