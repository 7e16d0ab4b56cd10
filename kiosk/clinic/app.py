"""The clinic service's HTTP API (FastAPI): a thin layer over ClinicService.

docs/sync-protocol.md describes the tablet side; the OpenAPI description is at
``/openapi.json``. Signed endpoints read the raw body themselves, because the
signature covers its exact bytes.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from kiosk.clinic.service import ClinicService, Refused
from kiosk.clinic.staff import ROLES, StaffMember
from kiosk.sync.signing import HEADER_SERVER_TIME

log = logging.getLogger(__name__)
MAX_BODY = 8 * 1024 * 1024
API = "/api/v1"


class EnrolRequest(BaseModel):
    code_id: str = Field(min_length=1, max_length=8)
    device_key: str = Field(min_length=1, max_length=80)
    name: str = Field(default="", max_length=80)
    proof: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]+$")


class SubmissionItem(BaseModel):
    id: str = Field(max_length=64)
    envelope: str = Field(max_length=MAX_BODY)


class SubmissionBatch(BaseModel):
    submissions: list[SubmissionItem] = Field(max_length=50)


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    role: str = Field(description="one of " + ", ".join(ROLES))
    password: str = Field(min_length=12, max_length=256)


def _error(status: int, code: str, message: str, server_time: float | None = None) -> JSONResponse:
    headers = {HEADER_SERVER_TIME: str(int(server_time))} if server_time is not None else None
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def create_app(service: ClinicService) -> FastAPI:
    app = FastAPI(
        title="What Matters Kiosk clinic service",
        version="1",
        description="Receives the tablets' sealed submissions; serves staff. "
        "See docs/sync-protocol.md.",
    )

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        clock = service.clock() if exc.status in (401, 403) else None
        return _error(exc.status, exc.code, exc.message, clock)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:3])
        return _error(422, "malformed", f"the request body is not as expected ({where})")

    @app.exception_handler(Exception)
    async def failed(_request: Request, exc: Exception) -> JSONResponse:
        log.error("clinic service error: %s", type(exc).__name__)
        return _error(500, "internal", "The clinic service had a problem; try again later.")

    def remote(request: Request) -> str | None:
        return request.client.host if request.client else None

    async def too_large(request: Request) -> Refused:
        await run_in_threadpool(
            service.audit_now, "anonymous", request.url.path, "too_large", remote=remote(request)
        )
        return Refused(413, "too_large", "the request body is too large")

    async def signed_body(request: Request) -> tuple[str, bytes]:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY:
            raise await too_large(request)
        body = await request.body()
        if len(body) > MAX_BODY:
            raise await too_large(request)
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        device = await run_in_threadpool(
            service.authenticate, request.method, path, body, dict(request.headers),
            remote(request),
        )  # fmt: skip
        return device, body

    def staff(*roles: str) -> Any:
        async def check(
            request: Request, authorization: Annotated[str | None, Header()] = None
        ) -> StaffMember:
            token = (authorization or "").removeprefix("Bearer ").strip()
            member = await run_in_threadpool(service.staff.check, token) if token else None
            if member is None:
                await run_in_threadpool(
                    service.audit_now, "anonymous", request.url.path, "no_token",
                    remote=remote(request),
                )  # fmt: skip
                raise Refused(401, "not_signed_in", "Sign in first.")
            if member.role not in roles:
                await run_in_threadpool(
                    service.audit_now, member.actor, request.url.path, "forbidden",
                    remote=remote(request),
                )  # fmt: skip
                raise Refused(403, "forbidden", "Your role may not do this.")
            return member

        return Depends(check)

    @app.get(f"{API}/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(f"{API}/enrol", status_code=201)
    def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
        return service.enrol(body.code_id, body.device_key, body.name, body.proof, remote(request))

    @app.get(f"{API}/tablet/config", responses={304: {"description": "unchanged"}})
    async def config(
        request: Request, if_none_match: Annotated[str | None, Header()] = None
    ) -> Response:
        await signed_body(request)
        current = await run_in_threadpool(service.tablet_config)
        if if_none_match and if_none_match.strip('"') == current["version"]:
            return Response(status_code=304)
        return JSONResponse(current, headers={"ETag": f'"{current["version"]}"'})

    @app.post(
        f"{API}/submissions",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": SubmissionBatch.model_json_schema()}},
            }
        },
    )
    async def submissions(request: Request) -> dict[str, Any]:
        device, body = await signed_body(request)
        try:
            batch = SubmissionBatch.model_validate(json.loads(body))
        except ValueError:
            await run_in_threadpool(
                service.audit_now, f"device:{device}", request.url.path, "malformed",
                remote=remote(request),
            )  # fmt: skip
            raise Refused(
                422, "malformed", 'expected {"submissions": [{"id": ..., "envelope": ...}]}'
            ) from None
        if len(batch.submissions) > 50:
            raise Refused(413, "batch_too_large", "send at most 50 submissions at once")
        results = await run_in_threadpool(
            service.receive, device, [(item.id, item.envelope) for item in batch.submissions]
        )
        return {"results": [r.to_json() for r in results]}

    @app.post(f"{API}/auth/token")
    def token(body: LoginRequest, request: Request) -> dict[str, Any]:
        issued = service.staff.login(body.username, body.password, remote(request))
        return {"token": issued, "token_type": "bearer", "expires_in": 15 * 60}

    @app.get(f"{API}/flags")
    def flags(
        request: Request,
        member: StaffMember = staff("clinician", "link_worker"),  # noqa: B008
    ) -> dict[str, Any]:
        return {"flags": service.open_flags(member.actor, remote(request))}

    @app.post(f"{API}/admin/enrolment-codes", status_code=201)
    def new_code(member: StaffMember = staff("administrator")) -> dict[str, Any]:  # noqa: B008
        return {"code": service.issue_code(member.actor), "expires_in": 15 * 60}

    @app.post(f"{API}/admin/devices/{{device_id}}/revoke")
    def revoke(
        device_id: str,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        if not service.revoke(device_id[:16], member.actor):
            raise Refused(404, "not_found", "There is no such enrolled tablet.")
        return {"revoked": device_id}

    @app.post(f"{API}/admin/users", status_code=201)
    def add_user(
        body: NewUser,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        service.staff.add(body.username, body.role, body.password, member.actor)
        return {"username": body.username, "role": body.role}

    return app
