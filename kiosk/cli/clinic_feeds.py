"""``kiosk clinic clinic-list`` and ``kiosk clinic mllp``: the hospital's appointments
into the clinic (docs/hospital-feeds.md): a day's list as a CSV file, the days a FHIR
Bundle names, or HL7 v2 SIU messages received over MLLP until stopped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.clinic_target import open_clinic, target_of
from kiosk.cli.errors import fail


def register_feeds(command: Callable[[str, str, Any], Any]) -> None:
    """Add the feed commands through ``command(name, help, handler)``, which adds a
    ``kiosk clinic`` action naming its clinic (kiosk/cli/clinic.py)."""
    p = command("clinic-list", "set a day's clinic list from a CSV file", clinic_list)
    p.add_argument("file", type=Path)
    p.add_argument("--day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--fhir", action="store_true",
                   help="FILE is a FHIR R4 Bundle of Appointments (+ Patients)")  # fmt: skip
    p = command("mllp", "receive the hospital's HL7 v2 appointments over MLLP", mllp)
    p.add_argument("--host", default=None, help="default: [mllp] host, or 127.0.0.1")
    p.add_argument("--port", type=int, default=None,
                   help="default: [mllp] port, or 2575; 0: any free port")  # fmt: skip


def clinic_list(args: argparse.Namespace) -> int:
    from kiosk.exchange.clinic_list import parse_csv

    if args.fhir:
        return clinic_list_fhir(args)
    day = args.day or dt.date.today()
    try:
        text = args.file.read_text(encoding="utf-8")
        parsed = parse_csv(text, str(args.file), day)
        open_clinic(args).set_clinic_list(day, text, "cli")
    except OSError as exc:
        return fail(exc)
    print(f"clinic list for {day.isoformat()}: {len(parsed.appointments)} appointments")
    return 0


def clinic_list_fhir(args: argparse.Namespace) -> int:
    if args.day is not None:
        return fail("--day does not go with --fhir: each appointment's day is its start")
    try:
        data = args.file.read_bytes()
        lists = open_clinic(args).hospital.import_fhir(data, "cli")
    except OSError as exc:
        return fail(exc)
    for clinic_list in lists:
        print(
            f"clinic list for {clinic_list.day.isoformat()}: "
            f"{len(clinic_list.appointments)} appointments"
        )
    if not lists:
        print("the bundle has no appointments to keep (cancelled ones are left out)")
    return 0


def mllp(args: argparse.Namespace) -> int:
    import dataclasses
    import signal

    from kiosk.clinic.mllp import MllpListener

    try:
        target = target_of(args)
        port = target.mllp.port if args.port is None else args.port  # 0: any free port
        settings = dataclasses.replace(target.mllp, host=args.host or target.mllp.host, port=port)
        service = open_clinic(args)
        listener = MllpListener(settings, service.hospital.receive_hl7)
    except OSError as exc:
        return fail(exc)

    def stop(_signum: int, _frame: object) -> None:
        import threading

        threading.Thread(target=listener.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"HL7 v2 over MLLP on {settings.host}:{listener.port}", file=sys.stderr, flush=True)
    try:
        listener.serve_forever()
    finally:
        listener.server_close()
        service.close()
    return 0
