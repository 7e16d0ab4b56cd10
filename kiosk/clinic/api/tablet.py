"""The tablets' routes: health (for monitoring), enrolment, and the signed routes
(configuration, submissions). Signed routes read the raw body themselves, because
the signature covers its exact bytes (docs/sync-protocol.md).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from kiosk import __version__
from kiosk.clinic.api.access import Access, no_nul_in_url
from kiosk.clinic.api.errors import REFUSED_AT_THE_DOOR, remote
from kiosk.clinic.api.schemas import (
    Answer,
    Enrolled,
    EnrolRequest,
    ProgressKept,
    ProgressReport,
    SubmissionBatch,
    SubmissionResults,
    TabletConfigAnswer,
)
from kiosk.clinic.errors import ClinicError, Invalid
from kiosk.clinic.receiving import check_batch
from kiosk.sync.signing import HEADER_CONFIG_ETAG
from kiosk.vocabulary import (
    API_PREFIX,
    ENROL,
    HEALTH,
    SUBMISSIONS,
    TABLET_CONFIG,
    TABLET_PROGRESS,
)

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

log = logging.getLogger(__name__)


class Health(Answer):
    status: str = Field(description='"ok", or "unavailable" (503) with a reason')
    version: str | None = Field(default=None, description="the service's version")
    schema_: str | None = Field(default=None, alias="schema", description="the database's")


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


CONFIG_ANNOUNCED = {
    HEADER_CONFIG_ETAG: {
        "description": "the configuration's current ETag (as GET tablet/config gives it); "
        "absent if it could not be read just then",
        "schema": {"type": "string"},
    }
}


def _config_version(service: ClinicService) -> str | None:
    """The configuration's version, or None if it cannot be read now: the batch is
    stored either way, and the tablet then asks for the configuration itself."""
    try:
        return service.config.version()
    except (SQLAlchemyError, OSError, ClinicError) as exc:
        log.warning("configuration version not announced (%s)", type(exc).__name__)
        return None


def tablet_router(service: ClinicService, access: Access) -> APIRouter:
    # What the forms folders serve is read now, once for the serving process, rather than
    # by the first batch (and every batch arriving beside it, which would wait for it).
    service.catalogue.served(service.library)
    router = APIRouter(prefix=API_PREFIX, tags=["tablet"], dependencies=[Depends(no_nul_in_url)])

    @router.get(
        HEALTH,
        responses={
            200: {"model": Health},
            503: {"model": Health, "description": "the clinic database cannot be reached"},
        },
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

    @router.post(ENROL, status_code=201, response_model=Enrolled)
    def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
        return service.enrol(body.code_id, body.device_key, body.name, body.proof, remote(request))

    @router.get(
        TABLET_CONFIG,
        response_model=TabletConfigAnswer,
        responses={304: {"description": "unchanged"}, **REFUSED_AT_THE_DOOR},
    )
    async def config(
        request: Request, if_none_match: Annotated[str | None, Header()] = None
    ) -> Response:
        await access.signed_body(request)
        current = await run_in_threadpool(service.tablet_config)
        if if_none_match and if_none_match.strip('"') == current["version"]:
            return Response(status_code=304)
        return JSONResponse(current, headers={"ETag": f'"{current["version"]}"'})

    @router.post(
        SUBMISSIONS,
        response_model=SubmissionResults,
        response_model_exclude_unset=True,
        responses={200: {"headers": CONFIG_ANNOUNCED}, **REFUSED_AT_THE_DOOR},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _inlined(SubmissionBatch)}},
            }
        },
    )
    async def submissions(request: Request, response: Response) -> dict[str, Any]:
        """Store each submission once; the answer also says the configuration's current
        ETag, so a tablet holding it need not ask for the configuration after its batch."""
        device, body = await access.signed_body(request)
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
            raise Invalid(
                'expected {"submissions": [{"id": ..., "envelope": ...}]}', code="malformed"
            ) from None
        items = [(item.id, item.envelope) for item in batch.submissions]
        check_batch(items)
        results = await run_in_threadpool(service.receive, device, items)
        version = await run_in_threadpool(_config_version, service)
        if version is not None:
            response.headers[HEADER_CONFIG_ETAG] = f'"{version}"'
        return {"results": [r.to_json() for r in results]}

    @router.post(
        TABLET_PROGRESS,
        response_model=ProgressKept,
        responses=REFUSED_AT_THE_DOOR,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _inlined(ProgressReport)}},
            }
        },
    )
    async def progress(request: Request) -> dict[str, Any]:
        """How far the patient of one of today's appointments has got (checked in,
        started): kept as the appointment's keyed HMAC, never going backwards."""
        device, body = await access.signed_body(request)
        try:
            report = ProgressReport.model_validate(json.loads(body))
        except ValueError:
            raise Invalid(
                'expected {"appointment_id": ..., "stage": ...}', code="malformed"
            ) from None
        stage = await run_in_threadpool(
            service.progress.report, device, report.appointment_id, report.stage, remote(request)
        )
        return {"stage": stage}

    return router
