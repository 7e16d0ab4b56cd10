"""schemathesis against the service's own OpenAPI description: whatever it sends, the
service answers with a 2xx, 3xx or 4xx, never a 5xx (a bounded number of examples),
signed out and signed in as a clinician and as an administrator."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.clinic.app import create_app
from kiosk.clinic.setup import init_clinic, open_service

pytestmark = pytest.mark.clinic
FORMS = Path(__file__).resolve().parents[2] / "forms"


def _app(folder: Path):
    init_clinic(folder, b"a clinic passphrase for fuzzing", ["127.0.0.1"])
    service = open_service(folder, b"a clinic passphrase for fuzzing", None, [FORMS])
    service.staff.add("admin", "administrator", "fuzzing password 1", "test")
    service.staff.add("clinician", "clinician", "fuzzing password 2", "test")
    tokens = [
        service.staff.login("admin", "fuzzing password 1", None),
        service.staff.login("clinician", "fuzzing password 2", None),
    ]
    return create_app(service), tokens


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return _app(tmp_path_factory.mktemp("clinic"))


def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_generated_request_gets_a_server_error(app) -> None:
    asgi, tokens = app
    found = operations(asgi)
    assert len(found) >= 16  # every route is described
    headers = [None] + [{"Authorization": f"Bearer {token}"} for token in tokens]
    for operation in found:

        @given(case=operation.as_strategy(), who=st.sampled_from(headers))
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case, who) -> None:
            response = case.call(headers=who)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:200]}"
            )

        no_server_error()
