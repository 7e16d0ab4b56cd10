"""The clinic service's HTTP API (FastAPI): a thin layer over ClinicService.

docs/sync-protocol.md describes the tablet side; the OpenAPI description is at
``/openapi.json``. The routes are in ``kiosk.clinic.api`` (tablet, staff, admin);
this module puts them together with the body limits and the error handlers.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool

from kiosk.clinic.api.access import Access, no_nul_in_url
from kiosk.clinic.api.admin import CLINIC_LIST_FHIR, admin_router, attachment
from kiosk.clinic.api.errors import install as install_error_handlers
from kiosk.clinic.api.staff import staff_router
from kiosk.clinic.api.tablet import tablet_router
from kiosk.clinic.limits import (
    FHIR_BUNDLE_BODY,
    MAX_BODY,
    STAFF_BODY,
    UNSIGNED_BODY,
    BodyLimits,
    client_of,
)
from kiosk.clinic.service import ClinicService
from kiosk.vocabulary import API_PREFIX, AUTH_TOKEN, ENROL, SUBMISSIONS, TABLET_CONFIG

__all__ = ["attachment", "create_app"]


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
            API_PREFIX + SUBMISSIONS: MAX_BODY,  # signed: sealed envelopes from a tablet
            API_PREFIX + TABLET_CONFIG: MAX_BODY,
            API_PREFIX + AUTH_TOKEN: UNSIGNED_BODY,  # anyone may send these
            API_PREFIX + ENROL: UNSIGNED_BODY,
            API_PREFIX + CLINIC_LIST_FHIR: FHIR_BUNDLE_BODY,  # a day's appointments
        },
        default=STAFF_BODY,
        refused=body_too_large,
    )
    install_error_handlers(app, service)
    access = Access(service)
    for router in (
        tablet_router(service, access),
        staff_router(service, access),
        admin_router(service, access),
    ):
        # Each route is the app's own (not a lazily included router), so the app's
        # route list, its OpenAPI document and its matching all see every route.
        app.router.routes.extend(router.routes)
    return app
