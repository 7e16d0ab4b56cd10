"""N service processes on one listening socket (``kiosk clinic serve --workers N``).

The parent opens the clinic once (so a schema upgrade, and the backup before it,
happen once), binds the listening sockets, lets go of every database connection
and forks N service processes. Each serves the same sockets (the kernel hands
each new connection to one of them) and opens its own database connections
after the fork: a connection is never shared across a fork. Nothing one process
needs is in another's memory (nonces, lock-outs, sign-in counts, sessions and
the anonymous refusals being counted are all in the database), so which process
answers a request makes no difference.

The parent only supervises: a service process that dies is started again (after a
pause if it died within ``QUICK_DEATH_S`` of starting; after ``QUICK_DEATHS_LIMIT``
such deaths in a row the parent gives up, stops the rest and exits non-zero, so
systemd's restart limit applies); SIGTERM or SIGINT stops them all, each finishing
its requests in flight, and the parent exits once they have.

PostgreSQL only: SQLite lets one writer in at a time, so a second process would
only wait for the first (the command line refuses SQLite with more than one).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url

from kiosk.clinic.config import MAX_WORKERS, ServerOptions
from kiosk.clinic.service import ClinicService

log = logging.getLogger(__name__)

QUICK_DEATH_S = 5.0
QUICK_DEATHS_LIMIT = 5
RESTART_PAUSE_S = 1.0
BACKLOG = 2048
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def workers_problem(workers: int, database_url: str) -> str | None:
    """Why ``workers`` service processes cannot serve this database (None: they can)."""
    if not 1 <= workers <= MAX_WORKERS:
        return f"--workers must be 1 to {MAX_WORKERS}, not {workers}"
    if workers > 1 and not hasattr(os, "fork"):
        return "several service processes need Linux (or another system with fork)"
    if workers > 1 and make_url(database_url).get_backend_name() != "postgresql":
        return (
            f"{workers} service processes need PostgreSQL: SQLite lets one writer in at a "
            "time, so run one process ([server] workers = 1, no --workers) or move the "
            "clinic to PostgreSQL (docs/deployment.md)"
        )
    return None


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` and listening, to be shared by the
    service processes forked after it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=BACKLOG)
    sock.set_inheritable(True)
    return sock


class Supervisor:
    """Keeps ``workers`` children running ``serve_one(index)`` until told to stop."""

    def __init__(self, serve_one: Callable[[int], None], workers: int) -> None:
        self.serve_one, self.workers = serve_one, workers
        self.children: dict[int, tuple[int, float]] = {}  # pid -> (index, started)
        self.stopping = False
        self._quick_deaths = 0

    def run(self) -> int:
        """Start the children and wait; 0 once they have all stopped on request."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for index in range(self.workers):
            self._start(index)
        failed = False
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            if pid not in self.children:
                continue
            index, started = self.children.pop(pid)
            if self.stopping:
                continue
            log.warning(
                "service process %d (pid %d) ended (%s); starting another",
                index,
                pid,
                _ended_how(status),
            )
            if time.monotonic() - started < QUICK_DEATH_S:
                self._quick_deaths += 1
                if self._quick_deaths >= QUICK_DEATHS_LIMIT:
                    log.error("service processes keep ending as they start; stopping")
                    failed = True
                    self._stop(signal.SIGTERM, None)
                    continue
                time.sleep(RESTART_PAUSE_S)
            else:
                self._quick_deaths = 0
            if not self.stopping:
                self._start(index)
        return 1 if failed else 0

    def _start(self, index: int) -> None:
        # Held back over the fork, so the child never runs the parent's handler.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the service process
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
                self.serve_one(index)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                log.exception("service process %d failed", index)
                code = 1
            finally:
                logging.shutdown()
                os._exit(code)
        self.children[pid] = (index, time.monotonic())
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def _stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _ended_how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def serve_workers(
    service: ClinicService,
    folder: Path,
    host: str,
    port: int,
    options: ServerOptions | None,
    workers: int,
) -> int:
    """Serve ``service`` from ``workers`` processes until SIGTERM; the exit code."""
    from kiosk.clinic.setup import uvicorn_server

    options = options or ServerOptions()
    main = listening_socket(host, port)
    proxy = None
    if options.proxy_protocol_port is not None:
        proxy = listening_socket(host, options.proxy_protocol_port)
    service.forget_old_nonces()
    service.close()  # no database connection crosses the fork

    def serve_one(_index: int) -> None:
        service.engine.dispose(close=False)  # this process's own connections from here
        server = uvicorn_server(service, folder, host, port, options, proxy_socket=proxy)
        server.run(sockets=[main])  # type: ignore[attr-defined]

    try:
        return Supervisor(serve_one, workers).run()
    finally:
        main.close()
        if proxy is not None:
            proxy.close()
