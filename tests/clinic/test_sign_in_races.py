"""Password guessing at once: many sign-ins in parallel, on one or two real service
processes sharing a database (SQLite and PostgreSQL), over real HTTPS.

An attacker who sends guesses in parallel must get no more password checks than
one who sends them one by one (``MAX_FAILURES``), however many service processes
answer; and a flood of sign-ins must not exhaust the server's memory (argon2id
takes 64 MiB per check).
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kiosk.clinic.models import AuditEntry
from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
from kiosk.clinic.staff import MAX_FAILURES
from kiosk.clinic.tls import CERT_FILE

pytestmark = pytest.mark.security

FORMS = Path(__file__).resolve().parents[2] / "forms"
KIOSK = [sys.executable, "-m", "kiosk"]
PASSPHRASE = b"a clinic passphrase for tests"
PASSWORD = "the right password for the administrator"
GUESSES = 16
API = "/api/v1"


def cheap_hasher() -> PasswordHasher:
    """argon2id with little memory: the race is in the counting, not in the hashing."""
    return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def make_clinic(folder: Path, database_url: str, hasher: PasswordHasher | None) -> Any:
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, database_url, [FORMS])
    if hasher is not None:
        service.staff.hasher = hasher
    service.staff.add("root", "administrator", PASSWORD, "user:setup")
    return service


def guess_at_once(urls: list[str], certificate: Path, passwords: list[str]) -> list[httpx.Response]:
    """Every password sent at the same moment, spread over ``urls``."""
    context = ssl.create_default_context(cafile=str(certificate))
    start = threading.Barrier(len(passwords))

    def guess(n: int) -> httpx.Response:
        with httpx.Client(verify=context, timeout=60) as http:
            http.get(f"{urls[n % len(urls)]}{API}/health")  # connected before the race
            start.wait()
            return http.post(
                f"{urls[n % len(urls)]}{API}/auth/token",
                json={"username": "root", "password": passwords[n]},
            )

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(guess, range(len(passwords))))


def login_audit(service: Any) -> list[str]:
    with service.transaction() as db:
        return list(
            db.scalars(
                select(AuditEntry.outcome)
                .where(AuditEntry.action == "login", AuditEntry.actor == "user:root")
                .order_by(AuditEntry.id)
            )
        )


def check_no_extra_tries(answers: list[httpx.Response], service: Any) -> None:
    codes = [(a.status_code, a.json()["error"]) for a in answers]
    assert set(codes) <= {(401, "bad_login"), (429, "locked")}, codes
    checked = codes.count((401, "bad_login"))
    assert checked <= MAX_FAILURES, codes  # parallel guesses got no extra tries
    assert checked >= 1
    audit = login_audit(service)
    assert len(audit) == len(answers)
    tried = [o for o in audit if o.startswith("wrong_password")]
    assert len(tried) == checked and audit.count("locked") == len(answers) - checked


@pytest.mark.control("H-27-C3")
def test_parallel_wrong_passwords_get_no_more_tries_than_one_by_one(
    tmp_path: Path, database_url: str
) -> None:
    service = make_clinic(tmp_path / "clinic", database_url, cheap_hasher())
    service.staff.limit_password_checks(GUESSES, GUESSES)  # only the counter stands in the way
    running = serve_in_thread(service, tmp_path / "clinic")
    try:
        certificate = tmp_path / "clinic" / CERT_FILE
        answers = guess_at_once([running.url], certificate, [f"guess {n}" for n in range(16)])
        check_no_extra_tries(answers, service)
        # The account is locked now: even the right password is refused, unchecked.
        [right] = guess_at_once([running.url], certificate, [PASSWORD])
        assert right.status_code == 429 and right.json()["error"] == "locked"
        assert login_audit(service)[-1] == "locked"
    finally:
        running.stop()
        service.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def service_process(
    tmp_path: Path, folder: Path, database_url: str, name: str, server: str = ""
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``kiosk clinic serve --config`` in a process of its own, as systemd runs it."""
    port = free_port()
    (tmp_path / "passphrase").write_bytes(PASSPHRASE + b"\n")
    config = tmp_path / f"{name}.toml"
    config.write_text(
        f'[clinic]\nfolder = "{folder}"\npassphrase_file = "passphrase"\n'
        f'database = "{database_url}"\n'
        f'[server]\nhost = "127.0.0.1"\nport = {port}\n{server}'
        f"[backups]\nbefore_upgrade = false\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [*KIOSK, "clinic", "serve", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        context = ssl.create_default_context(cafile=str(folder / CERT_FILE))
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}{API}/health", context=context, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    problem = process.communicate()[1]
                    raise AssertionError(f"{name} did not start: {problem}") from None
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
        assert "Traceback" not in err, err


