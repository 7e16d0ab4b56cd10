"""Who may call a route: staff by their token and role, tablets by their signature.

Every refusal at the door is audited before it is answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from kiosk.clinic.api.errors import REFUSED_AT_THE_DOOR, remote
from kiosk.clinic.errors import Forbidden, Invalid, Unauthenticated
from kiosk.clinic.members import StaffMember
from kiosk.vocabulary import API_PREFIX, PASSWORD_CHANGE_ROUTES

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService


def no_nul_in_url(request: Request) -> None:
    """The path and query of every request: no NUL character (decoded or %00)."""
    query = unquote_to_bytes(request.url.query)
    if "\x00" in request.url.path or b"\x00" in query:
        raise Invalid("The address holds a NUL character.")


def staff_routes(tag: str) -> APIRouter:
    """A router for staff routes: under the API prefix, no NUL in any address, and the
    refusals at the door (401, 403) described in the OpenAPI document."""
    return APIRouter(
        prefix=API_PREFIX,
        tags=[tag],
        dependencies=[Depends(no_nul_in_url)],
        responses=REFUSED_AT_THE_DOOR,
    )


class Access:
    """The dependencies that let a caller in: ``staff(*roles)`` and ``signed_body``."""

    def __init__(self, service: ClinicService) -> None:
        self.service = service
        self.password_change_paths = {API_PREFIX + path for path in PASSWORD_CHANGE_ROUTES}

    async def signed_body(self, request: Request) -> tuple[str, bytes]:
        """The tablet that signed the request, and the body it signed (read whole)."""
        body = await request.body()  # BodyLimits refuses one over MAX_BODY as it arrives
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        device = await run_in_threadpool(
            self.service.authenticate,
            request.method,
            path,
            body,
            dict(request.headers),
            remote(request),
        )
        return device, body

    def staff(self, *roles: str) -> Any:
        """A dependency: the signed-in member of staff, if their role is one of ``roles``."""
        service = self.service
        password_change_paths = self.password_change_paths

        async def check(
            request: Request, authorization: Annotated[str | None, Header()] = None
        ) -> StaffMember:
            async def refused(actor: str, outcome: str) -> None:
                await run_in_threadpool(
                    service.audit_now, actor, request.url.path, outcome, remote=remote(request)
                )

            token = (authorization or "").removeprefix("Bearer ").strip()
            member = await run_in_threadpool(service.staff.check, token) if token else None
            if member is None:
                await refused("anonymous", "no_token")
                raise Unauthenticated("Sign in first.")
            if member.must_change_password and request.url.path not in password_change_paths:
                await refused(member.actor, "password_change_required")
                raise Forbidden(
                    "Change your password before you do anything else.",
                    code="password_change_required",
                )
            if member.role not in roles:
                await refused(member.actor, "forbidden")
                raise Forbidden("Your role may not do this.")
            request.state.actor = member.actor
            return member

        return Depends(check)
