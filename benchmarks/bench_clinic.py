"""Clinic service benchmarks: the real service (``kiosk clinic serve``) in its own
process(es), over HTTPS on 127.0.0.1, fed by real tablet sync clients, each tablet a
process of its own (benchmarks/clinic_load.py).

ingest_per_s_sqlite     20 enrolled tablets, each with 25 queued cardiology submissions made
ingest_per_s_postgres   through the real Journey, syncing at once (n = 500): submissions
                        stored per second, from the release of the 20 tablet processes to
                        the last receipt. Floor: a bare SQLAlchemy INSERT of the same rows
                        (id, envelope, hash) from 20 processes, one transaction per row,
                        into the same kind of database in the same run.
ingest_per_s_postgres_4_workers   the same, with ``kiosk clinic serve --workers 4``.
drain_10k_s             one tablet's backlog of 10,000 full cardiology envelopes (made through
                        the Journey, copied by sealing again under new ids): from reconnect
                        to every receipt (SQLite clinic). Floor: the same tablet sending the
                        same backlog to a server with the clinic's address and certificate
                        that answers each batch with receipts and does nothing else.
clinic_rss_mb           the service process's peak resident memory (VmHWM) after the drain.
mllp_messages_per_s     the hospital's SIU^S12 messages (new appointments over five days)
                        sent one after another on one MLLP connection over 127.0.0.1 to the
                        real listener, each stored, applied to the clinic lists (SQLite) and
                        acknowledged. Floor: the same messages through the same listener
                        answered by a receive that only reads the header and builds the ACK.

KIOSK_BENCH_BACKLOG and KIOSK_BENCH_MLLP set smaller sizes for a quick check; the metrics
are then named after them (drain_2000_s, clinic_rss_mb_drain_2000, mllp_100_messages_per_s).
Every metric says its size as "n". PostgreSQL comes from KIOSK_TEST_POSTGRES_URL (default
postgres@127.0.0.1:5432/test); a fresh database is made and dropped. Without a server
the PostgreSQL metrics fail: a figure is never quietly left out.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
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

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.clinic_load import (
    bare_insert_per_s,
    copies,
    fill,
    fill_tablets,
    floor_command,
    serving,
    sync_tablets,
)
from kiosk.clinic.keyring import KeyRing
from kiosk.clinic.setup import init_clinic, open_service
from kiosk.engine import FormLibrary
from kiosk.envelope.envelope import envelope_hash
from kiosk.store import TabletStore
from kiosk.store.models import OutboxRow
from kiosk.sync.enrol import enrol

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
PASSPHRASE = b"benchmark clinic passphrase"
TABLETS, EACH = 20, 25
TEMPLATES = 100  # cardiology journeys the backlog is copied from
BACKLOG = int(os.environ.get("KIOSK_BENCH_BACKLOG", "10000"))
MLLP_MESSAGES = int(os.environ.get("KIOSK_BENCH_MLLP", "500"))
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


DRAIN = "drain_10k_s" if BACKLOG == 10_000 else f"drain_{BACKLOG}_s"
RSS = "clinic_rss_mb" if BACKLOG == 10_000 else f"clinic_rss_mb_drain_{BACKLOG}"
MLLP = "mllp_messages_per_s" if MLLP_MESSAGES == 500 else f"mllp_{MLLP_MESSAGES}_messages_per_s"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _service(folder: Path, database_url: str, workers: int = 1) -> Iterator[tuple[str, int]]:
    """``kiosk clinic serve`` on a free port; its URL and (parent) process id."""
    (folder / "passphrase").write_bytes(PASSPHRASE)
    port = _free_port()
    command = [sys.executable, "-m", "kiosk", "clinic", "serve", str(folder),
               "--passphrase-file", str(folder / "passphrase"), "--database", database_url,
               "--port", str(port)]  # fmt: skip
    if workers > 1:
        command += ["--workers", str(workers)]
    with serving("clinic service", command, folder, port) as running:
        yield running


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def _ingest(database_url: str, workers: int = 1) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        init_clinic(folder / "clinic", PASSPHRASE, ["127.0.0.1"])
        issuer = open_service(folder / "clinic", PASSPHRASE, database_url, [FORMS])
        with _service(folder / "clinic", database_url, workers) as (url, _pid):
            tablets = [folder / f"tablet{n:02d}" for n in range(TABLETS)]
            for tablet in tablets:
                enrol(url, issuer.issue_code("bench"), tablet, tablet.name)
            chunks = fill_tablets(tablets, EACH)
            done, elapsed = sync_tablets(tablets)
        issuer.engine.dispose()
    if done != TABLETS * EACH:
        raise RuntimeError(f"only {done} of {TABLETS * EACH} were acknowledged")
    value = done / elapsed
    baseline = bare_insert_per_s(database_url, chunks)
    return {"value": value, "unit": "per_s", "baseline": baseline, "ratio": value / baseline,
            "n": done}  # fmt: skip


def ingest_per_s_sqlite() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        return _ingest(f"sqlite:///{temp}/bench.db")


@contextmanager
def _fresh_postgres() -> Iterator[str]:
    """A new database on the server (dropped after); fails if there is no server."""
    server = make_url(os.environ.get("KIOSK_TEST_POSTGRES_URL", DEFAULT_PG))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise RuntimeError(
            f"no PostgreSQL server at {server.render_as_string(hide_password=True)} "
            f"({type(exc).__name__}): the PostgreSQL figures cannot be measured"
        ) from exc
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ingest_per_s_postgres() -> dict[str, Any]:
    with _fresh_postgres() as url:
        return _ingest(url)


def ingest_per_s_postgres_4_workers() -> dict[str, Any]:
    usage = subprocess.run(
        [sys.executable, "-m", "kiosk", "clinic", "serve", "--help"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    ).stdout  # fmt: skip
    if "--workers" not in usage:
        raise RuntimeError(
            "kiosk clinic serve has no --workers option here: the 4-process figure "
            "cannot be measured"
        )
    with _fresh_postgres() as url:
        return _ingest(url, workers=4)


def _backlog(tablet: Path, clinic: Path, count: int) -> None:
    """Queue ``count`` full cardiology envelopes in the tablet's outbox: TEMPLATES made
    through the Journey, copied under new ids (clinic_load.copies)."""
    store = TabletStore.open(tablet)
    try:
        fill(store, FormLibrary.load(FORMS), min(TEMPLATES, count), random.Random(11))
        templates = [item.envelope for item in store.pending(limit=TEMPLATES)]
        pair = KeyRing.load(clinic, PASSPHRASE).current
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with store.transaction() as db:
            db.query(OutboxRow).delete()
            for sid, envelope in copies(templates, pair, count):
                db.add(
                    OutboxRow(
                        submission_id=sid, status="complete", end_reason="submitted",
                        created_at=now, envelope=envelope, envelope_hash=envelope_hash(envelope),
                        size=len(envelope), attempts=0,
                    )
                )  # fmt: skip
    finally:
        store.close()


_DRAIN: dict[str, Any] = {}


def _drain_once(tablet: Path, url: str) -> tuple[int, float]:
    done, elapsed = sync_tablets([tablet])
    if done != BACKLOG:
        raise RuntimeError(f"only {done} of {BACKLOG} were acknowledged at {url}")
    return done, elapsed


def drain_10k_s() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        clinic = folder / "clinic"
        database_url = f"sqlite:///{folder}/clinic.db"
        init_clinic(clinic, PASSPHRASE, ["127.0.0.1"])
        issuer = open_service(clinic, PASSPHRASE, database_url, [FORMS])
        with _service(clinic, database_url) as (url, pid):
            enrol(url, issuer.issue_code("bench"), folder / "tablet", "tablet")
            _backlog(folder / "tablet", clinic, BACKLOG)
            shutil.copytree(folder / "tablet", folder / "tablet-again")
            _, elapsed = _drain_once(folder / "tablet", url)
            _DRAIN["rss"] = _peak_rss_mb(pid)
        issuer.engine.dispose()
        # The floor: the same tablet, as it was, sends the same envelopes to a server
        # on the same address with the same certificate that only gives receipts.
        port = int(url.rsplit(":", 1)[1])
        with serving("floor service", floor_command(clinic, port), clinic, port) as (floor, _):
            _, baseline = _drain_once(folder / "tablet-again", floor)
    return {"value": elapsed, "unit": "s", "baseline": baseline, "ratio": elapsed / baseline,
            "n": BACKLOG}  # fmt: skip


def clinic_rss_mb() -> dict[str, Any]:
    if "rss" not in _DRAIN:
        drain_10k_s()
    return {"value": _DRAIN["rss"], "unit": "MB", "n": BACKLOG}


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
    return {"value": value, "unit": "per_s", "baseline": baseline, "ratio": value / baseline,
            "n": len(messages)}  # fmt: skip


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


METRICS: dict[str, Callable[[], dict[str, Any]]] = {
    "ingest_per_s_sqlite": ingest_per_s_sqlite,
    "ingest_per_s_postgres": ingest_per_s_postgres,
    "ingest_per_s_postgres_4_workers": ingest_per_s_postgres_4_workers,
    DRAIN: drain_10k_s,
    RSS: clinic_rss_mb,
    MLLP: mllp_messages_per_s,
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: measure() for name, measure in METRICS.items() if only is None or name in only}
