"""``kiosk clinic ...``: set up and run the clinic service (docs/clinic.md).

kiosk clinic init DIR --passphrase-file F [--host NAME ...]
kiosk clinic serve DIR --passphrase-file F [--database URL] [--host H] [--port P]
kiosk clinic serve --demo DIR          a demo clinic: SQLite, demo users, list and code
kiosk clinic enrolment-code DIR --passphrase-file F
kiosk clinic revoke DIR DEVICE_ID --passphrase-file F
kiosk clinic add-user DIR USERNAME ROLE --passphrase-file F   (password from stdin)
kiosk clinic clinic-list DIR FILE.csv [--day D] --passphrase-file F
kiosk clinic rotate-key DIR --passphrase-file F
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from kiosk.site import paths

DEMO_PASSPHRASE = b"demo clinic passphrase - not for real use"
DEMO_USERS = (
    ("admin", "administrator"),
    ("clinician", "clinician"),
    ("linkworker", "link_worker"),
    ("reception", "receptionist"),
)
DEMO_PASSWORD = "demo password 2026"  # noqa: S105 - the demo's published password


def register(commands: Any) -> None:
    clinic = commands.add_parser("clinic", help="the clinic service")
    sub = clinic.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler: Any, *, folder: bool = True) -> Any:
        p = sub.add_parser(name, help=help_text)
        if folder:
            p.add_argument("folder", type=Path, metavar="DIR")
            p.add_argument("--passphrase-file", type=Path, required=True, metavar="FILE")
        p.add_argument("--database", default=None, metavar="URL", help="default: DIR/clinic.db")
        p.set_defaults(handler=handler)
        return p

    p = command("init", "make a clinic folder: keys, server key, certificate", init)
    p.add_argument("--host", action="append", default=None, metavar="NAME",
                   help="a name or address tablets use (repeat); default 127.0.0.1")  # fmt: skip
    p = sub.add_parser("serve", help="run the clinic service over HTTPS")
    p.add_argument("folder", type=Path, nargs="?", metavar="DIR")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE")
    p.add_argument("--database", default=None, metavar="URL")
    p.add_argument("--demo", type=Path, default=None, metavar="DIR")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.set_defaults(handler=serve)
    command("enrolment-code", "a one-time code to enrol a tablet (15 minutes)", enrolment_code)
    p = command("revoke", "stop a tablet: its requests are refused", revoke)
    p.add_argument("device_id")
    p = command("add-user", "add a staff user (password read from stdin)", add_user)
    p.add_argument("username")
    p.add_argument("role", choices=("receptionist", "clinician", "link_worker", "administrator"))
    p = command("clinic-list", "set a day's clinic list from a CSV file", clinic_list)
    p.add_argument("file", type=Path)
    p.add_argument("--day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    command("rotate-key", "add a new clinic key; older keys are kept", rotate_key)
    p = sub.add_parser("backup", help="back up a SQLite clinic: database and key files together")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.tar")
    p.set_defaults(handler=backup)
    p = sub.add_parser("restore", help="restore a backup into a new, empty clinic folder")
    p.add_argument("archive", type=Path, metavar="FILE.tar")
    p.add_argument("--to", type=Path, required=True, metavar="DIR")
    p.set_defaults(handler=restore)


def backup(args: argparse.Namespace) -> int:
    from kiosk.clinic.backup import BackupError, back_up

    try:
        report = back_up(args.folder, args.out)
    except (BackupError, OSError) as exc:
        return _fail(exc)
    print(
        f"{report.submissions} submissions and the key files backed up to {report.path} "
        f"(schema {report.schema}); it holds the keys to patient data: "
        "keep it as safe as the server"
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    from kiosk.clinic.backup import BackupError
    from kiosk.clinic.backup import restore as restore_backup

    try:
        report = restore_backup(args.archive, args.to)
    except (BackupError, OSError) as exc:
        return _fail(exc)
    print(f"restored {report.submissions} submissions and the key files into {args.to}")
    return 0


def _fail(message: object) -> int:
    print(f"kiosk: {message}", file=sys.stderr)
    return 2


def _passphrase(args: argparse.Namespace) -> bytes:
    return bytes(args.passphrase_file.read_bytes().strip())


def _open(args: argparse.Namespace) -> Any:
    from kiosk.clinic.setup import open_service

    return open_service(args.folder, _passphrase(args), args.database, paths.form_dirs())


def _known() -> tuple[type[BaseException], ...]:
    from kiosk.clinic.database import DatabaseError
    from kiosk.clinic.server_secrets import SecretError
    from kiosk.clinic.service import Refused
    from kiosk.engine import EngineError
    from kiosk.envelope.errors import EnvelopeError
    from kiosk.store.clinic_list import ClinicListError

    return (
        OSError,
        DatabaseError,
        SecretError,
        EnvelopeError,
        EngineError,
        Refused,
        ClinicListError,
        ValueError,
    )


def init(args: argparse.Namespace) -> int:
    from kiosk.clinic.setup import init_clinic
    from kiosk.clinic.tls import CERT_FILE, fingerprint_of

    try:
        init_clinic(args.folder, _passphrase(args), args.host or ["127.0.0.1"])
    except _known() as exc:
        return _fail(exc)
    print(f"clinic made in {args.folder}; certificate {fingerprint_of(args.folder / CERT_FILE)}")
    return 0


def enrolment_code(args: argparse.Namespace) -> int:
    try:
        service = _open(args)
        code = service.issue_code("cli")
    except _known() as exc:
        return _fail(exc)
    print(code)
    print(f"valid for 15 minutes; the clinic's certificate is {service.fingerprint}")
    return 0


def revoke(args: argparse.Namespace) -> int:
    try:
        done = _open(args).revoke(args.device_id, "cli")
    except _known() as exc:
        return _fail(exc)
    if not done:
        return _fail(f"no enrolled tablet {args.device_id}")
    print(f"tablet {args.device_id} revoked")
    return 0


def add_user(args: argparse.Namespace) -> int:
    import getpass

    password = (
        getpass.getpass("Password (12 characters or more): ")
        if sys.stdin.isatty()
        else sys.stdin.readline().rstrip("\n")
    )
    try:
        _open(args).staff.add(args.username, args.role, password, "cli")
    except _known() as exc:
        return _fail(exc)
    print(f"user {args.username} added as {args.role}")
    return 0


def clinic_list(args: argparse.Namespace) -> int:
    from kiosk.store.clinic_list import parse_csv

    day = args.day or dt.date.today()
    try:
        text = args.file.read_text(encoding="utf-8")
        parsed = parse_csv(text, str(args.file), day)
        _open(args).set_clinic_list(day, text, "cli")
    except _known() as exc:
        return _fail(exc)
    print(f"clinic list for {day.isoformat()}: {len(parsed.appointments)} appointments")
    return 0


def rotate_key(args: argparse.Namespace) -> int:
    from kiosk.clinic.keyring import KeyRing

    try:
        pair = KeyRing.rotate(args.folder, _passphrase(args))
    except _known() as exc:
        return _fail(exc)
    print(f"new clinic key {pair.id}; tablets pick it up at their next sync")
    return 0


def prepare_demo_clinic(folder: Path, hosts: list[str]) -> Any:
    """A demo clinic (made once): SQLite, demo users, today's demo list."""
    from kiosk.clinic.setup import init_clinic, open_service
    from kiosk.clinic.tls import CERT_FILE

    if not (folder / CERT_FILE).exists():
        init_clinic(folder, DEMO_PASSPHRASE, hosts)
    service = open_service(folder, DEMO_PASSPHRASE, None, paths.form_dirs())
    from kiosk.cli.run import DEMO_LIST
    from kiosk.clinic.models import User

    with service.transaction() as db:
        have_users = db.query(User).count() > 0
    if not have_users:
        for username, role in DEMO_USERS:
            service.staff.add(username, role, DEMO_PASSWORD, "demo")
    service.set_clinic_list(dt.date.today(), DEMO_LIST, "demo")
    return service


def serve(args: argparse.Namespace) -> int:
    from kiosk.clinic.setup import uvicorn_server

    try:
        if args.demo is not None:
            service = prepare_demo_clinic(args.demo, [args.host])
            folder = args.demo
            code = service.issue_code("demo")
            users = ", ".join(username for username, _role in DEMO_USERS)
            print(
                f"demo clinic: enrolment code {code}; staff users {users} "
                f"with password {DEMO_PASSWORD!r}",
                file=sys.stderr,
            )
        else:
            if args.folder is None or args.passphrase_file is None:
                return _fail("give the clinic folder and --passphrase-file, or --demo DIR")
            service, folder = _open(args), args.folder
    except _known() as exc:
        return _fail(exc)
    print(f"clinic service on https://{args.host}:{args.port}", file=sys.stderr)
    server = uvicorn_server(service, folder, args.host, args.port)
    server.run()  # type: ignore[attr-defined]
    return 0