@pytest.mark.control("H-27-C3")
def test_guesses_split_across_two_service_processes_get_no_extra_tries(
    tmp_path: Path, database_url: str
) -> None:
    folder = tmp_path / "clinic"
    service = make_clinic(folder, database_url, cheap_hasher())
    wide = f"password_checks_at_once = {GUESSES}\npassword_checks_waiting = {GUESSES}\n"
    try:
        with (
            service_process(tmp_path, folder, database_url, "first", wide) as (first, _p1),
            service_process(tmp_path, folder, database_url, "second", wide) as (second, _p2),
        ):
            certificate = folder / CERT_FILE
            guesses = [f"guess {n}" for n in range(GUESSES)]
            answers = guess_at_once([first, second], certificate, guesses)
            check_no_extra_tries(answers, service)
            for url in (first, second):
                [right] = guess_at_once([url], certificate, [PASSWORD])
                assert right.status_code == 429 and right.json()["error"] == "locked"
    finally:
        service.engine.dispose()


def peak_memory_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    [line] = [x for x in status.splitlines() if x.startswith("VmHWM:")]
    return int(line.split()[1]) / 1024


@pytest.mark.control("H-27-C2")
def test_a_flood_of_sign_ins_cannot_exhaust_the_servers_memory(tmp_path: Path) -> None:
    """30 sign-ins at once, each needing a full argon2id check (64 MiB): without a
    bound they take about 2 GB at once; with the default bound (2 at once, 8
    waiting) the service's peak stays a few hundred MB, and the rest are told 429
    ``busy`` -- never a server error."""
    folder = tmp_path / "clinic"
    database_url = f"sqlite:///{folder / 'clinic.db'}"
    make_clinic(folder, database_url, None).engine.dispose()
    with service_process(tmp_path, folder, database_url, "one") as (url, process):
        before = peak_memory_mib(process.pid)
        context = ssl.create_default_context(cafile=str(folder / CERT_FILE))
        start = threading.Barrier(30)

        def sign_in(n: int) -> httpx.Response:
            with httpx.Client(verify=context, timeout=120) as http:
                http.get(f"{url}{API}/health")
                start.wait()
                # Unknown names: each is hashed in full, as a real one would be.
                return http.post(
                    f"{url}{API}/auth/token", json={"username": f"nobody{n}", "password": "x"}
                )

        with ThreadPoolExecutor(30) as pool:
            answers = list(pool.map(sign_in, range(30)))
        peak = peak_memory_mib(process.pid)
    codes = [(a.status_code, a.json()["error"]) for a in answers]
    assert set(codes) <= {(401, "bad_login"), (429, "busy")}, codes
    assert peak - before < 400, f"peak {peak:.0f} MiB, {before:.0f} MiB before the flood"
    assert codes.count((401, "bad_login")) >= 2
    busy = [a for a in answers if a.status_code == 429]
    assert busy and all(a.headers["Retry-After"] == "5" for a in busy)


def test_the_password_check_settings_reach_the_service(tmp_path: Path) -> None:
    from kiosk.clinic.config import ClinicConfig
    from kiosk.clinic.setup import open_configured

    folder = tmp_path / "clinic"
    make_clinic(folder, f"sqlite:///{folder / 'clinic.db'}", cheap_hasher()).engine.dispose()
    (tmp_path / "passphrase").write_bytes(PASSPHRASE)
    config = tmp_path / "clinic.toml"
    config.write_text(
        f'[clinic]\nfolder = "{folder}"\npassphrase_file = "passphrase"\n'
        "[server]\npassword_checks_at_once = 3\npassword_checks_waiting = 0\n",
        encoding="utf-8",
    )
    service = open_configured(ClinicConfig.load(config), [FORMS])
    try:
        assert (service.staff.gate.at_once, service.staff.gate.waiting) == (3, 0)
    finally:
        service.engine.dispose()


@pytest.mark.control("H-27-C3")
def test_an_unknown_username_answers_like_a_real_one(tmp_path: Path) -> None:
    """Guessing at a name that does not exist looks the same as at one that does:
    five 401s, then 429 locked; so lock-out does not tell who has an account."""
    folder = tmp_path / "clinic"
    service = make_clinic(folder, f"sqlite:///{folder / 'clinic.db'}", cheap_hasher())
    running = serve_in_thread(service, folder)
    context = ssl.create_default_context(cafile=str(folder / CERT_FILE))
    try:
        with httpx.Client(verify=context, base_url=running.url) as http:
            answers = {
                name: [
                    http.post(
                        f"{API}/auth/token", json={"username": name, "password": f"guess {n}"}
                    )
                    for n in range(MAX_FAILURES + 1)
                ]
                for name in ("root", "nobody")
            }
        shown = {
            name: [(a.status_code, a.json()) for a in replies] for name, replies in answers.items()
        }
        assert shown["root"] == shown["nobody"]
        assert [status for status, _body in shown["nobody"]] == [401] * MAX_FAILURES + [429]
    finally:
        running.stop()
        service.engine.dispose()
