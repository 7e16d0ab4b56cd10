"""Staff console benchmarks against the real clinic service over HTTPS on 127.0.0.1.

queue_load_ms_100k  open today's queue (GET /api/v1/queue through the console's
                    StaffClient, JSON decoded) with 100,000 submissions in the clinic
                    database (SQLite), 400 of them today: median of 15 loads.
                    Baseline: GET /api/v1/health through the same client, same run.
                    n: the submissions in the database.
console_queue_paint_ms
                    the console's queue (its QueueView: model, table and counts,
                    styled as the console is, 1280x800, offscreen) handed today's
                    queue as GET /api/v1/queue answered it for 400 patients, until the
                    table has painted: median of 15. Baseline: a bare QTableView over a
                    model of the same 400 rows as plain strings, in the same window,
                    reset and painted, same run. In a Python process of its own (the
                    installed PySide6 can abort at interpreter exit). n: the rows.

The database is filled from the demo patients sent once through the real tablet
path; their rows are then copied (identifiers and answers re-sealed under each
copy's own id, flags and triage rows with them) and spread over the past year.
KIOSK_BENCH_QUEUE_TOTAL sets a smaller total for a quick check; the metric is then
named after it (queue_load_ms_10k at 10,000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from benchmarks.qt_child import measure_in_child
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
PAINTS = 15


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


@contextmanager
def _clinic(total: int, today: int) -> Iterator[tuple[Any, StaffClient]]:
    """A clinic of ``total`` submissions, ``today`` of them today, served on 127.0.0.1;
    yields (service, a clinician's signed-in StaffClient)."""
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
            _copy_rows(service, total - len(DEMO_PATIENTS), today - len(DEMO_PATIENTS))
            with StaffClient(running.url, certificate=folder / CERT_FILE) as client:
                client.sign_in("clinician", PASSWORD)
                items = len(client.queue()["items"])
                assert items == today, f"expected {today} items today, got {items}"
                yield service, client
        finally:
            running.stop()
            service.engine.dispose()


def queue_load_ms() -> dict[str, Any]:
    with _clinic(TOTAL, TODAY) as (_service, client):
        value = _median_ms(client.queue, LOADS)
        baseline = _median_ms(lambda: client._http.get("/api/v1/health"), LOADS)
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": TOTAL,
    }


def console_queue_paint_ms() -> dict[str, Any]:
    with _clinic(TODAY, TODAY) as (_service, client):
        queue = client.queue()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-paint-") as temp:
        answer = Path(temp) / "queue.json"
        answer.write_text(json.dumps(queue), encoding="utf-8")
        return measure_in_child(
            "bench_staff", f"queue_paint({str(answer)!r})", "console_queue_paint_ms"
        )


def queue_paint(answer: str) -> dict[str, Any]:
    """console_queue_paint_ms's measurement, in its own process (Qt offscreen)."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    from benchmarks.bench_ui import _PaintSeen
    from kiosk.ui.staff.look import SHEET
    from kiosk.ui.staff.queue_view import QueueView
    from kiosk.ui.staff.session import Session
    from kiosk.ui.theme import load_fonts

    app = QApplication.instance() or QApplication([])
    load_fonts()
    queue = json.loads(Path(answer).read_text(encoding="utf-8"))
    window = QMainWindow()
    window.setStyleSheet(SHEET)
    window.resize(1280, 800)
    # The view asks its session for nothing until it refreshes, which it is never told to.
    view = QueueView(Session(None, None, None), can_open=True, show_flags=True)  # type: ignore[arg-type]
    window.setCentralWidget(view)
    window.show()
    paints = _PaintSeen(app)
    _painted(app, paints, view.table.viewport(), lambda: None)
    times = [
        _painted(app, paints, view.table.viewport(), lambda: view._loaded(queue))
        for _ in range(PAINTS)
    ]
    model = view.model
    rows = [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    bare = _bare_table(window, rows)
    floor = [
        _painted(app, paints, bare.viewport(), lambda: bare.model().set_rows(rows))
        for _ in range(PAINTS)
    ]
    paints.remove()
    value, baseline = statistics.median(times), statistics.median(floor)
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": len(rows),
    }


def _painted(app: Any, paints: Any, viewport: Any, fill: Any) -> float:
    """ms from ``fill()`` until ``viewport`` has painted."""
    paints.painted.clear()
    start = time.perf_counter()
    fill()
    deadline = start + 60
    while id(viewport) not in paints.painted:
        if time.perf_counter() > deadline:
            raise RuntimeError("the table never painted")
        app.processEvents()
    return (time.perf_counter() - start) * 1000


def _bare_table(window: Any, rows: list[list[str]]) -> Any:
    """The floor's table: a QTableView over plain strings, in the console's window."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QTableView

    class Plain(QAbstractTableModel):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []

        def set_rows(self, rows: list[list[str]]) -> None:
            self.beginResetModel()
            self.rows = [list(row) for row in rows]
            self.endResetModel()

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() or not self.rows else len(self.rows[0])

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    table = QTableView()
    table.setModel(Plain())
    window.setCentralWidget(table)
    return table


def _size(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


METRICS = {
    f"queue_load_ms_{_size(TOTAL)}": queue_load_ms,
    "console_queue_paint_ms": console_queue_paint_ms,
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: measure() for name, measure in METRICS.items() if only is None or name in only}
