"""schemathesis against the running clinic service (real HTTPS on 127.0.0.1, SQLite and
PostgreSQL, seeded through the real tablet path), signed in: whatever it sends, the
service never answers 5xx.

Generated requests would never get past sign-in on their own, so a route that
raised after sign-in would pass unseen. Here each generated request is sent with
real credentials added last, over the exact bytes that go on the wire: staff routes
get a bearer token of a role drawn at random (so admin-only routes see an
administrator in about a quarter of the examples), tablet routes are signed by the
enrolled tablet over the final body and path with its query string (a requests auth
hook runs after the body is encoded). A few examples keep the generated credentials,
to fuzz sign-in itself. Path parameters are sometimes replaced by ids that exist, so
the handlers behind ``{submission_id}`` and ``{referral_id}`` see real rows.

Per route it counts the examples that got past sign-in (neither 401 nor 403) and
those a handler answered (past sign-in and not refused as malformed before the
handler ran), and fails if any route had none: no route is fuzzed only at its door.
"""

from __future__ import annotations

import random
from base64 import b64encode
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import select

from kiosk.clinic.app import create_app
from kiosk.clinic.models import Referral
from kiosk.clinic.staff import StaffMember
from kiosk.store import FileKeyStore
from tests.conftest import STAFF_PASSWORD, STAFF_USERS

from .signing import signed_headers
from .test_role_matrix import ROUTES

pytestmark = [pytest.mark.clinic, pytest.mark.security]

EXAMPLES = 20  # per route and database: about 600 requests each
ROLES = ("receptionist", "clinician", "link_worker", "administrator")
USERNAME = {role: name for name, role in STAFF_USERS.items()}


class Credentials(requests.auth.AuthBase):
    """Applied by requests after the body is encoded: signs the exact bytes sent."""

    def __init__(self, who: str, tokens: dict[str, str], tablet: Any) -> None:
        self.who, self.tokens, self.tablet = who, tokens, tablet

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.who == "tablet":
            body = request.body or b""
            if isinstance(body, str):
                body = body.encode()
            assert request.method is not None
            request.headers.update(
                signed_headers(self.tablet, request.method, request.path_url, body)
            )
        elif self.who in self.tokens:
            request.headers["Authorization"] = f"Bearer {self.tokens[self.who]}"
        return request


def callers_for(method: str, path: str) -> st.SearchStrategy[str]:
    """Mostly a caller the role matrix allows on the route; sometimes any role, and now
    and then the generated credentials (which fuzz sign-in itself)."""
    who = ROUTES[f"{method.upper()} {path}"].who
    if who == "signed":
        allowed: st.SearchStrategy[str] = st.just("tablet")
    elif who == "public":
        allowed = st.sampled_from(ROLES)  # credentials do not matter
    else:
        allowed = st.sampled_from(who)
    return st.one_of(*[allowed] * 6, st.sampled_from(ROLES), st.just("generated"))


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def fuzzed_clinic(make_staff_clinic: Callable[..., Any], database_url: str) -> Any:
    return make_staff_clinic(database_url)


# What sign-in (staff token or tablet signature) answers before any handler runs. A
# handler's own 401 or 403 (a wrong current password, say) is past sign-in.
DOOR = frozenset(
    {"not_signed_in", "forbidden", "password_change_required", "unsigned", "bad_signature",
     "not_enrolled", "replayed", "clock_skew"}
)  # fmt: skip


def refused_at_the_door(response: Any) -> bool:
    if response.status_code not in (401, 403):
        return False
    try:
        code = response.json().get("error")
    except ValueError:
        return True
    return code in DOOR or code is None


@pytest.mark.control("H-27-C6")
def test_no_generated_request_gets_a_server_error_even_signed_in(fuzzed_clinic: Any) -> None:
    clinic = fuzzed_clinic
    service = clinic.service
    schema = schemathesis.openapi.from_dict(create_app(service).openapi())
    schema.config.update(base_url=clinic.url)
    found = operations(schema)
    tablet = FileKeyStore(clinic.tablet.data_dir).load()

    def token(role: str) -> dict[str, str]:
        """A fresh sign-in for each example: an earlier one may have signed out."""
        return {role: service.staff.issue(StaffMember(USERNAME[role], role))}

    submission_ids = sorted(clinic.ids.values())
    http = requests.Session()
    certificate = str(clinic.certificate)
    past_sign_in: Counter[str] = Counter()
    handled: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    rng = random.Random(15)
    failures: list[str] = []

    def real_ids(case: Any) -> None:
        """Now and then an id that exists, or a batch of submissions in the right shape
        (random envelopes), so the handler behind it has work to do."""
        if case.operation.path == "/api/v1/submissions" and rng.random() < 0.5:
            case.media_type = "application/json"
            case.body = {
                "submissions": [
                    {
                        "id": rng.randbytes(16).hex(),
                        "envelope": b64encode(rng.randbytes(n)).decode(),
                    }
                    for n in rng.choices(range(0, 2000), k=rng.randint(0, 5))
                ]
            }
        if case.operation.path == "/api/v1/auth/token" and rng.random() < 0.3:
            case.media_type = "application/json"
            case.body = {"username": rng.choice(list(STAFF_USERS)), "password": STAFF_PASSWORD}
        params = case.path_parameters or {}
        if "submission_id" in params and rng.random() < 0.5:
            params["submission_id"] = rng.choice(submission_ids)
        if "referral_id" in params and rng.random() < 0.5:
            with service.transaction() as db:
                existing = list(db.scalars(select(Referral.id)))
            if existing:
                params["referral_id"] = rng.choice(existing)

    for operation in found:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases, who=callers_for(operation.method, operation.path))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any, who: str) -> None:
            real_ids(case)
            label = f"{case.operation.method.upper()} {case.operation.path}"
            auth = Credentials(who, token(who) if who in ROLES else {}, tablet)
            response = case.call(session=http, auth=auth, timeout=30, verify=certificate)
            sent[label] += 1
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} as {who} -> {response.status_code}: "
                f"{response.text[:300]}"
            )
            public = ROUTES[label].who == "public"  # answering 401 is the handler's work
            if public or not refused_at_the_door(response):
                past_sign_in[label] += 1
                malformed = response.status_code == 422 and '"malformed"' in response.text
                handled[label] += not malformed

        # Each route on a new connection: building a route's examples can take longer
        # than the server keeps an idle connection open (uvicorn: 5 s), and a request
        # sent on a connection the server has just closed fails in the client, not the server.
        http.close()
        try:
            no_server_error()
        except Exception as exc:  # every route is fuzzed; all failures are reported together
            failures.append(str(exc).strip().splitlines()[0][:300])

    table = "\n".join(
        f"{label:60} {sent[label]:4} sent {past_sign_in[label]:4} past sign-in "
        f"{handled[label]:4} handled"
        for label in sorted(sent)
    )
    print(f"\n{table}")
    assert failures == [], "\n".join(failures)
    assert len(found) == len(create_app(service).routes) - _docs_routes(service) >= 20
    assert not [label for label in sent if past_sign_in[label] == 0], table
    assert not [label for label in sent if handled[label] == 0], table


def _docs_routes(service: Any) -> int:
    """Routes the app has that are not API operations (the description and docs pages)."""
    from fastapi.routing import APIRoute

    return sum(not isinstance(r, APIRoute) for r in create_app(service).routes)
