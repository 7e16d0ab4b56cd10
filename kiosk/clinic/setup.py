"""Making and opening a clinic folder, and serving it over HTTPS.

A clinic folder holds ``keys/`` (the clinic's X25519 keys, encrypted with the
passphrase), ``server.key`` (column encryption, patient keys, tokens),
``clinic-cert.pem``/``clinic-cert.key`` (TLS) and, by default, ``clinic.db``.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.clinic.config import DATABASE_FILE, BackupPolicy, ClinicConfig, ServerOptions
from kiosk.clinic.database import open_database
from kiosk.clinic.keyring import KeyRing
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.clinic.service import ClinicService
from kiosk.clinic.tls import CERT_FILE, CERT_KEY_FILE, fingerprint_of, make_certificate
from kiosk.engine import FormLibrary


def init_clinic(folder: Path, passphrase: bytes, hosts: list[str]) -> None:
    """A new clinic folder: first key pair, server key and a self-signed certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "keys").exists() and any((folder / "keys").iterdir()):
        raise FileExistsError(f"{folder} already holds a clinic; nothing was changed")
    KeyRing.create(folder, passphrase)
    ServerSecrets.load_or_create(folder)
    make_certificate(folder, hosts)


def open_service(
    folder: Path,
    passphrase: bytes,
    database_url: str | None,
    forms: list[Path],
    backups: BackupPolicy | None = None,
) -> ClinicService:
    """Open the clinic in ``folder``. With ``backups`` (and its ``before_upgrade``), a
    database with an older schema is backed up into ``backups.folder`` first."""
    url = database_url or f"sqlite:///{folder / DATABASE_FILE}"
    before = None
    if backups is not None and backups.before_upgrade:
        from kiosk.clinic.backup import before_upgrade

        def before(current: str, head: str) -> object:
            return before_upgrade(folder, url, backups, current, head)

    keys = KeyRing.load(folder, passphrase)  # a wrong passphrase stops before any upgrade
    return ClinicService(
        open_database(url, before),
        FormLibrary.load(*forms),
        forms,
        keys,
        ServerSecrets.load_or_create(folder),
        fingerprint_of(folder / CERT_FILE),
    )


def open_configured(config: ClinicConfig, forms: list[Path]) -> ClinicService:
    """Open the clinic a settings file describes (automatic backups, and how many
    password checks may run at once, as it says)."""
    service = open_service(
        config.folder, config.passphrase(), config.database, forms, config.backup_policy
    )
    service.staff.limit_password_checks(
        config.password_checks_at_once, config.password_checks_waiting
    )
    service.staff.session_hours = config.session_hours
    service.nation = config.nation
    return service


@dataclass
class RunningServer:
    """A service on a background thread (tests, the demo beside the kiosk)."""

    url: str
    thread: threading.Thread
    server: object

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def uvicorn_server(
    service: ClinicService,
    folder: Path,
    host: str,
    port: int,
    options: ServerOptions | None = None,
    *,
    proxy_socket: socket.socket | None = None,
) -> object:
    """The HTTPS server for ``service`` (not yet started); nonces too old to matter are
    forgotten first. ``proxy_socket``: the PROXY protocol port already bound (by the
    parent of several service processes, kiosk.clinic.workers).

    Forwarding headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are believed only
    from ``options.trusted_proxies``; with none (the default) uvicorn's own default,
    which believes any client connecting from 127.0.0.1, is switched off, so a client
    behind a local TLS pass-through proxy cannot write an address into the audit log."""
    import uvicorn

    from kiosk.clinic.app import create_app

    options = options or ServerOptions()
    service.forget_old_nonces()
    config = uvicorn.Config(
        create_app(service, api_docs=options.api_docs),
        host=host,
        port=port,
        ssl_certfile=str(folder / CERT_FILE),
        ssl_keyfile=str(folder / CERT_KEY_FILE),
        log_level="warning",
        access_log=False,
        proxy_headers=bool(options.trusted_proxies),
        forwarded_allow_ips=list(options.trusted_proxies),
    )
    if options.proxy_protocol_port is not None:
        from kiosk.clinic.proxy_protocol import server_with_proxy_port

        return server_with_proxy_port(
            config, options.proxy_protocol_port, options.proxy_protocol_from, proxy_socket
        )
    return uvicorn.Server(config)


def serve_in_thread(
    service: ClinicService,
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    options: ServerOptions | None = None,
) -> RunningServer:
    """Start serving on a background thread; returns once it accepts connections."""
    import time

    if port == 0:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    server = uvicorn_server(service, folder, host, port, options)
    thread = threading.Thread(target=server.run, daemon=True, name="clinic-service")  # type: ignore[attr-defined]
    thread.start()
    deadline = time.monotonic() + 15
    while not getattr(server, "started", False):
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the clinic service did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningServer(f"https://{host}:{port}", thread, server)
