"""schemathesis against the running clinic service (real HTTPS on 127.0.0.1, SQLite and
PostgreSQL, seeded through the real tablet path), signed in: whatever it sends, the
service never answers 5xx, and every answer it documents matches its schema.

Generated requests would never get past sign-in on their own, so a route that
raised after sign-in would pass unseen. Here each generated request is sent with
real credentials added last, over the exact bytes that go on the wire: staff routes
get a bearer token of a role drawn at random (so admin-only routes see an
administrator in about a quarter of the examples), tablet routes are signed by the
enrolled tablet over the final body and path with its query string (a requests auth
hook runs after the body is encoded). A few examples keep the generated credentials,
to fuzz sign-in itself. Path parameters are sometimes replaced by ids that exist, so
the handlers behind ``{submission_id}`` and ``{referral_id}`` see real rows.

Each example stands alone, so a replay sends what its first run sent: its random
choices come from Hypothesis, it has its own connection, a fresh sign-in and a fresh
signature (time and nonce), and a body over the route's limit is sent as its declared
length (the 413 the service gives it does not depend on timing). A failure names the
request and what was wrong with its answer, also when a replay did not fail the same
way (Hypothesis' "inconsistent results").

Per route it counts the examples that got past sign-in (neither 401 nor 403) and
those a handler answered (past sign-in and not refused as malformed before the
handler ran), and fails if any route had none: no route is fuzzed only at its door.
"""

from __future__ import annotations

import random
from base64 import b64encode
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from kiosk.clinic.app import create_app
from kiosk.clinic.limits import BodyLimits
from kiosk.clinic.models import Referral
from kiosk.clinic.staff import StaffMember
from kiosk.store import FileKeyStore
from tests.conftest import STAFF_PASSWORD, STAFF_USERS

from .signing import signed_headers
from .test_hostile_requests import raw_request
from .test_role_matrix import ROUTES

pytestmark = [pytest.mark.clinic, pytest.mark.security]

EXAMPLES = 20  # per route and database: about 600 requests each
ROLES = ("receptionist", "clinician", "link_worker", "administrator")
USERNAME = {role: name for name, role in STAFF_USERS.items()}


