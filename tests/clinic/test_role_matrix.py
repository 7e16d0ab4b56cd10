"""Every route of the clinic service x everyone who might call it, over real HTTPS on
SQLite and PostgreSQL, against a clinic seeded through the real tablet path.

Callers: nobody (no credentials), each staff role with a real token, a clinician
whose account was disabled after their token was issued, the enrolled tablet
(signed), and a revoked tablet (signed). The routes are read from the app itself, so
a new route without a line in ``ROUTES`` fails here. For every call the table says
the status, and the audit row the call must write (actor, action, outcome), found by
the call's own source address: each call comes from a loopback address of its own.
Refusals must change nothing: a non-administrator's ``POST /admin/users`` creates no
user and ``POST /admin/devices/{id}/revoke`` revokes no tablet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from kiosk.clinic.app import create_app
from kiosk.clinic.models import AuditEntry, Device, User
from kiosk.clinic.staff import StaffMember
from kiosk.store import FileKeyStore
from kiosk.sync.enrol import enrol
from tests.conftest import STAFF_PASSWORD, STAFF_USERS, StaffClinic
from tests.exchange.fhir_sample import clinic_day

from .signing import client_from, next_address, signed_headers

pytestmark = [pytest.mark.clinic, pytest.mark.security]

API = "/api/v1"
ROLES = ("receptionist", "clinician", "link_worker", "administrator")
CALLERS = ("anonymous", *ROLES, "disabled", "tablet", "revoked_tablet")
CASEWORKERS = ("clinician", "link_worker")
USERNAME = {role: name for name, role in STAFF_USERS.items()}
ACTION_LENGTH = AuditEntry.__table__.c.action.type.length


@dataclass
class Call:
    """What one caller sends to one route (the path filled in)."""

    path: str
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None


@dataclass
class Route:
    """Who may call a route, what an allowed call answers and the audit row it writes.

    ``who``: "public" (anyone, the same answer), "signed" (the enrolled tablet) or the
    staff roles allowed. ``audit``: (action, outcome) of the allowed call's row, or None
    for a route that writes none when it succeeds (reads with no patient data)."""

    who: str | tuple[str, ...]
    status: int
    audit: tuple[str, str] | None
    call: Callable[[Context], Call]


@dataclass
class Context:
    clinic: StaffClinic
    spare_device: str  # an enrolled tablet the administrator's call revokes
    new_user: int = 0
    nobody: int = 0

    @property
    def sid(self) -> str:
        return self.clinic.ids["urgent"]

    def triage_version(self) -> int:
        with self.clinic.service.transaction() as db:  # type: ignore[attr-defined]
            from kiosk.clinic.models import Triage

            row = db.get(Triage, self.sid)
            return row.version if row is not None else 0

    def referral_id(self) -> int:
        from kiosk.clinic.models import Referral

        with self.clinic.service.transaction() as db:  # type: ignore[attr-defined]
            return int(db.scalars(select(Referral.id).order_by(Referral.id)).first() or 1)

    def referral_version(self) -> int:
        from kiosk.clinic.models import Referral

        with self.clinic.service.transaction() as db:  # type: ignore[attr-defined]
            row = db.get(Referral, self.referral_id())
            return row.version if row is not None else 0

    def relink(self) -> Call:
        """Re-link the routine patient's submission to the next appointment, turn about
        (DEMO-2, then back to its own DEMO-3), from the version it has now."""
        from kiosk.clinic.models import LinkChange

        sid = self.clinic.ids["routine"]
        with self.clinic.service.transaction() as db:  # type: ignore[attr-defined]
            done = len(db.scalars(select(LinkChange).where(LinkChange.submission_id == sid)).all())
        body = {
            "action": "relink",
            "reason": "checking who may re-link",
            "version": done,
            "appointment_id": "DEMO-3" if done % 2 else "DEMO-2",
        }
        return Call(f"{API}/submissions/{sid}/link", body=body)

    def paper_entry(self) -> Call:
        """A new anonymous paper survey each time (a new entry id: never a repeat)."""
        import uuid

        body = {
            "entry_id": uuid.uuid4().hex,
            "pathway": "survey",
            "language": "en",
            "route": "paper",
            "answers": {"ons4": {"anxiety": 2}},
            "complete": False,
        }
        return Call(f"{API}/entries", body=body)


EXPORT = {"project": "matrix", "purpose": "checking who may export"}
NEW_PASSWORD = "a new staff password"


def _wrong_login(ctx: Context) -> Call:
    ctx.nobody += 1  # a new name each time: five wrong passwords for one name lock it
    body = {"username": f"nobody{ctx.nobody}", "password": "a guess"}
    return Call(f"{API}/auth/token", body=body)


def _new_user(ctx: Context) -> Call:
    ctx.new_user += 1
    body = {"username": f"added{ctx.new_user}", "role": "receptionist", "password": NEW_PASSWORD}
    return Call(f"{API}/admin/users", body=body)


# The table: every route the service has. Statuses are those of a well-formed request.
ROUTES: dict[str, Route] = {
    f"GET {API}/health": Route("public", 200, None, lambda c: Call(f"{API}/health")),
    f"POST {API}/enrol": Route(
        "public",
        403,
        ("enrol", "unknown_code"),
        lambda c: Call(
            f"{API}/enrol",
            body={"code_id": "ZZZZ", "device_key": "ed25519:" + "A" * 43 + "=", "proof": "0" * 64},
        ),
    ),
    f"POST {API}/auth/token": Route(
        "public",
        401,
        ("login", "unknown_user"),
        _wrong_login,
    ),
    f"GET {API}/tablet/config": Route("signed", 200, None, lambda c: Call(f"{API}/tablet/config")),
    f"POST {API}/submissions": Route(
        "signed",
        200,
        None,  # an empty batch stores nothing; a stored item's row is tested elsewhere
        lambda c: Call(f"{API}/submissions", body={"submissions": []}),
    ),
    f"POST {API}/auth/refresh": Route(ROLES, 200, None, lambda c: Call(f"{API}/auth/refresh")),
    f"POST {API}/auth/sign-out": Route(
        ROLES, 204, ("sign_out", "ok"), lambda c: Call(f"{API}/auth/sign-out")
    ),
    f"POST {API}/auth/password": Route(
        ROLES,
        401,  # a wrong current password: nobody's password changes here
        ("change_password", "bad_password"),
        lambda c: Call(
            f"{API}/auth/password",
            body={"current_password": "not my password", "new_password": NEW_PASSWORD},
        ),
    ),
    f"GET {API}/queue": Route(
        ("clinician", "link_worker", "receptionist"),
        200,
        ("read_queue", "ok"),
        lambda c: Call(f"{API}/queue"),
    ),
    # today's whole clinic list, and the tablets' progress reports for it
    f"GET {API}/clinic-day": Route(
        ("clinician", "link_worker", "receptionist"),
        200,
        ("read_clinic_day", "ok"),
        lambda c: Call(f"{API}/clinic-day"),
    ),
    f"GET {API}/entry-forms": Route(
        ("clinician", "link_worker", "receptionist"),
        200,
        None,
        lambda c: Call(f"{API}/entry-forms"),
    ),
    f"POST {API}/entries": Route(
        ("clinician", "link_worker", "receptionist"),
        201,
        ("entry", "ok: paper"),
        lambda c: c.paper_entry(),
    ),
    f"POST {API}/tablet/progress": Route(
        "signed",
        200,
        ("appointment_progress", "ok"),
        lambda c: Call(
            f"{API}/tablet/progress", body={"appointment_id": "DEMO-1", "stage": "checked_in"}
        ),
    ),
    f"GET {API}/submissions/{{submission_id}}": Route(
        CASEWORKERS, 200, ("read_summary", "ok"), lambda c: Call(f"{API}/submissions/{c.sid}")
    ),
    f"PUT {API}/submissions/{{submission_id}}/triage": Route(
        CASEWORKERS,
        200,
        ("triage", "ok: in_review"),
        lambda c: Call(
            f"{API}/submissions/{c.sid}/triage",
            body={"version": c.triage_version(), "status": "in_review", "notes": ""},
        ),
    ),
    f"POST {API}/submissions/{{submission_id}}/referrals": Route(
        CASEWORKERS,
        201,
        ("referral_added", "ok: food_bank"),
        lambda c: Call(
            f"{API}/submissions/{c.sid}/referrals",
            body={"kind": "food_bank", "referred_on": "2026-11-24", "notes": ""},
        ),
    ),
    f"PUT {API}/referrals/{{referral_id}}": Route(
        CASEWORKERS,
        200,
        ("referral_updated", "ok: food_bank attended"),
        lambda c: Call(
            f"{API}/referrals/{c.referral_id()}",
            body={"version": c.referral_version(), "outcome": "attended", "notes": ""},
        ),
    ),
    f"POST {API}/submissions/{{submission_id}}/link": Route(
        ("clinician", "link_worker", "receptionist"),
        200,
        ("link_correction", "ok: relink"),
        lambda c: c.relink(),
    ),
    f"GET {API}/audit": Route(
        ("administrator",), 200, ("read_audit", "ok"), lambda c: Call(f"{API}/audit")
    ),
    f"GET {API}/admin/users": Route(
        ("administrator",), 200, ("read_users", "ok"), lambda c: Call(f"{API}/admin/users")
    ),
    f"GET {API}/admin/exports/anonymised.csv": Route(
        ("administrator",),
        200,
        ("export", "ok: anonymised_csv"),
        lambda c: Call(f"{API}/admin/exports/anonymised.csv", params=EXPORT),
    ),
    f"GET {API}/admin/exports/fhir.json": Route(
        ("administrator",),
        200,
        ("export", "ok: fhir_anonymised"),
        lambda c: Call(f"{API}/admin/exports/fhir.json", params=EXPORT),
    ),
    f"GET {API}/admin/reports/board.{{kind}}": Route(
        ("administrator",),
        200,
        ("export", "ok: board_report_csv"),
        lambda c: Call(
            f"{API}/admin/reports/board.csv", params={"first": "2026-01", "last": "2026-12"}
        ),
    ),
    f"GET {API}/admin/exports/dictionary.md": Route(
        ("administrator",),
        200,
        ("read_dictionary", "ok"),
        lambda c: Call(f"{API}/admin/exports/dictionary.md", params={"project": "matrix"}),
    ),
    f"GET {API}/admin/exports/appointments.csv": Route(
        ("administrator",),
        200,
        ("export", "ok: appointments"),
        lambda c: Call(f"{API}/admin/exports/appointments.csv"),
    ),
    f"GET {API}/admin/devices": Route(
        ("administrator",), 200, ("read_devices", "ok"), lambda c: Call(f"{API}/admin/devices")
    ),
    f"GET {API}/flags": Route(
        CASEWORKERS, 200, ("read_flags", "ok"), lambda c: Call(f"{API}/flags")
    ),
    f"POST {API}/admin/enrolment-codes": Route(
        ("administrator",),
        201,
        ("enrolment_code_issued", "ok"),
        lambda c: Call(f"{API}/admin/enrolment-codes"),
    ),
    f"POST {API}/admin/devices/{{device_id}}/revoke": Route(
        ("administrator",),
        200,
        ("revoke_device", "ok"),
        lambda c: Call(f"{API}/admin/devices/{c.spare_device}/revoke"),
    ),
    f"GET {API}/admin/held": Route(
        ("administrator",), 200, ("read_held", "ok"), lambda c: Call(f"{API}/admin/held")
    ),
    f"POST {API}/admin/held/reprocess": Route(
        ("administrator",),
        200,
        None,  # nothing is held in the seeded clinic: nothing re-processed, nothing audited
        lambda c: Call(f"{API}/admin/held/reprocess"),
    ),
    f"POST {API}/admin/held/{{held_id}}/reprocess": Route(
        ("administrator",),
        404,  # nothing is held: refused, and the refusal is audited
        ("reprocess_held", "not_found"),
        lambda c: Call(f"{API}/admin/held/1/reprocess"),
    ),
    f"POST {API}/admin/users": Route(("administrator",), 201, ("add_user", "ok"), _new_user),
    # "moved": a receptionist the administrator disables, enables, resets and moves.
    f"POST {API}/admin/users/{{username}}/disable": Route(
        ("administrator",),
        200,
        ("user_disabled", "ok"),
        lambda c: Call(f"{API}/admin/users/moved/disable"),
    ),
    f"POST {API}/admin/users/{{username}}/enable": Route(
        ("administrator",),
        200,
        ("user_enabled", "ok"),
        lambda c: Call(f"{API}/admin/users/moved/enable"),
    ),
    f"POST {API}/admin/users/{{username}}/reset-password": Route(
        ("administrator",),
        200,
        ("password_reset", "ok"),
        lambda c: Call(f"{API}/admin/users/moved/reset-password"),
    ),
    f"PUT {API}/admin/users/{{username}}/role": Route(
        ("administrator",),
        200,
        ("role_changed", "ok: clinician"),
        lambda c: Call(f"{API}/admin/users/moved/role", body={"role": "clinician"}),
    ),
    f"PUT {API}/admin/users/{{username}}/clinics": Route(
        ("administrator",),
        200,
        ("user_clinics_changed", "ok"),
        # every clinic, as before: the change ends the receptionist's sessions, nothing else
        lambda c: Call(f"{API}/admin/users/reception/clinics", body={"clinics": None}),
    ),
    f"POST {API}/admin/clinic-list/fhir": Route(
        ("administrator",),
        200,
        ("import_clinic_list", "ok"),
        # a day far from today's list, which the other routes read
        lambda c: Call(f"{API}/admin/clinic-list/fhir", body=clinic_day("2031-01-06")),
    ),
}


def app_routes(clinic: StaffClinic) -> set[str]:
    app = create_app(clinic.service)  # type: ignore[arg-type]
    return {
        f"{method} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }


@dataclass(frozen=True)
class Expected:
    status: int
    error: str | None  # the error code of a refusal
    actor: str | None  # the audit row's actor, or None: the call writes no row
    action: str | None
    outcome: str | None


def expected(route_key: str, route: Route, caller: str, tablet: str, revoked: str) -> Expected:
    who = route.who
    if who == "public":
        actor = None
        if route.audit is not None:
            actor = "user:nobody*" if route.audit[0] == "login" else "anonymous"
        return Expected(route.status, None, actor, *(route.audit or (None, None)))
    if who == "signed":
        if caller == "tablet":  # a signed route's own row names the device, if it writes one
            actor = None if route.audit is None else f"device:{tablet}"
            return Expected(route.status, None, actor, *(route.audit or (None, None)))
        if caller == "revoked_tablet":
            return Expected(403, "not_enrolled", f"device:{revoked}", "signed_request",
                            "not_enrolled")  # fmt: skip
        return Expected(401, "unsigned", "anonymous", "signed_request", "unsigned")
    if caller in ("anonymous", "disabled", "tablet", "revoked_tablet"):
        return Expected(401, "not_signed_in", "anonymous", path_of(route_key), "no_token")
    actor = f"user:{USERNAME[caller]}"
    if caller not in who:
        return Expected(403, "forbidden", actor, path_of(route_key), "forbidden")
    if route.audit is None:
        return Expected(route.status, None, None, None, None)
    return Expected(route.status, None, actor, *route.audit)


def path_of(route_key: str) -> str:
    """The audit action of a refusal is the request's path; templates are filled below."""
    return route_key.split(" ", 1)[1]


