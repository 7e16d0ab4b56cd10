"""The signed client: signatures the clinic can verify, clock correction, and a
plain error for every way the clinic can fail or refuse."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from kiosk.exchange.device_keys import verify_signature
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.errors import (
    ClinicRefusedError,
    ClinicUnreachableError,
    NotEnrolledError,
    ProtocolError,
)
from kiosk.sync.signing import SignedHeaders, canonical_request

from .conftest import CLINIC_URL, Clock, Submit
from .fake_clinic import FakeClinic, Fault, error, raising

pytestmark = pytest.mark.clinic


def envelopes(store: TabletStore, submit: Submit, count: int) -> list[tuple[str, bytes]]:
    for _ in range(count):
        submit()
    return [(i.submission_id, i.envelope) for i in store.pending()]


def test_every_request_is_signed_so_the_clinic_can_verify_it(
    client: ClinicClient, fake: FakeClinic, identity: DeviceIdentity
) -> None:
    client.config()
    client.config()

    nonces = set()
    for request in fake.requests:
        signed = SignedHeaders.parse(request.headers)
        assert signed.device_id == identity.device_id
        message = canonical_request(
            request.method,
            request.url.raw_path.decode(),
            request.content,
            signed.timestamp,
            signed.nonce,
        )
        assert verify_signature(identity.public_key, signed.signature, message)
        nonces.add(signed.nonce)
    assert len(nonces) == 2


@pytest.mark.control("H-20-C2")
def test_the_signature_covers_the_body(
    client: ClinicClient, fake: FakeClinic, store: TabletStore, submit: Submit
) -> None:
    batch = envelopes(store, submit, 1)
    client.upload(batch)
    request = fake.requests[-1]
    signed = SignedHeaders.parse(request.headers)
    tampered = request.content.replace(b'"id"', b'"Id"')
    message = canonical_request(
        "POST", "/api/v1/submissions", tampered, signed.timestamp, signed.nonce
    )
    assert not verify_signature(fake.devices[signed.device_id], signed.signature, message)


def test_a_path_prefix_in_the_clinic_address_is_signed_too(
    fake: FakeClinic, identity: DeviceIdentity
) -> None:
    seen = []

    def behind_a_prefix(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return httpx.Response(304)

    with ClinicClient(
        CLINIC_URL + "/wmk/", identity, transport=httpx.MockTransport(behind_a_prefix)
    ) as client:
        assert client.config("etag") is None
    assert seen == [b"/wmk/api/v1/tablet/config"]


@pytest.mark.control("H-11-C3")
def test_a_tablet_clock_hours_out_is_corrected_from_the_clinics_time(
    fake: FakeClinic, identity: DeviceIdentity
) -> None:
    clock = Clock(fake.clock() - 3 * 3600)
    with ClinicClient(CLINIC_URL, identity, transport=fake.transport, clock=clock) as client:
        assert client.config() is not None
        assert fake.statuses() == [401, 200]
        assert client.clock_offset == pytest.approx(3 * 3600, abs=5)

        client.config()  # the offset is kept: no second refusal
    assert len(fake.requests) == 3


def test_the_clock_is_corrected_once_per_request_not_forever(
    fake: FakeClinic, client: ClinicClient
) -> None:
    fake.fault = lambda request: error(401, "clock_skew", fake.clock())
    with pytest.raises(ClinicRefusedError) as refused:
        client.config()
    assert refused.value.code == "clock_skew"
    assert len(fake.requests) == 2


def test_a_clock_skew_answer_without_the_time_is_a_protocol_error(
    fake: FakeClinic, client: ClinicClient
) -> None:
    fake.fault = lambda request: error(401, "clock_skew")
    with pytest.raises(ProtocolError, match="X-Server-Time"):
        client.config()


@pytest.mark.control("H-20-C3")
def test_an_unknown_or_revoked_tablet_is_told_it_is_not_enrolled(
    fake: FakeClinic, client: ClinicClient, identity: DeviceIdentity
) -> None:
    del fake.devices[identity.device_id]
    with pytest.raises(NotEnrolledError) as refused:
        client.config()
    assert str(refused.value) == "This tablet is not enrolled"


@pytest.mark.parametrize(
    "failure",
    [
        raising(httpx.ConnectError),
        raising(httpx.ConnectTimeout),
        raising(httpx.ReadTimeout),
        raising(httpx.ReadError),
        raising(httpx.RemoteProtocolError),
        lambda r: httpx.Response(500, text="Internal Server Error"),
        lambda r: error(503, "unavailable"),
        lambda r: httpx.Response(502),
    ],
    ids=["refused", "connect-timeout", "read-timeout", "reset", "closed", "500", "503", "502"],
)
def test_network_failures_and_server_errors_are_unreachable(
    fake: FakeClinic, client: ClinicClient, failure: Fault
) -> None:
    fake.fault = failure
    with pytest.raises(ClinicUnreachableError, match="try again"):
        client.config()
    with pytest.raises(ClinicUnreachableError):
        client.upload([("a" * 32, b"{}")])


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (httpx.Response(200, text="<html>hello</html>"), "not JSON"),
        (httpx.Response(200, json={"results": []}), "one result per submission"),
        (httpx.Response(200, json={"results": [{"id": "b" * 32, "status": 201}]}), "in order"),
        (httpx.Response(200, json={"results": [{"id": "a" * 32, "status": 201}]}), "no receipt"),
        (httpx.Response(200, json={"results": [{"id": "a" * 32, "status": 202}]}), "unknown"),
        (httpx.Response(200, json={"results": [{"id": "a" * 32, "status": True}]}), "unknown"),
        (httpx.Response(302, headers={"Location": "http://elsewhere"}), "HTTP 302"),
    ],
)
def test_answers_of_the_wrong_shape_are_protocol_errors(
    fake: FakeClinic, client: ClinicClient, answer: httpx.Response, why: str
) -> None:
    fake.fault = lambda request: answer
    with pytest.raises(ProtocolError, match=why):
        client.upload([("a" * 32, b"{}")])


def test_a_refused_request_says_why(fake: FakeClinic, client: ClinicClient) -> None:
    fake.fault = lambda request: error(413, "too_large")
    with pytest.raises(ClinicRefusedError, match="too_large") as refused:
        client.upload([("a" * 32, b"{}")])
    assert refused.value.status == 413


def test_upload_sends_base64_envelopes_and_returns_receipts(
    client: ClinicClient, fake: FakeClinic, store: TabletStore, submit: Submit
) -> None:
    batch = envelopes(store, submit, 2)
    results = client.upload(batch)

    assert [(r.id, r.status) for r in results] == [(sid, 201) for sid, _ in batch]
    assert [r.receipt for r in results] == [i.envelope_hash for i in store.pending()]
    sent = json.loads(fake.requests[-1].content)["submissions"]
    assert [base64.b64decode(s["envelope"]) for s in sent] == [e for _, e in batch]
    assert [r.status for r in client.upload(batch)] == [200, 200]


def test_upload_refuses_more_than_fifty(client: ClinicClient) -> None:
    with pytest.raises(ValueError, match="50"):
        client.upload([(f"{n:032x}", b"{}") for n in range(51)])


def test_config_uses_the_etag(client: ClinicClient, fake: FakeClinic) -> None:
    config = client.config()
    assert config is not None
    assert config.tag == fake.etag
    assert config.clinic_list is not None
    assert "Smith" not in repr(config) and "9434765919" not in repr(config)

    assert client.config(config.tag) is None
    assert fake.requests[-1].headers["If-None-Match"] == fake.etag


@pytest.mark.control("H-23-C4")
def test_the_client_needs_https_and_exactly_one_of_certificate_or_transport(
    identity: DeviceIdentity, fake: FakeClinic
) -> None:
    with pytest.raises(ValueError, match="https"):
        ClinicClient("http://clinic.test", identity, transport=fake.transport)
    with pytest.raises(ValueError, match="either"):
        ClinicClient(CLINIC_URL, identity)
