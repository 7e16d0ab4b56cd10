"""Enrolment: one-time code in, pinned clinic out; any failure leaves the tablet as
it was (no device key), so enrolment can be tried again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicKeyPair, ClinicPublicKey
from kiosk.store import FileKeyStore, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.sync.config import CERTIFICATE_FILE, CLINIC_FILE, FORMS_DIR, clinic_forms_dir
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.errors import (
    CertificateMismatchError,
    ClinicUnreachableError,
    EnrolmentError,
    ProtocolError,
    SyncError,
)

from .conftest import CLINIC_URL
from .fake_clinic import Certificate, FakeClinic, raising

pytestmark = pytest.mark.clinic

Enrol = Callable[..., Any]


@pytest.fixture
def clinic(clinic_keys: ClinicKeyPair, certificate: Certificate) -> FakeClinic:
    return FakeClinic(clinic_keys, certificate.fingerprint)


@pytest.fixture
def run_enrol(clinic: FakeClinic, certificate: Certificate, data_dir: Path) -> Enrol:
    def run(code: str | None = None, **overrides: Any) -> Any:
        options: dict[str, Any] = {
            "fetch_certificate": lambda host, port: certificate.pem,
            "transport": clinic.transport,
        }
        options.update(overrides)
        code = clinic.issue_code() if code is None else code
        return enrol(CLINIC_URL, code, data_dir, "Tablet 3", **options)

    return run


def files(data_dir: Path) -> set[str]:
    return {p.name for p in data_dir.iterdir()} if data_dir.exists() else set()


def assert_not_enrolled(data_dir: Path) -> None:
    left = files(data_dir) & {"device.key", CLINIC_FILE, CERTIFICATE_FILE, "clinic.pub"}
    assert left == set()
    assert not FileKeyStore(data_dir).exists()


def test_enrolment_pins_the_clinic_and_saves_its_key_and_configuration(
    run_enrol: Enrol,
    clinic: FakeClinic,
    clinic_keys: ClinicKeyPair,
    certificate: Certificate,
    data_dir: Path,
) -> None:
    enrolment = run_enrol()

    identity = FileKeyStore(data_dir).load()
    assert enrolment.device_id == identity.device_id and identity.device_id in clinic.devices
    assert enrolment.certificate_fingerprint == certificate.fingerprint
    assert ClinicPublicKey.load(data_dir / "clinic.pub").id == clinic_keys.id
    assert (data_dir / CERTIFICATE_FILE).read_text().strip() == certificate.pem.strip()
    record = json.loads((data_dir / CLINIC_FILE).read_text())
    assert record["url"] == CLINIC_URL
    assert record["device_id"] == identity.device_id
    assert record["certificate_fingerprint"] == certificate.fingerprint
    assert dt.datetime.fromisoformat(record["enrolled_at"]).tzinfo is not None
    assert record["config_etag"] == "v1"
    forms = clinic_forms_dir(data_dir)
    assert forms is not None and "cardiology" in FormLibrary.load(forms).pathways

    store = TabletStore.open(data_dir)
    try:
        assert store.clinic_key is not None and store.clinic_key.id == clinic_keys.id
        saved = ClinicLists(store, identity.derive_key(KEY_PURPOSE)).for_day(dt.date.today())
        assert saved is not None and len(saved.appointments) == 1
    finally:
        store.close()


@pytest.mark.control("H-23-C2")
def test_the_secret_half_of_the_code_never_travels(run_enrol: Enrol, clinic: FakeClinic) -> None:
    code = clinic.issue_code()
    run_enrol(code)
    secret = code.split("-")[1]
    assert all(secret not in request.content.decode() for request in clinic.requests)


def test_after_enrolment_the_tablet_signs_its_requests(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    run_enrol()
    identity = FileKeyStore(data_dir).load()
    with enrolled_client(data_dir, identity, transport=clinic.transport) as client:
        assert client.config() is not None
    assert clinic.statuses()[-1] == 200


def test_the_enrolled_client_checks_the_saved_certificate(run_enrol: Enrol, data_dir: Path) -> None:
    run_enrol()
    identity = FileKeyStore(data_dir).load()
    enrolled_client(data_dir, identity).close()

    (data_dir / CERTIFICATE_FILE).write_text(Certificate(["elsewhere.test"]).pem)
    with pytest.raises(CertificateMismatchError, match="not the one pinned"):
        enrolled_client(data_dir, identity)


@pytest.mark.parametrize(
    ("tamper", "error", "message"),
    [
        (lambda a: a.update(answer="0" * 64), CertificateMismatchError, "did not prove"),
        (lambda a: a.pop("answer"), CertificateMismatchError, "did not prove"),
        (
            lambda a: a.update(certificate_fingerprint="sha256:" + "1" * 64),
            CertificateMismatchError,
            "different certificate",
        ),
        (lambda a: a.update(device_id="0123456789abcdef"), ProtocolError, "another device"),
        (lambda a: a.update(clinic_keys=[]), ProtocolError, "no clinic key"),
        (lambda a: a.update(clinic_keys=["x25519:not-a-key"]), ProtocolError, "not a key"),
        (lambda a: a.update(config=None), ProtocolError, "configuration"),
        (
            lambda a: a["config"].update(forms={"../evil.yaml": "x"}),
            SyncError,
            "not a plain .yaml file name",
        ),
    ],
    ids=[
        "wrong-answer",
        "no-answer",
        "other-fingerprint",
        "other-device",
        "no-key",
        "bad-key",
        "no-config",
        "hostile-config",
    ],
)
def test_a_bad_answer_is_refused_and_the_new_device_key_removed(
    run_enrol: Enrol,
    clinic: FakeClinic,
    data_dir: Path,
    tamper: Callable[[dict[str, Any]], None],
    error: type[Exception],
    message: str,
) -> None:
    clinic.tamper_enrolment = tamper
    with pytest.raises(error, match=message):
        run_enrol()
    assert_not_enrolled(data_dir)
    assert not (data_dir.parent / "evil.yaml").exists()


def test_after_a_failed_enrolment_a_new_code_enrols_cleanly(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    clinic.tamper_enrolment = lambda a: a.update(answer="0" * 64)
    with pytest.raises(CertificateMismatchError):
        run_enrol()
    clinic.tamper_enrolment = None
    assert run_enrol().device_id == FileKeyStore(data_dir).load().device_id


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        ("unknown_code", "does not know this enrolment code"),
        ("expired_code", "expired"),
        ("used_code", "already been used"),
        ("wrong_proof", "intercepting"),
    ],
)
def test_refused_codes_say_why_in_plain_words(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path, refusal: str, message: str
) -> None:
    code = clinic.issue_code()
    if refusal == "unknown_code":
        code = "ZZZZ-" + code.split("-")[1]
    elif refusal == "expired_code":
        code = clinic.issue_code(valid_for=-1)
    elif refusal == "used_code":
        clinic.used.add(code.split("-")[0])
    else:
        code = code[:-1] + ("A" if code[-1] != "A" else "B")

    with pytest.raises(EnrolmentError, match=message) as refused:
        run_enrol(code)

    assert refused.value.code == refusal
    assert_not_enrolled(data_dir)


@pytest.mark.control("H-20-C4")
def test_a_man_in_the_middle_certificate_fails_the_proof(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    """The tablet is shown another certificate than the clinic's own: its proof,
    bound to what it saw, does not verify at the clinic."""
    impostor = Certificate(["clinic.test"])
    with pytest.raises(EnrolmentError) as refused:
        run_enrol(fetch_certificate=lambda host, port: impostor.pem)
    assert refused.value.code == "wrong_proof"
    assert_not_enrolled(data_dir)


@pytest.mark.parametrize(
    "code",
    ["", "K7QF", "K7QF3MZX8TPLW2H9", "K7QF-", "-3MZX8TPLW2H9", "K7QF-3MZ", "K7 QF-3MZX8TPLW"],
)
def test_a_code_of_the_wrong_shape_is_refused_before_anything_happens(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path, code: str
) -> None:
    with pytest.raises(EnrolmentError, match="not an enrolment code"):
        run_enrol(code)
    assert clinic.requests == [] and files(data_dir) == set()


@pytest.mark.parametrize("url", ["http://clinic.test", "clinic.test", "https://", "ftp://x"])
def test_the_clinic_address_must_be_https(data_dir: Path, clinic: FakeClinic, url: str) -> None:
    with pytest.raises(EnrolmentError, match="https://"):
        enrol(url, clinic.issue_code(), data_dir, "Tablet 3", transport=clinic.transport)


def test_an_enrolled_tablet_is_not_enrolled_again(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    run_enrol()
    key = (data_dir / "device.key").read_bytes()
    requests = len(clinic.requests)

    with pytest.raises(EnrolmentError, match="already enrolled"):
        run_enrol()

    assert (data_dir / "device.key").read_bytes() == key
    assert len(clinic.requests) == requests


def test_an_unreachable_clinic_leaves_no_key(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    def unreachable(host: str, port: int) -> str:
        raise ClinicUnreachableError(f"Cannot reach the clinic at {host}:{port}")

    with pytest.raises(ClinicUnreachableError):
        run_enrol(fetch_certificate=unreachable)
    assert_not_enrolled(data_dir)

    clinic.fault = raising(httpx.ConnectError)
    with pytest.raises(ClinicUnreachableError):
        run_enrol()
    assert_not_enrolled(data_dir)


def test_a_clinic_pub_from_before_enrolment_is_put_back_if_it_fails(
    run_enrol: Enrol, clinic: FakeClinic, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    demo_key = ClinicKeyPair.generate().public.to_text() + "\n"
    (data_dir / "clinic.pub").write_text(demo_key)
    clinic.tamper_enrolment = lambda a: a["config"].update(forms={"ons4.yaml": "id: [\n"})

    with pytest.raises(SyncError, match="do not load"):
        run_enrol()

    assert (data_dir / "clinic.pub").read_text() == demo_key
    assert not (data_dir / FORMS_DIR).exists()
    assert not FileKeyStore(data_dir).exists()
