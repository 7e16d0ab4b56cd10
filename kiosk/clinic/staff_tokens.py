"""The staff's signed tokens: ``<base64 JSON {u, r, s, n, exp}>.<HMAC-SHA256>`` under
a key derived from the server key. ``u`` is the username, ``r`` the role, ``s`` the
server-side session (``staff_sessions``), ``n`` its token serial and ``exp`` the end
(seconds since the epoch). Whether the session still stands is for
kiosk.clinic.staff to check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def signed_token(
    key: bytes, username: str, role: str, session: str, serial: int, expires: float
) -> str:
    claims = {"u": username, "r": role, "s": session, "n": serial, "exp": int(expires)}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode()
    mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def verified_claims(key: bytes, token: str, now: float) -> dict[str, Any] | None:
    """The signed claims of a well-formed token unexpired at ``now`` (not yet checked
    against its session), or None."""
    if not token.isascii():  # a header may carry any Latin-1 byte
        return None
    body, _, mac = token.partition(".")
    expected = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        return None
    if claims["exp"] < now:
        return None
    if not isinstance(claims.get("s"), str) or not isinstance(claims.get("n"), int):
        return None
    return claims
