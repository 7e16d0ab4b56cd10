"""The bodies of the clinic API as pydantic models: requests (checked on the way in)
and responses (described in the OpenAPI document).

Response models allow extra keys, so a body is never cut short by its description;
they name the keys every answer carries. The administrators' bodies are in
``admin_schemas``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kiosk.clinic.limits import MAX_BODY

MAX_ID = 2**31 - 1  # the largest row id or version every database's integer column holds


# ---------------------------------------------------------------- requests


class Body(BaseModel):
    """A request body. No text in it may hold a NUL character: PostgreSQL cannot store
    one, so it is refused here (422) for every body, before it reaches a query."""

    @model_validator(mode="after")
    def _no_nul(self) -> Self:
        for name, value in self:
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"{name} holds a NUL character")
        return self


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


# ---------------------------------------------------------------- responses


class Answer(BaseModel):
    """A JSON answer: the keys named are always there; others may be too."""

    model_config = ConfigDict(extra="allow")


class ErrorAnswer(Answer):
    error: str = Field(description="the error code: what a program acts on")
    message: str = Field(description="plain words for a person")


class ClinicListAnswer(Answer):
    day: str
    csv: str


class TabletConfigAnswer(Answer):
    version: str = Field(description="changes whenever anything below does (also the ETag)")
    clinic_keys: list[str]
    pathways: str
    forms: dict[str, str]
    clinic_list: ClinicListAnswer | None


class Enrolled(Answer):
    device_id: str
    certificate_fingerprint: str
    answer: str
    clinic_keys: list[str]
    config: TabletConfigAnswer


class SubmissionResult(Answer):
    id: str
    status: int = Field(description="201 stored, 200 a duplicate, 409 a conflict, 422 held")
    receipt: str | None = Field(default=None, description="SHA-256 of the envelope kept")
    held: str | None = Field(default=None, description="why it is held, if it is")


class SubmissionResults(Answer):
    results: list[SubmissionResult]


class TokenAnswer(Answer):
    token: str
    token_type: str
    expires_in: int
    username: str
    role: str
    must_change_password: bool
    session_ends_at: str


class PasswordChanged(TokenAnswer):
    changed: bool


class FlagShown(Answer):
    id: str
    form_id: str
    severity: str
    reason: str
    word: str | None = None  # its short name on staff lists, as its form declares it


class SubmissionHeads(Answer):
    """What a queue item and a summary both open with (their keys in this order)."""

    submission_id: str
    started_at: str | None
    received_at: str | None
    complete: bool
    pathway: str | None
    pathway_title: str | None


class QueueItem(SubmissionHeads):
    clinic: str | None
    appointment_time: str | None
    patient: dict[str, Any] | None
    urgency: int
    urgency_label: str
    flags: list[FlagShown]
    status: str
    owner: str | None
    version: int


class Queue(Answer):
    day: str
    clinics: list[str]
    counts: dict[str, int]
    items: list[QueueItem]


class TriageState(Answer):
    status: str
    owner: str | None
    notes: str
    version: int
    updated_at: str | None
    updated_by: str | None


class ReferralState(Answer):
    id: int
    submission_id: str
    kind: str
    referred_on: str
    outcome: str
    outcome_on: str | None
    notes: str
    version: int
    created_by: str | None


# ---------------------------------------------------------------- putting a link right


class LinkCorrection(Body):
    """Re-link (naming one of appointment_id, nhs_number, hospital_number), unlink or
    void a submission, from the link version last read."""

    action: str = Field(max_length=16, description="relink, unlink or void")
    reason: str = Field(max_length=2_000, description="why (required; at most 500 characters)")
    version: int = Field(ge=0, le=MAX_ID, description="the summary's link_version")
    appointment_id: str | None = Field(default=None, max_length=64)
    nhs_number: str | None = Field(default=None, max_length=20)
    hospital_number: str | None = Field(default=None, max_length=20)


class LinkSide(Answer):
    patient: dict[str, Any] | None = Field(description="who was named; null: nobody")
    clinic: str | None
    appointment_time: str | None


class LinkChangeShown(Answer):
    action: str
    at: str
    by: str
    reason: str
    before: LinkSide | None
    after: LinkSide | None = Field(description="null for a void")


class Voided(Answer):
    at: str
    by: str
    reason: str


class LinkState(Answer):
    submission_id: str
    clinic: str | None
    appointment_time: str | None
    patient: dict[str, Any] | None
    voided: Voided | None
    link_version: int
    link_history: list[LinkChangeShown]


class Summary(SubmissionHeads):
    language: str
    clinic: str | None
    appointment_time: str | None
    patient: dict[str, Any] | None
    flags: list[FlagShown]
    forms: list[dict[str, Any]]
    history: list[dict[str, Any]]
    triage: TriageState
    referrals: list[ReferralState]
    link_history: list[LinkChangeShown]
    link_version: int = Field(description="send it back with a link correction")
    voided: Voided | None


class OpenFlag(Answer):
    submission_id: str
    form_id: str
    flag: str
    severity: str
    raised_at: str
    pathway: str | None


class OpenFlags(Answer):
    flags: list[OpenFlag]


# ---------------------------------------------------------------- the day's clinic list


class ProgressReport(Body):
    """A tablet's report of how far an appointment's patient has got today."""

    appointment_id: str = Field(min_length=1, max_length=64)
    stage: str = Field(min_length=1, max_length=16, description="checked_in or started")


class ProgressKept(Answer):
    stage: str = Field(description="the stage now kept: never behind one reported before")


class DayAnswers(Answer):
    """What an appointment's submissions say (none yet: no ids, no route)."""

    submission_ids: list[str]
    route: str | None
    urgency: int | None = Field(description="caseworkers only, once finished; else null")
    urgency_label: str | None
    flags: list[FlagShown]


