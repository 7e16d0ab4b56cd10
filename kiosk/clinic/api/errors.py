"""The one place a clinic error becomes an HTTP answer: the status table, and the
exception handlers every route shares.

A body is ``{"error": code, "message": words}``; an ``EditConflict`` adds
``current`` (what the other person saved), answers keyed in that the engine refuses
add ``problems`` (each naming its form and item). Refusals of who the caller is (401,
403) carry the clinic's clock, so a tablet can see its own is wrong.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.requests import ClientDisconnect

from kiosk.clinic.api.schemas import ErrorAnswer
from kiosk.clinic.entries import AnswersRefused
from kiosk.clinic.errors import (
    ClinicError,
    EditConflict,
    Forbidden,
    Invalid,
    NotFound,
    Refusal,
    StateConflict,
    Throttled,
    TooLarge,
    Unauthenticated,
    Unavailable,
)
from kiosk.sync.signing import HEADER_SERVER_TIME

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

log = logging.getLogger(__name__)

# Each kind of refusal and its status; the first match along the class's MRO wins.
STATUS: dict[type[Refusal], int] = {
    Invalid: 422,
    NotFound: 404,
    Unauthenticated: 401,
    Forbidden: 403,
    StateConflict: 409,
    TooLarge: 413,
    Throttled: 429,
    Unavailable: 503,
}
# Statuses whose answer carries the clinic's clock (X-Server-Time).
WITH_SERVER_TIME = (401, 403)
# How a route's door refuses (described in the OpenAPI document).
REFUSED_AT_THE_DOOR: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorAnswer, "description": "not signed in, or not signed correctly"},
    403: {"model": ErrorAnswer, "description": "not allowed (role, tablet not enrolled)"},
}


def status_of(error: ClinicError) -> int | None:
    """The HTTP status of a refusal; None for an error that is not one (a bug's 500)."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return None


def error_answer(
    status: int, code: str, message: str, server_time: float | None = None
) -> JSONResponse:
    headers = {HEADER_SERVER_TIME: str(int(server_time))} if server_time is not None else None
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def install(app: FastAPI, service: ClinicService) -> None:
    """Answer the service's errors, malformed requests, hang-ups and bugs alike on
    every route of ``app``."""

    @app.exception_handler(ClinicError)
    async def refused(_request: Request, exc: ClinicError) -> JSONResponse:
        status = status_of(exc)
        if status is None:
            log.error("clinic service error: %s", type(exc).__name__)
            return error_answer(
                500, "internal", "The clinic service had a problem; try again later."
            )
        if isinstance(exc, EditConflict):
            body = {"error": exc.code, "message": exc.message, "current": exc.current}
            return JSONResponse(body, status_code=status)
        if isinstance(exc, AnswersRefused):  # each problem beside its item, in the console
            problems = [problem.to_json() for problem in exc.problems]
            refusal: dict[str, Any] = {"error": exc.code, "message": exc.message}
            return JSONResponse({**refusal, "problems": problems}, status_code=status)
        clock = service.clock() if status in WITH_SERVER_TIME else None
        answer = error_answer(status, exc.code, exc.message, clock)
        if exc.retry_after is not None:
            answer.headers["Retry-After"] = str(exc.retry_after)
        return answer

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:3])
        actor = getattr(request.state, "actor", "anonymous")  # set once signed in
        await run_in_threadpool(
            service.audit_now, actor, request.url.path, "malformed", remote=remote(request)
        )
        return error_answer(422, "malformed", f"the request body is not as expected ({where})")

    @app.exception_handler(ClientDisconnect)
    async def hung_up(request: Request, _exc: ClientDisconnect) -> Response:
        # The client hung up before its whole request arrived (a dropped connection):
        # nothing was done and nobody is left to answer; not a fault of the service.
        log.info("a client hung up before its request arrived (%s)", request.url.path[:80])
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def failed(_request: Request, exc: Exception) -> JSONResponse:
        log.error("clinic service error: %s", type(exc).__name__)
        return error_answer(500, "internal", "The clinic service had a problem; try again later.")
