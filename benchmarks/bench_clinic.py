"""Clinic service benchmarks: the real service (``kiosk clinic serve``) in its own process,
over HTTPS on 127.0.0.1, fed by real tablet sync clients.

ingest_per_s_sqlite     20 enrolled tablets, each with 25 queued submissions, syncing at
ingest_per_s_postgres   once (one thread each): submissions stored per second, from the first
                        request to the last receipt. Baseline: a bare SQLAlchemy INSERT of the
                        same rows (id, envelope, hash), one transaction per row, from 20
                        threads, into the same kind of database in the same run.
drain_10k_s             one tablet's backlog of 10,000 submissions: from reconnect to every
                        receipt (SQLite clinic).
clinic_rss_mb           the service process's peak resident memory (VmHWM) after the drain.
mllp_messages_per_s     the hospital's SIU^S12 messages (new appointments over five days)
                        sent one after another on one MLLP connection over 127.0.0.1 to the
                        real listener, each stored, applied to the clinic lists (SQLite) and
                        acknowledged. Baseline: the same messages through the same listener
                        answered by a receive that only reads the header and builds the ACK.

PostgreSQL comes from KIOSK_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432/test); a
fresh database is made and dropped. Without a server, ingest_per_s_postgres is left out
and the reason printed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Column, LargeBinary, MetaData, String, Table, create_engine, text
from sqlalchemy.engine import make_url

from kiosk.clinic.setup import init_clinic, open_service
from kiosk.clinic.tls import CERT_FILE
from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.envelope import START_RECORD, SealedRecord, build_envelope, envelope_hash
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.envelope.seal import new_data_key, seal_record, wrap_data_key
from kiosk.journey import Journey
from kiosk.store import FileKeyStore, TabletStore
from kiosk.store.models import OutboxRow
from kiosk.sync.enrol import enrol, enrolled_client
from kiosk.sync.worker import Syncer

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
PASSPHRASE = b"benchmark clinic passphrase"
TABLETS, EACH = 20, 25
BACKLOG = int(os.environ.get("KIOSK_BENCH_BACKLOG", "10000"))  # smaller for a quick check
MLLP_MESSAGES = int(os.environ.get("KIOSK_BENCH_MLLP", "500"))
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def _service_process(folder: Path, database_url: str) -> Iterator[tuple[str, int]]:
    (folder / "passphrase").write_bytes(PASSPHRASE)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "clinic", "serve", str(folder), "--passphrase-file",
         str(folder / "passphrase"), "--database", database_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    with httpx.Client(verify=str(folder / CERT_FILE), timeout=2) as probe_client:
        while True:
            try:
                if probe_client.get(f"{url}/api/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the clinic service did not start")
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def _tablet(folder: Path, url: str, code: str) -> Path:
    enrol(url, code, folder, folder.name)
    return folder


def _fill(store: TabletStore, library: FormLibrary, count: int, rng: random.Random) -> None:
    for _ in range(count):
        journey = Journey(store, library, "cardiology", {})
        journey.link_patient({"method": "self_check_in", "nhs_number": "9434765919"})
        for form in journey.forms:
            for item_id, value in random_answers(form, rng).items():
                if item_id in journey.enabled_items(form.id):
                    journey.answer(form.id, item_id, value)
        journey.submit()


def _sync_all(tablet: Path) -> int:
    store = TabletStore.open(tablet)
    try:
        syncer = Syncer(store, enrolled_client(tablet, FileKeyStore(tablet).load()), tablet)
        done = 0
        while store.pending(limit=1):
            report = syncer.sync_once()
            if not report.ok:
                raise RuntimeError(f"sync failed: {report.error}")
            done += report.acknowledged
        syncer.close()
        return done
    finally:
        store.close()


def _bare_insert_per_s(database_url: str, rows: list[tuple[str, bytes, str]]) -> float:
    engine = create_engine(database_url)
    table = Table(
        f"bare_{uuid.uuid4().hex[:8]}",
        MetaData(),
        Column("id", String(32), primary_key=True),
        Column("envelope", LargeBinary),
        Column("envelope_hash", String(80)),
    )
    table.create(engine)
    chunks = [rows[i::TABLETS] for i in range(TABLETS)]

    def insert(chunk: list[tuple[str, bytes, str]]) -> None:
        for sid, envelope, digest in chunk:
            with engine.begin() as connection:
                connection.execute(
                    table.insert(), {"id": sid, "envelope": envelope, "envelope_hash": digest}
                )

    threads = [threading.Thread(target=insert, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    table.drop(engine)
    engine.dispose()
    return len(rows) / elapsed


def _ingest(database_url: str) -> dict[str, Any]:
    library = FormLibrary.load(FORMS)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        init_clinic(folder / "clinic", PASSPHRASE, ["127.0.0.1"])
        issuer = open_service(folder / "clinic", PASSPHRASE, database_url, [FORMS])
        with _service_process(folder / "clinic", database_url) as (url, _pid):
            tablets = [
                _tablet(folder / f"tablet{n:02d}", url, issuer.issue_code("bench"))
                for n in range(TABLETS)
            ]
            rows: list[tuple[str, bytes, str]] = []
            for tablet in tablets:
                store = TabletStore.open(tablet)
                _fill(store, library, EACH, rng)
                rows += [(i.submission_id, i.envelope, i.envelope_hash) for i in store.pending()]
                store.close()
            counts: list[int] = []
            threads = [
                threading.Thread(target=lambda t=t: counts.append(_sync_all(t))) for t in tablets
            ]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
        issuer.engine.dispose()
        if sum(counts) != TABLETS * EACH:
            raise RuntimeError(f"only {sum(counts)} of {TABLETS * EACH} were acknowledged")
        value = len(rows) / elapsed
        baseline = _bare_insert_per_s(database_url, rows)
    return {"value": value, "unit": "per_s", "baseline": baseline, "ratio": value / baseline}


def ingest_per_s_sqlite() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        return _ingest(f"sqlite:///{temp}/bench.db")


@contextmanager
def _fresh_postgres() -> Iterator[str]:
    server = make_url(os.environ.get("KIOSK_TEST_POSTGRES_URL", DEFAULT_PG))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ingest_per_s_postgres() -> dict[str, Any] | None:
    try:
        context = _fresh_postgres()
        url = context.__enter__()
    except Exception as exc:  # no server here: say so, measure the rest
        print(f"ingest_per_s_postgres left out: no PostgreSQL server ({type(exc).__name__})")
        return None
    try:
        return _ingest(url)
    finally:
        context.__exit__(None, None, None)


def _backlog(tablet: Path, count: int) -> None:
    """Queue ``count`` small sealed submissions straight into the outbox (fast set-up)."""
    store = TabletStore.open(tablet)
    key = ClinicPublicKey.load(tablet / "clinic.pub")
    form = FormLibrary.load(FORMS).get("ons4")
    manifest = [{"id": form.id, "version": form.version, "hash": form.hash}]
    now = "2026-11-23T09:00:00.000+00:00"
    start = {"pathway": "survey", "forms": manifest, "started_at": now}
    with store.transaction() as db:
        for _ in range(count):
            sid = uuid.uuid4().hex
            data_key = new_data_key()
            records = [
                SealedRecord(1, START_RECORD, seal_record(data_key, sid, START_RECORD, 1, start)),
                SealedRecord(
                    2, "ons4/happiness", seal_record(data_key, sid, "ons4/happiness", 2, 7)
                ),
            ]
            envelope = build_envelope(
                submission_id=sid, status="incomplete", end_reason="interrupted", started_at=now,
                ended_at=now, pathway="survey", forms=manifest,
                wrapped_key=wrap_data_key(data_key, key, sid), records=records,
            )  # fmt: skip
            db.add(
                OutboxRow(
                    submission_id=sid, status="incomplete", end_reason="interrupted",
                    created_at=now, envelope=envelope, envelope_hash=envelope_hash(envelope),
                    size=len(envelope), attempts=0,
                )
            )  # fmt: skip
    store.close()


_DRAIN: dict[str, Any] = {}


def drain_10k_s() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        database_url = f"sqlite:///{folder}/clinic.db"
        init_clinic(folder / "clinic", PASSPHRASE, ["127.0.0.1"])
        issuer = open_service(folder / "clinic", PASSPHRASE, database_url, [FORMS])
        with _service_process(folder / "clinic", database_url) as (url, pid):
            tablet = _tablet(folder / "tablet", url, issuer.issue_code("bench"))
            _backlog(tablet, BACKLOG)
            start = time.perf_counter()
            done = _sync_all(tablet)
            elapsed = time.perf_counter() - start
            _DRAIN["rss"] = _peak_rss_mb(pid)
        issuer.engine.dispose()
    if done != BACKLOG:
        raise RuntimeError(f"only {done} of {BACKLOG} were acknowledged")
    return {"value": elapsed, "unit": "s"}


def clinic_rss_mb() -> dict[str, Any]:
    if "rss" not in _DRAIN:
        drain_10k_s()
    return {"value": _DRAIN["rss"], "unit": "MB"}


def _siu_messages(count: int) -> list[str]:
    """``count`` new appointments over the five days from tomorrow (the tests' sample
    messages: not real people)."""
    from tests.exchange.siu_sample import siu

    first = dt.date.today() + dt.timedelta(days=1)
    messages = []
    for n in range(count):
        day = (first + dt.timedelta(days=n % 5)).strftime("%Y%m%d")
        messages.append(siu("S12", f"B{n}", f"A-{n}", f"{day}{8 + n % 9:02d}{n % 60:02d}"))
    return messages


def _acknowledged_per_s(receive: Callable[[str], str], messages: list[str]) -> float:
    """Messages a second through a real MLLP listener, one connection, one at a time."""
    from kiosk.clinic.config import MllpSettings
    from kiosk.clinic.mllp import END, MllpListener, frame

    listener = MllpListener(MllpSettings(host="127.0.0.1", port=0), receive)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", listener.port), timeout=60) as connection:
            start = time.perf_counter()
            for message in messages:
                connection.sendall(frame(message))
                answer = b""
                while not answer.endswith(END):
                    answer += connection.recv(65536)
                if b"MSA|AA|" not in answer:
                    raise RuntimeError(f"not accepted: {answer[:200]!r}")
            elapsed = time.perf_counter() - start
    finally:
        listener.shutdown()
        listener.server_close()
    return len(messages) / elapsed


def mllp_messages_per_s() -> dict[str, Any]:
    from kiosk.exchange.hl7_siu import acknowledgement, read_header

    messages = _siu_messages(MLLP_MESSAGES)

    def acknowledge_only(text: str) -> str:
        return acknowledgement(read_header(text), "AA", uuid.uuid4().hex[:20], dt.datetime.now())

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "clinic"
        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        service = open_service(folder, PASSPHRASE, f"sqlite:///{temp}/clinic.db", [FORMS])
        try:
            value = _acknowledged_per_s(service.hospital.receive_hl7, messages)
            kept = sum(len(c.appointments) for c in _stored_lists(service))
        finally:
            service.engine.dispose()
    if kept != len(messages):
        raise RuntimeError(f"only {kept} of {len(messages)} appointments are on the lists")
    baseline = _acknowledged_per_s(acknowledge_only, messages)
    return {"value": value, "unit": "per_s", "baseline": baseline, "ratio": value / baseline}


def _stored_lists(service: Any) -> list[Any]:
    from kiosk.clinic.models import ClinicListDay
    from kiosk.exchange.clinic_list import parse_csv

    with service.transaction() as db:
        rows = db.query(ClinicListDay).all()
        return [
            parse_csv(
                service.plumbing.secrets.open(r.csv, f"clinic_lists/{r.day}"),
                r.day,
                dt.date.fromisoformat(r.day),
            )
            for r in rows
        ]


METRICS = {
    "ingest_per_s_sqlite": ingest_per_s_sqlite,
    "ingest_per_s_postgres": ingest_per_s_postgres,
    "drain_10k_s": drain_10k_s,
    "clinic_rss_mb": clinic_rss_mb,
    "mllp_messages_per_s": mllp_messages_per_s,
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    results = {}
    for name, measure in METRICS.items():
        if only is None or name in only:
            result = measure()
            if result is not None:
                results[name] = result
    return results
