"""Staff accounts: roles, argon2id passwords, lock-out, short-lived signed tokens.

Tokens are ``<base64 JSON {u, r, exp}>.<HMAC-SHA256>`` under a key derived from
the server key, valid for ``TOKEN_TTL_S``. Five wrong passwords in a row lock
the account for ``LOCK_S``; every login attempt is audited.

A sign-in takes its try from the database before the password is checked: one
``UPDATE ... RETURNING`` adds it to the account's failure count (the database
serialises these, on SQLite and PostgreSQL alike, across any number of service
processes), and only a try within ``MAX_FAILURES`` is checked at all. Success
gives the tries back. So no number of guesses sent at once gets more than
``MAX_FAILURES`` password checks. Unknown usernames are counted the same way in
memory, so they answer like real ones (401, then 429).

argon2id needs 64 MiB for every hash it works out; ``PasswordGate`` lets only a
few run at once, a few more wait a short time, and the rest are answered 429
``busy`` with ``Retry-After``, so a flood of sign-ins cannot exhaust memory.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, select, update

from kiosk.clinic.config import PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING
from kiosk.clinic.models import User

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

ROLES = ("receptionist", "clinician", "link_worker", "administrator")
TOKEN_TTL_S = 15 * 60
MAX_FAILURES = 5
LOCK_S = 15 * 60
PASSWORD_WAIT_S = 10.0
BUSY_RETRY_S = 5
_UNKNOWN_NAMES_KEPT = 10_000
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    # The clinics (names as in the clinic list) this member may see; None: every clinic.
    clinics: tuple[str, ...] | None = None

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


def _busy() -> Exception:
    from kiosk.clinic.service import Refused

    return Refused(
        429,
        "busy",
        "The clinic is busy signing people in. Try again shortly.",
        retry_after=BUSY_RETRY_S,
    )


class PasswordGate:
    """At most ``at_once`` password hashes at a time; ``waiting`` more may wait up to
    ``wait_s`` for a turn; anyone else is refused at once (429 ``busy``)."""

    def __init__(
        self,
        at_once: int = PASSWORD_CHECKS_AT_ONCE,
        waiting: int = PASSWORD_CHECKS_WAITING,
        wait_s: float = PASSWORD_WAIT_S,
    ) -> None:
        self.at_once, self.waiting, self.wait_s = at_once, waiting, wait_s
        self._turns = threading.BoundedSemaphore(at_once)
        self._lock = threading.Lock()
        self._in_flight = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            if self._in_flight >= self.at_once + self.waiting:
                raise _busy()
            self._in_flight += 1
        try:
            if not self._turns.acquire(timeout=self.wait_s):
                raise _busy()
            try:
                yield
            finally:
                self._turns.release()
        finally:
            with self._lock:
                self._in_flight -= 1


class _UnknownNames:
    """Failure counts for usernames that do not exist, so they lock like real ones
    (bounded: the oldest are forgotten first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tries: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def take_try(self, username: str, now: float) -> int:
        with self._lock:
            failures, locked_until = self._tries.pop(username, (0, 0.0))
            if 0 < locked_until <= now:
                failures, locked_until = 0, 0.0
            failures += 1
            if failures >= MAX_FAILURES and locked_until == 0:
                locked_until = now + LOCK_S
            self._tries[username] = (failures, locked_until)
            while len(self._tries) > _UNKNOWN_NAMES_KEPT:
                self._tries.popitem(last=False)
            return failures


class StaffAccounts:
    def __init__(
        self, service: ClinicService, token_key: bytes, hasher: PasswordHasher | None = None
    ):
        self.service = service
        self._key = token_key
        self.hasher = hasher or PasswordHasher()
        self.gate = PasswordGate()
        self._unknown = _UnknownNames()

    def limit_password_checks(self, at_once: int, waiting: int) -> None:
        """How many password hashes may run at once, and how many may wait
        (``[server] password_checks_at_once`` / ``password_checks_waiting``)."""
        self.gate = PasswordGate(at_once, waiting)

    def add(self, username: str, role: str, password: str, actor: str) -> None:
        from kiosk.clinic.service import Refused, now_text

        if not _USERNAME.match(username):
            raise Refused(
                422, "bad_username", "a username is 2-64 lower-case letters, digits, . _ -"
            )
        if role not in ROLES:
            raise Refused(422, "bad_role", f"role must be one of {', '.join(ROLES)}")
        if len(password) < 12:
            raise Refused(422, "weak_password", "a password must be at least 12 characters")
        with self.service.transaction() as db:
            if db.scalar(select(User.id).where(User.username == username)) is not None:
                raise Refused(409, "user_exists", f"there is already a user {username}")
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
            self.service.audit(db, actor, "add_user", "ok", target=f"{username} ({role})")

    def login(self, username: str, password: str, remote: str | None) -> str:
        from kiosk.clinic.service import Refused

        now = self.service.clock()
        actor = f"user:{username[:64]}"
        try:
            with self.gate.turn():
                outcome, role = self._attempt(username, password, now)
        except Refused as busy:
            self.service.audit_now(actor, "login", busy.code, remote=remote)
            raise
        self.service.audit_now(actor, "login", outcome, remote=remote)
        if outcome == "locked":
            raise Refused(429, "locked", "Too many wrong passwords. Try again in 15 minutes.")
        if outcome != "ok":
            raise Refused(401, "bad_login", "The username or password is wrong.")
        return self._token(username, role, now + TOKEN_TTL_S)

    def _attempt(self, username: str, password: str, now: float) -> tuple[str, str]:
        """(audit outcome, role): "ok", "wrong_password", "wrong_password_locked" (the
        last try), "locked" (no try left: the password was not checked), "unknown_user"."""
        taken = self._take_try(username, now)
        if taken is None or taken.disabled:
            if self._unknown.take_try(username, now) > MAX_FAILURES:
                return "locked", ""
            self.hasher.hash(password)  # the same work as a real check: no user enumeration
            return "unknown_user", ""
        if taken.failures > MAX_FAILURES:
            return "locked", taken.role
        try:
            self.hasher.verify(taken.password_hash, password)
        except (VerificationError, InvalidHashError):
            last = taken.failures >= MAX_FAILURES
            return ("wrong_password_locked" if last else "wrong_password"), taken.role
        with self.service.transaction() as db:
            db.execute(update(User).where(User.id == taken.id).values(failures=0, locked_until=0.0))
        return "ok", taken.role

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
        with self.service.transaction() as db:
            return db.execute(statement).first()

    def issue(self, member: StaffMember) -> str:
        """A fresh token for someone already signed in (the console refreshes while in use)."""
        return self._token(member.username, member.role, self.service.clock() + TOKEN_TTL_S)

    def _token(self, username: str, role: str, expires: float) -> str:
        body = base64.urlsafe_b64encode(
            json.dumps({"u": username, "r": role, "exp": int(expires)}).encode()
        ).decode()
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        return f"{body}.{mac}"

    def check(self, token: str) -> StaffMember | None:
        """The staff member a token belongs to, or None if it is forged, expired or disabled."""
        if not token.isascii():  # a header may carry any Latin-1 byte
            return None
        body, _, mac = token.partition(".")
        expected = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(body.encode()))
        except ValueError:
            return None
        if not isinstance(claims, dict) or claims.get("exp", 0) < self.service.clock():
            return None
        with self.service.transaction() as db:
            user = db.scalar(select(User).where(User.username == claims.get("u")))
            if user is None or user.disabled or user.role != claims.get("r"):
                return None
            return StaffMember(user.username, user.role)
