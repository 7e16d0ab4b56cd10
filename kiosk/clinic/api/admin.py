"""The administrators' routes: accounts, tablets and enrolment codes, held
submissions, the audit log, exports and the board report; clinic lists from a FHIR
Bundle of the hospital's appointments.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from kiosk.clinic.api.access import Access, staff_routes
from kiosk.clinic.api.admin_schemas import (
    AuditEntries,
    ClinicListsImported,
    ClinicsUpdate,
    Devices,
    EnrolmentCodeAnswer,
    FhirBundle,
    HeldList,
    NewRole,
    NewUser,
    OneTimePassword,
    Reprocessed,
    ReprocessedAll,
    Revoked,
    UserClinics,
    UserRole,
    Users,
    UserState,
)
from kiosk.clinic.api.errors import remote
from kiosk.clinic.api.schemas import MAX_ID
from kiosk.clinic.enrolment import CODE_TTL_S
from kiosk.clinic.errors import Invalid, NotFound
from kiosk.clinic.exports.anonymity import ExportOptions
from kiosk.clinic.exports.audit import start_export
from kiosk.clinic.exports.board import board_report, scoped_appointments_csv
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.exports.fhir import fhir_chunks
from kiosk.clinic.members import StaffMember
from kiosk.clinic.scope import set_clinics
from kiosk.exchange.errors import FhirBundleError

# The same route names the console's admin_calls imports: both ends of the wire.
from kiosk.vocabulary import (
    ACTIVE,
    ADMINISTRATOR,
    AUDIT,
    BOARD_REPORT,
    DEVICE_REVOKE,
    DEVICES,
    DISABLED,
    ENROLMENT_CODES,
    EXPORT_ANONYMISED,
    EXPORT_APPOINTMENTS,
    EXPORT_DICTIONARY,
    EXPORT_FHIR,
    HELD,
    HELD_REPROCESS,
    HELD_REPROCESS_ALL,
    USER_CLINICS,
    USER_DISABLE,
    USER_ENABLE,
    USER_RESET_PASSWORD,
    USER_ROLE,
    USERS,
)

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService

# Not yet called by the console: the hospital's systems, or a script, post the bundle.
CLINIC_LIST_FHIR = "/admin/clinic-list/fhir"


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


def export_options(
    project: str,
    purpose: str,
    free_text: bool,
    shift_dates: bool,
    clinics: tuple[str, ...] | None = None,
) -> ExportOptions:
    """The options of an export, checked (ExportError, an ``Invalid``, if not fit)."""
    options = ExportOptions(project, purpose, free_text, shift_dates, clinics)
    options.check()
    return options


# The parameters several routes take, written once.
Username = Annotated[str, Path(max_length=64)]
ProjectName = Annotated[str, Query(max_length=64)]
Purpose = Annotated[str, Query(max_length=400)]
Month = Annotated[str, Query(max_length=7, description="YYYY-MM")]


def admin_router(service: ClinicService, access: Access) -> APIRouter:
    router = staff_routes("admin")
    admin = access.staff(ADMINISTRATOR)
    plumbing = service.plumbing  # what exports and scope changes are handed
    account_errors: dict[int | str, dict[str, Any]] = {
        404: {"description": "no such user"},
        409: {"description": "it would leave no active administrator"},
    }

    @router.get(AUDIT, response_model=AuditEntries)
    def audit(
        request: Request,
        target: Annotated[str | None, Query(max_length=100)] = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 200,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        entries = service.reads.audit_entries(
            member, target=target, actor=actor, limit=limit, remote=remote(request)
        )
        return {"entries": entries}

    # ---------------------------------------------------------------- accounts

    @router.get(USERS, response_model=Users)
    def users(request: Request, member: StaffMember = admin) -> dict[str, Any]:
        return {"users": service.accounts.list_users(member.actor, remote(request))}

    @router.post(USERS, status_code=201, response_model=UserRole)
    def add_user(body: NewUser, request: Request, member: StaffMember = admin) -> dict[str, Any]:
        service.accounts.add(
            body.username, body.role, body.password, member.actor,
            clinics=body.clinics, remote=remote(request),
        )  # fmt: skip
        return {"username": body.username, "role": body.role}

    @router.post(USER_DISABLE, response_model=UserState, responses=account_errors)
    def disable_user(
        username: Username,
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        """Disable an account (someone left): every session of theirs ends at once."""
        service.accounts.disable(username, member.actor, remote(request))
        return {"username": username, "state": DISABLED}

    @router.post(USER_ENABLE, response_model=UserState, responses=account_errors)
    def enable_user(
        username: Username,
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        service.accounts.enable(username, member.actor, remote(request))
        return {"username": username, "state": ACTIVE}

    @router.post(
        USER_RESET_PASSWORD,
        response_model=OneTimePassword,
        responses=account_errors,
    )
    def reset_password(
        username: Username,
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        """A one-time password, shown this once, to be changed at the next sign-in;
        every session of the user's ends."""
        one_time = service.accounts.reset_password(username, member.actor, remote(request))
        return {"username": username, "one_time_password": one_time}

    @router.put(USER_ROLE, response_model=UserRole, responses=account_errors)
    def set_role(
        username: Username,
        body: NewRole,
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        """Change a user's role; every session of theirs ends."""
        service.accounts.set_role(username, body.role, member.actor, remote(request))
        return {"username": username, "role": body.role}

    @router.put(USER_CLINICS, response_model=UserClinics)
    def set_user_clinics(
        username: Username,
        body: ClinicsUpdate,
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        """Limit a user to some clinics (null: every clinic); ends all their sessions."""
        clinics = set_clinics(
            service.plumbing, username, body.clinics, member.actor, remote(request)
        )
        return {"username": username, "clinics": None if clinics is None else list(clinics)}

    # ---------------------------------------------------------------- clinic lists

    @router.post(
        CLINIC_LIST_FHIR,
        response_model=ClinicListsImported,
        responses={422: {"description": "not a bundle of appointments the clinic can read"}},
    )
    def clinic_list_fhir(
        body: FhirBundle, request: Request, member: StaffMember = admin
    ) -> dict[str, Any]:
        """Each day's clinic list from a FHIR R4 Bundle of Appointments (+ Patients):
        every day it names is replaced whole (all or none), cancelled, no-show and
        entered-in-error appointments left out. A bad bundle is refused (422
        ``bad_bundle``) naming the entry and field (docs/hospital-feeds.md)."""
        try:
            lists = service.hospital.import_fhir(
                body.model_dump(mode="json"), member.actor, remote(request)
            )
        except FhirBundleError as exc:
            raise Invalid(str(exc), code="bad_bundle") from None
        return {"days": [{"day": c.day, "appointments": len(c.appointments)} for c in lists]}

    # ---------------------------------------------------------------- tablets

    @router.get(DEVICES, response_model=Devices)
    def devices(request: Request, member: StaffMember = admin) -> dict[str, Any]:
        return {"devices": service.reads.devices(member, remote(request))}

    @router.post(ENROLMENT_CODES, status_code=201, response_model=EnrolmentCodeAnswer)
    def new_code(member: StaffMember = admin) -> dict[str, Any]:
        return {"code": service.issue_code(member.actor), "expires_in": CODE_TTL_S}

    @router.post(DEVICE_REVOKE, response_model=Revoked)
    def revoke(device_id: str, member: StaffMember = admin) -> dict[str, Any]:
        if not service.revoke(device_id[:16], member.actor):
            raise NotFound("There is no such enrolled tablet.")
        return {"revoked": device_id}

    # ---------------------------------------------------------------- held submissions

    @router.get(HELD, response_model=HeldList)
    def held_list(
        request: Request, include_resolved: bool = False, member: StaffMember = admin
    ) -> dict[str, Any]:
        """Submissions held at the clinic: what, when, from which tablet, why (audited)."""
        entries = service.held.entries(
            member.actor, include_resolved=include_resolved, remote=remote(request)
        )
        return {"held": entries}

    @router.post(HELD_REPROCESS_ALL, response_model=ReprocessedAll)
    def held_reprocess_all(request: Request, member: StaffMember = admin) -> dict[str, Any]:
        """Re-process every held submission (after a fix); one result each (audited)."""
        return {"results": service.held.reprocess_all(member.actor, remote(request))}

    @router.post(
        HELD_REPROCESS,
        response_model=Reprocessed,
        responses={
            404: {"description": "no such held submission"},
            409: {"description": "stored already"},
        },
    )
    def held_reprocess(
        held_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        request: Request,
        member: StaffMember = admin,
    ) -> dict[str, Any]:
        """Re-process one held submission: stored (resolved), or held with its new reason."""
        return service.held.reprocess(member.actor, held_id, remote(request))

    # ---------------------------------------------------------------- exports

    # The two streamed exports look alike on purpose: FastAPI reads each route's own
    # query parameters from its signature, and each names, audits and streams its kind.
    @router.get(
        EXPORT_ANONYMISED,
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def export_anonymised(
        request: Request,
        project: ProjectName,
        purpose: Purpose,
        free_text: bool = False,
        shift_dates: bool = False,
        member: StaffMember = admin,
    ) -> StreamingResponse:
        options = export_options(project, purpose, free_text, shift_dates, member.clinics)
        exporter = start_export(plumbing, options, member.actor, remote=remote(request))
        assert exporter.run is not None
        name = f"{options.project}-anonymised{'-free-text' if free_text else ''}.csv"
        return StreamingResponse(
            exporter.run.csv(exporter),  # audited again when the stream ends
            media_type="text/csv; charset=utf-8",
            headers=attachment(name),
        )

    @router.get(
        EXPORT_FHIR,
        response_class=StreamingResponse,
        responses={200: {"content": {"application/fhir+json": {}}}},
    )
    def export_fhir(
        request: Request,
        project: ProjectName,
        purpose: Purpose,
        identified: bool = False,
        free_text: bool = False,
        member: StaffMember = admin,
    ) -> StreamingResponse:
        options = export_options(project, purpose, free_text, False, member.clinics)
        what = "fhir_identified" if identified else "fhir_anonymised"
        run = start_export(plumbing, options, member.actor, what=what, remote=remote(request)).run
        assert run is not None
        name = f"{options.project}-fhir{'-identified' if identified else ''}.json"
        return StreamingResponse(
            run.fhir(fhir_chunks(plumbing, options, identified=identified)),
            media_type="application/fhir+json",
            headers=attachment(name),
        )

    @router.get(
        BOARD_REPORT,
        responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}},
    )
    def report(
        request: Request,
        kind: str,
        first: Month,
        last: Month,
        clinic: Annotated[str | None, Query(max_length=80)] = None,
        project: Annotated[str | None, Query(max_length=64)] = None,
        member: StaffMember = admin,
    ) -> Response:
        from kiosk.reports.board import BoardReportError  # numpy and scipy: only when asked

        if kind not in ("pdf", "csv"):
            raise NotFound("A report is board.pdf or board.csv.")
        if project is not None:  # it names the file: the export's rule for project names
            export_options(project, "the board report's file name", False, False)
        try:
            body = board_report(
                plumbing,
                first=first,
                last=last,
                clinic=clinic,
                kind=kind,
                actor=member.actor,
                remote=remote(request),
                clinics=member.clinics,
            )
        except BoardReportError as exc:  # a bad period (kiosk.reports)
            raise Invalid(str(exc)) from None
        name = f"{project or 'report'}-report-{first}-{last}.{kind}"
        media = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
        return Response(body, media_type=media, headers=attachment(name))

    @router.get(EXPORT_DICTIONARY, response_class=PlainTextResponse)
    def export_dictionary(
        request: Request,
        project: ProjectName,
        free_text: bool = False,
        member: StaffMember = admin,
    ) -> PlainTextResponse:
        options = export_options(project, "the data dictionary", free_text, False)
        text = Exporter(plumbing, options).dictionary()
        service.audit_now(
            member.actor, "read_dictionary", "ok", target=f"project {project}",
            remote=remote(request),
        )  # fmt: skip
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")

    @router.get(EXPORT_APPOINTMENTS, response_class=PlainTextResponse)
    def export_appointments(request: Request, member: StaffMember = admin) -> PlainTextResponse:
        with service.transaction() as db:
            text = scoped_appointments_csv(db, member.clinics)
            service.audit(db, member.actor, "export", "ok: appointments", remote=remote(request))
        return PlainTextResponse(text, media_type="text/csv; charset=utf-8")

    return router
