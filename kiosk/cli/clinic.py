"""``kiosk clinic ...``: set up and run the clinic service (docs/clinic.md).

Every command names its clinic either with the settings file
(``--config clinic.toml``, or ``KIOSK_CLINIC_CONFIG``; docs/configuration.md) or
with the clinic folder and its passphrase file (``DIR --passphrase-file F
[--database URL]``).

kiosk clinic init CLINIC [--host NAME ...]
kiosk clinic serve CLINIC [--host H] [--port P] [--workers N]   N processes: PostgreSQL only
kiosk clinic serve --demo DIR          a demo clinic: SQLite, demo users, list and code
kiosk clinic check-config [--config F] check the settings, keys and database; change nothing
kiosk clinic enrolment-code CLINIC
kiosk clinic revoke CLINIC DEVICE_ID
kiosk clinic add-user CLINIC USERNAME ROLE    (password from stdin)
kiosk clinic clinic-list CLINIC FILE.csv [--day D]      (kiosk/cli/clinic_feeds.py)
kiosk clinic clinic-list CLINIC --fhir BUNDLE.json    each day a FHIR Bundle of Appointments names
kiosk clinic mllp CLINIC [--host H] [--port P]   the hospital's HL7 v2 SIU messages (until SIGTERM)
kiosk clinic rotate-key CLINIC
kiosk clinic backup CLINIC --out FILE.tar
kiosk clinic restore FILE.tar (--to DIR [--database URL] | --config F)
kiosk clinic held list CLINIC [--all]  submissions held at the clinic for review
kiosk clinic held reprocess CLINIC (ID | --all)   run them through the clinic again
kiosk clinic users list|add|disable|enable|reset-password|set-role|set-clinics CLINIC ...
                                       staff accounts (kiosk/cli/users.py)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.clinic_feeds import register_feeds
from kiosk.cli.clinic_target import clinic_arguments, open_clinic, target_of
from kiosk.cli.demo import DEMO_PASSWORD, DEMO_USERS, prepare_demo_clinic
from kiosk.cli.errors import fail
from kiosk.clinic.config import CONFIG_ENV, ClinicConfig
from kiosk.errors import KnownError
from kiosk.site.tomlfile import SettingsError
from kiosk.vocabulary import ROLES


def register(commands: Any) -> None:
    clinic = commands.add_parser("clinic", help="the clinic service")
    sub = clinic.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler: Any) -> Any:
        p = sub.add_parser(name, help=help_text)
        clinic_arguments(p)
        p.set_defaults(handler=handler)
        return p

    p = command("init", "make a clinic folder: keys, server key, certificate", init)
    p.add_argument("--host", action="append", default=None, metavar="NAME",
                   help="a name or address tablets use (repeat); default 127.0.0.1")  # fmt: skip
    p = command("serve", "run the clinic service over HTTPS", serve)
    p.add_argument("--demo", type=Path, default=None, metavar="DIR")
    p.add_argument("--host", default=None, help="default: [server] host, or 127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: [server] port, or 8443")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="service processes sharing the port (PostgreSQL only); "
                        "default: [server] workers, or 1")  # fmt: skip
    p = sub.add_parser("check-config", help="check the settings file, keys and database")
    clinic_arguments(p, folder=False)
    p.set_defaults(handler=check_config, folder=None)
    command("enrolment-code", "a one-time code to enrol a tablet (15 minutes)", enrolment_code)
    p = command("revoke", "stop a tablet: its requests are refused", revoke)
    p.add_argument("device_id")
    p = command("add-user", "add a staff user (password read from stdin)", add_user)
    p.add_argument("username")
    p.add_argument("role", choices=ROLES)
    register_feeds(command)
    command("rotate-key", "add a new clinic key; older keys are kept", rotate_key)
    p = command("backup", "back up the database and key files together", backup)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.tar")
    p = sub.add_parser("restore", help="restore a backup into a new clinic folder and database")
    p.add_argument("archive", type=Path, metavar="FILE.tar")
    p.add_argument("--to", type=Path, default=None, metavar="DIR", help="a new, empty folder")
    clinic_arguments(p, folder=False)
    p.set_defaults(handler=restore, folder=None)
    _register_held(sub)
    from kiosk.cli import users

    register_set_clinics(users.register(sub, clinic_arguments))


def _register_held(sub: Any) -> None:
    held = sub.add_parser("held", help="submissions held at the clinic: list, re-process")
    actions = held.add_subparsers(dest="held_command", metavar="ACTION", required=True)
    p = actions.add_parser("list", help="what is held, when, from which tablet, and why")
    clinic_arguments(p)
    p.add_argument("--all", action="store_true", help="also those already re-processed")
    p.set_defaults(handler=held_list)
    p = actions.add_parser("reprocess", help="run held submissions through the clinic again")
    p.add_argument("held_id", nargs="?", metavar="ID", help="a held submission (from list)")
    clinic_arguments(p)
    p.add_argument("--all", action="store_true", help="every held submission")
    p.set_defaults(handler=held_reprocess)


def held_list(args: argparse.Namespace) -> int:
    try:
        service = open_clinic(args)
    except OSError as exc:
        return fail(exc)
    try:
        entries = service.held.entries("cli", include_resolved=args.all)
    except OSError as exc:
        return fail(exc)
    finally:
        service.close()
    if not entries:
        print("nothing is held")
    for e in entries:
        tablet = f"{e['device_name'] or '?'} ({e['device_id']})"
        print(f"{e['id']}  {e['submission_id']}  {e['pathway'] or '-'}  received "
              f"{e['received_at']} from {tablet}: {e['status']}, {e['reason']}")  # fmt: skip
        if e["resolved_at"]:
            print(f"    stored {e['resolved_at']} by {e['resolved_by']}")
    return 0


def held_reprocess(args: argparse.Namespace) -> int:
    if args.all and args.held_id is not None and args.folder is None:
        args.folder, args.held_id = Path(args.held_id), None  # "reprocess --all DIR"
    number = args.held_id or "0"
    if args.all == (args.held_id is not None) or not number.isdigit() or int(number) >= 2**31:
        return fail("name one held submission by its number (from held list), or --all")
    try:
        service = open_clinic(args)
    except OSError as exc:
        return fail(exc)
    try:
        review = service.held
        if args.all:
            results = review.reprocess_all("cli")
        else:
            results = [review.reprocess("cli", int(args.held_id))]
    except OSError as exc:
        return fail(exc)
    finally:
        service.close()
    for r in results:
        if r["outcome"] == "stored":
            print(f"{r['id']}  {r['submission_id']}: stored")
        else:
            print(f"{r['id']}  {r['submission_id']}: still held ({r['reason']})")
    if not results:
        print("nothing is held")
    return 1 if any(r["outcome"] != "stored" for r in results) else 0


def backup(args: argparse.Namespace) -> int:
    from kiosk.clinic.backup import back_up

    try:
        target = target_of(args)
        report = back_up(target.folder, args.out, target.database)
    except OSError as exc:
        return fail(exc)
    print(
        f"{report.submissions} submissions and the key files backed up to {report.path} "
        f"(schema {report.schema}); it holds the keys to patient data: "
        "keep it as safe as the server"
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    from kiosk.clinic.backup import restore as restore_backup

    try:
        if args.to is not None:
            if args.config is not None:
                raise SettingsError("give either --to DIR or --config, not both")
            folder, database = args.to, args.database
        else:
            if args.config is None and not os.environ.get(CONFIG_ENV):
                raise SettingsError(
                    "where to? Give --to DIR (a new, empty folder) or --config FILE"
                )
            target = target_of(args)
            folder, database = target.folder, target.database
        report = restore_backup(args.archive, folder, database)
    except OSError as exc:
        return fail(exc)
    print(f"restored {report.submissions} submissions and the key files into {folder}")
    return 0


def init(args: argparse.Namespace) -> int:
    from kiosk.clinic.setup import init_clinic
    from kiosk.clinic.tls import CERT_FILE, fingerprint_of

    try:
        target = target_of(args)
        init_clinic(target.folder, target.passphrase(), args.host or ["127.0.0.1"])
    except OSError as exc:
        return fail(exc)
    print(
        f"clinic made in {target.folder}; certificate {fingerprint_of(target.folder / CERT_FILE)}"
    )
    return 0


def enrolment_code(args: argparse.Namespace) -> int:
    try:
        service = open_clinic(args)
        code = service.issue_code("cli")
    except OSError as exc:
        return fail(exc)
    print(code)
    print(f"valid for 15 minutes; the clinic's certificate is {service.fingerprint}")
    return 0


def revoke(args: argparse.Namespace) -> int:
    try:
        done = open_clinic(args).revoke(args.device_id, "cli")
    except OSError as exc:
        return fail(exc)
    if not done:
        return fail(f"no enrolled tablet {args.device_id}")
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
        open_clinic(args).staff.add(args.username, args.role, password, "cli")
    except OSError as exc:
        return fail(exc)
    print(f"user {args.username} added as {args.role}")
    return 0


def rotate_key(args: argparse.Namespace) -> int:
    from kiosk.clinic.keyring import KeyRing

    try:
        target = target_of(args)
        pair = KeyRing.rotate(target.folder, target.passphrase())
    except OSError as exc:
        return fail(exc)
    print(f"new clinic key {pair.id}; tablets pick it up at their next sync")
    return 0


def serve(args: argparse.Namespace) -> int:
    from kiosk.clinic.setup import uvicorn_server
    from kiosk.clinic.workers import workers_problem

    options, workers = None, 1
    if args.demo is not None and args.workers not in (None, 1):
        return fail("the demo clinic runs on SQLite: one service process only (no --workers)")
    try:
        if args.demo is not None:
            host, port = args.host or "127.0.0.1", args.port or 8443
            service = prepare_demo_clinic(args.demo, [host])
            folder = args.demo
            code = service.issue_code("demo")
            users = ", ".join(username for username, _role in DEMO_USERS)
            print(
                f"demo clinic: enrolment code {code}; staff users {users} "
                f"with password {DEMO_PASSWORD!r}",
                file=sys.stderr,
            )
        else:
            target = target_of(args)
            host, port = args.host or target.host, args.port or target.port
            workers = target.workers if args.workers is None else args.workers
            if (problem := workers_problem(workers, target.database_url)) is not None:
                return fail(problem)
            service, folder, options = open_clinic(args), target.folder, target.server_options
    except OSError as exc:
        return fail(exc)
    if workers > 1:
        from kiosk.clinic.workers import serve_workers

        print(f"clinic service on https://{host}:{port} ({workers} processes)", file=sys.stderr)
        return serve_workers(service, folder, host, port, options, workers)
    print(f"clinic service on https://{host}:{port}", file=sys.stderr)
    server = uvicorn_server(service, folder, host, port, options)
    server.run()  # type: ignore[attr-defined]
    return 0


def check_config(args: argparse.Namespace) -> int:
    """Check the settings file, the passphrase, the keys and the database; change nothing."""
    from kiosk.clinic.keyring import KeyRing
    from kiosk.clinic.tls import CERT_FILE, fingerprint_of
    from kiosk.clinic.workers import workers_problem

    try:
        target = target_of(args)
    except OSError as exc:
        return fail(exc)
    problems: list[str] = []
    print(f"settings: {target.source or target.folder}")
    if not (target.folder / CERT_FILE).is_file():
        problems.append(
            f"{target.folder} holds no clinic yet (no {CERT_FILE}): run kiosk clinic init"
        )
    else:
        certificate = fingerprint_of(target.folder / CERT_FILE)
        print(f"clinic folder: {target.folder}; certificate {certificate}")
        try:
            KeyRing.load(target.folder, target.passphrase())
            print("passphrase: opens the clinic keys")
        except (KnownError, OSError) as exc:
            problems.append(f"passphrase: {exc}")
    problems.extend(_check_database(target))
    policy = target.backup_policy
    print(
        f"backups: {policy.folder}"
        + (f", one before each upgrade, newest {policy.keep} kept" if policy.before_upgrade else "")
    )
    processes = f" ({target.workers} processes)" if target.workers > 1 else ""
    print(f"serves: https://{target.host}:{target.port}{processes}")
    if (problem := workers_problem(target.workers, target.database_url)) is not None:
        problems.append(f"[server] workers: {problem}")
    for problem in problems:
        fail(problem)
    return 2 if problems else 0


def _check_database(target: ClinicConfig) -> list[str]:
    from kiosk.clinic.database_check import check_database

    found = check_database(target.database_url)
    if found.problem is not None:
        return [f"database {found.shown}: {found.problem}"]
    print(f"database: {found.shown} ({found.state})")
    return []


# ---------------------------------------------------------------- users set-clinics
def register_set_clinics(actions: Any) -> None:
    """``kiosk clinic users set-clinics CLINIC USERNAME (NAME ... | --all)``, added to the
    ``users`` actions."""
    p = actions.add_parser(
        "set-clinics",
        help="limit a user to some clinics (names as in the clinic list), or --all; "
        "ends their sessions",
    )
    clinic_arguments(p)
    p.add_argument("username")
    p.add_argument("clinics", nargs="*", metavar="NAME", help="a clinic name (repeat)")
    p.add_argument("--all", action="store_true", help="every clinic (no limit)")
    p.set_defaults(handler=users_set_clinics)


def users_set_clinics(args: argparse.Namespace) -> int:
    from kiosk.clinic.scope import set_clinics

    if args.all == bool(args.clinics):
        return fail("name the clinics the user may see, or give --all (not both)")
    try:
        service = open_clinic(args)
    except OSError as exc:
        return fail(exc)
    try:
        names = set_clinics(
            service, args.username, None if args.all else list(args.clinics), "cli", "command line"
        )
    except OSError as exc:
        return fail(exc)
    finally:
        service.close()
    where = "every clinic" if names is None else ", ".join(names)
    print(f"{args.username} now sees {where}; their sessions have ended")
    return 0
