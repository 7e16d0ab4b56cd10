"""A real tablet and a real clinic over HTTPS on 127.0.0.1 (SQLite and PostgreSQL): the
answer to a batch names the configuration's current ETag, so a pass that sent a batch and
holds that configuration makes one signed request, not two; a changed configuration
(a new clinic list, an edited form) is still picked up by the next pass that sends a batch;
and the conditional configuration request is signed and sent once like every other."""

from __future__ import annotations

import datetime as dt
import random
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.clinic.models import Nonce
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer
from kiosk.clinic.tls import CERT_FILE
from kiosk.store import FileKeyStore, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.signing import HEADER_CONFIG_ETAG
from kiosk.sync.worker import Syncer
from tests.clinic.serve_processes import clinic_in_thread, make_submissions
from tests.clinic.signing import signed_headers

pytestmark = [pytest.mark.clinic, pytest.mark.security]
CONFIG = "/api/v1/tablet/config"
SUBMISSIONS = "/api/v1/submissions"
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
    "hospital_number,pathway\nA-7,10:30,Heart clinic,Example,Sam,1951-04-04,9434765919,,\n"
)


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[tuple[ClinicService, RunningServer]]:
    with clinic_in_thread(tmp_path, database_url) as served:
        yield served


def signed_requests(service: ClinicService, device_id: str) -> int:
    """How many signed requests the clinic has let in from the tablet (one nonce each)."""
    with service.transaction() as db:
        count = db.scalar(select(func.count()).where(Nonce.device_id == device_id))
    return int(count or 0)


def https(running: RunningServer, tmp_path: Path) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(tmp_path / "clinic" / CERT_FILE))
    return httpx.Client(base_url=running.url, verify=context, timeout=30)


def test_a_pass_with_a_batch_asks_again_only_for_a_changed_configuration(
    clinic: tuple[ClinicService, RunningServer], tmp_path: Path
) -> None:
    service, running = clinic
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    store = TabletStore.open(data_dir)
    syncer = Syncer(store, enrolled_client(data_dir, identity), data_dir)
    try:
        make_submissions(store, 2, random.Random(1))
        report = syncer.sync_once()
        assert (report.acknowledged, report.config) == (2, "unchanged")
        assert signed_requests(service, identity.device_id) == 1  # the batch alone

        # A new clinic list: the next batch's answer names another configuration, so the
        # tablet asks for it in the same pass and has the list.
        service.set_clinic_list(dt.date.today(), LIST, "user:admin")
        make_submissions(store, 1, random.Random(2))
        report = syncer.sync_once()
        assert (report.acknowledged, report.config) == (1, "applied")
        assert signed_requests(service, identity.device_id) == 3
        today = ClinicLists(store, identity.derive_key(KEY_PURPOSE)).for_day(dt.date.today())
        assert today is not None and today.appointments[0].appointment_id == "A-7"

        # An edited form: the same.
        edited = service.forms_folders[0] / "what_matters.yaml"
        edited.write_text(edited.read_text() + "# reviewed by the clinic\n")
        make_submissions(store, 1, random.Random(3))
        report = syncer.sync_once()
        assert (report.acknowledged, report.config) == (1, "applied")
        kept = data_dir / "clinic-forms" / "what_matters.yaml"
        assert kept.read_text().endswith("# reviewed by the clinic\n")

        make_submissions(store, 1, random.Random(4))
        report = syncer.sync_once()
        assert (report.acknowledged, report.config) == (1, "unchanged")
        assert signed_requests(service, identity.device_id) == 6
    finally:
        syncer.close()
        store.close()


def test_the_batch_answer_names_the_etag_the_configuration_is_served_with(
    clinic: tuple[ClinicService, RunningServer], tmp_path: Path
) -> None:
    service, running = clinic
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    service.set_clinic_list(dt.date.today(), LIST, "user:admin")
    body = b'{"submissions":[]}'
    with https(running, tmp_path) as client:
        batch = client.post(
            SUBMISSIONS, content=body, headers=signed_headers(identity, "POST", SUBMISSIONS, body)
        )
        served = client.get(CONFIG, headers=signed_headers(identity, "GET", CONFIG))
        assert batch.status_code == 200 and served.status_code == 200
        assert batch.headers[HEADER_CONFIG_ETAG] == served.headers["ETag"]
        assert served.headers["ETag"] == f'"{served.json()["version"]}"'


@pytest.mark.parametrize("signature", ["none", "wrong"])
def test_no_word_on_the_configuration_without_a_good_signature(
    clinic: tuple[ClinicService, RunningServer], tmp_path: Path, signature: str
) -> None:
    service, running = clinic
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    body = b'{"submissions":[]}'
    headers = {} if signature == "none" else signed_headers(identity, "POST", SUBMISSIONS, b"{}")
    with https(running, tmp_path) as client:
        refused = client.post(SUBMISSIONS, content=body, headers=headers)
    assert refused.status_code == 401
    assert HEADER_CONFIG_ETAG not in refused.headers


@pytest.mark.control("H-09-C2")
def test_a_replayed_conditional_config_request_is_refused(
    clinic: tuple[ClinicService, RunningServer], tmp_path: Path
) -> None:
    """The cheap "unchanged" answer is still a signed request, let in once: a copy of it
    sent again is refused as a replay, as is a copy of a batch whose answer named the ETag."""
    service, running = clinic
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    with https(running, tmp_path) as client:
        etag = client.get(CONFIG, headers=signed_headers(identity, "GET", CONFIG)).headers["ETag"]
        conditional = {**signed_headers(identity, "GET", CONFIG), "If-None-Match": etag}
        assert client.get(CONFIG, headers=conditional).status_code == 304
        again = client.get(CONFIG, headers=conditional)
        assert (again.status_code, again.json()["error"]) == (401, "replayed")

        body = b'{"submissions":[]}'
        batch = signed_headers(identity, "POST", SUBMISSIONS, body)
        assert client.post(SUBMISSIONS, content=body, headers=batch).status_code == 200
        copied = client.post(SUBMISSIONS, content=body, headers=batch)
        assert (copied.status_code, copied.json()["error"]) == (401, "replayed")
        assert HEADER_CONFIG_ETAG not in copied.headers
