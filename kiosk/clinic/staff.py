"""Staff accounts: roles, argon2id passwords, lock-out, short-lived signed tokens.

Tokens are ``<base64 JSON {u, r, exp}>.<HMAC-SHA256>`` under a key derived from
the server key, valid for ``TOKEN_TTL_S``. Five wrong passwords in a row lock
the account for ``LOCK_S``; every login attempt is audited.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from kiosk.clinic.models import User

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

ROLES = ("receptionist", "clinician", "link_worker", "administrator")
TOKEN_TTL_S = 15 * 60
MAX_FAILURES = 5
LOCK_S = 15 * 60
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


class StaffAccounts:
    def __init__(
        self, service: ClinicService, token_key: bytes, hasher: PasswordHasher | None = None
    ):
        self.service = service
        self._key = token_key
        self._hasher = hasher or PasswordHasher()

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
            db.add(
                User(
                    username=username,
                    role=role,
                    password_hash=self._hasher.hash(password),
                    created_at=now_text(),
                )
            )
            self.service.audit(db, actor, "add_user", "ok", target=f"{username} ({role})")

    def login(self, username: str, password: str, remote: str | None) -> str:
        from kiosk.clinic.service import Refused

        now = self.service.clock()
        with self.service.transaction() as db:
            user = db.scalar(select(User).where(User.username == username))
            outcome, refusal = "ok", None
            if user is None or user.disabled:
                self._hasher.hash(password)  # the same work either way: no user enumeration
                outcome = "unknown_user"
            elif user.locked_until > now:
                outcome = "locked"
                refusal = Refused(
                    429, "locked", "Too many wrong passwords. Try again in 15 minutes."
                )
            else:
                try:
                    self._hasher.verify(user.password_hash, password)
                    user.failures = 0
                except (VerificationError, InvalidHashError):
                    user.failures += 1
                    outcome = "wrong_password"
                    if user.failures >= MAX_FAILURES:
                        user.locked_until = now + LOCK_S
                        outcome = "locked"
            if outcome in ("unknown_user", "wrong_password") or (
                outcome == "locked" and refusal is None
            ):
                refusal = Refused(401, "bad_login", "The username or password is wrong.")
            self.service.audit(db, f"user:{username[:64]}", "login", outcome, remote=remote)
            role = user.role if user is not None else ""
        if refusal is not None:
            raise refusal
        return self._token(username, role, now + TOKEN_TTL_S)

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
