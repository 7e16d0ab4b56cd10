"""What the tests of real clinic service processes share: the forms, a free port, a
``kiosk clinic serve`` started from a settings file and stopped with SIGTERM, a
tablet's submissions made through the real journey, and the tablet's outbox as its
database holds it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.journey import Journey
from kiosk.store import TabletStore

FORMS = Path(__file__).resolve().parents[2] / "forms"
LIBRARY = FormLibrary.load(FORMS)
PASSPHRASE = b"a clinic passphrase for tests"
KIOSK = [sys.executable, "-m", "kiosk"]
API = "/api/v1"


@contextmanager
def clinic_in_thread(
    tmp_path: Path, database_url: str
) -> Iterator[tuple[ClinicService, RunningServer]]:
    """A clinic service over HTTPS in this process, in ``tmp_path/clinic``, reading its
    own copy of the forms (``tmp_path/clinic-forms``, which a test may update)."""
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    forms = tmp_path / "clinic-forms"
    shutil.copytree(FORMS, forms)
    service = open_service(folder, PASSPHRASE, database_url, [forms])
    running = serve_in_thread(service, folder)
    try:
        yield service, running
    finally:
        running.stop()
        service.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    popen: subprocess.Popen[str]

    def children(self) -> set[int]:
        """The service processes the parent supervises now."""
        listed = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children").read_text()
        return {int(pid) for pid in listed.split()}


@contextmanager
def serve(
    config: Path, certificate: Path, *, port: int | None = None, workers: int = 1
) -> Iterator[Served]:
    """``kiosk clinic serve --config CONFIG`` in a process of its own, answering its
    health check over HTTPS (pinned to ``certificate``) before it is yielded, until
    SIGTERM. ``port``: given on the command line (None: the settings file's). A
    process the test killed itself is only waited for."""
    tls = ssl.create_default_context(cafile=str(certificate))
    arguments = ["--port", str(port)] if port is not None else []
    if port is None:
        port = _port_in(config)
    popen = subprocess.Popen(
        [*KIOSK, "clinic", "serve", "--config", str(config), *arguments,
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KIOSK_CLINIC_CONFIG": ""},
    )  # fmt: skip
    served = Served(f"https://127.0.0.1:{port}", popen)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{served.url}{API}/health", verify=tls).is_success:
                    break
            except httpx.TransportError:
                pass
            if popen.poll() is not None or time.monotonic() > deadline:
                popen.kill()
                raise AssertionError(f"the service did not start: {popen.communicate()[1]}")
            time.sleep(0.2)
        yield served
    finally:
        if popen.poll() is not None:  # killed by the test
            popen.communicate(timeout=60)
        else:
            children = served.children()
            popen.terminate()
            _out, err = popen.communicate(timeout=60)
            assert "Traceback" not in err, err
            # One process ends as uvicorn does on SIGTERM (by the signal); the parent of
            # several stops them all, then exits 0.
            assert popen.returncode == (0 if workers > 1 else -signal.SIGTERM), err
            assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]


def _port_in(config: Path) -> int:
    import tomllib

    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    return int(settings.get("server", {}).get("port", 8443))


def make_submissions(
    store: TabletStore, count: int, rng: random.Random | None = None, *, abandoned: float = 0.0
) -> None:
    """``count`` cardiology journeys with random answers, linked at reception; about
    ``abandoned`` of them timed out rather than submitted."""
    rng = rng or random.Random(7)
    for _ in range(count):
        journey = Journey(store, LIBRARY, "cardiology", {})
        journey.link_patient({"method": "reception", "nhs_number": "9434765919"})
        for form in journey.forms:
            for item_id, value in random_answers(form, rng).items():
                if item_id in journey.enabled_items(form.id):
                    journey.answer(form.id, item_id, value)
        if abandoned and rng.random() < abandoned:
            journey.abandon("timed_out")
        else:
            journey.submit()
