"""A real tablet and a real clinic over HTTPS on 127.0.0.1 (SQLite and PostgreSQL):
enrol, sync, pick up an updated clinic list, revoke; and 1,000 randomised trials of
network faults with nothing lost and nothing duplicated."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry, HeldSubmission, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.store import FileKeyStore, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.sync.client import ClinicClient
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.https import pinned_context
from kiosk.sync.worker import Syncer
from tests.clinic import serve_processes
from tests.clinic.serve_processes import clinic_in_thread

pytestmark = pytest.mark.clinic
# A fifth of the journeys time out rather than being submitted.
make_submissions = partial(serve_processes.make_submissions, abandoned=0.2)
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,"
    "hospital_number,pathway\nA-1,09:30,Heart clinic,Example,Alex,1950-03-03,9434765919,,\n"
)


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[tuple[ClinicService, RunningServer]]:
    with clinic_in_thread(tmp_path, database_url) as served:
        yield served


def held(service: ClinicService) -> list[str]:
    with service.transaction() as db:
        return list(db.scalars(select(HeldSubmission.reason)))


def stored(service: ClinicService) -> dict[str, str]:
    with service.transaction() as db:
        return {
            sid: digest
            for sid, digest in db.execute(select(Submission.id, Submission.envelope_hash))
        }


@pytest.mark.control("H-10-C3", "H-20-C1")
def test_enrol_sync_update_and_revoke(clinic, tmp_path: Path) -> None:
    service, running = clinic
    data_dir = tmp_path / "tablet"
    # Typed in lower case, as a person might: still the same code.
    enrolment = enrol(running.url, service.issue_code("admin").lower(), data_dir, "Tablet 1")
    assert enrolment.certificate_fingerprint == service.fingerprint
    identity = FileKeyStore(data_dir).load()
    store = TabletStore.open(data_dir)
    try:
        make_submissions(store, 5, random.Random(1))
        sent = {item.submission_id: item.envelope_hash for item in store.pending()}
        syncer = Syncer(store, enrolled_client(data_dir, identity), data_dir)
        report = syncer.sync_once()
        assert report.ok and report.acknowledged == 5
        assert store.pending() == []
        assert stored(service) == sent
        # The clinic sets today's list: the tablet picks it up at its next sync.
        service.set_clinic_list(dt.date.today(), LIST, "user:admin")
        assert syncer.sync_once().config == "applied"
        lists = ClinicLists(store, identity.derive_key(KEY_PURPOSE))
        today = lists.for_day(dt.date.today())
        assert today is not None and today.appointments[0].appointment_id == "A-1"
        assert syncer.sync_once().config == "unchanged"
        # The clinic updates a form: the tablet picks it up and keeps it as its copy.
        updated = service.forms_folders[0] / "what_matters.yaml"
        updated.write_text(updated.read_text() + "# reviewed by the clinic\n")
        assert syncer.sync_once().config == "applied"
        assert (
            (data_dir / "clinic-forms" / "what_matters.yaml")
            .read_text()
            .endswith("# reviewed by the clinic\n")
        )
        # Revoked: the tablet is told it is not enrolled, and keeps what it has.
        make_submissions(store, 1, random.Random(2))
        service.revoke(identity.device_id, "user:admin")
        refused = syncer.sync_once()
        assert refused.error_kind == "NotEnrolledError"
        assert "not enrolled" in (refused.error or "")
        assert len(store.pending()) == 1
        syncer.close()
    finally:
        store.close()


# ---------------------------------------------------------------- fault injection


class Faults(httpx.BaseTransport):
    """A real TLS transport with faults: before the request reaches the clinic, after it
    did (so only the answer is lost), as a 500, a time-out, or sent twice (a replay)."""

    KINDS = ("none", "down", "reset_after", "error_500", "timeout_after", "replay", "error_before")

    def __init__(self, real: httpx.BaseTransport, rng: random.Random, rate: float) -> None:
        self.real, self.rng, self.rate = real, rng, rate
        self.seen: dict[str, int] = dict.fromkeys(self.KINDS, 0)
        self.replays = 0
        self.wrong_replays: list[tuple[int, str]] = []  # checked at the end: not swallowed

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind = self.rng.choice(self.KINDS[1:]) if self.rng.random() < self.rate else "none"
        self.seen[kind] += 1
        if kind == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if kind == "error_before":
            return httpx.Response(500, json={"error": "internal", "message": "injected"})
        response = self.real.handle_request(request)
        response.read()
        if kind == "reset_after":
            raise httpx.ReadError("connection reset by peer", request=request)
        if kind == "timeout_after":
            raise httpx.ReadTimeout("timed out", request=request)
        if kind == "error_500":
            return httpx.Response(502, json={"error": "proxy", "message": "injected"})
        if kind == "replay":
            again = self.real.handle_request(request)  # the same signed bytes again
            again.read()
            # Once the first copy passed the signature check its nonce is known: exactly
            # 401 replayed. (A first copy refused for clock skew is refused again so.)
            first = response.json().get("error") if response.status_code == 401 else None
            expected = first or "replayed"
            if again.status_code != 401 or again.json().get("error") != expected:
                self.wrong_replays.append((again.status_code, again.text[:200]))
            self.replays += expected == "replayed"
        return response

    def close(self) -> None:
        self.real.close()


@pytest.mark.security
@pytest.mark.control("H-08-C3", "H-09-C1", "H-09-C2")
def test_a_thousand_faulty_trials_lose_and_duplicate_nothing(clinic, tmp_path: Path) -> None:
    service, running = clinic
    folder = tmp_path / "clinic"
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    certificate = (folder / CERT_FILE).read_text()
    rng = random.Random(20261123)
    store = TabletStore.open(data_dir)
    made: dict[str, str] = {}
    skew = 0.0
    faults = Faults(httpx.HTTPTransport(verify=pinned_context(certificate)), rng, rate=0.5)
    client = ClinicClient(
        running.url, identity, transport=faults, clock=lambda: __import__("time").time() + skew
    )
    syncer = Syncer(store, client, data_dir, rng=rng)
    # The clinic dying with a batch in hand: before storing it, or once it is stored
    # and before the answer is sent (the tablet must resend, and get receipts then).
    receive = service.receiving.receive
    dying = {"after": -1, "died": 0, "stored": False}

    def maybe_die(device_id: str, items: list[tuple[str, str]]):
        if dying["after"] == 0:
            dying["after"], dying["died"] = -1, dying["died"] + 1
            dying["stored"] = not dying["stored"]
            if dying["stored"]:
                receive(device_id, items)
            raise RuntimeError("the clinic process died with a batch in hand")
        dying["after"] -= 1 if dying["after"] > 0 else 0
        return receive(device_id, items)

    service.receiving.receive = maybe_die  # type: ignore[method-assign]
    try:
        for trial in range(1000):
            if rng.random() < 0.05:
                dying["after"] = rng.randint(0, 3)
            if rng.random() < 0.3:
                make_submissions(store, rng.randint(1, 3), rng)
                made.update((i.submission_id, i.envelope_hash) for i in store.pending(limit=10_000))
            if rng.random() < 0.05:
                skew = rng.choice((-1, 1)) * rng.uniform(3600, 6 * 3600)  # clock hours out
            elif rng.random() < 0.05:
                skew = 0.0
            if trial % 250 == 249:  # the clinic restarts mid-run
                running.stop()
                running = serve_in_thread(service, folder, port=int(running.url.rsplit(":", 1)[1]))
            syncer.sync_once()
        faults.rate = 0.0
        dying["after"] = -1
        for _ in range(20):
            if not store.pending():
                break
            syncer.sync_once()
        assert store.pending() == []
        assert stored(service) == made  # every submission once, byte for byte
        assert held(service) == []  # no conflicts: retries never produced a second version
        assert all(count > 0 for count in faults.seen.values()), faults.seen
        assert dying["died"] > 0
        assert len(made) > 100
        with service.transaction() as db:  # each replay refused and audited as such
            replayed = db.scalars(select(AuditEntry).where(AuditEntry.outcome == "replayed")).all()
        assert faults.wrong_replays == []
        assert len(replayed) == faults.replays > 0
        device = f"device:{identity.device_id}"
        assert {(e.actor, e.action) for e in replayed} == {(device, "signed_request")}
    finally:
        syncer.close()
        store.close()
        running.stop()


# ---------------------------------------------------------------- the tablet killed

# A tablet's sync process: sends its whole outbox, one pass after another, then says so.
TABLET = r"""
import sys
from pathlib import Path
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.enrol import enrolled_client
from kiosk.sync.worker import Syncer

