"""What the signed-in fuzzer (test_openapi_fuzz.py) found, pinned as plain requests so
a hole stays found whatever the fuzzer happens to generate next time: text with a NUL
byte (which PostgreSQL text columns cannot hold) and numbers too large for the
database's integers, in every place a caller can put them, on SQLite and PostgreSQL.
Each must be refused or handled, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiosk.clinic.staff import StaffMember
from tests.conftest import STAFF_USERS

from .signing import client_from, signed_headers

pytestmark = [pytest.mark.clinic, pytest.mark.security]

API = "/api/v1"
NUL = "a\x00b"
HUGE = 2**63
USERNAME = {role: name for name, role in STAFF_USERS.items()}

# (who, method, path, query, JSON body); {sid} is a stored submission's id.
REQUESTS = [
    (None, "POST", f"{API}/auth/token", {}, {"username": NUL, "password": "a long password"}),
    (None, "POST", f"{API}/auth/token", {}, {"username": "clinician", "password": NUL}),
    (None, "POST", f"{API}/enrol", {}, {"code_id": NUL, "device_key": NUL, "proof": "0" * 64}),
    ("clinician", "GET", f"{API}/queue", {"clinic": NUL, "status": NUL, "flag": NUL}, None),
    ("clinician", "GET", f"{API}/submissions/a%00b", {}, None),
    ("clinician", "PUT", f"{API}/submissions/{{sid}}/triage", {},
     {"version": 0, "status": "in_review", "owner": NUL, "notes": NUL}),
    ("clinician", "PUT", f"{API}/submissions/{{sid}}/triage", {},
     {"version": HUGE, "status": NUL, "notes": ""}),
    ("clinician", "POST", f"{API}/submissions/{{sid}}/referrals", {},
     {"kind": NUL, "referred_on": "2026-11-24", "notes": NUL}),
    ("clinician", "POST", f"{API}/submissions/{{sid}}/referrals", {},
     {"kind": "food_bank", "referred_on": "2026-11-24", "notes": NUL}),
    ("clinician", "PUT", f"{API}/referrals/{HUGE}", {},
     {"version": 0, "outcome": "attended", "notes": ""}),
    ("clinician", "PUT", f"{API}/referrals/1", {},
     {"version": HUGE, "outcome": NUL, "outcome_on": NUL, "notes": NUL}),
    ("administrator", "GET", f"{API}/audit", {"target": NUL, "actor": NUL}, None),
    ("administrator", "POST", f"{API}/admin/users", {},
     {"username": NUL, "role": "clinician", "password": "a long password 1"}),
    ("administrator", "POST", f"{API}/admin/users", {},
     {"username": "fresh", "role": NUL, "password": "a long password\x00"}),
    ("administrator", "POST", f"{API}/admin/devices/a%00b/revoke", {}, None),
    ("administrator", "POST", f"{API}/admin/held/{HUGE}/reprocess", {}, None),
    ("administrator", "POST", f"{API}/admin/held/{2**31}/reprocess", {}, None),
    ("administrator", "GET", f"{API}/admin/exports/anonymised.csv",
     {"project": NUL, "purpose": NUL}, None),
    ("administrator", "GET", f"{API}/admin/exports/dictionary.md", {"project": NUL}, None),
    ("administrator", "GET", f"{API}/admin/reports/board.csv",
     {"first": NUL, "last": "2026-12", "clinic": NUL, "project": NUL}, None),
    ("tablet", "POST", f"{API}/submissions", {},
     {"submissions": [{"id": NUL, "envelope": NUL}]}),
]  # fmt: skip


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any], database_url: str) -> Any:
    return make_staff_clinic(database_url)


@pytest.mark.control("H-27-C6")
def test_nul_bytes_and_huge_numbers_anywhere_are_never_a_server_error(clinic: Any) -> None:
    import json

    from kiosk.store import FileKeyStore

    service = clinic.service
    tablet = FileKeyStore(clinic.tablet.data_dir).load()
    sid = clinic.ids["urgent"]
    errors = []
    for who, method, path, query, body in REQUESTS:
        # A connection of its own each: one request's failure cannot spill into the next.
        with client_from(clinic.url, clinic.certificate) as http:
            path = path.replace("{sid}", sid)
            content = json.dumps(body).encode() if body is not None else b""
            request = http.build_request(method, path, params=query, content=content)
            if body is not None:
                request.headers["Content-Type"] = "application/json"
            if who == "tablet":
                request.headers.update(
                    signed_headers(tablet, method, request.url.raw_path.decode(), content)
                )
            elif who is not None:
                token = service.staff.issue(StaffMember(USERNAME[who], who))
                request.headers["Authorization"] = f"Bearer {token}"
            try:
                response = http.send(request)
            except httpx.TransportError as exc:  # the service hung up instead of answering
                errors.append(f"{method} {path!r} {query} {body} as {who}: {exc!r}")
                continue
            if response.status_code >= 500:
                errors.append(f"{method} {path!r} {query} {body} as {who}: {response.text}")
    assert errors == [], "\n".join(errors)
