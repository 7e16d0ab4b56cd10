"""Network faults between two real processes: the clinic service (``kiosk clinic serve``,
a subprocess) and the tablet's real sync (Syncer and ClinicClient, in this process),
with a TCP proxy the test controls between them (tests/sync/fault_proxy.py).

1,000 trials on each database (a SQLite file, then PostgreSQL). In each, the tablet
may seal a few new submissions; then one sync pass runs with one random fault at a
random byte of its connection: the connection dropped (FIN) or reset (RST) in the
middle of the request or of the response, stalled past the tablet's time-out,
trickled a few bytes at a time, or the clinic's process SIGKILLed while a request is
under way or as it answers, its answer unsent (then restarted on the same port).
Everything the tablet made must end up at the clinic exactly once, byte for byte;
after one clean sync the tablet's outbox is empty; the clinic's audit records each
submission stored once; nothing is held.

Trials are kept cheap: small anonymous submissions, a 0.3 s client time-out, one
server process reused until a kill. The elapsed time is printed (``-s``).
"""

from __future__ import annotations

import collections
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from kiosk.clinic.models import AuditEntry, HeldSubmission, Submission
from kiosk.clinic.tls import CERT_FILE
from kiosk.engine import FormLibrary
from kiosk.journey import Journey
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.client import ClinicClient
from kiosk.sync.enrol import enrol
from kiosk.sync.worker import Syncer
from tests.clinic.conftest import postgres_server, postgres_url  # noqa: F401

from .fault_proxy import DOWN, UP, Fault, FaultProxy

pytestmark = [pytest.mark.clinic, pytest.mark.security, pytest.mark.slow]