data_dir = Path(sys.argv[1])
store = TabletStore.open(data_dir)
syncer = Syncer(store, enrolled_client(data_dir, FileKeyStore(data_dir).load()), data_dir)
print("ready", flush=True)
while store.pending():
    syncer.sync_once()
syncer.close()
store.close()
print("done", flush=True)
"""


def tablet_outbox(data_dir: Path) -> tuple[dict[str, str], set[str]]:
    """Every submission on the tablet (id -> hash) and the ids it has let go."""
    db = sqlite3.connect(data_dir / "tablet.db")
    try:
        rows = db.execute(
            "SELECT submission_id, envelope_hash, acknowledged_at FROM outbox"
        ).fetchall()
    finally:
        db.close()
    return {sid: digest for sid, digest, _ in rows}, {sid for sid, _, at in rows if at}


@pytest.mark.slow
@pytest.mark.control("H-08-C3")
def test_a_tablet_killed_mid_sync_loses_nothing_and_a_rerun_sends_each_once(
    clinic, tmp_path: Path
) -> None:
    service, running = clinic
    data_dir = tmp_path / "tablet"
    enrol(running.url, service.issue_code("admin"), data_dir, "Tablet 1")
    store = TabletStore.open(data_dir)
    try:
        make_submissions(store, 140, random.Random(7))  # more than two batches
    finally:
        store.close()
    made, _ = tablet_outbox(data_dir)
    assert len(made) > 100
    tablet: list[subprocess.Popen[str]] = []
    receive = service.receiving.receive
    kill_after_storing = {"batches": 1}

    def store_then_kill_the_tablet(device_id: str, items: list[tuple[str, str]]):
        answer = receive(device_id, items)
        if kill_after_storing["batches"] == 0:
            # The tablet writes the first batch's receipts while the clinic stores the
            # second: let it finish that, then cut it off before the second's arrive.
            deadline = time.monotonic() + 30
            while not tablet_outbox(data_dir)[1] and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(tablet[-1].pid, signal.SIGKILL)  # the receipts never reach it
        kill_after_storing["batches"] -= 1
        return answer

    service.receiving.receive = store_then_kill_the_tablet  # type: ignore[method-assign]

    def run_tablet(kill_at: float | None) -> str:
        child = subprocess.Popen(
            [sys.executable, "-c", TABLET, str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        tablet.append(child)
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        if kill_at is not None:
            time.sleep(kill_at)
            child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=600)
        if child.returncode not in (0, -signal.SIGKILL):
            raise AssertionError(err)
        # Whatever the moment of death: nothing lost, and nothing let go that the
        # clinic does not hold byte for byte.
        now_on_tablet, let_go = tablet_outbox(data_dir)
        assert now_on_tablet == made
        clinic_has = stored(service)
        assert all(clinic_has.get(sid) == made[sid] for sid in let_go)
        return "done" if out.endswith("done\n") else "killed"

    # Killed after the clinic stored the second batch, before the tablet heard back.
    assert run_tablet(None) == "killed"
    let_go_first = tablet_outbox(data_dir)[1]
    assert 0 < len(let_go_first) < len(stored(service)) < len(made)
    # Killed at random moments of a pass, in the middle of acknowledging or not.
    rng = random.Random(11)
    for _ in range(4):
        run_tablet(rng.uniform(0.05, 1.5))
    assert run_tablet(None) == "done"
    assert tablet_outbox(data_dir)[1] == set(made)  # every one acknowledged
    assert stored(service) == made  # each stored once, byte for byte
    assert held(service) == []
