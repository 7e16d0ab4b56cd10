"""schemathesis against the service's own OpenAPI description: whatever it sends, the
service answers with a 2xx, 3xx or 4xx, never a 5xx (a bounded number of examples)."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from kiosk.clinic.app import create_app
from kiosk.clinic.setup import init_clinic, open_service

pytestmark = pytest.mark.clinic
FORMS = Path(__file__).resolve().parents[2] / "forms"


def _app(folder: Path):
    init_clinic(folder, b"a clinic passphrase for fuzzing", ["127.0.0.1"])
    service = open_service(folder, b"a clinic passphrase for fuzzing", None, [FORMS])
    service.staff.add("admin", "administrator", "fuzzing password 1", "test")
    return create_app(service)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return _app(tmp_path_factory.mktemp("clinic"))


def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_generated_request_gets_a_server_error(app) -> None:
    found = operations(app)
    assert len(found) >= 8  # every route is described
    for operation in found:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case) -> None:
            response = case.call()
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:200]}"
            )

        no_server_error()
