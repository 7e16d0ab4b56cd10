"""The clinic service's HTTP API (FastAPI): a thin layer over ClinicService.

docs/sync-protocol.md describes the tablet side; the OpenAPI description is at
``/openapi.json``. Signed endpoints read the raw body themselves, because the
signature covers its exact bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Annotated, Any, Self
from urllib.parse import quote, unquote_to_bytes

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import ClientDisconnect

from kiosk import __version__
from kiosk.clinic.casework import CASEWORKERS, Conflict
from kiosk.clinic.held import HeldReview
from kiosk.clinic.limits import MAX_BODY, STAFF_BODY, UNSIGNED_BODY, BodyLimits, client_of
from kiosk.clinic.service import ClinicService, Refused
from kiosk.clinic.staff import PASSWORD_CHANGE_ROUTES, ROLES, TOKEN_TTL_S, StaffMember, iso_time
from kiosk.sync.signing import HEADER_SERVER_TIME

log = logging.getLogger(__name__)
API = "/api/v1"
MAX_ID = 2**31 - 1  # the largest row id or version every database's integer column holds


class Body(BaseModel):
    """A request body. No text in it may hold a NUL character: PostgreSQL cannot store
    one, so it is refused here (422) for every body, before it reaches a query."""

    @model_validator(mode="after")
    def _no_nul(self) -> Self:
        for name, value in self:
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"{name} holds a NUL character")
        return self


def no_nul_in_url(request: Request) -> None:
    """The path and query of every request: no NUL character (decoded or %00)."""
    query = unquote_to_bytes(request.url.query)
    if "\x00" in request.url.path or b"\x00" in query:
        raise Refused(422, "bad_value", "The address holds a NUL character.")


class EnrolRequest(Body):
    code_id: str = Field(min_length=1, max_length=8)
    device_key: str = Field(min_length=1, max_length=80)
    name: str = Field(default="", max_length=80)
    proof: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]+$")


class SubmissionItem(Body):
    id: str = Field(max_length=64)
    envelope: str = Field(max_length=MAX_BODY)


class SubmissionBatch(Body):
    submissions: list[SubmissionItem] = Field(max_length=50)


class LoginRequest(Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(Body):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class NewUser(Body):
    username: str = Field(min_length=2, max_length=64)
    role: str = Field(description="one of " + ", ".join(ROLES))
    password: str = Field(min_length=1, max_length=256, description="kiosk/clinic/passwords.py")
    clinics: list[Annotated[str, Field(max_length=80)]] | None = Field(
        default=None, max_length=100, description="the clinics the user may see; null: all"
    )


class NewRole(Body):
    role: str = Field(max_length=20, description="one of " + ", ".join(ROLES))


class ClinicsUpdate(Body):
    clinics: list[str] | None = Field(
        max_length=500,
        description="the clinic names (as in the clinic list) the user may see; null: all",
    )


class TriageUpdate(Body):
    version: int = Field(ge=0, le=MAX_ID)
    status: str = Field(max_length=16)
    owner: str | None = Field(default=None, max_length=64)
    notes: str = Field(default="", max_length=10_000)


class NewReferral(Body):
    kind: str = Field(max_length=32)
    referred_on: str = Field(max_length=10, description="YYYY-MM-DD")
    notes: str = Field(default="", max_length=10_000)


class ReferralUpdate(Body):
    version: int = Field(ge=0, le=MAX_ID)
    outcome: str = Field(max_length=20)
    outcome_on: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    notes: str = Field(default="", max_length=10_000)


def _inlined(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its ``$defs`` put in place: in an OpenAPI document a
    ``#/$defs/...`` reference would point at the document's root, where nothing is."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined


def _error(status: int, code: str, message: str, server_time: float | None = None) -> JSONResponse:
    headers = {HEADER_SERVER_TIME: str(int(server_time))} if server_time is not None else None
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def attachment(name: str) -> dict[str, str]:
    """The Content-Disposition header offering ``name`` as a download (RFC 6266).

    The plain ``filename`` is ASCII letters, digits, dot, hyphen and underscore only,
    so no value can close the quotes or add a second parameter; a name with anything
    else also gets ``filename*`` in UTF-8, percent-encoded."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "download"
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return {"Content-Disposition": header}