@pytest.fixture
def matrix_clinic(make_staff_clinic: Callable[..., Any], database_url: str, tmp_path) -> Any:
    clinic = make_staff_clinic(database_url)
    service = clinic.service
    # A clinician whose account is disabled after their token was issued.
    service.staff.add("gone", "clinician", STAFF_PASSWORD, "user:setup")
    service.staff.add("moved", "receptionist", STAFF_PASSWORD, "user:setup")
    with client_from(clinic.url, clinic.certificate) as http:
        answer = http.post(
            f"{API}/auth/token", json={"username": "gone", "password": STAFF_PASSWORD}
        )
    assert answer.status_code == 200, answer.text
    with service.transaction() as db:
        db.scalars(select(User).where(User.username == "gone")).one().disabled = True
    # A revoked tablet, and a spare one for the administrator to revoke.
    dirs = {}
    for name in ("revoked", "spare"):
        dirs[name] = tmp_path / f"tablet-{name}"
        enrol(clinic.url, service.issue_code("user:setup"), dirs[name], f"Tablet {name}")
    revoked = FileKeyStore(dirs["revoked"]).load()
    service.revoke(revoked.device_id, "user:setup")
    tablet = FileKeyStore(clinic.tablet.data_dir).load()
    spare = FileKeyStore(dirs["spare"]).load().device_id
    return clinic, answer.json()["token"], tablet, revoked, spare


