"""``kiosk staff``: the staff console (docs/staff-console.md).

kiosk staff --clinic URL [--certificate PEM] [--lock-minutes N]
kiosk staff --demo DIR                 the demo clinic, with demo patients, beside it

``--demo DIR`` uses the same demo clinic as ``kiosk run --demo DIR`` (in
``DIR/clinic``): it starts it, sends the demo patients once from a demo tablet
of its own (``DIR/staff-demo-tablet``) if the clinic has no submissions yet,
prints the demo users and opens the console trusting the clinic's certificate.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from kiosk.cli.errors import fail
from kiosk.errors import KnownError
from kiosk.site import paths

DEMO_TABLET = "staff-demo-tablet"


def register(commands: Any) -> None:
    p = commands.add_parser("staff", help="the staff console: today's queue, summaries, triage")
    p.add_argument("--clinic", metavar="URL", help="the clinic service's https:// address")
    p.add_argument(
        "--certificate",
        type=Path,
        metavar="PEM",
        help="the clinic's certificate (clinic-cert.pem) or a CA it chains to; "
        "default: the system's trusted CAs",
    )
    p.add_argument(
        "--lock-minutes",
        type=float,
        default=5,
        metavar="N",
        help="lock the console after N minutes without input (default 5)",
    )
    p.add_argument(
        "--demo", type=Path, metavar="DIR", help="run against the demo clinic kept in DIR"
    )
    p.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    p.set_defaults(handler=run_staff)


def start_demo(folder: Path) -> tuple[Any, str, Path]:
    """The demo clinic serving on 127.0.0.1, its demo patients sent (once).

    Returns the running server, its address and its certificate."""
    from kiosk.cli.demo import prepare_demo_clinic
    from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoTablet, demo_list_csv
    from kiosk.clinic.setup import serve_in_thread
    from kiosk.clinic.tls import CERT_FILE
    from kiosk.engine import FormLibrary
    from kiosk.sync.config import read_clinic_record, write_clinic_record

    clinic = folder / "clinic"
    service = prepare_demo_clinic(clinic, ["127.0.0.1"])
    # The demo patients' appointments, named: the kiosk demo's list plus the pain clinic.
    service.set_clinic_list(dt.date.today(), demo_list_csv(), "demo")
    running = serve_in_thread(service, clinic)
    try:
        if service.counts()["submissions"] == 0:
            tablet_dir = folder / DEMO_TABLET
            record = read_clinic_record(tablet_dir) if tablet_dir.exists() else None
            if record is not None and record.url != running.url:  # a new port each run
                write_clinic_record(tablet_dir, dataclasses.replace(record, url=running.url))
            library = FormLibrary.load(*paths.form_dirs())
            code = service.issue_code("demo")
            tablet = DemoTablet.enrol(running.url, code, tablet_dir, library, "Staff demo tablet")
            try:
                tablet.send(DEMO_PATIENTS)
            finally:
                tablet.close()
    except BaseException:
        running.stop()
        raise
    return running, running.url, clinic / CERT_FILE


def _known() -> tuple[type[BaseException], ...]:
    """What stops the console starting: told in one line, once the demo clinic is stopped."""
    import httpx

    return (KnownError, httpx.InvalidURL, OSError)  # InvalidURL: an address httpx cannot read


def run_staff(args: argparse.Namespace) -> int:
    from kiosk.console.client import StaffClient
    from kiosk.ui.app import no_screen, run_staff_console

    if args.lock_minutes <= 0:
        return fail("--lock-minutes must be more than 0")
    running = None
    try:
        if args.demo is not None:
            running, url, certificate = start_demo(args.demo)
            from kiosk.cli.demo import DEMO_PASSWORD, DEMO_USERS

            users = ", ".join(f"{name} ({role})" for name, role in DEMO_USERS)
            print(f"demo clinic on {url}; staff users {users}; password {DEMO_PASSWORD!r}")
        elif not args.clinic:
            return fail("give the clinic's address with --clinic URL, or use --demo DIR")
        else:
            url, certificate = args.clinic, args.certificate
        client = StaffClient(url, certificate=certificate)
    except _known() as exc:
        if running is not None:
            running.stop()
        return fail(exc)
    if no_screen():
        client.close()
        if running is not None:
            running.stop()
        return fail(
            "there is no screen to show the staff console on (no DISPLAY or WAYLAND_DISPLAY)"
        )
    try:
        run_staff_console(
            client,
            lock_after_s=args.lock_minutes * 60,
            username="clinician" if args.demo is not None else None,
            quit_after=args.quit_after,
        )
    finally:
        client.close()
        if running is not None:
            running.stop()
    return 0
