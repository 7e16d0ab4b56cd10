"""Staff console benchmarks against the real clinic service over HTTPS on 127.0.0.1.

queue_load_ms_100k  open today's queue (GET /api/v1/queue through the console's
                    StaffClient, JSON decoded) with 100,000 submissions in the clinic
                    database (SQLite), 400 of them today: median of 15 loads.
                    Baseline: GET /api/v1/health through the same client, same run.

The database is filled from the demo patients sent once through the real tablet
path; their rows are then copied (identifiers and answers re-sealed under each
copy's own id, flags and triage rows with them) and spread over the past year.
KIOSK_BENCH_QUEUE_TOTAL sets a smaller total for a quick check.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoTablet, demo_list_csv
from kiosk.clinic.models import Flag, Response, Submission, Triage
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.console.client import StaffClient
from kiosk.engine import FormLibrary

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
PASSPHRASE = b"benchmark clinic passphrase"
PASSWORD = "benchmark staff password"
TOTAL = int(os.environ.get("KIOSK_BENCH_QUEUE_TOTAL", "100000"))
TODAY = 400
LOADS = 15


def _copy_rows(
    service: ClinicService, total: int, today_count: int, envelope: bytes | None = None
) -> None:
    """Copies of the demo submissions: ``today_count`` today, the rest over a year.

    ``envelope``: a stand-in for each copy's original envelope (which neither the
    queue nor an export reads), to keep a large database smaller."""
    rng = random.Random(7)
    secrets = service.secrets
    with service.transaction() as db:
        templates = []
        for submission in db.scalars(select(Submission)):
            sid = submission.id
            link = (
                secrets.open(submission.identifiers, f"submissions/{sid}/identifiers")
                if submission.identifiers
                else None
            )
            responses = [
                (r, secrets.open(r.answers, f"responses/{sid}/{r.form_id}"))
                for r in db.scalars(select(Response).where(Response.submission_id == sid))
            ]
            flags = list(db.scalars(select(Flag).where(Flag.submission_id == sid)))
            templates.append((submission, link, responses, flags))
    today = dt.date.today()
    made = 0
    while made < total:
        batch_s, batch_r, batch_f, batch_t = [], [], [], []
        for _ in range(min(2000, total - made)):
            submission, link, responses, flags = rng.choice(templates)
            sid = uuid.uuid4().hex
            day = today if made < today_count else today - dt.timedelta(days=rng.randint(1, 365))
            stamp = f"{day.isoformat()}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00+00:00"
            batch_s.append(
                {
                    "id": sid,
                    "device_id": submission.device_id,
                    "envelope": submission.envelope if envelope is None else envelope,
                    "envelope_hash": submission.envelope_hash,
                    "received_at": stamp,
                    "status": submission.status,
                    "end_reason": submission.end_reason,
                    "pathway": submission.pathway,
                    "started_at": stamp,
                    "language": submission.language,
                    "link_method": submission.link_method,
                    "patient_key": submission.patient_key,
                    "identifiers": (
                        secrets.seal(link, f"submissions/{sid}/identifiers") if link else None
                    ),
                    "failed_records": 0,
                    "day": day.isoformat(),
                    "clinic": submission.clinic,
                    "appointment_time": submission.appointment_time,
                    "urgency": submission.urgency,
                }
            )
            for response, answers in responses:
                batch_r.append(
                    {
                        "submission_id": sid,
                        "form_id": response.form_id,
                        "form_version": response.form_version,
                        "form_hash": response.form_hash,
                        "form_known": response.form_known,
                        "scores": response.scores,
                        "bands": response.bands,
                        "answers": secrets.seal(answers, f"responses/{sid}/{response.form_id}"),
                        "tablet_agrees": response.tablet_agrees,
                    }
                )
            batch_f += [
                {
                    "submission_id": sid,
                    "form_id": f.form_id,
                    "flag_id": f.flag_id,
                    "severity": f.severity,
                    "raised_at": stamp,
                }
                for f in flags
            ]
            batch_t.append(
                {
                    "submission_id": sid,
                    "status": rng.choice(("new", "actioned", "no_action")),
                    "version": 0,
                    "updated_at": stamp,
                    "updated_by": "clinic",
                }
            )
            made += 1
        with service.transaction() as db:
            db.execute(insert(Submission), batch_s)
            db.execute(insert(Response), batch_r)
            if batch_f:
                db.execute(insert(Flag), batch_f)
            db.execute(insert(Triage), batch_t)


def _median_ms(call: Any, times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def queue_load_ms_100k() -> dict[str, Any]:
    library = FormLibrary.load(FORMS)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-staff-") as temp:
        folder = Path(temp) / "clinic"
        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        service = open_service(folder, PASSPHRASE, None, [FORMS])
        service.staff.add("clinician", "clinician", PASSWORD, "bench")
        service.set_clinic_list(dt.date.today(), demo_list_csv(), "bench")
        running = serve_in_thread(service, folder)
        try:
            tablet = DemoTablet.enrol(
                running.url, service.issue_code("bench"), Path(temp) / "tablet", library
            )
            tablet.send(DEMO_PATIENTS)
            tablet.close()
            _copy_rows(service, TOTAL - len(DEMO_PATIENTS), TODAY - len(DEMO_PATIENTS))
            with StaffClient(running.url, certificate=folder / CERT_FILE) as client:
                client.sign_in("clinician", PASSWORD)
                items = len(client.queue()["items"])
                assert items == TODAY, f"expected {TODAY} items today, got {items}"
                value = _median_ms(client.queue, LOADS)
                baseline = _median_ms(lambda: client._http.get("/api/v1/health"), LOADS)
        finally:
            running.stop()
            service.engine.dispose()
    return {"value": value, "unit": "ms", "baseline": baseline, "ratio": value / baseline}


METRICS = {"queue_load_ms_100k": queue_load_ms_100k}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: measure() for name, measure in METRICS.items() if only is None or name in only}
