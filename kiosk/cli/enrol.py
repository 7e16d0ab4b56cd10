"""``kiosk enrol URL CODE``: enrol this tablet with the clinic (docs/clinic.md).

Run it once, with the kiosk stopped, using a code from
``kiosk clinic enrolment-code``. The tablet makes its device key, pins the
clinic's certificate, and receives the clinic's key, forms and clinic list.
"""

from __future__ import annotations

import argparse
import socket
from pathlib import Path
from typing import Any

from kiosk.cli.errors import fail
from kiosk.site import paths


def register(commands: Any) -> None:
    p = commands.add_parser("enrol", help="enrol this tablet with the clinic")
    p.add_argument("url", help="the clinic's address, e.g. https://clinic.example:8443")
    p.add_argument("code", help="the one-time code from kiosk clinic enrolment-code")
    p.add_argument("--name", default=None, help="this tablet's name (default: the host name)")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.set_defaults(handler=enrol_tablet)


def enrol_tablet(args: argparse.Namespace) -> int:
    from kiosk.sync.enrol import enrol

    data_dir = args.data_dir or paths.data_dir()
    try:
        done = enrol(args.url, args.code, data_dir, args.name or socket.gethostname()[:80])
    except OSError as exc:
        return fail(exc)
    print(
        f"enrolled with {done.url} as tablet {done.device_id}; "
        f"clinic certificate {done.certificate_fingerprint}"
    )
    return 0