TRIALS = int(os.environ.get("KIOSK_FAULT_TRIALS", "1000"))
KIOSK = [sys.executable, "-m", "kiosk"]
FORMS = Path(__file__).resolve().parents[2] / "forms"
LIBRARY = FormLibrary.load(FORMS)
QUICK = httpx.Timeout(0.3)  # a stalled trial costs this much
PATIENT = httpx.Timeout(30.0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ClinicProcess:
    """``kiosk clinic serve`` in its own process, on a fixed port, restartable."""

    def __init__(self, root: Path, database: str | None) -> None:
        self.root = root
        self.port = free_port()
        (root / "passphrase").write_bytes(b"a clinic passphrase for tests\n")
        setting = f'database = "{database}"\n' if database else ""
        self.config = root / "clinic.toml"
        self.config.write_text(
            f'[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n{setting}'
            f'[server]\nhost = "127.0.0.1"\nport = {self.port}\n',
            encoding="utf-8",
        )
        made = self.run("clinic", "init")
        assert made.returncode == 0, made.stderr
        self.folder = root / "clinic"
        self.certificate = (self.folder / CERT_FILE).read_text()
        self.database_url = database or f"sqlite:///{self.folder / 'clinic.db'}"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.restarts_s = 0.0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*KIOSK, *args, "--config", str(self.config)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def start(self) -> None:
        started = time.monotonic()
        log = (self.root / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [*KIOSK, "clinic", "serve", "--config", str(self.config)],
            stdout=log,
            stderr=log,
        )
        log.close()
        context = ssl.create_default_context(cafile=str(self.folder / CERT_FILE))
        while True:
            try:
                with urllib.request.urlopen(
                    f"{self.url}/api/v1/health", context=context, timeout=5
                ) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert self.process.poll() is None, (self.root / "serve.log").read_text()
                assert time.monotonic() - started < 60, "the clinic did not start"
                time.sleep(0.05)
        self.restarts_s += time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, whatever the process was doing."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1

    def dead(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def restart_if_dead(self) -> bool:
        if not self.dead():
            return False
        assert self.process is not None
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL, "the clinic died by itself"
        self.start()
        return True

    def stop(self) -> str:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        return (self.root / "serve.log").read_text(errors="replace")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def clinic_process(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClinicProcess]:
    """The clinic in its own process: on a SQLite file, then on a real PostgreSQL."""
    url = None if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    clinic = ClinicProcess(tmp_path, url)
    clinic.start()
    yield clinic
    log = clinic.stop()
    assert "Traceback" not in log, log[-3000:]


def make_submissions(store: TabletStore, count: int, rng: random.Random) -> None:
    """Small anonymous visits: one or two answers, submitted or walked away from."""
    for _ in range(count):
        journey = Journey(store, LIBRARY, "survey", {})
        journey.link_patient({"method": "anonymous"})
        journey.answer("social_welfare", "ends_meet", rng.choice(["yes", "no"]))
        if rng.random() < 0.5:
            journey.answer("ons4", "happiness", rng.randint(0, 10))
        if rng.random() < 0.15:
            journey.abandon("timed_out")
        else:
            journey.submit()


def random_fault(rng: random.Random) -> Fault:
    """One fault at a random byte: offsets from 1 byte to 32 KiB, log-uniform, so the
    TLS handshake, the headers, the body and the answer are all hit."""
    at = int(2 ** rng.uniform(0, 15))
    direction = rng.choice((UP, DOWN))
    roll = rng.random()
    if roll < 0.015:  # the clinic dies mid-request; ~15 kills per 1,000 trials
        if rng.random() < 0.5:  # at a random moment of the request or just after it
            return Fault("kill", UP, int(2 ** rng.uniform(8, 13)), delay_s=rng.uniform(0, 0.03))
        # as the clinic answers a request well past its TLS handshake: the batch is
        # stored and the tablet never gets the receipts
        return Fault("kill", DOWN, int(2 ** rng.uniform(10, 13)))
    if roll < 0.10:
        return Fault("pass")
    if roll < 0.42:
        return Fault("drop", direction, at)
    if roll < 0.74:
        return Fault("reset", direction, at)
    if roll < 0.84:
        return Fault("stall", direction, at, stall_s=2.0)
    return Fault("trickle", chunk=rng.choice((16, 61, 256)), delay_s=rng.uniform(0, 0.001))


def at_clinic(clinic: ClinicProcess) -> tuple[dict[str, str], Counter[str], int]:
    """Stored submissions (id -> envelope hash), audit rows 'stored' per id, held rows."""
    engine = create_engine(clinic.database_url)
    try:
        with engine.connect() as db:
            stored = dict(db.execute(select(Submission.id, Submission.envelope_hash)).all())
            audited = Counter(
                str(target)
                for (target,) in db.execute(
                    select(AuditEntry.target).where(
                        AuditEntry.action == "submission", AuditEntry.outcome == "stored"
                    )
                )
            )
            held = db.scalar(select(func.count()).select_from(HeldSubmission)) or 0
    finally:
        engine.dispose()
    return stored, audited, held


@pytest.mark.control("H-08-C3", "H-09-C1")
def test_a_thousand_real_network_faults_lose_and_duplicate_nothing(
    clinic_process: ClinicProcess, tmp_path: Path
) -> None:
    clinic = clinic_process
    data_dir = tmp_path / "tablet"
    code = clinic.run("clinic", "enrolment-code")
    assert code.returncode == 0, code.stderr
    enrol(clinic.url, code.stdout.split()[0], data_dir, "Tablet 1")
    identity = FileKeyStore(data_dir).load()
    proxy = FaultProxy(clinic.port, on_kill=clinic.kill)
    store = TabletStore.open(data_dir)
    rng = random.Random(20261207)
    made: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    mid_batch_kills = 0
    timing: dict[str, float] = collections.defaultdict(float)

    def client(timeout: httpx.Timeout) -> ClinicClient:
        return ClinicClient(
            f"https://127.0.0.1:{proxy.port}",
            identity,
            certificate=clinic.certificate,
            timeout=timeout,
        )

    syncer = Syncer(store, client(QUICK), data_dir, rng=rng)
    started = time.monotonic()
    try:
        for _trial in range(TRIALS):
            if rng.random() < 0.35:
                t0 = time.monotonic()
                make_submissions(store, rng.randint(1, 4), rng)
                made.update((i.submission_id, i.envelope_hash) for i in store.pending(10_000))
                timing["make"] += time.monotonic() - t0
            fault = random_fault(rng)
            kinds[fault.kind] += 1
            proxy.hang_up_all()  # this pass opens a new connection, which takes the fault
            proxy.plan.clear()
            proxy.plan.append(fault)
            t0 = time.monotonic()
            report = syncer.sync_once()
            timing[fault.kind] += time.monotonic() - t0
            outcomes["ok" if report.ok else (report.error_kind or "error")] += 1
            if clinic.restart_if_dead():
                stored, _audited, _held = at_clinic(clinic)
                pending = {i.submission_id for i in store.pending(10_000)}
                mid_batch_kills += bool(pending & set(stored))  # stored, never acknowledged
        faulty_s = time.monotonic() - started
        # One clean sync with patient time-outs: everything arrives, once.
        proxy.plan.clear()
        proxy.hang_up_all()
        syncer.close()
        syncer = Syncer(store, client(PATIENT), data_dir, rng=rng)
        for _ in range(5):
            if syncer.sync_once().ok and not store.pending(1):
                break
        assert store.pending(10_000) == []
        stored, audited, held = at_clinic(clinic)
        assert stored == made  # every submission the tablet made, byte for byte
        assert audited == Counter(dict.fromkeys(made, 1))  # each stored exactly once
        assert held == 0  # no retry ever looked like a different version
    finally:
        syncer.close()
        store.close()
        proxy.close()
    elapsed = time.monotonic() - started
    print(
        f"\n{TRIALS} trials in {faulty_s:.0f} s ({elapsed:.0f} s with the final sync), "
        f"{clinic.kills} kills ({mid_batch_kills} mid-batch), restarts {clinic.restarts_s:.0f} s; "
        f"{len(made)} submissions; faults {dict(kinds)}; sync outcomes {dict(outcomes)}; "
        f"seconds { ({k: round(v, 1) for k, v in timing.items()}) }"
    )
    # The faults did happen, and did hurt.
    assert all(kinds[k] > 0 for k in ("drop", "reset", "stall", "trickle", "kill")), kinds
    assert clinic.kills >= 5 and mid_batch_kills > 0
    assert outcomes["ok"] > 100 and sum(outcomes.values()) - outcomes["ok"] > 300, outcomes
    assert len(made) > 500
