"""What the clinic benchmarks (bench_clinic.py) load the service with, and their floors.

- Tablets syncing at once: each tablet a process of its own (its own interpreter, store
  and TLS connection), all released together from a barrier; the figure runs from the
  release to the last receipt.
- The bare-insert floor: the same rows (id, envelope, hash) inserted from as many
  processes, one transaction per row, with no other work.
- Backlog envelopes: full cardiology envelopes made through the real Journey, copied
  to any count by sealing every record again under a new submission id, a new data key
  and the clinic's public key, with the functions the tablet's store seals with.
- The floor service: the clinic's address and certificate, answering each batch with a
  receipt per envelope (its hash) and nothing else: no signature check, no opening, no
  scoring, no database.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Column, Engine, LargeBinary, MetaData, String, Table, create_engine

from kiosk.clinic.tls import CERT_FILE, CERT_KEY_FILE
from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.envelope import (
    SealedRecord,
    build_envelope,
    envelope_hash,
    open_envelope,
    read_header,
)
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.envelope.seal import new_data_key, seal_record, wrap_data_key
from kiosk.journey import Journey
from kiosk.store import FileKeyStore, TabletStore
from kiosk.sync.enrol import enrolled_client
from kiosk.sync.worker import Syncer
from kiosk.vocabulary import API_PREFIX, HEALTH, SUBMISSIONS, TABLET_CONFIG

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
WAIT_S = 1800  # for the slowest process, on a shared machine


# ------------------------------------------------------------ tablets, one process each


def fill(store: TabletStore, library: FormLibrary, count: int, rng: random.Random) -> None:
    """``count`` cardiology visits answered at random through the real Journey."""
    for _ in range(count):
        journey = Journey(store, library, "cardiology", {})
        journey.link_patient({"method": "self_check_in", "nhs_number": "9434765919"})
        for form in journey.forms:
            for item_id, value in random_answers(form, rng).items():
                if item_id in journey.enabled_items(form.id):
                    journey.answer(form.id, item_id, value)
        journey.submit()


def _fill_tablet(folder: str, count: int, seed: int) -> list[tuple[str, bytes, str]]:
    store = TabletStore.open(Path(folder))
    try:
        fill(store, FormLibrary.load(FORMS), count, random.Random(seed))
        return [(i.submission_id, i.envelope, i.envelope_hash) for i in store.pending(count)]
    finally:
        store.close()


def fill_tablets(tablets: list[Path], count: int) -> list[list[tuple[str, bytes, str]]]:
    """``count`` visits queued on each tablet, a process per core; each one's outbox rows."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(os.cpu_count() or 1) as pool:
        return pool.starmap(_fill_tablet, [(str(t), count, n) for n, t in enumerate(tablets)])


def _sync_tablet(folder: str, barrier: Any, results: Any) -> None:
    """One tablet: ready to sync, wait for the others, send everything, report."""
    tablet = Path(folder)
    store = TabletStore.open(tablet)
    acknowledged, error = 0, None
    try:
        syncer = Syncer(store, enrolled_client(tablet, FileKeyStore(tablet).load()), tablet)
        barrier.wait(timeout=WAIT_S)
        try:
            while store.pending(limit=1):
                report = syncer.sync_once()
                acknowledged += report.acknowledged
                if not report.ok:
                    error = report.error
                    break
        finally:
            syncer.close()
    except Exception as exc:  # reported to the parent, which fails the benchmark
        error = f"{type(exc).__name__}: {exc}"
    finally:
        store.close()
    results.put((acknowledged, time.perf_counter(), error))


def _insert_rows(database_url: str, table_name: str, rows: list[Any], barrier: Any,
                 results: Any) -> None:  # fmt: skip
    """The floor's process: its rows inserted one transaction each, nothing more."""
    engine = _engine(database_url)
    table = _bare_table(table_name)
    error = None
    try:
        with engine.connect() as connection:
            barrier.wait(timeout=WAIT_S)
            for sid, envelope, digest in rows:
                with connection.begin():
                    connection.execute(
                        table.insert(), {"id": sid, "envelope": envelope, "envelope_hash": digest}
                    )
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        engine.dispose()
    results.put((len(rows), time.perf_counter(), error))


def _engine(database_url: str) -> Engine:
    """An engine that waits for SQLite's write lock as long as 20 writers may need."""
    if database_url.startswith("sqlite"):
        return create_engine(database_url, connect_args={"timeout": 30})
    return create_engine(database_url)


