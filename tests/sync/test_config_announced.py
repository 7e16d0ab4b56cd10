"""The configuration's ETag on a batch's answer: a tablet that holds that configuration
does not ask for it again in the same pass, and one that holds an older one (or only an
old word on it) still asks, and gets the new one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.store import DeviceIdentity, TabletStore
from kiosk.sync.client import ANNOUNCEMENT_FRESH_S, ClinicClient
from kiosk.sync.config import ClinicRecord, read_clinic_record
from kiosk.sync.worker import Syncer

from .conftest import CLINIC_URL, Submit
from .fake_clinic import FakeClinic, shipped_config

pytestmark = pytest.mark.clinic
CONFIG = "/api/v1/tablet/config"


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic() -> Monotonic:
    return Monotonic()


@pytest.fixture
def announcing(fake: FakeClinic, identity: DeviceIdentity, monotonic: Monotonic) -> ClinicClient:
    fake.announce = True
    return ClinicClient(CLINIC_URL, identity, transport=fake.transport, monotonic=monotonic)


@pytest.fixture
def syncer(
    store: TabletStore, announcing: ClinicClient, data_dir: Path, enrolled: ClinicRecord
) -> Syncer:
    return Syncer(store, announcing, data_dir, rng=random.Random(3))


def test_a_pass_that_sent_a_batch_asks_for_the_configuration_only_when_it_changed(
    syncer: Syncer, fake: FakeClinic, submit: Submit, data_dir: Path
) -> None:
    submit()
    first = syncer.sync_once()  # the tablet holds no ETag yet: it asks, and applies
    assert (first.acknowledged, first.config) == (1, "applied")
    assert fake.paths().count(CONFIG) == 1

    submit()
    second = syncer.sync_once()  # the batch's answer names the ETag it holds
    assert (second.acknowledged, second.config) == (1, "unchanged")
    assert fake.paths().count(CONFIG) == 1

    fake.config = {**shipped_config("v2"), "clinic_keys": fake.config["clinic_keys"]}
    submit()
    third = syncer.sync_once()  # the batch's answer names another: it asks, and applies
    assert (third.acknowledged, third.config) == (1, "applied")
    assert fake.paths().count(CONFIG) == 2
    record = read_clinic_record(data_dir)
    assert record is not None and record.config_etag == fake.etag


def test_a_pass_with_nothing_to_send_asks_for_the_configuration(
    syncer: Syncer, fake: FakeClinic, submit: Submit
) -> None:
    submit()
    syncer.sync_once()
    syncer.sync_once()  # nothing to send: no batch answer to rely on
    assert fake.paths().count(CONFIG) == 2


def test_a_word_on_the_configuration_is_used_once_and_only_while_fresh(
    announcing: ClinicClient,
    fake: FakeClinic,
    store: TabletStore,
    submit: Submit,
    monotonic: Monotonic,
) -> None:
    submit()
    submit()
    first, second = [(i.submission_id, i.envelope) for i in store.pending()]
    announcing.upload([first])
    assert announcing.config(fake.etag) is None
    assert fake.paths().count(CONFIG) == 0
    assert announcing.config(fake.etag) is None  # the word was used: this one asked
    assert fake.paths().count(CONFIG) == 1

    announcing.upload([second])
    monotonic.now += ANNOUNCEMENT_FRESH_S + 1  # a pass that stopped, resumed much later
    assert announcing.config(fake.etag) is None
    assert fake.paths().count(CONFIG) == 2


def test_a_tablet_with_no_configuration_yet_always_asks(
    announcing: ClinicClient, fake: FakeClinic, store: TabletStore, submit: Submit
) -> None:
    submit()
    announcing.upload([(i.submission_id, i.envelope) for i in store.pending()])
    config = announcing.config(None)
    assert config is not None and config.version == fake.config["version"]
    assert fake.paths().count(CONFIG) == 1