def call(
    clinic: StaffClinic,
    method: str,
    sent: Call,
    caller: str,
    tokens: dict[str, str],
    identities: dict[str, Any],
    address: str,
) -> httpx.Response:
    body = json.dumps(sent.body).encode() if sent.body is not None else b""
    query = str(httpx.QueryParams(sent.params))
    target = sent.path + (f"?{query}" if query else "")
    headers = {"Content-Type": "application/json"} if sent.body is not None else {}
    if caller in tokens:
        headers["Authorization"] = f"Bearer {tokens[caller]}"
    if caller in identities:
        headers.update(signed_headers(identities[caller], method, target, body))
    with client_from(clinic.url, clinic.certificate, address) as http:
        return http.request(method, target, content=body, headers=headers)


def audit_rows(clinic: StaffClinic, after: int) -> list[AuditEntry]:
    with clinic.service.transaction() as db:  # type: ignore[attr-defined]
        return list(db.scalars(select(AuditEntry).where(AuditEntry.id > after)))


def last_audit_id(clinic: StaffClinic) -> int:
    with clinic.service.transaction() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())) or 0)


def test_every_route_is_in_the_table(make_staff_clinic: Callable[..., Any]) -> None:
    """A route added to the service without a line here fails: none escapes the matrix."""
    clinic = make_staff_clinic(None)
    assert app_routes(clinic) == set(ROUTES)