def create_app(service: ClinicService, *, api_docs: bool = False) -> FastAPI:
    """The HTTP API over ``service``. ``api_docs`` ([server] api_docs in clinic.toml)
    serves ``/docs``, ``/redoc`` and ``/openapi.json``; without it they are 404 (the
    description is still ``app.openapi()`` in-process)."""
    app = FastAPI(
        title="What Matters Kiosk clinic service",
        version="1",
        description="Receives the tablets' sealed submissions; serves staff. "
        "See docs/sync-protocol.md.",
        docs_url="/docs" if api_docs else None,
        redoc_url="/redoc" if api_docs else None,
        openapi_url="/openapi.json" if api_docs else None,
        dependencies=[Depends(no_nul_in_url)],
    )

    async def body_too_large(scope: dict[str, Any]) -> None:
        await run_in_threadpool(
            service.audit_now, "anonymous", scope.get("path", ""), "too_large",
            remote=client_of(scope),
        )  # fmt: skip

    app.add_middleware(
        BodyLimits,
        limits={
            f"{API}/submissions": MAX_BODY,  # signed: sealed envelopes from a tablet
            f"{API}/tablet/config": MAX_BODY,
            f"{API}/auth/token": UNSIGNED_BODY,  # anyone may send these
            f"{API}/enrol": UNSIGNED_BODY,
        },
        default=STAFF_BODY,
        refused=body_too_large,
    )

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        clock = service.clock() if exc.status in (401, 403) else None
        answer = _error(exc.status, exc.code, exc.message, clock)
        if exc.retry_after is not None:
            answer.headers["Retry-After"] = str(exc.retry_after)
        return answer

    @app.exception_handler(Conflict)
    async def conflict(_request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(
            {
                "error": "conflict",
                "message": "Someone else saved this while you were editing. "
                "Their version is shown; check it, then save again.",
                "current": exc.current,
            },
            status_code=409,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:3])
        actor = getattr(request.state, "actor", "anonymous")  # set once signed in
        await run_in_threadpool(
            service.audit_now, actor, request.url.path, "malformed", remote=remote(request)
        )
        return _error(422, "malformed", f"the request body is not as expected ({where})")

    @app.exception_handler(ClientDisconnect)
    async def hung_up(request: Request, _exc: ClientDisconnect) -> Response:
        # The client hung up before its whole request arrived (a dropped connection):
        # nothing was done and nobody is left to answer; not a fault of the service.
        log.info("a client hung up before its request arrived (%s)", request.url.path[:80])
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def failed(_request: Request, exc: Exception) -> JSONResponse:
        log.error("clinic service error: %s", type(exc).__name__)
        return _error(500, "internal", "The clinic service had a problem; try again later.")

    def remote(request: Request) -> str | None:
        return request.client.host if request.client else None

    async def signed_body(request: Request) -> tuple[str, bytes]:
        body = await request.body()  # BodyLimits refuses one over MAX_BODY as it arrives
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        device = await run_in_threadpool(
            service.authenticate,
            request.method,
            path,
            body,
            dict(request.headers),
            remote(request),
        )
        return device, body

    password_change_paths = {f"{API}{path}" for path in PASSWORD_CHANGE_ROUTES}

    def staff(*roles: str) -> Any:
        async def check(
            request: Request, authorization: Annotated[str | None, Header()] = None
        ) -> StaffMember:
            token = (authorization or "").removeprefix("Bearer ").strip()
            member = await run_in_threadpool(service.staff.check, token) if token else None
            if member is None:
                await run_in_threadpool(
                    service.audit_now,
                    "anonymous",
                    request.url.path,
                    "no_token",
                    remote=remote(request),
                )
                raise Refused(401, "not_signed_in", "Sign in first.")
            if member.must_change_password and request.url.path not in password_change_paths:
                await run_in_threadpool(
                    service.audit_now,
                    member.actor,
                    request.url.path,
                    "password_change_required",
                    remote=remote(request),
                )
                raise Refused(
                    403,
                    "password_change_required",
                    "Change your password before you do anything else.",
                )
            if member.role not in roles:
                await run_in_threadpool(
                    service.audit_now,
                    member.actor,
                    request.url.path,
                    "forbidden",
                    remote=remote(request),
                )
                raise Refused(403, "forbidden", "Your role may not do this.")
            request.state.actor = member.actor
            return member

        return Depends(check)

    @app.get(
        f"{API}/health",
        responses={503: {"description": "the clinic database cannot be reached"}},
    )
    def health() -> Response:
        """For monitoring and load balancers: no sign-in, nothing about patients."""
        try:
            with service.engine.connect() as connection:
                schema = connection.execute(sql_text("select version_num from alembic_version"))
                revision = schema.scalar()
        except SQLAlchemyError as exc:
            log.warning("health check: the database cannot be reached (%s)", type(exc).__name__)
            return JSONResponse(
                {"status": "unavailable", "reason": "the database cannot be reached"}, 503
            )
        return JSONResponse({"status": "ok", "version": __version__, "schema": revision})

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
                "content": {"application/json": {"schema": _inlined(SubmissionBatch)}},
            }
        },
    )
    async def submissions(request: Request) -> dict[str, Any]:
        device, body = await signed_body(request)
        try:
            batch = SubmissionBatch.model_validate(json.loads(body))
        except ValueError:
            await run_in_threadpool(
                service.audit_now,
                f"device:{device}",
                request.url.path,
                "malformed",
                remote=remote(request),
            )
            raise Refused(
                422, "malformed", 'expected {"submissions": [{"id": ..., "envelope": ...}]}'
            ) from None
        if len(batch.submissions) > 50:
            raise Refused(413, "batch_too_large", "send at most 50 submissions at once")
        results = await run_in_threadpool(
            service.receive, device, [(item.id, item.envelope) for item in batch.submissions]
        )
        return {"results": [r.to_json() for r in results]}

    def token_answer(token: str) -> dict[str, Any]:
        member = service.staff.check(token)
        ends_at = service.staff.session_end(member) if member is not None else None
        if member is None or ends_at is None:
            raise Refused(401, "not_signed_in", "Sign in first.")  # ended meanwhile
        return {
            "token": token,
            "token_type": "bearer",
            "expires_in": min(TOKEN_TTL_S, max(0, round(ends_at - service.clock()))),
            "username": member.username,
            "role": member.role,
            "must_change_password": member.must_change_password,
            "session_ends_at": iso_time(ends_at),
        }

    @app.post(f"{API}/auth/token")
    def token(body: LoginRequest, request: Request) -> dict[str, Any]:
        return token_answer(service.staff.login(body.username, body.password, remote(request)))

    @app.post(f"{API}/auth/refresh")
    def refresh(request: Request, member: StaffMember = staff(*ROLES)) -> dict[str, Any]:  # noqa: B008
        """A fresh token for the same session; the one sent is refused from now on. The
        session's end does not move: ``expires_in`` never reaches past it."""
        return token_answer(service.staff.issue(member, remote(request)))

    @app.post(f"{API}/auth/sign-out", status_code=204)
    def sign_out(request: Request, member: StaffMember = staff(*ROLES)) -> Response:  # noqa: B008
        """End this session on the server: its tokens are refused (401) from now on."""
        service.staff.sign_out(member, remote(request))
        return Response(status_code=204)

    @app.post(f"{API}/auth/password")
    def change_password(
        body: PasswordChange,
        request: Request,
        member: StaffMember = staff(*ROLES),  # noqa: B008
    ) -> dict[str, Any]:
        """Change your own password (the current one is required). Ends your other
        sessions; answers a fresh token for this one."""
        token = service.staff.change_password(
            member, body.current_password, body.new_password, remote(request)
        )
        return {"changed": True, **token_answer(token)}

    @app.get(f"{API}/queue")
    def queue(
        request: Request,
        day: str | None = None,
        clinic: Annotated[str | None, Query(max_length=80)] = None,
        status: Annotated[str | None, Query(max_length=16)] = None,
        flag: Annotated[str | None, Query(max_length=64)] = None,
        member: StaffMember = staff("clinician", "link_worker", "receptionist"),  # noqa: B008
    ) -> dict[str, Any]:
        try:
            when = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise Refused(422, "bad_value", "day must be a date like 2026-11-24") from None
        return service.casework.queue(
            member, when, clinic=clinic, status=status, flag=flag, remote=remote(request)
        )

    @app.get(f"{API}/submissions/{{submission_id}}")
    def summary(
        submission_id: str,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.casework.summary(member, submission_id[:64], remote(request))

    @app.put(f"{API}/submissions/{{submission_id}}/triage")
    def triage(
        submission_id: str,
        body: TriageUpdate,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.casework.save_triage(
            member,
            submission_id[:64],
            body.version,
            body.status,
            body.owner,
            body.notes,
            remote(request),
        )

    @app.post(f"{API}/submissions/{{submission_id}}/referrals", status_code=201)
    def add_referral(
        submission_id: str,
        body: NewReferral,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.casework.add_referral(
            member, submission_id[:64], body.kind, body.referred_on, body.notes, remote(request)
        )

    @app.put(f"{API}/referrals/{{referral_id}}")
    def update_referral(
        referral_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        body: ReferralUpdate,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.casework.update_referral(
            member,
            referral_id,
            body.version,
            body.outcome,
            body.outcome_on,
            body.notes,
            remote(request),
        )

    @app.get(f"{API}/audit")
    def audit(
        request: Request,
        target: Annotated[str | None, Query(max_length=100)] = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 200,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        entries = service.casework.audit_entries(
            member, target=target, actor=actor, limit=limit, remote=remote(request)
        )
        return {"entries": entries}

    @app.get(f"{API}/admin/users")
    def users(
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        return {"users": service.accounts.list_users(member.actor, remote(request))}

    def export_options(
        project: str,
        purpose: str,
        free_text: bool,
        shift_dates: bool,
        clinics: tuple[str, ...] | None = None,
    ) -> Any:
        from kiosk.clinic.export import ExportError, ExportOptions

        options = ExportOptions(project, purpose, free_text, shift_dates, clinics)
        try:
            options.check()
        except ExportError as exc:
            raise Refused(422, "bad_value", str(exc)) from None
        return options

    @app.get(
        f"{API}/admin/exports/anonymised.csv",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def export_anonymised(
        request: Request,
        project: Annotated[str, Query(max_length=64)],
        purpose: Annotated[str, Query(max_length=400)],
        free_text: bool = False,
        shift_dates: bool = False,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> StreamingResponse:
        from kiosk.clinic.export import start_export

        options = export_options(project, purpose, free_text, shift_dates, member.clinics)
        exporter = start_export(service, options, member.actor, remote=remote(request))
        assert exporter.run is not None
        name = f"{options.project}-anonymised{'-free-text' if free_text else ''}.csv"
        return StreamingResponse(
            exporter.run.csv(exporter),  # audited again when the stream ends
            media_type="text/csv; charset=utf-8",
            headers=attachment(name),
        )

    @app.get(
        f"{API}/admin/exports/fhir.json",
        response_class=StreamingResponse,
        responses={200: {"content": {"application/fhir+json": {}}}},
    )
    def export_fhir(
        request: Request,
        project: Annotated[str, Query(max_length=64)],
        purpose: Annotated[str, Query(max_length=400)],
        identified: bool = False,
        free_text: bool = False,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> StreamingResponse:
        from kiosk.clinic.export import fhir_chunks, start_export

        options = export_options(project, purpose, free_text, False, member.clinics)
        what = "fhir_identified" if identified else "fhir_anonymised"
        run = start_export(service, options, member.actor, what=what, remote=remote(request)).run
        assert run is not None
        name = f"{options.project}-fhir{'-identified' if identified else ''}.json"
        return StreamingResponse(
            run.fhir(fhir_chunks(service, options, identified=identified)),
            media_type="application/fhir+json",
            headers=attachment(name),
        )

    @app.get(
        f"{API}/admin/reports/board.{{kind}}",
        responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}},
    )
    def report(
        request: Request,
        kind: str,
        first: Annotated[str, Query(max_length=7, description="YYYY-MM")],
        last: Annotated[str, Query(max_length=7, description="YYYY-MM")],
        clinic: Annotated[str | None, Query(max_length=80)] = None,
        project: Annotated[str | None, Query(max_length=64)] = None,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> Response:
        from kiosk.clinic.export import board_report

        if kind not in ("pdf", "csv"):
            raise Refused(404, "not_found", "A report is board.pdf or board.csv.")
        if project is not None:  # it names the file: the export's rule for project names
            export_options(project, "the board report's file name", False, False)
        try:
            body = board_report(
                service,
                first=first,
                last=last,
                clinic=clinic,
                kind=kind,
                actor=member.actor,
                remote=remote(request),
                clinics=member.clinics,
            )
        except ValueError as exc:
            raise Refused(422, "bad_value", str(exc)) from None
        name = f"{project or 'report'}-report-{first}-{last}.{kind}"
        media = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
        return Response(
            body,
            media_type=media,
            headers=attachment(name),
        )

    @app.get(f"{API}/admin/exports/dictionary.md", response_class=PlainTextResponse)
    def export_dictionary(
        request: Request,
        project: Annotated[str, Query(max_length=64)],
        free_text: bool = False,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> PlainTextResponse:
        from kiosk.clinic.export import Exporter

        options = export_options(project, "the data dictionary", free_text, False)
        text = Exporter(service, options).dictionary()
        service.audit_now(
            member.actor, "read_dictionary", "ok", target=f"project {project}",
            remote=remote(request),
        )  # fmt: skip
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")

    @app.get(f"{API}/admin/exports/appointments.csv", response_class=PlainTextResponse)
    def export_appointments(
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> PlainTextResponse:
        from kiosk.clinic.export import scoped_appointments_csv

        with service.transaction() as db:
            text = scoped_appointments_csv(db, member.clinics)
            service.audit(db, member.actor, "export", "ok: appointments", remote=remote(request))
        return PlainTextResponse(text, media_type="text/csv; charset=utf-8")

    @app.get(f"{API}/admin/devices")
    def devices(
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        return {"devices": service.casework.devices(member, remote(request))}

    @app.get(f"{API}/flags")
    def flags(
        request: Request,
        member: StaffMember = staff("clinician", "link_worker"),  # noqa: B008
    ) -> dict[str, Any]:
        return {"flags": service.open_flags(member, remote(request))}

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

    held = HeldReview(service)

    @app.get(f"{API}/admin/held")
    def held_list(
        request: Request,
        include_resolved: bool = False,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Submissions held at the clinic: what, when, from which tablet, why (audited)."""
        entries = held.entries(
            member.actor, include_resolved=include_resolved, remote=remote(request)
        )
        return {"held": entries}

    @app.post(f"{API}/admin/held/reprocess")
    def held_reprocess_all(
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Re-process every held submission (after a fix); one result each (audited)."""
        return {"results": held.reprocess_all(member.actor, remote(request))}

    @app.post(
        f"{API}/admin/held/{{held_id}}/reprocess",
        responses={
            404: {"description": "no such held submission"},
            409: {"description": "stored already"},
        },
    )
    def held_reprocess(
        held_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Re-process one held submission: stored (resolved), or held with its new reason."""
        return held.reprocess(member.actor, held_id, remote(request))

    @app.post(f"{API}/admin/users", status_code=201)
    def add_user(
        body: NewUser,
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        service.accounts.add(
            body.username, body.role, body.password, member.actor,
            clinics=body.clinics, remote=remote(request),
        )  # fmt: skip
        return {"username": body.username, "role": body.role}

    account_errors: dict[int | str, dict[str, Any]] = {
        404: {"description": "no such user"},
        409: {"description": "it would leave no active administrator"},
    }

    @app.post(f"{API}/admin/users/{{username}}/disable", responses=account_errors)
    def disable_user(
        username: Annotated[str, Path(max_length=64)],
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Disable an account (someone left): every session of theirs ends at once."""
        service.accounts.disable(username, member.actor, remote(request))
        return {"username": username, "state": "disabled"}

    @app.post(f"{API}/admin/users/{{username}}/enable", responses=account_errors)
    def enable_user(
        username: Annotated[str, Path(max_length=64)],
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        service.accounts.enable(username, member.actor, remote(request))
        return {"username": username, "state": "active"}

    @app.post(f"{API}/admin/users/{{username}}/reset-password", responses=account_errors)
    def reset_password(
        username: Annotated[str, Path(max_length=64)],
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """A one-time password, shown this once, to be changed at the next sign-in;
        every session of the user's ends."""
        one_time = service.accounts.reset_password(username, member.actor, remote(request))
        return {"username": username, "one_time_password": one_time}

    @app.put(f"{API}/admin/users/{{username}}/role", responses=account_errors)
    def set_role(
        username: Annotated[str, Path(max_length=64)],
        body: NewRole,
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Change a user's role; every session of theirs ends."""
        service.accounts.set_role(username, body.role, member.actor, remote(request))
        return {"username": username, "role": body.role}

    @app.put(f"{API}/admin/users/{{username}}/clinics")
    def set_user_clinics(
        username: Annotated[str, Path(max_length=64)],
        body: ClinicsUpdate,
        request: Request,
        member: StaffMember = staff("administrator"),  # noqa: B008
    ) -> dict[str, Any]:
        """Limit a user to some clinics (null: every clinic); ends all their sessions."""
        from kiosk.clinic.scope import set_clinics

        clinics = set_clinics(service, username, body.clinics, member.actor, remote(request))
        return {"username": username, "clinics": None if clinics is None else list(clinics)}

    return app