def _bare_table(name: str) -> Table:
    return Table(
        name,
        MetaData(),
        Column("id", String(32), primary_key=True),
        Column("envelope", LargeBinary),
        Column("envelope_hash", String(80)),
    )


def _together(target: Any, argument_lists: list[tuple[Any, ...]]) -> tuple[int, float]:
    """Run ``target`` in one process per argument list, released together: how many
    items they did, and the seconds from the release to the last one done."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(argument_lists) + 1)
    results = context.Queue()
    processes = [
        context.Process(target=target, args=(*arguments, barrier, results), daemon=True)
        for arguments in argument_lists
    ]
    for process in processes:
        process.start()
    try:
        barrier.wait(timeout=WAIT_S)
        start = time.perf_counter()
        outcomes = [results.get(timeout=WAIT_S) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    errors = [error for _, _, error in outcomes if error]
    if errors:
        raise RuntimeError(f"{len(errors)} of {len(processes)} processes failed: {errors[0]}")
    return sum(done for done, _, _ in outcomes), max(end for _, end, _ in outcomes) - start


def sync_tablets(tablets: list[Path]) -> tuple[int, float]:
    """Every tablet syncs its outbox at once, each in its own process: submissions
    acknowledged, and seconds from the release to the last receipt."""
    return _together(_sync_tablet, [(str(tablet),) for tablet in tablets])


def bare_insert_per_s(database_url: str, chunks: list[list[tuple[str, bytes, str]]]) -> float:
    """Rows a second inserted by one process per chunk, one transaction per row."""
    name = f"bare_{uuid.uuid4().hex[:8]}"
    engine = create_engine(database_url)
    table = _bare_table(name)
    table.create(engine)
    try:
        done, elapsed = _together(_insert_rows, [(database_url, name, c) for c in chunks])
    finally:
        table.drop(engine)
        engine.dispose()
    return done / elapsed


# ------------------------------------------------------------ backlog envelopes


def copies(templates: list[bytes], pair: ClinicKeyPair, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` envelopes, each a template's records sealed again under a new id."""
    opened = [(read_header(t), open_envelope(t, pair.private)) for t in templates]
    for n in range(count):
        header, template = opened[n % len(opened)]
        sid = uuid.uuid4().hex
        data_key = new_data_key()
        records = [
            SealedRecord(seq, name, seal_record(data_key, sid, name, seq, value))
            for seq, name, value in template.records
        ]
        yield sid, build_envelope(
            submission_id=sid, status=header["status"], end_reason=header["end_reason"],
            started_at=header["started_at"], ended_at=header["ended_at"],
            pathway=header["pathway"], forms=header["forms"],
            wrapped_key=wrap_data_key(data_key, pair.public, sid), records=records,
        )  # fmt: skip


# ------------------------------------------------------------ the floor service


def floor_app() -> Any:
    """Receipts for every envelope posted, and nothing else."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def submissions(request: Request) -> Response:
        items = json.loads(await request.body())["submissions"]
        results = [
            {
                "id": item["id"],
                "status": 201,
                "receipt": envelope_hash(base64.b64decode(item["envelope"])),
            }
            for item in items
        ]
        return JSONResponse({"results": results})

    async def config(_request: Request) -> Response:
        return Response(status_code=304)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route(API_PREFIX + SUBMISSIONS, submissions, methods=["POST"]),
            Route(API_PREFIX + TABLET_CONFIG, config, methods=["GET"]),
            Route(API_PREFIX + HEALTH, health, methods=["GET"]),
        ]
    )


def serve_floor(folder: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        floor_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False,
        ssl_certfile=str(Path(folder) / CERT_FILE), ssl_keyfile=str(Path(folder) / CERT_KEY_FILE),
    )  # fmt: skip


@contextmanager
def serving(name: str, command: list[str], folder: Path, port: int) -> Iterator[tuple[str, int]]:
    """Run ``command`` (a service on 127.0.0.1:``port`` with the clinic's certificate in
    ``folder``) until it answers its health check; its URL and process id. What it writes
    to stderr goes to a file (a pipe nobody reads would stop it once full)."""
    log = folder / f"{name}.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    with httpx.Client(verify=str(folder / CERT_FILE), timeout=2) as probe:
        while True:
            try:
                if probe.get(f"{url}{API_PREFIX}{HEALTH}").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                process.wait()
                tail = log.read_text(errors="replace")[-800:]
                raise RuntimeError(f"the {name} did not start: {tail}")
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=60)


def floor_command(folder: Path, port: int) -> list[str]:
    code = f"from benchmarks.clinic_load import serve_floor; serve_floor({str(folder)!r}, {port})"
    return [sys.executable, "-c", code]