@pytest.mark.control("H-24-C1", "H-24-C2")
def test_every_route_for_every_caller(matrix_clinic: Any) -> None:
    clinic, disabled_token, tablet, revoked, spare = matrix_clinic
    service = clinic.service
    ctx = Context(clinic, spare)
    identities = {"tablet": tablet, "revoked_tablet": revoked}
    with service.transaction() as db:
        users_before = set(db.scalars(select(User.username)))
    wrong: list[str] = []
    for route_key, route in ROUTES.items():
        method = route_key.split(" ", 1)[0]
        # The administrator last: their call may change what the others would see.
        for caller in sorted(CALLERS, key=lambda c: c == "administrator"):
            tokens = {
                role: service.staff.issue(StaffMember(USERNAME[role], role)) for role in ROLES
            }
            tokens["disabled"] = disabled_token
            sent = route.call(ctx)
            want = expected(route_key, route, caller, tablet.device_id, revoked.device_id)
            address = next_address()
            before = last_audit_id(clinic)
            response = call(clinic, method, sent, caller, tokens, identities, address)
            rows = audit_rows(clinic, before)
            where = f"{route_key} as {caller}"
            if response.status_code != want.status:
                wrong.append(f"{where}: {response.status_code} {response.text[:120]}")
                continue
            if want.error is not None and response.json().get("error") != want.error:
                wrong.append(f"{where}: error {response.json().get('error')}, not {want.error}")
            action = sent.path if want.action == path_of(route_key) else want.action
            action = action and action[:ACTION_LENGTH]  # a long path is cut to fit, not refused
            actor = f"user:nobody{ctx.nobody}" if want.actor == "user:nobody*" else want.actor
            seen = [(r.actor, r.action, r.outcome) for r in rows]
            if want.actor is None:
                if seen:
                    wrong.append(f"{where}: wrote audit rows {seen}, expected none")
            elif (actor, action, want.outcome) not in seen:
                wrong.append(f"{where}: audit {seen}, expected {(actor, action, want.outcome)}")
            elif want.status in (401, 403) and not any(r.remote == address for r in rows):
                wrong.append(f"{where}: the refusal's row does not name the caller's address")
    assert wrong == [], "\n".join(wrong)

    # Refused calls changed nothing: one user added (by the administrator), one tablet
    # revoked (by the administrator), and every other caller's attempt is on record.
    with service.transaction() as db:
        added = set(db.scalars(select(User.username))) - users_before
        assert added == {f"added{ctx.new_user}"}  # the administrator's call, the last
        assert db.get(Device, spare).revoked_at is not None
        for route in (f"{API}/admin/users", f"{API}/admin/devices/{spare}/revoke"):
            refused = set(
                db.execute(
                    select(AuditEntry.actor, AuditEntry.outcome).where(AuditEntry.action == route)
                )
            )
            assert {
                ("user:reception", "forbidden"),
                ("user:clinician", "forbidden"),
                ("user:linkworker", "forbidden"),
                ("anonymous", "no_token"),
            } <= refused, route
