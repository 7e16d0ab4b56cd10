"""The bodies of the administrators' routes (kiosk/clinic/api/admin.py): staff
accounts, a day's clinic list sent as FHIR, the audit log, tablets and held
submissions. The bodies every router shares are in ``schemas``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from kiosk.clinic.api.schemas import Answer, Body
from kiosk.vocabulary import ROLES

# ---------------------------------------------------------------- requests


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


class FhirBundle(Body):
    """A FHIR R4 Bundle of Appointment resources with their Patients (and Locations),
    as docs/hospital-feeds.md maps it; other keys and resources are allowed and left."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["Bundle"]  # FHIR's own name
    entry: list[dict[str, Any]] = Field(default_factory=list, max_length=20_000)


# ---------------------------------------------------------------- responses


class ClinicListDayCount(Answer):
    day: dt.date
    appointments: int = Field(description="appointments kept on the day's list")


class ClinicListsImported(Answer):
    days: list[ClinicListDayCount] = Field(
        description="each day the bundle names, its list replaced whole; cancelled left out"
    )


class AuditRow(Answer):
    at: str
    actor: str
    action: str
    target: str | None
    outcome: str
    remote: str | None
    detail: str | None


class AuditEntries(Answer):
    entries: list[AuditRow]


class UserRow(Answer):
    username: str
    role: str
    state: str
    must_change_password: bool
    locked: bool
    last_sign_in: str | None
    created_at: str | None
    clinics: list[str] | None


class Users(Answer):
    users: list[UserRow]


class UserRole(Answer):
    username: str
    role: str


class UserState(Answer):
    username: str
    state: str


class OneTimePassword(Answer):
    username: str
    one_time_password: str


class UserClinics(Answer):
    username: str
    clinics: list[str] | None


class DeviceRow(Answer):
    id: str
    name: str
    enrolled_at: str
    last_seen_at: str | None
    revoked_at: str | None


class Devices(Answer):
    devices: list[DeviceRow]


class EnrolmentCodeAnswer(Answer):
    code: str
    expires_in: int


class Revoked(Answer):
    revoked: str


class HeldEntry(Answer):
    id: int
    submission_id: str
    pathway: str | None
    received_at: str
    device_id: str
    device_name: str | None
    reason: str
    status: str
    resolved_at: str | None
    resolved_by: str | None


class HeldList(Answer):
    held: list[HeldEntry]


class Reprocessed(Answer):
    id: int
    submission_id: str
    outcome: str
    reason: str | None


class ReprocessedAll(Answer):
    results: list[Reprocessed]
