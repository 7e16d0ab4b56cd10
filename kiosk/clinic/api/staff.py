"""The staff routes: signing in and sessions, the queue, one submission's summary,
triage, referrals and open flags. Every read of patient data is audited by the
service.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from kiosk.clinic.api.access import Access, staff_routes
from kiosk.clinic.api.errors import remote
from kiosk.clinic.api.schemas import (
    MAX_ID,
    ClinicDayAnswer,
    EntryForms,
    EntryRefusedAnswer,
    EntryStored,
    ErrorAnswer,
    LinkCorrection,
    LinkState,
    LoginRequest,
    NewEntry,
    NewReferral,
    OpenFlags,
    PasswordChange,
    PasswordChanged,
    Queue,
    ReferralState,
    ReferralUpdate,
    Summary,
    TokenAnswer,
    TriageState,
    TriageUpdate,
)
from kiosk.clinic.entries import Entry
from kiosk.clinic.errors import Invalid, Unauthenticated
from kiosk.clinic.members import StaffMember
from kiosk.clinic.staff import TOKEN_TTL_S, iso_time
from kiosk.vocabulary import (
    AUTH_PASSWORD,
    AUTH_REFRESH,
    AUTH_SIGN_OUT,
    AUTH_TOKEN,
    CASEWORKERS,
    CLINIC_DAY,
    ENTERERS,
    ENTRIES,
    ENTRY_FORMS,
    FLAGS,
    LINK_CORRECTORS,
    QUEUE,
    QUEUE_READERS,
    REFERRAL,
    ROLES,
    SUBMISSION,
    SUBMISSION_LINK,
    SUBMISSION_REFERRALS,
    SUBMISSION_TRIAGE,
)

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService


def staff_router(service: ClinicService, access: Access) -> APIRouter:
    router = staff_routes("staff")
    staff = access.staff

    def token_answer(token: str) -> dict[str, Any]:
        member = service.staff.check(token)
        ends_at = service.staff.session_end(member) if member is not None else None
        if member is None or ends_at is None:
            raise Unauthenticated("Sign in first.")  # ended meanwhile
        return {
            "token": token,
            "token_type": "bearer",
            "expires_in": min(TOKEN_TTL_S, max(0, round(ends_at - service.clock()))),
            "username": member.username,
            "role": member.role,
            "must_change_password": member.must_change_password,
            "session_ends_at": iso_time(ends_at),
        }

    @router.post(AUTH_TOKEN, response_model=TokenAnswer)
    def token(body: LoginRequest, request: Request) -> dict[str, Any]:
        return token_answer(service.staff.login(body.username, body.password, remote(request)))

    @router.post(AUTH_REFRESH, response_model=TokenAnswer)
    def refresh(request: Request, member: StaffMember = staff(*ROLES)) -> dict[str, Any]:  # noqa: B008
        """A fresh token for the same session; the one sent is refused from now on. The
        session's end does not move: ``expires_in`` never reaches past it."""
        return token_answer(service.staff.issue(member, remote(request)))

    @router.post(AUTH_SIGN_OUT, status_code=204)
    def sign_out(request: Request, member: StaffMember = staff(*ROLES)) -> Response:  # noqa: B008
        """End this session on the server: its tokens are refused (401) from now on."""
        service.staff.sign_out(member, remote(request))
        return Response(status_code=204)

    @router.post(AUTH_PASSWORD, response_model=PasswordChanged)
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

    @router.get(QUEUE, response_model=Queue)
    def queue(
        request: Request,
        day: str | None = None,
        clinic: Annotated[str | None, Query(max_length=80)] = None,
        status: Annotated[str | None, Query(max_length=16)] = None,
        flag: Annotated[str | None, Query(max_length=64)] = None,
        member: StaffMember = staff(*QUEUE_READERS),  # noqa: B008
    ) -> dict[str, Any]:
        try:
            when = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise Invalid("day must be a date like 2026-11-24") from None
        return service.casework.queue(
            member, when, clinic=clinic, status=status, flag=flag, remote=remote(request)
        )

    @router.get(CLINIC_DAY, response_model=ClinicDayAnswer)
    def clinic_day(
        request: Request,
        day: str | None = None,
        member: StaffMember = staff(*QUEUE_READERS),  # noqa: B008
    ) -> dict[str, Any]:
        """The day's whole clinic list (default today): each appointment's stage, the
        counts, and the day's submissions that match no appointment on it."""
        try:
            when = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise Invalid("day must be a date like 2026-11-24") from None
        return service.clinic_day.read(member, when, remote=remote(request))

    @router.get(ENTRY_FORMS, response_model=EntryForms)
    def entry_forms(member: StaffMember = staff(*ENTERERS)) -> dict[str, Any]:  # noqa: B008
        """Every pathway staff may key in, its languages, and its forms' files with each
        item's answer codes as the paper form prints them."""
        return service.entries.forms(member)

    @router.post(
        ENTRIES,
        status_code=201,
        response_model=EntryStored,
        responses={
            422: {
                # Answers the engine refused (with every problem), or a field refused
                # before the answers are read (bad_value, such as an unknown route).
                "model": EntryRefusedAnswer | ErrorAnswer,
                "description": "answers refused, or a bad value",
            }
        },
    )
    def add_entry(
        body: NewEntry,
        request: Request,
        response: Response,
        member: StaffMember = staff(*ENTERERS),  # noqa: B008
    ) -> dict[str, Any]:
        """A pathway's answers keyed in (a paper form, or completed with the patient),
        checked by the engine and stored as a tablet's submission, with its route and
        who entered it. The same ``entry_id`` again stores nothing new (200, repeat)."""
        entry = Entry(
            entry_id=body.entry_id,
            pathway=body.pathway,
            language=body.language,
            route=body.route,
            answers=body.answers,
            complete=body.complete,
            appointment_id=body.appointment_id,
            nhs_number=body.nhs_number,
            hospital_number=body.hospital_number,
            clinic=body.clinic,
            filled_on=body.filled_on,
        )
        stored = service.entries.enter(member, entry, remote(request))
        if stored["repeat"]:
            response.status_code = 200
        return stored

    @router.get(SUBMISSION, response_model=Summary)
    def summary(
        submission_id: str,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.casework.summary(member, submission_id[:64], remote(request))

    # The edits below look alike on purpose: each unpacks its body into plain
    # arguments, since the service takes no HTTP models.
    @router.put(SUBMISSION_TRIAGE, response_model=TriageState)
    def triage(
        submission_id: str,
        body: TriageUpdate,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.case_edits.save_triage(
            member,
            submission_id[:64],
            body.version,
            body.status,
            body.owner,
            body.notes,
            remote(request),
        )

    @router.post(SUBMISSION_REFERRALS, status_code=201, response_model=ReferralState)
    def add_referral(
        submission_id: str,
        body: NewReferral,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.case_edits.add_referral(
            member, submission_id[:64], body.kind, body.referred_on, body.notes, remote(request)
        )

    @router.put(REFERRAL, response_model=ReferralState)
    def update_referral(
        referral_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        body: ReferralUpdate,
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return service.case_edits.update_referral(
            member,
            referral_id,
            body.version,
            body.outcome,
            body.outcome_on,
            body.notes,
            remote(request),
        )

    @router.post(SUBMISSION_LINK, response_model=LinkState)
    def correct_link(
        submission_id: str,
        body: LinkCorrection,
        request: Request,
        member: StaffMember = staff(*LINK_CORRECTORS),  # noqa: B008
    ) -> dict[str, Any]:
        """Re-link, unlink or void a submission, with a reason (voiding: caseworkers
        only). A stale ``version`` is refused (409) with the current state."""
        return service.link_corrections.correct(
            member,
            submission_id[:64],
            body.action,
            body.version,
            body.reason,
            appointment_id=body.appointment_id,
            nhs_number=body.nhs_number,
            hospital_number=body.hospital_number,
            remote=remote(request),
        )

    @router.get(FLAGS, response_model=OpenFlags)
    def flags(
        request: Request,
        member: StaffMember = staff(*CASEWORKERS),  # noqa: B008
    ) -> dict[str, Any]:
        return {"flags": service.open_flags(member, remote(request))}

    return router
