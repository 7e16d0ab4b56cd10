"""``kiosk tablet ...``: look after a tablet's store (no patient data is ever shown).

kiosk tablet status  --data-dir DIR     outbox, sessions, quarantine, recent events
kiosk tablet set-pin --data-dir DIR     set the staff PIN (read from the terminal or stdin)
kiosk tablet device-key --data-dir DIR  make the tablet's device key; print its public half
kiosk tablet clinic-list import FILE [--day YYYY-MM-DD] --data-dir DIR
                                        keep a day's clinic list (encrypted under the device key)
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.errors import fail
from kiosk.exchange.clinic_list import parse_csv
from kiosk.site import paths
from kiosk.site.settings import SETTINGS_FILE, TabletSettings
from kiosk.store import FileKeyStore, StaffPin, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists


def register(commands: Any) -> None:
    tablet = commands.add_parser("tablet", help="look after this tablet's store")
    sub = tablet.add_subparsers(dest="tablet_command", metavar="ACTION", required=True)
    p = sub.add_parser("status", help="outbox, sessions, quarantine and recent events as JSON")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.add_argument("--events", type=int, default=20, metavar="N", help="how many recent events")
    p.set_defaults(handler=status)
    p = sub.add_parser("set-pin", help="set the staff PIN (6-12 digits)")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.set_defaults(handler=set_pin)
    p = sub.add_parser("device-key", help="make this tablet's device key (once)")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.set_defaults(handler=device_key)
    p = sub.add_parser("clinic-list", help="today's clinic list, for check-in and hand-over")
    lists = p.add_subparsers(dest="list_command", metavar="ACTION", required=True)
    p = lists.add_parser("import", help="keep a day's clinic list from a CSV file")
    p.add_argument("file", type=Path)
    p.add_argument("--day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.set_defaults(handler=import_clinic_list)


def _open(args: argparse.Namespace) -> TabletStore:
    data_dir = args.data_dir or paths.data_dir()
    settings = TabletSettings.load(data_dir / SETTINGS_FILE)
    return TabletStore.open(data_dir, retention_days=settings.outbox_retention_days)


def status(args: argparse.Namespace) -> int:
    store = TabletStore.inspect(args.data_dir or paths.data_dir())
    try:
        report = {
            "data_dir": str(store.data_dir),
            "clinic_key": store.clinic_key.id if store.clinic_key else None,
            **store.counts(),
            "quarantine": store.quarantined(),
            "recent_events": store.events()[-args.events :] if args.events > 0 else [],
        }
    finally:
        store.close()
    print(json.dumps(report, indent=2))
    return 0


def set_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (6-12 digits): ")
        if getpass.getpass("Type it again: ") != pin:
            return fail("the two PINs differ; nothing changed")
    else:
        pin = sys.stdin.readline().strip()
    store = _open(args)
    try:
        StaffPin(store).set_pin(pin)
    finally:
        store.close()
    print("staff PIN set")
    return 0


def device_key(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or paths.data_dir()
    identity = FileKeyStore(data_dir).create()
    print(identity.public_key_text())
    return 0


def import_clinic_list(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or paths.data_dir()
    day = args.day or dt.date.today()
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {args.file}: {exc}")
    clinic_list = parse_csv(text, str(args.file), day)
    key = FileKeyStore(data_dir).load().derive_key(KEY_PURPOSE)
    store = _open(args)
    try:
        ClinicLists(store, key).save(clinic_list)
    finally:
        store.close()
    count = len(clinic_list.appointments)
    print(
        f"clinic list for {day.isoformat()} kept: "
        f"{count} appointment{'' if count == 1 else 's'} (earlier days' lists removed)"
    )
    return 0
