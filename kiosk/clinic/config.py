"""The clinic service's settings: one TOML file (``clinic.toml``), every key documented.

::

    [clinic]
    folder = "/var/lib/what-matters-clinic"         # required: keys, certificate
    passphrase_file = "/etc/what-matters-clinic/passphrase"
    database = "postgresql+psycopg://wmclinic@/whatmatters?host=/run/postgresql"
    nation = "england"                              # or "wales": national codes in FHIR

    [server]
    host = "127.0.0.1"
    port = 8443
    trusted_proxies = []                            # addresses whose X-Forwarded-For counts
    api_docs = false                                # /docs, /redoc, /openapi.json
    proxy_protocol_port = 8444                      # optional: nginx with proxy_protocol on
    proxy_protocol_from = ["127.0.0.1"]
    workers = 1                                     # service processes (over 1: PostgreSQL)

    [backups]
    folder = "/var/backups/what-matters-clinic"
    before_upgrade = true
    keep = 10

    [staff]
    session_hours = 10                              # a sign-in lasts this long (1-24)

    [mllp]                                          # kiosk clinic mllp: HL7 v2 from the hospital
    host = "127.0.0.1"
    port = 2575
    max_message_bytes = 1048576                     # a longer message is refused (AR)
    read_timeout = 60                               # seconds a silent connection is kept

Relative paths are read from the file's own folder. Without ``passphrase_file``
the passphrase comes from systemd's credential ``passphrase``
(``$CREDENTIALS_DIRECTORY/passphrase``). A missing file, an unknown section or
key, a wrong type or a value out of range is refused with a message naming the
file and the key. docs/configuration.md documents every key (a test keeps the
two in step); packaging/clinic/clinic.toml is a complete example.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kiosk.reports.fhir_ukcore import DEFAULT_NATION, NATIONS
from kiosk.site.tomlfile import SettingsError, read_sections, switch, text, whole_number

CONFIG_ENV = "KIOSK_CLINIC_CONFIG"
CREDENTIAL = "passphrase"
DATABASE_FILE = "clinic.db"
BACKUPS_FOLDER = "backups"
DEFAULT_KEEP = 10
# argon2id needs 64 MiB for each password it checks: how many at once, how many may wait.
PASSWORD_CHECKS_AT_ONCE = 2
PASSWORD_CHECKS_WAITING = 8
SESSION_HOURS = 10  # a working shift: how long a staff sign-in lasts, refreshes or not
MAX_WORKERS = 64  # service processes; each holds its own database connections
MLLP_PORT = 2575  # the port IANA lists for HL7 over MLLP
MLLP_MAX_MESSAGE_BYTES = 1024 * 1024
MLLP_READ_TIMEOUT = 60

SECTIONS: dict[str, tuple[str, ...]] = {
    "clinic": ("folder", "passphrase_file", "database", "nation"),
    "server": (
        "host",
        "port",
        "trusted_proxies",
        "api_docs",
        "proxy_protocol_port",
        "proxy_protocol_from",
        "password_checks_at_once",
        "password_checks_waiting",
        "workers",
    ),
    "backups": ("folder", "before_upgrade", "keep"),
    "staff": ("session_hours",),
    "mllp": ("host", "port", "max_message_bytes", "read_timeout"),
}
REQUIRED = (("clinic", "folder"),)


@dataclass(frozen=True)
class BackupPolicy:
    """Where automatic backups go, whether one is taken before a database upgrade,
    and how many to keep."""

    folder: Path
    before_upgrade: bool = True
    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class ServerOptions:
    """How the HTTPS service treats what a client says about itself.

    ``trusted_proxies``: addresses or networks whose ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` headers are believed; from anyone else (and from
    everyone when it is empty, the default) those headers are ignored and the
    connection's own address is what the audit log records.
    ``api_docs``: serve the interactive API pages (``/docs``, ``/redoc``) and
    ``/openapi.json``; off by default.
    ``proxy_protocol_port``: a second port taking connections that start with a
    PROXY protocol header naming the client (nginx ``proxy_protocol on;``), only
    from ``proxy_protocol_from``; None: no such port."""

    trusted_proxies: tuple[str, ...] = ()
    api_docs: bool = False
    proxy_protocol_port: int | None = None
    proxy_protocol_from: tuple[str, ...] = ("127.0.0.1/32", "::1/128")


@dataclass(frozen=True)
class MllpSettings:
    """The MLLP listener for the hospital's HL7 v2 messages (``kiosk clinic mllp``):
    where it listens, the longest message it takes, how long a silent connection is
    kept open (seconds)."""

    host: str = "127.0.0.1"
    port: int = MLLP_PORT
    max_message_bytes: int = MLLP_MAX_MESSAGE_BYTES
    read_timeout: int = MLLP_READ_TIMEOUT


@dataclass(frozen=True)
class ClinicConfig:
    folder: Path
    passphrase_file: Path | None = None
    database: str | None = None
    nation: str = DEFAULT_NATION
    host: str = "127.0.0.1"
    port: int = 8443
    password_checks_at_once: int = PASSWORD_CHECKS_AT_ONCE
    password_checks_waiting: int = PASSWORD_CHECKS_WAITING
    session_hours: int = SESSION_HOURS
    workers: int = 1  # service processes sharing the port (kiosk.clinic.workers)
    backups: BackupPolicy | None = None
    source: Path | None = None  # the file it came from, for messages
    server_options: ServerOptions = field(default_factory=ServerOptions)
    mllp: MllpSettings = field(default_factory=MllpSettings)

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.folder / DATABASE_FILE}"

    @property
    def backup_policy(self) -> BackupPolicy:
        return self.backups or BackupPolicy(self.folder / BACKUPS_FOLDER)

    def passphrase(self) -> bytes:
        """The passphrase that opens the clinic keys, from its file or systemd's credential."""
        if self.passphrase_file is not None:
            path, named = self.passphrase_file, f"passphrase_file {self.passphrase_file}"
        else:
            credentials = os.environ.get("CREDENTIALS_DIRECTORY")
            if not credentials and self.source is None:
                raise SettingsError(
                    "the clinic keys need their passphrase: give --passphrase-file FILE"
                )
            if not credentials:
                raise SettingsError(
                    f"{self.source}: no [clinic] passphrase_file, and no systemd credential "
                    f"{CREDENTIAL!r} (LoadCredential={CREDENTIAL}:FILE): the clinic keys "
                    "cannot be opened"
                )
            path = Path(credentials) / CREDENTIAL
            named = f"the systemd credential {path}"
        try:
            secret = path.read_bytes().strip()
        except FileNotFoundError:
            raise SettingsError(f"{named} does not exist") from None
        except OSError as exc:
            raise SettingsError(f"{named} cannot be read ({exc.strerror or exc})") from None
        if not secret:
            raise SettingsError(f"{named} is empty")
        return bytes(secret)

    @classmethod
    def load(cls, path: Path) -> ClinicConfig:
        """Read and check ``path``; SettingsError in plain words if anything is wrong."""
        try:
            sections = read_sections(path, SECTIONS, _checked)
        except FileNotFoundError:
            raise SettingsError(f"{path}: no such file (the clinic service's settings)") from None
        for section, key in REQUIRED:
            if key not in sections.get(section, {}):
                raise SettingsError(f"{path}: [{section}] {key} is required")
        base = path.resolve().parent
        clinic, server, backups, staff, mllp = (sections.get(name, {}) for name in SECTIONS)

        def resolved(value: str) -> Path:
            return (base / Path(value).expanduser()).resolve()

        folder = resolved(clinic["folder"])
        return cls(
            folder=folder,
            passphrase_file=(
                resolved(clinic["passphrase_file"]) if "passphrase_file" in clinic else None
            ),
            database=clinic.get("database"),
            nation=clinic.get("nation", DEFAULT_NATION),
            host=server.get("host", "127.0.0.1"),
            port=server.get("port", 8443),
            password_checks_at_once=server.get("password_checks_at_once", PASSWORD_CHECKS_AT_ONCE),
            password_checks_waiting=server.get("password_checks_waiting", PASSWORD_CHECKS_WAITING),
            session_hours=staff.get("session_hours", SESSION_HOURS),
            workers=server.get("workers", 1),
            backups=BackupPolicy(
                resolved(backups["folder"]) if "folder" in backups else folder / BACKUPS_FOLDER,
                backups.get("before_upgrade", True),
                backups.get("keep", DEFAULT_KEEP),
            ),
            source=path,
            server_options=ServerOptions(
                tuple(server.get("trusted_proxies", ())),
                server.get("api_docs", False),
                server.get("proxy_protocol_port"),
                tuple(server.get("proxy_protocol_from", ServerOptions.proxy_protocol_from)),
            ),
            mllp=MllpSettings(
                mllp.get("host", "127.0.0.1"),
                mllp.get("port", MLLP_PORT),
                mllp.get("max_message_bytes", MLLP_MAX_MESSAGE_BYTES),
                mllp.get("read_timeout", MLLP_READ_TIMEOUT),
            ),
        )


def _checked(where: str, key: str, value: Any) -> Any:
    if key == "port":
        return whole_number(where, value, 1, 65535)
    if key == "workers":
        return whole_number(where, value, 1, MAX_WORKERS)
    if key == "password_checks_at_once":
        return whole_number(where, value, 1, 64)
    if key == "password_checks_waiting":
        return whole_number(where, value, 0, 1000)
    if key == "session_hours":
        return whole_number(where, value, 1, 24)
    if key == "keep":
        return whole_number(where, value, 1, 1000)
    if key in ("before_upgrade", "api_docs"):
        return switch(where, value)
    if key in ("trusted_proxies", "proxy_protocol_from"):
        return trusted_proxies(where, value)
    if key == "proxy_protocol_port":
        return whole_number(where, value, 1, 65535)
    if key == "max_message_bytes":
        return whole_number(where, value, 1024, 16 * 1024 * 1024)
    if key == "read_timeout":
        return whole_number(where, value, 1, 3600)
    value = text(where, value)
    if key == "nation" and value not in NATIONS:
        raise SettingsError(
            f"{where} must be one of {', '.join(repr(n) for n in NATIONS)} (whose national "
            f"code lists the FHIR export uses), not {value!r}"
        )
    if key == "database":
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            backend = None
        if backend not in ("sqlite", "postgresql"):
            raise SettingsError(
                f"{where} must be a SQLite or PostgreSQL database URL, e.g. "
                f"'postgresql+psycopg://wmclinic@/whatmatters?host=/run/postgresql', "
                f"not {value!r}"
            )
    return value


def trusted_proxies(where: str, value: Any) -> list[str]:
    """A list of IP addresses or networks (``"10.1.2.3"``, ``"10.1.2.0/24"``)."""
    if not isinstance(value, list):
        raise SettingsError(
            f'{where} must be a list of addresses in quotes, e.g. ["10.1.2.3"], not {value!r}'
        )
    checked = []
    for entry in value:
        if not isinstance(entry, str):
            raise SettingsError(f"{where}: {entry!r} must be an address in quotes")
        try:
            checked.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
        except ValueError:
            raise SettingsError(
                f'{where}: {entry!r} is not an IP address or network (e.g. "10.1.2.3" or '
                f'"10.1.2.0/24"; names and * are not accepted)'
            ) from None
    return checked