class DayAppointment(DayAnswers):
    appointment_id: str
    time: str
    clinic: str
    name: str
    stage: str


class NotOnList(DayAnswers):
    time: str | None
    clinic: str | None
    stage: str
    started_at: str | None


class ClinicDayAnswer(Answer):
    day: str
    clinics: list[str]
    counts: dict[str, int]
    routes: dict[str, int]
    appointments: list[DayAppointment]
    not_on_list: list[NotOnList]


# ---------------------------------------------------------------- answers keyed in by staff

AnswerKey = Annotated[str, Field(max_length=64)]


class NewEntry(Body):
    """A pathway's answers keyed in at the console: a paper form, or completed with the
    patient (``assisted``). Name at most one of appointment_id, nhs_number and
    hospital_number (none: anonymous)."""

    entry_id: str = Field(
        min_length=32,
        max_length=32,
        pattern="^[0-9a-f]{32}$",
        description="chosen by the client, once per entry: saving it again stores it once",
    )
    pathway: str = Field(min_length=1, max_length=64)
    language: str = Field(min_length=1, max_length=16)
    route: str = Field(max_length=16, description="paper or assisted")
    answers: dict[AnswerKey, dict[AnswerKey, Any]] = Field(
        max_length=50, description="form id -> item id -> the answer (its code, number, text)"
    )
    complete: bool = Field(default=True, description="false: the patient stopped part way")
    appointment_id: str | None = Field(default=None, max_length=64)
    nhs_number: str | None = Field(default=None, max_length=20)
    hospital_number: str | None = Field(default=None, max_length=20)
    clinic: str | None = Field(default=None, max_length=80, description="without an appointment")
    filled_on: dt.date | None = Field(
        default=None, description="the day the paper form was filled in; null: today"
    )


class EntryPathway(Answer):
    id: str
    title: str
    forms: list[str]
    languages: list[str]


class EntryItem(Answer):
    id: str
    type: str
    codes: list[str] = Field(description="the answer codes, as printed on the paper form")


class EntryForm(Answer):
    hash: str
    text: str = Field(description="the form file, for the console's own copy of the engine")
    items: list[EntryItem]


class EntryForms(Answer):
    pathways: list[EntryPathway]
    forms: dict[str, EntryForm]


class EntryStored(Answer):
    submission_id: str
    route: str
    entered_by: str | None
    started_at: str
    complete: bool
    urgency: int | None = Field(description="caseworkers only; else null")
    urgency_label: str | None
    flags: list[FlagShown] | None = Field(description="caseworkers only; else null")
    repeat: bool = Field(description="true: this entry was saved before; nothing new stored")


class EntryProblemShown(Answer):
    form: str
    item: str | None
    code: str
    message: str


class EntryRefusedAnswer(ErrorAnswer):
    problems: list[EntryProblemShown] = Field(description="every problem, in the forms' order")
