"""Request body limits, enforced as the body arrives (a pure ASGI middleware).

Every route has a limit: the signed tablet routes the largest (a batch of
sealed submissions), the routes anyone may call without signing in (sign-in,
enrolment) a few KiB, the staff routes a modest one. A request that declares a
larger ``Content-Length`` is refused before a byte of its body is read; one
sent in chunks (no length declared, or a length that lies) is counted chunk by
chunk as the application reads it and refused as soon as the running total
passes the limit. Either way the answer is 413 ``too_large`` and the
connection is closed, so the rest of the body is never read. The service
audits each refusal through the ``refused`` callback.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from kiosk.vocabulary import MAX_UPLOAD_BYTES

MAX_BODY = MAX_UPLOAD_BYTES  # a batch of sealed submissions from a tablet
UNSIGNED_BODY = 4 * 1024  # sign-in and enrolment: anyone may send these
# Staff JSON: notes of 10,000 characters, each up to 12 bytes as a JSON escape pair.
STAFF_BODY = 128 * 1024
# A FHIR Bundle of a day's appointments with their patients (a few KiB each).
FHIR_BUNDLE_BODY = 4 * 1024 * 1024

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    """Raised into the application's read of the body; caught again below."""


def client_of(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


class BodyLimits:
    """Wraps an ASGI app: ``limits`` maps exact paths to their limit, others get ``default``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Mapping[str, int],
        default: int,
        refused: Callable[[Scope], Awaitable[None]],
    ) -> None:
        self.app = app
        self.limits = dict(limits)
        self.default = default
        self.refused = refused

    def limit_for(self, path: str) -> int:
        return self.limits.get(path, self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, send, limit)
            return
        received, too_large, started = 0, False, False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:  # whatever the application answers to a cut-off body is dropped
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            # FastAPI wraps a failed body read in its own error; either way it is ours.
            if not too_large:
                raise
        if too_large and not started:
            await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        await self.refused(scope)
        body = json.dumps(
            {
                "error": "too_large",
                "message": f"the request body is too large (at most {limit} bytes here)",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),  # the rest of the body is never read
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