class OverTheLimit(Exception):
    """The encoded body is larger than the route takes: it is not sent (see below)."""

    def __init__(self, request: requests.PreparedRequest, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.request, self.size = request, size


class Credentials(requests.auth.AuthBase):
    """Applied by requests after the body is encoded: signs the exact bytes sent.

    A body over the route's limit is stopped here. The service refuses it (413) on its
    declared length and closes the connection without reading it; a client still
    sending meets that close over TLS as an error (SSL EOF or a reset) or reads the
    413 first, depending on timing, so the same example passed or failed by chance.
    Such a request is sent with its length declared and no body instead, which is
    what the service answers in both cases."""

    def __init__(
        self, who: str, tokens: dict[str, str], tablet: Any, limit: Callable[[str], int]
    ) -> None:
        self.who, self.tokens, self.tablet, self.limit = who, tokens, tablet, limit

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        if self.who == "tablet":
            assert request.method is not None
            request.headers.update(
                signed_headers(self.tablet, request.method, request.path_url, body)
            )
        elif self.who in self.tokens:
            request.headers["Authorization"] = f"Bearer {self.tokens[self.who]}"
        if len(body) > self.limit(urlsplit(request.path_url).path):
            raise OverTheLimit(request, len(body))
        return request


def body_limit(app: Any) -> Callable[[str], int]:
    """The service's own body limit for a path (kiosk.clinic.limits, as the app has it)."""
    [middleware] = [m for m in app.user_middleware if m.cls is BodyLimits]
    return BodyLimits(app, **middleware.kwargs).limit_for


def refused_unread(url: str, certificate: Path, over: OverTheLimit) -> tuple[int | None, bytes]:
    """Send ``over``'s request line and headers with its length declared, no body."""
    request = over.request
    assert request.method is not None
    skip = {"content-length", "transfer-encoding", "host", "connection"}
    headers = tuple(f"{k}: {v}" for k, v in request.headers.items() if k.lower() not in skip)
    status, answer, sent = raw_request(
        url, certificate, request.method, request.path_url,
        body_size=0, chunked=False, declared=over.size, headers=headers,
    )  # fmt: skip
    assert sent == 0
    return status, answer


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
    limit = body_limit(create_app(service))
    tablet = FileKeyStore(clinic.tablet.data_dir).load()

    def token(role: str) -> dict[str, str]:
        """A fresh sign-in for each example: an earlier one may have signed out."""
        return {role: service.staff.issue(StaffMember(USERNAME[role], role))}

    submission_ids = sorted(clinic.ids.values())
    certificate = str(clinic.certificate)
    past_sign_in: Counter[str] = Counter()
    handled: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    failures: list[str] = []

    def real_ids(case: Any, rng: random.Random) -> None:
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

        # The example's own random choices (ids, batches, passwords) come from Hypothesis,
        # so replaying an example sends the same request (a shared generator would
        # have moved on and sent another).
        @given(
            case=cases,
            who=callers_for(operation.method, operation.path),
            rng=st.randoms(use_true_random=False),
        )
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any, who: str, rng: random.Random) -> None:
            real_ids(case, rng)
            label = f"{case.operation.method.upper()} {case.operation.path}"
            auth = Credentials(who, token(who) if who in ROLES else {}, tablet, limit)
            request = f"{case.method} {case.formatted_path} as {who}"
            # A connection of its own: an example never meets one a server closed while
            # an earlier example (or the building of this one) went on (uvicorn closes an
            # idle connection after 5 s), and replaying it sends it the same way.
            try:
                with requests.Session() as http:
                    response = case.call(session=http, auth=auth, timeout=30, verify=certificate)
            except OverTheLimit as over:
                status, answer = refused_unread(clinic.url, clinic.certificate, over)
                sent[label] += 1
                assert status == 413 and b'"too_large"' in answer, (
                    f"{request} with {over} declared -> {answer[:300]!r}"
                )
                return
            except requests.RequestException as exc:
                exc.add_note(f"request: {request}")
                raise
            sent[label] += 1
            try:
                assert response.status_code < 500, (
                    f"{request} -> {response.status_code}: {response.text[:300]}"
                )
                case.validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance]
                )
            except (AssertionError, BaseExceptionGroup) as exc:
                exc.add_note(f"request: {request} -> {response.status_code} {response.text[:300]}")
                raise
            public = ROUTES[label].who == "public"  # answering 401 is the handler's work
            if public or not refused_at_the_door(response):
                past_sign_in[label] += 1
                malformed = response.status_code == 422 and '"malformed"' in response.text
                handled[label] += not malformed

        try:
            no_server_error()
        except (Exception, BaseExceptionGroup) as exc:  # every route is fuzzed; all reported
            failures.append(described(exc))

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


def described(exc: BaseException) -> str:
    """A failure as the report shows it: the request and what was wrong with its answer.

    When a replay of an example did not do what its first run did, Hypothesis raises
    ``Flaky`` ("Inconsistent results from replaying a test case") holding the failures
    it saw: each is shown, with the request that failed, rather than only the word
    "inconsistent"."""
    # A note may hold a reproducing curl command with the whole body (megabytes).
    lines = [str(part).strip()[:600] for part in (exc, *getattr(exc, "__notes__", []))]
    if isinstance(exc, Flaky) and isinstance(exc, BaseExceptionGroup):
        lines += ["  " + line for inner in exc.exceptions for line in described(inner).splitlines()]
    return "\n".join(lines)


def _docs_routes(service: Any) -> int:
    """Routes the app has that are not API operations (the description and docs pages)."""
    from fastapi.routing import APIRoute

    return sum(not isinstance(r, APIRoute) for r in create_app(service).routes)
