"""Fixtures for the tablet's sync tests: a real tablet store with real submissions,
and a fake clinic behind an httpx MockTransport."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.config import ClinicRecord, write_clinic_record

from .fake_clinic import FORMS, Certificate, FakeClinic

CLINIC_URL = "https://clinic.test:8443"
Submit = Callable[[], str]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    return FormLibrary.load(FORMS)


@pytest.fixture(scope="session")
def certificate() -> Certificate:
    return Certificate(["clinic.test", "127.0.0.1"])


@pytest.fixture
def clinic_keys() -> ClinicKeyPair:
    return ClinicKeyPair.generate()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "tablet"


@pytest.fixture
def store(data_dir: Path, clinic_keys: ClinicKeyPair) -> Iterator[TabletStore]:
    opened = TabletStore.open(data_dir, clinic_keys.public)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def identity() -> DeviceIdentity:
    return DeviceIdentity.generate()


@pytest.fixture
def fake(
    clinic_keys: ClinicKeyPair, certificate: Certificate, identity: DeviceIdentity
) -> FakeClinic:
    """The clinic, with ``identity`` already enrolled."""
    clinic = FakeClinic(clinic_keys, certificate.fingerprint)
    clinic.admit(identity)
    return clinic


@pytest.fixture
def client(fake: FakeClinic, identity: DeviceIdentity) -> Iterator[ClinicClient]:
    with ClinicClient(CLINIC_URL, identity, transport=fake.transport) as opened:
        yield opened


@pytest.fixture
def enrolled(data_dir: Path, identity: DeviceIdentity, certificate: Certificate) -> ClinicRecord:
    """The clinic.json an enrolment would have left (for the ETag)."""
    record = ClinicRecord(CLINIC_URL, identity.device_id, certificate.fingerprint, "2026-11-23")
    data_dir.mkdir(parents=True, exist_ok=True)
    write_clinic_record(data_dir, record)
    return record


@pytest.fixture
def submit(store: TabletStore, library: FormLibrary) -> Submit:
    """Submit one patient's random answers through the real journey; the submission id."""
    rng = random.Random(7)

    def one() -> str:
        journey = Journey(store, library, "cardiology", {})
        for form in journey.forms:
            answers = random_answers(form, rng, baseline=journey.baseline(form.id))
            for item_id, value in answers.items():
                if item_id in journey.enabled_items(form.id):
                    journey.answer(form.id, item_id, value)
        return journey.submit().submission_id

    return one
